"""Config loading: YAML plus ``key=value`` overrides (omegaconf) into frozen, validated
dataclasses.

Each workload defines a dataclass deriving from :class:`SweepConfig`. Unknown keys, wrong
types and out-of-range values raise :class:`~qray.errors.ConfigError` naming the key, the
value and what is allowed, before any work starts.
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from qray.errors import ConfigError, UnknownKeyError
from qray.tasks import content_hash

T = TypeVar("T")

class _Workloads(Mapping[str, str]):
    """Workload name -> ``"module:Class"`` of its config dataclass, from the workload
    registry (``qray.workloads``: built-ins and the ``qray.workloads`` entry points)."""

    def __getitem__(self, name: str) -> str:
        from qray.workloads import get_spec, names

        if name not in names():
            raise KeyError(name)
        return get_spec(name).config

    def __iter__(self) -> Iterator[str]:
        from qray.workloads import names

        return iter(names())

    def __len__(self) -> int:
        from qray.workloads import names

        return len(names())


#: every known workload and its config class (read-only view of the registry)
WORKLOADS: Mapping[str, str] = _Workloads()

#: names of entries of the output folder that are not sweeps
RESERVED_IDS = frozenset({"latest"})
_SWEEP_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class ResourceSpec:
    """Ray resources reserved by one long-lived actor.

    Attributes:
        num_cpus: CPUs the actor reserves; its library's thread count is set to this.
        num_gpus: GPU fraction (0.25 packs four actors on one GPU); only GPU backends.
        resources: custom Ray resources, e.g. ``{"simhost": 1}``.
    """

    num_cpus: float = 1.0
    num_gpus: float = 0.0
    resources: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.num_cpus < 0:
            raise ConfigError("resources.num_cpus", self.num_cpus, "a number >= 0")
        if self.num_gpus < 0:
            raise ConfigError("resources.num_gpus", self.num_gpus, "a number >= 0")
        if self.num_gpus > 1 and self.num_gpus != int(self.num_gpus):
            raise ConfigError(
                "resources.num_gpus", self.num_gpus, "a fraction <= 1 or a whole number"
            )
        for name, amount in self.resources.items():
            if amount < 0:
                raise ConfigError(f"resources.resources.{name}", amount, "a number >= 0")

    @property
    def threads(self) -> int:
        """Library thread count matching the reserved CPUs (at least one)."""
        return max(1, int(self.num_cpus))


@dataclass(frozen=True)
class ActorConfig:
    """Lifecycle of the long-lived workload actors.

    Attributes:
        max_tasks: recycle (restart the process) after this many tasks; 0 (the default)
            never: memory is bounded by the two limits below.
        max_rss_mb: recycle when the actor's resident memory passes this many MiB.
        max_rss_growth_mb: recycle when the actor's resident memory has grown this many
            MiB over its warmed-up size (after its first batch): what a leak does.
        max_restarts: Ray ``max_restarts`` (crashes and recycles both count).
        memory_budget_mb: a single run may use at most this much simulator memory.
        batch_size: tasks sent to an actor per call (amortizes the call overhead), or
            ``auto``: 16, doubled after each batch that returns within a quarter second
            (up to 1,024), so millisecond tasks are not paced by the calls.
    """

    max_tasks: int = 0
    max_rss_mb: float = 3072.0
    max_rss_growth_mb: float = 1024.0
    max_restarts: int = 1000
    memory_budget_mb: float = 4096.0
    batch_size: int | str = "auto"

    def __post_init__(self) -> None:
        require(self.batch_size == "auto" or (isinstance(self.batch_size, int)
                                              and self.batch_size >= 1),
                "actor.batch_size", self.batch_size, "'auto' or an integer >= 1")
        require(self.max_tasks >= 0, "actor.max_tasks", self.max_tasks, "an integer >= 0")
        require(self.max_rss_mb > 0, "actor.max_rss_mb", self.max_rss_mb, "a number > 0")
        require(0 < self.max_rss_growth_mb <= MAX_MEMORY_MB, "actor.max_rss_growth_mb",
                self.max_rss_growth_mb, f"a number > 0 and <= {MAX_MEMORY_MB} (1 TiB)")
        require(
            self.max_restarts >= -1, "actor.max_restarts", self.max_restarts, "an integer >= -1"
        )
        require(
            self.memory_budget_mb > 0,
            "actor.memory_budget_mb",
            self.memory_budget_mb,
            "a number > 0",
        )
        require(self.max_rss_mb <= MAX_MEMORY_MB, "actor.max_rss_mb", self.max_rss_mb,
                f"a number > 0 and <= {MAX_MEMORY_MB} (1 TiB)")
        require(self.memory_budget_mb <= MAX_MEMORY_MB, "actor.memory_budget_mb",
                self.memory_budget_mb, f"a number > 0 and <= {MAX_MEMORY_MB} (1 TiB)")


#: the first batch of ``actor.batch_size: auto``
AUTO_BATCH_START = 16

#: ``execution.chunk_tasks`` that sizes the chunks from the sweep itself
AUTO = "auto"
#: ``execution.runner`` values
RUNNERS = (AUTO, "tune", "driver")
#: a sweep with at most this many tasks to run is small: its units run in the driver
SMALL_SWEEP_TASKS = 256
#: the most tasks one Tune trial (one chunk, one result file) may hold
MAX_CHUNK_TASKS = 100_000
#: an automatic chunk's tasks: at most this many ...
AUTO_CHUNK_MAX = 1000
#: ... and this many chunks per concurrent trial at least, so progress, retries and the
#: spread over actors stay fine-grained
AUTO_CHUNKS_PER_SLOT = 4


@dataclass(frozen=True)
class ExecutionConfig:
    """How pending tasks are cut into Tune trials and result files.

    Attributes:
        chunk_tasks: tasks per Tune trial (the tasks of one actor, from one or more grid
            points; their rows land in one Parquet file), or ``auto``: the pending tasks
            split into at least 4 chunks per concurrent trial, at most 1000 tasks each.
        flush_s: a running chunk rewrites its file with the rows so far after this many
            seconds, so a kill loses at most this much of its work.
        runner: what runs the units: ``tune`` (a Tune trial each), ``driver`` (threads
            of the driver: no Tune start-up), or ``auto``: the driver for a small sweep
            (at most 256 tasks to run), Tune otherwise.
    """

    chunk_tasks: int | str = AUTO
    flush_s: float = 30.0
    runner: str = AUTO

    def __post_init__(self) -> None:
        require(self.runner in RUNNERS, "execution.runner", self.runner,
                "one of " + ", ".join(repr(r) for r in RUNNERS))
        ok = self.chunk_tasks == AUTO or (
            isinstance(self.chunk_tasks, int) and 1 <= self.chunk_tasks <= MAX_CHUNK_TASKS)
        require(ok, "execution.chunk_tasks", self.chunk_tasks,
                f"'auto' or an integer in 1..{MAX_CHUNK_TASKS:,}")
        require(1.0 <= self.flush_s <= 86400.0, "execution.flush_s", self.flush_s,
                "seconds in [1, 86400]")

    def runs_in_driver(self, n_pending: int) -> bool:
        """Whether ``n_pending`` tasks run in the driver's threads rather than Tune."""
        if self.runner == AUTO:
            return n_pending <= SMALL_SWEEP_TASKS
        return self.runner == "driver"

    def chunk_size(self, n_pending: int, slots: int) -> int:
        """Tasks per chunk for ``n_pending`` tasks run ``slots`` trials at a time."""
        if self.chunk_tasks != AUTO:
            return int(self.chunk_tasks)
        per = -(-n_pending // max(1, slots * AUTO_CHUNKS_PER_SLOT))
        return max(1, min(AUTO_CHUNK_MAX, per))


#: the largest memory figure a config may name, in MiB (1 TiB: more than one node has)
MAX_MEMORY_MB = 1024 * 1024
#: the most values a ``{start, stop, step}`` range may expand to
MAX_RANGE_VALUES = 100_000
#: retries of a failed trial at most (each retry reruns the trial's pending tasks)
MAX_TRIAL_RETRIES = 100
#: seeds are numpy's 32-bit seeds
MAX_SEED = 2**32 - 1


@dataclass(frozen=True)
class RayConfig:
    """How the driver reaches Ray.

    Attributes:
        address: ``None`` connects to ``RAY_ADDRESS`` when set (``ray job submit`` sets it)
            and otherwise starts an embedded local Ray; ``"auto"`` joins a running
            ``ray start`` cluster; ``"local"`` always starts a new one.
        num_cpus: CPUs of an embedded local Ray (default: all of the machine's).
        include_dashboard: start the dashboard with an embedded local Ray.
        dashboard_host: interface the embedded dashboard binds to.
    """

    address: str | None = None
    num_cpus: int | None = None
    include_dashboard: bool = True
    dashboard_host: str = "127.0.0.1"

    def __post_init__(self) -> None:
        if self.num_cpus is not None:
            require(self.num_cpus >= 1, "ray.num_cpus", self.num_cpus, "an integer >= 1")
        if self.address is not None:
            require(self.address in ("auto", "local") or parse_address(self.address) is not None,
                    "ray.address", self.address, ADDRESS_ALLOWED)
        require(isinstance(self.dashboard_host, str)
                and bool(_HOST_RE.match(self.dashboard_host.strip("[]"))),
                "ray.dashboard_host", self.dashboard_host,
                "an IP address or host name of this machine, e.g. 127.0.0.1 or 0.0.0.0")


ADDRESS_ALLOWED = ("null (RAY_ADDRESS or an embedded Ray), 'auto', 'local', or a head's "
                   "host:port with a port in 1..65535 (ray://host:port for Ray Client)")
_HOST_RE = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?)$")


def parse_address(address: str) -> tuple[str, int] | None:
    """``(host, port)`` of a ``host:port`` or ``ray://host:port`` address, else None."""
    rest = address.removeprefix("ray://")
    host, sep, port = rest.rpartition(":")
    if not sep or not port.isdigit() or not _HOST_RE.match(host) or not 1 <= int(port) <= 65535:
        return None
    return host.strip("[]"), int(port)


#: the values of the ``tracking`` key (:mod:`qray.tracking`), and the module each needs
TRACKERS = ("none", "mlflow", "wandb")
TRACKER_MODULES = {"mlflow": "mlflow", "wandb": "wandb"}


def tracker_missing(tracker: str) -> str | None:
    """The install hint when ``tracker`` needs a library that is not installed."""
    import importlib.util

    module = TRACKER_MODULES.get(tracker)
    if module is None or importlib.util.find_spec(module) is not None:
        return None
    return f"{module} is not installed: pip install 'qray[{tracker}]'"


@dataclass(frozen=True)
class SweepConfig:
    """Keys every workload's sweep shares.

    Attributes:
        workload: which workload the config drives.
        name: human name of the sweep; the sweep id is ``<name>-<hash of what affects
            results>`` unless ``sweep_id`` is set.
        sweep_id: explicit sweep id (rerunning with the same id resumes that sweep).
        output_dir: results root; rows land under ``<output_dir>/<sweep_id>/``.
        seed: base seed; every task's seed derives from it and the task's id.
        max_parallel: Tune's ``max_concurrent_trials``.
        trial_retries: Tune retries of a failed trial (``FailureConfig.max_failures``).
        strict: refuse the whole sweep when any grid point is unsupported, instead of
            recording it as an ``unsupported`` row.
        summarize: run the summary at the end of the sweep.
        tracking: log the sweep (config, provenance, per-cell metrics, summary files) and
            each RL training trial's learning curves to ``mlflow`` (a local file store) or
            ``wandb`` (offline mode); ``none`` logs nothing. Needs the extra of that name.
        tracking_dir: where the tracker writes (default ``<output_dir>/mlruns`` for
            MLflow, ``<output_dir>/wandb`` for W&B).
        ray: how to reach Ray.
        actor: lifecycle of the workload actors.
        execution: how pending tasks are cut into Tune trials and result files.
        resources: actor resources by backend name; ``default`` applies to the rest.
    """

    workload: str = "simulators"
    name: str = "sweep"
    sweep_id: str | None = None
    output_dir: str = "results"
    seed: int = 0
    max_parallel: int = 2
    trial_retries: int = 2
    strict: bool = False
    summarize: bool = True
    tracking: str = "none"
    tracking_dir: str | None = None
    ray: RayConfig = field(default_factory=RayConfig)
    actor: ActorConfig = field(default_factory=ActorConfig)
    execution: ExecutionConfig = field(default_factory=ExecutionConfig)
    resources: dict[str, ResourceSpec] = field(default_factory=dict)

    def __post_init__(self) -> None:
        require(self.max_parallel >= 1, "max_parallel", self.max_parallel, "an integer >= 1")
        require(0 <= self.trial_retries <= MAX_TRIAL_RETRIES, "trial_retries",
                self.trial_retries, f"an integer in 0..{MAX_TRIAL_RETRIES}")
        require(0 <= self.seed <= MAX_SEED, "seed", self.seed, f"an integer in 0..{MAX_SEED}")
        require(
            bool(_SWEEP_ID_RE.match(self.name)),
            "name",
            self.name,
            "letters, digits, '.', '_' and '-' (at most 128)",
        )
        if self.sweep_id is not None:
            require(
                bool(_SWEEP_ID_RE.match(self.sweep_id)) and self.sweep_id not in RESERVED_IDS,
                "sweep_id",
                self.sweep_id,
                "letters, digits, '.', '_' and '-' (at most 128), not 'latest'",
            )
        require(bool(self.output_dir), "output_dir", self.output_dir, "a non-empty path")
        require(self.tracking in TRACKERS, "tracking", self.tracking, ", ".join(TRACKERS))
        missing = tracker_missing(self.tracking)
        if missing:
            raise ConfigError("tracking", self.tracking, "a tracker whose library is installed",
                              problem=missing)

    # -- derived ---------------------------------------------------------------------
    def result_keys(self) -> tuple[str, ...]:
        """Keys whose values change results (and so the default sweep id)."""
        return ("workload", "seed")

    @property
    def resolved_sweep_id(self) -> str:
        """``sweep_id`` if given, else ``<name>-<8 hex of the result-affecting keys>``."""
        if self.sweep_id:
            return self.sweep_id
        data = self.to_dict()
        digest = content_hash({k: data[k] for k in self.result_keys()})
        return f"{self.name}-{digest[:8]}"

    @property
    def sweep_dir(self) -> Path:
        """Absolute folder of this sweep's dataset."""
        return (Path(self.output_dir).expanduser() / self.resolved_sweep_id).resolve()

    def resources_entry(self, name: str) -> str | None:
        """The ``resources`` entry that sets the reservation of ``name``'s actors (``name``
        is an entry name: a workload's spec maps actor keys to it): its own entry, else
        ``default``, else None (the built-in default)."""
        if name in self.resources:
            return name
        return "default" if "default" in self.resources else None

    def resources_for(self, name: str) -> ResourceSpec:
        """Resources of the actors of entry ``name`` (see :meth:`resources_entry`)."""
        entry = self.resources_entry(name)
        return self.resources[entry] if entry is not None else ResourceSpec()

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form (JSON-able) of the config."""
        return dataclasses.asdict(self)


def require(ok: bool, key: str, value: Any, allowed: str) -> None:
    """Raise ``ConfigError(key, value, allowed)`` unless ``ok``."""
    if not ok:
        raise ConfigError(key, value, allowed)


# -- loading -------------------------------------------------------------------------------


def load_config(
    path: str | Path | None,
    overrides: Sequence[str] = (),
    *,
    default_path: str | Path | None = None,
) -> SweepConfig:
    """Load a YAML config, apply ``key=value`` overrides and validate it.

    Args:
        path: the YAML file; ``None`` uses ``default_path``.
        overrides: omegaconf dot-list overrides such as ``n_qubits=[4,6]``.
        default_path: config used when ``path`` is None.

    Raises:
        ConfigError: on a missing or malformed file, an unknown key, a wrong type or an
            out-of-range value.
    """
    path = path if path is not None else default_path
    base_dir = Path(path).expanduser().resolve().parent if path is not None else None
    return config_from_dict(load_mapping(path, overrides), base_dir=base_dir)


def load_mapping(path: str | Path | None, overrides: Sequence[str] = ()) -> dict[str, Any]:
    """A YAML file (or nothing) merged with ``key=value`` overrides, as a plain mapping
    (not validated). An override replaces a value that is not a mapping, also with a
    value of another type (``widths=[2,3]`` over ``widths: {start: 2, stop: 27}``)."""
    import yaml
    from omegaconf import DictConfig, OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    data: dict[str, Any] = {}
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConfigError("--config", str(path), "an existing YAML file", problem="no such file")
        try:
            loaded = OmegaConf.load(p)
        except Exception as exc:  # yaml.YAMLError and omegaconf's own errors
            raise ConfigError(
                "--config",
                str(path),
                "a YAML mapping of config keys",
                problem=f"malformed YAML ({_one_line(exc)}) in",
            ) from None
        if not isinstance(loaded, DictConfig):
            raise ConfigError("--config", str(path), "a YAML mapping of config keys",
                              problem="not a mapping:")
        if not loaded:  # an empty file or a bare `~`: never silently the defaults
            raise ConfigError("--config", str(path), "a YAML mapping of config keys",
                              problem="empty config file")
        _refuse_resolvers(OmegaConf.to_container(loaded, resolve=False), "")
        try:
            data = typing.cast(dict, OmegaConf.to_container(loaded, resolve=True))
        except OmegaConfBaseException as exc:
            raise ConfigError("--config", str(path), "values without ${...} interpolation, "
                              "or interpolations of keys the file defines",
                              problem=f"cannot resolve an interpolation ({_one_line(exc)}) "
                                      "in") from None
    for item in overrides:
        if "=" not in item or item.startswith("="):
            raise ConfigError("override", item, "key=value, e.g. n_qubits=[4,6] or shots=2000",
                              problem="malformed override")
    try:
        raw = OmegaConf.from_dotlist(list(overrides))
        _refuse_resolvers(OmegaConf.to_container(raw, resolve=False), "")
        cli = OmegaConf.to_container(raw, resolve=True)
        return _deep_merge(data, typing.cast(dict, cli))
    except (OmegaConfBaseException, yaml.YAMLError) as exc:
        bad = next((o for o in overrides if _malformed(o)), " ".join(overrides))
        raise ConfigError("override", bad, "key=value pairs with YAML values",
                          problem=f"cannot apply ({_one_line(exc)})") from None


def canonical_list(values: Sequence[Any], key: str, canonical: Any) -> list[Any]:
    """``values`` each in its canonical spelling (``canonical(value, key)`` validates and
    returns it); one entry spelled two ways (``sabre-4`` and ``sabre-04``) is refused, so
    it is never two grid points."""
    out: list[Any] = []
    for j, value in enumerate(values):
        name = canonical(value, f"{key}[{j}]")
        if name in out:
            i = out.index(name)
            same = (f"listed twice ({key}[{i}] too):" if values[i] == value else
                    f"the same as {key}[{i}] ({values[i]!r}; both are {name!r}), spelled "
                    "another way:")
            raise ConfigError(f"{key}[{j}]", value, f"distinct {key}", problem=same)
        out.append(name)
    return out


def _malformed(override: str) -> bool:
    """Whether an override's value is not valid YAML."""
    import yaml

    try:
        yaml.safe_load(override.partition("=")[2])
    except yaml.YAMLError:
        return True
    return False


#: ``${name:...}``: an OmegaConf resolver call (``${oc.env:VAR}`` reads the environment)
_RESOLVER = re.compile(r"\$\{\s*[\w.]+\s*:")


def _refuse_resolvers(data: Any, key: str) -> None:
    """Refuse a resolver interpolation such as ``${oc.env:VAR}``: its value (a secret in
    the environment, say) would be written to ``sweep.json`` and hashed into the sweep id.
    Interpolations of the file's own keys (``${shots}``) stay allowed."""
    if isinstance(data, dict):
        for k, v in data.items():
            _refuse_resolvers(v, f"{key}.{k}" if key else str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            _refuse_resolvers(v, f"{key}[{i}]")
    elif isinstance(data, str) and _RESOLVER.search(data):
        raise ConfigError(key, data, "a literal value, or ${key} of a key the config defines",
                          problem="a resolver interpolation is refused (an environment "
                                  "value would be recorded in sweep.json and the sweep id):")


def _deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge mappings recursively; any non-mapping value in ``override`` replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def config_from_dict(data: Mapping[str, Any], *, base_dir: str | Path | None = None
                     ) -> SweepConfig:
    """Validate a plain mapping into the workload's frozen config dataclass. An
    ``experiment:`` key implies ``workload: experiment``; ``base_dir`` (the YAML's
    folder) is where a config class with ``resolve_paths`` looks up relative files."""
    from qray.workloads import get_spec

    default = "experiment" if "experiment" in data else "simulators"
    workload = data.get("workload", default)
    cls = get_spec(workload).load("config")
    data = {**data, "workload": workload} if "workload" not in data else dict(data)
    resolve_paths = getattr(cls, "resolve_paths", None)
    if callable(resolve_paths):
        data = resolve_paths(data, base_dir)
    return build(cls, data, prefix="")


def build(cls: type[T], data: Any, *, prefix: str) -> T:
    """Build dataclass ``cls`` from ``data``, checking keys and types recursively."""
    if not isinstance(data, Mapping):
        raise ConfigError(prefix or "<root>", data, f"a mapping of {cls.__name__} keys",
                          problem="expected a mapping, got")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        full = f"{prefix}{key}"
        if key not in fields:
            raise UnknownKeyError(full, fields, section=prefix.rstrip("."))
        normalize = fields[key].metadata.get("normalize")
        if normalize is not None:
            value = normalize(full, value)
        kwargs[key] = coerce(hints[key], value, full)
    try:
        return cls(**kwargs)
    except ConfigError as exc:
        if prefix and not exc.key.startswith(prefix):
            # a nested dataclass names its keys under its usual section ("resources.x");
            # put them under the path it actually has ("resources.qsim.x")
            tail = exc.key.split(".", 1)[1] if "." in exc.key else exc.key
            raise ConfigError(f"{prefix}{tail}", exc.value, exc.allowed,
                              problem=exc.problem, hint=exc.hint) from None
        raise


def coerce(tp: Any, value: Any, key: str) -> Any:
    """Check ``value`` against type ``tp`` (int, float, bool, str, Optional, list, dict,
    dataclass) and return it converted (ints accepted where floats are)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        errors: list[ConfigError] = []
        for a in inner:
            try:
                return coerce(a, value, key)
            except ConfigError as exc:
                errors.append(exc)
        raise errors[0]
    if tp is Any:
        return value
    if dataclasses.is_dataclass(tp):
        return build(tp, value, prefix=f"{key}.")
    if origin in (list, Sequence, tuple):
        if not isinstance(value, list | tuple):
            raise ConfigError(key, value, f"a list of {_type_name(args[0])}",
                              problem="expected a list, got")
        return [coerce(args[0], v, f"{key}[{i}]") for i, v in enumerate(value)]
    if origin in (dict, Mapping):
        if not isinstance(value, Mapping):
            raise ConfigError(key, value, f"a mapping to {_type_name(args[1])}",
                              problem="expected a mapping, got")
        return {str(k): coerce(args[1], v, f"{key}.{k}") for k, v in value.items()}
    if tp is bool:
        if isinstance(value, bool):
            return value
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if math.isfinite(value):
                return float(value)
            raise ConfigError(key, value, "a finite number")
    elif tp is str:
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)  # name=123 arrives from YAML as a number
    else:  # pragma: no cover - a config field with an unsupported annotation
        raise TypeError(f"unsupported config type {tp!r} for {key}")
    raise ConfigError(key, value, _type_name(tp), problem=f"expected {_type_name(tp)}, got")


def _type_name(tp: Any) -> str:
    return {int: "an integer", float: "a number", bool: "true or false", str: "a string"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def int_range(key: str, value: Any) -> Any:
    """Normalize an integer list given as a scalar, a list, or ``{start, stop, step}``
    (``stop`` inclusive) into a list."""
    if isinstance(value, Mapping):
        extra = set(value) - {"start", "stop", "step"}
        if extra or not {"start", "stop"} <= set(value):
            raise ConfigError(key, dict(value), "a list, or a mapping {start, stop, step}")
        start, stop, step = value["start"], value["stop"], value.get("step", 1)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, stop, step)):
            raise ConfigError(key, dict(value), "integer start, stop and step")
        if step < 1 or stop < start:
            raise ConfigError(key, dict(value), "step >= 1 and stop >= start")
        count = (stop - start) // step + 1
        if count > MAX_RANGE_VALUES:  # checked before the list is built
            raise ConfigError(key, dict(value), f"a range of at most {MAX_RANGE_VALUES:,} values",
                              problem=f"a range of {count:,} values")
        return list(range(start, stop + 1, step))
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        return [value]
    return value


def as_list(key: str, value: Any) -> Any:
    """Accept a scalar where a list is expected."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return [value]
    return value
