"""A bad-input matrix across every workload's config: each case fails with an error that
names the key and the value before any work starts, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

import actors
from qray.errors import QrayError
from tests.reliability import (
    cases_cloud,
    cases_core,
    cases_hostile,
    cases_routing,
    cases_science,
)
from tests.reliability.helpers import figure, refused

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"
SIM, NET, QK = CONF / "simulators.yaml", CONF / "netsim_default.yaml", CONF / "qkernels.yaml"
CLOUD = CONF / "cloud_eval.yaml"
ROUTING = CONF / "routing_eval.yaml"

# (config, overrides, the key the message must name, a fragment of the value/problem)
CASES = [
    # simulators
    (SIM, ["shotz=10"], "shotz", "unknown"),
    (SIM, ["shots=abc"], "shots", "abc"),
    (SIM, ["shots=-3"], "shots", "-3"),
    (SIM, ["n_qubits=[0]"], "n_qubits[0]", "0"),
    (SIM, ["noise=[1.5]"], "noise[0]", "1.5"),
    (SIM, ["backends=[qsimm]"], "backends[0]", "qsimm"),
    (SIM, ["circuits=[foo]"], "circuits[0]", "foo"),
    (SIM, ["repetitions=0"], "repetitions", "0"),
    (SIM, ["actor.batch_size=0"], "actor.batch_size", "0"),
    (SIM, ["max_parallel=0"], "max_parallel", "0"),
    (SIM, ["backends=[numpy]", "resources.numpy.num_cpus=64"], "resources.numpy.num_cpus", "64"),
    (SIM, ["backends=[numpy]", "resources.numpy.resources={fpga: 1}"],
     "resources.numpy.resources.fpga", "1"),
    (SIM, ["workload=chemistry"], "workload", "chemistry"),
    # netsim
    (NET, ["physics=[paper99]"], "physics[0]", "paper99"),
    (NET, ["learners=[UCB2]"], "learners[0]", "UCB2"),
    (NET, ["horizons=[0]"], "horizons[0]", "0"),
    (NET, ["runs=0"], "runs", "0"),
    (NET, ["topology_seed=-1"], "topology_seed", "-1"),
    (NET, ["replicas=0"], "replicas", "0"),
    (NET, ["epoch=x"], "epoch", "x"),
    (NET, ["physics=[default]", "resources.default.num_gpus=1"],
     "resources.default.num_gpus", "1"),
    # qkernels
    (QK, ["backends=[opencl]"], "backends[0]", "opencl"),
    (QK, ["n_qubits=[65]"], "n_qubits[0]", "65"),
    (QK, ["folds=1"], "folds", "1"),
    (QK, ["svm_c=-1"], "svm_c", "-1"),
    (QK, ["qcnn.epochs=0"], "qcnn.epochs", "0"),
    (QK, ["dataset=mnist"], "dataset", "mnist"),
    (QK, ["backends=[torch-cuda]"], "resources.torch-cuda.num_gpus", "0.25"),
    (QK, ["backends=[numpy]", "workers=3", "resources.default.num_cpus=1"], "workers", "3"),
    # routing
    (ROUTING, ["maps=[grid-5x]"], "maps[0]", "grid-5x"),
    (ROUTING, ["routers=[sabre-0]"], "routers[0]", "sabre-0"),
    (ROUTING, ["families=[qfft]"], "families[0]", "qfft"),
    (ROUTING, ["sizes=[1]"], "sizes[0]", "1"),
    (ROUTING, ["policies.grid-5x5=/nonexistent/policy"], "policies.grid-5x5", "nonexistent"),
    # cloud
    (CLOUD, ["heuristics=[Greedyy]"], "heuristics[0]", "Greedyy"),
    (CLOUD, ["env.nodes=[FakeKolkataV2,FakeNowhere]"], "env.nodes[1]", "FakeNowhere"),
    (CLOUD, ["env.tasks.rate=0"], "env.tasks.rate", "0"),
    (CLOUD, ["policies.DQN=/nonexistent/policy"], "policies.DQN", "/nonexistent/policy"),
    (CLOUD, ["seed_base=5"], "seed_base", "5"),
    *cases_core.CASES, *cases_cloud.CASES, *cases_routing.CASES, *cases_science.CASES,
    *cases_hostile.CASES,
]


@pytest.fixture(scope="module")
def tried() -> list[str]:
    seen: list[str] = []
    yield seen
    figure("bad-input matrix", cases=len(seen), all_refused_before_work=len(seen) == len(CASES))


@pytest.mark.parametrize(("conf", "overrides", "key", "fragment"), CASES,
                         ids=[f"{c.stem}:{o[-1]}" for c, o, _, _ in CASES])
def test_bad_input_refused_before_any_work(ray_session, tmp_path: Path, tried: list[str],
                                           conf: Path, overrides: list[str], key: str,
                                           fragment: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(QrayError) as err:
        actors.sweep(conf, ["ray.include_dashboard=false", f"output_dir={out}", *overrides])
    message = str(err.value)
    assert f"'{key}'" in message, message
    assert fragment in message, message
    assert "allowed" in message or "known" in message or "did you mean" in message, message
    assert not out.exists(), "nothing may be written for a refused config"
    tried.append(refused(message))


def test_missing_and_malformed_config_files(tmp_path: Path) -> None:
    from qray.config import load_config
    from qray.errors import ConfigError

    with pytest.raises(ConfigError, match="'--config'.*no such file"):
        load_config(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("workload: [simulators\n")
    with pytest.raises(ConfigError, match="'--config'.*malformed YAML"):
        load_config(bad)
    refused("missing config file")
    refused("malformed YAML")
    figure("bad config files", cases=2)
