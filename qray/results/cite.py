"""``qray cite results/<sweep>``: how to cite a sweep, from its own provenance.

A sweep's ``sweep.json`` records the qray version and git revision, Python, Ray, every
library version qray reports, and the machine. This turns them into a BibTeX entry per
package (qray first), a CFF ``references`` snippet and a methods-section sentence, so a
paper names the exact versions its numbers came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qray.results.load import NoDatasetError, find_sweep


@dataclass(frozen=True)
class Citation:
    """What ``qray cite`` prints: the three forms."""

    bibtex: str
    cff: str
    sentence: str

    def text(self) -> str:
        return "\n".join(["% BibTeX", self.bibtex, "", "# CITATION.cff references",
                          self.cff, "", "Methods:", self.sentence, ""])


def _key(name: str, version: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "", f"{name}{version}")


def _bib(name: str, version: str, year: str, note: str = "") -> str:
    fields = [f"  title = {{{name}}}", f"  version = {{{version}}}", f"  year = {{{year}}}"]
    if note:
        fields.append(f"  note = {{{note}}}")
    return f"@software{{{_key(name, version)},\n" + ",\n".join(fields) + "\n}"


def _counts(folder: Any) -> tuple[int, int]:
    """(rows, ok rows) of the sweep; (0, 0) when it has none."""
    from qray.results.reader import read_dataset

    try:
        table, _ = read_dataset(folder.data_dir, columns=["status"])
    except Exception:  # noqa: BLE001 - a folder without rows still has a provenance
        return 0, 0
    status = table.column("status").to_pylist()
    return len(status), sum(s == "ok" for s in status)


def cite(path: str | Path) -> Citation:
    """The citation of the sweep at ``path``; a :class:`NoDatasetError` when it is no
    sweep or records no provenance."""
    folder = find_sweep(path)
    prov = folder.manifest.get("provenance") or {}
    if not prov.get("qray"):
        raise NoDatasetError(f"{folder.sweep_dir}: its sweep.json records no provenance (a "
                             "folder written by jobs/sweep.py has one)")
    year = str(folder.manifest.get("created_at") or "")[:4] or _year(folder.sweep_dir)
    rev = str(prov.get("git_rev") or "")[:12]
    note = f"git {rev}" + (" (uncommitted changes)" if prov.get("git_dirty") else "") \
        if rev else ""
    libraries = dict(sorted((prov.get("libraries") or {}).items()))
    packages = [("qray", str(prov["qray"]), note), ("Python", str(prov.get("python", "")), ""),
                *((n, str(v), "") for n, v in libraries.items() if n != "ray"),
                ("ray", str(prov.get("ray") or libraries.get("ray", "")), "")]
    packages = [p for p in packages if p[1]]
    bibtex = "\n\n".join(_bib(n, v, year, x) for n, v, x in packages)
    cff = "references:\n" + "\n".join(
        f"  - type: software\n    title: {n}\n    version: \"{v}\"" for n, v, _ in packages)
    rows, ok = _counts(folder)
    workload = folder.manifest.get("workload", "?")
    uses = ", ".join(f"{n} {v}" for n, v, _ in packages[2:])
    gpu = prov.get("gpu") or "no GPU"
    sentence = (f"The {workload} sweep {folder.sweep_id} "
                f"({rows} tasks, {ok} completed) was run with qray {prov['qray']}"
                + (f" ({note})" if note else "") + f" on Python {prov.get('python', '?')}, "
                f"in an environment with {uses} (the versions its provenance records), on a {prov.get('cpu_count', '?')}-core "
                f"{prov.get('cpu_model', 'CPU')} machine with {prov.get('memory_gb', '?')} GB "
                f"of memory and {gpu}.")
    return Citation(bibtex, cff, sentence)


def _year(path: Path) -> str:
    from datetime import UTC, datetime

    return str(datetime.fromtimestamp((path / "sweep.json").stat().st_mtime, UTC).year)
