"""The exported-policy folder both RL workloads share: files, digest, policy.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from qray.rl.policy import (
    META_FILE,
    MODEL_FILE,
    DigestMismatchError,
    PolicyJSONError,
    check_digest,
    has_policy_files,
    model_digest,
    read_policy_json,
)


def _traced(scale: float) -> torch.jit.ScriptModule:
    lin = torch.nn.Linear(3, 2)
    torch.nn.init.constant_(lin.weight, scale)
    torch.nn.init.zeros_(lin.bias)
    return torch.jit.trace(lin.eval(), torch.zeros(1, 3))


def test_digest_is_of_the_module_not_of_its_file(tmp_path: Path) -> None:
    model = _traced(1.0)
    torch.jit.save(model, str(tmp_path / "a.pt"))
    torch.jit.save(model, str(tmp_path / "b.pt"))
    again = [torch.jit.load(str(tmp_path / f)) for f in ("a.pt", "b.pt")]
    assert {model_digest(m) for m in again} == {model_digest(model)}
    assert model_digest(_traced(2.0)) != model_digest(model)


def test_check_digest_names_both_digests() -> None:
    model = _traced(1.0)
    assert check_digest(model, model_digest(model)) == model_digest(model)
    with pytest.raises(DigestMismatchError) as info:
        check_digest(model, "0" * 32)
    assert (info.value.digest, info.value.expected) == (model_digest(model), "0" * 32)


def test_a_folder_needs_both_files(tmp_path: Path) -> None:
    assert not has_policy_files(tmp_path)
    (tmp_path / META_FILE).write_text("{}")
    assert not has_policy_files(tmp_path)
    (tmp_path / MODEL_FILE).mkdir()  # a folder is not the model file
    assert not has_policy_files(tmp_path)
    (tmp_path / MODEL_FILE).rmdir()
    (tmp_path / MODEL_FILE).write_bytes(b"")
    assert has_policy_files(tmp_path)


def test_policy_json_is_read_as_a_json_object(tmp_path: Path) -> None:
    path = tmp_path / META_FILE
    path.write_text(json.dumps({"format": "qray-x/1"}))
    meta, raw = read_policy_json(path)
    assert meta == {"format": "qray-x/1"} and raw == path.read_bytes()


@pytest.mark.parametrize(("content", "decodes"), [(b"{not json", True), (b"\xff\xfe", True),
                                                   (b"[1, 2]", False)])
def test_policy_json_that_is_not_an_object(tmp_path: Path, content: bytes,
                                           decodes: bool) -> None:
    path = tmp_path / META_FILE
    path.write_bytes(content)
    with pytest.raises(PolicyJSONError, match=str(path)) as info:
        read_policy_json(path)
    assert (info.value.cause is not None) == decodes
    if not decodes:
        assert info.value.value == [1, 2] and "not a JSON object (got list)" in str(info.value)


def test_an_unreadable_policy_json_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        read_policy_json(tmp_path / META_FILE)


def test_the_workloads_use_the_one_digest() -> None:
    from qray.cloud import policy as cloud
    from qray.routing.learned import policy as routing

    assert cloud.model_digest is model_digest
    assert (cloud.MODEL_FILE, cloud.META_FILE) == (routing.MODEL_FILE, routing.META_FILE) \
        == (MODEL_FILE, META_FILE)
    assert cloud.FORMAT != routing.FORMAT
