"""Links between items on the sandbox side: connect-boards (``board_relation``),
``dependency`` and ``mirror`` values.

As monday documents ("Connect boards", "Dependency" column pages): a value is written as
``{"item_ids": [ids]}`` (``{}`` or an empty list clears it); each id must be an active
item of a board the column connects (settings ``boardIds``; a dependency column links
items of its own board), and a column whose ``allowMultipleItems`` is false takes one.
The stored form is ``{"linked_item_ids": ["id", ...]}`` in the order written.

Reading answers ``BoardRelationValue`` / ``DependencyValue`` with ``linked_item_ids``,
``linked_items``, ``display_value`` (the linked items' names joined by ", ") and
(dependency) ``dependency_links``, with ``text`` and ``value`` null, as monday answers
since 2025-04 (both profiles: the documented and the recorded account agree). A mirror
column stores nothing: its ``MirrorValue`` (``display_value``, ``mirrored_items``) is
computed from the items its relation column (settings ``relation_column``) links and
the columns it shows (``displayed_linked_columns``, by board id); writing it is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from boardops.sandbox.failures import column_value_error
from boardops.sandbox.values.registry import ColumnType, ValueContext, bad_value, register

LINK_TYPES = ("board_relation", "dependency")

TextOf = Callable[[Mapping[str, Any], Any], str]


def _store_links(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if not isinstance(raw, dict) or set(raw) - {"item_ids"}:
        raise bad_value(column, raw)
    ids = raw.get("item_ids")
    if ids is None:
        return None
    if not isinstance(ids, list):
        raise bad_value(column, raw)
    stored: list[str] = []
    for item_id in ids:
        text = str(item_id)
        if isinstance(item_id, bool) or not (text.isascii() and text.isdigit()):
            raise bad_value(column, raw)
        if text not in stored:
            stored.append(text)
    return {"linked_item_ids": stored} if stored else None


def _no_text(_column: Mapping[str, Any], _stored: Any, _ctx: ValueContext) -> str:
    return ""


def _settings(defaults: dict[str, Any] | None) -> dict[str, Any]:
    return dict(defaults or {})


def _store_mirror(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    raise column_value_error(
        f"mirror column {column['id']!r} shows values of connected boards and cannot be written",
        column_id=column["id"],
        column_type="mirror",
    )


register(
    ColumnType("board_relation", "BoardRelationValue", _store_links, _no_text, settings=_settings)
)
register(ColumnType("dependency", "DependencyValue", _store_links, _no_text, settings=_settings))
register(ColumnType("mirror", "MirrorValue", _store_mirror, _no_text, settings=_settings))


def connected_board_ids(board: Mapping[str, Any], column: Mapping[str, Any]) -> set[str]:
    """The boards whose items ``column`` may link (its own board for a dependency)."""
    if column["type"] == "dependency":
        return {str(board["id"])}
    settings = column.get("settings")
    settings = settings if isinstance(settings, dict) else {}
    ids = settings.get("boardIds")
    if not isinstance(ids, list):
        single = settings.get("boardId")
        ids = [single] if single is not None else []
    return {str(i) for i in ids}


def check_links(
    data: Mapping[str, Any], board: Mapping[str, Any], column: Mapping[str, Any], stored: Any
) -> None:
    """monday's checks on a link value: every item is an active item of a connected
    board, and there is one item only where the column does not allow several."""
    ids = linked_ids(stored)
    settings = column.get("settings")
    settings = settings if isinstance(settings, dict) else {}
    if (
        column["type"] == "board_relation"
        and settings.get("allowMultipleItems") is False
        and len(ids) > 1
    ):
        raise column_value_error(
            f"column {column['id']!r} links one item only (allowMultipleItems is off)",
            column_id=column["id"],
        )
    allowed = connected_board_ids(board, column)
    items = data["items"]
    for item_id in ids:
        item = items.get(item_id)
        if item is None or item.get("state") != "active":
            raise column_value_error(
                f"item {item_id} does not exist", column_id=column["id"], item_id=item_id
            )
        if str(item["board_id"]) not in allowed:
            raise column_value_error(
                f"item {item_id} is not on a board that column {column['id']!r} connects",
                column_id=column["id"],
                item_id=item_id,
                board_id=item["board_id"],
            )


def linked_ids(stored: Any) -> list[str]:
    ids = stored.get("linked_item_ids") if isinstance(stored, dict) else None
    return [str(i) for i in ids] if isinstance(ids, list) else []


def link_fields(data: Mapping[str, Any], stored: Any) -> dict[str, Any]:
    """The fields of a BoardRelationValue / DependencyValue for a stored value (an item
    deleted since is left out, as monday does)."""
    items = data["items"]
    ids = [i for i in linked_ids(stored) if i in items and items[i].get("state") != "deleted"]
    linked = [items[i] for i in ids]
    return {
        "linked_item_ids": ids,
        "linked_items": linked,
        "display_value": ", ".join(str(item["name"]) for item in linked),
        "dependency_links": [{"linked_item_id": i, "dependency_type": 0, "lag": 0} for i in ids],
        "text": None,
        "value": None,
    }


def mirror_fields(
    data: Mapping[str, Any], column: Mapping[str, Any], item: Mapping[str, Any], text_of: TextOf
) -> dict[str, Any]:
    """A MirrorValue: the shown columns' texts of the items its relation column links.
    ``text_of(column, stored)`` renders a cell's text."""
    settings = column.get("settings")
    settings = settings if isinstance(settings, dict) else {}
    relation = settings.get("relation_column")
    relation_ids = [k for k, on in relation.items() if on] if isinstance(relation, dict) else []
    shown_by_board = settings.get("displayed_linked_columns")
    shown_by_board = shown_by_board if isinstance(shown_by_board, dict) else {}
    items, boards = data["items"], data["boards"]
    mirrored: list[dict[str, Any]] = []
    texts: list[str] = []
    for relation_id in relation_ids:
        for linked_id in linked_ids(item["values"].get(relation_id)):
            linked = items.get(linked_id)
            linked_board = boards.get(linked["board_id"]) if linked is not None else None
            if linked is None or linked_board is None:
                continue
            shown = shown_by_board.get(str(linked_board["id"])) or []
            for shown_column in linked_board["columns"]:
                if shown_column["id"] in shown:
                    text = text_of(shown_column, linked["values"].get(shown_column["id"]))
                    if text:
                        texts.append(text)
            mirrored.append(
                {
                    "linked_board": linked_board,
                    "linked_board_id": linked_board["id"],
                    "linked_item": linked,
                    "mirrored_value": None,
                }
            )
    return {
        "display_value": ", ".join(texts),
        "mirrored_items": mirrored,
        "text": None,
        "value": None,
    }
