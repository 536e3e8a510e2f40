"""qray's errors survive pickling (a Ray worker raises them, the driver reports them)."""

from __future__ import annotations

import pickle

import pytest

from qray.errors import ConfigError, UnknownKeyError, UnknownNameError


@pytest.mark.parametrize("exc", [
    UnknownNameError("workload", "exp", "workload", ["experiment", "netsim"]),
    UnknownKeyError("actor.max_task", ["max_tasks", "max_rss_mb"], section="actor"),
    ConfigError("grid.x", [1, 1], "distinct values", problem="repeats", hint="drop one"),
])
def test_errors_survive_pickling(exc: ConfigError) -> None:
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is type(exc) and str(back) == str(exc)
    assert (back.key, back.value, back.allowed) == (exc.key, exc.value, exc.allowed)
