"""``ThompsonSampling``: a Beta(1 + successes, 1 + failures) posterior per path; each
path gets its minimum plus a share of the remaining qubits proportional to a sampled
success rate."""

from __future__ import annotations

from qray.netsim.allocators.base import Allocator, RouteStats, proportional


class ThompsonAllocator(Allocator):
    """Capacity follows Thompson samples of the paths' success rates."""

    def allocate(self, epoch: int, stats: RouteStats) -> tuple[int, ...]:
        if stats.attempts.sum() == 0:
            return self.baseline
        theta = self.rng.beta(1 + stats.successes, 1 + stats.attempts - stats.successes)
        return proportional(self.minimum, self.total, theta)
