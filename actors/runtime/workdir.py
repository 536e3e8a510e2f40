"""What a Ray working-directory upload would carry, and secrets that must not be in it.

``ray job submit --working-dir .`` and a driver outside a job (``runtime_env`` with the
repository as ``working_dir``) package the directory minus what ``.gitignore`` and
``.rayignore`` exclude. :func:`uploaded` lists those files with Ray's own exclusion
rules; :func:`secrets` names the ones that look like credentials (Ray's ``auth_token``, a
``QRAY_CLUSTER_DIR`` inside the tree, keys), which qray warns about.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

#: file names (and suffixes) that hold credentials
SECRET_NAMES = ("auth_token",)
SECRET_SUFFIXES = (".token", ".key", ".pem")


def uploaded(root: Path) -> list[Path]:
    """The files under ``root`` that Ray would package as a working directory."""
    from ray._private.runtime_env import packaging

    root = Path(root).resolve()
    excludes = packaging.get_excludes_from_ignore_files(root, include_gitignore=True,
                                                        logger=log)
    found: list[Path] = []
    packaging._dir_travel(root, excludes,
                          lambda p: found.append(p) if p.is_file() else None,
                          include_gitignore=True, logger=log)
    return sorted(found)


def secrets(files: list[Path]) -> list[Path]:
    """The credentials among ``files``."""
    return [p for p in files if p.name in SECRET_NAMES or p.suffix in SECRET_SUFFIXES]


def warn_secrets(root: Path) -> list[Path]:
    """Log a warning naming each credential the upload of ``root`` would carry."""
    try:
        found = secrets(uploaded(root))
    except Exception as exc:  # noqa: BLE001 - a private Ray helper: never fail a sweep on it
        log.debug("cannot list the working directory's upload: %s", exc)
        return []
    for path in found:
        log.warning("the working directory %s holds %s, which a Ray upload of it carries to "
                    "the cluster: keep QRAY_CLUSTER_DIR and tokens outside the tree (or list "
                    "them in .rayignore)", root, path)
    return found
