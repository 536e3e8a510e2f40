"""The Routing env: qgym's API, seeding, masks, truncation, rewarders, rendering."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

from qray.routing import (
    BasicInteractionGenerator,
    BasicRewarder,
    EpisodeRewarder,
    NullInteractionGenerator,
    Routing,
    SwapQualityRewarder,
)
from qray.routing.circuits.graphs import coupling_graph, parse_connection_graph

GRID3 = coupling_graph("grid-3x3")


def test_check_env_passes_with_every_observation_key() -> None:
    env = Routing(GRID3, BasicInteractionGenerator(20, seed=1), observe_connection_graph=True,
                  observe_action_mask=True, render_mode="rgb_array")
    check_env(env, skip_render_check=False)
    obs, _ = env.reset(seed=0)
    assert set(obs) == {"interaction_gates_ahead", "mapping", "is_legal_surpass",
                        "connection_graph", "action_mask"}
    assert env.action_space.n == GRID3.number_of_edges() + 1


def test_default_keys_and_padding() -> None:
    env = Routing(GRID3, NullInteractionGenerator(), max_observation_reach=4)
    obs, _ = env.reset(options={"interaction_circuit": [[0, 1], [2, 5]]})
    assert set(obs) == {"interaction_gates_ahead", "mapping", "is_legal_surpass"}
    assert obs["interaction_gates_ahead"].tolist() == [0, 1, 2, 5, 9, 9, 9, 9]
    assert obs["is_legal_surpass"].tolist() == [True, True, True, True]  # padding: True
    env.step(env.state.edges.index((1, 2)))
    # logical 1 now on physical 2 and logical 2 on 1: neither gate is executable
    assert env.state.obtain_observation()["is_legal_surpass"].tolist() == [False, False,
                                                                           True, True]
    assert obs["mapping"].tolist() == list(range(9))
    assert obs in env.observation_space


def test_connection_graph_formats_agree() -> None:
    g = nx.grid_2d_graph(3, 3)
    adj = nx.to_numpy_array(nx.convert_node_labels_to_integers(g, ordering="sorted"), dtype=int)
    edges = list(nx.convert_node_labels_to_integers(g, ordering="sorted").edges)
    def edge_set(env: Routing) -> set[frozenset[int]]:
        return {frozenset(e) for e in env.state.edges}

    for spec in (g, (3, 3), [3, 3], adj, edges):
        env = Routing(spec, NullInteractionGenerator())
        assert edge_set(env) == edge_set(Routing(GRID3, NullInteractionGenerator()))
    # actions decode in qgym's order: networkx's edges of the parsed graph
    qgym_grid = nx.convert_node_labels_to_integers(nx.grid_graph([2, 3]))
    assert Routing((2, 3)).state.edges == list(qgym_grid.edges)
    assert Routing(adj).state.edges == list(nx.from_numpy_array(adj).edges)
    with pytest.raises(ValueError, match="connected"):
        parse_connection_graph([[0, 1], [2, 3]])


def test_seeded_reset_reproduces_the_circuit() -> None:
    env = Routing(GRID3, BasicInteractionGenerator(30))
    env.reset(seed=7)
    first = env.state.interaction_circuit.copy()
    env.reset()
    second = env.state.interaction_circuit.copy()
    other = Routing(GRID3, BasicInteractionGenerator(30))
    other.reset(seed=7)
    assert np.array_equal(other.state.interaction_circuit, first)
    other.reset()
    assert np.array_equal(other.state.interaction_circuit, second)
    other.reset(seed=8)
    assert not np.array_equal(other.state.interaction_circuit, first)


def test_truncation_and_action_masks() -> None:
    env = Routing(GRID3, NullInteractionGenerator(), max_steps=5, observe_action_mask=True)
    obs, _ = env.reset(options={"interaction_circuit": [[0, 8]]})
    assert not env.action_masks()[-1] and env.action_masks()[:-1].all()
    assert obs["action_mask"].tolist() == env.action_masks().astype(int).tolist()
    for i in range(5):
        _, _, terminated, truncated, _ = env.step(0)
        assert not terminated
        assert truncated == (i == 4)
    default = Routing(GRID3, NullInteractionGenerator())
    default.reset(options={"interaction_circuit": [[0, 8]] * 3})
    assert default.step_cap == 2 * 4 * 3 + 10


def test_illegal_surpass_does_nothing_and_is_penalized() -> None:
    env = Routing(GRID3, NullInteractionGenerator())
    env.reset(options={"interaction_circuit": [[0, 8]]})
    _, reward, terminated, _, info = env.step(env.surpass_action)
    assert reward == -50 and not terminated and env.state.position == 0
    assert env.state.illegal_actions == 1 and info["Position"] == 0
    with pytest.raises(ValueError, match="action"):
        env.step(env.action_space.n)


def _play(env: Routing, actions: list[int]) -> float:
    return sum(env.step(a)[1] for a in actions)


def test_basic_reward_is_per_step_so_useless_swaps_cost() -> None:
    """The studied running score paid for padding an episode with SWAP pairs
    (return 210 -> 260); per-step rewards make each pair cost 20."""
    env = Routing(GRID3, NullInteractionGenerator())
    circuit = {"interaction_circuit": [[0, 1], [1, 2], [0, 2]]}
    e01 = env.state.edges.index((0, 1))
    surpass = env.surpass_action
    env.reset(options=circuit)
    plain = _play(env, [surpass, surpass, e01, surpass])
    env.reset(options=circuit)
    padded = _play(env, [surpass, e01, e01, surpass, e01, surpass])
    assert plain == 10 + 10 - 10 + 10
    assert padded == plain - 20


def test_swap_quality_and_episode_rewarders() -> None:
    circuit = {"interaction_circuit": [[0, 2], [0, 2]]}
    env = Routing(GRID3, NullInteractionGenerator(), max_observation_reach=2,
                  rewarder=SwapQualityRewarder())
    env.reset(options=circuit)
    e01 = env.state.edges.index((0, 1))
    # swap(0,1) makes both (0, 2) gates executable: +2 in a window of 2
    assert env.step(e01)[1] == pytest.approx(-10 + 5 * 2 / 2)
    env = Routing(GRID3, NullInteractionGenerator(), rewarder=EpisodeRewarder())
    env.reset(options=circuit)
    rewards = [env.step(a)[1] for a in (e01, env.surpass_action, env.surpass_action)]
    assert rewards == [0.0, 0.0, -10.0]
    env = Routing(GRID3, NullInteractionGenerator(), rewarder=EpisodeRewarder(), max_steps=2)
    env.reset(options=circuit)
    assert [env.step(e01)[1] for _ in range(2)] == [0.0, -10 * 2 - 50 * 2]
    assert BasicRewarder().reward_range == (-50.0, 10.0)


def test_rgb_array_render_without_display_and_no_display_import() -> None:
    env = Routing(GRID3, BasicInteractionGenerator(5, seed=0), render_mode="rgb_array")
    env.reset(seed=0)
    env.step(0)
    frame = env.render()
    assert frame.ndim == 3 and frame.shape[2] == 3 and frame.dtype == np.uint8
    assert frame.std() > 0
    code = ("import sys; import qray.routing; from qray.routing import Routing; "
            "bad = [m for m in ('pygame', 'matplotlib.pyplot', 'tkinter') if m in sys.modules];"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_observations_are_copies() -> None:
    env = Routing(GRID3, BasicInteractionGenerator(5, seed=0))
    obs, _ = env.reset(seed=0)
    obs["mapping"][:] = 0
    obs["interaction_gates_ahead"][:] = 0
    assert env.state.mapping.tolist() == list(range(9))
    assert env._obs()["interaction_gates_ahead"].tolist() != [0] * 10


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError, match="max_observation_reach"):
        Routing(GRID3, max_observation_reach=0)
    with pytest.raises(ValueError, match="render_mode"):
        Routing(GRID3, render_mode="ansi")
    with pytest.raises(TypeError, match="rewarder"):
        Routing(GRID3, rewarder=object())  # type: ignore[arg-type]
    env = Routing(GRID3, NullInteractionGenerator())
    with pytest.raises(ValueError, match="interaction_circuit"):
        env.reset(options={"interaction_circuit": [[0, 9]]})
    with pytest.raises(ValueError, match="unknown"):
        env.reset(options={"circuit": []})


def test_circuit_generator_is_reproducible_and_passes_check_env() -> None:
    from qray.routing import CircuitInteractionGenerator
    from qray.routing.circuits.benchmarks import benchmark_circuit

    circuits = [benchmark_circuit("random", 5, k, 8) for k in range(3)]
    env = Routing(GRID3, CircuitInteractionGenerator(circuits))
    check_env(env, skip_render_check=True)
    env.reset(seed=5)
    first = env.state.interaction_circuit.copy()
    env.reset()
    env.reset(seed=5)
    assert np.array_equal(env.state.interaction_circuit, first)


def test_generator_width_follows_the_graph_unless_given() -> None:
    gen = BasicInteractionGenerator(40, seed=0)
    Routing(GRID3, gen)
    env = Routing(coupling_graph("grid-5x5"), gen)
    env.reset(seed=0)
    assert env.state.interaction_circuit.max() > 8
    with pytest.raises(ValueError, match="n_qubits"):
        Routing(GRID3, BasicInteractionGenerator(5, n_qubits=10))


def test_registered_with_gymnasium() -> None:
    """``gymnasium.make("qray/Routing-v0", ...)`` builds the same env as the class, wrapped
    by Gymnasium's own checks, and steps it."""
    import gymnasium

    import qray.routing

    env = gymnasium.make(qray.routing.ENV_ID, connection_graph=(3, 3))
    assert isinstance(env.unwrapped, qray.routing.Routing)
    obs, _ = env.reset(seed=3)
    direct = qray.routing.Routing((3, 3))
    obs2, _ = direct.reset(seed=3)
    assert obs.keys() == obs2.keys()
    assert all((obs[k] == obs2[k]).all() for k in obs)
    obs, reward, terminated, truncated, info = env.step(env.action_space.n - 1)
    assert isinstance(reward, float) and not truncated
