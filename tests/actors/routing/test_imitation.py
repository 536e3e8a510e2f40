"""Imitation before PPO on Ray: demonstrations as tasks, the clone's weights on disk, and a
PPO algorithm that starts from them (learner and env runner alike)."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("ray.rllib")

from qray.config import build  # noqa: E402
from qray.routing.train_config import RouterTrainConfig  # noqa: E402

CONFIG = {
    "maps": ["grid-3x3"], "timesteps": 200, "seed": 4,
    "env": {"mode": "front", "n_qubits": [6], "gates": [12], "shaping": 1.0},
    "imitation": {"expert": "front-search-2", "circuits": 12, "chunk": 4, "epochs": 40,
                  "lr": 0.01},
    "ppo": {"hiddens": [16], "train_batch_size": 100, "minibatch_size": 50,
            "num_epochs": 1},
    "evaluation": {"sizes": [6]},
}


def test_pretrained_weights_start_the_ppo_trial(ray_session, tmp_path) -> None:
    import torch

    from actors.routing.imitation import DATA, DONE, WEIGHTS, build_module, pretrain_maps
    from actors.routing.training import ppo_config

    cfg = build(RouterTrainConfig, {**CONFIG, "output_dir": str(tmp_path)}, prefix="")
    folder = pretrain_maps(cfg, tmp_path, ["grid-3x3"])
    report = json.loads((folder / "grid-3x3" / DONE).read_text())
    assert report["records"] > 40 and report["expert"] == "front-search-2"
    # the clone agrees with its expert far more often than a uniform pick among the SWAPs
    # the mask allows would
    with np.load(folder / "grid-3x3" / DATA) as z:
        chance = float(np.mean(1.0 / z["action_mask"].sum(axis=1)))
    assert report["train_accuracy"] > 1.3 * chance
    state = torch.load(folder / "grid-3x3" / WEIGHTS, weights_only=True)
    fresh = build_module(json.loads(json.dumps(
        {**CONFIG["env"], "coupling_map": "grid-3x3"})), [16]).state_dict()
    assert set(state) == set(fresh)
    assert any(not torch.equal(state[k], fresh[k]) for k in state)

    algo = ppo_config(cfg, coupling_map="grid-3x3", pretrained=folder).build_algo()
    try:
        learner = algo.learner_group.get_weights()["default_policy"]
        runner = algo.env_runner.module.state_dict()
        for k, v in state.items():
            np.testing.assert_array_equal(np.asarray(learner[k]), v.numpy())
            if k in runner:
                np.testing.assert_array_equal(runner[k].numpy(), v.numpy())
    finally:
        algo.stop()

    # a rerun of the same config reuses every file; its folder is untouched
    before = {p.name: p.stat().st_mtime_ns for p in (folder / "grid-3x3").iterdir()}
    pretrain_maps(cfg, tmp_path, ["grid-3x3"])
    assert before == {p.name: p.stat().st_mtime_ns for p in (folder / "grid-3x3").iterdir()}
