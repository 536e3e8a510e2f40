"""jobs/compare_routers.py: the comparison table and Qiskit's reference on real routings."""

from __future__ import annotations

import pandas as pd

from jobs.compare_routers import REFERENCE, qiskit_reference, table, verdicts
from qray.routing.bridge import route
from qray.routing.circuits.benchmarks import EVAL_SEED_BASE, benchmark_circuit
from qray.routing.circuits.io import two_qubit_depth


def _routed(routers: tuple[str, ...], n: int) -> pd.DataFrame:
    """Rows of ``routers`` routing the first ``n`` held-out random 10-qubit circuits on
    grid-5x5, as a routing sweep writes them."""
    rows = []
    for router in routers:
        for i in range(n):
            res = route(benchmark_circuit("random", 10, EVAL_SEED_BASE + i), "grid-5x5", router)
            rows.append({"router": router, "coupling_map": "grid-5x5", "family": "random",
                         "n_qubits": 10, "instance": EVAL_SEED_BASE + i, "gates_2q": 50,
                         "swaps": res.swaps, "depth_2q": two_qubit_depth(res.circuit),
                         "route_s": res.seconds, "verified": True, "status": "ok"})
    return pd.DataFrame(rows)


def test_table_means_and_reference_on_the_same_circuits() -> None:
    frame = _routed(("sabre-20", "front-greedy"), 2)
    ref = qiskit_reference(frame)
    assert len(ref) == 2 and (ref.swaps > 0).all()
    both = pd.concat([frame, ref], ignore_index=True)
    text = table(both, ["sabre-20", "front-greedy", REFERENCE])
    mean = frame[frame.router == "front-greedy"].swaps.mean()
    assert "| grid-5x5 | random 10 q, 2 circuits | " in text
    assert f"{mean:.1f} / " in text and "(2/2 verified)" in text
    line, = verdicts(both, "front-greedy", ["sabre-20"])
    assert line.startswith(f"grid-5x5 random-10: front-greedy {mean:.1f} = ")


def test_two_qubit_depth_counts_swaps_and_two_qubit_gates_only() -> None:
    from qiskit import QuantumCircuit

    qc = QuantumCircuit(3)
    qc.h(0)
    qc.cx(0, 1)
    qc.rz(0.3, 1)
    qc.rx(0.1, 1)
    qc.barrier()
    qc.swap(1, 2)
    qc.cx(0, 1)
    assert qc.depth() == 6
    assert two_qubit_depth(qc) == 3


def test_renames_name_the_dataset_and_router() -> None:
    import pytest

    from jobs.compare_routers import parse_renames

    assert parse_renames(["2:ppo=ppo-qgym", "1:a=b"], 2) == {2: {"ppo": "ppo-qgym"},
                                                             1: {"a": "b"}}
    for bad in ("3:ppo=x", "ppo=x", "1:ppo", "0:a=b"):
        with pytest.raises(SystemExit, match="--rename"):
            parse_renames([bad], 2)


def test_time_matched_sabre_spends_the_slowest_routers_time_and_is_compared() -> None:
    from jobs.compare_routers import MATCHED, beats_matched, time_matched_sabre

    frame = _routed(("sabre-1", "front-search-2"), 3)
    matched, notes = time_matched_sabre(frame)
    assert len(matched) == 3 and set(matched.router) == {MATCHED} and matched.verified.all()
    k = int(matched.trials.iloc[0])
    assert k > 1 and notes == [notes[0]] and f"sabre-{k} took" in notes[0]
    assert "for front-search-2's" in notes[0]  # the slowest router sets the budget
    lines = beats_matched(pd.concat([frame, matched], ignore_index=True),
                          ["sabre-1", "front-search-2", MATCHED])
    assert len(lines) == 2 and all(", n = 3: " in line for line in lines)
    assert all(line.rsplit(": ", 1)[1] in ("fewer SWAPs", "more SWAPs",
                                           "no difference shown") for line in lines)
