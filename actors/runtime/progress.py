"""The sweep's progress line: tasks done of the total, ok and failed counts, rate and ETA.

A Tune callback in the driver. Trials report the rows they have so far after every batch
(and once at the end); the callback keeps each trial's latest count, so a retried trial
is not counted twice. On a terminal the line is redrawn in place; otherwise (a file, a
pipe, ``ray job logs``) a plain line is written at most every ``interval_s`` seconds and
once at the end, without control codes. The same counts drive the
``qray_tasks_remaining`` gauge, and each trial's final report (the tag, status and wall
seconds of the rows it wrote) the ``qray_runs_total`` and ``qray_run_seconds`` series
(:mod:`actors.runtime.metrics`): recorded here, in the driver, the series of a sweep live
in one process that outlasts its trials.
"""

from __future__ import annotations

import os
from typing import Any, TextIO

from ray.tune import Callback, Stopper

from actors.runtime.progress_line import (  # noqa: F401 - the names this module exported
    StepProgress,
    SweepLine,
    _LineWriter,
    _pace,
    format_duration,
    progress_line,
    steps_line,
)


def quiet_tune() -> None:
    """Tune's classic reporter (call before importing ``ray.tune``): with ``verbose=0``
    nothing, instead of the new output engine's experiment box."""
    os.environ.setdefault("RAY_AIR_NEW_OUTPUT", "0")


class SweepProgress(SweepLine, Callback):
    """The sweep's progress line as a Tune callback (see :class:`SweepLine`)."""

    def on_trial_result(self, iteration: int, trials: list, trial: Any, result: dict,
                        **info: Any) -> None:
        # the per-row fields are taken out of the result (Tune lets callbacks edit it), so
        # they stay out of Tune's logs and experiment state
        self.on_result(trial.trial_id, result)

    def on_experiment_end(self, trials: list, **info: Any) -> None:
        self.end()


class TrainingProgress(_LineWriter, Callback):
    """The progress of an RLlib experiment in env steps: ``trials`` trials of ``steps``
    steps each, read from each result's ``steps_key``; written like
    :class:`SweepProgress` (in place on a terminal, else every ``interval_s``)."""

    def __init__(self, name: str, steps: int, trials: int, *, steps_key: str,
                 stream: TextIO | None = None, interval_s: float = 30.0) -> None:
        super().__init__(stream, interval_s)
        self.name = name
        self.total = steps * trials
        self.steps = steps
        self.trials = trials
        self.steps_key = steps_key
        self.per_trial: dict[str, int] = {}
        self.finished: set[str] = set()

    def done(self) -> int:
        return min(self.total, sum(min(v, self.steps) for v in self.per_trial.values()))

    def on_trial_result(self, iteration: int, trials: list, trial: Any, result: dict,
                        **info: Any) -> None:
        steps = result.get(self.steps_key)
        if steps is None:  # RLlib's nested form
            head, _, tail = self.steps_key.partition("/")
            steps = (result.get(head) or {}).get(tail, 0)
        self.per_trial[trial.trial_id] = int(steps or 0)
        self.show(final=False)

    def on_trial_complete(self, iteration: int, trials: list, trial: Any, **info: Any) -> None:
        self.finished.add(trial.trial_id)

    def on_experiment_end(self, trials: list, **info: Any) -> None:
        self.show(final=True)

    def show(self, *, final: bool) -> None:
        done, finished = self.done(), len(self.finished)
        self.write(lambda elapsed: steps_line(self.name, done, self.total, self.trials,
                                              finished, elapsed), final=final)


class FatalStop(Stopper):
    """Tune stopper: once a trial reports a ``fatal`` error (one every retry would
    repeat: an unknown workload, a worker that cannot be built), stop every trial."""

    def __init__(self) -> None:
        self.message: str | None = None

    def __call__(self, trial_id: str, result: dict[str, Any]) -> bool:
        if result.get("fatal"):
            self.message = self.message or str(result["fatal"])
            return True
        return False

    def stop_all(self) -> bool:
        return self.message is not None
