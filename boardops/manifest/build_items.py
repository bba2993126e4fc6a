"""Building a board's ``items`` (see ``manifest.build``): rows, their values, the
``match_by`` columns and each row's match key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, cast

from boardops import codec
from boardops.errors import SourceSpan
from boardops.identity import match_key_parts
from boardops.manifest.build_base import BuilderBase, _where
from boardops.manifest.schema_check import did_you_mean
from boardops.manifest.source import NodePath
from boardops.manifest.tree import Tree
from boardops.model import (
    NAME_KEY,
    Column,
    Group,
    Item,
    ItemMode,
    ItemOrder,
    ItemSet,
    JSONValue,
    board_address,
    item_address,
    join_match_key,
)

_SCALAR_TYPES = (str, int, float, bool)


class ItemsBuilder(BuilderBase):
    def _build_items(
        self,
        tree: Tree,
        board_key: str,
        columns: Sequence[Column],
        groups: Sequence[Group],
    ) -> ItemSet:
        data = tree.data["items"]
        by_name = _column_lookup(columns)
        choices = sorted(by_name)
        address = board_address(board_key)

        raw_match = data.get("match_by", NAME_KEY)
        match_names: list[str] = [raw_match] if isinstance(raw_match, str) else raw_match
        match_by: list[str] = []
        for position, name in enumerate(match_names):
            path: NodePath = (
                ("items", "match_by")
                if isinstance(raw_match, str)
                else ("items", "match_by", position)
            )
            resolved = self._match_column(tree, path, name, by_name, choices, address)
            if resolved is None:
                continue
            if resolved in match_by:
                self._error(
                    f"match_by names column '{name}' twice", tree.span(path), address=address
                )
                continue
            match_by.append(resolved)

        group_keys = {g.key: g.key for g in groups} | {g.title: g.key for g in groups}
        default_group = groups[0].key if groups else None
        by_key = {column.key: column for column in columns}
        rows: list[Item] = []
        seen_keys: dict[tuple[str, ...], SourceSpan] = {}
        accepted: set[tuple[int, type, Any]] = set()
        for index, row in enumerate(data.get("rows", [])):
            path = ("items", "rows", index)
            item = self._build_item(
                tree,
                path,
                row,
                board_key,
                by_name,
                choices,
                group_keys,
                default_group,
                match_names,
                accepted,
            )
            if item is None:
                continue
            key = self._match_key(tree, path, item, match_by, by_key, board_key)
            if key is not None and "subitems" in row:
                subitems = self._subitems_of_row(tree, path, row, board_key, join_match_key(key))
                item = replace(item, subitems=subitems)
            if key is not None:
                span = item.span or tree.span(path)
                if key in seen_keys:
                    self._error(
                        f"another row has the same match key (on "
                        f"{_where(seen_keys[key], span)}); match_by: "
                        f"{', '.join(match_by)}",
                        span,
                        address=item_address(board_key, join_match_key(key)),
                        path=path,
                    )
                else:
                    seen_keys[key] = span
            rows.append(item)
        return ItemSet(
            rows=tuple(rows),
            match_by=tuple(match_by) or (NAME_KEY,),
            mode=cast(ItemMode, data.get("mode", "upsert")),
            prune=bool(data.get("prune", False)),
            span=tree.span(("items",)),
            order=self._item_order(tree, data, address),
        )

    def _subitems_of_row(
        self, tree: Tree, path: NodePath, row: dict[str, Any], board_key: str, parent_key: str
    ) -> tuple[Item, ...] | None:
        """The row's ``subitems:`` (see ``build_subitems``); None: left alone."""
        return None

    def _item_order(self, tree: Tree, data: Any, address: str) -> ItemOrder:
        order = cast(ItemOrder, data.get("order", "unmanaged"))
        if order == "managed" and data.get("mode") == "create_only":
            self._error_at(
                tree,
                ("items", "order"),
                "order: managed moves existing items, and mode: create_only never touches "
                "them; drop one of the two",
                address,
            )
        return order

    def _column_named(
        self,
        tree: Tree,
        path: NodePath,
        name: str,
        by_name: Mapping[str, Column],
        choices: list[str],
        address: str,
        *,
        what: str = "",
        key: bool = False,
    ) -> Column | None:
        """The column called ``name``; None, with the problem recorded (and the nearest of
        ``choices`` offered), when there is none."""
        column = by_name.get(name)
        if column is None:
            hint = did_you_mean(name, choices)
            self._error_at(tree, path, f"{what}unknown column '{name}'{hint}", address, key=key)
        return column

    def _match_column(
        self,
        tree: Tree,
        path: NodePath,
        name: str,
        by_name: dict[str, Column],
        choices: list[str],
        address: str,
    ) -> str | None:
        if name == NAME_KEY:
            return NAME_KEY
        column = self._column_named(
            tree, path, name, by_name, [*choices, NAME_KEY], address, what="match_by: "
        )
        if column is None:
            return None
        if column.type not in codec.MATCHABLE_TYPES:
            self._error_at(
                tree,
                path,
                f"match_by: column '{name}' is of type {column.type}, whose values cannot "
                "identify an item reliably; use name or a column of type "
                + ", ".join(sorted(codec.MATCHABLE_TYPES)),
                address,
            )
            return None
        return column.key

    def _build_item(
        self,
        tree: Tree,
        path: NodePath,
        row: dict[str, Any],
        board_key: str,
        by_name: dict[str, Column],
        choices: list[str],
        group_keys: dict[str, str],
        default_group: str | None,
        match_names: Sequence[str],
        accepted: set[tuple[int, type, Any]],
    ) -> Item | None:
        """The row as an ``Item``, or None after reporting its problems. ``accepted``
        holds the (id of column, type, value) scalars already found valid on this board: rows
        repeat the same labels, numbers and dates, each checked once."""
        name: str = row["name"]
        address = _row_address(board_key, path, row, match_names)
        ok = True
        group = default_group
        if "group" in row:
            found = group_keys.get(row["group"])
            if found is None:
                hint = (
                    did_you_mean(row["group"], group_keys)
                    if group_keys
                    else "; this board declares no groups"
                )
                self._error_at(
                    tree, (*path, "group"), f"unknown group '{row['group']}'{hint}", address
                )
                ok = False
            group = found
        values: dict[str, JSONValue] = {}
        written_as: dict[str, str] = {}
        for written, value in row.get("values", {}).items():
            value_path: NodePath = (*path, "values", written)
            column = self._column_named(
                tree, value_path, written, by_name, choices, address, key=True
            )
            if column is None:
                ok = False
                continue
            column_key = column.key
            if column_key in written_as:
                self._error_at(
                    tree,
                    value_path,
                    f"column '{column_key}' is given twice (as '{written_as[column_key]}' and "
                    f"'{written}')",
                    address,
                    key=True,
                )
                ok = False
                continue
            written_as[column_key] = written
            scalar = type(value) in _SCALAR_TYPES
            if not scalar or (id(column), type(value), value) not in accepted:
                try:
                    codec.check(column, value)
                except codec.CodecError as error:
                    self._error_at(tree, value_path, f"{written}: {error}", address)
                    ok = False
                    continue
                if scalar:
                    accepted.add((id(column), type(value), value))
            values[column_key] = value
        if not ok:
            return None
        return Item(name=name, group=group, values=values, span=tree.span(path))

    def _match_key(
        self,
        tree: Tree,
        path: NodePath,
        item: Item,
        match_by: Sequence[str],
        by_key: dict[str, Column],
        board_key: str,
    ) -> tuple[str, ...] | None:
        key = match_key_parts(match_by, item.name, lambda k: (by_key[k], item.values.get(k)))
        for column_key, text in zip(match_by, key, strict=True):
            if column_key != NAME_KEY and text == "":
                self._error_at(
                    tree,
                    path,
                    f"no value for match_by column '{column_key}': the item could not be "
                    "found again",
                    f"{board_address(board_key)}.items.rows[{path[-1]}]",
                )
                return None
        return key


def _row_address(
    board_key: str, path: NodePath, row: dict[str, Any], match_names: Sequence[str]
) -> str:
    """The item's address by its match key as written, or by its row when a part of the
    key is missing (errors must still say which row)."""
    parts: list[str] = []
    values = row.get("values", {})
    for name in match_names or (NAME_KEY,):
        value = row.get("name") if name == NAME_KEY else values.get(name)
        if value is None or value == "" or isinstance(value, (dict, list)):
            return f"{board_address(board_key)}.items.rows[{path[-1]}]"
        parts.append(str(value).lower() if isinstance(value, bool) else str(value))
    return item_address(board_key, join_match_key(parts))


def _column_lookup(columns: Iterable[Column]) -> dict[str, Column]:
    """Columns by id and by title (ids win when a title equals another column's id)."""
    lookup: dict[str, Column] = {}
    for column in columns:
        lookup.setdefault(column.title, column)
    for column in columns:
        if column.id is not None:
            lookup[column.id] = column
    return lookup
