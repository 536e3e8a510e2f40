"""The testbed interface shared by every physics model.

A testbed has R candidate paths from S to D. A path with L links and a qubit capacity c
has *arms*: the ways of splitting c over its L links (``min_per_link`` qubits at least on
each). A model gives each arm's expected reward and draws a frame's realized reward.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from qray.netsim.bounds import check_range

#: more arms than this on one path keeps the most balanced splits
MAX_ARMS = 512
#: a testbed whose paths could have more splits than this to enumerate is refused
MAX_SPLITS = 100_000
#: most candidate paths of a testbed (each gets its own arms, learner state and context)
MAX_PATHS = 64
#: most qubits over all paths (``total_qubits``); far more than any path's splits allow
MAX_TOTAL_QUBITS = 10_000


def check_total_qubits(key: str, value: int | None) -> None:
    """``total_qubits`` is null (the default) or 1..:data:`MAX_TOTAL_QUBITS`."""
    if value is not None:
        check_range(key, value, 1, MAX_TOTAL_QUBITS, integer=True,
                    why="qubits over all paths, or null for one per link plus 2 per path")


@dataclass(frozen=True)
class PathInfo:
    """One candidate path.

    Attributes:
        nodes: node ids from S to D.
        distance: total length (km, or the model's unit).
        features: model-specific raw context ([hops, mean degree, length] for paper7).
    """

    nodes: tuple[Any, ...]
    distance: float = 0.0
    features: tuple[float, ...] = ()

    @property
    def links(self) -> int:
        return len(self.nodes) - 1


@lru_cache(maxsize=256)
def splits(capacity: int, links: int, minimum: int) -> np.ndarray:
    """Every way to put ``capacity`` qubits on ``links`` links, at least ``minimum`` each
    (rows sum to ``capacity``), at most :data:`MAX_ARMS` of them (the most balanced)."""
    free = capacity - minimum * links
    if links < 1 or free < 0:
        return np.zeros((0, max(links, 0)), dtype=np.int64)
    rows = []
    for bars in itertools.combinations(range(free + links - 1), links - 1):
        edges = (-1, *bars, free + links - 1)
        rows.append([edges[i + 1] - edges[i] - 1 + minimum for i in range(links)])
    out = np.asarray(rows, dtype=np.int64).reshape(-1, links)
    if len(out) > MAX_ARMS:
        order = np.lexsort((np.arange(len(out)), out.var(axis=1)))
        out = out[np.sort(order[:MAX_ARMS])]
    out.setflags(write=False)
    return out


def multiplexed(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Success probability of a link with per-qubit success ``p`` and ``q`` qubits."""
    return 1.0 - (1.0 - p) ** q


@dataclass
class Testbed:
    """A built testbed (topology fixed by its seed).

    Attributes:
        name: physics model name.
        paths: the candidate paths.
        baseline: per-path capacities of the ``Default`` allocator.
        min_per_link: fewest qubits an arm puts on a link (0: arms may leave a link empty).
        reward_range: (low, high) bounds of a frame's reward; learners see rewards
            rescaled to [0, 1] with it.
        fail_reward: the reward of a frame that delivers nothing (0, or paper2's
            piecewise reward of fidelity 0).
        info: description of the built topology (for rows and tests).
    """

    name: str
    paths: list[PathInfo]
    baseline: tuple[int, ...]
    min_per_link: int = 1
    reward_range: tuple[float, float] = (0.0, 1.0)
    info: dict[str, Any] = field(default_factory=dict)
    #: reward of a frame that delivers nothing (a denied path, failed links)
    fail_reward: float = 0.0

    @property
    def n_paths(self) -> int:
        return len(self.paths)

    @property
    def total_qubits(self) -> int:
        return int(sum(self.baseline))

    @property
    def min_capacity(self) -> tuple[int, ...]:
        """Fewest qubits a path can be given and still deliver (one per link)."""
        return tuple(p.links for p in self.paths)

    def arms(self, path: int, capacity: int) -> np.ndarray:
        """The arms (qubit splits, one row each) of ``path`` at ``capacity``."""
        return splits(int(capacity), self.paths[path].links, self.min_per_link)

    # -- the reward model (per physics model) ------------------------------------------
    def expected(self, path: int, arms: np.ndarray) -> np.ndarray:
        """Expected frame reward of each arm of ``path`` (no attack)."""
        raise NotImplementedError

    def draw(self, path: int, arm: np.ndarray, rng: np.random.Generator) -> float:
        """A frame's realized reward of playing ``arm`` on ``path`` (no attack)."""
        raise NotImplementedError

    def context(self, path: int, arms: np.ndarray) -> np.ndarray:
        """Features of each arm for the contextual learners: path one-hot, the model's
        path features, each link's share of the capacity and its square root, each link's
        qubits over the testbed's total (so a re-allocation changes the features), the
        smallest share, and the path's length in links."""
        max_links = max(p.links for p in self.paths)
        n = len(arms)
        onehot = np.zeros((n, self.n_paths))
        onehot[:, path] = 1.0
        share = np.zeros((n, max_links))
        absolute = np.zeros((n, max_links))
        if n:
            share[:, : arms.shape[1]] = arms / max(1, arms.sum(axis=1).max())
            absolute[:, : arms.shape[1]] = arms / max(1, self.total_qubits)
        root = np.sqrt(share)
        low = share[:, : max(1, arms.shape[1])].min(axis=1, keepdims=True) if n else np.zeros((0, 1))
        feats = np.tile(self._path_features(path), (n, 1))
        size = np.full((n, 1), self.paths[path].links / max_links)
        return np.hstack([onehot, feats, share, root, absolute, low, size])

    def _path_features(self, path: int) -> np.ndarray:
        feats = np.array([p.features for p in self.paths], dtype=float)
        if feats.size == 0 or feats.shape[1] == 0:
            return np.zeros(0)
        scale = np.abs(feats).max(axis=0)
        scale[scale == 0] = 1.0
        return feats[path] / scale

    def check_arm_counts(self, key: str) -> None:
        """ConfigError (naming ``key``) when a path could get so many qubits that its
        splits are too many to enumerate."""
        from qray.errors import ConfigError

        for i, path in enumerate(self.paths):
            most = self.total_qubits - sum(self.min_capacity) + self.min_capacity[i]
            free = most - self.min_per_link * path.links
            count = math.comb(free + path.links - 1, path.links - 1) if free >= 0 else 0
            if count > MAX_SPLITS:
                raise ConfigError(key, self.total_qubits,
                                  f"fewer qubits: path {i} could get {most} qubits over "
                                  f"{path.links} links = {count:,} splits (at most {MAX_SPLITS:,})",
                                  problem="too many qubits")

    def best_path(self, capacities: tuple[int, ...]) -> int:
        """The path whose best arm has the highest expected reward at ``capacities``."""
        best = [self.expected(p, self.arms(p, c)).max(initial=-np.inf)
                for p, c in enumerate(capacities)]
        return int(np.argmax(best))

    def describe(self) -> dict[str, Any]:
        """Plain-data description (paths, links, distances, baseline capacities)."""
        return {
            "model": self.name,
            "n_paths": self.n_paths,
            "links": [p.links for p in self.paths],
            "distance": [round(p.distance, 6) for p in self.paths],
            "baseline": list(self.baseline),
            **self.info,
        }


def uniform_capacities(minimum: tuple[int, ...], total: int) -> tuple[int, ...]:
    """Each path its minimum, the remainder spread as evenly as possible (first paths
    get the leftovers)."""
    free = total - sum(minimum)
    n = len(minimum)
    extra = [free // n + (1 if i < free % n else 0) for i in range(n)]
    return tuple(m + e for m, e in zip(minimum, extra, strict=True))


def k_shortest_paths(graph: Any, source: Any, target: Any, k: int,
                     weight: str | None = None) -> list[list[Any]]:
    """Up to ``k`` shortest simple paths (networkx's Yen), shortest first."""
    import networkx as nx

    out = []
    for path in nx.shortest_simple_paths(graph, source, target, weight=weight):
        out.append(path)
        if len(out) == k:
            break
    return out


def path_length(graph: Any, path: list[Any], weight: str) -> float:
    """Sum of an edge attribute along ``path``."""
    return float(sum(graph.edges[a, b][weight] for a, b in itertools.pairwise(path)))
