"""Routers by name: :data:`TABLE` is the one list :func:`make_router` (and so
``bridge.route``, the sweep and the Qiskit pass) reads.

A pattern's ``<name>`` parts are integers >= 1, except ``<folder>`` (an exported policy
folder). The target ``module:attr`` is called with those parts as keywords, the entry's
fixed keywords, and whichever of ``graph``, ``seed``, ``key`` and ``search_horizon`` its
signature names. A new router is one module plus one line here.
"""

from __future__ import annotations

import importlib
import inspect
import re
from functools import cache
from typing import Any

import networkx as nx

from qray.errors import ConfigError

#: the width of ``policy-search:<folder>``
DEFAULT_SEARCH_WIDTH = 4
_POLICY = "qray.routing.learned.policy:policy_router"

#: name pattern -> (``module:callable`` that builds the router, fixed keywords)
TABLE: dict[str, tuple[str, dict[str, int]]] = {
    "sabre-<trials>": ("qray.routing.routers.sabre:SabreRouter", {}),
    "lookahead": ("qray.routing.routers.lookahead:LookaheadPolicy", {}),
    "front-greedy": ("qray.routing.front.router:FrontLayerRouter", {"width": 0}),
    "front-search-<width>": ("qray.routing.front.router:FrontLayerRouter", {}),
    "policy:<folder>": (_POLICY, {}),
    "policy-search:<folder>": (_POLICY, {"width": DEFAULT_SEARCH_WIDTH}),
    "policy-search-<width>:<folder>": (_POLICY, {}),
}
ROUTER_NAMES = tuple(TABLE)
#: what a target may ask for besides the name's parts
CONTEXT = ("graph", "seed", "key", "search_horizon")
_PART = re.compile(r"<(\w+)>")


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    out, last = [], 0
    for m in _PART.finditer(pattern):
        out.append(re.escape(pattern[last:m.start()]))
        part = m.group(1)
        out.append(f"(?P<{part}>.+)" if part == "folder" else rf"(?P<{part}>\s*\+?\d+\s*)")
        last = m.end()
    return re.compile("".join(out) + re.escape(pattern[last:]))



def parse_router(spec: str, key: str = "router") -> tuple[str, dict[str, Any]]:
    """The table entry ``spec`` names and its parts (integers as ``int``); a ConfigError
    naming ``key`` for a name no pattern matches."""
    spec = str(spec)
    for pattern in TABLE:
        m = _regex(pattern).fullmatch(spec)
        if m is None:
            continue
        parts = {k: v if k == "folder" else int(v) for k, v in m.groupdict().items()}
        if all(v >= 1 for k, v in parts.items() if k != "folder"):
            return pattern, parts
    raise ConfigError(key, spec, list(TABLE), problem="unknown router")


def canonical_router(spec: str, key: str = "router") -> str:
    """The one spelling of a router's name (``sabre-04`` is ``sabre-4``,
    ``front-search-+2`` is ``front-search-2``); a ConfigError naming ``key`` for an
    unknown one (policies are not loaded here)."""
    pattern, parts = parse_router(spec, key)
    return _PART.sub(lambda m: str(parts[m.group(1)]), pattern)


def make_router(spec: str, graph: nx.Graph | None = None, *, key: str = "router",
                seed: int = 2024, search_horizon: int | None = None) -> Any:
    """A router from its name. A policy must have been trained on ``graph``'s edges."""
    pattern, parts = parse_router(spec, key)
    target, fixed = TABLE[pattern]
    module, attr = target.split(":")
    build = getattr(importlib.import_module(module), attr)
    context = {"graph": graph, "seed": seed, "key": key, "search_horizon": search_horizon}
    wanted = inspect.signature(build).parameters
    return build(**parts, **fixed, **{k: v for k, v in context.items() if k in wanted})
