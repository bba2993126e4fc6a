"""Checking what a read is about to touch against the read scope (``boardops.scope``).

Every board is checked where it is, from its id, name and workspace only (from the
listings of ``boardops.live``), before the structure read (columns, groups, items) is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from boardops.model import DesiredState, Workspace, board_address, workspace_address

if TYPE_CHECKING:
    from boardops.live import BoardRef
    from boardops.live import _Listings as Listings
    from boardops.scope import ScopeCheck


def _place(
    scope: ScopeCheck, listings: Listings, workspace_id: str | None
) -> tuple[bool, str | None]:
    """(whether it is the main workspace, its name when the scope needs it) of a board's
    workspace id (None: the main workspace as documented)."""
    if workspace_id is None or listings.is_main(workspace_id):
        return True, None
    listed = next((w for w in listings.workspaces() if w.id == workspace_id), None)
    if listed is not None and listed.is_default:
        return True, None
    return False, listed.name if listed is not None and scope.names_workspaces else None


def _check_board(
    scope: ScopeCheck,
    listings: Listings,
    what: str,
    board_id: str | None,
    name: str,
    workspace_id: str | None,
) -> None:
    main, workspace_name = _place(scope, listings, workspace_id)
    scope.check_board(
        what, board_id, name, workspace_id=workspace_id, workspace_name=workspace_name, main=main
    )


def check_board_ref(scope: ScopeCheck, listings: Listings, what: str, ref: BoardRef) -> None:
    _check_board(scope, listings, what, ref.id, ref.name, ref.workspace_id)


def check_live_workspace(
    scope: ScopeCheck, listings: Listings, what: str, workspace: Workspace
) -> None:
    main = workspace.is_default or (
        workspace.id is not None and workspace.id == listings.main_workspace_id
    )
    scope.check_workspace(what, workspace.id, workspace.name, main=main)


def check_places(
    scope: ScopeCheck,
    listings: Listings,
    desired: DesiredState,
    workspaces: Mapping[str, Workspace | None],
) -> None:
    """The manifests' workspaces (where they are, else as they would be created) and the
    places their boards outside them would be created in (the main workspace, or a
    workspace pinned by id) must be in scope."""
    for workspace in desired.workspaces:
        address = workspace_address(workspace.key)
        live = workspaces.get(workspace.key)
        if live is not None:
            check_live_workspace(scope, listings, address, live)
        else:
            scope.check_workspace(address, workspace.id, workspace.name, main=False)
    for board in desired.boards:
        if board.workspace is None:  # else in a workspace of the manifests, checked above
            address = board_address(board.key)
            _check_board(scope, listings, address, board.id, board.name, board.workspace_id)


def check_found_boards(
    scope: ScopeCheck,
    listings: Listings,
    desired: DesiredState,
    board_ids: Mapping[str, str | None],
) -> set[str]:
    """The live boards the manifests' boards stand for (pinned, or found by name), each
    where it is: the ids that may be read (a pinned id that names no board is left for
    the reader to report)."""
    refs = listings.refs(board_id for board_id in board_ids.values() if board_id is not None)
    for board in desired.boards:
        board_id = board_ids.get(board.key)
        ref = refs.get(board_id) if board_id is not None else None
        if ref is not None:
            check_board_ref(scope, listings, board_address(board.key), ref)
    return set(refs)
