"""An export never deletes or displaces what qray did not write: an existing OUT that is
not a qray policy folder is refused before any work, and a policy folder is replaced in
one atomic swap that leaves nothing behind."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import torch

from actors.cloud.export import _write_pair, check_out, is_policy_folder
from qray.errors import QrayError
from tests.reliability.helpers import refused

ROOT = Path(__file__).resolve().parents[2]


def _export_main():  # noqa: ANN202
    sys.path.insert(0, str(ROOT / "jobs"))
    try:
        from export_policy import main
    finally:
        sys.path.remove(str(ROOT / "jobs"))
    return main


def _tree(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def _traced(scale: float) -> torch.jit.ScriptModule:
    lin = torch.nn.Linear(3, 2)
    torch.nn.init.constant_(lin.weight, scale)
    return torch.jit.trace(lin.eval(), torch.zeros(1, 3))


@pytest.mark.parametrize("kind", ["folder with files", "file", "symlink"])
def test_export_refuses_an_out_it_did_not_write(tmp_path: Path, kind: str,
                                                capsys: pytest.CaptureFixture) -> None:
    ckpt = tmp_path / "ckpt"
    ckpt.mkdir()
    out = tmp_path / "out"
    if kind == "file":
        out.write_text("my notes")
    elif kind == "symlink":
        (tmp_path / "target").mkdir()
        out.symlink_to(tmp_path / "target")
    else:
        out.mkdir()
        (out / "thesis.tex").write_text("mine")
        (out / "policy.pt").write_text("not a model")
    before = _tree(tmp_path)
    assert _export_main()([str(ckpt), str(out)]) == 2
    err = capsys.readouterr().err
    assert "'OUT'" in err and str(out) in err and "allowed:" in err, err
    assert _tree(tmp_path) == before  # nothing deleted, renamed or added (no .out.old-*)
    refused(err.strip())


def test_export_of_a_folder_that_is_not_a_checkpoint(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture) -> None:
    ckpt = tmp_path / "not_a_checkpoint"
    ckpt.mkdir()
    (ckpt / "README").write_text("hello")
    assert _export_main()([str(ckpt), str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "not an RLlib algorithm or RLModule checkpoint" in err, err
    assert not (tmp_path / "out").exists()
    refused(err.strip())


def test_policy_folder_replaced_atomically_and_nothing_left(tmp_path: Path) -> None:
    out = tmp_path / "policies" / "DQN"
    _write_pair(out, _traced(1.0), {"format": "qray-cloud-policy/1", "v": 1})
    assert is_policy_folder(out)
    (tmp_path / "policies" / "mine.txt").write_text("a sibling of the user's")
    _write_pair(out, _traced(2.0), {"format": "qray-cloud-policy/1", "v": 2})
    assert json.loads((out / "policy.json").read_text())["v"] == 2
    model = torch.jit.load(str(out / "policy.pt"))
    assert float(model.weight[0, 0]) == 2.0
    assert sorted(p.name for p in (tmp_path / "policies").iterdir()) == ["DQN", "mine.txt"]
    # an empty folder is filled; a folder with anything else is never replaced
    empty = tmp_path / "empty"
    empty.mkdir()
    _write_pair(empty, _traced(1.0), {"format": "qray-router/1"})
    assert is_policy_folder(empty)
    (out / "extra.txt").write_text("mine")
    with pytest.raises(QrayError, match="'OUT'.*is a folder with other files"):
        _write_pair(out, _traced(3.0), {"format": "qray-cloud-policy/1", "v": 3})
    assert (out / "extra.txt").read_text() == "mine"
    assert json.loads((out / "policy.json").read_text())["v"] == 2
    check_out(tmp_path / "new")  # a new path is fine
