"""Reading boards' subitems (see ``boardops.live``): the subitems board of each board
whose manifest declares ``subitems``, with its columns and its items by parent.

A board's subitems board is named by its ``subtasks`` column (``settings.boardIds``);
the subitems board is read like any board (one ``boards_structure`` request for all of
them, plus pages of 500 subitems), each subitem with its ``parent_item { id }``. Boards
whose manifest does not declare subitems cost nothing more. A board with no subtasks
column has no subitems board yet (the plan makes one); a subtasks column naming no board,
or a board that cannot be read, is a warning and reads as no subitems.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from boardops import codec
from boardops.from_wire import board_from_wire
from boardops.model import SUBTASKS_TYPE, Board, Column, DesiredState, Item, ItemSet, Subitems
from boardops.monday import MondayClient
from boardops.monday import operations as ops
from boardops.monday.wire import WirePath, WireReader, settings_object

# The column type of the parent board's subitems column.


def subtasks_column(board: Board) -> Column | None:
    return next((c for c in board.columns if c.type == SUBTASKS_TYPE), None)


def subitems_board_id(column: Column | Mapping[str, Any]) -> str | None:
    """The subitems board a ``subtasks`` column names (``settings.boardIds``; the
    settings as an object or a JSON string), or None."""
    raw: Any = column.settings if isinstance(column, Column) else column.get("settings")
    settings = settings_object(raw)
    if settings is None:
        return None
    ids = settings.get("boardIds")
    if isinstance(ids, list) and ids and isinstance(ids[0], (str, int)):
        return str(ids[0])
    return None


def declares_subitems(desired: DesiredState) -> bool:
    return any(board.subitems is not None for board in desired.boards)


def read_subitems(
    client: MondayClient,
    boards: Mapping[str, Board | None],
    wanted: set[str],
    directory: codec.Directory,
    reader: WireReader,
    *,
    with_items: bool = True,
) -> dict[str, Board | None]:
    """``boards`` with the subitems of those keyed in ``wanted``: ``Board.subitems``
    (the subitems board's id and columns) and, with ``with_items``, each item's
    ``subitems``."""
    result = dict(boards)
    sub_ids: dict[str, str] = {}
    for key in sorted(wanted):
        found = boards.get(key)
        column = subtasks_column(found) if found is not None else None
        if found is None or column is None:
            continue
        sub_id = subitems_board_id(column)
        if sub_id is None:
            reader.warn(
                WirePath.root("boards") / str(found.id) / "columns" / str(column.id),
                "the subtasks column names no subitems board (settings.boardIds)",
                "its subitems are not read",
            )
            continue
        sub_ids[key] = sub_id
    if not sub_ids:
        return result
    read = client.read_structure(sorted(set(sub_ids.values())), selection=ops.SUBITEM_FIELDS)
    raw_by_id: dict[str, tuple[Mapping[str, Any], WirePath]] = {}
    for raw, where in reader.rows(read.boards, WirePath.root("subitem_boards")):
        raw_by_id[reader.id(raw, "id", where)] = (raw, where)
    for key, sub_id in sub_ids.items():
        found = result[key]
        assert found is not None
        if sub_id not in raw_by_id:
            reader.warn(
                WirePath.root("subitem_boards") / sub_id,
                "the subitems board named by the subtasks column cannot be read",
                "its subitems are not read",
            )
            continue
        raw, where = raw_by_id[sub_id]
        raw_items = raw.get("items") if with_items else None
        sub = board_from_wire(key, raw, raw_items, directory, reader, where)
        subitems = Subitems(columns=sub.columns, id=sub.id)
        rows = found.items.rows if found.items is not None else None
        if sub.items is None or rows is None:
            result[key] = replace(found, subitems=subitems)
            continue
        by_parent: dict[str, list[Item]] = {}
        for raw_item, item in zip(raw_items or (), sub.items.rows, strict=False):
            parent = raw_item.get("parent_item")
            if isinstance(parent, Mapping) and parent.get("id") is not None:
                by_parent.setdefault(str(parent["id"]), []).append(item)
        items = ItemSet(
            rows=tuple(replace(row, subitems=tuple(by_parent.get(str(row.id), ()))) for row in rows)
        )
        result[key] = replace(found, subitems=subitems, items=items)
    return result
