"""Handlers for workspaces, boards, columns, labels and groups: one action, one or two calls.

Each handler resolves the refs it needs, builds the mutation's variables, sends it
through the run's sender and records the new id under the action's address. A lost
answer is settled by ``settle.settle``: creates (``Sender.create``) and deletes say how
to find out that they are already done (a lookup by identity); updates set state, so
they are simply sent again.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from boardops.apply import recovery, relations
from boardops.apply.context import ApplyRun, read_board, visible_groups
from boardops.apply.registry import handles, handles_batch
from boardops.apply.settle import WORKSPACE_UPDATE_ROUNDS, settle
from boardops.codec import CodecError
from boardops.errors import ApplyError, BoardopsError, GraphQLError
from boardops.from_wire import column_from_wire
from boardops.model import STATUS_COLOR_IDS
from boardops.monday import MutationCall
from boardops.monday.mutations import MUTATION_SIGNATURES
from boardops.monday.operations import COLUMN_FIELDS as COLUMN_SELECTION
from boardops.monday.operations import CREATED_BOARD_FIELDS as BOARD_SELECTION
from boardops.monday.operations import UPDATE_WORKSPACE
from boardops.palette import group_color_name
from boardops.plan import (
    RESERVED_STATUS_LABEL_ID,
    Action,
    AddBoardSubscribers,
    AddDropdownLabel,
    AddStatusLabel,
    AdoptBoard,
    AdoptWorkspace,
    ArchiveGroup,
    ColumnSpec,
    CreateBoard,
    CreateColumn,
    CreateGroup,
    CreateWorkspace,
    DeactivateDropdownLabel,
    DeactivateStatusLabel,
    DeleteColumn,
    FieldChange,
    LabelAction,
    LabelPosition,
    MoveBoard,
    MoveGroup,
    ObjectRef,
    ReactivateDropdownLabel,
    RenameDropdownLabel,
    RenameStatusLabel,
    ReorderLabels,
    ReplaceColumn,
    UpdateBoard,
    UpdateColumn,
    UpdateGroup,
    UpdateStatusLabel,
    UpdateWorkspace,
)
from boardops.plan.actions import spec_refs

_WORKSPACE_ATTRIBUTES = {"name": "name", "workspace_kind": "kind", "description": "description"}


def _new_value(change: FieldChange) -> str:
    """A changed field's new value as monday's update mutations take it ("" clears it; an
    object, such as an item nickname, as its JSON text)."""
    if isinstance(change.after, dict):
        return json.dumps(change.after, ensure_ascii=False, sort_keys=True)
    return "" if change.after is None else str(change.after)


# --- workspaces --------------------------------------------------------------------------------


@handles(CreateWorkspace)
def create_workspace(run: ApplyRun, action: CreateWorkspace) -> None:
    args: dict[str, object] = {"name": action.name, "kind": action.workspace_kind}
    if action.description is not None:
        args["description"] = action.description
    created = run.sender.create(
        MutationCall("create_workspace", args),
        lambda: recovery.find_workspace(run.client, action.name),
    )
    workspace_id = str(created.data["id"])
    run.refs.record(action.address, workspace_id)
    run.journal.completed(action, workspace_id, recovered=created.recovered)


@handles(UpdateWorkspace)
def update_workspace(run: ApplyRun, action: UpdateWorkspace) -> None:
    # A change to null clears the field: monday takes an empty string for that.
    attributes = {
        _WORKSPACE_ATTRIBUTES[c.field]: "" if c.after is None else c.after for c in action.changes
    }
    variables = {"id": action.workspace_id, "attributes": attributes}
    settle(lambda: run.client.mutate(UPDATE_WORKSPACE, variables), rounds=WORKSPACE_UPDATE_ROUNDS)
    run.journal.completed(action, action.workspace_id)


# --- boards ------------------------------------------------------------------------------------


@handles(CreateBoard)
def create_board(run: ApplyRun, action: CreateBoard) -> None:
    workspace_id = run.refs.resolve(action.workspace) if action.workspace is not None else None
    args: dict[str, object] = {
        "board_name": action.name,
        "board_kind": action.board_kind,
        "empty": True,
    }
    if action.description is not None:
        args["description"] = action.description
    if workspace_id is not None:
        args["workspace_id"] = workspace_id
    if action.folder is not None:
        args["folder_id"] = run.refs.resolve(action.folder)
    if action.item_nickname is not None:
        args["item_nickname"] = dict(action.item_nickname)
    created = run.sender.create(
        MutationCall("create_board", args, BOARD_SELECTION),
        lambda: recovery.find_board(run.client, action.name, workspace_id),
    )
    board_id = str(created.data["id"])
    run.refs.record(action.address, board_id)
    first_group = run.refs.first_groups.get(action.address)
    if first_group is not None:
        _claim_default_group(run, board_id, created.data, first_group)
    run.journal.completed(action, board_id, recovered=created.recovered)


def _claim_default_group(
    run: ApplyRun, board_id: str, board: Mapping[str, Any], first: CreateGroup
) -> None:
    """Make monday's default group of a new board the first declared group.

    A new board comes with one group; deleting it is impossible until another exists, and
    leaving it would leave a group the manifest does not name. So it is renamed (and
    recoloured) in place, and the first CreateGroup of the board has nothing left to do.
    Done inside the board's action, so an apply stopped between two actions never leaves
    the default group behind.
    """
    groups = visible_groups(board)
    same = [g for g in groups if g["title"] == first.title]
    if same:
        group = same[0]
    elif len(groups) == 1:
        group = groups[0]
    else:
        return
    group_id = str(group["id"])
    # Claimed before it changes: whatever happens next, the first CreateGroup never makes
    # a second group next to it. The title goes first, so that a failed colour update
    # leaves the declared group (found by title on the next run, which sets the colour
    # again) rather than "Group Title" or a renamed group plus a duplicate.
    run.refs.record(first.address, group_id)
    try:
        if group["title"] != first.title:
            run.sender.send_idempotent(_update_group(board_id, group_id, "title", first.title))
        color = first.color
        if color is not None and str(group.get("color") or "").lower() != color.lower():
            _set_group_color(run, board_id, group_id, color)
    except BoardopsError as error:
        run.refs.claim_group(first.address, error)
    else:
        run.refs.claim_group(first.address)


@handles(UpdateBoard)
def update_board(run: ApplyRun, action: UpdateBoard) -> None:
    for change in action.changes:
        args = {
            "board_id": action.board_id,
            "board_attribute": change.field,
            "new_value": _new_value(change),
        }
        run.sender.send_idempotent(MutationCall("update_board", args, ""))
    run.journal.completed(action, action.board_id)


@handles(AdoptBoard, AdoptWorkspace)
def adopt(run: ApplyRun, action: AdoptBoard | AdoptWorkspace) -> None:
    """Nothing to send: the plan shows that the manifest takes an existing object over."""
    object_id = action.board_id if isinstance(action, AdoptBoard) else action.workspace_id
    run.journal.completed(action, object_id)


@handles(MoveBoard)
def move_board(run: ApplyRun, action: MoveBoard) -> None:
    """``update_board_hierarchy`` to the new workspace and/or folder: the board keeps its
    columns, groups and items. Moving twice is harmless, so a lost answer is sent again."""
    attributes: dict[str, object] = {}
    if action.moves_workspace:
        attributes["workspace_id"] = run.refs.resolve(action.to_workspace)
    if action.to_folder is not None:
        attributes["folder_id"] = run.refs.resolve(action.to_folder)
    field = "update_board_hierarchy"
    call = MutationCall(
        field,
        {"board_id": action.board_id, "attributes": attributes},
        MUTATION_SIGNATURES[field].selection,
    )
    data = run.sender.send_idempotent(call)
    if isinstance(data, Mapping) and data.get("success") is False:
        raise ApplyError(
            action.address,
            f"monday did not move the board: {data.get('message') or 'no reason given'}",
        )
    run.journal.completed(action, action.board_id)


# --- columns -----------------------------------------------------------------------------------


def column_call(
    board_id: str,
    spec: ColumnSpec,
    after_id: str | None,
    *,
    keep_id: bool,
    defaults: Mapping[str, Any] | None = None,
) -> MutationCall:
    args: dict[str, object] = {"board_id": board_id, "title": spec.title}
    if spec.id is not None and keep_id:
        args["id"] = spec.id
    if spec.description is not None:
        args["description"] = spec.description
    if after_id is not None:
        args["after_column_id"] = after_id
    if spec.type == "status":
        args["defaults"] = {
            "labels": [
                {
                    "label": label.label,
                    "color": label.color,
                    "index": index,
                    "is_done": label.done,
                    **({"description": label.description} if label.description else {}),
                }
                for index, label in enumerate(spec.status_labels)
            ]
        }
        return MutationCall("create_status_column", args, COLUMN_SELECTION)
    if spec.type == "dropdown":
        args["defaults"] = {"labels": [{"label": label} for label in spec.dropdown_labels]}
        return MutationCall("create_dropdown_column", args, COLUMN_SELECTION)
    args["column_type"] = spec.type
    if defaults is not None:  # connect-boards / mirror settings (apply.relations)
        args["defaults"] = dict(defaults)
    elif spec.settings:  # settings: keys (boardops.column_settings)
        args["defaults"] = dict(spec.settings)
    return MutationCall("create_column", args, COLUMN_SELECTION)


def _create_column(
    run: ApplyRun, action: Action, board_id: str, spec: ColumnSpec, call: MutationCall
) -> tuple[str, bool]:
    taken = run.columns.ids(board_id)
    created = run.sender.create(
        call, lambda: recovery.find_column(run.client, board_id, spec, taken=taken)
    )
    return _created_column(run, action, board_id, created.data), created.recovered


def _created_column(run: ApplyRun, action: Action, board_id: str, data: Any) -> str:
    column = run.columns.remember(board_id, data)
    assert column.id is not None
    run.refs.record(action.address, column.id)
    return column.id


def column_batch_key(action: Action) -> Hashable:
    assert isinstance(action, CreateColumn)
    return ("columns", action.board.address)


@handles_batch(CreateColumn, key=column_batch_key)
def create_columns(run: ApplyRun, actions: Sequence[Action]) -> None:
    """New columns of one board, in as few requests as their positions allow.

    A column placed after another one of the same request needs that one's id up front:
    a pinned id is known, a generated one is not, so the request is cut there.
    """
    first = actions[0]
    assert isinstance(first, CreateColumn)
    board_id = run.refs.resolve(first.board)
    batch: list[tuple[CreateColumn, MutationCall]] = []
    pinned: dict[str, str] = {}  # address -> pinned id, for the columns in ``batch``
    for action in actions:
        assert isinstance(action, CreateColumn)
        after = action.after
        after_id: str | None = None
        if after is not None:
            after_id = after.id or run.refs.recorded(after.address) or pinned.get(after.address)
            if after_id is None:
                if any(queued.address == after.address for queued, _ in batch):
                    _send_columns(run, board_id, batch)
                    batch, pinned = [], {}
                try:
                    after_id = run.refs.resolve(after)
                except ApplyError as error:
                    run.journal.failed(action, error)
                    continue
        needed = {r.address for r in spec_refs(action.spec) if r.id is None}
        if any(queued.address in needed for queued, _ in batch):
            _send_columns(run, board_id, batch)  # a mirror of a column in this request
            batch, pinned = [], {}
        try:
            if _took_reflection(run, action, board_id):
                continue
            defaults = relations.spec_defaults(run, action.spec)
        except BoardopsError as error:
            run.journal.failed(action, error)
            continue
        call = column_call(board_id, action.spec, after_id, keep_id=True, defaults=defaults)
        batch.append((action, call))
        if action.spec.id is not None:
            pinned[action.address] = action.spec.id
    _send_columns(run, board_id, batch)


def _took_reflection(run: ApplyRun, action: CreateColumn, board_id: str) -> bool:
    """The second column of a new two-way pair: monday made it with the first one."""
    relation = action.spec.relation
    if relation is None or relation.reflection_of is None:
        return False
    column_id = relations.take_reflection(run, action, board_id)
    if column_id is None:
        return False  # monday added none: created as a column of its own
    run.journal.completed(action, column_id)
    return True


def _send_columns(
    run: ApplyRun, board_id: str, batch: Sequence[tuple[CreateColumn, MutationCall]]
) -> None:
    if not batch:
        return
    sent = run.sender.batch(batch, lambda entry: entry[1])
    for (action, _), result in sent.answered:
        if result.error is not None:
            run.journal.failed(action, result.error)
        else:
            run.journal.completed(action, _created_column(run, action, board_id, result.data))
    for action, call in sent.in_doubt:
        # Its answer was lost: look for it before sending it again, one by one.
        taken = run.columns.ids(board_id)
        found = recovery.find_column(run.client, board_id, action.spec, taken=taken)
        if found is not None:
            run.journal.completed(
                action, _created_column(run, action, board_id, found), recovered=True
            )
        else:
            _create_one(run, action, board_id, call)
    for action, call in sent.unsent:
        _create_one(run, action, board_id, call)


def _create_one(run: ApplyRun, action: CreateColumn, board_id: str, call: MutationCall) -> None:
    try:
        column_id, recovered = _create_column(run, action, board_id, action.spec, call)
    except (BoardopsError, CodecError) as error:
        run.journal.failed(action, error)
        return
    run.journal.completed(action, column_id, recovered=recovered)


@handles(UpdateColumn)
def update_column(run: ApplyRun, action: UpdateColumn) -> None:
    relations.update_settings(run, action)  # connect-boards / mirror settings, if any
    for change in action.changes:
        if change.field not in ("title", "description"):
            continue  # a setting: sent by update_settings
        args = {
            "board_id": action.board_id,
            "column_id": action.column_id,
            "column_property": change.field,
            "value": _new_value(change),
        }
        data = run.sender.send_idempotent(
            MutationCall("change_column_metadata", args, COLUMN_SELECTION)
        )
        if isinstance(data, Mapping):
            run.columns.remember(action.board_id, data)
    run.journal.completed(action, action.column_id)


def _delete_column(run: ApplyRun, board_id: str, column_id: str) -> None:
    call = MutationCall("delete_column", {"board_id": board_id, "column_id": column_id})

    def gone() -> bool:
        columns = read_board(run.client, board_id).get("columns") or ()
        return not any(c["id"] == column_id and not c["archived"] for c in columns)

    settle(lambda: run.sender.send(call), already_done=gone)


@handles(DeleteColumn)
def delete_column(run: ApplyRun, action: DeleteColumn) -> None:
    _delete_column(run, action.board_id, action.column_id)
    run.journal.completed(action, action.column_id)


@handles(ReplaceColumn)
def replace_column(run: ApplyRun, action: ReplaceColumn) -> None:
    after_id = run.refs.resolve(action.after) if action.after is not None else None
    _delete_column(run, action.board_id, action.column_id)
    # monday never reuses a deleted column's id; the plan warns about it.
    keep_id = action.spec.id != action.column_id
    defaults = relations.spec_defaults(run, action.spec)
    call = column_call(action.board_id, action.spec, after_id, keep_id=keep_id, defaults=defaults)
    column_id, recovered = _create_column(run, action, action.board_id, action.spec, call)
    run.journal.completed(action, column_id, recovered=recovered)


# --- labels ------------------------------------------------------------------------------------
# All label actions on one column become one update_status_column / update_dropdown_column
# call carrying the whole label list, computed from the column as it is right now (read
# just before, with its current revision). Each change is a target state ("label 3 is
# called Doing"), so computing it again after a lost answer finds nothing left to do.
# Labels are never left out of the list (boardops deactivates rather than deletes), which
# keeps within monday's dropdown rules: no deletion at all, so never more than one, and
# never an add together with a removal. The order is settled last: the reorder (by the
# texts after renames), then each new label next to its anchor; status labels carry it
# in ``index`` (renumbered only when it no longer increases), dropdown labels in the
# order of the list, the only order ``UpdateDropdownColumnSettingsInput`` has.

StatusLabelAction = AddStatusLabel | RenameStatusLabel | UpdateStatusLabel | DeactivateStatusLabel
DropdownLabelAction = (
    AddDropdownLabel | RenameDropdownLabel | ReactivateDropdownLabel | DeactivateDropdownLabel
)
STATUS_LABEL_ACTIONS = (AddStatusLabel, RenameStatusLabel, UpdateStatusLabel, DeactivateStatusLabel)
DROPDOWN_LABEL_ACTIONS = (
    AddDropdownLabel,
    RenameDropdownLabel,
    ReactivateDropdownLabel,
    DeactivateDropdownLabel,
)
LABEL_ACTIONS = (*STATUS_LABEL_ACTIONS, *DROPDOWN_LABEL_ACTIONS, ReorderLabels)


def _is_status(action: Action) -> bool:
    if isinstance(action, ReorderLabels):
        return action.column_type == "status"
    return isinstance(action, STATUS_LABEL_ACTIONS)


def label_column(action: Action) -> tuple[str, str]:
    assert isinstance(action, LabelAction)
    return (action.board_id, action.column_id)


def _status_labels(raw_column: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The column's labels as ``update_status_column`` takes them back. They are read the
    way the live reader reads them (a colour monday answers as its numeric id becomes its
    name), because monday only accepts colour names in the update."""
    labels = []
    for label in column_from_wire(raw_column).status_labels:
        entry: dict[str, Any] = {
            "id": label.id,
            "label": label.label,
            "color": label.color,
            "index": label.index or 0,
            "is_done": label.done,
            "is_deactivated": label.deactivated,
        }
        if label.description:
            entry["description"] = label.description
        labels.append(entry)
    return labels


def _check_status_colors(address: str, labels: Sequence[Mapping[str, Any]]) -> None:
    """Every colour sent must be a ``StatusColumnColors`` name."""
    for label in labels:
        if label.get("color") not in STATUS_COLOR_IDS:
            raise ApplyError(
                address,
                f"the column's label {label.get('label')!r} has colour "
                f"{label.get('color')!r}, which is not a monday colour name boardops knows; "
                "the column's labels cannot be sent back",
            )


def _next_index(labels: Sequence[Mapping[str, Any]]) -> int:
    return max((int(label["index"]) for label in labels), default=-1) + 1


def _apply_status(labels: list[dict[str, Any]], action: Action) -> None:
    # Labels added earlier in the same update have no id yet.
    by_id = {label["id"]: label for label in labels if "id" in label}
    if isinstance(action, AddStatusLabel):
        if not any(label["label"] == action.label.label for label in labels):
            entry: dict[str, Any] = {
                "label": action.label.label,
                "color": action.label.color,
                "index": _next_index(labels),
                "is_done": action.label.done,
            }
            if action.label.description:
                entry["description"] = action.label.description
            labels.append(entry)
        return
    assert isinstance(action, (RenameStatusLabel, UpdateStatusLabel, DeactivateStatusLabel))
    if action.label_id == RESERVED_STATUS_LABEL_ID:
        raise ApplyError(action.address, "monday's reserved default label is never changed")
    label = by_id.get(action.label_id)
    if label is None:
        raise ApplyError(action.address, f"the column has no label with id {action.label_id}")
    if isinstance(action, RenameStatusLabel):
        label["label"] = action.after
    elif isinstance(action, DeactivateStatusLabel):
        label["is_deactivated"] = True
    else:
        for change in action.changes:
            if change.field == "color":
                label["color"] = change.after
            elif change.field == "done":
                label["is_done"] = bool(change.after)
            elif change.field == "description":
                if change.after:
                    label["description"] = change.after
                else:
                    label.pop("description", None)
            elif change.field == "deactivated":
                label["is_deactivated"] = bool(change.after)


def _dropdown_labels(settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": int(raw["id"]),
            "label": str(raw["label"]),
            "is_deactivated": bool(raw.get("is_deactivated", False)),
        }
        for raw in settings.get("labels") or ()
    ]


def _apply_dropdown(labels: list[dict[str, Any]], action: Action) -> None:
    if isinstance(action, AddDropdownLabel):
        if not any(label["label"] == action.label for label in labels):
            labels.append({"label": action.label})
        return
    assert isinstance(
        action, (RenameDropdownLabel, ReactivateDropdownLabel, DeactivateDropdownLabel)
    )
    label = next((entry for entry in labels if entry.get("id") == action.label_id), None)
    if label is None:
        raise ApplyError(action.address, f"the column has no label with id {action.label_id}")
    if isinstance(action, RenameDropdownLabel):
        label["label"] = action.after
    else:
        label["is_deactivated"] = isinstance(action, DeactivateDropdownLabel)


def _reorder(labels: list[dict[str, Any]], order: Sequence[str]) -> None:
    """The active labels named in ``order`` take the places they hold between them in
    ``order``'s sequence; every other label keeps its place."""
    rank = {text: n for n, text in enumerate(order)}
    slots = [
        i
        for i, label in enumerate(labels)
        if label["label"] in rank and not label.get("is_deactivated")
    ]
    moved = sorted((labels[i] for i in slots), key=lambda label: rank[label["label"]])
    for i, label in zip(slots, moved, strict=True):
        labels[i] = label


def _place_new_labels(
    labels: list[dict[str, Any]], placed: Sequence[tuple[str, LabelPosition]]
) -> None:
    """Move each new label next to its anchor; a label anchored on another new label
    waits until that one is in place. An anchor that is missing leaves it where it is."""
    waiting = dict(placed)
    while waiting:
        progress = False
        for text, position in list(waiting.items()):
            if position.anchor in waiting:
                continue
            del waiting[text]
            progress = True
            entry = next((label for label in labels if label["label"] == text), None)
            anchor = next(
                (
                    label
                    for label in labels
                    if label["label"] == position.anchor and label is not entry
                ),
                None,
            )
            if entry is None or anchor is None:
                continue
            labels.remove(entry)
            at = labels.index(anchor) + (1 if position.relation == "after" else 0)
            labels.insert(at, entry)
        if not progress:
            return


def _renumber(labels: list[dict[str, Any]]) -> None:
    """Status labels show in ``index`` order: renumbered when the list's order is not it."""
    indexes = [label.get("index") for label in labels]
    numbers = [i for i in indexes if isinstance(i, int)]
    if len(numbers) == len(indexes) and all(a < b for a, b in itertools.pairwise(numbers)):
        return
    for index, label in enumerate(labels):
        label["index"] = index


def _arrange(labels: list[dict[str, Any]], actions: Sequence[Action], *, status: bool) -> None:
    for action in actions:
        if isinstance(action, ReorderLabels):
            _reorder(labels, action.after)
    placed: list[tuple[str, LabelPosition]] = []
    for action in actions:
        if isinstance(action, AddStatusLabel) and action.position is not None:
            placed.append((action.label.label, action.position))
        elif isinstance(action, AddDropdownLabel) and action.position is not None:
            placed.append((action.label, action.position))
    _place_new_labels(labels, placed)
    if status:
        _renumber(labels)


@handles_batch(*LABEL_ACTIONS, key=label_column)
def change_labels(run: ApplyRun, actions: Sequence[Action]) -> None:
    """Every label action of one column, in one update call."""
    board_id, column_id = label_column(actions[0])
    status = _is_status(actions[0])
    field = "update_status_column" if status else "update_dropdown_column"

    def send_labels() -> None:
        """Read the column, compute its labels, send them if they differ: sending again
        after a lost answer computes from a fresh read, so nothing is applied twice."""
        raw = next(
            (
                c
                for c in read_board(run.client, board_id).get("columns") or ()
                if c["id"] == column_id
            ),
            None,
        )
        if raw is None:
            raise ApplyError(actions[0].address, f"board {board_id} has no column {column_id!r}")
        settings = raw.get("settings") or {}
        current = _status_labels(raw) if status else _dropdown_labels(settings)
        wanted = [dict(label) for label in current]
        for action in actions:
            if not isinstance(action, ReorderLabels):
                (_apply_status if status else _apply_dropdown)(wanted, action)
        _arrange(wanted, actions, status=status)
        if wanted == current:
            run.columns.remember(board_id, raw)
            return
        if status:
            _check_status_colors(actions[0].address, wanted)
        args = {
            "board_id": board_id,
            "id": column_id,
            "revision": str(raw["revision"]),
            "settings": {"labels": wanted},
        }
        run.columns.remember(board_id, run.sender.send(MutationCall(field, args, COLUMN_SELECTION)))

    settle(send_labels)
    for action in actions:
        run.journal.completed(action, column_id)


# --- board membership --------------------------------------------------------------------------


@handles(AddBoardSubscribers)
def add_board_subscribers(run: ApplyRun, action: AddBoardSubscribers) -> None:
    """Subscribe users, then teams; adding someone who is already a member changes
    nothing, so a lost answer is settled by sending the call again."""
    board_id = run.refs.resolve(action.board)
    if action.user_ids:
        args = {"board_id": board_id, "user_ids": list(action.user_ids)}
        run.sender.send_idempotent(MutationCall("add_users_to_board", args))
    if action.team_ids:
        args = {"board_id": board_id, "team_ids": list(action.team_ids)}
        run.sender.send_idempotent(MutationCall("add_teams_to_board", args))
    run.journal.completed(action, board_id)


# --- groups ------------------------------------------------------------------------------------


def _update_group(board_id: str, group_id: str, attribute: str, value: str) -> MutationCall:
    return MutationCall(
        "update_group",
        {
            "board_id": board_id,
            "group_id": group_id,
            "group_attribute": attribute,
            "new_value": value,
        },
    )


@handles(CreateGroup)
def create_group(run: ApplyRun, action: CreateGroup) -> None:
    if run.refs.is_claimed(action.address):
        failure = run.refs.claim_failure(action.address)
        if failure is not None:
            raise failure
        run.journal.completed(action, run.refs.resolve(ObjectRef(action.address)))
        return
    board_id = run.refs.resolve(action.board)
    args: dict[str, object] = {"board_id": board_id, "group_name": action.title}
    if action.color is not None:
        args["group_color"] = action.color
    if action.position is not None:
        args["position_relative_method"] = (
            "after_at" if action.position.relation == "after" else "before_at"
        )
        args["relative_to"] = run.refs.resolve(action.position.anchor)
    taken = run.refs.ids_under(f"{action.board.address}.group.")
    created = run.sender.create(
        MutationCall("create_group", args),
        lambda: recovery.find_group(run.client, board_id, action.title, taken=taken),
    )
    group_id = str(created.data["id"])
    run.refs.record(action.address, group_id)
    run.journal.completed(action, group_id, recovered=created.recovered)


def _set_group_color(run: ApplyRun, board_id: str, group_id: str, color: str) -> None:
    """``update_group(group_attribute: color)``: the hex code ``create_group`` takes (the
    docs sandbox's form) and, when monday refuses it, the colour's name from monday's
    chart (the form its docs link to, and real accounts take; recorded behaviour,
    section 4). Which one a given account wants is open until the live suite settles it."""
    try:
        run.sender.send_idempotent(_update_group(board_id, group_id, "color", color))
    except GraphQLError:
        name = group_color_name(color)
        if name is None:
            raise
        run.sender.send_idempotent(_update_group(board_id, group_id, "color", name))


@handles(UpdateGroup)
def update_group(run: ApplyRun, action: UpdateGroup) -> None:
    # The title first: a refused colour then leaves a group found by its title next time.
    for change in sorted(action.changes, key=lambda c: c.field != "title"):
        value = _new_value(change)
        if change.field == "color" and value:
            _set_group_color(run, action.board_id, action.group_id, value)
        else:
            run.sender.send_idempotent(
                _update_group(action.board_id, action.group_id, change.field, value)
            )
    run.journal.completed(action, action.group_id)


@handles(MoveGroup)
def move_group(run: ApplyRun, action: MoveGroup) -> None:
    attribute = (
        "relative_position_after"
        if action.position.relation == "after"
        else "relative_position_before"
    )
    anchor = run.refs.resolve(action.position.anchor)
    run.sender.send_idempotent(_update_group(action.board_id, action.group_id, attribute, anchor))
    run.journal.completed(action, action.group_id)


@handles(ArchiveGroup)
def archive_group(run: ApplyRun, action: ArchiveGroup) -> None:
    call = MutationCall("archive_group", {"board_id": action.board_id, "group_id": action.group_id})

    def gone() -> bool:
        groups = visible_groups(read_board(run.client, action.board_id))
        return not any(str(g["id"]) == action.group_id for g in groups)

    settle(lambda: run.sender.send(call), already_done=gone)
    run.journal.completed(action, action.group_id)
