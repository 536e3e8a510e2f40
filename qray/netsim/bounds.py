"""Upper bounds of the netsim config's numbers, and the check every component uses.

Every size that builds a graph, a matrix or a per-frame trace has a meaningful range, and
an absurd value (``1e308``, ``10**20``) is refused naming its key when the config is
loaded, before anything is built.
"""

from __future__ import annotations

from qray.errors import ConfigError

#: longest horizon (frames per experiment; each frame is one learner step in Python)
MAX_HORIZON = 1_000_000
#: most replicates per grid point
MAX_RUNS = 1000
#: most actors per physics model
MAX_REPLICAS = 256
#: largest replay-buffer capacity factor of the neural learners (capacity = T * scale)
MAX_SCALE = 10.0
#: largest topology seed
MAX_SEED = 2**32 - 1


def check_range(key: str, value: float, low: float, high: float, *, integer: bool = False,
                low_open: bool = False, why: str = "") -> None:
    """ConfigError naming ``key`` unless ``low <= value <= high`` (``low < value`` with
    ``low_open``)."""
    ok = (low < value if low_open else low <= value) and value <= high
    if not ok:
        if integer:
            allowed = f"an integer in {low:,}..{high:,}"
        else:
            allowed = f"a number in {'(' if low_open else '['}{low:g}, {high:g}]"
        raise ConfigError(key, value, f"{allowed} ({why})" if why else allowed,
                          problem="out of range")


#: most experiments of a sweep (physics x learners x scenarios x allocators x horizons x runs)
MAX_TASKS = 1_000_000
