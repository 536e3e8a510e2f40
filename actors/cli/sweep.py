"""``qray sweep``: run or resume a sweep, or show its plan or config."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from actors.cli.common import (
    Command,
    config_argument,
    load,
    log_level_argument,
    overrides_argument,
    print_config,
    refused,
    setup_logging,
)
from qray import presets
from qray.errors import QrayError, SweepInterruptedError

SWEEP_HELP = """Run (or resume) a sweep.

    qray sweep                                         # jobs/conf/simulators.yaml
    qray sweep --config ghz_scaling n_qubits=[4,8,12]  # a preset by name, or a YAML path
    qray sweep --dry-run                               # the plan; no Ray, nothing written
    qray sweep --print-config shots=500                # the merged, validated config

Rerunning the same command resumes the same sweep (its id comes from the config) and does
no work once every task has a row. ``--rerun-failed`` retries rows with status error or
timeout.

Exit status: 0 when every task of the sweep has a row and none ended error or timeout
(``--allow-failures`` accepts those); 1 otherwise; 2 for a refused config.
"""


def arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    config_argument(parser, default or presets.DEFAULT, "the sweep's config")
    parser.add_argument("--rerun-failed", action="store_true",
                        help="rerun tasks whose rows have status error or timeout")
    parser.add_argument("--no-summary", action="store_true", help="skip the summary at the end")
    parser.add_argument("--allow-config-change", action="store_true",
                        help="accepted, no longer needed: a sweep_id run again under another "
                             "config shows that config's tasks, reusing its rows by task id")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the plan (points, tasks done and to run, actors and their "
                             "resources) without starting Ray or writing anything")
    parser.add_argument("--print-config", action="store_true",
                        help="print the merged, validated config as YAML and exit")
    parser.add_argument("--allow-failures", action="store_true",
                        help="exit 0 even when rows ended with status error or timeout")
    parser.add_argument("--strict-provenance", action="store_true",
                        help="refuse to resume a sweep last run on another host or with other "
                             "Python, Ray, qray or library versions (by default: a warning)")
    parser.add_argument("--verbose", action="store_true",
                        help="also show Tune's trial status table (default: qray's progress "
                             "line only)")
    parser.add_argument("--full-summary", action="store_true",
                        help="print the whole summary (default: its first table; the whole "
                             "one is summary.md in the sweep folder)")
    log_level_argument(parser)
    overrides_argument(parser)


def brief_summary(markdown: str, path: Path) -> str:
    """The summary's title, opening lines and first section, and where the rest is."""
    lines = markdown.rstrip("\n").splitlines()
    sections = [i for i, line in enumerate(lines) if line.startswith("## ")]
    if len(sections) < 2:
        return markdown
    rest = len(sections) - 1
    return "\n".join([*lines[:sections[1]], f"({rest} more section{'s' * (rest > 1)} in "
                       f"{path}; --full-summary prints them)"])


def rerun_command(args: argparse.Namespace) -> str:
    """The command that retries a sweep's failed rows."""
    config = args.config or args.default_config
    parts = ["qray", "sweep", "--config", str(config), *args.overrides, "--rerun-failed"]
    return shlex.join(parts)


def run(args: argparse.Namespace) -> int:
    if not (args.dry_run or args.print_config):
        setup_logging(args)
    try:
        cfg = load(args)
        if args.print_config:
            return print_config(cfg)
        if args.dry_run:
            from qray.preview import preview_sweep

            sys.stdout.write(preview_sweep(cfg, rerun_failed=args.rerun_failed,
                                           allow_config_change=args.allow_config_change).format())
            return 0
        from actors.runtime.driver import run_sweep

        report = run_sweep(cfg, rerun_failed=args.rerun_failed,
                           summarize=False if args.no_summary else None,
                           allow_config_change=args.allow_config_change,
                           strict_provenance=args.strict_provenance, verbose=args.verbose)
    except SweepInterruptedError as exc:  # Ctrl-C/SIGTERM: one line, exit 130/143 as a
        sys.stderr.write(f"\n{exc}\n")   # shell expects
        return 128 + exc.signum
    except KeyboardInterrupt:  # while the plan was being built: nothing was written
        sys.stderr.write("\nstopped before any task ran; nothing was written\n")
        return 130
    except QrayError as exc:
        return refused(exc)
    if report.summary_md:
        text = report.summary_md if args.full_summary else brief_summary(
            report.summary_md, report.sweep_dir / "summary.md")
        sys.stdout.write("\n" + text.rstrip("\n") + "\n\n")
    reused = (f"; {report.reused_tasks} of them reused from {len(report.reused_from)} "
              f"other sweep(s)" if report.reused_tasks else "")
    sys.stdout.write(
        f"sweep {report.sweep_id}: {report.total_tasks} tasks, {report.skipped_tasks} already "
        f"done, {report.run_tasks} run in {report.trials} trials, {report.elapsed_s:.1f}s"
        f"{reused}; rows in {report.sweep_dir}\n"
    )
    counts = ", ".join(f"{n} {s}" for s, n in report.status_counts.items())
    sys.stdout.write(f"status: {counts or 'no rows'}\n")
    code = 0
    if report.trial_errors:
        sys.stderr.write(f"{len(report.trial_errors)} trial(s) failed; rerun the same command "
                         "to retry them\n")
        code = 1
    if report.status_counts.get("missing"):
        code = 1
    if report.failed:
        how = "(--allow-failures: exit 0)" if args.allow_failures else "(exit 1)"
        sys.stdout.write(f"{report.failed} row(s) ended error or timeout {how}; retry them "
                         f"with: {rerun_command(args)}\n")
        if not args.allow_failures:
            code = 1
    return code


COMMAND = Command("run or resume a sweep (--dry-run: only its plan)",
                  SWEEP_HELP, arguments, run)
