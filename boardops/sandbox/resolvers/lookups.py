"""Finding records by id, and the small views several resolver modules share.

Lookups raise monday's error for an unknown or deleted id: ``InvalidBoardIdException``,
``InvalidColumnIdException``, ``InvalidGroupIdException`` and ``ResourceNotFoundException``
(items, workspaces).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLResolveInfo

from boardops.sandbox.executor import ExecutionContext, Resolver, now_iso
from boardops.sandbox.failures import ApiFailure, invalid_argument, not_found
from boardops.sandbox.state import ALICE_ID

POSITION_STEP = 65536.0


def find_board(
    ctx: ExecutionContext, board_id: Any, *, allow_inactive: bool = False
) -> dict[str, Any]:
    board: dict[str, Any] | None = ctx.data["boards"].get(str(board_id))
    if board is None or (board["state"] == "deleted" and not allow_inactive):
        raise ApiFailure(
            "InvalidBoardIdException",
            f"Board {board_id} not found",
            status_code=404,
            error_data={"board_id": str(board_id)},
        )
    return board


def find_workspace(ctx: ExecutionContext, workspace_id: Any) -> dict[str, Any]:
    workspace = ctx.data["workspaces"].get(str(workspace_id))
    if workspace is None or workspace["state"] == "deleted":
        raise not_found(f"Workspace {workspace_id} not found", workspace_id=str(workspace_id))
    return workspace  # type: ignore[no-any-return]


def find_column(board: Mapping[str, Any], column_id: Any) -> dict[str, Any]:
    for column in board["columns"]:
        if column["id"] == str(column_id) and not column.get("archived"):
            return column  # type: ignore[no-any-return]
    raise ApiFailure(
        "InvalidColumnIdException",
        f"This column ID doesn't exist for the board: {column_id}",
        error_data={"column_id": str(column_id), "board_id": board["id"]},
    )


def visible_groups(board: Mapping[str, Any]) -> list[dict[str, Any]]:
    groups = [g for g in board["groups"] if not g["archived"] and not g["deleted"]]
    return sorted(groups, key=lambda g: g["position"])


def find_group(board: Mapping[str, Any], group_id: Any) -> dict[str, Any]:
    for group in board["groups"]:
        if group["id"] == str(group_id) and not group["deleted"] and not group["archived"]:
            return group  # type: ignore[no-any-return]
    raise ApiFailure(
        "InvalidGroupIdException",
        f"Group {group_id} not found on board {board['id']}",
        status_code=404,
        error_data={"group_id": str(group_id), "board_id": board["id"]},
    )


def group_view(board: Mapping[str, Any], group: dict[str, Any]) -> dict[str, Any]:
    return {**group, "position": f"{group['position']:.3f}", "_board_id": board["id"]}


def find_item(ctx: ExecutionContext, item_id: Any, board_id: Any = None) -> dict[str, Any]:
    if item_id is None:
        raise invalid_argument("item_id is required")
    item: dict[str, Any] | None = ctx.data["items"].get(str(item_id))
    if item is None or item["state"] == "deleted":
        raise not_found(f"Item {item_id} not found", item_id=str(item_id))
    if board_id is not None and item["board_id"] != str(board_id):
        raise not_found(f"Item {item_id} is not on board {board_id}", item_id=str(item_id))
    return item


def current_user(ctx: ExecutionContext) -> dict[str, Any]:
    return user_view(ctx, next(u for u in ctx.data["users"] if u["id"] == ALICE_ID))


def user_view(ctx: ExecutionContext, user: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **user,
        "title": "",
        "url": f"https://sandbox.monday.com/users/{user['id']}",
        "is_deleted": False,
        "account_id": str(ctx.data["account_id"]),
    }


def page_of(values: list[Any], limit: int | None, page: int | None) -> list[Any]:
    size = 25 if limit is None else max(limit, 0)
    number = max(page or 1, 1)
    return values[(number - 1) * size : number * size]


def touch(board: dict[str, Any]) -> None:
    board["updated_at"] = now_iso()


def context_of(info: GraphQLResolveInfo) -> ExecutionContext:
    context: ExecutionContext = info.context
    return context


def constant(value: Any) -> Resolver:
    return lambda _obj, _info, **_args: value


def creator(_obj: Any, info: GraphQLResolveInfo) -> dict[str, Any]:
    return current_user(context_of(info))
