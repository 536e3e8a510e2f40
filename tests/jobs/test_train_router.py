"""``jobs/train_router.py`` end to end with small budgets: real RLlib PPO with action
masking through Tune (one trial per coupling map), checkpoints, exported policies that load
where ``ray`` cannot be imported and act exactly like RLlib's ``forward_inference``,
validation, the evaluation sweep's verified rows, and reruns."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from tests.jobs.helpers import ROOT, run_job, user_env

SMALL = [
    "maps=[grid-3x3,line-5]", "timesteps=1500", "env.n_qubits=[4]", "env.gates=[10]",
    "ppo.train_batch_size=500", "ppo.minibatch_size=100", "ppo.num_epochs=2",
    "ppo.hiddens=[16]", "validation_circuits=3", "evaluation.instances=2",
    "evaluation.sizes=[4]", "evaluation.families=[random,ghz]", "ray.num_cpus=2",
    "ray.include_dashboard=false", "max_parallel=2",
]

BLOCKED = textwrap.dedent("""
    import sys, json
    import numpy as np

    class Refuse:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "ray":
                raise ImportError(f"{name} is not importable here")
            return None

    sys.meta_path.insert(0, Refuse())
    sys.path.insert(0, sys.argv[1])
    from qray.routing.learned.policy import load_policy

    p = load_policy(sys.argv[2])
    data = np.load(sys.argv[3])
    scores = p.scores(data["action_mask"], data["observations"])
    np.save(sys.argv[4], scores.argmax(-1))
    from qray.routing.bridge import route
    from qray.routing.circuits.verify import verify
    from qray.routing.circuits.benchmarks import benchmark_circuit

    qc = benchmark_circuit("random", 4, 10_000_000, 10)
    ok = verify(qc, route(qc, "grid-3x3", p), "grid-3x3").ok
    print(json.dumps({"verified": ok, "leaked": sorted(m for m in sys.modules
                                                       if m.split(".")[0] == "ray")}))
""")


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("router")
    proc = run_job("train_router.py", f"output_dir={out}", "sweep_id=small", *SMALL,
                   timeout=900)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    (out / "output.txt").write_text(proc.stdout + proc.stderr)
    return out / "small"


def test_training_writes_checkpoints_curves_policies_and_verified_rows(trained: Path) -> None:
    # progress in env steps, one plain line at the end (no terminal here)
    output = (trained.parent / "output.txt").read_text()
    assert "\x1b" not in output and "Trial status" not in output
    assert "PPO env steps 3000/3000 (100%) | 2 trials, 2 done" in output, output[-3000:]
    import pandas as pd

    from qray.results import read_dataset

    assert len(list((trained / "tune" / "PPO").glob("*/checkpoint_*"))) == 2
    for cmap in ("grid-3x3", "line-5"):
        folder = trained / "policies" / cmap
        assert (folder / "policy.pt").is_file()
        info = json.loads((folder / "trained.json").read_text())
        assert info["checked_observations"] == 1000
        assert info["validation"]["routed"] == info["validation"]["circuits"] == 3
    curve = pd.read_parquet(trained / "training" / "PPO.parquet")
    assert set(curve["coupling_map"]) == {"grid-3x3", "line-5"}
    assert curve["env_steps"].max() >= 1500
    assert (trained / "training" / "curves.png").stat().st_size > 1000
    table, problems = read_dataset(trained / "eval" / "routing")
    df = table.to_pandas()
    # 4 routers x 2 maps x (random: 2 instances + ghz: 1)
    assert not problems and len(df) == 4 * 2 * 3 and df["task_id"].is_unique
    assert set(df["router"]) == {"ppo", "lookahead", "sabre-1", "sabre-20"}
    assert df["verified"].all() and (df["status"] == "ok").all()
    summary = (trained / "eval" / "summary.md").read_text()
    assert "All routed circuits verified: yes** (24 of 24" in summary
    assert (trained / "eval" / "routing_swaps.png").is_file()


def test_exported_policy_loads_without_ray_and_matches_forward_inference(
        trained: Path, tmp_path: Path) -> None:
    import torch

    from actors.routing.export import load_module, record_observations
    from qray.routing.learned.train_env import RouterEnvConfig

    obs = record_observations(RouterEnvConfig(coupling_map="grid-3x3", n_qubits=[4],
                                              gates=[10]), 1000, seed=5)
    np.savez(tmp_path / "obs.npz", **obs)
    script = tmp_path / "blocked.py"
    script.write_text(BLOCKED)
    folder = trained / "policies" / "grid-3x3"
    proc = subprocess.run(
        [sys.executable, str(script), str(ROOT), str(folder), str(tmp_path / "obs.npz"),
         str(tmp_path / "actions.npy")],
        env=user_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"verified": True, "leaked": []}
    module = load_module(json.loads((folder / "policy.json").read_text())["checkpoint"])
    batch = {k: torch.from_numpy(v) for k, v in obs.items()}
    with torch.no_grad():
        expected = module.forward_inference({"obs": batch})["action_dist_inputs"].argmax(-1)
    actions = np.load(tmp_path / "actions.npy")
    np.testing.assert_array_equal(actions, expected.numpy())
    assert (obs["action_mask"][np.arange(1000), actions] == 1).all()


@pytest.mark.slow  # about 35 s; `make test-all`
def test_rerun_skips_training_and_routed_circuits(trained: Path) -> None:
    # as if the first run had died after the Tune fit, before line-5's export finished
    (trained / "policies" / "line-5" / "trained.json").unlink()
    fit = json.loads((trained / "tune" / "PPO" / "fit.json").read_text())
    proc = run_job("train_router.py", f"output_dir={trained.parent}", "sweep_id=small",
                   *SMALL, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "training finished before; exporting" in proc.stderr  # not retrained
    assert json.loads((trained / "tune" / "PPO" / "fit.json").read_text()) == fit
    assert "24 tasks, 24 already done, 0 to run" in proc.stderr
    proc = run_job("train_router.py", f"output_dir={trained.parent}", "sweep_id=small",
                   *SMALL, "ppo.gamma=0.9", timeout=600)
    assert proc.returncode == 2 and "'sweep_id'" in proc.stderr


def test_bad_training_config_is_refused_before_any_work(tmp_path: Path) -> None:
    proc = run_job("train_router.py", f"output_dir={tmp_path}", "maps=[grid-5x5,octagon-8]")
    assert proc.returncode == 2
    assert "maps[1]" in proc.stderr and "octagon-8" in proc.stderr
    proc = run_job("train_router.py", f"output_dir={tmp_path}", "env.n_qubits=[30]")
    assert proc.returncode == 2 and "env.n_qubits[0]" in proc.stderr
    proc = run_job("train_router.py", f"output_dir={tmp_path}", "evaluation.families=[foo]")
    assert proc.returncode == 2 and "families[0]" in proc.stderr
    assert not any(tmp_path.iterdir())


@pytest.mark.slow  # about 50 s; `make test-all`
def test_front_layer_training_imitates_then_fine_tunes(tmp_path: Path) -> None:
    proc = run_job(
        "train_router.py", f"output_dir={tmp_path}", "sweep_id=front", "maps=[grid-3x3]",
        "timesteps=500", "env.mode=front", "env.n_qubits=[6]", "env.gates=[12]",
        "ppo.train_batch_size=250", "ppo.minibatch_size=50", "ppo.num_epochs=1",
        "ppo.hiddens=[16]", "validation_circuits=3", "evaluation.instances=2",
        "evaluation.sizes=[6]", "evaluation.families=[random]",
        "evaluation.routers=[sabre-1]", "evaluation.search_widths=[2]", "ray.num_cpus=2",
        "ray.include_dashboard=false", "imitation.expert=front-search-2",
        "imitation.circuits=20", "imitation.chunk=10", "imitation.epochs=5", timeout=900)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    sweep = tmp_path / "front"
    report = json.loads((sweep / "imitation" / "grid-3x3" / "imitation.json").read_text())
    assert report["expert"] == "front-search-2" and report["circuits"] == 20
    text = (sweep / "training.md").read_text()
    assert "imitation of front-search-2 on 20 circuits" in text
    from qray.results import read_dataset

    rows = read_dataset(sweep / "eval" / "routing")[0].to_pandas()
    assert set(rows.router) == {"sabre-1", "ppo", "ppo-search-2"}
    assert rows.verified.all() and (rows.depth_2q > 0).all()
