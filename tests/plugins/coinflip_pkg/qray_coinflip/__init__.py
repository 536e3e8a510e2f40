"""A third-party qray workload: biased coins flipped on long-lived actors, one row per
repetition; and a third-party simulator backend. Everything qray needs is in ``spec.py``."""
