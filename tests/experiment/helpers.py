"""Experiment files the tests write: small callables with known answers."""

from __future__ import annotations

import textwrap
from pathlib import Path

FUNCTION = '''
import os


def square(x, scale=1.0, seed=0):
    # a comment the identity tests edit
    return {"y": scale * x * x, "seed_seen": seed, "worker_pid": os.getpid()}
'''

CLASS = '''
import os
import uuid


class Squarer:
    def __init__(self, backend):
        self.backend = backend
        self.instance = uuid.uuid4().hex  # one per construction

    def __call__(self, backend, x):
        return {"y": x * x, "instance": self.instance, "worker_pid": os.getpid()}
'''

FAILING = '''
def flaky(x):
    if x == 2:
        raise ValueError("x=2 is not allowed")
    if x == 3:
        return {"y": "three"}  # another type than the other tasks' float
    return {"y": float(x)}
'''


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def yaml_file(folder: Path, text: str, name: str = "exp.yaml") -> Path:
    return write(folder, name, text)
