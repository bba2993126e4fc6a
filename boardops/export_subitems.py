"""Writing a board's subitems in an exported manifest (see ``boardops.export``): the
``subitems:`` block (the subitems board's columns, written by the exporter's own column
writer) and each item's ``subitems:`` rows, matched by name.

A parent with two subitems of one name cannot be written (the manifest could not tell
them apart): the export stops, naming them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from boardops.errors import ExportError
from boardops.model import Board, Item, JSONValue, item_address

C = TypeVar("C")
T = TypeVar("T", bound="_Lines")


class _Lines(Protocol):
    lines: list[str]

    def add(self, indent: int, text: str) -> None: ...

    def comment(self, indent: int, text: str) -> None: ...


def subitems_block(
    out: T,
    board: Board,
    board_key: str,
    write_columns: Callable[[T, Board, str], list[C]],
    new_text: Callable[[], T],
) -> list[C]:
    """Writes ``subitems:`` with the subitems board's columns (as the board's own, two
    spaces deeper); returns the exported columns, for the rows' values."""
    assert board.subitems is not None
    stand_in = Board(key=f"{board_key}.subitems", name=board.name, columns=board.subitems.columns)
    body = new_text()
    columns = write_columns(body, stand_in, f"{board_key}.subitems")
    out.add(4, "subitems:")
    out.lines.extend("  " + line for line in body.lines)
    return columns


def subitem_rows(
    out: _Lines,
    item: Item,
    board_key: str,
    values_of: Callable[[Item], tuple[dict[str, JSONValue], list[str]]],
    scalar: Callable[[JSONValue], str],
) -> None:
    """Writes an item's ``subitems:`` (nothing when it has none)."""
    rows: Sequence[Item] = item.subitems or ()
    if not rows:
        return
    seen: dict[str, str] = {}
    for sub in rows:
        if sub.name in seen:
            raise ExportError(
                f"{item_address(board_key, item.name)}: subitems {seen[sub.name]} and {sub.id} "
                f"are both named {sub.name!r}; subitems are matched by name, so rename one on "
                "monday first"
            )
        seen[sub.name] = str(sub.id)
    out.add(10, "subitems:")
    for sub in rows:
        values, left_out = values_of(sub)
        out.add(12, f"- name: {scalar(sub.name)}")
        if values:
            out.add(14, "values:")
            for column_key, value in values.items():
                out.add(16, f"{scalar(column_key)}: {scalar(value)}")
        for reason in left_out:
            out.comment(14, reason)
