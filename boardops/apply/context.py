"""The state one apply run shares between its handlers, made of its parts.

* ``journal`` (``journal.Journal``): every event, counted, then handed to the sink.
* ``refs`` (``refs.Refs``): monday ids by address, seeded from the plan's refs and filled
  as objects are created.
* ``columns`` (``columns.ColumnCache``): the live columns apply may write values to.
* ``sender`` (``sender.Sender``): mutations, with the lost-answer policy (``settle``).
* the account ``Directory`` (users for people values, tags for tags values), read lazily
  (tags the account lacks are the plan's ``CreateTag`` actions, not made here).

Handlers run one board per thread; everything here that several boards touch is guarded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any

from boardops import codec
from boardops.apply.columns import ColumnCache
from boardops.apply.events import EventSink
from boardops.apply.journal import Journal
from boardops.apply.refs import Refs
from boardops.apply.sender import Sender
from boardops.errors import ApplyError
from boardops.from_wire import user_from_wire
from boardops.model import LiveState, WeekStart, board_address
from boardops.monday import MondayClient
from boardops.monday.operations import BOARD_STRUCTURE
from boardops.plan import Action, CreateBoard
from boardops.plan.tags import BOARD_SCOPED_TAG_KINDS


class ApplyRun:
    def __init__(
        self,
        client: MondayClient,
        sink: EventSink,
        *,
        actions: Iterable[Action],
        live: LiveState | None,
        week_start: WeekStart = "monday",
    ) -> None:
        self.client = client
        self.journal = Journal(sink)
        self.refs = Refs(actions)
        self.columns = ColumnCache(lambda board_id: read_board(client, board_id), live)
        self.sender = Sender(client)
        self._lock = threading.RLock()
        self.week_start: WeekStart = week_start
        self._users = live.users if live is not None and live.users else None
        self._tags: dict[str, int] | None = None
        # Account tags made (or got) by this run's CreateTag actions: name -> id.
        self._new_tags: dict[str, int] = {}
        # Tags of private and shareable boards are board-scoped: board id -> name -> id.
        self._board_tags: dict[str, dict[str, int]] = {}
        # Board address -> kind, for the boards of the plan (created or found).
        self.board_kinds: dict[str, str] = {}
        for action in actions:
            if isinstance(action, CreateBoard):
                self.board_kinds[action.address] = action.board_kind
        if live is not None:
            for key, found in live.boards.items():
                if found is not None:
                    self.board_kinds.setdefault(board_address(key), found.kind)

    # --- the account directory -------------------------------------------------------------

    def directory(
        self,
        *,
        users: bool,
        tag_names: Iterable[str] = (),
        board: tuple[str, str] | None = None,
    ) -> codec.Directory:
        """Users (when asked for) and tag ids; it only reads (the plan's ``CreateTag``
        actions make the tags the account lacks, see ``remember_tag``).

        ``board`` is the (address, id) of the board the values go to: a private or
        shareable board has board-scoped tags, those this run made or got for it; other
        boards use the account's public tags, read once.
        """
        with self._lock:
            if users and self._users is None:
                self._users = tuple(user_from_wire(u) for u in self.client.users())
            if board is not None and self.board_kinds.get(board[0]) in BOARD_SCOPED_TAG_KINDS:
                tags = dict(self._board_tags.get(board[1], {}))
            else:
                if set(tag_names) and self._tags is None:
                    self._tags = {str(t["name"]): int(t["id"]) for t in self.client.tags()}
                tags = {**(self._tags or {}), **self._new_tags}
            return codec.Directory(users=self._users or (), tags=tags, week_start=self.week_start)

    def remember_tag(self, board_id: str | None, name: str, tag_id: int) -> None:
        """A tag a ``CreateTag`` made or got: the account's, or (``board_id``) that board's."""
        with self._lock:
            if board_id is None:
                self._new_tags[name] = tag_id
            else:
                self._board_tags.setdefault(board_id, {})[name] = tag_id


# --- reads used by handlers and recovery -------------------------------------------------------


def read_board(client: MondayClient, board_id: str) -> dict[str, Any]:
    """A board's columns and groups as monday reports them (no items)."""
    data = client.query(BOARD_STRUCTURE, {"ids": [board_id]})
    boards = [b for b in data.get("boards") or () if isinstance(b, dict)]
    if not boards:
        raise ApplyError(f"board {board_id}", f"board {board_id} is not readable")
    return boards[0]


def visible_groups(raw_board: Mapping[str, Any]) -> list[dict[str, Any]]:
    groups = [
        g for g in raw_board.get("groups") or () if not g.get("archived") and not g.get("deleted")
    ]
    return sorted(groups, key=_position)


def _position(group: Mapping[str, Any]) -> float:
    """A group's position; monday sends a number as text, anything else sorts first."""
    try:
        return float(group.get("position") or 0)
    except (TypeError, ValueError):
        return 0.0
