"""qgym's own base classes where qgym is installed (qray never requires it).

With qgym importable, qray's rewarders derive from ``qgym.templates.Rewarder`` and its
observation and action spaces are ``qgym.spaces`` (subclasses of Gymnasium's, seeded as
qgym seeds them), so code written for qgym that checks ``isinstance`` works unchanged;
without qgym they are a plain base and Gymnasium's spaces.
"""

from __future__ import annotations

import importlib.util
from typing import Any

HAVE_QGYM = importlib.util.find_spec("qgym") is not None

spaces: Any
RewarderBase: Any
if HAVE_QGYM:
    from qgym import spaces
    from qgym.templates.rewarder import Rewarder as RewarderBase
else:
    from gymnasium import spaces

    RewarderBase = object

__all__ = ["HAVE_QGYM", "RewarderBase", "spaces"]
