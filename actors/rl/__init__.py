"""RLlib through Tune, what the RL-trained workloads (``cloud``, ``routing``) share: the
one training pipeline (:mod:`actors.rl.pipeline`, which a workload drives with its hooks),
the Tune fit, fit-or-resume bookkeeping, reading a trial's checkpoint, and atomic policy
folders.

Each workload's own pieces (its hooks, its RLModule, its traced wrapper, its validation)
stay in ``actors/<workload>/``; those import from here, never from one another.
"""

from actors.rl.checkpoint import MODULE_PATH, load_module, module_checkpoint, recorded_env
from actors.rl.fit import (
    DONE_FILE,
    FIT_FILE,
    TrainingReport,
    check_cpus,
    check_records,
    finished_fit,
    record_fit,
    saved_for_digest,
    write_curves,
)
from actors.rl.policy_folder import check_out, is_policy_folder, write_pair

__all__ = [
    "DONE_FILE",
    "FIT_FILE",
    "MODULE_PATH",
    "TrainingReport",
    "check_cpus",
    "check_records",
    "check_out",
    "finished_fit",
    "is_policy_folder",
    "load_module",
    "module_checkpoint",
    "record_fit",
    "recorded_env",
    "saved_for_digest",
    "write_curves",
    "write_pair",
]
