"""The ``simulators`` workload: grid expansion and pre-flight validation.

A grid point is (backend, circuit, n_qubits, depth, noise); its tasks are the repetitions.
Every point is checked here, before Ray starts: unknown or missing backends, memory over
the budget and unsupported combinations (stim on a non-Clifford circuit, noise on a
noiseless-only backend). Such points become ``refused``/``unsupported`` rows when the rest
of the sweep is runnable; a backend with nothing runnable, or any such point under
``strict: true``, is a config error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from qray.circuits import sources
from qray.circuits.families import DEPTH_FAMILIES
from qray.circuits.ir import Circuit
from qray.circuits.noise import NoiseSpec
from qray.errors import ConfigError, MemoryGuardError, UnsupportedError
from qray.simulators.config import INSTALLED, MAX_TASKS, SimulatorsConfig
from qray.simulators.guards import check_memory
from qray.simulators.registry import BACKENDS, get_backend, installed_backends, new_backend
from qray.simulators.worker import circuit_of
from qray.tasks import Plan, Point, Task, stable_seed, wire_specs

WORKLOAD = "simulators"


def resolve_backends(cfg: SimulatorsConfig) -> list[str]:
    """Expand ``installed`` and check that every named backend can run.

    ``installed`` leaves out the density-matrix-only backends when the grid has no gate
    noise (they would redo their statevector siblings' work at 4^n cost); named
    explicitly, they run.
    """
    noisy = any(p > 0 for p in cfg.noise) or bool(cfg.noise_2q)
    names: list[str] = []
    for i, name in enumerate(cfg.backends):
        if name == INSTALLED:
            names += [b for b in installed_backends()
                      if b not in names and (noisy or not BACKENDS[b].density_only)]
            continue
        backend = get_backend(name, key=f"backends[{i}]")
        reason = None if backend.gpu else backend.unavailable_reason()
        if reason is not None:
            raise ConfigError(f"backends[{i}]", name, ", ".join(installed_backends()),
                              problem=f"backend not available here ({reason}):")
        if name not in names:
            names.append(name)
    if not names:
        raise ConfigError("backends", cfg.backends, "at least one available backend")
    return names


def libraries(cfg: SimulatorsConfig) -> list[str]:
    """The distributions of the sweep's backends (their versions go into provenance)."""
    return sorted({BACKENDS[b].distribution for b in resolve_backends(cfg)
                   if BACKENDS[b].distribution})


def measurement(cfg: SimulatorsConfig, backend: str) -> dict[str, Any]:
    """What changes a backend's measured times besides the circuit: its actor's CPUs (its
    library threads) and GPU share, its options (precision included), the untimed warmup
    runs before a point's timed ones, and its library's version. Part of every task id.

    Keys that change neither results nor times stay out: ``actor.batch_size`` (each run
    is timed on its own inside the actor), ``output_dir``, ``max_parallel``,
    ``timeout_s``, ``exact_max_qubits`` (checks computed after the timed region).
    """
    spec = cfg.resources_for(backend)
    return {
        "num_cpus": spec.num_cpus,
        "num_gpus": spec.num_gpus,
        "options": cfg.options_for(backend),
        "warmup": cfg.warmup,
        "version": BACKENDS[backend].version(),
    }


def point_params(cfg: SimulatorsConfig, backend: str, circuit: str, n: int, depth: int,
                 noise: float, measure: dict[str, Any] | None = None,
                 loaded: sources.Loaded | None = None) -> dict[str, Any]:
    """Everything that determines the result of a grid point's runs, and what it was
    measured under (:func:`measurement`). A loaded circuit (a file, an MQT benchmark) is
    named by its source and identified by its content hash."""
    if loaded is not None:
        return {
            "backend": backend,
            "circuit": loaded.name,
            "circuit_sha": loaded.sha,
            "n_qubits": loaded.circuit.n_qubits,
            "depth": 0,
            "noise": noise,
            "noise_2q": cfg.noise_2q,
            "readout_error": cfg.readout_error,
            "shots": cfg.shots,
            "measure": measure if measure is not None else measurement(cfg, backend),
        }
    return {
        "backend": backend,
        "circuit": circuit,
        "n_qubits": n,
        "depth": depth,
        "noise": noise,
        "noise_2q": cfg.noise_2q,
        "readout_error": cfg.readout_error,
        "shots": cfg.shots,
        "circuit_seed": stable_seed("circuit", circuit, n, depth, cfg.seed),
        "measure": measure if measure is not None else measurement(cfg, backend),
    }


def loaded_circuits(cfg: SimulatorsConfig) -> dict[str, list[sources.Loaded]]:
    """Each circuit source of ``cfg.circuits`` with its circuits, loaded and checked (a
    file that does not parse or holds what the IR cannot express is a ConfigError)."""
    out: dict[str, list[sources.Loaded]] = {}
    for i, entry in enumerate(cfg.circuits):
        if sources.is_source(entry):
            key = f"circuits[{i}]"
            out[entry] = [sources.load(name, key) for name in sources.expand_source(entry, key)]
    return out


def check_grid_size(cfg: SimulatorsConfig, backends: list[str],
                    loaded: dict[str, list[sources.Loaded]] | None = None) -> int:
    """The sweep's task count; a ConfigError naming its largest axis when it is over
    :data:`MAX_TASKS` (checked before any point is built)."""
    loaded = loaded or {}
    shapes = sum(len(cfg.depth) if c in DEPTH_FAMILIES else 1 for c in cfg.circuits
                 if c not in loaded) * len(cfg.n_qubits)
    shapes += sum(len(v) for v in loaded.values())
    n_tasks = len(backends) * shapes * len(cfg.noise) * cfg.repetitions
    if n_tasks > MAX_TASKS:
        axes = {"n_qubits": len(cfg.n_qubits), "depth": len(cfg.depth),
                "noise": len(cfg.noise), "repetitions": cfg.repetitions,
                "backends": len(backends), "circuits": len(cfg.circuits)}
        key = max(axes, key=axes.__getitem__)
        raise ConfigError(key, axes[key], f"a grid of at most {MAX_TASKS:,} tasks (backends x "
                          "circuits x n_qubits x depth x noise x repetitions)",
                          problem=f"too large a grid ({n_tasks:,} tasks); its largest factor is")
    return n_tasks


def plan(cfg: SimulatorsConfig) -> Plan:
    """Expand the config into points and pre-check each one."""
    backends = resolve_backends(cfg)
    loaded = loaded_circuits(cfg)
    check_grid_size(cfg, backends, loaded)
    points: list[Point] = []
    problems: dict[str, tuple[str, str]] = {}
    runnable: dict[str, int] = dict.fromkeys(backends, 0)
    first_problem: dict[str, str] = {}
    for backend in backends:
        impl = new_backend(backend)
        impl.configure(cfg.options_for(backend))
        measure = measurement(cfg, backend)
        for params, circuit in _grid(cfg, backend, measure, loaded):
            tasks = tuple(Task(WORKLOAD, {**params, "repetition": r})
                          for r in range(cfg.repetitions))
            point = Point(WORKLOAD, params, tasks)
            points.append(point)
            problem = _precheck(impl, params, cfg, circuit)
            if problem is None:
                runnable[backend] += 1
            else:
                problems[point.point_id] = problem
                first_problem.setdefault(backend, problem[1])
    for backend, count in runnable.items():
        if count == 0:
            raise ConfigError("backends", backend, "a backend that can run at least one point",
                              problem=f"nothing runnable ({first_problem[backend]}) for backend")
    if cfg.strict and problems:
        status, reason = next(iter(problems.values()))
        raise ConfigError("strict", True, "false, or a grid without refused points",
                          problem=f"{len(problems)} grid point(s) would be {status} ({reason}) "
                          "under strict =")
    return Plan(points, problems)


def _grid(cfg: SimulatorsConfig, backend: str, measure: dict[str, Any],
          loaded: dict[str, list[sources.Loaded]]) -> Iterator[tuple[dict[str, Any], Circuit | None]]:
    """A backend's points in config order: each one's parameters and, for a loaded
    circuit, its IR (a family's circuit is built from the parameters)."""
    for circuit in cfg.circuits:
        if circuit in loaded:
            for item in loaded[circuit]:
                for noise in cfg.noise:
                    yield point_params(cfg, backend, circuit, item.circuit.n_qubits, 0, noise,
                                       measure, item), item.circuit
            continue
        depths = cfg.depth if circuit in DEPTH_FAMILIES else [0]
        for n in cfg.n_qubits:
            for depth in depths:
                for noise in cfg.noise:
                    yield point_params(cfg, backend, circuit, n, depth, noise, measure), None


def _precheck(backend: Any, params: Mapping[str, Any], cfg: SimulatorsConfig,
              circuit: Circuit | None = None) -> tuple[str, str] | None:
    noise = NoiseSpec.depolarizing(params["noise"], p2=params["noise_2q"],
                                   readout=params["readout_error"])
    try:
        check_memory(backend, params["n_qubits"], noise, cfg.actor.memory_budget_mb)
        backend.check(circuit if circuit is not None else circuit_of(params), noise)
    except MemoryGuardError as exc:
        return "refused", str(exc)
    except UnsupportedError as exc:
        return "unsupported", str(exc)
    return None


def task_specs(point: Point, cfg: SimulatorsConfig, sweep_id: str,
               only: set[str] | None = None) -> list[dict[str, Any]]:
    """The wire form of a point's tasks, as the actors receive them; a loaded circuit's IR
    travels with them (``circuit_ir``), so workers need neither its file nor MQT Bench."""
    extra: dict[str, Any] = {}
    params = point.params
    if "circuit_sha" in params:
        item = sources.load(params["circuit"], "circuits")
        if item.sha != params["circuit_sha"]:
            raise ConfigError("circuits", params["circuit"], "a circuit that does not change "
                              "while its sweep runs", problem=f"content changed (hash "
                              f"{item.sha}, planned {params['circuit_sha']}):")
        extra["circuit_ir"] = sources.to_wire(item.circuit)
    return wire_specs(point, sweep_id, only=only, timeout_s=cfg.timeout_s,
                      seed=lambda t: stable_seed("run", t.strong_id, cfg.seed), **extra)
