"""Loading ``jobs/deploy_scheduler.py``'s config (YAML + overrides, validated)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qray.cloud.deploy import DeployConfig
from qray.config import build, load_mapping


def load_deploy_config(path: str | Path, overrides: Sequence[str] = ()) -> DeployConfig:
    """The validated ``DeployConfig`` of a YAML file and ``key=value`` overrides."""
    return build(DeployConfig, load_mapping(path, overrides), prefix="")
