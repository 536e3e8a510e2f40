"""Checks on a sweep's folder before any work: the output folder can be written, its
``latest`` entry is qray's link, an existing sweep of the same id was run with the same
config, and no other driver is running the same sweep (a lock held for the whole run)."""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qray.errors import ConfigError, QrayError
from qray.results.ledger import FORMAT

log = logging.getLogger(__name__)

MANIFEST = "sweep.json"
LOCK_FILE = ".lock"
#: files qray writes in a sweep folder (a folder of the same name is refused)
OUTPUT_FILES = (MANIFEST, LOCK_FILE, "summary.md", "summary.tex", "runs.jsonl", "driver.log",
                "plan.ids.gz")


def check_output_dir(output_dir: str, sweep_dir: Path, workload: str | None = None) -> None:
    """Refuse an ``output_dir`` (and the sweep folder under it, and its ``workload``
    folder) that cannot be written: a component that is a file, a read-only folder or
    file system, a name too long, a folder where qray writes one of its files."""
    key = "output_dir"
    allowed = "a writable folder, or a path where one can be created"
    existing = sweep_dir
    while not os.path.exists(existing) and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(key, output_dir, allowed,
                          problem=f"{existing} is a file, not a folder, on the path of")
    fs = file_system(existing)
    if fs in VIRTUAL_FS:
        raise ConfigError(key, output_dir, f"{allowed}, on a disk (not the kernel's {fs})",
                          problem=f"a path on the kernel's virtual file system {fs!r} "
                                  f"({existing}):")
    name_max = os.pathconf(existing, "PC_NAME_MAX")
    path_max = os.pathconf(existing, "PC_PATH_MAX")
    for part in sweep_dir.parts:
        if len(os.fsencode(part)) > name_max:
            raise ConfigError(key, output_dir, f"{allowed}, each name at most {name_max} bytes",
                              problem=f"a name of {len(os.fsencode(part))} bytes in")
    if len(os.fsencode(str(sweep_dir))) + 64 > path_max:  # room for the files inside
        raise ConfigError(key, output_dir, f"{allowed}, at most {path_max - 64} bytes long",
                          problem="a path too long:")
    if os.statvfs(existing).f_flag & os.ST_RDONLY or not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(key, output_dir, allowed, problem=f"{existing} is read-only; cannot write")
    for inner in (sweep_dir, *((sweep_dir / workload,) if workload else ())):
        if os.path.lexists(inner) and not inner.is_dir():
            raise ConfigError(key, output_dir, allowed, problem=f"{inner} is a file, not the "
                              "sweep's folder (move it away), in")
        if inner.is_dir() and (os.statvfs(inner).f_flag & os.ST_RDONLY
                               or not os.access(inner, os.W_OK | os.X_OK)):
            raise ConfigError(key, output_dir, allowed,
                              problem=f"{inner} is read-only; cannot write its rows, in")
    for name in OUTPUT_FILES:
        if (sweep_dir / name).is_dir() and not (sweep_dir / name).is_symlink():
            raise ConfigError(key, output_dir, allowed, problem=f"{sweep_dir / name} is a "
                              "folder where qray writes a file (move it away), in")
    latest = sweep_dir.parent / "latest"
    if os.path.lexists(latest) and not latest.is_symlink():
        kind = "folder" if latest.is_dir() else "file"
        raise ConfigError(key, output_dir, "an output folder whose 'latest' entry is qray's link "
                          "to the newest sweep (move that entry away)",
                          problem=f"{latest} is a {kind} of yours, not qray's 'latest' link, in")


#: kernel file systems that hold no files of a user's (``/proc``, ``/sys``, ``/dev``, ...)
VIRTUAL_FS = frozenset({"proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "debugfs",
                        "securityfs", "tracefs", "configfs", "pstore", "bpf", "mqueue",
                        "hugetlbfs", "fusectl", "binfmt_misc", "efivarfs", "autofs"})


def file_system(path: Path) -> str | None:
    """The type of the file system ``path`` lies on (from ``/proc/self/mounts``; None
    where that cannot be read)."""
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return None
    target = os.path.realpath(path)
    best, kind = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1].encode().decode("unicode_escape")
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, kind = mount, parts[2]
    return kind


def check_manifest(cfg: Any, sweep_dir: Path, *, allow_config_change: bool = False
                   ) -> list[str]:
    """Refuse to run sweep ``sweep_dir`` for another workload than the one whose rows it
    holds. A config whose result-affecting keys differ from the ones it was last run with
    is allowed (a sweep is a view of its plan: it shows the new plan's tasks, reusing the
    rows it has for them; the other rows stay on disk): the differences are returned and
    logged. ``allow_config_change`` is accepted and no longer needed."""
    path = sweep_dir / MANIFEST
    if not os.path.lexists(path):
        return []
    old = read_manifest(path)
    check_workload_folder(sweep_dir, old["workload"], path)
    if old.get("workload") != cfg.workload:
        raise ConfigError("sweep_id", cfg.resolved_sweep_id, "a new sweep_id for another "
                          "workload", problem=f"holds {old.get('workload')!r} rows in "
                          f"{sweep_dir}, not {cfg.workload!r}:")
    now = cfg.to_dict()
    before = old.get("config") or {}
    diffs: list[str] = []
    for key in cfg.result_keys():
        diffs += _diff(key, before.get(key, "<unset>"), now.get(key))
    if diffs:
        shown = "; ".join(diffs[:8]) + (f"; and {len(diffs) - 8} more" if len(diffs) > 8 else "")
        log.info("sweep %s was last run with another config (%s): it now shows this "
                 "config's tasks, reusing the rows it holds for them", cfg.resolved_sweep_id,
                 shown)
    return diffs


def _diff(key: str, old: Any, new: Any) -> list[str]:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        out: list[str] = []
        for k in sorted(set(old) | set(new), key=str):
            out += _diff(f"{key}.{k}", old.get(k, "<unset>"), new.get(k, "<unset>"))
        return out
    if _plain(old) != _plain(new):
        return [f"{key}: {_short(old)} -> {_short(new)}"]
    return []


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def check_workload_folder(sweep_dir: Path, workload: str, manifest: Path) -> None:
    """Refuse a sweep folder whose ``sweep.json`` names a workload it holds no folder
    of while it holds another workload's rows (the manifest was edited or replaced)."""
    if (sweep_dir / workload).is_dir():
        return
    others = sorted(p.name for p in sweep_dir.iterdir() if p.is_dir() and p.name != "_tune"
                    and any(p.glob("*.parquet")))
    if others:
        raise QrayError(f"{manifest} names workload {workload!r}, but {sweep_dir} holds "
                        f"{', '.join(repr(o) for o in others)} rows ({others[0]}/) and no "
                        f"{workload}/ folder: sweep.json was edited or replaced; restore it")


def read_manifest(path: Path) -> dict[str, Any]:
    """A sweep's ``sweep.json``, or a QrayError naming the file and what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QrayError(f"{path}: not a readable sweep manifest ({type(exc).__name__}: "
                        f"{' '.join(str(exc).split())[:160]}); restore it or remove the "
                        "sweep folder") from None
    if not isinstance(data, dict) or not isinstance(data.get("workload"), str):
        raise QrayError(f"{path}: not a sweep manifest (it needs a 'workload' entry); "
                        "restore it or remove the sweep folder")
    fmt = data.get("format", 1)
    if not isinstance(fmt, int) or isinstance(fmt, bool) or not 1 <= fmt <= FORMAT:
        raise QrayError(f"{path}: format {fmt!r} is not one this qray reads (1 to {FORMAT}); "
                        "a newer qray wrote it, or it was edited: use the qray that wrote "
                        "it, restore the file, or run under a new sweep_id")
    return data


class SweepLock:
    """An exclusive lock on a sweep folder for one driver: a second driver of the same
    sweep is refused (the lock is released when the process ends, however it ends).

    The folder is created when missing; ``release(cleanup=True)`` removes it again when
    this lock created it and nothing else landed there (a sweep refused after the lock).
    """

    def __init__(self, sweep_dir: Path) -> None:
        self.sweep_dir = sweep_dir
        #: the folders this lock created, innermost first
        self.created: list[Path] = []
        folder = sweep_dir
        while not folder.exists():
            self.created.append(folder)
            folder = folder.parent
        sweep_dir.mkdir(parents=True, exist_ok=True)
        self.path = sweep_dir / LOCK_FILE
        try:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise QrayError(f"cannot open the sweep's lock file {self.path} ({exc.strerror}); "
                            f"qray keeps a file there: move what is at that path away and "
                            "rerun") from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(self._fd, 64, 0).decode(errors="replace").strip() or "?"
            os.close(self._fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise QrayError(
                    f"sweep folder {sweep_dir} is in use by another qray driver ({holder}); "
                    "wait for it to finish (or stop it), then rerun") from None
            raise
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"pid {os.getpid()} on {os.uname().nodename}\n".encode(), 0)

    def release(self, *, cleanup: bool = False) -> None:
        """Release the lock; with ``cleanup``, remove the folders it created while nothing
        but the lock file is in them."""
        if self._fd < 0:
            return
        if cleanup and self.created and {p.name for p in self.sweep_dir.iterdir()} <= {LOCK_FILE}:
            self.path.unlink(missing_ok=True)
            for folder in self.created:
                try:
                    folder.rmdir()  # only while empty: never anything another process put there
                except OSError:
                    break
        os.close(self._fd)
        self._fd = -1

    def __enter__(self) -> SweepLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
