"""The workload contract: one frozen :class:`WorkloadSpec` per workload, and the registry
that holds the built-ins plus whatever the entry-point group ``qray.workloads`` provides.

A spec names everything the runtime needs as ``"module:attr"`` strings, resolved lazily
(Gymnasium's ``register(entry_point="module:Class")``), so listing workloads imports none
of them. A third-party package adds a workload without touching qray::

    # its pyproject.toml
    [project.entry-points."qray.workloads"]
    coinflip = "coinflip.spec:SPEC"

The runtime (``actors``) reads only the spec: it never names a workload.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from qray.errors import ConfigError, UnknownNameError

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "qray.workloads"


def resolve(ref: str) -> Any:
    """The object a ``"module:attr"`` (or ``"module:attr.sub"``) string names."""
    module, _, attr = ref.partition(":")
    obj: Any = importlib.import_module(module)
    for part in attr.split(".") if attr else ():
        obj = getattr(obj, part)
    return obj


@dataclass(frozen=True)
class WorkloadSpec:
    """Everything the runtime needs to run one workload's sweep (or its training job).

    Attributes:
        name: the ``workload:`` value of its configs; rows land under ``<sweep>/<name>/``.
        config: ``"module:Class"`` of its config dataclass (a ``SweepConfig``).
        workload: module with ``plan(cfg) -> Plan`` and
            ``task_specs(point, cfg, sweep_id, only) -> list[dict]``.
        schema: ``"module:ATTR"`` of its rows' Arrow schema.
        crash_row: only for plugins written before :meth:`crash_row_of`: ``"module:function"``
            ``(spec, message) -> row``. Leave it empty: the runtime builds the row from the
            worker's ``identity(params)``.
        summary: ``"module:function"`` ``(sweep_dir) -> Summary``; None: no summary.
        worker: ``"module:Class"`` of the plain worker (``run_batch(specs, warmup=0)``,
            ``should_recycle()``, ``info()``) that the generic actor shell holds.
        actor_key: the point parameter whose value names the point's actor (``backend``),
            or ``"module:function"`` ``(point, plan) -> key``.
        worker_kwargs: ``"module:function"`` ``(cfg, key) -> dict`` of the worker's
            constructor arguments (the generic shell); None: none.
        resource_name: ``"module:function"`` ``(key) -> str``, the entry under
            ``resources`` of actor ``key``; None: the key itself.
        metric_tag: the row column that tags its metrics (``backend``, ``physics``,
            ``scheduler``, ``router``); rows without it are tagged ``""``.
        actor: ``"module:Class"`` of a Ray actor class to use instead of the generic shell
            (a workload whose actor has methods beyond ``run_batch``).
        actor_kwargs: with ``actor``: ``"module:function"`` ``(cfg, key, resources) ->
            dict`` of its constructor arguments (``actor_name`` is added).
        actor_keys: ``"module:function"`` ``(cfg, plan) -> list[str]`` when a sweep's pool
            may hold other actors than its points name (the qkernels worker sets).
        validate_cluster: ``"module:function"`` ``(cfg, resources_of)`` run against the
            live cluster before any work.
        run_point: ``"module:function"`` ``(point: ChunkJob, ctx: TrialContext) -> counts``
            (``actors.runtime.jobs``) replacing the generic
            executor for one Tune trial (the qkernels trial that holds a worker set).
        train_job: for a training config (``*_train``): the command that trains it.
        trainer: with ``train_job``: ``"module:function"`` ``(cfg) -> report`` that
            ``qray train`` runs (training, export and evaluation).
        threads_env: cap the actor's threaded libraries at its reserved CPUs.
    """

    name: str
    config: str
    workload: str = ""
    schema: str = ""
    crash_row: str = ""
    summary: str | None = None
    worker: str = ""
    actor_key: str = ""
    worker_kwargs: str | None = None
    resource_name: str | None = None
    metric_tag: str = ""
    actor: str | None = None
    actor_kwargs: str | None = None
    actor_keys: str | None = None
    validate_cluster: str | None = None
    run_point: str | None = None
    train_job: str | None = None
    trainer: str | None = None
    threads_env: bool = True
    description: str = ""

    @property
    def is_sweep(self) -> bool:
        """Whether ``qray sweep`` runs it (a training config has a ``train_job`` instead)."""
        return self.train_job is None

    def load(self, attr: str) -> Any:
        """The object one of the spec's ``"module:attr"`` fields names."""
        ref = getattr(self, attr)
        if not ref:
            raise AttributeError(f"workload {self.name!r} defines no {attr}")
        return resolve(ref)

    def actor_name(self, key: str) -> str:
        """The name of the actor serving ``key``: ``qray/<workload>/<key>``."""
        return f"qray/{self.name}/{key}"

    def crash_row_of(self, task: Any, message: str, key: str) -> dict[str, Any]:
        """The ``error`` row of a task whose actor process died running it: the common
        columns, the name of the actor of ``key``, the message (at most 2,000
        characters), the time and the worker's ``identity(params)``."""
        if self.crash_row:  # a plugin written before the runtime built crash rows
            return dict(resolve(self.crash_row)(task, message))
        from qray.worker import RowWorker, crash_row

        worker = resolve(self.worker) if self.worker else RowWorker
        return crash_row(self.name, task, message, actor=self.actor_name(key),
                         **worker.identity(task["params"]))

    def key_of(self, point: Any, plan: Any) -> str:
        """The actor key of ``point``."""
        if ":" in self.actor_key:
            return str(resolve(self.actor_key)(point, plan))
        return str(point.params[self.actor_key])

    def worker_arguments(self, cfg: Any, key: str, res: Any) -> dict[str, Any]:
        """Constructor arguments of the plain worker of actor ``key``: ``worker_kwargs``,
        or the actor's arguments with its ``worker_kwargs`` merged in (the built-in actor
        shells pass those through to their worker)."""
        if self.worker_kwargs:
            return dict(resolve(self.worker_kwargs)(cfg, key))
        if self.actor_kwargs:
            args = dict(resolve(self.actor_kwargs)(cfg, key, res))
            inner = dict(args.pop("worker_kwargs", None) or {})
            return {**args, **inner}
        return {}

    def resources_entry(self, key: str) -> str:
        """The ``resources`` entry of actor ``key``."""
        return str(resolve(self.resource_name)(key)) if self.resource_name else key


#: the built-in workloads: name -> "module:attr" of its spec
BUILTIN: dict[str, str] = {
    "simulators": "qray.simulators.spec:SPEC",
    "netsim": "qray.netsim.spec:SPEC",
    "qkernels": "qray.qkernels.spec:SPEC",
    "cloud": "qray.cloud.spec:SPEC",
    "cloud_train": "qray.cloud.spec:TRAIN_SPEC",
    "routing": "qray.routing.spec:SPEC",
    "routing_train": "qray.routing.spec:TRAIN_SPEC",
    "experiment": "qray.experiment.spec:SPEC",
}

_REGISTERED: dict[str, WorkloadSpec | str] = {}


def register(spec: WorkloadSpec | str, *, name: str | None = None) -> None:
    """Add a workload from Python (a spec, or ``"module:attr"`` of one with ``name``)."""
    key = spec.name if isinstance(spec, WorkloadSpec) else name
    if not key:
        raise ValueError("register a WorkloadSpec, or a 'module:attr' string with name=")
    _REGISTERED[key] = spec
    _specs.cache_clear()


@cache
def _refs() -> dict[str, WorkloadSpec | str]:
    refs: dict[str, WorkloadSpec | str] = dict(BUILTIN)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in BUILTIN:
            log.warning("entry point %s=%s ignored: %r is a built-in workload", ep.name,
                        ep.value, ep.name)
            continue
        refs[ep.name] = ep.value
    return refs


def names() -> list[str]:
    """Every known workload name (built-in, entry points, registered), sorted."""
    return sorted({**_refs(), **_REGISTERED})


@cache
def _specs(name: str) -> WorkloadSpec:
    ref = {**_refs(), **_REGISTERED}[name]
    spec = ref if isinstance(ref, WorkloadSpec) else resolve(ref)
    if not isinstance(spec, WorkloadSpec):
        raise TypeError(f"workload {name!r}: {ref!r} is a {type(spec).__name__}, not a "
                        "qray.workloads.WorkloadSpec")
    if spec.name != name:
        raise TypeError(f"workload {name!r}: {ref!r} is the spec of {spec.name!r}")
    return spec


def get_spec(name: Any, *, key: str = "workload") -> WorkloadSpec:
    """The spec of workload ``name``; unknown names get the closest match, and a plugin
    that cannot be loaded (it raises on import, or names no spec) a ConfigError that
    says so."""
    known = names()
    if not isinstance(name, str) or name not in known:
        raise UnknownNameError(key, name, "workload", known)
    try:
        return _specs(name)
    except Exception as exc:
        if name in BUILTIN:
            raise
        ref = {**_refs(), **_REGISTERED}[name]
        raise ConfigError(key, name, "a workload that loads (`qray workloads` lists them)",
                          problem=f"a plugin that cannot be loaded ({ref}: "
                                  f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}):"
                          ) from exc


def usable() -> list[str]:
    """The workloads whose spec loads (a broken plugin is left out with a warning)."""
    out = []
    for n in names():
        try:
            get_spec(n)
        except ConfigError as exc:
            if n not in _WARNED:
                _WARNED.add(n)
                log.warning("%s", exc)
            continue
        out.append(n)
    return out


_WARNED: set[str] = set()


def sweep_spec(name: str) -> WorkloadSpec:
    """The spec of a workload that ``qray sweep`` runs (a training config is refused with
    the command that trains it)."""
    spec = get_spec(name)
    if not spec.is_sweep:
        sweeps = ", ".join(n for n in usable() if get_spec(n).is_sweep)
        raise ConfigError("workload", name, f"a sweep workload ({sweeps})",
                          problem="not a sweep:", hint=f"train with {spec.train_job}")
    return spec


def config_class(name: str) -> type:
    """The config dataclass of workload ``name``."""
    return get_spec(name).load("config")


def schemas() -> Mapping[str, Any]:
    """Row schema of every sweep workload (for readers that meet several)."""
    return {n: get_spec(n).load("schema") for n in usable() if get_spec(n).is_sweep}
