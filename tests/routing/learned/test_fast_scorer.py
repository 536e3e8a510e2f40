"""The NumPy copy of an exported edge scorer equals the TorchScript module, or is refused."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from actors.routing.module import EdgeScorer  # noqa: E402
from qray.routing.learned.fast_scorer import numpy_scorer  # noqa: E402
from qray.routing.qgym.features import GLOBAL, PER_EDGE  # noqa: E402


def _traced(module: torch.nn.Module, n_edges: int) -> torch.jit.ScriptModule:
    mask = torch.ones(2, n_edges + 1)
    obs = torch.randn(2, PER_EDGE * n_edges + GLOBAL)
    return torch.jit.trace(module.eval(), (mask, obs), check_trace=False)


def test_the_copy_scores_as_the_module_does() -> None:
    torch.manual_seed(1)
    n = 12
    model = _traced(EdgeScorer(n, [16, 8]), n)
    fast = numpy_scorer(model, n)
    assert fast is not None
    rng = np.random.default_rng(3)
    mask = (rng.random((50, n + 1)) < 0.5).astype(np.float32)
    mask[:, 0] = 1.0
    obs = rng.normal(size=(50, PER_EDGE * n + GLOBAL)).astype(np.float32)
    want = model(torch.from_numpy(mask), torch.from_numpy(obs)).detach().numpy()
    got = fast(mask, obs)
    np.testing.assert_allclose(got[mask > 0], want[mask > 0], rtol=1e-4, atol=1e-5)
    assert (got.argmax(1) == want.argmax(1)).all()
    assert (got[mask == 0] < -1e30).all()


class _Doubled(EdgeScorer):
    """The edge scorer's parameters, but another function of them."""

    def forward(self, mask: torch.Tensor, observations: torch.Tensor) -> torch.Tensor:
        return 2.0 * super().forward(mask, observations)


class _Other(torch.nn.Module):
    def __init__(self, n: int) -> None:
        super().__init__()
        self.lin = torch.nn.Linear(PER_EDGE * n + GLOBAL, n + 1)

    def forward(self, mask: torch.Tensor, observations: torch.Tensor) -> torch.Tensor:
        return self.lin(observations) + torch.log(mask)


@pytest.mark.parametrize("make", [_Doubled, _Other], ids=["same-names", "other-layout"])
def test_a_module_it_does_not_reproduce_keeps_torchscript(make: type) -> None:
    n = 6
    module = make(n, [8, 8]) if make is _Doubled else make(n)
    assert numpy_scorer(_traced(module, n), n) is None


@pytest.mark.parametrize("cmap", ["grid-5x5", "heavy-hex-19"])
def test_the_live_features_are_the_dense_ones_on_the_allowed_edges(cmap: str) -> None:
    from qray.routing.circuits.benchmarks import random_pairs
    from qray.routing.circuits.graphs import coupling_graph
    from qray.routing.front.features import FrontFeatures
    from qray.routing.front.state import FrontLayerState, FrontTopology

    topo = FrontTopology(coupling_graph(cmap))
    features = FrontFeatures(topo, window=10, decay=0.5)
    n_e = len(topo.edges)
    rng = np.random.default_rng(0)
    checked = 0
    for key in range(5):
        state = FrontLayerState(topo, random_pairs(12, 40, key))
        while not state.is_done():
            mask, obs = features.compute(state)
            cand, feats, glob = features.compute_live(state)
            allowed = np.flatnonzero(mask[:n_e] > 0)
            assert cand.tolist() == allowed.tolist()
            dense = obs[:PER_EDGE * n_e].reshape(PER_EDGE, n_e).T[cand]
            np.testing.assert_allclose(feats, dense, rtol=1e-6, atol=1e-7)
            np.testing.assert_allclose(glob, obs[PER_EDGE * n_e:], rtol=1e-6)
            checked += 1
            state.swap(int(rng.choice(allowed)))
    assert checked > 100


def test_policy_search_routes_the_same_with_and_without_the_copy(tmp_path) -> None:
    from types import SimpleNamespace

    from qray.routing.bridge import route
    from qray.routing.circuits.benchmarks import benchmark_circuit
    from qray.routing.circuits.graphs import coupling_graph
    from qray.routing.front.router import FrontLayerRouter
    from qray.routing.learned.scorer import PolicyScorer

    torch.manual_seed(0)
    graph = coupling_graph("grid-3x3")
    n = graph.number_of_edges()
    model = _traced(EdgeScorer(n, [16, 16]), n)
    fast = numpy_scorer(model, n)
    assert fast is not None

    def scores(mask: np.ndarray, obs: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model(torch.from_numpy(mask), torch.from_numpy(obs)).numpy()

    meta = {"params": {"window": 10, "decay": 0.5}}
    slow = SimpleNamespace(meta=meta, scores=scores, fast=None)
    quick = SimpleNamespace(meta=meta, scores=scores, fast=fast)
    for key in range(3):
        qc = benchmark_circuit("random", 8, 10_000_000 + key, gates=20)
        a = route(qc, graph, FrontLayerRouter(2, scorer=PolicyScorer(slow)))
        b = route(qc, graph, FrontLayerRouter(2, scorer=PolicyScorer(quick)))
        assert a.swaps == b.swaps
        assert a.final_layout == b.final_layout
