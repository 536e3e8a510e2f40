"""Conformance checkers for simulator backends and for workloads (``check_workload``),
usable by third-party backends and workloads too.

Each checker raises AssertionError with a message naming the backend, the circuit and the
measured discrepancy.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import stats

from qray.circuits.ir import Circuit
from qray.circuits.noise import NoiseSpec
from qray.simulators.backends.base import Backend
from qray.simulators.backends.numpy_backend import ideal_probabilities

#: exact distributions must match the float64 reference to this absolute tolerance per
#: outcome (qsim computes in complex64, hence not 1e-12)
PROB_ATOL = 1e-5
#: a sampled histogram fails the chi-square goodness-of-fit test below this p-value
#: (with ~80 checks in the suite, a false alarm has probability < 1e-4)
CHI2_MIN_PVALUE = 1e-6


def assert_probabilities_match(backend: Backend, circuit: Circuit,
                               atol: float = PROB_ATOL) -> float:
    """The backend's exact noiseless distribution equals the numpy reference."""
    ref = ideal_probabilities(circuit)
    got = np.asarray(backend.probabilities(circuit), dtype=float)
    assert got.shape == ref.shape, f"{backend.name}: {got.shape} outcomes, expected {ref.shape}"
    err = float(np.abs(got - ref).max())
    assert err <= atol, (f"{backend.name} on {circuit.family}({circuit.n_qubits}): "
                         f"max |p - p_ref| = {err:.2e} > {atol:.0e}")
    return err


def chi_square_pvalue(outcomes: np.ndarray, probs: np.ndarray, *, min_expected: float = 5.0) -> float:
    """p-value of a chi-square goodness-of-fit test of ``outcomes`` against ``probs``.

    Outcomes whose expected count is below ``min_expected`` are pooled into one bin;
    an outcome of probability zero that was observed gives p = 0.
    """
    shots = outcomes.size
    observed = np.bincount(outcomes, minlength=probs.size).astype(float)
    if observed[probs <= 1e-12].sum() > 0:
        return 0.0
    expected = probs * shots
    big = expected >= min_expected
    obs = list(observed[big])
    exp = list(expected[big])
    rest_exp = expected[~big].sum()
    if rest_exp > 0:
        obs.append(observed[~big].sum())
        exp.append(rest_exp)
    if len(obs) < 2:
        return 1.0
    exp_arr = np.asarray(exp)
    exp_arr *= shots / exp_arr.sum()
    return float(stats.chisquare(np.asarray(obs), exp_arr).pvalue)


def assert_samples_match(backend: Backend, circuit: Circuit, *, shots: int = 4000,
                         seed: int = 1234, noise: NoiseSpec | None = None) -> float:
    """The backend's sampled histogram is consistent with the reference distribution."""
    noise = noise or NoiseSpec()
    probs = ideal_probabilities(circuit, noise)
    outcomes = np.asarray(backend.compile(circuit, noise).sample(shots, seed))
    assert outcomes.shape == (shots,), f"{backend.name}: got {outcomes.shape} samples"
    p = chi_square_pvalue(outcomes, probs)
    assert p >= CHI2_MIN_PVALUE, (f"{backend.name} on {circuit.family}({circuit.n_qubits}): "
                                  f"chi-square p = {p:.2e} < {CHI2_MIN_PVALUE:.0e}")
    return p


def ghz_population(outcomes: np.ndarray, n_qubits: int) -> float:
    """Fraction of shots in |0...0> or |1...1>."""
    ones = (1 << n_qubits) - 1
    return float(np.mean((outcomes == 0) | (outcomes == ones)))


# -- workloads ----------------------------------------------------------------------------


def check_workload(spec: Any, config: Any = None, overrides: Sequence[str] = ()) -> dict:
    """Check that a workload honours the contract the runtime relies on (in the style of
    Gymnasium's ``check_env``): its config loads, its plan has points with unique,
    content-addressed tasks, its task specs carry what the executor sends, one task run
    in-process by its plain worker gives a row of its schema with the metric tag filled,
    and its crash row fits the schema too. Needs no Ray.

    Args:
        spec: a ``WorkloadSpec`` or a registered workload name.
        config: a YAML path, a mapping of config keys, or None for the spec's defaults.
        overrides: ``key=value`` overrides applied to a YAML config.

    Returns:
        What was checked: ``{"workload", "points", "tasks", "row", "crash_row"}``.

    Raises:
        AssertionError: naming the workload and the broken part of the contract.
    """
    import pyarrow as pa

    from qray.config import config_from_dict, load_config
    from qray.results.schema import COMMON_FIELDS, STATUSES
    from qray.workloads import WorkloadSpec, get_spec

    spec = get_spec(spec) if isinstance(spec, str) else spec
    assert isinstance(spec, WorkloadSpec), f"{spec!r} is not a WorkloadSpec"
    name = spec.name
    if config is None or isinstance(config, Mapping):
        cfg = config_from_dict({"workload": name, **dict(config or {})})
    else:
        cfg = load_config(config, list(overrides))
    assert cfg.workload == name, f"{name}: the config is for workload {cfg.workload!r}"
    schema = spec.load("schema")
    assert isinstance(schema, pa.Schema), f"{name}: schema is a {type(schema).__name__}"
    assert (schema.metadata or {}).get(b"qray.workload") == name.encode(), \
        f"{name}: the schema's qray.workload metadata must be {name!r} (use make_schema)"
    missing = [f.name for f in COMMON_FIELDS if f.name not in schema.names]
    assert not missing, f"{name}: schema lacks the common columns {missing}"
    if spec.metric_tag:
        assert spec.metric_tag in schema.names, \
            f"{name}: metric tag column {spec.metric_tag!r} is not in the schema"
    module = importlib.import_module(spec.workload)
    plan = module.plan(cfg)
    assert plan.points, f"{name}: the plan has no points"
    ids = [t.strong_id for p in plan.points for t in p.tasks]
    assert len(ids) == plan.n_tasks and len(set(ids)) == len(ids), \
        f"{name}: task ids must be unique ({len(ids) - len(set(ids))} repeated)"
    assert len({p.point_id for p in plan.points}) == len(plan.points), \
        f"{name}: point ids must be unique"
    again = module.plan(cfg)
    assert [t.strong_id for p in again.points for t in p.tasks] == ids, \
        f"{name}: planning the same config twice gave other task ids"
    point = next(p for p in plan.points if p.tasks)
    key = spec.key_of(point, plan)
    specs = module.task_specs(point, cfg, "check-sweep", None)
    assert [s["task_id"] for s in specs] == [t.strong_id for t in point.tasks], \
        f"{name}: task_specs must give one spec per task of the point, in order"
    for s in specs:
        absent = {"task_id", "point_id", "seed", "params"} - set(s)
        assert not absent, f"{name}: a task spec lacks {sorted(absent)}"
    checked: dict[str, Any] = {"workload": name, "points": len(plan.points),
                               "tasks": plan.n_tasks, "row": None}
    if spec.worker:
        res = cfg.resources_for(spec.resources_entry(key))
        worker = resolve_worker(spec)(**spec.worker_arguments(cfg, key, res))
        rows = worker.run_batch(specs[:1])
        assert len(rows) == 1, f"{name}: run_batch of one spec gave {len(rows)} rows"
        row = rows[0]
        assert row["task_id"] == specs[0]["task_id"], f"{name}: the row's task_id differs"
        assert row["status"] in STATUSES, f"{name}: status {row['status']!r}"
        assert row["workload"] == name, f"{name}: the row's workload is {row['workload']!r}"
        _table(rows, schema)  # raises on columns outside the schema or wrong types
        if spec.metric_tag:
            assert row.get(spec.metric_tag), f"{name}: the row's {spec.metric_tag!r} is empty"
        checked["row"] = row
    crash = spec.crash_row_of(specs[0], "check_workload: the actor died", key)
    assert crash["status"] == "error" and "the actor died" in (crash.get("error") or ""), \
        f"{name}: a crash row is an error row carrying the message"
    _table([crash], schema)
    checked["crash_row"] = crash
    return checked


def _table(rows: list[dict], schema: Any) -> Any:
    """The rows as the executor writes them: exactly the schema, or for an open schema
    the schema plus the rows' own columns with their types held (in a scratch folder)."""
    import tempfile

    from qray.results.held import table_of

    with tempfile.TemporaryDirectory(prefix="qray-check-") as folder:
        table = table_of([dict(r) for r in rows], schema, folder)
    bad = [r for r in table.to_pylist() if r["status"] == "error" and r.get("error")
           and "a column's type is held" in r["error"]]
    assert not bad, f"rows of one task disagree on a column's type: {bad[0]['error']}"
    return table


def resolve_worker(spec: Any) -> Any:
    """The plain worker class a spec names."""
    from qray.workloads import resolve

    return resolve(spec.worker)
