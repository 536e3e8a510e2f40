"""A small sweep's units run in the driver's own threads instead of Tune trials.

Starting Tune (its import, its controller, one trial actor per concurrent trial) costs a
small sweep more than its work. The units are the same (:func:`actors.runtime.executor.
run_unit`: the pool's actors, batches, atomic chunk files flushed every ``flush_s``, a
retry that resumes from the rows its file holds), run ``max_parallel`` at a time, each
retried up to ``trial_retries`` times, on the driver's node (so the rows land on its
filesystem, as trials pinned there do). Killing the driver kills these threads as it
kills Tune's trials; the rerun resumes from the rows.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import Any

from actors.runtime.executor import run_unit
from actors.runtime.jobs import ChunkJob, TrialContext
from actors.runtime.progress_line import SweepLine

log = logging.getLogger(__name__)


def run_in_driver(units: dict[str, ChunkJob], ctx: TrialContext, *, width: int,
                  retries: int, line: SweepLine) -> tuple[list[str], str | None]:
    """Run every unit (label -> unit), ``width`` at a time; returns the errors of units
    that failed every attempt and the ``fatal`` message that stopped the sweep, if any."""
    queue = deque(units)
    lock = threading.Lock()
    errors: list[str] = []
    fatal: list[str] = []

    def report(label: str, result: dict[str, Any]) -> None:
        with lock:
            if result.get("fatal"):
                fatal.append(str(result["fatal"]))
            line.on_result(label, result)

    def work() -> None:
        while True:
            with lock:
                if fatal or not queue:
                    return
                label = queue.popleft()
            for attempt in range(retries + 1):
                try:
                    run_unit(label, ctx, units, lambda r, lb=label: report(lb, r))
                    break
                except Exception as exc:  # a failed unit is retried, as Tune retries a trial
                    if attempt == retries:
                        with lock:
                            errors.append(f"{label}: {type(exc).__name__}: {exc}")
                    else:
                        log.warning("unit %s failed (%s: %s); retrying", label,
                                    type(exc).__name__, exc)

    threads = [threading.Thread(target=work, name=f"qray-unit-{i}", daemon=True)
               for i in range(max(1, min(width, len(units))))]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        time.sleep(0.05)  # the main thread stays interruptible (Ctrl-C)
    line.end()
    return errors, (fatal[0] if fatal else None)
