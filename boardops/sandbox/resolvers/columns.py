"""Columns: ``Board.columns``, column fields and the column mutations.

``update_*_column`` with a stale ``revision`` fails with ``InvalidColumnRevisionException``
(status_code 409, ``error_data.current_revision``); every column change makes a new
revision. Column ``capabilities`` are accepted and ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from graphql import GraphQLResolveInfo
from jsonschema import Draft7Validator  # type: ignore[import-untyped]

from boardops import column_settings
from boardops.model import STATUS_COLOR_IDS
from boardops.sandbox import behaviours, relation_columns
from boardops.sandbox.executor import (
    ExecutionContext,
    Resolver,
    mutation,
    mutations,
    new_revision,
    query,
    type_field,
    type_fields,
)
from boardops.sandbox.failures import invalid_argument
from boardops.sandbox.resolvers.lookups import (
    find_board,
    find_column,
    touch,
)
from boardops.sandbox.state import next_number
from boardops.sandbox.values.labels import (
    check_status_labels,
    dropdown_settings_from_input,
    next_dropdown_id,
    status_label,
)
from boardops.sandbox.values.registry import initial_settings, legacy_settings

_COLUMN_ID = re.compile(r"^[a-z_]{1,20}$")


@type_field("Board", "columns")
def board_columns(
    board: Mapping[str, Any],
    info: GraphQLResolveInfo,
    ids: list[str | None] | None = None,
    types: list[str] | None = None,
) -> list[dict[str, Any]]:
    columns = [c for c in board["columns"] if not c.get("archived")]
    if ids is not None:
        wanted = {str(i) for i in ids if i is not None}
        columns = [c for c in columns if c["id"] in wanted]
    if types is not None:
        columns = [c for c in columns if c["type"] in types]
    return columns


def new_column(
    ctx: ExecutionContext,
    column_id: str,
    title: str,
    column_type: str,
    settings: dict[str, Any],
    description: str | None = None,
) -> dict[str, Any]:
    return {
        "id": column_id,
        "title": title,
        "type": column_type,
        "description": description,
        "width": None,
        "archived": False,
        "settings": settings,
        "revision": new_revision(ctx.data),
    }


def _add_column(
    ctx: ExecutionContext,
    board_id: str,
    column_id: str | None,
    title: str,
    column_type: str,
    settings: dict[str, Any],
    description: str | None,
    after_column_id: str | None,
) -> dict[str, Any]:
    board = find_board(ctx, board_id)
    if not title.strip():
        raise invalid_argument("Column title must not be empty")
    if column_type in ("name", "unsupported", "group"):
        raise invalid_argument(f"Columns of type {column_type} cannot be created")
    if column_id is None:
        column_id = f"{column_type}_mk{next_number(ctx.data, 'column'):06d}"
    else:
        if not _COLUMN_ID.match(column_id):
            raise invalid_argument(
                "Column id must be 1-20 characters of lowercase letters and underscores",
                column_id=column_id,
            )
        if column_id in board["used_column_ids"]:
            raise invalid_argument(
                f"Column id {column_id!r} is already used on this board (or was used by a "
                "deleted column)",
                column_id=column_id,
            )
    position = len(board["columns"])
    if after_column_id is not None:
        anchor = find_column(board, after_column_id)
        position = board["columns"].index(anchor) + 1
    column = new_column(ctx, column_id, title, column_type, settings, description)
    if column_type == "dropdown":
        # Dropdown label ids are never reused, even after the highest one is deleted.
        column["last_label_id"] = max((lb["id"] for lb in settings["labels"]), default=0)
    board["columns"].insert(position, column)
    board["used_column_ids"].append(column_id)
    touch(board)
    return column


def _status_defaults(_column_type: str, defaults: Any) -> dict[str, Any]:
    return initial_settings("status", None if defaults is None else dict(defaults))


def _dropdown_defaults(_column_type: str, defaults: Any) -> dict[str, Any]:
    return dropdown_settings_from_input(
        list((defaults or {}).get("labels") or []),
        (defaults or {}).get("limit_select"),
        (defaults or {}).get("label_limit_count"),
    )


def _column_creator(
    fixed_type: str | None, settings_of: Callable[[str, Any], dict[str, Any]]
) -> Resolver:
    """A ``create_*_column`` resolver: columns of ``fixed_type`` (``create_column``, None,
    takes ``column_type``), with their settings made from ``defaults`` by ``settings_of``."""

    def create(
        ctx: ExecutionContext,
        board_id: str,
        title: str,
        column_type: str | None = None,
        id: str | None = None,
        description: str | None = None,
        after_column_id: str | None = None,
        defaults: Any = None,
        capabilities: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        kind = fixed_type or column_type
        assert kind is not None, "create_column's column_type is required by the schema"
        if kind == "subtasks":
            from boardops.sandbox.resolvers.subitems import add_subtasks_column

            return add_subtasks_column(ctx, find_board(ctx, board_id), title, id, description)
        if kind in relation_columns.RELATION_TYPES:
            return _add_relation_column(
                ctx, board_id, id, title, kind, defaults, description, after_column_id
            )
        settings = settings_of(kind, defaults)
        return _add_column(ctx, board_id, id, title, kind, settings, description, after_column_id)

    return create


@query
def q_get_column_type_schema(ctx: ExecutionContext, type: str) -> dict[str, Any]:
    """The draft-07 schema of a column type's settings (``boardops.column_settings``)."""
    return column_settings.column_type_schema(type)


def check_settings(column_type: str, settings: Any) -> dict[str, Any]:
    """``settings`` (an object, or JSON text of one) checked against the type's schema,
    as ``create_column(defaults:)`` and ``update_column(settings:)`` check them."""
    if isinstance(settings, str):
        try:
            settings = json.loads(settings) if settings.strip() else {}
        except ValueError:
            raise invalid_argument("settings is not valid JSON") from None
    if not isinstance(settings, dict):
        raise invalid_argument("settings must be a JSON object")
    validator = Draft7Validator(column_settings.column_type_schema(column_type))
    for error in sorted(validator.iter_errors(settings), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(p) for p in error.absolute_path) or "settings"
        raise invalid_argument(
            f"Invalid settings for a {column_type} column at {where}",
            column_type=column_type,
            path=where,
        )
    return settings


def _generic_defaults(column_type: str, defaults: Any) -> dict[str, Any]:
    """``create_column(defaults:)``: label settings as before; the settings of the types
    ``column_settings`` models checked and stored."""
    settings = initial_settings(column_type, defaults)
    if defaults is None or column_type not in column_settings.SETTINGS:
        return settings
    given = check_settings(column_type, defaults)
    if isinstance(given.get("settings"), dict):
        given = check_settings(column_type, given["settings"])
    return {**settings, **given}


def _add_relation_column(
    ctx: ExecutionContext,
    board_id: str,
    column_id: str | None,
    title: str,
    kind: str,
    defaults: Any,
    description: str | None,
    after_column_id: str | None,
) -> dict[str, Any]:
    """A connect-boards, mirror or dependency column (``sandbox.relation_columns``); a
    two-way connect-boards column adds its reflection to each connected board."""
    relation_columns.check_new(ctx, board_id, kind)
    settings = relation_columns.checked_settings(ctx, board_id, kind, defaults)
    column = _add_column(
        ctx, board_id, column_id, title, kind, settings, description, after_column_id
    )
    source = find_board(ctx, board_id)
    for target in relation_columns.reflection_targets(board_id, settings):
        reflection = relation_columns.reflection_settings(board_id)
        _add_column(ctx, target, None, source["name"], kind, reflection, None, None)
    return column


mutations(
    create_column=_column_creator(None, _generic_defaults),
    create_status_column=_column_creator("status", _status_defaults),
    create_dropdown_column=_column_creator("dropdown", _dropdown_defaults),
)


def _revised_column(
    ctx: ExecutionContext, board_id: str, column_id: str, revision: str, expected_type: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    board = find_board(ctx, board_id)
    column = find_column(board, column_id)
    if expected_type is not None and column["type"] != expected_type:
        raise invalid_argument(
            f"Column {column_id!r} is a {column['type']} column, not {expected_type}",
            column_id=column_id,
        )
    if revision != column["revision"]:
        raise behaviours.revision_mismatch(ctx, column_id, column["revision"])
    return board, column


def _finish_column_update(
    ctx: ExecutionContext,
    board: dict[str, Any],
    column: dict[str, Any],
    title: str | None,
    description: str | None,
    width: int | None,
) -> dict[str, Any]:
    """What every update_*_column ends with: common fields, a new revision, a touched board."""
    _apply_common(column, title, description, width)
    ctx.bump_revision(column)
    touch(board)
    return column


def _apply_common(
    column: dict[str, Any], title: str | None, description: str | None, width: int | None
) -> None:
    if title is not None:
        if not title.strip():
            raise invalid_argument("Column title must not be empty")
        column["title"] = title
    if description is not None:
        column["description"] = description
    if width is not None:
        column["width"] = width


def _write_settings(ctx: ExecutionContext, column: dict[str, Any], settings: Any) -> None:
    if column["type"] in ("status", "dropdown"):
        raise invalid_argument(
            f"Use update_{column['type']}_column to change {column['type']} labels"
        )
    if column["type"] in relation_columns.RELATION_TYPES:
        board_id = next(
            b
            for b, board in ctx.data["boards"].items()
            if any(c is column for c in board["columns"])
        )
        merged = {**column["settings"], **relation_columns.as_object(settings, "settings")}
        column["settings"] = relation_columns.checked_settings(
            ctx, board_id, column["type"], merged, "settings"
        )
        return
    column["settings"] = check_settings(column["type"], settings)


def _write_status_labels(
    ctx: ExecutionContext, column: dict[str, Any], settings: Mapping[str, Any]
) -> None:
    behaviours.check_status_update(ctx, column, settings["labels"])
    current = {lb["id"]: lb for lb in column["settings"]["labels"]}
    labels = []
    for entry in settings["labels"]:
        if entry.get("id") is not None:
            if entry["id"] not in current:
                raise invalid_argument(f"Status label id {entry['id']} does not exist")
            label_id = int(entry["id"])
        else:
            label_id = STATUS_COLOR_IDS[entry["color"]]
        labels.append(
            status_label(
                entry["label"],
                entry["color"],
                entry["index"],
                is_done=bool(entry.get("is_done")),
                description=entry.get("description"),
                is_deactivated=bool(entry.get("is_deactivated")),
                label_id=label_id,
            )
        )
    check_status_labels(labels)
    behaviours.retire_removed_labels(ctx, column, labels)
    column["settings"] = {**column["settings"], "labels": labels}


def _write_dropdown_labels(
    ctx: ExecutionContext, column: dict[str, Any], settings: Mapping[str, Any]
) -> None:
    current = {lb["id"]: lb for lb in column["settings"]["labels"]}
    kept_ids = {int(e["id"]) for e in settings["labels"] if e.get("id") is not None}
    unknown = kept_ids - set(current)
    if unknown:
        raise invalid_argument(f"Dropdown label id {min(unknown)} does not exist")
    removed = set(current) - kept_ids
    added = [e for e in settings["labels"] if e.get("id") is None]
    if len(removed) > 1:
        raise invalid_argument(
            "update_dropdown_column can delete at most one label per call",
            removed=sorted(removed),
        )
    if removed and added:
        raise invalid_argument(
            "update_dropdown_column cannot add and delete labels in the same call"
        )
    labels = []
    for entry in settings["labels"]:
        label_id = int(entry["id"]) if entry.get("id") is not None else None
        if label_id is None:
            label_id = next_dropdown_id(column)
        labels.append(
            {
                "id": label_id,
                "label": entry["label"],
                "is_deactivated": bool(entry.get("is_deactivated")),
            }
        )
    if len({lb["label"] for lb in labels}) != len(labels):
        raise invalid_argument("Dropdown labels must be unique")
    new_settings = {**column["settings"], "labels": labels}
    if settings.get("limit_select") is not None:
        new_settings["limit_select"] = settings["limit_select"]
    if settings.get("label_limit_count") is not None:
        new_settings["label_limit_count"] = settings["label_limit_count"]
    column["settings"] = new_settings


def _column_updater(
    fixed_type: str | None, write_settings: Callable[[ExecutionContext, dict[str, Any], Any], None]
) -> Resolver:
    """An ``update_*_column`` resolver for columns of ``fixed_type`` (``update_column``, None,
    takes ``column_type``); ``write_settings`` stores its ``settings`` argument when given."""

    def update(
        ctx: ExecutionContext,
        board_id: str,
        id: str,
        revision: str,
        column_type: str | None = None,
        title: str | None = None,
        description: str | None = None,
        width: int | None = None,
        settings: Any = None,
        capabilities: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        board, column = _revised_column(ctx, board_id, id, revision, fixed_type or column_type)
        if settings is not None:
            write_settings(ctx, column, settings)
        return _finish_column_update(ctx, board, column, title, description, width)

    return update


mutations(
    update_column=_column_updater(None, _write_settings),
    update_status_column=_column_updater("status", _write_status_labels),
    update_dropdown_column=_column_updater("dropdown", _write_dropdown_labels),
)


@mutation
def m_change_column_title(
    ctx: ExecutionContext, board_id: str, column_id: str, title: str
) -> dict[str, Any]:
    board = find_board(ctx, board_id)
    column = find_column(board, column_id)
    return _finish_column_update(ctx, board, column, title, None, None)


@mutation
def m_change_column_metadata(
    ctx: ExecutionContext,
    board_id: str,
    column_id: str,
    column_property: str | None = None,
    value: str | None = None,
) -> dict[str, Any]:
    board = find_board(ctx, board_id)
    column = find_column(board, column_id)
    title = None
    if column_property == "title":
        title = value or ""
    elif column_property == "description":
        column["description"] = value
    else:
        raise invalid_argument("column_property must be title or description")
    return _finish_column_update(ctx, board, column, title, None, None)


@mutation
def m_delete_column(ctx: ExecutionContext, board_id: str, column_id: str) -> dict[str, Any]:
    board = find_board(ctx, board_id)
    column = find_column(board, column_id)
    if column["type"] == "name":
        raise invalid_argument("Cannot delete mandatory columns (the name column)")
    board["columns"].remove(column)
    for item_id in board["item_ids"]:
        ctx.data["items"][item_id]["values"].pop(column["id"], None)
    touch(board)
    return column


type_fields(
    "Column",
    settings_str=lambda c, _i: legacy_settings(c),
    archived=lambda c, _i: bool(c.get("archived")),
)
