"""``Default``: the testbed's fixed baseline capacities (the paper's capacities for
``default``, a uniform split above one qubit per link otherwise)."""

from qray.netsim.allocators.base import Allocator


class DefaultAllocator(Allocator):
    """Fixed capacities."""
