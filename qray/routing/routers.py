"""Routers by name: ``sabre-<trials>``, ``lookahead``, ``policy:<folder>``, the search with
a front-layer policy as its prior ``policy-search-<width>:<folder>`` (``policy-search:<folder>``:
width ``DEFAULT_SEARCH_WIDTH``), and the front-layer ``front-greedy`` and
``front-search-<width>``."""

from __future__ import annotations

from typing import Any

import networkx as nx

from qray.errors import ConfigError

ROUTER_NAMES = ("sabre-1", "sabre-20", "sabre-<trials>", "lookahead", "policy:<folder>",
                "policy-search:<folder>", "policy-search-<width>:<folder>", "front-greedy",
                "front-search-<width>")
POLICY_PREFIX = "policy:"
SEARCH_PREFIX = "policy-search-"
#: the width of ``policy-search:<folder>``
DEFAULT_SEARCH_WIDTH = 4


#: policies loaded in this process, by folder, its files' sizes and times, the map's edges
#: and the search settings (``route(..., "policy:<folder>")`` loads a TorchScript model
#: once, not on every call)
_POLICIES: dict[tuple, Any] = {}
MAX_CACHED_POLICIES = 16


def cached_policy(folder: str, graph: nx.Graph | None, *, key: str, search_width: int = 0,
                  search_horizon: int | None = None) -> Any:
    """:func:`qray.routing.policy.load_policy`, cached per process; a folder whose files
    changed (re-exported) is loaded again."""
    from pathlib import Path

    from qray.routing.policy import load_policy

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


def canonical_router(spec: str, key: str = "router") -> str:
    """The one spelling of a router's name (``sabre-04`` is ``sabre-4``,
    ``front-search-+2`` is ``front-search-2``); checked by :func:`make_router`'s rules,
    a ConfigError naming ``key`` for an unknown one (policies are not loaded here)."""
    spec = str(spec)
    for prefix in ("sabre-", "front-search-"):
        rest = spec[len(prefix):]
        if spec.startswith(prefix) and rest.strip().lstrip("+").isdigit() \
                and int(rest) >= 1:
            return f"{prefix}{int(rest)}"
    if spec.startswith(SEARCH_PREFIX) and ":" in spec:
        width, folder = spec[len(SEARCH_PREFIX):].split(":", 1)
        if width.strip().lstrip("+").isdigit() and int(width) >= 1:
            return f"{SEARCH_PREFIX}{int(width)}:{folder}"
    if spec in ("lookahead", "front-greedy") or spec.startswith(
            (POLICY_PREFIX, "policy-search:")):
        return spec
    raise ConfigError(key, spec, list(ROUTER_NAMES), problem="unknown router")


def make_router(spec: str, graph: nx.Graph | None = None, *, key: str = "router",
                seed: int = 2024, search_horizon: int | None = None) -> Any:
    """A router from its name. A policy must have been trained on ``graph``'s edges."""
    if spec.startswith(POLICY_PREFIX):
        return cached_policy(spec[len(POLICY_PREFIX):], graph, key=key)
    if spec.startswith("policy-search:"):
        spec = f"{SEARCH_PREFIX}{DEFAULT_SEARCH_WIDTH}:{spec[len('policy-search:'):]}"
    if spec.startswith(SEARCH_PREFIX) and ":" in spec:
        width, folder = spec[len(SEARCH_PREFIX):].split(":", 1)
        if width.isdigit() and int(width) >= 1:
            return cached_policy(folder, graph, key=key, search_width=int(width),
                                 search_horizon=search_horizon)
    if spec == "lookahead":
        from qray.routing.lookahead import LookaheadPolicy

        return LookaheadPolicy()
    if spec == "front-greedy" or spec.startswith("front-search-"):
        from qray.routing.front_routers import FrontLayerRouter

        width = 0 if spec == "front-greedy" else spec[len("front-search-"):]
        if str(width).isdigit() and (spec == "front-greedy" or int(width) >= 1):
            return FrontLayerRouter(int(width))
    if spec.startswith("sabre-"):
        from qray.routing.sabre import SabreRouter

        try:
            trials = int(spec[len("sabre-"):])
        except ValueError:
            trials = 0
        if trials >= 1:
            return SabreRouter(trials, seed)
    raise ConfigError(key, spec, list(ROUTER_NAMES), problem="unknown router")
