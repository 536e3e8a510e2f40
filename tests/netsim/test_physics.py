"""The physics models' numbers (spec: netsim.md, Physics models)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qray.errors import ConfigError
from qray.netsim.physics.paper2 import piecewise_reward
from qray.netsim.physics.paper2_port import RANDOM_ERRORS
from qray.netsim.physics.paper8 import purify, rounds_for, swap
from tests.netsim.helpers import make_testbed, play

ROOT = Path(__file__).resolve().parents[2]


def best_arms(tb) -> list[float]:  # noqa: ANN001
    return [float(tb.expected(p, tb.arms(p, c)).max()) for p, c in enumerate(tb.baseline)]


def test_default_best_arm_rewards_at_4000_attempts() -> None:
    tb = make_testbed("default")
    assert tb.baseline == (8, 10, 8, 9)
    assert [p.links for p in tb.paths] == [2, 2, 3, 3]
    assert best_arms(tb) == pytest.approx([0.827, 0.748, 0.660, 0.582], abs=1e-3)
    # arms are every split of the capacity, zeros allowed: 8 over 2 links -> 9 arms
    assert len(tb.arms(0, 8)) == 9 and (tb.arms(0, 8).sum(axis=1) == 8).all()


def test_default_with_the_studied_codes_100_attempts_is_degenerate() -> None:
    # the studied code's A = 100 made every reward about 0.003 (the bug the spec names)
    assert max(best_arms(make_testbed("default", attempts=100))) < 0.01


def test_paper2_port_topology_structure() -> None:
    tb = make_testbed("paper2_port", seed=0)
    g = tb.graph
    assert g.number_of_nodes() == 15
    pos = {v: np.array(g.nodes[v]["pos"]) for v in g}
    assert all(0 <= c <= 20 for p in pos.values() for c in p)
    for a, b in itertools.combinations(g.nodes, 2):
        d = float(np.hypot(*(pos[a] - pos[b])))
        assert g.has_edge(a, b) == (d <= 10.0)  # an edge exactly when <= 10 km apart
        if g.has_edge(a, b):
            assert g.edges[a, b]["distance"] == pytest.approx(d)
    assert tb.n_paths == 8
    assert all(p.nodes[0] == 1 and p.nodes[-1] == 14 for p in tb.paths)
    assert len({p.nodes for p in tb.paths}) == 8
    assert all(len(set(p.nodes)) == len(p.nodes) for p in tb.paths)  # simple paths
    distances = [p.distance for p in tb.paths]
    assert distances == sorted(distances)  # the 8 shortest by distance, in order
    assert tb.distance_path() == 0


def test_paper2_port_fidelity_is_the_product_of_link_terms() -> None:
    tb = make_testbed("paper2_port", seed=0)
    path = 2
    u = np.random.default_rng(5).random((1, tb.paths[path].links, len(RANDOM_ERRORS)))
    got = tb.fidelity_samples(path, np.random.default_rng(5))[0]
    expected = 1.0
    for j, km in enumerate(tb.link_km[path]):
        loss = 1 - 10 ** (-0.2 * km / 10)
        dephase = 1 - np.exp(-1e4 * (km * 1000 / 2e8 + 10e-9 + 10e-9))
        extra = sum(e * (u[0, j, k] < p) for k, (e, p) in enumerate(RANDOM_ERRORS))
        expected *= 1 - (loss + dephase + extra)
    assert got == pytest.approx(expected)
    # the exact expectation matches a large sample
    many = tb.fidelity_samples(path, np.random.default_rng(1), 200_000)
    assert tb.mean_fidelity[path] == pytest.approx(many.mean(), rel=2e-3)


def test_paper2_piecewise_reward() -> None:
    f = np.array([0.1, 0.3, 0.55, 0.65, 0.75, 0.85, 0.95, 1.0])
    want = [-0.8, -0.2, 0.55, 1.3, 2.25, 3.4, 4.75, 5.0]
    assert piecewise_reward(f) == pytest.approx(want)
    # the breakpoints belong to the interval above them
    edges = np.array([0.0, 0.25, 0.5, 0.6, 0.7, 0.8, 0.9])
    assert piecewise_reward(edges) == pytest.approx([-1.0, -0.25, 0.5, 1.2, 2.1, 3.2, 4.5])


def test_paper2_port_piecewise_failure_is_the_worst_outcome() -> None:
    tb = make_testbed("paper2_port", reward="piecewise")
    assert tb.fail_reward == -1.0 and tb.reward_range[0] == -1.0
    for p, cap in enumerate(tb.baseline):
        arms = tb.arms(p, cap)
        deliver = (1 - 0.3**arms).prod(axis=1)
        # delivering more often never lowers the expected reward
        order = np.argsort(deliver)
        assert np.all(np.diff(tb.expected(p, arms)[order]) >= -1e-12)


def test_paper2_port_async_swapping_adds_memory_decay() -> None:
    sync, asyn = make_testbed("paper2_port"), make_testbed("paper2_port", swap="async", swap_delay_s=0.01, t2_s=1.0)
    hops = sync.paths[0].links
    assert asyn.mean_fidelity[0] == pytest.approx(sync.mean_fidelity[0] * np.exp(-hops * 0.01))


def test_paper12_rewards_are_drawn_per_frame() -> None:
    tb = make_testbed("paper12")
    arm = tb.arms(0, tb.baseline[0])[0]
    p = float(tb.success(0, arm[None, :])[0])
    rng = np.random.default_rng(3)
    draws = np.array([tb.draw(0, arm, rng) for _ in range(4000)])
    assert set(np.unique(draws)) == {0.0, 1.0}  # Bernoulli, not a fixed value
    assert draws.mean() == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / 4000))
    assert tb.info["chained_components"] >= 0
    # F = prod [1 - (1 - p_e)^q] * q_f^(hops - 1)
    hops = tb.paths[0].links
    want = np.prod(1 - (1 - tb.edge_p[0]) ** arm) * 0.9 ** (hops - 1)
    assert p == pytest.approx(want)


def test_paper12_topology_is_seeded() -> None:
    a, b, c = make_testbed("paper12", seed=4), make_testbed("paper12", seed=4), make_testbed("paper12", seed=5)
    assert [p.nodes for p in a.paths] == [p.nodes for p in b.paths]
    assert [p.nodes for p in a.paths] != [p.nodes for p in c.paths]


def test_paper8_purification_and_swap_formulas() -> None:
    f, ok = purify(0.8, 1)
    assert f == pytest.approx(0.64 / 0.68) and ok == pytest.approx(0.68)
    f2, ok2 = purify(0.8, 2)
    assert f2 == pytest.approx(f**2 / (f**2 + (1 - f) ** 2))
    assert ok2 == pytest.approx(0.68 * (f**2 + (1 - f) ** 2))
    assert swap(0.9, 0.9) == pytest.approx(0.25 + (3.6 - 1) ** 2 / 12)
    assert swap(1.0, 0.7) == pytest.approx(0.7)
    assert rounds_for(np.array([1, 2, 3, 4, 7, 8])).tolist() == [0, 1, 1, 2, 2, 3]
    tb = make_testbed("paper8")
    arm = tb.arms(0, tb.baseline[0])[0]
    fe, pok = tb.fidelity(0, arm[None, :])
    pf, pp = purify(tb.edge_f[0], rounds_for(arm))
    end = pf[0]
    for x in pf[1:]:
        end = swap(end, x)
    assert fe[0] == pytest.approx(end) and pok[0] == pytest.approx(np.prod(pp))


def test_paper7_paths_match_the_allocator_and_rewards_follow_hops() -> None:
    tb = make_testbed("paper7")
    assert tb.n_paths == 15 == len(tb.baseline) == len(tb.min_capacity)
    for p, base in zip(tb.paths, tb.base, strict=True):
        hops, degree, length = p.features
        assert hops == p.links and base == max(0.1, 10 - hops)
    row = play("paper7", "Random", horizon=600, allocator="Dynamic", tb=tb).metrics()
    assert all(len(c) == 15 for c in row["alloc_capacities"])


def test_paper7_edge_list_loader(tmp_path: Path) -> None:
    edges = tmp_path / "as.txt"
    lines = ["# FromNodeId\tToNodeId"] + [f"{a}\t{b}" for a in range(12) for b in range(a + 1, 12)
                                          if (a + b) % 3 == 0 or b == a + 1]
    edges.write_text("\n".join(lines))
    tb = make_testbed("paper7", edge_list=str(edges), k=2)
    assert tb.info["nodes"] == 12 and tb.n_paths == 6
    with pytest.raises(ConfigError, match=r"models\.paper7\.edge_list"):
        make_testbed("paper7", edge_list=str(tmp_path / "missing.txt"))


@pytest.mark.parametrize(("data", "message"), [
    (b"1 2\n2 3\xff\n", r"line 2 is not UTF-8 text \(byte 0xff at column 4\)"),
    (b"\xef\xbb\xbf1 2\n\xe9 3\n", r"line 2 is not UTF-8 text \(byte 0xe9 at column 1\)"),
    (b"# header\n1\t2\n\n42\n", r"line 4 has 1 field \('42'\) where an edge needs two"),
    (b"1 2\n\x00\x01\n", r"line 2 holds a NUL byte"),
    (b"# nothing\n3 3\n", r"no edges in"),
])
def test_paper7_bad_edge_lists_name_the_file_and_line(tmp_path: Path, data: bytes,
                                                     message: str) -> None:
    from qray.netsim.physics.paper7 import read_edges

    path = tmp_path / "as.txt"
    path.write_bytes(data)
    with pytest.raises(ConfigError, match=r"'models\.paper7\.edge_list': " + message) as err:
        read_edges(path)
    assert str(path) in str(err.value) and "allowed: a UTF-8 text file" in str(err.value)


def test_paper7_edge_list_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import qray.netsim.physics.paper7 as paper7

    path = tmp_path / "as.txt"
    path.write_text("\n".join(f"{i} {i + 1}" for i in range(20)))
    assert len(paper7.read_edges(path)) == 20
    monkeypatch.setattr(paper7, "MAX_EDGES", 10)
    with pytest.raises(ConfigError, match=r"more than 10 edges \(line 11\)"):
        paper7.read_edges(path)
    monkeypatch.setattr(paper7, "MAX_EDGE_LIST_BYTES", 2**20)
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(2 * 2**20)
    with pytest.raises(ConfigError, match=r"edge_list'.*too large \(2.0 MiB\).*at most 1 MiB"):
        paper7.Paper7Params(edge_list=str(big))


def test_paper7_sizes_are_checked_before_building() -> None:
    from qray.netsim.physics.paper7 import Paper7Params

    with pytest.raises(ConfigError, match=r"'models.paper7.n_nodes': out of range 100000000"):
        Paper7Params(n_nodes=100_000_000)
    with pytest.raises(ConfigError, match=r"'models.paper7.m'.*1\.\.10 .*1,000,000 edges"):
        Paper7Params(n_nodes=100_000, m=11)
    with pytest.raises(ConfigError, match=r"'models.paper7.k'.*1\.\.1 .*45 pairs"):
        Paper7Params(n_isps=10, k=2)


def test_too_few_qubits_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"models\.paper2\.total_qubits.*at least"):
        make_testbed("paper2", total_qubits=5)


SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from tests.netsim.helpers import play
out = {{}}
for model in ["default", "paper2", "paper7", "paper8", "paper12"]:
    m = play(model, "EXPNeuralUCB", scenario="markov", allocator="ThompsonSampling",
             horizon=600, epoch=200, seed=11).metrics()
    out[model] = [m["reward"], m["realized_reward"], m["path_counts"], m["alloc_capacities"]]
print(json.dumps(out))
"""


def test_seeded_results_identical_across_two_processes() -> None:
    outs = [subprocess.run([sys.executable, "-c", SCRIPT.format(root=str(ROOT))],
                           capture_output=True, text=True, check=True, timeout=300).stdout
            for _ in range(2)]
    assert outs[0] == outs[1]
    data = json.loads(outs[0])
    here = play("paper2", "EXPNeuralUCB", scenario="markov", allocator="ThompsonSampling",
                horizon=600, epoch=200, seed=11).metrics()
    assert data["paper2"][0] == here["reward"] and data["paper2"][2] == here["path_counts"]
