"""The tags the plan creates: those its item writes name that monday does not have yet.

Item values of a tags column name their tags (in the codec's canonical form: lower case);
writing them needs each tag's id. An account tag the live state lacks (``LiveState.tags``,
compared ignoring case as the codec does) becomes one ``CreateTag`` at ``tag[NAME]``,
whichever boards need it. A private or shareable board has tags of its own that the live
read does not list, so every tag its item writes name is planned as a ``CreateTag`` on
that board (``create_or_get_tag`` returns the tag when it exists already).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from boardops import codec
from boardops.model import DesiredState, JSONValue, LiveState, board_address, printable
from boardops.plan.actions import (
    Action,
    CreateItem,
    CreateSubitem,
    CreateTag,
    ObjectRef,
    UpdateItem,
)
from boardops.plan.plan import board_key_of

# Board kinds whose tags belong to the board (monday docs, "tags"): the account's public
# tags are neither listed for them nor usable on them.
BOARD_SCOPED_TAG_KINDS = frozenset({"private", "share"})


def tag_names(actions: Iterable[Action]) -> set[str]:
    """The tag names the item values written by ``actions`` name."""
    names: set[str] = set()
    for action in actions:
        if not isinstance(action, CreateItem | UpdateItem | CreateSubitem):
            continue
        tag_keys = {c.key for c in action.columns if c.type == "tags"}
        if not tag_keys:
            continue
        values: list[JSONValue]
        if isinstance(action, CreateItem | CreateSubitem):
            values = [v for k, v in action.values.items() if k in tag_keys]
        else:
            values = [c.after for c in action.changes if c.field in tag_keys]
        for value in values:
            entries = value if isinstance(value, list) else [value]
            names.update(str(entry) for entry in entries if entry is not None)
    return names


def tag_address(name: str, board_key: str | None = None) -> str:
    where = "" if board_key is None else f"{board_address(board_key)}."
    return f"{where}tag[{printable(name)}]"


def plan_tags(desired: DesiredState, live: LiveState, actions: Sequence[Action]) -> list[CreateTag]:
    """A ``CreateTag`` for each tag ``actions`` write that does not exist (see above)."""
    by_board: dict[str, list[Action]] = {}
    for action in actions:
        key = board_key_of(action.address)
        if key is not None:
            by_board.setdefault(key, []).append(action)
    known = codec.Directory(tags=live.tags)
    account: set[str] = set()
    planned: list[CreateTag] = []
    for key, board_actions in sorted(by_board.items()):
        names = tag_names(board_actions)
        if not names:
            continue
        found = live.boards.get(key)
        wanted = desired.board(key)
        kind = found.kind if found is not None else wanted.kind if wanted is not None else None
        if kind in BOARD_SCOPED_TAG_KINDS:
            board = ObjectRef(board_address(key), found.id if found is not None else None)
            planned.extend(
                CreateTag(tag_address(name, key), name=name, board=board) for name in sorted(names)
            )
        else:
            account.update(name for name in names if known.tag_id(name) is None)
    planned.extend(CreateTag(tag_address(name), name=name) for name in sorted(account))
    return planned
