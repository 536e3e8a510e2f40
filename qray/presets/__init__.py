"""The shipped config presets, found by name: ``--config netsim_paper2`` is
``jobs/conf/netsim_paper2.yaml``.

The YAML files live in ``jobs/conf/`` (the paths the docs use); ``qray/presets/conf`` links
there, so a built wheel carries copies of them as package data and an installed ``qray``
finds them outside a checkout.
"""

from __future__ import annotations

from pathlib import Path

from qray.errors import ConfigError, closest

#: the preset ``qray sweep`` runs without ``--config``
DEFAULT = "simulators"
#: the checkout's presets first (their paths are the ones the docs show), then the copies
#: a wheel installs beside this module
SEARCH_PATH = (Path(__file__).resolve().parents[2] / "jobs" / "conf",
               Path(__file__).resolve().parent / "conf")
SUFFIXES = (".yaml", ".yml")


def folder() -> Path | None:
    """The folder the presets are read from (None: none shipped here)."""
    return next((d for d in SEARCH_PATH if d.is_dir() and any(d.glob("*.yaml"))), None)


def names() -> list[str]:
    """Every preset's name (the file stem), sorted."""
    d = folder()
    return sorted(p.stem for p in d.glob("*.yaml")) if d is not None else []


def path(name: str) -> Path:
    """The file of preset ``name``; unknown names get the closest one."""
    d = folder()
    if d is not None and (d / f"{name}.yaml").is_file():
        return d / f"{name}.yaml"
    known = names()
    hint = closest(name, known)
    raise ConfigError("--config", name, "an existing YAML file or a preset name ("
                      + ", ".join(known) + ")", problem="no such file or preset",
                      hint=f"did you mean {hint!r}?" if hint else None)


def resolve(config: str | Path | None, *, default: str | None = DEFAULT) -> Path | None:
    """The YAML file ``--config`` names: an existing file, else a preset's name (a word
    without a folder or a ``.yaml`` suffix); None gives the ``default`` preset's file."""
    if config is None:
        return path(default) if default is not None else None
    p = Path(config)
    if p.is_file() or len(p.parts) != 1 or p.suffix in SUFFIXES:
        return p  # a path: load_config says when it does not exist
    return path(str(config))
