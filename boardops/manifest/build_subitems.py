"""Building a board's ``subitems`` (see ``manifest.build``): the board-level block (the
columns of the subitems board, ``match_by``, ``mode``, ``prune``) and each row's
``subitems:`` rows.

The block's columns are built by the board's own column builder (same ids, types, labels
and checks); subitem rows by the item builder, against those columns. A row that carries
``subitems:`` on a board without the block gets the default block (match by name, upsert,
no prune, no declared columns): unambiguous, and any value then names an unknown column.
Subitem columns may be of any type a board's may; ``subtasks`` (subitems of subitems) is
refused by the schema, as on boards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from boardops.errors import ManifestError, SourceSpan
from boardops.manifest.build_base import _where
from boardops.manifest.build_items import ItemsBuilder, _column_lookup
from boardops.manifest.source import NodePath
from boardops.manifest.tree import Tree
from boardops.model import (
    NAME_KEY,
    Column,
    Item,
    ItemMode,
    Subitems,
    join_match_key,
    subitem_address,
    subitems_board_address,
)


class SubitemsBuilder(ItemsBuilder):
    # The board being built's ``subitems:`` (the default block when only rows carry some).
    _board_subitems: Subitems | None = None

    def _build_columns(self, tree: Tree, board_key: str) -> tuple[Column, ...]:
        raise NotImplementedError  # the board builder's (BoardsBuilder)

    def _build_subitems(self, tree: Tree, board_key: str) -> Subitems:
        """The board's ``subitems:`` block (its columns under ``board.KEY.subitems``)."""
        data: dict[str, Any] = tree.data["subitems"]
        base: NodePath = ("subitems",)
        sub = Tree(data, tree.span(base), tree.marks, tree.key_marks, (*tree.base, *base))
        # The board's column builder, addressed on the subitems board.
        columns = self._build_columns(sub, f"{board_key}.subitems")
        by_name = _column_lookup(columns)
        choices = sorted(by_name)
        raw_match = data.get("match_by", NAME_KEY)
        names: list[str] = [raw_match] if isinstance(raw_match, str) else raw_match
        match_by: list[str] = []
        address = subitems_board_address(board_key)
        for position, name in enumerate(names):
            path: NodePath = (
                ("subitems", "match_by")
                if isinstance(raw_match, str)
                else ("subitems", "match_by", position)
            )
            resolved = self._match_column(tree, path, name, by_name, choices, address)
            if resolved is None:
                continue
            if resolved in match_by:
                self._error_at(tree, path, f"match_by names column '{name}' twice", address)
                continue
            match_by.append(resolved)
        return Subitems(
            columns=columns,
            match_by=tuple(match_by) or (NAME_KEY,),
            mode=cast(ItemMode, data.get("mode", "upsert")),
            prune=bool(data.get("prune", False)),
            span=tree.span(base),
        )

    def _subitems_of_row(
        self, tree: Tree, path: NodePath, row: dict[str, Any], board_key: str, parent_key: str
    ) -> tuple[Item, ...] | None:
        if self._board_subitems is None:
            self._board_subitems = Subitems(span=tree.span((*path, "subitems")))
        return self._build_row_subitems(
            tree, path, row, board_key, parent_key, self._board_subitems
        )

    def _build_row_subitems(
        self,
        tree: Tree,
        path: NodePath,
        row: dict[str, Any],
        board_key: str,
        parent_key: str,
        subitems: Subitems,
    ) -> tuple[Item, ...] | None:
        """A row's ``subitems:`` as items of the subitems board (None after reporting a
        problem), each match key once under the parent."""
        columns = subitems.columns
        by_name = _column_lookup(columns)
        choices = sorted(by_name)
        by_key = {column.key: column for column in columns}
        match_names: Sequence[str] = subitems.match_by
        parent = f"{board_key}.item[{parent_key}]"
        result: list[Item] = []
        seen: dict[tuple[str, ...], SourceSpan] = {}
        accepted: set[tuple[int, type, Any]] = set()
        ok = True
        for index, entry in enumerate(row.get("subitems") or ()):
            sub_path: NodePath = (*path, "subitems", index)
            before = len(self.errors)
            item = self._build_item(
                tree, sub_path, entry, parent, by_name, choices, {}, None, match_names, accepted
            )
            key = None
            if item is not None:
                key = self._match_key(tree, sub_path, item, subitems.match_by, by_key, parent)
            self._readdress(before, board_key, parent_key)
            if item is None or key is None:
                ok = False
                continue
            span = item.span or tree.span(sub_path)
            if key in seen:
                self._error(
                    f"another subitem of this item has the same match key (on "
                    f"{_where(seen[key], span)}); match_by: {', '.join(subitems.match_by)}",
                    span,
                    address=subitem_address(board_key, parent_key, join_match_key(key)),
                    path=sub_path,
                )
                ok = False
                continue
            seen[key] = span
            result.append(item)
        return tuple(result) if ok else None

    def _readdress(self, since: int, board_key: str, parent_key: str) -> None:
        """The item builder names a subitem ``board.KEY.item[P].item[M]`` (or
        ``...items.rows[N]``): the errors recorded since ``since`` get its subitem address."""
        prefix = f"board.{board_key}.item[{parent_key}]."
        for n in range(since, len(self.errors)):
            error = self.errors[n]
            address = error.address
            if address is None or not address.startswith(prefix):
                continue
            rest = address[len(prefix) :]
            if rest.startswith("item["):
                rest = "sub" + rest
            elif rest.startswith("items.rows["):
                rest = "subitems[" + rest[len("items.rows[") :]
            self.errors[n] = ManifestError(
                error.message, span=error.span, address=prefix + rest, field=error.field
            )
