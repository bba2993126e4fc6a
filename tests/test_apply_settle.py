"""The lost-answer policy, written once (``boardops.apply.settle``): what is sent, looked up
and raised when monday's answers are lost, and how a lost batch is split."""

from __future__ import annotations

import pytest

from boardops.apply.settle import MAX_UNKNOWN_ROUNDS, partition, settle
from boardops.errors import ApplyError, OutcomeUnknown
from boardops.monday import BatchOutcomeUnknown, MutationCall, MutationResult


class Script:
    """A call whose first ``lost`` answers are lost; it records every step."""

    def __init__(self, lost: int, *, done_after: int | None = None) -> None:
        self.lost = lost
        self.done_after = done_after
        self.steps: list[str] = []

    def call(self) -> str:
        self.steps.append("send")
        if self.steps.count("send") <= self.lost:
            raise OutcomeUnknown("answer lost")
        return "answer"

    def already_done(self) -> str | None:
        self.steps.append("look")
        if self.done_after is not None and self.steps.count("look") >= self.done_after:
            return "found"
        return None


def test_an_answered_call_is_sent_once() -> None:
    script = Script(lost=0)
    assert settle(script.call, already_done=script.already_done) == "answer"
    assert script.steps == ["send"]


def test_a_call_that_sets_state_is_sent_again_until_the_rounds_run_out() -> None:
    script = Script(lost=MAX_UNKNOWN_ROUNDS - 1)
    assert settle(script.call) == "answer"
    assert script.steps == ["send"] * MAX_UNKNOWN_ROUNDS
    script = Script(lost=2)
    with pytest.raises(OutcomeUnknown):
        settle(script.call, rounds=2)
    assert script.steps == ["send", "send"]


def test_each_send_after_a_loss_is_preceded_by_the_lookup() -> None:
    script = Script(lost=2)
    assert settle(script.call, already_done=script.already_done) == "answer"
    assert script.steps == ["send", "look", "send", "look", "send"]


def test_what_the_lookup_finds_settles_the_call() -> None:
    script = Script(lost=5, done_after=2)
    assert settle(script.call, already_done=script.already_done) == "found"
    assert script.steps == ["send", "look", "send", "look"]


def test_the_last_loss_is_raised_without_a_lookup() -> None:
    script = Script(lost=5)
    with pytest.raises(OutcomeUnknown):
        settle(script.call, already_done=script.already_done)
    assert script.steps == ["send", "look", "send", "look", "send"]


def test_give_up_looks_after_the_last_loss_too_and_raises_its_error() -> None:
    script = Script(lost=5)
    with pytest.raises(ApplyError, match="lost 3 times"):
        settle(
            script.call,
            already_done=script.already_done,
            give_up=lambda: ApplyError("x", "lost 3 times"),
        )
    assert script.steps == ["send", "look"] * MAX_UNKNOWN_ROUNDS


def test_a_lost_batch_splits_into_answered_in_doubt_and_unsent() -> None:
    calls = [MutationCall("archive_item", {"item_id": str(n)}) for n in range(5)]
    answered = [MutationResult(f"m{n}", calls[n], {"id": str(n)}) for n in range(2)]
    lost = BatchOutcomeUnknown(
        "lost",
        in_doubt_calls=[("m2", calls[2]), ("m3", calls[3])],
        completed=answered,
        not_sent=[calls[4]],
    )
    split = partition(["a", "b", "c", "d", "e"], lost)
    assert split.answered == [("a", answered[0]), ("b", answered[1])]
    assert split.in_doubt == ["c", "d"]
    assert split.unsent == ["e"]
