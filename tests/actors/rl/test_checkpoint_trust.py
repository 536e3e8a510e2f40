"""Nothing in a results folder or a checkpoint from elsewhere is unpickled: each test plants
a pickle that would create a marker file and asserts the marker never appears."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from actors.rl import trust
from actors.rl.checkpoint import MODULE_PATH
from tests.jobs.helpers import ROOT, user_env


class Planted:
    """Unpickling this creates ``marker``: the stand-in for any code a pickle can run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204
        return (open, (str(self.marker), "w"))


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    key = tmp_path / "key"
    monkeypatch.setenv("QRAY_CHECKPOINT_KEY", str(key))
    return key


def planted_checkpoint(folder: Path, marker: Path) -> Path:
    """An RLlib-looking algorithm checkpoint whose module pickle creates ``marker``."""
    module = folder.joinpath(*MODULE_PATH)
    module.mkdir(parents=True)
    (module / "class_and_ctor_args.pkl").write_bytes(pickle.dumps(Planted(marker)))
    (module / "metadata.json").write_text("{}")
    return folder


def cli(*args: str, key: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "actors.cli", *args], cwd=ROOT,
                          env=user_env(QRAY_CHECKPOINT_KEY=str(key)), capture_output=True,
                          text=True, timeout=300)


def test_a_signed_checkpoint_verifies_and_any_change_is_refused(tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    ckpt = planted_checkpoint(sweep / "tune" / "DQN" / "trial" / "checkpoint_0", tmp_path / "m")
    manifest = trust.record(sweep / "tune" / "DQN", sweep, [ckpt])
    trust.verify(ckpt, manifest, sweep)  # unchanged: trusted
    trust.verify_anywhere(ckpt)
    pkl = ckpt.joinpath(*MODULE_PATH, "class_and_ctor_args.pkl")
    pkl.write_bytes(pkl.read_bytes() + b"x")
    with pytest.raises(trust.UntrustedCheckpointError, match="files changed"):
        trust.verify(ckpt, manifest, sweep)
    pkl.write_bytes(pkl.read_bytes()[:-1])
    (ckpt / "extra.pkl").write_bytes(b"")
    with pytest.raises(trust.UntrustedCheckpointError, match="files changed"):
        trust.verify(ckpt, manifest, sweep)


def test_a_manifest_signed_elsewhere_or_edited_is_refused(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    sweep = tmp_path / "sweep"
    ckpt = planted_checkpoint(sweep / "tune" / "PPO" / "t" / "checkpoint_0", tmp_path / "m")
    monkeypatch.setenv("QRAY_CHECKPOINT_KEY", str(tmp_path / "colleague-key"))
    manifest = trust.record(sweep / "tune" / "PPO", sweep, [ckpt])
    monkeypatch.setenv("QRAY_CHECKPOINT_KEY", str(tmp_path / "my-key"))
    with pytest.raises(trust.UntrustedCheckpointError, match="not signed by this qray"):
        trust.verify(ckpt, manifest, sweep)
    outside = planted_checkpoint(tmp_path / "elsewhere", tmp_path / "m")
    with pytest.raises(trust.UntrustedCheckpointError, match="outside the sweep folder"):
        trust.verify(outside, manifest, sweep)


def test_qray_train_never_unpickles_a_planted_finished_fit(tmp_path: Path, own_key: Path) -> None:
    from actors.cloud.pipeline import config_digest
    from qray.cloud.train_config import CloudTrainConfig
    from qray.config import load_config

    marker = tmp_path / "MARKER"
    args = [f"output_dir={tmp_path}", "sweep_id=planted", "algorithms=[DQN]",
            "ray.num_cpus=2", "ray.include_dashboard=false"]
    cfg = load_config(ROOT / "jobs/conf/cloud.yaml", args)
    assert isinstance(cfg, CloudTrainConfig)
    evil = planted_checkpoint(tmp_path / "anywhere" / "checkpoint_0", marker)
    fit = tmp_path / "planted" / "tune" / "DQN" / "fit.json"
    fit.parent.mkdir(parents=True)
    fit.write_text(json.dumps({"config_digest": config_digest("DQN", cfg), "wall_seconds": 1,
                               "trials": [{"trial_id": "x", "lr": 0.001, "train_seconds": 1,
                                           "checkpoint": str(evil)}]}))
    proc = cli("train", "--config", "cloud", *args, key=own_key)
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "outside the sweep folder" in proc.stderr and "pickle" in proc.stderr
    # the same checkpoint moved inside the sweep folder: no signed manifest records it
    inside = fit.parent / "x" / "checkpoint_0"
    inside.parent.mkdir()
    evil.rename(inside)
    fit.write_text(fit.read_text().replace(str(evil), str(inside)))
    proc = cli("train", "--config", "cloud", *args, key=own_key)
    assert proc.returncode == 2 and "no checkpoints.json records it" in proc.stderr
    assert not marker.exists()


def test_qray_export_refuses_a_checkpoint_qray_did_not_write(tmp_path: Path,
                                                            own_key: Path) -> None:
    marker = tmp_path / "MARKER"
    ckpt = planted_checkpoint(tmp_path / "download" / "checkpoint_0", marker)
    proc = cli("export", str(ckpt), str(tmp_path / "out"), key=own_key)
    assert proc.returncode == 2
    assert "qray did not write it" in proc.stderr and "--trust-checkpoint" in proc.stderr
    assert not marker.exists() and not (tmp_path / "out").exists()
    proc = cli("export", str(ckpt), str(tmp_path / "out"), "--check", "1000000000", key=own_key)
    assert proc.returncode == 2 and "'--check'" in proc.stderr


def test_policy_loaders_never_run_a_pickle(tmp_path: Path) -> None:
    import torch

    from qray.cloud import policy as cloud_policy
    from qray.errors import QrayError

    marker = tmp_path / "MARKER"
    folder = tmp_path / "policy"
    folder.mkdir()
    torch.save(Planted(marker), folder / "policy.pt")  # a pickle where TorchScript belongs
    (folder / "policy.json").write_text(json.dumps({"format": cloud_policy.FORMAT}))
    with pytest.raises((QrayError, RuntimeError, ValueError, KeyError)):
        cloud_policy.load(folder)
    from qray.routing.learned.policy import MODEL_FILE

    (folder / MODEL_FILE).write_bytes((folder / "policy.pt").read_bytes())
    with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal, as long as nothing runs
        torch.jit.load(str(folder / MODEL_FILE), map_location="cpu")
    with pytest.raises(pickle.UnpicklingError):  # the imitation weights' loader
        torch.load(folder / "policy.pt", map_location="cpu", weights_only=True)
    assert not marker.exists()


def test_qray_deploy_refuses_a_planted_policy(tmp_path: Path, own_key: Path) -> None:
    import torch

    marker = tmp_path / "MARKER"
    folder = tmp_path / "policy"
    folder.mkdir()
    torch.save(Planted(marker), folder / "policy.pt")
    (folder / "policy.json").write_text("{}")
    proc = subprocess.run([sys.executable, "jobs/deploy_scheduler.py", "--mode", "local",
                           f"scheduler=policy:{folder}", f"output_dir={tmp_path / 'out'}"],
                          cwd=ROOT, env=user_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert not marker.exists()
