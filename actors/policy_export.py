"""Export an RLlib checkpoint's module as an inference-only scheduler (TorchScript + JSON).

The traced module maps a batch of observations to one score per node: the expected
Q-values of the (distributional, dueling) DQN module, or the action logits of PPO. Its
argmax is RLlib's ``forward_inference`` action; ``export`` checks that on recorded
observations before it writes anything final.
"""

from __future__ import annotations

import ctypes
import dataclasses
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch

from qray.cloud.policy import FORMAT, META_FILE, MODEL_FILE, model_digest
from qray.errors import ConfigError, QrayError

log = logging.getLogger(__name__)

MODULE_PATH = ("learner_group", "learner", "rl_module", "default_policy")


class _Scores(torch.nn.Module):
    def __init__(self, module: Any, kind: str) -> None:
        super().__init__()
        self.module = module
        self.kind = kind

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        if self.kind == "DQN":
            from ray.rllib.algorithms.dqn.dqn_learner import QF_PREDS

            return self.module.compute_q_values({"obs": obs})[QF_PREDS]
        return self.module.forward_inference({"obs": obs})["action_dist_inputs"]


def module_checkpoint(checkpoint: str | Path) -> Path:
    """The RLModule folder of an algorithm checkpoint (or the module folder itself); a
    QrayError naming the folder when it is neither."""
    path = Path(checkpoint)
    if not path.is_dir():
        raise QrayError(f"checkpoint {str(checkpoint)!r}: no such folder")
    module_dir = path.joinpath(*MODULE_PATH)
    found = module_dir if module_dir.is_dir() else path
    if not (found / "class_and_ctor_args.pkl").is_file():
        raise QrayError(f"checkpoint {str(checkpoint)!r}: not an RLlib algorithm or RLModule "
                        f"checkpoint (no {'/'.join(MODULE_PATH)}/ with an RLModule in it); "
                        "pass a checkpoint_* folder of a training trial")
    return found


def load_module(checkpoint: str | Path) -> Any:
    """The RLModule of an algorithm checkpoint (or of a module checkpoint folder)."""
    from ray.rllib.core.rl_module.rl_module import RLModule

    found = module_checkpoint(checkpoint)
    try:
        module = RLModule.from_checkpoint(str(found))
    except Exception as exc:  # a damaged checkpoint: pickles, state files
        raise QrayError(f"checkpoint {str(checkpoint)!r}: cannot load its RLModule "
                        f"({type(exc).__name__}: {' '.join(str(exc).split())[:200]})") from None
    module.eval()
    return module


def module_kind(module: Any) -> str:
    return "DQN" if hasattr(module, "compute_q_values") else "PPO"


def forward_inference_actions(module: Any, obs: np.ndarray) -> np.ndarray:
    """RLlib's own greedy actions for a batch of observations."""
    with torch.no_grad():
        out = module.forward_inference({"obs": torch.from_numpy(np.asarray(obs, np.float32))})
    if "actions" in out:
        return out["actions"].numpy()
    return out["action_dist_inputs"].argmax(dim=-1).numpy()


def record_observations(env_config: Any, n: int, seed: int = 0) -> np.ndarray:
    """``n`` observations from random-policy episodes of the env (seeded)."""
    from qray.cloud.env import QuantumCloudEnv

    env = QuantumCloudEnv(env_config)
    rng = np.random.default_rng(seed)
    out: list[np.ndarray] = []
    episode = 0
    while len(out) < n:
        obs, _ = env.reset(seed=20_000_000 + seed * 10_000 + episode)
        episode += 1
        done = False
        while not done and len(out) < n:
            out.append(obs["observations"] if isinstance(obs, dict) else obs)
            mask = env.action_masks()
            a = rng.choice(np.flatnonzero(mask)) if rng.random() < 0.7 else rng.integers(len(mask))
            obs, _, term, trunc, _ = env.step(int(a))
            done = term or trunc
    return np.stack(out)


def recorded_env(checkpoint: str | Path) -> dict[str, Any] | None:
    """The env config a Tune trial trained with (its ``params.json``, plain JSON), if the
    checkpoint sits in a trial folder."""
    params = Path(checkpoint).resolve().parent / "params.json"
    if not params.is_file():
        return None
    return json.loads(params.read_text()).get("env_config")


def export(checkpoint: str | Path, out: str | Path, env_config: Any = None, *,
           name: str | None = None, n_check: int = 1000) -> dict[str, Any]:
    """Write ``out/policy.pt`` and ``out/policy.json`` (both or neither); returns the
    metadata.

    The observation's preprocessing comes from the env the trial trained on (its
    ``params.json``); ``env_config`` is used when the checkpoint has none, and must agree
    with it when it has one. Raises if the traced scores' argmax differs from
    ``forward_inference`` on ``n_check`` recorded observations.
    """
    from qray.cloud.config import env_config as make_env_config
    from qray.cloud.env import QuantumCloudEnv, policy_mismatch
    from qray.cloud.features import observation_size
    if n_check < 1:
        raise ConfigError("--check", n_check, "an integer >= 1")
    check_out(out)
    module_checkpoint(checkpoint)
    recorded = recorded_env(checkpoint)
    if recorded is not None:
        trained_on = make_env_config(recorded)
        if env_config is not None:
            problem = policy_mismatch(QuantumCloudEnv(env_config).policy_params(), trained_on)
            if problem:
                raise ConfigError("env", "(the config's env)", "the env the checkpoint was "
                                  "trained on, or no env overrides",
                                  problem=f"differs from the checkpoint's ({problem}):")
        env_config = trained_on
    module = load_module(checkpoint)
    kind = module_kind(module)
    env = QuantumCloudEnv(env_config)
    size = observation_size(len(env.cfg.nodes))
    shape = getattr(getattr(module, "observation_space", None), "shape", None)
    if shape is not None and tuple(shape) != (size,):
        raise ConfigError("env.nodes", list(env.cfg.nodes), f"an env whose observation has "
                          f"{shape} features like the checkpoint's", problem=f"gives {size} "
                          "features:")
    obs = record_observations(env.cfg, n_check)
    wrapper = _Scores(module, kind).eval()
    with torch.no_grad():
        traced = torch.jit.trace(wrapper, torch.from_numpy(obs[:8]), check_trace=False)
        traced_actions = traced(torch.from_numpy(obs)).argmax(dim=-1).numpy()
    rllib_actions = forward_inference_actions(module, obs)
    agree = float(np.mean(traced_actions == rllib_actions))
    if agree < 1.0:
        raise RuntimeError(f"exported policy disagrees with forward_inference on "
                           f"{(1 - agree) * 100:.2f} % of {len(obs)} observations")
    meta = {
        "format": FORMAT,
        "algorithm": kind,
        "name": name or f"{kind}-policy",
        "checkpoint": str(Path(checkpoint).resolve()),
        "obs_size": int(obs.shape[1]),
        "n_actions": int(env.action_space.n),
        "scores": "expected Q-values" if kind == "DQN" else "action logits",
        "params": env.policy_params(),
        "env": dataclasses.asdict(env.cfg),
        "checked_observations": len(obs),
        "model_digest": model_digest(traced),
    }
    folder = Path(out)
    _write_pair(folder, traced, meta)
    log.info("exported %s policy to %s (%d observations agree with forward_inference)",
             kind, folder, len(obs))
    return meta


def is_policy_folder(folder: Path) -> bool:
    """Whether ``folder`` is an exported qray policy: exactly ``policy.pt`` and a
    ``policy.json`` with a ``qray-...`` format (what ``_write_pair`` writes)."""
    try:
        names = {p.name for p in folder.iterdir()}
        meta = json.loads((folder / META_FILE).read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return names == {MODEL_FILE, META_FILE} and isinstance(meta, dict) and \
        str(meta.get("format", "")).startswith("qray-")


def check_out(out: str | Path) -> None:
    """Refuse an export target that exists and is not a qray policy folder (or an empty
    folder): an export never deletes or displaces what qray did not write."""
    folder = Path(out)
    if not os.path.lexists(folder):
        return
    if folder.is_symlink() or not folder.is_dir():
        raise ConfigError("OUT", str(out), "a new folder, an empty one, or an exported qray "
                          "policy folder to replace", problem="exists and is not a folder:")
    if any(folder.iterdir()) and not is_policy_folder(folder):
        raise ConfigError("OUT", str(out), "a new folder, an empty one, or an exported qray "
                          f"policy folder (only {MODEL_FILE} and {META_FILE}) to replace",
                          problem="is a folder with other files; it is left as it is:")


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        rc = libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                            _RENAME_EXCHANGE)
    except (AttributeError, OSError):
        return False
    return rc == 0


def _write_pair(folder: Path, traced: Any, meta: dict[str, Any]) -> None:
    """Both files into a fresh sibling folder, then one atomic swap with the old policy
    folder: a reader sees the old pair or the new one, never a new model with old
    preprocessing. Only a folder ``check_out`` accepts is ever replaced."""
    check_out(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    try:
        torch.jit.save(traced, str(tmp / MODEL_FILE))
        (tmp / META_FILE).write_text(json.dumps(meta, indent=2))
        for f in tmp.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        if folder.is_dir() and any(folder.iterdir()):
            if not _exchange(tmp, folder):  # no renameat2: the old pair is removed first
                for name in (META_FILE, MODEL_FILE):
                    (folder / name).unlink()
                folder.rmdir()
                tmp.rename(folder)
        else:
            if folder.is_dir():
                folder.rmdir()  # empty
            tmp.rename(folder)
    finally:
        if tmp.is_dir() and tmp != folder:
            # what is left here is ours: the new pair that failed, or the swapped-out old one
            for name in (META_FILE, MODEL_FILE):
                (tmp / name).unlink(missing_ok=True)
            tmp.rmdir()
