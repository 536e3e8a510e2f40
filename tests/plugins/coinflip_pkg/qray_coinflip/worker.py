"""The coin-flip worker: plain Python on qray's RowWorker base."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from qray.worker import RowWorker


class CoinWorker(RowWorker):
    WORKLOAD = "coinflip"

    def __init__(self, coin: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.coin = coin

    @staticmethod
    def identity(p: Mapping[str, Any]) -> dict[str, Any]:
        return {"coin": p["coin"], "p": p["p"], "flips": p["flips"], "repetition": p["repetition"]}

    def compute(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        p = spec["params"]
        rng = np.random.default_rng(spec["seed"])
        return {"heads": int((rng.random(p["flips"]) < p["p"]).sum())}
