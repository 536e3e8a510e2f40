"""The actor pool: creates, names, shares, evicts and recycles the long-lived actors.

A sweep may name more backends than the cluster can host at once (eight 1-CPU simulator
actors on a 2-CPU laptop). The pool keeps the reservations of live actors within the
cluster's capacity: it creates an actor when a trial first needs it, evicts the least
recently used idle one when room is needed, and restarts an actor's process when the actor
asks to be recycled (task count or RSS limit), so a long sweep's memory stays bounded.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import ray

from actors.runtime.metrics import record_actor_event

log = logging.getLogger(__name__)

POOL_NAME = "qray/pool"
NAMESPACE = "qray"


@dataclass(frozen=True)
class ActorSpec:
    """How to build one named actor.

    Attributes:
        name: Ray actor name (``qray/<workload>/<key>``), shown in the dashboard.
        cls: ``"module:Class"`` of the ``@ray.remote`` class.
        kwargs: constructor keyword arguments.
        options: Ray actor options (num_cpus, num_gpus, resources, max_restarts, ...).
    """

    name: str
    cls: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    def demand(self) -> dict[str, float]:
        """Resources the actor holds while alive."""
        need = {"CPU": float(self.options.get("num_cpus", 0) or 0),
                "GPU": float(self.options.get("num_gpus", 0) or 0)}
        need.update({k: float(v) for k, v in (self.options.get("resources") or {}).items()})
        return {k: v for k, v in need.items() if v > 0}


@ray.remote(num_cpus=0, max_restarts=0)
class ActorPool:
    """Serialized bookkeeping of the workload actors of one sweep."""

    def __init__(self, specs: dict[str, ActorSpec], capacity: dict[str, float], *,
                 prestart: list[str] | None = None) -> None:
        logging.basicConfig(level=logging.INFO)
        self.specs = specs
        # never below one actor's demand: an actor that must wait for resources still
        # freeing up (or held elsewhere) pends in Ray rather than blocking the sweep here
        self.capacity = dict(capacity)
        for spec in specs.values():
            for r, v in spec.demand().items():
                self.capacity[r] = max(self.capacity.get(r, 0.0), v)
        # the capacity follows the cluster: a node lost (or added) mid-sweep takes its
        # resources out of (or adds them to) what the sweep's actors may hold
        self._base_capacity = dict(self.capacity)
        self._floor: dict[str, float] = {}  # one actor's demand
        for spec in specs.values():
            for r, v in spec.demand().items():
                self._floor[r] = max(self._floor.get(r, 0.0), v)
        self._base_total = {r: float(v) for r, v in ray.cluster_resources().items()}
        self.live: dict[str, Any] = {}
        self.in_use: dict[str, int] = {}
        self.last_used: dict[str, float] = {}
        self.pending_recycle: dict[str, str] = {}
        self.stats = {"created": 0, "evicted": 0, "recycled": 0, "replaced": 0,
                      "capacity_changes": 0}
        # the calls of trials and a watcher thread that follows the cluster even while
        # every trial waits on an actor (a lost node's actor pending for room) share state
        self._lock = threading.RLock()
        for key in prestart or []:  # started now (not waited for): the first units' actors
            if key in specs and key not in self.live and not self._over(specs[key].demand()):
                self.live[key] = self._create(key)
        threading.Thread(target=self._watch, daemon=True, name="qray-pool-watch").start()

    def acquire(self, key: str) -> Any | None:
        """The actor for ``key`` (created if needed), or None when the caller must wait:
        no room is free yet, or the actor waits to be recycled once its users release it.
        """
        with self._lock:
            if key in self.pending_recycle:
                return None
            if key not in self.live:
                if not self._make_room(self.specs[key].demand()):
                    return None
                self.live[key] = self._create(key)
            self.in_use[key] = self.in_use.get(key, 0) + 1
            self.last_used[key] = time.monotonic()
            return self.live[key]

    def acquire_many(self, keys: list[str], *, exclusive: bool = True) -> list[Any] | None:
        """All of ``keys``' actors at once, or none of them (None: wait and ask again).

        With ``exclusive`` no other trial may be using any of them (a qkernels point times
        its workers and must not share them). All-or-nothing, so two trials never hold
        part of each other's set.
        """
        with self._lock:
            if any(k in self.pending_recycle for k in keys):
                return None
            if exclusive and any(self.in_use.get(k, 0) for k in keys):
                return None
            missing = [k for k in keys if k not in self.live]
            demand: dict[str, float] = {}
            for k in missing:
                for r, v in self.specs[k].demand().items():
                    demand[r] = demand.get(r, 0.0) + v
            if missing and not self._make_room(demand, protect=set(keys)):
                return None
            for k in missing:
                self.live[k] = self._create(k)
            now = time.monotonic()
            for k in keys:
                self.in_use[k] = self.in_use.get(k, 0) + 1
                self.last_used[k] = now
            return [self.live[k] for k in keys]

    def release(self, key: str, recycle_reason: str | None = None) -> None:
        """A trial is done with ``key``'s actor; restart it if it asked to be recycled."""
        with self._lock:
            self.in_use[key] = max(0, self.in_use.get(key, 0) - 1)
            self.last_used[key] = time.monotonic()
            if recycle_reason:
                self.pending_recycle[key] = recycle_reason
            if self.in_use[key] == 0 and key in self.pending_recycle and key in self.live:
                reason = self.pending_recycle.pop(key)
                log.debug("recycling %s: %s", self.specs[key].name, reason)
                ray.kill(self.live[key], no_restart=False)
                self.stats["recycled"] += 1
                record_actor_event(self.specs[key].name, "recycled")

    def replace(self, key: str, dead: Any) -> Any:
        """A new actor for ``key`` after ``dead`` died for good (killed, out of restarts)."""
        with self._lock:
            current = self.live.get(key)
            if current is not None and current._actor_id != dead._actor_id:
                return current  # another trial already replaced it
            log.warning("replacing dead actor %s", self.specs[key].name)
            ray.kill(dead, no_restart=True)  # one still waiting to be restarted gives way
            self.live[key] = self._create(key)
            self.stats["replaced"] += 1
            record_actor_event(self.specs[key].name, "replaced")
            return self.live[key]

    def get_stats(self) -> dict[str, Any]:
        """Counters (created, evicted, recycled, replaced), the live actor names and the
        keys in use."""
        with self._lock:
            return {**self.stats, "live": sorted(self.specs[k].name for k in self.live),
                    "busy": sorted(k for k, n in self.in_use.items() if n)}

    def shutdown(self, grace_s: float = 5.0) -> None:
        """End every live actor: a graceful exit (its process runs its exit handlers, no
        signal lands in the middle of Python code), and a kill for any that has not
        exited within ``grace_s`` (one busy with a run)."""
        with self._lock:
            handles = list(self.live.values())
            self.live.clear()
        exits = {h.__ray_terminate__.options(max_task_retries=0).remote(): h for h in handles}
        _, pending = ray.wait(list(exits), num_returns=len(exits), timeout=grace_s)
        for ref in pending:
            ray.kill(exits[ref], no_restart=True)

    # -- internals -------------------------------------------------------------------------
    def _watch(self) -> None:
        while True:
            time.sleep(1.0)
            try:
                with self._lock:
                    self._follow_cluster()
            except Exception as exc:  # the GCS away for a moment: try again
                log.debug("pool watcher: %s", exc)

    def _follow_cluster(self) -> None:
        """Track the cluster's total resources (the watcher, every second): a lost node's
        share leaves the capacity and idle actors beyond it are evicted, so the lost
        node's actors, which Ray restarts elsewhere, find room; a node that joins adds
        its share."""
        total = {r: float(v) for r, v in ray.cluster_resources().items()}
        changed = {}
        for r, base in self._base_capacity.items():
            cap = max(self._floor.get(r, 0.0) if total.get(r, 0.0) > 0 else 0.0,
                      base + total.get(r, 0.0) - self._base_total.get(r, 0.0))
            if abs(cap - self.capacity.get(r, 0.0)) > 1e-9:
                changed[r] = (self.capacity.get(r, 0.0), cap)
                self.capacity[r] = cap
        if not changed:
            return
        self.stats["capacity_changes"] += 1
        log.warning("the cluster changed (a node left or joined): %s", ", ".join(
            f"{r} {a:g} -> {b:g}" for r, (a, b) in sorted(changed.items())))
        self._make_room({})

    def _evict(self, victim: str) -> None:
        log.debug("evicting idle actor %s to make room", self.specs[victim].name)
        ray.kill(self.live.pop(victim), no_restart=True)
        self.pending_recycle.pop(victim, None)
        self.stats["evicted"] += 1
        record_actor_event(self.specs[victim].name, "evicted")

    def _held(self) -> dict[str, float]:
        held: dict[str, float] = {}
        for key in self.live:
            for r, v in self.specs[key].demand().items():
                held[r] = held.get(r, 0.0) + v
        return held

    def _over(self, demand: dict[str, float]) -> bool:
        """Whether the live actors plus ``demand`` exceed the capacity (also true with no
        demand once a lost node took capacity away from actors already live)."""
        need = self._held()
        for r, v in demand.items():
            need[r] = need.get(r, 0.0) + v
        return any(v > self.capacity.get(r, 0.0) + 1e-9 for r, v in need.items())

    def _make_room(self, demand: dict[str, float], protect: set[str] = frozenset()) -> bool:
        while self._over(demand):
            idle = [k for k in self.live if self.in_use.get(k, 0) == 0 and k not in protect]
            if not idle:
                return False
            self._evict(min(idle, key=lambda k: self.last_used.get(k, 0.0)))
        return True

    def _create(self, key: str) -> Any:
        spec = self.specs[key]
        module, _, attr = spec.cls.partition(":")
        cls = getattr(importlib.import_module(module), attr)
        deadline = time.monotonic() + 10
        while True:
            try:
                handle = cls.options(name=spec.name, namespace=NAMESPACE,
                                     **spec.options).remote(**spec.kwargs)
                break
            except ValueError as exc:  # the name of a just-killed actor is not freed yet
                if "already taken" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.stats["created"] += 1
        record_actor_event(spec.name, "created")
        return handle
