"""The exported-policy folder every RL-trained workload writes: its files and its digest.

A policy folder holds ``policy.pt`` (a TorchScript module) and ``policy.json`` (a JSON
object naming its ``format``, its preprocessing and the module's ``model_digest``). Each
workload keeps its own format string, field checks and error messages; the helpers here
raise plain exceptions that the workload turns into its own, so a policy of one workload
is never loaded as another's.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MODEL_FILE = "policy.pt"
META_FILE = "policy.json"


def model_digest(model: Any) -> str:
    """A content hash of a TorchScript module: its code and every tensor. (The bytes of a
    saved TorchScript file differ between two saves of the same module.)"""
    h = hashlib.sha256(model.code.encode())
    for name, tensor in sorted(model.state_dict().items()):
        h.update(name.encode())
        h.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()[:32]


def has_policy_files(folder: Path) -> bool:
    """Whether ``folder`` holds both ``policy.json`` and ``policy.pt`` as files."""
    return (folder / META_FILE).is_file() and (folder / MODEL_FILE).is_file()


class PolicyJSONError(ValueError):
    """A ``policy.json`` that is not a JSON object.

    Attributes:
        path: the file.
        cause: the decoder's error when the bytes are not UTF-8 JSON, else None.
        value: the parsed value when it is JSON of another type, else None.
    """

    def __init__(self, path: Path, *, cause: ValueError | None = None,
                 value: Any = None) -> None:
        self.path, self.cause, self.value = path, cause, value
        what = (f"not valid JSON ({cause})" if cause is not None
                else f"not a JSON object (got {type(value).__name__})")
        super().__init__(f"{path}: {what}")


def read_policy_json(path: Path) -> tuple[dict[str, Any], bytes]:
    """``policy.json`` at ``path`` as a JSON object, and the bytes it was read from.

    Raises:
        OSError: the file cannot be read.
        PolicyJSONError: it is not UTF-8 JSON, or not a JSON object.
    """
    raw = path.read_bytes()
    try:
        meta = json.loads(raw.decode())
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are both ValueErrors
        raise PolicyJSONError(path, cause=exc) from None
    if not isinstance(meta, dict):
        raise PolicyJSONError(path, value=meta)
    return meta, raw


class DigestMismatchError(ValueError):
    """A loaded module whose digest is not the ``model_digest`` its ``policy.json`` names:
    the two files of the folder do not belong together."""

    def __init__(self, digest: str, expected: Any) -> None:
        self.digest, self.expected = digest, expected
        super().__init__(f"model_digest {digest} differs from {expected}")


def check_digest(model: Any, expected: Any) -> str:
    """``model``'s digest, checked against ``expected`` (``policy.json``'s required
    ``model_digest``).

    Raises:
        DigestMismatchError: the digests differ. Whatever computing the digest raises (not a
            TorchScript module) propagates.
    """
    digest = model_digest(model)
    if digest != expected:
        raise DigestMismatchError(digest, expected)
    return digest
