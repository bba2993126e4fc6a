"""Connect-boards (``board_relation``), mirror and dependency columns: their settings on
monday, read and written in one place.

What monday documents (developer.monday.com):

* "Get column type schema" (``get_column_type_schema(type: board_relation)``, API
  2025-10+): a connect-boards column's settings are ``boardIds`` (the connected boards,
  integers), ``allowMultipleItems`` (a cell may link several items),
  ``allowCreateReflectionColumn`` (two-way: monday keeps a connect-boards column on each
  connected board that mirrors this one), ``boardId`` (a default board) and ``item_ids``.
  ``create_column(column_type: board_relation, defaults: {...})`` takes these keys, and
  ``update_column(settings: ..., revision: ...)`` changes them.
* A mirror column's settings name the connect-boards column it follows and the columns it
  shows, by board: ``relation_column`` (``{"<column id>": true}``) and
  ``displayed_linked_columns`` (``{"<board id>": ["<column id>", ...]}``), as monday's
  ``settings_str`` of a mirror column holds them.
* A dependency column links items of its own board; monday allows one per board.

``Column.settings`` is read from ``settings`` (JSON) or the legacy ``settings_str`` (text);
an unexpected shape is a warning (the caller's ``warn``), never a crash. Board ids on the
wire are read as strings, whether monday sends numbers or strings.

``MODELLED_SETTINGS`` lists the settings keys this module owns per column type, so a
generic settings comparison leaves them to the relation diff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from boardops.model import Board, BoardLink, Column, JSONValue, Mirror, Relation

BOARD_RELATION = "board_relation"
MIRROR = "mirror"
DEPENDENCY = "dependency"
# The column types whose structure this module models (their item values are not its).
RELATION_COLUMN_TYPES: tuple[str, ...] = (BOARD_RELATION, MIRROR, DEPENDENCY)

# The settings keys boardops reads and writes for each of these column types.
MODELLED_SETTINGS: Mapping[str, frozenset[str]] = {
    BOARD_RELATION: frozenset(
        {"boardIds", "boardId", "allowMultipleItems", "allowCreateReflectionColumn"}
    ),
    MIRROR: frozenset({"relation_column", "displayed_linked_columns"}),
    DEPENDENCY: frozenset({"boardIds"}),
}

Warn = Callable[[str], None]


def _board_id(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value > 0:
        return str(value)
    if isinstance(value, str) and value.isdigit():
        return value
    return None


def relation_from_settings(settings: Mapping[str, object], warn: Warn) -> Relation:
    """A connect-boards column's ``Relation`` (links by id) from its settings."""
    raw = settings.get("boardIds")
    ids: list[str] = []
    if raw is None and settings.get("boardId") is not None:
        raw = [settings["boardId"]]
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        warn(f"boardIds is {type(raw).__name__}, not a list; read as no boards")
        raw = []
    for value in raw:
        board_id = _board_id(value)
        if board_id is None:
            warn(f"boardIds holds {value!r}, not a board id; skipped")
        elif board_id not in ids:
            ids.append(board_id)
    return Relation(
        boards=tuple(BoardLink(id=i) for i in sorted(ids, key=int)),
        allow_multiple=_flag(settings, "allowMultipleItems", True, warn),
        two_way=_flag(settings, "allowCreateReflectionColumn", False, warn),
    )


def _flag(settings: Mapping[str, object], key: str, default: bool, warn: Warn) -> bool:
    value = settings.get(key, default)
    if isinstance(value, bool):
        return value
    warn(f"{key} is {value!r}, not true or false; read as {str(default).lower()}")
    return default


def mirror_from_settings(settings: Mapping[str, object], warn: Warn) -> Mirror | None:
    """A mirror column's ``Mirror`` (column ids) from its settings; None when its
    relation column cannot be read."""
    relation = settings.get("relation_column")
    relation_id: str | None = None
    if isinstance(relation, Mapping):
        chosen = [str(k) for k, v in relation.items() if v]
        if len(chosen) == 1:
            relation_id = chosen[0]
    elif isinstance(relation, str) and relation:
        relation_id = relation
    if relation_id is None:
        if relation is not None:
            warn(f"relation_column is {relation!r}; the mirror's relation is not known")
        return None
    shows: list[str] = []
    displayed = settings.get("displayed_linked_columns", {})
    if not isinstance(displayed, Mapping):
        warn("displayed_linked_columns is not an object; read as showing nothing")
        displayed = {}
    for board_id, columns in displayed.items():
        if not isinstance(columns, list):
            warn(f"displayed_linked_columns of board {board_id} is not a list; skipped")
            continue
        shows.extend(str(c) for c in columns if isinstance(c, str | int))
    return Mirror(relation=relation_id, shows=tuple(sorted(set(shows))))


def read_column_structure(column: Column, warn: Warn) -> Column:
    """``column`` with ``relation``/``mirror`` read from its settings (other types as is)."""
    settings = column.settings or {}
    if column.type == BOARD_RELATION:
        return replace(column, relation=relation_from_settings(settings, warn))
    if column.type == MIRROR:
        return replace(column, mirror=mirror_from_settings(settings, warn))
    return column


def relation_settings(
    board_ids: Iterable[str], allow_multiple: bool, two_way: bool
) -> dict[str, JSONValue]:
    """The ``defaults`` / ``settings`` of a connect-boards column (see the module doc)."""
    return {
        "boardIds": [int(i) for i in board_ids],
        "allowMultipleItems": allow_multiple,
        "allowCreateReflectionColumn": two_way,
    }


def mirror_settings(relation_id: str, shown: Mapping[str, Iterable[str]]) -> dict[str, JSONValue]:
    """The ``defaults`` / ``settings`` of a mirror column: ``shown`` maps board id to the
    ids of the columns shown from it."""
    return {
        "relation_column": {relation_id: True},
        "displayed_linked_columns": {b: list(cols) for b, cols in shown.items()},
    }


# --- live links named by manifest key ----------------------------------------------------


def with_board_keys(
    boards: Mapping[str, Board | None], names: Mapping[str, str] | None = None
) -> dict[str, Board | None]:
    """The live boards with each connect-boards link's ``key`` filled in where the linked
    board is one the manifests name (the one place board ids become manifest keys), and its
    ``name`` where known (``names``: board id -> name, for boards outside the manifests)."""
    key_of = {b.id: key for key, b in boards.items() if b is not None and b.id is not None}
    name_of = {b.id: b.name for b in boards.values() if b is not None and b.id is not None}
    name_of.update(names or {})
    out: dict[str, Board | None] = {}
    for key, board in boards.items():
        if board is None or not any(c.relation for c in board.columns):
            out[key] = board
            continue
        columns = tuple(
            c
            if c.relation is None
            else replace(
                c,
                relation=replace(
                    c.relation,
                    boards=tuple(
                        replace(
                            link,
                            key=key_of.get(link.id or ""),
                            name=name_of.get(link.id or "", link.name),
                        )
                        for link in c.relation.boards
                    ),
                ),
            )
            for c in board.columns
        )
        out[key] = replace(board, columns=columns)
    return out


def linked_board_ids(boards: Iterable[Board | None]) -> set[str]:
    """The ids of the boards live connect-boards columns link to."""
    return {
        link.id
        for board in boards
        if board is not None
        for column in board.columns
        if column.relation is not None
        for link in column.relation.boards
        if link.id is not None
    }
