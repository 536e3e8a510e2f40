"""Sweep ids and task ids of the shipped presets are pinned: a refactor that changes them
would make every existing result folder rerun from scratch. (Changing what a task
measures changes its id on purpose; then update the pins and say so in the README.)

A simulator task's id holds its backend library's version (a new version is a new
measurement), so the pins are computed with every backend's version fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from actors.runtime.binding import get_binding
from qray.config import load_config
from qray.routing.circuits.benchmarks import mqt_available

CONF = Path(__file__).resolve().parents[1] / "jobs" / "conf"


@pytest.fixture(autouse=True)
def fixed_versions(monkeypatch) -> None:
    from qray.simulators.backends.base import Backend

    monkeypatch.setattr(Backend, "version", lambda self: "pinned")

# preset -> (sweep id, tasks, smallest task id prefix, largest task id prefix)
PINNED = {
    "simulators": ("simulators-34160710", 336, "00a59abf1eab8eaa", "fc5707980f741075"),
    "ci_small": ("ci_small-96146fc2", 16, "09f0423ee4be3915", "db30a3bc8687ad3a"),
    # paper2 task ids changed on purpose: the authors' model (MODEL_VERSION 2), then its
    # unpaired-link waits as the MATLAB has them (MODEL_VERSION 3)
    "netsim_paper2": ("netsim_paper2-4ed7c12f", 825, "0035c844434c5372", "ffa57184db8a8873"),
    "qkernels": ("qkernels-c5d52acd", 6, "275f5bedfe2429d2", "e63b5ba88d311490"),
    "cloud_eval": ("cloud-eval-5e6a7040", 500, "0008865fc6bf2403", "fffa359a0b1ed7fb"),
    # its mqt-qft instances join where MQT Bench is installed: 3 routers x 3 maps x 2 sizes
    "routing_eval": ("routing-eval-57b9d3a2", 3654 if mqt_available() else 3636,
                     "000083975b9b12be", "ffda1aec1f03e306"),
}


@pytest.mark.parametrize("preset", sorted(PINNED))
def test_preset_ids_are_unchanged(preset: str) -> None:
    cfg = load_config(CONF / f"{preset}.yaml")
    plan = get_binding(cfg.workload).plan(cfg)
    ids = sorted(t.strong_id for p in plan.points for t in p.tasks)
    sweep_id, n, first, last = PINNED[preset]
    assert (cfg.resolved_sweep_id, len(ids), ids[0][:16], ids[-1][:16]) == \
        (sweep_id, n, first, last)


def test_default_sweep_task_ids() -> None:
    cfg = load_config(CONF / "simulators.yaml")
    ids = sorted(t.strong_id for p in get_binding("simulators").plan(cfg).points
                 for t in p.tasks)
    assert ids[168] == "7605949523825bcedbf6e4139de21f714036eff805a379a60f795266eb93d053"
