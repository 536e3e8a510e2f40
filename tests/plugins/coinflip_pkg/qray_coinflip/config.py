"""The coin-flip sweep's config."""

from __future__ import annotations

from dataclasses import dataclass, field

from qray.config import SweepConfig, as_list, require


@dataclass(frozen=True)
class CoinflipConfig(SweepConfig):
    """Keys of a coin-flip sweep.

    Attributes:
        coins: names of the coins; each is served by its own actor.
        p: probabilities of heads to sweep over.
        flips: flips per task.
        repetitions: tasks per grid point.
    """

    workload: str = "coinflip"
    name: str = "coinflip"
    coins: list[str] = field(default_factory=lambda: ["penny"], metadata={"normalize": as_list})
    p: list[float] = field(default_factory=lambda: [0.5], metadata={"normalize": as_list})
    flips: int = 100
    repetitions: int = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        require(bool(self.coins), "coins", self.coins, "a non-empty list of names")
        for i, p in enumerate(self.p):
            require(0.0 <= p <= 1.0, f"p[{i}]", p, "a probability in [0, 1]")
        require(1 <= self.flips <= 10**7, "flips", self.flips, "an integer in [1, 10000000]")
        require(1 <= self.repetitions <= 1000, "repetitions", self.repetitions,
                "an integer in [1, 1000]")

    def result_keys(self) -> tuple[str, ...]:
        return (*super().result_keys(), "coins", "p", "flips", "repetitions")
