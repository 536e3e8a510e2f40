"""Circuits and maps: loading and expanding circuits, coupling maps, the benchmark sets,
the routed result, its verifier and the Qiskit transpiler pass."""
