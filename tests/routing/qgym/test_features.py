"""The learned router's observation/mask and the lookahead baseline."""

from __future__ import annotations

import numpy as np
from gymnasium.utils.env_checker import check_env

from qray.routing import NullInteractionGenerator, Routing
from qray.routing.bridge import route
from qray.routing.circuits.graphs import coupling_graph
from qray.routing.learned.train_env import RouterEnvConfig, RoutingTrainEnv
from qray.routing.qgym.features import EdgeFeatures
from qray.routing.routers.lookahead import LookaheadPolicy


def test_mask_forces_executable_gates_and_allows_only_shortening_swaps() -> None:
    grid = coupling_graph("grid-3x3")
    env = Routing(grid, NullInteractionGenerator())
    env.reset(options={"interaction_circuit": [[0, 1], [0, 8]]})
    f = EdgeFeatures(env.state)
    mask, _ = f.compute(env.state)
    assert mask.tolist() == [0.0] * env.surpass_action + [1.0]
    env.step(env.surpass_action)
    mask, obs = f.compute(env.state)
    touching = [i for i, (u, v) in enumerate(env.state.edges) if {u, v} & {0, 8}]
    assert np.flatnonzero(mask).tolist() == touching
    e = env.state.edges.index((0, 1))
    assert obs[e] == -1  # moving logical 0 to physical 1 shortens the gate (0, 8)
    env.step(e)
    mask, obs = f.compute(env.state)
    assert mask[e] == 0 and obs[3 * f.n_edges + e] == 1  # the undo lengthens the gate
    shortening = [i for i, (u, v) in enumerate(env.state.edges)
                  if obs[i] == -1]
    assert np.flatnonzero(mask).tolist() == shortening and len(shortening) == 4


def test_masked_random_policy_always_finishes_in_gates_times_distance() -> None:
    env = RoutingTrainEnv(RouterEnvConfig(coupling_map="line-25", n_qubits=[10], gates=[50]))
    rng = np.random.default_rng(0)
    for seed in range(5):
        obs, _ = env.reset(seed=seed)
        circuit = env.routing.state.interaction_circuit
        need = int(sum(env.routing.state.distance[a, b] - 1 for a, b in circuit[:1]))
        done, steps = False, 0
        while not done:
            obs, _, term, trunc, _ = env.step(int(rng.choice(np.flatnonzero(obs["action_mask"]))))
            done, steps = term or trunc, steps + 1
            assert not trunc
        assert steps >= len(circuit) + need


def test_train_env_passes_check_env_and_is_seeded() -> None:
    env = RoutingTrainEnv(RouterEnvConfig(coupling_map="grid-3x3", n_qubits=[5], gates=[12]))
    check_env(env, skip_render_check=True)
    a, _ = env.reset(seed=3)
    b, _ = RoutingTrainEnv(env.cfg).reset(seed=3)
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_shaping_is_potential_based() -> None:
    """Shaped and plain returns of a whole episode differ by the start potential only
    (gamma = 1), so the shaping does not change which policy is best."""
    cfg = dict(coupling_map="line-5", n_qubits=[5], gates=[15], gamma=1.0)
    plain, shaped = RoutingTrainEnv(RouterEnvConfig(**cfg)), RoutingTrainEnv(
        RouterEnvConfig(**cfg, shaping=1.0))
    policy = LookaheadPolicy()
    totals = []
    for env in (plain, shaped):
        env.reset(seed=1)
        start = env._potential() if env.cfg.shaping else 0.0
        total, done = 0.0, False
        while not done:
            _, r, term, trunc, _ = env.step(policy.act(env.routing))
            total += r
            done = term or trunc
        totals.append((total, start))
    assert totals[1][0] == totals[0][0] - totals[1][1]


def test_lookahead_routes_every_circuit_without_hitting_the_cap() -> None:
    from qray.routing.circuits.benchmarks import benchmark_circuit

    for cmap in ("grid-5x5", "heavy-hex-19", "line-25"):
        for k in range(5):
            result = route(benchmark_circuit("random", 10, k), cmap, "lookahead")
            assert result.steps <= 50 + result.swaps
