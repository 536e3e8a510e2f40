"""The coin-flip grid: a point per (coin, p), a task per repetition."""

from __future__ import annotations

from typing import Any

from qray.tasks import Plan, Point, Task, stable_seed, wire_specs
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
    return wire_specs(point, sweep_id, only=only,
                      seed=lambda t: stable_seed(WORKLOAD, cfg.seed, t.strong_id))
