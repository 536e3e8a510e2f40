"""Quantum-network entanglement-routing testbeds: physics models, attack scenarios, qubit
allocators and bandit learners, and the experiment runner that plays them together."""
