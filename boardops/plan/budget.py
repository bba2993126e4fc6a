"""What a plan will cost on monday: the ``budget`` of a plan.

Worked out by ``boardops.apply.estimate`` from the plan's actions (the apply's own
batching rules) and monday's limits (``boardops.monday.costs``); carried by the ``Plan``
and saved with it as::

    "budget": {"requests": 12, "mutations": 40, "complexity": 4100,
               "minutes": 0.02, "bound": "requests/min",
               "daily_limit": 25000, "daily_used": null}

``requests`` are the calls the apply sends (each counts against the daily cap),
``mutations`` the root mutation fields they carry (monday's 2,000 per minute counts
these), ``complexity`` the points they cost. ``minutes`` is the latency-free floor at
the account's per-minute limits and ``bound`` the limit that sets it. ``daily_limit`` is
the account's daily call cap (null: unknown) and ``daily_used`` the calls already spent
today (null: not read; a plan reads it only when that costs nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from boardops.errors import PlanFormatError
from boardops.model import JSONValue


@dataclass(frozen=True)
class Budget:
    requests: int = 0
    mutations: int = 0
    complexity: int = 0
    minutes: float = 0.0
    bound: str | None = None
    daily_limit: int | None = None
    daily_used: int | None = None

    @property
    def daily_left(self) -> int | None:
        if self.daily_limit is None or self.daily_used is None:
            return None
        return max(0, self.daily_limit - self.daily_used)

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "requests": self.requests,
            "mutations": self.mutations,
            "complexity": self.complexity,
            "minutes": self.minutes,
            "bound": self.bound,
            "daily_limit": self.daily_limit,
            "daily_used": self.daily_used,
        }

    @classmethod
    def from_dict(cls, data: object) -> Budget:
        """A saved plan's budget (a plan saved without one has a zero budget)."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise PlanFormatError("budget: expected an object")
        minutes = data.get("minutes", 0.0)
        if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or minutes < 0:
            raise PlanFormatError("budget.minutes: expected a number of minutes")
        bound = data.get("bound")
        if bound is not None and not isinstance(bound, str):
            raise PlanFormatError("budget.bound: expected a string or null")
        return cls(
            requests=_count(data, "requests"),
            mutations=_count(data, "mutations"),
            complexity=_count(data, "complexity"),
            minutes=float(minutes),
            bound=bound,
            daily_limit=_optional_count(data, "daily_limit"),
            daily_used=_optional_count(data, "daily_used"),
        )


def _count(data: Mapping[str, Any], name: str) -> int:
    value = data.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PlanFormatError(f"budget.{name}: expected a count")
    return value


def _optional_count(data: Mapping[str, Any], name: str) -> int | None:
    return None if data.get(name) is None else _count(data, name)


def budget_line(budget: Mapping[str, Any]) -> str:
    """The one line the text and Markdown views show (from the plan dict's ``budget``)::

    Budget: ~12 requests (40 mutations, complexity ~4,100), under 1 min at this
    account's limits, 0.1% of the daily cap of 25,000 calls.
    """
    requests = int(budget.get("requests") or 0)
    mutations = int(budget.get("mutations") or 0)
    complexity = int(budget.get("complexity") or 0)
    minutes = float(budget.get("minutes") or 0.0)
    duration = "under 1 min" if minutes < 1 else f"~{minutes:,.0f} min"
    limit, used = budget.get("daily_limit"), budget.get("daily_used")
    if isinstance(limit, int) and isinstance(used, int):
        left = max(0, limit - used)
        share = (
            f"{_percent(requests, left)} of today's {left:,} calls left"
            if left
            else "none of today's calls left"
        )
    elif isinstance(limit, int) and limit > 0:
        share = f"{_percent(requests, limit)} of the daily cap of {limit:,} calls"
    else:
        share = "share of the daily call cap unknown"
    return (
        f"Budget: ~{requests:,} request{'s' if requests != 1 else ''} "
        f"({mutations:,} mutation{'s' if mutations != 1 else ''}, complexity ~{complexity:,}), "
        f"{duration} at this account's limits, {share}."
    )


def _percent(part: int, whole: int) -> str:
    share = 100.0 * part / whole
    return f"{share:.1f}%" if share < 10 else f"{share:.0f}%"
