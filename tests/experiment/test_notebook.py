"""The notebook call, as a researcher makes it: ``tests/experiment/notebook.ipynb``
executed by nbclient in a real Jupyter kernel (an experiment defined in a cell, one
``run`` call with a progress bar, then a second call that resumes)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).with_name("notebook.ipynb")


def test_the_notebook_runs_an_experiment_and_resumes(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    root = Path(__file__).resolve().parents[2]
    monkeypatch.setenv("QRAY_NB_OUT", str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(root), os.environ.get("PYTHONPATH",
                                                                                 "")]))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "rows 6 ['ok']" in text
    assert "second call ran 0 of 6" in text
    widgets = [o for o in outputs if o.output_type == "display_data"
               and "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets, "the progress shows as a notebook bar"
    runs = [json.loads(line) for p in tmp_path.glob("*/runs.jsonl") if p.parent.name != "latest"
            for line in p.read_text().splitlines()]
    assert [r["run"] for r in runs] == [6, 0]
