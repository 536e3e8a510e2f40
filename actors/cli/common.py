"""What the commands share: the ``Command`` record, the ``--config``, ``--log-level`` and
``key=value`` arguments, logging, loading a config and refusing with exit status 2."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qray import presets
from qray.errors import ConfigError, QrayError

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
SHORT_LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


@dataclass(frozen=True)
class Command:
    """One subcommand: its one-line help, its ``--help`` text, how it reads its
    arguments and what it runs."""

    help: str
    description: str
    arguments: Callable[[argparse.ArgumentParser, str | None], None]
    run: Callable[[argparse.Namespace], int]


def config_argument(parser: argparse.ArgumentParser, default: str | None, what: str, *,
                     required: bool = False) -> None:
    note = f"; default: {shown(default)}" if default else ""
    parser.set_defaults(default_config=default)
    parser.add_argument("--config", default=None, required=required and not default,
                        metavar="NAME_OR_PATH",
                        help=f"{what}: a YAML file, or the name of a preset "
                             f"(jobs/conf/<name>.yaml, e.g. netsim_paper2){note}")


def shown(config: str) -> str:
    """A default config as the help names it: a preset by its path in the checkout."""
    try:
        p = presets.resolve(config)
    except ConfigError:
        return config
    checkout = presets.SEARCH_PATH[0]
    if p.parent == checkout:
        return str(Path(checkout.parent.name, checkout.name, p.name))  # jobs/conf/<name>.yaml
    return f"the {config} preset" if p != Path(config) else config


def overrides_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("overrides", nargs="*", metavar="key=value",
                        help="config overrides, e.g. n_qubits=[4,8] actor.batch_size=32 "
                             "(`qray keys <workload>` lists the keys)")


#: qray's own loggers: INFO by default; every other library's: WARNING
OWN_LOGGERS = ("qray", "actors", "jobs", "kernels", "__main__")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def log_level_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--log-level", type=str.upper, choices=LOG_LEVELS, default=None,
                        metavar="LEVEL",
                        help="log every library at LEVEL (one of " + ", ".join(LOG_LEVELS)
                             + "); default: qray's own messages at INFO, other libraries' "
                             "(qiskit, matplotlib, Ray, ...) at WARNING")


def setup_logging(args: argparse.Namespace | None = None, fmt: str = LOG_FORMAT) -> None:
    """Logging for a command: a handler on the root logger; qray's loggers at INFO and
    every library's at WARNING, or everything at ``--log-level``."""
    chosen = getattr(args, "log_level", None)
    logging.basicConfig(format=fmt)  # a handler on the root logger, if it has none
    logging.getLogger().setLevel(chosen or logging.WARNING)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(chosen or logging.INFO)
    for noisy in ("qiskit", "qiskit_ibm_runtime", "matplotlib"):  # set by their own imports
        logging.getLogger(noisy).setLevel(chosen or logging.WARNING)




def refused(exc: QrayError) -> int:
    sys.stderr.write(f"error: {exc}\n")
    return 2


def load(args: argparse.Namespace) -> Any:
    from qray.config import load_config

    return load_config(presets.resolve(args.config, default=args.default_config),
                       args.overrides)


def print_config(cfg: Any) -> int:
    """The merged, validated config as YAML (loadable again with ``--config``): sections
    in block style, lists on one line."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(list, lambda dumper, value: dumper.represent_sequence(
        "tag:yaml.org,2002:seq", value, flow_style=True))
    sys.stdout.write(f"# workload {cfg.workload}, sweep id {cfg.resolved_sweep_id}\n")
    keys = {f.name for f in dataclasses.fields(cfg) if f.init}  # not derived entries
    data = {k: v for k, v in cfg.to_dict().items() if k in keys}
    sys.stdout.write(yaml.dump(_plain(data), Dumper=Dumper, sort_keys=False,
                               default_flow_style=False, width=100))
    return 0


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value
