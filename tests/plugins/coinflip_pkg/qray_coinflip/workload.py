"""The coin-flip grid: a point per (coin, p), a task per repetition."""

from __future__ import annotations

from typing import Any

from qray.tasks import Plan, Point, Task, stable_seed
from qray_coinflip.config import CoinflipConfig

WORKLOAD = "coinflip"


def plan(cfg: CoinflipConfig) -> Plan:
    points = []
    for coin in cfg.coins:
        for p in cfg.p:
            params = {"coin": coin, "p": p, "flips": cfg.flips}
            tasks = tuple(Task(WORKLOAD, {**params, "repetition": r})
                          for r in range(cfg.repetitions))
            points.append(Point(WORKLOAD, params, tasks))
    return Plan(points)


def task_specs(point: Point, cfg: CoinflipConfig, sweep_id: str,
               only: set[str] | None = None) -> list[dict[str, Any]]:
    return [{"task_id": t.strong_id, "point_id": point.point_id, "sweep_id": sweep_id,
             "seed": stable_seed(WORKLOAD, cfg.seed, t.strong_id), "params": dict(t.params)}
            for t in point.tasks if only is None or t.strong_id in only]
