"""Summaries of a sweep folder: dispatches to the workload's summary module."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qray.errors import ConfigError
from qray.workloads import get_spec, names, usable


@dataclass
class Summary:
    """What a summary wrote."""

    sweep_dir: Path
    markdown: str
    files: list[Path] = field(default_factory=list)


def header_lines(sweep_dir: Path, workload: str, problems: list) -> list[str]:
    """The title of a sweep's summary and the list of result files it had to skip."""
    lines = [f"# Sweep `{sweep_dir.name}` ({workload})", ""]
    reused = reused_rows(sweep_dir, workload)
    if reused:
        total, others = reused
        lines += [f"{sum(others.values())} of its {total} rows were run by other sweeps of "
                  "the same output folder and reused by task id ("
                  + ", ".join(f"`{k}`: {n}" for k, n in sorted(others.items())) + ").", ""]
    if problems:
        lines += [f"**{len(problems)} result file(s) skipped**, unreadable or not this "
                  "workload's rows (a rerun redoes the tasks of unreadable ones):", ""] + [f"- `{p.path.name}`: {p.reason}" for p in problems]
        lines.append("")
    return lines


def reused_rows(sweep_dir: Path, workload: str) -> tuple[int, dict[str, int]] | None:
    """(rows of the sweep's plan, {other sweep id: rows it ran}) when some of the rows
    were reused from other sweeps; None otherwise."""
    from qray.results.reader import read_dataset

    try:
        table, _ = read_dataset(Path(sweep_dir) / workload, columns=["task_id", "sweep_id"])
    except Exception:  # an older file without the column: nothing to say
        return None
    if table.num_rows == 0:
        return None
    ids = [s for s in table.column("sweep_id").to_pylist() if s and s != Path(sweep_dir).name]
    if not ids:
        return None
    others: dict[str, int] = {}
    for sid in ids:
        others[sid] = others.get(sid, 0) + 1
    return table.num_rows, others


def workload_of(sweep_dir: Path) -> str:
    """The workload of a sweep folder (from its manifest, else its subfolders)."""
    manifest = sweep_dir / "sweep.json"
    if manifest.exists():
        from qray.results.folder import check_workload_folder, read_manifest

        workload = read_manifest(manifest)["workload"]
        check_workload_folder(sweep_dir, workload, manifest)
        if workload not in names() or not get_spec(workload).summary:  # imports it alone
            raise ConfigError("workload", workload, summarized(),
                              problem=f"{manifest} names an unknown workload")
        return workload
    found = [w for w in summarized() if (sweep_dir / w).is_dir()]
    if not found:
        raise ConfigError("sweep_dir", str(sweep_dir), "a folder written by jobs/sweep.py",
                          problem="no sweep found in")
    return found[0]


def summarize_sweep(sweep_dir: str | Path) -> Summary:
    """Write ``summary.md`` and its tables as ``summary.tex``, CSV tables and plots (PNG,
    SVG, PDF) beside the sweep's data."""
    from qray.results.latex import write_latex

    sweep_dir = Path(sweep_dir).resolve()
    if not sweep_dir.is_dir():
        raise ConfigError("sweep_dir", str(sweep_dir), "an existing sweep folder",
                          problem="no such folder")
    workload = workload_of(sweep_dir)
    for name in ("summary.md", "summary.tex"):
        if (sweep_dir / name).is_dir():
            raise ConfigError("sweep_dir", str(sweep_dir), f"a sweep folder where qray can "
                              f"write {name}", problem=f"{sweep_dir / name} is a folder in")
    summary = get_spec(workload).load("summary")(sweep_dir)
    summary.files.append(write_latex(summary.markdown, sweep_dir))
    return summary


def summary_is_current(sweep_dir: str | Path, workload: str) -> bool:
    """Whether the sweep's ``summary.md`` is newer than every change to its rows (a file
    written, rewritten, renamed or removed in the workload folder)."""
    sweep_dir = Path(sweep_dir)
    try:
        written = (sweep_dir / "summary.md").stat().st_mtime_ns
        folder = sweep_dir / workload
        newest = max([folder.stat().st_mtime_ns,
                      *(p.stat().st_mtime_ns for p in folder.iterdir())])
    except (OSError, ValueError):
        return False
    return written >= newest


def summarized() -> list[str]:
    """The workloads whose spec names a summary."""
    return [n for n in usable() if get_spec(n).summary]
