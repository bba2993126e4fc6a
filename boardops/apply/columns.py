"""The live columns apply may write values to, for one apply run.

Each ``Column`` (with its label ids and revision) is keyed by (board id, column id): seeded
from the live state, replaced by each create or label update's answer, and read from the
board when a column is asked for that was not met yet.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from boardops.errors import ApplyError
from boardops.from_wire import column_from_wire
from boardops.model import Column, LiveState

# A board's columns and groups as monday reports them, by board id.
BoardReader = Callable[[str], Mapping[str, Any]]


class ColumnCache:
    def __init__(self, read_board: BoardReader, live: LiveState | None) -> None:
        self._read_board = read_board
        self._lock = threading.Lock()
        self._columns: dict[tuple[str, str], Column] = {}
        if live is not None:
            for board in live.boards.values():
                if board is None or board.id is None:
                    continue
                for column in board.columns:
                    if column.id is not None:
                        self._columns[(board.id, column.id)] = column
                sub = board.subitems
                if sub is not None and sub.id is not None:
                    for column in sub.columns:
                        if column.id is not None:
                            self._columns[(sub.id, column.id)] = column

    def remember(self, board_id: str, raw: Mapping[str, Any]) -> Column:
        """The column monday answered with (as read or returned by a mutation), kept."""
        column = column_from_wire(raw)
        assert column.id is not None
        with self._lock:
            self._columns[(board_id, column.id)] = column
        return column

    def get(self, board_id: str, column_id: str) -> Column:
        with self._lock:
            found = self._columns.get((board_id, column_id))
        if found is None:
            for raw in self._read_board(board_id).get("columns") or ():
                if not raw.get("archived"):
                    self.remember(board_id, raw)
            with self._lock:
                found = self._columns.get((board_id, column_id))
        if found is None:
            raise ApplyError(column_id, f"board {board_id} has no column {column_id!r}")
        return found

    def ids(self, board_id: str) -> set[str]:
        """The ids of the board's columns met so far."""
        with self._lock:
            return {column_id for (owner, column_id) in self._columns if owner == board_id}
