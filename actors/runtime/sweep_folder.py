"""What the driver writes in a sweep folder beside the rows: `sweep.json` (config,
provenance and its changes), the plan's task ids, the `latest` link, `runs.jsonl`, and
unreadable files set aside once their tasks have rows again."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import qray.results.ledger as ledger
from actors.runtime.report import SweepReport
from qray import provenance
from qray.config import SweepConfig
from qray.errors import QrayError
from qray.lifecycle import peak_rss_mb
from qray.results import update_latest
from qray.results.folder import read_manifest
from qray.results.layout import (
    read_index,
    set_aside_unreadable,
)
from qray.results.reuse import write_plan
from qray.results.writer import remove_stale_temp_files, write_text_atomic

log = logging.getLogger(__name__)


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


def set_aside(cfg: SweepConfig, binding: Any, plan: Any) -> None:
    """Once every task has a row again, rename the unreadable result files so that
    summaries stop reporting them (their contents are kept, as ``*.unreadable``)."""
    index = read_index(cfg.sweep_dir / cfg.workload, binding.schema)
    if all(t.strong_id in index.status for p in plan.points for t in p.tasks):
        set_aside_unreadable(index)


def log_run(cfg: SweepConfig, report: SweepReport, *, interrupted: bool = False) -> None:
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


def record_run(cfg: SweepConfig, plan: Any, prov: dict[str, Any],
            changes: dict[str, list[Any]]) -> None:
    """The sweep folder's manifest and ``latest`` link (after every check passed)."""
    sweep_dir = cfg.sweep_dir
    if os.environ.get("RAY_JOB_CONFIG_JSON_ENV_VAR") and not Path(cfg.output_dir).expanduser().is_absolute():
        log.warning("output_dir=%r is relative: inside a submitted job it resolves to %s, a "
                    "copy of the working dir; pass an absolute output_dir to keep the rows",
                    cfg.output_dir, sweep_dir.parent)
    sweep_dir.mkdir(parents=True, exist_ok=True)
    ledger.adopt(sweep_dir / cfg.workload)  # a sweep from before ledgers: files as found
    write_manifest(cfg, sweep_dir, prov, changes)
    write_plan(sweep_dir, (t.strong_id for p in plan.points for t in p.tasks))
    update_latest(sweep_dir.parent, cfg.resolved_sweep_id)
    remove_stale_temp_files(sweep_dir)
    # Tune's state of a killed run (qray resumes from its rows, never from Tune's state;
    # the sweep's lock says no other driver runs it now)
    shutil.rmtree(sweep_dir / "_tune", ignore_errors=True)


def write_manifest(cfg: SweepConfig, sweep_dir: Path, prov: dict[str, Any],
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
