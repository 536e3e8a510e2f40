"""Dispatch an episode's tasks through a scheduler to qiskit-ibm-runtime ``SamplerV2``.

``mode=local`` runs each circuit on its node's fake backend (Aer with the backend's noise
model; circuits transpiled for the backend first) and needs no network. ``mode=ibm`` maps
each node to a configured real backend of ``QiskitRuntimeService`` (the five studied
devices are retired) with a token from the environment. Every task gives one row:
predicted (SimPy model) vs measured execution and waiting times, the job id and the
quality of its counts (Hellinger fidelity to the ideal distribution; GHZ success
probability).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qray.cloud.env_config import MAX_TRAIN_SEED_LIMIT, CloudEnvConfig
from qray.errors import ConfigError, QrayError

log = logging.getLogger(__name__)

MODES = ("local", "ibm")
#: logical widths up to which the ideal distribution is computed exactly
IDEAL_MAX_QUBITS = 16


@dataclass(frozen=True)
class IBMConfig:
    """How ``mode=ibm`` reaches IBM Quantum.

    Attributes:
        token_env: environment variable holding the API token (never put it in a file).
        channel: ``QiskitRuntimeService`` channel.
        instance: the instance (CRN) to use, or null for the account's default.
        backends: node name (washington, kolkata, ...) -> real backend name.
    """

    token_env: str = "QISKIT_IBM_TOKEN"
    channel: str = "ibm_quantum_platform"
    instance: str | None = None
    backends: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeployConfig:
    """``jobs/deploy_scheduler.py``.

    Attributes:
        mode: ``local`` (fake backends, offline) or ``ibm`` (real backends).
        scheduler: a heuristic name, ``policy:<folder>``, or ``policy:latest`` (the newest
            ``<output_dir>/*/policies/DQN``).
        episode: the episode key whose tasks are dispatched.
        output_dir: rows land in ``<output_dir>/deploy/``.
        env: the cloud env (its tasks and nodes).
        ibm: see ``IBMConfig``.
    """

    mode: str = "local"
    scheduler: str = "policy:latest"
    episode: int = 10_000_000
    output_dir: str = "results"
    env: CloudEnvConfig = field(default_factory=CloudEnvConfig)
    ibm: IBMConfig = field(default_factory=IBMConfig)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigError("mode", self.mode, list(MODES))
        if not 0 <= self.episode <= MAX_TRAIN_SEED_LIMIT:
            raise ConfigError("episode", self.episode, f"an integer in [0, {MAX_TRAIN_SEED_LIMIT}]")
        names = self.node_names()
        for node in self.ibm.backends:
            if node not in names:
                raise ConfigError(f"ibm.backends.{node}", node, names, problem="not a node:")
        if not self.scheduler.startswith("policy:"):
            from qray.cloud.heuristics import make_heuristic

            make_heuristic(self.scheduler, "scheduler")

    def node_names(self) -> list[str]:
        from qray.cloud.nodes import build_nodes

        return [n.name for n in build_nodes(self.env.nodes, "env.nodes", self.env.node_clops)]


def resolve_scheduler(spec: str, output_dir: str) -> str:
    """``policy:latest`` -> the newest exported DQN policy under ``output_dir``."""
    if spec != "policy:latest":
        return spec
    from pathlib import Path

    found = sorted(Path(output_dir).glob("*/policies/DQN/policy.json"),
                   key=lambda p: p.stat().st_mtime)
    if not found:
        raise ConfigError("scheduler", spec, "a heuristic name or policy:<folder>",
                          problem=f"no exported DQN policy under {output_dir!r} for",
                          hint="train one with python jobs/train_scheduler.py, or pass "
                               "scheduler=FeasibleGreedy")
    return f"policy:{found[-1].parent}"


def check_ibm(cfg: DeployConfig) -> str:
    """The IBM Quantum token, and every node mapped to a backend (before any work)."""
    node_names = cfg.node_names()
    token = os.environ.get(cfg.ibm.token_env, "").strip()
    if not token:
        raise QrayError(
            f"mode=ibm needs an IBM Quantum API token: set the environment variable "
            f"{cfg.ibm.token_env} (config key ibm.token_env), e.g. "
            f"`export {cfg.ibm.token_env}=...`, and map every node to a real backend with "
            f"ibm.backends.<node>=<backend> (nodes: {', '.join(node_names)}). "
            "Use --mode local to run on the fake backends offline.")
    missing = [n for n in node_names if n not in cfg.ibm.backends]
    if missing:
        raise ConfigError(f"ibm.backends.{missing[0]}", None,
                          "a real backend name for every node, e.g. ibm_brisbane",
                          problem="no backend mapped:")
    return token


def ibm_backends(cfg: DeployConfig, node_names: list[str]) -> dict[str, Any]:
    """Connect to IBM Quantum and resolve each node's backend."""
    token = check_ibm(cfg)
    from qiskit_ibm_runtime import QiskitRuntimeService

    service = QiskitRuntimeService(channel=cfg.ibm.channel, token=token,
                                   instance=cfg.ibm.instance)
    return {n: service.backend(cfg.ibm.backends[n]) for n in node_names}


def ideal_distribution(circuit: Any) -> dict[str, float] | None:
    """The noiseless outcome distribution of a measured circuit (None above 16 qubits, and
    for a circuit a statevector cannot describe: mid-circuit measurements, resets,
    classical control flow)."""
    if circuit.num_qubits > IDEAL_MAX_QUBITS:
        return None
    from qiskit.quantum_info import Statevector

    try:
        sv = Statevector(circuit.remove_final_measurements(inplace=False))
    except Exception as exc:  # QiskitError for instructions without a matrix
        log.info("no ideal distribution for %s: %s", circuit.name, exc)
        return None
    return {k: float(v) for k, v in sv.probabilities_dict().items() if v > 1e-12}


def quality(counts: dict[str, int], ideal: dict[str, float] | None,
            family: str) -> tuple[float | None, float | None]:
    """(Hellinger fidelity to the ideal distribution, GHZ success probability)."""
    shots = sum(counts.values())
    fid = None
    if ideal is not None:
        from qiskit.quantum_info import hellinger_fidelity

        fid = float(hellinger_fidelity(counts, ideal))
    success = None
    if family == "ghz":
        n = len(next(iter(counts)))
        success = (counts.get("0" * n, 0) + counts.get("1" * n, 0)) / shots
    return fid, success


def plan_episode(env: Any, scheduler: Any, episode: int) -> list[dict[str, Any]]:
    """Run the scheduler through the episode; the placements with the SimPy predictions."""
    obs, _ = env.reset(seed=episode)
    scheduler.reset(episode)
    placed: dict[int, dict[str, Any]] = {}
    while True:
        view = env.view()
        a = scheduler.act(obs, view)
        task = env.tasks[env.current]
        obs, _, term, trunc, info = env.step(a)
        if not info["rescheduled"]:
            placed[task.index] = {"task": task, "node": a,
                                  "predicted_exec_s": float(view.exec_time[a])}
        if term or trunc:
            break
    for r in info["episode"]["records"]:
        placed[r.task].update(predicted_wait_s=r.start - r.ready,
                              predicted_completion_s=r.completion,
                              reschedules=r.reschedules)
    return [placed[k] for k in sorted(placed)]


def local_simulator(fake: Any) -> Any:
    """Aer with the fake backend's noise model, built once per node (``SamplerV2`` on the
    fake backend itself rebuilds that noise model on every job)."""
    from qiskit_aer import AerSimulator

    return AerSimulator.from_backend(fake)


def deployment_name(cfg: DeployConfig, scheduler_spec: str) -> str:
    """``<mode>-<scheduler>-<episode>-<hash>``: the hash covers the scheduler (a policy's
    files), the env and the episode, so two policies never share a folder."""
    from pathlib import Path

    from qray.tasks import content_hash

    ident: dict[str, Any] = {"spec": scheduler_spec, "env": dataclasses.asdict(cfg.env),
                             "episode": cfg.episode, "mode": cfg.mode}
    label = scheduler_spec
    if scheduler_spec.startswith("policy:"):
        folder = Path(scheduler_spec[len("policy:"):])
        meta = json.loads((folder / "policy.json").read_text())  # has the model digest
        ident["policy"] = meta
        label = meta.get("name", "policy")
    return f"{cfg.mode}-{label}-{cfg.episode}-{content_hash(ident)[:8]}"


def load_scheduler(cfg: DeployConfig, scheduler_spec: str) -> Any:
    """The scheduler, refusing a policy trained on another env's observation."""
    from qray.cloud.worker import make_scheduler

    return make_scheduler(scheduler_spec, "scheduler", cfg.env)


def dispatch(cfg: DeployConfig, scheduler_spec: str, out_dir: Any) -> list[dict[str, Any]]:
    """Schedule the episode and run every task with SamplerV2; one row per task, each
    written to ``out_dir/task-XXX.parquet`` as it completes. A rerun keeps the tasks
    already there (in ``mode=ibm`` they are never submitted twice)."""
    from pathlib import Path

    import pandas as pd
    import pyarrow as pa
    from qiskit.transpiler import generate_preset_pass_manager
    from qiskit_ibm_runtime import SamplerV2

    from qray.cloud.env import QuantumCloudEnv
    from qray.cloud.nodes import fake_backend
    from qray.cloud.task_pool import TRANSPILE_SEED, qiskit_circuit
    from qray.cloud.worker import scheduler_kind
    from qray.results.writer import write_table_atomic

    names = cfg.node_names()
    if cfg.mode == "ibm":
        check_ibm(cfg)
    scheduler = load_scheduler(cfg, scheduler_spec)
    env = QuantumCloudEnv(cfg.env)
    backends = (ibm_backends(cfg, names) if cfg.mode == "ibm"
                else {n.name: fake_backend(n.backend) for n in env.node_list})
    placements = plan_episode(env, scheduler, cfg.episode)
    if len(placements) < len(env.tasks):
        log.warning("the scheduler left %d of %d tasks unplaced within env.max_steps",
                    len(env.tasks) - len(placements), len(env.tasks))
    out = Path(out_dir)
    managers: dict[str, Any] = {}
    samplers: dict[str, Any] = {}
    rows = []
    for p in placements:
        task, node = p["task"], names[p["node"]]
        path = out / f"task-{task.index:03d}.parquet"
        if path.is_file():
            rows.append(pd.read_parquet(path).iloc[0].to_dict())
            continue
        spec = env.pool[task.circuit]
        circuit = qiskit_circuit(spec)
        backend = backends[node]
        if node not in managers:
            managers[node] = generate_preset_pass_manager(
                optimization_level=1, backend=backend, seed_transpiler=TRANSPILE_SEED)
        isa = managers[node].run(circuit)
        if node not in samplers:
            samplers[node] = SamplerV2(mode=backend if cfg.mode == "ibm" else local_simulator(backend))
        t0 = time.perf_counter()
        job = samplers[node].run([isa], shots=task.shots)
        result = job.result()
        wall = time.perf_counter() - t0
        counts = result[0].join_data().get_counts()
        measured_exec, measured_wait = wall, None
        if cfg.mode == "ibm":
            metrics = job.metrics()
            measured_exec = float(metrics.get("usage", {}).get("quantum_seconds", wall))
            stamps = metrics.get("timestamps", {})
            if stamps.get("created") and stamps.get("running"):
                from datetime import datetime

                measured_wait = (datetime.fromisoformat(stamps["running"]) -
                                 datetime.fromisoformat(stamps["created"])).total_seconds()
        family = spec.source[0] if spec.source[0] != "qasm" else "qasm"
        fid, success = quality(counts, ideal_distribution(circuit), family)
        row = {
            "mode": cfg.mode, "episode": cfg.episode, "scheduler": scheduler.name,
            "scheduler_kind": scheduler_kind(scheduler), "task": task.index,
            "circuit": spec.name, "family": family, "width": task.width, "shots": task.shots,
            "node": node, "backend": getattr(backend, "name", str(backend)),
            "transpiled_depth": int(isa.depth()),
            "model_depth": int(task.node_depths[p["node"]]),
            "reschedules": int(p["reschedules"]),
            "predicted_exec_s": p["predicted_exec_s"],
            "predicted_wait_s": float(p["predicted_wait_s"]),
            "predicted_completion_s": float(p["predicted_completion_s"]),
            "measured_exec_s": float(measured_exec), "measured_wait_s": measured_wait,
            "job_id": job.job_id(), "hellinger_fidelity": fid, "ghz_success": success,
        }
        write_table_atomic(pa.Table.from_pylist([row]), path)
        rows.append(row)
        log.info("task %d (%s, %d q) -> %s: job %s, %.2fs, fidelity %s", task.index,
                 spec.name, task.width, node, job.job_id(), wall,
                 "n/a" if fid is None else f"{fid:.3f}")
    return rows


def comparison_table(rows: list[dict[str, Any]]) -> Any:
    """Per node: tasks, predicted vs measured execution and waiting, mean fidelity."""
    import pandas as pd

    df = pd.DataFrame(rows)
    g = df.groupby("node", sort=False)
    out = pd.DataFrame({
        "tasks": g.size(),
        "predicted_exec_s": g["predicted_exec_s"].mean(),
        "measured_exec_s": g["measured_exec_s"].mean(),
        "predicted_wait_s": g["predicted_wait_s"].mean(),
        "measured_wait_s": g["measured_wait_s"].mean(),
        "hellinger_fidelity": g["hellinger_fidelity"].mean(),
    }).reset_index()
    total = {"node": "all", "tasks": len(df),
             **{c: float(df[c].astype(float).mean()) for c in
                ("predicted_exec_s", "measured_exec_s", "predicted_wait_s",
                 "measured_wait_s", "hellinger_fidelity")}}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def load_deploy_config(path: str | Path, overrides: Sequence[str] = ()) -> DeployConfig:
    """The validated ``DeployConfig`` of a YAML file and ``key=value`` overrides."""
    from qray.config import build, load_mapping

    return build(DeployConfig, load_mapping(path, overrides), prefix="")
