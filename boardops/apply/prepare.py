"""What apply runs: a plan computed now, or a saved plan that is still fresh."""

from __future__ import annotations

import json
from pathlib import Path

from boardops.errors import PlanFormatError
from boardops.live import read_live
from boardops.model import DesiredState, LiveState
from boardops.monday import MondayClient
from boardops.plan import Plan, build_plan, check_fresh


def read_plan_file(path: Path) -> Plan:
    """A plan saved by ``boardops plan --out``; ``PlanFormatError`` if it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PlanFormatError(f"{path}: cannot read a saved plan: {error}") from None
    if not isinstance(data, dict):
        raise PlanFormatError(f"{path}: a saved plan is a JSON object")
    return Plan.from_dict(data)


def plan_for_apply(
    client: MondayClient, desired: DesiredState, saved: Plan | None = None
) -> tuple[Plan, LiveState]:
    """Read the live boards and return the plan to run with the state it was checked on.

    Without ``saved``, the plan is computed from that read. With it, the saved plan is
    returned as it is, after ``check_fresh`` has confirmed that neither the manifest nor
    anything the plan depended on has moved (``StalePlan`` names what did).
    """
    live = read_live(client, desired)
    if saved is None:
        return build_plan(desired, live), live
    check_fresh(saved, live, desired)
    return saved, live
