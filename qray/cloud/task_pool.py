"""Cloud tasks: circuits from qray's families or QASM files, with transpiled depth per node.

The circuit pool is built once per process (and the transpiled depths once per machine:
they are cached on disk, keyed by the circuit, the backend and the qiskit version);
an episode only draws from it, so ``reset()`` never parses or transpiles anything.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qray.circuits import FAMILIES, make_circuit
from qray.errors import ConfigError
from qray.tasks import content_hash

log = logging.getLogger(__name__)

#: transpilation settings (part of every cache key)
OPT_LEVEL = 1
TRANSPILE_SEED = 11


@dataclass(frozen=True)
class CircuitSpec:
    """One circuit of the pool: where it comes from and its logical shape."""

    name: str
    width: int
    depth: int
    #: (family, n, depth, seed) for a qray family, or the QASM file path
    source: tuple[Any, ...]


@dataclass(frozen=True)
class QTask:
    """One task of an episode."""

    index: int
    circuit: int  # index into the pool
    name: str
    width: int
    shots: int
    arrival: float
    #: transpiled depth on each node (0 where the node has too few qubits)
    node_depths: tuple[int, ...]


def cache_dir() -> Path:
    """Where transpiled depths are cached (``QRAY_CACHE`` or ``~/.cache/qray``)."""
    return Path(os.environ.get("QRAY_CACHE", Path.home() / ".cache" / "qray")) / "cloud"


def qiskit_circuit(spec: CircuitSpec) -> Any:
    """The pool entry as a measured qiskit ``QuantumCircuit``."""
    if spec.source[0] == "qasm":
        return load_qasm(spec.source[1])
    from qray.circuits.qiskit import to_qiskit

    family, n, depth, seed = spec.source
    return to_qiskit(make_circuit(family, n, depth=depth, seed=seed))


def _short(exc: BaseException) -> str:
    """One line naming an exception (some parsers raise with an empty message)."""
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def load_qasm(path: str, key: str = "qasm_files") -> Any:
    """A QuantumCircuit from an OpenQASM 2 or 3 file (qray's one circuit loader), with
    measurements added if it has none."""
    from qray.circuits.sources import load_qasm_file

    qc = load_qasm_file(path, key)
    if qc.num_clbits == 0:
        qc.measure_all()
    return qc


#: instructions that are not gates: a circuit of only these is empty
NON_GATES = frozenset({"measure", "barrier", "delay"})


def check_qasm_files(paths: list[str], nodes: list[Any],
                     key: str = "env.tasks.qasm_files") -> None:
    """Do with every QASM file what a worker will do with it, so that a bad file is a
    config error naming ``key[i]``, the file and the problem, before any work: parse it,
    refuse a circuit without qubits or gates, one wider than every node, and one that
    does not transpile to a node it fits on (a gate the node's basis cannot express,
    control flow the node cannot run). The transpiled depths land in the depth cache,
    which the workers then read."""
    backends = tuple(n.backend for n in nodes)
    for i, path in enumerate(paths):
        try:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            digest = ""  # load_qasm names the problem
        _check_qasm(path, digest, backends, f"{key}[{i}]")


@functools.lru_cache(maxsize=64)
def _check_qasm(path: str, digest: str, backends: tuple[str, ...], key: str) -> None:
    from qray.cloud.nodes import fake_backend

    qc = load_qasm(path, key)
    if qc.num_qubits == 0:
        raise ConfigError(key, path, "a circuit on at least 1 qubit",
                          problem="declares no qubits:")
    if not any(inst.operation.name not in NON_GATES for inst in qc.data):
        raise ConfigError(key, path, "a circuit with at least one gate",
                          problem="has no gates (only measurements, barriers or delays):")
    sizes = {name: fake_backend(name).num_qubits for name in backends}
    biggest = max(sizes.values())
    if qc.num_qubits > biggest:
        raise ConfigError(key, path, f"a circuit on at most {biggest} qubits, the largest "
                          "node of env.nodes", problem=f"is {qc.num_qubits} qubits wide, "
                          "wider than every node:")
    spec = qasm_spec(path, qc)
    cache = DepthCache()
    for j, name in enumerate(backends):
        if sizes[name] < spec.width:
            continue
        try:
            transpiled_depths([spec], [name], cache)
        except ConfigError:
            raise
        except Exception as exc:
            raise ConfigError(key, path, "a circuit that transpiles to every node of env.nodes "
                              "with enough qubits", problem=f"does not transpile to env.nodes"
                              f"[{j}] {name} ({_short(exc)}):") from None


def family_pool(families: list[str], widths: list[int], per_width: int,
                depths: dict[str, int], seed: int) -> list[CircuitSpec]:
    """``per_width`` circuits of each width, families taken round-robin."""
    for i, fam in enumerate(families):
        if fam not in FAMILIES:
            raise ConfigError(f"tasks.families[{i}]", fam, FAMILIES, problem="unknown family")
    specs = []
    k = 0
    for w in widths:
        for j in range(per_width):
            fam = families[k % len(families)]
            k += 1
            depth = depths.get(fam, 0)
            circ = make_circuit(fam, w, depth=depth, seed=seed + k)
            specs.append(CircuitSpec(f"{fam}_{w}_{j}", w, circ.depth,
                                     (fam, w, depth, seed + k)))
    return specs


def qasm_spec(path: str, qc: Any) -> CircuitSpec:
    """The pool entry of a parsed QASM file (its content hash is part of the depth-cache
    key)."""
    digest = content_hash(Path(path).read_text())[:16]
    return CircuitSpec(Path(path).stem, qc.num_qubits, qc.depth(), ("qasm", path, digest))


def qasm_pool(paths: list[str]) -> list[CircuitSpec]:
    """One pool entry per QASM file."""
    return [qasm_spec(path, load_qasm(path, f"tasks.qasm_files[{i}]"))
            for i, path in enumerate(paths)]


class DepthCache:
    """Transpiled depths on disk: one JSON file, rewritten atomically when it grows. The
    depths this process computed are also kept in memory, so that a file that cannot be
    written (a read-only home) does not make the config check and the pool transpile the
    same circuit twice."""

    #: every depth this process computed or read, by key
    memory: dict[str, int] = {}

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_dir() / "depths.json"
        try:
            self.data: dict[str, int] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.data = {}
        self.dirty = False

    def get(self, key: str) -> int | None:
        depth = self.data.get(key)
        if depth is None and key in DepthCache.memory:
            depth = self.data[key] = DepthCache.memory[key]
            self.dirty = True  # the file lacks it
        return depth

    def put(self, key: str, depth: int) -> None:
        self.data[key] = DepthCache.memory[key] = depth
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        from qray.results.writer import write_text_atomic

        try:
            write_text_atomic(json.dumps(self.data, sort_keys=True), self.path)
        except OSError as exc:  # a read-only home is not an error: depths are recomputed
            log.warning("cannot write the depth cache %s: %s", self.path, exc)
        self.dirty = False


def transpiled_depths(specs: list[CircuitSpec], backends: list[str],
                      cache: DepthCache | None = None) -> np.ndarray:
    """Depth of each circuit transpiled (preset pass manager, level 1, fixed seed) on each
    backend; 0 where the backend has too few qubits. Shape (circuits, backends)."""
    import qiskit
    import qiskit_ibm_runtime
    from qiskit.transpiler import generate_preset_pass_manager

    from qray.cloud.nodes import fake_backend

    cache = cache or DepthCache()
    out = np.zeros((len(specs), len(backends)), dtype=np.int64)
    managers: dict[str, Any] = {}
    for i, spec in enumerate(specs):
        circuit = None
        for j, name in enumerate(backends):
            backend = fake_backend(name)
            if spec.width > backend.num_qubits:
                continue
            key = content_hash({"spec": [spec.source, spec.width], "backend": name,
                                "opt": OPT_LEVEL, "seed": TRANSPILE_SEED,
                                "qiskit": qiskit.__version__,
                                "runtime": qiskit_ibm_runtime.__version__})[:24]
            depth = cache.get(key)
            if depth is None:
                circuit = circuit if circuit is not None else qiskit_circuit(spec)
                if name not in managers:
                    managers[name] = generate_preset_pass_manager(
                        optimization_level=OPT_LEVEL, backend=backend,
                        seed_transpiler=TRANSPILE_SEED)
                depth = int(managers[name].run(circuit).depth())
                cache.put(key, depth)
            out[i, j] = depth
    cache.save()
    return out


@functools.lru_cache(maxsize=16)
def circuit_pool(families: tuple[str, ...], widths: tuple[int, ...], per_width: int,
                 depths: tuple[tuple[str, int], ...], seed: int, qasm_files: tuple[str, ...],
                 backends: tuple[str, ...]) -> tuple[tuple[CircuitSpec, ...], np.ndarray]:
    """The pool of an env config and its depth table (built once per process)."""
    specs = (family_pool(list(families), list(widths), per_width, dict(depths), seed)
             if families else [])
    specs += qasm_pool(list(qasm_files))
    if not specs:
        raise ConfigError("tasks.families", list(families),
                          "at least one circuit family or QASM file")
    depths = transpiled_depths(specs, list(backends))
    depths.setflags(write=False)
    return tuple(specs), depths


def arrivals(rng: np.random.Generator, n: int, process: str, rate: float,
             window: float) -> np.ndarray:
    """Arrival times: Poisson (exponential gaps of mean 1/rate) or uniform over a window."""
    if process == "poisson":
        return np.cumsum(rng.exponential(1.0 / rate, size=n))
    return np.sort(rng.uniform(0.0, window, size=n))
