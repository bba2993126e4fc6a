"""The diff of a board's groups (see ``plan.diff``): creates, updates, moves and prunes,
and when prune must leave a group alone."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import replace

from boardops.identity import match_titled
from boardops.model import Group, group_address, item_address
from boardops.plan.actions import (
    ArchiveGroup,
    ArchiveItem,
    CreateGroup,
    GroupPosition,
    MoveGroup,
    MoveItem,
    ObjectRef,
    UpdateGroup,
)
from boardops.plan.diff_base import _changes
from boardops.plan.diff_values import ItemValues

# The title monday gives the one group every new board starts with.
MONDAY_DEFAULT_GROUP_TITLE = "Group Title"


class GroupsDiff(ItemValues):
    def _match_groups(self, live_groups: Sequence[Group]) -> dict[str, Group | None]:
        hits = match_titled(
            self.board.groups,
            live_groups,
            lambda wanted: group_address(self.board.key, wanted.key),
        )
        result = {g.key: hit for g, hit in zip(self.board.groups, hits, strict=True)}
        return self._adopt_default_group(live_groups, result)

    def _adopt_default_group(
        self, live_groups: Sequence[Group], matched: dict[str, Group | None]
    ) -> dict[str, Group | None]:
        """A board whose only group is monday's untouched default takes it as its first
        declared group (renamed), as apply does on a board it creates.

        Without this, a board created by hand, or by an apply stopped between
        ``create_board`` and the rename of its default group, would keep a stray
        "Group Title" group next to the declared ones.
        """
        if (
            len(live_groups) == 1
            and live_groups[0].title == MONDAY_DEFAULT_GROUP_TITLE
            and self.board.groups
            and self.board.groups[0].id is None
            and not any(matched.values())
        ):
            matched[self.board.groups[0].key] = live_groups[0]
        return matched

    def _group_ref(self, key: str) -> ObjectRef:
        hit = self.groups.get(key)
        return ObjectRef(group_address(self.board.key, key), hit.id if hit else None)

    def _diff_groups(self) -> None:
        live_groups = self.found.groups if self.found else ()
        self.groups = self._match_groups(live_groups)
        wanted = self.board.groups
        live_index = {_group_id(g): i for i, g in enumerate(live_groups)}
        existing = [w.key for w in wanted if self.groups[w.key] is not None]
        stable = set(_longest_increasing(existing, lambda k: live_index[_group_id(self.groups[k])]))
        first_stable = next((w.key for w in wanted if w.key in stable), None)
        for i, group in enumerate(wanted):
            address = group_address(self.board.key, group.key)
            hit = self.groups[group.key]
            if i > 0:
                position: GroupPosition | None = GroupPosition(
                    "after", self._group_ref(wanted[i - 1].key)
                )
            elif first_stable is not None and first_stable != group.key:
                position = GroupPosition("before", self._group_ref(first_stable))
            else:
                position = None
            if hit is None:
                self.emit(
                    CreateGroup(
                        address=address,
                        board=self.ref,
                        title=group.title,
                        color=group.color,
                        position=position,
                    )
                )
                continue
            board_id = self._board_id()
            group_id = _group_id(hit)
            changes = _changes(
                ("title", hit.title, group.title),
                (
                    "color",
                    hit.color.lower() if hit.color else None,
                    group.color.lower() if group.color else None,
                    True,
                ),
            )
            if changes:
                self.emit(
                    UpdateGroup(
                        address=address, board_id=board_id, group_id=group_id, changes=changes
                    )
                )
            if group.key not in stable and position is not None:
                self.emit(
                    MoveGroup(
                        address=address, board_id=board_id, group_id=group_id, position=position
                    )
                )
        matched = {_group_id(g) for g in self.groups.values() if g is not None}
        kept = len(wanted)
        for live_group in live_groups:
            group_id = _group_id(live_group)
            if group_id in matched:
                continue
            address = group_address(self.board.key, group_id)
            if self.board.prune:
                reason = self._group_prune_refusal(group_id, kept)
                if reason is not None:
                    kept += 1
                    self.out.warnings.append(
                        f"{address}: not archived although prune is on: {reason}"
                    )
                    continue
                self.emit(
                    ArchiveGroup(
                        address=address,
                        board_id=self._board_id(),
                        group_id=group_id,
                        title=live_group.title,
                        items=self._items_in_group(group_id),
                    )
                )
            else:
                self.unmanaged(address, "group", "not in the manifest (board prune is off)")

    def _settle_group_losses(self) -> None:
        """An archived group loses the items in it that the plan neither archives nor
        moves out itself (those are counted by their own actions)."""
        found = self.found
        if found is None or found.items is None:
            return
        group_of = {str(row.id): row.group for row in found.items.rows}
        handled: dict[str, int] = {}
        for action in self.out.actions:
            if isinstance(action, ArchiveItem | MoveItem) and action.board_id == found.id:
                group = group_of.get(action.item_id)
                if group is not None:
                    handled[group] = handled.get(group, 0) + 1
        for i, action in enumerate(self.out.actions):
            if (
                isinstance(action, ArchiveGroup)
                and action.board_id == found.id
                and action.items is not None
                and action.group_id in handled
            ):
                left = max(action.items - handled[action.group_id], 0)
                self.out.actions[i] = replace(action, items=left)

    def _group_prune_refusal(self, group_id: str, kept: int) -> str | None:
        """Why prune must leave this live group alone (None: it may be archived).

        A board always keeps one group; archiving a group archives every item in it, so
        a group is archived only when it is empty, or when the manifest's ``items`` prune
        covers its items and none of them is a declared item that stays in it."""
        if kept == 0:
            return (
                "a board keeps at least one group, and the manifest declares none "
                "(list the groups to keep under `groups:`)"
            )
        count = self._items_in_group(group_id)
        if count == 0:
            return None
        items = self.board.items
        if items is None or not items.prune:
            held = "items" if count is None else f"{count} item{'' if count == 1 else 's'}"
            scope = "has no `items:`" if items is None else "does not prune items"
            return (
                f"it holds {held} and the manifest {scope}, so archiving it would archive "
                "items boardops leaves alone (move or archive them, or declare `items:` "
                "with `prune: true`)"
            )
        staying = self._declared_items_in_group(group_id)
        if staying:
            return (
                f"it holds declared items this plan leaves in it ({', '.join(staying)}); "
                "give them a declared `group:`, or plan with items compared"
            )
        return None

    def _declared_items_in_group(self, group_id: str) -> list[str]:
        """Names of live items in the group that match a declared item left in place (one
        without a ``group:``, or any when items are not compared in this plan)."""
        items, found = self.board.items, self.found
        if items is None or found is None or found.items is None:
            return []
        compared = self.options.compare_items
        staying = {
            self._desired_key(row, item_address(self.board.key, row.name))
            for row in items.rows
            if row.group is None or not compared
        }
        return sorted(
            row.name
            for row in found.items.rows
            if row.group == group_id and self._live_key(row) in staying
        )


def _group_id(group: Group | None) -> str:
    assert group is not None
    return group.id if group.id is not None else group.key


def _longest_increasing(keys: Sequence[str], rank: Callable[[str], int]) -> list[str]:
    """The longest run of ``keys`` (kept in order) whose ranks increase.

    Groups in it stay where they are; every other group moves, so the moves are as few
    as possible. Patience sorting, O(n log n); on equal lengths the earliest tails win,
    which makes the choice deterministic.
    """
    tails: list[int] = []  # tails[k]: index into keys of the smallest tail of a run k+1 long
    tail_ranks: list[int] = []
    previous: list[int | None] = [None] * len(keys)
    for i, key in enumerate(keys):
        r = rank(key)
        k = bisect.bisect_left(tail_ranks, r)
        previous[i] = tails[k - 1] if k > 0 else None
        if k == len(tails):
            tails.append(i)
            tail_ranks.append(r)
        else:
            tails[k] = i
            tail_ranks[k] = r
    run: list[str] = []
    cursor = tails[-1] if tails else None
    while cursor is not None:
        run.append(keys[cursor])
        cursor = previous[cursor]
    return run[::-1]
