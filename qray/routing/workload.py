"""The ``routing`` sweep: a grid point is (router, coupling map, family, size); its tasks
are the seeded circuit instances. Exported policies are loaded here, before Ray starts,
so a missing policy or one trained on another map is a config error naming its key; the
task id covers the policy file's content."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qray.routing.benchmarks import family_deterministic, mqt_available
from qray.routing.eval_config import POLICY_ROUTER, RoutingConfig
from qray.routing.graphs import coupling_graph
from qray.routing.rows import WORKLOAD
from qray.tasks import Point, Task, stable_seed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    points: list[Point]
    problems: dict[str, tuple[str, str]]

    @property
    def n_tasks(self) -> int:
        return sum(len(p.tasks) for p in self.points)


def policy_digest(coupling_map: str, folder: str) -> str:
    from qray.routing.policy import META_FILE, load_policy

    load_policy(folder, coupling_graph(coupling_map), key=f"policies.{coupling_map}",
                coupling_map=coupling_map)
    return hashlib.sha256((Path(folder) / META_FILE).read_bytes()).hexdigest()[:16]


def plan(cfg: RoutingConfig) -> Plan:
    digests = {m: policy_digest(m, f) for m, f in cfg.policies.items()}
    families = list(cfg.families)
    if any(f.startswith("mqt-") for f in families) and not mqt_available():
        log.warning("mqt.bench is not installed: skipping %s",
                    [f for f in families if f.startswith("mqt-")])
        families = [f for f in families if not f.startswith("mqt-")]
    points = []
    for router in cfg.all_routers():
        for cmap in cfg.maps:
            if router == POLICY_ROUTER and cmap not in cfg.policies:
                continue
            width = coupling_graph(cmap).number_of_nodes()
            for family in families:
                for size in cfg.sizes:
                    if size > width:
                        log.info("%s: size %d > %d qubits, skipped", cmap, size, width)
                        continue
                    params: dict[str, Any] = {"router": router, "coupling_map": cmap,
                                              "family": family, "n_qubits": size,
                                              "random_gates": cfg.random_gates,
                                              "sabre_seed": cfg.sabre_seed,
                                              "max_steps": cfg.max_steps,
                                              "operator_max_qubits": cfg.operator_max_qubits}
                    if router == POLICY_ROUTER:
                        params["policy"] = cfg.policies[cmap]
                        params["policy_sha"] = digests[cmap]
                    n = 1 if family_deterministic(family) else cfg.instances
                    tasks = tuple(Task(WORKLOAD, {**params, "instance": cfg.seed_base + i})
                                  for i in range(n))
                    points.append(Point(WORKLOAD, params, tasks))
    return Plan(points, {})


def task_specs(point: Point, cfg: RoutingConfig, sweep_id: str,
               only: set[str] | None = None) -> list[dict[str, Any]]:
    return [
        {
            "task_id": t.strong_id,
            "point_id": point.point_id,
            "sweep_id": sweep_id,
            "seed": stable_seed("routing", cfg.seed, t.params["instance"]),
            "params": dict(t.params),
        }
        for t in point.tasks
        if only is None or t.strong_id in only
    ]
