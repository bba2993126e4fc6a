"""Retry policy, the shared budget tracker and the client's counters.

All three are thread-safe: reads may run concurrently (``MondayClient.run_concurrently``).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from boardops.errors import CallAllowanceSpent
from boardops.monday.decode import ComplexityReading, RateLimitReading


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a request monday refused or never answered.

    A server-given wait (``retry_in_seconds``, ``Retry-After``, ``RateLimit`` ``t``) is
    honoured as is; otherwise the wait is ``base_delay * 2**retry`` capped at ``max_delay``,
    scaled by a random factor in ``[1 - jitter, 1]`` so concurrent clients spread out.
    A request is abandoned after ``max_attempts`` attempts, or when the next wait would
    take the whole request past ``max_total_seconds``.
    """

    max_attempts: int = 6
    max_total_seconds: float = 300.0
    base_delay: float = 1.0
    max_delay: float = 60.0
    jitter: float = 0.5
    random: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("jitter must be between 0 and 1")

    def backoff(self, retry_number: int) -> float:
        """The wait before retry ``retry_number`` (1 for the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry_number - 1))
        return float(ceiling * (1.0 - self.jitter * self.random()))


@dataclass(frozen=True)
class StatsSnapshot:
    requests: int
    queries: int
    mutations: int
    mutation_fields: int
    retries: int
    rate_limited: int
    waits: int
    seconds_waited: float
    complexity_used: int


class _Counter:
    """A live counter of ``ClientStats``, read from its current snapshot."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, stats: ClientStats, owner: type | None = None) -> int:
        return int(getattr(stats.snapshot(), self.name))


class ClientStats:
    """Counters the client keeps while it runs; ``snapshot()`` gives a consistent copy."""

    requests = _Counter()
    mutations = _Counter()
    retries = _Counter()
    waits = _Counter()
    complexity_used = _Counter()

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts = StatsSnapshot(0, 0, 0, 0, 0, 0, 0, 0.0, 0)  # every counter at zero

    def _add(self, **steps: float) -> None:
        with self._lock:
            counts = self._counts
            added = {name: getattr(counts, name) + step for name, step in steps.items()}
            self._counts = replace(counts, **added)

    def record_request(self, *, mutation: bool, fields: int) -> None:
        if mutation:
            self._add(requests=1, mutations=1, mutation_fields=fields)
        else:
            self._add(requests=1, queries=1)

    def record_retry(self, *, throttled: bool) -> None:
        self._add(retries=1, rate_limited=int(throttled))

    def record_throttled(self) -> None:
        self._add(rate_limited=1)

    def record_wait(self, seconds: float) -> None:
        self._add(waits=1, seconds_waited=seconds)

    def record_complexity(self, points: int) -> None:
        self._add(complexity_used=points)

    def snapshot(self) -> StatsSnapshot:
        with self._lock:
            return self._counts

    def __repr__(self) -> str:
        return f"ClientStats({self.snapshot()})"


@dataclass(frozen=True)
class _Window:
    remaining: int
    resets_at: float | None  # on the client's clock


class BudgetTracker:
    """What is left of monday's per-minute budgets, from headers and ``complexity`` reads.

    ``wait_before(estimate)`` says how long to pause before a request expected to cost
    ``estimate`` complexity points, so the client slows down before hitting the wall
    instead of collecting throttling errors. Unknown budgets never cause a wait.
    """

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        complexity_reserve: int = 100_000,
        request_reserve: int = 8,
    ) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._complexity: _Window | None = None
        self._requests: _Window | None = None
        self.complexity_reserve = complexity_reserve
        self.request_reserve = request_reserve
        self._quotas: dict[str, int] = {}

    def observe_policy(self, quotas: dict[str, int]) -> None:
        """Quotas from ``RateLimit-Policy``: the reserve scales with the account's budget."""
        if quotas:
            with self._lock:
                self._quotas.update(quotas)

    def quotas(self) -> dict[str, int]:
        with self._lock:
            return dict(self._quotas)

    def _complexity_reserve(self) -> int:
        # Keep 2% of the per-minute budget in hand (100k on a 5M budget), never less
        # than the configured floor: estimates are rough and other clients share it.
        quota = self._quotas.get("complexityMinute")
        return max(self.complexity_reserve, quota // 50 if quota else 0)

    def observe_complexity(self, reading: ComplexityReading) -> None:
        with self._lock:
            self._complexity = _Window(
                reading.after, self._clock() + max(0.0, reading.reset_in_seconds)
            )

    def observe_headers(self, readings: dict[str, RateLimitReading]) -> None:
        now = self._clock()
        with self._lock:
            complexity = readings.get("complexityMinute")
            if complexity is not None and complexity.remaining is not None:
                resets_at = (
                    now + complexity.reset_in_seconds
                    if complexity.reset_in_seconds is not None
                    else (self._complexity.resets_at if self._complexity else None)
                )
                self._complexity = _Window(complexity.remaining, resets_at)
            minute = readings.get("minuteRate")
            if minute is not None and minute.remaining is not None:
                resets_at = now + minute.reset_in_seconds if minute.reset_in_seconds else None
                self._requests = _Window(minute.remaining, resets_at)

    def wait_before(self, estimate: int) -> float:
        now = self._clock()
        with self._lock:
            waits = [0.0]
            window = self._complexity
            if window is not None and window.resets_at is not None:
                if window.resets_at <= now:
                    self._complexity = None
                elif window.remaining - estimate < self._complexity_reserve():
                    waits.append(window.resets_at - now)
            window = self._requests
            if window is not None and window.resets_at is not None:
                if window.resets_at <= now:
                    self._requests = None
                elif window.remaining <= self.request_reserve:
                    waits.append(window.resets_at - now)
            return max(waits)

    def forget(self) -> None:
        """After a wait for a reset, old readings say nothing about the new window."""
        with self._lock:
            self._complexity = None
            self._requests = None


class CallAllowance:
    """How many more requests the client may send (``set_call_allowance``)."""

    def __init__(self, calls: int) -> None:
        self._left = calls
        self._lock = threading.RLock()

    def require(self, calls: int, operation: str | None) -> None:
        """Raise unless ``calls`` more requests fit."""
        with self._lock:
            if self._left < calls:
                raise CallAllowanceSpent(
                    f"the call allowance for this run is used up; {operation or 'the request'} "
                    "was not sent"
                )

    def spend(self, operation: str | None) -> None:
        with self._lock:
            self.require(1, operation)
            self._left -= 1
