"""What the live reader reads for access (see README, Access): which boards need their
members and role read, whether users and teams are needed, and the members of the
workspaces a manifest declares ``owners:``/``members:`` for (one request for them all).

Board owners, subscribers, team owners, team subscribers and ``permissions`` ride along in
the structure read (``operations.SUBSCRIBER_FIELDS``); workspace members come from
``operations.WORKSPACE_MEMBERS``, page by page; a board's team lists whose first page
(``TEAM_SUBSCRIBERS_LIMIT``) came back full are completed by
``BoardReads.complete_board_teams``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from boardops.from_wire import workspace_members_from_wire
from boardops.model import Board, DesiredState, LiveState, Member, Team, Workspace
from boardops.monday.client import MondayClient
from boardops.monday.wire import WirePath, WireReader


def declares_access(board: Board) -> bool:
    """Whether the manifest manages the board's owners, subscribers or role."""
    return board.owners is not None or board.subscribers is not None or board.role is not None


def _lists(desired: DesiredState) -> list[tuple[Member, ...]]:
    lists: list[tuple[Member, ...] | None] = []
    for board in desired.boards:
        lists += [board.owners, board.subscribers]
    for workspace in desired.workspaces:
        lists += [workspace.owners, workspace.members]
    return [members for members in lists if members is not None]


def needs_directory(desired: DesiredState) -> bool:
    """Whether an access list names anyone: the account's users are then read."""
    return bool(_lists(desired))


def names_teams(desired: DesiredState) -> bool:
    """Whether an access list names a team: the account's teams are then read."""
    return any(m.kind == "team" for members in _lists(desired) for m in members)


def with_workspace_members(
    client: MondayClient,
    reader: WireReader,
    desired: DesiredState,
    workspaces: Mapping[str, Workspace | None],
) -> dict[str, Workspace | None]:
    """``workspaces`` with the members of those whose access the manifest declares."""
    result = dict(workspaces)
    wanted: dict[str, str] = {}
    for workspace in desired.workspaces:
        found = workspaces.get(workspace.key)
        declared = workspace.owners is not None or workspace.members is not None
        if declared and found is not None and found.id is not None:
            wanted[found.id] = workspace.key
    if not wanted:
        return result
    at = WirePath.root("workspaces")
    for raw, where in reader.rows(client.workspace_members(sorted(wanted)), at):
        key = wanted.get(reader.id(raw, "id", where))
        found = result.get(key) if key is not None else None
        if key is not None and found is not None:
            result[key] = workspace_members_from_wire(found, raw, reader, where)
    return result


def _read_members(
    client: MondayClient, reader: WireReader, workspaces: Mapping[str, Workspace]
) -> dict[str, Workspace]:
    """``workspaces`` (by id) with their members read."""
    result = dict(workspaces)
    if not result:
        return result
    at = WirePath.root("workspaces")
    for raw, where in reader.rows(client.workspace_members(sorted(result)), at):
        workspace_id = reader.id(raw, "id", where)
        if workspace_id in result:
            result[workspace_id] = workspace_members_from_wire(
                result[workspace_id], raw, reader, where
            )
    return result


def with_members(client: MondayClient, workspaces: Mapping[str, Workspace]) -> dict[str, Workspace]:
    """Workspaces by id (as export declares them) with their members read."""
    reader = WireReader()
    result = _read_members(client, reader, workspaces)
    reader.finish()
    return result


def team_ids_of(boards: Iterable[Board | None], workspaces: Iterable[Workspace]) -> set[str]:
    """The ids of the teams that belong to these boards and workspaces, as read."""
    ids: set[str] = set()
    for board in boards:
        if board is not None:
            ids |= set(board.team_subscriber_ids or ()) | set(board.team_owner_ids or ())
    for workspace in workspaces:
        ids |= set(workspace.team_member_ids or ()) | set(workspace.team_owner_ids or ())
    return ids


def with_teams_of(
    client: MondayClient, live: LiveState, workspaces: Iterable[Workspace]
) -> LiveState:
    """``live`` with the account's teams, when a board or workspace has a team member (the
    export names teams by name)."""
    if live.teams or not team_ids_of(live.boards.values(), workspaces):
        return live
    reader = WireReader()
    teams = tuple(
        Team(id=reader.id(raw, "id", where), name=reader.name(raw, "name", where))
        for raw, where in reader.rows(client.teams(), WirePath.root("teams"))
    )
    reader.finish()
    return replace(live, teams=teams)


def with_access(
    client: MondayClient, live: LiveState, workspaces: Mapping[str, Workspace]
) -> tuple[LiveState, dict[str, Workspace]]:
    """What export writes of access: the workspaces (by id) with their members, and the
    account's teams when anyone who belongs is a team."""
    known = with_members(client, workspaces)
    return with_teams_of(client, live, known.values()), known
