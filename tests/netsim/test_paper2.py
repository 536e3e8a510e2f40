"""paper2 as the authors' model (specs/netsim_paper2.md): topology, swapping formula, the
per-pull model against a density-matrix simulation of the same protocol, reward bands,
seeding, and the paper's UCB."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from qray.netsim.learners.ucb_paper2 import UCBPaper2Params, paper_index
from qray.netsim.physics.paper2 import (
    FIXED_X,
    FIXED_Y,
    Paper2Params,
    identity_probability,
    link_fidelity,
    path_fidelity,
    piecewise_reward,
    swap_fidelity,
)
from tests.netsim.helpers import make_testbed, play


@pytest.fixture(scope="module")
def tb():  # noqa: ANN201
    return make_testbed("paper2")


# -- topology ----------------------------------------------------------------------------
def test_fixed_topology_links_are_the_pairs_under_10_km(tb) -> None:  # noqa: ANN001
    g = tb.graph
    assert sorted(g.nodes) == list(range(1, 16))
    xy = np.column_stack([FIXED_X, FIXED_Y])
    for a, b in itertools.combinations(range(15), 2):
        d = float(np.hypot(*(xy[a] - xy[b])))
        assert g.has_edge(a + 1, b + 1) == (d < 10.0)
        if d < 10.0:
            assert g.edges[a + 1, b + 1]["distance"] == pytest.approx(d)


def test_the_eight_paths_are_the_best_by_fidelity(tb) -> None:  # noqa: ANN001
    import networkx as nx

    assert tb.n_paths == 8
    assert tb.paths[0].nodes == (2, 9, 12, 15) and tb.paths[1].nodes == (2, 11, 15)
    assert tb.paths[0].distance == pytest.approx(18.006, abs=5e-4)
    assert tb.paths[1].distance == pytest.approx(19.094, abs=5e-4)
    assert [p.links for p in tb.paths[:2]] == [3, 2]
    # Yen under -ln w is the ranking by F_fiber: the same as ranking every simple path
    p = Paper2Params()
    every = sorted((path_fidelity([link_fidelity(tb.graph.edges[a, b]["distance"], p)
                                   for a, b in itertools.pairwise(path)]), tuple(path))
                   for path in nx.all_simple_paths(tb.graph, 2, 15, cutoff=6))
    best = [nodes for _, nodes in every[::-1][:8]]
    assert [q.nodes for q in tb.paths] == best
    assert np.all(np.diff(tb.f_fiber) <= 1e-12)
    assert ((tb.f_fiber > 0.78) & (tb.f_fiber < 0.83)).all()
    assert tb.distance_path() == 0  # the distance-based choice is the paper's path 1


def test_random_topology_is_seeded_and_connected() -> None:
    import networkx as nx

    a = make_testbed("paper2", seed=3, topology="random")
    b = make_testbed("paper2", seed=3, topology="random")
    c = make_testbed("paper2", seed=4, topology="random")
    assert nx.is_connected(a.graph) and a.graph.number_of_nodes() == 15
    assert [p.nodes for p in a.paths] == [p.nodes for p in b.paths]
    assert [p.nodes for p in a.paths] != [p.nodes for p in c.paths]
    assert max(d for _, _, d in a.graph.edges(data="distance")) < 10.0
    assert (a.f_fiber >= 0.5).all()


def test_low_fidelity_paths_are_dropped() -> None:
    kept = make_testbed("paper2", min_path_fidelity=0.8)
    assert 1 <= kept.n_paths < 8 and (kept.f_fiber >= 0.8).all()


# -- fidelity formulas -------------------------------------------------------------------
PHI = np.array([1, 0, 0, 1]) / np.sqrt(2)
PAULI = {0: np.eye(2), 1: np.array([[0, 1], [1, 0]]), 2: np.array([[0, -1j], [1j, 0]]),
         3: np.diag([1.0, -1.0])}


def werner(f: float) -> np.ndarray:
    bell = [np.kron(np.eye(2), PAULI[k]) @ PHI for k in range(4)]
    return sum((f if k == 0 else (1 - f) / 3) * np.outer(v, v.conj()) for k, v in enumerate(bell))


def test_link_fidelity_is_two_depolarized_qubits() -> None:
    p = Paper2Params()
    km = 7.3
    dep = 1 - (1 - p.p_init) * 10 ** (-p.attenuation_db_per_km * km / 2 / 10)
    rho = np.outer(PHI, PHI)
    for q in range(2):
        ops = [np.kron(PAULI[k], np.eye(2)) if q == 0 else np.kron(np.eye(2), PAULI[k])
               for k in range(4)]
        rho = (1 - dep) * rho + dep / 3 * sum(o @ rho @ o.conj().T for o in ops[1:])
    assert link_fidelity(km, p) == pytest.approx(float(np.real(PHI @ rho @ PHI)))


def test_swapping_formula() -> None:
    assert swap_fidelity(0.9, 0.8) == pytest.approx(0.9 * 0.8 + 0.1 * 0.2 / 3)
    assert swap_fidelity(1.0, 0.7) == pytest.approx(0.7)
    assert swap_fidelity(0.25, 0.9) == pytest.approx(0.25)  # the maximally mixed state
    # Werner parameters w = (4F - 1) / 3 multiply
    fs = [0.95, 0.9, 0.85]
    w = np.prod([(4 * f - 1) / 3 for f in fs])
    assert path_fidelity(fs) == pytest.approx((1 + 3 * w) / 4)
    # a swap of two Werner states by a real Bell measurement gives the same fidelity
    out = swap_dm(werner(0.9), werner(0.8), outcome=2, flips=())
    assert np.real(PHI @ out @ PHI) == pytest.approx(swap_fidelity(0.9, 0.8))


def test_identity_probability_against_enumeration() -> None:
    rng = np.random.default_rng(0)
    flips = rng.uniform(0, 0.3, size=(4, 3))
    exact = 0.0
    for combo in itertools.product(range(4), repeat=4):
        prob = np.prod([1 - f.sum() if c == 0 else f[c - 1] for f, c in zip(flips, combo,
                                                                              strict=True)])
        exact += prob * (xor_bits(combo) == (0, 0))
    assert identity_probability(flips) == pytest.approx(exact)
    assert identity_probability(np.zeros((0, 3))) == 1.0


# -- the per-pull model against a density-matrix simulation -------------------------------
BITS = {0: (0, 0), 1: (1, 0), 2: (1, 1), 3: (0, 1)}  # Pauli -> (x, z)


def xor_bits(paulis) -> tuple[int, int]:  # noqa: ANN001
    x = z = 0
    for k in paulis:
        x ^= BITS[int(k)][0]
        z ^= BITS[int(k)][1]
    return x, z


def on(rho: np.ndarray, qubit: int, op: np.ndarray, n: int = 4) -> np.ndarray:
    full = np.array([[1.0]])
    for q in range(n):
        full = np.kron(full, op if q == qubit else np.eye(2))
    return full @ rho @ full.conj().T


#: the correction on b2 that restores Phi+ after each Bell outcome of (a2, b1)
def corrections() -> dict[int, int]:
    out = {}
    for k in range(4):
        rho = swap_dm(np.outer(PHI, PHI), np.outer(PHI, PHI), outcome=k, flips=(), correct=False)
        out[k] = max(range(4), key=lambda c, r=rho: np.real(
            PHI @ on(r, 1, PAULI[c], 2) @ PHI))
    return out


def swap_dm(a: np.ndarray, b: np.ndarray, *, outcome: int, flips, correct: bool = True,  # noqa: ANN001
            bsm_error: bool = False) -> np.ndarray:
    """Bell measurement of (a2, b1) with result ``outcome`` (the Bell state (I x P_k) Phi+),
    Pauli ``flips`` as (qubit, pauli) on a1 a2 b1 b2 first, then the correction of the result
    read (its Z bit flipped by a BSM error) on b2; the state of (a1, b2)."""
    rho = np.kron(a, b)
    for qubit, pauli in flips:
        rho = on(rho, qubit, PAULI[pauli])
    bell = np.kron(np.eye(2), PAULI[outcome]) @ PHI
    proj = np.kron(np.kron(np.eye(2), np.outer(bell, bell.conj())), np.eye(2))
    rho = proj @ rho @ proj
    rho = rho.reshape([2] * 8)
    out = np.einsum("aijbcijd->abcd", rho).reshape(4, 4)
    out = out / np.trace(out)
    if correct:
        read = outcome
        if bsm_error:  # the phase bit of the result is misread
            x, z = BITS[outcome]
            read = next(k for k, v in BITS.items() if v == (x, z ^ 1))
        out = on(out, 1, PAULI[CORRECTION[read]], 2)
    return out


CORRECTION: dict[int, int] = {}
CORRECTION.update(corrections())


def swap_order(n_nodes: int) -> list[tuple[int, int, int]]:
    """(prev, node, next) of each swap in the order of the synchronized swap tree."""
    chain, out = list(range(n_nodes)), []
    while len(chain) > 2:
        out += [(chain[k - 1], chain[k], chain[k + 1]) for k in range(1, len(chain) - 1, 2)]
        chain = chain[::2] if len(chain) % 2 else [*chain[:-1:2], chain[-1]]
    return out


def simulate_pull(tb, path: int, flips: np.ndarray, rng) -> float:  # noqa: ANN001
    """One pull of the protocol on density matrices, given each flip's drawn Pauli."""
    p = tb.params
    pairs = {(i, i + 1): werner(link_fidelity(d, p)) for i, d in enumerate(tb.link_km[path])}
    for s, (prev, node, nxt) in enumerate(swap_order(len(tb.link_km[path]) + 1)):
        dl, dr, dn, bsm, gate = flips[5 * s: 5 * s + 5]
        noise = [(q, int(k)) for q, k in ((1, dl), (2, dr), (3, dn)) if k]
        out = swap_dm(pairs.pop((prev, node)), pairs.pop((node, nxt)),
                      outcome=int(rng.integers(4)), flips=noise, bsm_error=bool(bsm))
        if gate:
            out = on(out, 1, PAULI[int(gate)], 2)
        pairs[(prev, nxt)] = out
    (final,) = pairs.values()
    return float(np.real(PHI @ final @ PHI))


@pytest.mark.parametrize("path", [0, 1, 5])
def test_per_pull_model_matches_a_density_matrix_simulation(tb, path: int) -> None:  # noqa: ANN001
    rng = np.random.default_rng(path)
    n = 1500
    draws = tb.sample_flips(path, rng, n)
    assert draws.shape == (n, len(tb.flips[path]))
    fid = np.array([simulate_pull(tb, path, d, rng) for d in draws])
    ok = np.array([xor_bits(d) == (0, 0) for d in draws])
    # each pull ends at F_fiber exactly when the flips multiply to the identity
    assert np.allclose(fid[ok], tb.f_fiber[path]) and np.allclose(fid[~ok], tb.f_error[path])
    # and the closed forms are the sample's means
    p = tb.p_identity[path]
    assert ok.mean() == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / n))
    sd = fid.std() / np.sqrt(n)
    assert fid.mean() == pytest.approx(tb.mean_fidelity[path], abs=4 * sd)


def test_draws_follow_the_exact_expected_reward(tb) -> None:  # noqa: ANN001
    rng = np.random.default_rng(7)
    arm = tb.arms(1, tb.baseline[1])[0]
    r = np.array([tb.draw(1, arm, rng) for _ in range(20000)])
    assert set(np.round(np.unique(r), 9)) == {round(float(piecewise_reward(tb.f_fiber[1])), 9),
                                              round(float(piecewise_reward(tb.f_error[1])), 9)}
    assert r.mean() == pytest.approx(tb.mean_value[1], abs=4 * r.std() / np.sqrt(len(r)))
    # E[reward] = P(I) R(F_fiber) + (1 - P(I)) R((1 - F_fiber) / 3)
    p = tb.p_identity[1]
    assert tb.mean_value[1] == pytest.approx(p * piecewise_reward(tb.f_fiber[1])
                                             + (1 - p) * piecewise_reward(tb.f_error[1]))
    assert tb.mean_value[1] == pytest.approx(1.4729, rel=0.03)  # the paper's path 2
    assert tb.best_path(tb.baseline) == 1


def test_memory_waits_of_a_two_hop_path(tb) -> None:  # noqa: ANN001
    # path 2 (2-11-15): one swap at node 11; node 15's memory waits the t_q difference
    # plus the classical signal over link 11-15 and the BSM
    p = tb.params
    d1, d2 = tb.link_km[1]
    tq = np.array([d1, d2]) / 2 * 1000 / (3e8 / 1.5)
    wait = tq.max() - tq
    expect = [1 - np.exp(-p.dephasing_rate * wait[0]), 1 - np.exp(-p.dephasing_rate * wait[1]),
              1 - np.exp(-p.dephasing_rate * (wait[1] + d2 * 1000 / 3e8 + p.t_bsm_s))]
    assert tb.flips[1][:3, 2] == pytest.approx(expect)
    assert tb.flips[1][3].tolist() == [0, 0, 0.2] and tb.flips[1][4].tolist() == [0, 0.1, 0]


def test_an_odd_hop_path_follows_the_matlab_unpaired_link_line(tb) -> None:  # noqa: ANN001
    # path 1 (2-9-12-15, three links, nodes 0..3): level 1 swaps at node 1 and leaves link
    # 2-3 unpaired; the MATLAB records that level's t_c for node 2's left memory (index
    # mm-1) instead of node 3's, so node 3's left memory is padded by the whole t_c
    p = tb.params
    d1, d2, d3 = tb.link_km[0]
    tq = np.array([d1, d2, d3]) / 2 * 1000 / (3e8 / 1.5)
    w = tq.max() - tq
    tc1, tc2 = d2 * 1000 / 3e8, d3 * 1000 / 3e8  # swap at node 1 signals node 2, at 2 node 3
    tb_, td = p.t_bsm_s, p.t_d_s
    waits = [w[0], w[1], w[1] + tc1 + tb_,  # level 1: node 1's memories, node 2's left
             0.0, w[2] + tc1 + tb_ + td,  # level 2: node 2's left (padded 0), right
             w[2] + tc1 + tb_ + td + tc1 + tc2 + tb_]  # node 3's left: + t_c padding
    dephase = 1 - np.exp(-p.dephasing_rate * np.array(waits))
    assert tb.flips[0][[0, 1, 2, 5, 6, 7], 2] == pytest.approx(dephase)


def test_probability_of_no_flip_is_pinned_per_path(tb) -> None:  # noqa: ANN001
    # path 1 has three links (odd), path 2 two, path 6 four; the values follow the MATLAB
    assert [t.links for t in np.asarray(tb.paths)[[0, 1, 5]]] == [3, 2, 4]
    assert tb.p_identity[[0, 1, 5]] == pytest.approx([0.413766, 0.572671, 0.384279], abs=2e-6)
    assert tb.mean_value[[0, 1, 5]] == pytest.approx([0.838610, 1.478005, 0.387873], abs=2e-6)


# -- rewards and seeding -----------------------------------------------------------------
def test_reward_bands() -> None:
    f = np.array([0.0, 0.1, 0.25, 0.3, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0])
    want = [-1.0, -0.8, -0.25, -0.2, 0.5, 0.55, 1.2, 1.3, 2.1, 2.25, 3.2, 3.4, 4.5, 5.0]
    assert piecewise_reward(f) == pytest.approx(want)


def test_reward_options_and_range() -> None:
    fid = make_testbed("paper2", reward="fidelity")
    assert fid.reward_range == (0.0, 1.0) and fid.mean_value == pytest.approx(fid.mean_fidelity)
    pw = make_testbed("paper2")
    assert pw.reward_range == (-1.0, 5.0) and pw.fail_reward == -1.0


def test_one_uniform_per_pull_gives_common_random_numbers(tb) -> None:  # noqa: ANN001
    u = np.random.default_rng(5).random(200)
    for path in (0, 1):
        arm = tb.arms(path, tb.baseline[path])[0]
        rng = np.random.default_rng(5)
        got = np.array([tb.draw(path, arm, rng) for _ in range(200)])
        ok = u < tb.p_identity[path]
        assert np.allclose(got[ok], piecewise_reward(tb.f_fiber[path]))
        assert np.allclose(got[~ok], piecewise_reward(tb.f_error[path]))


def test_replicates_are_seeded_and_oracle_is_100_percent(tb) -> None:  # noqa: ANN001
    a = play("paper2", "UCBPaper2", horizon=600, epoch=600, seed=3, tb=tb).metrics()
    b = play("paper2", "UCBPaper2", horizon=600, epoch=600, seed=3, tb=tb).metrics()
    c = play("paper2", "UCBPaper2", horizon=600, epoch=600, seed=4, tb=tb).metrics()
    assert a["realized_reward"] == b["realized_reward"] and a["path_counts"] == b["path_counts"]
    assert a["realized_reward"] != c["realized_reward"]
    o = play("paper2", "Oracle", horizon=600, epoch=600, seed=3, tb=tb).metrics()
    assert o["efficiency"] == pytest.approx(100.0) and o["path_counts"][1] == 600


def test_gamma_grid_shares_the_replicate_seed() -> None:
    from qray.config import load_config
    from qray.netsim.workload import plan, task_specs
    from tests.netsim.test_physics import ROOT

    cfg = load_config(ROOT / "jobs/conf/netsim_paper2_table1.yaml",
                      ["runs=2", "learner_params.UCBPaper2.gamma=[1.0,2.0]"])
    p = plan(cfg)
    assert len(p.points) == 2 and p.n_tasks == 4
    specs = [s for pt in p.points for s in task_specs(pt, cfg, "x")]
    gammas = {s["params"]["learner_params"]["UCBPaper2"]["gamma"] for s in specs}
    assert gammas == {1.0, 2.0}
    seeds = {(s["params"]["learner_params"]["UCBPaper2"]["gamma"], s["params"]["replicate"]):
             s["seed"] for s in specs}
    assert seeds[(1.0, 0)] == seeds[(2.0, 0)] != seeds[(1.0, 1)]


# -- the paper's UCB -----------------------------------------------------------------------
def test_ucb_paper2_plays_each_path_once_in_order_then_the_paper_index(tb) -> None:  # noqa: ANN001
    from qray.netsim.learners.base import ArmSet
    from qray.netsim.learners.ucb_paper2 import UCBPaper2

    learner = UCBPaper2(UCBPaper2Params(gamma=2.0), 8, 100, np.random.default_rng(0))
    learner.reward_range = (-1.0, 5.0)
    learner.set_arms([ArmSet(tb.arms(p, c), np.zeros((1, 1))) for p, c in enumerate(tb.baseline)])
    raw = np.array([0.5, 3.0, -0.8, 2.0, 2.0, 0.1, 0.2, 0.3])
    for t in range(8):
        path, arm = learner.select(t)
        assert (path, arm) == (t, 0)
        learner.update(path, 0, (raw[path] + 1) / 6)
    for t in range(8, 40):
        path, _ = learner.select(t)
        idx = paper_index(raw_mean(learner), learner.path_n, t + 1, 2.0)
        assert path == int(np.flatnonzero(np.isclose(idx, idx.max()))[0])  # lowest index ties
        reward = raw[path]
        learner.update(path, 0, (reward + 1) / 6)


def raw_mean(learner) -> np.ndarray:  # noqa: ANN001
    return -1 + 6 * learner.path_s / learner.path_n


def test_ucb_paper2_learns_path_2(tb) -> None:  # noqa: ANN001
    counts = np.zeros(8)
    for seed in range(6):
        m = play("paper2", "UCBPaper2", horizon=1400, epoch=1400, seed=seed, tb=tb,
                 learner_params=UCBPaper2Params(gamma=1.0)).metrics()
        counts += m["path_counts"]
    assert counts.argmax() == 1 and counts[1] / counts.sum() > 0.6
