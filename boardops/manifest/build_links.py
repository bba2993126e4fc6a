"""The one link check validate can be sure of offline (see ``boardops.links``): a link to a
board whose items are all declared (``items: {prune: true}``, so no other item will be
there after apply) must name one of its rows. Other links are checked by the plan, which
also sees the items monday has."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from boardops.codec._links import id_of_link
from boardops.errors import SourceSpan
from boardops.links import LINK_TYPES, desired_item_key
from boardops.model import Board, Column, JSONValue, item_address

Report = Callable[[str, SourceSpan, str], None]


def _targets(board: Board, column: Column) -> list[str] | None:
    """The boards a link column connects, as manifest keys (None: one is outside them)."""
    if column.type == "dependency":
        return [board.key]
    if column.relation is None or not column.relation.boards:
        return None
    keys = [link.key for link in column.relation.boards]
    return None if any(key is None for key in keys) else [k for k in keys if k is not None]


def check_links(boards: Sequence[Board], report: Report) -> None:
    """``report(message, span, address)`` for each link to an item that a fully declared
    board (``prune: true``) does not declare."""
    by_key = {b.key: b for b in boards}
    declared: dict[str, set[str]] = {}
    for board in boards:
        if board.items is not None and board.items.prune:
            keys = {desired_item_key(board, row) for row in board.items.rows}
            declared[board.key] = {k for k in keys if k is not None}
    if not declared:
        return
    for board in boards:
        if board.items is None:
            continue
        columns = {c.key: c for c in board.columns if c.type in LINK_TYPES}
        for row in board.items.rows:
            for key, value in row.values.items():
                column = columns.get(key)
                targets = _targets(board, column) if column is not None else None
                if not targets or any(t not in declared or t not in by_key for t in targets):
                    continue
                for entry in _entries(value):
                    problem = _missing(entry, targets, declared)
                    if problem is not None:
                        address = item_address(board.key, desired_item_key(board, row) or row.name)
                        report(f"{key}: {problem}", row.span or SourceSpan(""), address)


def _entries(value: JSONValue) -> list[JSONValue]:
    return value if isinstance(value, list) else [value]


def _missing(entry: JSONValue, targets: list[str], declared: dict[str, set[str]]) -> str | None:
    if isinstance(entry, dict):
        board, key = str(entry.get("board")), str(entry.get("item"))
        if board not in targets or key in declared[board]:
            return None
        return _text(board, key)
    if not isinstance(entry, (str, int)) or isinstance(entry, bool):
        return None
    key = str(entry)
    if id_of_link(key) is not None or any(key in declared[t] for t in targets):
        return None
    return (
        _text(targets[0], key)
        if len(targets) == 1
        else (
            f"links item {key!r}, which none of the connected boards "
            f"({', '.join(targets)}) declares, and their items prune: true"
        )
    )


def _text(board: str, key: str) -> str:
    return (
        f"links {item_address(board, key)}, which board {board} does not declare "
        "(its items prune: true, so no other item will be there)"
    )
