"""Summaries draw on their own ``Figure`` objects: they never switch matplotlib's global
backend (which would break inline plots in a notebook) nor touch pyplot's state."""

from __future__ import annotations

import ast
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
#: the one module that opens a window on purpose (``render_mode="human"``)
INTERACTIVE = {ROOT / "qray" / "routing" / "qgym" / "render.py"}


def _offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "use" and getattr(node.func.value, "id", "") == "matplotlib":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: matplotlib.use(...)")
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            if any(n == "matplotlib.pyplot" for n in names) or (
                    isinstance(node, ast.ImportFrom) and node.module == "matplotlib"
                    and any(a.name == "pyplot" for a in node.names)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: imports pyplot")
    return found


def test_no_library_module_switches_the_backend_or_uses_pyplot() -> None:
    offences = [o for pkg in ("qray", "actors") for p in sorted((ROOT / pkg).rglob("*.py"))
                if p not in INTERACTIVE for o in _offences(p)]
    assert not offences, "\n".join(offences)


@pytest.fixture
def pdf_backend():
    before = matplotlib.get_backend()
    matplotlib.use("pdf")
    yield "pdf"
    matplotlib.use(before)


def test_summaries_plots_keep_the_callers_backend(pdf_backend: str, tmp_path: Path) -> None:
    from qray.cloud.summary import _plot as cloud_plot
    from qray.qkernels.summary import plot_throughput
    from qray.routing.summary import _plot as routing_plot

    plot_throughput(pd.DataFrame({"backend": ["numpy", "torch"], "n_qubits": [4, 4],
                                  "layers": [2, 2], "entries_per_s": [1e6, 1.25e6]}),
                    tmp_path / "throughput.png")
    cloud_plot(pd.DataFrame({"scheduler": ["DQN", "Greedy"], "total_completion_s": [120.0, 150.0],
                             "ci95_s": [5.0, 6.0], "kind": ["learned", "heuristic"]}),
               tmp_path / "cloud.png")
    routing_plot(pd.DataFrame({"coupling_map": ["grid-3x3"] * 2, "family": ["random"] * 2,
                               "n_qubits": [4, 4], "router": ["sabre-1", "lookahead"],
                               "swaps": [3.0, 4.0], "swaps_ci95": [1.0, float("nan")],
                               "circuits": [5, 1]}), tmp_path / "routing.png")
    assert matplotlib.get_backend() == pdf_backend
    for name in ("throughput", "cloud", "routing"):
        assert (tmp_path / f"{name}.png").stat().st_size > 1000
