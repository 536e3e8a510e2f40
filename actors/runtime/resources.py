"""Up-front checks of resource requests against the cluster.

Ray leaves an actor whose ``num_gpus`` (or custom resource) no node has pending forever,
without an error; qray checks every request against the live nodes first and refuses
the sweep with a message naming the key, the value and what the cluster has.
"""

from __future__ import annotations

from collections.abc import Mapping

import ray

from qray.config import ResourceSpec
from qray.errors import ResourceError
from qray.lifecycle import THREAD_ENV_VARS


def spec_demand(spec: ResourceSpec) -> dict[str, float]:
    """A ResourceSpec as Ray resource names and amounts (zero amounts dropped)."""
    need = {"CPU": spec.num_cpus, "GPU": spec.num_gpus, **spec.resources}
    return {k: float(v) for k, v in need.items() if v > 0}


def alive_node_resources() -> list[dict[str, float]]:
    """Total resources of each alive node."""
    return [dict(n["Resources"]) for n in ray.nodes() if n.get("Alive")]


def validate_requests(requests: Mapping[str, ResourceSpec],
                      nodes: list[dict[str, float]] | None = None) -> None:
    """Raise ResourceError unless each request fits on at least one alive node."""
    nodes = alive_node_resources() if nodes is None else nodes
    totals: dict[str, float] = {}
    for node in nodes:
        for r, v in node.items():
            totals[r] = totals.get(r, 0.0) + v
    for key, spec in requests.items():
        need = spec_demand(spec)
        if any(all(node.get(r, 0.0) >= v for r, v in need.items()) for node in nodes):
            continue
        field_of = {"CPU": "num_cpus", "GPU": "num_gpus"}
        for r, v in need.items():
            best = max((node.get(r, 0.0) for node in nodes), default=0.0)
            if best < v:
                name = field_of.get(r, f"resources.{r}")
                raise ResourceError(
                    f"config key 'resources.{key}.{name}': value {v:g} cannot be satisfied: "
                    f"the largest node has {best:g} {r} (cluster total {totals.get(r, 0.0):g}); "
                    f"allowed: at most {best:g}. Ray would leave this actor pending forever"
                    + ("; drop the GPU backend or add a GPU node" if r == "GPU" else "")
                )
        raise ResourceError(
            f"config key 'resources.{key}': request {need} fits no single node of the "
            f"cluster (nodes: {[{r: n.get(r, 0.0) for r in need} for n in nodes]})"
        )


def free_capacity() -> dict[str, float]:
    """Resources free in the cluster now (other jobs' reservations left out): what the
    sweep's actors may hold together."""
    return {r: float(v) for r, v in ray.available_resources().items()}


def thread_env(threads: int) -> dict[str, str]:
    """Environment that caps every threaded library of an actor at ``threads``."""
    return dict.fromkeys(THREAD_ENV_VARS, str(threads))
