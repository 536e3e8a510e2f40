"""What a sweep did: the driver's report, filled as the sweep runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qray.chunks import FAILED_STATUSES


@dataclass
class SweepReport:
    """What a sweep did."""

    sweep_id: str
    sweep_dir: Path
    total_tasks: int
    skipped_tasks: int
    run_tasks: int
    trials: int
    trial_errors: list[str] = field(default_factory=list)
    pool_stats: dict[str, Any] = field(default_factory=dict)
    unreadable_files: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    summary_md: str = ""
    #: whether this run started or joined Ray (a sweep with nothing to do does not)
    ray_used: bool = False
    #: tasks per chunk this run cut its pending tasks into (0: a trial per grid point)
    chunk_tasks: int = 0
    #: rows of the plan's tasks by status, after the run (``{"ok": 330, "error": 2}``)
    status_counts: dict[str, int] = field(default_factory=dict)
    #: what differs from the provenance of the run that last wrote the sweep
    provenance_changes: dict[str, list[Any]] = field(default_factory=dict)
    #: tasks whose rows this run copied from other sweeps of the output folder (counted
    #: in ``skipped_tasks``), and from which sweeps
    reused_tasks: int = 0
    reused_from: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        """Rows of the plan that ended ``error`` or ``timeout``."""
        return sum(n for s, n in self.status_counts.items() if s in FAILED_STATUSES)

    @property
    def complete(self) -> bool:
        return not self.trial_errors
