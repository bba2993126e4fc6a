"""What ``export`` writes of placement: a workspace's folder tree, a board's ``folder:``
path and its ``item_nickname`` (see README, Placement). Lines come back as (indent, text)
for the exporter to add; ``scalar`` is its one-value YAML writer."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from boardops.errors import ExportError
from boardops.model import (
    FOLDER_COLORS,
    FOLDER_PATH_SEPARATOR,
    Board,
    Folder,
    JSONValue,
    LiveState,
    Workspace,
)

Lines = list[tuple[int, str]]
# monday's default word for an item: a board showing it has no nickname to export.
DEFAULT_ITEM_TERM = "item"


def workspace_folder_lines(
    live: LiveState, workspace: Workspace, scalar: Callable[[JSONValue], str], indent: int
) -> Lines:
    """``folders:`` of a declared workspace, nested, when monday holds any."""
    mine = [f for f in live.folders if f.workspace_id == workspace.id]
    if not mine:
        return []
    lines: Lines = [(indent, "folders:")]
    _tree(lines, mine, None, scalar, indent + 2)
    return lines


def _tree(
    lines: Lines,
    folders: Sequence[Folder],
    parent_id: str | None,
    scalar: Callable[[JSONValue], str],
    indent: int,
) -> None:
    children = sorted(
        (f for f in folders if f.parent_id == parent_id), key=lambda f: (f.name, f.id or "")
    )
    for folder in children:
        if FOLDER_PATH_SEPARATOR in folder.name:
            raise ExportError(
                f"folder {folder.id} is named {folder.name!r}: a manifest cannot name a folder "
                f"holding '{FOLDER_PATH_SEPARATOR}' (it separates folder paths); rename it on "
                "monday"
            )
        lines.append((indent, f"- name: {scalar(folder.name)}"))
        if folder.color in FOLDER_COLORS:
            lines.append((indent + 2, f"color: {folder.color}"))
        if any(f.parent_id == folder.id for f in folders):
            lines.append((indent + 2, "folders:"))
            _tree(lines, folders, folder.id, scalar, indent + 4)


def board_placement_lines(board: Board, scalar: Callable[[JSONValue], str], indent: int) -> Lines:
    """A board's ``folder:`` (when it sits in one whose path was read) and its
    ``item_nickname`` (when it is not monday's default)."""
    lines: Lines = []
    if board.folder:
        lines.append((indent, f"folder: {scalar(board.folder)}"))
    term = board.item_nickname.term if board.item_nickname is not None else ""
    if term and term.casefold() != DEFAULT_ITEM_TERM:
        lines.append((indent, f"item_nickname: {{singular: {scalar(term)}}}"))
    return lines
