"""``qray/QuantumCloud-v0``: place each arriving task on a QNode.

Action = node index. The observation shows, per node, whether the task fits, how long until
the node's queue drains, how long the task would run there and when it would finish (all
relative to now, divided by ``time_scale``, clipped to [0, obs_clip]), the queue length and
the node's errors; and, for the task, its width, its reschedules so far and the share of the
episode left. A task placed on a node with too few qubits is rescheduled: it loses
``reschedule_delay`` seconds and comes back to the agent. Node queues are emptied on every
``reset()``; the circuit pool is built once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np

from qray.cloud.env_config import CloudEnvConfig, env_config
from qray.cloud.features import observation, observation_size
from qray.cloud.nodes import QNode, build_nodes
from qray.cloud.sim import CloudSim, TaskRecord
from qray.cloud.task_pool import QTask, arrivals, circuit_pool

ENV_ID = "qray/QuantumCloud-v0"


@dataclass(frozen=True)
class CloudView:
    """The raw state a heuristic sees for the current task (seconds, not scaled)."""

    width: int
    node_qubits: np.ndarray
    feasible: np.ndarray
    wait: np.ndarray
    #: when each node is or became available, relative to now (negative: idle since)
    available: np.ndarray
    exec_time: np.ndarray
    readout_error: np.ndarray
    gate_error_2q: np.ndarray


class QuantumCloudEnv(gym.Env):
    """SimPy quantum cloud as a Gymnasium env (see the module docstring)."""

    metadata = {"render_modes": []}

    def __init__(self, config: Any = None, render_mode: str | None = None) -> None:
        self.cfg: CloudEnvConfig = env_config(config)
        self.render_mode = render_mode
        self.node_list: list[QNode] = build_nodes(self.cfg.nodes, "env.nodes",
                                                   self.cfg.node_clops)
        t = self.cfg.tasks
        self.pool, self.depths = circuit_pool(
            tuple(t.families), tuple(t.widths), t.per_width,
            tuple(sorted(t.depths.items())), t.pool_seed, tuple(t.qasm_files),
            tuple(self.cfg.nodes))
        n = len(self.node_list)
        self.qubits = np.array([q.num_qubits for q in self.node_list], dtype=np.float64)
        self.clops = np.array([q.clops for q in self.node_list], dtype=np.float64)
        self.readout = np.array([q.readout_error for q in self.node_list])
        self.gate2q = np.array([q.gate_error_2q for q in self.node_list])
        self.max_qubits = float(self.qubits.max())
        self.action_space = gym.spaces.Discrete(n)
        box = gym.spaces.Box(0.0, self.cfg.obs_clip, shape=(observation_size(n),),
                             dtype=np.float32)
        if self.cfg.action_mask:
            self.observation_space = gym.spaces.Dict({
                "observations": box,
                "action_mask": gym.spaces.Box(0.0, 1.0, shape=(n,), dtype=np.float32)})
        else:
            self.observation_space = box
        self.sim = CloudSim(n)
        self.tasks: list[QTask] = []
        self.episode_key = -1

    # -- episode ---------------------------------------------------------------------------

    def make_tasks(self, key: int) -> list[QTask]:
        """The tasks of episode ``key`` (a pure function of the key and the config)."""
        t = self.cfg.tasks
        rng = np.random.default_rng([key, t.pool_seed, 2407])
        picks = rng.integers(0, len(self.pool), size=t.per_episode)
        times = arrivals(rng, t.per_episode, t.arrival, t.rate, t.window)
        return [QTask(i, int(c), self.pool[c].name, self.pool[c].width, t.shots,
                      float(times[i]), tuple(int(d) for d in self.depths[c]))
                for i, c in enumerate(picks)]

    def reset(self, *, seed: int | None = None,
              options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        super().reset(seed=seed)
        if options and "episode" in options:
            key = int(options["episode"])
        elif seed is not None:
            key = int(seed)
        else:
            key = int(self.np_random.integers(0, self.cfg.train_seed_limit))
        self.episode_key = key
        self.tasks = self.make_tasks(key)
        self.sim.reset()
        self.steps = 0
        self.current = 0
        self.delay = 0.0
        self.task_reschedules = 0
        self.reschedules = 0
        self.done = False
        self.sim.advance(self.tasks[0].arrival)
        return self._obs(), {"episode_key": key}

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        if self.done:
            raise RuntimeError("step() after the episode ended; call reset()")
        a = int(action)
        if not 0 <= a < len(self.node_list):
            raise ValueError(f"action {action!r} is not a node index in [0, {len(self.node_list)})")
        self.steps += 1
        task = self.tasks[self.current]
        info: dict[str, Any] = {"task": task.index, "node": a}
        if task.width > self.qubits[a]:
            self.task_reschedules += 1
            self.reschedules += 1
            self.delay += self.cfg.reschedule_delay
            self.sim.reject(a)
            self.sim.advance(self.sim.now + self.cfg.reschedule_delay)
            reward = -self.cfg.reschedule_penalty
            info["rescheduled"] = True
        else:
            exec_time = self.exec_time(task)[a]
            wait = self.sim.wait_times()[a]
            finish = self.sim.submit(task.index, a, task.arrival, exec_time,
                                     self.task_reschedules)
            completion = finish - task.arrival
            if self.cfg.reward == "completion":
                reward = -completion / self.cfg.time_scale
            else:
                reward = 1.0 / max(self.sim.now - task.arrival + wait + exec_time, 1e-9)
            info.update(rescheduled=False, expected_finish=finish, completion=completion)
            self.current += 1
            self.delay = 0.0
            self.task_reschedules = 0
            if self.current < len(self.tasks):
                self.sim.advance(self.tasks[self.current].arrival)
        terminated = self.current >= len(self.tasks)
        truncated = not terminated and self.steps >= self.cfg.max_steps
        if terminated or truncated:
            self.done = True
            info["episode"] = self.episode_metrics(truncated=truncated)
        return self._obs(), float(reward), terminated, truncated, info

    # -- state -----------------------------------------------------------------------------

    def exec_time(self, task: QTask) -> np.ndarray:
        """Seconds the task runs on each node (inf where it does not fit)."""
        depth = np.array(task.node_depths, dtype=np.float64)
        t = depth * task.shots / (self.clops * self.cfg.clops_k)
        return np.where(task.width <= self.qubits, t, np.inf)

    def view(self) -> CloudView:
        """The raw state of the current task (for heuristics)."""
        task = self.tasks[min(self.current, len(self.tasks) - 1)]
        return CloudView(task.width, self.qubits, task.width <= self.qubits,
                         self.sim.wait_times(), self.sim.available_at() - self.sim.now,
                         self.exec_time(task), self.readout, self.gate2q)

    def action_masks(self) -> np.ndarray:
        """Feasible nodes for the current task (1 = enough qubits)."""
        return self.view().feasible.astype(np.float32)

    def policy_params(self) -> dict[str, Any]:
        """What an exported policy needs to rebuild observations (JSON-able)."""
        return policy_params(self.cfg)

    def _obs(self) -> Any:
        v = self.view()
        obs = observation(
            width=v.width, node_qubits=self.qubits, wait=v.wait, exec_time=v.exec_time,
            queue=self.sim.queue_lengths(), readout_error=self.readout,
            gate_error_2q=self.gate2q, reschedules=self.task_reschedules,
            remaining=(len(self.tasks) - self.current) / len(self.tasks),
            time_scale=self.cfg.time_scale, obs_clip=self.cfg.obs_clip)
        if self.cfg.action_mask:
            return {"observations": obs, "action_mask": v.feasible.astype(np.float32)}
        return obs

    def episode_metrics(self, *, truncated: bool = False) -> dict[str, Any]:
        """Totals of the episode (runs the cloud until every placed task finished).

        A truncated episode's unplaced tasks count with the time they had waited when it
        was cut off, so a scheduler that loops on a too-small node never scores better
        than one that places its tasks."""
        cut_at = self.sim.now
        records: list[TaskRecord] = self.sim.drain()
        makespan = max((r.finish for r in records), default=0.0)
        util = self.sim.busy_time / makespan if makespan > 0 else self.sim.busy_time * 0
        unplaced = [t for t in self.tasks if t.index not in self.sim.records]
        waited = sum(max(cut_at - t.arrival, 0.0) for t in unplaced)
        return {
            "episode_key": self.episode_key,
            "tasks": len(records),
            "unplaced": len(unplaced),
            "truncated": truncated,
            "total_completion": float(sum(r.completion for r in records) + waited),
            "total_completion_excl_delay": float(sum(r.finish - r.ready for r in records)),
            "total_wait": float(sum(r.start - r.ready for r in records)),
            "reschedules": self.reschedules,
            "makespan": float(makespan),
            "utilization": [float(u) for u in util],
            "steps": self.steps,
            "records": records,
        }


def policy_params(cfg: CloudEnvConfig) -> dict[str, Any]:
    """The observation's parameters of an env config (an exported policy carries them;
    a policy only fits an env whose parameters are equal)."""
    nodes = build_nodes(cfg.nodes, "env.nodes", cfg.node_clops)
    return {
        "nodes": list(cfg.nodes),
        "node_qubits": [float(n.num_qubits) for n in nodes],
        "readout_error": [n.readout_error for n in nodes],
        "gate_error_2q": [n.gate_error_2q for n in nodes],
        "clops": [n.clops for n in nodes],
        "clops_k": cfg.clops_k,
        "time_scale": cfg.time_scale,
        "obs_clip": cfg.obs_clip,
    }


def policy_mismatch(params: dict[str, Any], cfg: CloudEnvConfig) -> str | None:
    """The first observation parameter in which ``params`` differs from ``cfg``'s env."""
    for key, value in policy_params(cfg).items():
        theirs = params.get(key)
        if key == "nodes":
            same = theirs == value
        else:
            a, b = np.atleast_1d(np.asarray(theirs, dtype=float)), np.atleast_1d(value)
            same = theirs is not None and a.shape == b.shape and np.allclose(a, b)
        if not same:
            return f"{key}: policy {theirs!r}, env {value!r}"
    return None


def register() -> None:
    """Register ``qray/QuantumCloud-v0`` with Gymnasium (idempotent)."""
    if ENV_ID not in gym.registry:
        gym.register(id=ENV_ID, entry_point="qray.cloud.env:QuantumCloudEnv",
                     disable_env_checker=True)


register()
