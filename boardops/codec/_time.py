"""Codecs for dates and times: date, timeline, week, hour and world_clock."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping
from functools import lru_cache

from boardops.codec._base import (
    Directory,
    TypeCodec,
    Unreadable,
    field_of,
    field_read,
    is_digits,
    is_empty,
    memoized,
    reread,
    shown,
)
from boardops.errors import CodecError
from boardops.model import Column, JSONValue

# --- date, timeline, week -------------------------------------------------------------

_DATE_EXPECTED = "expected YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS] with an optional Z or ±HH:MM"
_DATETIME = re.compile(
    # Fractions of a second are accepted and dropped: monday keeps whole seconds.
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?"
    r"\s*(Z|z|UTC|[+-][0-9]{2}(?::?[0-9]{2})?)?"
)


def parse_date(value: object, expected: str = "expected YYYY-MM-DD") -> dt.date:
    """A calendar date from "YYYY-MM-DD" (or a date object, as YAML loaders produce)."""
    if isinstance(value, dt.datetime):
        raise CodecError(f"{value.isoformat()} has a time; {expected}")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        raise CodecError(f"{shown(value)} is not a date; {expected}")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CodecError(f"{shown(value)} is not a real date; {expected}") from None


def _utc_text(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc)
    return f"{moment.date().isoformat()}T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"


def _offset(text: str | None) -> dt.timezone:
    if text is None or text in ("Z", "z", "UTC"):
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or "0")
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


@memoized
def _date_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    if isinstance(value, dt.datetime):
        try:
            return _utc_text(value.replace(microsecond=0))
        except OverflowError:
            raise CodecError(f"{value.isoformat()} is out of range; {_DATE_EXPECTED}") from None
    if isinstance(value, dt.date) or (isinstance(value, str) and len(value.strip()) == 10):
        return parse_date(value, _DATE_EXPECTED).isoformat()
    match = _DATETIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise CodecError(f"{shown(value)} is not a date; {_DATE_EXPECTED}")
    day, hour, minute, second, offset = match.groups()
    try:
        moment = dt.datetime.combine(
            dt.date.fromisoformat(day),
            dt.time(int(hour), int(minute), int(second or "0")),
            tzinfo=_offset(offset),
        )
        return _utc_text(moment)
    except (ValueError, OverflowError):
        raise CodecError(f"{shown(value)} is not a real date and time; {_DATE_EXPECTED}") from None


def _date_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    text = str(value)
    if len(text) == 10:
        return {"date": text}
    return {"date": text[:10], "time": text[11:19]}


def _date_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    day = field_of(stored, "date")
    if is_empty(day):
        return None
    time = stored.get("time") if isinstance(stored, dict) else None
    value = day if is_empty(time) else f"{day}T{time}Z"
    return reread(_date_canonical, column, value, directory, "date")


_RANGE_EXPECTED = "expected {from: YYYY-MM-DD, to: YYYY-MM-DD}"


def _date_range(value: object, what: str) -> tuple[dt.date, dt.date]:
    if isinstance(value, Mapping) and set(value) == {"from", "to"}:
        start, end = value["from"], value["to"]
    elif isinstance(value, list) and len(value) == 2:
        start, end = value
    else:
        raise CodecError(f"{shown(value)} is not a {what}; {_RANGE_EXPECTED}")
    first = parse_date(start, _RANGE_EXPECTED)
    last = parse_date(end, _RANGE_EXPECTED)
    if last < first:
        raise CodecError(f"{what} ends ({last}) before it starts ({first}); expected from <= to")
    return first, last


def _timeline_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    first, last = _date_range(value, "timeline")
    return {"from": first.isoformat(), "to": last.isoformat()}


def _timeline_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return value


def _timeline_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    start, end = field_of(stored, "from"), field_of(stored, "to")
    if is_empty(start) and is_empty(end):
        return None
    return reread(_timeline_canonical, column, {"from": start, "to": end}, directory, "timeline")


_WEEK_EXPECTED = 'expected an ISO week such as "2026-W48", or {from: YYYY-MM-DD, to: 6 days later}'


def week_first_day(iso_monday: dt.date, week_start: str) -> dt.date:
    """The first day of the week "YYYY-Www" stands for on an account whose weeks start on
    ``week_start``: the ISO Monday itself, or the Sunday before it (monday's week column
    must start on the account's first day of the week; recorded behaviour, section 6)."""
    return iso_monday - dt.timedelta(days=1) if week_start == "sunday" else iso_monday


def _week_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    if isinstance(value, str):
        match = re.fullmatch(r"([0-9]{4})-?W([0-9]{2})", value.strip(), flags=re.IGNORECASE)
        if match is None:
            raise CodecError(f"{shown(value)} is not a week; {_WEEK_EXPECTED}")
        try:
            monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise CodecError(f"{shown(value)} is not a real week; {_WEEK_EXPECTED}") from None
        first = week_first_day(monday, directory.week_start if directory else "monday")
        last = first + dt.timedelta(days=6)
    else:
        if isinstance(value, Mapping) and set(value) == {"startDate", "endDate"}:
            value = {"from": value["startDate"], "to": value["endDate"]}
        if not (isinstance(value, Mapping) and set(value) == {"from", "to"}):
            raise CodecError(f"{shown(value)} is not a week; {_WEEK_EXPECTED}")
        first, last = _date_range(value, "week")
        if last - first != dt.timedelta(days=6):
            raise CodecError(
                f"{first} to {last} is not one week; expected the end 6 days after the start"
            )
    return {"from": first.isoformat(), "to": last.isoformat()}


def _week_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    if not isinstance(value, dict):  # pragma: no cover - canonical weeks are mappings
        raise CodecError(f"{shown(value)} is not a week; {_WEEK_EXPECTED}")
    return {"week": {"startDate": value["from"], "endDate": value["to"]}}


def _week_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    week = field_of(stored, "week")
    if is_empty(week):
        return None
    start, end = field_of(week, "startDate"), field_of(week, "endDate")
    if is_empty(start):
        return None
    return reread(_week_canonical, column, {"from": start, "to": end}, directory, "week")


# --- hour -----------------------------------------------------------------------------

_HOUR = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::00)?\s*([AaPp][Mm])?")
_HOUR_EXPECTED = 'expected a time of day as "HH:MM" (24-hour, or with AM/PM)'


@memoized
def _hour_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    if isinstance(value, Mapping) and set(value) == {"hour", "minute"}:
        hour, minute = value["hour"], value["minute"]
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (hour, minute)):
            raise CodecError(f"{shown(value)} is not a time of day; {_HOUR_EXPECTED}")
        value = f"{hour}:{minute:02d}"
    if isinstance(value, int) and not isinstance(value, bool):
        hint = (
            f" (YAML reads an unquoted {value // 60}:{value % 60:02d} as {value}; quote it)"
            if 0 <= value < 24 * 60
            else ""
        )
        raise CodecError(f"{value} is a number, not a time of day; {_HOUR_EXPECTED}{hint}")
    match = _HOUR.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise CodecError(f"{shown(value)} is not a time of day; {_HOUR_EXPECTED}")
    hour, minute, meridiem = int(match[1]), int(match[2]), (match[3] or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise CodecError(f"{shown(value)} is not a time of day; {_HOUR_EXPECTED}")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise CodecError(f"{shown(value)} is not a time of day; {_HOUR_EXPECTED}")
    return f"{hour:02d}:{minute:02d}"


def _hour_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    hour, minute = str(value).split(":")
    return {"hour": int(hour), "minute": int(minute)}


def _hour_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    hour, minute = field_of(stored, "hour"), field_of(stored, "minute")
    if is_empty(hour):
        return None
    if not (is_digits(str(hour)) and (is_empty(minute) or is_digits(str(minute)))):
        raise Unreadable("hour")
    return reread(
        _hour_canonical, column, f"{int(str(hour))}:{int(str(minute or 0)):02d}", directory, "hour"
    )


# --- world_clock ----------------------------------------------------------------------

_ZONE_EXPECTED = 'expected an IANA time zone such as "Europe/London"'


@lru_cache(maxsize=1)
def _zones_by_folded_name() -> Mapping[str, str]:
    return {zone.casefold(): zone for zone in zoneinfo.available_timezones()}


_ZONE_NAME = re.compile(r"UTC|[A-Z][A-Za-z_-]+(/[A-Za-z0-9_+-]+)+")


@memoized
def _world_clock_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    zones = _zones_by_folded_name()
    zone = zones.get(value.strip().casefold()) if isinstance(value, str) else None
    if zone is None and not zones and isinstance(value, str) and _ZONE_NAME.fullmatch(value):
        # No tz database on this machine (Windows without tzdata): trust well-formed names.
        zone = value
    if zone is None:
        raise CodecError(f"{shown(value)} is not a time zone; {_ZONE_EXPECTED}")
    return zone


def _world_clock_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return {"timezone": value}


CODECS: Mapping[str, TypeCodec] = {
    "date": TypeCodec(_date_canonical, _date_write, _date_read, matchable=True),
    "timeline": TypeCodec(_timeline_canonical, _timeline_write, _timeline_read),
    "week": TypeCodec(_week_canonical, _week_write, _week_read),
    "hour": TypeCodec(_hour_canonical, _hour_write, _hour_read),
    "world_clock": TypeCodec(
        _world_clock_canonical,
        _world_clock_write,
        field_read("timezone", _world_clock_canonical),
    ),
}
