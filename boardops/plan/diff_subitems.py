"""The diff of a board's subitems (see ``plan.diff``): the subitems board, its columns,
and the subitems under each declared row, by match key.

A board's subitems live on a board of their own. Its columns are planned by the column
diff and its subitems, parent by parent, by the item diff (``diff_items``), run on a
stand-in board ``KEY.subitems`` whose items are one parent's subitems; what they plan is
then moved to subitem addresses (``board.KEY.item[P].subitem[M]``), and creates become
``CreateSubitem`` under their parent. Subitems have no groups, and no place of their own
is managed (``create_subitem`` appends).

Order: when the parent board has no subitems board yet, ``CreateSubitemsBoard`` makes it
(monday makes the board with the parent's ``subtasks`` column) before its columns are
created; subitems come after their parent item and the columns their values name (the
plan's refs order them, see ``plan.order``). Rows that leave ``subitems:`` out are left
alone, as are the subitems of live items the manifest does not name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from boardops.model import (
    Board,
    Item,
    ItemSet,
    Subitems,
    item_address,
    subitems_board_address,
)
from boardops.plan.actions import (
    Action,
    AdoptItem,
    CreateItem,
    CreateSubitem,
    CreateSubitemsBoard,
    MoveItem,
    ObjectRef,
    Unmanaged,
)
from boardops.plan.diff_base import DiffResult
from boardops.plan.diff_items import ItemsDiff


def _previous(action: CreateItem) -> ObjectRef | None:
    """The row before a new subitem, when it is new too (then it has no id)."""
    position = action.position
    if position is None or position.relation != "after" or position.anchor.id is not None:
        return None
    return position.anchor


class SubitemsDiff(ItemsDiff):
    """The stand-in board's diff; ``parent`` is the item whose subitems it compares."""

    parent: ObjectRef | None = None

    def emit(self, action: Action) -> None:
        if isinstance(action, CreateItem):
            assert self.parent is not None
            action = CreateSubitem(
                address=action.address,
                board=action.board,
                parent=self.parent,
                name=action.name,
                match_by=action.match_by,
                match_key=action.match_key,
                values=action.values,
                columns=action.columns,
                after=_previous(action),
            )
        elif isinstance(action, MoveItem):
            return  # subitems have no groups, and their place is not managed
        super().emit(action)


def plan_subitems(board_diff: ItemsDiff, live_by_key: Mapping[str, Sequence[Item]]) -> None:
    """Plan the subitems of ``board_diff``'s board (whose ``subitems`` is declared).

    ``live_by_key``: the board's live items by match key (from its item diff)."""
    board, found = board_diff.board, board_diff.found
    subitems = board.subitems
    assert subitems is not None
    address = subitems_board_address(board.key)
    live_subitems = found.subitems if found is not None else None
    stand_in = Board(
        key=f"{board.key}.subitems",
        name=f"Subitems of {board.name}",
        columns=subitems.columns,
        items=_item_set(subitems, ()),
    )
    live_board = (
        None
        if live_subitems is None or live_subitems.id is None
        else Board(
            key=stand_in.key,
            name=stand_in.name,
            id=live_subitems.id,
            columns=live_subitems.columns,
            items=ItemSet(),
        )
    )
    diff = SubitemsDiff(
        stand_in,
        live_board,
        board_diff.desired,
        board_diff.live,
        board_diff.directory,
        board_diff.options,
        board_diff.out,
    )
    board_diff.out.fact(address, "exists", "no" if live_board is None else "yes")
    if live_board is not None:
        board_diff.out.fact(address, "id", live_board.id)
    if live_board is None:
        diff.emit(CreateSubitemsBoard(address=address, board=board_diff.ref))
    diff._diff_columns()
    if board.items is None or not board_diff.options.compare_items:
        return
    # A live item adopted as a row's (its key columns were empty) is that row's parent.
    adopted = {a.address: a.item_id for a in board_diff.out.actions if isinstance(a, AdoptItem)}
    live_rows = {str(r.id): r for r in found.items.rows} if found and found.items else {}
    for row in board.items.rows:
        if row.subitems is None:
            continue
        key = board_diff._desired_key(row, item_address(board.key, row.name))
        parents = live_by_key.get(key, ())
        parent = parents[0] if len(parents) == 1 else None
        taken = adopted.get(item_address(board.key, key))
        if parent is None and taken is not None:
            parent = live_rows.get(taken)
        _plan_parent(diff, board_diff, subitems, board.key, key, row, parent, live_board)


def _plan_parent(
    diff: SubitemsDiff,
    outer: ItemsDiff,
    subitems: Subitems,
    board_key: str,
    parent_key: str,
    row: Item,
    parent: Item | None,
    live_board: Board | None,
) -> None:
    """One parent's subitems, planned on the stand-in board and moved to their address."""
    assert row.subitems is not None
    target = outer.out
    out = DiffResult()
    diff.out = out
    diff.parent = ObjectRef(
        item_address(board_key, parent_key), str(parent.id) if parent is not None else None
    )
    live_rows = parent.subitems if parent is not None and parent.subitems is not None else ()
    diff.board = dataclasses.replace(diff.board, items=_item_set(subitems, row.subitems))
    if live_board is not None:
        diff.found = dataclasses.replace(live_board, items=ItemSet(rows=tuple(live_rows)))
    diff._hidden_keys = set()
    try:
        live_by_key = diff._index_live_items()
        diff._diff_items(live_by_key)
    finally:
        diff.out = target
    old = f"{diff.address}.item["
    new = f"{item_address(board_key, parent_key)}.subitem["
    move = _Mover(old, new)
    for action in out.actions:
        action = dataclasses.replace(action, address=move(action.address))
        if isinstance(action, CreateSubitem) and action.after is not None:
            action = dataclasses.replace(action, after=ObjectRef(move(action.after.address)))
        target.actions.append(action)
    for unmanaged in out.unmanaged:
        target.unmanaged.append(
            Unmanaged(address=move(unmanaged.address), kind="subitem", reason=unmanaged.reason)
        )
    target.warnings.extend(w.replace(old, new) for w in out.warnings)
    # People the subitems assign: members of the parent board, planned with its own.
    for token, address in diff._assigned.items():
        outer._assigned.setdefault(token, move(address))
    diff._assigned = {}
    for fact in out.facts:
        target.facts.append(dataclasses.replace(fact, address=move(fact.address)))


def _item_set(subitems: Subitems, rows: Sequence[Item]) -> ItemSet:
    return ItemSet(
        rows=tuple(rows), match_by=subitems.match_by, mode=subitems.mode, prune=subitems.prune
    )


class _Mover:
    """Moves ``board.KEY.subitems.item[M]`` to ``board.KEY.item[P].subitem[M]``."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new

    def __call__(self, address: str) -> str:
        return self.new + address[len(self.old) :] if address.startswith(self.old) else address
