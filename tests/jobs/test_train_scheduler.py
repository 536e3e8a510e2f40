"""``jobs/train_scheduler.py`` end to end with small budgets: real RLlib DQN (C51, PER,
n-step, double Q) and PPO through Tune, checkpoints, exported policies that load where
``ray`` and ``gymnasium`` cannot be imported and act exactly like RLlib's
``forward_inference``, learning curves, and the evaluation sweep's rows."""

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
    "algorithms=[DQN,PPO]", "timesteps.DQN=600", "timesteps.PPO=500", "dqn.lr=[0.0005,0.001]",
    "dqn.learning_starts=200", "dqn.train_batch_size=32", "dqn.hiddens=[32]",
    "ppo.train_batch_size=250", "ppo.minibatch_size=50", "ppo.num_epochs=2",
    "ppo.hiddens=[32]", "validation_episodes=2", "eval_episodes=4",
    "heuristics=[FeasibleGreedy]", "ray.num_cpus=2", "ray.include_dashboard=false",
    "max_parallel=2", "tracking=mlflow",
]

BLOCKED = textwrap.dedent("""
    import sys, json
    import numpy as np

    class Refuse:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("ray", "gymnasium"):
                raise ImportError(f"{name} is not importable here")
            return None

    sys.meta_path.insert(0, Refuse())
    for name in ("ray", "gymnasium"):
        try:
            __import__(name)
        except ImportError:
            pass
        else:
            raise SystemExit(f"{name} imported despite the block")
    sys.path.insert(0, sys.argv[1])
    from qray.cloud import policy

    p = policy.load(sys.argv[2])
    obs = np.load(sys.argv[3])
    np.save(sys.argv[4], p.actions(obs))
    state = {"width": 5, "wait": [0, 3, 0, 10, 0], "exec_time": [9, 2, 2, 1, 1],
             "queue": [0, 1, 0, 2, 0]}
    print(json.dumps({"choose": p.choose(state),
                      "leaked": sorted(m for m in sys.modules
                                       if m.split(".")[0] in ("ray", "gymnasium"))}))
""")


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("train")
    proc = run_job("train_scheduler.py", f"output_dir={out}", "sweep_id=small", *SMALL,
                   timeout=900)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    (out / "output.txt").write_text(proc.stdout + proc.stderr)
    return out / "small"


def test_training_writes_checkpoints_curves_policies_and_rows(trained: Path) -> None:
    # progress in env steps, one plain line at the end (no terminal here)
    output = (trained.parent / "output.txt").read_text()
    assert "\x1b" not in output and "Trial status" not in output
    assert "DQN env steps 1200/1200 (100%) | 2 trials, 2 done" in output, output[-3000:]
    assert "PPO env steps 500/500 (100%) | 1 trial, 1 done" in output, output[-3000:]
    from qray.results import read_dataset

    for algo in ("DQN", "PPO"):
        assert list((trained / "tune" / algo).glob("*/checkpoint_*")), algo
        assert (trained / "policies" / algo / "policy.pt").is_file()
        info = json.loads((trained / "policies" / algo / "trained.json").read_text())
        assert info["checked_observations"] == 1000
        curve = __import__("pandas").read_parquet(trained / "training" / f"{algo}.parquet")
        assert curve["env_steps"].max() >= {"DQN": 600, "PPO": 500}[algo]
    assert (trained / "training" / "curves.png").stat().st_size > 1000
    table, problems = read_dataset(trained / "eval" / "cloud")
    df = table.to_pandas()
    assert not problems and len(df) == 3 * 4 and df["task_id"].is_unique
    assert set(df["kind"]) == {"heuristic", "DQN", "PPO"}
    assert (df["status"] == "ok").all()
    assert "DQN" in (trained / "training.md").read_text()


def test_trial_checkpoints_are_signed_and_verify(trained: Path) -> None:
    from actors.rl import trust

    for algo in ("DQN", "PPO"):
        fit = json.loads((trained / "tune" / algo / "fit.json").read_text())
        manifest = trained / "tune" / algo / trust.MANIFEST
        assert manifest.is_file()
        for t in fit["trials"]:  # what a rerun checks before it exports a finished fit
            trust.verify(Path(t["checkpoint"]), manifest, trained)
            trust.verify_anywhere(Path(t["checkpoint"]))  # what `qray export` checks


def test_training_trials_and_evaluation_are_tracked_in_mlflow(trained: Path) -> None:
    import os

    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=(trained.parent / "mlruns").as_uri())
    dqn = client.get_experiment_by_name("small-DQN")
    trials = client.search_runs([dqn.experiment_id])
    assert len(trials) == 2  # one MLflow run per Tune trial (the two learning rates)
    for run in trials:
        # the learning curve: a point per training iteration that finished an episode
        iterations = client.get_metric_history(run.info.run_id, "training_iteration")
        curve = client.get_metric_history(run.info.run_id, "env_runners/episode_return_mean")
        assert len(iterations) >= 1 and 1 <= len(curve) <= len(iterations)
        assert {m.step for m in curve} <= {m.step for m in iterations}
    evaluation = client.get_experiment_by_name("cloud")
    (run,) = client.search_runs([evaluation.experiment_id])
    assert run.info.run_name == "eval" and run.data.tags["provenance.qray"]
    assert any(k.startswith("total_completion/") for k in run.data.metrics)


@pytest.mark.parametrize("algo", ["DQN", "PPO"])
def test_exported_policy_loads_without_ray_and_matches_forward_inference(
        trained: Path, algo: str, tmp_path: Path) -> None:
    from actors.cloud.export import (
        forward_inference_actions,
        load_module,
        record_observations,
    )
    from qray.cloud.env_config import env_config

    obs = record_observations(env_config({}), 1000, seed=5)
    np.save(tmp_path / "obs.npy", obs)
    script = tmp_path / "blocked.py"
    script.write_text(BLOCKED)
    proc = subprocess.run(
        [sys.executable, str(script), str(ROOT), str(trained / "policies" / algo),
         str(tmp_path / "obs.npy"), str(tmp_path / "actions.npy")],
        env=user_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["leaked"] == [] and 0 <= out["choose"] < 5
    checkpoint = json.loads((trained / "policies" / algo / "policy.json").read_text())["checkpoint"]
    expected = forward_inference_actions(load_module(checkpoint), obs)
    actions = np.load(tmp_path / "actions.npy")
    assert len(actions) == 1000
    np.testing.assert_array_equal(actions, expected)


@pytest.mark.slow  # about 35 s; `make test-all`
def test_rerun_skips_trained_algorithms_and_evaluated_episodes(trained: Path) -> None:
    # as if the first run had died after PPO's Tune fit, before its export finished
    (trained / "policies" / "PPO" / "trained.json").unlink()
    fit = json.loads((trained / "tune" / "PPO" / "fit.json").read_text())
    proc = run_job("train_scheduler.py", f"output_dir={trained.parent}", "sweep_id=small",
                   *SMALL, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "DQN: every policy is trained and exported" in proc.stderr
    assert "PPO: training finished before; exporting" in proc.stderr  # not retrained
    assert json.loads((trained / "tune" / "PPO" / "fit.json").read_text()) == fit
    assert "12 tasks, 12 already done, 0 to run" in proc.stderr
    proc = run_job("train_scheduler.py", f"output_dir={trained.parent}", "sweep_id=small",
                   *SMALL, "dqn.gamma=0.9", timeout=600)
    assert proc.returncode == 2 and "'sweep_id'" in proc.stderr


def test_bad_training_config_is_refused_before_any_work(tmp_path: Path) -> None:
    proc = run_job("train_scheduler.py", f"output_dir={tmp_path}", "algorithms=[A2C]")
    assert proc.returncode == 2
    assert "algorithms[0]" in proc.stderr and "A2C" in proc.stderr and "PPO" in proc.stderr
    proc = run_job("train_scheduler.py", f"output_dir={tmp_path}", "dqn.lr=[2.0]")
    assert proc.returncode == 2 and "dqn.lr[0]" in proc.stderr
    assert not any(tmp_path.iterdir())


def test_deploy_local_runs_a_25_task_episode_through_the_learned_policy(
        trained: Path, tmp_path: Path) -> None:
    import pandas as pd

    proc = run_job("deploy_scheduler.py", "--mode", "local",
                   f"scheduler=policy:{trained / 'policies' / 'DQN'}", f"output_dir={tmp_path}",
                   "env.tasks.widths=[2,3,4,5]", timeout=900)  # small circuits: a quick test
    assert proc.returncode == 0, proc.stderr[-3000:]
    (rows_file,) = (tmp_path / "deploy").glob("local-DQN-*.parquet")
    df = pd.read_parquet(rows_file)
    assert len(df) == 25 and df["task"].tolist() == list(range(25))
    assert df["job_id"].is_unique and (df["scheduler_kind"] == "DQN").all()
    assert (df["predicted_exec_s"] > 0).all() and (df["measured_exec_s"] > 0).all()
    assert df["hellinger_fidelity"].between(0, 1).all()
    ghz = df[df["family"] == "ghz"]
    assert (ghz["ghz_success"] > 0.3).all()  # noisy, but the GHZ populations dominate
    assert "predicted_exec_s" in rows_file.with_suffix(".md").read_text()


def test_deploy_ibm_without_a_token_says_what_to_set(tmp_path: Path) -> None:
    env = user_env()
    env.pop("QISKIT_IBM_TOKEN", None)
    # the default scheduler (the newest exported DQN: none here): the token comes first
    proc = subprocess.run([sys.executable, "jobs/deploy_scheduler.py", "--mode", "ibm",
                           f"output_dir={tmp_path}"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert "QISKIT_IBM_TOKEN" in proc.stderr and "set the environment variable" in proc.stderr
    assert not (tmp_path / "deploy").exists()
