"""Run an experiment from Python or a notebook: one call, no YAML, the rows back as a
DataFrame.

    from actors.experiment import run

    def fidelity(n, gamma, shots, seed):
        ...
        return {"fidelity": f}

    df = run(fidelity, {"n": [2, 3, 4], "gamma": [0.01, 0.1]}, params={"shots": 4000},
             repetitions=5)

It lives in ``actors`` (the Ray layer) because it runs the sweep; ``qray`` never imports
Ray. Calling it again with the same callable and grid resumes: tasks with rows are not
run again. A callable defined in the notebook travels to the actors by value (Ray
pickles it) and its identity is its source (``inspect.getsource``), or ``version``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from qray.errors import QrayError

log = logging.getLogger(__name__)


def run(experiment: Callable[..., Any] | str, grid: Mapping[str, Any] | None = None, *,
        params: Mapping[str, Any] | None = None, repetitions: int = 1,
        actor_key: str | None = None, version: str | None = None,
        rerun_failed: bool = False, summarize: bool = True, progress: bool = True,
        **config: Any) -> pd.DataFrame:
    """Run (or resume) an experiment and return the rows of its current plan.

    Args:
        experiment: a function ``f(**params) -> dict``, a class built once per actor
            whose ``__call__(**params) -> dict`` runs each task, or an ``experiment:``
            reference (``"file.py:name"``, ``"module:name"``).
        grid: axis name -> list of values (or ``{start, stop, step}``); their cartesian
            product gives the grid points.
        params: fixed keyword arguments of every call.
        repetitions: tasks per grid point.
        actor_key: a grid or params key: one long-lived actor per value.
        version: replaces the hash of the callable's source in the task ids.
        rerun_failed: run the tasks whose rows are ``error`` or ``timeout`` again.
        summarize: write ``summary.md``, tables and plots into the sweep folder.
        progress: a progress bar (a notebook's widget under Jupyter, else the line).
        **config: any key every sweep takes: ``output_dir``, ``max_parallel``,
            ``timeout_s``, ``seed``, ``name``, ``sweep_id``, ``resources``, ``actor``
            (a dict), ``ray`` (a dict: ``{"num_cpus": 2}``), ``execution``, ...

    Returns:
        The rows of the plan's tasks (one per task, its newest), with the sweep folder in
        ``df.attrs["sweep_dir"]``.

    Raises:
        QrayError: a bad config (before any work), or a sweep stopped by an error that
            every retry would repeat.
    """
    from actors.runtime.driver import run_sweep
    from qray.config import config_from_dict
    from qray.experiment.source import register_object

    ref = experiment if isinstance(experiment, str) else register_object(experiment)
    data: dict[str, Any] = {"workload": "experiment", "experiment": ref,
                            "grid": dict(grid or {}), "params": dict(params or {}),
                            "repetitions": repetitions, "actor_key": actor_key,
                            "version": version, **config}
    cfg = config_from_dict(data)
    bar = _progress_bar(cfg.resolved_sweep_id) if progress else None
    report = run_sweep(cfg, rerun_failed=rerun_failed, summarize=summarize,
                       progress_bar=bar)
    if report.trial_errors:
        raise QrayError(f"{len(report.trial_errors)} trial(s) of sweep {report.sweep_id} "
                        f"failed: {report.trial_errors[0]}; call again to retry them")
    return plan_rows(cfg)


def plan_rows(cfg: Any) -> pd.DataFrame:
    """The rows of ``cfg``'s plan, in plan order (grid order, then repetition; a sweep
    folder can hold rows of earlier plans)."""
    from qray.experiment.workload import plan
    from qray.results import load

    order = {t.strong_id: i for i, t in enumerate(t for p in plan(cfg).points for t in p.tasks)}
    df = load(cfg.sweep_dir)
    rank = df["task_id"].map(order)
    out = df[rank.notna()].assign(_rank=rank).sort_values("_rank", kind="stable")
    out = out.drop(columns="_rank").reset_index(drop=True)
    out.attrs.update(df.attrs)
    return out


def _progress_bar(sweep_id: str) -> Any:
    """A tqdm notebook bar under Jupyter; None elsewhere (the usual progress line)."""
    if not _in_notebook():
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm comes with Ray
        return None
    return tqdm(total=0, desc=sweep_id, unit="task")


def _in_notebook() -> bool:
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"
