"""Reading workspace folders, and placing live boards in them by path.

Folders are read only when the manifests talk about them (a workspace declaring
``folders``, a board with a ``folder:``) or when describing: per workspace with the root
``folders(workspace_ids:)`` query (``[null]``: the main workspace), every page, then by
``ids`` any folder a board sits in or a folder's parent that those pages did not hold.
A folder that cannot be read is a warning (its boards' path stays unknown), never a crash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from boardops.from_wire import folder_from_wire
from boardops.model import Board, DesiredState, Folder, LiveState, Workspace, folder_path
from boardops.monday import MondayClient
from boardops.monday.wire import WirePath, WireReader

# Parents read by id, at most this many rounds deep (monday nests folders a few levels).
_MAX_DEPTH = 8


def wants_folders(desired: DesiredState) -> bool:
    return any(w.folders is not None for w in desired.workspaces) or any(
        b.folder is not None for b in desired.boards
    )


def folder_workspaces(
    desired: DesiredState, workspaces: Mapping[str, Workspace | None]
) -> list[str | None]:
    """The workspaces whose folders the plan needs: those declaring folders and those of
    boards with a ``folder:`` (None: the main workspace)."""
    wanted: set[str | None] = set()
    for workspace in desired.workspaces:
        found = workspaces.get(workspace.key)
        if workspace.folders is not None and found is not None and found.id is not None:
            wanted.add(found.id)
    for board in desired.boards:
        if board.folder is None:
            continue
        if board.workspace is not None:
            found = workspaces.get(board.workspace)
            if found is not None and found.id is not None:
                wanted.add(found.id)
        else:
            wanted.add(board.workspace_id)
    return sorted(wanted, key=lambda w: (w is not None, w or ""))


def read_folders(
    client: MondayClient,
    reader: WireReader,
    workspace_ids: Sequence[str | None],
    boards: Iterable[Board | None] = (),
) -> tuple[Folder, ...]:
    """The folders of ``workspace_ids``, and those ``boards`` sit in, with their parents."""
    folders: dict[str, Folder] = {}
    at = WirePath.root("folders")
    named = [w for w in workspace_ids if w is not None]
    if named:
        for raw, where in reader.rows(list(client.iter_folders(workspace_ids=named)), at):
            folder = folder_from_wire(raw, reader, where)
            folders[str(folder.id)] = folder
    if None in workspace_ids:
        # The main workspace's, asked for on their own: whatever id monday reports for
        # it (null as documented, or its real id), they are kept as the main one's (None).
        rows = list(client.iter_folders(workspace_ids=[None]))
        for raw, where in reader.rows(rows, at):
            folder = replace(folder_from_wire(raw, reader, where), workspace_id=None)
            folders[str(folder.id)] = folder
    missing = {b.folder_id for b in boards if b is not None and b.folder_id is not None}
    for _ in range(_MAX_DEPTH):
        missing -= set(folders)
        missing.discard(None)
        if not missing:
            break
        ids = sorted(str(m) for m in missing)
        for raw, where in reader.rows(list(client.iter_folders(ids=ids)), at):
            folder = folder_from_wire(raw, reader, where)
            folders[str(folder.id)] = folder
        unknown = set(ids) - set(folders)
        if unknown:
            reader.warn(at, f"folders {', '.join(sorted(unknown))} were not found", "left out")
        missing = {f.parent_id for f in folders.values() if f.parent_id is not None} - unknown
    return tuple(sorted(folders.values(), key=lambda f: (len(f.id or ""), f.id or "")))


def place_board(board: Board, folders: Sequence[Folder]) -> Board:
    """``board`` with its folder's path, when its folder is among ``folders``."""
    if board.folder_id is None:
        return board
    found = next((f for f in folders if f.id == board.folder_id), None)
    return board if found is None else replace(board, folder=folder_path(found, folders))


def with_folders(
    client: MondayClient, reader: WireReader, live: LiveState, workspace_ids: Sequence[str | None]
) -> LiveState:
    """``live`` with the folders of ``workspace_ids`` (and of its boards) read, and its
    boards placed in them."""
    folders = read_folders(client, reader, workspace_ids, live.boards.values())
    boards = {
        key: None if board is None else place_board(board, folders)
        for key, board in live.boards.items()
    }
    return replace(live, folders=folders, boards=boards)
