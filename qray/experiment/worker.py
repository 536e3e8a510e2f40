"""The experiment's worker: calls the user's function (or the instance of the user's
class, built once per actor) with each task's arguments and turns the returned dict into
the row's columns."""

from __future__ import annotations

import concurrent.futures as cf
import inspect
import logging
import traceback
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qray.errors import QrayError
from qray.experiment.config import PASSED, RESERVED
from qray.experiment.rows import identifying_columns
from qray.experiment.source import Payload
from qray.lifecycle import peak_rss_mb
from qray.worker import RowWorker

log = logging.getLogger(__name__)

#: at most this many of the user's frames go into an error row
MAX_FRAMES = 8


class ExperimentInitError(QrayError):
    """The experiment's class could not be built on an actor (every retry would fail the
    same way)."""


class ExperimentWorker(RowWorker):
    """Runs tasks of a user's experiment.

    Args:
        payload: how to get the callable here (:class:`qray.experiment.source.Payload`).
        actor_key: the ``actor_key`` of the config (None: none).
        actor_value: that key's value for this actor; a class is built with it.
    """

    WORKLOAD = "experiment"
    LOG_TRACEBACKS = False  # the row's error holds the user's frames; the summary lists them

    def __init__(self, payload: Payload, *, actor_key: str | None = None,
                 actor_value: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.payload = payload
        self.filename = payload.filename
        obj = payload.load()
        if inspect.isclass(obj):
            try:
                self.call = obj(actor_value) if actor_key is not None else obj()
            except Exception as exc:
                what = f"{payload.name}({actor_value!r})" if actor_key is not None \
                    else f"{payload.name}()"
                raise ExperimentInitError(f"experiment class {what} raised "
                                          f"{self.describe_error(exc)}") from None
            target = type(self.call).__call__
        else:
            self.call = obj
            target = obj
        params = inspect.signature(target).parameters
        self.passed = [name for name in PASSED if name in params]
        self.stuck = False
        self._pending: cf.Future | None = None
        self._executor: cf.ThreadPoolExecutor | None = None

    @staticmethod
    def identity(params: Mapping[str, Any]) -> dict[str, Any]:
        return identifying_columns(params)

    def compute(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        p = spec["params"]
        kwargs = dict(p["call"])
        if "seed" in self.passed:
            kwargs["seed"] = spec["seed"]
        if "repetition" in self.passed:
            kwargs["repetition"] = p["repetition"]
        timeout_s = spec.get("timeout_s")
        if timeout_s is None:
            out = self.call(**kwargs)
        else:
            out = self._call_with_timeout(kwargs, float(timeout_s))
        return outputs(out, p["call"])

    def run_batch(self, specs: Sequence[Mapping[str, Any]], *, warmup: int = 0) -> list[dict]:
        """One row per spec, in order; stops early once a timed-out call is still
        running (the rest go to a fresh process)."""
        rows = []
        for spec in specs:
            if self.stuck:
                break
            rows.append(self.run_task(spec))
        return rows

    def run_task(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        try:
            return super().run_task(spec)
        except _Timeout as exc:
            return self._timeout_row(spec, exc.seconds)

    def _timeout_row(self, spec: Mapping[str, Any], seconds: float) -> dict[str, Any]:
        from qray.results.schema import common_row

        row = common_row(spec, workload=self.WORKLOAD, actor=self.actor_name)
        row.update(self.columns(spec))
        row.update(status="timeout", error=f"the call exceeded timeout_s={seconds:g}; its "
                   "actor is replaced", wall_s=seconds, peak_rss_mb=peak_rss_mb(),
                   created_at=datetime.now(UTC))
        self.tasks_done += 1
        return row

    def _call_with_timeout(self, kwargs: dict[str, Any], seconds: float) -> Any:
        if self._executor is None:
            self._executor = cf.ThreadPoolExecutor(max_workers=1)
        future = self._executor.submit(self.call, **kwargs)
        self._pending = future
        try:
            return future.result(timeout=seconds)
        except cf.TimeoutError:
            self.stuck = True  # a Python thread cannot be stopped: replace the process
            raise _Timeout(seconds) from None

    def should_recycle(self) -> str | None:
        if self.stuck:
            return "a timed-out call could not be interrupted"
        return self.policy.reason(self.tasks_done)

    def describe_error(self, exc: BaseException) -> str:
        """``Type: message`` and the frames of the traceback in the experiment's own code
        (the last frame when none is)."""
        frames = traceback.extract_tb(exc.__traceback__)
        mine = [f for f in frames if self.filename and _same_file(f.filename, self.filename)]
        if not mine:
            mine = [f for f in frames if "/qray/" not in f.filename][-1:]
        text = "".join(traceback.format_list(mine[-MAX_FRAMES:]))
        head = f"{type(exc).__name__}: {exc}"
        return f"{head}\n{text}".rstrip() if text else head

    def info(self) -> dict[str, Any]:
        return {"workload": self.WORKLOAD, "experiment": self.payload.name,
                "tasks_done": self.tasks_done}


class _Timeout(BaseException):  # noqa: N818 - passes RowWorker's `except Exception`
    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def _same_file(a: str, b: str) -> bool:
    return a == b or Path(a).name == Path(b).name and Path(a).resolve() == Path(b).resolve()


def outputs(out: Any, call: Mapping[str, Any]) -> dict[str, Any]:
    """The row columns of what a call returned: a dict of column name -> a number, bool,
    string or list of numbers (numpy scalars and 1-D arrays included)."""
    if not isinstance(out, Mapping):
        raise TypeError(f"the experiment returned a {type(out).__name__}; it must return a "
                        "dict of outputs (column name -> number, bool, string or list of "
                        "numbers)")
    row: dict[str, Any] = {}
    for key, value in out.items():
        if not isinstance(key, str) or not key.isidentifier():
            raise TypeError(f"output key {key!r}: output names must be identifiers")
        if key in RESERVED or key in call:
            raise TypeError(f"output {key!r} would overwrite "
                            + ("one of qray's columns" if key in RESERVED else "an argument's "
                               "column") + "; rename it")
        row[key] = plain(key, value)
    return row


def plain(key: str, value: Any) -> Any:
    """A value as a plain Python column value (numpy scalars and arrays unwrapped)."""
    if hasattr(value, "tolist") and not isinstance(value, list | tuple | str):
        value = value.tolist()  # numpy scalar or array (0-d gives a scalar)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            return [float(v) for v in value]
        raise TypeError(f"output {key!r}: a list of {_kinds(value)}; only lists of numbers "
                        "are columns")
    if isinstance(value, complex):
        raise TypeError(f"output {key!r} is complex ({value}); return its real and imaginary "
                        "parts (or abs) as separate outputs")
    raise TypeError(f"output {key!r} is a {type(value).__name__}; allowed: a number, a bool, "
                    "a string or a list of numbers")


def _kinds(values: Sequence[Any]) -> str:
    return ", ".join(sorted({type(v).__name__ for v in values})) or "nothing"

