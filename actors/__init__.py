"""The Ray layer of qray: thin actor shells, the actor pool, the Tune executor and the
sweep driver. Everything that imports Ray lives here or in ``jobs/``."""

from actors.driver import SweepReport, connect, run_sweep, sweep

__all__ = ["SweepReport", "connect", "run_sweep", "sweep"]
