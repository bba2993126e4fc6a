"""What the batched item handlers share (items, subitems, link values): a call waiting to
be sent, the journal entry for an answered call, the rule for an answer lost again and
again, and the loop that sends batches and reports progress.

Each handler keeps what is its own: how calls are built, which calls may go together in
a request (``take``), and how calls whose answer was lost are settled (``in_doubt``: a
create is looked for by match key, an update is simply sent again).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from boardops.apply.context import ApplyRun
from boardops.apply.events import BatchProgress
from boardops.apply.settle import MAX_UNKNOWN_ROUNDS
from boardops.monday import MutationCall, MutationResult
from boardops.plan import Action

A = TypeVar("A", bound=Action)


@dataclass(frozen=True)
class Pending(Generic[A]):
    """An action's call, and how many times in a row its answer was lost."""

    action: A
    call: MutationCall
    lost_rounds: int = 0


def lost_again(run: ApplyRun, entry: Pending[A]) -> Pending[A] | None:
    """``entry`` to send again after its answer was lost, or None once that has happened
    ``MAX_UNKNOWN_ROUNDS`` times (the action then fails, asking for another apply)."""
    if entry.lost_rounds + 1 >= MAX_UNKNOWN_ROUNDS:
        run.journal.failed(
            entry.action, f"the answer was lost {MAX_UNKNOWN_ROUNDS} times; run apply again"
        )
        return None
    return replace(entry, lost_rounds=entry.lost_rounds + 1)


def resend(run: ApplyRun, in_doubt: Sequence[Pending[A]]) -> list[Pending[A]]:
    """The lost-answer policy of calls that set state: send them again (up to the limit)."""
    return [again for entry in in_doubt if (again := lost_again(run, entry)) is not None]


def answered(run: ApplyRun, action: Action, result: MutationResult, *, creates: bool) -> None:
    """Journal an answered call; a create's new id is recorded under the action's address."""
    if result.error is not None:
        run.journal.failed(action, result.error)
        return
    data = result.data if isinstance(result.data, Mapping) else {}
    object_id = None if data.get("id") is None else str(data["id"])
    if creates and object_id is not None:
        run.refs.record(action.address, object_id)
    run.journal.completed(action, object_id)


Take = Callable[[list[Pending[A]]], tuple[list[Pending[A]], list[Pending[A]]]]


def send_all(
    run: ApplyRun,
    board: str,
    pending: list[Pending[A]],
    *,
    take: Take[A],
    on_answer: Callable[[A, MutationResult], None],
    in_doubt: Callable[[Sequence[Pending[A]]], list[Pending[A]]],
) -> None:
    """Send every pending call, a batch at a time (``take`` cuts the next one), settling
    answers and lost answers, with a progress event for ``board`` after each batch."""
    total, done = len(pending), 0
    while pending:
        batch, pending = take(pending)
        if not batch:
            continue
        sent = run.sender.batch(batch, lambda entry: entry.call)
        for entry, result in sent.answered:
            on_answer(entry.action, result)
        again = in_doubt(sent.in_doubt)
        done += len(sent.answered) + len(sent.in_doubt) - len(again)
        pending = again + list(sent.unsent) + pending
        run.journal.emit(BatchProgress(board, done, total))


def take_all(pending: list[Pending[A]]) -> tuple[list[Pending[A]], list[Pending[A]]]:
    """Everything at once (the client cuts it into requests of its batch size)."""
    return pending, []
