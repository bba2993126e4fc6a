"""Apply handlers for access (see README, Access): board owners, subscribers, teams and
role; workspace members. Every call sets state (adding a member twice, removing one who
is gone, setting the role it has), so each is sent with ``send_idempotent``: a lost
answer is settled by sending the call again."""

from __future__ import annotations

from collections.abc import Mapping

from boardops.apply.context import ApplyRun
from boardops.apply.registry import handles
from boardops.monday import MutationCall
from boardops.plan import (
    AddBoardOwners,
    AddWorkspaceMembers,
    RemoveBoardMembers,
    RemoveWorkspaceMembers,
    SetBoardRole,
)


def _send(run: ApplyRun, field: str, args: Mapping[str, object]) -> None:
    run.sender.send_idempotent(MutationCall(field, args))


@handles(AddBoardOwners)
def add_board_owners(run: ApplyRun, action: AddBoardOwners) -> None:
    board_id = run.refs.resolve(action.board)
    if action.user_ids:
        args = {"board_id": board_id, "user_ids": list(action.user_ids), "kind": "owner"}
        _send(run, "add_users_to_board", args)
    if action.team_ids:
        args = {"board_id": board_id, "team_ids": list(action.team_ids), "kind": "owner"}
        _send(run, "add_teams_to_board", args)
    run.journal.completed(action, board_id)


@handles(RemoveBoardMembers)
def remove_board_members(run: ApplyRun, action: RemoveBoardMembers) -> None:
    if action.user_ids:
        args = {"board_id": action.board_id, "user_ids": list(action.user_ids)}
        _send(run, "delete_subscribers_from_board", args)
    if action.team_ids:
        args = {"board_id": action.board_id, "team_ids": list(action.team_ids)}
        _send(run, "delete_teams_from_board", args)
    run.journal.completed(action, action.board_id)


@handles(SetBoardRole)
def set_board_role(run: ApplyRun, action: SetBoardRole) -> None:
    board_id = run.refs.resolve(action.board)
    args = {"board_id": board_id, "basic_role_name": action.role}
    run.sender.send_idempotent(MutationCall("set_board_permission", args, "edit_permissions"))
    run.journal.completed(action, board_id)


@handles(AddWorkspaceMembers)
def add_workspace_members(run: ApplyRun, action: AddWorkspaceMembers) -> None:
    workspace_id = run.refs.resolve(action.workspace)
    kind = "owner" if action.owners else "subscriber"
    if action.user_ids:
        args = {"workspace_id": workspace_id, "user_ids": list(action.user_ids), "kind": kind}
        _send(run, "add_users_to_workspace", args)
    if action.team_ids:
        args = {"workspace_id": workspace_id, "team_ids": list(action.team_ids), "kind": kind}
        _send(run, "add_teams_to_workspace", args)
    run.journal.completed(action, workspace_id)


@handles(RemoveWorkspaceMembers)
def remove_workspace_members(run: ApplyRun, action: RemoveWorkspaceMembers) -> None:
    if action.user_ids:
        args = {"workspace_id": action.workspace_id, "user_ids": list(action.user_ids)}
        _send(run, "delete_users_from_workspace", args)
    if action.team_ids:
        args = {"workspace_id": action.workspace_id, "team_ids": list(action.team_ids)}
        _send(run, "delete_teams_from_workspace", args)
    run.journal.completed(action, action.workspace_id)
