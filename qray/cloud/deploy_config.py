"""Loading ``jobs/deploy_scheduler.py``'s config (YAML + overrides, validated)."""

from __future__ import annotations

import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qray.cloud.deploy import DeployConfig
from qray.config import build
from qray.errors import ConfigError


def load_deploy_config(path: str | Path, overrides: Sequence[str] = ()) -> DeployConfig:
    from omegaconf import OmegaConf

    p = Path(path)
    if not p.is_file():
        raise ConfigError("--config", str(path), "an existing YAML file", problem="no such file")
    data: dict[str, Any] = typing.cast(dict, OmegaConf.to_container(OmegaConf.load(p),
                                                                    resolve=True))
    for item in overrides:
        if "=" not in item or item.startswith("="):
            raise ConfigError("override", item, "key=value, e.g. scheduler=FeasibleGreedy",
                              problem="malformed override")
    merged = OmegaConf.merge(OmegaConf.create(data), OmegaConf.from_dotlist(list(overrides)))
    return build(DeployConfig, OmegaConf.to_container(merged, resolve=True), prefix="")
