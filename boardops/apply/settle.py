"""The lost-answer policy, written once: what apply does when monday's answer never came.

monday may or may not have run a mutation whose answer was lost (``OutcomeUnknown``).
``settle`` sends it again, up to ``rounds`` times in all; before each new send it asks the
caller whether the mutation is ``already_done`` (a lookup by identity: the created object
found, the deleted column gone), so that a lost answer never makes a duplicate. A
mutation that only sets state (rename, move, archive) needs no lookup: sending it twice
is harmless. ``partition`` splits a lost batch into what was answered, what is in doubt
and what was never sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from boardops.errors import OutcomeUnknown
from boardops.monday import BatchOutcomeUnknown, MutationResult

# How many times in all a mutation whose answer was lost is sent (each send after the
# first preceded by the caller's lookup) before the loss is reported.
MAX_UNKNOWN_ROUNDS = 3
# ``update_workspace`` is sent at most twice: one retry, as apply has always done.
WORKSPACE_UPDATE_ROUNDS = 2

T = TypeVar("T")
D = TypeVar("D")
E = TypeVar("E")


def settle(
    call: Callable[[], T],
    *,
    already_done: Callable[[], D | None] | None = None,
    rounds: int = MAX_UNKNOWN_ROUNDS,
    give_up: Callable[[], BaseException] | None = None,
) -> T | D:
    """``call()``'s answer; when it is lost, what ``already_done()`` found (any true value
    means done), else ``call()`` again, up to ``rounds`` sends in all.

    The last send's loss is raised as it is; with ``give_up``, it is looked up too and,
    when nothing is found, ``give_up()`` is raised instead.
    """
    for round_ in range(1, rounds + 1):
        try:
            return call()
        except OutcomeUnknown:
            if round_ == rounds and give_up is None:
                raise
            if already_done is not None:
                done = already_done()
                if done:
                    return done
    assert give_up is not None
    raise give_up()


@dataclass(frozen=True)
class BatchAnswer(Generic[E]):
    """A batch's entries by what became of them: answered (with their results), in doubt
    (sent, answer lost) and unsent (never left the client)."""

    answered: list[tuple[E, MutationResult]]
    in_doubt: list[E]
    unsent: list[E]


def answered(entries: Sequence[E], results: Sequence[MutationResult]) -> BatchAnswer[E]:
    return BatchAnswer(list(zip(entries, results, strict=True)), [], [])


def partition(entries: Sequence[E], lost: BatchOutcomeUnknown) -> BatchAnswer[E]:
    """``entries`` (in the order their calls were sent) split by ``lost``."""
    known = len(lost.completed)
    doubt_end = known + len(lost.in_doubt_calls)
    return BatchAnswer(
        list(zip(entries[:known], lost.completed, strict=True)),
        list(entries[known:doubt_end]),
        list(entries[doubt_end:]),
    )
