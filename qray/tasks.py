"""Task value type, content-hash ids and stable seeds.

A task's ``strong_id`` is the SHA-256 of the canonical JSON of everything that affects its
result, so the same work always has the same id in every process and on every machine;
seeds derive from such hashes, never from Python's per-process ``hash()``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


def canonical_json(obj: Any) -> str:
    """JSON with sorted keys and no whitespace: the same object gives the same text."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)


def content_hash(obj: Any) -> str:
    """Hex SHA-256 of the canonical JSON of ``obj``."""
    return hashlib.sha256(canonical_json(obj).encode()).hexdigest()


def stable_seed(*parts: Any) -> int:
    """A 63-bit seed derived from ``parts``; identical across processes and runs."""
    digest = hashlib.sha256(canonical_json(list(parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


@dataclass(frozen=True)
class Task:
    """One unit of work: a workload name plus the parameters that determine its result."""

    workload: str
    params: Mapping[str, Any]

    @cached_property
    def strong_id(self) -> str:
        """SHA-256 of everything that affects this task's result."""
        return content_hash({"workload": self.workload, "params": dict(self.params)})

    @cached_property
    def seed(self) -> int:
        """The task's own seed (sampling noise, shot sampling)."""
        return stable_seed("task", self.strong_id)

    def __hash__(self) -> int:
        return hash(self.strong_id)


@dataclass(frozen=True)
class Point:
    """A grid point: the tasks (repetitions) that one coarse Tune trial runs together."""

    workload: str
    params: Mapping[str, Any]
    tasks: Sequence[Task] = field(default_factory=tuple)

    @cached_property
    def point_id(self) -> str:
        """Stable id of the grid point; also the name of its Parquet file."""
        return content_hash({"workload": self.workload, "point": dict(self.params)})[:24]

    def __hash__(self) -> int:
        return hash(self.point_id)


@dataclass(frozen=True)
class Plan:
    """A sweep's expansion: its grid points and the points refused up front
    (``point_id -> (status, reason)``). The shape every workload's ``plan`` returns."""

    points: Sequence[Point]
    problems: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def n_tasks(self) -> int:
        return sum(len(p.tasks) for p in self.points)


def wire_specs(point: Point, sweep_id: str, *, seed: Callable[[Task], int],
               only: set[str] | None = None,
               params: Callable[[Task], dict[str, Any]] | None = None,
               **extra: Any) -> list[dict[str, Any]]:
    """The wire form of a point's tasks, as the executor sends them to the actors: each
    task's id, point, sweep, seed (``seed(task)``) and parameters (``params(task)``,
    default all of them), plus ``extra`` keys; ``only`` keeps those task ids."""
    return [
        {"task_id": t.strong_id, "point_id": point.point_id, "sweep_id": sweep_id,
         "seed": seed(t), **extra, "params": params(t) if params else dict(t.params)}
        for t in point.tasks
        if only is None or t.strong_id in only
    ]
