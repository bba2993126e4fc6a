"""apply and monday's daily call cap: what is left today, read before anything is sent.

``read_daily`` asks monday for the account's daily limit and today's usage
(``platform_api``); either may be unknown (an account or API version that does not
report it), and then nothing is refused. ``check_daily`` refuses a plan whose estimated
requests are more than what is left (``OverDailyLimit``: one line, exit 1, nothing
written), or with ``--allow-partial`` sets the client's call allowance to what is left,
so that the apply stops cleanly before the cap (``partial_report`` says what it did).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from boardops.commands.errors import ApplyInterrupted
from boardops.errors import ApiError, DailyLimitExceeded, OverDailyLimit
from boardops.monday import MondayClient
from boardops.monday.costs import daily_usage
from boardops.monday.operations import DOCTOR_DAILY_LIMIT
from boardops.plan import Plan


def read_daily(client: MondayClient) -> tuple[int | None, int | None]:
    """The account's daily call limit and the calls spent today (None: not reported)."""
    try:
        data = client.query(DOCTOR_DAILY_LIMIT)
    except DailyLimitExceeded:
        raise
    except ApiError:
        return None, None
    return daily_usage(data, datetime.now(timezone.utc).date())


def with_daily(client: MondayClient, plan: Plan) -> Plan:
    """``plan`` with today's usage in its budget (its line then says what share of the
    calls left today it takes)."""
    limit, used = read_daily(client)
    budget = plan.budget
    return dataclasses.replace(
        plan,
        budget=dataclasses.replace(
            budget,
            daily_limit=limit if limit is not None else budget.daily_limit,
            daily_used=used,
        ),
    )


def check_daily(client: MondayClient, plan: Plan, *, allow_partial: bool) -> None:
    """Refuse ``plan`` when its estimate does not fit in what is left today; with
    ``allow_partial``, let the client send no more than that (even when the estimate
    fits: it is an estimate)."""
    left = plan.budget.daily_left
    if left is None:
        return
    if allow_partial:
        client.set_call_allowance(left)
    elif plan.budget.requests > left:
        raise OverDailyLimit(
            f"the plan needs ~{plan.budget.requests:,} requests and {left:,} of today's "
            f"{plan.budget.daily_limit:,} API calls are left (the cap resets at midnight "
            "UTC); nothing was changed; apply --allow-partial to do what fits and stop "
            "before the cap"
        )


def partial_report(left: int | None, stopped: ApplyInterrupted) -> list[str]:
    """What an apply stopped before the daily cap says: the cap, what was done and what
    was not (as an interrupted apply says it), and when to run it again."""
    cap = f" ({left:,} calls were left today)" if left is not None else ""
    head = (
        f"stopped before monday's daily call cap{cap}: {len(stopped.done)} of "
        f"{stopped.total} actions done, {len(stopped.not_done)} not done"
    )
    return [
        head,
        *stopped.lines()[1:-1],
        "Nothing is undone. Run the same apply again after the cap resets (midnight UTC) "
        "to finish the job: what was done is not done twice.",
    ]
