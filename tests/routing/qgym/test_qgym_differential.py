"""qray's Routing against qgym 0.3.1 itself (``tests/routing/qgym/qgym_diff.py``, run in
``.venv-qgym``, which ``make test`` builds): the same constructor calls, spaces, action
decoding, observations, rewards, ``info``, custom generators and rewarders, step by step on
seeded random episodes. Every difference allowed is one of the README's fixes."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("qgym_diff.py")
QGYM_PYTHON = ROOT / ".venv-qgym" / "bin" / "python"
STAMP = ROOT / ".venv-qgym" / ".installed"
CHECKS = re.findall(r"^@check\ndef (\w+)\(", SCRIPT.read_text(), re.MULTILINE)


@pytest.fixture(scope="module")
def report() -> dict:
    if not STAMP.exists():
        pytest.skip("qgym 0.3.1 is not installed in .venv-qgym (`make qgym-venv` builds it; "
                    "it needs the package registry)")
    res = subprocess.run([str(QGYM_PYTHON), str(SCRIPT)], cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout)


def test_the_checks_are_found() -> None:
    assert len(CHECKS) >= 10, CHECKS


@pytest.mark.parametrize("name", CHECKS)
def test_against_qgym(report: dict, name: str) -> None:
    assert report["_versions"]["detail"] == "qgym 0.3.1"
    got = report[name]
    assert got["ok"], got["detail"]
