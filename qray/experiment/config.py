"""Config of the ``experiment`` workload: a user's callable and a grid.

    experiment: ghz_damping.py:fidelity   # <file>.py:<callable> or <module>:<callable>
    grid: {n: [2, 3, 4], gamma: [0.01, 0.1]}
    params: {shots: 4000}
    repetitions: 5
    actor_key: backend                    # optional: one long-lived actor per value
    version: null                         # optional: replaces the source hash in task ids

Everything is checked here, before any work: the file, the callable, its signature
against the grid and params, the actor key, the grid's values.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from qray.config import MAX_RANGE_VALUES, SweepConfig, require
from qray.errors import ConfigError
from qray.experiment.source import Experiment, call_parameters, load_experiment, resolve_path
from qray.results.schema import COMMON_FIELDS

#: arguments qray passes to a callable that accepts them
PASSED = ("seed", "repetition")
#: names a grid, params or output key may not take (qray's own columns)
RESERVED = frozenset({f.name for f in COMMON_FIELDS} | {"repetition"})
MAX_TIMEOUT_S = 7 * 86400.0
MAX_REPETITIONS = 100_000
MAX_POINTS = 1_000_000
VALUE_KINDS = "numbers, strings, bools, or lists of numbers (null allowed)"


def grid_axis(key: str, value: Any) -> list[Any]:
    """One grid axis as a list: a list, a scalar, or ``{start, stop, step}`` (``stop``
    inclusive; integers or floats)."""
    if isinstance(value, Mapping):
        extra = set(value) - {"start", "stop", "step"}
        if extra or not {"start", "stop"} <= set(value):
            raise ConfigError(key, dict(value), "a list, or a mapping {start, stop, step}")
        start, stop, step = value["start"], value["stop"], value.get("step", 1)
        if not all(isinstance(v, int | float) and not isinstance(v, bool)
                   and math.isfinite(v) for v in (start, stop, step)):
            raise ConfigError(key, dict(value), "numeric start, stop and step")
        if step <= 0 or stop < start:
            raise ConfigError(key, dict(value), "step > 0 and stop >= start")
        count = math.floor((stop - start) / step + 1e-9) + 1
        if count > MAX_RANGE_VALUES:
            raise ConfigError(key, dict(value), f"a range of at most {MAX_RANGE_VALUES:,} values",
                              problem=f"a range of {count:,} values")
        if all(isinstance(v, int) for v in (start, stop, step)):
            return list(range(start, stop + 1, step))
        return [round(start + i * step, 12) for i in range(count)]
    if isinstance(value, list | tuple):
        if not value:
            raise ConfigError(key, value, "a non-empty list of values")
        return list(value)
    return [value]


def uniform(key: str, values: list[Any]) -> list[Any]:
    """``values`` of one kind: integers and floats together become floats; numbers,
    strings, bools and lists of numbers may not mix."""
    kinds = set()
    for v in values:
        if v is None:
            continue
        if isinstance(v, bool):
            kinds.add("bool")
        elif isinstance(v, int | float):
            if isinstance(v, float) and not math.isfinite(v):
                raise ConfigError(key, v, "finite numbers")
            kinds.add("float" if isinstance(v, float) else "int")
        elif isinstance(v, str):
            kinds.add("str")
        elif isinstance(v, list | tuple) and all(
                isinstance(x, int | float) and not isinstance(x, bool) for x in v):
            kinds.add("list")
        else:
            raise ConfigError(key, v, VALUE_KINDS, problem=f"a {type(v).__name__} value")
    if kinds == {"int", "float"}:
        return [None if v is None else float(v) for v in values]
    if len(kinds) > 1:
        raise ConfigError(key, values, f"values of one kind: {VALUE_KINDS}",
                          problem="values of mixed kinds")
    if kinds == {"list"}:
        return [None if v is None else [float(x) for x in v] for v in values]
    return values


def normalize_grid(key: str, value: Any) -> Any:
    """``grid``: each axis a list of distinct values of one kind."""
    if not isinstance(value, Mapping):
        return value  # coerce names the problem
    out = {}
    for k, v in value.items():
        values = uniform(f"{key}.{k}", grid_axis(f"{key}.{k}", v))
        seen: list[Any] = []
        for item in values:
            if item in seen:
                raise ConfigError(f"{key}.{k}", values, "distinct values (a repeated value "
                                  "would plan the same tasks twice)",
                                  problem=f"the value {item!r} repeats in")
            seen.append(item)
        out[str(k)] = values
    return out


@dataclass(frozen=True)
class ExperimentConfig(SweepConfig):
    """Keys of an experiment sweep (and every key sweeps share).

    Attributes:
        experiment: the callable: ``<file>.py:<name>`` (relative to the YAML or the
            working directory) or ``<module>:<name>``; a function ``f(**params) -> dict``
            or a class built once per actor whose ``__call__(**params) -> dict`` runs
            each task.
        grid: the cartesian product of these axes (each a list or ``{start, stop,
            step}``) gives the grid points.
        params: fixed keyword arguments of every call.
        repetitions: tasks per grid point (``repetition`` 0..n-1; each its own seed).
        actor_key: a grid or params key: one long-lived actor per value (a class is
            built with that value). Unset: ``max_parallel`` actors share the points.
        version: replaces the hash of the code's source in the task ids.
        timeout_s: a call running longer becomes a ``timeout`` row and its actor is
            replaced (null: no limit).
    """

    workload: str = "experiment"
    name: str = ""
    experiment: str = ""
    grid: dict[str, Any] = field(default_factory=dict, metadata={"normalize": normalize_grid})
    params: dict[str, Any] = field(default_factory=dict)
    repetitions: int = 1
    actor_key: str | None = None
    version: str | None = None
    timeout_s: float | None = None

    def __post_init__(self) -> None:
        require(bool(self.experiment), "experiment", self.experiment, "'<file>.py:<callable>' "
                "or '<module>:<callable>'")
        if not self.name:
            base = self.experiment.rpartition(":")[2].replace(".", "-") or "experiment"
            object.__setattr__(self, "name", re.sub(r"[^A-Za-z0-9._-]", "-", base)[:64])
        super().__post_init__()
        require(1 <= self.repetitions <= MAX_REPETITIONS, "repetitions", self.repetitions,
                f"an integer in [1, {MAX_REPETITIONS:,}]")
        if self.timeout_s is not None:
            require(0 < self.timeout_s <= MAX_TIMEOUT_S, "timeout_s", self.timeout_s,
                    f"seconds in (0, {MAX_TIMEOUT_S:g}], or null for no limit")
        for key in self.grid:
            self._check_name(f"grid.{key}", key)
        for key, value in self.params.items():
            self._check_name(f"params.{key}", key)
            if key in self.grid:
                raise ConfigError(f"params.{key}", value, "a key that is not also a grid key",
                                  problem="given by both grid and params:")
            uniform(f"params.{key}", [value])
        points = math.prod(len(v) for v in self.grid.values())
        require(points <= MAX_POINTS, "grid", f"{points:,} points",
                f"at most {MAX_POINTS:,} grid points")
        if self.actor_key is not None and self.actor_key not in self.arguments:
            raise ConfigError("actor_key", self.actor_key, "a grid or params key: "
                              + (", ".join(sorted(self.arguments)) or "(none given)"))
        self._check_signature(self.loaded)

    @staticmethod
    def _check_name(key: str, name: str) -> None:
        if not name.isidentifier():
            raise ConfigError(key, name, "a Python identifier (a keyword argument's name)")
        if name in RESERVED:
            why = ("qray passes each task's own seed to a callable that accepts `seed`"
                   if name == "seed" else "it is one of qray's row columns")
            raise ConfigError(key, name, "a name that is not one of qray's columns ("
                              + ", ".join(sorted(RESERVED)) + ")", problem=f"reserved ({why}):")

    @property
    def arguments(self) -> dict[str, Any]:
        """Every grid key (with its values) and params key (with its value as a list)."""
        return {**self.grid, **{k: [v] for k, v in self.params.items()}}

    @cached_property
    def loaded(self) -> Experiment:
        """The resolved callable (the file is read and executed once, here)."""
        return load_experiment(self.experiment, self.version)

    @property
    def experiment_id(self) -> str:
        """What identifies the code in every task id: callable name and source hash (or
        ``version``)."""
        return f"{self.loaded.name}@{self.loaded.code_id}"

    def _check_signature(self, exp: Experiment) -> None:
        sig = call_parameters(exp)
        params = sig.parameters
        var_kw = any(p.kind is p.VAR_KEYWORD for p in params.values())
        shown = f"{exp.name}{sig}"
        for p in params.values():
            if p.kind is p.POSITIONAL_ONLY:
                raise ConfigError("experiment", self.experiment, "a callable whose parameters "
                                  "can be passed by keyword",
                                  problem=f"{shown} has the positional-only parameter "
                                          f"{p.name!r}:")
        for section, keys in (("grid", self.grid), ("params", self.params)):
            for key in keys:
                if key not in params and not var_kw:
                    raise ConfigError(f"{section}.{key}", key, f"a parameter of {shown}",
                                      problem="not an argument the callable takes:")
        given = set(self.arguments) | set(PASSED)
        for p in params.values():
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) \
                    and p.default is p.empty and p.name not in given:
                raise ConfigError("params", p.name, "every required argument of "
                                  f"{shown} given by grid or params",
                                  problem="a required argument given by neither grid nor "
                                          "params:")
        if exp.is_class:
            self._check_constructor(exp)

    def _check_constructor(self, exp: Experiment) -> None:
        sig = inspect.signature(exp.obj)
        required = [p for p in sig.parameters.values()
                    if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        takes = 1 if self.actor_key is not None else 0
        if len(required) > takes or (takes and not sig.parameters):
            what = (f"a constructor that takes the actor_key value ({self.actor_key}) and "
                    "nothing else required") if takes else \
                "a constructor with no required arguments (or set actor_key)"
            raise ConfigError("experiment", self.experiment, what,
                              problem=f"class {exp.name}{sig} does not fit:")

    def result_keys(self) -> tuple[str, ...]:
        return (*super().result_keys(), "experiment_id", "grid", "params", "repetitions")

    def to_dict(self) -> dict[str, Any]:
        """The config's keys, plus the code identity that its sweep id covers and the
        grid's key order (a JSON manifest sorts mappings)."""
        return {**super().to_dict(), "experiment_id": self.experiment_id,
                "grid_keys": list(self.grid)}

    @classmethod
    def resolve_paths(cls, data: dict[str, Any], base_dir: Any) -> dict[str, Any]:
        """A relative ``.py`` file is looked up beside the YAML first, then in the
        working directory."""
        if "experiment" in data:
            data = {**data, "experiment": resolve_path(data["experiment"], base_dir)}
        return data
