"""The sweep's progress line without Tune: tasks done of the total, ok and failed counts,
rate and ETA (:class:`SweepLine`), and the line writer every progress display shares.

The driver feeds :class:`SweepLine` the reports of its units of work, from Tune's
callback (:mod:`actors.runtime.progress`) or from the threads that run a small sweep's
units in the driver; this module imports no Tune.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TextIO

from actors.runtime.metrics import record_rows, set_tasks_remaining


def format_duration(seconds: float) -> str:
    """``1:02:03`` / ``2:03``."""
    seconds = max(0, int(round(seconds)))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _pace(done: int, total: int, elapsed_s: float) -> tuple[float, float, str]:
    """(percent done, rate per second, ETA text) of ``done`` of ``total``."""
    pct = 100 * done / total if total else 100.0
    rate = done / elapsed_s if elapsed_s > 0 else 0.0
    eta = ("0:00" if done >= total else
           format_duration((total - done) / rate) if rate > 0 else "?")
    return pct, rate, eta


class _LineWriter:
    """Writes a progress line to ``stream`` (default: ``sys.stderr`` at write time):
    redrawn in place on a terminal, else a plain line at most every ``interval_s``
    seconds and always the final one. Pickles without its stream (Tune pickles
    callbacks)."""

    def __init__(self, stream: TextIO | None, interval_s: float) -> None:
        self._stream = stream
        self.interval_s = interval_s
        self.started = time.monotonic()
        self.last_line = 0.0

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stderr

    @property
    def tty(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def __getstate__(self) -> dict[str, Any]:
        # a stream (or a progress bar) does not pickle
        return {**self.__dict__, "_stream": None, "_bar": None}

    def write(self, line: Callable[[float], str], *, final: bool) -> None:
        """Write ``line(elapsed_s)`` unless a plain line was written too recently."""
        now = time.monotonic()
        if not (final or self.tty) and now - self.last_line < self.interval_s:
            return
        self.last_line = now
        text = line(now - self.started)
        if self.tty:
            self.stream.write("\r\x1b[2K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def progress_line(done: int, total: int, ok: int, failed: int, elapsed_s: float, *,
                  rate: float | None = -1.0) -> str:
    """``tasks 120/360 (33%) | 118 ok, 2 failed | 4.1 tasks/s | 0:29 elapsed, ETA 0:58``;
    ``failed`` counts error and timeout rows, and the rest of ``done`` that is not ok
    (unsupported or refused points) is shown on its own. ``rate``: the recent tasks/s the
    ETA comes from; None: no rate yet (neither is shown); by default the average
    over ``elapsed_s``."""
    pct, average, eta = _pace(done, total, elapsed_s)
    other = done - ok - failed
    rest = f", {other} unsupported or refused" if other > 0 else ""
    head = f"tasks {done}/{total} ({pct:.0f}%) | {ok} ok, {failed} failed{rest} | "
    if rate is None and done < total:
        return head + f"{format_duration(elapsed_s)} elapsed, no ETA yet"
    if rate is not None and rate >= 0:
        average = rate
        eta = ("0:00" if done >= total else
               format_duration((total - done) / rate) if rate > 0 else "?")
    return head + f"{average:.3g} tasks/s | {format_duration(elapsed_s)} elapsed, ETA {eta}"


#: the recent rate behind the ETA: rows over at most this many seconds, once at least
#: ``RATE_MIN_S`` seconds lie between the first rows and the latest
RATE_WINDOW_S = 60.0
RATE_MIN_S = 2.0


class SweepLine(_LineWriter):
    """Prints the progress of ``total`` tasks of sweep ``sweep_id`` (see the module)."""

    def __init__(self, workload: str, sweep_id: str, total: int, *,
                 stream: TextIO | None = None, interval_s: float = 30.0,
                 bar: Any = None) -> None:
        super().__init__(stream, interval_s)
        self._bar = bar  # a tqdm bar (a notebook's) drawn instead of the line
        self.workload = workload
        self.sweep_id = sweep_id
        self.total = total
        self.per_trial: dict[str, tuple[int, int, int]] = {}
        self.samples: deque[tuple[float, int]] = deque()  # (monotonic time, done)
        set_tasks_remaining(workload, sweep_id, total)

    def recent_rate(self) -> float | None:
        """Tasks/s over the last ``RATE_WINDOW_S`` seconds of rows, or None while the rows
        so far span less than ``RATE_MIN_S`` (start-up is not a rate)."""
        if len(self.samples) < 2:
            return None
        (t0, d0), (t1, d1) = self.samples[0], self.samples[-1]
        if t1 - t0 < RATE_MIN_S:
            return None
        return (d1 - d0) / (t1 - t0)

    def _sample(self, done: int) -> None:
        now = time.monotonic()
        if done <= 0 or (self.samples and self.samples[-1][1] == done):
            return
        self.samples.append((now, done))
        while len(self.samples) > 2 and now - self.samples[1][0] > RATE_WINDOW_S:
            self.samples.popleft()

    def counts(self) -> tuple[int, int, int]:
        """(done, ok, failed) over the trials."""
        done = sum(v[0] for v in self.per_trial.values())
        ok = sum(v[1] for v in self.per_trial.values())
        failed = sum(v[2] for v in self.per_trial.values())
        return min(done, self.total), ok, failed

    def on_result(self, trial_id: str, result: dict) -> None:
        """A unit's report (its rows so far, or its final counts with ``rows_written``)."""
        # taken out of the result (Tune lets callbacks edit it), so the per-row fields stay
        # out of Tune's logs and experiment state
        written = result.pop("rows_written", None)
        if written and result.get("partial") is False:
            record_rows(self.workload, written)
        rows = int(result.get("rows", 0))
        old = self.per_trial.get(trial_id, (0, 0, 0))
        if rows >= old[0]:  # a retried trial's final count covers its fresh rows only
            self.per_trial[trial_id] = (rows, int(result.get("ok", 0)),
                                              int(result.get("failed", 0)))
        done = self.counts()[0]
        self._sample(done)
        set_tasks_remaining(self.workload, self.sweep_id, self.total - done)
        self.show(final=False)

    def end(self) -> None:
        """The final line."""
        set_tasks_remaining(self.workload, self.sweep_id, self.total - self.counts()[0])
        self.show(final=True)

    def show(self, *, final: bool) -> None:
        """Write the line: in place on a terminal, else every ``interval_s`` and at the end."""
        done, ok, failed = self.counts()
        if self._bar is not None:
            self._bar.n = done
            self._bar.set_postfix_str(f"{ok} ok, {failed} failed", refresh=False)
            self._bar.refresh()
            if final:
                self._bar.close()
            return
        rate = self.recent_rate()
        if final and rate is None and done:  # a short sweep: its average is the rate
            rate = -1.0
        self.write(lambda elapsed: progress_line(done, self.total, ok, failed, elapsed,
                                                 rate=rate), final=final)


def steps_line(name: str, done: int, total: int, trials: int, finished: int,
               elapsed_s: float) -> str:
    """``PPO env steps 12000/30000 (40%) | 2 trials, 1 done | 410 steps/s | 0:29 elapsed,
    ETA 0:44``."""
    pct, rate, eta = _pace(done, total, elapsed_s)
    return (f"{name} env steps {done}/{total} ({pct:.0f}%) | {trials} trial"
            f"{'s' * (trials != 1)}, {finished} done | {rate:.4g} steps/s | "
            f"{format_duration(elapsed_s)} elapsed, ETA {eta}")


class StepProgress(_LineWriter):
    """Progress of a long loop outside Tune (a benchmark's measurements): ``label
    3/12 (25%) | <note> | 0:50 elapsed, ETA 2:30`` after each :meth:`advance`, in place on
    a terminal, else a plain line at most every ``interval_s`` seconds and at the end."""

    def __init__(self, label: str, total: int, *, stream: TextIO | None = None,
                 interval_s: float = 10.0) -> None:
        super().__init__(stream, interval_s)
        self.label = label
        self.total = max(0, total)
        self.done = 0

    def line(self, note: str = "", elapsed: float | None = None) -> str:
        if elapsed is None:
            elapsed = time.monotonic() - self.started
        pct, _, eta = _pace(self.done, self.total, elapsed)
        return (f"{self.label} {self.done}/{self.total} ({pct:.0f}%)"
                + (f" | {note}" if note else "")
                + f" | {format_duration(elapsed)} elapsed, ETA {eta}")

    def advance(self, n: int = 1, note: str = "") -> None:
        self.done = min(self.total, self.done + n)
        self.write(lambda elapsed: self.line(note, elapsed), final=self.done >= self.total)
