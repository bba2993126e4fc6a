"""The lost-answer policy for one mutation, written once: what to do when monday's answer
never came.

monday may or may not have run a mutation whose answer was lost (``OutcomeUnknown``).
``settle`` sends it again, up to ``rounds`` times in all; before each new send it asks the
caller whether the mutation is ``already_done`` (a lookup by identity: the created object
found, the deleted column gone), so that a lost answer never makes a duplicate. A
mutation that only sets state (rename, move, archive) needs no lookup: sending it twice
is harmless. It lives here, below both ``apply`` and ``lease``, so that both use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from boardops.errors import OutcomeUnknown

# How many times in all a mutation whose answer was lost is sent (each send after the
# first preceded by the caller's lookup) before the loss is reported.
MAX_UNKNOWN_ROUNDS = 3

T = TypeVar("T")
D = TypeVar("D")


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
