"""The column-type registry: ``ColumnType`` records, ``COLUMN_TYPES`` and the functions
that dispatch on a column's type (storing, simple forms, text, rule values, settings).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from boardops.sandbox.failures import column_value_error, invalid_argument
from boardops.sandbox.profiles import DOCS, Profile

# --- the registry --------------------------------------------------------------------------


class ValueContext:
    """What storing or rendering a value may need beyond the column itself."""

    def __init__(
        self,
        users: Mapping[str, str],
        tags: Mapping[str, str],
        create_labels_if_missing: bool = False,
        on_settings_changed: Callable[[dict[str, Any]], None] | None = None,
        profile: Profile = DOCS,
    ) -> None:
        self.users = users  # user id -> name
        self.tags = tags  # tag id -> name
        self.create_labels_if_missing = create_labels_if_missing
        self.on_settings_changed = on_settings_changed
        self.profile = profile


Storer = Callable[[dict[str, Any], Any, ValueContext], Any]
SimpleForm = Callable[[str], Any]
Operand = Literal["number", "id", "text", "exact"]


@dataclass(frozen=True)
class ColumnType:
    """Everything the sandbox does for one column type."""

    name: str
    typename: str  # its ColumnValue implementation in schema.graphql
    store: Storer  # the documented write form -> the stored form (None clears)
    text: Callable[[Mapping[str, Any], Any, ValueContext], str]  # stored -> ColumnValue.text
    # change_simple_column_value's string -> the write form; None: the type takes none
    simple: SimpleForm | None = None
    # stored -> what items_page rules compare and order by; None: its text
    compare: Callable[[Any, ValueContext], Any] | None = None
    # how rules read compare_value: a number, an id, text (case-insensitive) or exactly
    operand: Operand = "exact"
    empty_compares_as: Any = None  # what any_of compares an empty value as
    # settings from create_column(defaults:) (a dict or None); None: {}
    settings: Callable[[dict[str, Any] | None], dict[str, Any]] | None = None
    legacy: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None  # settings_str


COLUMN_TYPES: dict[str, ColumnType] = {}


def register(record: ColumnType) -> None:
    if record.name in COLUMN_TYPES:
        raise ValueError(f"column type {record.name} is registered twice")
    COLUMN_TYPES[record.name] = record


def shown(template: str) -> Callable[[Mapping[str, Any], Any, ValueContext], str]:
    """A ``ColumnType.text``: ``template`` filled in (``str.format``) with the stored fields."""
    return lambda _column, stored, _ctx: template.format(**stored)


def is_clearing(raw: Any) -> bool:
    return raw is None or raw == "" or raw == {}


def store_value(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    """The stored form of ``raw`` written to ``column``; None when it clears the value."""
    if is_clearing(raw):
        return None
    column_type = column["type"]
    record = COLUMN_TYPES.get(column_type)
    if record is None:
        raise column_value_error(
            f"The sandbox does not support writing {column_type} columns",
            column_id=column["id"],
        )
    return record.store(column, raw, ctx)


def store_simple_value(column: dict[str, Any], simple: str | None, ctx: ValueContext) -> Any:
    """``change_simple_column_value``: a plain string per monday's simple-value forms."""
    if simple is None or simple == "":
        return None
    column_type = column["type"]
    record = COLUMN_TYPES.get(column_type)
    if record is None or record.simple is None:
        raise column_value_error(f"{column_type} columns take no simple value")
    return store_value(column, record.simple(simple), ctx)


def value_text(column: Mapping[str, Any], stored: Any, ctx: ValueContext) -> str:
    """``ColumnValue.text`` for a stored value (``""`` when empty)."""
    if stored is None:
        return ""
    record = COLUMN_TYPES.get(column["type"])
    return "" if record is None else record.text(column, stored, ctx)


def compared_value(column: Mapping[str, Any], stored: Any, ctx: ValueContext) -> Any:
    """What ``items_page`` rules compare for a stored value: a number, label id(s), or
    text; None when empty."""
    if stored is None:
        return None
    record = COLUMN_TYPES.get(column["type"])
    if record is not None and record.compare is not None:
        return record.compare(stored, ctx)
    return value_text(column, stored, ctx)


def initial_settings(column_type: str, defaults: Any) -> dict[str, Any]:
    """Settings for a new column from ``create_column(defaults:)`` (a JSON object or string)."""
    if isinstance(defaults, str):
        try:
            defaults = json.loads(defaults) if defaults.strip() else None
        except ValueError:
            raise invalid_argument("defaults is not valid JSON") from None
    if defaults is not None and not isinstance(defaults, dict):
        raise invalid_argument("defaults must be a JSON object")
    if isinstance(defaults, dict) and isinstance(defaults.get("settings"), dict):
        defaults = defaults["settings"]
    record = COLUMN_TYPES.get(column_type)
    if record is None or record.settings is None:
        return {}
    return record.settings(defaults)


def legacy_settings(column: Mapping[str, Any]) -> str:
    """``Column.settings_str``: the deprecated string format, derived from ``settings``."""
    settings = column["settings"]
    record = COLUMN_TYPES.get(column["type"])
    if record is None or record.legacy is None:
        return json.dumps(settings)
    return json.dumps(record.legacy(settings))


def as_given(simple: str) -> Any:
    return simple


def bad_value(column: Mapping[str, Any], raw: Any) -> Exception:
    return column_value_error(
        f"invalid value for {column['type']} column {column['id']!r}: {json.dumps(raw)[:200]}",
        column_id=column["id"],
        column_type=column["type"],
    )


def shape(
    required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Callable[[dict[str, Any], Any, ValueContext], Any]:
    allowed = set(required) | set(optional)

    def store(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
        if not isinstance(raw, dict) or not set(raw) <= allowed:
            raise bad_value(column, raw)
        if any(not isinstance(raw.get(key), str) or raw.get(key) == "" for key in required):
            raise bad_value(column, raw)
        return {key: raw[key] for key in (*required, *optional) if key in raw}

    return store
