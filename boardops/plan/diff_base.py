"""What every part of one board's diff shares: the result it adds to, the column
matches, the board it compares and a few counts of the live board (see ``plan.diff``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from boardops import codec
from boardops.model import (
    Board,
    BoardContents,
    Column,
    DesiredState,
    Group,
    Item,
    JSONValue,
    LiveState,
    board_address,
)
from boardops.plan.actions import Action, FieldChange, ObjectRef, Unmanaged
from boardops.plan.diff_links import PlanLinks
from boardops.plan.plan import FingerprintEntry, PlanOptions


@dataclass
class DiffResult:
    actions: list[Action] = field(default_factory=list)
    unmanaged: list[Unmanaged] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What the diff looked at (see ``FingerprintEntry``), for saved-plan freshness checks.
    facts: list[FingerprintEntry] = field(default_factory=list)
    # What link values resolve against, made by the first board that has one and shared
    # by the boards' diffs (``plan.diff_links``).
    links: PlanLinks | None = None

    def fact(self, address: str, aspect: str, value: object) -> None:
        self.facts.append(FingerprintEntry(address, aspect, "" if value is None else str(value)))


@dataclass(frozen=True)
class ColumnMatch:
    """A desired column and the live column it matched (None: it will be created)."""

    desired: Column
    live: Column | None

    @cached_property
    def replaced(self) -> bool:
        return self.live is not None and self.live.type != self.desired.type

    @cached_property
    def kept(self) -> Column | None:
        """The live column that survives the plan (not a replaced one)."""
        return None if self.replaced else self.live


@dataclass(eq=False)
class BoardState:
    """One desired board, the live board it matched, and what the diff gathers."""

    board: Board
    found: Board | None
    desired: DesiredState
    live: LiveState
    directory: codec.Directory
    options: PlanOptions
    out: DiffResult

    def __post_init__(self) -> None:
        self.address = board_address(self.board.key)
        self.ref = ObjectRef(self.address, self.found.id if self.found else None)
        self.columns: list[ColumnMatch] = []
        self._columns_by_key: dict[str, ColumnMatch] = {}
        self.groups: dict[str, Group | None] = {}
        # column key -> {live label text: desired label text}, for renamed labels
        self.label_renames: dict[str, dict[str, str]] = {}
        self._item_group_refs: dict[str, ObjectRef] = {}
        # (id of the desired column, value type, value) -> canonical value, see _normalize
        self._normalized: dict[tuple[int, type, JSONValue], JSONValue] = {}
        # people tokens ("123", "team:7") item values write -> the first item writing it
        self._assigned: dict[str, str] = {}
        # match keys of unmanaged live items that spell column values (addressed by id)
        self._hidden_keys: set[str] = set()

    def plan_links(self) -> PlanLinks:
        if self.out.links is None:
            self.out.links = PlanLinks(self.desired, self.live)
        return self.out.links

    def emit(self, action: Action) -> None:
        self.out.actions.append(action)

    def unmanaged(self, address: str, kind: str, reason: str) -> None:
        self.out.unmanaged.append(Unmanaged(address=address, kind=kind, reason=reason))

    def _board_id(self) -> str:
        assert self.found is not None, "only called for boards that exist"
        assert self.found.id is not None, "live boards carry their id"
        return self.found.id

    def _values_in_column(self, column_id: str) -> int | None:
        """How many live items have a value in the column (None: not known)."""
        return self._live_count(
            lambda contents: contents.values_by_column.get(column_id, 0),
            lambda row: row.values.get(column_id) is not None,
        )

    def _items_in_group(self, group_id: str) -> int | None:
        """How many live items the group holds (None: not known, as from a snapshot)."""
        return self._live_count(
            lambda contents: contents.items_by_group.get(group_id, 0),
            lambda row: row.group == group_id,
        )

    def _live_count(
        self, counted: Callable[[BoardContents], int], counts: Callable[[Item], bool]
    ) -> int | None:
        """A count on the live board: none on a board still to be made, else from its
        counted contents, else from its items read (None: neither was read)."""
        found = self.found
        if found is None:
            return 0
        if found.contents is not None:
            return counted(found.contents)
        if found.items is not None:
            return sum(1 for row in found.items.rows if counts(row))
        return None


def _description(
    before: str | None, after: str | None
) -> tuple[str, JSONValue, JSONValue] | tuple[str, JSONValue, JSONValue, bool]:
    """The ``_changes`` spec of a description: None (left out of the manifest) is not
    managed; "" (``null`` or "" in the manifest) means empty, which a missing live
    description already is, and which clears a live one (shown ``"old" -> null``)."""
    if after == "":
        return ("description", before, None) if before else ("description", None, None)
    return ("description", before, after, True)


def _changes(
    *specs: tuple[str, JSONValue, JSONValue] | tuple[str, JSONValue, JSONValue, bool],
) -> tuple[FieldChange, ...]:
    """FieldChanges for (field, before, after[, unset_means_unmanaged]) that differ."""
    changes = []
    for spec in specs:
        name, before, after = spec[0], spec[1], spec[2]
        optional = len(spec) == 4 and bool(spec[3])
        if optional and after is None:
            continue
        if before != after:
            changes.append(FieldChange(name, before, after))
    return tuple(changes)
