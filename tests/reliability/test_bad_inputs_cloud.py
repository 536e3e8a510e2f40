"""Bad cloud inputs that need files (QASM circuits, exported policy folders): each is
refused at config load or plan time, before Ray starts and before anything is written,
with a ``ConfigError`` that names the key, the file and the problem. The matrix cases
(static overrides) are in ``cases_cloud.py``."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
import torch

from actors.runtime.binding import get_binding
from qray.cloud.env import policy_params
from qray.cloud.features import observation_size
from qray.cloud.policy import FORMAT, PolicyError, load, model_digest
from qray.config import load_config
from qray.errors import ConfigError, QrayError
from tests.reliability.helpers import refused

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"
EVAL = CONF / "cloud_eval.yaml"
FAST = ["ray.include_dashboard=false", "episodes=2", "episodes_per_point=2"]

BELL = ('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'
        "h q[0];\ncx q[0],q[1];\nmeasure q -> c;\n")


def plan(overrides: list[str]):
    cfg = load_config(EVAL, [*FAST, *overrides])
    return cfg, get_binding(cfg.workload).plan(cfg)


def refuse(tmp_path: Path, overrides: list[str], key: str, *fragments: str) -> str:
    """The message of a config refused at load or plan time; nothing may be written."""
    out = tmp_path / "out"
    with pytest.raises(ConfigError) as err:
        plan([f"output_dir={out}", *overrides])
    message = str(err.value)
    assert f"config key '{key}'" in message, message
    for fragment in fragments:
        assert fragment in message, message
    assert "allowed" in message, message
    assert not out.exists(), "nothing may be written for a refused config"
    return refused(message)


def qasm(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


# -- QASM files --------------------------------------------------------------------------


def test_qasm_task_wider_than_every_node_is_refused(tmp_path: Path) -> None:
    wide = qasm(tmp_path, "wide.qasm", 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[200];\n'
                "h q[0];\ncx q[0],q[199];\n")
    refuse(tmp_path, [f"env.tasks.qasm_files=[{wide}]"], "env.tasks.qasm_files[0]",
           str(wide), "is 200 qubits wide, wider than every node",
           "at most 127 qubits, the largest node of env.nodes")


def test_qasm_task_wider_than_the_configured_nodes_is_refused(tmp_path: Path) -> None:
    nine = qasm(tmp_path, "ghz9.qasm", 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[9];\n'
                + "h q[0];\n" + "".join(f"cx q[0],q[{i}];\n" for i in range(1, 9)))
    refuse(tmp_path, ["env.nodes=[FakePerth,FakeLagosV2]", "env.tasks.widths=[2,7]",
                      f"env.tasks.qasm_files=[{nine}]"], "env.tasks.qasm_files[0]",
           str(nine), "is 9 qubits wide", "at most 7 qubits")


def test_qasm_task_without_qubits_is_refused(tmp_path: Path) -> None:
    empty = qasm(tmp_path, "zero.qasm", 'OPENQASM 2.0;\ninclude "qelib1.inc";\n')
    refuse(tmp_path, [f"env.tasks.qasm_files=[{empty}]"], "env.tasks.qasm_files[0]",
           str(empty), "declares no qubits", "a circuit on at least 1 qubit")


def test_qasm_task_without_gates_is_refused(tmp_path: Path) -> None:
    only_measure = qasm(tmp_path, "nogates.qasm", 'OPENQASM 2.0;\ninclude "qelib1.inc";\n'
                        "qreg q[3];\ncreg c[3];\nbarrier q;\nmeasure q -> c;\n")
    refuse(tmp_path, [f"env.tasks.qasm_files=[{only_measure}]"], "env.tasks.qasm_files[0]",
           str(only_measure), "has no gates", "a circuit with at least one gate")


@pytest.mark.parametrize(("text", "fragment"), [
    ("this is not qasm at all {{{\n", "cannot parse (QASM2ParseError"),
    ("OPENQASM 3.0;\nqubit[2] q;\n this is wrong\n", "cannot parse (QASM3ParsingError"),
    (b"\x80\x81\xff\xfe", "cannot read (UnicodeDecodeError"),
], ids=["qasm2-garbage", "qasm3-garbage", "binary"])
def test_garbage_qasm_is_refused(tmp_path: Path, text: str | bytes, fragment: str) -> None:
    bad = qasm(tmp_path, "bad.qasm", text)
    refuse(tmp_path, [f"env.tasks.qasm_files=[{bad}]"], "env.tasks.qasm_files[0]",
           str(bad), fragment)


@pytest.mark.parametrize(("text", "fragment"), [
    ('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nfoo q[0];\n',
     "'foo' is not defined"),
    ('OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nfoo q[0];\n',
     "gate 'foo' is not defined"),
], ids=["qasm2", "qasm3"])
def test_qasm_with_an_unknown_gate_is_refused(tmp_path: Path, text: str, fragment: str) -> None:
    bad = qasm(tmp_path, "unknown.qasm", text)
    refuse(tmp_path, [f"env.tasks.qasm_files=[{bad}]"], "env.tasks.qasm_files[0]",
           str(bad), fragment, "qelib1.inc (QASM 2) or stdgates.inc (QASM 3)")


def test_qasm_gate_no_node_can_run_is_refused(tmp_path: Path) -> None:
    opaque = qasm(tmp_path, "opaque.qasm", 'OPENQASM 2.0;\ninclude "qelib1.inc";\n'
                  "opaque magic a;\nqreg q[2];\nmagic q[0];\ncx q[0],q[1];\n")
    refuse(tmp_path, [f"env.tasks.qasm_files=[{opaque}]"], "env.tasks.qasm_files[0]",
           str(opaque), "does not transpile to env.nodes[0] FakeWashingtonV2", "magic")


IF3 = ('OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\n'
       "c[0] = measure q[0];\nif (c[0]) x q[1];\nc[1] = measure q[1];\n")


def test_qasm3_if_is_refused_where_a_node_cannot_run_it(tmp_path: Path) -> None:
    dynamic = qasm(tmp_path, "if.qasm", IF3)
    refuse(tmp_path, [f"env.tasks.qasm_files=[{dynamic}]"], "env.tasks.qasm_files[0]",
           str(dynamic), "does not transpile to env.nodes[0] FakeWashingtonV2",
           "'if_else' is not supported")
    # on nodes that run dynamic circuits, the same file is a legitimate task
    cfg, p = plan(["env.nodes=[FakePerth,FakeLagosV2]", "env.tasks.families=[]",
                   f"env.tasks.qasm_files=[{dynamic}]"])
    assert p.n_tasks == 2 * len(cfg.schedulers())


def test_a_bad_second_qasm_file_is_named_by_its_index(tmp_path: Path) -> None:
    good = qasm(tmp_path, "bell.qasm", BELL)
    bad = qasm(tmp_path, "bad.qasm", "OPENQASM 2.0;\nqreg q[2];\nh q[0];\n")  # no include
    refuse(tmp_path, [f"env.tasks.qasm_files=[{good},{bad}]"], "env.tasks.qasm_files[1]",
           str(bad), "cannot parse", "custom instruction 'h' before definition")


def test_a_qasm_only_pool_needs_no_widths(tmp_path: Path) -> None:
    good = qasm(tmp_path, "bell.qasm", BELL)
    _, p = plan(["env.tasks.families=[]", "env.tasks.widths=[]",
                 f"env.tasks.qasm_files=[{good}]"])
    assert p.n_tasks > 0


def test_task_ids_cover_the_qasm_files_content(tmp_path: Path) -> None:
    good = qasm(tmp_path, "bell.qasm", BELL)
    overrides = ["heuristics=[FeasibleGreedy]", f"env.tasks.qasm_files=[{good}]"]
    first = [t.strong_id for pt in plan(overrides)[1].points for t in pt.tasks]
    assert first == [t.strong_id for pt in plan(overrides)[1].points for t in pt.tasks]
    good.write_text(BELL.replace("h q[0];", "h q[0];\nx q[1];"))
    edited = [t.strong_id for pt in plan(overrides)[1].points for t in pt.tasks]
    assert not set(first) & set(edited)


# -- exported policy folders -------------------------------------------------------------


class Scorer(torch.nn.Module):
    def __init__(self, n_out: int, bias: float) -> None:
        super().__init__()
        self.lin = torch.nn.Linear(observation_size(5), n_out)
        torch.nn.init.constant_(self.lin.bias, bias)

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        return self.lin(obs)


@pytest.fixture(scope="module")
def params() -> dict:
    return policy_params(load_config(EVAL).env)


def export(folder: Path, params: dict, *, n_out: int = 5, bias: float = 0.0,
           **meta_changes) -> Path:
    """A policy folder in qray's export format (a TorchScript scorer + policy.json)."""
    torch.manual_seed(0)
    model = torch.jit.script(Scorer(n_out, bias))
    folder.mkdir(exist_ok=True)
    torch.jit.save(model, str(folder / "policy.pt"))
    meta = {"format": FORMAT, "algorithm": "DQN", "name": "test", "obs_size":
            observation_size(5), "n_actions": 5, "params": params,
            "model_digest": model_digest(model)}
    meta.update(meta_changes)
    (folder / "policy.json").write_text(json.dumps({k: v for k, v in meta.items()
                                                    if v is not None}))
    return folder


def _garbage_model(folder: Path) -> None:
    (folder / "policy.pt").write_bytes(b"not a model at all")


def _pickled_model(folder: Path) -> None:
    torch.save(torch.nn.Linear(observation_size(5), 5), str(folder / "policy.pt"))


def _state_dict_model(folder: Path) -> None:
    torch.save(torch.nn.Linear(observation_size(5), 5).state_dict(), str(folder / "policy.pt"))


def _plain_pickle_model(folder: Path) -> None:
    (folder / "policy.pt").write_bytes(pickle.dumps({"weights": [1, 2, 3]}))


def _swapped_model(folder: Path) -> None:
    torch.jit.save(torch.jit.script(Scorer(5, 1.0)), str(folder / "policy.pt"))


def _malformed_json(folder: Path) -> None:
    (folder / "policy.json").write_text('{"format": "qray-cloud-policy/1", "params": ')


def _list_json(folder: Path) -> None:
    (folder / "policy.json").write_text("[1, 2, 3]")


def _drop(field: str):
    def change(folder: Path) -> None:
        meta = json.loads((folder / "policy.json").read_text())
        del meta[field]
        (folder / "policy.json").write_text(json.dumps(meta))
    return change


def _bad_param(key: str, value: object):
    def change(folder: Path) -> None:
        meta = json.loads((folder / "policy.json").read_text())
        meta["params"][key] = value
        (folder / "policy.json").write_text(json.dumps(meta))
    return change


POLICY_CASES = {
    "garbage-pt": (_garbage_model, "policy.pt", "not a TorchScript module"),
    "pickled-module-pt": (_pickled_model, "policy.pt", "not a TorchScript module"),
    "state-dict-pt": (_state_dict_model, "policy.pt", "not a TorchScript module"),
    "plain-pickle-pt": (_plain_pickle_model, "policy.pt", "not a TorchScript module"),
    "swapped-model": (_swapped_model, "policy.pt", "model_digest"),
    "malformed-json": (_malformed_json, "policy.json", "not readable JSON"),
    "json-not-an-object": (_list_json, "policy.json", "expected a JSON object"),
    "json-without-params": (_drop("params"), "policy.json", "no 'params' field"),
    "json-without-model-digest": (_drop("model_digest"), "policy.json",
                                  "no 'model_digest' field"),
    "json-without-obs-size": (_drop("obs_size"), "policy.json", "no 'obs_size' field"),
    "params-without-node-qubits": (_bad_param("node_qubits", None), "policy.json",
                                   "'params.node_qubits' must be a list of 5 numbers"),
    "params-time-scale-text": (_bad_param("time_scale", "fast"), "policy.json",
                               "'params.time_scale' must be a positive number"),
}


@pytest.mark.parametrize("case", list(POLICY_CASES))
def test_policy_folder_that_cannot_serve_is_refused(tmp_path: Path, params: dict,
                                                    case: str) -> None:
    change, file, fragment = POLICY_CASES[case]
    folder = export(tmp_path / "DQN", params)
    change(folder)
    message = refuse(tmp_path, [f"policies.DQN={folder}"], "policies.DQN",
                     str(folder / file), fragment)
    assert "export the policy again with jobs/export_policy.py" in message, message


def test_policy_whose_scores_do_not_fit_the_nodes_is_refused(tmp_path: Path,
                                                             params: dict) -> None:
    folder = export(tmp_path / "DQN", params, n_out=3)
    refuse(tmp_path, [f"policies.DQN={folder}"], "policies.DQN", str(folder / "policy.pt"),
           "expected finite scores of shape (2, 5), one per node")


def test_policy_load_outside_a_config_names_the_file(tmp_path: Path, params: dict) -> None:
    folder = export(tmp_path / "DQN", params)
    _drop("model_digest")(folder)
    with pytest.raises(PolicyError) as err:
        load(folder)
    assert isinstance(err.value, QrayError)
    message = str(err.value)
    assert str(folder / "policy.json") in message and "export the policy again" in message
    refused(message)


def test_task_ids_cover_the_verified_model_digest(tmp_path: Path, params: dict) -> None:
    folder = tmp_path / "DQN"
    overrides = ["heuristics=[]", f"policies.DQN={folder}"]

    def ids() -> list[str]:
        return [t.strong_id for pt in plan(overrides)[1].points for t in pt.tasks]

    export(folder, params, bias=0.0)
    first = ids()
    export(folder, params, bias=0.0)  # the same model saved again: the same tasks
    assert ids() == first
    export(folder, params, bias=0.5)  # another model in the folder: other tasks
    other = ids()
    assert not set(first) & set(other)
    assert load(folder).model_digest == json.loads(
        (folder / "policy.json").read_text())["model_digest"]
