"""Learners: the Oracle is 100 %, nobody beats it, UCB1 finds paper2's best path."""

from __future__ import annotations

import numpy as np
import pytest

from qray.netsim.learners.base import ArmSet
from qray.netsim.registry import LEARNERS, load
from tests.netsim.helpers import make_testbed, play


@pytest.mark.parametrize("model", ["default", "paper2", "paper7", "paper8", "paper12"])
def test_oracle_is_100_percent_and_every_learner_at_most(model: str) -> None:
    tb = make_testbed(model)
    for scenario in ("none", "markov", "adaptive"):
        for learner in LEARNERS:
            m = play(model, learner, scenario=scenario, horizon=600, epoch=200, tb=tb,
                     allocator="Dynamic").metrics()
            if learner == "Oracle":
                assert m["efficiency"] == pytest.approx(100.0)
                assert m["regret"] == pytest.approx(0.0, abs=1e-9)
            else:
                assert m["efficiency"] <= 100.0 + 1e-9, (model, scenario, learner)
                assert m["regret"] >= -1e-9


def test_ucb1_on_paper2_converges_to_the_best_path() -> None:
    from qray.netsim.learners.ucb1 import UCB1Params

    tb = make_testbed("paper2")
    for seed in (1, 2, 3):
        # c = 2 on rewards rescaled from [-1, 5] is the paper's gamma = 6 (see UCBPaper2)
        m = play("paper2", "UCB1", horizon=12000, seed=seed, tb=tb,
                 learner_params=UCB1Params(c=0.25)).metrics()
        assert m["final_path"] == m["best_path"] == tb.best_path(tb.baseline)
        assert m["final_path_share"] > 0.9
        assert m["efficiency"] > 90
    # the learned path is at least as good as the shortest-distance one
    def value(p: int) -> float:
        return float(tb.expected(p, tb.arms(p, tb.baseline[p])).max())

    dist = tb.distance_path()
    assert value(tb.best_path(tb.baseline)) >= value(dist)


def test_oracle_has_no_frame_cap() -> None:
    # the studied Oracle stopped at 10,000 frames
    m = play("default", "Oracle", scenario="huang_markov", horizon=15000).metrics()
    assert m["efficiency"] == pytest.approx(100.0)
    assert sum(m["path_counts"]) == 15000 and m["denied_choices"] == 0


@pytest.mark.parametrize("learner", ["EpsilonGreedy", "ThompsonSampling", "LinUCB", "EXPUCB",
                                     "GNeuralUCB", "EXPNeuralUCB"])
def test_learners_beat_random_without_attacks(learner: str) -> None:
    tb = make_testbed("default")
    rand = np.mean([play("default", "Random", horizon=3000, seed=s, tb=tb).metrics()["efficiency"]
                    for s in (1, 2)])
    eff = np.mean([play("default", learner, horizon=3000, seed=s, tb=tb).metrics()["efficiency"]
                   for s in (1, 2)])
    assert eff > rand + 20, (learner, eff, rand)


def test_flat_learners_keep_arm_statistics_across_reallocations() -> None:
    cls = load("learners", "UCB1")
    learner = cls(cls.Params(), 2, 100, np.random.default_rng(0))
    a = np.array([[1, 1], [2, 0]])
    b = np.array([[2, 0], [0, 2]])
    ctx = np.zeros((2, 3))
    learner.set_arms([ArmSet(a, ctx), ArmSet(a, ctx)])
    learner.update(0, 1, 1.0)  # path 0, split (2, 0)
    learner.set_arms([ArmSet(b, ctx), ArmSet(b, ctx)])
    assert learner.n.tolist() == [1, 0, 0, 0] and learner.s[0] == 1.0


def test_neural_learners_replay_capacity_follows_scale() -> None:
    tb = make_testbed("default")
    from qray.netsim.runner import Experiment, make_components

    _, _, learner, _ = make_components(tb, Experiment("Default", "none", "GNeuralUCB", 1000, 500,
                                                      1, scale=0.5))
    arms = [ArmSet(tb.arms(p, c), tb.context(p, tb.arms(p, c))) for p, c in enumerate(tb.baseline)]
    learner.set_arms(arms)
    assert learner.inner.models[0].capacity == 500
