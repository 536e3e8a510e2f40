"""The simulator worker: runs tasks on one backend, with guards, timeouts and timing.

Plain Python (no Ray): the runtime's worker actor (``actors/runtime/worker_actor.py``) is a
thin shell around it, and the benchmarks call it in-process for the baseline.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import json
import logging
import os
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from qray.circuits import sources
from qray.circuits.families import make_circuit
from qray.circuits.ir import Circuit
from qray.circuits.noise import NoiseSpec
from qray.errors import MemoryGuardError, UnsupportedError
from qray.lifecycle import THREAD_ENV_VARS, RunMemory, peak_rss_mb
from qray.results.schema import common_row
from qray.simulators.backends.numpy_backend import ideal_probabilities
from qray.simulators.guards import check_memory
from qray.simulators.options import settings_label
from qray.simulators.registry import new_backend
from qray.simulators.rows import WORKLOAD
from qray.worker import RowWorker

log = logging.getLogger(__name__)


def noise_of(params: Mapping[str, Any]) -> NoiseSpec:
    """The NoiseSpec of a task's parameters."""
    return NoiseSpec.depolarizing(
        params["noise"], p2=params.get("noise_2q"), readout=params.get("readout_error", 0.0)
    )


def circuit_of(params: Mapping[str, Any], spec: Mapping[str, Any] | None = None) -> Circuit:
    """The circuit of a task's parameters: a family's, built from them, or a loaded one's
    IR from the spec (``circuit_ir``, checked against its content hash)."""
    if "circuit_sha" in params:
        data = (spec or {}).get("circuit_ir")
        circuit = (sources.from_wire(data) if data is not None
                   else sources.load(params["circuit"], "circuits").circuit)
        if sources.circuit_sha(circuit) != params["circuit_sha"]:
            raise ValueError(f"circuit {params['circuit']!r}: its content hash "
                             f"{sources.circuit_sha(circuit)} is not the task's "
                             f"{params['circuit_sha']}")
        return circuit
    return make_circuit(
        params["circuit"], params["n_qubits"], depth=params["depth"], seed=params["circuit_seed"]
    )


def apply_readout(outcomes: np.ndarray, n_qubits: int, p: float, seed: int) -> np.ndarray:
    """Flip each measured bit with probability ``p`` (seeded)."""
    if p <= 0:
        return outcomes
    rng = np.random.default_rng(seed)
    flips = rng.random((outcomes.size, n_qubits)) < p
    weights = 1 << np.arange(n_qubits - 1, -1, -1, dtype=np.int64)
    return outcomes ^ (flips.astype(np.int64) @ weights)


def tvd(p: np.ndarray, q: np.ndarray) -> float:
    """Total-variation distance of two distributions on the same support."""
    return float(0.5 * np.abs(np.asarray(p) - np.asarray(q)).sum())


class SimulatorWorker(RowWorker):
    """Runs simulator tasks on one backend instance it owns.

    Args:
        backend: registry name of the backend.
        threads: library threads (the CPUs the owning actor reserves).
        memory_budget_mb: per-run memory guard.
        max_tasks: after this many tasks ``should_recycle`` says so (0: never).
        max_rss_mb: ``should_recycle`` says so when RSS passes this.
        exact_max_qubits: record exact noiseless distributions up to this size.
        options: the backend's options (``backend_options.<backend>``).

    Its own ``run_task`` (not the base's): a run has a timeout on a thread of its own, and
    ends ``unsupported`` or ``refused`` before any compute where the backend cannot run it.
    """

    WORKLOAD = WORKLOAD

    def __init__(
        self,
        backend: str,
        *,
        threads: int = 1,
        memory_budget_mb: float = 4096.0,
        max_tasks: int = 0,
        max_rss_mb: float = float("inf"),
        exact_max_qubits: int = 12,
        options: Mapping[str, Any] | None = None,
        actor_name: str = "",
    ) -> None:
        super().__init__(actor_name=actor_name or f"inprocess/{backend}",
                         max_tasks=max_tasks, max_rss_mb=max_rss_mb)
        self.backend = new_backend(backend)
        self.backend.configure(options)
        self.thread_settings = self.backend.set_threads(threads)
        self.memory_budget_mb = memory_budget_mb
        self.exact_max_qubits = exact_max_qubits
        self.stuck = False
        #: the grid points this process has warmed up
        self.warmed: set[Any] = set()
        self._pending: cf.Future | None = None
        self._executor = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="qray-run")
        self._version = self.backend.version()

    def warmup(self) -> float:
        """Import the library and run a tiny circuit once; returns the seconds it took."""
        t0 = time.perf_counter()
        self.backend.compile(make_circuit("ghz", 2), NoiseSpec()).sample(8, 0)
        return time.perf_counter() - t0

    def info(self) -> dict[str, Any]:
        """Backend, its thread settings (and the thread variables of this process), tasks
        run."""
        return {"backend": self.backend.name, "threads": self.backend.threads,
                "thread_settings": self.thread_settings, "options": self.backend.options,
                "env_threads": {k: os.environ.get(k) for k in THREAD_ENV_VARS},
                "tasks_done": self.tasks_done}

    def close(self) -> None:
        """Release the run thread (idempotent)."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def should_recycle(self) -> str | None:
        """Why the owning process should be replaced now, or None."""
        if self.stuck:
            return "a timed-out run could not be interrupted"
        return self.policy.reason(self.tasks_done)

    def run_batch(self, specs: Sequence[Mapping[str, Any]], *, warmup: int = 0) -> list[dict]:
        """Run ``specs`` in order; the first task of each grid point this process has not
        warmed up yet is first run ``warmup`` times unrecorded (a batch may hold many
        points: warming up costs per point, not per batch).

        Stops early while a timed-out run's thread is still busy (from this batch or an
        earlier one): the rows returned cover a prefix of ``specs``, possibly empty, and
        the caller recycles this process before sending the rest.
        """
        rows = []
        for spec in specs:
            if self.stuck and not (self._pending is not None and self._pending.done()):
                break  # leave the rest to a fresh process
            self.stuck = False
            point = spec.get("point_id")
            if warmup and point not in self.warmed:
                for _ in range(warmup):
                    self.run_task(dict(spec), record=False)
                self.warmed.add(point)
            rows.append(self.run_task(spec))
        return rows

    @staticmethod
    def identity(params: Mapping[str, Any]) -> dict[str, Any]:
        """A task's identifying columns with no worker at hand (its actor died): the
        backend's version from the registry, the threads unknown."""
        from qray.simulators.registry import get_backend

        backend = params["backend"]
        return identity(params, backend=backend, version=get_backend(backend).version(),
                        threads=None)

    def run_task(self, spec: Mapping[str, Any], *, record: bool = True) -> dict:
        """Run one task spec and return its result row (never raises for a bad run)."""
        params = spec["params"]
        timeout_s = float(spec.get("timeout_s", 300.0))
        started = time.perf_counter()
        row = base_row(spec, backend=self.backend.name, version=self._version,
                       actor=self.actor_name, threads=self.backend.threads)
        try:
            circuit = circuit_of(params, spec)
            noise = noise_of(params)
            row.update(
                circuit_depth=circuit.depth, gates_1q=circuit.count(1), gates_2q=circuit.count(2),
                method=self.backend.method(circuit.n_qubits, noise),
            )
            self.backend.check(circuit, noise)
            need = check_memory(self.backend, circuit.n_qubits, noise, self.memory_budget_mb)
            row["memory_estimate_mb"] = need / 2**20
            if self.stuck and self._pending is not None:
                with contextlib.suppress(cf.TimeoutError):  # give it one more timeout
                    self._pending.exception(timeout=timeout_s)
                self.stuck = not self._pending.done()
            if self.stuck:
                raise RuntimeError("worker thread is stuck on a timed-out run; recycling")
            future = self._executor.submit(self._timed_run, circuit, noise, params, spec["seed"])
            self._pending = future
            try:
                build_s, run_s, outcomes, memory_mb = future.result(timeout=timeout_s)
            except cf.TimeoutError:
                self.stuck = True
                self._executor = cf.ThreadPoolExecutor(max_workers=1)
                row.update(status="timeout", error=f"run exceeded timeout_s={timeout_s:g}")
            else:
                row.update(status="ok", build_s=build_s, run_s=run_s, run_memory_mb=memory_mb)
                self._quality(row, circuit, outcomes, params)
        except UnsupportedError as exc:
            row.update(status="unsupported", error=str(exc))
        except MemoryGuardError as exc:
            row.update(status="refused", error=str(exc))
        except Exception as exc:
            log.warning("task %s failed on %s: %s", spec.get("task_id"), self.backend.name, exc)
            row.update(status="error", error=f"{type(exc).__name__}: {exc}"[:2000])
        if record:
            self.tasks_done += 1
        row["wall_s"] = time.perf_counter() - started
        row["peak_rss_mb"] = peak_rss_mb()
        row["created_at"] = datetime.now(UTC)
        return row

    # -- internals -------------------------------------------------------------------------
    def _timed_run(
        self, circuit: Circuit, noise: NoiseSpec, params: Mapping[str, Any], seed: int
    ) -> tuple[float, float, np.ndarray, float]:
        """Build and sample: the two times, the outcomes, and the run's memory (MiB above
        the process's resident memory when the build began)."""
        with RunMemory() as memory:
            t0 = time.perf_counter()
            compiled = self.backend.compile(circuit, noise)
            t1 = time.perf_counter()
            outcomes = compiled.sample(params["shots"], seed)
            t2 = time.perf_counter()
        outcomes = apply_readout(outcomes, circuit.n_qubits, noise.readout, seed + 1)
        return t1 - t0, t2 - t1, outcomes, memory.mb

    def _quality(
        self, row: dict, circuit: Circuit, outcomes: np.ndarray, params: Mapping[str, Any]
    ) -> None:
        values, counts = np.unique(outcomes, return_counts=True)
        row["outcomes"] = values.tolist()
        row["counts"] = counts.tolist()
        n = circuit.n_qubits
        shots = int(counts.sum())
        if circuit.family == "ghz":
            ones = (1 << n) - 1
            row["ghz_population"] = float(counts[(values == 0) | (values == ones)].sum() / shots)
        if n <= self.exact_max_qubits:
            ideal = ideal_probabilities(circuit)
            empirical = np.zeros(2**n)
            empirical[values] = counts / shots
            row["tvd_ideal"] = tvd(empirical, ideal)
            if not noise_of(params).has_gate_noise and params.get("repetition", 0) == 0:
                row["probs"] = self.backend.probabilities(circuit).tolist()


def base_row(spec: Mapping[str, Any], *, backend: str, version: str, actor: str,
             threads: int | None) -> dict:
    """A task's row before it runs (status ``error`` until it does): the common columns
    and :func:`identity`."""
    return {**common_row(spec, workload=WORKLOAD, actor=actor),
            **identity(spec["params"], backend=backend, version=version, threads=threads)}


def identity(params: Mapping[str, Any], *, backend: str, version: str,
             threads: int | None) -> dict:
    """The identifying columns of a task's row, with the settings it is measured under
    (its ``measure`` parameters)."""
    measure = params.get("measure") or {}
    options = measure.get("options") or {}
    label = settings_label(threads if threads is not None
                           else max(1, int(measure.get("num_cpus", 1))),
                           measure.get("num_gpus", 0.0), measure.get("warmup", 0), options)
    return {
        "backend": backend,
        "backend_version": version,
        "circuit": params["circuit"],
        "circuit_sha": params.get("circuit_sha"),
        "n_qubits": params["n_qubits"],
        "depth": params["depth"],
        "noise": params["noise"],
        "noise_2q": params.get("noise_2q"),
        "readout_error": params.get("readout_error", 0.0),
        "shots": params["shots"],
        "repetition": params.get("repetition", 0),
        "threads": threads,
        "num_gpus": measure.get("num_gpus"),
        "warmup": measure.get("warmup"),
        "backend_options": json.dumps(options, sort_keys=True),
        "settings": label,
    }
