"""Run any scheduler over seeded episodes and summarize (mean +- 95 % CI)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

#: evaluation episode keys start here (training draws keys below ``train_seed_limit``)
EVAL_SEED_BASE = 10_000_000


def eval_seeds(n: int, base: int = EVAL_SEED_BASE) -> list[int]:
    return list(range(base, base + n))


def run_episode(env: Any, scheduler: Any, seed: int) -> dict[str, Any]:
    """One episode of ``scheduler`` on ``env`` (the env's ``unwrapped`` is a
    QuantumCloudEnv); returns the episode's metrics."""
    cloud = env.unwrapped
    obs, _ = env.reset(seed=seed)
    scheduler.reset(seed)
    while True:
        action = scheduler.act(obs, cloud.view())
        obs, _, terminated, truncated, info = env.step(action)
        if terminated or truncated:
            return info["episode"]


def episode_row(name: str, metrics: dict[str, Any]) -> dict[str, Any]:
    """The flat row of one evaluated episode."""
    return {
        "scheduler": name,
        "episode_key": metrics["episode_key"],
        "total_completion": metrics["total_completion"],
        "total_completion_excl_delay": metrics["total_completion_excl_delay"],
        "total_wait": metrics["total_wait"],
        "reschedules": metrics["reschedules"],
        "makespan": metrics["makespan"],
        "mean_utilization": float(np.mean(metrics["utilization"])),
        "utilization": list(metrics["utilization"]),
        "tasks": metrics["tasks"],
        "truncated": metrics["truncated"],
    }


def evaluate(env: Any, schedulers: Iterable[Any], seeds: list[int]) -> pd.DataFrame:
    """Every scheduler on the same seeded episodes (common random numbers)."""
    rows = [episode_row(s.name, run_episode(env, s, seed)) for s in schedulers for seed in seeds]
    return pd.DataFrame(rows)


def ci95(values: np.ndarray) -> float:
    """Half-width of the normal 95 % confidence interval of the mean."""
    n = len(values)
    return float(1.96 * np.std(values, ddof=1) / math.sqrt(n)) if n > 1 else float("nan")


def summary_table(df: pd.DataFrame) -> pd.DataFrame:
    """Per scheduler: mean total completion (incl. rescheduling delay) +- 95 % CI, the same
    without the delay (the studied metric), reschedules, utilization; sorted best first."""
    out = []
    for name, g in df.groupby("scheduler"):
        tc = g["total_completion"].to_numpy(float)
        out.append({
            "scheduler": name,
            "episodes": len(g),
            "total_completion_s": tc.mean(),
            "ci95_s": ci95(tc),
            "excl_delay_s": g["total_completion_excl_delay"].mean(),
            "reschedules": g["reschedules"].mean(),
            "utilization": g["mean_utilization"].mean(),
            "truncated": int(g["truncated"].sum()),
        })
    return pd.DataFrame(out).sort_values("total_completion_s").reset_index(drop=True)
