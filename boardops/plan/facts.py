"""What each plan action depends on: the rule a saved plan's staleness is judged by.

The diff records *facts* about the live state it compared (``FingerprintEntry``: an
``aspect`` of the object at an ``address`` had a ``value``). Most of them do not matter to
a given plan: an item the plan leaves alone may be edited, a group nobody touches renamed,
an unmanaged item added, and the plan is still exactly what the diff would give. So a
plan keeps only the facts its actions depend on (``relevant``), and ``check_fresh``
compares only those (``moved``).

``depends_on(action)`` maps each address the action depends on to the aspects of it that
matter:

* its own address: the object it creates (that it does not exist yet: one that appeared
  under that address counts as moved), changes, moves or removes;
* its board's identity (``exists``, ``id``), for everything on a board;
* the identity of every object it references (``ObjectRef``: a workspace, a board, a
  group or item it is placed next to or moved into, a column it is created after);
* the live column it changes or whose labels it changes (type, title, description,
  revision: monday moves a column's revision on every settings change, labels included),
  and for item actions every live column they write;
* the live group it renames, recolours, moves or archives;
* for a link value (``ItemLink``), the identity of each item it links; for the second
  pass (``SetItemLinks``), the values of the item it writes.

What a removal loses is part of what was reviewed: the items an archived group holds and
the values of a deleted or replaced column are dependencies too. A board's ``updated_at``
never is (it moves on any edit anywhere on the board).

Addresses are the plan's (``boardops.model``); existing columns and groups also have
facts at the address of their monday id (``board.KEY.column.ID``), and each declared one
a ``matches`` fact at its own address saying which live object it matched.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set

from boardops.model import board_address, column_address, group_address
from boardops.plan.actions import (
    Action,
    AddBoardOwners,
    AddBoardSubscribers,
    AddDropdownLabel,
    AddStatusLabel,
    AddWorkspaceMembers,
    AdoptBoard,
    AdoptItem,
    AdoptWorkspace,
    ArchiveGroup,
    ArchiveItem,
    CreateBoard,
    CreateColumn,
    CreateFolder,
    CreateGroup,
    CreateItem,
    CreateSubitem,
    CreateSubitemsBoard,
    CreateTag,
    CreateWorkspace,
    DeactivateDropdownLabel,
    DeactivateStatusLabel,
    DeleteColumn,
    DeleteFolder,
    ItemColumn,
    LabelAction,
    MoveBoard,
    MoveGroup,
    MoveItem,
    ObjectRef,
    ReactivateDropdownLabel,
    RemoveBoardMembers,
    RemoveWorkspaceMembers,
    RenameDropdownLabel,
    RenameStatusLabel,
    ReorderLabels,
    ReplaceColumn,
    SetBoardRole,
    SetItemLinks,
    UpdateBoard,
    UpdateColumn,
    UpdateColumnSettings,
    UpdateFolder,
    UpdateGroup,
    UpdateItem,
    UpdateStatusLabel,
    UpdateWorkspace,
)
from boardops.plan.plan import FingerprintEntry, board_key_of

Aspects = frozenset[str]

# That an object is there, and which one: what a reference to it depends on.
IDENTITY: Aspects = frozenset({"exists", "id", "matches"})
_WORKSPACE: Aspects = frozenset({"exists", "id", "name", "kind", "description"})
_BOARD: Aspects = frozenset({"exists", "id", "name", "description", "workspace"})
_COLUMN: Aspects = frozenset({"matches", "type", "title", "description", "revision"})
_GROUP: Aspects = frozenset({"matches", "title", "color"})
_ITEM: Aspects = frozenset({"id", "values"})
_FOLDER: Aspects = frozenset({"exists", "id", "name", "color"})
_NOTHING: Aspects = frozenset()

# Per action type: the aspects of the object at its own address it depends on.
_OWN: Mapping[type[Action], Aspects] = {
    CreateWorkspace: _WORKSPACE,
    UpdateWorkspace: _WORKSPACE,
    AdoptWorkspace: _WORKSPACE,
    CreateBoard: _BOARD,
    UpdateBoard: _BOARD | {"item_nickname"},
    AdoptBoard: _BOARD,
    MoveBoard: _BOARD | {"folder"},
    CreateFolder: _FOLDER,
    UpdateFolder: _FOLDER,
    DeleteFolder: _FOLDER | {"boards", "sub_folders"},
    CreateColumn: _COLUMN,
    UpdateColumn: _COLUMN,
    UpdateColumnSettings: _COLUMN,  # settings and width move the revision
    ReplaceColumn: _COLUMN,
    DeleteColumn: _COLUMN | {"filled"},  # addressed by its monday id
    # A label has no facts of its own: its column's revision covers it (see _live_objects).
    AddStatusLabel: _NOTHING,
    RenameStatusLabel: _NOTHING,
    UpdateStatusLabel: _NOTHING,
    DeactivateStatusLabel: _NOTHING,
    AddDropdownLabel: _NOTHING,
    RenameDropdownLabel: _NOTHING,
    ReactivateDropdownLabel: _NOTHING,
    DeactivateDropdownLabel: _NOTHING,
    ReorderLabels: _COLUMN,
    CreateGroup: _GROUP,
    UpdateGroup: _GROUP,
    MoveGroup: _GROUP,
    ArchiveGroup: frozenset({"title", "items"}),  # addressed by its monday id
    AddBoardSubscribers: frozenset({"users", "teams"}),
    AddBoardOwners: frozenset({"users", "teams"}),
    RemoveBoardMembers: frozenset({"users", "teams"}),
    SetBoardRole: frozenset({"permissions"}),
    AddWorkspaceMembers: frozenset({"users", "teams"}),
    RemoveWorkspaceMembers: frozenset({"users", "teams"}),
    CreateTag: _NOTHING,  # create_or_get_tag returns the tag when it exists
    CreateItem: _ITEM,
    UpdateItem: _ITEM,
    MoveItem: _ITEM | {"position"},
    AdoptItem: _ITEM,
    ArchiveItem: _ITEM,
    # Addressed by its item's address + ".links": the item's values (see _live_objects).
    SetItemLinks: _NOTHING,
    # The subitems board (``board.KEY.subitems``) has facts of its own: exists and id.
    CreateSubitemsBoard: frozenset({"exists", "id"}),
    CreateSubitem: _ITEM,
}


def depends_on(action: Action) -> dict[str, Aspects]:
    """The addresses ``action`` depends on, each with the aspects of it that matter."""
    needs: dict[str, Aspects] = {}

    def need(address: str, aspects: Aspects) -> None:
        if aspects:
            needs[address] = needs.get(address, _NOTHING) | aspects

    need(action.address, _OWN[type(action)])
    board = board_key_of(action.address)
    if board is not None:
        need(board_address(board), IDENTITY)
    for address, aspects in _references(action, board):
        need(address, aspects)
    if board is not None:
        for address, aspects in _live_objects(action, board):
            need(address, aspects)
    return needs


def _references(action: Action, board: str | None) -> Iterator[tuple[str, Aspects]]:
    """Every ``ObjectRef`` in the action's fields (nested ones too); the columns an item
    action writes, when they exist, also by their monday id."""
    pending: list[object] = [getattr(action, f.name) for f in dataclasses.fields(action)]
    while pending:
        value = pending.pop()
        if isinstance(value, ObjectRef):
            yield value.address, IDENTITY
        elif isinstance(value, ItemColumn):
            if board is not None and value.column.id is not None:
                yield column_address(board, value.column.id), _COLUMN
            pending.append(value.column)
        elif isinstance(value, tuple):
            pending.extend(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            pending.extend(getattr(value, f.name) for f in dataclasses.fields(value))


def _live_objects(action: Action, board: str) -> Iterator[tuple[str, Aspects]]:
    """The existing column or group an action changes, at its monday id's address."""
    if isinstance(action, UpdateColumn | LabelAction):
        yield column_address(board, action.column_id), _COLUMN
    elif isinstance(action, ReplaceColumn):
        yield column_address(board, action.column_id), _COLUMN | {"filled"}
    elif isinstance(action, UpdateColumnSettings) and action.column.id is not None:
        yield column_address(board, action.column.id), _COLUMN
    elif isinstance(action, UpdateGroup):
        yield group_address(board, action.group_id), _GROUP
    elif isinstance(action, MoveGroup):
        yield group_address(board, action.group_id), frozenset({"position"})
    elif isinstance(action, SetItemLinks):
        yield action.item.address, _ITEM


class Dependents:
    """Which of ``actions`` depend on each fact."""

    def __init__(self, actions: Iterable[Action]) -> None:
        self._by_address: dict[str, list[tuple[Action, Aspects]]] = {}
        for action in actions:
            for address, aspects in depends_on(action).items():
                self._by_address.setdefault(address, []).append((action, aspects))

    def __bool__(self) -> bool:
        return bool(self._by_address)

    def of(self, address: str, aspect: str) -> list[Action]:
        return self.of_any(address, {aspect})

    def of_any(self, address: str, aspects: Set[str]) -> list[Action]:
        """The actions that depend on one of ``aspects`` of the object at ``address``."""
        return [
            a for a, needed in self._by_address.get(address, ()) if not needed.isdisjoint(aspects)
        ]

    def relevant(self, facts: Iterable[FingerprintEntry]) -> list[FingerprintEntry]:
        """The facts some action depends on."""
        by_address = self._by_address
        return [
            e
            for e in facts
            if any(e.aspect in needed for _, needed in by_address.get(e.address, ()))
        ]


def moved(
    then: Sequence[FingerprintEntry], now: Sequence[FingerprintEntry], dependents: Dependents
) -> list[str]:
    """What changed between two sets of facts, among those ``dependents`` depend on: one
    line per fact (per object, for one that appeared, went or stopped existing), naming
    the first action that depends on it."""
    before: dict[str, dict[str, str]] = {}
    after: dict[str, dict[str, str]] = {}
    for facts, into in ((then, before), (now, after)):
        for entry in dependents.relevant(facts):
            into.setdefault(entry.address, {})[entry.aspect] = entry.value
    lines: list[str] = []
    for address in sorted(before.keys() | after.keys()):
        old, new = before.get(address, {}), after.get(address, {})
        if old == new:
            continue
        if not new:
            changes = [("exists", f"{address} is gone")]
        elif not old:
            changes = [("exists", f"{address} appeared")]
        elif old.get("exists", "yes") != new.get("exists", "yes"):
            was, now_is = old.get("exists", "yes"), new.get("exists", "yes")
            changes = [("exists", f"{address} exists {was} -> {now_is}")]
        else:
            changes = [
                (aspect, _change(address, aspect, old.get(aspect), new.get(aspect)))
                for aspect in sorted(old.keys() | new.keys())
                if old.get(aspect) != new.get(aspect)
            ]
        for aspect, what in changes:
            known = {aspect} if aspect in old or aspect in new else old.keys() | new.keys()
            lines.append(f"{what} ({_needed_by(dependents.of_any(address, known))})")
    return lines


def _change(address: str, aspect: str, old: str | None, new: str | None) -> str:
    if aspect == "values":
        return f"{address} changed"
    return f"{address} {aspect} {_shown(old)} -> {_shown(new)}"


def _shown(value: str | None) -> str:
    return "(not read)" if value is None else value or "(none)"


def _needed_by(actions: Sequence[Action]) -> str:
    first = actions[0].address
    more = len(actions) - 1
    return f"needed by {first}" + (f" and {more} more action{'s' * (more > 1)}" if more else "")
