"""A third-party simulator backend: qray's numpy statevector under another name."""

from __future__ import annotations

from qray.simulators.backends.numpy_backend import NumpyBackend


class PluginNumpyBackend(NumpyBackend):
    name = "plugin-numpy"
