"""``none``: every path delivers in every frame."""

from qray.netsim.scenarios.base import Scenario


class NoAttack(Scenario):
    """No attacker."""
