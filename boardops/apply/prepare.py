"""What apply runs: a plan computed now, or a saved plan that is still fresh."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from boardops.errors import PlanFormatError, StalePlan
from boardops.live import read_live
from boardops.model import DesiredState, LiveState
from boardops.monday import MondayClient
from boardops.plan import Action, Plan, build_plan, check_fresh
from boardops.plan.saved import desired_digest, read_saved_plan
from boardops.plan.target import Targeting, narrow

if TYPE_CHECKING:
    from boardops.scope import ScopeCheck


def read_plan_file(path: Path, desired: DesiredState | None = None) -> Plan:
    """A plan saved by ``boardops plan --out``; ``PlanFormatError`` if it is not one.

    With ``desired`` (the manifests named beside ``--plan``), a plan made from another
    desired state (other manifests, or these before they changed) is refused here,
    before anything is read from monday: ``StalePlan`` says to plan again. A plan document
    without its desired state (``plan --format json``) is checked against the manifest
    files' bytes instead.
    """
    saved = read_saved_plan(path)
    if desired is not None:
        if saved.desired is not None:
            same = desired_digest(saved.desired) == desired_digest(desired)
        else:
            same = saved.plan.manifest_digest == desired.digest
        if not same:
            raise StalePlan(
                [
                    f"{path} was made from another desired state than the manifests give "
                    "now (other manifests, or they changed since)"
                ]
            )
    return saved.plan


def plan_for_apply(
    client: MondayClient,
    desired: DesiredState,
    saved: Plan | None = None,
    *,
    scope: ScopeCheck | None = None,
    targeting: Targeting | None = None,
) -> tuple[Plan, LiveState]:
    """Read the live boards and return the plan to run with the state it was checked on.

    Without ``saved``, the plan is computed from that read. With it, the saved plan is
    returned as it is, after ``check_fresh`` has confirmed that nothing its actions
    depend on has moved (``StalePlan`` names what did); a saved plan without actions is
    returned at once, with nothing read. ``scope``:
    the read scope (``boardops.scope``), checked before any board is read. ``targeting``
    narrows a plan computed now (``boardops.plan.target``); a saved plan keeps its own.
    """
    if saved is not None and not saved.has_changes:
        return saved, LiveState()  # nothing to check, nothing to read
    live = read_live(client, desired, scope=scope)
    if saved is None:
        return narrow(build_plan(desired, live), targeting, desired), live
    check_fresh(saved, live, desired)
    _check_unedited(saved, build_plan(desired, live))
    return saved, live


def _check_unedited(saved: Plan, fresh: Plan) -> None:
    """Every saved action must be one that the manifest and the unchanged live state give
    now, and at most as often. A saved plan may hold fewer actions (a structure-only plan),
    never other or repeated ones: an action changed or copied by hand would otherwise run
    as written."""
    expected: dict[str, list[Action]] = {}
    for action in fresh.actions:
        expected.setdefault(action.address, []).append(action)
    for action in saved.actions:
        candidates = expected.get(action.address, [])
        if action in candidates:
            candidates.remove(action)
        else:
            raise PlanFormatError(
                f"{action.address}: the saved plan's {type(action).__name__} is not what the "
                "manifest and the live boards give now (was the plan edited, or did the "
                "boards change?); run `boardops plan` again and review the new plan"
            )
