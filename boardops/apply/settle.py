"""The lost-answer policy as apply uses it: ``settle`` (from ``boardops.monday.settle``,
where ``lease`` uses it too) for one mutation whose answer was lost, and ``partition`` to
split a lost batch into what was answered, what is in doubt and what was never sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from boardops.monday import BatchOutcomeUnknown, MutationResult
from boardops.monday.settle import MAX_UNKNOWN_ROUNDS, settle

# ``update_workspace`` is sent at most twice: one retry, as apply has always done.
WORKSPACE_UPDATE_ROUNDS = 2

__all__ = [
    "MAX_UNKNOWN_ROUNDS",
    "WORKSPACE_UPDATE_ROUNDS",
    "BatchAnswer",
    "answered",
    "partition",
    "settle",
]

E = TypeVar("E")


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
