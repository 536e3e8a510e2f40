"""What the driver hands each trial: the sweep's :class:`TrialContext` (the same for every
trial) and one :class:`ChunkJob` (the trial's unit of work)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TrialContext:
    """The sweep's settings every trial runs under."""

    workload: str
    sweep_dir: str
    pool_name: str
    #: tasks per call of an actor (the first batch's size with ``adapt_batches``)
    batch_size: int
    adapt_batches: bool
    #: untimed runs of each grid point's first task
    warmup: int
    #: the row column that tags the metrics
    metric_tag: str
    #: at most this long between two writes of a chunk's rows
    flush_s: float
    #: the workload's spec (one registered from Python exists only in the driver's process)
    spec: Any = None
    #: called with the rows so far (the trial's progress reports)
    progress: Callable[[list[dict[str, Any]]], None] | None = None


@dataclass(frozen=True)
class ChunkJob:
    """One trial's tasks: all served by the actor of ``key``, written to ``path``."""

    label: str
    key: str
    path: str
    #: the tasks' wire specs: a list, or (in the driver) the callable that builds them, or
    #: (sent to a Tune trial) their object ref
    specs: Any
    #: result file -> ids of tasks whose old rows there this chunk's rows replace
    supersede: Mapping[str, list[str]] = field(default_factory=dict)
    #: the grid point of a workload that runs a trial per point (its file is rewritten)
    point_id: str | None = None
