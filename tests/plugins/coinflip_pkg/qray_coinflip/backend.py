"""A third-party simulator backend: qray's numpy statevector under another name."""

from __future__ import annotations

from qray.simulators.numpy_ref import NumpyBackend


class PluginNumpyBackend(NumpyBackend):
    name = "plugin-numpy"
