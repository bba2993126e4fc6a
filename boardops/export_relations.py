"""What ``export`` writes for connect-boards and mirror columns (see ``boardops.export``
and ``boardops.relations``): connected boards by the manifest key of a board exported in
the same export, else ``{name: ...}`` (``{id: ...}`` when its name was not read); a
mirror's relation and shown columns as a manifest names columns (a custom id, else the
title). A mirror whose settings could not be read is left out, with the reason."""

from __future__ import annotations

from collections.abc import Mapping

from boardops.model import CREATABLE_COLUMN_ID, Board, BoardLink, Column, JSONValue


def manifest_column_name(column: Column) -> str:
    """How a manifest names a live column: its custom id, else its title."""
    custom = column.id is not None and CREATABLE_COLUMN_ID.fullmatch(column.id) is not None
    return str(column.id) if custom and column.id != "name" else column.title


def _board(link: BoardLink, board_keys: Mapping[str, str]) -> JSONValue:
    if link.id is not None and link.id in board_keys:
        return board_keys[link.id]
    if link.name is not None:
        return {"name": link.name}
    return {"id": link.id}


def relation_fields(
    column: Column, board: Board, board_keys: Mapping[str, str], boards: Mapping[str, Board]
) -> dict[str, JSONValue] | str:
    """The manifest keys of a connect-boards or mirror column (``board_keys`` and
    ``boards`` by board id: the boards exported), or why it is left out."""
    if column.relation is not None:
        if not column.relation.boards:
            return "monday says it connects no board"
        fields: dict[str, JSONValue] = {
            "boards": [_board(link, board_keys) for link in column.relation.boards]
        }
        if not column.relation.allow_multiple:
            fields["allow_multiple"] = False
        if column.relation.two_way:
            fields["two_way"] = True
        return fields
    if column.mirror is None:
        return "its settings do not say which connect-boards column it follows"
    relation = next((c for c in board.columns if c.id == column.mirror.relation), None)
    if relation is None or relation.relation is None:
        return f"it follows column {column.mirror.relation}, which is not a connect-boards column"
    names: list[JSONValue] = []
    for shown in column.mirror.shows:
        name: str = shown
        for link in relation.relation.boards:
            target = boards.get(link.id or "")
            found = next((c for c in target.columns if c.id == shown), None) if target else None
            if found is not None:
                name = manifest_column_name(found)
                break
        if name not in names:
            names.append(name)
    fields = {"relation": manifest_column_name(relation)}
    if names:
        fields["shows"] = names
    return fields
