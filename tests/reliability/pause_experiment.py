"""A deliberately slow experiment: each task sleeps a fixed time, so a sweep of it lasts
a known wall time on any machine (the metrics test scrapes it mid-way)."""

import time


def pause(i: int, seconds: float) -> dict:
    time.sleep(seconds)
    return {"slept": seconds}
