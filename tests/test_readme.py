"""The README is a front door whose commands work.

Every command line of the README's ``bash`` blocks is either run here (the blocks marked
``<!-- runnable -->``, and every ``qray`` command that is cheap or can be planned with
``--dry-run``) or named in ``COVERED`` with the test or CI step that runs it.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "qray").glob("*/README.md")), ROOT / "tests" / "README.md",
        ROOT / "actors" / "README.md"]
QRAY = Path(sys.executable).with_name("qray")

#: commands that do real work, and the file (with a string in it) that runs them
COVERED: dict[str, tuple[str, str]] = {
    "make sweep": (".ci/run", "make sweep"),
    "make test": (".ci/run", "make test"),
    "qray summarize": ("tests/jobs/test_cli.py", '"summarize"'),
    "qray compare": ("tests/results/test_compare.py", '"compare"'),
    "qray train": ("tests/jobs/test_train_scheduler.py", "train_scheduler.py"),
    "qray export": ("tests/jobs/test_train_scheduler.py", "export"),
    "qray deploy": ("tests/jobs/test_train_scheduler.py", '"deploy_scheduler.py", "--mode", "local"'),
    "cluster/local-up.sh": ("tests/jobs/helpers.py", "local-up.sh"),
    "cluster/local-down.sh": ("tests/jobs/helpers.py", "local-down.sh"),
    "source ~/.qray/local-cluster/env.sh": ("tests/jobs/helpers.py", "env.sh"),
    "ray job submit": ("tests/jobs/test_ray_job_submit.py", "submit"),
    "qray new experiment": ("tests/experiment/test_sweep.py", '"new", "experiment"'),
    "qray cite": ("tests/results/test_cite.py", '"cite"'),
}
#: read-only commands run as they are
CHEAP = ("qray --help", "qray --version", "qray keys", "qray backends")


def _blocks(text: str) -> list[tuple[bool, list[str]]]:
    """(marked runnable, command lines) of each ``bash`` block."""
    out = []
    for m in re.finditer(r"(<!-- runnable -->\n)?```bash\n(.*?)```", text, re.S):
        lines = [re.sub(r"\s+#.*$", "", ln).strip() for ln in m.group(2).splitlines()]
        out.append((bool(m.group(1)), [ln for ln in lines if ln]))
    return out


def _commands() -> list[tuple[bool, str]]:
    return [(runnable, ln) for runnable, lines in _blocks(README.read_text()) for ln in lines]


def test_readme_is_a_front_door() -> None:
    text = README.read_text()
    assert len(text.splitlines()) <= 250
    for doc in DOCS:
        dated = re.findall(r".*\b20\d\d-\d\d-\d\d\b.*", doc.read_text())
        assert not dated, f"{doc.relative_to(ROOT)} has dated notes: {dated[:3]}"
    for target in re.findall(r"\]\(([^)#:]+)\)", text):  # local links resolve
        assert (ROOT / target).exists(), target


def test_every_readme_command_is_run_somewhere() -> None:
    for _, cmd in _commands():
        if cmd.startswith(("qray sweep", *CHEAP)):
            continue  # run below
        key = next((k for k in COVERED if cmd.startswith(k)), None)
        assert key is not None, f"README command {cmd!r} is run by no test"
        path, needle = COVERED[key]
        assert needle in (ROOT / path).read_text(), f"{path} does not run {cmd!r}"


def _run(cmd: str, tmp_path: Path) -> subprocess.CompletedProcess:
    argv = shlex.split(cmd)
    assert argv[0] == "qray", cmd
    if argv[1:2] == ["sweep"]:
        if "--dry-run" not in argv and "--print-config" not in argv:
            argv.append("--dry-run")  # the plan of the same command: validated, nothing run
        argv.append(f"output_dir={tmp_path}")
    return subprocess.run([str(QRAY), *argv[1:]], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("cmd", sorted({c for _, c in _commands()
                                        if c.startswith(("qray sweep", *CHEAP))}))
def test_readme_qray_command_runs(cmd: str, tmp_path: Path) -> None:
    res = _run(cmd, tmp_path)
    assert res.returncode == 0, f"{cmd}\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
    assert not list(tmp_path.iterdir()), "a README command wrote results"


def test_the_runnable_block_exists_and_its_commands_are_run() -> None:
    marked = [c for runnable, c in _commands() if runnable]
    assert marked and all(c.startswith(("qray sweep", *CHEAP)) for c in marked)
