"""The column types without labels: one storer and one record each."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from boardops.sandbox.failures import column_value_error
from boardops.sandbox.values.registry import (
    ColumnType,
    SimpleForm,
    ValueContext,
    as_given,
    bad_value,
    register,
    shape,
    shown,
)


def _text(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return str(raw)
    if not isinstance(raw, str):
        raise bad_value(column, raw)
    return raw


register(ColumnType("text", "TextValue", _text, lambda _c, s, _x: str(s), as_given, operand="text"))


def _long_text(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, str):
        return {"text": raw}
    if isinstance(raw, dict) and isinstance(raw.get("text"), str) and set(raw) <= {"text"}:
        return {"text": raw["text"]}
    raise bad_value(column, raw)


register(
    ColumnType(
        "long_text",
        "LongTextValue",
        _long_text,
        shown("{text}"),
        as_given,
        operand="text",
    )
)


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _numbers(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw):
        return str(raw)
    if isinstance(raw, str) and _NUMBER.match(raw.strip()):
        return raw.strip()
    raise bad_value(column, raw)


register(
    ColumnType(
        "numbers",
        "NumbersValue",
        _numbers,
        lambda _c, s, _x: str(s),
        as_given,
        compare=lambda s, _x: float(s),
        operand="number",
    )
)


def _pair(first: str, second: str, *, second_defaults_to_first: bool = False) -> SimpleForm:
    """The simple form "FIRST SECOND" (split at the first space) as ``{first:, second:}``."""

    def read(simple: str) -> Any:
        head, _, tail = simple.strip().partition(" ")
        return {first: head, second: (tail or head) if second_defaults_to_first else tail}

    return read


_PairReader = Callable[[dict[str, Any], Any, ValueContext], tuple[Any, dict[str, Any]]]


def _paired(
    first: str, second: str, *, second_defaults_to_first: bool = False
) -> tuple[SimpleForm, _PairReader]:
    """A ``{first:, second:}`` value (``second`` optional), written as JSON or in the simple
    form "FIRST SECOND": that simple form, and a reader giving the value in its JSON form
    and what is stored of it."""
    simple = _pair(first, second, second_defaults_to_first=second_defaults_to_first)
    checked = shape((first,), (second,))

    def read(column: dict[str, Any], raw: Any, ctx: ValueContext) -> tuple[Any, dict[str, Any]]:
        if isinstance(raw, str):
            raw = simple(raw)
        return raw, checked(column, raw, ctx)

    return simple, read


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")


def _simple_date(simple: str) -> Any:
    parts = simple.strip().split()
    return {"date": parts[0], "time": parts[1]} if len(parts) > 1 else {"date": parts[0]}


def _date(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, str):
        raw = _simple_date(raw)
    if not isinstance(raw, dict) or not isinstance(raw.get("date"), str):
        raise bad_value(column, raw)
    if not _DATE.match(raw["date"]) or not set(raw) <= {"date", "time"}:
        raise bad_value(column, raw)
    time = raw.get("time")
    if time in (None, ""):
        return {"date": raw["date"]}
    if not isinstance(time, str) or not _TIME.match(time):
        raise bad_value(column, raw)
    return {"date": raw["date"], "time": time if len(time) == 8 else time + ":00"}


def _date_text(_column: Mapping[str, Any], stored: Any, _ctx: ValueContext) -> str:
    time = stored.get("time")
    return f"{stored['date']} {time[:5]}" if time else str(stored["date"])


register(
    ColumnType(
        "date", "DateValue", _date, _date_text, _simple_date, compare=lambda s, _x: s["date"]
    )
)


def _people(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, str):
        raw = {
            "personsAndTeams": [
                {"id": int(p), "kind": "person"} for p in raw.split(",") if p.strip().isdigit()
            ]
        }
    entries = raw.get("personsAndTeams") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise bad_value(column, raw)
    stored = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kind", "person") not in ("person", "team"):
            raise bad_value(column, raw)
        try:
            person_id = int(entry["id"])
        except (KeyError, TypeError, ValueError):
            raise bad_value(column, raw) from None
        kind = entry.get("kind", "person")
        if kind == "person" and str(person_id) not in ctx.users:
            raise column_value_error(f"User {person_id} does not exist", column_id=column["id"])
        stored.append({"id": person_id, "kind": kind})
    return {"personsAndTeams": stored} if stored else None


def _people_text(_column: Mapping[str, Any], stored: Any, ctx: ValueContext) -> str:
    return ", ".join(
        ctx.users.get(str(p["id"]), "") for p in stored["personsAndTeams"] if p["kind"] == "person"
    )


register(
    ColumnType(
        "people",
        "PeopleValue",
        _people,
        _people_text,
        as_given,
        compare=lambda s, _x: [p["id"] for p in s["personsAndTeams"]],
        operand="id",
    )
)


_simple_email, _read_email = _paired("email", "text", second_defaults_to_first=True)


def _email(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    raw, stored = _read_email(column, raw, ctx)
    if "@" not in stored["email"]:
        raise bad_value(column, raw)
    stored.setdefault("text", stored["email"])
    return stored


def _email_compared(stored: Mapping[str, Any], ctx: ValueContext) -> Any:
    """What ``any_of`` compares on an email column: the address (docs) or the displayed
    text when one is set (profile flag ``email_filter_matches_text``)."""
    if ctx.profile.email_filter_matches_text and stored.get("text"):
        return stored["text"]
    return stored["email"]


register(
    ColumnType(
        "email",
        "EmailValue",
        _email,
        shown("{email}"),
        _simple_email,
        compare=_email_compared,
        operand="text",
    )
)


_simple_link, _read_link = _paired("url", "text", second_defaults_to_first=True)


def _link(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    _given, stored = _read_link(column, raw, ctx)
    if not stored.get("text"):
        stored["text"] = stored["url"]
    return stored


register(
    ColumnType(
        "link",
        "LinkValue",
        _link,
        shown("{text} - {url}"),
        _simple_link,
        operand="text",
    )
)


_simple_phone, _read_phone = _paired("phone", "countryShortName")


def _phone(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    return _read_phone(column, raw, ctx)[1]


register(ColumnType("phone", "PhoneValue", _phone, shown("{phone}"), _simple_phone, operand="text"))


def _checkbox(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if isinstance(raw, dict) and set(raw) == {"checked"}:
        checked = raw["checked"]
        if checked in ("true", True):
            return {"checked": "true"}
        if checked in ("false", False):
            return None
    raise bad_value(column, raw)


register(
    ColumnType(
        "checkbox",
        "CheckboxValue",
        _checkbox,
        lambda _c, _s, _x: "v",
        lambda simple: (
            {"checked": "true"} if simple.strip().lower() in ("true", "v", "1") else None
        ),
        compare=lambda _s, _x: True,
    )
)


def _timeline(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    stored = shape(("from", "to"))(column, raw, ctx)
    if not (_DATE.match(stored["from"]) and _DATE.match(stored["to"])):
        raise bad_value(column, raw)
    if stored["from"] > stored["to"]:
        raise bad_value(column, raw)
    return stored


_simple_timeline = _pair("from", "to")


register(
    ColumnType(
        "timeline",
        "TimelineValue",
        _timeline,
        shown("{from} - {to}"),
        _simple_timeline,
    )
)


def _rating(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    value = raw.get("rating") if isinstance(raw, dict) and set(raw) == {"rating"} else None
    try:
        rating = int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        rating = None
    if rating is None or not 0 <= rating <= 10:
        raise bad_value(column, raw)
    return {"rating": rating} if rating else None


register(
    ColumnType(
        "rating",
        "RatingValue",
        _rating,
        shown("{rating}"),
        lambda simple: {"rating": simple.strip()},
        compare=lambda s, _x: s["rating"],
        operand="number",
    )
)


def _tags(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    ids = raw.get("tag_ids") if isinstance(raw, dict) and set(raw) == {"tag_ids"} else None
    if not isinstance(ids, list):
        raise bad_value(column, raw)
    try:
        numbers = [int(i) for i in ids]
    except (TypeError, ValueError):
        raise bad_value(column, raw) from None
    missing = [n for n in numbers if str(n) not in ctx.tags]
    if missing:
        raise column_value_error(f"Tag {missing[0]} does not exist", column_id=column["id"])
    return {"tag_ids": numbers} if numbers else None


def _tags_text(_column: Mapping[str, Any], stored: Any, ctx: ValueContext) -> str:
    return ", ".join(ctx.tags.get(str(t), "") for t in stored["tag_ids"])


register(ColumnType("tags", "TagsValue", _tags, _tags_text))


_simple_country = _pair("countryCode", "countryName", second_defaults_to_first=True)


register(
    ColumnType(
        "country",
        "CountryValue",
        shape(("countryCode", "countryName")),
        shown("{countryName}"),
        _simple_country,
    )
)


def _hour(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if not isinstance(raw, dict) or set(raw) != {"hour", "minute"}:
        raise bad_value(column, raw)
    try:
        hour, minute = int(raw["hour"]), int(raw["minute"])
    except (TypeError, ValueError):
        raise bad_value(column, raw) from None
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise bad_value(column, raw)
    return {"hour": hour, "minute": minute}


def _simple_hour(simple: str) -> Any:
    hour, _, minute = simple.strip().partition(":")
    return {"hour": hour, "minute": minute or "0"}


register(ColumnType("hour", "HourValue", _hour, shown("{hour:02d}:{minute:02d}"), _simple_hour))


def _week(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    week = raw.get("week") if isinstance(raw, dict) and set(raw) == {"week"} else None
    if not isinstance(week, dict):
        raise bad_value(column, raw)
    inner = shape(("startDate", "endDate"))(column, week, ctx)
    if not (_DATE.match(inner["startDate"]) and _DATE.match(inner["endDate"])):
        raise bad_value(column, raw)
    return {"week": inner}


register(ColumnType("week", "WeekValue", _week, shown("{week[startDate]} - {week[endDate]}")))
register(
    ColumnType(
        "world_clock",
        "WorldClockValue",
        shape(("timezone",)),
        shown("{timezone}"),
        lambda simple: {"timezone": simple.strip()},
    )
)


def _location(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    if not isinstance(raw, dict) or not {"lat", "lng"} <= set(raw) <= {"lat", "lng", "address"}:
        raise bad_value(column, raw)
    try:
        float(raw["lat"]), float(raw["lng"])
    except (TypeError, ValueError):
        raise bad_value(column, raw) from None
    stored = {"lat": str(raw["lat"]), "lng": str(raw["lng"])}
    if raw.get("address") is not None:
        stored["address"] = str(raw["address"])
    return stored


register(
    ColumnType("location", "LocationValue", _location, lambda _c, s, _x: str(s.get("address", "")))
)


_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _color_picker(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    color = raw.get("color") if isinstance(raw, dict) and set(raw) == {"color"} else None
    if not isinstance(color, dict) or not _HEX.match(str(color.get("hex", ""))):
        raise bad_value(column, raw)
    return {"color": {"hex": color["hex"]}}


def _color_text(_column: Mapping[str, Any], stored: Any, _ctx: ValueContext) -> str:
    color = stored["color"]
    return str(color["hex"]) if "hex" in color else "rgb({r}, {g}, {b})".format(**color)


register(ColumnType("color_picker", "ColorPickerValue", _color_picker, _color_text))
