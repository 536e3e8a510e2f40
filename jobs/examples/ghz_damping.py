"""Fidelity of an n-qubit GHZ state after amplitude damping, sampled on qiskit-aer."""
from qiskit import QuantumCircuit
from qiskit_aer import AerSimulator
from qiskit_aer.noise import amplitude_damping_error


def fidelity(n: int, gamma: float, shots: int, seed: int) -> dict:
    ghz = QuantumCircuit(n)
    ghz.h(0)
    for q in range(n - 1):
        ghz.cx(q, q + 1)
    qc = ghz.copy()
    for q in range(n):  # the damping channel on every qubit
        qc.append(amplitude_damping_error(gamma), [q])
    qc.compose(ghz.inverse(), inplace=True)  # undo the preparation: F = P(0...0)
    qc.measure_all()
    counts = AerSimulator().run(qc, shots=shots, seed_simulator=seed).result().get_counts()
    f = counts.get("0" * n, 0) / shots
    return {"fidelity": f, "stderr": (f * (1 - f) / shots) ** 0.5}
