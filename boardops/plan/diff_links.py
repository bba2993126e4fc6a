"""Links of desired values resolved to the items they name (see ``boardops.links``)."""

from __future__ import annotations

from collections.abc import Sequence

from boardops.codec._links import id_of_link, link_text, sorted_links
from boardops.errors import PlanError
from boardops.links import connected_labels, desired_item_key, entries_of, index_live
from boardops.model import Column, DesiredState, JSONValue, LiveState, item_address
from boardops.plan.actions import ItemLink, ObjectRef


class PlanLinks:
    """What the plan resolves links against: the rows each board declares and the items
    monday has (``LiveState``, whose link values are already named by key)."""

    def __init__(self, desired: DesiredState, live: LiveState) -> None:
        self.index = index_live(desired, live.boards)
        for item_id, (label, key) in live.linked_items.items():
            self.index.add(label, key, item_id)
        self.keys_by_id = {
            b.id: key for key, b in live.boards.items() if b is not None and b.id is not None
        }
        self.names_by_id = {b.id: b.name for b in live.outside_boards if b.id is not None}
        self.declared: dict[str, set[str]] = {}
        for board in desired.boards:
            if board.items is None:
                continue
            keys = {desired_item_key(board, row) for row in board.items.rows}
            self.declared[board.key] = {k for k in keys if k is not None}

    def has(self, label: str, key: str) -> bool:
        return key in self.declared.get(label, ()) or (label, key) in self.index.ids

    def live_id(self, label: str, key: str) -> str | None:
        ids = self.index.ids.get((label, key), [])
        return ids[0] if len(ids) == 1 else None

    def resolve(
        self,
        column: Column,
        live_column: Column | None,
        board_key: str,
        value: JSONValue,
        address: str,
    ) -> tuple[JSONValue, tuple[ItemLink, ...]]:
        """A desired link value in canonical form with each link's board settled (a plain
        key on a column connecting several boards becomes ``{board, item}``), and the
        items it links; ``PlanError`` for a link to an item nobody has."""
        where = f"{address}: column {column.key!r}"
        labels = connected_labels(column, board_key, self.keys_by_id, self.names_by_id)
        if not labels and live_column is not None:
            labels = connected_labels(live_column, board_key, self.keys_by_id, self.names_by_id)
        entries = entries_of(value)
        if entries and not labels:
            raise PlanError(f"{where}: the column names no connected boards (boards:)")
        relation = column.relation
        if relation is not None and not relation.allow_multiple and len(entries) > 1:
            raise PlanError(f"{where}: links {len(entries)} items; allow_multiple is false")
        several = len(labels) > 1
        resolved: list[JSONValue] = []
        links: list[ItemLink] = []
        for entry in entries:
            item_id = id_of_link(entry)
            if item_id is not None:
                resolved.append(entry)
                links.append(
                    ItemLink(column.key, str(entry), ObjectRef(f"item[#{item_id}]", item_id))
                )
                continue
            label, key = self._target(entry, labels, where)
            settled: JSONValue = {"board": label, "item": key} if several else key
            resolved.append(settled)
            ref = ObjectRef(item_address(label, key), self.live_id(label, key))
            links.append(ItemLink(column.key, link_text(settled), ref))
        return sorted_links(resolved), tuple(links)

    def _target(self, entry: JSONValue, labels: Sequence[str], where: str) -> tuple[str, str]:
        if isinstance(entry, dict):
            label, key = str(entry["board"]), str(entry["item"])
            if label not in labels:
                raise PlanError(
                    f"{where}: board {label!r} is not one the column connects ({', '.join(labels)})"
                )
        else:
            key = str(entry)
            holders = [label for label in labels if self.has(label, key)]
            if len(holders) > 1:
                raise PlanError(
                    f"{where}: item {key!r} is on several connected boards "
                    f"({', '.join(holders)}); write {{board: KEY, item: {key!r}}}"
                )
            label = holders[0] if holders else labels[0]
        if not self.has(label, key):
            raise PlanError(
                f"{where}: links {item_address(label, key)}, which neither the manifests "
                "nor monday has"
            )
        ids = self.index.ids.get((label, key), [])
        if len(ids) > 1:
            raise PlanError(
                f"{where}: links {item_address(label, key)}, and {len(ids)} items on monday "
                f"have that key ({', '.join(sorted(ids))}); make their keys unique"
            )
        return label, key
