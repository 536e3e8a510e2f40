"""The discrete-event cloud: one SimPy resource (capacity 1) per QNode.

Waiting is simulated, not computed: each placed task is a SimPy process that queues for its
node's resource, holds it for its execution time and records when it really started and
finished. ``busy_until`` is the queue's committed horizon (what a scheduler can see); the
records are what happened.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import simpy


@dataclass(frozen=True)
class TaskRecord:
    """What happened to one task."""

    task: int
    node: int
    arrival: float
    ready: float  # arrival + rescheduling delays
    start: float
    finish: float
    reschedules: int

    @property
    def completion(self) -> float:
        """Total completion time: rescheduling delay + waiting + execution."""
        return self.finish - self.arrival


class CloudSim:
    """SimPy cloud of ``n_nodes`` single-slot nodes; ``reset()`` empties every queue."""

    def __init__(self, n_nodes: int) -> None:
        self.n_nodes = n_nodes
        self.reset()

    def reset(self) -> None:
        self.env = simpy.Environment()
        self.nodes = [simpy.Resource(self.env, capacity=1) for _ in range(self.n_nodes)]
        self.busy_until = np.zeros(self.n_nodes)
        self.busy_time = np.zeros(self.n_nodes)
        #: last time each node handled a submission (a rejected one included)
        self.last_touch = np.zeros(self.n_nodes)
        #: committed finish times per node (what a broker knows as soon as it places a task)
        self.finishes: list[list[float]] = [[] for _ in range(self.n_nodes)]
        self.records: dict[int, TaskRecord] = {}

    @property
    def now(self) -> float:
        return float(self.env.now)

    def advance(self, t: float) -> None:
        """Run the simulation up to time ``t`` (never backwards)."""
        if t > self.env.now:
            self.env.run(until=t)

    def queue_lengths(self) -> np.ndarray:
        """Tasks placed on each node that have not finished by now (running or queued).

        Counted from the committed finish times, not from SimPy's resource state: a task
        placed at ``now`` makes its request only when the simulation next runs."""
        now = self.env.now
        return np.array([sum(f > now for f in fs) for fs in self.finishes], dtype=np.float64)

    def wait_times(self) -> np.ndarray:
        """Seconds until each node's queue drains, from now."""
        return np.maximum(self.busy_until - self.env.now, 0.0)

    def available_at(self) -> np.ndarray:
        """When each node is (or became) available, as a broker sees it: the end of its
        queue, or the last time it handled a submission when that is later (a node that
        just rejected a task counts as the most recently available)."""
        return np.maximum(self.busy_until, self.last_touch)

    def reject(self, node: int) -> None:
        """``node`` refused a task that needs more qubits than it has."""
        self.last_touch[node] = self.env.now

    def submit(self, task: int, node: int, arrival: float, exec_time: float,
               reschedules: int) -> float:
        """Queue ``task`` on ``node`` now; returns its expected finish time."""
        start = max(self.env.now, self.busy_until[node])
        self.busy_until[node] = start + exec_time
        self.last_touch[node] = self.env.now
        self.finishes[node].append(start + exec_time)
        self.busy_time[node] += exec_time
        self.env.process(self._run(task, node, arrival, exec_time, reschedules))
        return start + exec_time

    def _run(self, task: int, node: int, arrival: float, exec_time: float, reschedules: int):
        ready = self.env.now
        with self.nodes[node].request() as req:
            yield req
            start = self.env.now
            yield self.env.timeout(exec_time)
            self.records[task] = TaskRecord(task, node, arrival, ready, start, self.env.now,
                                            reschedules)

    def drain(self) -> list[TaskRecord]:
        """Run until every queued task has finished; the records in task order."""
        self.env.run()
        return [self.records[k] for k in sorted(self.records)]
