"""Qubit allocators: per-path capacities, re-decided every ``epoch`` frames."""
