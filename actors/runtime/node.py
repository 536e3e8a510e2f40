"""The Ray node a row was computed on: its node id, host name, CPU model and cores and GPU,
stamped on every row by the actor that ran the task (a trial runs on the driver's node,
its actors anywhere)."""

from __future__ import annotations

import functools
import socket
from collections.abc import Iterable
from typing import Any

import ray

from qray.provenance import host_facts


@functools.cache
def node_identity() -> dict[str, Any]:
    """This process's Ray node id, host name and hardware (``qray.provenance.host_facts``)."""
    return {"node_id": ray.get_runtime_context().get_node_id(), "host": socket.gethostname(),
            **host_facts()}


def stamp_node(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with this process's node identity and hardware."""
    ident = node_identity()
    return [{**row, **ident} for row in rows]
