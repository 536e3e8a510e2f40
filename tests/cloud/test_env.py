"""The quantum-cloud env: Gymnasium conformance and the studied defects, each fixed."""

from __future__ import annotations

import time

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import qray.cloud.tasks as cloud_tasks
from qray.cloud.env import ENV_ID, QuantumCloudEnv
from qray.cloud.features import NODE_FEATURES
from qray.cloud.heuristics import FeasibleGreedy
from qray.errors import ConfigError

NF = len(NODE_FEATURES)
SMALL = 3  # FakePerth (7 qubits) in the default node list


def node_feature(obs: np.ndarray, node: int, name: str) -> float:
    return float(obs[node * NF + NODE_FEATURES.index(name)])


@pytest.fixture(scope="module")
def env() -> QuantumCloudEnv:
    return QuantumCloudEnv()


@pytest.mark.parametrize("mask", [False, True])
def test_check_env_passes(mask: bool) -> None:
    check_env(QuantumCloudEnv({"action_mask": mask}), skip_render_check=True)


def test_registered_id_makes_the_env() -> None:
    e = gym.make(ENV_ID, config={"tasks": {"per_episode": 5}})
    obs, _ = e.reset(seed=1)
    assert e.observation_space.contains(obs)
    assert isinstance(e.unwrapped, QuantumCloudEnv)


def test_action_mask_marks_nodes_with_enough_qubits(env: QuantumCloudEnv) -> None:
    masked = QuantumCloudEnv({"action_mask": True})
    obs, _ = masked.reset(seed=3)
    width = masked.tasks[0].width
    expected = (width <= masked.qubits).astype(np.float32)
    np.testing.assert_array_equal(obs["action_mask"], expected)
    np.testing.assert_array_equal(masked.action_masks(), expected)


def run_fixed(env: QuantumCloudEnv, seed: int, actions: list[int]) -> list:
    out = [env.reset(seed=seed)[0]]
    for a in actions:
        obs, r, term, trunc, _ = env.step(a)
        out.append((obs, r, term, trunc))
        if term or trunc:
            break
    return out


def test_episodes_are_reproducible_per_seed(env: QuantumCloudEnv) -> None:
    other = QuantumCloudEnv()
    actions = [0, 1, 2, 1, 0, 2] * 5
    a, b = run_fixed(env, 42, actions), run_fixed(other, 42, actions)
    np.testing.assert_array_equal(a[0], b[0])
    for x, y in zip(a[1:], b[1:], strict=True):
        np.testing.assert_array_equal(x[0], y[0])
        assert x[1:] == y[1:]
    c = run_fixed(env, 43, actions)
    assert [t.arrival for t in env.tasks] != [t.arrival for t in other.tasks] or \
        not np.array_equal(a[0], c[0])


def test_queues_reset_on_every_reset(env: QuantumCloudEnv) -> None:
    fresh = QuantumCloudEnv().reset(seed=7)[0]
    env.reset(seed=7)
    for _ in range(10):  # pile work onto the big node
        env.step(0)
    assert env.sim.busy_until[0] > env.sim.now
    obs, _ = env.reset(seed=7)
    assert env.sim.now == pytest.approx(env.tasks[0].arrival)
    np.testing.assert_array_equal(env.sim.busy_until, 0.0)
    np.testing.assert_array_equal(obs, fresh)


def test_reset_takes_milliseconds_and_never_rebuilds_the_pool(env: QuantumCloudEnv,
                                                              monkeypatch) -> None:
    def refuse(*a, **k):
        raise AssertionError("reset() must not build or transpile the circuit pool")

    monkeypatch.setattr(cloud_tasks, "transpiled_depths", refuse)
    monkeypatch.setattr(cloud_tasks, "family_pool", refuse)
    t0 = time.perf_counter()
    for s in range(100):
        env.reset(seed=s)
    per_reset = (time.perf_counter() - t0) / 100
    # the studied env re-parsed its dataset on every reset (~1 s); generous bound
    assert per_reset < 0.05, f"reset took {per_reset * 1e3:.1f} ms"


def test_observation_shows_queue_state(env: QuantumCloudEnv) -> None:
    obs0, _ = env.reset(seed=11)
    assert node_feature(obs0, 0, "wait") == 0.0
    obs1, *_ = env.step(0)  # first task on the 127-qubit node
    wait = env.sim.wait_times()[0]
    if wait > 0:
        assert node_feature(obs1, 0, "wait") == pytest.approx(wait / env.cfg.time_scale, rel=1e-5)
        assert node_feature(obs1, 0, "queue") > 0
    # the features are not squashed: distinct queue states give distinct observations
    waits = {round(node_feature(env.step(0)[0], 0, "wait"), 4) for _ in range(8)}
    assert len(waits) > 3


def wide_task_episode(env: QuantumCloudEnv) -> int:
    for seed in range(200):
        env.reset(seed=seed)
        if env.tasks[0].width > env.qubits[SMALL]:
            return seed
    raise AssertionError("no episode starts with a wide task")


def test_too_small_node_reschedules_with_delay(env: QuantumCloudEnv) -> None:
    seed = wide_task_episode(env)
    env.reset(seed=seed)
    first = env.tasks[0]
    now = env.sim.now
    obs, reward, *_, info = env.step(SMALL)
    assert info["rescheduled"] and info["task"] == first.index
    assert reward == -env.cfg.reschedule_penalty
    assert env.reschedules == 1 and env.current == 0
    assert env.sim.now == pytest.approx(now + env.cfg.reschedule_delay)
    assert node_feature(obs, SMALL, "feasible") == 0.0
    assert obs[-2] == pytest.approx(0.1)  # reschedules / 10
    _, _, _, _, info = env.step(0)
    assert not info["rescheduled"]
    # the delay counts in the task's completion time
    assert info["completion"] >= env.cfg.reschedule_delay + env.exec_time(first)[0] - 1e-9


def test_truncated_after_the_step_cap() -> None:
    e = QuantumCloudEnv({"max_steps": 30})
    seed = wide_task_episode(e)
    e.reset(seed=seed)
    steps, term, trunc = 0, False, False
    while not (term or trunc) and steps < 100:
        _, _, term, trunc, info = e.step(SMALL)
        steps += 1
    assert steps == 30 and trunc and not term
    assert info["episode"]["truncated"]
    with pytest.raises(RuntimeError, match="reset"):
        e.step(0)


def test_waiting_is_simulated_and_matches_what_the_agent_saw(env: QuantumCloudEnv) -> None:
    obs, _ = env.reset(seed=5)
    policy = FeasibleGreedy()
    expected = {}
    while True:
        a = policy.act(obs, env.view())
        obs, _, term, trunc, info = env.step(a)
        if not info["rescheduled"]:
            expected[info["task"]] = info["expected_finish"]
        if term or trunc:
            break
    records = info["episode"]["records"]
    assert len(records) == env.cfg.tasks.per_episode
    assert any(r.start > r.ready for r in records), "no task ever waited in a queue"
    for r in records:
        assert r.finish == pytest.approx(expected[r.task])
        assert r.start >= r.ready >= r.arrival


@pytest.mark.parametrize("override, key", [
    ({"nodes": ["FakeWashingtonV2", "FakeNowhere"]}, "env.nodes[1]"),
    ({"reward": "speed"}, "env.reward"),
    ({"max_steps": 10}, "env.max_steps"),
    ({"tasks": {"families": ["ghz", "qtf"]}}, "env.tasks.families[1]"),
    ({"tasks": {"rate": 0}}, "env.tasks.rate"),
    ({"tasks": {"arrival": "bursty"}}, "env.tasks.arrival"),
    ({"time_scale": -1}, "env.time_scale"),
    ({"colour": 1}, "env.colour"),
])
def test_bad_env_config_names_the_key(override: dict, key: str) -> None:
    with pytest.raises(ConfigError) as exc:
        QuantumCloudEnv(override)
    assert f"'{key}'" in str(exc.value)


def test_bad_action_is_refused(env: QuantumCloudEnv) -> None:
    env.reset(seed=0)
    with pytest.raises(ValueError, match="node index"):
        env.step(len(env.node_list))
