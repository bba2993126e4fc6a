"""Boards: the root ``boards`` query, board fields and the board mutations.

``create_board`` creates the mandatory ``name`` column and monday's default group ("Group
Title", id ``topics``); ``empty: true`` makes no difference. ``update_board`` returns a
JSON-encoded string. Beyond its per-minute limit ``create_board`` fails that field (HTTP
200) with ``FIELD_LIMIT_EXCEEDED``, status_code 429 and ``retry_in_seconds``.
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
from boardops.sandbox.resolvers.account import initial_members
from boardops.sandbox.resolvers.columns import new_column
from boardops.sandbox.resolvers.folders import find_folder
from boardops.sandbox.resolvers.lookups import (
    POSITION_STEP,
    constant,
    context_of,
    creator,
    find_board,
    find_workspace,
    page_of,
    touch,
)
from boardops.sandbox.state import next_id


@query
def q_boards(
    ctx: ExecutionContext,
    ids: list[str] | None = None,
    limit: int = 25,
    page: int = 1,
    state: str = "active",
    workspace_ids: list[str | None] | None = None,
    board_kind: str | None = None,
    order_by: str | None = None,
) -> list[dict[str, Any]]:
    boards = list(ctx.data["boards"].values())
    if ids is not None:
        wanted = {str(i) for i in ids}
        boards = [b for b in boards if b["id"] in wanted]
    if state != "all":
        boards = [b for b in boards if b["state"] == state]
    if workspace_ids is not None:
        spaces = {None if w is None else str(w) for w in workspace_ids}
        boards = [b for b in boards if b["workspace_id"] in spaces]
    if board_kind is not None:
        boards = [b for b in boards if b["board_kind"] == board_kind]
    if order_by is not None:
        boards.reverse()
    return page_of(boards, limit, page)


@type_field("Board", "items_count")
def board_items_count(board: Mapping[str, Any], info: GraphQLResolveInfo) -> int:
    items = context_of(info).data["items"]
    return sum(1 for i in board["item_ids"] if items[i]["state"] == "active")


@type_field("Board", "workspace")
def board_workspace(board: Mapping[str, Any], info: GraphQLResolveInfo) -> Any:
    workspace_id = board.get("workspace_id")
    return None if workspace_id is None else context_of(info).data["workspaces"].get(workspace_id)


@mutation
def m_create_board(
    ctx: ExecutionContext,
    board_name: str,
    board_kind: str,
    description: str | None = None,
    workspace_id: str | None = None,
    empty: bool = False,
    template_id: str | None = None,
    folder_id: str | None = None,
    item_nickname: Mapping[str, Any] | None = None,
    board_owner_ids: list[str] | None = None,
    board_subscriber_ids: list[str] | None = None,
    board_owner_team_ids: list[str] | None = None,
    board_subscriber_teams_ids: list[str] | None = None,
) -> dict[str, Any]:
    if not ctx.create_board_window.take():
        raise ApiFailure(
            "FIELD_LIMIT_EXCEEDED",
            f"create_board is limited to {ctx.create_board_window.quota} calls per minute",
            status_code=429,
            error_data={
                "retry_in_seconds": ctx.create_board_window.reset_in(),
                "entity": "create_board",
            },
            retry_in_seconds=ctx.create_board_window.reset_in(),
        )
    if not board_name.strip():
        raise ApiFailure("CreateBoardException", "Board name must not be empty")
    if template_id is not None:
        raise ApiFailure("CreateBoardException", "The sandbox has no board templates")
    if workspace_id is not None:
        find_workspace(ctx, workspace_id)
    folder = _folder_in(ctx, folder_id, behaviours.board_workspace_id(ctx, workspace_id))
    members = initial_members(
        ctx, board_owner_ids, board_subscriber_ids, board_owner_team_ids, board_subscriber_teams_ids
    )
    board_id = next_id(ctx.data, "board")
    stamp = now_iso()
    board = {
        "id": board_id,
        "name": board_name,
        "board_kind": board_kind,
        "description": description,
        "state": "active",
        "workspace_id": behaviours.board_workspace_id(ctx, workspace_id),
        "created_at": stamp,
        "updated_at": stamp,
        "item_terminology": _terminology(item_nickname) or "item",
        "item_nickname": dict(item_nickname) if item_nickname else None,
        "board_folder_id": folder,
        "columns": [new_column(ctx, "name", "Name", "name", {})],
        "groups": [
            {
                "id": "topics",
                "title": "Group Title",
                "color": behaviours.create_group_color(ctx, None, 0),
                "position": POSITION_STEP,
                "archived": False,
                "deleted": False,
            }
        ],
        "item_ids": [],
        "item_count": 0,  # items not deleted, for the per-board limit
        "used_column_ids": ["name"],
        **members,
    }
    ctx.data["boards"][board_id] = board
    behaviours.after_create_board(ctx, board)
    return board


@mutation
def m_update_board(
    ctx: ExecutionContext, board_id: str, board_attribute: str, new_value: str
) -> str:
    board = find_board(ctx, board_id)
    if board_attribute == "name":
        if not new_value.strip():
            raise invalid_argument("Board name must not be empty")
        board["name"] = new_value
    elif board_attribute == "description":
        board["description"] = new_value
    elif board_attribute == "item_nickname":
        nickname = _nickname_value(new_value)
        board["item_nickname"] = nickname
        board["item_terminology"] = _terminology(nickname) or "item"
    elif board_attribute == "communication":
        board["communication"] = new_value
    touch(board)
    return json.dumps(
        {
            "success": True,
            "undo_data": {
                "undo_record_id": None,
                "action_type": "modify_project",
                "entity_type": "Board",
                "entity_id": int(board["id"]),
                "count": 1,
            },
        }
    )


@mutation
def m_update_board_hierarchy(
    ctx: ExecutionContext, board_id: str, attributes: dict[str, Any]
) -> dict[str, Any]:
    """Moves a board to another workspace (``workspace_id``, out of its folder unless
    ``folder_id`` is given too) and/or into a folder (``folder_id``, of that workspace, or
    of the board's own when no workspace is given)."""
    board = find_board(ctx, board_id)
    workspace_id = attributes.get("workspace_id")
    folder_id = attributes.get("folder_id")
    if workspace_id is None and folder_id is None:
        raise invalid_argument("workspace_id or folder_id is required")
    if workspace_id is not None:
        if str(workspace_id) != ctx.profile.main_workspace_id:
            find_workspace(ctx, workspace_id)
        target: str | None = str(workspace_id)
    else:
        target = board.get("workspace_id")
    board["board_folder_id"] = _folder_in(ctx, folder_id, target)
    board["workspace_id"] = target
    touch(board)
    return {"board": board, "message": "Board hierarchy updated", "success": True}


def _set_board_state(ctx: ExecutionContext, board_id: str, state: str) -> dict[str, Any]:
    board = find_board(ctx, board_id)
    board["state"] = state
    touch(board)
    # A board's subitems board (recorded profile) goes with it.
    for companion in ctx.data["boards"].values():
        if companion.get("parent_board_id") == board["id"]:
            companion["state"] = state
            touch(companion)
    return board


@mutation
def m_archive_board(ctx: ExecutionContext, board_id: str) -> dict[str, Any]:
    return _set_board_state(ctx, board_id, "archived")


@mutation
def m_delete_board(ctx: ExecutionContext, board_id: str) -> dict[str, Any]:
    return _set_board_state(ctx, board_id, "deleted")


type_fields(
    "Board",
    items_limit=lambda _b, info: context_of(info).limits.items_per_board,
    type=lambda b, _i: b.get("type", "board"),
    hierarchy_type=constant("classic"),
    permissions=constant("everyone"),
    url=lambda b, _i: f"https://sandbox.monday.com/boards/{b['id']}",
    creator=creator,
    board_folder_id=lambda b, _i: b.get("board_folder_id"),
)


def _folder_in(ctx: ExecutionContext, folder_id: Any, workspace_id: str | None) -> str | None:
    """``folder_id`` checked to be a folder of the workspace (None: the main one)."""
    if folder_id is None:
        return None
    folder = find_folder(ctx, folder_id)
    main = ctx.profile.main_workspace_id
    if folder["workspace_id"] != (None if workspace_id == main else workspace_id):
        raise invalid_argument(
            "The folder is not in the board's workspace", folder_id=str(folder_id)
        )
    return str(folder["id"])


def _nickname_value(new_value: str) -> dict[str, Any]:
    """``update_board(board_attribute: item_nickname)``'s value: the JSON of an
    ``ItemNicknameInput`` (monday docs, changelog 2026-04)."""
    try:
        value = json.loads(new_value)
    except ValueError:
        raise invalid_argument("item_nickname must be a JSON object") from None
    if not isinstance(value, dict):
        raise invalid_argument("item_nickname must be a JSON object")
    return value


def _terminology(nickname: Mapping[str, Any] | None) -> str | None:
    """What ``Board.item_terminology`` reads for a nickname: its singular, else its
    preset."""
    if not nickname:
        return None
    term = nickname.get("singular") or nickname.get("preset_type")
    return str(term) if term else None
