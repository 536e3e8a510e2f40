"""Run (or resume) a sweep.

    python jobs/sweep.py                                   # default simulator sweep
    python jobs/sweep.py --config jobs/conf/ghz_scaling.yaml n_qubits=[4,8,12]
    ray job submit --working-dir . -- python jobs/sweep.py --config ...

Rerunning the same command resumes the same sweep (its id comes from the config) and does
no work once every task has a row. ``--rerun-failed`` retries rows with status error or
timeout.
"""

from __future__ import annotations

import argparse
import logging
import sys

import _bootstrap  # noqa: F401

from actors.driver import DEFAULT_CONFIG, run_sweep
from qray.config import load_config
from qray.errors import QrayError

log = logging.getLogger("qray.sweep")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=None,
                        help=f"YAML config (default: {DEFAULT_CONFIG.relative_to(DEFAULT_CONFIG.parents[2])})")
    parser.add_argument("--rerun-failed", action="store_true",
                        help="rerun tasks whose rows have status error or timeout")
    parser.add_argument("--no-summary", action="store_true", help="skip the summary at the end")
    parser.add_argument("--allow-config-change", action="store_true",
                        help="resume a sweep_id under a config whose result-affecting keys "
                             "differ from the ones it was run with (its rows then mix both)")
    parser.add_argument("overrides", nargs="*", help="key=value config overrides")
    args = parser.parse_intermixed_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("qiskit", "qiskit_ibm_runtime"):  # per-pass timings, job submissions
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        cfg = load_config(args.config, args.overrides, default_path=DEFAULT_CONFIG)
        report = run_sweep(cfg, rerun_failed=args.rerun_failed,
                           summarize=False if args.no_summary else None,
                           allow_config_change=args.allow_config_change)
    except QrayError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    if report.summary_md:
        sys.stdout.write("\n" + report.summary_md + "\n")
    sys.stdout.write(
        f"sweep {report.sweep_id}: {report.total_tasks} tasks, {report.skipped_tasks} already "
        f"done, {report.run_tasks} run in {report.trials} trials, {report.elapsed_s:.1f}s; "
        f"rows in {report.sweep_dir}\n"
    )
    if report.trial_errors:
        sys.stderr.write(f"{len(report.trial_errors)} trial(s) failed; rerun the same command "
                         "to retry them\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
