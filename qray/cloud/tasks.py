"""Cloud tasks: circuits from qray's families or QASM files, with transpiled depth per node.

The circuit pool is built once per process (and the transpiled depths once per machine:
they are cached on disk, keyed by the circuit, the backend and the qiskit version);
an episode only draws from it, so ``reset()`` never parses or transpiles anything.
"""

from __future__ import annotations

import functools
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
    from qray.simulators.qiskit_aer import to_qiskit

    family, n, depth, seed = spec.source
    return to_qiskit(make_circuit(family, n, depth=depth, seed=seed))


def load_qasm(path: str, key: str = "qasm_files") -> Any:
    """A QuantumCircuit from an OpenQASM 2 or 3 file (measurements added if absent)."""
    from qiskit import qasm2, qasm3

    p = Path(path)
    if not p.is_file():
        raise ConfigError(key, path, "an existing OpenQASM file", problem="no such file")
    text = p.read_text()
    try:
        qc = qasm3.loads(text) if "OPENQASM 3" in text else qasm2.loads(
            text, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
    except Exception as exc:
        raise ConfigError(key, path, "a parsable OpenQASM 2 or 3 file",
                          problem=f"cannot parse ({' '.join(str(exc).split())[:200]})") from None
    if qc.num_clbits == 0:
        qc.measure_all()
    return qc


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


def qasm_pool(paths: list[str]) -> list[CircuitSpec]:
    """One pool entry per QASM file (its content hash is part of the depth-cache key)."""
    specs = []
    for i, path in enumerate(paths):
        qc = load_qasm(path, f"tasks.qasm_files[{i}]")
        digest = content_hash(Path(path).read_text())[:16]
        specs.append(CircuitSpec(Path(path).stem, qc.num_qubits, qc.depth(),
                                 ("qasm", path, digest)))
    return specs


class DepthCache:
    """Transpiled depths on disk: one JSON file, rewritten atomically when it grows."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_dir() / "depths.json"
        try:
            self.data: dict[str, int] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.data = {}
        self.dirty = False

    def get(self, key: str) -> int | None:
        return self.data.get(key)

    def put(self, key: str, depth: int) -> None:
        self.data[key] = depth
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
