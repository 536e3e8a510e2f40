"""The ``routing`` sweep: a grid point is (router, coupling map, family, size); its tasks
are the seeded circuit instances. Exported policies are loaded here, before Ray starts,
so a missing or malformed policy, one whose ``policy.pt`` is not the model its
``policy.json`` describes, or one trained on another map is a config error naming its key;
the task id covers ``policy.json``'s content and the verified digest of the model itself,
so rows of another model never count as this one's. A grid without tasks is refused."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from qray.routing.circuits.benchmarks import family_deterministic
from qray.routing.circuits.graphs import coupling_graph
from qray.routing.config import RoutingConfig, is_policy_router
from qray.routing.rows import WORKLOAD
from qray.tasks import Plan, Point, Task, stable_seed, wire_specs

log = logging.getLogger(__name__)


def policy_digest(coupling_map: str, folder: str) -> dict[str, str]:
    """What identifies the policy of ``coupling_map`` in its task ids: the hash of its
    ``policy.json`` and its model's digest, computed from the loaded module (loading
    refuses a ``policy.pt`` whose digest is not the one ``policy.json`` records)."""
    from qray.errors import ConfigError
    from qray.routing.learned.policy import ALLOWED, META_FILE, load_policy

    key = f"policies.{coupling_map}"
    policy = load_policy(folder, coupling_graph(coupling_map), key=key,
                         coupling_map=coupling_map)
    try:
        meta = (Path(folder) / META_FILE).read_bytes()
    except OSError as exc:
        raise ConfigError(key, folder, ALLOWED, problem=f"cannot read {META_FILE} ({exc}):"
                          ) from None
    return {"policy_sha": hashlib.sha256(meta).hexdigest()[:16],
            "model_digest": policy.model_digest}


def plan(cfg: RoutingConfig) -> Plan:
    digests = {m: policy_digest(m, f) for m, f in cfg.policies.items()}
    families = cfg.runnable_families()
    if len(families) < len(cfg.families):
        log.warning("mqt.bench is not installed: skipping %s",
                    [f for f in cfg.families if f not in families])
    cfg.check_grid()  # never an empty grid (also checked when the config is built)
    points = []
    for router in cfg.all_routers():
        for cmap in cfg.maps:
            if is_policy_router(router) and cmap not in cfg.policies:
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
                    if is_policy_router(router):
                        params["policy"] = cfg.policies[cmap]
                        params.update(digests[cmap])
                        if router.rsplit("-", 1)[-1].isdigit():
                            params["search_width"] = int(router.rsplit("-", 1)[-1])
                            params["search_horizon"] = cfg.search_horizon
                    n = 1 if family_deterministic(family) else cfg.instances
                    tasks = tuple(Task(WORKLOAD, {**params, "instance": cfg.seed_base + i})
                                  for i in range(n))
                    points.append(Point(WORKLOAD, params, tasks))
    return Plan(points, {})


def task_specs(point: Point, cfg: RoutingConfig, sweep_id: str,
               only: set[str] | None = None) -> list[dict[str, Any]]:
    """The wire form of a point's circuit instances."""
    return wire_specs(point, sweep_id, only=only,
                      seed=lambda t: stable_seed("routing", cfg.seed, t.params["instance"]))
