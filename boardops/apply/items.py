"""Item actions of one board, sent as aliased batches.

Each action becomes one mutation: ``create_item`` with all its values, or
``change_multiple_column_values`` with only the changed ones, ``move_item_to_group``,
``archive_item``. Values are written with ``codec.to_wire`` against the *live* column, so
status and dropdown labels go by their monday ids (read back when the column was created
or its labels changed). The client cuts the list into requests; a failed alias fails its
action only. When a batch's answer is lost, the creates in doubt are looked for by match
key and only those not found are sent again; the other item mutations set state and are
simply sent again.

Positions (``ItemPosition``: after the row before it, or before the first item that
stays put) are settled when a request is put together, from the ids known by then. An
anchor created in the same request has no id yet, so a new item follows the chain of new
items back to the first known anchor: ``before_at`` it (sent in the rows' order, each
lands just before it, after the ones before), or ``after_at`` it, for which the chain is
sent in reverse (each lands just after the anchor, before the ones sent earlier). A new
item with no anchor at all (the first of a group without existing items) is sent first,
with every such item of the board, and the ones after it wait for its id: at most one
request more per board. A move (``change_item_position``) needs its anchor's id.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from boardops import codec
from boardops.apply import recovery
from boardops.apply.context import ApplyRun
from boardops.apply.events import BatchProgress
from boardops.apply.links import value_wire
from boardops.apply.registry import handles_batch
from boardops.apply.settle import MAX_UNKNOWN_ROUNDS
from boardops.errors import BoardopsError
from boardops.model import NAME_KEY, Column, JSONValue
from boardops.monday import MutationCall, MutationResult
from boardops.plan import (
    Action,
    AdoptItem,
    ArchiveItem,
    CreateItem,
    ItemColumn,
    ItemPosition,
    MoveItem,
    UpdateItem,
    board_key_of,
)
from boardops.plan.tags import tag_names

ITEM_ACTIONS = (CreateItem, UpdateItem, MoveItem, AdoptItem, ArchiveItem)

# Calls handed to the client at a time, at least: a slice is a whole number of the client's
# batches (its size follows the server time measured), so no slice ends on a short request;
# the client splits it into requests of its batch size; between two slices apply reports
# progress.
SLICE = 100


@dataclass(frozen=True)
class _Pending:
    action: Action
    call: MutationCall
    lost_rounds: int = 0


def _item_columns(action: Action) -> tuple[ItemColumn, ...]:
    if isinstance(action, (CreateItem, UpdateItem)):
        return action.columns
    return ()


def _board_id(run: ApplyRun, action: Action) -> str:
    if isinstance(action, CreateItem):
        return run.refs.resolve(action.board)
    assert isinstance(action, (UpdateItem, MoveItem, AdoptItem, ArchiveItem))
    return action.board_id


def columns_by_key(run: ApplyRun, board_id: str, action: CreateItem) -> dict[str, Column]:
    return {c.key: run.columns.get(board_id, run.refs.resolve(c.column)) for c in action.columns}


def build_call(run: ApplyRun, action: Action, directory: codec.Directory) -> MutationCall:
    board_id = _board_id(run, action)
    if isinstance(action, CreateItem):
        columns = columns_by_key(run, board_id, action)
        values: dict[str, JSONValue] = {}
        for key, value in action.values.items():
            column = columns[key]
            wire = value_wire(run, column, key, value, action.links, directory)
            if wire is not None and column.id is not None:
                values[column.id] = wire
        args: dict[str, object] = {"board_id": board_id, "item_name": action.name}
        if action.group is not None:
            args["group_id"] = run.refs.resolve(action.group)
        if values:
            args["column_values"] = values
        return MutationCall("create_item", args)
    if isinstance(action, UpdateItem):
        refs = {c.key: c.column for c in action.columns}
        changed: dict[str, JSONValue] = {}
        for change in action.changes:
            if change.field == NAME_KEY:
                changed[NAME_KEY] = change.after
                continue
            column_id = run.refs.resolve(refs[change.field])
            column = run.columns.get(board_id, column_id)
            changed[column_id] = value_wire(
                run, column, change.field, change.after, action.links, directory
            )
        return MutationCall(
            "change_multiple_column_values",
            {"board_id": board_id, "item_id": action.item_id, "column_values": changed},
        )
    if isinstance(action, MoveItem):
        if action.position is not None:
            # The relative arguments are added when the request is put together.
            return MutationCall("change_item_position", {"item_id": action.item_id})
        return MutationCall(
            "move_item_to_group",
            {"item_id": action.item_id, "group_id": run.refs.resolve(action.to_group)},
        )
    assert isinstance(action, ArchiveItem)
    return MutationCall("archive_item", {"item_id": action.item_id})


@handles_batch(*ITEM_ACTIONS, key=lambda action: "items", announces=False)
def run_items(run: ApplyRun, actions: Sequence[Action]) -> None:
    """Every item action of one board's run, batched, in plan order (new items placed
    as the module docstring says)."""
    board = f"board.{board_key_of(actions[0].address)}"
    needs_users = any(c.type == "people" for a in actions for c in _item_columns(a))
    names = tag_names(actions)
    scope = None
    if names:
        try:
            scope = (board, _board_id(run, actions[0]))
        except BoardopsError:
            scope = None  # the board was not created: its actions fail below
    directory = run.directory(users=needs_users, tag_names=names, board=scope)
    pending: list[_Pending] = []
    for action in actions:
        if isinstance(action, AdoptItem):
            # Nothing to send: the item is taken as the row's (its UpdateItem writes).
            run.journal.started(action)
            run.journal.completed(action, action.item_id)
            continue
        try:
            pending.append(_Pending(action, build_call(run, action, directory)))
        except (BoardopsError, codec.CodecError) as error:
            run.journal.started(action)
            run.journal.failed(action, error)
    pending = _send_order(pending)
    creates = {a.address: a for a in actions if isinstance(a, CreateItem)}
    total, answered = len(pending), 0
    while pending:
        batch, pending = _next_batch(run, pending, creates)
        if not batch:
            continue
        for entry in batch:
            run.journal.started(entry.action)
        sent = run.sender.batch(batch, lambda entry: entry.call)
        for entry, result in sent.answered:
            _settle_answer(run, entry.action, result)
        again = _settle_in_doubt(run, sent.in_doubt, directory)
        answered += len(sent.answered) + len(sent.in_doubt) - len(again)
        pending = again + sent.unsent + pending
        run.journal.emit(BatchProgress(board, answered, total))


def _position_of(action: Action) -> ItemPosition | None:
    return action.position if isinstance(action, (CreateItem, MoveItem)) else None


def _send_order(entries: Sequence[_Pending]) -> list[_Pending]:
    """Plan order, except: new items without an anchor go first (the ones after them need
    their ids), and each chain of new items that ends on an ``after`` anchor (or on such
    a first item) is sent in reverse, in the places the chain holds."""
    creates = {e.action.address: e.action for e in entries if isinstance(e.action, CreateItem)}

    roots: dict[str, CreateItem] = {}  # each chain walked once: linear, not quadratic

    def root(action: CreateItem) -> CreateItem:
        seen: set[str] = set()
        path: list[str] = []
        while True:
            position = action.position
            if (
                position is None
                or position.anchor.id is not None
                or position.anchor.address not in creates
                or action.address in seen
            ):
                break
            known = roots.get(action.address)
            if known is not None:
                action = known
                break
            seen.add(action.address)
            path.append(action.address)
            action = creates[position.anchor.address]
        for address in path:
            roots[address] = action
        return action

    heads = [e for e in entries if isinstance(e.action, CreateItem) and e.action.position is None]
    rest = [
        e for e in entries if not (isinstance(e.action, CreateItem) and e.action.position is None)
    ]
    chains: dict[str, list[int]] = {}
    for i, entry in enumerate(rest):
        if isinstance(entry.action, CreateItem):
            first = root(entry.action)
            if first.position is None or first.position.relation == "after":
                chains.setdefault(first.address, []).append(i)
    for slots in chains.values():
        members = [rest[i] for i in slots]
        for i, member in zip(slots, reversed(members), strict=True):
            rest[i] = member
    return heads + rest


_WAIT = "wait"


_Anchor = tuple[str, str] | str | None


def _anchor(
    run: ApplyRun,
    action: Action,
    creates: Mapping[str, CreateItem],
    memo: dict[str, _Anchor] | None = None,
) -> _Anchor:
    """(relation, anchor id) for ``action`` now; None: no anchor left (a create goes to
    its group's default place); ``_WAIT``: the anchor is still to be created. ``memo``
    keeps, for the creates walked through, where their own anchors lead (valid while
    nothing is created or fails), so a chain of n new items is walked once, not n times."""
    position = _position_of(action)
    walk = isinstance(action, CreateItem)
    seen: set[str] = set()
    path: list[str] = []
    found: _Anchor = None
    while position is not None:
        ref = position.anchor
        anchor_id = ref.id or run.refs.recorded(ref.address)
        if anchor_id is not None:
            found = (position.relation, anchor_id)
            break
        before = creates.get(ref.address)
        if before is None or ref.address in seen:
            break
        seen.add(ref.address)
        if not run.journal.finished(before) and (not walk or before.position is None):
            found = _WAIT
            break
        if walk and memo is not None and ref.address in memo:
            found = memo[ref.address]
            break
        # Failed (no id), or queued in the right order: its own anchor places us too.
        path.append(ref.address)
        position = before.position
    if walk and memo is not None:
        for address in path:
            memo[address] = found
    return found


def _placed(
    run: ApplyRun,
    entry: _Pending,
    creates: Mapping[str, CreateItem],
    memo: dict[str, _Anchor] | None = None,
) -> _Pending | None:
    """The entry with its position arguments; None: it must wait for an anchor's id."""
    if _position_of(entry.action) is None:
        return entry
    anchor = _anchor(run, entry.action, creates, memo)
    if anchor == _WAIT:
        return None
    args = dict(entry.call.args)
    if isinstance(anchor, tuple):
        relation, anchor_id = anchor
        args["position_relative_method"] = "after_at" if relation == "after" else "before_at"
        args["relative_to"] = anchor_id
    elif isinstance(entry.action, MoveItem):
        move = entry.action
        args = {"item_id": move.item_id, "group_id": run.refs.resolve(move.to_group)}
        return replace(entry, call=MutationCall("move_item_to_group", args))
    return replace(entry, call=replace(entry.call, args=args))


def slice_size(batch_size: int) -> int:
    """How many calls a slice holds when the client's batches hold ``batch_size``."""
    return batch_size * max(1, math.ceil(SLICE / batch_size))


def _next_batch(
    run: ApplyRun, pending: list[_Pending], creates: Mapping[str, CreateItem]
) -> tuple[list[_Pending], list[_Pending]]:
    """Up to a slice of entries ready to go, cut before one whose anchor is in the batch."""
    batch: list[_Pending] = []
    consumed = 0
    size = slice_size(run.client.batch_size)
    memo: dict[str, _Anchor] = {}
    for entry in pending:
        if len(batch) >= size:
            break
        try:
            placed = _placed(run, entry, creates, memo)
        except BoardopsError as error:
            consumed += 1
            run.journal.started(entry.action)
            run.journal.failed(entry.action, error)
            memo.clear()  # a failure changes where anchors lead
            continue
        if placed is None:
            if batch:
                break
            # Nothing ahead of it can bring the anchor: placed without it.
            placed = _unplaced(run, entry)
        batch.append(placed)
        consumed += 1
    return batch, pending[consumed:]


def _unplaced(run: ApplyRun, entry: _Pending) -> _Pending:
    action = entry.action
    if isinstance(action, MoveItem):
        args = {"item_id": action.item_id, "group_id": run.refs.resolve(action.to_group)}
        return replace(entry, call=MutationCall("move_item_to_group", args))
    return entry


def _settle_answer(run: ApplyRun, action: Action, result: MutationResult) -> None:
    if result.error is not None:
        run.journal.failed(action, result.error)
        return
    data = result.data if isinstance(result.data, Mapping) else {}
    object_id = None if data.get("id") is None else str(data["id"])
    if isinstance(action, CreateItem) and object_id is not None:
        run.refs.record(action.address, object_id)
    run.journal.completed(action, object_id)


def _settle_in_doubt(
    run: ApplyRun, in_doubt: Sequence[_Pending], directory: codec.Directory
) -> list[_Pending]:
    """Creates found on the board are done; the rest go back to be sent again."""
    if not in_doubt:
        return []
    creates = [e for e in in_doubt if isinstance(e.action, CreateItem)]
    found: dict[str, str] = {}
    if creates:
        first = creates[0].action
        assert isinstance(first, CreateItem)
        board_id = run.refs.resolve(first.board)
        keyed = []
        for entry in creates:
            assert isinstance(entry.action, CreateItem)
            keyed.append((entry.action, columns_by_key(run, board_id, entry.action)))
        found = recovery.find_items(run.client, board_id, keyed, directory)
    again: list[_Pending] = []
    for entry in in_doubt:
        action = entry.action
        if isinstance(action, CreateItem) and action.match_key in found:
            item_id = found[action.match_key]
            run.refs.record(action.address, item_id)
            run.journal.completed(action, item_id, recovered=True)
        elif entry.lost_rounds + 1 >= MAX_UNKNOWN_ROUNDS:
            run.journal.failed(
                action, f"the answer was lost {MAX_UNKNOWN_ROUNDS} times; run apply again"
            )
        else:
            again.append(_Pending(action, entry.call, entry.lost_rounds + 1))
    return again
