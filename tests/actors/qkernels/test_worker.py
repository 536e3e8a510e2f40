"""KernelWorkers on a real embedded Ray: the tiled distributed Gram equals the reference,
state blocks are embedded once, backpressure bounds the tiles in flight, fractional GPU
reservations pack four workers on one (fake) GPU, and a qkernels sweep writes each row
once and resumes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import actors
from actors.qkernels.gram import TiledGram
from actors.qkernels.worker import KernelWorker
from kernels import FeatureMap, get_backend
from qray.errors import ResourceError
from qray.results import read_dataset

ROOT = Path(__file__).resolve().parents[3]
CONF = ROOT / "jobs" / "conf" / "qkernels.yaml"
QUIET = ["ray.include_dashboard=false", "summarize=false"]


@pytest.fixture(scope="module")
def workers(ray_session):
    ray = ray_session
    handles = [KernelWorker.options(num_cpus=0.5, resources={"simhost": 1}).remote(
        "numpy", precision="float64", threads=1, actor_name=f"test-kw-{i}") for i in range(2)]
    yield handles
    for h in handles:
        ray.kill(h)


def test_tiled_gram_equals_reference_and_embeds_blocks_once(ray_session, workers) -> None:
    ray = ray_session
    rng = np.random.default_rng(0)
    fmap = FeatureMap(5, layers=2, seed=1)
    x, y = rng.uniform(0, 3, (103, 5)), rng.uniform(0, 3, (41, 5))
    before = sum(i["blocks_embedded"] for i in ray.get([w.info.remote() for w in workers]))
    gram = TiledGram(workers, fmap, tile=16, dtype="float64")
    k, stats = gram(x)
    k_xy, stats_xy = gram(y, x)  # x's state blocks are reused, not embedded again
    ref = get_backend("numpy").kernel(x, None, fmap)
    assert np.abs(k - ref).max() < 1e-12 and np.array_equal(k, k.T)
    assert np.abs(k_xy - get_backend("numpy").kernel(y, x, fmap)).max() < 1e-12
    blocks = -(-103 // 16)
    assert stats["tiles"] == blocks * (blocks + 1) // 2
    assert stats_xy["tiles"] == -(-41 // 16) * blocks
    infos = ray.get([w.info.remote() for w in workers])
    embedded = sum(i["blocks_embedded"] for i in infos) - before
    assert embedded == blocks + -(-41 // 16)
    assert all(i["tiles_done"] > 0 for i in infos), "both workers got tiles"
    # K(x, x) asked as a pair is the symmetric matrix (state blocks not sent twice)
    k_same, stats_same = gram(x, x)
    assert np.array_equal(k_same, k) and stats_same["tiles"] == stats["tiles"]


def test_backpressure_and_streaming(ray_session, workers) -> None:
    rng = np.random.default_rng(1)
    fmap = FeatureMap(4, layers=2)
    x = rng.uniform(0, 3, (70, 4))
    seen: dict[tuple[int, int], np.ndarray] = {}

    def sink(i0: int, j0: int, block: np.ndarray) -> None:
        assert (i0, j0) not in seen
        seen[(i0, j0)] = block

    gram = TiledGram(workers, fmap, tile=20, max_in_flight=1, dtype="float64")
    out, stats = gram(x, sink=sink)
    assert out is None and len(seen) == stats["tiles"] == 10
    assert stats["peak_in_flight"] == 1  # backpressure: never more than max_in_flight
    _, wide = TiledGram(workers, fmap, tile=10, max_in_flight=3, dtype="float64")(x)
    assert wide["peak_in_flight"] == 3
    full = np.zeros((70, 70))
    for (i0, j0), b in seen.items():
        full[i0:i0 + b.shape[0], j0:j0 + b.shape[1]] = b
        full[j0:j0 + b.shape[1], i0:i0 + b.shape[0]] = b.T
    assert np.abs(full - get_backend("numpy").kernel(x, None, fmap)).max() < 1e-12


PACKING = textwrap.dedent("""
    import json, sys, time
    import numpy as np, ray
    sys.path.insert(0, {root!r})
    from actors.qkernels.gram import TiledGram
    from actors.qkernels.worker import KernelWorker
    from kernels import FeatureMap, get_backend
    ray.init(num_cpus=2, num_gpus=1, include_dashboard=False, log_to_driver=False,
             runtime_env={{"env_vars": {{"PYTHONPATH": {root!r}}}}})
    ws = [KernelWorker.options(num_cpus=0, num_gpus=0.25).remote(
        "numpy", precision="float64", threads=1, actor_name=f"gpu-{{i}}") for i in range(4)]
    infos = ray.get([w.info.remote() for w in ws])
    free_gpu = ray.available_resources().get("GPU", 0.0)
    fifth = KernelWorker.options(num_cpus=0, num_gpus=0.25).remote(
        "numpy", precision="float64", threads=1, actor_name="gpu-4")
    ready, _ = ray.wait([fifth.__ray_ready__.remote()], timeout=5)
    x = np.random.default_rng(0).uniform(0, 3, (50, 4))
    fmap = FeatureMap(4)
    k, stats = TiledGram(ws, fmap, tile=10, dtype="float64")(x)
    err = float(np.abs(k - get_backend("numpy").kernel(x, None, fmap)).max())
    tiles = [i["tiles_done"] for i in ray.get([w.info.remote() for w in ws])]
    print(json.dumps({{"gpu_ids": [i["gpu_ids"] for i in infos],
                      "cuda": [i["cuda_visible_devices"] for i in infos],
                      "free_gpu": free_gpu, "fifth_started": bool(ready),
                      "err": err, "tiles": tiles}}))
""")


def test_four_workers_pack_on_one_fake_gpu(tmp_path: Path) -> None:
    script = tmp_path / "pack.py"
    script.write_text(PACKING.format(root=str(ROOT)))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=300, env={**__import__("os").environ, "RAY_AUTH_MODE": "disabled"})
    assert out.returncode == 0, out.stderr[-3000:]
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["gpu_ids"] == [["0"]] * 4 and res["cuda"] == ["0"] * 4
    assert res["free_gpu"] == 0.0
    assert not res["fifth_started"], "a fifth 0.25-GPU worker must wait for room"
    assert res["err"] < 1e-12 and sum(res["tiles"]) == 15 and min(res["tiles"]) > 0


def test_qkernels_sweep_rows_once_and_rerun_idempotent(ray_session, tmp_path: Path) -> None:
    over = [*QUIET, f"output_dir={tmp_path}", "n_samples=240", "folds=3", "n_qubits=[5]",
            "layers=[1,2]", "backends=[numpy,torch]", "tiles=[64]", "workers=2",
            "resources.default.num_cpus=0.5"]
    report = actors.sweep(CONF, over, summarize=True)
    assert report.complete and report.run_tasks == report.total_tasks == 4
    table, problems = read_dataset(report.sweep_dir / "qkernels")
    df = table.to_pandas()
    assert not problems and len(df) == 4 and df["task_id"].is_unique
    assert (df["status"] == "ok").all(), df["error"].tolist()
    assert (df["accuracy"] > 0.7).all()
    assert df.loc[df["layers"] == 1, "product_kernel"].all()
    assert not df.loc[df["layers"] == 2, "product_kernel"].any()
    assert all(len(set(p)) == 2 for p in df["worker_pids"]), "two workers per point"
    assert "RBF-SVM (classical reference)" in report.summary_md
    assert "product kernel" in report.summary_md
    again = actors.sweep(CONF, over, summarize=False)
    assert again.run_tasks == 0 and again.skipped_tasks == 4


def test_impossible_worker_reservations_are_refused_before_work(ray_session,
                                                              tmp_path: Path) -> None:
    with pytest.raises(ResourceError, match="num_gpus"):
        actors.sweep(CONF, [*QUIET, f"output_dir={tmp_path}", "backends=[torch-cuda]"])
    with pytest.raises(ResourceError, match="'workers'"):
        actors.sweep(CONF, [*QUIET, f"output_dir={tmp_path}", "backends=[numpy]",
                            "workers=3", "resources.default.num_cpus=1"])
    assert not any(tmp_path.iterdir()), "nothing written"


def test_a_failing_point_gets_an_error_row_and_releases_its_workers(ray_session,
                                                                   tmp_path: Path) -> None:
    """A point that fails inside (here PCA asked for more components than a fold has)
    is recorded as an ``error`` row instead of being retried forever, and its workers go
    back to the pool."""
    from actors.qkernels.trial import run_point
    from actors.runtime.binding import get_binding
    from actors.runtime.jobs import ChunkJob, TrialContext
    from actors.runtime.pool import ActorPool
    from qray.config import load_config

    ray = ray_session
    cfg = load_config(CONF, ["n_samples=200", "folds=2", "n_qubits=[4]", "layers=[2]",
                             "backends=[numpy]", "workers=2", "resources.default.num_cpus=0.5"])
    binding = get_binding("qkernels")
    plan = binding.plan(cfg)
    keys = binding.actor_keys(cfg, plan)
    pool = ActorPool.options(name="test-qk-pool", namespace="qray").remote(
        {k: binding.actor_spec(cfg, k) for k in keys}, {"CPU": 2.0})
    point = plan.points[0]
    spec = binding.task_specs(point, cfg, "s")[0]
    # 15 training samples per fold cannot give 16 PCA components (the plan would refuse
    # this; the spec is edited past it)
    spec["params"] = {**spec["params"], "n_samples": 30, "n_qubits": 16}
    ctx = TrialContext(workload="qkernels", sweep_dir=str(tmp_path), pool_name="test-qk-pool",
                       batch_size=1, adapt_batches=False, warmup=0, metric_tag="backend",
                       flush_s=1.0)
    counts = run_point(ChunkJob(point.point_id, keys[0], "", [spec], point_id=point.point_id),
                       ctx)
    assert counts["failed"] == 1 and counts["ok"] == 0
    table, _ = read_dataset(tmp_path / "qkernels")
    row = table.to_pylist()[0]
    assert row["status"] == "error" and "n_components" in row["error"]
    assert ray.get(pool.get_stats.remote())["busy"] == []
    ray.get(pool.shutdown.remote())
    ray.kill(pool)
