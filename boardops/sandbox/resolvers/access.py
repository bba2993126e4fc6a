"""Who may see and change boards and workspaces, beyond ``account.py``'s board membership.

* ``delete_subscribers_from_board`` / ``delete_teams_from_board`` remove users (owners or
  subscribers alike) and teams from a board; removing someone who is not a member changes
  nothing (monday answers the users or teams named either way). Unknown ids fail with
  ``ResourceNotFoundException`` before anything changes, as for the adds.
* ``set_board_permission(basic_role_name)`` stores the board's basic role and answers the
  ``edit_permissions`` it stands for (editor: everyone, contributor: collaborators,
  viewer: owners; ``assigned_contributor`` is refused, as the SDL says it is not supported
  yet). ``Board.permissions`` answers that value (``everyone`` on a new board).
* Workspaces keep ``subscribers`` / ``team_subscribers`` as boards do (``[{id, kind}]``;
  the creator of a workspace is its first owner): ``add_users_to_workspace`` /
  ``add_teams_to_workspace`` (``kind: owner`` promotes, never demotes; idempotent),
  ``delete_users_from_workspace`` / ``delete_teams_from_workspace``, and the reads
  ``users_subscribers`` / ``teams_subscribers`` (everyone) and ``owners_subscribers`` /
  ``team_owners_subscribers`` (owners only), paged with ``limit``/``page``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLResolveInfo

from boardops.sandbox.executor import ExecutionContext, mutation, type_field
from boardops.sandbox.failures import invalid_argument
from boardops.sandbox.resolvers.account import (
    CREATOR,
    _add,
    _team_record,
    _team_view,
    _user_record,
    teams_of,
)
from boardops.sandbox.resolvers.lookups import (
    context_of,
    find_board,
    find_workspace,
    page_of,
    touch,
    user_view,
)

# ``set_board_permission``'s basic role -> the ``edit_permissions`` value it sets.
EDIT_PERMISSIONS_BY_ROLE: Mapping[str, str] = {
    "editor": "everyone",
    "contributor": "collaborators",
    "viewer": "owners",
}
DEFAULT_EDIT_PERMISSIONS = "everyone"


@type_field("Board", "permissions")
def board_permissions(board: Mapping[str, Any], _info: GraphQLResolveInfo) -> str:
    return str(board.get("permissions") or DEFAULT_EDIT_PERMISSIONS)


@mutation
def m_set_board_permission(
    ctx: ExecutionContext,
    board_id: str,
    basic_role_name: str | None = None,
    cross_product_collaborative: bool | None = None,
) -> dict[str, Any]:
    board = find_board(ctx, board_id)
    if basic_role_name is not None:
        if basic_role_name not in EDIT_PERMISSIONS_BY_ROLE:
            raise invalid_argument(
                f"The basic role {basic_role_name} is not supported yet", role=basic_role_name
            )
        board["permissions"] = EDIT_PERMISSIONS_BY_ROLE[basic_role_name]
        touch(board)
    return {
        "edit_permissions": board.get("permissions") or DEFAULT_EDIT_PERMISSIONS,
        "cross_product_collaborative": cross_product_collaborative,
        "failed_actions": [],
    }


def _remove(entries: list[dict[str, Any]], ids: set[str]) -> None:
    entries[:] = [e for e in entries if e["id"] not in ids]


@mutation
def m_delete_subscribers_from_board(
    ctx: ExecutionContext, board_id: str, user_ids: list[str]
) -> list[dict[str, Any]]:
    board = find_board(ctx, board_id)
    users = [_user_record(ctx, user_id) for user_id in user_ids]  # all known before a change
    _remove(board.setdefault("subscribers", [dict(CREATOR)]), {u["id"] for u in users})
    return [user_view(ctx, u) for u in users]


@mutation
def m_delete_teams_from_board(
    ctx: ExecutionContext, board_id: str, team_ids: list[str]
) -> list[dict[str, Any]]:
    board = find_board(ctx, board_id)
    teams = [_team_record(ctx, team_id) for team_id in team_ids]
    _remove(board.setdefault("team_subscribers", []), {t["id"] for t in teams})
    return [_team_view(t) for t in teams]


# --- workspaces ------------------------------------------------------------------------------


def _workspace_users(workspace: dict[str, Any]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = workspace.setdefault("subscribers", [dict(CREATOR)])
    return entries


@mutation
def m_add_users_to_workspace(
    ctx: ExecutionContext, workspace_id: str, user_ids: list[str], kind: str = "subscriber"
) -> list[dict[str, Any]]:
    workspace = find_workspace(ctx, workspace_id)
    users = [_user_record(ctx, user_id) for user_id in user_ids]
    entries = _workspace_users(workspace)
    for user in users:
        _add(entries, user["id"], kind)
    return [user_view(ctx, u) for u in users]


@mutation
def m_add_teams_to_workspace(
    ctx: ExecutionContext, workspace_id: str, team_ids: list[str], kind: str = "subscriber"
) -> list[dict[str, Any]]:
    workspace = find_workspace(ctx, workspace_id)
    teams = [_team_record(ctx, team_id) for team_id in team_ids]
    entries = workspace.setdefault("team_subscribers", [])
    for team in teams:
        _add(entries, team["id"], kind)
    return [_team_view(t) for t in teams]


@mutation
def m_delete_users_from_workspace(
    ctx: ExecutionContext, workspace_id: str, user_ids: list[str]
) -> list[dict[str, Any]]:
    workspace = find_workspace(ctx, workspace_id)
    users = [_user_record(ctx, user_id) for user_id in user_ids]
    _remove(_workspace_users(workspace), {u["id"] for u in users})
    return [user_view(ctx, u) for u in users]


@mutation
def m_delete_teams_from_workspace(
    ctx: ExecutionContext, workspace_id: str, team_ids: list[str]
) -> list[dict[str, Any]]:
    workspace = find_workspace(ctx, workspace_id)
    teams = [_team_record(ctx, team_id) for team_id in team_ids]
    _remove(workspace.setdefault("team_subscribers", []), {t["id"] for t in teams})
    return [_team_view(t) for t in teams]


def _users_of(
    workspace: Mapping[str, Any], info: GraphQLResolveInfo, owners: bool, limit: int, page: int
) -> list[Any]:
    ctx = context_of(info)
    entries = workspace.get("subscribers") or [dict(CREATOR)]
    chosen = [e for e in entries if not owners or e["kind"] == "owner"]
    return [user_view(ctx, _user_record(ctx, e["id"])) for e in page_of(chosen, limit, page)]


@type_field("Workspace", "users_subscribers")
def workspace_users(
    workspace: Mapping[str, Any], info: GraphQLResolveInfo, limit: int = 25, page: int = 1
) -> list[Any]:
    return _users_of(workspace, info, False, limit, page)


@type_field("Workspace", "owners_subscribers")
def workspace_owners(
    workspace: Mapping[str, Any], info: GraphQLResolveInfo, limit: int = 25, page: int = 1
) -> list[Any]:
    return _users_of(workspace, info, True, limit, page)


@type_field("Workspace", "teams_subscribers")
def workspace_teams(
    workspace: Mapping[str, Any], info: GraphQLResolveInfo, limit: int = 25, page: int = 1
) -> list[Any]:
    return teams_of(workspace, info, False, limit, page)


@type_field("Workspace", "team_owners_subscribers")
def workspace_team_owners(
    workspace: Mapping[str, Any], info: GraphQLResolveInfo, limit: int = 25, page: int = 1
) -> list[Any]:
    return teams_of(workspace, info, True, limit, page)
