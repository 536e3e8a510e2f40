"""Inference-only schedulers exported from RLlib: torch and numpy, no Ray, no Gymnasium.

An exported policy is a folder with ``policy.pt`` (a TorchScript module mapping a batch of
observations to one score per node: Q-values for DQN, logits for PPO) and ``policy.json``
(the observation's preprocessing parameters and where the policy came from). ``load(path)``
returns a ``LoadedPolicy`` whose ``choose(state)`` maps a task and the nodes' states to a
node index, and which also acts as a scheduler in ``qray.cloud.evaluate``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from qray.cloud.features import observation_from_state, observation_size

FORMAT = "qray-cloud-policy/1"
MODEL_FILE = "policy.pt"
META_FILE = "policy.json"


class LoadedPolicy:
    """A scheduler backed by an exported TorchScript module (greedy in its scores)."""

    def __init__(self, model: Any, meta: dict[str, Any]) -> None:
        self.model = model
        self.meta = meta
        self.params = meta["params"]
        self.name = meta.get("name", meta["algorithm"])
        self.n_nodes = len(self.params["nodes"])

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


def model_digest(model: Any) -> str:
    """A content hash of a TorchScript module: its code and every tensor. (The bytes of a
    saved TorchScript file differ between two saves of the same module.)"""
    import hashlib

    h = hashlib.sha256(model.code.encode())
    for name, tensor in sorted(model.state_dict().items()):
        h.update(name.encode())
        h.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()[:32]


def load(path: str | Path) -> LoadedPolicy:
    """Load an exported policy folder (written by ``jobs/export_policy.py``)."""
    import torch

    folder = Path(path)
    meta_path, model_path = folder / META_FILE, folder / MODEL_FILE
    if not meta_path.is_file() or not model_path.is_file():
        raise FileNotFoundError(f"{folder} is not an exported policy: it needs {META_FILE} "
                                f"and {MODEL_FILE} (write one with jobs/export_policy.py)")
    meta = json.loads(meta_path.read_text())
    if meta.get("format") != FORMAT:
        raise ValueError(f"{meta_path}: format {meta.get('format')!r}, expected {FORMAT!r}")
    if meta["obs_size"] != observation_size(len(meta["params"]["nodes"])):
        raise ValueError(f"{meta_path}: obs_size {meta['obs_size']} does not match "
                         f"{len(meta['params']['nodes'])} nodes")
    model = torch.jit.load(str(model_path), map_location="cpu")
    model.eval()
    if "model_digest" in meta and model_digest(model) != meta["model_digest"]:
        raise ValueError(f"{model_path} is not the model {meta_path} describes "
                         "(model_digest differs): export the policy again")
    return LoadedPolicy(model, meta)
