"""Running ``CreateTag``: the tags a plan's item values need, made before the items.

``create_or_get_tag`` returns the tag when it exists already, so a lost answer is settled
by sending the call again: it never makes a second tag. Consecutive tags of one scope
(the account, or one private or shareable board) go in one batch.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from boardops.apply.context import ApplyRun
from boardops.apply.registry import handles_batch
from boardops.apply.settle import MAX_UNKNOWN_ROUNDS
from boardops.monday import MutationCall, MutationResult
from boardops.plan.actions import Action, CreateTag


def tag_scope(action: Action) -> Hashable:
    assert isinstance(action, CreateTag)
    return "account" if action.board is None else action.board.address


@handles_batch(CreateTag, key=tag_scope)
def create_tags(run: ApplyRun, actions: Sequence[Action]) -> None:
    tags = [a for a in actions if isinstance(a, CreateTag)]
    board_id = None if tags[0].board is None else run.refs.resolve(tags[0].board)
    pending = list(tags)
    for _ in range(MAX_UNKNOWN_ROUNDS):
        sent = run.sender.batch(pending, lambda tag: _call(tag.name, board_id))
        for tag, result in sent.answered:
            _settle(run, tag, board_id, result)
        # The rest is sent again: create_or_get_tag cannot make a second tag.
        pending = [*sent.in_doubt, *sent.unsent]
        if not pending:
            return
    for tag in pending:
        run.journal.failed(
            tag, f"create_or_get_tag: the answer was lost {MAX_UNKNOWN_ROUNDS} times"
        )


def _call(name: str, board_id: str | None) -> MutationCall:
    variables: dict[str, object] = {"tag_name": name}
    if board_id is not None:
        variables["board_id"] = board_id
    return MutationCall("create_or_get_tag", variables)


def _settle(run: ApplyRun, tag: CreateTag, board_id: str | None, result: MutationResult) -> None:
    if result.error is not None:
        run.journal.failed(tag, result.error)
    elif not isinstance(result.data, Mapping) or result.data.get("id") is None:
        run.journal.failed(tag, "create_or_get_tag returned no tag")
    else:
        run.remember_tag(board_id, tag.name, int(result.data["id"]))
        run.journal.completed(tag, str(result.data["id"]))
