"""The cloud summary's verdicts: "better" only from a paired interval that excludes 0, with
n; the spec's bar lists each check and says "not evaluated" for one that could not run."""

from __future__ import annotations

import numpy as np
import pandas as pd

from qray.cloud.evaluate import summary_table
from qray.cloud.summary import comparison_lines


def frame(times: dict[str, list[float]], kinds: dict[str, str] | None = None) -> pd.DataFrame:
    rows = []
    for name, values in times.items():
        for key, v in enumerate(values):
            rows.append({"scheduler": name, "kind": (kinds or {}).get(name, "heuristic"),
                         "episode_key": key, "total_completion": v,
                         "total_completion_excl_delay": v, "reschedules": 0,
                         "mean_utilization": 0.3, "truncated": False})
    return pd.DataFrame(rows)


def lines_of(df: pd.DataFrame) -> str:
    t = summary_table(df)
    t.insert(1, "kind", t["scheduler"].map(df.groupby("scheduler")["kind"].first()))
    return "\n".join(comparison_lines(df, t))


def test_no_bar_met_when_feasible_greedy_did_not_run() -> None:
    rng = np.random.default_rng(0)
    base = rng.uniform(200, 300, 40)
    df = frame({"DQN": list(base - 50), "Greedy": list(base), "Random": list(base + 80)},
               {"DQN": "DQN"})
    text = lines_of(df)
    assert "FeasibleGreedy" in text and "not evaluated (FeasibleGreedy did not run)" in text
    assert "meets the bar (" not in text and "not established" in text
    assert "vs Greedy: -50 [-50, -50] s (-19.7 %), n = 40: better" in text


def test_overlapping_means_over_five_episodes_are_no_win() -> None:
    # the case: DQN 222.5 +- 58 vs Greedy 249 +- 89 over 5 episodes, not paired
    # tightly enough to tell them apart
    dqn = [160.0, 290.0, 230.0, 180.0, 252.5]
    greedy = [300.0, 170.0, 330.0, 200.0, 245.0]
    fg = [150.0, 280.0, 220.0, 170.0, 240.0]
    df = frame({"DQN": dqn, "Greedy": greedy, "FeasibleGreedy": fg}, {"DQN": "DQN"})
    text = lines_of(df)
    assert "vs Greedy: -26.5" in text and "n = 5: no clear difference (CI includes 0)" in text
    assert "better than every other heuristic: not shown" in text
    assert "meets the bar (" not in text


def test_a_clear_paired_win_meets_the_bar() -> None:
    rng = np.random.default_rng(1)
    base = rng.uniform(100, 400, 30)
    df = frame({"DQN": list(base * 0.9 + rng.normal(0, 1, 30)), "FeasibleGreedy": list(base),
                "Greedy": list(base * 1.3)}, {"DQN": "DQN"})
    text = lines_of(df)
    assert "meets the bar (all four checks ran and held)" in text
    assert "vs FeasibleGreedy" in text and "n = 30: better" in text


def test_a_clear_loss_fails_the_bar_and_names_the_check() -> None:
    base = np.linspace(100, 300, 20)
    df = frame({"PPO": list(base * 1.2), "FeasibleGreedy": list(base),
                "Greedy": list(base * 1.1)}, {"PPO": "PPO"})
    text = lines_of(df)
    assert "does not meet the bar (fails: better than every other heuristic; within 5 % of" \
        in text
    assert "vs Greedy:" in text and ": worse" in text
