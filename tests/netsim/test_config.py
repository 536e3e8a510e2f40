"""netsim config validation and grid expansion (no Ray)."""

from __future__ import annotations

import pytest

from qray.config import load_config
from qray.errors import ConfigError
from qray.netsim.workload import plan, task_specs
from tests.netsim.test_physics import ROOT

CONF = ROOT / "jobs" / "conf" / "netsim_paper2.yaml"


@pytest.mark.parametrize(("override", "message"), [
    ("learners=[UCB]", r"'learners\[0\]'.*unknown learner.*did you mean 'UCB1'"),
    ("learners=[UCB1,UCB1]", r"'learners\[1\]'.*duplicate"),
    ("physics=[paper3]", r"'physics\[0\]'.*unknown physics model"),
    ("scenarios=[]", r"'scenarios'.*non-empty"),
    ("allocators=[Greedy]", r"'allocators\[0\]'.*unknown allocator"),
    ("horizons=[0]", r"'horizons\[0\]'.*>= 1"),
    ("runs=0", r"'runs'.*>= 1"),
    ("epoch=-5", r"'epoch'.*>= 1"),
    ("scale=0", r"'scale'.*> 0"),
    ("replicas=0", r"'replicas'"),
    ("models.paper2.reward=fid", r"'models.paper2.reward'.*piecewise or fidelity"),
    ("models.paper2.n_pathz=3", r"'models.paper2.n_pathz'.*did you mean 'n_paths'"),
    ("models.paper2.topology=ring", r"'models.paper2.topology'.*fixed or random"),
    ("models.paper2.p_bsm=2", r"'models.paper2.p_bsm'.*\[0, 1\]"),
    ("learner_params.UCBPaper2.gamma=[]", r"'learner_params.UCBPaper2.gamma'.*1\.\.1,000 values"),
    ("learner_params.UCBPaper2.gamma=-2", r"'learner_params.UCBPaper2.gamma'.*out of range"),
    ("models.paper2.total_qubits=4", r"'models.paper2.total_qubits'.*at least"),
    ("models.paper9.x=1", r"'models.paper9'.*unknown physics"),
    ("models.default.attempts=0", r"'models.default.attempts'"),
    ("learner_params.UCB1.c=-1", r"'learner_params.UCB1.c'"),
    ("learner_params.EXPNeuralUCB.sigma=half", r"'learner_params.EXPNeuralUCB.sigma'"),
    ("learner_params.EXPNeuralUCB.width=0", r"'learner_params.EXPNeuralUCB.width'"),
    ("scenario_params.stochastic.rate=1.5", r"'scenario_params.stochastic.rate'.*\[0, 1\]"),
    ("scenario_params.adaptive.window=0", r"'scenario_params.adaptive.window'"),
    ("allocator_params.Dynamic.c=-2", r"'allocator_params.Dynamic.c'"),
    ("models.paper7.edge_list=/no/such/file", r"'models.paper7.edge_list'.*no such file"),
    ("resources.paper99.num_cpus=1", r"'resources.paper99'"),
    ("horizons=abc", r"'horizons"),
    ("topology_seed=-1", r"'topology_seed'.*>= 0"),
    ("models.paper12.alpha=0", r"'models.paper12.alpha'"),
    ("models.paper12.attenuation=-5", r"'models.paper12.attenuation'"),
    ("models.paper2.min_path_fidelity=0.99", r"'models.paper2.min_path_fidelity'.*no path"),
    ("models.paper2.total_qubits=1000", r"'models.paper2.total_qubits'.*too many qubits"),
    # sizes that build a graph, a matrix or a trace are bounded before anything is built
    ("models.paper7.n_nodes=100000000", r"'models.paper7.n_nodes'.*2\.\.100,000"),
    ("models.paper7.m=60", r"'models.paper7.m'.*1\.\.50"),
    ("models.paper7.k=30", r"'models.paper7.k'.*at most 64 paths"),
    ("models.paper2.n_nodes=101", r"'models.paper2.n_nodes'.*2\.\.100"),
    ("models.paper2.side_km=1e308", r"'models.paper2.side_km'.*out of range"),
    ("models.paper8.n_nodes=501", r"'models.paper8.n_nodes'.*2\.\.500"),
    ("models.paper12.n_nodes=1001", r"'models.paper12.n_nodes'.*2\.\.1,000"),
    ("models.paper12.n_paths=65", r"'models.paper12.n_paths'.*1\.\.64"),
    ("models.paper8.total_qubits=100000", r"'models.paper8.total_qubits'.*1\.\.10,000"),
    ("models.default.attempts=10000000000", r"'models.default.attempts'.*1,000,000,000"),
    ("horizons=[1000001]", r"'horizons\[0\]'.*1\.\.1,000,000"),
    ("runs=1001", r"'runs'.*1\.\.1,000"),
    ("epoch=100000000000000000000", r"'epoch'.*out of range"),
    ("scale=1e308", r"'scale'.*\(0, 10\]"),
    ("topology_seed=4294967296", r"'topology_seed'.*4,294,967,295"),
    ("replicas=257", r"'replicas'.*1\.\.256"),
    ("scenario_params.adaptive.window=1000001", r"'scenario_params.adaptive.window'"),
    ("learner_params.GNeuralUCB.width=1025", r"'learner_params.GNeuralUCB.width'.*1,024"),
    ("learner_params.GNeuralUCB.c=-1", r"'learner_params.GNeuralUCB.c'.*>= 0"),
    ("learner_params.EXPNeuralUCB.eta=1e308", r"'learner_params.EXPNeuralUCB.eta'"),
    ("learner_params.LinUCB.lam=1e308", r"'learner_params.LinUCB.lam'"),
    ("allocator_params.Random.concentration=1e308",
     r"'allocator_params.Random.concentration'"),
])
def test_bad_netsim_input_names_the_key(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        cfg = load_config(CONF, [override])
        plan(cfg)


def test_neural_learner_memory_is_estimated_before_ray() -> None:
    with pytest.raises(ConfigError, match=r"'learner_params.EXPNeuralUCB.width'.*too wide: "
                       r"1024.*actor.memory_budget_mb=4096"):
        plan(load_config(CONF, ["learners=[EXPNeuralUCB]", "horizons=[100]",
                                "learner_params.EXPNeuralUCB.width=1024",
                                "learner_params.EXPNeuralUCB.sigma=full"]))
    with pytest.raises(ConfigError, match=r"'scale'.*replay buffer"):
        plan(load_config(CONF, ["learners=[GNeuralUCB]", "horizons=[1000000]", "scale=10"]))


def test_grid_size_is_bounded() -> None:
    with pytest.raises(ConfigError, match=r"'horizons'.*too large a grid \(1,650,000 "
                       r"experiments\).*at most 1,000,000"):
        plan(load_config(CONF, ["horizons={start: 1, stop: 10000, step: 1}", "runs=3"]))


def test_paper2_preset_matrix_shape() -> None:
    cfg = load_config(CONF)
    p = plan(cfg)
    assert cfg.horizons == [4000, 6000, 8000, 10000, 12000]
    assert len(p.points) == 11 * 5 * 5 and p.n_tasks == 11 * 5 * 5 * 3
    keys = list(p.actors.values())
    assert set(keys) == {"paper2-0", "paper2-1"} and abs(keys.count("paper2-0") - len(keys) / 2) <= 1
    ids = {t.strong_id for pt in p.points for t in pt.tasks}
    assert len(ids) == p.n_tasks


def test_replicate_seeds_are_shared_across_learners_only() -> None:
    cfg = load_config(CONF, ["learners=[UCB1,EXP3]", "scenarios=[none]", "horizons=[100]",
                             "runs=2"])
    p = plan(cfg)
    seeds = {(pt.params["learner"], s["params"]["replicate"]): s["seed"]
             for pt in p.points for s in task_specs(pt, cfg, "x")}
    assert seeds[("UCB1", 0)] == seeds[("EXP3", 0)] != seeds[("UCB1", 1)]
    other = load_config(CONF, ["learners=[UCB1]", "scenarios=[none]", "horizons=[100]",
                               "runs=2", "seed=7"])
    pt = plan(other).points[0]
    assert task_specs(pt, other, "x")[0]["seed"] != seeds[("UCB1", 0)]
