"""Config of the quantum-cloud env (validated before any work; errors name the key)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qray.circuits import FAMILIES
from qray.cloud.nodes import DEFAULT_NODES, build_nodes
from qray.config import as_list, build, int_range, require
from qray.errors import ConfigError

ARRIVALS = ("poisson", "uniform")
REWARDS = ("completion", "inverse")


@dataclass(frozen=True)
class TaskConfig:
    """How an episode's tasks are made.

    Attributes:
        families: qray circuit families of the pool (ghz, qft, random, clifford, qaoa_maxcut).
        widths: circuit widths (qubits): a list, a number or ``{start, stop, step}``.
        per_width: circuits per width in the pool (families taken in turn).
        depths: the ``depth`` parameter of the families that have one.
        pool_seed: seed of the pool's circuits.
        qasm_files: OpenQASM 2/3 files added to the pool.
        shots: shots per task.
        per_episode: tasks per episode.
        arrival: ``poisson`` (rate per second) or ``uniform`` (over ``window`` seconds).
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
        for i, w in enumerate(self.widths):
            require(1 <= w <= 127, f"tasks.widths[{i}]", w, "an integer in [1, 127]")
        resolved = []
        for i, path in enumerate(self.qasm_files):
            p = Path(path).expanduser()
            require(p.is_file(), f"tasks.qasm_files[{i}]", path, "an existing OpenQASM file")
            resolved.append(str(p.resolve()))  # Tune runs trials in their own folders
        object.__setattr__(self, "qasm_files", resolved)
        require(bool(self.families or self.qasm_files), "tasks.families", self.families,
               "at least one circuit family or QASM file")
        require(1 <= self.per_width <= 100, "tasks.per_width", self.per_width, "an integer in [1, 100]")
        require(1 <= self.shots <= 10**6, "tasks.shots", self.shots, "an integer in [1, 1000000]")
        require(1 <= self.per_episode <= 10_000, "tasks.per_episode", self.per_episode,
               "an integer in [1, 10000]")
        require(self.arrival in ARRIVALS, "tasks.arrival", self.arrival, f"one of {list(ARRIVALS)}")
        require(self.rate > 0, "tasks.rate", self.rate, "a positive rate (tasks per second)")
        require(self.window > 0, "tasks.window", self.window, "a positive window (seconds)")


@dataclass(frozen=True)
class CloudEnvConfig:
    """The quantum-cloud env.

    Attributes:
        nodes: fake backend class names of qiskit_ibm_runtime.fake_provider.
        node_clops: CLOPS per backend name, overriding what its configuration reports
            (newer fake backends report only ``clops_h``, which is used otherwise).
        tasks: see ``TaskConfig``.
        clops_k: execution time = transpiled depth x shots / (CLOPS x clops_k); 19.95 is
            QSimPy's constant.
        time_scale: seconds per observation unit (times are relative to now / time_scale).
        reward: ``completion`` (-(completion time of the placed task) / time_scale) or
            ``inverse`` (QSimPy's 1 / (delay + wait + execution)).
        reschedule_delay: seconds a task loses when placed on a node with too few qubits.
        reschedule_penalty: reward subtracted for each such placement.
        max_steps: steps before ``truncated``.
        action_mask: observations become ``{"observations", "action_mask"}``.
        obs_clip: observation features are clipped to [0, obs_clip].
        train_seed_limit: unseeded resets draw episode keys below this; evaluation uses
            keys at or above it, so evaluation episodes never occur in training.
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
            require(value > 0, f"env.node_clops.{name}", value, "a positive CLOPS figure")
        nodes = build_nodes(self.nodes, "env.nodes", self.node_clops)
        biggest = max(n.num_qubits for n in nodes)
        for i, w in enumerate(self.tasks.widths):
            require(w <= biggest, f"env.tasks.widths[{i}]", w,
                   f"at most {biggest} qubits, the largest node of env.nodes")
        require(self.clops_k > 0, "env.clops_k", self.clops_k, "a positive number")
        require(self.time_scale > 0, "env.time_scale", self.time_scale, "a positive number")
        require(self.reward in REWARDS, "env.reward", self.reward, f"one of {list(REWARDS)}")
        require(self.reschedule_delay >= 0, "env.reschedule_delay", self.reschedule_delay,
               "a number >= 0")
        require(self.reschedule_penalty >= 0, "env.reschedule_penalty",
               self.reschedule_penalty, "a number >= 0")
        require(self.max_steps >= self.tasks.per_episode, "env.max_steps", self.max_steps,
               f"an integer >= tasks.per_episode ({self.tasks.per_episode})")
        require(self.obs_clip > 0, "env.obs_clip", self.obs_clip, "a positive number")
        require(self.train_seed_limit >= 1, "env.train_seed_limit", self.train_seed_limit,
               "a positive integer")


def env_config(data: Any = None) -> CloudEnvConfig:
    """A validated ``CloudEnvConfig`` from a mapping (RLlib's env_config) or a config."""
    if isinstance(data, CloudEnvConfig):
        return data
    return build(CloudEnvConfig, dict(data or {}), prefix="env.")
