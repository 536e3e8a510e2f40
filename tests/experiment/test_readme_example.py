"""The README's own-experiment example: the same files as jobs/examples/, at most 40
lines in all, run with ``qray sweep --config`` as a user runs it, and its fidelities agree
with the closed form (1 + g^n + (1-g)^n)/4 + (1-g)^(n/2)/2 within 3 sigma."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from qray.results import load

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "jobs" / "examples"
QRAY = Path(sys.executable).with_name("qray")


def _blocks() -> dict[str, str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Your own experiment", 1)[1].split("\n## ", 1)[0]
    return {lang: body for lang, body in re.findall(r"```(python|yaml)\n(.*?)```", section, re.S)}


def test_the_readme_shows_the_example_files_in_full_in_at_most_40_lines() -> None:
    blocks = _blocks()
    assert blocks["python"] == (EXAMPLE / "ghz_damping.py").read_text()
    assert blocks["yaml"] == (EXAMPLE / "ghz_damping.yaml").read_text()
    assert sum(len(b.splitlines()) for b in blocks.values()) <= 40


def closed_form(n: np.ndarray, g: np.ndarray) -> np.ndarray:
    return (1 + g**n + (1 - g) ** n) / 4 + (1 - g) ** (n / 2) / 2


def test_the_example_sweep_agrees_with_the_closed_form(tmp_path: Path) -> None:
    res = subprocess.run([str(QRAY), "sweep", "--config", "jobs/examples/ghz_damping.yaml",
                          f"output_dir={tmp_path}", "ray.include_dashboard=false"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert "75 tasks, 0 already done, 75 run" in res.stdout
    df = load(tmp_path / "latest")
    assert len(df) == 75 and (df["status"] == "ok").all()
    shots = df["shots"].iloc[0]
    cells = df.groupby(["n", "gamma"])["fidelity"].agg(["mean", "count"]).reset_index()
    exact = closed_form(cells["n"].to_numpy(float), cells["gamma"].to_numpy(float))
    sigma = np.sqrt(exact * (1 - exact) / shots / cells["count"].to_numpy())
    z = (cells["mean"].to_numpy() - exact) / sigma
    assert len(cells) == 15 and np.all(np.abs(z) < 3), list(zip(cells["n"], cells["gamma"], z,
                                                               strict=True))
    summary = (tmp_path / "latest" / "summary.md").read_text()
    assert "| gamma \\ n |" in summary and "Rows by status: 75 ok" in summary
