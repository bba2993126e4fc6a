"""Seeded fault and latency injection.

Configure from Python (``Faults(rate_limit=0.1, ...)``, swapped at runtime with
``sandbox.faults = Faults(...)``), from ``boardops sandbox serve`` flags, or from the
``BOARDOPS_SANDBOX_FAULTS`` environment variable, whose syntax ``Faults.parse`` reads: a
comma-separated list of entries

* ``429=P``, ``5xx=P``, ``timeout=P``, ``lost_ack=P``, ``complexity=P``, ``locked=P``: the
  probability (0..1) that a request meets that fault (``lost_ack`` only hits mutations);
* ``latency_ms=N`` fixed latency added to every request, ``jitter_ms=N`` up to N more;
* ``KIND@N``: the Nth request (1-based) meets KIND; ``KIND@mN``: the Nth mutation request;
* ``timeout_phase=before|after`` (does a timed-out request run?), ``retry_in=N`` (the
  ``retry_in_seconds`` of injected 429s), ``stall_s=N`` (how long the HTTP server holds a
  timed-out connection before dropping it), ``seed=N``.

Example: ``BOARDOPS_SANDBOX_FAULTS="429=0.1,5xx=0.05,timeout=0.02,lost_ack=0.02,latency_ms=50"``
or ``"lost_ack@m3,seed=7"`` (the third mutation request commits and its answer is lost).

What each fault does: ``429`` answers HTTP 429 "Rate Limit Exceeded" with
``retry_in_seconds``; ``5xx`` answers HTTP 500; ``complexity`` answers HTTP 429
``COMPLEXITY_BUDGET_EXHAUSTED``; ``locked`` answers HTTP 423 "Resource is currently locked,
please try again later" (a board locked by a concurrent update); none of these run the
request. ``timeout`` raises
``httpx.ReadTimeout`` in the in-process transport (the HTTP server stalls, then drops the
connection), before or after running the request; ``lost_ack`` runs the request, commits
it, then raises ``httpx.RemoteProtocolError`` (the server drops the connection).
Probabilities are drawn from ``random.Random(seed)`` in a fixed order, so a given seed and
request sequence always meet the same faults.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Literal, cast

FaultKind = Literal["429", "5xx", "timeout", "lost_ack", "complexity", "locked"]
FAULT_KINDS: tuple[FaultKind, ...] = ("429", "5xx", "complexity", "timeout", "lost_ack", "locked")
ENV_VAR = "BOARDOPS_SANDBOX_FAULTS"

# Each fault kind's probability field: the kind's own name, but for 429 and 5xx.
_PROBABILITY_FIELDS: Mapping[FaultKind, str] = {
    kind: {"429": "rate_limit", "5xx": "server_error"}.get(kind, kind) for kind in FAULT_KINDS
}
# The KEY=VALUE entries of the spec: the ``Faults`` field each sets, and how its value is read.
_SETTINGS: Mapping[str, tuple[str, Callable[[str], object]]] = {
    **{kind: (name, float) for kind, name in _PROBABILITY_FIELDS.items()},
    "latency_ms": ("latency_ms", float),
    "jitter_ms": ("jitter_ms", float),
    "retry_in": ("retry_in_seconds", int),
    "stall_s": ("stall_seconds", float),
    "seed": ("seed", int),
    "timeout_phase": ("timeout_phase", str),
}


@dataclass(frozen=True)
class ScheduledFault:
    """``kind`` hits the ``nth`` (1-based) request, or the nth mutation request."""

    kind: FaultKind
    nth: int
    mutations_only: bool = False


@dataclass(frozen=True)
class Faults:
    rate_limit: float = 0.0
    server_error: float = 0.0
    complexity: float = 0.0
    timeout: float = 0.0
    lost_ack: float = 0.0
    locked: float = 0.0
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    timeout_phase: Literal["before", "after"] = "before"
    retry_in_seconds: int = 1
    stall_seconds: float = 30.0
    schedule: tuple[ScheduledFault, ...] = ()
    seed: int | None = None  # None: the sandbox's seed

    def __post_init__(self) -> None:
        for kind, name in _PROBABILITY_FIELDS.items():
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault {kind}: probability {value} is not within 0..1")
        if self.latency_ms < 0 or self.jitter_ms < 0:
            raise ValueError("latency must not be negative")
        if self.timeout_phase not in ("before", "after"):
            raise ValueError("timeout_phase is 'before' or 'after'")

    @property
    def active(self) -> bool:
        return bool(
            self.schedule
            or self.latency_ms
            or self.jitter_ms
            or any(getattr(self, n) for n in _PROBABILITY_FIELDS.values())
        )

    @classmethod
    def parse(cls, spec: str) -> Faults:
        """Read the ``BOARDOPS_SANDBOX_FAULTS`` syntax (see the module docstring)."""
        values: dict[str, object] = {}
        schedule: list[ScheduledFault] = []
        for raw in spec.split(","):
            entry = raw.strip()
            if not entry:
                continue
            if "@" in entry:
                kind, _, when = entry.partition("@")
                if kind not in _PROBABILITY_FIELDS:
                    raise ValueError(f"unknown fault kind {kind!r} in {entry!r}")
                mutations_only = when.startswith("m")
                number = when[1:] if mutations_only else when
                if not number.isdigit() or int(number) < 1:
                    raise ValueError(f"{entry!r}: expected KIND@N or KIND@mN with N >= 1")
                schedule.append(ScheduledFault(cast(FaultKind, kind), int(number), mutations_only))
                continue
            key, sep, value = entry.partition("=")
            if not sep:
                raise ValueError(f"{entry!r}: expected KEY=VALUE")
            try:
                if key not in _SETTINGS:
                    raise ValueError(f"unknown fault setting {key!r}")
                name, read = _SETTINGS[key]
                values[name] = read(value)
            except ValueError as error:
                raise ValueError(f"{entry!r}: {error}") from None
        return cls(**values, schedule=tuple(schedule))  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Faults | None:
        spec = (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
        if not spec:
            return None
        try:
            return cls.parse(spec)
        except ValueError as error:
            raise ValueError(f"{ENV_VAR}: {error}") from None

    def merged(self, other: Faults) -> Faults:
        """``other``'s non-default settings laid over this one's."""
        defaults = Faults()
        changes = {
            f.name: getattr(other, f.name)
            for f in fields(other)
            if getattr(other, f.name) != getattr(defaults, f.name)
        }
        return replace(self, **changes)


@dataclass
class FaultDecision:
    kind: FaultKind | None
    latency_seconds: float


@dataclass
class FaultInjector:
    """Decides, request by request, which fault (if any) a request meets."""

    faults: Faults
    seed: int
    requests: int = 0
    mutation_requests: int = 0
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.faults.seed if self.faults.seed is not None else self.seed)

    def decide(self, is_mutation: bool) -> FaultDecision:
        faults = self.faults
        self.requests += 1
        if is_mutation:
            self.mutation_requests += 1
        latency = faults.latency_ms / 1000.0
        if faults.jitter_ms:
            latency += self.rng.uniform(0.0, faults.jitter_ms) / 1000.0
        for scheduled in faults.schedule:
            if scheduled.mutations_only:
                if is_mutation and scheduled.nth == self.mutation_requests:
                    return FaultDecision(scheduled.kind, latency)
            elif scheduled.nth == self.requests:
                return FaultDecision(scheduled.kind, latency)
        chosen: FaultKind | None = None
        for kind in FAULT_KINDS:
            probability = getattr(faults, _PROBABILITY_FIELDS[kind])
            if not probability:
                continue
            hit = self.rng.random() < probability
            if hit and chosen is None and (kind != "lost_ack" or is_mutation):
                chosen = kind
        return FaultDecision(chosen, latency)
