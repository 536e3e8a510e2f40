"""Task ids and seeds are content hashes, identical across processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from qray.tasks import Point, Task, stable_seed

ROOT = Path(__file__).resolve().parent.parent


def test_strong_id_ignores_key_order() -> None:
    a = Task("simulators", {"n": 3, "backend": "cirq"})
    b = Task("simulators", {"backend": "cirq", "n": 3})
    assert a.strong_id == b.strong_id
    assert a.strong_id != Task("simulators", {"backend": "cirq", "n": 4}).strong_id
    assert len(a.strong_id) == 64


def test_ids_and_seeds_stable_across_processes() -> None:
    code = ("from qray.tasks import Task, stable_seed;"
            "print(Task('w', {'a': 1}).strong_id, stable_seed('x', 2))")
    out = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={"PYTHONHASHSEED": str(i), "PYTHONPATH": str(ROOT)},
                          cwd=ROOT).stdout for i in (1, 2)}
    assert out == {f"{Task('w', {'a': 1}).strong_id} {stable_seed('x', 2)}\n"}


def test_point_id_depends_on_params() -> None:
    assert Point("w", {"a": 1}).point_id != Point("w", {"a": 2}).point_id
    assert Point("w", {"a": 1}).point_id == Point("w", {"a": 1}).point_id
