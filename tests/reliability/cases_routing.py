"""Bad-input matrix cases (routing): (config, overrides, key named, fragment of the message),
each refused by ``actors.sweep`` before any work with nothing written."""

from __future__ import annotations

from pathlib import Path

from qray.routing.circuits.benchmarks import mqt_available

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"
ROUTING = CONF / "routing_eval.yaml"

CASES: list[tuple[Path, list[str], str, str]] = [
    # unknown MQT Bench benchmarks, refused whether or not mqt.bench is installed
    (ROUTING, ["families=[mqt-anything]"], "families[0]", "unknown MQT Bench benchmark"),
    (ROUTING, ["families=[random,mqt-qftt]"], "families[1]", "did you mean 'mqt-qft'?"),
    # map sizes bounded before a graph is built (MemoryError, a Rust allocation abort)
    (ROUTING, ["maps=[line-100000000]"], "maps[0]", "too large (100000000 qubits"),
    (ROUTING, ["maps=[grid-20000x20000]"], "maps[0]", "too large (400000000 qubits"),
    (ROUTING, ["maps=[heavy-hex-100001]"], "maps[0]", "more than 1000"),
    (ROUTING, ["maps=[ring-1001]"], "maps[0]", "at most 1000 qubits"),
    # per-workload maxima
    (ROUTING, ["sizes=[10,100]"], "sizes[1]", "100"),
    (ROUTING, ["sizes={start: 2, stop: 1000000000}"], "sizes", "1000000000"),
    (ROUTING, ["random_gates=1000000000"], "random_gates", "[1, 100000]"),
    (ROUTING, ["instances=1000000000"], "instances", "[1, 100000]"),
    (ROUTING, ["instances=100000"], "instances", "tasks (routers x maps"),
    # an Operator on more than 12 qubits cannot be built
    (ROUTING, ["operator_max_qubits=30"], "operator_max_qubits", "[0, 12]"),
    (ROUTING, ["operator_max_qubits=-1"], "operator_max_qubits", "-1"),
]

if not mqt_available():  # an empty grid (with mqt.bench installed this sweep would run)
    CASES.append((ROUTING, ["families=[mqt-qft]"], "families", "grid with no tasks"))
