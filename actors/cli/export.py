"""``qray export``: an RLlib scheduler checkpoint as an inference-only policy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from actors.cli.common import (
    SHORT_LOG_FORMAT,
    Command,
    config_argument,
    load,
    log_level_argument,
    overrides_argument,
    refused,
    setup_logging,
)
from qray.errors import ConfigError, QrayError

EXPORT_HELP = """Export an RLlib checkpoint of a cloud scheduler as an inference-only policy.

    qray export CHECKPOINT OUT [--config cloud] [key=value ...]

OUT gets policy.pt (TorchScript) and policy.json (the observation preprocessing); it
must be new, empty, or an exported qray policy folder. The export checks its greedy
actions against RLlib's forward_inference on recorded observations.

An RLlib checkpoint is a pickle: loading it runs whatever code it names. qray exports a
checkpoint only when the signed checkpoints.json that `qray train` wrote beside its trial
vouches for every file in it; --trust-checkpoint loads one from elsewhere (only do that
for a checkpoint whose author you trust).
"""

#: the most recorded observations an export compares
MAX_CHECK = 100_000


def arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("checkpoint", help="RLlib algorithm checkpoint folder")
    parser.add_argument("out", help="folder to write policy.pt and policy.json into")
    config_argument(parser, default or "cloud", "the training config whose env the "
                     "policy observes")
    parser.add_argument("--check", type=int, default=1000,
                        help=f"recorded observations compared with forward_inference "
                        f"(1..{MAX_CHECK:,})")
    parser.add_argument("--trust-checkpoint", action="store_true",
                        help="load a checkpoint qray did not write (it is a pickle: code)")
    log_level_argument(parser)
    overrides_argument(parser)


def run(args: argparse.Namespace) -> int:
    setup_logging(args, SHORT_LOG_FORMAT)
    try:
        from actors.cloud.export import check_out, module_checkpoint

        if not 1 <= args.check <= MAX_CHECK:
            raise ConfigError("--check", args.check, f"an integer in 1..{MAX_CHECK}")
        check_out(args.out)  # before any work: an existing OUT that is not ours stays as it is
        module_checkpoint(args.checkpoint)
        if not args.trust_checkpoint:
            from actors.rl.trust import verify_anywhere

            verify_anywhere(Path(args.checkpoint))
        cfg = load(args)
        env = getattr(cfg, "env", None)
        if env is None:
            raise QrayError(f"{args.config or args.default_config} has no env section "
                            "(use a cloud_train config)")
        from actors.cloud.export import export, recorded_env

        if not any(o.startswith("env.") for o in args.overrides) and \
                recorded_env(args.checkpoint) is not None:
            env = None  # the env the checkpoint's trial recorded
        meta = export(args.checkpoint, args.out, env, n_check=args.check)
    except QrayError as exc:
        return refused(exc)
    sys.stdout.write(f"exported {meta['algorithm']} policy to {args.out} "
                     f"({meta['checked_observations']} observations match forward_inference)\n")
    return 0


COMMAND = Command("export an RLlib scheduler checkpoint as an inference policy",
                  EXPORT_HELP, arguments, run)
