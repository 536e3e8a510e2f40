"""Writing an exported policy folder (``policy.pt`` + ``policy.json``) safely.

An export never deletes or displaces what qray did not write: a target that exists and is
not a qray policy folder (or an empty folder) is refused, and a policy folder is replaced
in one atomic swap, so a reader sees the old pair or the new one, never a mix.
"""

from __future__ import annotations

import ctypes
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from qray.errors import ConfigError
from qray.rl.policy import META_FILE, MODEL_FILE, PolicyJSONError, read_policy_json


def is_policy_folder(folder: Path) -> bool:
    """Whether ``folder`` is an exported qray policy: exactly ``policy.pt`` and a
    ``policy.json`` with a ``qray-...`` format (what ``write_pair`` writes)."""
    try:
        names = {p.name for p in folder.iterdir()}
        meta, _ = read_policy_json(folder / META_FILE)
    except (OSError, PolicyJSONError):
        return False
    return names == {MODEL_FILE, META_FILE} and str(meta.get("format", "")).startswith("qray-")


def check_out(out: str | Path) -> None:
    """Refuse an export target that exists and is not a qray policy folder (or an empty
    folder): an export never deletes or displaces what qray did not write."""
    folder = Path(out)
    if not os.path.lexists(folder):
        return
    if folder.is_symlink() or not folder.is_dir():
        raise ConfigError("OUT", str(out), "a new folder, an empty one, or an exported qray "
                          "policy folder to replace", problem="exists and is not a folder:")
    if any(folder.iterdir()) and not is_policy_folder(folder):
        raise ConfigError("OUT", str(out), "a new folder, an empty one, or an exported qray "
                          f"policy folder (only {MODEL_FILE} and {META_FILE}) to replace",
                          problem="is a folder with other files; it is left as it is:")


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        rc = libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                            _RENAME_EXCHANGE)
    except (AttributeError, OSError):
        return False
    return rc == 0


def write_pair(folder: Path, traced: Any, meta: dict[str, Any]) -> None:
    """Both files into a fresh sibling folder, then one atomic swap with the old policy
    folder: a reader sees the old pair or the new one, never a new model with old
    preprocessing. Only a folder ``check_out`` accepts is ever replaced."""
    import torch

    check_out(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    try:
        torch.jit.save(traced, str(tmp / MODEL_FILE))
        (tmp / META_FILE).write_text(json.dumps(meta, indent=2))
        for f in tmp.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        if folder.is_dir() and any(folder.iterdir()):
            if not _exchange(tmp, folder):  # no renameat2: the old pair is removed first
                for name in (META_FILE, MODEL_FILE):
                    (folder / name).unlink()
                folder.rmdir()
                tmp.rename(folder)
        else:
            if folder.is_dir():
                folder.rmdir()  # empty
            tmp.rename(folder)
    finally:
        if tmp.is_dir() and tmp != folder:
            # what is left here is ours: the new pair that failed, or the swapped-out old one
            for name in (META_FILE, MODEL_FILE):
                (tmp / name).unlink(missing_ok=True)
            tmp.rmdir()
