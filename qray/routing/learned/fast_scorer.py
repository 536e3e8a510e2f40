"""A NumPy copy of an exported edge scorer, for search (thousands of one-state calls).

The returned scorer maps (mask, observations) to masked logits as the module does; its
``edges(feats, glob)`` scores only some edges (their PER_EDGE features and the GLOBAL
ones), which is all a search needs (``FrontFeatures.compute_live``).

A search calls the policy once per rollout step on a single state, where TorchScript's
per-call overhead (about 0.3 ms) dwarfs the network. ``numpy_scorer(model, n_edges)``
rebuilds the exported network in NumPy from its parameters when they have the edge
scorer's layout (``edge.<i>`` and ``surpass.<i>`` linear layers with ReLU between them,
``actors.routing.module.EdgeScorer``), and keeps it only if it reproduces the TorchScript
module's scores on random probe inputs; otherwise it returns None and the caller keeps
TorchScript. The probe makes the copy safe for any module: one that merely has these
parameter names but computes something else fails it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from qray.routing.qgym.features import GLOBAL, PER_EDGE

_FLOAT_MIN = float(np.finfo(np.float32).min)


def _layers(params: dict[str, np.ndarray], prefix: str) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    i = 0
    while f"{prefix}.{i}.weight" in params:
        out.append((params[f"{prefix}.{i}.weight"].T.copy(), params[f"{prefix}.{i}.bias"]))
        i += 2  # Linear, ReLU, Linear, ...
    return out


def _mlp(layers: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray) -> np.ndarray:
    for j, (w, b) in enumerate(layers):
        x = x @ w + b
        if j < len(layers) - 1:
            np.maximum(x, 0.0, out=x)
    return x


class NumpyEdgeScorer:
    """The edge scorer's layers in NumPy: ``(mask, observations) -> masked logits``."""

    def __init__(self, edge: list[tuple[np.ndarray, np.ndarray]],
                 surpass: list[tuple[np.ndarray, np.ndarray]], n_edges: int) -> None:
        self.edge, self.surpass, self.n_edges = edge, surpass, n_edges

    def __call__(self, mask: np.ndarray, obs: np.ndarray) -> np.ndarray:
        b, n = obs.shape[0], self.n_edges
        per_edge = obs[:, :PER_EDGE * n].reshape(b, PER_EDGE, n).transpose(0, 2, 1)
        glob = obs[:, PER_EDGE * n:]
        ctx = np.broadcast_to(glob[:, None, :], (b, n, GLOBAL))
        swap = _mlp(self.edge, np.concatenate([per_edge, ctx], axis=-1))[..., 0]
        logits = np.concatenate([swap, _mlp(self.surpass, glob)], axis=-1)
        with np.errstate(divide="ignore"):
            return logits + np.maximum(np.log(mask), _FLOAT_MIN)

    def edges(self, feats: np.ndarray, glob: np.ndarray) -> np.ndarray:
        """The SWAP logits of the edges whose features are ``feats`` (c, PER_EDGE)."""
        x = np.concatenate([feats, np.broadcast_to(glob, (len(feats), GLOBAL))], axis=1)
        return _mlp(self.edge, x)[:, 0]


def numpy_scorer(model: Any, n_edges: int, probes: int = 64,
                 seed: int = 0) -> NumpyEdgeScorer | None:
    """The NumPy scorer equal to ``model`` (TorchScript), or None."""
    import torch

    params = {k: v.detach().cpu().numpy().astype(np.float32)
              for k, v in model.named_parameters()}
    edge, surpass = _layers(params, "edge"), _layers(params, "surpass")
    used = 2 * (len(edge) + len(surpass))
    if not edge or not surpass or used != len(params):
        return None
    if edge[0][0].shape[0] != PER_EDGE + GLOBAL or surpass[0][0].shape[0] != GLOBAL:
        return None

    score = NumpyEdgeScorer(edge, surpass, n_edges)
    rng = np.random.default_rng(seed)
    mask = (rng.random((probes, n_edges + 1)) < 0.7).astype(np.float32)
    obs = rng.normal(size=(probes, PER_EDGE * n_edges + GLOBAL)).astype(np.float32)
    try:
        with torch.no_grad():
            want = model(torch.from_numpy(mask), torch.from_numpy(obs)).numpy()
        got = score(mask, obs)
    except Exception:  # noqa: BLE001 - any mismatch of shapes: keep TorchScript
        return None
    live = mask > 0
    if got.shape != want.shape or not np.allclose(got[live], want[live], rtol=1e-4,
                                                   atol=1e-4):
        return None
    if not (got[~live] < -1e30).all():
        return None
    return score
