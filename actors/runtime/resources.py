"""Up-front checks of resource requests against the cluster.

Ray leaves an actor whose ``num_gpus`` (or custom resource) no node has pending forever,
without an error; qray checks every request against the live nodes first and refuses
the sweep with a message naming the key, the value and what the cluster has. On an
autoscaling cluster a request that only a node type not launched yet offers is accepted:
the autoscaler starts such a node for the pending actor.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from pathlib import Path

import psutil
import ray
import yaml

from qray.config import ResourceSpec
from qray.errors import ResourceError
from qray.lifecycle import THREAD_ENV_VARS

log = logging.getLogger(__name__)


def spec_demand(spec: ResourceSpec) -> dict[str, float]:
    """A ResourceSpec as Ray resource names and amounts (zero amounts dropped)."""
    need = {"CPU": spec.num_cpus, "GPU": spec.num_gpus, **spec.resources}
    return {k: float(v) for k, v in need.items() if v > 0}


def alive_node_resources() -> list[dict[str, float]]:
    """Total resources of each alive node."""
    return [dict(n["Resources"]) for n in ray.nodes() if n.get("Alive")]


def autoscaler_node_types() -> list[dict[str, float]]:
    """Resources of each node type the cluster's autoscaler may still launch.

    Read from the cluster config an autoscaler reports to the GCS, else from the
    ``--autoscaling-config`` of the head's autoscaler process (``ray start --head
    --autoscaling-config``, which ``ray up`` runs), when it runs on this machine. Empty
    without an autoscaler, or when neither can be read.
    """
    if not ray.is_initialized():
        return []
    try:
        config = ray._private.state.state.get_cluster_config()
    except Exception:  # an older GCS, or none reported
        config = None
    if config is not None and config.node_group_configs:
        return [{r: float(v) for r, v in g.resources.items()}
                for g in config.node_group_configs if g.max_count != 0]
    try:
        path = _monitor_config_path(ray.get_runtime_context().gcs_address)
    except Exception:  # e.g. a Ray Client connection: no GCS address of its own
        path = None
    if path is None:
        return []
    try:
        return launcher_node_types(yaml.safe_load(path.read_text()) or {})
    except (OSError, yaml.YAMLError, AttributeError, TypeError, ValueError) as exc:
        log.warning("cannot read the autoscaling config %s: %s", path, exc)
        return []


def launcher_node_types(config: Mapping) -> list[dict[str, float]]:
    """Resources of the node types of a cluster-launcher config (``available_node_types``)
    that the autoscaler may launch: ``max_workers`` (the type's, else the global one)
    above 0."""
    limit = config.get("max_workers", sys.maxsize)
    return [{r: float(v) for r, v in (t.get("resources") or {}).items()}
            for t in (config.get("available_node_types") or {}).values()
            if min(t.get("max_workers", limit), limit) > 0]


def _monitor_config_path(gcs_address: str) -> Path | None:
    """The ``--autoscaling-config`` file of the autoscaler (Ray's monitor process) of
    the cluster at ``gcs_address``, if that process runs on this machine."""
    for proc in psutil.process_iter(["cmdline"]):
        args = proc.info["cmdline"] or []
        if (f"--gcs-address={gcs_address}" not in args
                or not any(a.endswith("monitor.py") and "autoscaler" in a for a in args)):
            continue
        path = next((a.split("=", 1)[1] for a in args
                     if a.startswith("--autoscaling-config=")), None)
        try:  # a relative path is the monitor's own working dir's
            return None if path is None else Path(proc.cwd()) / Path(path).expanduser()
        except psutil.Error:
            return None
    return None


def validate_requests(requests: Mapping[str, ResourceSpec],
                      nodes: list[dict[str, float]] | None = None,
                      launchable: list[dict[str, float]] | None = None) -> None:
    """Raise ResourceError unless each request fits on at least one alive node, or on a
    node type the autoscaler can launch (``launchable``; asked from the cluster when
    None and no alive node fits)."""
    nodes = alive_node_resources() if nodes is None else nodes
    totals: dict[str, float] = {}
    for node in nodes:
        for r, v in node.items():
            totals[r] = totals.get(r, 0.0) + v
    for key, spec in requests.items():
        need = spec_demand(spec)
        if any(all(node.get(r, 0.0) >= v for r, v in need.items()) for node in nodes):
            continue
        if launchable is None:
            launchable = autoscaler_node_types()
        if any(all(node.get(r, 0.0) >= v for r, v in need.items()) for node in launchable):
            log.info("resources.%s: %s fits no alive node; the autoscaler can launch a "
                     "node that offers it", key, need)
            continue
        field_of = {"CPU": "num_cpus", "GPU": "num_gpus"}
        for r, v in need.items():
            best = max((node.get(r, 0.0) for node in [*nodes, *launchable]), default=0.0)
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
