"""The simulator registry: a plain ``{name: backend}`` dict. Building it imports no
simulator library; each backend imports its library when first used.

Third-party backends join through the entry-point group ``qray.backends``: each entry
names a ``Backend`` subclass (built with no arguments), an instance, or a function
returning one or a list of them::

    [project.entry-points."qray.backends"]
    mysim = "mysim.qray_backend:MySimBackend"
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points

from qray.errors import ConfigError, UnknownNameError
from qray.simulators.backends.aer_backend import AerBackend
from qray.simulators.backends.base import Backend
from qray.simulators.backends.cirq_backend import CirqBackend
from qray.simulators.backends.numpy_backend import NumpyBackend
from qray.simulators.backends.pennylane_backend import PennyLaneBackend
from qray.simulators.backends.qsim_backend import QsimBackend
from qray.simulators.backends.stim_backend import StimBackend


def _all_backends() -> dict[str, Backend]:
    backends: list[Backend] = [
        NumpyBackend(),
        AerBackend("qiskit-aer", aer_method="automatic"),
        AerBackend("qiskit-aer-density", aer_method="density_matrix"),
        AerBackend("qiskit-aer-gpu", aer_method="statevector", device="GPU"),
        CirqBackend(),
        QsimBackend(),
        StimBackend(),
        PennyLaneBackend("pennylane-default-qubit", device="default.qubit"),
        PennyLaneBackend(
            "pennylane-lightning-qubit",
            device="lightning.qubit",
            modules=("pennylane", "pennylane_lightning.lightning_qubit"),
            distribution="pennylane-lightning",
        ),
        PennyLaneBackend(
            "pennylane-lightning-kokkos",
            device="lightning.kokkos",
            modules=("pennylane", "pennylane_lightning.lightning_kokkos_ops"),
            distribution="pennylane-lightning-kokkos",
        ),
        PennyLaneBackend("pennylane-default-mixed", device="default.mixed", noise=True),
        PennyLaneBackend(
            "pennylane-lightning-gpu",
            device="lightning.gpu",
            modules=("pennylane", "pennylane_lightning.lightning_gpu_ops"),
            distribution="pennylane-lightning-gpu",
            gpu=True,
        ),
    ]
    found = {b.name: b for b in backends}
    for b in _plugin_backends():
        if b.name in found:
            log.warning("backend %r from entry point group %s ignored: the name is taken",
                        b.name, ENTRY_POINT_GROUP)
            continue
        found[b.name] = b
    return found


ENTRY_POINT_GROUP = "qray.backends"
log = logging.getLogger(__name__)


#: entry points of ``qray.backends`` that could not be loaded: name -> why (each is
#: listed by ``qray backends``; the other backends work as ever)
BROKEN: dict[str, str] = {}


def _plugin_backends() -> list[Backend]:
    """Fresh instances of the backends the ``qray.backends`` entry points provide; an
    entry point that raises (on import or when called) or gives no backend is left out,
    logged and recorded in :data:`BROKEN`."""
    out: list[Backend] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
            if callable(obj) and not isinstance(obj, Backend):
                obj = obj()  # a Backend subclass, or a factory
            found = list(obj) if isinstance(obj, list | tuple) else [obj]
            if not all(isinstance(b, Backend) and b.name for b in found):
                raise TypeError("gives no named qray.simulators.backends.base.Backend")
        except Exception as exc:  # a plugin's bug must not break every other backend
            why = f"entry point {ep.name}={ep.value} ({ENTRY_POINT_GROUP}) failed: " \
                  f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
            if ep.name not in BROKEN:
                log.warning("backend plugin left out: %s", why)
            BROKEN[ep.name] = why
            continue
        out.extend(found)
    return out


BACKENDS: dict[str, Backend] = _all_backends()


def get_backend(name: str, *, key: str = "backends") -> Backend:
    """The backend registered as ``name``; unknown names suggest the closest one."""
    if name not in BACKENDS:
        if name in BROKEN:
            raise ConfigError(key, name, f"one of {sorted(BACKENDS)}",
                              problem=f"a backend plugin that cannot load ({BROKEN[name]}):")
        raise UnknownNameError(key, name, "backend", BACKENDS)
    return BACKENDS[name]


def new_backend(name: str) -> Backend:
    """A fresh, private instance of backend ``name`` (actors own their instance)."""
    get_backend(name)
    return _all_backends()[name]


def availability() -> dict[str, str | None]:
    """``{name: None if available else reason}`` for every registered backend."""
    return {name: b.unavailable_reason() for name, b in BACKENDS.items()}


def installed_backends(*, include_gpu: bool = False) -> list[str]:
    """Names of the backends that can run on this machine (CPU ones unless asked)."""
    return [
        name for name, reason in availability().items()
        if reason is None and (include_gpu or not BACKENDS[name].gpu)
    ]
