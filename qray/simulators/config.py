"""Config of the ``simulators`` workload."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from qray.circuits.families import FAMILIES
from qray.circuits.sources import expand_source, is_source
from qray.config import ResourceSpec, SweepConfig, as_list, int_range
from qray.errors import ConfigError, UnknownNameError
from qray.simulators.options import resolve_options

#: ``backends: installed`` means every CPU backend available on the driver's machine.
INSTALLED = "installed"
#: GPU share of a GPU backend's actor unless configured (four actors per GPU)
GPU_FRACTION = 0.25
#: most qubits: outcomes are 64-bit integers (the memory guard bounds each backend further:
#: 2^n or 4^n amplitudes must fit the budget and the machine)
MAX_QUBITS = 63
#: most layers of the depth families (the plan builds every point's circuit)
MAX_DEPTH = 1000
#: most samples per run (outcomes, readout flips and counts are held in memory)
MAX_SHOTS = 1_000_000
#: most timed runs and untimed warmup runs per grid point
MAX_REPETITIONS = 100_000
MAX_WARMUP = 100
#: longest per-run timeout: 7 days
MAX_TIMEOUT_S = 7 * 24 * 3600.0
#: most tasks of a grid (backends x circuits x n_qubits x depth x noise x repetitions)
MAX_TASKS = 1_000_000


@dataclass(frozen=True)
class SimulatorsConfig(SweepConfig):
    """The multi-backend simulator benchmark.

    Attributes:
        backends: registry names, or ``[installed]`` for every available CPU backend.
        circuits: circuit families (ghz, qft, random, clifford, qaoa_maxcut) and circuit
            sources beside them: ``qasm:<path or glob>`` (OpenQASM 2/3 files) and
            ``mqt:<benchmark>@<n>`` (MQT Bench, ``pip install 'qray[mqt]'``). A source's
            circuits have their own width: ``n_qubits`` and ``depth`` do not apply to them.
        n_qubits: qubit counts: a list, a number, or ``{start, stop, step}`` (inclusive).
        depth: layer counts for the families that take a depth (random, clifford, qaoa).
        noise: depolarizing strengths p (probability of a non-identity Pauli per gate).
        noise_2q: two-qubit strength; ``null`` means the same as the one-qubit one.
        readout_error: probability that each measured bit flips.
        shots: samples per run.
        repetitions: timed runs per grid point (same circuit, fresh compile and seed).
        warmup: untimed runs per grid point before the timed ones (not recorded).
        timeout_s: per-run timeout enforced by the actor.
        exact_max_qubits: record the backend's exact noiseless distribution (for the
            cross-backend agreement table and TVD) up to this many qubits.
        backend_options: options by backend name, e.g. ``{qsim: {max_fused_gate_size: 4},
            qiskit-aer: {method: matrix_product_state, precision: single}}``; each
            backend's options are checked against what it accepts (``qray backends``
            lists them). They are part of every task's measurement identity.
        reference_backend: the backend the summary's speedups are measured against
            (default: the slowest backend of each cell).
    """

    workload: str = "simulators"
    name: str = "simulators"
    backends: list[str] = field(
        default_factory=lambda: [INSTALLED], metadata={"normalize": as_list}
    )
    circuits: list[str] = field(
        default_factory=lambda: ["ghz", "qft", "random"], metadata={"normalize": as_list}
    )
    n_qubits: list[int] = field(default_factory=lambda: [4, 8], metadata={"normalize": int_range})
    depth: list[int] = field(default_factory=lambda: [10], metadata={"normalize": int_range})
    noise: list[float] = field(default_factory=lambda: [0.0], metadata={"normalize": as_list})
    noise_2q: float | None = None
    readout_error: float = 0.0
    shots: int = 1000
    repetitions: int = 3
    warmup: int = 1
    timeout_s: float = 300.0
    exact_max_qubits: int = 12
    backend_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    reference_backend: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        from qray.simulators.registry import BACKENDS, get_backend

        if not self.backends:
            raise ConfigError("backends", self.backends, "a non-empty list of backend names")
        for i, name in enumerate(self.backends):
            if name != INSTALLED and name not in BACKENDS:
                get_backend(name, key=f"backends[{i}]")  # a broken plugin's own error
                raise UnknownNameError(f"backends[{i}]", name, "backend", [*BACKENDS, INSTALLED])
        _unique(self.backends, "backends")
        if not self.circuits:
            raise ConfigError("circuits", self.circuits, "a non-empty list of circuit families")
        for i, fam in enumerate(self.circuits):
            if is_source(fam):
                expand_source(fam, f"circuits[{i}]")  # the files exist, the entry parses
            elif fam not in FAMILIES:
                raise ConfigError(f"circuits[{i}]", fam, FAMILIES, problem="unknown circuit "
                                  "family", hint="or a circuit source: qasm:<path or glob>, "
                                  "mqt:<benchmark>@<n>")
        _unique(self.circuits, "circuits")
        _each(self.n_qubits, "n_qubits", lambda v: 1 <= v <= MAX_QUBITS,
              f"integers in 1..{MAX_QUBITS} (outcomes are 64-bit integers)")
        _each(self.depth, "depth", lambda v: 1 <= v <= MAX_DEPTH,
              f"integers in 1..{MAX_DEPTH} (circuit layers)")
        _each(self.noise, "noise", lambda v: 0.0 <= v <= 1.0, "probabilities in [0, 1]")
        if self.noise_2q is not None and not 0.0 <= self.noise_2q <= 1.0:
            raise ConfigError("noise_2q", self.noise_2q, "a probability in [0, 1] or null")
        if not 0.0 <= self.readout_error <= 0.5:
            raise ConfigError("readout_error", self.readout_error, "a probability in [0, 0.5]")
        if self.shots < 1:
            raise ConfigError("shots", self.shots, "an integer >= 1",
                              problem="shots must be positive, got")
        if self.shots > MAX_SHOTS:
            raise ConfigError("shots", self.shots, f"an integer in 1..{MAX_SHOTS:,} (samples "
                              "per run)", problem="too many shots:")
        if not 1 <= self.repetitions <= MAX_REPETITIONS:
            raise ConfigError("repetitions", self.repetitions,
                              f"an integer in 1..{MAX_REPETITIONS:,} (timed runs per point)")
        if not 0 <= self.warmup <= MAX_WARMUP:
            raise ConfigError("warmup", self.warmup,
                              f"an integer in 0..{MAX_WARMUP} (untimed runs per point)")
        if self.timeout_s <= 0:
            raise ConfigError("timeout_s", self.timeout_s, "a number of seconds > 0")
        if self.timeout_s > MAX_TIMEOUT_S:
            raise ConfigError("timeout_s", self.timeout_s, f"a number of seconds in "
                              f"(0, {MAX_TIMEOUT_S:g}] (at most 7 days per run)",
                              problem="timeout too long:")
        if not 0 <= self.exact_max_qubits <= 20:
            raise ConfigError("exact_max_qubits", self.exact_max_qubits, "an integer in 0..20")
        for key, options in self.backend_options.items():
            if key not in BACKENDS:
                raise UnknownNameError(f"backend_options.{key}", key, "backend", BACKENDS)
            resolve_options(BACKENDS[key].OPTIONS, options, f"backend_options.{key}")
        if self.reference_backend is not None:
            named = [b for b in self.backends if b != INSTALLED]
            if self.reference_backend not in BACKENDS or (
                    INSTALLED not in self.backends and self.reference_backend not in named):
                raise UnknownNameError("reference_backend", self.reference_backend,
                                       "backend of this sweep",
                                       named if INSTALLED not in self.backends else BACKENDS)
        for key, spec in self.resources.items():
            if key != "default" and key not in BACKENDS:
                raise UnknownNameError(f"resources.{key}", key, "backend",
                                       [*BACKENDS, "default"])
            if key in BACKENDS and BACKENDS[key].gpu and spec.num_gpus <= 0:
                raise ConfigError(f"resources.{key}.num_gpus", spec.num_gpus,
                                  "a GPU fraction > 0 (e.g. 0.25) for a GPU backend")

    def resources_for(self, backend: str) -> ResourceSpec:
        """A backend's actor resources; GPU backends default to a quarter of a GPU."""
        from qray.simulators.registry import BACKENDS

        spec = super().resources_for(backend)
        if backend in BACKENDS and BACKENDS[backend].gpu and backend not in self.resources:
            spec = replace(spec, num_gpus=GPU_FRACTION)
        return spec

    def options_for(self, backend: str) -> dict[str, Any]:
        """A backend's options as configured, with its defaults filled in."""
        from qray.simulators.registry import BACKENDS

        return resolve_options(BACKENDS[backend].OPTIONS, self.backend_options.get(backend),
                               f"backend_options.{backend}")

    def result_keys(self) -> tuple[str, ...]:
        return (*super().result_keys(), "backends", "circuits", "n_qubits", "depth", "noise",
                "noise_2q", "readout_error", "shots", "repetitions")


def _each(values: list, key: str, ok, allowed: str) -> None:  # noqa: ANN001
    if not values:
        raise ConfigError(key, values, f"a non-empty list of {allowed}")
    for i, v in enumerate(values):
        if not ok(v):
            raise ConfigError(f"{key}[{i}]", v, allowed)
    _unique(values, key)


def _unique(values: list, key: str) -> None:
    seen = set()
    for i, v in enumerate(values):
        if v in seen:
            raise ConfigError(f"{key}[{i}]", v, "each value once", problem="duplicate value")
        seen.add(v)
