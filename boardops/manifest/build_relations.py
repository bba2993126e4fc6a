"""Building connect-boards (``board_relation``), mirror and dependency columns (see
``manifest.build``): the keys only their type takes, a mirror's relation column on the
same board, one dependency column per board, and (once every board is built) the boards
and columns they name on other boards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from boardops.errors import SourceSpan
from boardops.manifest.build_base import BuilderBase
from boardops.manifest.schema_check import did_you_mean
from boardops.manifest.source import NodePath
from boardops.manifest.tree import Tree
from boardops.model import Board, BoardLink, Column, Mirror, Relation, column_address
from boardops.relations import BOARD_RELATION, DEPENDENCY, MIRROR

# The column keys only one column type takes.
_KEYS_OF_TYPE = {
    "boards": BOARD_RELATION,
    "allow_multiple": BOARD_RELATION,
    "two_way": BOARD_RELATION,
    "relation": MIRROR,
    "shows": MIRROR,
}
# The key each of these types needs.
_NEEDED = {BOARD_RELATION: "boards", MIRROR: "relation"}


class RelationsBuilder(BuilderBase):
    """Part of the board builder: see the module docstring."""

    # (board key, column key, field) -> where it is written, for the checks across boards
    _relation_spans: dict[tuple[str, str, str], SourceSpan]

    def _build_relation(
        self, tree: Tree, path: NodePath, board_key: str, column_key: str
    ) -> tuple[Relation | None, Mirror | None]:
        data: dict[str, Any] = tree.get(path)
        column_type: str = data["type"]
        address = column_address(board_key, column_key)
        wrong = False
        for key, owner in _KEYS_OF_TYPE.items():
            if key in data and owner != column_type:
                self._error_at(
                    tree,
                    (*path, key),
                    f"only {owner} columns take `{key}`, not {column_type}",
                    address,
                    key=True,
                )
                wrong = True
        needed = _NEEDED.get(column_type)
        if needed is not None and needed not in data:
            self._error_at(
                tree,
                (*path, "type"),
                f"a {column_type} column needs `{needed}:`"
                + (
                    " (the boards it connects: manifest board keys, or {id: ...} / {name: ...})"
                    if needed == "boards"
                    else " (the id or title of a board_relation column of this board)"
                ),
                address,
            )
            return None, None
        if wrong:
            return None, None
        if column_type == BOARD_RELATION:
            links: list[BoardLink] = []
            for index, entry in enumerate(data["boards"]):
                where = tree.span((*path, "boards", index))
                if isinstance(entry, dict) and "id" in entry:
                    link = BoardLink(id=str(entry["id"]))
                elif isinstance(entry, dict):
                    link = BoardLink(name=str(entry["name"]))
                else:
                    link = BoardLink(key=str(entry))
                    self._relation_spans[(board_key, column_key, f"boards.{entry}")] = where
                if link in links:
                    self._error_at(
                        tree,
                        (*path, "boards", index),
                        f"board {_shown(entry)} is listed twice",
                        address,
                    )
                    continue
                links.append(link)
            return (
                Relation(
                    boards=tuple(links),
                    allow_multiple=bool(data.get("allow_multiple", True)),
                    two_way=bool(data.get("two_way", False)),
                ),
                None,
            )
        if column_type == MIRROR:
            self._relation_spans[(board_key, column_key, "relation")] = tree.span(
                (*path, "relation")
            )
            for index, shown in enumerate(data.get("shows", ())):
                self._relation_spans[(board_key, column_key, f"shows.{shown}")] = tree.span(
                    (*path, "shows", index)
                )
            return None, Mirror(relation=data["relation"], shows=tuple(data.get("shows", ())))
        return None, None

    def _check_board_relations(self, board_key: str, columns: Sequence[Column]) -> None:
        """Within one board: a mirror's relation is a board_relation column of the board,
        and there is at most one dependency column."""
        dependency: Column | None = None
        for column in columns:
            address = column_address(board_key, column.key)
            if column.type == DEPENDENCY:
                if dependency is not None:
                    self._error(
                        f"a board has at most one dependency column (monday allows one); "
                        f"'{dependency.key}' is one already",
                        column.span or SourceSpan(""),
                        address=address,
                    )
                dependency = dependency or column
            if column.mirror is None:
                continue
            target = _column_named(columns, column.mirror.relation)
            span = self._relation_spans.get((board_key, column.key, "relation"))
            if target is None or target.type != BOARD_RELATION:
                relations = [c.key for c in columns if c.type == BOARD_RELATION]
                what = (
                    f"is a {target.type} column"
                    if target is not None
                    else "is not a column of this board"
                )
                self._error(
                    f"mirror relation '{column.mirror.relation}' {what}; it must name a "
                    "board_relation column of the same board"
                    + (did_you_mean(column.mirror.relation, relations) if target is None else ""),
                    span or column.span or SourceSpan(""),
                    address=address,
                )

    def _check_relations_across(self, boards: Sequence[Board]) -> None:
        """Across boards: connected board keys exist, and a mirror's shown columns exist on
        the manifest boards its relation connects."""
        spans = self._relation_spans
        by_key = {b.key: b for b in boards}
        for board in boards:
            for column in board.columns:
                address = column_address(board.key, column.key)
                if column.relation is not None:
                    for link in column.relation.boards:
                        if link.key is None or link.key in by_key:
                            continue
                        self._error(
                            f"unknown board '{link.key}'"
                            + (
                                did_you_mean(link.key, by_key)
                                or "; declare it in a manifest, or write {id: ...} or "
                                "{name: ...} for a board outside them"
                            ),
                            spans.get((board.key, column.key, f"boards.{link.key}"))
                            or column.span
                            or SourceSpan(""),
                            address=address,
                        )
                if column.mirror is None:
                    continue
                relation = _column_named(board.columns, column.mirror.relation)
                if relation is None or relation.relation is None:
                    continue
                targets = [
                    by_key[link.key] for link in relation.relation.boards if link.key in by_key
                ]
                if len(targets) != len(relation.relation.boards):
                    continue  # an outside board: its columns are checked by the plan
                for shown in column.mirror.shows:
                    if any(_column_named(t.columns, shown) for t in targets):
                        continue
                    names = sorted({c.key for t in targets for c in t.columns})
                    self._error(
                        f"mirror shows '{shown}', which is not a column of "
                        + ", ".join(f"board '{t.key}'" for t in targets)
                        + (did_you_mean(shown, names) or ""),
                        spans.get((board.key, column.key, f"shows.{shown}"))
                        or column.span
                        or SourceSpan(""),
                        address=address,
                    )


def _shown(entry: Any) -> str:
    """A ``boards:`` entry as the manifest wrote it."""
    if isinstance(entry, dict):
        return ", ".join(f"{k}: {v}" for k, v in entry.items()).join("{}")
    return repr(entry)


def _column_named(columns: Sequence[Column], name: str) -> Column | None:
    """The column whose id, else title, is ``name``."""
    for column in columns:
        if column.id == name:
            return column
    for column in columns:
        if column.title == name:
            return column
    return None
