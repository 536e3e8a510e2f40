"""On a real ``ray start --head`` cluster (cluster/local-up.sh, token auth on): a sweep
submitted with ``ray job submit``, stopped mid-way with ``ray job stop`` and resubmitted
ends with the complete dataset; and qray's Prometheus metrics are scraped from the
metrics port while a sweep runs."""

from __future__ import annotations

import re
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from qray.results import read_dataset
from tests.jobs.helpers import ROOT, local_head, parquet_files, submit
from tests.reliability.helpers import figure

pytestmark = pytest.mark.cluster

COMMON = ["repetitions=3", "max_parallel=1", "summarize=false", "actor.batch_size=1",
          "execution.chunk_tasks=3"]  # a chunk (a file) per point
POINTS = 60
SWEEP = [*COMMON, "backends=[numpy]", "circuits=[random]", "n_qubits=[10]",
         f"depth={{start: 1, stop: {POINTS}}}"]


@pytest.fixture(scope="module")
def head():
    # workers report their metrics every 0.5 s instead of 10 s, so a scrape sees them soon
    with local_head(RAY_metrics_report_interval_ms="500") as env:
        yield env


def _job(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["ray", "job", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def _status(env: dict, job_id: str) -> str:
    """The job's status as ``ray job status`` prints it: "Status for job 'x': RUNNING"
    while it runs, "Job 'x' succeeded|failed|stopped..." once it ended."""
    out = _job(env, "status", job_id).stdout
    running = re.search(r"Status for job '[^']+': (\w+)", out)
    if running:
        return running.group(1).upper()
    ended = re.search(r"Job '[^']+' (?:was )?(succeeded|failed|stopped)", out, re.IGNORECASE)
    return ended.group(1).upper() if ended else "UNKNOWN"


def _wait_finished(env: dict, job_id: str, timeout: float = 600) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = _status(env, job_id)
        if status in ("STOPPED", "SUCCEEDED", "FAILED"):
            return status
        time.sleep(1)
    raise AssertionError(f"job {job_id} still running after {timeout}s")


@pytest.mark.slow  # about 70 s; `make reliability` runs it
def test_job_stop_mid_sweep_then_resubmit(head: dict, tmp_path: Path) -> None:
    out = tmp_path / "results"
    args = [*SWEEP, f"output_dir={out}", "sweep_id=stopped"]
    job_id = f"qray-stop-{int(time.time())}"
    res = submit(head, *args, no_wait=True, submission_id=job_id)
    assert res.returncode == 0, res.stdout + res.stderr
    folder = out / "stopped" / "simulators"
    deadline = time.time() + 300
    while time.time() < deadline and len(parquet_files(folder)) < 4:
        assert _status(head, job_id) in ("PENDING", "RUNNING"), _job(head, "logs", job_id).stdout
        time.sleep(0.5)
    stop = _job(head, "stop", job_id)
    assert stop.returncode == 0, stop.stdout + stop.stderr
    assert _wait_finished(head, job_id) == "STOPPED"
    time.sleep(2)
    before = len(parquet_files(folder))
    assert 4 <= before < POINTS, before
    again = submit(head, *args, submission_id=f"{job_id}-again")
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-2000:]
    done = re.search(r"(\d+) already done, (\d+) run", again.stdout)
    assert done, again.stdout[-2000:]
    df = read_dataset(folder)[0].to_pandas()
    figure("ray job stop mid-sweep, then resubmit", points_before_stop=before,
           tasks_skipped_on_resubmit=done.group(1), tasks_run_on_resubmit=done.group(2),
           rows_expected=POINTS * 3, rows_found=len(df),
           duplicate_task_ids=len(df) - df["task_id"].nunique())
    assert int(done.group(1)) >= before * 3
    assert len(df) == POINTS * 3 and df["task_id"].is_unique and (df["status"] == "ok").all()


def _scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        return r.read().decode()


def _value(text: str, metric: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(metric + "{"):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_scraped_from_the_metrics_port_during_a_sweep(head: dict, tmp_path: Path) -> None:
    # An experiment whose 61 tasks sleep 0.25 s each on one actor: the sweep lasts at least
    # 15 s however fast or loaded the machine is, far longer than the 0.5 s metrics report
    # interval plus a scrape (a sweep of fast simulator runs could end, on a loaded
    # machine, before any export reached the endpoint). No other test on this cluster
    # runs the experiment workload, so its series start at zero.
    port = int(head["QRAY_METRICS_PORT"])
    out = tmp_path / "results"
    job_id = f"qray-metrics-{int(time.time())}"
    total = 61
    res = submit(head, "--config", "tests/reliability/pause_experiment.yaml",
                 f"output_dir={out}", "sweep_id=metrics", no_wait=True, submission_id=job_id)
    assert res.returncode == 0, res.stdout + res.stderr
    seen = None
    deadline = time.time() + 300
    while time.time() < deadline and seen is None:
        status = _status(head, job_id)  # UNKNOWN: `ray job status` did not say; ask again
        assert status in ("PENDING", "RUNNING", "UNKNOWN"), \
            f"job ended ({status}) before a scrape saw it"
        text = _scrape(port)
        runs = _value(text, "ray_qray_runs_total", workload="experiment", status="ok")
        if runs > 0:
            seen = (runs, text)
        else:
            time.sleep(0.5)
    assert seen, "no qray metric appeared on the metrics port"
    runs, text = seen
    assert runs < total, "the scrape must see the sweep mid-way"
    assert _value(text, "ray_qray_run_seconds_count", workload="experiment") > 0
    assert _value(text, "ray_qray_actor_events_total", workload="experiment",
                  event="created") >= 1
    remaining = _value(text, "ray_qray_tasks_remaining", workload="experiment")
    assert 0 < remaining <= total
    # every metric the Grafana dashboard queries is one this scrape serves
    from tests.cluster.test_grafana import dashboard_metrics

    served = {line.split("{", 1)[0].split(" ", 1)[0] for line in text.splitlines()
              if line and not line.startswith("#")}
    assert dashboard_metrics() <= served, dashboard_metrics() - served
    assert _wait_finished(head, job_id) == "SUCCEEDED"
    deadline = time.time() + 60
    final = 0.0
    while time.time() < deadline and final < total:
        final = _value(_scrape(port), "ray_qray_runs_total", workload="experiment",
                       status="ok")
        time.sleep(0.5)
    figure("metrics scraped during a sweep", port=port, runs_seen_while_running=int(runs),
           runs_after_the_sweep=int(final), rows=total)
    assert final == total
    assert _run_series_workers(_scrape(port), "experiment") == 1


def _run_series_workers(text: str, workload: str) -> int:
    """How many Ray workers serve ``workload``'s run counts: the sweep's driver counts
    them, so one (not a series per short-lived trial worker)."""
    return len({m.group(1) for m in re.finditer(
        r'^ray_qray_runs_total\{[^}]*WorkerId="(\w+)"[^}]*workload="' + workload + '"',
        text, re.MULTILINE)})


@pytest.mark.parametrize(("conf", "overrides", "workload", "tag", "rows"), [
    # `make test-all`: the live scrape test covers the metrics path by default
    pytest.param("cloud_eval.yaml", ["heuristics=[RoundRobin]", "episodes=3"], "cloud",
                 "RoundRobin", 3, marks=pytest.mark.slow),
    # the same path as cloud's (a spec's metric_tag), so it runs with `make test-all`
    pytest.param("routing_eval.yaml", ["routers=[lookahead]", "maps=[grid-3x3]",
                                       "families=[random]", "sizes=[4]", "instances=3"],
                 "routing", "lookahead", 3, marks=pytest.mark.slow),
])
def test_every_workload_tags_its_metrics(head: dict, tmp_path: Path, conf: str,
                                         overrides: list[str], workload: str, tag: str,
                                         rows: int) -> None:
    """Rows of cloud and routing carry their spec's tag (scheduler, router), not ``""``."""
    port = int(head["QRAY_METRICS_PORT"])
    res = submit(head, "--config", f"jobs/conf/{conf}", *overrides, "summarize=false",
                 f"output_dir={tmp_path / 'results'}")
    assert res.returncode == 0, res.stdout + res.stderr
    deadline = time.time() + 30
    seen = 0.0
    while time.time() < deadline and seen < rows:
        text = _scrape(port)
        seen = _value(text, "ray_qray_runs_total", workload=workload, backend=tag, status="ok")
        time.sleep(0.5)
    figure("metrics tagged by the spec", workload=workload, tag=tag, runs=int(seen))
    assert seen == rows
    assert _value(text, "ray_qray_runs_total", workload=workload, backend="") == 0
    assert _run_series_workers(text, workload) == 1
