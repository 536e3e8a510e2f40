"""QNodes: the cloud's quantum computers, read from qiskit-ibm-runtime fake backends.

Every number comes from the backend's own ``configuration()`` and ``target`` (qubit count,
CLOPS, quantum volume, calibrated readout and gate errors); nothing is tabulated here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from qray.errors import ConfigError

DEFAULT_NODES = ("FakeWashingtonV2", "FakeKolkataV2", "FakeHanoiV2", "FakePerth", "FakeLagosV2")


@dataclass(frozen=True)
class QNode:
    """One quantum computer of the cloud (runs one task at a time)."""

    name: str
    backend: str
    num_qubits: int
    clops: float
    quantum_volume: int
    readout_error: float
    gate_error_1q: float
    gate_error_2q: float


@functools.cache
def fake_backend_names() -> list[str]:
    """Every fake *backend* class qiskit-ibm-runtime ships (``FakeWashingtonV2``, ...):
    subclasses of ``BackendV2``, not the providers (``FakeProviderForBackendV2``) nor the
    abstract base classes."""
    import inspect

    from qiskit.providers import BackendV2
    from qiskit_ibm_runtime import fake_provider
    from qiskit_ibm_runtime.fake_provider.fake_backend import FakeBackendV2

    names = []
    for n in dir(fake_provider):
        cls = getattr(fake_provider, n)
        if (n.startswith("Fake") and isinstance(cls, type) and issubclass(cls, BackendV2)
                and cls is not FakeBackendV2 and not inspect.isabstract(cls)):
            names.append(n)
    return sorted(names)


@functools.cache
def fake_backend(name: str, key: str = "nodes") -> Any:
    """An instance of the fake backend class ``name`` (cached per process)."""
    from qiskit_ibm_runtime import fake_provider

    if not isinstance(name, str) or name not in fake_backend_names():
        raise ConfigError(key, name, fake_backend_names(), problem="unknown fake backend")
    try:
        return getattr(fake_provider, name)()
    except Exception as exc:  # a backend whose bundled snapshot does not load
        raise ConfigError(key, name, "a fake backend of qiskit_ibm_runtime.fake_provider "
                          "that loads", problem=f"cannot load ({type(exc).__name__}: "
                          f"{' '.join(str(exc).split())[:200]})") from None


def _mean_error(target: Any, names: list[str]) -> float:
    errors = []
    for op in names:
        if op not in target.operation_names:
            continue
        for props in target[op].values():
            if props is not None and props.error is not None:
                errors.append(props.error)
    return float(np.mean(errors)) if errors else 0.0


@functools.cache
def make_node(backend_name: str, key: str = "nodes", clops: float | None = None) -> QNode:
    """The QNode of one fake backend, from its configuration and calibrated target.

    CLOPS is ``clops`` when given, else the configuration's ``clops`` (the figure of the
    studied devices), else its ``clops_h`` (newer devices report only that one).
    """
    backend = fake_backend(backend_name, key)
    conf = backend.configuration()
    clops = clops or getattr(conf, "clops", None) or getattr(conf, "clops_h", None)
    if not clops:
        raise ConfigError(key, backend_name, "a fake backend whose configuration has 'clops' "
                          "or 'clops_h'", problem="no CLOPS figure for",
                          hint=f"set env.node_clops.{backend_name}")
    target = backend.target
    two_q = [n for n in target.operation_names
             if target.operation_from_name(n).num_qubits == 2 and n != "swap"]
    one_q = [n for n in ("sx", "x") if n in target.operation_names]
    short = backend_name.removeprefix("Fake").removesuffix("V2").lower()
    return QNode(
        name=short,
        backend=backend_name,
        num_qubits=int(backend.num_qubits),
        clops=float(clops),
        quantum_volume=int(getattr(conf, "quantum_volume", 0) or 0),
        readout_error=_mean_error(target, ["measure"]),
        gate_error_1q=_mean_error(target, one_q),
        gate_error_2q=_mean_error(target, two_q),
    )


def build_nodes(names: list[str] | tuple[str, ...], key: str = "nodes",
                clops: dict[str, float] | None = None) -> list[QNode]:
    """The QNodes of ``names`` (fake backend class names), in order; ``clops`` overrides
    a backend's CLOPS figure."""
    if not names:
        raise ConfigError(key, list(names), "at least one fake backend name")
    if len(set(names)) != len(names):
        raise ConfigError(key, list(names), "distinct fake backend names",
                          problem="duplicate names in")
    clops = clops or {}
    return [make_node(n, f"{key}[{i}]", clops.get(n)) for i, n in enumerate(names)]
