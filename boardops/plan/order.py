"""Ordering actions by their dependencies, and the destroy guard.

Edges (``a -> b``: ``a`` runs before ``b``):

* an action that creates, replaces or moves the object at an address runs before every
  action holding an ``ObjectRef`` to that address (a new board before its columns, a
  new column before the items written to it, a group before the group placed after it);
* every label change on a column (deactivations and reorders included: they all go in
  the column's one update call) runs before item writes to that column (items are
  written by label id, read back after the labels changed);
* a link value (``ItemLink``, ``SetItemLinks``) is written after the items it links and
  the item it is on are created;
* a connect-boards column's create or settings update runs before a mirror column that
  names it, and a board or column a relation or mirror names is created first
  (``boardops.relations``);
* an item placed next to another one (``ItemPosition``) comes after that one's create or
  move, so the new items of a group are created in the manifest's order;
* a board's new subscribers are added before item values are written to it (monday
  refuses to assign people who are not members);
* a tag is created before the item values that name it are written (its id is written);
* item actions and group creates on a board run before any group on it is archived
  (children before parents; a board must keep at least one group);
* every board move runs before any folder is deleted (a folder is deleted only empty,
  and a board may be moved out of it first); a sub-folder is deleted before its parent.

Among the actions that are ready, the one that sorts first by (board, tier, address)
runs first, where tiers (each action type's ``tier``) read top-down: workspace, board,
columns, labels, groups and subscribers, items, then the removals. Label actions sort by
their column's address first, so that those of one column are consecutive (one update
call). Two runs therefore give the same sequence.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Iterator, Sequence

from boardops.errors import DependencyCycle, UnsafePlan
from boardops.plan.actions import (
    Action,
    AddBoardSubscribers,
    ArchiveGroup,
    ArchiveItem,
    CreateGroup,
    CreateItem,
    CreateSubitem,
    CreateTag,
    DeleteFolder,
    GroupPosition,
    ItemColumn,
    ItemLink,
    ItemPosition,
    LabelAction,
    MoveBoard,
    MoveItem,
    ObjectRef,
    UpdateColumn,
    UpdateItem,
    spec_refs,
)
from boardops.plan.plan import Plan, board_key_of
from boardops.plan.tags import tag_address, tag_names

_ITEM_ACTIONS = (CreateItem, UpdateItem, MoveItem, ArchiveItem)


_REF_FIELDS: dict[str, tuple[str, ...]] = {}


def _ref_fields(action_type: type[Action]) -> tuple[str, ...]:
    """The fields of an action type that can hold refs (worked out once per type)."""
    known = _REF_FIELDS.get(action_type.__name__)
    if known is None:
        holders = (
            "ObjectRef",
            "GroupPosition",
            "ItemColumn",
            "ItemPosition",
            "ColumnSpec",
            "RelationSpec",
            "MirrorSpec",
            "ItemLink",
        )
        known = tuple(
            f.name
            for f in dataclasses.fields(action_type)
            if any(holder in str(f.type) for holder in holders)
        )
        _REF_FIELDS[action_type.__name__] = known
    return known


def _refs(action: Action) -> Iterator[tuple[ObjectRef, bool]]:
    """Every ObjectRef inside an action, flagged when it names a column an item writes."""
    for name in _ref_fields(type(action)):
        value = getattr(action, name)
        if isinstance(value, ObjectRef):
            yield value, False
        elif isinstance(value, GroupPosition | ItemPosition):
            yield value.anchor, False
        elif isinstance(value, tuple):
            for element in value:
                if isinstance(element, ItemColumn):
                    yield element.column, True
                elif isinstance(element, ItemLink):
                    yield element.item, False
        else:  # a column spec: the boards and columns a relation or mirror names
            for ref in spec_refs(value):
                yield ref, False


def dependencies(actions: Sequence[Action]) -> list[set[int]]:
    """For each action (by index), the indexes of the actions that must run before it."""
    producers: dict[str, list[int]] = {}
    labels_by_column: dict[str, list[int]] = {}
    board_items: dict[str | None, list[int]] = {}
    subscribers: dict[str | None, int] = {}
    tags: dict[str, int] = {}
    for i, action in enumerate(actions):
        if action.kind in ("create", "replace", "move") or (
            isinstance(action, UpdateColumn) and action.relation is not None
        ):  # a connect-boards column's new boards come before a mirror showing them
            producers.setdefault(action.address, []).append(i)
        if isinstance(action, LabelAction):
            labels_by_column.setdefault(label_column_address(action), []).append(i)
        if isinstance(action, (*_ITEM_ACTIONS, CreateGroup)):
            board_items.setdefault(board_key_of(action.address), []).append(i)
        if isinstance(action, AddBoardSubscribers):
            subscribers[board_key_of(action.address)] = i
        if isinstance(action, CreateTag):
            tags[action.address] = i
    before: list[set[int]] = [set() for _ in actions]
    for i, action in enumerate(actions):
        if isinstance(action, (CreateItem, UpdateItem, CreateSubitem)):
            board = board_key_of(action.address)
            j = subscribers.get(board)
            if j is not None:
                before[i].add(j)
            if tags:
                for name in tag_names((action,)):
                    for address in (tag_address(name, board), tag_address(name)):
                        if address in tags:
                            before[i].add(tags[address])
        for ref, written_by_item in _refs(action):
            before[i].update(p for p in producers.get(ref.address, ()) if p != i)
            if written_by_item:
                before[i].update(labels_by_column.get(ref.address, ()))
        if isinstance(action, ArchiveGroup):
            before[i].update(board_items.get(board_key_of(action.address), ()))
        if isinstance(action, DeleteFolder):
            before[i].update(j for j, a in enumerate(actions) if isinstance(a, MoveBoard))
            before[i].update(
                j
                for j, a in enumerate(actions)
                if isinstance(a, DeleteFolder) and a.address.startswith(_sub_folder_prefix(action))
            )
    return before


def _sub_folder_prefix(action: DeleteFolder) -> str:
    """``workspace.x.folder[A/B]`` -> ``workspace.x.folder[A/B/``: its sub-folders' start."""
    return action.address[:-1] + "/"


def label_column_address(action: LabelAction) -> str:
    """The address of the column a label action changes."""
    cut = action.address.find(".label[")
    return action.address if cut == -1 else action.address[:cut]


def _sort_key(action: Action) -> tuple[str, int, str, str, str]:
    return (
        board_key_of(action.address) or "",
        action.tier,
        label_column_address(action) if isinstance(action, LabelAction) else action.address,
        action.address,
        type(action).__name__,
    )


def order_actions(actions: Sequence[Action]) -> tuple[Action, ...]:
    """The actions in an order that respects every dependency; raises DependencyCycle."""
    before = dependencies(actions)
    after: list[set[int]] = [set() for _ in actions]
    for i, needs in enumerate(before):
        for j in needs:
            after[j].add(i)
    waiting = [len(needs) for needs in before]
    ready = [(_sort_key(a), i) for i, a in enumerate(actions) if waiting[i] == 0]
    heapq.heapify(ready)
    ordered: list[Action] = []
    while ready:
        _, i = heapq.heappop(ready)
        ordered.append(actions[i])
        for j in after[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, (_sort_key(actions[j]), j))
    if len(ordered) < len(actions):
        raise DependencyCycle(_find_cycle(actions, before, waiting))
    return tuple(ordered)


def _find_cycle(actions: Sequence[Action], before: list[set[int]], waiting: list[int]) -> list[str]:
    """Addresses along one cycle among the actions that never became ready."""
    stuck = {i for i, n in enumerate(waiting) if n > 0}
    start = min(stuck, key=lambda i: _sort_key(actions[i]))
    path: list[int] = [start]
    seen = {start: 0}
    while True:
        nxt = min((j for j in before[path[-1]] if j in stuck), key=lambda j: _sort_key(actions[j]))
        if nxt in seen:
            cycle = [*path[seen[nxt] :], nxt]
            # ``before`` points backwards in time; show the cycle in running order.
            return [actions[i].address for i in reversed(cycle)]
        seen[nxt] = len(path)
        path.append(nxt)


def check_destroy(plan: Plan, *, allow_destroy: bool, max_destroy: int | None = None) -> None:
    """Refuse a plan that destroys without permission (``UnsafePlan``).

    ``allow_destroy`` is the command line's consent (``--allow-destroy``); ``max_destroy``
    caps the number of destructive actions even with consent (None: no cap).
    """
    destructive = [a.address for a in plan.actions if a.destructive]
    if not destructive:
        return
    shown = ", ".join(destructive[:5]) + (
        f" (and {len(destructive) - 5} more)" if len(destructive) > 5 else ""
    )
    if not allow_destroy:
        raise UnsafePlan(
            f"the plan destroys {len(destructive)} object(s) ({shown}); "
            "rerun with --allow-destroy to permit it"
        )
    if max_destroy is not None and len(destructive) > max_destroy:
        raise UnsafePlan(
            f"the plan destroys {len(destructive)} objects, more than the limit of "
            f"{max_destroy} ({shown})"
        )
