"""Routers by name: ``sabre-<trials>``, ``lookahead`` and ``policy:<folder>``."""

from __future__ import annotations

from typing import Any

import networkx as nx

from qray.errors import ConfigError

ROUTER_NAMES = ("sabre-1", "sabre-20", "sabre-<trials>", "lookahead", "policy:<folder>")
POLICY_PREFIX = "policy:"


def make_router(spec: str, graph: nx.Graph | None = None, *, key: str = "router",
                seed: int = 2024) -> Any:
    """A router from its name. A policy must have been trained on ``graph``'s edges."""
    if spec.startswith(POLICY_PREFIX):
        from qray.routing.policy import load_policy

        return load_policy(spec[len(POLICY_PREFIX):], graph, key=key)
    if spec == "lookahead":
        from qray.routing.lookahead import LookaheadPolicy

        return LookaheadPolicy()
    if spec.startswith("sabre-"):
        from qray.routing.sabre import SabreRouter

        try:
            trials = int(spec[len("sabre-"):])
        except ValueError:
            trials = 0
        if trials >= 1:
            return SabreRouter(trials, seed)
    raise ConfigError(key, spec, list(ROUTER_NAMES), problem="unknown router")
