"""The layering DESIGN.md promises: ``jobs -> actors -> qray -> kernels``, no workload
importing another, ``qray``/``kernels`` free of Ray, and no import cycle, counting the
imports inside functions (``lint-imports`` checks the contracts in ``.importlinter``;
the cycle check here reads every import statement itself)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("qray", "actors", "kernels")
WORKLOADS = ("simulators", "netsim", "qkernels", "cloud", "routing")


def _modules() -> dict[str, Path]:
    mods = {}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            mods[".".join(parts)] = path
    return mods


def _imports(name: str, path: Path, mods: dict[str, Path]) -> set[str]:
    """Every module of ours that ``name`` imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, *([node.module] if node.module else [])])
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        for t in targets:
            while t and t not in mods:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    mods = _modules()
    g = nx.DiGraph()
    g.add_nodes_from(mods)
    for name, path in mods.items():
        g.add_edges_from((name, t) for t in _imports(name, path, mods))
    return g


def test_no_import_cycles_counting_function_local_imports(graph: nx.DiGraph) -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_no_workload_imports_another(graph: nx.DiGraph) -> None:
    def workload(mod: str) -> str | None:
        parts = mod.split(".")
        return parts[1] if parts[0] == "qray" and len(parts) > 1 and parts[1] in WORKLOADS \
            else None

    bad = [(a, b) for a, b in graph.edges
           if workload(a) and workload(b) and workload(a) != workload(b)]
    assert not bad, f"cross-workload imports: {bad}"


def test_lower_layers_never_import_higher_ones(graph: nx.DiGraph) -> None:
    rank = {"kernels": 0, "qray": 1, "actors": 2}
    bad = [(a, b) for a, b in graph.edges if rank[b.split(".")[0]] > rank[a.split(".")[0]]]
    assert not bad, f"imports against the layering: {bad}"


def test_import_linter_contracts_are_kept() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("import-linter is not installed (pip install -e .[test])")
    done = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout
