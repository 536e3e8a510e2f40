"""The sweep driver from Python (``actors.sweep``) on the shared embedded Ray."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import actors
from qray.errors import ResourceError
from qray.results import read_dataset

CONF = Path(__file__).resolve().parents[3] / "jobs" / "conf" / "simulators.yaml"


def _rows(sweep_dir: Path):
    table, problems = read_dataset(sweep_dir / "simulators")
    assert not problems
    return table.to_pandas()


def test_sweep_rerun_does_no_work(ray_session, tmp_path: Path, quiet_cfg) -> None:
    over = [*quiet_cfg, f"output_dir={tmp_path}", "backends=[numpy,stim]", "circuits=[ghz,qft]",
            "n_qubits=[3,4]", "repetitions=2"]
    report = actors.sweep(CONF, over, summarize=True)
    assert report.complete and report.run_tasks == report.total_tasks == 16
    df = _rows(report.sweep_dir)
    assert len(df) == 16 and df["task_id"].is_unique
    assert set(df[df["backend"] == "stim"]["status"]) == {"ok", "unsupported"}
    assert (report.sweep_dir / "summary.md").exists()
    assert (report.sweep_dir / "time_vs_qubits.png").exists()
    assert (tmp_path / "latest").resolve() == report.sweep_dir
    mtimes = {p: p.stat().st_mtime_ns for p in (report.sweep_dir / "simulators").iterdir()}
    again = actors.sweep(CONF, over, summarize=False)
    assert again.run_tasks == 0 and again.skipped_tasks == 16 and again.trials == 0
    assert {p: p.stat().st_mtime_ns for p in (report.sweep_dir / "simulators").iterdir()} == mtimes


def test_killing_an_actor_mid_sweep_loses_no_row(ray_session, tmp_path: Path, quiet_cfg) -> None:
    ray = ray_session
    over = [*quiet_cfg, f"output_dir={tmp_path}", "backends=[numpy]", "circuits=[random]",
            "n_qubits=[9]", "depth=[1,2,3,4,5,6]", "repetitions=4", "actor.batch_size=1",
            "max_parallel=1", "exact_max_qubits=0"]
    killed: list[int] = []

    def killer() -> None:
        deadline = time.time() + 120
        while time.time() < deadline and not killed:
            files = list((tmp_path).rglob("*.parquet"))
            if len(files) >= 2:
                try:
                    actor = ray.get_actor("qray/simulators/numpy", namespace="qray")
                except ValueError:
                    time.sleep(0.05)
                    continue
                ray.kill(actor, no_restart=True)
                killed.append(len(files))
            time.sleep(0.05)

    t = threading.Thread(target=killer, daemon=True)
    t.start()
    report = actors.sweep(CONF, over, summarize=False)
    t.join(timeout=5)
    assert killed, "the actor was never killed"
    assert report.complete
    assert report.pool_stats["replaced"] >= 1
    df = _rows(report.sweep_dir)
    assert len(df) == report.total_tasks == 24 and df["task_id"].is_unique
    assert (df["status"] == "ok").all()


def test_rerun_failed_redoes_only_failed_rows(ray_session, tmp_path: Path, quiet_cfg) -> None:
    over = [*quiet_cfg, f"output_dir={tmp_path}", "backends=[numpy]", "circuits=[random]",
            "n_qubits=[10]", "depth=[10,12]", "repetitions=2", "exact_max_qubits=0",
            "sweep_id=rerun"]
    first = actors.sweep(CONF, [*over, "timeout_s=0.0005"], summarize=False)
    df = _rows(first.sweep_dir)
    failed = set(df[df["status"] != "ok"]["task_id"])
    assert "timeout" in set(df["status"])
    assert failed and len(df) == 4
    plain = actors.sweep(CONF, over, summarize=False)
    assert plain.run_tasks == 0
    retry = actors.sweep(CONF, over, rerun_failed=True, summarize=False)
    assert retry.run_tasks == len(failed)
    df = _rows(retry.sweep_dir)
    assert len(df) == 4 and df["task_id"].is_unique and (df["status"] == "ok").all()


def test_gpu_backend_without_gpus_fails_at_validation(ray_session, tmp_path: Path,
                                                      quiet_cfg) -> None:
    out = tmp_path / "out"
    with pytest.raises(ResourceError, match=r"config key 'resources.qiskit-aer-gpu.num_gpus': value 0.25 cannot be satisfied: the largest node has 0 GPU \(cluster total 0\); allowed: at most 0. Ray would leave this actor pending forever"):
        actors.sweep(CONF, [*quiet_cfg, f"output_dir={out}", "backends=[qiskit-aer-gpu]",
                            "n_qubits=[3]"])
    assert not out.exists()


def test_custom_resource_request_checked(ray_session, tmp_path: Path, quiet_cfg) -> None:
    with pytest.raises(ResourceError, match=r"resources.numpy.resources.fpga'.*largest node has 0 fpga"):
        actors.sweep(CONF, [*quiet_cfg, f"output_dir={tmp_path}", "backends=[numpy]",
                            "resources.numpy.resources.fpga=1"])
    report = actors.sweep(CONF, [*quiet_cfg, f"output_dir={tmp_path}", "backends=[numpy]",
                                 "circuits=[ghz]", "n_qubits=[3]", "repetitions=1",
                                 "resources.numpy.resources.simhost=1"], summarize=False)
    assert report.complete and report.run_tasks == 1


def test_interleave_keeps_actor_groups_together() -> None:
    from actors.runtime.jobs import ChunkJob
    from actors.runtime.units import interleave

    points = [ChunkJob(f"{k}-{i}", k, f"{k}{i}.parquet", []) for k in "abc" for i in range(2)]
    order = [(p.key, int(p.label[-1])) for p in interleave(points, 2)]
    assert order == [("a", 0), ("b", 0), ("a", 1), ("b", 1), ("c", 0), ("c", 1)]


def test_refused_points_run_once_the_budget_allows(ray_session, tmp_path: Path,
                                                   quiet_cfg) -> None:
    over = [*quiet_cfg, f"output_dir={tmp_path}", "backends=[numpy]", "circuits=[ghz]",
            "n_qubits=[3,14]", "repetitions=1", "sweep_id=budget"]
    first = actors.sweep(CONF, [*over, "actor.memory_budget_mb=0.01"], summarize=False)
    df = _rows(first.sweep_dir)
    assert sorted(df["status"]) == ["ok", "refused"]
    assert "needs 256.0 KiB" in df[df["status"] == "refused"]["error"].iloc[0]
    second = actors.sweep(CONF, over, summarize=False)
    assert second.run_tasks == 1
    df = _rows(second.sweep_dir)
    assert len(df) == 2 and (df["status"] == "ok").all()


def test_timed_out_runs_recycle_the_actor_and_spare_the_rest(ray_session, tmp_path: Path,
                                                             quiet_cfg) -> None:
    """A run that cannot be interrupted gets a timeout row; the actor is recycled before
    the next task, so no other task is charged for it."""
    over = [*quiet_cfg, f"output_dir={tmp_path}", "backends=[numpy]", "circuits=[ghz]",
            "n_qubits=[3,11]", "noise=[0.01]", "repetitions=2", "timeout_s=1.5",
            "exact_max_qubits=0", "actor.batch_size=4"]
    report = actors.sweep(CONF, over, summarize=False)
    assert report.complete and report.pool_stats["recycled"] >= 2
    df = _rows(report.sweep_dir)
    assert len(df) == 4 and df["task_id"].is_unique
    assert set(df[df["n_qubits"] == 3]["status"]) == {"ok"}
    assert set(df[df["n_qubits"] == 11]["status"]) == {"timeout"}
    assert df[df["n_qubits"] == 11]["pid"].nunique() == 2  # each ran in a fresh process


def test_trials_are_pinned_to_the_drivers_node(ray_session) -> None:
    """Trials write the rows: they reserve a sliver of the driver node's own resource, so
    on a multi-node cluster every row lands on the driver's filesystem."""
    from actors.runtime.trials import trial_resources

    res = trial_resources()
    node_keys = [k for k in res if k.startswith("node:")]
    assert len(node_keys) == 1 and 0 < res[node_keys[0]] < 1
    assert node_keys[0] in ray_session.cluster_resources()
