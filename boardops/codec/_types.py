"""One codec per column type: human value -> canonical, canonical -> wire, stored -> canonical.

Each ``canonical`` function receives a value that is not empty (see ``is_empty``) and
returns the canonical human form, or None when the value means "empty" (``false`` in a
checkbox, rating 0); it raises ``CodecError`` for a value of the wrong shape. ``write``
receives a canonical value and returns monday's write form. ``read`` receives a stored
value that is not None and returns the canonical form; it raises ``Unreadable`` when the
stored JSON has a shape it does not know, and the caller then falls back to the text.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from boardops.codec._base import (
    CodecError,
    Directory,
    as_list,
    did_you_mean,
    is_empty,
    shown,
    sorted_or_none,
)
from boardops.codec._countries import COUNTRY_NAMES, country_code
from boardops.model import Column, JSONValue


class Unreadable(Exception):
    """A stored value whose shape the codec does not recognise."""


Canonical = Callable[[Column, object, "Directory | None"], JSONValue]
Write = Callable[[Column, JSONValue, Directory], JSONValue]
Read = Callable[[Column, JSONValue, str, "Directory | None"], JSONValue]


@dataclass(frozen=True)
class TypeCodec:
    canonical: Canonical
    write: Write
    read: Read


# Canonical forms of scalar inputs, remembered: boards repeat the same labels, dates and
# addresses across thousands of items. Only for types whose canonical form depends on the
# value alone (not on the column or the directory), and only immutable results.
_MEMO: dict[tuple[object, type, object], JSONValue] = {}
_MEMO_LIMIT = 1 << 16


def memoized(canonical: Canonical) -> Canonical:
    def remembering(column: Column, value: object, directory: Directory | None) -> JSONValue:
        if type(value) not in (str, int, float, bool):
            return canonical(column, value, directory)
        key = (canonical, type(value), value)
        try:
            return _MEMO[key]
        except KeyError:
            pass
        result = canonical(column, value, directory)
        if not isinstance(result, (list, dict)):
            if len(_MEMO) >= _MEMO_LIMIT:
                _MEMO.clear()
            _MEMO[key] = result
        return result

    return remembering


def _field(stored: JSONValue, key: str) -> JSONValue:
    if not isinstance(stored, dict) or key not in stored:
        raise Unreadable(key)
    return stored[key]


# --- text, long_text ------------------------------------------------------------------


@memoized
def _text_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        # YAML reads unquoted yes/no/on/off as booleans and 1.10 as the float 1.1.
        if isinstance(value, (bool, float)):
            kind = "a boolean" if isinstance(value, bool) else "a number"
            raise CodecError(
                f"{shown(value)} is {kind}, not text; expected a string (quote it in YAML)"
            )
        raise CodecError(f"{shown(value)} is not text; expected a string")
    text = str(value).replace("\r\n", "\n")
    return None if text.strip() == "" else text


def _text_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return value


def _text_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    if isinstance(stored, dict):
        stored = _field(stored, "text")
    if isinstance(stored, (str, int)) and not isinstance(stored, bool):
        return _text_canonical(column, stored, directory)
    raise Unreadable("text")


def _long_text_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return {"text": value}


# --- numbers --------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_NUMBER_EXPECTED = 'expected a number such as 42 or "42.5"'


def decimal_text(value: object) -> str:
    """A number (int, float or numeric string) as a plain decimal without trailing zeros."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise CodecError(f"{shown(value)} is not a number; {_NUMBER_EXPECTED}")
    text = repr(value) if isinstance(value, float) else str(value).strip()
    if not _NUMBER.fullmatch(text):
        raise CodecError(f"{shown(value)} is not a number; {_NUMBER_EXPECTED}")
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        raise CodecError(f"{shown(value)} is not a number; {_NUMBER_EXPECTED}") from None
    if number == 0:
        return "0"
    if not -40 <= number.adjusted() <= 40:
        raise CodecError(f"{shown(value)} is out of range; expected a magnitude below 1e40")
    return format(number.normalize(), "f")


@memoized
def _numbers_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    return decimal_text(value)


def _numbers_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    if isinstance(stored, str) and stored.strip() == "":
        return None
    try:
        return _numbers_canonical(column, stored, directory)
    except CodecError:
        raise Unreadable("numbers") from None


# --- status, dropdown -----------------------------------------------------------------


def _label_text(value: object, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise CodecError(f"{shown(value)} is not a {what}; expected the label's text")
    return str(value).strip()


@memoized
def _status_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    if isinstance(value, list):
        raise CodecError("a list is not a status label; expected one label's text")
    return _label_text(value, "status label")


def unknown_label(label: str, column: Column, choices: list[str], where: str = "") -> CodecError:
    listed = ", ".join(choices) if choices else "(none)"
    return CodecError(
        f'"{label}" is not a label of column {column.title}{where}; '
        f"expected one of: {listed}{did_you_mean(label, choices)}"
    )


def _status_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    for label in column.status_labels:
        if label.label == value and label.id is not None:
            return {"index": label.id}
    choices = [label.label for label in column.status_labels]
    raise unknown_label(str(value), column, choices, " on monday")


def _status_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    if isinstance(stored, dict) and "index" in stored:
        index = stored["index"]
        if index is None:
            return None
        for label in column.status_labels:
            if label.id is not None and str(label.id) == str(index):
                return label.label
        raise Unreadable("status index")
    if isinstance(stored, dict) and isinstance(stored.get("label"), str):
        return _status_canonical(column, stored["label"], directory) or None
    raise Unreadable("status")


def _dropdown_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    labels = {
        _label_text(entry, "dropdown label") for entry in as_list(value) if not is_empty(entry)
    }
    # Set semantics, sorted by text: see the module docstring.
    return sorted_or_none(labels)


def _dropdown_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    ids_by_label = {
        label.label: label.id for label in column.dropdown_labels if label.id is not None
    }
    ids: list[JSONValue] = []
    for entry in as_list(value):
        label_id = ids_by_label.get(str(entry))
        if label_id is None:
            raise unknown_label(str(entry), column, list(ids_by_label), " on monday")
        ids.append(label_id)
    return {"ids": ids}


def _dropdown_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    ids = _field(stored, "ids")
    if not isinstance(ids, list):
        raise Unreadable("dropdown ids")
    labels_by_id = {
        str(label.id): label.label for label in column.dropdown_labels if label.id is not None
    }
    try:
        names = [labels_by_id[str(label_id)] for label_id in ids]
    except KeyError:
        raise Unreadable("dropdown id") from None
    return _dropdown_canonical(column, names, directory)


# --- date, timeline, week -------------------------------------------------------------

_DATE_EXPECTED = "expected YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS] with an optional Z or ±HH:MM"
_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?"
)


def parse_date(value: object, expected: str = "expected YYYY-MM-DD") -> dt.date:
    """A calendar date from "YYYY-MM-DD" (or a date object, as YAML loaders produce)."""
    if isinstance(value, dt.datetime):
        raise CodecError(f"{value.isoformat()} has a time; {expected}")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
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
        return _utc_text(value.replace(microsecond=0))
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
    except ValueError:
        raise CodecError(f"{shown(value)} is not a real date and time; {_DATE_EXPECTED}") from None
    return _utc_text(moment)


def _date_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    text = str(value)
    if len(text) == 10:
        return {"date": text}
    return {"date": text[:10], "time": text[11:19]}


def _date_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    day = _field(stored, "date")
    if is_empty(day):
        return None
    time = stored.get("time") if isinstance(stored, dict) else None
    try:
        if is_empty(time):
            return _date_canonical(column, day, directory)
        return _date_canonical(column, f"{day}T{time}Z", directory)
    except CodecError:
        raise Unreadable("date") from None


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


def _timeline_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    start, end = _field(stored, "from"), _field(stored, "to")
    if is_empty(start) and is_empty(end):
        return None
    try:
        return _timeline_canonical(column, {"from": start, "to": end}, directory)
    except CodecError:
        raise Unreadable("timeline") from None


_WEEK_EXPECTED = 'expected an ISO week such as "2026-W48", or {from: YYYY-MM-DD, to: 6 days later}'


def _week_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{4})-?W(\d{2})", value.strip(), flags=re.IGNORECASE)
        if match is None:
            raise CodecError(f"{shown(value)} is not a week; {_WEEK_EXPECTED}")
        try:
            first = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise CodecError(f"{shown(value)} is not a real week; {_WEEK_EXPECTED}") from None
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


def _week_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    week = _field(stored, "week")
    if is_empty(week):
        return None
    start, end = _field(week, "startDate"), _field(week, "endDate")
    if is_empty(start):
        return None
    try:
        return _week_canonical(column, {"from": start, "to": end}, directory)
    except CodecError:
        raise Unreadable("week") from None


# --- people ---------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]+")
_PEOPLE_EXPECTED = 'expected an email, a user id, "team:<id>", or a list of them'


def _person_token(value: object, directory: Directory | None) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise CodecError(f"{shown(value)} is not a person; {_PEOPLE_EXPECTED}")
    text = str(value).strip()
    if text.isdigit():
        return str(int(text))
    if re.fullmatch(r"team:\d+", text, flags=re.IGNORECASE):
        return f"team:{int(text[5:])}"
    if _EMAIL.fullmatch(text):
        user = directory.user(text) if directory is not None else None
        return str(user.id) if user is not None else text.lower()
    raise CodecError(f"{shown(value)} is neither an email nor a user id; {_PEOPLE_EXPECTED}")


def _people_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    entries: list[object] = []
    for entry in as_list(value):
        if isinstance(entry, str):
            entries.extend(part for part in entry.split(",") if part.strip())
        else:
            entries.append(entry)
    tokens = {_person_token(entry, directory) for entry in entries}
    # User ids first, in numeric order; then teams and unresolved emails.
    return sorted_or_none(tokens, key=lambda token: (not token.isdigit(), len(token), token))


def _people_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    persons: list[JSONValue] = []
    for token in as_list(value):
        text = str(token)
        if text.startswith("team:"):
            persons.append({"id": int(text[5:]), "kind": "team"})
            continue
        user = directory.user(text)
        if user is None:
            raise CodecError(
                f'"{text}" is not a user of this account; expected a known email or user id'
            )
        persons.append({"id": int(user.id), "kind": "person"})
    return {"personsAndTeams": persons}


def _people_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    persons = _field(stored, "personsAndTeams")
    if not isinstance(persons, list):
        raise Unreadable("personsAndTeams")
    tokens: list[str] = []
    for person in persons:
        person_id = _field(person, "id")
        kind = person.get("kind", "person") if isinstance(person, dict) else "person"
        tokens.append(f"team:{person_id}" if kind == "team" else str(person_id))
    try:
        return _people_canonical(column, tokens, directory)
    except CodecError:
        raise Unreadable("people") from None


# --- email, link ----------------------------------------------------------------------


@memoized
def _email_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    shape = 'expected an email such as "ana@example.com", or {email, text}'
    label: object = None
    address = value
    if isinstance(value, Mapping):
        if "email" not in value or not set(value) <= {"email", "text"}:
            raise CodecError(f"{shown(value)} is not an email; {shape}")
        address, label = value["email"], value.get("text")
    if not isinstance(address, str) or not _EMAIL.fullmatch(address.strip()):
        raise CodecError(f"{shown(address)} is not an email address; {shape}")
    address = address.strip().lower()
    if label is not None and not isinstance(label, str):
        raise CodecError(f"email text {shown(label)} is not a string; {shape}")
    if label is None or label.strip() == "" or label.strip().lower() == address:
        return address
    return {"email": address, "text": label}


def _email_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    if isinstance(value, dict):
        return {"email": value["email"], "text": value["text"]}
    return {"email": value, "text": value}


def _email_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    address = _field(stored, "email")
    if is_empty(address):
        return None
    label = stored.get("text") if isinstance(stored, dict) else None
    try:
        if not isinstance(label, str) or label.strip().lower() in (
            "",
            str(address).strip().lower(),
        ):
            return _email_canonical(column, address, directory)
        return _email_canonical(column, {"email": address, "text": label}, directory)
    except CodecError:
        raise Unreadable("email") from None


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+|(?:mailto|tel):\S+", flags=re.IGNORECASE)
_LINK_EXPECTED = "expected an absolute URL such as https://example.com, or {url, text}"


def _link_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    label: object = None
    url = value
    if isinstance(value, Mapping):
        if "url" not in value or not set(value) <= {"url", "text"}:
            raise CodecError(f"{shown(value)} is not a link; {_LINK_EXPECTED}")
        url, label = value["url"], value.get("text")
    if not isinstance(url, str) or not _URL.fullmatch(url.strip()):
        raise CodecError(f"{shown(url)} is not a URL; {_LINK_EXPECTED}")
    if label is not None and not isinstance(label, str):
        raise CodecError(f"link text {shown(label)} is not a string; {_LINK_EXPECTED}")
    url = url.strip()
    text = label.strip() if isinstance(label, str) and label.strip() else url
    return {"url": url, "text": text}


def _link_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return value


def _link_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    url = _field(stored, "url")
    if is_empty(url):
        return None
    label = stored.get("text") if isinstance(stored, dict) else None
    try:
        return _link_canonical(column, {"url": url, "text": label}, directory)
    except CodecError:
        raise Unreadable("link") from None


# --- phone ----------------------------------------------------------------------------

_PHONE_EXPECTED = 'expected an international number such as "+14155550100", or {phone, country}'

# Calling code -> the country monday shows for it, when the manifest names none. Our own
# short table of common codes; other numbers need an explicit country.
_CALLING_CODES: Mapping[str, str] = {
    "1": "US", "7": "RU", "20": "EG", "27": "ZA", "30": "GR", "31": "NL", "32": "BE",
    "33": "FR", "34": "ES", "36": "HU", "39": "IT", "40": "RO", "41": "CH", "43": "AT",
    "44": "GB", "45": "DK", "46": "SE", "47": "NO", "48": "PL", "49": "DE", "51": "PE",
    "52": "MX", "54": "AR", "55": "BR", "56": "CL", "57": "CO", "60": "MY", "61": "AU",
    "62": "ID", "63": "PH", "64": "NZ", "65": "SG", "66": "TH", "81": "JP", "82": "KR",
    "84": "VN", "86": "CN", "90": "TR", "91": "IN", "92": "PK", "234": "NG", "254": "KE",
    "351": "PT", "352": "LU", "353": "IE", "354": "IS", "356": "MT", "357": "CY",
    "358": "FI", "359": "BG", "370": "LT", "371": "LV", "372": "EE", "380": "UA",
    "385": "HR", "386": "SI", "420": "CZ", "421": "SK", "852": "HK", "886": "TW",
    "966": "SA", "971": "AE", "972": "IL",
}  # fmt: skip


def international_number(number: object) -> str:
    """A phone number as "+digits", from digits with any separators or a 00 prefix."""
    if isinstance(number, bool) or not isinstance(number, (str, int)):
        raise CodecError(f"{shown(number)} is not a phone number; {_PHONE_EXPECTED}")
    text = re.sub(r"[\s().\-/]", "", str(number))
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = text.removeprefix("+")
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        raise CodecError(f"{shown(number)} is not a phone number; {_PHONE_EXPECTED}")
    return "+" + digits


def phone_parts(value: object) -> tuple[str, str | None]:
    """The number as "+digits" and the country code the value names, if any."""
    if not isinstance(value, Mapping):
        return international_number(value), None
    if "phone" not in value or not set(value) <= {"phone", "country"}:
        raise CodecError(f"{shown(value)} is not a phone number; {_PHONE_EXPECTED}")
    named = value.get("country")
    country = None
    if named is not None:
        country = country_code(named) if isinstance(named, str) else None
        if country is None:
            raise CodecError(f"{shown(named)} is not a country; {_COUNTRY_EXPECTED}")
    return international_number(value["phone"]), country


def phone_country(number: str) -> str | None:
    """The country a calling code implies (our short table), else None."""
    digits = number.removeprefix("+")
    for length in (3, 2, 1):
        if digits[:length] in _CALLING_CODES:
            return _CALLING_CODES[digits[:length]]
    return None


def _phone_form(number: str, country: str | None) -> JSONValue:
    if country is None or country == phone_country(number):
        return number
    return {"phone": number, "country": country}


@memoized
def _phone_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    number, country = phone_parts(value)
    if country is None and phone_country(number) is None:
        raise CodecError(
            f'cannot tell the country of "{number}"; expected {{phone, country}} naming it'
        )
    return _phone_form(number, country)


def _phone_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    number, country = phone_parts(value)
    return {"phone": number, "countryShortName": country or phone_country(number)}


def _phone_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    number = _field(stored, "phone")
    if is_empty(number):
        return None
    country = stored.get("countryShortName") if isinstance(stored, dict) else None
    try:
        international = international_number(number)
    except CodecError:
        raise Unreadable("phone") from None
    code = country.strip().upper() if isinstance(country, str) and country.strip() else None
    return _phone_form(international, code)


# --- checkbox, rating -----------------------------------------------------------------


@memoized
def _checkbox_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    if not isinstance(value, bool):
        raise CodecError(f"{shown(value)} is not a boolean; expected true or false")
    return True if value else None


def _checkbox_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return {"checked": "true"}


def _checkbox_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    checked = _field(stored, "checked")
    if checked in (True, "true"):
        return True
    if checked in (False, "false", None, ""):
        return None
    raise Unreadable("checked")


def rating_limit(column: Column) -> int:
    limit = (column.settings or {}).get("limit")
    if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        return limit
    return 5


def _rating_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    limit = rating_limit(column)
    expected = f"expected a whole number from 1 to {limit}"
    number = value
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if isinstance(number, bool) or not isinstance(number, int):
        raise CodecError(f"{shown(value)} is not a rating; {expected}")
    if not 0 <= number <= limit:
        raise CodecError(f"{shown(value)} is out of range; {expected}")
    return number or None


def _rating_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return {"rating": value}


def _rating_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    rating = _field(stored, "rating")
    if rating is None:
        return None
    if isinstance(rating, str) and rating.strip().isdigit():
        rating = int(rating)
    if isinstance(rating, bool) or not isinstance(rating, int) or rating < 0:
        raise Unreadable("rating")
    return rating or None


# --- tags -----------------------------------------------------------------------------


def _tags_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    names: set[str] = set()
    for entry in as_list(value):
        if isinstance(entry, bool) or not isinstance(entry, (str, int)):
            raise CodecError(f"{shown(entry)} is not a tag; expected a tag name or a list of them")
        name = str(entry).strip().removeprefix("#").strip()
        if name == "":
            continue
        # With a directory, spell a known tag the way the account does.
        tag_id = directory.tag_id(name) if directory is not None else None
        known = directory.tag_name(tag_id) if directory is not None and tag_id is not None else None
        names.add(known or name)
    return sorted_or_none(names)


def _tags_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    ids: list[JSONValue] = []
    for name in as_list(value):
        tag_id = directory.tag_id(str(name))
        if tag_id is None:
            raise CodecError(
                f'"{name}" is not a tag of this account; expected one of: '
                f"{', '.join(sorted(directory.tags)) or '(none)'}"
            )
        ids.append(tag_id)
    return {"tag_ids": ids}


def _tags_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    ids = _field(stored, "tag_ids")
    if not isinstance(ids, list) or directory is None:
        raise Unreadable("tag_ids")
    names: list[JSONValue] = []
    for tag_id in ids:
        name = directory.tag_name(int(str(tag_id))) if str(tag_id).isdigit() else None
        if name is None:
            raise Unreadable("tag id")
        names.append(name)
    return _tags_canonical(column, names, directory)


# --- country --------------------------------------------------------------------------

_COUNTRY_EXPECTED = 'expected an ISO 3166-1 alpha-2 code such as "US" or an English name'


@memoized
def _country_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    if isinstance(value, Mapping) and "countryCode" in value:
        value = value["countryCode"]
    code = country_code(value) if isinstance(value, str) else None
    if code is None:
        raise CodecError(f"{shown(value)} is not a country; {_COUNTRY_EXPECTED}")
    return code


def _country_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return {"countryCode": value, "countryName": COUNTRY_NAMES[str(value)]}


def _country_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    code = _field(stored, "countryCode")
    if is_empty(code):
        return None
    try:
        return _country_canonical(column, code, directory)
    except CodecError:
        raise Unreadable("countryCode") from None


# --- hour -----------------------------------------------------------------------------

_HOUR = re.compile(r"(\d{1,2}):(\d{2})(?::00)?\s*([AaPp][Mm])?")
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


def _hour_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    hour, minute = _field(stored, "hour"), _field(stored, "minute")
    if is_empty(hour):
        return None
    if not (str(hour).isdigit() and (is_empty(minute) or str(minute).isdigit())):
        raise Unreadable("hour")
    try:
        return _hour_canonical(column, f"{int(str(hour))}:{int(str(minute or 0)):02d}", directory)
    except CodecError:
        raise Unreadable("hour") from None


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


def _world_clock_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    zone = _field(stored, "timezone")
    if is_empty(zone):
        return None
    try:
        return _world_clock_canonical(column, zone, directory)
    except CodecError:
        raise Unreadable("timezone") from None


# --- location -------------------------------------------------------------------------

_LOCATION_EXPECTED = "expected {lat, lng, address} with lat in [-90, 90] and lng in [-180, 180]"


def _location_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    keys = set(value) if isinstance(value, Mapping) else set()
    if not (isinstance(value, Mapping) and {"lat", "lng"} <= keys <= {"lat", "lng", "address"}):
        raise CodecError(f"{shown(value)} is not a location; {_LOCATION_EXPECTED}")
    try:
        lat, lng = decimal_text(value["lat"]), decimal_text(value["lng"])
    except CodecError:
        raise CodecError(
            f"{shown(value['lat'])}, {shown(value['lng'])} are not coordinates; "
            f"{_LOCATION_EXPECTED}"
        ) from None
    if not (-90 <= Decimal(lat) <= 90 and -180 <= Decimal(lng) <= 180):
        raise CodecError(f"{lat}, {lng} is off the globe; {_LOCATION_EXPECTED}")
    address = value.get("address")
    if address is not None and not isinstance(address, str):
        raise CodecError(f"address {shown(address)} is not a string; {_LOCATION_EXPECTED}")
    canonical: dict[str, JSONValue] = {"lat": lat, "lng": lng}
    if address is not None and address.strip():
        canonical["address"] = address.strip()
    return canonical


def _location_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    if not isinstance(value, dict):  # pragma: no cover - canonical locations are mappings
        raise CodecError(f"{shown(value)} is not a location; {_LOCATION_EXPECTED}")
    return {"lat": value["lat"], "lng": value["lng"], "address": value.get("address", "")}


def _location_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    lat, lng = _field(stored, "lat"), _field(stored, "lng")
    if is_empty(lat) and is_empty(lng):
        return None
    address = stored.get("address") if isinstance(stored, dict) else None
    try:
        return _location_canonical(
            column, {"lat": lat, "lng": lng, "address": address or ""}, directory
        )
    except CodecError:
        raise Unreadable("location") from None


# --- color_picker ---------------------------------------------------------------------

_COLOR_EXPECTED = 'expected a hex colour such as "#ff0000"'


@memoized
def _color_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    if isinstance(value, Mapping) and set(value) == {"hex"}:
        value = value["hex"]
    text = value.strip().removeprefix("#").lower() if isinstance(value, str) else ""
    if re.fullmatch(r"[0-9a-f]{3}", text):
        text = "".join(digit * 2 for digit in text)
    if not re.fullmatch(r"[0-9a-f]{6}", text):
        raise CodecError(f"{shown(value)} is not a colour; {_COLOR_EXPECTED}")
    return "#" + text


def _color_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return {"color": {"hex": value}}


def _color_read(
    column: Column, stored: JSONValue, text: str, directory: Directory | None
) -> JSONValue:
    color = _field(stored, "color")
    hex_value = _field(color, "hex")
    if is_empty(hex_value):
        return None
    try:
        return _color_canonical(column, hex_value, directory)
    except CodecError:
        raise Unreadable("color") from None


def _plain_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return value


CODECS: Mapping[str, TypeCodec] = {
    "text": TypeCodec(_text_canonical, _text_write, _text_read),
    "long_text": TypeCodec(_text_canonical, _long_text_write, _text_read),
    "numbers": TypeCodec(_numbers_canonical, _plain_write, _numbers_read),
    "status": TypeCodec(_status_canonical, _status_write, _status_read),
    "dropdown": TypeCodec(_dropdown_canonical, _dropdown_write, _dropdown_read),
    "date": TypeCodec(_date_canonical, _date_write, _date_read),
    "people": TypeCodec(_people_canonical, _people_write, _people_read),
    "email": TypeCodec(_email_canonical, _email_write, _email_read),
    "link": TypeCodec(_link_canonical, _link_write, _link_read),
    "phone": TypeCodec(_phone_canonical, _phone_write, _phone_read),
    "checkbox": TypeCodec(_checkbox_canonical, _checkbox_write, _checkbox_read),
    "timeline": TypeCodec(_timeline_canonical, _timeline_write, _timeline_read),
    "rating": TypeCodec(_rating_canonical, _rating_write, _rating_read),
    "tags": TypeCodec(_tags_canonical, _tags_write, _tags_read),
    "country": TypeCodec(_country_canonical, _country_write, _country_read),
    "hour": TypeCodec(_hour_canonical, _hour_write, _hour_read),
    "week": TypeCodec(_week_canonical, _week_write, _week_read),
    "world_clock": TypeCodec(_world_clock_canonical, _world_clock_write, _world_clock_read),
    "location": TypeCodec(_location_canonical, _location_write, _location_read),
    "color_picker": TypeCodec(_color_canonical, _color_write, _color_read),
}
