"""The quantum-cloud env: Gymnasium conformance and the studied defects, each fixed."""

from __future__ import annotations

import time

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import qray.cloud.env as cloud_env
from qray.cloud.env import ENV_ID, QuantumCloudEnv
from qray.cloud.features import NODE_FEATURES, observation_from_state
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

    monkeypatch.setattr(cloud_env, "circuit_pool", refuse)
    t0 = time.perf_counter()
    for s in range(100):
        env.reset(seed=s)
    per_reset = (time.perf_counter() - t0) / 100
    # the studied env re-parsed its dataset on every reset (~1 s); generous bound
    assert per_reset < 0.05, f"reset took {per_reset * 1e3:.1f} ms"


def test_observation_shows_queue_state(env: QuantumCloudEnv) -> None:
    obs0, _ = env.reset(seed=11)
    assert node_feature(obs0, 0, "wait") == 0.0 and node_feature(obs0, 0, "queue") == 0.0
    waits, queues = [], []
    for _ in range(8):  # pile tasks onto the slow 127-qubit node
        obs, *_ = env.step(0)
        waits.append(node_feature(obs, 0, "wait"))
        queues.append(node_feature(obs, 0, "queue"))
        assert waits[-1] == pytest.approx(env.sim.wait_times()[0] / env.cfg.time_scale,
                                          rel=1e-5)
    assert max(waits) > 0.05 and max(queues) >= 0.2  # 5 s of queue, 2 tasks on the node
    # not squashed: distinct queue states give distinct observations
    assert len({round(w, 4) for w in waits}) > 3


def test_queue_count_includes_a_task_placed_just_now() -> None:
    e = QuantumCloudEnv({"tasks": {"arrival": "uniform", "window": 0.001}})  # all at once
    e.reset(seed=2)
    e.step(0)
    assert e.sim.queue_lengths()[0] == 1 and e.sim.wait_times()[0] > 0


def test_rllib_style_seeding_is_reproducible_and_stays_in_training_keys() -> None:
    a, b = QuantumCloudEnv(), QuantumCloudEnv()
    keys_a = [a.reset(seed=3)[1]["episode_key"]] + [a.reset()[1]["episode_key"] for _ in range(20)]
    keys_b = [b.reset(seed=3)[1]["episode_key"]] + [b.reset()[1]["episode_key"] for _ in range(20)]
    assert keys_a == keys_b and len(set(keys_a)) == 21
    assert all(k < a.cfg.train_seed_limit for k in keys_a)


def test_deployed_preprocessing_equals_the_env_observation(env: QuantumCloudEnv) -> None:
    params = env.policy_params()
    obs, _ = env.reset(seed=9)
    for step in range(60):
        v = env.view()
        state = {"width": v.width, "wait": v.wait.tolist(),
                 "exec_time": [float(x) if np.isfinite(x) else 0.0 for x in v.exec_time],
                 "queue": env.sim.queue_lengths().tolist(), "reschedules": env.task_reschedules,
                 "remaining": (len(env.tasks) - env.current) / len(env.tasks)}
        np.testing.assert_array_equal(observation_from_state(state, params), obs)
        obs, _, term, trunc, _ = env.step(step % 5)
        if term or trunc:
            break


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


def test_a_looping_scheduler_never_scores_better_than_a_placing_one() -> None:
    e = QuantumCloudEnv({"max_steps": 30})
    seed = wide_task_episode(e)
    e.reset(seed=seed)
    info: dict = {}
    while "episode" not in info:
        *_, info = e.step(SMALL)
    looping = info["episode"]
    assert looping["truncated"] and looping["unplaced"] == e.cfg.tasks.per_episode
    assert looping["total_completion"] >= 29 * e.cfg.reschedule_delay


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


def test_inverse_reward_is_the_studied_one_over_total_time() -> None:
    e = QuantumCloudEnv({"reward": "inverse"})
    e.reset(seed=4)
    task = e.tasks[0]
    expected_exec = e.exec_time(task)[0]
    _, reward, *_, info = e.step(0)
    assert reward == pytest.approx(1.0 / info["completion"])
    assert info["completion"] == pytest.approx(expected_exec)  # idle node: no wait, no delay
