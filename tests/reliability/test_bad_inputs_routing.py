"""Bad routing inputs that need files: exported policies whose ``policy.pt`` was swapped,
whose ``policy.json`` is garbage or lacks a key, and grids a policy leaves empty. Each is
refused by ``actors.sweep`` with a ``ConfigError`` naming ``policies.<map>`` before Ray
starts and before anything is written. And the task ids of a policy's rows cover its
model's verified digest, so a rerun never keeps another model's rows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import actors
from qray.errors import ConfigError
from tests.reliability.helpers import refused
from tests.routing.policies import traced_scorer, write_policy

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"
ROUTING = CONF / "routing_eval.yaml"
KEY = "policies.grid-3x3"
SMALL = ["maps=[grid-3x3]", "routers=[lookahead]", "families=[random]", "sizes=[4]",
         "instances=2"]


def _refused_sweep(tmp_path: Path, folder: Path, *fragments: str, key: str = KEY,
                   extra: tuple[str, ...] = ()) -> str:
    out = tmp_path / "out"
    with pytest.raises(ConfigError) as err:
        actors.sweep(ROUTING, ["ray.include_dashboard=false", f"output_dir={out}", *SMALL,
                               *extra, f"{KEY}={folder}"])
    message = str(err.value)
    assert f"config key '{key}'" in message, message
    assert "allowed:" in message, message
    for fragment in fragments:
        assert fragment in message, message
    assert not out.exists(), "nothing may be written for a refused config"
    return refused(message)


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    folder = tmp_path / "policy"
    write_policy(folder, "grid-3x3", seed=0)
    return folder


def _edit_meta(folder: Path, edit) -> None:  # noqa: ANN001
    path = folder / "policy.json"
    meta = json.loads(path.read_text())
    edit(meta)
    path.write_text(json.dumps(meta))


def test_swapped_policy_pt_is_refused(tmp_path: Path, policy: Path) -> None:
    other = tmp_path / "other"
    write_policy(other, "grid-3x3", seed=1)
    shutil.copy(other / "policy.pt", policy / "policy.pt")
    message = _refused_sweep(tmp_path, policy, "is not the model policy.json describes",
                             "model_digest", "export the policy again")
    assert str(policy) in message


def test_policy_json_without_model_digest_is_refused(tmp_path: Path, policy: Path) -> None:
    _edit_meta(policy, lambda m: m.pop("model_digest"))
    _refused_sweep(tmp_path, policy, "no 'model_digest'", "export the policy again")


def test_garbage_policy_json_is_refused(tmp_path: Path, policy: Path) -> None:
    (policy / "policy.json").write_text("{this is not json")
    _refused_sweep(tmp_path, policy, "policy.json is not valid JSON")


def test_policy_json_that_is_not_an_object_is_refused(tmp_path: Path, policy: Path) -> None:
    (policy / "policy.json").write_text("[1, 2, 3]")
    _refused_sweep(tmp_path, policy, "not a JSON object")


def test_policy_json_without_params_is_refused(tmp_path: Path, policy: Path) -> None:
    _edit_meta(policy, lambda m: m.pop("params"))
    _refused_sweep(tmp_path, policy, "no 'params' object")


def test_policy_json_with_a_params_list_is_refused(tmp_path: Path, policy: Path) -> None:
    _edit_meta(policy, lambda m: m.update(params=[10, 0.5]))
    _refused_sweep(tmp_path, policy, "no 'params' object")


def test_policy_json_without_window_is_refused(tmp_path: Path, policy: Path) -> None:
    _edit_meta(policy, lambda m: m["params"].pop("window"))
    _refused_sweep(tmp_path, policy, "no 'params.window'")


def test_policy_json_without_edges_is_refused(tmp_path: Path, policy: Path) -> None:
    _edit_meta(policy, lambda m: m.pop("edges"))
    _refused_sweep(tmp_path, policy, "no 'edges' list")


def test_policy_json_with_malformed_edges_is_refused(tmp_path: Path, policy: Path) -> None:
    _edit_meta(policy, lambda m: m.update(edges=[[0, "one"], [1]]))
    _refused_sweep(tmp_path, policy, "'edges' must be pairs")


def test_garbage_policy_pt_is_refused(tmp_path: Path, policy: Path) -> None:
    (policy / "policy.pt").write_bytes(b"not a torchscript archive")
    _refused_sweep(tmp_path, policy, "policy.pt is not a TorchScript module")


def test_missing_policy_pt_is_refused(tmp_path: Path, policy: Path) -> None:
    (policy / "policy.pt").unlink()
    _refused_sweep(tmp_path, policy, "no policy.pt")


def test_a_model_of_another_width_is_refused(tmp_path: Path, policy: Path) -> None:
    """A model for 5 edges, with its own digest recorded: it cannot score grid-3x3's 12."""
    import torch

    from qray.rl.policy import model_digest

    model = traced_scorer(5, seed=0)
    torch.jit.save(model, str(policy / "policy.pt"))
    _edit_meta(policy, lambda m: m.update(model_digest=model_digest(model)))
    _refused_sweep(tmp_path, policy, "policy.pt does not take (mask, observations) of 12 "
                   "edges")


def test_a_policy_on_a_map_smaller_than_every_size_leaves_no_tasks(tmp_path: Path,
                                                                   policy: Path) -> None:
    _refused_sweep(tmp_path, policy, "grid with no tasks", "at most 9 qubits",
                   key="sizes", extra=("maps=[grid-3x3,grid-5x5]", "routers=[]",
                                       "sizes=[16]"))


def test_policy_task_ids_cover_the_verified_model_digest(tmp_path: Path) -> None:
    """Two models behind the same folder path get different task ids; the task's params
    hold the digest computed from the loaded module, not just the one policy.json claims."""
    from qray.config import load_config
    from qray.routing.workload import plan

    folder = tmp_path / "policy"
    ids, digests = [], []
    for seed in (0, 1):
        meta = write_policy(folder, "grid-3x3", seed=seed)
        cfg = load_config(ROUTING, [*SMALL, "routers=[]", f"{KEY}={folder}",
                                    f"output_dir={tmp_path / 'out'}"])
        tasks = [t for p in plan(cfg).points for t in p.tasks]
        assert tasks and all(t.params["router"] == "ppo" for t in tasks)
        assert {t.params["model_digest"] for t in tasks} == {meta["model_digest"]}
        ids.append({t.strong_id for t in tasks})
        digests.append(meta["model_digest"])
    assert digests[0] != digests[1]
    assert not ids[0] & ids[1], "rows of one model must never count as another's"
