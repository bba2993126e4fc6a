"""Items: the root ``items`` query, item fields, and the item and value mutations.

New items go to the bottom of their group. Every value of a write is checked before any is
stored (``ColumnValueException``, ``JsonParseException``, ``ItemNameTooLongException``,
``ItemsLimitationException``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLResolveInfo

from boardops.sandbox import behaviours
from boardops.sandbox.executor import (
    ExecutionContext,
    mutation,
    now_iso,
    query,
    type_field,
    type_fields,
)
from boardops.sandbox.failures import ApiFailure, invalid_argument
from boardops.sandbox.resolvers.lookups import (
    constant,
    context_of,
    creator,
    current_user,
    find_board,
    find_column,
    find_group,
    find_item,
    group_view,
    page_of,
    touch,
    visible_groups,
)
from boardops.sandbox.state import ALICE_ID, next_id
from boardops.sandbox.values import links
from boardops.sandbox.values.registry import COLUMN_TYPES, value_text


@query
def q_items(
    ctx: ExecutionContext,
    ids: list[str] | None = None,
    limit: int = 25,
    page: int = 1,
    exclude_nonactive: bool | None = None,
    newest_first: bool | None = None,
) -> list[dict[str, Any]]:
    maximum = ctx.limits.max_root_item_ids
    if ids is not None and len(ids) > maximum:
        raise invalid_argument(
            f"You cannot return more than {maximum} items per query when using items at the root",
            ids=len(ids),
        )
    items = ctx.data["items"]
    if ids is not None:
        found = [items[str(i)] for i in dict.fromkeys(ids) if str(i) in items]
    else:
        found = page_of(list(items.values()), min(limit, maximum), page)
    if exclude_nonactive:
        found = [i for i in found if i["state"] == "active"]
    if newest_first:
        found.sort(key=lambda i: int(i["id"]), reverse=True)
    return found


@type_field("Item", "board")
def item_board(item: Mapping[str, Any], info: GraphQLResolveInfo) -> Any:
    return context_of(info).data["boards"].get(item["board_id"])


@type_field("Item", "group")
def item_group(item: Mapping[str, Any], info: GraphQLResolveInfo) -> Any:
    board = context_of(info).data["boards"][item["board_id"]]
    for group in board["groups"]:
        if group["id"] == item["group_id"]:
            return group_view(board, group)
    return None


@type_field("Item", "column_values")
def item_column_values(
    item: Mapping[str, Any],
    info: GraphQLResolveInfo,
    ids: list[str] | None = None,
    types: list[str] | None = None,
) -> list[dict[str, Any]]:
    ctx = context_of(info)
    board = ctx.data["boards"][item["board_id"]]
    wanted = set(ids) if ids is not None else None
    values = item["values"]
    item_id = item["id"]
    out = []
    for column in board["columns"]:
        column_type = column["type"]
        if column_type == "name" or column.get("archived"):
            continue
        if wanted is not None and column["id"] not in wanted:
            continue
        if types is not None and column_type not in types:
            continue
        if column_type == "subtasks":
            from boardops.sandbox.resolvers.subitems import subtasks_value

            out.append(subtasks_value(ctx, item, column))
            continue
        record = COLUMN_TYPES.get(column_type)
        stored = values.get(column["id"])
        if stored is None:
            text = ""
            encoded = None
        else:
            text = value_text(column, stored, ctx.reading_context())
            encoded = ctx.encode_value(item_id, column["id"], stored)
        entry = {
            "__typename": "UnsupportedValue" if record is None else record.typename,
            "id": column["id"],
            "column": column,
            "type": column_type,
            "text": text,
            "value": encoded,
        }
        if column_type in links.LINK_TYPES:
            entry.update(links.link_fields(ctx.data, stored))
        elif column_type == "mirror":
            entry.update(links.mirror_fields(ctx.data, column, item, _text_of(ctx)))
        out.append(entry)
    return out


def _text_of(ctx: ExecutionContext) -> links.TextOf:
    def text_of(column: Mapping[str, Any], stored: Any) -> str:
        return value_text(column, stored, ctx.reading_context())

    return text_of


def _decode_column_values(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except ValueError:
            raise ApiFailure(
                "JsonParseException", "column_values is not valid JSON", status_code=400
            ) from None
    if not isinstance(raw, dict):
        raise invalid_argument("column_values must be a JSON object keyed by column id")
    return raw


def _check_item_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise ApiFailure(
            "ItemNameTooLongException",
            "Item name must be between 1 and 255 characters long",
            error_data={"length": len(name) if isinstance(name, str) else None},
        )
    return name


def _write_values(
    ctx: ExecutionContext,
    board: dict[str, Any],
    item: dict[str, Any],
    raw_values: Mapping[str, Any],
    create_labels: bool,
    *,
    simple: bool = False,
) -> None:
    """Validate every value first, then store them all: a bad value changes nothing.
    ``simple``: the values are change_simple_column_value strings."""
    value_ctx = ctx.value_context(create_labels)
    updates: dict[str, Any] = {}
    new_name: str | None = None
    for column_id, raw in raw_values.items():
        if column_id == "name":
            new_name = _check_item_name(raw)
            continue
        column = find_column(board, column_id)
        updates[column["id"]] = behaviours.store(ctx, board, column, raw, value_ctx, simple=simple)
    if new_name is not None:
        item["name"] = new_name
    for column_id, stored in updates.items():
        if stored is None:
            item["values"].pop(column_id, None)
        else:
            item["values"][column_id] = stored
            ctx.encode_value(item["id"], column_id, stored)


@mutation
def m_create_item(
    ctx: ExecutionContext,
    board_id: str,
    item_name: str,
    group_id: str | None = None,
    column_values: Any = None,
    create_labels_if_missing: bool | None = None,
    position_relative_method: str | None = None,
    relative_to: str | None = None,
) -> dict[str, Any]:
    board = find_board(ctx, board_id)
    _check_item_name(item_name)
    items = ctx.data["items"]
    if board["item_count"] >= ctx.limits.items_per_board:
        raise ApiFailure(
            "ItemsLimitationException",
            f"A board can hold at most {ctx.limits.items_per_board} items",
            error_data={"board_id": board["id"], "limit": ctx.limits.items_per_board},
        )
    anchor: dict[str, Any] | None = None
    if relative_to is not None:
        anchor = find_item(ctx, relative_to, board["id"])
        group = find_group(board, anchor["group_id"])
    elif group_id is not None:
        group = find_group(board, group_id)
    else:
        visible = visible_groups(board)
        group = visible[0]
    stamp = now_iso()
    item: dict[str, Any] = {
        "id": next_id(ctx.data, "item"),
        "board_id": board["id"],
        "group_id": group["id"],
        "name": item_name,
        "state": "active",
        "values": {},
        "created_at": stamp,
        "updated_at": stamp,
    }
    values = _decode_column_values(column_values)
    values.pop("name", None)
    _write_values(ctx, board, item, values, bool(create_labels_if_missing))
    if anchor is not None:
        index = board["item_ids"].index(anchor["id"])
        board["item_ids"].insert(
            index if position_relative_method == "before_at" else index + 1, item["id"]
        )
    else:
        board["item_ids"].append(item["id"])
    items[item["id"]] = item
    board["item_count"] += 1
    touch(board)
    return item


def _change_values(
    ctx: ExecutionContext,
    board_id: str,
    item_id: str | None,
    column_values: Any,
    create_labels: bool | None,
    *,
    simple: bool = False,
) -> dict[str, Any]:
    """What the change_*_column_value(s) mutations share: write to an item of the board."""
    board = find_board(ctx, board_id)
    item = find_item(ctx, item_id, board["id"])
    values = _decode_column_values(column_values)
    _write_values(ctx, board, item, values, bool(create_labels), simple=simple)
    item["updated_at"] = now_iso()
    return item


@mutation
def m_change_multiple_column_values(
    ctx: ExecutionContext,
    board_id: str,
    column_values: Any,
    item_id: str | None = None,
    create_labels_if_missing: bool | None = None,
) -> dict[str, Any]:
    return _change_values(ctx, board_id, item_id, column_values, create_labels_if_missing)


@mutation
def m_change_column_value(
    ctx: ExecutionContext,
    board_id: str,
    column_id: str,
    value: Any,
    item_id: str | None = None,
    create_labels_if_missing: bool | None = None,
) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else None
        except ValueError:
            raise ApiFailure(
                "JsonParseException", "value is not valid JSON", status_code=400
            ) from None
    return _change_values(ctx, board_id, item_id, {column_id: value}, create_labels_if_missing)


@mutation
def m_change_simple_column_value(
    ctx: ExecutionContext,
    board_id: str,
    column_id: str,
    item_id: str | None = None,
    value: str | None = None,
    create_labels_if_missing: bool | None = None,
) -> dict[str, Any]:
    values = {column_id: value}
    return _change_values(ctx, board_id, item_id, values, create_labels_if_missing, simple=True)


@mutation
def m_move_item_to_group(
    ctx: ExecutionContext, group_id: str, item_id: str | None = None
) -> dict[str, Any]:
    item = find_item(ctx, item_id)
    board = find_board(ctx, item["board_id"])
    group = find_group(board, group_id)
    item["group_id"] = group["id"]
    item["updated_at"] = now_iso()
    return item


@mutation
def m_change_item_position(
    ctx: ExecutionContext,
    item_id: str,
    group_id: str | None = None,
    group_top: bool | None = None,
    position_relative_method: str | None = None,
    relative_to: str | None = None,
) -> dict[str, Any]:
    item = find_item(ctx, item_id)
    board = find_board(ctx, item["board_id"])
    if (group_id is None) == (relative_to is None):
        raise invalid_argument("Give exactly one of group_id and relative_to")
    order: list[str] = board["item_ids"]
    if group_id is not None:
        group = find_group(board, group_id)
        item["group_id"] = group["id"]
        order.remove(item["id"])
        if group_top:
            order.insert(0, item["id"])
        else:
            order.append(item["id"])
    else:
        anchor = find_item(ctx, relative_to, board["id"])
        if anchor is item:
            return item
        item["group_id"] = anchor["group_id"]
        order.remove(item["id"])
        index = order.index(anchor["id"])
        order.insert(index if position_relative_method == "before_at" else index + 1, item["id"])
    item["updated_at"] = now_iso()
    return item


@mutation
def m_archive_item(ctx: ExecutionContext, item_id: str | None = None) -> dict[str, Any]:
    item = find_item(ctx, item_id)
    item["state"] = "archived"
    return item


@mutation
def m_delete_item(ctx: ExecutionContext, item_id: str | None = None) -> dict[str, Any]:
    item = find_item(ctx, item_id)
    item["state"] = "deleted"
    ctx.data["boards"][item["board_id"]]["item_count"] -= 1
    return item


type_fields(
    "Item",
    creator=creator,
    creator_id=constant(ALICE_ID),
    email=lambda i, _info: f"pulse-{i['id']}@sandbox.monday.com",
    url=lambda i, _info: f"https://sandbox.monday.com/boards/{i['board_id']}/pulses/{i['id']}",
    relative_link=lambda i, _info: f"/boards/{i['board_id']}/pulses/{i['id']}",
    subscribers=lambda _i, info: [current_user(context_of(info))],
)
