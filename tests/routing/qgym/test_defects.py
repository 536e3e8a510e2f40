"""Each studied defect's scenario, shown fixed (the spec's list)."""

from __future__ import annotations

import numpy as np
from qiskit import QuantumCircuit

from qray.routing import BasicInteractionGenerator, NullInteractionGenerator, Routing
from qray.routing.bridge import insert_swaps, route
from qray.routing.circuits.graphs import coupling_graph
from qray.routing.circuits.io import interactions
from qray.routing.circuits.verify import verify

GRID3 = coupling_graph("grid-3x3")


def test_defect1_overlapping_swaps_keep_the_legality_signal_right() -> None:
    """SWAPs on (0,1) then (1,2) move logical 0 to physical 2: gate (0,1) is then on
    physical 2 and 0, not adjacent; gate (0,2) is on 2 and 1, adjacent."""
    env = Routing(GRID3, NullInteractionGenerator(), max_observation_reach=2)
    env.reset(options={"interaction_circuit": [[0, 1], [0, 2]]})
    e = env.state.edges
    env.step(e.index((0, 1)))
    obs, *_ = env.step(e.index((1, 2)))
    assert env.state.occupant.tolist()[:3] == [1, 2, 0]  # physical -> logical
    assert env.state.mapping.tolist()[:3] == [2, 0, 1]  # logical -> physical (qgym's)
    assert obs["is_legal_surpass"].tolist() == [False, True]
    assert not env.action_masks()[-1]


def test_defect1_every_surpassed_gate_is_on_adjacent_qubits() -> None:
    """3,000 allowed surpasses under random actions on the 3x3 grid, checked against a
    mapping tracked independently of the env (the studied code: 1,728 were not)."""
    env = Routing(GRID3, BasicInteractionGenerator(20, seed=3))
    rng = np.random.default_rng(0)
    env.reset(seed=0)
    holder = list(range(9))  # physical -> logical, tracked here
    surpassed = 0
    while surpassed < 3000:
        mask = env.action_masks()
        if mask[-1] and rng.random() < 0.5:
            a, b = env.state.interaction_circuit[env.state.position]
            pa, pb = holder.index(int(a)), holder.index(int(b))
            assert GRID3.has_edge(pa, pb)
            env.step(env.surpass_action)
            surpassed += 1
        else:
            edge = int(rng.integers(env.surpass_action))
            p, q = env.state.edges[edge]
            holder[p], holder[q] = holder[q], holder[p]
            env.step(edge)
        assert env.state.occupant.tolist() == holder
        if env.state.is_done():
            env.reset()
            holder = list(range(9))


def test_defect2_swaps_land_before_the_right_gates() -> None:
    """Two-qubit gates listed out of the DAG's topological order, one-qubit gates between
    them: the SWAP recorded before gate g lands right before the g-th two-qubit gate."""
    qc = QuantumCircuit(4)
    qc.cx(2, 3)
    qc.h(0)
    qc.cx(0, 1)
    qc.x(3)
    qc.cx(0, 3)  # needs SWAPs on the line 0-1-2-3
    qc.cx(1, 2)
    line = coupling_graph("line-4")
    pairs = interactions(qc)
    assert pairs.tolist() == [[2, 3], [0, 1], [0, 3], [1, 2]]
    env = Routing(line, NullInteractionGenerator())
    env.reset(options={"interaction_circuit": pairs})
    for action in (env.surpass_action, env.surpass_action, env.state.edges.index((0, 1)),
                   env.state.edges.index((1, 2)), env.surpass_action):
        env.step(action)
    assert list(env.state.swap_gates_inserted) == [(2, 0, 1), (2, 0, 2)]
    routed, final = insert_swaps(qc, env.state.swap_gates_inserted, 4)
    names = [inst.operation.name for inst in routed.data]
    assert names == ["cx", "h", "cx", "x", "swap", "swap", "cx", "cx"]
    assert final[:4] == [2, 0, 1, 3]
    for policy in ("lookahead", "sabre-1"):
        result = route(qc, line, policy)
        check = verify(qc, result, line)
        assert check.ok and check.operator is True, (policy, check.problems)


def test_defect3_seeded_resets_reproduce_episodes() -> None:
    a, b = Routing(GRID3), Routing(GRID3)
    obs_a, _ = a.reset(seed=11)
    obs_b, _ = b.reset(seed=11)
    assert np.array_equal(a.state.interaction_circuit, b.state.interaction_circuit)
    assert all(np.array_equal(obs_a[k], obs_b[k]) for k in obs_a)


def test_defect5_steps_update_state_in_place() -> None:
    """No per-step copy of the state (the studied env deep-copied it every step)."""
    env = Routing(GRID3, BasicInteractionGenerator(10, seed=0))
    env.reset(seed=0)
    state, circuit = env.state, env.state.interaction_circuit
    for _ in range(20):
        env.step(0)
    assert env.state is state and env.state.interaction_circuit is circuit
