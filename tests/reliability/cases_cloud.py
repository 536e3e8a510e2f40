"""Bad-input matrix cases (cloud): (config, overrides, key named, fragment of the message),
each refused by ``actors.sweep`` before any work with nothing written."""

from __future__ import annotations

from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"
EVAL = CONF / "cloud_eval.yaml"

CASES: list[tuple[Path, list[str], str, str]] = [
    # physical parameters: bounded to ranges a researcher would accept
    (EVAL, ["env.node_clops.FakePerth=1e-300"], "env.node_clops.FakePerth",
     "a CLOPS figure in [1, 10000000]"),
    (EVAL, ["env.node_clops.FakePerth=1e12"], "env.node_clops.FakePerth", "1000000000000.0"),
    (EVAL, ["env.node_clops.FakeNowhere=2000"], "env.node_clops.FakeNowhere", "one of env.nodes"),
    (EVAL, ["env.clops_k=0"], "env.clops_k", "a number in [0.1, 1000]"),
    (EVAL, ["env.time_scale=1e9"], "env.time_scale", "seconds in [0.01, 1000000]"),
    (EVAL, ["env.time_scale=.inf"], "env.time_scale", "inf"),
    (EVAL, ["env.reschedule_delay=-1"], "env.reschedule_delay", "seconds in [0, 3600]"),
    (EVAL, ["env.reschedule_penalty=1e6"], "env.reschedule_penalty", "a number in [0, 1000]"),
    (EVAL, ["env.max_steps=10000000"], "env.max_steps", "tasks.per_episode (25), 1000000]"),
    (EVAL, ["env.obs_clip=0.5"], "env.obs_clip", "a number in [1, 10000]"),
    (EVAL, ["env.train_seed_limit=0"], "env.train_seed_limit", "an integer in [1, "),
    (EVAL, ["env.tasks.rate=1e-300"], "env.tasks.rate", "[0.0001, 1000] tasks per second"),
    (EVAL, ["env.tasks.arrival=uniform", "env.tasks.window=0"], "env.tasks.window",
     "[0.001, 1000000] seconds"),
    (EVAL, ["env.tasks.shots=0"], "env.tasks.shots", "an integer in [1, 1000000]"),
    (EVAL, ["env.tasks.per_episode=0"], "env.tasks.per_episode", "an integer in [1, 10000]"),
    (EVAL, ["env.tasks.pool_seed=-1"], "env.tasks.pool_seed", "an integer in [0, 2147483647]"),
    # nodes: only real fake backends
    (EVAL, ["env.nodes=[FakeProviderForBackendV2]"], "env.nodes[0]",
     "unknown fake backend 'FakeProviderForBackendV2'"),
    (EVAL, ["env.nodes=[FakeArmonkV2]"], "env.nodes[0]", "no CLOPS figure"),
    # task widths: named as env.tasks.widths, never as tasks.families
    (EVAL, ["env.tasks.widths=[]"], "env.tasks.widths", "a non-empty list of circuit widths"),
    (EVAL, ["env.nodes=[FakePerth,FakeLagosV2]", "env.tasks.widths=[2,9]"],
     "env.tasks.widths[1]", "at most 7 qubits"),
    (EVAL, ["env.tasks.qasm_files=[/nonexistent/circuit.qasm]"], "env.tasks.qasm_files[0]",
     "an existing OpenQASM file"),
    # policy folders that are not exported policies
    (EVAL, [f"policies.DQN={CONF}"], "policies.DQN", "is not an exported policy"),
    (EVAL, ["policies.FeasibleGreedy=/nonexistent/policy"], "policies.FeasibleGreedy",
     "clashes with a heuristic"),
    # the sweep's own counts
    (EVAL, ["episodes=0"], "episodes", "an integer in [1, 1000000]"),
    (EVAL, ["episodes_per_point=0"], "episodes_per_point", "an integer in [1, 100000]"),
]
