"""The paper2 Table I section pools only like with like: unattacked runs of one allocator
at one horizon, and says which and how many."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qray.netsim.summary_paper2 import section


def rows(scenario: str, horizon: int, q_path2: float, n: int, gamma: float = 2.0) -> list[dict]:
    """``n`` UCBPaper2 runs whose running mean on path 2 ends at ``q_path2``."""
    counts = np.full(8, 10)
    counts[1] = horizon - 70
    sums = counts * 0.5
    sums[1] = counts[1] * q_path2
    return [{"physics": "paper2", "learner": "UCBPaper2", "allocator": "Default",
             "scenario": scenario, "horizon": horizon, "replicate": r,
             "learner_config": json.dumps({"gamma": gamma}),
             "path_counts": counts.tolist(), "path_rewards": sums.tolist(),
             "first_paths": [1] * 100, "realized_reward": float(sums.sum()),
             "reward": float(sums.sum())} for r in range(n)]


def table(tmp_path: Path, frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    lines, _ = section(frame, tmp_path)
    return pd.read_csv(tmp_path / "paper2_table1.csv"), "\n".join(lines)


def test_table1_uses_only_the_unattacked_runs(tmp_path: Path) -> None:
    frame = pd.DataFrame(rows("none", 1400, 1.5, 3) + rows("adaptive", 1400, 0.3, 3))
    t, text = table(tmp_path, frame)
    assert t.loc[t["path"] == 2, "Q_M"].item() == pytest.approx(1.5)
    assert "3 runs of 1400 rounds" in text and "scenario none" in text
    assert "left out: scenarios adaptive" in text


def test_table1_is_one_horizon_the_longest(tmp_path: Path) -> None:
    frame = pd.DataFrame(rows("none", 4000, 1.2, 2) + rows("none", 8000, 1.4, 4)
                         + rows("markov", 8000, 0.1, 4))
    t, text = table(tmp_path, frame)
    assert t.loc[t["path"] == 2, "Q_M"].item() == pytest.approx(1.4)
    assert "4 runs of 8000 rounds" in text and "horizon 8000 (the longest)" in text
    assert "left out: horizons 4000; scenarios markov" in text


def test_the_gamma_sweep_uses_the_same_runs(tmp_path: Path) -> None:
    frame = pd.DataFrame(rows("none", 1400, 1.5, 2, gamma=1.0) + rows("none", 1400, 1.4, 2)
                         + rows("adaptive", 1400, -0.5, 5, gamma=1.0))
    section(frame, tmp_path)
    sweep = pd.read_csv(tmp_path / "paper2_gamma.csv")
    assert sweep["runs"].tolist() == [2, 2]


def test_no_table1_without_unattacked_runs(tmp_path: Path) -> None:
    lines, files = section(pd.DataFrame(rows("adaptive", 1400, 0.3, 3)), tmp_path)
    assert files == [] and "No Table I" in "\n".join(lines)
    assert "only under adaptive" in "\n".join(lines)
