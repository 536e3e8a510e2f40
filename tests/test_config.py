"""Config loading and the bad-input messages (pinned)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qray.config import load_config
from qray.errors import ConfigError, UnknownKeyError

DEFAULT = Path(__file__).resolve().parent.parent / "jobs" / "conf" / "simulators.yaml"


def test_default_config_loads_frozen() -> None:
    cfg = load_config(None, default_path=DEFAULT)
    assert cfg.workload == "simulators"
    with pytest.raises(AttributeError):
        cfg.shots = 5  # type: ignore[misc]


def test_overrides_apply_and_change_the_sweep_id() -> None:
    a = load_config(DEFAULT, [])
    b = load_config(DEFAULT, ["shots=2000", "n_qubits=[3,5]"])
    assert b.shots == 2000 and b.n_qubits == [3, 5]
    assert a.resolved_sweep_id != b.resolved_sweep_id
    assert a.resolved_sweep_id == load_config(DEFAULT, []).resolved_sweep_id
    # keys that do not change results do not change the id
    assert load_config(DEFAULT, ["max_parallel=1", "output_dir=/tmp/x"]).resolved_sweep_id \
        == a.resolved_sweep_id
    assert load_config(DEFAULT, ["sweep_id=mine"]).resolved_sweep_id == "mine"


def test_range_mapping_for_qubits() -> None:
    cfg = load_config(DEFAULT, ["n_qubits={start: 4, stop: 10, step: 3}"])
    assert cfg.n_qubits == [4, 7, 10]
    assert load_config(DEFAULT, ["n_qubits=6"]).n_qubits == [6]


def test_unknown_key_suggests_closest() -> None:
    with pytest.raises(UnknownKeyError, match=r"config key 'shot': unknown key.*did you mean 'shots'"):
        load_config(DEFAULT, ["shot=10"])
    with pytest.raises(UnknownKeyError, match=r"config key 'actor.max_task': unknown key in 'actor'.*did you mean 'max_tasks'"):
        load_config(DEFAULT, ["actor.max_task=3"])


def test_unknown_backend_suggests_closest() -> None:
    with pytest.raises(ConfigError, match=r"config key 'backends\[0\]': unknown backend 'qiskit_aer'; allowed: one of .*'qiskit-aer'.*did you mean 'qiskit-aer'\?"):
        load_config(DEFAULT, ["backends=[qiskit_aer]"])


def test_a_comma_list_without_brackets_suggests_the_list_form() -> None:
    with pytest.raises(ConfigError, match=r"a list is written in brackets: backends=\[numpy,stim\]"):
        load_config(DEFAULT, ["backends=numpy,stim"])


def test_negative_shots() -> None:
    with pytest.raises(ConfigError, match=r"config key 'shots': shots must be positive, got -5; allowed: an integer >= 1"):
        load_config(DEFAULT, ["shots=-5"])


def test_wrong_type() -> None:
    with pytest.raises(ConfigError, match=r"config key 'shots': expected an integer, got 'many'"):
        load_config(DEFAULT, ["shots=many"])
    with pytest.raises(ConfigError, match=r"config key 'noise\[1\]': invalid value 1.5; allowed: probabilities in \[0, 1\]"):
        load_config(DEFAULT, ["noise=[0.0,1.5]"])


def test_malformed_yaml(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("workload: simulators\nbackends: [cirq, qsim\nshots: 10\n")
    with pytest.raises(ConfigError, match=r"config key '--config': malformed YAML .* in '.*bad.yaml'"):
        load_config(bad)


def test_missing_file_and_malformed_override(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no such file '.*nope.yaml'"):
        load_config(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match=r"malformed override 'shots'; allowed: key=value"):
        load_config(DEFAULT, ["shots"])


def test_unknown_circuit_family_and_workload() -> None:
    with pytest.raises(ConfigError, match=r"unknown circuit family 'gzh'.*did you mean 'ghz'"):
        load_config(DEFAULT, ["circuits=[gzh]"])
    with pytest.raises(ConfigError, match=r"config key 'workload': unknown workload 'simulator'.*did you mean 'simulators'"):
        load_config(DEFAULT, ["workload=simulator"])


def test_resources_validated() -> None:
    with pytest.raises(ConfigError, match=r"config key 'resources.cirq.num_gpus': invalid value -1.0; allowed: a number >= 0"):
        load_config(DEFAULT, ["resources.cirq.num_gpus=-1"])
    with pytest.raises(ConfigError, match=r"unknown backend 'cirk'"):
        load_config(DEFAULT, ["resources.cirk.num_cpus=1"])


def test_reserved_and_numeric_ids() -> None:
    with pytest.raises(ConfigError, match=r"config key 'sweep_id': invalid value 'latest'"):
        load_config(DEFAULT, ["sweep_id=latest"])
    assert load_config(DEFAULT, ["sweep_id=2024"]).resolved_sweep_id == "2024"
    assert load_config(DEFAULT, ["name=123"]).name == "123"


def test_infinite_and_duplicate_values() -> None:
    with pytest.raises(ConfigError, match=r"config key 'timeout_s': invalid value inf; allowed: a finite number"):
        load_config(DEFAULT, ["timeout_s=.inf"])
    with pytest.raises(ConfigError, match=r"config key 'n_qubits\[1\]': duplicate value 3; allowed: each value once"):
        load_config(DEFAULT, ["n_qubits=[3,3]"])
    with pytest.raises(ConfigError, match=r"config key 'circuits\[1\]': duplicate value 'ghz'"):
        load_config(DEFAULT, ["circuits=[ghz,ghz]"])


def test_nested_keys_are_named_in_full() -> None:
    with pytest.raises(ConfigError, match=r"config key 'resources.qsim.resources.x': invalid value -1.0"):
        load_config(DEFAULT, ["resources.qsim.resources.x=-1"])
    with pytest.raises(ConfigError, match=r"config key 'actor.batch_size': invalid value 0; allowed: 'auto' or an integer >= 1"):
        load_config(DEFAULT, ["actor.batch_size=0"])


def test_gpu_backend_needs_a_gpu_share() -> None:
    cfg = load_config(DEFAULT, ["backends=[qiskit-aer-gpu]"])
    assert cfg.resources_for("qiskit-aer-gpu").num_gpus == 0.25
    assert cfg.resources_for("qiskit-aer").num_gpus == 0
    with pytest.raises(ConfigError, match=r"config key 'resources.qiskit-aer-gpu.num_gpus': invalid value 0.0; allowed: a GPU fraction > 0"):
        load_config(DEFAULT, ["resources.qiskit-aer-gpu.num_cpus=1"])
