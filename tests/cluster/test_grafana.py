"""The Grafana dashboard (``cluster/grafana/qray.json``): valid JSON whose panels query
qray's metrics; that a live scrape serves every one of them is checked during a sweep in
``tests/reliability/test_cluster_jobs.py``."""

from __future__ import annotations

import json
import re
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parents[2] / "cluster" / "grafana" / "qray.json"
#: qray's metrics as Ray exports them (``ray_`` prefix), histograms by their series
EXPORTED = {"ray_qray_runs_total", "ray_qray_run_seconds_bucket", "ray_qray_run_seconds_sum",
            "ray_qray_run_seconds_count", "ray_qray_actor_events_total",
            "ray_qray_tasks_remaining"}


def dashboard_metrics() -> set[str]:
    """The metric names the dashboard's queries use."""
    text = DASHBOARD.read_text()
    return set(re.findall(r"\bray_qray_[a-z_]+", text))


def test_the_dashboard_queries_every_qray_metric_and_nothing_else() -> None:
    dash = json.loads(DASHBOARD.read_text())
    assert dash["uid"] == "qray-sweeps" and dash["panels"]
    for panel in dash["panels"]:
        assert panel["targets"] and all(t["expr"] for t in panel["targets"]), panel["title"]
    assert dashboard_metrics() == EXPORTED


def test_the_metrics_module_defines_what_the_dashboard_reads() -> None:
    source = (Path(__file__).resolve().parents[2] / "actors" / "runtime" / "metrics.py").read_text()
    defined = set(re.findall(r'"(qray_[a-z_]+)", description', source))
    assert defined == {"qray_runs", "qray_run_seconds", "qray_actor_events",
                       "qray_tasks_remaining"}
    assert {m.removeprefix("ray_").removesuffix("_total").removesuffix("_bucket")
            .removesuffix("_sum").removesuffix("_count") for m in dashboard_metrics()} == defined
