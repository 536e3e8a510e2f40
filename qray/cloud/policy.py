"""Inference-only schedulers exported from RLlib: torch and numpy, no Ray, no Gymnasium.

An exported policy is a folder with ``policy.pt`` (a TorchScript module mapping a batch of
observations to one score per node: Q-values for DQN, logits for PPO) and ``policy.json``
(the observation's preprocessing parameters and where the policy came from). ``load(path)``
returns a ``LoadedPolicy`` whose ``choose(state)`` maps a task and the nodes' states to a
node index, and which also acts as a scheduler in ``qray.cloud.evaluate``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from qray.cloud.features import observation_from_state, observation_size
from qray.errors import QrayError
from qray.rl.policy import (
    META_FILE,
    MODEL_FILE,
    DigestMismatchError,
    PolicyJSONError,
    check_digest,
    has_policy_files,
    model_digest,
    read_policy_json,
)

__all__ = ["FORMAT", "META_FILE", "MODEL_FILE", "LoadedPolicy", "PolicyError", "load",
           "model_digest"]

FORMAT = "qray-cloud-policy/1"


class LoadedPolicy:
    """A scheduler backed by an exported TorchScript module (greedy in its scores)."""

    def __init__(self, model: Any, meta: dict[str, Any]) -> None:
        self.model = model
        self.meta = meta
        self.params = meta["params"]
        self.name = meta.get("name", meta["algorithm"])
        self.n_nodes = len(self.params["nodes"])
        #: SHA-256 of the policy.json it was loaded from (set by ``load``)
        self.meta_sha256 = ""

    @property
    def model_digest(self) -> str:
        """The content digest of the model (``policy.json``'s, verified by ``load``)."""
        return str(self.meta["model_digest"])

    def scores(self, obs: np.ndarray) -> np.ndarray:
        """Scores (batch, nodes) of a batch of observations."""
        import torch

        x = np.asarray(obs, dtype=np.float32)
        squeeze = x.ndim == 1
        x = x.reshape(1, -1) if squeeze else x
        if x.shape[1] != self.meta["obs_size"]:
            raise ValueError(f"observation has {x.shape[1]} features; the policy expects "
                             f"{self.meta['obs_size']}")
        with torch.no_grad():
            out = self.model(torch.from_numpy(x)).numpy()
        return out[0] if squeeze else out

    def actions(self, obs: np.ndarray) -> np.ndarray:
        """Greedy node index of each observation in a batch."""
        return np.argmax(self.scores(np.atleast_2d(obs)), axis=1)

    def choose(self, state: Mapping[str, Any]) -> int:
        """Node index for one task: ``state`` has the task's ``width`` and, per node,
        ``wait`` and ``exec_time`` (seconds) and ``queue`` (see
        ``qray.cloud.features.observation_from_state``)."""
        return int(self.actions(observation_from_state(state, self.params))[0])

    # the scheduler protocol of qray.cloud.evaluate
    def reset(self, seed: int) -> None:
        pass

    def act(self, obs: Any, view: Any) -> int:
        if isinstance(obs, Mapping):
            obs = obs["observations"]
        return int(self.actions(obs)[0])


class PolicyError(QrayError, ValueError):
    """An exported policy folder that cannot serve: names the file and the problem."""


#: what ``policy.json``'s ``params`` must hold (``qray.cloud.env.policy_params``)
PARAM_LISTS = ("node_qubits", "readout_error", "gate_error_2q", "clops")
PARAM_NUMBERS = ("clops_k", "time_scale", "obs_clip")
EXPORT_AGAIN = "export the policy again with jobs/export_policy.py"


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and bool(np.isfinite(x))


def _check_meta(meta: dict[str, Any], meta_path: Path) -> None:
    """``policy.json``'s fields, each named when missing or wrong."""
    if meta.get("format") != FORMAT:
        raise PolicyError(f"{meta_path}: format {meta.get('format')!r}, expected {FORMAT!r}; "
                          f"{EXPORT_AGAIN}")
    for field in ("algorithm", "obs_size", "params", "model_digest"):
        if field not in meta:
            raise PolicyError(f"{meta_path}: no {field!r} field (a policy.json written by an "
                              f"older qray or by hand); {EXPORT_AGAIN}")
    if not isinstance(meta["algorithm"], str):
        raise PolicyError(f"{meta_path}: 'algorithm' must be a string, got "
                          f"{meta['algorithm']!r}; {EXPORT_AGAIN}")
    if not isinstance(meta["model_digest"], str) or not meta["model_digest"]:
        raise PolicyError(f"{meta_path}: 'model_digest' must be the model's digest string, "
                          f"got {meta['model_digest']!r}; {EXPORT_AGAIN}")
    params = meta["params"]
    if not isinstance(params, dict):
        raise PolicyError(f"{meta_path}: 'params' must be a mapping, got {params!r}; "
                          f"{EXPORT_AGAIN}")
    nodes = params.get("nodes")
    if not (isinstance(nodes, list) and nodes and all(isinstance(n, str) for n in nodes)):
        raise PolicyError(f"{meta_path}: 'params.nodes' must be a non-empty list of fake "
                          f"backend names, got {nodes!r}; {EXPORT_AGAIN}")
    for key in PARAM_LISTS:
        value = params.get(key)
        if not (isinstance(value, list) and len(value) == len(nodes)
                and all(_is_number(v) for v in value)):
            raise PolicyError(f"{meta_path}: 'params.{key}' must be a list of {len(nodes)} "
                              f"numbers (one per node), got {value!r}; {EXPORT_AGAIN}")
    for key in PARAM_NUMBERS:
        if not (_is_number(params.get(key)) and params[key] > 0):
            raise PolicyError(f"{meta_path}: 'params.{key}' must be a positive number, got "
                              f"{params.get(key)!r}; {EXPORT_AGAIN}")
    size = observation_size(len(nodes))
    if meta["obs_size"] != size or isinstance(meta["obs_size"], bool):
        raise PolicyError(f"{meta_path}: obs_size {meta['obs_size']!r} does not match "
                          f"{len(nodes)} nodes (expected {size}); {EXPORT_AGAIN}")
    if meta.get("n_actions", len(nodes)) != len(nodes):
        raise PolicyError(f"{meta_path}: n_actions {meta['n_actions']!r} does not match "
                          f"{len(nodes)} nodes; {EXPORT_AGAIN}")


def load(path: str | Path) -> LoadedPolicy:
    """Load an exported policy folder (written by ``jobs/export_policy.py``).

    Everything a scheduler will later do with it is tried here: ``policy.json`` is parsed
    and its fields checked, ``policy.pt`` must be a TorchScript module whose content
    matches ``policy.json``'s (required) ``model_digest``, and it must map a batch of
    observations to one finite score per node.

    Raises:
        PolicyError: naming the file and the problem (a ``QrayError``; ``make_scheduler``
            turns it into a ``ConfigError`` naming the config key).
    """
    import torch

    folder = Path(path)
    meta_path, model_path = folder / META_FILE, folder / MODEL_FILE
    if not has_policy_files(folder):
        raise PolicyError(f"{folder} is not an exported policy: it needs {META_FILE} "
                          f"and {MODEL_FILE} (write one with jobs/export_policy.py)")
    try:
        meta, raw = read_policy_json(meta_path)
    except OSError as exc:
        raise PolicyError(f"{meta_path}: not readable JSON ({_short(exc)}); "
                          f"{EXPORT_AGAIN}") from None
    except PolicyJSONError as exc:
        if exc.cause is not None:
            raise PolicyError(f"{meta_path}: not readable JSON ({_short(exc.cause)}); "
                              f"{EXPORT_AGAIN}") from None
        raise PolicyError(f"{meta_path}: expected a JSON object, got "
                          f"{type(exc.value).__name__}; {EXPORT_AGAIN}") from None
    _check_meta(meta, meta_path)
    try:
        model = torch.jit.load(str(model_path), map_location="cpu")
    except Exception as exc:  # garbage, a pickle, a state dict: RuntimeError from torch
        detail = _short(exc).split(". This is an internal miniz error")[0]
        raise PolicyError(f"{model_path}: not a TorchScript module saved with "
                          f"torch.jit.save (a pickle or a state dict from torch.save is not "
                          f"one) ({detail}); {EXPORT_AGAIN}") from None
    model.eval()
    try:
        check_digest(model, meta["model_digest"])
    except DigestMismatchError as exc:
        raise PolicyError(f"{model_path} is not the model {meta_path} describes "
                          f"(model_digest {exc.digest} differs from {exc.expected}): "
                          f"{EXPORT_AGAIN}") from None
    except Exception as exc:
        raise PolicyError(f"{model_path}: cannot compute its model_digest ({_short(exc)}); "
                          f"{EXPORT_AGAIN}") from None
    policy = LoadedPolicy(model, meta)
    policy.meta_sha256 = hashlib.sha256(raw).hexdigest()
    n = policy.n_nodes
    try:
        out = np.asarray(policy.scores(np.zeros((2, meta["obs_size"]), dtype=np.float32)))
    except Exception as exc:
        raise PolicyError(f"{model_path}: does not map a batch of {meta['obs_size']} "
                          f"observation features to scores ({_short(exc)}); "
                          f"{EXPORT_AGAIN}") from None
    if out.shape != (2, n) or not np.isfinite(out).all():
        raise PolicyError(f"{model_path}: maps a batch of 2 observations to "
                          f"{'non-finite scores' if out.shape == (2, n) else out.shape}, "
                          f"expected finite scores of shape (2, {n}), one per node; "
                          f"{EXPORT_AGAIN}")
    return policy
