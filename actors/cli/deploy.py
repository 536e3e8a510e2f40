"""``qray deploy``: one episode through a scheduler on qiskit-ibm-runtime SamplerV2."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from actors.cli.common import (
    Command,
    config_argument,
    log_level_argument,
    overrides_argument,
    refused,
    setup_logging,
)
from qray import presets
from qray.errors import QrayError

DEPLOY_HELP = """Run one episode's tasks through a scheduler and submit each circuit with
qiskit-ibm-runtime SamplerV2.

    qray deploy --mode local                           # fake backends, offline
    qray deploy --mode local scheduler=FeasibleGreedy
    QISKIT_IBM_TOKEN=... qray deploy --mode ibm ibm.backends.washington=ibm_brisbane

The learned scheduler is an exported policy (scheduler=policy:<folder>; by default the
newest results/*/policies/DQN). Rows land in <output_dir>/deploy/ with a sim-vs-run table.
"""


def arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("--mode", choices=["local", "ibm"], default=None,
                        help="local: fake backends (offline); ibm: QiskitRuntimeService")
    config_argument(parser, default or "cloud_deploy", "the deploy config")
    log_level_argument(parser)
    overrides_argument(parser)


def run(args: argparse.Namespace) -> int:
    setup_logging(args)
    from qray.cloud.deploy import (
        check_ibm,
        deployment_name,
        dispatch,
        load_deploy_config,
        load_scheduler,
        resolve_scheduler,
    )
    from qray.results.folder import check_output_dir

    try:
        overrides = list(args.overrides) + ([f"mode={args.mode}"] if args.mode else [])
        cfg = load_deploy_config(presets.resolve(args.config, default=args.default_config),
                                 overrides)
        if cfg.mode == "ibm":
            check_ibm(cfg)  # before anything else: the token and the backend map
        # where the rows go can be written, before the episode runs
        check_output_dir(cfg.output_dir, Path(cfg.output_dir).expanduser() / "deploy" / "_")
        spec = resolve_scheduler(cfg.scheduler, cfg.output_dir)
        load_scheduler(cfg, spec)  # a missing or mismatched policy is refused here
        name = deployment_name(cfg, spec)
        folder = Path(cfg.output_dir) / "deploy" / name
        rows = dispatch(cfg, spec, folder)
    except QrayError as exc:
        return refused(exc)
    return write_deployment(cfg, spec, name, folder, rows)


def write_deployment(cfg: Any, spec: str, name: str, folder: Path, rows: list) -> int:
    import pandas as pd
    import pyarrow as pa

    from qray.cloud.deploy import comparison_table
    from qray.results.tables import markdown_table
    from qray.results.writer import write_table_atomic, write_text_atomic

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


COMMAND = Command("run an episode through a scheduler on qiskit-ibm-runtime",
                  DEPLOY_HELP, arguments, run)
