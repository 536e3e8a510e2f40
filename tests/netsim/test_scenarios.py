"""Attack scenarios; the adaptive ones must see the learner's choices."""

from __future__ import annotations

import numpy as np
import pytest

from qray.netsim.learners.base import Learner
from qray.netsim.registry import LEARNERS, load
from qray.netsim.runner import Experiment, run
from tests.netsim.helpers import make_testbed


class AlwaysPathZero(Learner):
    """A learner that always plays arm 0 of path 0."""

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        return 0, 0


@pytest.fixture
def path_zero_learner(monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setitem(LEARNERS, "PathZero", "tests.netsim.test_scenarios:AlwaysPathZero")
    load.cache_clear()
    yield "PathZero"
    load.cache_clear()


@pytest.mark.parametrize("scenario", ["adaptive", "onlineadaptive", "huang_adaptive"])
def test_adaptive_scenarios_attack_the_learners_path(scenario: str, path_zero_learner: str) -> None:
    tb = make_testbed("default")
    m = run(tb, Experiment("Default", scenario, path_zero_learner, 3000, 500, 3)).metrics()
    denied = np.array(m["denied_counts"])
    assert denied[0] > 1.3 * denied[1:].max(), denied
    if scenario == "adaptive":  # 0.25 + 0.5 * 1.0 on path 0, 0.25 elsewhere
        assert denied[0] / 3000 == pytest.approx(0.75, abs=0.03)
        assert denied[1:].mean() / 3000 == pytest.approx(0.25, abs=0.03)


@pytest.mark.parametrize("scenario", ["none", "stochastic", "markov", "huang_markov"])
def test_oblivious_scenarios_ignore_the_learner(scenario: str, path_zero_learner: str) -> None:
    tb = make_testbed("default")
    a = run(tb, Experiment("Default", scenario, path_zero_learner, 2000, 500, 3))
    b = run(tb, Experiment("Default", scenario, "Random", 2000, 500, 3))
    assert (a.masks == b.masks).all()  # same seed, same attacks whatever the learner does


def test_scenario_rates() -> None:
    tb = make_testbed("default")
    stoch = run(tb, Experiment("Default", "stochastic", "Random", 8000, 500, 2)).masks
    assert (~stoch).mean() == pytest.approx(0.0625, abs=0.01)
    huang = run(tb, Experiment("Default", "huang_markov", "Random", 2000, 500, 2)).masks
    assert ((~huang).sum(axis=1) == 1).all()  # exactly one path per slot
    stays = (np.argmin(huang[1:], axis=1) == np.argmin(huang[:-1], axis=1)).mean()
    assert stays == pytest.approx(0.7, abs=0.04)
    markov = run(tb, Experiment("Default", "markov", "Random", 8000, 500, 2)).masks
    keep = (markov[1:] == markov[:-1]).mean()
    assert keep == pytest.approx(0.7, abs=0.02)


def test_huang_adaptive_denies_the_previous_choice() -> None:
    tb = make_testbed("default")
    r = run(tb, Experiment("Default", "huang_adaptive", "Random", 500, 500, 4))
    prev = r.paths[:-1]
    assert (~r.masks[np.arange(1, 500), prev]).all()
    assert ((~r.masks).sum(axis=1) == 1).all()
