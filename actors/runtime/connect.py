"""Connecting the driver to Ray: an embedded local Ray, or a head named by `RAY_ADDRESS`
or `ray.address` (checked to be reachable, and to speak Ray's gRPC, before `ray.init`)."""

from __future__ import annotations

import logging
import os
import socket
import sys
from pathlib import Path

import ray

from actors.runtime.pool import NAMESPACE
from qray.config import ADDRESS_ALLOWED, SweepConfig, parse_address
from qray.errors import ConfigError

log = logging.getLogger(__name__)
#: the repository: what a driver outside `ray job submit` ships to the cluster's workers
REPO_ROOT = Path(__file__).resolve().parents[2]

#: how long the driver tries to reach a Ray head's port before giving up
CONNECT_TIMEOUT_S = 10.0


def connect(cfg: SweepConfig) -> bool:
    """Connect to Ray as configured; returns True when this call started a local Ray.

    ``ray.address: null`` joins the cluster in ``RAY_ADDRESS`` (``ray job submit`` sets
    it) and otherwise starts an embedded local Ray; ``auto`` joins a ``ray start``
    cluster; ``local`` always starts an embedded one.
    """
    if ray.is_initialized():
        return False
    address = cfg.ray.address
    key = "ray.address"
    if address is None:
        address = os.environ.get("RAY_ADDRESS") or "local"
        key = "RAY_ADDRESS"
    if address != "local":
        check_reachable(key, address)
    if address == "local":
        pythonpath = os.pathsep.join(
            p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p
        )
        quiet_ray_output()
        # the embedded Ray's processes inherit this process's environment: its workers,
        # the ones Ray starts ahead of need included, find the repository without a
        # runtime_env (whose own worker processes would start each actor a second later)
        os.environ["PYTHONPATH"] = pythonpath
        ray.init(
            num_cpus=cfg.ray.num_cpus,
            include_dashboard=cfg.ray.include_dashboard,
            dashboard_host=cfg.ray.dashboard_host,
            namespace=NAMESPACE,
            logging_level=logging.WARNING,
        )
        from actors.runtime.exposure import warn_if_exposed

        warn_if_exposed()
        return True
    from actors.runtime.workdir import warn_secrets

    runtime_env = None
    if not os.environ.get("RAY_JOB_CONFIG_JSON_ENV_VAR"):
        # a driver outside `ray job submit` ships the repository to the cluster's workers
        # the way the job CLI does (.gitignore and .rayignore respected)
        runtime_env = {"working_dir": str(REPO_ROOT)}
        warn_secrets(REPO_ROOT)
    else:  # a submitted job: its working directory was uploaded already
        warn_secrets(Path.cwd())
    quiet_ray_output()
    try:
        ray.init(address=address, namespace=NAMESPACE, runtime_env=runtime_env,
                 logging_level=logging.WARNING)
    except ConnectionError as exc:  # `auto` with no cluster running here
        raise ConfigError(key, address, "the host:port of a running Ray head, or 'local' for "
                          "an embedded Ray (`ray start --head` starts a cluster 'auto' finds)",
                          problem=f"no running Ray cluster ({' '.join(str(exc).split())[:160]}) "
                                  "for") from None
    return False


def quiet_ray_output() -> None:
    """Ray's own INFO lines stay out of a sweep's output (the ``ray`` logger at WARNING,
    set by ``ray.init``), and the worker-log prefixes Ray forwards carry no colour codes
    when the output is not a terminal (a file, a pipe, ``ray job logs``)."""
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        os.environ.setdefault("RAY_COLOR_PREFIX", "0")


def check_reachable(key: str, address: str) -> None:
    """Refuse a Ray address that is malformed or whose head does not answer within
    ``CONNECT_TIMEOUT_S`` (Ray itself would retry for minutes, printing only GCS logs)."""
    if address == "auto":
        return  # Ray finds the local `ray start` cluster; connect() says when there is none
    hostport = parse_address(address)
    if hostport is None:
        if key == "RAY_ADDRESS" and os.environ.get("RAY_JOB_CONFIG_JSON_ENV_VAR"):
            return  # set by Ray itself (a submitted job) in a form Ray knows
        hint = (" (an http:// address is the job server's, for `ray job submit`; a driver "
                "joins the head's GCS port, 6379 by default)"
                if address.startswith(("http://", "https://")) else "")
        raise ConfigError(key, address, ADDRESS_ALLOWED + hint)
    allowed = ("the host:port of a running Ray head (`ray start --head` prints it), 'auto', "
               "or 'local' for an embedded Ray")
    try:
        answer = speaks_grpc(hostport)
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        raise ConfigError(key, address, allowed,
                          problem=f"cannot reach the Ray head ({reason}) at") from None
    if answer is not None:
        raise ConfigError(key, address, allowed,
                          problem=f"not a Ray head ({answer}) at") from None


#: an HTTP/2 client's connection preface and an empty SETTINGS frame: Ray's GCS and Ray
#: Client servers are gRPC (HTTP/2) and answer it with a SETTINGS frame of their own
_H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])


#: how long a head may take to answer that preface
PROBE_TIMEOUT_S = 4.0


def speaks_grpc(hostport: tuple[str, int]) -> str | None:
    """None when the server at ``hostport`` answers an HTTP/2 preface with a SETTINGS
    frame (a gRPC server, as Ray's head is); else what it did instead. An OSError when
    it cannot be reached within ``CONNECT_TIMEOUT_S``. A server that accepts and never
    answers (Ray would retry its GCS for minutes) is caught here within seconds. With
    ``RAY_USE_TLS`` set the head speaks TLS first, and only reachability is checked."""
    with socket.create_connection(hostport, timeout=CONNECT_TIMEOUT_S) as sock:
        if os.environ.get("RAY_USE_TLS", "0") not in ("", "0", "false"):
            return None
        sock.settimeout(PROBE_TIMEOUT_S)
        try:
            sock.sendall(_H2_PREFACE)
            head = b""
            while len(head) < 9:
                chunk = sock.recv(9 - len(head))
                if not chunk:
                    return "it closed the connection without an HTTP/2 answer"
                head += chunk
        except TimeoutError:
            return f"it accepted the connection but sent nothing for {PROBE_TIMEOUT_S:g} s"
    if head[3] != 4:  # frame type SETTINGS
        return f"it answered {head[:9]!r}, not an HTTP/2 SETTINGS frame"
    return None
