"""The ``cloud`` workload: quantum-cloud task placement.

QNodes from qiskit-ibm-runtime fake backends (``nodes``), tasks with transpiled depths per
node (``tasks``), the SimPy cloud (``sim``), the Gymnasium env ``qray/QuantumCloud-v0``
(``env``), heuristic schedulers (``heuristics``), seeded evaluation (``evaluate``) and
inference-only learned schedulers (``policy``, torch + numpy only). Nothing is imported
here, so ``qray.cloud.policy`` loads without Gymnasium.
"""
