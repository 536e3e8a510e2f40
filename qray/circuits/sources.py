"""Circuits from outside qray: OpenQASM 2/3 files and MQT Bench benchmarks.

One loader for every workload. A *source* is a string beside the family names:

- ``qasm:<path or glob>``: every matching file (sorted), OpenQASM 2 or 3, parsed by
  Qiskit (``qelib1.inc`` / ``stdgates.inc`` gates, gates defined in the file);
- ``mqt:<benchmark>@<n>``: an MQT Bench benchmark at its algorithm level on ``n``
  qubits (``pip install 'qray[mqt]'``).

:func:`expand_source` turns a source into one name per circuit (``qasm:<file>``,
``mqt:<benchmark>@<n>``); :func:`load_qiskit` gives a name's Qiskit circuit (what cloud
and routing run); :func:`load` gives its IR (what the simulators run): gates outside the
IR are transpiled to its basis, barriers, delays, identities and final measurements are
dropped (the IR measures every qubit at the end), and what cannot be expressed (a
mid-circuit measurement, a reset, control flow, an opaque gate) is refused with an error
naming the file, the gate and what is supported. A circuit's content hash
(:func:`circuit_sha`, over its IR gates) goes into the task id, and its IR travels to the
workers in the task spec (:func:`to_wire` / :func:`from_wire`), so a worker node needs
neither the file nor MQT Bench.

Qiskit (and MQT Bench) are imported when a circuit is loaded, not with this module.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qray.circuits.ir import GATES, Circuit, Gate
from qray.errors import ConfigError

#: the source prefixes, with what follows them
KINDS = {"qasm": "qasm:<path or glob>", "mqt": "mqt:<benchmark>@<n>"}
ALLOWED = "a circuit family, " + " or ".join(KINDS.values())
#: instructions that are not gates of the circuit's unitary and are dropped
DROPPED = frozenset({"barrier", "delay", "id"})
#: what the IR cannot express: refused with its name
REFUSED = {"measure": "a measurement before the end of the circuit",
           "reset": "a reset", "initialize": "a state initialization"}
MQT_LEVEL = "alg"
_MQT = re.compile(r"^(?P<bench>[A-Za-z0-9_]+)@(?P<n>[0-9]+)$")


def is_source(entry: str) -> bool:
    """True when ``entry`` names a circuit source (``qasm:...`` or ``mqt:...``)."""
    return isinstance(entry, str) and entry.split(":", 1)[0] in KINDS and ":" in entry


@dataclass(frozen=True)
class Loaded:
    """A source's circuit: its name (``qasm:<file>``, ``mqt:<bench>@<n>``), its IR and the
    IR's content hash."""

    name: str
    circuit: Circuit
    sha: str


def expand_source(entry: str, key: str) -> list[str]:
    """The circuit names of a source: one ``qasm:<file>`` per file a path or glob matches
    (sorted), or the ``mqt:<benchmark>@<n>`` entry itself once checked."""
    kind, _, rest = entry.partition(":")
    if kind not in KINDS or not rest:
        raise ConfigError(key, entry, ALLOWED, problem="not a circuit source:")
    if kind == "mqt":
        bench, n = _parse_mqt(entry, key)
        _check_mqt_name(bench, entry, key)
        return [f"mqt:{bench}@{n}"]
    if glob.has_magic(rest):
        files = sorted(p for p in glob.glob(rest, recursive=True) if Path(p).is_file())
        if not files:
            raise ConfigError(key, entry, "a glob that matches at least one OpenQASM file",
                              problem="no file matches")
        return [f"qasm:{p}" for p in files]
    if not Path(rest).is_file():
        raise ConfigError(key, entry, "an existing OpenQASM file (OpenQASM 2 or 3), or a "
                          "glob that matches some", problem="no such file:")
    return [f"qasm:{rest}"]


def load_qiskit(name: str, key: str) -> Any:
    """The Qiskit ``QuantumCircuit`` of a circuit name (as written, measurements kept)."""
    kind, _, rest = name.partition(":")
    if kind == "mqt":
        bench, n = _parse_mqt(name, key)
        return _mqt_circuit(bench, n, name, key)
    if kind == "qasm":
        return load_qasm_file(rest, key, entry=name)
    raise ConfigError(key, name, ALLOWED, problem="not a circuit source:")


#: the largest OpenQASM file read (a 24 MB file took 50 s and 1.5 GB to parse)
MAX_QASM_BYTES = 4 * 2**20
#: the most qubits a file may declare (checked on its text, before Qiskit builds them)
MAX_QASM_QUBITS = 1024
#: the most gates a circuit may expand to once its gate definitions are inlined
MAX_EXPANDED_GATES = 1_000_000
_REGISTERS = re.compile(r"^\s*(?:qreg\s+\w+\s*\[\s*(\d+)\s*\]|qubit\s*\[\s*(\d+)\s*\])",
                        re.MULTILINE)


def declared_qubits(text: str) -> int:
    """The qubits an OpenQASM 2 or 3 text declares (``qreg q[n]``, ``qubit[n] q``, and one
    per bare ``qubit q``)."""
    total = sum(int(a or b) for a, b in _REGISTERS.findall(text))
    return total + len(re.findall(r"^\s*qubit\s+\w+\s*;", text, flags=re.MULTILINE))


def load_qasm_file(path: str | Path, key: str, *, entry: str | None = None) -> Any:
    """Parse an OpenQASM 2 or 3 file; a ConfigError naming ``key``, the file and the line
    when it cannot be read or parsed, or when it is larger than the bounds above."""
    p = Path(path)
    shown = entry or str(path)
    if not p.is_file():
        raise ConfigError(key, shown, "an existing OpenQASM 2 or 3 file", problem="no such file:")
    size = p.stat().st_size
    if size > MAX_QASM_BYTES:
        raise ConfigError(key, shown, f"an OpenQASM file of at most {MAX_QASM_BYTES // 2**20} MiB",
                          problem=f"file too large ({size / 2**20:.1f} MiB):")
    try:
        text = p.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(key, shown, "a readable OpenQASM 2 or 3 text file",
                          problem=f"cannot read ({_short(exc)}):") from None
    return parse_qasm(text, key, source=shown)


#: comments and strings, left out when looking for statements
_CODE_ONLY = re.compile(r'//[^\n]*|/\*.*?\*/|"[^"\n]*"', flags=re.DOTALL)


def parse_qasm(text: str, key: str, *, source: str = "<string>") -> Any:
    """An OpenQASM 2 or 3 program as a ``QuantumCircuit`` (version from its header)."""
    from qiskit import qasm2, qasm3

    qubits = declared_qubits(text)
    if qubits > MAX_QASM_QUBITS:
        raise ConfigError(key, source, f"a circuit on at most {MAX_QASM_QUBITS} qubits",
                          problem=f"{qubits:,} qubits declared in")
    try:
        if re.search(r"^\s*OPENQASM\s+3", text, flags=re.MULTILINE):
            return qasm3.loads(text)
        return qasm2.loads(text, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
    except Exception as exc:
        detail = _short(exc) if str(exc).strip() else f"{type(exc).__name__}: a syntax error"
        flow = re.search(r"^\s*(for|while|if)\b", _CODE_ONLY.sub("", text), flags=re.MULTILINE)
        if flow and not type(exc).__module__.startswith("qiskit"):  # the importer's own bug
            raise ConfigError(key, source, "an OpenQASM file without classical control flow "
                              "(Qiskit's importer does not read every loop or branch; unroll "
                              "it)", problem=f"a QASM `{flow.group(1)}` statement Qiskit "
                              f"cannot import ({detail}) in") from None
        raise ConfigError(key, source, "a parsable OpenQASM 2 or 3 file whose gates are those "
                          "of qelib1.inc (QASM 2) or stdgates.inc (QASM 3) or defined in it",
                          problem=f"cannot parse ({detail}){_line_of(detail)}:") from None


def load(name: str, key: str) -> Loaded:
    """A circuit name's IR and content hash (cached per file content)."""
    kind, _, rest = name.partition(":")
    stamp = ""
    if kind == "qasm" and Path(rest).is_file():
        stamp = hashlib.sha256(Path(rest).read_bytes()).hexdigest()
    return _load(name, key, stamp)


@functools.lru_cache(maxsize=256)
def _load(name: str, key: str, stamp: str) -> Loaded:
    circuit = to_ir(load_qiskit(name, key), name, key)
    return Loaded(name, circuit, circuit_sha(circuit))


def expanded_size(qc: Any) -> float:
    """How many gates ``qc`` has once every gate outside the IR's set is replaced by its
    definition, recursively (counted, not built; one count per gate name and arity, so
    a 1 KB file of nested definitions claiming 2^40 gates is caught in microseconds)."""
    memo: dict[tuple[str, int], float] = {}

    def size(op: Any) -> float:
        if op.name in GATES or op.name in DROPPED:
            return 1.0
        k = (op.name, op.num_qubits)
        if k not in memo:
            memo[k] = 1.0  # a recursive definition counts once
            definition = getattr(op, "definition", None)
            memo[k] = (sum(size(i.operation) for i in definition.data)
                       if definition is not None else 1.0)
        return memo[k]

    return sum(size(i.operation) for i in qc.data)


def to_ir(qc: Any, name: str, key: str) -> Circuit:
    """A Qiskit circuit as the IR: transpiled to the IR's gates, final measurements,
    barriers and delays dropped; anything else that is not a unitary gate refused."""
    from qiskit import transpile
    from qiskit.circuit import ControlFlowOp

    if qc.num_qubits == 0:
        raise ConfigError(key, name, "a circuit on at least one qubit", problem="no qubits in")
    expanded = expanded_size(qc)  # before any copy: Qiskit may inline the definitions
    if expanded > MAX_EXPANDED_GATES:
        raise ConfigError(key, name, f"a circuit of at most {MAX_EXPANDED_GATES:,} gates once "
                          "its gate definitions are inlined",
                          problem=f"about {expanded:.3g} gates in")
    flow = sorted({i.operation.name for i in qc.data if isinstance(i.operation, ControlFlowOp)})
    if flow:
        raise ConfigError(key, name, _supported(), problem=f"control flow ({', '.join(flow)}) in")
    stripped = qc.remove_final_measurements(inplace=False)
    _refuse_non_unitary(stripped, name, key)
    try:
        basic = transpile(stripped, basis_gates=sorted(GATES), optimization_level=0)
    except Exception as exc:
        gate = _untranslatable(stripped)
        problem = (f"gate {gate!r} has no definition to transpile from" if gate
                   else f"cannot transpile ({_short(exc)})")
        raise ConfigError(key, name, _supported(), problem=f"{problem}; in") from None
    gates: list[Gate] = []
    for inst in basic.data:
        op = inst.operation
        if op.name in DROPPED:
            continue
        if op.name not in GATES:
            raise ConfigError(key, name, _supported(), problem=f"gate {op.name!r} in")
        qubits = tuple(basic.find_bit(q).index for q in inst.qubits)
        try:
            params = tuple(float(p) for p in op.params)
        except TypeError:
            raise ConfigError(key, name, "a circuit whose parameters are all bound to numbers",
                              problem=f"unbound parameter in gate {op.name!r} of") from None
        gates.append(Gate(op.name, qubits, params))
    return Circuit(qc.num_qubits, tuple(gates), name)


def circuit_sha(circuit: Circuit) -> str:
    """A content hash of the IR (qubit count and gates, angles to full precision): what
    makes a task id change when a file's circuit does."""
    text = json.dumps(to_wire(circuit), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def to_wire(circuit: Circuit) -> dict[str, Any]:
    """The IR as plain JSON data (in a task spec)."""
    return {"n_qubits": circuit.n_qubits, "family": circuit.family,
            "gates": [[g.name, list(g.qubits), [repr(p) for p in g.params]]
                      for g in circuit.gates]}


def from_wire(data: dict[str, Any]) -> Circuit:
    """The IR back from :func:`to_wire`'s data."""
    gates = tuple(Gate(name, tuple(qubits), tuple(float(p) for p in params))
                  for name, qubits, params in data["gates"])
    return Circuit(int(data["n_qubits"]), gates, data.get("family", "custom"))


# -- internals -----------------------------------------------------------------------------


def _supported() -> str:
    return ("unitary gates that transpile to the IR's " + ", ".join(sorted(GATES))
            + " (barriers, delays and final measurements are dropped; mid-circuit "
            "measurement, reset and control flow are not supported)")


def _refuse_non_unitary(qc: Any, name: str, key: str) -> None:
    for inst in qc.data:
        op = inst.operation
        if op.name in REFUSED:
            qubits = [qc.find_bit(q).index for q in inst.qubits]
            raise ConfigError(key, name, _supported(),
                              problem=f"{REFUSED[op.name]} ({op.name} on qubit(s) {qubits}) in")
        if getattr(op, "condition", None) is not None:
            raise ConfigError(key, name, _supported(),
                              problem=f"a classically conditioned gate ({op.name}) in")


def _untranslatable(qc: Any) -> str | None:
    """The first gate with neither a definition nor a standard equivalent (opaque)."""
    from qiskit.circuit.equivalence_library import SessionEquivalenceLibrary

    for inst in qc.data:
        op = inst.operation
        if op.name in GATES or op.name in DROPPED:
            continue
        if op.definition is None and not SessionEquivalenceLibrary.has_entry(op):
            return op.name
    return None


def _parse_mqt(entry: str, key: str) -> tuple[str, int]:
    match = _MQT.match(entry.partition(":")[2])
    if not match or int(match["n"]) < 1:
        raise ConfigError(key, entry, KINDS["mqt"] + " with n >= 1, e.g. mqt:ghz@5",
                          problem="not an MQT Bench entry:")
    return match["bench"], int(match["n"])


def _mqt_module(entry: str, key: str) -> Any:
    try:
        import mqt.bench as bench
    except ImportError:
        raise ConfigError(key, entry, "an installed MQT Bench: pip install 'qray[mqt]'",
                          problem="MQT Bench is not installed, needed for") from None
    return bench


def _check_mqt_name(bench: str, entry: str, key: str) -> None:
    _mqt_module(entry, key)
    from mqt.bench.benchmarks import get_available_benchmark_names

    names = get_available_benchmark_names()
    if bench not in names:
        raise ConfigError(key, bench, names, problem=f"unknown MQT Bench benchmark in {entry!r}:")


def mqt_circuit(bench: str, n: int, key: str, *, level: str = MQT_LEVEL) -> Any:
    """MQT Bench's ``bench`` on ``n`` qubits at ``level`` (``alg``: the algorithm as
    written; ``indep``: transpiled target-independently) as a ``QuantumCircuit``."""
    return _mqt_circuit(bench, n, f"mqt:{bench}@{n}", key, level)


def _mqt_circuit(bench: str, n: int, entry: str, key: str, level: str = MQT_LEVEL) -> Any:
    mqt = _mqt_module(entry, key)
    _check_mqt_name(bench, entry, key)
    try:
        return mqt.get_benchmark(bench, mqt.BenchmarkLevel[level.upper()], n)
    except Exception as exc:
        raise ConfigError(key, entry, f"a size MQT Bench's {bench!r} accepts",
                          problem=f"MQT Bench cannot build it ({_short(exc)}):") from None


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _line_of(detail: str) -> str:
    """`` at line N`` when the parser's message holds a ``<input>:N,C:`` or ``N,C:``
    position, else nothing."""
    match = re.search(r"(?:^|[\s:'\"])(\d+),(\d+):", detail)
    return f" at line {match[1]}" if match else ""
