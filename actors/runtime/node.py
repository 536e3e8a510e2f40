"""The Ray node a row was computed on: its node id and host name, stamped on every row
by the actor that ran the task (a trial runs on the driver's node, its actors anywhere)."""

from __future__ import annotations

import functools
import socket
from collections.abc import Iterable
from typing import Any

import ray


@functools.cache
def node_identity() -> dict[str, str]:
    """This process's Ray node id and host name."""
    return {"node_id": ray.get_runtime_context().get_node_id(), "host": socket.gethostname()}


def stamp_node(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with this process's ``node_id`` and ``host``."""
    ident = node_identity()
    return [{**row, **ident} for row in rows]
