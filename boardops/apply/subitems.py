"""Subitem actions: the subitems board (made with the parent board's ``subtasks``
column) and new subitems (``create_subitem``, in aliased batches).

Subitems are updated and archived by the item actions (``apply.items``) with the ids of
the subitems board. A ``create_subitem`` whose answer was lost is looked for among its
parent's subitems by match key (a subitem created twice is a duplicate); only those not
found are sent again. A lost ``create_column(column_type: subtasks)`` is looked for as the
parent board's subtasks column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from boardops import codec
from boardops.apply.batches import Pending, answered, lost_again, send_all, take_all
from boardops.apply.context import ApplyRun, read_board
from boardops.apply.items import columns_by_key, initial_values
from boardops.apply.registry import handles, handles_batch
from boardops.errors import ApplyError, BoardopsError
from boardops.from_wire import item_from_wire
from boardops.identity import match_key_parts
from boardops.live_subitems import subitems_board_id
from boardops.model import SUBTASKS_TYPE, Column, Item, JSONValue, join_match_key
from boardops.monday import MondayClient, MutationCall
from boardops.monday.operations import COLUMN_FIELDS
from boardops.plan import Action, CreateSubitem, CreateSubitemsBoard, board_key_of
from boardops.plan.tags import tag_names


@handles(CreateSubitemsBoard)
def create_subitems_board(run: ApplyRun, action: CreateSubitemsBoard) -> None:
    board_id = run.refs.resolve(action.board)
    call = MutationCall(
        "create_column",
        {"board_id": board_id, "title": action.title, "column_type": SUBTASKS_TYPE},
        COLUMN_FIELDS,
    )
    created = run.sender.create(call, lambda: _subtasks_column(run.client, board_id))
    column = run.columns.remember(board_id, created.data)
    subitems_id = subitems_board_id(column)
    if subitems_id is None:
        raise ApplyError(
            action.address, "monday made the subtasks column without naming its subitems board"
        )
    run.refs.record(action.address, subitems_id)
    run.journal.completed(action, subitems_id, recovered=created.recovered)


def _subtasks_column(client: MondayClient, board_id: str) -> dict[str, Any] | None:
    columns = read_board(client, board_id).get("columns") or ()
    found = [c for c in columns if c.get("type") == SUBTASKS_TYPE and not c.get("archived")]
    return dict(found[0]) if found else None


_Pending = Pending[CreateSubitem]


def _call(run: ApplyRun, action: CreateSubitem, directory: codec.Directory) -> MutationCall:
    values = initial_values(run, run.refs.resolve(action.board), action, directory)
    args: dict[str, object] = {
        "parent_item_id": run.refs.resolve(action.parent),
        "item_name": action.name,
    }
    if values:
        args["column_values"] = values
    return MutationCall("create_subitem", args)


@handles_batch(CreateSubitem, key=lambda action: "subitems", announces=False)
def create_subitems(run: ApplyRun, actions: Sequence[Action]) -> None:
    """New subitems of one board's run, batched; lost answers settled by match key."""
    board = f"board.{board_key_of(actions[0].address)}"
    creates = [a for a in actions if isinstance(a, CreateSubitem)]
    needs_users = any(c.type == "people" for a in creates for c in a.columns)
    names = tag_names(creates)
    board_id = run.refs.recorded(board)
    directory = run.directory(
        users=needs_users, tag_names=names, board=None if board_id is None else (board, board_id)
    )
    pending: list[_Pending] = []
    for action in creates:
        run.journal.started(action)
        try:
            pending.append(_Pending(action, _call(run, action, directory)))
        except (BoardopsError, codec.CodecError) as error:
            run.journal.failed(action, error)
    send_all(
        run,
        board,
        pending,
        take=take_all,
        on_answer=lambda action, result: answered(run, action, result, creates=True),
        in_doubt=lambda entries: _settle_in_doubt(run, entries, directory),
    )


def _settle_in_doubt(
    run: ApplyRun, in_doubt: Sequence[_Pending], directory: codec.Directory
) -> list[_Pending]:
    """Subitems found under their parent are done; the rest go back to be sent again."""
    if not in_doubt:
        return []
    parents = {run.refs.resolve(entry.action.parent) for entry in in_doubt}
    live = run.client.subitems_of(sorted(parents))
    again: list[_Pending] = []
    for entry in in_doubt:
        action = entry.action
        parent_id = run.refs.resolve(action.parent)
        board_id = run.refs.resolve(action.board)
        found = _find(
            live.get(parent_id, ()), action, columns_by_key(run, board_id, action), directory
        )
        if found is not None:
            run.refs.record(action.address, found)
            run.journal.completed(action, found, recovered=True)
        elif (retry := lost_again(run, entry)) is not None:
            again.append(retry)
    return again


def _find(
    raw_subitems: Sequence[Mapping[str, Any]],
    action: CreateSubitem,
    columns: Mapping[str, Column],
    directory: codec.Directory,
) -> str | None:
    """The id of the parent's subitem whose match key is the action's (computed as the
    plan does), if there is one."""
    by_id = {c.id: c for c in columns.values() if c.id is not None}
    for raw in raw_subitems:
        item = item_from_wire(raw, by_id, directory)
        key = join_match_key(
            match_key_parts(action.match_by, item.name, partial(_value, item, columns))
        )
        if key == action.match_key:
            return str(item.id)
    return None


def _value(item: Item, columns: Mapping[str, Column], key: str) -> tuple[Column | None, JSONValue]:
    column = columns.get(key)
    return column, item.values.get(column.id) if column is not None and column.id else None
