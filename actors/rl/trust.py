"""Which RLlib checkpoints qray may unpickle.

An RLlib checkpoint is a pickle (``class_and_ctor_args.pkl`` and module state): loading
one runs whatever code it names. qray therefore loads only checkpoints it wrote itself:
when a training fit finishes it records, beside ``fit.json``, each trial checkpoint's
path inside the sweep folder and the SHA-256 of every file in it, signed with an HMAC
key private to this user (``~/.qray/checkpoint.key``, created on first use with mode
0600; ``QRAY_CHECKPOINT_KEY`` names another file). A checkpoint is trusted only when a
signed manifest lists it, it lies inside that manifest's sweep folder, and every file
still has the recorded digest, with no file added. A results folder copied from
someone else, or a ``fit.json`` edited to point anywhere on disk, fails that check before
a byte is unpickled; ``qray export --trust-checkpoint`` is the explicit way to load a
checkpoint from elsewhere.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from qray.errors import QrayError
from qray.results.writer import write_text_atomic

#: the signed manifest beside ``fit.json``
MANIFEST = "checkpoints.json"
FORMAT = 1


class UntrustedCheckpointError(QrayError):
    """A checkpoint qray did not write (or that changed since): it is not unpickled."""


def key_file() -> Path:
    return Path(os.environ.get("QRAY_CHECKPOINT_KEY") or Path.home() / ".qray" / "checkpoint.key")


def _key() -> bytes:
    path = key_file()
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    except ValueError as exc:
        raise UntrustedCheckpointError(f"{path}: not a qray checkpoint key ({exc})") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def tree_digests(folder: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file under ``folder``; a link is refused."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            raise UntrustedCheckpointError(f"checkpoint {folder}: {path} is a link")
        if path.is_file():
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(
                path.read_bytes()).hexdigest()
    return out


def _sign(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True).encode()
    return hmac.new(_key(), text, hashlib.sha256).hexdigest()


def record(manifest_dir: Path, sweep_dir: Path, checkpoints: list[Path]) -> Path:
    """Write the signed manifest of ``checkpoints`` (each inside ``sweep_dir``) into
    ``manifest_dir``, atomically; call it before ``fit.json`` is written."""
    sweep_dir = sweep_dir.resolve()
    entries = {}
    for ckpt in checkpoints:
        if not Path(ckpt).resolve().is_relative_to(sweep_dir):
            raise UntrustedCheckpointError(f"checkpoint {ckpt}: outside the sweep folder "
                                           f"{sweep_dir}; Tune writes them inside it")
        rel = Path(ckpt).resolve().relative_to(sweep_dir).as_posix()
        entries[rel] = tree_digests(Path(ckpt))
    body = {"format": FORMAT, "checkpoints": entries}
    path = manifest_dir / MANIFEST
    write_text_atomic(json.dumps({**body, "hmac": _sign(body)}, indent=1), path)
    return path


def _manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
        body = {"format": data["format"], "checkpoints": data["checkpoints"]}
        given = str(data["hmac"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UntrustedCheckpointError(f"{path}: unreadable checkpoint manifest "
                                       f"({type(exc).__name__})") from None
    if not hmac.compare_digest(given, _sign(body)):
        raise UntrustedCheckpointError(
            f"{path}: not signed by this qray installation's key ({key_file()}): the "
            "checkpoints it lists were written elsewhere or edited")
    return body


def verify(checkpoint: Path, manifest_path: Path, sweep_dir: Path) -> None:
    """Refuse ``checkpoint`` unless the signed manifest lists it, it lies inside
    ``sweep_dir`` and its files are exactly the recorded ones."""
    sweep_dir = sweep_dir.resolve()
    ckpt = Path(checkpoint).resolve()
    if not ckpt.is_relative_to(sweep_dir):
        raise UntrustedCheckpointError(
            f"checkpoint {checkpoint}: outside the sweep folder {sweep_dir}; qray loads only "
            "checkpoints it wrote into the sweep's own folder (an RLlib checkpoint is a "
            "pickle: code)")
    if not manifest_path.is_file():
        raise UntrustedCheckpointError(
            f"checkpoint {checkpoint}: no {MANIFEST} records it (written by another qray, "
            "or before qray signed checkpoints); retrain (delete "
            f"{manifest_path.parent}) or export it with --trust-checkpoint if you trust it")
    body = _manifest(manifest_path)
    rel = ckpt.relative_to(sweep_dir).as_posix()
    if rel not in body["checkpoints"]:
        raise UntrustedCheckpointError(f"checkpoint {checkpoint}: not among those "
                                       f"{manifest_path} records")
    if tree_digests(ckpt) != body["checkpoints"][rel]:
        raise UntrustedCheckpointError(
            f"checkpoint {checkpoint}: its files changed since qray wrote them (a file edited, "
            "added or removed); it is not loaded")


def find_manifest(checkpoint: Path) -> tuple[Path, Path] | None:
    """``(manifest, sweep folder)`` of a checkpoint inside a qray sweep (the manifest sits
    in ``<sweep>/tune/<ALGO>/``, two levels above the checkpoint), or None."""
    ckpt = Path(checkpoint).resolve()
    for parent in list(ckpt.parents)[:3]:
        if (parent / MANIFEST).is_file() and len(parent.parents) >= 2:
            return parent / MANIFEST, parent.parents[1]
    return None


def verify_anywhere(checkpoint: Path) -> None:
    """Refuse a checkpoint given on a command line unless a signed manifest vouches for
    it (``qray export`` without ``--trust-checkpoint``)."""
    found = find_manifest(checkpoint)
    if found is None:
        raise UntrustedCheckpointError(
            f"checkpoint {checkpoint}: qray did not write it (no signed {MANIFEST} beside "
            "its trial); an RLlib checkpoint is a pickle, so loading it runs code: pass "
            "--trust-checkpoint if you trust where it came from")
    verify(checkpoint, *found)
