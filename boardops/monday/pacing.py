"""``Pacer``: wait before a request would pass monday's per-minute caps, never after.

monday caps, per account and per minute: root mutation fields (2,000, each alias of a
batch counting), complexity points (10M with a personal token, 1M on trial and free
accounts; the ``RateLimit-Policy`` header says the account's own) and ``create_board`` /
``duplicate_board`` / ``duplicate_group`` (40). The docs call the budgets a sliding window
that "resets 60 seconds after the first API call"; the sandbox models fixed 60 s windows
starting at the first spend (``boardops.sandbox.limits.Window``). The pacer keeps every
spend of the last minute and admits a request only if no 60 s span would hold more than a
cap, which keeps within both readings: every fixed window lies inside such a span.

A spend is stamped when its answer came back (the latest moment monday can have counted
it), and it counts until ``window_seconds + margin_seconds`` after that; a request still
in flight counts in full. Complexity is estimated before sending (monday's documented
costs, then what ``complexity.query`` said the same mutation or read cost, plus 10%) and
corrected by the reading when the answer comes. The three caps share one admission, taken
under one lock, so concurrent boards (``MondayClient.run_concurrently``) never pass a cap
between them. A request that needs nothing a cap counts never waits on it; a request
costing more than a whole cap goes alone into an empty window instead of waiting forever.

A 429 that still happens (another client on the account, a cap lower than believed)
holds every request until the server's retry time has passed.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from boardops.monday.mutations import DEFAULT_MUTATION_COMPLEXITY, MUTATION_SIGNATURES

# Fields that also count against monday's 40-per-minute board creation limit. One window
# for all three is the conservative reading of "40 per minute each".
BOARD_CREATION_FIELDS = frozenset({"create_board", "duplicate_board", "duplicate_group"})

DEFAULT_MUTATIONS_PER_MINUTE = 2_000
DEFAULT_COMPLEXITY_PER_MINUTE = 10_000_000
SMALL_ACCOUNT_COMPLEXITY_PER_MINUTE = 1_000_000
DEFAULT_BOARD_CREATIONS_PER_MINUTE = 40
WINDOW_SECONDS = 60.0
# Estimates learned from readings are raised by this share: costs vary a little.
LEARNED_MARGIN = 1.1


@dataclass(frozen=True)
class PaceLimits:
    """The per-minute caps the client keeps under: monday's documented numbers by default."""

    mutations_per_minute: int = DEFAULT_MUTATIONS_PER_MINUTE
    complexity_per_minute: int = DEFAULT_COMPLEXITY_PER_MINUTE
    board_creations_per_minute: int = DEFAULT_BOARD_CREATIONS_PER_MINUTE
    window_seconds: float = WINDOW_SECONDS
    # Added to the window: clocks and the moment monday counted a spend are not ours.
    margin_seconds: float = 0.5

    def __post_init__(self) -> None:
        quotas = (
            self.mutations_per_minute,
            self.complexity_per_minute,
            self.board_creations_per_minute,
        )
        if min(quotas) < 1:
            raise ValueError("per-minute limits must be at least 1")
        if self.window_seconds <= 0 or self.margin_seconds < 0:
            raise ValueError("the window must be positive and the margin not negative")

    @classmethod
    def for_tier(cls, tier: str | None) -> PaceLimits:
        """The documented limits of an account tier: 1M complexity per minute on trial and
        free accounts, 10M otherwise (or when the tier is unknown)."""
        return cls(complexity_per_minute=complexity_for_tier(tier))


def complexity_for_tier(tier: str | None) -> int:
    words = (tier or "").lower()
    if "free" in words or "trial" in words:
        return SMALL_ACCOUNT_COMPLEXITY_PER_MINUTE
    return DEFAULT_COMPLEXITY_PER_MINUTE


@dataclass(frozen=True)
class Cost:
    """What one request spends of the per-minute caps."""

    mutations: int = 0
    complexity: int = 0
    board_creations: int = 0


@dataclass(frozen=True)
class Admission:
    """The answer of ``Pacer.admit``: a ticket to send now, or how long to wait and why."""

    ticket: Ticket | None
    wait: float | None  # seconds; None: until a request in flight is answered
    binding: str  # what binds, for the log line


class Ticket:
    """A request admitted by the pacer; ``settle`` it once its answer (or failure) is in."""

    def __init__(
        self, pacer: Pacer, cost: Cost, fields: tuple[str, ...], operation: str | None
    ) -> None:
        self._pacer = pacer
        self.cost = cost
        self.fields = fields
        self.operation = operation
        self._settled = False

    def settle(self, complexity: int | None = None) -> None:
        """Stamp the spend now; ``complexity`` is what the answer says it cost, if it says."""
        if not self._settled:
            self._settled = True
            self._pacer._settle(self, complexity)


def _plus(total: Cost, cost: Cost, sign: int) -> Cost:
    return Cost(
        total.mutations + sign * cost.mutations,
        total.complexity + sign * cost.complexity,
        total.board_creations + sign * cost.board_creations,
    )


@dataclass(frozen=True)
class _Spend:
    at: float
    cost: Cost


_CAPS: tuple[tuple[str, str, str], ...] = (
    ("mutations", "mutations_per_minute", "mutations per minute"),
    ("complexity", "complexity_per_minute", "complexity points per minute"),
    ("board_creations", "board_creations_per_minute", "board creations per minute"),
)


class Pacer:
    """Tracks the last minute's spends and says when a request may go (thread-safe)."""

    def __init__(self, clock: Callable[[], float], limits: PaceLimits | None = None) -> None:
        self._clock = clock
        self._limits = limits or PaceLimits()
        self._explicit = limits is not None
        self._from_policy = False
        self._lock = threading.Condition()
        self._spent: deque[_Spend] = deque()
        self._settled = Cost()  # the sum of ``_spent``
        self._in_flight: set[Ticket] = set()
        self._hold_until = 0.0
        self._hold_reason = ""
        # Learned costs: per mutation field, per read operation.
        self._field_cost: dict[str, float] = {}
        self._operation_cost: dict[str, int] = {}

    @property
    def limits(self) -> PaceLimits:
        with self._lock:
            return self._limits

    # ------------------------------------------------------------------ what is known

    def observe_tier(self, tier: str | None) -> None:
        """The account's tier, when an answer names it: trial and free accounts have 1M
        (unless the server's ``RateLimit-Policy`` already said the account's number)."""
        if tier and not self._explicit:
            with self._lock:
                if self._from_policy:
                    return
                complexity = complexity_for_tier(tier)
                self._limits = replace(self._limits, complexity_per_minute=complexity)

    def observe_policy(self, quotas: Mapping[str, int]) -> None:
        """``RateLimit-Policy`` quotas: the server's own number for the complexity budget."""
        quota = quotas.get("complexityMinute")
        if quota and quota > 0 and not self._explicit:
            with self._lock:
                self._from_policy = True
                self._limits = replace(self._limits, complexity_per_minute=quota)

    def hold(self, seconds: float, reason: str) -> None:
        """A 429 still came: send nothing for ``seconds`` (the server's retry time)."""
        if seconds <= 0:
            return
        with self._lock:
            until = self._clock() + seconds
            if until > self._hold_until:
                self._hold_until = until
                self._hold_reason = reason

    # ------------------------------------------------------------------ estimates

    def estimate(
        self, *, fields: Iterable[str], operation: str | None, mutation: bool, estimated: int
    ) -> Cost:
        """A request's cost: its root fields (mutations) and its complexity, from what
        readings taught for the same fields or read, else ``estimated``."""
        names = tuple(name for name in fields if name != "complexity")
        with self._lock:
            if mutation and names and all(name in self._field_cost for name in names):
                learned = sum(self._field_cost[name] for name in names)
                complexity = int(learned * LEARNED_MARGIN) + 1
            elif not mutation and operation is not None and operation in self._operation_cost:
                complexity = int(self._operation_cost[operation] * LEARNED_MARGIN) + 1
            else:
                complexity = estimated
        return Cost(
            mutations=len(names) if mutation else 0,
            complexity=complexity,
            board_creations=sum(1 for name in names if name in BOARD_CREATION_FIELDS)
            if mutation
            else 0,
        )

    def learn(
        self,
        *,
        fields: Mapping[str, int],
        estimates: Mapping[str, int],
        operation: str | None,
        mutation: bool,
        actual: int,
    ) -> None:
        """What a request turned out to cost: shared among its mutation fields in the
        proportion of their documented estimates, or kept per read operation."""
        with self._lock:
            if not mutation:
                if operation is not None:
                    self._operation_cost[operation] = actual
                return
            total = sum(estimates.get(name, 1) * count for name, count in fields.items())
            if total <= 0:
                return
            for name, _count in fields.items():
                self._field_cost[name] = actual * estimates.get(name, 1) / total

    # ------------------------------------------------------------------ admission

    def admit(
        self, cost: Cost, fields: tuple[str, ...] = (), operation: str | None = None
    ) -> Admission:
        """Admit the request now (a ticket) or say how long to wait and what binds."""
        with self._lock:
            now = self._clock()
            if self._hold_until > now:
                return Admission(None, self._hold_until - now, self._hold_reason)
            self._expire(now)
            waits: list[tuple[float | None, str]] = []
            for attribute, quota_name, label in _CAPS:
                wanted = getattr(cost, attribute)
                if wanted <= 0:
                    continue
                quota = getattr(self._limits, quota_name)
                wait = self._wait_for(attribute, min(wanted, quota), quota, now)
                if wait is None or wait > 0:
                    used = self._used(attribute)
                    waits.append((wait, f"the cap of {label} ({used} of {quota} used)"))
            if waits:
                unknown = [reason for wait, reason in waits if wait is None]
                if unknown:
                    return Admission(None, None, "; ".join(unknown))
                wait, reason = max(waits, key=lambda pair: pair[0] or 0.0)
                return Admission(None, wait, reason)
            ticket = Ticket(self, cost, fields, operation)
            self._in_flight.add(ticket)
            return Admission(ticket, 0.0, "")

    def wait_for_answers(self, timeout: float) -> None:
        """Block (real time) until some request in flight is settled, or ``timeout``."""
        with self._lock:
            if self._in_flight:
                self._lock.wait(timeout)

    def _settle(self, ticket: Ticket, complexity: int | None) -> None:
        with self._lock:
            self._in_flight.discard(ticket)
            cost = (
                ticket.cost if complexity is None else replace(ticket.cost, complexity=complexity)
            )
            self._spent.append(_Spend(self._clock(), cost))
            self._settled = _plus(self._settled, cost, 1)
            self._lock.notify_all()

    def _expire(self, now: float) -> None:
        span = self._limits.window_seconds + self._limits.margin_seconds
        while self._spent and self._spent[0].at + span <= now:
            self._settled = _plus(self._settled, self._spent.popleft().cost, -1)

    def _used(self, attribute: str) -> int:
        settled = getattr(self._settled, attribute)
        flying = sum(getattr(ticket.cost, attribute) for ticket in self._in_flight)
        return int(settled + flying)

    def _wait_for(self, attribute: str, wanted: int, quota: int, now: float) -> float | None:
        """0 when ``wanted`` fits now; else the seconds until enough old spends expire, or
        None when only requests in flight hold what is needed."""
        excess = self._used(attribute) + wanted - quota
        if excess <= 0:
            return 0.0
        span = self._limits.window_seconds + self._limits.margin_seconds
        freed = 0
        for spend in self._spent:
            freed += getattr(spend.cost, attribute)
            if freed >= excess:
                return max(spend.at + span - now, 0.0)
        return None

    def used(self) -> Cost:
        """What the last minute holds (settled and in flight), for logs and tests."""
        with self._lock:
            self._expire(self._clock())
            return Cost(*(self._used(attribute) for attribute, _, _ in _CAPS))


def documented_cost(field_name: str) -> int:
    signature = MUTATION_SIGNATURES.get(field_name)
    return signature.complexity if signature is not None else DEFAULT_MUTATION_COMPLEXITY


def account_tier(data: Mapping[str, Any] | None) -> str | None:
    """The account tier an answer names (``me { account { tier } }`` or ``account``)."""
    if not isinstance(data, Mapping):
        return None
    me = data.get("me")
    account = me.get("account") if isinstance(me, Mapping) else data.get("account")
    tier = account.get("tier") if isinstance(account, Mapping) else None
    return tier if isinstance(tier, str) else None
