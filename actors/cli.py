"""The ``qray`` command: one console script with a subcommand per job.

    qray sweep [--config NAME_OR_PATH] [--dry-run | --print-config] [key=value ...]
    qray train --config cloud [key=value ...]
    qray keys simulators
    qray compare results/<sweep A> results/<sweep B>

The same from Python: ``actors.cli.main(["sweep", "--dry-run"])`` returns the exit code
(0 done, 1 some work failed and a rerun retries it, 2 refused before any work). The
scripts in ``jobs/`` are shims over :func:`main`, so ``python jobs/sweep.py`` and
``ray job submit -- python jobs/sweep.py`` run exactly this code. Ray is imported only
once a command runs work on it: ``--dry-run``, ``--print-config``, ``keys``,
``backends`` and ``summarize`` never import it.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qray import presets
from qray.__main__ import COMPARE_HELP, compare_arguments, run_compare
from qray.errors import ConfigError, QrayError, SweepInterruptedError, closest

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


def main(argv: list[str] | None = None, *, prog: str | None = None,
         description: str | None = None, default_config: str | None = None) -> int:
    """Run ``qray <command> [args]``; returns the exit code.

    Args:
        argv: the arguments (default ``sys.argv[1:]``), the command first.
        prog: show the command as this program in usage and ``--help`` (the job shims:
            ``sweep.py``); default ``qray <command>``.
        description: the command's ``--help`` text instead of its own.
        default_config: the preset (or YAML file) used without ``--config``.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if not argv or argv[0] not in COMMANDS:
            _top_parser().parse_args(argv)  # help, version, or the usage error
            return 2
        name = argv[0]
        command = COMMANDS[name]
        parser = argparse.ArgumentParser(
            prog=prog or f"qray {name}", description=description or command.description,
            formatter_class=argparse.RawDescriptionHelpFormatter)
        command.arguments(parser, default_config)
        args = parser.parse_intermixed_args(argv[1:])
    except SystemExit as exc:  # argparse's --help and usage errors
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    return command.run(args)


TOP_HELP = """Run sweeps, training and policy jobs of the qray workloads on Ray (an embedded
local Ray, a `ray start` cluster, or the cluster of `ray job submit`)."""


class _TopParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        word = message.split("invalid choice: ", 1)[-1].split(" ", 1)[0].strip("'")
        hint = closest(word, COMMANDS) if "invalid choice" in message else None
        super().error(message + (f"; did you mean {hint!r}?" if hint else ""))


def _top_parser() -> argparse.ArgumentParser:
    from qray import __version__

    width = max(len(n) for n in COMMANDS)
    listing = "\n".join(f"  {n:<{width}}  {c.help}" for n, c in COMMANDS.items())
    parser = _TopParser(
        prog="qray", usage="qray [-h] [--version] COMMAND [ARGS ...]", description=TOP_HELP,
        epilog=f"commands:\n{listing}\n\n`qray COMMAND --help` shows a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"qray {__version__}")
    parser.add_argument("command", metavar="COMMAND", choices=list(COMMANDS),
                        help="one of the commands below")
    return parser


def _config_argument(parser: argparse.ArgumentParser, default: str | None, what: str, *,
                     required: bool = False) -> None:
    shown = f"; default: {_shown(default)}" if default else ""
    parser.set_defaults(default_config=default)
    parser.add_argument("--config", default=None, required=required and not default,
                        metavar="NAME_OR_PATH",
                        help=f"{what}: a YAML file, or the name of a preset "
                             f"(jobs/conf/<name>.yaml, e.g. netsim_paper2){shown}")


def _shown(config: str) -> str:
    """A default config as the help names it: a preset by its path in the checkout."""
    try:
        p = presets.resolve(config)
    except ConfigError:
        return config
    checkout = presets.SEARCH_PATH[0]
    if p.parent == checkout:
        return str(Path(checkout.parent.name, checkout.name, p.name))  # jobs/conf/<name>.yaml
    return f"the {config} preset" if p != Path(config) else config


def _overrides(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("overrides", nargs="*", metavar="key=value",
                        help="config overrides, e.g. n_qubits=[4,8] actor.batch_size=32 "
                             "(`qray keys <workload>` lists the keys)")


#: qray's own loggers: INFO by default; every other library's: WARNING
OWN_LOGGERS = ("qray", "actors", "jobs", "kernels", "__main__")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _log_level_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--log-level", type=str.upper, choices=LOG_LEVELS, default=None,
                        metavar="LEVEL",
                        help="log every library at LEVEL (one of " + ", ".join(LOG_LEVELS)
                             + "); default: qray's own messages at INFO, other libraries' "
                             "(qiskit, matplotlib, Ray, ...) at WARNING")


def _setup_logging(args: argparse.Namespace | None = None, fmt: str = LOG_FORMAT) -> None:
    """Logging for a command: a handler on the root logger; qray's loggers at INFO and
    every library's at WARNING, or everything at ``--log-level``."""
    chosen = getattr(args, "log_level", None)
    logging.basicConfig(format=fmt)  # a handler on the root logger, if it has none
    logging.getLogger().setLevel(chosen or logging.WARNING)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(chosen or logging.INFO)
    for noisy in ("qiskit", "qiskit_ibm_runtime", "matplotlib"):  # set by their own imports
        logging.getLogger(noisy).setLevel(chosen or logging.WARNING)


def brief_summary(markdown: str, path: Path) -> str:
    """The summary's title, opening lines and first section, and where the rest is."""
    lines = markdown.rstrip("\n").splitlines()
    sections = [i for i, line in enumerate(lines) if line.startswith("## ")]
    if len(sections) < 2:
        return markdown
    rest = len(sections) - 1
    return "\n".join([*lines[:sections[1]], f"({rest} more section{'s' * (rest > 1)} in "
                       f"{path}; --full-summary prints them)"])


def _refused(exc: QrayError) -> int:
    sys.stderr.write(f"error: {exc}\n")
    return 2


def _load(args: argparse.Namespace) -> Any:
    from qray.config import load_config

    return load_config(presets.resolve(args.config, default=args.default_config),
                       args.overrides)


def _print_config(cfg: Any) -> int:
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


# -- sweep -------------------------------------------------------------------------------

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


def _sweep_arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    _config_argument(parser, default or presets.DEFAULT, "the sweep's config")
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
    _log_level_argument(parser)
    _overrides(parser)


def rerun_command(args: argparse.Namespace) -> str:
    """The command that retries a sweep's failed rows."""
    config = args.config or args.default_config
    parts = ["qray", "sweep", "--config", str(config), *args.overrides, "--rerun-failed"]
    return shlex.join(parts)


def _sweep(args: argparse.Namespace) -> int:
    if not (args.dry_run or args.print_config):
        _setup_logging(args)
    try:
        cfg = _load(args)
        if args.print_config:
            return _print_config(cfg)
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
        return _refused(exc)
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


# -- train -------------------------------------------------------------------------------

TRAIN_HELP = """Train the learned schedulers or routers that a training config describes
(its workload: cloud_train or routing_train), export them as inference-only policies and
evaluate them.

    qray train --config cloud                      # jobs/conf/cloud.yaml: DQN + PPO schedulers
    qray train --config routing maps=[grid-5x5]    # jobs/conf/routing.yaml: PPO routers

A rerun skips what is exported and resumes the evaluation.
"""


def _train_arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    _config_argument(parser, default, "the training config (workload cloud_train or "
                     "routing_train)", required=True)
    parser.add_argument("--print-config", action="store_true",
                        help="print the merged, validated config as YAML and exit")
    _log_level_argument(parser)
    _overrides(parser)


def _train(args: argparse.Namespace) -> int:
    from qray.workloads import get_spec, resolve, usable

    _setup_logging(args)
    try:
        cfg = _load(args)
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
            return _print_config(cfg)
        report = resolve(trainer)(cfg)
    except QrayError as exc:
        return _refused(exc)
    sys.stdout.write("\n" + report.markdown + "\n")
    sys.stdout.write(f"training and evaluation in {report.sweep_dir}\n")
    return 0 if report.complete else 1


# -- export, deploy ----------------------------------------------------------------------

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


def _export_arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("checkpoint", help="RLlib algorithm checkpoint folder")
    parser.add_argument("out", help="folder to write policy.pt and policy.json into")
    _config_argument(parser, default or "cloud", "the training config whose env the "
                     "policy observes")
    parser.add_argument("--check", type=int, default=1000,
                        help=f"recorded observations compared with forward_inference "
                        f"(1..{MAX_CHECK:,})")
    parser.add_argument("--trust-checkpoint", action="store_true",
                        help="load a checkpoint qray did not write (it is a pickle: code)")
    _log_level_argument(parser)
    _overrides(parser)


def _export(args: argparse.Namespace) -> int:
    _setup_logging(args, SHORT_LOG_FORMAT)
    try:
        from actors.cloud.export import check_out, module_checkpoint

        if not 1 <= args.check <= MAX_CHECK:
            raise ConfigError("--check", args.check, f"an integer in 1..{MAX_CHECK}")
        check_out(args.out)  # before any work: an existing OUT that is not ours stays as it is
        module_checkpoint(args.checkpoint)
        if not args.trust_checkpoint:
            from actors.rl.trust import verify_anywhere

            verify_anywhere(Path(args.checkpoint))
        cfg = _load(args)
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
        return _refused(exc)
    sys.stdout.write(f"exported {meta['algorithm']} policy to {args.out} "
                     f"({meta['checked_observations']} observations match forward_inference)\n")
    return 0


DEPLOY_HELP = """Run one episode's tasks through a scheduler and submit each circuit with
qiskit-ibm-runtime SamplerV2.

    qray deploy --mode local                           # fake backends, offline
    qray deploy --mode local scheduler=FeasibleGreedy
    QISKIT_IBM_TOKEN=... qray deploy --mode ibm ibm.backends.washington=ibm_brisbane

The learned scheduler is an exported policy (scheduler=policy:<folder>; by default the
newest results/*/policies/DQN). Rows land in <output_dir>/deploy/ with a sim-vs-run table.
"""


def _deploy_arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("--mode", choices=["local", "ibm"], default=None,
                        help="local: fake backends (offline); ibm: QiskitRuntimeService")
    _config_argument(parser, default or "cloud_deploy", "the deploy config")
    _log_level_argument(parser)
    _overrides(parser)


def _deploy(args: argparse.Namespace) -> int:
    _setup_logging(args)
    from qray.cloud.deploy import (
        check_ibm,
        deployment_name,
        dispatch,
        load_scheduler,
        resolve_scheduler,
    )
    from qray.cloud.deploy_config import load_deploy_config
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
        return _refused(exc)
    return _write_deployment(cfg, spec, name, folder, rows)


def _write_deployment(cfg: Any, spec: str, name: str, folder: Path, rows: list) -> int:
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


# -- summarize, backends, keys -----------------------------------------------------------

SUMMARIZE_HELP = """Summarize a sweep folder: summary.md, CSV tables and PNG plots beside the
data, and the summary printed. Without an argument it summarizes results/latest.
"""


def _summarize_arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("sweep_dir", nargs="?", default="results/latest",
                        help="the sweep's folder (default: results/latest)")
    _log_level_argument(parser)


def _summarize(args: argparse.Namespace) -> int:
    from qray.summary import summarize_sweep

    _setup_logging(args, SHORT_LOG_FORMAT)
    try:
        summary = summarize_sweep(args.sweep_dir)
    except QrayError as exc:
        return _refused(exc)
    sys.stdout.write(summary.markdown + "\n")
    sys.stdout.write("wrote " + ", ".join(p.name for p in summary.files)
                     + f" in {summary.sweep_dir}\n")
    return 0


CITE_HELP = """How to cite a sweep: a BibTeX entry per package (qray first, with its git
revision), a CITATION.cff references snippet and a methods-section sentence, all from the
versions and machine the sweep's sweep.json recorded. Without an argument: results/latest.
"""


def _cite(args: argparse.Namespace) -> int:
    from qray.results.cite import cite

    _setup_logging(args, SHORT_LOG_FORMAT)
    try:
        citation = cite(args.sweep_dir)
    except QrayError as exc:
        return _refused(exc)
    sys.stdout.write(citation.text())
    return 0


BACKENDS_HELP = """The simulator backends (available here, or why not) and the workloads
(built-in and from the qray.workloads entry points). Imports no simulator library.
"""


def _no_arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    return None


def _backends(args: argparse.Namespace) -> int:
    from qray.__main__ import list_backends

    sys.stdout.write(list_backends() + "\n\n" + list_workloads() + "\n")
    return 0


def list_workloads() -> str:
    """A table of every registered workload: sweep or training, and what it does."""
    from qray.workloads import get_spec, names

    rows: list[tuple[str, str, str]] = []
    for n in names():
        try:
            s = get_spec(n)
        except Exception as exc:  # a plugin's bug: named here, the others still listed
            rows.append((n, "broken", f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"))
            continue
        rows.append((s.name, "sweep" if s.is_sweep else "train", s.description))
    width = max([len("workload"), *(len(r[0]) for r in rows)])
    lines = [f"{'workload':{width}}  {'kind':6}  description"]
    lines += [f"{n:{width}}  {k:6}  {d}".rstrip() for n, k, d in rows]
    return "\n".join(lines)


KEYS_HELP = """Every config key of a workload (dotted names for nested sections, e.g.
actor.batch_size), with its type, default and doc; set any of them with key=value.

    qray keys simulators
    qray compare results/<sweep A> results/<sweep B>
    qray keys cloud_train | grep env.tasks
"""


def _keys_arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("workload", help="a workload name (`qray backends` lists them)")


def _keys(args: argparse.Namespace) -> int:
    from qray.config_keys import config_keys, format_value
    from qray.workloads import config_class

    try:
        keys = config_keys(config_class(args.workload))
    except QrayError as exc:
        return _refused(exc)
    rows = [(k.name, k.type, "" if k.section else format_value(k.default), k.doc)
            for k in keys]
    widths = [min(max(len(r[i]) for r in rows), cap) for i, cap in enumerate((34, 24, 20))]
    lines = []
    for row in [("key", "type", "default", "description"), *rows]:
        cells = [f"{c:<{w}}" for c, w in zip(row[:3], widths, strict=True)]
        lines.append(("  ".join(cells) + "  " + row[3]).rstrip())
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


NEW_HELP = """Write a starter for your own experiment: NAME.py (a function and a class, each
commented) and NAME.yaml, NAME_class.yaml that run them as they are.

    qray new experiment ghz_damping
    qray sweep --config ghz_damping.yaml
"""


def _new_arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("kind", choices=["experiment"], help="what to write: experiment")
    parser.add_argument("name", metavar="NAME", help="a Python identifier")
    parser.add_argument("--dir", default=".", help="where the files go (default: here)")


def _new(args: argparse.Namespace) -> int:
    from qray.experiment.starter import write_starter

    try:
        paths = write_starter(args.name, args.dir)
    except QrayError as exc:
        return _refused(exc)
    for path in paths:
        sys.stdout.write(f"wrote {path}\n")
    sys.stdout.write(f"run it: qray sweep --config {paths[1]}\n")
    return 0


COMMANDS: dict[str, Command] = {
    "sweep": Command("run or resume a sweep (--dry-run: only its plan)",
                     SWEEP_HELP, _sweep_arguments, _sweep),
    "train": Command("train, export and evaluate learned schedulers or routers",
                     TRAIN_HELP, _train_arguments, _train),
    "export": Command("export an RLlib scheduler checkpoint as an inference policy",
                      EXPORT_HELP, _export_arguments, _export),
    "deploy": Command("run an episode through a scheduler on qiskit-ibm-runtime",
                      DEPLOY_HELP, _deploy_arguments, _deploy),
    "summarize": Command("write and print a sweep's summary, tables and plots",
                         SUMMARIZE_HELP, _summarize_arguments, _summarize),
    "cite": Command("print how to cite a sweep: BibTeX, CFF and a methods sentence",
                    CITE_HELP, _summarize_arguments, _cite),
    "backends": Command("list simulator backends (and why not available) and workloads",
                        BACKENDS_HELP, _no_arguments, _backends),
    "keys": Command("list a workload's config keys: type, default, doc",
                    KEYS_HELP, _keys_arguments, _keys),
    "compare": Command("compare two sweeps cell by cell: ratios of medians with intervals",
                       COMPARE_HELP, compare_arguments, run_compare),
    "new": Command("write a starter experiment (a function, a class, their YAML)",
                   NEW_HELP, _new_arguments, _new),
}


if __name__ == "__main__":
    raise SystemExit(main())
