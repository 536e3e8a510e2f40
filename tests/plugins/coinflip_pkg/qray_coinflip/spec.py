"""What qray needs to run the coin-flip workload: its WorkloadSpec (the entry point)."""

from __future__ import annotations

from typing import Any

from qray.workloads import WorkloadSpec


def worker_kwargs(cfg: Any, key: str) -> dict[str, Any]:
    return {"coin": key, "max_tasks": cfg.actor.max_tasks, "max_rss_mb": cfg.actor.max_rss_mb}


SPEC = WorkloadSpec(
    name="coinflip",
    description="biased coins flipped on actors (a third-party example workload)",
    config="qray_coinflip.config:CoinflipConfig",
    workload="qray_coinflip.workload",
    schema="qray_coinflip.rows:SCHEMA",
    summary="qray_coinflip.summary:summarize",
    worker="qray_coinflip.worker:CoinWorker",
    worker_kwargs="qray_coinflip.spec:worker_kwargs",
    actor_key="coin",
    metric_tag="coin",
)
