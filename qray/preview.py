"""What a sweep would do now, without Ray and without writing anything
(``qray sweep --dry-run``): its points, the tasks that already have rows, the tasks left,
and the actors its pool may create with their reservations.

It follows the workload's spec, as the driver does, and makes the same checks the driver
makes before it starts Ray, so a sweep the driver would refuse is refused here too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from qray.chunks import FAILED_STATUSES, chunk_size, cut_units, pending, pending_with_reuse
from qray.config import ResourceSpec, SweepConfig
from qray.errors import ResourceError

__all__ = ["FAILED_STATUSES", "ActorPreview", "SweepPreview", "pending", "preview_sweep"]


@dataclass(frozen=True)
class ActorPreview:
    """One actor of the pool: its key, the ``resources`` entry its reservation comes
    from (``default``, or None for the built-in default) and the reservation."""

    key: str
    entry: str | None
    resources: ResourceSpec


@dataclass(frozen=True)
class SweepPreview:
    """The counts the sweep's report would give if it ran now, and its actors."""

    sweep_id: str
    sweep_dir: Path
    workload: str
    points: int
    #: points the plan already decided, by the status their rows get (``unsupported``)
    prechecked: dict[str, int]
    tasks: int
    done: int
    to_run: int
    trials: int
    actors: list[ActorPreview]
    unreadable: list[str]
    #: of ``done``: tasks whose rows other sweeps of the output folder hold (copied, not run)
    reused: int = 0
    #: what the reservations were checked against, or why they could not be
    checks: list[str] = field(default_factory=list)

    def format(self) -> str:
        """The preview as ``qray sweep --dry-run`` prints it."""
        state = "exists" if self.sweep_dir.exists() else "not created yet"
        decided = ", ".join(f"{n} {status}" for status, n in self.prechecked.items())
        lines = [
            f"sweep {self.sweep_id} (dry run: Ray not started, nothing written)",
            f"  workload  {self.workload}",
            f"  folder    {self.sweep_dir} ({state})",
            f"  points    {self.points}" + (
                f" ({sum(self.prechecked.values())} recorded without running: {decided})"
                if self.prechecked else ""),
            f"  tasks     {self.tasks} tasks, {self.done} already done, {self.to_run} to run "
            f"in {self.trials} trials" + (f" ({self.reused} done by other sweeps of the output "
                                          "folder: their rows are reused)" if self.reused else ""),
        ]
        if self.unreadable:
            lines.append(f"  skipped   {len(self.unreadable)} unreadable file(s): "
                         + ", ".join(self.unreadable))
        lines.append(f"  actors    {len(self.actors)}")
        width = max((len(a.key) for a in self.actors), default=0)
        for a in self.actors:
            res = a.resources
            extra = "".join(f" {n}={v:g}" for n, v in sorted(res.resources.items()))
            source = f"resources.{a.entry}" if a.entry else "built-in default"
            lines.append(f"    {a.key:<{width}}  num_cpus={res.num_cpus:g} "
                         f"num_gpus={res.num_gpus:g}{extra}  ({source})")
        lines += [f"  {line}" for line in self.checks]
        return "\n".join(lines) + "\n"


def preview_sweep(cfg: SweepConfig, *, rerun_failed: bool = False,
                  allow_config_change: bool = False) -> SweepPreview:
    """The sweep of ``cfg`` as it stands: the driver's checks before Ray (plan, output
    folder, the sweep's earlier config), then the tasks that have rows (reading only their
    ids and statuses). Raises what the driver would raise; writes nothing."""
    from qray.results import read_ids
    from qray.results.folder import check_manifest, check_output_dir
    from qray.workloads import sweep_spec

    spec = sweep_spec(cfg.workload)
    plan = spec.load("workload").plan(cfg)
    if spec.actor_keys:
        keys = list(spec.load("actor_keys")(cfg, plan))
    else:
        keys = sorted({spec.key_of(p, plan) for p in plan.points})
    check_output_dir(cfg.output_dir, cfg.sweep_dir, cfg.workload)
    check_manifest(cfg, cfg.sweep_dir, allow_config_change=allow_config_change)
    schema = spec.load("schema")
    existing, problems = read_ids(cfg.sweep_dir / cfg.workload, schema)
    work, reusable = pending_with_reuse(plan, existing, cfg.sweep_dir, cfg.workload, schema,
                                        rerun_failed=rerun_failed)
    units = cut_units(work, lambda p: spec.key_of(p, plan), size=chunk_size(cfg, work.n_run),
                      per_point=bool(spec.run_point))
    done, to_run, trials = work.skipped, work.n_run, len(units)
    actors = [ActorPreview(k, cfg.resources_entry(spec.resources_entry(k)),
                           cfg.resources_for(spec.resources_entry(k))) for k in keys]
    prechecked = Counter(status for status, _ in plan.problems.values())
    return SweepPreview(cfg.resolved_sweep_id, cfg.sweep_dir, cfg.workload, len(plan.points),
                        dict(sorted(prechecked.items())), plan.n_tasks, done, to_run, trials,
                        actors, [str(p.path) for p in problems], reusable.n,
                        check_reservations(cfg, actors))


def local_gpus() -> int:
    """GPUs an embedded Ray would see here: ``CUDA_VISIBLE_DEVICES`` when set (as Ray
    reads it), else the GPUs ``nvidia-smi -L`` lists, else none."""
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        return len([d for d in visible.split(",") if d.strip() and d.strip() != "-1"])
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return 0
    try:
        out = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return 0
    return sum(line.startswith("GPU ") for line in out.splitlines())


def check_reservations(cfg: SweepConfig, actors: list[ActorPreview]) -> list[str]:
    """Refuse a reservation the embedded Ray this sweep would start cannot satisfy (this
    machine's CPUs and GPUs, no custom resources), as the real run does after Ray starts;
    the lines saying what was checked, or why nothing could be (a cluster's nodes are
    known only once Ray connects)."""
    if cfg.ray.address not in (None, "local") or (
            cfg.ray.address is None and os.environ.get("RAY_ADDRESS")):
        where = cfg.ray.address or f"RAY_ADDRESS={os.environ['RAY_ADDRESS']}"
        return [f"unchecked the reservations against the cluster at {where} (its nodes "
                "are known once Ray connects; the real run checks them before any actor "
                "starts)"]
    cpus = cfg.ray.num_cpus or os.cpu_count() or 1
    have = {"CPU": float(cpus), "GPU": float(local_gpus())}
    for actor in actors:
        res = actor.resources
        key = actor.entry or actor.key
        for name, kind, v in (("num_cpus", "CPU", res.num_cpus),
                              ("num_gpus", "GPU", res.num_gpus),
                              *((f"resources.{r}", r, n) for r, n in res.resources.items())):
            if v > have.get(kind, 0.0):
                raise ResourceError(
                    f"config key 'resources.{key}.{name}': value {v:g} cannot be satisfied: "
                    f"this machine, the embedded Ray's only node, has {have.get(kind, 0):g} "
                    f"{kind}; allowed: at most {have.get(kind, 0):g}. Ray would leave this "
                    "actor pending forever")
    return [f"checked   every reservation fits this machine, the embedded Ray's node "
            f"({cpus} CPU, {int(have['GPU'])} GPU, no custom resources)"]

