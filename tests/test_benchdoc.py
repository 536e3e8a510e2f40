"""The benchmarks file: each script's section replaced in place, the others kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from qray import benchdoc


def test_sections_are_appended_then_replaced_in_place(tmp_path: Path) -> None:
    doc = tmp_path / "BENCHMARKS.md"
    benchdoc.write_section("alpha", "Alpha", "| a | 1 |", script="bench_a.py", argv=["--x", "1"],
                           path=doc)
    benchdoc.write_section("beta", "Beta", "beta body", script="bench_b.py", argv=[], path=doc)
    assert benchdoc.sections(doc) == ["alpha", "beta"]
    text = doc.read_text()
    assert text.startswith("# Benchmarks")
    assert "`python jobs/bench_a.py --x 1`" in text and "| a | 1 |" in text
    assert "logical CPUs" in text and "ray " in text  # the machine and Ray's version

    benchdoc.write_section("alpha", "Alpha", "| a | 2 |", script="bench_a.py",
                           argv=["--y", "two words"], path=doc)
    text = doc.read_text()
    assert benchdoc.sections(doc) == ["alpha", "beta"]  # same place, not appended
    assert "| a | 2 |" in text and "| a | 1 |" not in text
    assert "`python jobs/bench_a.py --y 'two words'`" in text
    assert "beta body" in text
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left no temp file


def test_a_bad_section_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="benchmark section key 'Bad Key'"):
        benchdoc.write_section("Bad Key", "t", "b", script="bench_x.py", argv=[],
                               path=tmp_path / "B.md")
    assert not (tmp_path / "B.md").exists()


def test_a_bench_script_writes_its_section(tmp_path: Path) -> None:
    import subprocess
    import sys

    doc = tmp_path / "BENCHMARKS.md"
    repo = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, str(repo / "jobs" / "bench_netsim.py"), "--frames", "5",
                           "--doc", str(doc)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert benchdoc.sections(doc) == ["netsim"]
    assert "| qray (numpy, batched) |" in doc.read_text()
