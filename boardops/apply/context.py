"""The state one apply run shares between its handlers.

* ``ids``: monday ids by address, seeded from the plan's refs and filled as objects are
  created, so that ``ObjectRef(address, id=None)`` resolves for later actions.
* ``columns``: the live ``Column`` (with label ids and revision) of every column apply may
  write values to, keyed by (board id, column id): seeded from the live state and replaced
  by each create or label update's answer.
* the account ``Directory`` (users for people values, tags for tags values), read lazily.

Handlers run one board per thread; everything here that several boards touch is guarded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from boardops import codec
from boardops.apply.events import (
    ActionCompleted,
    ActionFailed,
    ActionSkipped,
    ActionStarted,
    Event,
    EventSink,
    Failure,
)
from boardops.errors import ApplyError, BoardopsError, GraphQLError, OutcomeUnknown
from boardops.from_wire import column_from_wire, user_from_wire
from boardops.model import Column, LiveState, WeekStart, board_address
from boardops.monday import MondayClient, MutationCall
from boardops.monday.operations import BOARD_STRUCTURE
from boardops.plan import Action, CreateBoard, CreateGroup, ObjectRef

# How many times a create whose answer was lost is looked for and sent again before the
# action is reported as failed (each round re-reads by identity first).
MAX_UNKNOWN_ROUNDS = 3

# Board kinds whose tags belong to the board (monday docs, "tags"): the account's public
# tags are neither listed for them nor usable on them.
BOARD_SCOPED_TAG_KINDS = frozenset({"private", "share"})


class Stopped(Exception):
    """Another board's thread was interrupted; this one stops at its next action."""


@dataclass(frozen=True)
class Created:
    """What a create handler got back: the object's data and whether it was re-found."""

    data: Mapping[str, Any]
    recovered: bool = False


def error_message(error: BaseException) -> str:
    """The one-line reason shown for a failed action: monday's code and message."""
    if isinstance(error, GraphQLError):
        return f"{error.code}: {error.message}" if error.code else error.message
    if isinstance(error, ApplyError):
        return str(error.cause)
    return str(error)


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
        self._sink = sink
        self._lock = threading.RLock()
        self._event_lock = threading.Lock()
        self.stopped = False
        self.ids: dict[str, str] = {}
        self.columns: dict[tuple[str, str], Column] = {}
        self.counts: dict[str, int] = {}
        self.failures: list[Failure] = []
        self.skipped = 0
        # Group addresses already satisfied by reusing a new board's default group.
        self._claimed_groups: set[str] = set()
        self._claim_failures: dict[str, BoardopsError] = {}
        # For each board the plan creates: the CreateGroup of its first declared group.
        self.first_groups: dict[str, CreateGroup] = {}
        # What the event sink raised, when it stopped the run.
        self.interruption: BaseException | None = None
        # id() of every action that has completed or failed so far.
        self._finished: set[int] = set()
        self.week_start: WeekStart = week_start
        self._users = live.users if live is not None and live.users else None
        self._tags: dict[str, int] | None = None
        # Tags of private and shareable boards are board-scoped: board id -> name -> id.
        self._board_tags: dict[str, dict[str, int]] = {}
        # Board address -> kind, for the boards of the plan (created or found).
        self.board_kinds: dict[str, str] = {}
        for action in actions:
            for ref in _refs_of(action):
                if ref.id is not None:
                    self.ids.setdefault(ref.address, ref.id)
        for action in actions:
            if isinstance(action, CreateBoard):
                self.board_kinds[action.address] = action.board_kind
        if live is not None:
            for key, found in live.boards.items():
                if found is not None:
                    self.board_kinds.setdefault(board_address(key), found.kind)
            for board in live.boards.values():
                if board is None or board.id is None:
                    continue
                for column in board.columns:
                    if column.id is not None:
                        self.columns[(board.id, column.id)] = column

    # --- events --------------------------------------------------------------------------

    def emit(self, event: Event) -> None:
        with self._event_lock:
            if isinstance(event, ActionCompleted):
                self.counts[event.verb] = self.counts.get(event.verb, 0) + 1
            elif isinstance(event, ActionFailed):
                self.failures.append(Failure(event.address, event.message))
            elif isinstance(event, ActionSkipped):
                self.skipped += 1
            try:
                self._sink(event)
            except BaseException as error:
                self.stopped = True
                self.interruption = error
                raise

    def finished(self, action: Action) -> bool:
        """Whether ``action`` has completed or failed already."""
        with self._event_lock:
            return id(action) in self._finished

    def started(self, action: Action) -> None:
        if self.stopped:
            raise Stopped
        self.emit(ActionStarted(action.address, type(action).__name__, action.kind))

    def completed(
        self, action: Action, object_id: str | None = None, *, recovered: bool = False
    ) -> None:
        with self._event_lock:
            self._finished.add(id(action))
        self.emit(
            ActionCompleted(
                action.address,
                type(action).__name__,
                action.kind,
                action.verb,
                object_id,
                recovered,
            )
        )

    def failed(self, action: Action, error: BaseException | str) -> None:
        with self._event_lock:
            self._finished.add(id(action))
        message = error if isinstance(error, str) else error_message(error)
        self.emit(ActionFailed(action.address, type(action).__name__, message))

    # --- ids -----------------------------------------------------------------------------

    def record(self, address: str, object_id: str) -> None:
        with self._lock:
            self.ids[address] = object_id

    def resolve(self, ref: ObjectRef) -> str:
        if ref.id is not None:
            return ref.id
        with self._lock:
            found = self.ids.get(ref.address)
        if found is None:
            raise ApplyError(ref.address, f"{ref.address} does not exist (its create did not run)")
        return found

    def recorded(self, address: str) -> str | None:
        """The id recorded for ``address`` by an earlier action of this run, if any."""
        with self._lock:
            return self.ids.get(address)

    def claim_group(self, address: str, failure: BoardopsError | None = None) -> None:
        """The group at ``address`` is a new board's default group, set up; ``failure`` is
        why its title or colour could not be set (reported by its CreateGroup)."""
        with self._lock:
            self._claimed_groups.add(address)
            if failure is not None:
                self._claim_failures[address] = failure

    def claim_failure(self, address: str) -> BoardopsError | None:
        with self._lock:
            return self._claim_failures.get(address)

    def is_claimed(self, address: str) -> bool:
        with self._lock:
            return address in self._claimed_groups

    def ids_under(self, prefix: str) -> set[str]:
        """The ids recorded for addresses that start with ``prefix``."""
        with self._lock:
            return {
                object_id for address, object_id in self.ids.items() if address.startswith(prefix)
            }

    def column_ids(self, board_id: str) -> set[str]:
        with self._lock:
            return {column_id for (owner, column_id) in self.columns if owner == board_id}

    # --- columns -------------------------------------------------------------------------

    def remember_column(self, board_id: str, raw: Mapping[str, Any]) -> Column:
        column = column_from_wire(raw)
        assert column.id is not None
        with self._lock:
            self.columns[(board_id, column.id)] = column
        return column

    def column(self, board_id: str, column_id: str) -> Column:
        with self._lock:
            found = self.columns.get((board_id, column_id))
        if found is None:
            for raw in read_board(self.client, board_id).get("columns") or ():
                if not raw.get("archived"):
                    self.remember_column(board_id, raw)
            with self._lock:
                found = self.columns.get((board_id, column_id))
        if found is None:
            raise ApplyError(column_id, f"board {board_id} has no column {column_id!r}")
        return found

    # --- the account directory -------------------------------------------------------------

    def directory(
        self,
        *,
        users: bool,
        tag_names: Iterable[str] = (),
        board: tuple[str, str] | None = None,
    ) -> codec.Directory:
        """Users (when asked for) and tag ids, creating tags the account lacks.

        ``board`` is the (address, id) of the board the values go to: a private or
        shareable board has board-scoped tags, made and found with
        ``create_or_get_tag(tag_name:, board_id:)``; other boards use the account's
        public tags.
        """
        with self._lock:
            if users and self._users is None:
                self._users = tuple(user_from_wire(u) for u in self.client.users())
            wanted = sorted(set(tag_names))
            if board is not None and self.board_kinds.get(board[0]) in BOARD_SCOPED_TAG_KINDS:
                tags = self._scoped_tags(board[1], wanted)
                return codec.Directory(
                    users=self._users or (), tags=tags, week_start=self.week_start
                )
            if wanted and self._tags is None:
                self._tags = {str(t["name"]): int(t["id"]) for t in self.client.tags()}
            tags = dict(self._tags or {})
            probe = codec.Directory(tags=tags)
            missing = [name for name in wanted if probe.tag_id(name) is None]
            if missing:
                calls = [MutationCall("create_or_get_tag", {"tag_name": name}) for name in missing]
                for name, result in zip(missing, self.client.mutate_batch(calls), strict=True):
                    if result.ok and isinstance(result.data, Mapping):
                        tags[name] = int(result.data["id"])
                self._tags = dict(tags)
            return codec.Directory(users=self._users or (), tags=tags, week_start=self.week_start)

    def _scoped_tags(self, board_id: str, wanted: Iterable[str]) -> dict[str, int]:
        """The board's own tags by name, getting (or creating) those not met yet."""
        known = self._board_tags.setdefault(board_id, {})
        missing = [name for name in wanted if name not in known]
        if missing:
            calls = [
                MutationCall("create_or_get_tag", {"tag_name": name, "board_id": board_id})
                for name in missing
            ]
            for name, result in zip(missing, self.client.mutate_batch(calls), strict=True):
                if result.ok and isinstance(result.data, Mapping):
                    known[name] = int(result.data["id"])
        return dict(known)

    # --- sending ---------------------------------------------------------------------------

    def send(self, call: MutationCall) -> Any:
        """One mutation; its data, or its GraphQLError raised. Lost answers raise."""
        (result,) = self.client.mutate_batch([call])
        if result.error is not None:
            raise result.error
        return result.data

    def send_idempotent(self, call: MutationCall) -> Any:
        """A mutation that sets state (rename, move, archive): sending it twice is harmless,
        so a lost answer is settled by sending it again."""
        for _ in range(MAX_UNKNOWN_ROUNDS - 1):
            try:
                return self.send(call)
            except OutcomeUnknown:
                continue
        return self.send(call)

    def create(self, call: MutationCall, refind: Callable[[], Mapping[str, Any] | None]) -> Created:
        """Send a create; when its answer is lost, look for the object by its identity
        before deciding to send it again, so a lost answer never makes a duplicate."""
        for _ in range(MAX_UNKNOWN_ROUNDS):
            try:
                data = self.send(call)
            except OutcomeUnknown:
                found = refind()
                if found is not None:
                    return Created(found, recovered=True)
                continue
            if not isinstance(data, Mapping):
                raise ApplyError(call.field, f"{call.field} returned no object")
            return Created(data)
        raise ApplyError(
            call.field, f"{call.field}: the answer was lost {MAX_UNKNOWN_ROUNDS} times"
        )


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


def _refs_of(action: Action) -> Iterable[ObjectRef]:
    from boardops.plan import GroupPosition, ItemColumn

    for value in vars(action).values():
        if isinstance(value, ObjectRef):
            yield value
        elif isinstance(value, GroupPosition):
            yield value.anchor
        elif isinstance(value, tuple):
            for element in value:
                if isinstance(element, ItemColumn):
                    yield element.column
