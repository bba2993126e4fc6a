"""Apply handlers for access (see README, Access): board owners, subscribers, teams and
role; workspace members. Every call sets state (adding a member twice, removing one who
is gone, setting the role it has), so each is sent with ``send_idempotent``: a lost
answer is settled by sending the call again."""

from __future__ import annotations

from collections.abc import Sequence

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


def _send_members(
    run: ApplyRun,
    target: tuple[str, str],
    mutations: tuple[str, str],
    user_ids: Sequence[str],
    team_ids: Sequence[str],
    **extra: object,
) -> None:
    """One membership change: its users in one call, its teams in another (each sent only
    when there are any). ``target``: the argument naming the board or workspace, and its
    id; ``mutations``: the users' and the teams' mutation."""
    name, target_id = target
    for mutation, key, ids in zip(
        mutations, ("user_ids", "team_ids"), (user_ids, team_ids), strict=True
    ):
        if ids:
            args = {name: target_id, key: list(ids), **extra}
            run.sender.send_idempotent(MutationCall(mutation, args))


@handles(AddBoardOwners)
def add_board_owners(run: ApplyRun, action: AddBoardOwners) -> None:
    board_id = run.refs.resolve(action.board)
    mutations = ("add_users_to_board", "add_teams_to_board")
    _send_members(
        run, ("board_id", board_id), mutations, action.user_ids, action.team_ids, kind="owner"
    )
    run.journal.completed(action, board_id)


@handles(RemoveBoardMembers)
def remove_board_members(run: ApplyRun, action: RemoveBoardMembers) -> None:
    mutations = ("delete_subscribers_from_board", "delete_teams_from_board")
    target = ("board_id", action.board_id)
    _send_members(run, target, mutations, action.user_ids, action.team_ids)
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
    mutations = ("add_users_to_workspace", "add_teams_to_workspace")
    target = ("workspace_id", workspace_id)
    _send_members(run, target, mutations, action.user_ids, action.team_ids, kind=kind)
    run.journal.completed(action, workspace_id)


@handles(RemoveWorkspaceMembers)
def remove_workspace_members(run: ApplyRun, action: RemoveWorkspaceMembers) -> None:
    mutations = ("delete_users_from_workspace", "delete_teams_from_workspace")
    target = ("workspace_id", action.workspace_id)
    _send_members(run, target, mutations, action.user_ids, action.team_ids)
    run.journal.completed(action, action.workspace_id)
