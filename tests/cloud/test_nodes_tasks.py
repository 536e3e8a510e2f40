"""QNodes come from the fake backends; transpiled depths are computed once and cached."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import qray.cloud.task_pool as cloud_tasks
from qray.cloud.nodes import DEFAULT_NODES, build_nodes, fake_backend
from qray.errors import ConfigError


def test_nodes_read_the_backends_configuration_and_target() -> None:
    nodes = {n.name: n for n in build_nodes(DEFAULT_NODES)}
    assert [n.num_qubits for n in nodes.values()] == [127, 27, 27, 7, 7]
    assert nodes["washington"].clops == fake_backend("FakeWashingtonV2").configuration().clops
    assert nodes["kolkata"].quantum_volume == 128
    for n in nodes.values():
        # the studied table had lagos' readout error replaced by a negative anharmonicity
        assert 0 < n.readout_error < 0.5 and 0 < n.gate_error_2q < 0.2 and n.clops > 0


def test_any_fake_backend_can_be_a_node_and_unknown_names_are_refused() -> None:
    (node,) = build_nodes(["FakeSherbrooke"])  # reports only clops_h
    assert node.num_qubits == 127
    assert node.clops == fake_backend("FakeSherbrooke").configuration().clops_h
    (faster,) = build_nodes(["FakeSherbrooke"], clops={"FakeSherbrooke": 5000.0})
    assert faster.clops == 5000.0
    with pytest.raises(ConfigError, match="did you mean 'FakePerth'"):
        build_nodes(["FakePerht"])
    with pytest.raises(ConfigError, match="duplicate"):
        build_nodes(["FakePerth", "FakePerth"])


def test_transpiled_depths_are_cached(tmp_path: Path, monkeypatch) -> None:
    specs = cloud_tasks.family_pool(["ghz", "qft"], [3, 9], 2, {}, seed=1)
    cache = cloud_tasks.DepthCache(tmp_path / "depths.json")
    depths = cloud_tasks.transpiled_depths(specs, ["FakeKolkataV2", "FakePerth"], cache)
    assert depths.shape == (4, 2)
    assert (depths[:, 0] > 0).all()
    assert [s.name for s in specs] == ["ghz_3_0", "qft_3_1", "ghz_9_0", "qft_9_1"]
    assert depths[0, 1] > 0 and depths[2, 1] == 0 and depths[3, 1] == 0  # 9 qubits > perth's 7
    assert depths[3, 0] > specs[3].depth  # routing on heavy-hex adds depth to the QFT

    def refuse(*a, **k):
        raise AssertionError("transpiled again")

    monkeypatch.setattr("qiskit.transpiler.generate_preset_pass_manager", refuse)
    again = cloud_tasks.transpiled_depths(specs, ["FakeKolkataV2", "FakePerth"],
                                          cloud_tasks.DepthCache(tmp_path / "depths.json"))
    np.testing.assert_array_equal(again, depths)


def test_qasm_files_join_the_pool(tmp_path: Path) -> None:
    qasm = tmp_path / "bell.qasm"
    qasm.write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'
                    "h q[0];\ncx q[0],q[1];\nmeasure q -> c;\n")
    (spec,) = cloud_tasks.qasm_pool([str(qasm)])
    assert spec.width == 2 and spec.name == "bell"
    with pytest.raises(ConfigError, match="tasks.qasm_files"):
        cloud_tasks.qasm_pool([str(tmp_path / "missing.qasm")])


def test_env_config_refuses_what_would_fail_late(tmp_path: Path, monkeypatch) -> None:
    from qray.cloud.env_config import env_config

    with pytest.raises(ConfigError, match="'env.tasks.qasm_files\\[0\\]'"):
        env_config({"tasks": {"qasm_files": [str(tmp_path / "missing.qasm")]}})
    with pytest.raises(ConfigError, match="'env.tasks.widths\\[6\\]'.*largest node"):
        env_config({"nodes": ["FakePerth", "FakeLagosV2"]})  # widths go up to 27
    qasm = tmp_path / "x.qasm"
    qasm.write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\n')
    monkeypatch.chdir(tmp_path)
    cfg = env_config({"tasks": {"qasm_files": ["x.qasm"]}})  # relative to where it ran
    assert cfg.tasks.qasm_files == [str(qasm.resolve())]


def test_only_fake_backends_are_nodes() -> None:
    from qiskit.providers import BackendV2
    from qiskit_ibm_runtime import fake_provider

    from qray.cloud.nodes import fake_backend_names

    names = fake_backend_names()
    assert "FakeProviderForBackendV2" not in names and "FakeWashingtonV2" in names
    assert all(issubclass(getattr(fake_provider, n), BackendV2) for n in names)
    with pytest.raises(ConfigError, match="'env.nodes\\[0\\]': unknown fake backend"):
        build_nodes(["FakeProviderForBackendV2"], "env.nodes")


def test_the_qasm_check_transpiles_once_for_the_pool(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("QRAY_CACHE", str(tmp_path / "cache"))
    qasm = tmp_path / "bell3.qasm"
    qasm.write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\nh q[0];\n'
                    "cx q[0],q[1];\ncx q[1],q[2];\n")
    nodes = build_nodes(["FakeKolkataV2", "FakePerth"])
    cloud_tasks.check_qasm_files([str(qasm)], nodes)  # parses and transpiles

    def refuse(*a, **k):
        raise AssertionError("transpiled again")

    monkeypatch.setattr("qiskit.transpiler.generate_preset_pass_manager", refuse)
    (spec,) = cloud_tasks.qasm_pool([str(qasm)])
    depths = cloud_tasks.transpiled_depths([spec], ["FakeKolkataV2", "FakePerth"])
    assert (depths > 0).all()
    assert (tmp_path / "cache" / "cloud" / "depths.json").is_file()
