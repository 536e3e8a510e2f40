"""The Ray layer of qray: thin actor shells, the actor pool, the Tune executor, the sweep
driver and the ``qray`` command (``actors.cli``). Everything that imports Ray lives here
or in ``jobs/``.

The exports load on first use, so ``import actors`` (and the ``qray`` command's
``--dry-run``, ``keys`` and ``backends``) import no Ray.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["SweepReport", "connect", "run_sweep", "sweep"]

#: export -> the module that defines it
_EXPORTS = {name: "actors.runtime.driver" for name in __all__}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    try:  # `import actors; actors.runtime.driver.X`: a submodule not imported yet
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
