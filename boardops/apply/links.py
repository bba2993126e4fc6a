"""Writing link values (connect-boards, dependency): the ids of the items they link.

An item action's link values are written by ``codec.to_wire`` with the ids of the items
they link, resolved from the action's ``links`` (``ItemLink``: an id the plan knew, or
one recorded when this run created the item; see ``link_directory``). ``SetItemLinks``
(the second pass: values linking items this plan creates) runs after every board's
items are made (the executor runs them last), batched like other item values:
``change_multiple_column_values`` calls in aliased batches. Setting links is idempotent,
so a batch whose answer was lost is simply sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from boardops import codec
from boardops.apply.context import ApplyRun
from boardops.apply.events import BatchProgress
from boardops.apply.registry import handles_batch
from boardops.apply.settle import MAX_UNKNOWN_ROUNDS
from boardops.errors import BoardopsError
from boardops.links import LINK_TYPES
from boardops.model import Column, JSONValue
from boardops.monday import MutationCall
from boardops.plan import Action, ItemLink, SetItemLinks, board_key_of


def link_directory(
    run: ApplyRun, directory: codec.Directory, links: Sequence[ItemLink], column_key: str
) -> codec.Directory:
    """``directory`` with the ids of the items the value of ``column_key`` links."""
    ids = {link.link: run.refs.resolve(link.item) for link in links if link.column == column_key}
    return replace(directory, links=ids)


def value_wire(
    run: ApplyRun,
    column: Column,
    key: str,
    value: JSONValue,
    links: Sequence[ItemLink],
    directory: codec.Directory,
) -> JSONValue:
    """monday's write form of an item value (links by the ids of the items they name)."""
    if column.type in LINK_TYPES and value is not None:
        directory = link_directory(run, directory, links, key)
    return codec.to_wire(column, value, directory)


def _call(run: ApplyRun, action: SetItemLinks, directory: codec.Directory) -> MutationCall:
    board_id = run.refs.resolve(action.board)
    refs = {c.key: c.column for c in action.columns}
    values: dict[str, JSONValue] = {}
    for change in action.changes:
        column_id = run.refs.resolve(refs[change.field])
        column = run.columns.get(board_id, column_id)
        values[column_id] = value_wire(
            run, column, change.field, change.after, action.links, directory
        )
    return MutationCall(
        "change_multiple_column_values",
        {
            "board_id": board_id,
            "item_id": run.refs.resolve(action.item),
            "column_values": values,
        },
    )


@dataclass(frozen=True)
class _Pending:
    action: SetItemLinks
    call: MutationCall
    lost_rounds: int = 0


@handles_batch(SetItemLinks, key=lambda action: "links", announces=False)
def run_links(run: ApplyRun, actions: Sequence[Action]) -> None:
    """A board's second-pass link values, in aliased batches; lost answers sent again."""
    board = f"board.{board_key_of(actions[0].address)}"
    directory = run.directory(users=False)
    pending: list[_Pending] = []
    for action in actions:
        assert isinstance(action, SetItemLinks)
        run.journal.started(action)
        try:
            pending.append(_Pending(action, _call(run, action, directory)))
        except (BoardopsError, codec.CodecError) as error:
            run.journal.failed(action, error)
    total, answered = len(pending), 0
    size = max(1, run.client.batch_size)
    while pending:
        batch, pending = pending[:size], pending[size:]
        sent = run.sender.batch(batch, lambda entry: entry.call)
        for entry, result in sent.answered:
            if result.error is not None:
                run.journal.failed(entry.action, result.error)
            else:
                run.journal.completed(entry.action, run.refs.resolve(entry.action.item))
        again: list[_Pending] = []
        for entry in sent.in_doubt:
            if entry.lost_rounds + 1 >= MAX_UNKNOWN_ROUNDS:
                run.journal.failed(
                    entry.action, f"the answer was lost {MAX_UNKNOWN_ROUNDS} times; run apply again"
                )
            else:
                again.append(replace(entry, lost_rounds=entry.lost_rounds + 1))
        answered += len(sent.answered) + len(sent.in_doubt) - len(again)
        pending = again + list(sent.unsent) + pending
        run.journal.emit(BatchProgress(board, answered, total))
