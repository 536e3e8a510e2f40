"""The sweep driver: config -> plan -> pending tasks -> Tune trials on pooled actors ->
Parquet rows -> summary. Idempotent and resumable: tasks that already have rows are
skipped, so rerunning the same command after a kill finishes the sweep and a second rerun
does nothing."""

from __future__ import annotations

import contextlib
import errno
import functools
import gc
import json
import logging
import os
import shutil
import signal
import socket
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ray

import qray.results.ledger as ledger
from actors.runtime.binding import get_binding
from actors.runtime.driver_log import DriverLogHandler, driver_log
from actors.runtime.executor import point_path, unit_trial
from actors.runtime.pool import NAMESPACE, POOL_NAME, ActorPool
from actors.runtime.resources import free_capacity, validate_requests
from qray import failpoints, presets, provenance
from qray.chunks import FAILED_STATUSES, chunk_size, cut_units, pending_with_reuse
from qray.config import ADDRESS_ALLOWED, AUTO_BATCH_START, SweepConfig, parse_address
from qray.errors import ConfigError, QrayError, SweepInterruptedError
from qray.lifecycle import peak_rss_mb
from qray.results import update_latest
from qray.results.folder import SweepLock, check_manifest, check_output_dir, read_manifest
from qray.results.layout import (
    ResultIndex,
    chunk_path,
    read_index,
    repair_duplicates,
    run_tag,
    set_aside_unreadable,
)
from qray.results.reuse import Reusable, copy_rows, write_plan
from qray.results.writer import remove_stale_temp_files, write_text_atomic

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = presets.resolve(None)
#: how long the driver tries to reach a Ray head's port before giving up
CONNECT_TIMEOUT_S = 10.0


@dataclass
class SweepReport:
    """What a sweep did."""

    sweep_id: str
    sweep_dir: Path
    total_tasks: int
    skipped_tasks: int
    run_tasks: int
    trials: int
    trial_errors: list[str] = field(default_factory=list)
    pool_stats: dict[str, Any] = field(default_factory=dict)
    unreadable_files: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    summary_md: str = ""
    #: whether this run started or joined Ray (a sweep with nothing to do does not)
    ray_used: bool = False
    #: tasks per chunk this run cut its pending tasks into (0: a trial per grid point)
    chunk_tasks: int = 0
    #: rows of the plan's tasks by status, after the run (``{"ok": 330, "error": 2}``)
    status_counts: dict[str, int] = field(default_factory=dict)
    #: what differs from the provenance of the run that last wrote the sweep
    provenance_changes: dict[str, list[Any]] = field(default_factory=dict)
    #: tasks whose rows this run copied from other sweeps of the output folder (counted
    #: in ``skipped_tasks``), and from which sweeps
    reused_tasks: int = 0
    reused_from: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        """Rows of the plan that ended ``error`` or ``timeout``."""
        return sum(n for s, n in self.status_counts.items() if s in FAILED_STATUSES)

    @property
    def complete(self) -> bool:
        return not self.trial_errors


def connect(cfg: SweepConfig) -> bool:
    """Connect to Ray as configured; returns True when this call started a local Ray.

    ``ray.address: null`` joins the cluster in ``RAY_ADDRESS`` (``ray job submit`` sets
    it) and otherwise starts an embedded local Ray; ``auto`` joins a ``ray start``
    cluster; ``local`` always starts an embedded one.
    """
    if ray.is_initialized():
        return False
    address = cfg.ray.address
    key = "ray.address"
    if address is None:
        address = os.environ.get("RAY_ADDRESS") or "local"
        key = "RAY_ADDRESS"
    if address != "local":
        check_reachable(key, address)
    if address == "local":
        pythonpath = os.pathsep.join(
            p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p
        )
        quiet_ray_output()
        # the embedded Ray's processes inherit this process's environment: its workers,
        # the ones Ray starts ahead of need included, find the repository without a
        # runtime_env (whose own worker processes would start each actor a second later)
        os.environ["PYTHONPATH"] = pythonpath
        ray.init(
            num_cpus=cfg.ray.num_cpus,
            include_dashboard=cfg.ray.include_dashboard,
            dashboard_host=cfg.ray.dashboard_host,
            namespace=NAMESPACE,
            logging_level=logging.WARNING,
        )
        from actors.runtime.exposure import warn_if_exposed

        warn_if_exposed()
        return True
    from actors.runtime.workdir import warn_secrets

    runtime_env = None
    if not os.environ.get("RAY_JOB_CONFIG_JSON_ENV_VAR"):
        # a driver outside `ray job submit` ships the repository to the cluster's workers
        # the way the job CLI does (.gitignore and .rayignore respected)
        runtime_env = {"working_dir": str(REPO_ROOT)}
        warn_secrets(REPO_ROOT)
    else:  # a submitted job: its working directory was uploaded already
        warn_secrets(Path.cwd())
    quiet_ray_output()
    try:
        ray.init(address=address, namespace=NAMESPACE, runtime_env=runtime_env,
                 logging_level=logging.WARNING)
    except ConnectionError as exc:  # `auto` with no cluster running here
        raise ConfigError(key, address, "the host:port of a running Ray head, or 'local' for "
                          "an embedded Ray (`ray start --head` starts a cluster 'auto' finds)",
                          problem=f"no running Ray cluster ({' '.join(str(exc).split())[:160]}) "
                                  "for") from None
    return False


def quiet_ray_output() -> None:
    """Ray's own INFO lines stay out of a sweep's output (the ``ray`` logger at WARNING,
    set by ``ray.init``), and the worker-log prefixes Ray forwards carry no colour codes
    when the output is not a terminal (a file, a pipe, ``ray job logs``)."""
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        os.environ.setdefault("RAY_COLOR_PREFIX", "0")


def check_reachable(key: str, address: str) -> None:
    """Refuse a Ray address that is malformed or whose head does not answer within
    ``CONNECT_TIMEOUT_S`` (Ray itself would retry for minutes, printing only GCS logs)."""
    if address == "auto":
        return  # Ray finds the local `ray start` cluster; connect() says when there is none
    hostport = parse_address(address)
    if hostport is None:
        if key == "RAY_ADDRESS" and os.environ.get("RAY_JOB_CONFIG_JSON_ENV_VAR"):
            return  # set by Ray itself (a submitted job) in a form Ray knows
        hint = (" (an http:// address is the job server's, for `ray job submit`; a driver "
                "joins the head's GCS port, 6379 by default)"
                if address.startswith(("http://", "https://")) else "")
        raise ConfigError(key, address, ADDRESS_ALLOWED + hint)
    allowed = ("the host:port of a running Ray head (`ray start --head` prints it), 'auto', "
               "or 'local' for an embedded Ray")
    try:
        answer = speaks_grpc(hostport)
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        raise ConfigError(key, address, allowed,
                          problem=f"cannot reach the Ray head ({reason}) at") from None
    if answer is not None:
        raise ConfigError(key, address, allowed,
                          problem=f"not a Ray head ({answer}) at") from None


#: an HTTP/2 client's connection preface and an empty SETTINGS frame: Ray's GCS and Ray
#: Client servers are gRPC (HTTP/2) and answer it with a SETTINGS frame of their own
_H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])
#: how long a head may take to answer that preface
PROBE_TIMEOUT_S = 4.0


def speaks_grpc(hostport: tuple[str, int]) -> str | None:
    """None when the server at ``hostport`` answers an HTTP/2 preface with a SETTINGS
    frame (a gRPC server, as Ray's head is); else what it did instead. An OSError when
    it cannot be reached within ``CONNECT_TIMEOUT_S``. A server that accepts and never
    answers (Ray would retry its GCS for minutes) is caught here within seconds. With
    ``RAY_USE_TLS`` set the head speaks TLS first, and only reachability is checked."""
    with socket.create_connection(hostport, timeout=CONNECT_TIMEOUT_S) as sock:
        if os.environ.get("RAY_USE_TLS", "0") not in ("", "0", "false"):
            return None
        sock.settimeout(PROBE_TIMEOUT_S)
        try:
            sock.sendall(_H2_PREFACE)
            head = b""
            while len(head) < 9:
                chunk = sock.recv(9 - len(head))
                if not chunk:
                    return "it closed the connection without an HTTP/2 answer"
                head += chunk
        except TimeoutError:
            return f"it accepted the connection but sent nothing for {PROBE_TIMEOUT_S:g} s"
    if head[3] != 4:  # frame type SETTINGS
        return f"it answered {head[:9]!r}, not an HTTP/2 SETTINGS frame"
    return None


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
        report, index, units, reusable = _pending(cfg, binding, plan,
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
        _record(cfg, plan, prov, changes)
        repair_duplicates(cfg.sweep_dir / cfg.workload, index)
        if reusable.n:
            copied = copy_rows(reusable, cfg.sweep_dir / cfg.workload, run_tag())
            log.info("reused %d rows of %d other sweep(s) of %s by task id", copied,
                     len(reusable.sweeps), cfg.sweep_dir.parent)
        if units:
            if progress_bar is not None:
                progress_bar.total = report.run_tasks
            _run_trials(cfg, binding, keys, report, units, verbose=verbose, bar=progress_bar)
        if (index.unreadable or index.altered) and report.complete:
            _set_aside(cfg, binding, plan)
        report.status_counts = _status_counts(cfg, binding, plan, index,
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
        if _disk_full(exc, cfg.sweep_dir):
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
        report.status_counts = _status_counts(cfg, binding, plan, index, ran=True)
        done = sum(n for st, n in report.status_counts.items() if st != "missing")
        report.run_tasks = max(0, done - report.skipped_tasks)
        report.elapsed_s = time.perf_counter() - t0
        _log_run(cfg, report, interrupted=True)
        raise SweepInterruptedError(done, report.total_tasks, report=report,
                                    signum=term.signum)
    if summary_job is not None:
        try:
            report.summary_md = summary_job.result()
        except KeyboardInterrupt:  # stopped while the summary is written: rows are complete
            report.elapsed_s = time.perf_counter() - t0
            _log_run(cfg, report, interrupted=True)
            done = sum(n for st, n in report.status_counts.items() if st != "missing")
            raise SweepInterruptedError(done, report.total_tasks, report=report,
                                        signum=term.signum) from None
    _track(cfg, report)
    report.elapsed_s = time.perf_counter() - t0
    _log_run(cfg, report)
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
    from qray.results.folder import read_manifest
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


NO_SPACE = "No space left on device"


def _disk_full(exc: BaseException, folder: Path) -> bool:
    """Whether a failure came from a full disk: an ENOSPC anywhere in its chain, or
    (Tune reports a failed state write as e.g. EOFError) no space left where rows go."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC or NO_SPACE in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return _no_space(folder)


def _no_space(folder: Path) -> bool:
    """Less than 1 MiB free where the rows go."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 1 << 20


def disk_full(sweep_dir: Path) -> QrayError:
    """The error of a sweep stopped by a full disk (the rows written stay intact)."""
    return QrayError(f"disk full: no space left under {sweep_dir}; the rows written so far "
                     "are intact and a rerun of the same command resumes the sweep once "
                     "space is freed")


def _entry_named(cfg: SweepConfig, name: str, spec: Any) -> str:
    """The ``resources`` key an error about reservation ``spec`` names, the one the user
    would edit: the entry it came from (:meth:`SweepConfig.resources_entry`), or the
    actor's own name where a workload's built-in default set it (a GPU backend's)."""
    entry = cfg.resources_entry(name)
    return entry if entry is not None and cfg.resources[entry] == spec else name


def _pending(cfg: SweepConfig, binding: Any, plan: Any, *, rerun_failed: bool
             ) -> tuple[SweepReport, ResultIndex, list[dict[str, Any]], Reusable]:
    """The sweep's report so far, the index of its rows, its units of work (each with
    the specs of its tasks that have no row yet) and the rows other sweeps of the output
    folder hold for tasks it lacks (reused, not run), reading only the rows' ids and
    statuses; writes nothing."""
    sweep_id = cfg.resolved_sweep_id
    folder = cfg.sweep_dir / cfg.workload
    index = read_index(folder, binding.schema)
    work, reusable = pending_with_reuse(plan, index.status, cfg.sweep_dir, cfg.workload,
                                        binding.schema, rerun_failed=rerun_failed)
    per_point = bool(binding.spec.run_point)
    size = 0 if per_point else chunk_size(cfg, work.n_run)
    units = cut_units(work, lambda p: binding.actor_key(p, plan), size=size,
                      per_point=per_point)
    tag = run_tag()
    out: list[dict[str, Any]] = []
    for i, unit in enumerate(units):
        # the task specs are built when the trials start, a unit at a time (bounded memory)
        specs = functools.partial(_unit_specs, binding, unit, cfg, sweep_id)
        if per_point:  # the point's file is rewritten whole: it drops the old rows itself
            point = unit.parts[0][0]
            label = f"{unit.key}-{point.point_id[:8]}"
            path = point_path(cfg.sweep_dir, cfg.workload, point.point_id)
            out.append({"label": label, "key": unit.key, "point_id": point.point_id,
                        "path": str(path), "specs": specs})
        else:
            supersede: dict[str, list[str]] = {}  # the old rows of tasks run again
            for _, ids in unit.parts:
                for task_id in ids:
                    if task_id in index.where:
                        supersede.setdefault(str(index.where[task_id]), []).append(task_id)
            out.append({"label": f"{unit.key}-{i:05d}", "key": unit.key,
                        "path": str(chunk_path(folder, tag, i)), "specs": specs,
                        "supersede": supersede})
    out = interleave(out, cfg.max_parallel)
    log.info("sweep %s: %d tasks, %d already done%s, %d to run in %d trials%s", sweep_id,
             plan.n_tasks, work.skipped,
             f" ({reusable.n} with rows of other sweeps)" if reusable.n else "", work.n_run,
             len(out), f" of up to {size} tasks" if size and out else "")
    report = SweepReport(sweep_id, cfg.sweep_dir, plan.n_tasks, work.skipped, work.n_run,
                         len(out), unreadable_files=[str(p.path) for p in index.problems],
                         chunk_tasks=size, reused_tasks=reusable.n,
                         reused_from=dict(reusable.sweeps))
    return report, index, out, reusable


def _unit_specs(binding: Any, unit: Any, cfg: SweepConfig, sweep_id: str
                ) -> list[dict[str, Any]]:
    """The wire specs of a unit's tasks."""
    return [s for point, ids in unit.parts
            for s in binding.task_specs(point, cfg, sweep_id, only=set(ids))]


def _status_counts(cfg: SweepConfig, binding: Any, plan: Any, index: ResultIndex, *,
                   ran: bool) -> dict[str, int]:
    """The plan's rows by status (the index is read again when this run wrote rows)."""
    if ran:
        index = read_index(cfg.sweep_dir / cfg.workload, binding.schema)
    counts: dict[str, int] = {}
    for point in plan.points:
        for task in point.tasks:
            status = index.status.get(task.strong_id, "missing")
            counts[status] = counts.get(status, 0) + 1
    return dict(sorted(counts.items()))


def check_provenance(cfg: SweepConfig, binding: Any, *, strict: bool
                     ) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """This run's provenance and what differs from the run that last wrote the sweep's
    ``sweep.json``; a QrayError under ``strict`` when anything does (before any work)."""
    prov = provenance.collect(binding.libraries(cfg))
    manifest = cfg.sweep_dir / "sweep.json"
    old = read_manifest(manifest).get("provenance") if manifest.is_file() else None
    changes = provenance.differences(old, prov) if isinstance(old, dict) else {}
    if changes:
        text = provenance.describe(changes)
        if strict:
            raise QrayError(f"sweep {cfg.resolved_sweep_id} was run on another machine or "
                            f"with other versions ({text}); --strict-provenance refuses to "
                            "mix their rows: run it where it ran, or under a new sweep_id")
        log.warning("RESUMING ON A DIFFERENT MACHINE OR VERSIONS: sweep %s was last run with "
                    "%s; rows of both will be mixed (pass --strict-provenance to refuse)",
                    cfg.resolved_sweep_id, text)
    return prov, changes


def _set_aside(cfg: SweepConfig, binding: Any, plan: Any) -> None:
    """Once every task has a row again, rename the unreadable result files so that
    summaries stop reporting them (their contents are kept, as ``*.unreadable``)."""
    index = read_index(cfg.sweep_dir / cfg.workload, binding.schema)
    if all(t.strong_id in index.status for p in plan.points for t in p.tasks):
        set_aside_unreadable(index)


def _log_run(cfg: SweepConfig, report: SweepReport, *, interrupted: bool = False) -> None:
    """Append this run's figures to ``<sweep_dir>/runs.jsonl`` (one JSON line a run)."""
    line = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "elapsed_s": round(report.elapsed_s, 3),
        "tasks": report.total_tasks, "skipped": report.skipped_tasks,
        "run": report.run_tasks, "trials": report.trials,
        "chunk_tasks": report.chunk_tasks, "ray_used": report.ray_used,
        "complete": report.complete and not interrupted, "interrupted": interrupted,
        "driver_peak_rss_mb": round(peak_rss_mb(), 1),
        "status_counts": report.status_counts,
        "reused": report.reused_tasks, "reused_from": report.reused_from,
        "host": socket.gethostname(), "pid": os.getpid(),
    }
    try:
        with open(cfg.sweep_dir / "runs.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, sort_keys=True) + "\n")
    except OSError as exc:  # the figures are a convenience; the rows are what matters
        log.warning("could not append to %s: %s", cfg.sweep_dir / "runs.jsonl", exc)


def _record(cfg: SweepConfig, plan: Any, prov: dict[str, Any],
            changes: dict[str, list[Any]]) -> None:
    """The sweep folder's manifest and ``latest`` link (after every check passed)."""
    sweep_dir = cfg.sweep_dir
    if os.environ.get("RAY_JOB_CONFIG_JSON_ENV_VAR") and not Path(cfg.output_dir).expanduser().is_absolute():
        log.warning("output_dir=%r is relative: inside a submitted job it resolves to %s, a "
                    "copy of the working dir; pass an absolute output_dir to keep the rows",
                    cfg.output_dir, sweep_dir.parent)
    sweep_dir.mkdir(parents=True, exist_ok=True)
    ledger.adopt(sweep_dir / cfg.workload)  # a sweep from before ledgers: files as found
    _write_manifest(cfg, sweep_dir, prov, changes)
    write_plan(sweep_dir, (t.strong_id for p in plan.points for t in p.tasks))
    update_latest(sweep_dir.parent, cfg.resolved_sweep_id)
    remove_stale_temp_files(sweep_dir)
    # Tune's state of a killed run (qray resumes from its rows, never from Tune's state;
    # the sweep's lock says no other driver runs it now)
    shutil.rmtree(sweep_dir / "_tune", ignore_errors=True)


def _run_trials(cfg: SweepConfig, binding: Any, keys: list[str], report: SweepReport,
                units: list[dict[str, Any]], *, verbose: bool = False, bar: Any = None) -> None:
    """Run the units of work on the pool's actors (fills ``report``): as Tune trials, or
    for a small sweep in the driver's threads (``execution.runner``); one progress line
    for the sweep's tasks; Tune's own status table only when ``verbose``."""
    sweep_dir = cfg.sweep_dir
    specs = {k: binding.actor_spec(cfg, k) for k in keys}
    # the actors of the first units start with the pool, not when their units ask
    first = list(dict.fromkeys(u["key"] for u in units))[:cfg.max_parallel]
    pool = _create_pool(specs, prestart=first)
    ctx = {
        "workload": cfg.workload,
        "sweep_dir": str(sweep_dir),
        "pool_name": POOL_NAME,
        "batch_size": (AUTO_BATCH_START if cfg.actor.batch_size == "auto"
                       else cfg.actor.batch_size),
        "adapt_batches": cfg.actor.batch_size == "auto",
        "warmup": getattr(cfg, "warmup", 0),
        "metric_tag": binding.spec.metric_tag,
        "flush_s": cfg.execution.flush_s,
        "spec": binding.spec,  # a spec registered from Python exists only in this process
    }
    try:
        if cfg.execution.runs_in_driver(report.run_tasks):
            fatal = _run_in_driver(cfg, report, units, ctx, bar)
        else:
            fatal = _run_in_tune(cfg, report, units, ctx, verbose, bar)
        if report.trial_errors and (any(NO_SPACE in e for e in report.trial_errors)
                                    or _no_space(sweep_dir)):
            raise disk_full(sweep_dir)
        report.pool_stats = ray.get(pool.get_stats.remote())
    finally:
        try:
            ray.get(pool.shutdown.remote(), timeout=30)
        finally:
            ray.kill(pool)
    if fatal:
        raise QrayError(f"sweep {report.sweep_id} stopped: {fatal} (every retry "
                        "would fail the same way; rows written so far are kept)")
    for err in report.trial_errors:
        log.error("trial failed after retries: %s", err)


def _run_in_driver(cfg: SweepConfig, report: SweepReport, units: list[dict[str, Any]],
                   ctx: dict[str, Any], bar: Any) -> str | None:
    """A small sweep's units in the driver's threads (:mod:`actors.runtime.inline`)."""
    from actors.runtime.inline import run_in_driver
    from actors.runtime.progress_line import SweepLine

    line = SweepLine(cfg.workload, report.sweep_id, report.run_tasks, bar=bar)
    by_label = {u["label"]: {**u, "specs": u["specs"]()} for u in units}
    report.trial_errors, fatal = run_in_driver(by_label, ctx, width=cfg.max_parallel,
                                               retries=cfg.trial_retries, line=line)
    return fatal


def _run_in_tune(cfg: SweepConfig, report: SweepReport, units: list[dict[str, Any]],
                 ctx: dict[str, Any], verbose: bool, bar: Any) -> str | None:
    """The units as Tune trials, pinned to the driver's node; Tune's state is removed
    once every trial finished."""
    from actors.runtime.progress import FatalStop, SweepProgress, quiet_tune

    quiet_tune()  # with --verbose: a compact status block instead of a box per trial event
    from ray import tune
    from ray.tune.logger import JsonLoggerCallback

    sweep_dir = cfg.sweep_dir
    # each trial fetches its own unit's task specs, not the whole sweep's
    by_label = {u["label"]: {**u, "specs": ray.put(u["specs"]())} for u in units}
    trainable = tune.with_resources(
        tune.with_parameters(unit_trial, ctx=ctx, units=by_label), trial_resources())
    storage = sweep_dir / "_tune"
    name = f"tune-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    fatal = FatalStop()
    tuner = tune.Tuner(
        trainable,
        param_space={"unit": tune.grid_search(list(by_label))},
        tune_config=tune.TuneConfig(
            max_concurrent_trials=cfg.max_parallel,
            reuse_actors=True,
            trial_name_creator=lambda t: t.config["unit"],
            trial_dirname_creator=lambda t: t.config["unit"],
        ),
        run_config=tune.RunConfig(
            name=name,
            storage_path=str(storage),
            failure_config=tune.FailureConfig(max_failures=cfg.trial_retries),
            stop=fatal,
            verbose=1 if verbose else 0,
            # result.json is what Tune's result grid reads back; the CSV and TensorBoard
            # loggers are left out (TensorBoard alone imports torch)
            callbacks=[SweepProgress(cfg.workload, report.sweep_id, report.run_tasks,
                                     bar=bar), JsonLoggerCallback()],
        ),
    )
    # only the loggers above; Ctrl-C reaches the driver (which says how to resume) instead
    # of Tune's handler (which would point at Tuner.restore)
    with _env(TUNE_DISABLE_AUTO_CALLBACK_LOGGERS="1", TUNE_DISABLE_SIGINT_HANDLER="1"):
        try:
            results = tuner.fit()
        except KeyboardInterrupt:  # qray resumes from its rows: Tune's state is not needed
            shutil.rmtree(storage / name, ignore_errors=True)
            with contextlib.suppress(OSError):
                storage.rmdir()
            raise
    report.trial_errors = [f"{r.path}: {r.error}" for r in results if r.error is not None]
    if not report.trial_errors:  # Tune's state of a finished run is not needed again
        shutil.rmtree(storage / name, ignore_errors=True)
        with contextlib.suppress(OSError):
            storage.rmdir()
    return fatal.message


@contextlib.contextmanager
def _env(**values: str) -> Any:
    """Environment variables set for the block, then restored."""
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def trial_resources() -> dict[str, float]:
    """What a Tune trial reserves: no CPU (the actors hold the compute), a little memory,
    and a sliver of this node's ``node:<ip>`` resource. That pins the trials, which write
    the rows, to the driver's node, so on a multi-node cluster the whole dataset lands on
    the driver's filesystem."""
    return {"cpu": 0, "memory": 64 * 2**20,
            f"node:{ray.util.get_node_ip_address()}": 0.001}


def on_this_node() -> Any:
    """A scheduling strategy that keeps an actor on the driver's node (the pool's
    bookkeeping must outlive the loss of any worker node)."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    return NodeAffinitySchedulingStrategy(node_id=ray.get_runtime_context().get_node_id(),
                                          soft=False)


def _create_pool(specs: dict[str, Any], prestart: list[str] | None = None) -> Any:
    """The sweep's actor pool (creating the ``prestart`` keys' actors at once, as room
    allows); one sweep at a time per cluster namespace."""
    deadline = time.monotonic() + 15
    while True:
        try:
            return ActorPool.options(name=POOL_NAME, namespace=NAMESPACE,
                                     scheduling_strategy=on_this_node()).remote(
                specs, free_capacity(), prestart=prestart or [])
        except ValueError as exc:
            if "already taken" not in str(exc):
                raise
            if time.monotonic() > deadline:  # a just-killed driver's pool is freed within s
                raise QrayError(
                    f"another sweep is running on this cluster: actor {POOL_NAME!r} exists in "
                    f"namespace {NAMESPACE!r}; wait for it to finish or stop it "
                    f"(ray job stop), then rerun") from None
            time.sleep(0.5)


def interleave(points: list[dict[str, Any]], width: int) -> list[dict[str, Any]]:
    """Order points so that ``width`` concurrent trials use different actors, and each
    actor's points stay together (few actor start-ups when the pool must evict).

    Keys are taken ``width`` at a time; within such a group the points alternate between
    the keys; groups follow one another.
    """
    by_key: dict[str, list[dict[str, Any]]] = {}
    for p in points:
        by_key.setdefault(p["key"], []).append(p)
    queues = list(by_key.values())
    out: list[dict[str, Any]] = []
    for g in range(0, len(queues), max(1, width)):
        group = queues[g:g + width]
        for i in range(max(len(q) for q in group)):
            out += [q[i] for q in group if i < len(q)]
    return out


def _write_manifest(cfg: SweepConfig, sweep_dir: Path, prov: dict[str, Any],
                    changes: dict[str, list[Any]]) -> None:
    """``sweep.json``: the config, this run's provenance and, kept across runs, every
    change of provenance between runs."""
    path = sweep_dir / "sweep.json"
    history: list[Any] = []
    if path.is_file():
        with contextlib.suppress(QrayError):
            history = list(read_manifest(path).get("provenance_changes") or [])
    if changes:
        history.append({"at": datetime.now(UTC).isoformat(timespec="seconds"),
                        "changes": changes})
    manifest = {
        "format": ledger.FORMAT,
        "sweep_id": cfg.resolved_sweep_id,
        "workload": cfg.workload,
        "config": cfg.to_dict(),
        "provenance": prov,
        "provenance_changes": history,
    }
    write_text_atomic(json.dumps(manifest, indent=2, sort_keys=True), sweep_dir / "sweep.json")


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
