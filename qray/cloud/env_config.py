"""Config of the quantum-cloud env (validated before any work; errors name the key)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qray.circuits import FAMILIES
from qray.circuits.sources import expand_source
from qray.cloud.nodes import DEFAULT_NODES, build_nodes
from qray.config import as_list, build, int_range, require
from qray.errors import ConfigError

ARRIVALS = ("poisson", "uniform")
REWARDS = ("completion", "inverse")

# Bounds of the physical and numeric parameters (inclusive), stated in the docstrings below.
POOL_SEED_RANGE = (0, 2**31 - 1)
SHOTS_RANGE = (1, 1_000_000)
PER_EPISODE_RANGE = (1, 10_000)
RATE_RANGE = (1e-4, 1000.0)  # tasks per second
WINDOW_RANGE = (1e-3, 1e6)  # seconds
CLOPS_RANGE = (1, 10_000_000)
CLOPS_K_RANGE = (0.1, 1000.0)
TIME_SCALE_RANGE = (0.01, 1e6)  # seconds
RESCHEDULE_DELAY_RANGE = (0, 3600)  # seconds
RESCHEDULE_PENALTY_RANGE = (0, 1000)
MAX_STEPS = 1_000_000
OBS_CLIP_RANGE = (1, 10_000)
MAX_TRAIN_SEED_LIMIT = 2**62


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def within(bounds: tuple[float, float], key: str, value: float, what: str,
           note: str = "") -> None:
    """Raise a ``ConfigError`` naming ``key`` and the range unless ``value`` is in
    ``bounds`` (NaN never is)."""
    lo, hi = bounds
    require(lo <= value <= hi, key, value, f"{what} in [{_fmt(lo)}, {_fmt(hi)}]{note}")


@dataclass(frozen=True)
class TaskConfig:
    """How an episode's tasks are made.

    Attributes:
        families: qray circuit families of the pool (ghz, qft, random, clifford, qaoa_maxcut).
        widths: circuit widths (qubits): a list, a number or ``{start, stop, step}``;
            each in [1, 127] and at most the largest node's; not empty where ``families``
            is not (a pool of QASM files alone needs none).
        per_width: circuits per width in the pool (families taken in turn).
        depths: the ``depth`` parameter of the families that have one.
        pool_seed: seed of the pool's circuits, in [0, 2**31 - 1].
        qasm_files: OpenQASM 2/3 files (paths or globs) added to the pool. Each is parsed, checked (at least
            one qubit and one gate, no wider than the largest node) and transpiled to every
            node it fits on when the config is loaded.
        shots: shots per task, in [1, 1e6].
        per_episode: tasks per episode, in [1, 10000].
        arrival: ``poisson`` (rate per second) or ``uniform`` (over ``window`` seconds).
        rate: Poisson arrival rate in tasks per second, in [1e-4, 1000] (a mean gap
            between 1 ms and about 2.8 hours; the studied rate is 0.3).
        window: the uniform arrivals' window in seconds, in [0.001, 1e6].
    """

    families: list[str] = field(default_factory=lambda: ["ghz", "qft", "random", "qaoa_maxcut"],
                                metadata={"normalize": as_list})
    widths: list[int] = field(default_factory=lambda: list(range(2, 28)),
                              metadata={"normalize": int_range})
    per_width: int = 4
    depths: dict[str, int] = field(default_factory=lambda: {"random": 10, "clifford": 10,
                                                            "qaoa_maxcut": 2})
    pool_seed: int = 7
    qasm_files: list[str] = field(default_factory=list, metadata={"normalize": as_list})
    shots: int = 1024
    per_episode: int = 25
    arrival: str = "poisson"
    rate: float = 0.3
    window: float = 250.0

    def __post_init__(self) -> None:
        for i, fam in enumerate(self.families):
            if fam not in FAMILIES:
                raise ConfigError(f"tasks.families[{i}]", fam, FAMILIES, problem="unknown family")
        for fam, d in self.depths.items():
            require(fam in FAMILIES, f"tasks.depths.{fam}", fam, f"one of {sorted(FAMILIES)}")
            require(1 <= d <= 200, f"tasks.depths.{fam}", d, "an integer in [1, 200]")
        require(bool(self.widths) or not self.families, "tasks.widths", self.widths,
               "a non-empty list of circuit widths (qubits), e.g. [2, 5, 7] or {start: 2, "
               "stop: 27} (the circuit families make circuits of these widths)")
        for i, w in enumerate(self.widths):
            require(1 <= w <= 127, f"tasks.widths[{i}]", w, "an integer in [1, 127]")
        within(POOL_SEED_RANGE, "tasks.pool_seed", self.pool_seed, "an integer")
        resolved = []
        for i, path in enumerate(self.qasm_files):  # a file or a glob (qasm: optional)
            entry = str(Path(str(path).removeprefix("qasm:")).expanduser())
            for name in expand_source(f"qasm:{entry}", f"tasks.qasm_files[{i}]"):
                # absolute: Tune runs trials in their own folders
                resolved.append(str(Path(name.removeprefix("qasm:")).resolve()))
        object.__setattr__(self, "qasm_files", resolved)
        require(bool(self.families or self.qasm_files), "tasks.families", self.families,
               "at least one circuit family or QASM file")
        require(1 <= self.per_width <= 100, "tasks.per_width", self.per_width, "an integer in [1, 100]")
        within(SHOTS_RANGE, "tasks.shots", self.shots, "an integer")
        within(PER_EPISODE_RANGE, "tasks.per_episode", self.per_episode, "an integer")
        require(self.arrival in ARRIVALS, "tasks.arrival", self.arrival, f"one of {list(ARRIVALS)}")
        within(RATE_RANGE, "tasks.rate", self.rate, "an arrival rate",
               " tasks per second")
        within(WINDOW_RANGE, "tasks.window", self.window, "a window", " seconds")


@dataclass(frozen=True)
class CloudEnvConfig:
    """The quantum-cloud env.

    Attributes:
        nodes: fake backend class names of qiskit_ibm_runtime.fake_provider.
        node_clops: CLOPS per backend name, overriding what its configuration reports
            (newer fake backends report only ``clops_h``, which is used otherwise); in
            [1, 1e7] (the studied devices have 850-2,900, today's devices up to ~250,000).
        tasks: see ``TaskConfig``.
        clops_k: execution time = transpiled depth x shots / (CLOPS x clops_k); 19.95 is
            QSimPy's constant; in [0.1, 1000].
        time_scale: seconds per observation unit (times are relative to now / time_scale);
            in [0.01, 1e6].
        reward: ``completion`` (-(completion time of the placed task) / time_scale) or
            ``inverse`` (QSimPy's 1 / (delay + wait + execution)).
        reschedule_delay: seconds a task loses when placed on a node with too few qubits;
            in [0, 3600].
        reschedule_penalty: reward subtracted for each such placement; in [0, 1000].
        max_steps: steps before ``truncated``; in [tasks.per_episode, 1e6].
        action_mask: observations become ``{"observations", "action_mask"}``.
        obs_clip: observation features are clipped to [0, obs_clip]; in [1, 1e4] (the
            features include 0/1 flags and shares in [0, 1], which must not be clipped).
        train_seed_limit: unseeded resets draw episode keys below this; evaluation uses
            keys at or above it, so evaluation episodes never occur in training; in
            [1, 2**62].
    """

    nodes: list[str] = field(default_factory=lambda: list(DEFAULT_NODES),
                             metadata={"normalize": as_list})
    node_clops: dict[str, float] = field(default_factory=dict)
    tasks: TaskConfig = field(default_factory=TaskConfig)
    clops_k: float = 19.95
    time_scale: float = 100.0
    reward: str = "completion"
    reschedule_delay: float = 1.0
    reschedule_penalty: float = 1.0
    max_steps: int = 500
    action_mask: bool = False
    obs_clip: float = 10.0
    train_seed_limit: int = 1_000_000

    def __post_init__(self) -> None:
        for name, value in self.node_clops.items():
            require(name in self.nodes, f"env.node_clops.{name}", name, f"one of env.nodes {self.nodes}")
            within(CLOPS_RANGE, f"env.node_clops.{name}", value, "a CLOPS figure",
                   " (circuit layer operations per second; the studied devices have "
                   "850-2,900)")
        nodes = build_nodes(self.nodes, "env.nodes", self.node_clops)
        biggest = max(n.num_qubits for n in nodes)
        for i, w in enumerate(self.tasks.widths if self.tasks.families else []):
            require(w <= biggest, f"env.tasks.widths[{i}]", w,
                   f"at most {biggest} qubits, the largest node of env.nodes")
        within(CLOPS_K_RANGE, "env.clops_k", self.clops_k, "a number",
               " (QSimPy's constant is 19.95)")
        within(TIME_SCALE_RANGE, "env.time_scale", self.time_scale, "a number of seconds")
        require(self.reward in REWARDS, "env.reward", self.reward, f"one of {list(REWARDS)}")
        within(RESCHEDULE_DELAY_RANGE, "env.reschedule_delay", self.reschedule_delay,
               "a number of seconds")
        within(RESCHEDULE_PENALTY_RANGE, "env.reschedule_penalty", self.reschedule_penalty,
               "a number")
        require(self.tasks.per_episode <= self.max_steps <= MAX_STEPS, "env.max_steps",
               self.max_steps,
               f"an integer in [tasks.per_episode ({self.tasks.per_episode}), {MAX_STEPS}]")
        within(OBS_CLIP_RANGE, "env.obs_clip", self.obs_clip, "a number")
        within((1, MAX_TRAIN_SEED_LIMIT), "env.train_seed_limit", self.train_seed_limit,
               "an integer")
        if self.tasks.qasm_files:  # last: it parses and transpiles every file
            from qray.cloud.task_pool import check_qasm_files

            check_qasm_files(self.tasks.qasm_files, nodes, "env.tasks.qasm_files")


def env_config(data: Any = None) -> CloudEnvConfig:
    """A validated ``CloudEnvConfig`` from a mapping (RLlib's env_config) or a config."""
    if isinstance(data, CloudEnvConfig):
        return data
    return build(CloudEnvConfig, dict(data or {}), prefix="env.")
