"""Atomic Parquet writes: a reader sees a whole file or none, never a partial one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

TMP_PREFIX = ".tmp-"


def _replace_atomic(path: str | Path, write: Callable[[BinaryIO], object]) -> Path:
    """Write ``path`` through ``write(fh)`` on a temp file in the same folder, fsync,
    rename (the temp file never outlives a failure)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f"{TMP_PREFIX}{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    _fsync_dir(path.parent)
    return path


def write_table_atomic(table: pa.Table, path: str | Path) -> Path:
    """Write ``table`` to ``path`` via a temp file in the same folder, fsync, rename.

    Rewriting the same path replaces the file in one step, so a retried unit of work never
    leaves two copies of its rows.
    """
    return _replace_atomic(path, lambda fh: pq.write_table(table, fh, compression="zstd"))


def write_text_atomic(text: str, path: str | Path) -> Path:
    """Atomically replace a small text file (summaries, config snapshots)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f"{TMP_PREFIX}{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def write_bytes_atomic(data: bytes, path: str | Path) -> Path:
    """Atomically replace a file with ``data`` (arrays, model weights)."""
    return _replace_atomic(path, lambda fh: fh.write(data))


def update_latest(output_dir: str | Path, sweep_id: str) -> Path:
    """Point ``<output_dir>/latest`` at ``sweep_id`` (a relative symlink, swapped atomically)."""
    output_dir = Path(output_dir)
    link = output_dir / "latest"
    tmp = output_dir / f"{TMP_PREFIX}latest.{os.getpid()}.{uuid.uuid4().hex[:8]}"
    os.symlink(sweep_id, tmp)
    try:
        if os.path.lexists(link) and not link.is_symlink():
            raise IsADirectoryError(f"{link} is not qray's 'latest' link; left as it is")
        os.replace(tmp, link)
    finally:
        if os.path.lexists(tmp):
            tmp.unlink()
    return link


def remove_stale_temp_files(folder: str | Path) -> list[Path]:
    """Delete temp files left by writers that died mid-write (their pid is gone)."""
    removed = []
    for tmp in Path(folder).rglob(f"{TMP_PREFIX}*"):
        try:
            pid = int(tmp.name.rsplit(".", 2)[-2])
        except (ValueError, IndexError):
            continue
        if not _pid_alive(pid):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
