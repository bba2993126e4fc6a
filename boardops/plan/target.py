"""Targeting: ``-target`` and ``-exclude`` narrow a plan to part of the manifests, as
Terraform's do.

An address pattern names a plan address (``boardops.model``) or a prefix of one that
ends at a segment boundary: ``board.roadmap`` is the board and everything on it (its
columns, labels, groups, items, tags and subscribers), ``board.roadmap.item`` or
``board.roadmap.item[*]`` its items, ``workspace.eng`` a workspace. Segments are the
dot-separated parts of an address; a bracket (``item[ENG-1]``, ``label[Done]``) belongs
to its segment, and dots inside it separate nothing. ``*`` matches any run of characters
within one segment outside brackets (``board.*.item[*]``, ``board.road*``) or within
one bracket (``item[ENG-*]``). Everything else matches itself, case included.

The narrowed plan holds, in the plan's order:

* the actions a ``-target`` pattern matches (every action when there is none), plus
  every action they depend on, transitively (``boardops.plan.order.dependencies``: an
  item pulls in the creation of its board, group, columns, labels and tags);
* minus the actions an ``-exclude`` pattern matches and every action that depends on
  one of them, transitively; what only those needed is not pulled in.

A pattern that matches no object the manifests describe and no action of the plan is an
error naming it, so that a typo never reads as "No changes". The narrowed plan keeps the
patterns (``Plan.targeting``) and says in its first warning that it is partial; every
view shows that warning, and a saved plan keeps both. Its live fingerprint keeps the facts
its own actions depend on (``boardops.plan.facts``), so that a saved partial plan goes
stale only when something it would change moved.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence

from boardops.errors import BoardopsError, UsageError
from boardops.identity import match_key_parts
from boardops.model import (
    Board,
    Column,
    DesiredState,
    Item,
    JSONValue,
    board_address,
    column_address,
    group_address,
    item_address,
    join_match_key,
    label_address,
    printable,
    workspace_address,
)
from boardops.plan.actions import Action
from boardops.plan.facts import Dependents
from boardops.plan.order import dependencies
from boardops.plan.plan import (
    MEMBERS_SUFFIX,
    OWNERS_SUFFIX,
    ROLE_SUFFIX,
    SUBSCRIBERS_SUFFIX,
    LiveFingerprint,
    Plan,
    Targeting,
)

__all__ = ["AddressPattern", "Targeting", "described_addresses", "narrow", "targeting_of"]


@dataclasses.dataclass(frozen=True)
class AddressPattern:
    """One ``-target``/``-exclude`` pattern, as typed (``text``) and compiled."""

    option: str  # -target or -exclude, for messages
    text: str
    regex: re.Pattern[str]

    def matches(self, address: str) -> bool:
        return self.regex.match(address) is not None

    @classmethod
    def parse(cls, option: str, text: str) -> AddressPattern:
        """The pattern ``text`` of ``option``; ``UsageError`` naming it if it is malformed."""

        def bad(why: str) -> UsageError:
            return UsageError(f"{option} {printable(text)!r}: {why}")

        if not text.strip():
            raise bad("an address pattern cannot be empty")
        parts: list[str] = []
        depth = 0  # of brackets: a name in one may hold balanced brackets of its own
        segment_empty = True
        for char in text:
            if depth:
                depth += {"[": 1, "]": -1}.get(char, 0)
                parts.append(".*?" if char == "*" else re.escape(char))
                continue
            if char == ".":
                if segment_empty:
                    raise bad("an address has no empty segment (two dots, or a dot at an end)")
                segment_empty = True
                parts.append(r"\.")
                continue
            segment_empty = False
            if char == "[":
                depth = 1
                parts.append(r"\[")
            elif char == "]":
                raise bad("']' without '['")
            else:
                parts.append(r"[^.\[]*" if char == "*" else re.escape(char))
        if depth:
            raise bad("'[' without ']'")
        if segment_empty:
            raise bad("an address has no empty segment (two dots, or a dot at an end)")
        # A prefix matches at a segment boundary: the address ends there, or goes on with
        # a dot or (after a segment's name) its bracket.
        boundary = r"(?=$|\.)" if text.endswith("]") else r"(?=$|[.\[])"
        return cls(option, text, re.compile("".join(parts) + boundary, re.DOTALL))


def targeting_of(targets: Iterable[str], excludes: Iterable[str]) -> Targeting:
    """The command line's ``-target`` and ``-exclude`` patterns, each checked (a
    ``UsageError`` names a malformed one before anything is read)."""
    targeting = Targeting(tuple(targets), tuple(excludes))
    _patterns(targeting)
    return targeting


def _patterns(targeting: Targeting) -> tuple[list[AddressPattern], list[AddressPattern]]:
    return (
        [AddressPattern.parse("-target", text) for text in targeting.targets],
        [AddressPattern.parse("-exclude", text) for text in targeting.excludes],
    )


def described_addresses(desired: DesiredState) -> set[str]:
    """The address of every object the manifests describe: workspaces, boards and their
    subscribers (owners, role, workspace members where declared), columns, labels, groups
    and items (an item whose match key cannot be
    worked out offline is left out: the plan's actions and facts name it)."""
    found = {workspace_address(w.key) for w in desired.workspaces}
    for workspace in desired.workspaces:
        if workspace.owners is not None or workspace.members is not None:
            address = workspace_address(workspace.key)
            found.update((address + OWNERS_SUFFIX, address + MEMBERS_SUFFIX))
    for board in desired.boards:
        key = board.key
        found.update((board_address(key), board_address(key) + SUBSCRIBERS_SUFFIX))
        if board.owners is not None:
            found.add(board_address(key) + OWNERS_SUFFIX)
        if board.role is not None:
            found.add(board_address(key) + ROLE_SUFFIX)
        for column in board.columns:
            found.add(column_address(key, column.key))
            labels = [s.label for s in column.status_labels]
            labels += [d.label for d in column.dropdown_labels]
            found.update(label_address(key, column.key, label) for label in labels)
        found.update(group_address(key, group.key) for group in board.groups)
        if board.items is not None:
            found.update(_item_addresses(board))
    return found


def _item_addresses(board: Board) -> Iterator[str]:
    assert board.items is not None
    for row in board.items.rows:

        def value(column_key: str, row: Item = row) -> tuple[Column | None, JSONValue]:
            return board.column(column_key), row.values.get(column_key)

        try:
            parts = match_key_parts(board.items.match_by, row.name, value)
        except BoardopsError:
            continue
        yield item_address(board.key, join_match_key(parts))


def narrow(plan: Plan, targeting: Targeting | None, desired: DesiredState) -> Plan:
    """``plan`` limited to ``targeting`` (see the module docstring); ``plan`` itself when
    nothing is targeted (None, or no pattern). ``UsageError`` names a pattern that
    matches nothing."""
    if targeting is None or not targeting.partial:
        return plan
    targets, excludes = _patterns(targeting)
    actions = plan.actions
    known = described_addresses(desired)
    known.update(a.address for a in actions)
    known.update(e.address for e in plan.live_fingerprint.entries)
    for pattern in (*targets, *excludes):
        if not any(pattern.matches(address) for address in known):
            raise UsageError(
                f"{pattern.option} {printable(pattern.text)!r}: matches nothing the manifests "
                "describe and no planned change (addresses are as plan shows them, e.g. "
                "board.KEY, board.KEY.item[*], workspace.KEY)"
            )
    before = dependencies(actions)
    after: list[set[int]] = [set() for _ in actions]
    for i, needs in enumerate(before):
        for j in needs:
            after[j].add(i)
    dropped = _closure(after, _matched(actions, excludes))
    wanted = _matched(actions, targets) if targets else set(range(len(actions)))
    # What only excluded actions needed is not pulled in (and nothing pulled in depends on
    # a dropped action: it would have been dropped with it).
    chosen = _closure(before, wanted - dropped)
    from boardops.apply.estimate import estimate  # apply builds on plan: imported late

    kept = tuple(a for i, a in enumerate(actions) if i in chosen)
    facts = Dependents(kept).relevant(plan.live_fingerprint.entries)
    return dataclasses.replace(
        plan,
        actions=kept,
        live_fingerprint=LiveFingerprint(tuple(facts)),
        warnings=(partial_warning(targeting), *plan.warnings),
        targeting=targeting,
        # The budget of what is left (the account's limits as documented for its daily
        # cap; the commands refine it with what the client read).
        budget=estimate(
            kept, daily_limit=plan.budget.daily_limit, daily_used=plan.budget.daily_used
        ),
    )


def partial_warning(targeting: Targeting) -> str:
    """What every view says of a partial plan, naming its patterns."""
    flags = [f"-target {t}" for t in targeting.targets]
    flags += [f"-exclude {e}" for e in targeting.excludes]
    return printable(
        f"partial plan ({' '.join(flags)}): changes outside these targets are left out, so "
        "the boards may still differ from the manifests after apply; plan without "
        "-target/-exclude to see every change"
    )


def _matched(actions: Sequence[Action], patterns: Sequence[AddressPattern]) -> set[int]:
    return {i for i, a in enumerate(actions) if any(p.matches(a.address) for p in patterns)}


def _closure(edges: Sequence[set[int]], start: set[int]) -> set[int]:
    """``start`` and every index reachable from it along ``edges``."""
    seen = set(start)
    stack = list(start)
    while stack:
        for j in edges[stack.pop()]:
            if j not in seen:
                seen.add(j)
                stack.append(j)
    return seen
