"""The one fake clock of the test suite."""

from __future__ import annotations


class FakeClock:
    """A monotonic clock that only moves when told; ``sleep`` advances it and records."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
