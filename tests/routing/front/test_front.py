"""Front-layer routing: the DAG state, the env, the circuit writer, the routers; every
routed circuit verified."""

from __future__ import annotations

import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env
from qiskit import QuantumCircuit

from qray.errors import ConfigError
from qray.routing.bridge import route
from qray.routing.circuits.graphs import coupling_graph
from qray.routing.circuits.verify import verify
from qray.routing.front.env import FrontLayerRouting
from qray.routing.front.state import FrontLayerState, FrontTopology
from qray.routing.front.writer import front_dag
from qray.routing.qgym.generators import BasicInteractionGenerator
from qray.routing.routers import make_router

LINE4 = coupling_graph("line-4")
GRID3 = coupling_graph("grid-3x3")


def test_front_layer_runs_commuting_gates_out_of_circuit_order() -> None:
    """On the line 0-1-2-3: (0, 3) waits, (1, 2) behind it on no shared qubit runs at once;
    one SWAP later (0, 3) has become executable... and ran."""
    state = FrontLayerState(FrontTopology(LINE4), [[0, 2], [1, 2], [2, 3]])
    assert state.done_count == 0 and sorted(state.front) == [0]  # (1,2) waits on (0,2)
    state = FrontLayerState(FrontTopology(LINE4), [[0, 3], [1, 2]])
    assert state.done_count == 1 and state.front == [0]  # (1, 2) ran, (0, 3) waits
    edge = state.topo.edges.index((0, 1))
    assert state.swap(edge) == 0  # 0 now on physical 1: (0, 3) is at distance 2
    assert state.swap(state.topo.edges.index((2, 3))) == 1 and state.is_done()
    assert [e[0] for e in state.events] == ["gate", "swap", "swap", "gate"]


def test_front_gates_are_disjoint_and_a_barrier_orders_gates() -> None:
    qc = QuantumCircuit(4)
    qc.cx(0, 1)
    qc.barrier(1, 2)
    qc.cx(2, 3)  # after the barrier: waits for cx(0, 1), which shares no qubit with it
    pairs, preds = front_dag(qc)
    assert pairs.tolist() == [[0, 1], [2, 3]] and preds == [[], [0]]
    rng = np.random.default_rng(0)
    for _ in range(50):
        pairs = [rng.choice(9, 2, replace=False) for _ in range(30)]
        state = FrontLayerState(FrontTopology(GRID3), pairs)
        qubits = state.pairs[state.front].reshape(-1)
        assert len(set(qubits.tolist())) == len(qubits)


def _circuit(n: int, gates: int, seed: int, *, extras: bool = False) -> QuantumCircuit:
    rng = np.random.default_rng(seed)
    qc = QuantumCircuit(n, n if extras else 0)
    for i in range(gates):
        a, b = (int(x) for x in rng.choice(n, 2, replace=False))
        qc.rz(0.1 * i, a)
        qc.cx(a, b)
        if extras and i == gates // 2:
            qc.barrier(range(n // 2))
            qc.measure(a, a)
    return qc


@pytest.mark.parametrize("router", ["front-greedy", "front-search-2"])
def test_routed_circuits_verify_with_the_operator(router: str) -> None:
    for seed in range(4):
        qc = _circuit(7, 25, seed, extras=seed == 3)
        result = route(qc, "grid-3x3", router)
        verdict = verify(qc, result, "grid-3x3", operator_max_qubits=9)
        assert verdict.ok, verdict.problems
        assert verdict.operator in (True, None) and (seed == 3 or verdict.operator)
        assert result.router == router


def test_search_needs_fewer_swaps_than_greedy_and_no_more_than_sabre_20() -> None:
    circuits = [_circuit(10, 40, 10_000 + s) for s in range(6)]
    swaps = {r: np.mean([route(c, "grid-5x5", r).swaps for c in circuits])
             for r in ("front-greedy", "front-search-4", "sabre-20")}
    assert swaps["front-search-4"] <= swaps["front-greedy"]
    assert swaps["front-search-4"] <= swaps["sabre-20"] * 1.05, swaps


def test_router_names() -> None:
    assert make_router("front-greedy").name == "front-greedy"
    assert make_router("front-search-3").width == 3
    for bad in ("front-search-0", "front-search-x", "front-"):
        with pytest.raises(ConfigError, match="front-search-<width>"):
            make_router(bad)


def test_front_layer_env_passes_check_env_and_finishes_with_masked_actions() -> None:
    env = FrontLayerRouting(GRID3, BasicInteractionGenerator(20, seed=1), lookahead=5)
    check_env(env)
    rng = np.random.default_rng(0)
    obs, _ = env.reset(seed=3)
    again = FrontLayerRouting(GRID3, BasicInteractionGenerator(20, seed=1), lookahead=5)
    assert np.array_equal(again.reset(seed=3)[0]["front"], obs["front"])
    done, steps = env.state.is_done(), 0
    while not done:
        action = int(rng.choice(np.flatnonzero(obs["action_mask"])))
        obs, reward, done, truncated, info = env.step(action)
        assert reward == -1.0 and not truncated
        steps += 1
    assert info["gates_done"] == info["num_gates"] and info["swaps"] == steps
    with pytest.raises(ValueError, match="unknown"):
        env.reset(options={"circuit": []})


def test_front_training_env_masks_the_surpass_and_finishes() -> None:
    from qray.routing.learned.train_env import RoutingTrainEnv

    env = RoutingTrainEnv({"coupling_map": "grid-3x3", "mode": "front", "n_qubits": [6],
                           "gates": [15], "shaping": 1.0})
    check_env(env)
    rng = np.random.default_rng(1)
    for episode in range(5):
        obs, _ = env.reset(seed=episode)
        done = False
        while not done:
            assert obs["action_mask"][-1] == 0 and obs["action_mask"].any()
            action = int(rng.choice(np.flatnonzero(obs["action_mask"])))
            obs, _, terminated, truncated, _ = env.step(action)
            done = terminated or truncated
        assert terminated


def test_front_policy_routes_greedily_and_with_search(tmp_path) -> None:
    from tests.routing.policies import write_policy

    write_policy(tmp_path / "p", "grid-3x3", front=True)
    greedy = make_router(f"policy:{tmp_path / 'p'}", GRID3)
    search = make_router(f"policy-search-3:{tmp_path / 'p'}", GRID3, search_horizon=8)
    assert greedy.name == "ppo" and search.name == "ppo-search-3"
    assert search.model_digest == greedy.model_digest
    default = make_router(f"policy-search:{tmp_path / 'p'}", GRID3)
    assert default.name == "ppo-search-4" and default.width == 4
    for seed in range(3):
        qc = _circuit(8, 20, 50 + seed)
        for router in (greedy, search):
            result = route(qc, "grid-3x3", router)
            assert verify(qc, result, "grid-3x3", operator_max_qubits=9).ok
    write_policy(tmp_path / "q", "grid-3x3")  # a qgym-mode policy cannot search
    with pytest.raises(ConfigError, match="front-layer policy"):
        make_router(f"policy-search-3:{tmp_path / 'q'}", GRID3)


def test_eval_config_plans_policy_search_rows(tmp_path) -> None:
    from qray.config import build
    from qray.routing.config import RoutingConfig
    from qray.routing.workload import plan
    from tests.routing.policies import write_policy

    write_policy(tmp_path / "p", "grid-3x3", front=True)
    cfg = build(RoutingConfig, {"routers": ["sabre-1"], "maps": ["grid-3x3"],
                                "policies": {"grid-3x3": str(tmp_path / "p")},
                                "search_widths": [2], "search_horizon": 4, "instances": 2,
                                "sizes": [6], "output_dir": str(tmp_path)}, prefix="")
    routers = {p.params["router"]: p.params for p in plan(cfg).points}
    assert set(routers) == {"sabre-1", "ppo", "ppo-search-2"}
    assert routers["ppo-search-2"]["search_width"] == 2
    assert routers["ppo-search-2"]["search_horizon"] == 4
    for bad in ({"search_widths": [0]}, {"search_horizon": 0}):
        with pytest.raises(ConfigError, match="search_"):
            build(RoutingConfig, {"maps": ["grid-3x3"], "output_dir": str(tmp_path), **bad},
                  prefix="")
