"""Column settings: the one registry of the settings keys boardops manages, by column type.

Each entry is the JSON Schema of one documented settings key of one column type. Both the
manifest's JSON Schema (``settings:`` of a column, checked per type so a misspelt key gets
a did-you-mean at its file:line) and the sandbox's ``get_column_type_schema`` answer (a
draft-07 schema, as monday's docs describe it) are built from here, so each rule is
written once. A key not listed here is never written by boardops: a manifest cannot
declare it, and one monday reports is left alone (and reported by the plan).

Sources, per key (monday's developer docs and support articles; the live acceptance suite
probes ``get_column_type_schema`` on a real account to confirm them):

* ``numbers.unit`` {``symbol``, ``custom_unit``, ``direction``}: the numbers column page
  (``NumbersValue.symbol``: "the unit or symbol applied to the value"; ``direction``:
  ``NumberValueUnitDirection`` ``left``/``right``, where the symbol is placed). Other
  integrations read the same shape from real boards, with currency names as symbols
  (``{"unit": {"symbol": "$", "custom_unit": "", "direction": "left"}}``; "dollar").
* ``rating.limit``: the rating column's number of stars (monday's rating column settings;
  the codec already reads it to check rating values, ``codec._scalars.rating_limit``).
* ``people.max_people_allowed``: the people column's "restrict ownership" setting (the
  People Column support article: one, two or three people, or unlimited, 0).

Status and dropdown labels (``labels``, dropdown ``limit_select`` and
``label_limit_count``) are settings too, but the label code owns them
(``plan.diff_labels``): they are never part of a ``settings:`` comparison. The columns of
issue 17 (``board_relation``, ``mirror``, ``dependency``) are declared with their own
manifest keys and owned by ``boardops.relations`` (``MODELLED_SETTINGS``): never part
of ``settings:`` either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boardops.model import JSONValue
from boardops.relations import MODELLED_SETTINGS

JSONSchema = dict[str, Any]

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

# Settings keys the label code owns, by column type: never compared or written here.
LABEL_KEYS: Mapping[str, frozenset[str]] = {
    "status": frozenset({"labels", "type"}),
    "dropdown": frozenset({"labels", "limit_select", "label_limit_count"}),
}
# Settings keys other code owns: the labels, and the connect-boards, mirror and dependency
# keys of ``boardops.relations`` (declared with their own manifest keys, not ``settings:``).
OWNED_ELSEWHERE: Mapping[str, frozenset[str]] = {**LABEL_KEYS, **MODELLED_SETTINGS}


def _text(description: str) -> JSONSchema:
    return {"type": "string", "description": description}


def _choice(description: str, values: tuple[JSONValue, ...]) -> JSONSchema:
    return {"enum": list(values), "description": description}


# column type -> settings key -> its JSON Schema.
SETTINGS: Mapping[str, Mapping[str, JSONSchema]] = {
    "numbers": {
        "unit": {
            "type": "object",
            "title": "Unit",
            "description": "The unit shown with each number.",
            "properties": {
                "symbol": _text(
                    "The unit shown with the number, as monday names it: a currency "
                    '("dollar", "euro", "pound"), a sign ("$", "%"), or "custom" with '
                    "custom_unit."
                ),
                "custom_unit": _text("A unit of your own, shown when symbol is custom."),
                "direction": _choice(
                    "Where the symbol goes: left or right of the number.", ("left", "right")
                ),
            },
            "additionalProperties": False,
        },
    },
    "rating": {
        "limit": _choice("The number of stars (the highest rating).", tuple(range(1, 11))),
    },
    "people": {
        "max_people_allowed": _choice(
            "How many people an item may be assigned: 1, 2 or 3; 0 for no limit.", (0, 1, 2, 3)
        ),
    },
}


def managed_keys(column_type: str) -> frozenset[str]:
    """The settings keys boardops compares and writes for ``column_type``."""
    return frozenset(SETTINGS.get(column_type, {}))


def manifest_settings_schema(column_type: str) -> JSONSchema:
    """What a manifest's ``settings:`` may hold for a column of ``column_type``."""
    return {
        "title": "Column settings",
        "description": f"Settings of a {column_type} column; leave a key out to leave "
        "monday's alone.",
        "type": "object",
        "properties": {key: dict(schema) for key, schema in SETTINGS.get(column_type, {}).items()},
        "additionalProperties": False,
    }


def manifest_rules() -> list[JSONSchema]:
    """The manifest column schema's per-type ``settings`` rules (``allOf`` entries): each
    managed type takes its own keys, every other type takes none."""
    rules: list[JSONSchema] = [
        {
            "if": {"properties": {"type": {"const": column_type}}, "required": ["type"]},
            "then": {"properties": {"settings": manifest_settings_schema(column_type)}},
        }
        for column_type in SETTINGS
    ]
    rules.append(
        {
            "if": {
                "properties": {"type": {"not": {"enum": list(SETTINGS)}}},
                "required": ["type"],
            },
            "then": {
                "properties": {
                    "settings": {
                        "title": "Column settings",
                        "type": "object",
                        "properties": {},
                        "additionalProperties": False,
                    }
                }
            },
        }
    )
    return rules


def column_type_schema(column_type: str) -> JSONSchema:
    """``get_column_type_schema(type)`` as the sandbox answers it: a draft-07 schema of the
    type's settings. Keys boardops does not model are allowed (monday has more); those
    other code owns (``OWNED_ELSEWHERE``) are listed, checked where they are owned."""
    properties: JSONSchema = {key: {} for key in sorted(OWNED_ELSEWHERE.get(column_type, ()))}
    properties.update({key: dict(schema) for key, schema in SETTINGS.get(column_type, {}).items()})
    return {
        "$schema": DRAFT_07,
        "title": f"{column_type} column settings",
        "type": "object",
        "properties": properties,
        "additionalProperties": True,
    }


def merged(live: Mapping[str, JSONValue], wanted: Mapping[str, JSONValue]) -> dict[str, JSONValue]:
    """``live`` with ``wanted`` laid over it, mapping by mapping: what ``update_column``
    sends, so keys the manifest leaves out (and keys boardops does not know) stay."""
    out: dict[str, JSONValue] = dict(live)
    for key, value in wanted.items():
        before = out.get(key)
        if isinstance(value, Mapping) and isinstance(before, Mapping):
            out[key] = merged(before, value)
        else:
            out[key] = value
    return out


def _read(schema: JSONSchema, value: JSONValue) -> JSONValue:
    """A live value in the form the manifest writes it: a whole number sent as text
    (``"1"``; monday's legacy settings hold numbers as text) is read as the number where
    the key takes whole numbers; anything else as it is."""
    choices = schema.get("enum", ())
    if (
        isinstance(value, str)
        and value.isdigit()
        and any(isinstance(c, int) and not isinstance(c, bool) for c in choices)
    ):
        return int(value)
    return value


def live_view(column_type: str, settings: Mapping[str, JSONValue] | None) -> dict[str, JSONValue]:
    """A live column's settings as the plan compares them (see ``_read``)."""
    schemas = SETTINGS.get(column_type, {})
    return {
        key: _read(schemas[key], value) if key in schemas else value
        for key, value in (settings or {}).items()
    }


def declared(column_type: str, settings: Mapping[str, JSONValue] | None) -> dict[str, JSONValue]:
    """The managed keys of a live column's settings, as an export writes them."""
    if not settings:
        return {}
    view = live_view(column_type, settings)
    keys = sorted(managed_keys(column_type))
    return {key: view[key] for key in keys if view.get(key) is not None}


def unknown_keys(column_type: str, settings: Mapping[str, JSONValue] | None) -> list[str]:
    """Top-level keys of live settings boardops neither manages nor leaves to the labels."""
    known = managed_keys(column_type) | OWNED_ELSEWHERE.get(column_type, frozenset())
    return sorted(key for key in settings or {} if key not in known)


def exported(
    column_type: str, settings: Mapping[str, JSONValue] | None, width: int | None
) -> dict[str, JSONValue]:
    """What an export writes for a live column besides its title and labels: every managed
    settings key monday reports (so the manifest plans to no change, and recreates the same
    settings elsewhere) and the width monday reports."""
    out: dict[str, JSONValue] = {}
    kept = declared(column_type, settings)
    if kept:
        out["settings"] = kept
    if width is not None:
        out["width"] = width
    return out
