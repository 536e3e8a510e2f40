"""List simulator backends and why unavailable ones are: ``python jobs/backends.py``."""

import sys

import _bootstrap  # noqa: F401

from qray.__main__ import list_backends

if __name__ == "__main__":
    sys.stdout.write(list_backends() + "\n")
