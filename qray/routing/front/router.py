"""Front-layer routers: ``front-greedy`` and ``front-search-<width>``.

Both score a SWAP as SABRE's decay heuristic does, on the front layer (the mean distance of
the front gates after the SWAP) plus ``weight`` x the mean distance of the extended set (the
next ``extended`` gates of the DAG), scaled by the decay of the two qubits (each SWAP adds
``decay_step`` to them; reset when a gate runs). ``front-greedy`` takes the best-scored
SWAP (ties: lowest edge index; the SWAP just made is never undone). ``front-search-<width>``
searches at every step: each of the ``width`` best-scored SWAPs is tried and the routing
finished from there greedily (a rollout), and the SWAP whose rollout needs the fewest SWAPs
in all is taken; ``horizon`` caps a rollout at that many SWAPs, the rest estimated by the
front layer's remaining distance. The scorer is the prior of the search: a learned
front-layer policy can take its place.

Both are whole-circuit routers (``route_circuit``), so ``bridge.route`` verifies what they
return like SABRE's.
"""

from __future__ import annotations

import time
from typing import Any

import networkx as nx
import numpy as np

from qray.routing.circuits.result import RoutedCircuit, RoutingFailedError
from qray.routing.front.state import FrontLayerState, FrontTopology
from qray.routing.front.writer import front_dag, write_routed


class DecayScorer:
    """SABRE's decay heuristic over the candidate SWAPs of a front-layer state."""

    def __init__(self, extended: int = 20, weight: float = 0.5, decay_step: float = 0.001,
                 decay_reset: int = 5) -> None:
        self.extended = int(extended)
        self.weight = float(weight)
        self.decay_step = float(decay_step)
        self.decay_reset = int(decay_reset)

    def scores(self, state: FrontLayerState, decay: np.ndarray) -> tuple[np.ndarray,
                                                                         np.ndarray]:
        """(candidate edge indices, their scores; lower is better)."""
        topo = state.topo
        cand = np.array(state.candidate_edges(), dtype=np.int64)
        eu, ev = topo.eu[cand][:, None, None], topo.ev[cand][:, None, None]

        def cost(phys: np.ndarray) -> np.ndarray:
            if phys.size == 0:
                return np.zeros(len(cand))
            p = phys[None, :, :]
            moved = np.where(p == eu, ev, np.where(p == ev, eu, p))
            return topo.distance[moved[..., 0], moved[..., 1]].sum(axis=1) / len(phys)

        front = state.front_pairs()
        ext = state.lookahead(self.extended)
        ext_phys = (state.where[state.pairs[ext]] if ext
                    else np.zeros((0, 2), dtype=np.int64))
        total = cost(front) + self.weight * cost(ext_phys)
        scale = np.maximum(decay[topo.eu[cand]], decay[topo.ev[cand]])
        return cand, total * scale


def greedy_step(state: FrontLayerState, scorer: DecayScorer, decay: np.ndarray,
                since_reset: list[int]) -> int:
    """The greedy SWAP (edge index) for ``state``."""
    cand, score = scorer.scores(state, decay)
    if state.last_swap is not None and len(cand) > 1:
        p, q = state.last_swap
        undo = (state.topo.eu[cand] == p) & (state.topo.ev[cand] == q) | (
            (state.topo.eu[cand] == q) & (state.topo.ev[cand] == p))
        score = np.where(undo, np.inf, score)
    return int(cand[int(np.argmin(score))])


class FrontRun:
    """Greedy routing of one state with its decay bookkeeping and a release valve."""

    def __init__(self, state: FrontLayerState, scorer: DecayScorer) -> None:
        self.state = state
        self.scorer = scorer
        self.decay = np.ones(state.topo.n)
        self.since_reset = [0]
        self.stall = 0

    def copy(self) -> FrontRun:
        new = object.__new__(FrontRun)
        new.state, new.scorer = self.state.copy(), self.scorer
        new.decay, new.since_reset, new.stall = self.decay.copy(), list(self.since_reset), \
            self.stall
        return new

    def apply(self, edge: int) -> None:
        self.note(edge, self.state.swap(edge))

    def note(self, edge: int, ran: int, release: bool = True) -> None:
        """The decay bookkeeping after the SWAP on ``edge`` that let ``ran`` gates run (and,
        with ``release``, the release valve when the SWAPs stall)."""
        s = self.state
        p, q = s.topo.edges[edge]
        if ran:
            self.decay[:] = 1.0
            self.since_reset[0] = 0
            self.stall = 0
            return
        self.stall += 1
        self.since_reset[0] += 1
        if self.since_reset[0] >= self.scorer.decay_reset:
            self.decay[:] = 1.0
            self.since_reset[0] = 0
        else:
            self.decay[p] += self.scorer.decay_step
            self.decay[q] += self.scorer.decay_step
        if release and self.stall > 3 * s.topo.diameter + 10:  # route the nearest gate
            self.release()

    def release(self) -> None:
        s = self.state
        front = s.front_pairs()
        dist = s.topo.distance[front[:, 0], front[:, 1]]
        a, b = (int(x) for x in front[int(np.argmin(dist))])
        path = nx.shortest_path(s.topo.graph, a, b)
        index = {frozenset(e): i for i, e in enumerate(s.topo.edges)}
        for u, v in zip(path[:-2], path[1:-1], strict=True):
            if s.is_done():
                break
            s.swap(index[frozenset((u, v))])
        self.decay[:] = 1.0
        self.stall = 0

    def step_greedy(self) -> None:
        self.apply(greedy_step(self.state, self.scorer, self.decay, self.since_reset))

    def finish(self, horizon: int | None, max_swaps: int) -> float:
        """Greedy to the end (or ``horizon`` more SWAPs, then estimate): total SWAPs."""
        start = self.state.swaps
        while not self.state.is_done():
            if horizon is not None and self.state.swaps - start >= horizon:
                front = self.state.front_pairs()
                left = self.state.topo.distance[front[:, 0], front[:, 1]] - 1
                return float(self.state.swaps + left.sum())
            if self.state.swaps >= max_swaps:
                return float("inf")
            self.step_greedy()
        return float(self.state.swaps)


class FrontLayerRouter:
    """``front-greedy`` (``width`` 0) or ``front-search-<width>``."""

    def __init__(self, width: int = 0, horizon: int | None = None,
                 scorer: Any = None, name: str | None = None) -> None:
        if int(width) < 0:
            raise ValueError(f"width must be >= 0, got {width}")
        if horizon is not None and int(horizon) < 1:
            raise ValueError(f"horizon must be >= 1 or None, got {horizon}")
        self.width = int(width)
        self.horizon = None if horizon is None else int(horizon)
        self.scorer = scorer or DecayScorer()
        self.name = name or (f"front-search-{self.width}" if self.width else "front-greedy")

    def route_circuit(self, circuit: Any, graph: nx.Graph) -> RoutedCircuit:
        started = time.perf_counter()
        n = graph.number_of_nodes()
        if circuit.num_qubits > n:
            raise ValueError(f"circuit has {circuit.num_qubits} qubits; the coupling map "
                             f"has {n}")
        topo = FrontTopology(graph)
        pairs, preds = front_dag(circuit)
        run = self.start(FrontLayerState(topo, pairs, preds=preds))
        cap = 4 * topo.diameter * max(len(pairs), 1) + 10
        while not run.state.is_done():
            if run.state.swaps >= cap:
                raise RoutingFailedError(f"{self.name} did not route the circuit within "
                                         f"{cap} SWAPs")
            run.apply(self.choose(run, cap))
        routed, final = write_routed(circuit, run.state.events, n)
        return RoutedCircuit(routed, list(range(circuit.num_qubits)), final,
                             run.state.swaps, time.perf_counter() - started, self.name,
                             steps=run.state.steps)

    def start(self, state: FrontLayerState) -> FrontRun:
        """A run of this router's scorer on ``state`` (which it routes in place)."""
        return FrontRun(state, self.scorer)

    def choose(self, run: FrontRun, cap: int) -> int:
        """The SWAP (edge index) this router takes in ``run``'s state; ``cap`` bounds a
        search's rollouts (a rollout past it counts as infinitely many SWAPs)."""
        if not self.width:
            return greedy_step(run.state, self.scorer, run.decay, run.since_reset)
        return self._search(run, cap)

    def _search(self, run: FrontRun, cap: int) -> int:
        cand, score = self.scorer.scores(run.state, run.decay)
        order = np.argsort(score, kind="stable")[:self.width]
        best, best_edge = float("inf"), int(cand[order[0]])
        for i in order:
            edge = int(cand[i])
            trial = run.copy()
            trial.apply(edge)
            total = trial.finish(self.horizon, cap)
            if total < best:
                best, best_edge = total, edge
        return best_edge
