"""Groups: ``Board.groups``, ``Board.top_group`` and the group mutations.

New groups go to the top of the board unless ``relative_to``/``position`` say otherwise;
``Group.position`` is a decimal string that sorts in board order. Deleting or archiving
the last group fails with ``DeleteLastGroupException`` (409).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLResolveInfo

from boardops.sandbox import behaviours
from boardops.sandbox.executor import (
    ExecutionContext,
    mutation,
    type_field,
)
from boardops.sandbox.failures import ApiFailure, invalid_argument
from boardops.sandbox.resolvers.lookups import (
    POSITION_STEP,
    find_board,
    find_group,
    group_view,
    touch,
    visible_groups,
)
from boardops.sandbox.state import next_number


@type_field("Board", "groups")
def board_groups(
    board: Mapping[str, Any], info: GraphQLResolveInfo, ids: list[str | None] | None = None
) -> list[dict[str, Any]]:
    groups = visible_groups(board)
    if ids is not None:
        wanted = {str(i) for i in ids if i is not None}
        groups = [g for g in groups if g["id"] in wanted]
    return [group_view(board, g) for g in groups]


@type_field("Board", "top_group")
def board_top_group(board: Mapping[str, Any], info: GraphQLResolveInfo) -> dict[str, Any] | None:
    groups = visible_groups(board)
    return group_view(board, groups[0]) if groups else None


def _position_between(board: Mapping[str, Any], anchor: Mapping[str, Any], after: bool) -> float:
    ordered = sorted((g for g in board["groups"] if not g["deleted"]), key=lambda g: g["position"])
    index = ordered.index(anchor)
    neighbour_index = index + 1 if after else index - 1
    if 0 <= neighbour_index < len(ordered):
        return (float(anchor["position"]) + float(ordered[neighbour_index]["position"])) / 2
    return float(anchor["position"]) + (POSITION_STEP if after else -POSITION_STEP)


@mutation
def m_create_group(
    ctx: ExecutionContext,
    board_id: str,
    group_name: str,
    group_color: str | None = None,
    position: str | None = None,
    position_relative_method: str | None = None,
    relative_to: str | None = None,
) -> dict[str, Any]:
    board = find_board(ctx, board_id)
    if not group_name.strip():
        raise invalid_argument("Group name must not be empty")
    live = [g for g in board["groups"] if not g["deleted"]]
    if relative_to is not None:
        anchor = find_group(board, relative_to)
        place = _position_between(board, anchor, position_relative_method != "before_at")
    elif position is not None:
        try:
            place = float(position)
        except ValueError:
            raise invalid_argument(f"position {position!r} is not a number") from None
    else:
        place = min((g["position"] for g in live), default=2 * POSITION_STEP) - POSITION_STEP
    color = behaviours.create_group_color(ctx, group_color, len(board["groups"]))
    group = {
        "id": f"group_mk{next_number(ctx.data, 'group'):06d}",
        "title": group_name,
        "color": color,
        "position": place,
        "archived": False,
        "deleted": False,
    }
    board["groups"].append(group)
    touch(board)
    return group_view(board, group)


@mutation
def m_update_group(
    ctx: ExecutionContext, board_id: str, group_id: str, group_attribute: str, new_value: str
) -> dict[str, Any]:
    board = find_board(ctx, board_id)
    group = find_group(board, group_id)
    if group_attribute == "title":
        if not new_value.strip():
            raise invalid_argument("Group title must not be empty")
        group["title"] = new_value
    elif group_attribute == "color":
        group["color"] = behaviours.update_group_color(ctx, new_value)
    elif group_attribute == "position":
        try:
            group["position"] = float(new_value)
        except ValueError:
            raise invalid_argument(f"position {new_value!r} is not a number") from None
    else:
        anchor = find_group(board, new_value)
        if anchor is not group:
            group["position"] = _position_between(
                board, anchor, group_attribute == "relative_position_after"
            )
    touch(board)
    return group_view(board, group)


def _retire_group(ctx: ExecutionContext, board_id: str, group_id: str, how: str) -> dict[str, Any]:
    board = find_board(ctx, board_id)
    group = find_group(board, group_id)
    if len(visible_groups(board)) <= 1:
        raise ApiFailure(
            "DeleteLastGroupException",
            "Deleting the last group of a board is not allowed",
            status_code=409,
            error_data={"group_id": group_id, "board_id": board["id"]},
        )
    group[how] = True
    item_state = "archived" if how == "archived" else "deleted"
    items = ctx.data["items"]
    for item_id in board["item_ids"]:
        item = items[item_id]
        if item["group_id"] == group["id"] and item["state"] == "active":
            item["state"] = item_state
            if item_state == "deleted":
                board["item_count"] -= 1
    touch(board)
    return group_view(board, group)


@mutation
def m_archive_group(ctx: ExecutionContext, board_id: str, group_id: str) -> dict[str, Any]:
    return _retire_group(ctx, board_id, group_id, "archived")


@mutation
def m_delete_group(ctx: ExecutionContext, board_id: str, group_id: str) -> dict[str, Any]:
    return _retire_group(ctx, board_id, group_id, "deleted")
