"""The sweep driver: config -> plan -> pending tasks -> Tune trials on pooled actors ->
Parquet rows -> summary. Idempotent and resumable: tasks that already have rows are
skipped, so rerunning the same command after a kill finishes the sweep and a second rerun
does nothing."""

from __future__ import annotations

import errno
import gc
import logging
import signal
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import ray

from actors.runtime.binding import get_binding
from actors.runtime.connect import connect
from actors.runtime.disk import caused_by_full_disk, disk_full
from actors.runtime.driver_log import DriverLogHandler, driver_log
from actors.runtime.report import SweepReport
from actors.runtime.resources import validate_requests
from actors.runtime.sweep_folder import check_provenance, log_run, record_run, set_aside
from actors.runtime.trials import run_trials
from actors.runtime.units import plan_units, status_counts
from qray import failpoints, presets
from qray.config import SweepConfig
from qray.errors import SweepInterruptedError
from qray.results.folder import SweepLock, check_manifest, check_output_dir, read_manifest
from qray.results.layout import (
    repair_duplicates,
    run_tag,
)
from qray.results.reuse import copy_rows

log = logging.getLogger(__name__)



DEFAULT_CONFIG = presets.resolve(None)


def run_sweep(cfg: SweepConfig, *, rerun_failed: bool = False,
              summarize: bool | None = None,
              allow_config_change: bool = False,
              strict_provenance: bool = False, verbose: bool = False,
              progress_bar: Any = None) -> SweepReport:
    """Run (or resume) the sweep described by ``cfg``; its log records are appended to
    ``<sweep_dir>/driver.log`` once every check has passed (a refused sweep writes
    nothing).

    Validation (config, plan, output folder, resources) happens before anything is
    written; a second driver of the same sweep is refused. Rows other sweeps of the
    output folder hold for the plan's tasks are reused, not run; a sweep id run again
    under another config shows that config's tasks (``allow_config_change`` is accepted
    and no longer needed). A resume on another
    host or with other versions (``qray.provenance``) is logged as a warning and recorded
    in ``sweep.json``; ``strict_provenance`` refuses it instead. ``verbose`` shows Tune's
    status table beside qray's progress line; ``progress_bar`` (a ``tqdm`` bar, a
    notebook's) replaces that line.
    """
    with driver_log(cfg.sweep_dir) as handler:
        return _run_sweep(cfg, handler, rerun_failed=rerun_failed, summarize=summarize,
                          allow_config_change=allow_config_change,
                          strict_provenance=strict_provenance, verbose=verbose,
                          progress_bar=progress_bar)


def _run_sweep(cfg: SweepConfig, handler: DriverLogHandler, **kwargs: Any) -> SweepReport:
    """Run the sweep with SIGTERM handled as Ctrl-C from start to end (the previous
    handler restored afterwards)."""
    term = _Terminate()
    term.install()
    try:
        return _run_sweep_steps(cfg, handler, term, **kwargs)
    finally:
        term.restore()


def _run_sweep_steps(cfg: SweepConfig, handler: DriverLogHandler, term: _Terminate, *,
                     rerun_failed: bool, summarize: bool | None, allow_config_change: bool,
                     strict_provenance: bool, verbose: bool,
                     progress_bar: Any = None) -> SweepReport:
    t0 = time.perf_counter()
    binding = get_binding(cfg.workload)
    plan = binding.plan(cfg)  # raises before Ray starts
    keys = binding.actor_keys(cfg, plan)
    requests = {_entry_named(cfg, binding.resource_name(k), binding.resources(cfg, k)):
                binding.resources(cfg, k) for k in keys}
    check_output_dir(cfg.output_dir, cfg.sweep_dir, cfg.workload)
    check_manifest(cfg, cfg.sweep_dir, allow_config_change=allow_config_change)
    prov, changes = check_provenance(cfg, binding, strict=strict_provenance)
    lock = SweepLock(cfg.sweep_dir)
    started = False
    ok = False
    summary_job: Future[str] | None = None
    interrupted = False
    try:
        report, index, units, reusable = plan_units(cfg, binding, plan,
                                                  rerun_failed=rerun_failed)
        report.provenance_changes = changes
        failpoints.reach("planned")
        if units:  # with nothing to do, the sweep ends without starting Ray
            started = connect(cfg)
            term.install()  # ray.init installs its own handler, which ends the process
            failpoints.reach("ray-started")
            report.ray_used = True
            validate_requests(requests)
            binding.validate_cluster(cfg, keys)
        ok = True
        handler.activate()  # past every refusal: the log so far, then the rest
        record_run(cfg, plan, prov, changes)
        repair_duplicates(cfg.sweep_dir / cfg.workload, index)
        if reusable.n:
            copied = copy_rows(reusable, cfg.sweep_dir / cfg.workload, run_tag())
            log.info("reused %d rows of %d other sweep(s) of %s by task id", copied,
                     len(reusable.sweeps), cfg.sweep_dir.parent)
        if units:
            if progress_bar is not None:
                progress_bar.total = report.run_tasks
            run_trials(cfg, binding, keys, report, units, verbose=verbose, bar=progress_bar)
        if (index.unreadable or index.altered) and report.complete:
            set_aside(cfg, binding, plan)
        report.status_counts = status_counts(cfg, binding, plan, index,
                                              ran=bool(units) or bool(reusable.n))
        if started:
            # object refs in reference cycles (Tune's) are freed while Ray is up: freed
            # by a later collection, after the shutdown, they would end the process
            gc.collect()
        if summarize if summarize is not None else cfg.summarize:
            # written while Ray shuts down (its processes take a second or two to exit)
            summary_job = _SUMMARY_THREAD.submit(_summary, cfg, report)
    except KeyboardInterrupt:
        interrupted = True
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise disk_full(cfg.sweep_dir) from exc
        raise
    except Exception as exc:
        if caused_by_full_disk(exc, cfg.sweep_dir):
            raise disk_full(cfg.sweep_dir) from exc
        raise
    finally:
        if started:
            try:
                ray.shutdown()
            except KeyboardInterrupt:  # stopped while Ray shuts down: finish the shutdown
                interrupted = True
                ray.shutdown()
        lock.release(cleanup=not ok)
    if interrupted:  # Ctrl-C: what is on disk now, then the one line the user needs
        report.status_counts = status_counts(cfg, binding, plan, index, ran=True)
        done = sum(n for st, n in report.status_counts.items() if st != "missing")
        report.run_tasks = max(0, done - report.skipped_tasks)
        report.elapsed_s = time.perf_counter() - t0
        log_run(cfg, report, interrupted=True)
        raise SweepInterruptedError(done, report.total_tasks, report=report,
                                    signum=term.signum)
    if summary_job is not None:
        try:
            report.summary_md = summary_job.result()
        except KeyboardInterrupt:  # stopped while the summary is written: rows are complete
            report.elapsed_s = time.perf_counter() - t0
            log_run(cfg, report, interrupted=True)
            done = sum(n for st, n in report.status_counts.items() if st != "missing")
            raise SweepInterruptedError(done, report.total_tasks, report=report,
                                        signum=term.signum) from None
    _track(cfg, report)
    report.elapsed_s = time.perf_counter() - t0
    log_run(cfg, report)
    return report


class _Terminate:
    """SIGTERM (``kill``, ``ray job stop``) stops the sweep as Ctrl-C does: the handler
    raises KeyboardInterrupt in the main thread, so the driver shuts Ray down, removes
    Tune's state and says how many tasks have rows (exit status 143)."""

    def __init__(self) -> None:
        self.signum = signal.SIGINT.value
        self._before: Any = None
        self._installed = False

    def _handle(self, signum: int, frame: Any) -> None:
        self.signum = signum
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one stop; the shutdown must finish
        raise KeyboardInterrupt

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        before = signal.signal(signal.SIGTERM, self._handle)
        if not self._installed:
            self._before, self._installed = before, True

    def restore(self) -> None:
        if self._installed:
            signal.signal(signal.SIGTERM, self._before if self._before is not None
                          else signal.SIG_DFL)
            self._installed = False


def _track(cfg: SweepConfig, report: SweepReport) -> None:
    """Log the finished sweep to ``cfg.tracking`` (nothing for ``none``). A tracker that
    fails is logged as an error: the rows and the summary are already written."""
    if cfg.tracking == "none":
        return
    from qray.tracking import default_dir, log_sweep

    try:
        manifest = read_manifest(report.sweep_dir / "sweep.json")
        where = log_sweep(cfg.tracking, default_dir(cfg.tracking, cfg.output_dir,
                                                    cfg.tracking_dir),
                          report.sweep_dir, dict(manifest.get("config") or {}),
                          dict(manifest.get("provenance") or {}))
    except Exception as exc:  # noqa: BLE001 - tracking never costs the sweep its result
        log.error("tracking=%s failed (rows and summary are written): %s: %s", cfg.tracking,
                  type(exc).__name__, exc)
        return
    log.info("tracked (%s): %s", cfg.tracking, where)


#: where a sweep's summary is written while Ray shuts down
_SUMMARY_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qray-summary")


def _summary(cfg: SweepConfig, report: SweepReport) -> str:
    """The sweep's summary: written again, or the one on disk when nothing ran and no
    file changed since it was written."""
    from qray.summary import summarize_sweep, summary_is_current

    failpoints.reach("summary")
    if not report.run_tasks and summary_is_current(report.sweep_dir, cfg.workload):
        log.info("summary of %s is up to date", report.sweep_dir)
        return (report.sweep_dir / "summary.md").read_text(encoding="utf-8")
    return summarize_sweep(report.sweep_dir).markdown


def _entry_named(cfg: SweepConfig, name: str, spec: Any) -> str:
    """The ``resources`` key an error about reservation ``spec`` names, the one the user
    would edit: the entry it came from (:meth:`SweepConfig.resources_entry`), or the
    actor's own name where a workload's built-in default set it (a GPU backend's)."""
    entry = cfg.resources_entry(name)
    return entry if entry is not None and cfg.resources[entry] == spec else name


def sweep(config: str | Path | SweepConfig | None = None, overrides: list[str] | tuple = (),
          *, rerun_failed: bool = False, summarize: bool | None = None,
          allow_config_change: bool = False, strict_provenance: bool = False,
          verbose: bool = False) -> SweepReport:
    """Run a sweep from Python: ``actors.sweep("jobs/conf/simulators.yaml", ["shots=500"])``.

    ``config`` is a YAML path, an already-built config, or None for the default config.
    """
    from qray.config import load_config

    if isinstance(config, SweepConfig):
        cfg = config
        if overrides:
            raise ValueError("overrides apply to a YAML config, not to a built SweepConfig")
    else:
        cfg = load_config(config, list(overrides), default_path=DEFAULT_CONFIG)
    return run_sweep(cfg, rerun_failed=rerun_failed, summarize=summarize,
                     allow_config_change=allow_config_change,
                     strict_provenance=strict_provenance, verbose=verbose)


__all__ = ["DEFAULT_CONFIG", "SweepReport", "connect", "run_sweep", "sweep"]
