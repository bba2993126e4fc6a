"""Plans: what apply would do to make the live boards match the manifest.

``build_plan(desired, live)`` diffs (``diff.py``), orders (``order.py``) and returns a
frozen ``Plan``; ``Plan.to_dict()`` / ``Plan.from_dict()`` are the saved-plan format.
``check_fresh`` refuses a saved plan when a live fact one of its actions depends on has
moved since (``facts`` says which facts each action depends on).
"""

from __future__ import annotations

from boardops.errors import StalePlan
from boardops.gc_pause import collector_paused
from boardops.model import DesiredState, LiveState
from boardops.plan.actions import (
    ACTION_KINDS,
    ACTION_TYPES,
    ACTION_TYPES_BY_NAME,
    LINKS_SUFFIX,
    RESERVED_STATUS_LABEL_ID,
    Action,
    ActionKind,
    AddBoardOwners,
    AddBoardSubscribers,
    AddDropdownLabel,
    AddStatusLabel,
    AddWorkspaceMembers,
    AdoptBoard,
    AdoptItem,
    AdoptWorkspace,
    ArchiveGroup,
    ArchiveItem,
    ColumnSpec,
    CreateBoard,
    CreateColumn,
    CreateFolder,
    CreateGroup,
    CreateItem,
    CreateSubitem,
    CreateSubitemsBoard,
    CreateWorkspace,
    DeactivateDropdownLabel,
    DeactivateStatusLabel,
    DeleteColumn,
    DeleteFolder,
    FieldChange,
    GroupPosition,
    ItemColumn,
    ItemLink,
    ItemPosition,
    LabelAction,
    LabelPosition,
    MoveBoard,
    MoveGroup,
    MoveItem,
    ObjectRef,
    ReactivateDropdownLabel,
    RemoveBoardMembers,
    RemoveWorkspaceMembers,
    RenameDropdownLabel,
    RenameStatusLabel,
    ReorderLabels,
    ReplaceColumn,
    SetBoardRole,
    SetItemLinks,
    StatusLabelSpec,
    Unmanaged,
    UpdateBoard,
    UpdateColumn,
    UpdateColumnSettings,
    UpdateFolder,
    UpdateGroup,
    UpdateItem,
    UpdateStatusLabel,
    UpdateWorkspace,
)
from boardops.plan.diff import diff
from boardops.plan.facts import Dependents, moved
from boardops.plan.order import check_destroy, dependencies, order_actions
from boardops.plan.people import people_of
from boardops.plan.plan import (
    FORMAT_VERSION,
    SUBSCRIBERS_SUFFIX,
    FingerprintEntry,
    LiveFingerprint,
    Plan,
    PlanOptions,
    board_key_of,
)

__all__ = [
    "ACTION_KINDS",
    "ACTION_TYPES",
    "ACTION_TYPES_BY_NAME",
    "FORMAT_VERSION",
    "LINKS_SUFFIX",
    "RESERVED_STATUS_LABEL_ID",
    "SUBSCRIBERS_SUFFIX",
    "Action",
    "ActionKind",
    "AddBoardOwners",
    "AddBoardSubscribers",
    "AddDropdownLabel",
    "AddStatusLabel",
    "AddWorkspaceMembers",
    "AdoptBoard",
    "AdoptItem",
    "AdoptWorkspace",
    "ArchiveGroup",
    "ArchiveItem",
    "ColumnSpec",
    "CreateBoard",
    "CreateColumn",
    "CreateFolder",
    "CreateGroup",
    "CreateItem",
    "CreateSubitem",
    "CreateSubitemsBoard",
    "CreateWorkspace",
    "DeactivateDropdownLabel",
    "DeactivateStatusLabel",
    "DeleteColumn",
    "DeleteFolder",
    "FieldChange",
    "FingerprintEntry",
    "GroupPosition",
    "ItemColumn",
    "ItemLink",
    "ItemPosition",
    "LabelAction",
    "LabelPosition",
    "LiveFingerprint",
    "MoveBoard",
    "MoveGroup",
    "MoveItem",
    "ObjectRef",
    "Plan",
    "PlanOptions",
    "ReactivateDropdownLabel",
    "RemoveBoardMembers",
    "RemoveWorkspaceMembers",
    "RenameDropdownLabel",
    "RenameStatusLabel",
    "ReorderLabels",
    "ReplaceColumn",
    "SetBoardRole",
    "SetItemLinks",
    "StatusLabelSpec",
    "Unmanaged",
    "UpdateBoard",
    "UpdateColumn",
    "UpdateColumnSettings",
    "UpdateFolder",
    "UpdateGroup",
    "UpdateItem",
    "UpdateStatusLabel",
    "UpdateWorkspace",
    "board_key_of",
    "build_plan",
    "check_destroy",
    "check_fresh",
    "dependencies",
    "fingerprint",
    "order_actions",
]

_DEFAULT_OPTIONS = PlanOptions()


def build_plan(
    desired: DesiredState, live: LiveState, *, options: PlanOptions = _DEFAULT_OPTIONS
) -> Plan:
    """The ordered plan that makes ``live`` match ``desired``. Reads nothing, writes nothing.

    Raises ``AmbiguousMatch`` when two live objects answer to one identity, ``PlanError``
    when a desired value cannot be normalised, ``DependencyCycle`` if ordering fails.
    """
    from boardops.apply.estimate import with_budget  # apply builds on plan: imported late

    with collector_paused():  # a large, acyclic graph again: see collector_paused
        result = diff(desired, live, options)
        actions = order_actions(result.actions)
        plan = Plan(
            actions=actions,
            unmanaged=tuple(sorted(result.unmanaged, key=lambda u: (u.address, u.kind, u.reason))),
            warnings=tuple(result.warnings),
            manifest_digest=desired.digest,
            live_fingerprint=_fingerprint_of(Dependents(actions).relevant(result.facts)),
            live_source=live.source,
            live_read_at=live.read_at,
            live_origin=live.origin,
            people=people_of(actions, live.users, live.teams),
        )
    # Its cost at the account's documented limits (``boardops.plan.budget``).
    return with_budget(plan, live)


def _fingerprint_of(facts: list[FingerprintEntry]) -> LiveFingerprint:
    return LiveFingerprint(tuple(sorted(set(facts), key=lambda e: (e.address, e.aspect))))


def fingerprint(live: LiveState, desired: DesiredState) -> LiveFingerprint:
    """The facts about ``live`` a plan for ``desired`` depends on (ids, revisions, values)."""
    return _fingerprint_of(diff(desired, live, PlanOptions()).facts)


def check_fresh(saved: Plan, live_now: LiveState, desired: DesiredState) -> None:
    """Raise ``StalePlan`` naming each fact that one of ``saved``'s actions depends on and
    that moved since it was computed (and the action). Facts no action depends on may
    move freely; a plan without actions is never stale (and nothing is compared)."""
    dependents = Dependents(saved.actions)
    if not dependents:
        return
    now = fingerprint(live_now, desired).entries
    changed = moved(saved.live_fingerprint.entries, now, dependents)
    if changed:
        raise StalePlan(changed)
