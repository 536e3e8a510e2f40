"""Guards of the bridge and the verifier: control flow is refused, ``route`` never returns a
routed circuit that fails verification, the ``Operator`` check is bounded and a failed
Operator build is a verification failure (not "not checked"); map sizes and MQT Bench
names are checked before anything is built."""

from __future__ import annotations

import pytest
from qiskit import QuantumCircuit
from qiskit.circuit import Gate

from qray.errors import ConfigError
from qray.routing.bridge import RoutedCircuit, UnverifiedRoutingError, route
from qray.routing.circuits.benchmarks import (
    MQT_BENCHMARKS,
    benchmark_circuit,
    check_family,
    mqt_available,
)
from qray.routing.circuits.graphs import MAX_MAP_QUBITS, coupling_graph
from qray.routing.circuits.io import ControlFlowError, routable
from qray.routing.circuits.verify import OPERATOR_QUBIT_LIMIT, check_operator_max_qubits, verify


def _if_else() -> QuantumCircuit:
    qc = QuantumCircuit(3, 1)
    qc.h(0)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)) as orelse:
        qc.cx(0, 2)
    with orelse:
        qc.cx(1, 2)
    qc.cx(0, 1)
    return qc


def _while_loop() -> QuantumCircuit:
    qc = QuantumCircuit(3, 1)
    qc.h(0)
    qc.measure(0, 0)
    with qc.while_loop((qc.clbits[0], 1)):
        qc.cx(0, 2)
        qc.measure(0, 0)
    return qc


def _for_loop() -> QuantumCircuit:
    qc = QuantumCircuit(3)
    with qc.for_loop(range(3)):
        qc.cx(0, 2)
    return qc


def _switch_case() -> QuantumCircuit:
    qc = QuantumCircuit(3, 1)
    qc.measure(0, 0)
    with qc.switch(qc.clbits[0]) as case:
        with case(0):
            qc.cx(0, 2)
        with case(case.DEFAULT):
            qc.cx(1, 2)
    return qc


def _box() -> QuantumCircuit:
    qc = QuantumCircuit(3)
    with qc.box():
        qc.cx(0, 2)
    return qc


CONTROL_FLOW = {"if_else": _if_else, "while_loop": _while_loop, "for_loop": _for_loop,
                "switch_case": _switch_case, "box": _box}


@pytest.mark.parametrize("name", sorted(CONTROL_FLOW))
@pytest.mark.parametrize("policy", ["sabre-1", "lookahead"])
def test_control_flow_is_refused_by_route_and_verify(name: str, policy: str) -> None:
    qc = CONTROL_FLOW[name]()
    with pytest.raises(ControlFlowError, match=f"control flow \\({name}") as err:
        route(qc, "line-3", policy)
    assert "allowed: a circuit without if_else" in str(err.value)
    with pytest.raises(ControlFlowError):
        routable(qc)
    ok = QuantumCircuit(3)
    ok.cx(0, 2)
    result = route(ok, "line-3", policy)
    with pytest.raises(ControlFlowError):
        verify(qc, result, "line-3")


class _DroppingRouter:
    """A broken whole-circuit router: SABRE, then its first SWAP deleted."""

    name = "dropping"

    def route_circuit(self, circuit, graph):  # noqa: ANN001, ANN201
        good = route(circuit, graph, "sabre-1", check=False)
        circ = good.circuit.copy_empty_like()
        dropped = False
        for inst in good.circuit.data:
            if inst.operation.name == "swap" and not dropped:
                dropped = True
                continue
            circ.append(inst)
        assert dropped
        return RoutedCircuit(circ, good.initial_layout, good.final_layout, good.swaps - 1,
                             good.seconds, self.name)


class _StayingPolicy:
    """A broken whole-circuit router: returns the circuit unrouted."""

    name = "unrouted"

    def route_circuit(self, circuit, graph):  # noqa: ANN001, ANN201
        from qray.routing.bridge import expand

        n = circuit.num_qubits
        return RoutedCircuit(expand(circuit, graph.number_of_nodes()), list(range(n)),
                             list(range(n)), 0, 0.0, self.name)


@pytest.mark.parametrize("router", [_DroppingRouter(), _StayingPolicy()],
                         ids=["deleted-swap", "unrouted"])
def test_route_never_returns_a_circuit_that_fails_verification(router) -> None:  # noqa: ANN001
    qc = benchmark_circuit("random", 9, key=1, gates=30)
    with pytest.raises(UnverifiedRoutingError, match="fails verification") as err:
        route(qc, "grid-3x3", router)
    assert err.value.problems and err.value.result is not None
    # the caller that verifies itself still gets the circuit, and verify rejects it
    result = route(qc, "grid-3x3", router, check=False)
    assert not verify(qc, result, "grid-3x3").ok


def test_route_marks_what_it_verified() -> None:
    qc = benchmark_circuit("random", 9, key=1, gates=30)
    for policy in ("sabre-1", "lookahead"):
        assert route(qc, "grid-3x3", policy).extra["verified"] is True


def test_operator_check_is_bounded() -> None:
    assert check_operator_max_qubits(OPERATOR_QUBIT_LIMIT) == 12
    for bad in (OPERATOR_QUBIT_LIMIT + 1, 30, -1, True, 2.5):
        with pytest.raises(ConfigError, match=r"'operator_max_qubits'.*\[0, 12\]"):
            check_operator_max_qubits(bad)
    qc = benchmark_circuit("random", 4, key=1, gates=5)
    result = route(qc, "line-4", "sabre-1")
    with pytest.raises(ConfigError, match="operator_max_qubits"):
        verify(qc, result, "line-4", operator_max_qubits=20)


def test_a_failed_operator_build_fails_verification() -> None:
    """An opaque gate has no matrix: the check used to become "not checked" silently."""
    qc = QuantumCircuit(4)
    qc.h(0)
    qc.append(Gate("mystery", 2, []), [0, 3])
    qc.cx(1, 3)
    result = route(qc, "line-4", "lookahead")  # adjacency and replay hold
    check = verify(qc, result, "line-4")
    assert check.operator is False and not check.ok
    assert any("Operator check failed" in p and "mystery" in p for p in check.problems)


def test_a_non_unitary_circuit_skips_the_operator_check_with_a_reason() -> None:
    qc = QuantumCircuit(4, 1)
    qc.h(0)
    qc.measure(0, 0)
    qc.cx(0, 3)
    check = verify(qc, route(qc, "line-4", "sabre-1"), "line-4")
    assert check.ok and check.operator is None
    assert any("not unitary (measure" in n for n in check.notes)
    big = benchmark_circuit("random", 4, key=1, gates=5)
    check = verify(big, route(big, "grid-5x5", "sabre-1"), "grid-5x5")
    assert check.ok and check.operator is None
    assert any("25 qubits > operator_max_qubits 10" in n for n in check.notes)


def test_map_sizes_are_bounded_before_any_graph_is_built() -> None:
    assert coupling_graph("grid-10x100").number_of_nodes() == MAX_MAP_QUBITS
    assert coupling_graph("heavy-hex-17").number_of_nodes() == 705
    assert coupling_graph("heavy-hex-19").number_of_nodes() == 19  # the 19-qubit alias
    for name, qubits in (("grid-10x101", 1010), ("line-1001", 1001), ("ring-100000000",
                         100000000), ("heavy-hex-21", 1081), ("grid-20000x20000", 400000000),
                         ("heavy-hex-100001", 25000400001)):
        with pytest.raises(ConfigError, match=f"too large \\({qubits} qubits") as err:
            coupling_graph(name, "maps[0]")
        assert "'maps[0]'" in str(err.value) and "at most 1000 qubits" in str(err.value)


def test_mqt_names_are_checked_without_mqt_bench() -> None:
    for name in MQT_BENCHMARKS:
        check_family(f"mqt-{name}", "families[0]")
    with pytest.raises(ConfigError, match="unknown MQT Bench benchmark 'mqt-anything'"):
        check_family("mqt-anything", "families[0]")
    with pytest.raises(ConfigError, match="did you mean 'mqt-qftentangled'"):
        check_family("mqt-qftentangle", "families[0]")
    with pytest.raises(ConfigError, match="unknown MQT Bench benchmark 'mqt-'"):
        check_family("mqt-", "families[0]")


@pytest.mark.skipif(not mqt_available(), reason="MQT Bench is not installed (pip install 'qray[mqt]')")
@pytest.mark.parametrize("name", ["qft", "dj", "wstate"])
def test_mqt_families_load_through_the_shared_loader(name: str) -> None:
    qc = benchmark_circuit(f"mqt-{name}", 6, 0)
    assert qc.num_qubits == 6 and qc.num_clbits in (0, 6)
    assert not any(inst.operation.name == "measure" for inst in qc.data)
