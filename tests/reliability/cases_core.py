"""Bad-input matrix cases (core): (config, overrides, key named, fragment of the message),
each refused by ``actors.sweep`` before any work with nothing written."""

from __future__ import annotations

from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"

SIM, NET = CONF / "simulators.yaml", CONF / "netsim_default.yaml"

CASES: list[tuple[Path, list[str], str, str]] = [
    (SIM, ["ray.address=not-a-host:99999"], "ray.address", "not-a-host:99999"),
    (SIM, ["ray.address=head"], "ray.address", "'head'"),
    (SIM, ["ray.address=ray://:10001"], "ray.address", "ray://:10001"),
    (SIM, ["n_qubits={start: 1, stop: 1000000000}"], "n_qubits", "1,000,000,000 values"),
    (SIM, ["depth={start: 1, stop: 100000000, step: 1}"], "depth", "100,000,000 values"),
    (NET, ["horizons={start: 1, stop: 1000000000}"], "horizons", "1,000,000,000 values"),
    (SIM, ["actor.memory_budget_mb=1e308"], "actor.memory_budget_mb", "1e+308"),
    (SIM, ["actor.max_rss_mb=1e308"], "actor.max_rss_mb", "1e+308"),
    (SIM, ["sweep_id=latest"], "sweep_id", "latest"),
    (SIM, ["sweep_id=../elsewhere"], "sweep_id", "../elsewhere"),
]
