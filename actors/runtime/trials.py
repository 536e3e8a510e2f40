"""Running the units of work on the pool's actors: as Tune trials pinned to the
driver's node, or, for a small sweep, in the driver's threads."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import ray

from actors.runtime.disk import NO_SPACE, disk_full, no_space
from actors.runtime.executor import unit_trial
from actors.runtime.jobs import ChunkJob, TrialContext
from actors.runtime.pool import NAMESPACE, POOL_NAME, ActorPool
from actors.runtime.report import SweepReport
from actors.runtime.resources import free_capacity
from qray.config import AUTO_BATCH_START, SweepConfig
from qray.errors import QrayError

log = logging.getLogger(__name__)


def run_trials(cfg: SweepConfig, binding: Any, keys: list[str], report: SweepReport,
                units: list[ChunkJob], *, verbose: bool = False, bar: Any = None) -> None:
    """Run the units of work on the pool's actors (fills ``report``): as Tune trials, or
    for a small sweep in the driver's threads (``execution.runner``); one progress line
    for the sweep's tasks; Tune's own status table only when ``verbose``."""
    sweep_dir = cfg.sweep_dir
    specs = {k: binding.actor_spec(cfg, k) for k in keys}
    # the actors of the first units start with the pool, not when their units ask
    first = list(dict.fromkeys(u.key for u in units))[:cfg.max_parallel]
    pool = create_pool(specs, prestart=first)
    ctx = TrialContext(
        workload=cfg.workload,
        sweep_dir=str(sweep_dir),
        pool_name=POOL_NAME,
        batch_size=(AUTO_BATCH_START if cfg.actor.batch_size == "auto"
                    else cfg.actor.batch_size),
        adapt_batches=cfg.actor.batch_size == "auto",
        warmup=getattr(cfg, "warmup", 0),
        metric_tag=binding.spec.metric_tag,
        flush_s=cfg.execution.flush_s,
        spec=binding.spec,  # a spec registered from Python exists only in this process
    )
    try:
        if cfg.execution.runs_in_driver(report.run_tasks):
            fatal = _run_in_driver(cfg, report, units, ctx, bar)
        else:
            fatal = _run_in_tune(cfg, report, units, ctx, verbose, bar)
        if report.trial_errors and (any(NO_SPACE in e for e in report.trial_errors)
                                    or no_space(sweep_dir)):
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


def _run_in_driver(cfg: SweepConfig, report: SweepReport, units: list[ChunkJob],
                   ctx: TrialContext, bar: Any) -> str | None:
    """A small sweep's units in the driver's threads (:mod:`actors.runtime.inline`)."""
    from actors.runtime.inline import run_in_driver
    from actors.runtime.progress_line import SweepLine

    line = SweepLine(cfg.workload, report.sweep_id, report.run_tasks, bar=bar)
    by_label = {u.label: replace(u, specs=u.specs()) for u in units}
    report.trial_errors, fatal = run_in_driver(by_label, ctx, width=cfg.max_parallel,
                                               retries=cfg.trial_retries, line=line)
    return fatal


def _run_in_tune(cfg: SweepConfig, report: SweepReport, units: list[ChunkJob],
                 ctx: TrialContext, verbose: bool, bar: Any) -> str | None:
    """The units as Tune trials, pinned to the driver's node; Tune's state is removed
    once every trial finished."""
    from actors.runtime.progress import FatalStop, SweepProgress, quiet_tune

    quiet_tune()  # with --verbose: a compact status block instead of a box per trial event
    from ray import tune
    from ray.tune.logger import JsonLoggerCallback

    sweep_dir = cfg.sweep_dir
    # each trial fetches its own unit's task specs, not the whole sweep's
    by_label = {u.label: replace(u, specs=ray.put(u.specs())) for u in units}
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


def create_pool(specs: dict[str, Any], prestart: list[str] | None = None) -> Any:
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
