"""What monday charges for a request, and the account limits that bound an apply.

The limits are monday's documented numbers (rate-limits page; ``shared/monday-api-facts.md``
§11 and ``monday-recorded-behaviour.md`` "limits"):

* requests per minute by plan: Enterprise 5,000, Pro 2,500, others 1,000;
* 2,000 mutations (root mutation fields) per minute per account;
* complexity per minute: 10M points (1M on trial and free accounts);
* ``create_board`` 40 per minute;
* daily calls by plan: Free/Basic/Standard 1,000, Pro 10,000, Enterprise 25,000.

monday publishes no price per mutation; its complexity guide counts a point per field
selected and a fixed base per mutation, which is what ``call_complexity`` counts (and
what its ``complexity { query }`` answers measure on every batch boardops sends).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from boardops.monday.mutations import COMPLEXITY_SELECTION

REQUESTS_PER_MINUTE_BY_TIER: Mapping[str, int] = {"enterprise": 5_000, "pro": 2_500}
REQUESTS_PER_MINUTE_OTHER = 1_000
MUTATIONS_PER_MINUTE = 2_000
COMPLEXITY_PER_MINUTE = 10_000_000
COMPLEXITY_PER_MINUTE_SMALL = 1_000_000
SMALL_BUDGET_TIERS = frozenset({"free", "trial"})
CREATE_BOARD_PER_MINUTE = 40
DAILY_CALLS_BY_TIER: Mapping[str, int] = {
    "free": 1_000,
    "basic": 1_000,
    "standard": 1_000,
    "pro": 10_000,
    "enterprise": 25_000,
}

# The fixed part of every mutation field's cost, on top of a point per field selected.
MUTATION_BASE_COST = 10
# A list selected without a limit is priced for this many entries (monday multiplies a
# nested selection by the entries it may return).
# ``complexity`` is one object, not a list.
LIST_SIZE: Mapping[str, int] = {"columns": 50, "column_values": 50, "groups": 20, "complexity": 1}
DEFAULT_LIST_SIZE = 10

_TOKEN = re.compile(r"[_A-Za-z][_0-9A-Za-z]*|[{}]")


def selection_cost(selection: str) -> int:
    """A point for each field named in a selection (``"id title"``: 2); a nested
    selection counts once per entry its list may hold (``"groups { id title }"``: 41)."""
    tokens = _TOKEN.findall(selection)

    def cost(start: int) -> tuple[int, int]:
        total, index, last = 0, start, ""
        while index < len(tokens):
            token = tokens[index]
            if token == "}":
                return total, index + 1
            if token == "{":
                inner, index = cost(index + 1)
                total += LIST_SIZE.get(last, DEFAULT_LIST_SIZE) * inner
                continue
            total, last, index = total + 1, token, index + 1
        return total, index

    return cost(0)[0]


def call_complexity(selection: str) -> int:
    """One mutation field: the field itself, its base, and what it selects."""
    return 1 + MUTATION_BASE_COST + selection_cost(selection)


# What every batch also asks for: its own cost, ``complexity { before after query ... }``,
# a root field of the mutation, priced like one.
REQUEST_OVERHEAD = MUTATION_BASE_COST + selection_cost(COMPLEXITY_SELECTION)


def requests_per_minute(tier: str | None) -> int:
    return REQUESTS_PER_MINUTE_BY_TIER.get((tier or "").lower(), REQUESTS_PER_MINUTE_OTHER)


def complexity_per_minute(tier: str | None) -> int:
    small = (tier or "").lower() in SMALL_BUDGET_TIERS
    return COMPLEXITY_PER_MINUTE_SMALL if small else COMPLEXITY_PER_MINUTE


def daily_calls(tier: str | None) -> int | None:
    """The daily call cap of a plan tier (None: the tier is unknown)."""
    return DAILY_CALLS_BY_TIER.get((tier or "").lower())


def daily_usage(data: Mapping[str, Any], today: date) -> tuple[int | None, int | None]:
    """The account's daily call limit and the calls spent ``today``, from the answer to
    ``doctor_daily_limit`` (``platform_api``); None where monday did not report it (a
    shape it does not have is read as not reported, never a crash)."""
    api = data.get("platform_api")
    if not isinstance(api, Mapping):
        return None, None
    limits = api.get("daily_limit")
    limit = None
    if isinstance(limits, Mapping):
        limit = _count(limits.get("total"))
        limit = limit if limit is not None else _count(limits.get("base"))
    analytics = api.get("daily_analytics")
    rows = analytics.get("by_day") if isinstance(analytics, Mapping) else None
    used = None
    for row in rows if isinstance(rows, list) else ():
        if isinstance(row, Mapping) and str(row.get("day", ""))[:10] == today.isoformat():
            used = _count(row.get("usage"))
    return limit, used


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
