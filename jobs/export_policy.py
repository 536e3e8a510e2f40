"""Export an RLlib checkpoint of a cloud scheduler as an inference-only policy.

    python jobs/export_policy.py CHECKPOINT OUT [--config jobs/conf/cloud.yaml] [key=value ...]

``OUT`` gets ``policy.pt`` (TorchScript: observations -> one score per node) and
``policy.json`` (the observation preprocessing). Load it with
``qray.cloud.policy.load(OUT)``: torch and numpy only, no Ray, no Gymnasium. The export
checks that its greedy actions equal RLlib's ``forward_inference`` on 1,000 recorded
observations. The observation's settings come from the env the checkpoint's Tune trial
trained on; ``env.*`` overrides (or ``--config``'s env, for a checkpoint outside a trial
folder) must agree with it.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from qray.config import load_config
from qray.errors import QrayError

CONFIG = Path(__file__).resolve().parent / "conf" / "cloud.yaml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", help="RLlib algorithm checkpoint folder")
    parser.add_argument("out", help="folder to write policy.pt and policy.json into")
    parser.add_argument("--config", default=str(CONFIG), help="training config (its env)")
    parser.add_argument("--check", type=int, default=1000,
                        help="recorded observations compared with forward_inference")
    parser.add_argument("overrides", nargs="*", help="key=value config overrides")
    args = parser.parse_intermixed_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("qiskit").setLevel(logging.WARNING)  # per-pass timings
    try:
        from actors.policy_export import check_out, module_checkpoint

        check_out(args.out)  # before any work: an existing OUT that is not ours stays as it is
        module_checkpoint(args.checkpoint)
        cfg = load_config(args.config, args.overrides)
        env = getattr(cfg, "env", None)
        if env is None:
            raise QrayError(f"{args.config} has no env section (use a cloud_train config)")
        from actors.policy_export import export, recorded_env

        if not any(o.startswith("env.") for o in args.overrides) and \
                recorded_env(args.checkpoint) is not None:
            env = None  # the env the checkpoint's trial recorded
        meta = export(args.checkpoint, args.out, env, n_check=args.check)
    except QrayError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(f"exported {meta['algorithm']} policy to {args.out} "
                     f"({meta['checked_observations']} observations match forward_inference)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
