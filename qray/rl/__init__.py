"""What the RL-trained workloads (``cloud``, ``routing``) share: RLlib's PPO/DQN settings
and the exported-policy folder (``policy.pt`` + ``policy.json``) with its model digest.

Plain Python like the rest of ``qray``: no Ray, and torch only when a module is digested.
"""

from qray.rl.params import DQNParams, PPOParams, check_hiddens, check_lrs
from qray.rl.policy import (
    META_FILE,
    MODEL_FILE,
    DigestMismatchError,
    PolicyJSONError,
    check_digest,
    has_policy_files,
    model_digest,
    read_policy_json,
)

__all__ = [
    "META_FILE",
    "MODEL_FILE",
    "DQNParams",
    "DigestMismatchError",
    "PPOParams",
    "PolicyJSONError",
    "check_digest",
    "check_hiddens",
    "check_lrs",
    "has_policy_files",
    "model_digest",
    "read_policy_json",
]
