"""Run one episode's tasks through a scheduler and submit each circuit with
qiskit-ibm-runtime ``SamplerV2``.

    python jobs/deploy_scheduler.py --mode local                 # fake backends, offline
    python jobs/deploy_scheduler.py --mode local scheduler=FeasibleGreedy
    QISKIT_IBM_TOKEN=... python jobs/deploy_scheduler.py --mode ibm \
        ibm.backends.washington=ibm_brisbane ...                  # real backends

The learned scheduler is an exported policy (``scheduler=policy:<folder>``; by default the
newest ``results/*/policies/DQN`` written by ``jobs/train_scheduler.py``). Rows (predicted
vs measured execution and waiting, job ids, fidelity) land in
``<output_dir>/deploy/<mode>-<scheduler>-<episode>-<hash>.parquet`` (and one file per task
in the folder of that name, written as each job completes: a rerun resubmits nothing
that finished) with a sim-vs-run table beside them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from qray.errors import QrayError

CONFIG = Path(__file__).resolve().parent / "conf" / "cloud_deploy.yaml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["local", "ibm"], default=None,
                        help="local: fake backends (offline); ibm: QiskitRuntimeService")
    parser.add_argument("--config", default=str(CONFIG), help="YAML deploy config")
    parser.add_argument("overrides", nargs="*", help="key=value config overrides")
    args = parser.parse_intermixed_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("qiskit", "qiskit_ibm_runtime"):  # per-pass timings, job submissions
        logging.getLogger(noisy).setLevel(logging.WARNING)
    import pandas as pd
    import pyarrow as pa

    from qray.cloud.deploy import (
        check_ibm,
        comparison_table,
        deployment_name,
        dispatch,
        load_scheduler,
        resolve_scheduler,
    )
    from qray.cloud.deploy_config import load_deploy_config
    from qray.results.tables import markdown_table
    from qray.results.writer import write_table_atomic, write_text_atomic

    try:
        overrides = list(args.overrides) + ([f"mode={args.mode}"] if args.mode else [])
        cfg = load_deploy_config(args.config, overrides)
        if cfg.mode == "ibm":
            check_ibm(cfg)  # before anything else: the token and the backend map
        spec = resolve_scheduler(cfg.scheduler, cfg.output_dir)
        load_scheduler(cfg, spec)  # a missing or mismatched policy is refused here
        name = deployment_name(cfg, spec)
        folder = Path(cfg.output_dir) / "deploy" / name
        rows = dispatch(cfg, spec, folder)
    except QrayError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    df = pd.DataFrame(rows)
    out = folder.with_suffix(".parquet")
    write_table_atomic(pa.Table.from_pandas(df, preserve_index=False), out)
    table = comparison_table(rows)
    md = (f"# Deployment `{name}` (SamplerV2, mode={cfg.mode})\n\nscheduler `{spec}`, "
          f"{len(df)} tasks, {int(df['reschedules'].sum())} reschedules. Predicted times "
          "come from the SimPy cloud model; measured ones from the jobs (local mode: wall "
          "time of the Aer simulation, no queue).\n\n"
          + markdown_table(table, index=False, floatfmt="{:.4g}") + "\n")
    write_text_atomic(md, out.with_suffix(".md"))
    sys.stdout.write("\n" + md + f"\nrows in {out} (one file per task in {folder})\n")
    return 0 if len(df) == cfg.env.tasks.per_episode else 1


if __name__ == "__main__":
    raise SystemExit(main())
