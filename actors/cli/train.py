"""``qray train``: train, export and evaluate learned schedulers or routers."""

from __future__ import annotations

import argparse
import sys

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
from qray.errors import ConfigError, QrayError

TRAIN_HELP = """Train the learned schedulers or routers that a training config describes
(its workload: cloud_train or routing_train), export them as inference-only policies and
evaluate them.

    qray train --config cloud                      # jobs/conf/cloud.yaml: DQN + PPO schedulers
    qray train --config routing maps=[grid-5x5]    # jobs/conf/routing.yaml: PPO routers

A rerun skips what is exported and resumes the evaluation.
"""


def arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    config_argument(parser, default, "the training config (workload cloud_train or "
                     "routing_train)", required=True)
    parser.add_argument("--print-config", action="store_true",
                        help="print the merged, validated config as YAML and exit")
    log_level_argument(parser)
    overrides_argument(parser)


def run(args: argparse.Namespace) -> int:
    from qray.workloads import get_spec, resolve, usable

    setup_logging(args)
    try:
        cfg = load(args)
        spec = get_spec(cfg.workload)
        trainer = spec.trainer
        if not trainer:
            training = [n for n in usable() if get_spec(n).trainer]
            config = args.config or args.default_config
            raise ConfigError("workload", cfg.workload, "a training workload ("
                              + ", ".join(training) + ")", problem="not a training config:",
                              hint=f"run it with qray sweep --config {config}"
                              if spec.is_sweep else None)
        if args.print_config:
            return print_config(cfg)
        report = resolve(trainer)(cfg)
    except QrayError as exc:
        return refused(exc)
    sys.stdout.write("\n" + report.markdown + "\n")
    sys.stdout.write(f"training and evaluation in {report.sweep_dir}\n")
    return 0 if report.complete else 1


COMMAND = Command("train, export and evaluate learned schedulers or routers",
                  TRAIN_HELP, arguments, run)
