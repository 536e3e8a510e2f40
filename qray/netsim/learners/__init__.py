"""Bandit learners: each frame they pick a path and an arm (qubit split) inside it."""
