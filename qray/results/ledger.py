"""Which result files a sweep wrote: ``files.jsonl``, one line per file written.

Every time qray writes a workload folder's rows (a chunk, a flush of one, a point's file,
rows copied from another sweep, a file rewritten without superseded rows) it first
appends ``{"file": <name>, "sha256": <digest>, "rows": <n>}`` to the folder's
``files.jsonl`` (under an exclusive lock, fsynced), then renames the file into place. A
reader takes a file's rows only when its name is recorded there with the digest the
file has now; anything else is skipped and reported by name:

- ``foreign``: a file the sweep's runs never wrote (a copy under another name, another
  sweep's chunk copied in, any Parquet file put there by hand). Its rows never replace
  or join the sweep's, and qray never rewrites, renames or deletes it.
- ``altered``: a file qray wrote whose bytes changed since (edited values). Its tasks run
  again; once they have rows it is renamed ``<name>.altered`` (kept, no longer read).

A kill between the record and the rename leaves a digest no file has: harmless. Sweeps
written before this file existed (a ``sweep.json`` without ``format`` 2) have their
files adopted, digests taken as found, the first time a run writes to them.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from qray import failpoints
from qray.results.names import is_qray_file
from qray.results.writer import TMP_PREFIX, write_bytes_atomic

log = logging.getLogger(__name__)

LEDGER = "files.jsonl"
#: the ``format`` of a ``sweep.json`` whose workload folders keep a ledger
FORMAT = 2
ALTERED_SUFFIX = ".altered"


@dataclass(frozen=True)
class Verdict:
    """Whether a result file may be read: ``ok``, or why not (``kind`` is ``foreign`` or
    ``altered``)."""

    ok: bool
    reason: str = ""
    kind: str = ""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def expects_ledger(folder: Path) -> bool:
    """Whether ``folder``'s files must be recorded: it has a ledger, or its sweep's
    ``sweep.json`` says the sweep keeps one."""
    if (folder / LEDGER).exists():
        return True
    try:
        manifest = json.loads((folder.parent / "sweep.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    fmt = manifest.get("format") if isinstance(manifest, dict) else None
    return isinstance(fmt, int) and not isinstance(fmt, bool) and fmt >= FORMAT


def recorded(folder: Path) -> dict[str, set[str]]:
    """File name -> every digest qray recorded for it in ``folder``'s ledger (a torn
    last line, from a kill mid-append, is ignored)."""
    out: dict[str, set[str]] = {}
    try:
        text = (folder / LEDGER).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return out
    for line in text.splitlines():
        try:
            entry = json.loads(line)
            out.setdefault(str(entry["file"]), set()).add(str(entry["sha256"]))
        except (ValueError, KeyError, TypeError):
            continue
    return out


class Checker:
    """Verifies result files against their folders' ledgers (each ledger read once)."""

    def __init__(self) -> None:
        self._books: dict[Path, dict[str, set[str]] | None] = {}

    def check(self, path: Path) -> Verdict:
        folder = path.parent
        if folder not in self._books:
            self._books[folder] = recorded(folder) if expects_ledger(folder) else None
        book = self._books[folder]
        if book is None:  # a sweep from before ledgers: every file is taken as found
            return Verdict(True)
        digests = book.get(path.name)
        if not digests:
            return Verdict(False, f"not written by this sweep (no entry in {LEDGER}); its "
                                  "rows are not read, and the file is left as it is",
                           "foreign")
        try:
            if file_digest(path) in digests:
                return Verdict(True)
        except OSError as exc:
            return Verdict(False, f"cannot be read ({exc.strerror or exc})", "unreadable")
        try:
            pq.read_schema(path)
        except Exception as exc:  # truncated or overwritten: the old "unreadable" case
            return Verdict(False, " ".join(str(exc).split())[:200], "unreadable")
        return Verdict(False, f"changed since qray wrote it (its sha256 is not the one in "
                              f"{LEDGER}); its rows are not read and its tasks run again",
                       "altered")


def adopt(folder: Path) -> int:
    """Give a folder of a sweep written before ledgers one that records its files as
    they are; returns the files adopted (none when the folder keeps a ledger already)."""
    if not folder.is_dir() or expects_ledger(folder):
        return 0
    files = sorted(p for p in folder.glob("*.parquet")
                   if is_qray_file(p) and not p.name.startswith(TMP_PREFIX))
    _append(folder, [{"file": p.name, "sha256": file_digest(p), "adopted": True}
                     for p in files])
    if files:
        log.info("recorded the %d result file(s) of %s in %s as found", len(files), folder,
                 LEDGER)
    return len(files)


def _append(folder: Path, entries: list[dict]) -> None:
    text = "".join(json.dumps(e, sort_keys=True) + "\n" for e in entries)
    fd = os.open(folder / LEDGER, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if text:
            os.write(fd, text.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def write_rows(table: pa.Table, path: str | Path) -> Path:
    """Write ``table`` as the result file ``path``: recorded in the folder's ledger
    first, then written atomically (see the module docstring)."""
    path = Path(path)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    data = sink.getvalue().to_pybytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not (path.parent / LEDGER).exists() and not expects_ledger(path.parent):
        adopt(path.parent)
    _append(path.parent, [{"file": path.name, "sha256": digest(data), "rows": table.num_rows}])
    failpoints.reach("write", path.parent)  # recorded, not yet in place
    return write_bytes_atomic(data, path)
