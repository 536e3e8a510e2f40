"""``qray new experiment NAME``: a commented starter experiment that runs as it is, a
function version and a class version, each with its YAML."""

from __future__ import annotations

from pathlib import Path

from qray.errors import ConfigError

PYTHON = '''"""{name}: a starter qray experiment. Run it with

    qray sweep --config {name}.yaml          # the function below
    qray sweep --config {name}_class.yaml    # the class below (one instance per actor)

Each task calls your code with one grid point's values plus `params`; the dict it returns
becomes the row's columns (numbers, bools, strings, lists of numbers). Rows land under
results/<sweep id>/, with summary.md, CSV tables and plots beside them; rerunning the
same command resumes (tasks with rows are not run again). Editing this file gives new
task ids (its source hash is part of them) unless the YAML sets `version:`.
"""

import numpy as np


def {name}(p: float, shots: int, seed: int) -> dict:
    """Bell pair |00>+|11> with each qubit flipped with probability p; estimate the
    probability that both qubits still agree (exact: p**2 + (1-p)**2)."""
    rng = np.random.default_rng(seed)  # qray passes a stable per-task seed
    flips = rng.random((shots, 2)) < p
    agree = np.mean(flips[:, 0] == flips[:, 1])
    return {{"agree": float(agree), "exact": p**2 + (1 - p) ** 2}}


class {cls}:
    """The same estimate from a class: __init__ runs once per actor (build a simulator,
    load a model, warm a JIT there) with the value of the YAML's actor_key."""

    def __init__(self, method: str) -> None:
        self.method = method  # "exact" or "sampled"

    def __call__(self, method: str, p: float, shots: int, seed: int) -> dict:
        if self.method == "exact":
            return {{"agree": p**2 + (1 - p) ** 2}}
        return {{"agree": {name}(p, shots, seed)["agree"]}}
'''

YAML = '''# qray sweep --config {name}.yaml   (any key can be overridden: p=[0.1,0.2] shots=100)
experiment: {name}.py:{name}   # <file>.py:<callable>, relative to this YAML
grid:                          # the cartesian product of these lists
  p: [0.0, 0.05, 0.1, 0.2]     # or {{start: 0.0, stop: 0.2, step: 0.05}}
params: {{shots: 2000}}          # the same for every task
repetitions: 3                 # tasks per grid point, each with its own seed
# version: v1                  # set it to keep task ids across edits of the file
# timeout_s: 60                # a longer call becomes a `timeout` row
'''

YAML_CLASS = '''# qray sweep --config {name}_class.yaml
experiment: {name}.py:{cls}    # a class: built once per actor
grid:
  method: [exact, sampled]     # actor_key below: one long-lived actor per method
  p: [0.0, 0.1, 0.2]
params: {{shots: 2000}}
repetitions: 3
actor_key: method              # the constructor gets this key's value
'''


def write_starter(name: str, folder: str | Path = ".") -> list[Path]:
    """Write ``NAME.py``, ``NAME.yaml`` and ``NAME_class.yaml`` into ``folder``; refuses
    an invalid name or files that exist."""
    if not name.isidentifier() or not name.isascii():
        raise ConfigError("NAME", name, "a Python identifier (letters, digits, '_')")
    folder = Path(folder)
    cls = "".join(part.capitalize() for part in name.split("_")) or "Experiment"
    if cls == name:
        cls += "Experiment"
    files = {folder / f"{name}.py": PYTHON, folder / f"{name}.yaml": YAML,
             folder / f"{name}_class.yaml": YAML_CLASS}
    taken = [str(p) for p in files if p.exists()]
    if taken:
        raise ConfigError("NAME", name, "a name whose files do not exist yet",
                          problem=f"would overwrite {', '.join(taken)}:")
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text.format(name=name, cls=cls), encoding="utf-8")
    return list(files)
