"""The diff of a board's items (see ``plan.diff``): creates, updates, moves, adoptions
and archives, by match key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence

from boardops.errors import AmbiguousMatch, BoardopsError, PlanError
from boardops.links import LINK_TYPES
from boardops.model import (
    NAME_KEY,
    Item,
    JSONValue,
    group_address,
    item_address,
    live_item_address,
    match_key_is_incomplete,
)
from boardops.plan.actions import (
    LINKS_SUFFIX,
    AdoptItem,
    ArchiveItem,
    CreateItem,
    FieldChange,
    ItemColumn,
    ItemLink,
    ItemPosition,
    MoveItem,
    ObjectRef,
    SetItemLinks,
    UpdateItem,
)
from boardops.plan.diff_base import ColumnMatch
from boardops.plan.diff_columns import ColumnsDiff
from boardops.plan.diff_groups import GroupsDiff, _longest_increasing
from boardops.plan.diff_members import MembersDiff

# What _digest serialises with: json.dumps would build an encoder per call.
_DIGEST_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class ItemsDiff(ColumnsDiff, GroupsDiff, MembersDiff):
    def _item_columns(self, keys: Iterable[str]) -> tuple[ItemColumn, ...]:
        result = []
        for key in keys:
            match = self._column_match(key)
            result.append(ItemColumn(key, self._column_ref(match), match.desired.type))
        return tuple(result)

    def _index_live_items(self) -> dict[str, list[Item]]:
        """Live items by match key (recording them as fingerprint facts)."""
        live_rows = self.found.items.rows if self.found and self.found.items else ()
        live_by_key: dict[str, list[Item]] = {}
        for row in live_rows:
            live_by_key.setdefault(self._live_key(row), []).append(row)
        self._hidden_keys = self._unmanaged_keys_with_values(live_by_key)
        for key, rows in live_by_key.items():
            if key in self._hidden_keys or match_key_is_incomplete(key):
                for row in rows:
                    address = self._live_item_address(key, row)
                    self.out.fact(address, "id", str(row.id))
                    self.out.fact(address, "values", _digest([_item_image(row)]))
                continue
            address = item_address(self.board.key, key)
            self.out.fact(address, "id", ",".join(sorted(str(r.id) for r in rows)))
            self.out.fact(address, "values", _digest([_item_image(r) for r in rows]))
        if self.board.items is not None and self.board.items.order == "managed":
            # The moves depend on where each item is.
            for n, row in enumerate(live_rows):
                address = self._live_item_address(self._live_key(row), row)
                self.out.fact(address, "position", n)
        return live_by_key

    def _unmanaged_keys_with_values(self, live_by_key: Mapping[str, list[Item]]) -> set[str]:
        """Match keys of live items the manifest leaves alone that spell column values
        (``match_by`` names a column): such items are addressed by id (``item[#ID]``), so
        no value of an unmanaged item reaches a plan. Under ``prune`` they are archived,
        so they keep the address their action shows."""
        items = self.board.items
        if items is None or items.prune or all(k == NAME_KEY for k in items.match_by):
            return set()
        try:
            wanted = {
                self._desired_key(row, item_address(self.board.key, row.name)) for row in items.rows
            }
        except BoardopsError:
            return set()  # the item diff reports it
        return {key for key in live_by_key if key not in wanted}

    def _live_item_address(self, key: str, row: Item) -> str:
        if key in self._hidden_keys:
            return item_address(self.board.key, f"#{row.id}")
        return live_item_address(self.board.key, key, row.id, row.name)

    def _diff_items(self, live_by_key: Mapping[str, list[Item]]) -> None:
        items = self.board.items
        assert items is not None
        if self.found is not None and self.found.items is None:
            self.out.warnings.append(
                f"{self.address}: live items were not read; every declared item is planned as new"
            )
        wanted_by_key: dict[str, Item] = {}
        for row in items.rows:
            key = self._desired_key(row, item_address(self.board.key, row.name))
            address = item_address(self.board.key, key)
            if key in wanted_by_key:
                raise PlanError(f"{address}: two items in the manifest have this match key")
            wanted_by_key[key] = row
        adopted = self._adoptions(wanted_by_key, live_by_key)
        # Manifest order: new items are placed next to their declared neighbours (an
        # adopted item stands where it is, like any existing one).
        positions = self._item_positions(
            wanted_by_key, {**live_by_key, **{key: [t] for key, t in adopted.items()}}
        )
        for key, row in wanted_by_key.items():
            found: Sequence[Item] = live_by_key.get(key, [])
            taken = adopted.get(key)
            if taken is not None:
                self.emit(
                    AdoptItem(
                        address=item_address(self.board.key, key),
                        board_id=self._board_id(),
                        item_id=str(taken.id),
                        name=taken.name,
                    )
                )
                found = [taken]
            self._diff_item(key, row, found, positions.get(key))
        adopted_ids = {str(item.id) for item in adopted.values()}
        for key in sorted(set(live_by_key) - set(wanted_by_key)):
            rows = [r for r in live_by_key[key] if str(r.id) not in adopted_ids]
            if not rows:
                continue
            if not items.prune:
                for row in rows:
                    self.unmanaged(
                        self._live_item_address(key, row),
                        "item",
                        "not in the manifest (items prune is off)",
                    )
                continue
            for row in sorted(rows, key=lambda r: str(r.id)):
                self.emit(
                    ArchiveItem(
                        address=self._live_item_address(key, row),
                        board_id=self._board_id(),
                        item_id=str(row.id),
                        name=row.name,
                    )
                )

    def _key_is_empty(self, item: Item) -> bool:
        """Whether every ``match_by`` column (besides the name) is empty on this live item,
        as on items made before ``match_by`` named a newly added column."""
        assert self.board.items is not None
        keys = [k for k in self.board.items.match_by if k != NAME_KEY]
        return bool(keys) and all(
            self._live_value(item, self._column_match(k)) in (None, "", [], {}) for k in keys
        )

    def _adoptions(
        self, wanted_by_key: Mapping[str, Item], live_by_key: Mapping[str, list[Item]]
    ) -> dict[str, Item]:
        """Live items no key matches whose key columns are empty on monday, taken as the
        declared row (by key) with the same name when exactly one row and one such item
        have that name: switching ``match_by`` to a new column never duplicates items.
        A row created beside an unmatched live item of its name is warned about."""
        assert self.board.items is not None
        new_keys = [k for k in wanted_by_key if k not in live_by_key]
        if not new_keys:
            return {}
        unmatched = [
            item for key, rows in live_by_key.items() if key not in wanted_by_key for item in rows
        ]
        if not unmatched:
            return {}
        rows_by_name: dict[str, list[str]] = {}
        for key, row in wanted_by_key.items():
            rows_by_name.setdefault(row.name, []).append(key)
        empty_by_name: dict[str, list[Item]] = {}
        for item in unmatched:
            if self._key_is_empty(item):
                empty_by_name.setdefault(item.name, []).append(item)
        adopted: dict[str, Item] = {}
        if self.board.items.mode != "create_only":
            for key in new_keys:
                name = wanted_by_key[key].name
                items = empty_by_name.get(name, [])
                if len(rows_by_name[name]) == 1 and len(items) == 1:
                    adopted[key] = items[0]
        names: dict[str, list[str]] = {}
        for item in unmatched:
            names.setdefault(item.name, []).append(str(item.id))
        for key in sorted(set(new_keys) - set(adopted)):
            ids = names.get(wanted_by_key[key].name)
            if ids:
                self.out.warnings.append(
                    f"{item_address(self.board.key, key)}: created, while live item "
                    f"{', '.join(sorted(ids))} has the same name {wanted_by_key[key].name!r} "
                    "and matches no declared row (its match_by values differ); check "
                    "match_by, or fill its key columns on monday"
                )
        return adopted

    def _group_for(self, row: Item) -> ObjectRef | None:
        if row.group is not None:
            if row.group not in self.groups:
                raise PlanError(
                    f"{self.address}: items use group {row.group!r}, "
                    "which the board does not declare"
                )
            ref = self._item_group_refs.get(row.group)
            if ref is None:
                # One ref per group for all its items (groups are matched by now).
                ref = self._item_group_refs[row.group] = self._group_ref(row.group)
            return ref
        return None

    def _item_positions(
        self, wanted: Mapping[str, Item], live_by_key: Mapping[str, list[Item]]
    ) -> dict[str, ItemPosition | None]:
        """Where each item must go, by match key: for a new item, its place; for an
        existing one, its place only when it must move (``order: managed`` and out of
        order). In each group the rows' order is the desired order: an item goes after
        the row before it, the first row before the first item that stays put. Items
        that stay put: all existing ones, or under ``order: managed`` the longest run of
        them already in order in their group (so the moves are as few as possible)."""
        items = self.board.items
        assert items is not None
        managed = items.order == "managed"
        live_rows = self.found.items.rows if self.found and self.found.items else ()
        rank = {id(row): n for n, row in enumerate(live_rows)}
        buckets: dict[str | None, list[str]] = {}
        for key, row in wanted.items():
            buckets.setdefault(row.group, []).append(key)
        result: dict[str, ItemPosition | None] = {}

        def existing(key: str) -> Item | None:
            found = live_by_key.get(key, [])
            return found[0] if len(found) == 1 else None

        for group, keys in buckets.items():
            here = self._group_ref(group).id if group is not None else None
            if managed:
                in_place = [
                    k
                    for k in keys
                    if (hit := existing(k)) is not None and (group is None or hit.group == here)
                ]
                stays = set(_longest_increasing(in_place, lambda k: rank[id(existing(k))]))
            else:
                stays = {k for k in keys if existing(k) is not None}
            first_stay = next((k for k in keys if k in stays), None)
            for i, key in enumerate(keys):
                if key in stays:
                    result[key] = None
                    continue
                if i > 0:
                    result[key] = ItemPosition("after", self._item_ref(keys[i - 1], live_by_key))
                elif first_stay is not None:
                    result[key] = ItemPosition("before", self._item_ref(first_stay, live_by_key))
                else:
                    result[key] = None
        return result

    def _item_ref(self, key: str, live_by_key: Mapping[str, list[Item]]) -> ObjectRef:
        found = live_by_key.get(key, [])
        return ObjectRef(
            item_address(self.board.key, key), str(found[0].id) if len(found) == 1 else None
        )

    def _diff_item(
        self, key: str, row: Item, found: Sequence[Item], position: ItemPosition | None = None
    ) -> None:
        items = self.board.items
        assert items is not None
        address = item_address(self.board.key, key)
        if len(found) > 1:
            raise AmbiguousMatch(address, sorted(str(r.id) for r in found))
        values: dict[str, JSONValue] = {}
        matches: list[ColumnMatch] = []
        # Links (connect-boards, dependency) by column key: resolved to the items they
        # name; those naming an item still to be made wait for the second pass.
        links: dict[str, tuple[ItemLink, ...]] = {}
        for k, v in row.values.items():
            match = self._column_match(k)
            values[k] = self._normalize(match.desired, v, address)
            if match.desired.type in LINK_TYPES:
                values[k], links[k] = self.plan_links().resolve(
                    match.desired, match.kept, self.board.key, values[k], address
                )
            matches.append(match)
        later = {k for k, held in links.items() if any(link.item.id is None for link in held)}
        group = self._group_for(row)
        if not found:
            for value, match in zip(values.values(), matches, strict=True):
                self._note_people(match.desired, value, address)
            now = {k: v for k, v in values.items() if k not in later}
            self.emit(
                CreateItem(
                    address=address,
                    board=self.ref,
                    name=row.name,
                    match_by=items.match_by,
                    match_key=key,
                    group=group,
                    values=now,
                    columns=self._item_columns(now),
                    position=position,
                    links=_links_of(links, now),
                )
            )
            self._link_later(
                address,
                None,
                [FieldChange(k, None, v) for k, v in values.items() if k in later],
                links,
            )
            return
        if items.mode == "create_only":
            return
        current = found[0]
        item_id, board_id = str(current.id), self._board_id()
        changes = []
        if current.name != row.name:
            changes.append(FieldChange(NAME_KEY, current.name, row.name))
        deferred: list[FieldChange] = []
        for (column_key, value), match in zip(values.items(), matches, strict=True):
            before = self._live_value(current, match)
            if before != value:
                change = FieldChange(column_key, before, value)
                (deferred if column_key in later else changes).append(change)
                self._note_people(match.desired, value, address)
        if changes:
            keys = {c.field for c in changes}
            self.emit(
                UpdateItem(
                    address=address,
                    board_id=board_id,
                    item_id=item_id,
                    changes=tuple(changes),
                    columns=self._item_columns(c.field for c in changes if c.field != NAME_KEY),
                    links=_links_of(links, keys),
                )
            )
        self._link_later(address, item_id, deferred, links)
        if (group is not None and group.id != current.group) or position is not None:
            self.emit(
                MoveItem(
                    address=address,
                    board_id=board_id,
                    item_id=item_id,
                    from_group_id=current.group,
                    to_group=group if group is not None else self._live_group_ref(current),
                    position=position,
                )
            )

    def _link_later(
        self,
        address: str,
        item_id: str | None,
        changes: list[FieldChange],
        links: Mapping[str, tuple[ItemLink, ...]],
    ) -> None:
        """The second pass: link values naming items this plan creates, written once
        every board's items are made (``SetItemLinks``)."""
        if not changes:
            return
        keys = [c.field for c in changes]
        self.emit(
            SetItemLinks(
                address=address + LINKS_SUFFIX,
                board=self.ref,
                item=ObjectRef(address, item_id),
                changes=tuple(changes),
                columns=self._item_columns(keys),
                links=_links_of(links, keys),
            )
        )

    def _live_group_ref(self, item: Item) -> ObjectRef:
        """The group an item is in on monday (items of a board that declares no groups)."""
        group_id = item.group or ""
        return ObjectRef(group_address(self.board.key, group_id), item.group)


def _links_of(
    links: Mapping[str, tuple[ItemLink, ...]], keys: Iterable[str]
) -> tuple[ItemLink, ...]:
    return tuple(link for key in keys for link in links.get(key, ()))


def _item_image(item: Item) -> JSONValue:
    return {"name": item.name, "group": item.group, "values": dict(item.values)}


def _digest(value: JSONValue) -> str:
    text = _DIGEST_ENCODER.encode(value)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
