"""``qray cite``: the versions and machine of a sweep's provenance as BibTeX, CFF and a
methods sentence; and the paper-ready files a summary writes beside its Markdown."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qray.results.cite import cite
from qray.results.load import NoDatasetError
from tests.conftest import ROOT
from tests.results.conftest import Sweeps


def test_cite_names_the_exact_versions_of_the_sweep(sweeps: Sweeps) -> None:
    prov = json.loads((sweeps.a / "sweep.json").read_text())["provenance"]
    c = cite(sweeps.a)
    assert c.bibtex.startswith("@software{qray") and f"version = {{{prov['qray']}}}" in c.bibtex
    assert f"git {prov['git_rev'][:12]}" in c.bibtex
    for name, version in prov["libraries"].items():
        assert f"title = {{{name}}}" in c.bibtex and f"{name} {version}" in c.sentence
        assert f"title: {name}\n    version: \"{version}\"" in c.cff
    assert f"Python {prov['python']}" in c.sentence and "simulators sweep" in c.sentence
    assert f"{prov['cpu_count']}-core" in c.sentence


def test_cite_command_and_refusal(sweeps: Sweeps, tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "actors.cli", "cite", str(sweeps.root_a)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "@software{qray" in run.stdout and "Methods:" in run.stdout
    (tmp_path / "sweep.json").write_text(json.dumps({"workload": "simulators",
                                                     "sweep_id": "x", "config": {}}))
    with pytest.raises(NoDatasetError, match="records no provenance"):
        cite(tmp_path)


def test_summary_writes_latex_and_pdf_plots(sweeps: Sweeps) -> None:
    tex = (sweeps.a / "summary.tex").read_text()
    md = (sweeps.a / "summary.md").read_text()
    assert tex.count(r"\begin{table}") == md.count("\n|---")
    assert (sweeps.a / "time_vs_qubits.pdf").is_file()
    assert (sweeps.a / "time_vs_qubits.svg").is_file()


def test_repository_carries_its_license_and_citation() -> None:
    assert "Apache License" in (ROOT / "LICENSE").read_text()
    cff = (ROOT / "CITATION.cff").read_text()
    assert "license: Apache-2.0" in cff and 'license = "Apache-2.0"' in \
        (ROOT / "pyproject.toml").read_text()
