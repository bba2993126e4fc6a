"""Subitems: ``create_subitem``, ``Item.subitems`` / ``Item.parent_item``, the subitems
column (``subtasks``, read as ``SubtasksValue``) and the subitems board.

As monday documents it: a board's subitems live on a board of their own, "Subitems of
<board>" (``type: sub_items_board``), which the board's first subitem makes together with
a ``subtasks`` column on the board naming it (``settings.boardIds``). The subtasks column
can also be created on its own (``create_column(column_type: subtasks)``; monday's
subitems column page: "Create: Yes (column only)"), which makes the subitems board. Under
the recorded profile every new board already has its subitems board (``subitem_boards``):
the subtasks column then names that one. A subitem has no subitems of its own.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLResolveInfo

from boardops.sandbox.executor import ExecutionContext, mutation, type_field
from boardops.sandbox.failures import column_value_error, invalid_argument
from boardops.sandbox.resolvers.lookups import context_of, find_board, find_item, touch
from boardops.sandbox.state import next_id, next_number
from boardops.sandbox.values.registry import ColumnType, ValueContext, register

SUBITEMS_BOARD_TYPE = "sub_items_board"
SUBTASKS_TYPE = "subtasks"


def _refuse_write(column: dict[str, Any], _raw: Any, _ctx: ValueContext) -> Any:
    """The subitems column is read-only (monday's subitems column page): subitems are made
    with create_subitem and removed with delete_item."""
    raise column_value_error(
        "The subitems column cannot be written; use create_subitem", column_id=column["id"]
    )


# Its cells are answered by ``subtasks_value`` (the item's subitems), never from a store.
register(ColumnType(SUBTASKS_TYPE, "SubtasksValue", _refuse_write, lambda _c, _s, _x: ""))


def subtasks_column(board: Mapping[str, Any]) -> dict[str, Any] | None:
    columns: list[dict[str, Any]] = board["columns"]
    return next((c for c in columns if c["type"] == SUBTASKS_TYPE and not c.get("archived")), None)


def _subitems_board(ctx: ExecutionContext, board: Mapping[str, Any]) -> dict[str, Any] | None:
    """The board's subitems board: the one its subtasks column names, else one made with
    it (the recorded profile's companion)."""
    column = subtasks_column(board)
    boards = ctx.data["boards"]
    if column is not None:
        for board_id in column["settings"].get("boardIds", ()):
            if str(board_id) in boards:
                found: dict[str, Any] = boards[str(board_id)]
                return found
    for companion in boards.values():
        if (
            companion.get("parent_board_id") == board["id"]
            and companion.get("type") == SUBITEMS_BOARD_TYPE
        ):
            return companion  # type: ignore[no-any-return]
    return None


def _new_subitems_board(ctx: ExecutionContext, board: dict[str, Any]) -> dict[str, Any]:
    from boardops.sandbox.resolvers.columns import new_column

    companion = copy.deepcopy(board)
    companion.update(
        id=next_id(ctx.data, "board"),
        name=f"Subitems of {board['name']}",
        type=SUBITEMS_BOARD_TYPE,
        parent_board_id=board["id"],
        item_terminology="subitem",
        description=None,
        columns=[new_column(ctx, "name", "Name", "name", {})],
        groups=[dict(copy.deepcopy(board["groups"][0]), id="topics", title="Subitems")],
        item_ids=[],
        item_count=0,
        used_column_ids=["name"],
    )
    ctx.data["boards"][companion["id"]] = companion
    return companion


def add_subtasks_column(
    ctx: ExecutionContext,
    board: dict[str, Any],
    title: str = "Subitems",
    column_id: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """The board's subtasks column, with its subitems board (made when it has none)."""
    from boardops.sandbox.resolvers.columns import new_column

    if board.get("type") == SUBITEMS_BOARD_TYPE:
        raise invalid_argument("Subitems cannot have subitems of their own")
    if subtasks_column(board) is not None:
        raise invalid_argument("The board already has a subitems column")
    companion = _subitems_board(ctx, board) or _new_subitems_board(ctx, board)
    if column_id is None:
        column_id = "subitems" if "subitems" not in board["used_column_ids"] else None
    if column_id is None:
        column_id = f"subtasks_mk{next_number(ctx.data, 'column'):06d}"
    settings = {
        "allowMultipleItems": True,
        "itemTypeName": "column.subtasks.title",
        "displayType": "BOARD_INLINE_CARD",
        "boardIds": [int(companion["id"])],
    }
    column = new_column(ctx, column_id, title, SUBTASKS_TYPE, settings, description)
    board["columns"].insert(1, column)
    board["used_column_ids"].append(column_id)
    touch(board)
    return column


@mutation
def m_create_subitem(
    ctx: ExecutionContext,
    parent_item_id: str,
    item_name: str,
    column_values: Any = None,
    create_labels_if_missing: bool | None = None,
) -> dict[str, Any]:
    from boardops.sandbox.resolvers.items import m_create_item

    parent = find_item(ctx, parent_item_id)
    board = find_board(ctx, parent["board_id"])
    if board.get("type") == SUBITEMS_BOARD_TYPE:
        raise invalid_argument("Subitems cannot have subitems of their own")
    if subtasks_column(board) is None:
        add_subtasks_column(ctx, board)
    companion = _subitems_board(ctx, board)
    assert companion is not None
    item = m_create_item(
        ctx,
        companion["id"],
        item_name,
        column_values=column_values,
        create_labels_if_missing=create_labels_if_missing,
    )
    item["parent_item_id"] = parent["id"]
    parent.setdefault("subitem_ids", []).append(item["id"])
    touch(board)
    return item


def subitems_of(ctx: ExecutionContext, item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The item's subitems that are not deleted or archived, oldest first."""
    items = ctx.data["items"]
    found = (items.get(i) for i in item.get("subitem_ids", ()))
    return [i for i in found if i is not None and i["state"] == "active"]


@type_field("Item", "subitems")
def item_subitems(item: Mapping[str, Any], info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    return subitems_of(context_of(info), item)


@type_field("Item", "parent_item")
def item_parent(item: Mapping[str, Any], info: GraphQLResolveInfo) -> Any:
    parent_id = item.get("parent_item_id")
    return None if parent_id is None else context_of(info).data["items"].get(parent_id)


def subtasks_value(
    ctx: ExecutionContext, item: Mapping[str, Any], column: Mapping[str, Any]
) -> dict[str, Any]:
    """An item's cell in the subitems column (``SubtasksValue``): its subitems."""
    subitems = subitems_of(ctx, item)
    names = ", ".join(s["name"] for s in subitems)
    value = (
        {"linkedPulseIds": [{"linkedPulseId": int(s["id"])} for s in subitems]}
        if subitems
        else None
    )
    return {
        "__typename": "SubtasksValue",
        "id": column["id"],
        "column": column,
        "type": SUBTASKS_TYPE,
        "text": names,
        "display_value": names,
        "value": value,
        "subitems_ids": [s["id"] for s in subitems],
        "subitems": subitems,
    }
