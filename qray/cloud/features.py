"""The observation of the cloud env, as a pure numpy function.

The env and the exported inference policy both call ``observation``, so a policy loaded
without Ray or Gymnasium sees exactly what it saw in training. Only numpy is imported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

NODE_FEATURES = ("feasible", "wait", "exec", "finish", "queue", "readout_error", "gate_error_2q")
TASK_FEATURES = ("width", "reschedules", "remaining")


def observation_size(n_nodes: int) -> int:
    return n_nodes * len(NODE_FEATURES) + len(TASK_FEATURES)


def observation(*, width: int, node_qubits: Sequence[float], wait: Sequence[float],
                exec_time: Sequence[float], queue: Sequence[float],
                readout_error: Sequence[float], gate_error_2q: Sequence[float],
                reschedules: int, remaining: float, time_scale: float,
                obs_clip: float) -> np.ndarray:
    """Observation vector (float32) of one task in front of the nodes.

    Per node: fits (0/1), seconds until its queue drains, seconds the task would run there,
    seconds until it would finish (wait + run), tasks queued / 10, readout error, two-qubit
    gate error; times divided by ``time_scale`` and an unfit node's run and finish set to
    ``obs_clip``. Then the task's width / the largest node, its reschedules / 10 and the
    share of the episode's tasks still to place. Everything clipped to [0, obs_clip].
    """
    qubits = np.asarray(node_qubits, dtype=np.float64)
    feasible = width <= qubits
    wait_s = np.asarray(wait, dtype=np.float64)
    exec_s = np.asarray(exec_time, dtype=np.float64)
    big = obs_clip * time_scale
    run = np.where(feasible, exec_s, big) / time_scale
    finish = np.where(feasible, wait_s + exec_s, big) / time_scale
    nodes = np.stack([feasible.astype(np.float64), wait_s / time_scale, run, finish,
                      np.asarray(queue, dtype=np.float64) / 10.0,
                      np.asarray(readout_error, dtype=np.float64),
                      np.asarray(gate_error_2q, dtype=np.float64)], axis=1)
    task = np.array([width / qubits.max(), reschedules / 10.0, remaining])
    return np.clip(np.concatenate([nodes.ravel(), task]), 0.0, obs_clip).astype(np.float32)


def observation_from_state(state: Mapping[str, Any], params: Mapping[str, Any]) -> np.ndarray:
    """``observation`` from a plain mapping (a deployed scheduler's input): the task's
    ``width``; per node ``wait`` (seconds until its queue drains), ``exec_time`` (seconds
    the task would run there: transpiled depth x shots / (clops x clops_k), both in
    ``params``) and ``queue`` (tasks placed and not finished); optionally the task's
    ``reschedules`` (default 0) and ``remaining``, the share of the batch still to place
    (default 1). Node qubits and errors come from the exported ``params``."""
    n = len(params["node_qubits"])
    for key in ("width", "wait", "exec_time", "queue"):
        if key not in state:
            raise KeyError(f"scheduler input needs {key!r}; got keys {sorted(state)}")
    for key in ("wait", "exec_time", "queue"):
        if len(state[key]) != n:
            raise ValueError(f"scheduler input {key!r} has {len(state[key])} values; "
                             f"the policy was trained on {n} nodes {params['nodes']}")
    return observation(
        width=int(state["width"]), node_qubits=params["node_qubits"], wait=state["wait"],
        exec_time=state["exec_time"], queue=state["queue"],
        readout_error=params["readout_error"], gate_error_2q=params["gate_error_2q"],
        reschedules=int(state.get("reschedules", 0)),
        remaining=float(state.get("remaining", 1.0)),
        time_scale=params["time_scale"], obs_clip=params["obs_clip"])
