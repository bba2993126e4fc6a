"""Connect-boards (``board_relation``), mirror and dependency columns: their settings, as
the sandbox checks and stores them (both profiles).

What it follows (developer.monday.com, "Get column type schema" for board_relation; the
"Connect boards", "Mirror" and "Dependency" column pages; see ``boardops.relations``):

* board_relation ``defaults``/``settings``: ``boardIds`` (every id an active board, else
  monday's ``InvalidBoardIdException``), ``allowMultipleItems`` (default true) and
  ``allowCreateReflectionColumn`` (two-way, default false). Two-way: creating the column
  adds a connect-boards column to each connected board (other than its own), titled
  with this board's name, linking back to it, two-way too, as monday's UI does.
* mirror: ``relation_column`` (``{"<column id>": true}``) must name a board_relation
  column of the same board; ``displayed_linked_columns`` (``{"<board id>": [ids]}``) only
  boards that relation connects, and columns that exist on them.
* dependency: one per board; its settings hold ``boardIds`` (its own board).

Settings are stored as given (normalised: ids as integers) and answered as stored by
``Column.settings``, and as the same JSON text by ``settings_str``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from boardops.sandbox.executor import ExecutionContext
from boardops.sandbox.failures import invalid_argument
from boardops.sandbox.resolvers.lookups import find_board

RELATION_TYPES = ("board_relation", "mirror", "dependency")


def as_object(given: Any, what: str) -> dict[str, Any]:
    if given is None:
        return {}
    if isinstance(given, str):
        try:
            given = json.loads(given) if given.strip() else {}
        except ValueError:
            raise invalid_argument(f"{what} is not valid JSON") from None
    if not isinstance(given, dict):
        raise invalid_argument(f"{what} must be a JSON object")
    if isinstance(given.get("settings"), dict):
        given = given["settings"]
    return dict(given)


def _ids(ctx: ExecutionContext, value: Any) -> list[int]:
    if not isinstance(value, list) or not value:
        raise invalid_argument("boardIds must be a non-empty list of board ids")
    ids: list[int] = []
    for entry in value:
        if isinstance(entry, bool) or not str(entry).isdigit():
            raise invalid_argument(f"boardIds holds {entry!r}, not a board id")
        find_board(ctx, str(entry))  # InvalidBoardIdException when it does not exist
        if int(entry) not in ids:
            ids.append(int(entry))
    return ids


def _flag(settings: Mapping[str, Any], key: str, default: bool) -> bool:
    value = settings.get(key, default)
    if not isinstance(value, bool):
        raise invalid_argument(f"{key} must be true or false")
    return value


def checked_settings(
    ctx: ExecutionContext, board_id: str, column_type: str, given: Any, what: str = "defaults"
) -> dict[str, Any]:
    """The settings to store for a new (or updated) column of ``column_type``."""
    settings = as_object(given, what)
    board = find_board(ctx, board_id)
    if column_type == "board_relation":
        return {
            **settings,
            "boardIds": _ids(ctx, settings.get("boardIds")),
            "allowMultipleItems": _flag(settings, "allowMultipleItems", True),
            "allowCreateReflectionColumn": _flag(settings, "allowCreateReflectionColumn", False),
        }
    if column_type == "mirror":
        return _mirror(ctx, board, settings)
    return {**settings, "boardIds": [int(board_id)]}


def _mirror(
    ctx: ExecutionContext, board: Mapping[str, Any], settings: dict[str, Any]
) -> dict[str, Any]:
    relation = settings.get("relation_column")
    chosen = [str(k) for k, v in relation.items() if v] if isinstance(relation, Mapping) else []
    if len(chosen) != 1:
        raise invalid_argument('relation_column must name one column: {"<column id>": true}')
    source = next(
        (c for c in board["columns"] if c["id"] == chosen[0] and not c.get("archived")), None
    )
    if source is None or source["type"] != "board_relation":
        raise invalid_argument(
            f"relation_column {chosen[0]!r} is not a connect boards column of this board",
            column_id=chosen[0],
        )
    connected = {str(i) for i in source["settings"].get("boardIds", [])}
    displayed = settings.get("displayed_linked_columns") or {}
    if not isinstance(displayed, Mapping):
        raise invalid_argument("displayed_linked_columns must be an object")
    shown: dict[str, list[str]] = {}
    for linked_id, column_ids in displayed.items():
        if str(linked_id) not in connected:
            raise invalid_argument(
                f"board {linked_id} is not connected by column {chosen[0]!r}",
                board_id=str(linked_id),
            )
        linked = find_board(ctx, str(linked_id))
        present = {c["id"] for c in linked["columns"] if not c.get("archived")}
        if not isinstance(column_ids, list):
            raise invalid_argument("displayed_linked_columns values must be lists of column ids")
        for column_id in column_ids:
            if str(column_id) not in present:
                raise invalid_argument(
                    f"column {column_id!r} does not exist on board {linked_id}",
                    column_id=str(column_id),
                )
        shown[str(linked_id)] = [str(c) for c in column_ids]
    return {
        **settings,
        "relation_column": {chosen[0]: True},
        "displayed_linked_columns": shown,
    }


def check_new(ctx: ExecutionContext, board_id: str, column_type: str) -> None:
    """What monday refuses before a column of ``column_type`` is added: a second
    dependency column on a board."""
    if column_type != "dependency":
        return
    board = find_board(ctx, board_id)
    if any(c["type"] == "dependency" and not c.get("archived") for c in board["columns"]):
        raise invalid_argument("A board can have only one dependency column")


def reflection_targets(board_id: str, settings: Mapping[str, Any]) -> list[str]:
    """The boards that get a reflected column for a new two-way connect-boards column."""
    if not settings.get("allowCreateReflectionColumn"):
        return []
    return [str(i) for i in settings.get("boardIds", []) if str(i) != str(board_id)]


def reflection_settings(board_id: str) -> dict[str, Any]:
    return {
        "boardIds": [int(board_id)],
        "allowMultipleItems": True,
        "allowCreateReflectionColumn": True,
    }
