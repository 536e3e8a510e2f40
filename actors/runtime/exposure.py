"""What the embedded Ray exposes to the network.

Ray 2.60 binds its GCS, raylet, object manager and worker gRPC servers (and some agents)
to every interface whatever the node address is (``ray.init(_node_ip_address=...)``
changes what it advertises, not what it binds; no setting narrows it). What qray controls
is bound to loopback: the dashboard (``ray.dashboard_host``, default 127.0.0.1). The
guard against a stranger on the network running code in those servers is Ray's token
authentication (``RAY_AUTH_MODE=token``, Ray's default for local clusters): with it
switched off, qray says which sockets listen beyond loopback, once per embedded Ray.
"""

from __future__ import annotations

import ipaddress
import logging
import os

import psutil

log = logging.getLogger(__name__)


def open_listeners(pid: int | None = None) -> list[tuple[str, int, str]]:
    """``(address, port, process name)`` of every TCP socket that the processes started
    by ``pid`` (default: this one) listen on beyond loopback."""
    out: list[tuple[str, int, str]] = []
    try:
        procs = psutil.Process(pid or os.getpid()).children(recursive=True)
    except psutil.Error:
        return out
    for proc in procs:
        try:
            conns = proc.net_connections(kind="tcp")
            name = proc.name()
        except psutil.Error:
            continue
        for c in conns:
            if c.status != psutil.CONN_LISTEN or not c.laddr:
                continue
            try:
                loopback = ipaddress.ip_address(c.laddr.ip.split("%")[0]).is_loopback
            except ValueError:
                loopback = False
            if not loopback:
                out.append((c.laddr.ip, c.laddr.port, name))
    return sorted(set(out))


def warn_if_exposed() -> list[tuple[str, int, str]]:
    """After the embedded Ray started: with ``RAY_AUTH_MODE=disabled``, log a warning that
    names its sockets beyond loopback (anyone who reaches them can run code). Returns
    those sockets (empty when auth is on: nothing to warn about)."""
    if os.environ.get("RAY_AUTH_MODE", "").lower() != "disabled":
        return []
    found = open_listeners()
    if found:
        shown = ", ".join(f"{name} on {addr}:{port}" for addr, port, name in found[:6])
        more = f" and {len(found) - 6} more" if len(found) > 6 else ""
        log.warning("RAY_AUTH_MODE=disabled: the embedded Ray listens beyond loopback on %d "
                    "socket(s) (%s%s); Ray binds its servers to every interface, so any "
                    "host that reaches this machine can run code in it. Unset RAY_AUTH_MODE "
                    "(Ray's token authentication) unless this machine is isolated",
                    len(found), shown, more)
    return found
