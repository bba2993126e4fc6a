"""Column settings and column values, stored the way monday stores them.

Settings (``Column.settings``, the typed format):

* status: ``{"type": "status", "labels": [{"id", "label", "color", "index", "is_done",
  "description", "is_deactivated", "hex"}]}``; a label's id is its colour's id, so a colour
  is used once per column. A status column created without labels gets "Working on it"
  (working_orange, 0), "Done" (done_green, 1, done) and "Stuck" (stuck_red, 2). Label id
  5 is monday's "empty" label: it is not listed, writing ``{"index": 5}`` clears the value
  and filtering ``any_of [5]`` matches items without a status.
* dropdown: ``{"labels": [{"id", "label", "is_deactivated"}], "limit_select",
  "label_limit_count"}`` with ids 1, 2, ... in creation order, never reused.
* every other type: ``{}``.

``settings_str`` (legacy, deprecated) is derived on read by ``legacy_settings``.

Values: ``store_value`` turns what a client writes (the documented "write" form, or the
simple string form of ``change_simple_column_value``) into the stored form, and
``value_text`` derives ``ColumnValue.text`` from it. The table of forms is in
``boardops/sandbox/__init__.py``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from boardops.model import MAX_STATUS_LABEL_LENGTH, MAX_STATUS_LABELS, STATUS_COLOR_IDS
from boardops.sandbox.failures import column_value_error, invalid_argument
from boardops.sandbox.profiles import DOCS, Profile

EMPTY_STATUS_LABEL_ID = 5

STATUS_HEX: Mapping[str, str] = {
    "working_orange": "#fdab3d",
    "done_green": "#00c875",
    "stuck_red": "#df2f4a",
    "dark_blue": "#007eb5",
    "purple": "#9d50dd",
    "explosive": "#c4c4c4",
    "grass_green": "#037f4c",
    "bright_blue": "#579bfc",
    "saladish": "#cab641",
    "egg_yolk": "#ffcb00",
    "blackish": "#333333",
    "dark_red": "#bb3354",
    "sofia_pink": "#ff158a",
    "lipstick": "#ff5ac4",
    "dark_purple": "#784bd1",
    "bright_green": "#9cd326",
    "chili_blue": "#66ccff",
    "american_gray": "#808080",
    "brown": "#7f5347",
    "dark_orange": "#ff642e",
}
_FALLBACK_HEX = "#a1a1a1"

DEFAULT_STATUS_LABELS: tuple[tuple[str, str, bool], ...] = (
    ("Working on it", "working_orange", False),
    ("Done", "done_green", True),
    ("Stuck", "stuck_red", False),
)


def status_label(
    label: str,
    color: str,
    index: int,
    *,
    is_done: bool = False,
    description: str | None = None,
    is_deactivated: bool = False,
    label_id: int | None = None,
) -> dict[str, Any]:
    if color not in STATUS_COLOR_IDS:
        raise invalid_argument(f"Unknown status colour {color!r}")
    if len(label) > MAX_STATUS_LABEL_LENGTH:
        raise invalid_argument(
            f"Status label {label!r} is longer than {MAX_STATUS_LABEL_LENGTH} characters"
        )
    return {
        "id": STATUS_COLOR_IDS[color] if label_id is None else label_id,
        "label": label,
        "color": color,
        "index": index,
        "is_done": is_done,
        "description": description,
        "is_deactivated": is_deactivated,
        "hex": STATUS_HEX.get(color, _FALLBACK_HEX),
    }


def check_status_labels(labels: list[dict[str, Any]]) -> None:
    if len(labels) > MAX_STATUS_LABELS:
        raise invalid_argument(f"A status column holds at most {MAX_STATUS_LABELS} labels")
    seen_ids: set[int] = set()
    seen_colors: set[str] = set()
    for label in labels:
        if label["id"] in seen_ids or label["color"] in seen_colors:
            raise invalid_argument(
                f"Colour {label['color']!r} is already used by another label of this column",
                color=label["color"],
            )
        seen_ids.add(label["id"])
        seen_colors.add(label["color"])


def default_status_settings() -> dict[str, Any]:
    labels = [
        status_label(text, color, index, is_done=done)
        for index, (text, color, done) in enumerate(DEFAULT_STATUS_LABELS)
    ]
    return {"type": "status", "labels": labels}


def status_settings_from_input(labels_in: list[Mapping[str, Any]]) -> dict[str, Any]:
    labels = [
        status_label(
            str(entry["label"]),
            str(entry["color"]),
            int(entry.get("index", position)),
            is_done=bool(entry.get("is_done") or False),
            description=entry.get("description"),
        )
        for position, entry in enumerate(labels_in)
    ]
    check_status_labels(labels)
    return {"type": "status", "labels": labels}


def status_settings_from_legacy(labels_in: Mapping[str, Any]) -> dict[str, Any]:
    """``{"labels": {"1": "Done", ...}}``, the 2023 ``create_column(defaults:)`` shape."""
    labels = []
    for position, (key, text) in enumerate(sorted(labels_in.items(), key=lambda kv: int(kv[0]))):
        color_id = int(key)
        color = next((c for c, i in STATUS_COLOR_IDS.items() if i == color_id), None)
        if color is None:
            raise invalid_argument(f"Unknown status label id {key!r}")
        labels.append(status_label(str(text), color, position, is_done=color_id == 1))
    check_status_labels(labels)
    return {"type": "status", "labels": labels}


def dropdown_settings_from_input(
    labels_in: list[Mapping[str, Any]],
    limit_select: bool | None = None,
    label_limit_count: int | None = None,
) -> dict[str, Any]:
    labels = []
    for number, entry in enumerate(labels_in, start=1):
        text = entry.get("label", entry.get("name"))
        if not isinstance(text, str) or not text:
            raise invalid_argument("Every dropdown label needs a non-empty label")
        labels.append({"id": number, "label": text, "is_deactivated": False})
    if len({label["label"] for label in labels}) != len(labels):
        raise invalid_argument("Dropdown labels must be unique")
    return {
        "labels": labels,
        "limit_select": bool(limit_select) if limit_select is not None else False,
        "label_limit_count": label_limit_count,
    }


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
    labels = (defaults or {}).get("labels")
    if column_type == "status":
        if labels is None:
            return default_status_settings()
        if isinstance(labels, dict):
            return status_settings_from_legacy(labels)
        if isinstance(labels, list) and all(isinstance(x, dict) for x in labels):
            return status_settings_from_input(labels)
        raise invalid_argument("status defaults.labels must be a list of labels")
    if column_type == "dropdown":
        if labels is None:
            return dropdown_settings_from_input([])
        if isinstance(labels, list):
            entries: list[Mapping[str, Any]] = [
                x if isinstance(x, dict) else {"label": str(x)} for x in labels
            ]
            assert defaults is not None
            return dropdown_settings_from_input(
                entries, defaults.get("limit_select"), defaults.get("label_limit_count")
            )
        raise invalid_argument("dropdown defaults.labels must be a list of labels")
    return {}


def legacy_settings(column: Mapping[str, Any]) -> str:
    """``Column.settings_str``: the deprecated string format, derived from ``settings``."""
    settings = column["settings"]
    if column["type"] == "status":
        labels = settings["labels"]
        legacy: dict[str, Any] = {
            "labels": {str(lb["id"]): lb["label"] for lb in labels},
            "labels_colors": {
                str(lb["id"]): {"color": lb["hex"], "border": lb["hex"], "var_name": lb["color"]}
                for lb in labels
            },
            "labels_positions_v2": {str(lb["id"]): lb["index"] for lb in labels},
            "done_colors": [lb["id"] for lb in labels if lb["is_done"]],
            "hide_footer": False,
        }
        return json.dumps(legacy)
    if column["type"] == "dropdown":
        labels = settings["labels"]
        return json.dumps(
            {
                "labels": [{"id": lb["id"], "name": lb["label"]} for lb in labels],
                "deactivated_labels": [lb["id"] for lb in labels if lb["is_deactivated"]],
            }
        )
    return json.dumps(settings)


VALUE_TYPENAMES: Mapping[str, str] = {
    "text": "TextValue",
    "long_text": "LongTextValue",
    "numbers": "NumbersValue",
    "status": "StatusValue",
    "dropdown": "DropdownValue",
    "date": "DateValue",
    "people": "PeopleValue",
    "email": "EmailValue",
    "link": "LinkValue",
    "phone": "PhoneValue",
    "checkbox": "CheckboxValue",
    "timeline": "TimelineValue",
    "rating": "RatingValue",
    "tags": "TagsValue",
    "country": "CountryValue",
    "hour": "HourValue",
    "week": "WeekValue",
    "world_clock": "WorldClockValue",
    "location": "LocationValue",
    "color_picker": "ColorPickerValue",
}


# --- values ------------------------------------------------------------------------------


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


def is_clearing(raw: Any) -> bool:
    return raw is None or raw == "" or raw == {}


def store_value(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    """The stored form of ``raw`` written to ``column``; None when it clears the value."""
    if is_clearing(raw):
        return None
    column_type = column["type"]
    store = _STORERS.get(column_type)
    if store is None:
        raise column_value_error(
            f"The sandbox does not support writing {column_type} columns",
            column_id=column["id"],
        )
    return store(column, raw, ctx)


def store_simple_value(column: dict[str, Any], simple: str | None, ctx: ValueContext) -> Any:
    """``change_simple_column_value``: a plain string per monday's simple-value forms."""
    if simple is None or simple == "":
        return None
    return store_value(column, _simple_to_write_form(column["type"], simple), ctx)


def _simple_to_write_form(column_type: str, simple: str) -> Any:
    text = simple.strip()
    if column_type in ("text", "numbers", "status", "dropdown", "long_text", "people"):
        return simple
    if column_type == "date":
        parts = text.split()
        return {"date": parts[0], "time": parts[1]} if len(parts) > 1 else {"date": parts[0]}
    if column_type == "email":
        email, _, label = text.partition(" ")
        return {"email": email, "text": label or email}
    if column_type == "link":
        url, _, label = text.partition(" ")
        return {"url": url, "text": label or url}
    if column_type == "phone":
        phone, _, country = text.partition(" ")
        return {"phone": phone, "countryShortName": country}
    if column_type == "checkbox":
        return {"checked": "true"} if text.lower() in ("true", "v", "1") else None
    if column_type == "rating":
        return {"rating": text}
    if column_type == "timeline":
        start, _, end = text.partition(" ")
        return {"from": start, "to": end}
    if column_type == "country":
        code, _, name = text.partition(" ")
        return {"countryCode": code, "countryName": name or code}
    if column_type == "world_clock":
        return {"timezone": text}
    if column_type == "hour":
        hour, _, minute = text.partition(":")
        return {"hour": hour, "minute": minute or "0"}
    raise column_value_error(f"{column_type} columns take no simple value")


def _bad(column: Mapping[str, Any], raw: Any) -> Exception:
    return column_value_error(
        f"invalid value for {column['type']} column {column['id']!r}: {json.dumps(raw)[:200]}",
        column_id=column["id"],
        column_type=column["type"],
    )


def _text(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return str(raw)
    if not isinstance(raw, str):
        raise _bad(column, raw)
    return raw


def _long_text(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, str):
        return {"text": raw}
    if isinstance(raw, dict) and isinstance(raw.get("text"), str) and set(raw) <= {"text"}:
        return {"text": raw["text"]}
    raise _bad(column, raw)


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _numbers(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw):
        return str(raw)
    if isinstance(raw, str) and _NUMBER.match(raw.strip()):
        return raw.strip()
    raise _bad(column, raw)


def _status(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    labels: list[dict[str, Any]] = column["settings"]["labels"]
    if isinstance(raw, str):
        raw = {"index": int(raw)} if raw.strip().isdigit() else {"label": raw}
    if not isinstance(raw, dict) or len(raw) != 1:
        raise _bad(column, raw)
    if "index" in raw:
        try:
            label_id = int(raw["index"])
        except (TypeError, ValueError):
            raise _bad(column, raw) from None
        if any(lb["id"] == label_id for lb in labels):
            return {"index": label_id}
        if label_id == EMPTY_STATUS_LABEL_ID:
            return None
        raise column_value_error(
            f"This status label doesn't exist: index {label_id}", column_id=column["id"]
        )
    if "label" in raw and isinstance(raw["label"], str):
        text = raw["label"]
        for lb in labels:
            if lb["label"] == text:
                return {"index": lb["id"]}
        if not ctx.create_labels_if_missing:
            raise column_value_error(
                f"This status label doesn't exist: {text!r}",
                column_id=column["id"],
                label=text,
            )
        used = {lb["color"] for lb in labels} | {lb["id"] for lb in labels}
        used |= set(column.get("retired_label_ids", ()))  # see profiles: drifting label ids
        color = next(
            (
                c
                for c, i in STATUS_COLOR_IDS.items()
                if c not in used and i not in used and i != EMPTY_STATUS_LABEL_ID
            ),
            None,
        )
        if color is None or len(labels) >= MAX_STATUS_LABELS:
            raise column_value_error("No free colour left for a new status label")
        new = status_label(text, color, max((lb["index"] for lb in labels), default=-1) + 1)
        labels.append(new)
        if ctx.on_settings_changed is not None:
            ctx.on_settings_changed(column)
        return {"index": new["id"]}
    raise _bad(column, raw)


def _dropdown(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    labels: list[dict[str, Any]] = column["settings"]["labels"]
    if isinstance(raw, str):
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        if parts and all(p.isdigit() for p in parts):
            raw = {"ids": [int(p) for p in parts]}
        else:
            raw = {"labels": parts}
    if not isinstance(raw, dict) or len(raw) != 1:
        raise _bad(column, raw)
    known = {lb["id"] for lb in labels}
    if isinstance(raw.get("ids"), list):
        try:
            ids = [int(x) for x in raw["ids"]]
        except (TypeError, ValueError):
            raise _bad(column, raw) from None
        missing = [i for i in ids if i not in known]
        if missing:
            raise column_value_error(
                f"This dropdown label doesn't exist: id {missing[0]}", column_id=column["id"]
            )
        return {"ids": ids} if ids else None
    if isinstance(raw.get("labels"), list):
        ids = []
        for text in raw["labels"]:
            match = next((lb for lb in labels if lb["label"] == text), None)
            if match is None:
                if not ctx.create_labels_if_missing or not isinstance(text, str) or not text:
                    raise column_value_error(
                        f"This dropdown label doesn't exist: {text!r}",
                        column_id=column["id"],
                        label=text,
                    )
                match = {"id": next_dropdown_id(column), "label": text, "is_deactivated": False}
                labels.append(match)
                if ctx.on_settings_changed is not None:
                    ctx.on_settings_changed(column)
            ids.append(match["id"])
        return {"ids": ids} if ids else None
    raise _bad(column, raw)


def next_dropdown_id(column: dict[str, Any]) -> int:
    used = max((lb["id"] for lb in column["settings"]["labels"]), default=0)
    highest = max(used, int(column.get("last_label_id", 0)))
    column["last_label_id"] = highest + 1
    return highest + 1


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")


def _date(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, str):
        raw = _simple_to_write_form("date", raw)
    if not isinstance(raw, dict) or not isinstance(raw.get("date"), str):
        raise _bad(column, raw)
    if not _DATE.match(raw["date"]) or not set(raw) <= {"date", "time"}:
        raise _bad(column, raw)
    time = raw.get("time")
    if time in (None, ""):
        return {"date": raw["date"]}
    if not isinstance(time, str) or not _TIME.match(time):
        raise _bad(column, raw)
    return {"date": raw["date"], "time": time if len(time) == 8 else time + ":00"}


def _people(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, str):
        raw = {
            "personsAndTeams": [
                {"id": int(p), "kind": "person"} for p in raw.split(",") if p.strip().isdigit()
            ]
        }
    entries = raw.get("personsAndTeams") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise _bad(column, raw)
    stored = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kind", "person") not in ("person", "team"):
            raise _bad(column, raw)
        try:
            person_id = int(entry["id"])
        except (KeyError, TypeError, ValueError):
            raise _bad(column, raw) from None
        kind = entry.get("kind", "person")
        if kind == "person" and str(person_id) not in ctx.users:
            raise column_value_error(f"User {person_id} does not exist", column_id=column["id"])
        stored.append({"id": person_id, "kind": kind})
    return {"personsAndTeams": stored} if stored else None


def _shape(
    required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Callable[[dict[str, Any], Any, ValueContext], Any]:
    allowed = set(required) | set(optional)

    def store(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
        if not isinstance(raw, dict) or not set(raw) <= allowed:
            raise _bad(column, raw)
        if any(not isinstance(raw.get(key), str) or raw.get(key) == "" for key in required):
            raise _bad(column, raw)
        return {key: raw[key] for key in (*required, *optional) if key in raw}

    return store


def _email(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, str):
        raw = _simple_to_write_form("email", raw)
    stored = _shape(("email",), ("text",))(column, raw, ctx)
    if "@" not in stored["email"]:
        raise _bad(column, raw)
    stored.setdefault("text", stored["email"])
    return stored


def _link(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, str):
        raw = _simple_to_write_form("link", raw)
    stored = _shape(("url",), ("text",))(column, raw, ctx)
    if not stored.get("text"):
        stored["text"] = stored["url"]
    return stored


def _phone(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, str):
        raw = _simple_to_write_form("phone", raw)
    return _shape(("phone",), ("countryShortName",))(column, raw, ctx)


def _checkbox(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, dict) and set(raw) == {"checked"}:
        checked = raw["checked"]
        if checked in ("true", True):
            return {"checked": "true"}
        if checked in ("false", False):
            return None
    raise _bad(column, raw)


def _timeline(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    stored = _shape(("from", "to"))(column, raw, ctx)
    if not (_DATE.match(stored["from"]) and _DATE.match(stored["to"])):
        raise _bad(column, raw)
    if stored["from"] > stored["to"]:
        raise _bad(column, raw)
    return stored


def _rating(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    value = raw.get("rating") if isinstance(raw, dict) and set(raw) == {"rating"} else None
    try:
        rating = int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        rating = None
    if rating is None or not 0 <= rating <= 10:
        raise _bad(column, raw)
    return {"rating": rating} if rating else None


def _tags(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    ids = raw.get("tag_ids") if isinstance(raw, dict) and set(raw) == {"tag_ids"} else None
    if not isinstance(ids, list):
        raise _bad(column, raw)
    try:
        numbers = [int(i) for i in ids]
    except (TypeError, ValueError):
        raise _bad(column, raw) from None
    missing = [n for n in numbers if str(n) not in ctx.tags]
    if missing:
        raise column_value_error(f"Tag {missing[0]} does not exist", column_id=column["id"])
    return {"tag_ids": numbers} if numbers else None


def _hour(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if not isinstance(raw, dict) or set(raw) != {"hour", "minute"}:
        raise _bad(column, raw)
    try:
        hour, minute = int(raw["hour"]), int(raw["minute"])
    except (TypeError, ValueError):
        raise _bad(column, raw) from None
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise _bad(column, raw)
    return {"hour": hour, "minute": minute}


def _week(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    week = raw.get("week") if isinstance(raw, dict) and set(raw) == {"week"} else None
    if not isinstance(week, dict):
        raise _bad(column, raw)
    inner = _shape(("startDate", "endDate"))(column, week, ctx)
    if not (_DATE.match(inner["startDate"]) and _DATE.match(inner["endDate"])):
        raise _bad(column, raw)
    return {"week": inner}


def _location(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if not isinstance(raw, dict) or not {"lat", "lng"} <= set(raw) <= {"lat", "lng", "address"}:
        raise _bad(column, raw)
    try:
        float(raw["lat"]), float(raw["lng"])
    except (TypeError, ValueError):
        raise _bad(column, raw) from None
    stored = {"lat": str(raw["lat"]), "lng": str(raw["lng"])}
    if raw.get("address") is not None:
        stored["address"] = str(raw["address"])
    return stored


_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _color_picker(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    color = raw.get("color") if isinstance(raw, dict) and set(raw) == {"color"} else None
    if not isinstance(color, dict) or not _HEX.match(str(color.get("hex", ""))):
        raise _bad(column, raw)
    return {"color": {"hex": color["hex"]}}


_STORERS: dict[str, Callable[[dict[str, Any], Any, ValueContext], Any]] = {
    "text": _text,
    "long_text": _long_text,
    "numbers": _numbers,
    "status": _status,
    "dropdown": _dropdown,
    "date": _date,
    "people": _people,
    "email": _email,
    "link": _link,
    "phone": _phone,
    "checkbox": _checkbox,
    "timeline": _timeline,
    "rating": _rating,
    "tags": _tags,
    "country": _shape(("countryCode", "countryName")),
    "hour": _hour,
    "week": _week,
    "world_clock": _shape(("timezone",)),
    "location": _location,
    "color_picker": _color_picker,
}


def value_text(column: Mapping[str, Any], stored: Any, ctx: ValueContext) -> str:
    """``ColumnValue.text`` for a stored value (``""`` when empty)."""
    if stored is None:
        return ""
    column_type = column["type"]
    if column_type in ("text", "numbers"):
        return str(stored)
    if column_type == "long_text":
        return str(stored["text"])
    if column_type == "status":
        label = next(
            (lb for lb in column["settings"]["labels"] if lb["id"] == stored["index"]), None
        )
        return "" if label is None else str(label["label"])
    if column_type == "dropdown":
        names = {lb["id"]: lb["label"] for lb in column["settings"]["labels"]}
        return ", ".join(names[i] for i in stored["ids"] if i in names)
    if column_type == "date":
        time = stored.get("time")
        return f"{stored['date']} {time[:5]}" if time else str(stored["date"])
    if column_type == "people":
        return ", ".join(
            ctx.users.get(str(p["id"]), "")
            for p in stored["personsAndTeams"]
            if p["kind"] == "person"
        )
    if column_type == "email":
        return str(stored["email"])
    if column_type == "link":
        return f"{stored['text']} - {stored['url']}"
    if column_type == "phone":
        return str(stored["phone"])
    if column_type == "checkbox":
        return "v"
    if column_type == "timeline":
        return f"{stored['from']} - {stored['to']}"
    if column_type == "rating":
        return str(stored["rating"])
    if column_type == "tags":
        return ", ".join(ctx.tags.get(str(t), "") for t in stored["tag_ids"])
    if column_type == "country":
        return str(stored["countryName"])
    if column_type == "hour":
        return f"{stored['hour']:02d}:{stored['minute']:02d}"
    if column_type == "week":
        return f"{stored['week']['startDate']} - {stored['week']['endDate']}"
    if column_type == "world_clock":
        return str(stored["timezone"])
    if column_type == "location":
        return str(stored.get("address", ""))
    if column_type == "color_picker":
        color = stored["color"]
        return str(color["hex"]) if "hex" in color else "rgb({r}, {g}, {b})".format(**color)
    return ""
