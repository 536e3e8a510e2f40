"""The Qiskit bridge: ``route(circuit, coupling_map, policy)`` -> routed circuit + layout.

Any policy routes through the same bridge: a step policy (``act(env) -> action``: the
exported RL policy, the lookahead baseline) drives a ``Routing`` env over the circuit's
two-qubit gates; a whole-circuit router (``route_circuit``: SABRE) routes the DAG itself.
Circuits are placed with the trivial layout (logical i on physical i).
"""

from __future__ import annotations

import time
from typing import Any, Protocol

import networkx as nx

from qray.routing.circuits.graphs import to_graph
from qray.routing.circuits.io import UNROUTED, expand, interactions, load_circuit, routable
from qray.routing.circuits.result import RoutedCircuit, RoutingFailedError, UnverifiedRoutingError

__all__ = ["RoutedCircuit", "RoutingFailedError", "StepPolicy", "UnverifiedRoutingError",
           "expand", "insert_swaps", "route", "route_with_policy", "to_graph"]


class StepPolicy(Protocol):
    name: str

    def act(self, env: Any) -> int: ...


def insert_swaps(circuit: Any, swaps: list[tuple[int, int, int]], n_physical: int) -> tuple[
        Any, list[int]]:
    """The routed circuit of ``circuit`` with the env's SWAPs ``(gate index, logical a,
    logical b)`` placed before the two-qubit gate of that index, counting two-qubit gates in
    ``circuit.data`` order (``circuits.io.interactions``' order); returns it and the final
    layout (logical -> physical)."""
    from qiskit import QuantumCircuit
    from qiskit.circuit.library import SwapGate

    where = list(range(n_physical))
    qindex = {q: i for i, q in enumerate(circuit.qubits)}
    cindex = {c: i for i, c in enumerate(circuit.clbits)}
    out = QuantumCircuit(n_physical, circuit.num_clbits, global_phase=circuit.global_phase)
    qubits, clbits = out.qubits, out.clbits
    pending = sorted(swaps, key=lambda s: s[0])  # stable: keeps the env's order per gate
    nxt = 0
    gate = 0

    def flush(upto: int) -> None:
        nonlocal nxt
        while nxt < len(pending) and pending[nxt][0] <= upto:
            _, a, b = pending[nxt]
            out.append(SwapGate(), [qubits[where[a]], qubits[where[b]]])
            where[a], where[b] = where[b], where[a]
            nxt += 1

    for inst in circuit.data:
        if inst.operation.name not in UNROUTED and len(inst.qubits) == 2:
            flush(gate)
            gate += 1
        out.append(inst.operation, [qubits[where[qindex[q]]] for q in inst.qubits],
                   [clbits[cindex[c]] for c in inst.clbits])
    flush(gate)
    return out, where[:circuit.num_qubits]


def route_with_policy(circuit: Any, graph: nx.Graph, policy: StepPolicy, *,
                      max_steps: int | None = None) -> RoutedCircuit:
    """Drive a ``Routing`` env over ``circuit``'s two-qubit gates with ``policy``."""
    from qray.routing.qgym.env import Routing
    from qray.routing.qgym.generators import NullInteractionGenerator

    started = time.perf_counter()
    n = graph.number_of_nodes()
    if circuit.num_qubits > n:
        raise ValueError(f"circuit has {circuit.num_qubits} qubits; the coupling map has {n}")
    env = Routing(graph, NullInteractionGenerator(),
                  max_observation_reach=getattr(policy, "reach", 5), max_steps=max_steps)
    env.reset(options={"interaction_circuit": interactions(circuit)})
    done = env.state.is_done()
    while not done:
        _, _, done, truncated, _ = env.step(policy.act(env))
        if truncated:
            raise RoutingFailedError(
                f"{getattr(policy, 'name', policy)} did not route the circuit within "
                f"{env.step_cap} steps ({env.state.position} of "
                f"{len(env.state.interaction_circuit)} gates)")
    swaps = list(env.state.swap_gates_inserted)
    routed, final = insert_swaps(circuit, swaps, n)
    return RoutedCircuit(routed, list(range(circuit.num_qubits)), final, len(swaps),
                         time.perf_counter() - started, getattr(policy, "name", "policy"),
                         steps=env.state.steps_done)


def route(circuit: Any, coupling_map: Any, policy: Any, *, max_steps: int | None = None,
          check: bool = True) -> RoutedCircuit:
    """Route ``circuit`` (a ``QuantumCircuit``, QASM file or string) on ``coupling_map``
    with ``policy``: ``"sabre-1"``, ``"sabre-20"``, ``"lookahead"``, an exported policy
    folder (``"policy:<folder>"``), a router (``route_circuit``) or a step policy
    (``act(env)``). SWAPs already in the circuit are written as three CX first, so every
    SWAP of the result was inserted by the router. A circuit with control flow is refused
    (``circuits.io.ControlFlowError``).

    With ``check`` (the default) the result is verified (adjacency and SWAP replay, any
    size; no ``Operator``) and a circuit that fails is never returned:
    ``UnverifiedRoutingError`` is raised with the problems. ``check=False`` is for callers
    that verify themselves (the sweep's worker, which records the result as a row)."""
    from qray.routing.routers import make_router

    graph = to_graph(coupling_map)
    circ = routable(load_circuit(circuit))
    router = make_router(policy, graph) if isinstance(policy, str) else policy
    if hasattr(router, "route_circuit"):
        result = router.route_circuit(circ, graph)
    else:
        result = route_with_policy(circ, graph, router, max_steps=max_steps)
    if check:
        from qray.routing.circuits.verify import verify

        verdict = verify(circ, result, graph, operator_max_qubits=0)
        if not verdict.ok:
            raise UnverifiedRoutingError(
                f"{result.router} returned a routed circuit that fails verification: "
                f"{'; '.join(verdict.problems)[:1000]}", result, verdict.problems)
        result.extra["verified"] = True
    return result
