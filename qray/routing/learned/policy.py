"""An exported learned router (TorchScript + JSON), usable without Ray or RLlib.

``policy.pt`` maps (mask, observations) to masked logits; ``policy.json`` holds the
feature parameters (coupling map, window, decay), the edge order it was trained on and
``model_digest``, the content hash of ``policy.pt``'s module (code and tensors). Loading
checks all of it: a ``policy.pt`` swapped for another model, a ``policy.json`` that is not
JSON or lacks a key, or a model that does not map the map's actions, is refused with a
``ConfigError`` naming the key, never run under the name ``ppo``.
``act(env)`` computes ``EdgeFeatures`` from the env's state and takes the argmax.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from qray.errors import ConfigError
from qray.rl.policy import (
    META_FILE,
    MODEL_FILE,
    DigestMismatchError,
    PolicyJSONError,
    check_digest,
    read_policy_json,
)
from qray.routing.qgym.features import GLOBAL, PER_EDGE, FeaturePolicy

FORMAT = "qray-router/1"
ALLOWED = (f"an exported router folder: {MODEL_FILE} and {META_FILE} ({FORMAT}) written by "
           "jobs/train_router.py")
AGAIN = "export the policy again (or train it again) with jobs/train_router.py"


class PolicyFormatError(ValueError):
    """An exported router folder that is not one (the message says what is wrong)."""


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def read_meta(folder: Path) -> dict[str, Any]:
    """``policy.json`` of ``folder``, checked key by key (``PolicyFormatError``)."""
    path = folder / META_FILE
    if not folder.is_dir():
        raise PolicyFormatError("no such folder")
    if not path.is_file():
        raise PolicyFormatError(f"no {META_FILE}")
    try:
        meta, _ = read_policy_json(path)
    except PolicyJSONError as exc:
        if exc.cause is not None:
            raise PolicyFormatError(f"{META_FILE} is not valid JSON ({exc.cause})") from None
        raise PolicyFormatError(f"{META_FILE} is not a JSON object") from None
    if meta.get("format") != FORMAT:
        raise PolicyFormatError(f"{META_FILE} has format {meta.get('format')!r}, not {FORMAT!r}")
    params = meta.get("params")
    if not isinstance(params, dict):
        raise PolicyFormatError(f"{META_FILE} has no 'params' object")
    for name, ok in (("window", lambda v: _is_int(v) and v >= 0),
                     ("decay", lambda v: isinstance(v, int | float) and not isinstance(v, bool)
                      and math.isfinite(v) and 0 < v <= 1),
                     ("coupling_map", lambda v: isinstance(v, str))):
        if name not in params:
            raise PolicyFormatError(f"{META_FILE} has no 'params.{name}'")
        if not ok(params[name]):
            raise PolicyFormatError(f"{META_FILE} has an invalid 'params.{name}' "
                                    f"{params[name]!r}")
    edges = meta.get("edges")
    if not isinstance(edges, list) or not edges:
        raise PolicyFormatError(f"{META_FILE} has no 'edges' list")
    if not all(isinstance(e, list) and len(e) == 2 and all(_is_int(q) and q >= 0 for q in e)
               for e in edges):
        raise PolicyFormatError(f"{META_FILE}: 'edges' must be pairs of qubit indices")
    digest = meta.get("model_digest")
    if not isinstance(digest, str) or not digest:
        raise PolicyFormatError(f"{META_FILE} has no 'model_digest' (so {MODEL_FILE} cannot "
                                "be checked)")
    return meta


class RouterPolicy(FeaturePolicy):
    """Greedy masked-argmax router for one coupling map (the folder is checked: see
    ``read_meta``; ``policy.pt`` must be the module ``model_digest`` describes and map
    ``(mask (B, E + 1), observations (B, 4 E + 2))`` to scores ``(B, E + 1)``)."""

    def __init__(self, folder: str | Path) -> None:
        import torch

        folder = Path(folder)
        self.meta = read_meta(folder)
        params = self.meta["params"]
        super().__init__(params["window"], params["decay"])
        if not (folder / MODEL_FILE).is_file():
            raise PolicyFormatError(f"no {MODEL_FILE}")
        try:
            self.model = torch.jit.load(str(folder / MODEL_FILE), map_location="cpu")
        except Exception as exc:  # noqa: BLE001 - torch raises RuntimeError, ValueError, ...
            raise PolicyFormatError(f"{MODEL_FILE} is not a TorchScript module "
                                    f"({type(exc).__name__}: {str(exc)[:200]})") from None
        self.model.eval()
        try:
            self.model_digest = check_digest(self.model, self.meta["model_digest"])
        except DigestMismatchError as exc:
            raise PolicyFormatError(
                f"{MODEL_FILE} is not the model {META_FILE} describes (model_digest "
                f"{exc.digest} != {exc.expected})") from None
        self.name = str(self.meta.get("name", "ppo"))
        self.edges = [tuple(e) for e in self.meta["edges"]]
        n_actions = len(self.edges) + 1
        self.fast: Any = None  # set below, once the module is known to take our inputs
        try:
            out = self.scores(np.ones((1, n_actions), np.float32),
                              np.zeros((1, PER_EDGE * len(self.edges) + GLOBAL), np.float32))
        except Exception as exc:  # noqa: BLE001 - whatever the module raises
            raise PolicyFormatError(f"{MODEL_FILE} does not take (mask, observations) of "
                                    f"{len(self.edges)} edges ({type(exc).__name__}: "
                                    f"{str(exc)[:200]})") from None
        if np.shape(out) != (1, n_actions):
            raise PolicyFormatError(f"{MODEL_FILE} returns scores of shape {np.shape(out)}, "
                                    f"not (1, {n_actions}) for {len(self.edges)} edges")
        from qray.routing.learned.fast_scorer import numpy_scorer

        #: the same network in NumPy where it reproduces the module (``fast_scorer``)
        self.fast = numpy_scorer(self.model, len(self.edges))

    def scores(self, mask: np.ndarray, obs: np.ndarray) -> np.ndarray:
        import torch

        if self.fast is not None:
            return self.fast(np.asarray(mask, np.float32), np.asarray(obs, np.float32))
        with torch.no_grad():
            out = self.model(torch.from_numpy(np.asarray(mask, np.float32)),
                             torch.from_numpy(np.asarray(obs, np.float32)))
        return out.numpy()

    def act(self, env: Any) -> int:
        state = env.state
        if self._state is not state and _edge_set(state.edges) != _edge_set(self.edges):
            raise ValueError(f"policy {self.name} was trained on another connection graph")
        mask, obs = self.features(state).compute(state)
        return int(np.argmax(self.scores(mask[None], obs[None])[0]))


def load_policy(folder: str | Path, graph: nx.Graph | None = None, *, key: str = "policy",
                coupling_map: str | None = None, search_width: int = 0,
                search_horizon: int | None = None) -> Any:
    """Load an exported router; with ``graph`` it must have been trained on its edges.
    A qgym-mode policy is a step policy (``act(env)``); a front-layer one (``env.mode:
    front``) a whole-circuit router, greedy or, with ``search_width``, the search over its
    best ``search_width`` SWAPs with its own rollouts. Every problem is a ``ConfigError``
    naming ``key`` and the folder."""
    try:
        policy = RouterPolicy(folder)
    except PolicyFormatError as exc:
        digest = "model_digest" in str(exc)
        raise ConfigError(key, str(folder), ALLOWED, problem=f"cannot load ({exc}):",
                          hint=AGAIN if digest else None) from None
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise ConfigError(key, str(folder), ALLOWED,
                          problem=f"cannot load ({type(exc).__name__}: {exc}):") from None
    from qray.routing.front.features import FRONT_FEATURES_VERSION
    from qray.routing.qgym.features import FEATURES_VERSION

    front = policy.meta["params"].get("mode") == "front"
    expected = FRONT_FEATURES_VERSION if front else FEATURES_VERSION
    version = policy.meta["params"].get("features", 1)
    if version != expected:
        raise ConfigError(key, str(folder), f"a policy trained on features version "
                          f"{expected} (retrain with jobs/train_router.py)",
                          problem=f"was trained on features version {version}:")
    if graph is not None and _edge_set(graph.edges) != _edge_set(policy.edges):
        trained = policy.meta["params"]["coupling_map"]
        raise ConfigError(key, str(folder), f"a policy trained on {coupling_map or 'this map'}",
                          problem=f"was trained on {trained}:")
    if front or search_width:
        if not front:
            raise ConfigError(key, str(folder), "a front-layer policy (env.mode: front) for "
                              "policy-search", problem="is a qgym-mode policy:")
        from qray.routing.front.router import FrontLayerRouter
        from qray.routing.learned.scorer import PolicyScorer

        name = policy.name if not search_width else f"{policy.name}-search-{search_width}"
        router = FrontLayerRouter(search_width, search_horizon, scorer=PolicyScorer(policy),
                                  name=name)
        router.model_digest = policy.model_digest
        router.meta = policy.meta
        return router
    return policy


def _edge_set(edges: Any) -> set[frozenset[int]]:
    """A map's edges, whatever their order and orientation: the policy scores each edge
    with one shared network, so only the set of edges must match."""
    return {frozenset((int(u), int(v))) for u, v in edges}


#: policies loaded in this process, by folder, its files' sizes and times, the map's edges
#: and the search settings (``route(..., "policy:<folder>")`` loads a TorchScript model
#: once, not on every call)
_POLICIES: dict[tuple, Any] = {}
MAX_CACHED_POLICIES = 16


def cached_policy(folder: str, graph: nx.Graph | None, *, key: str, search_width: int = 0,
                  search_horizon: int | None = None) -> Any:
    """:func:`load_policy`, cached per process; a folder whose files changed (re-exported)
    is loaded again."""
    root = Path(folder).expanduser()
    try:
        files = tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                             for p in root.iterdir() if p.is_file()))
    except OSError:  # no such folder: load_policy says so with the key
        return load_policy(folder, graph, key=key, search_width=search_width,
                           search_horizon=search_horizon)
    edges = None if graph is None else frozenset(frozenset(e) for e in graph.edges)
    ident = (str(root.resolve()), files, edges, search_width, search_horizon)
    if ident not in _POLICIES:
        if len(_POLICIES) >= MAX_CACHED_POLICIES:
            _POLICIES.pop(next(iter(_POLICIES)))
        _POLICIES[ident] = load_policy(folder, graph, key=key, search_width=search_width,
                                       search_horizon=search_horizon)
    return _POLICIES[ident]


def policy_router(folder: str, graph: nx.Graph | None = None, *, key: str = "policy",
                  width: int = 0, search_horizon: int | None = None) -> Any:
    """``policy:<folder>`` (``width`` 0) and ``policy-search-<width>:<folder>``: the
    exported policy, greedy or as the prior of the search (cached per process)."""
    return cached_policy(folder, graph, key=key, search_width=width,
                         search_horizon=search_horizon)
