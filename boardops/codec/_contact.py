"""Codecs for people and ways to reach them: people, email, link and phone."""

from __future__ import annotations

import re
from collections.abc import Mapping

import phonenumbers

from boardops.codec._base import (
    Directory,
    TypeCodec,
    Unreadable,
    as_list,
    field_of,
    is_digits,
    is_empty,
    list_field,
    memoized,
    reread,
    shown,
    sorted_or_none,
)
from boardops.codec._countries import country_code
from boardops.codec._places import COUNTRY_EXPECTED
from boardops.errors import CodecError
from boardops.model import Column, JSONValue

# --- people ---------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]+")
_PEOPLE_EXPECTED = 'expected an email, a user id, "team:<id>", or a list of them'


def _person_token(value: object, directory: Directory | None) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise CodecError(f"{shown(value)} is not a person; {_PEOPLE_EXPECTED}")
    text = str(value).strip()
    if is_digits(text):
        return str(int(text))
    if re.fullmatch(r"team:[0-9]+", text, flags=re.IGNORECASE):
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
    return sorted_or_none(tokens, key=lambda token: (not is_digits(token), len(token), token))


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


def _people_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    persons = list_field(stored, "personsAndTeams")
    tokens: list[str] = []
    for person in persons:
        person_id = field_of(person, "id")
        kind = person.get("kind", "person") if isinstance(person, dict) else "person"
        tokens.append(f"team:{person_id}" if kind == "team" else str(person_id))
    return reread(_people_canonical, column, tokens, directory, "people")


# --- email, link ----------------------------------------------------------------------


def _with_text(value: object, field: str, noun: str, expected: str) -> tuple[object, object]:
    """A value written alone, or as a mapping ``{field, text}``: the value and its text
    (None when not given)."""
    if not isinstance(value, Mapping):
        return value, None
    if field not in value or not set(value) <= {field, "text"}:
        raise CodecError(f"{shown(value)} is not {noun}; {expected}")
    return value[field], value.get("text")


def _text_of(label: object, kind: str, expected: str) -> str | None:
    """The text given with a value: None or a string."""
    if label is not None and not isinstance(label, str):
        raise CodecError(f"{kind} text {shown(label)} is not a string; {expected}")
    return label


@memoized
def _email_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    shape = 'expected an email such as "ana@example.com", or {email, text}'
    address, given = _with_text(value, "email", "an email", shape)
    if not isinstance(address, str) or not _EMAIL.fullmatch(address.strip()):
        raise CodecError(f"{shown(address)} is not an email address; {shape}")
    address = address.strip().lower()
    label = _text_of(given, "email", shape)
    if label is None or label.strip() == "" or label.strip().lower() == address:
        return address
    return {"email": address, "text": label.strip()}


def _email_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    if isinstance(value, dict):
        return {"email": value["email"], "text": value["text"]}
    return {"email": value, "text": value}


def _email_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    address = field_of(stored, "email")
    if is_empty(address):
        return None
    label = stored.get("text") if isinstance(stored, dict) else None
    plain = not isinstance(label, str) or label.strip().lower() in (
        "",
        str(address).strip().lower(),
    )
    value = address if plain else {"email": address, "text": label}
    return reread(_email_canonical, column, value, directory, "email")


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+|(?:mailto|tel):\S+", flags=re.IGNORECASE)
_LINK_EXPECTED = "expected an absolute URL such as https://example.com, or {url, text}"


def _link_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    url, given = _with_text(value, "url", "a link", _LINK_EXPECTED)
    if not isinstance(url, str) or not _URL.fullmatch(url.strip()):
        raise CodecError(f"{shown(url)} is not a URL; {_LINK_EXPECTED}")
    label = _text_of(given, "link", _LINK_EXPECTED)
    url = url.strip()
    text = label.strip() if isinstance(label, str) and label.strip() else url
    return {"url": url, "text": text}


def _link_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return value


def _link_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    url = field_of(stored, "url")
    if is_empty(url):
        return None
    label = stored.get("text") if isinstance(stored, dict) else None
    return reread(_link_canonical, column, {"url": url, "text": label}, directory, "link")


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
    if not is_digits(digits) or not 7 <= len(digits) <= 15:
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
            raise CodecError(f"{shown(named)} is not a country; {COUNTRY_EXPECTED}")
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


def check_national_number(number: str, country: str) -> None:
    """Refuse a number that is not a valid number of ``country`` by libphonenumber's rules
    (monday rejects them: "must be valid national numbers for the given country")."""
    try:
        parsed = phonenumbers.parse(number, country)
    except phonenumbers.NumberParseException:
        valid = False
    else:
        valid = phonenumbers.is_valid_number_for_region(parsed, country)
    if not valid:
        raise CodecError(
            f'"{number}" is not a valid phone number for country {country}; '
            "expected a number that country's rules accept, with its calling code"
        )


@memoized
def _phone_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    number, country = phone_parts(value)
    implied = phone_country(number)
    if country is None and implied is None:
        raise CodecError(
            f'cannot tell the country of "{number}"; expected {{phone, country}} naming it'
        )
    check_national_number(number, country or implied or "")
    return _phone_form(number, country)


def _phone_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    number, country = phone_parts(value)
    return {"phone": number, "countryShortName": country or phone_country(number)}


def _phone_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    number = field_of(stored, "phone")
    if is_empty(number):
        return None
    country = stored.get("countryShortName") if isinstance(stored, dict) else None
    try:
        international = international_number(number)
    except CodecError:
        raise Unreadable("phone") from None
    code = country.strip().upper() if isinstance(country, str) and country.strip() else None
    return _phone_form(international, code)


CODECS: Mapping[str, TypeCodec] = {
    "people": TypeCodec(_people_canonical, _people_write, _people_read),
    "email": TypeCodec(
        _email_canonical, _email_write, _email_read, matchable=True, filterable=True
    ),
    "link": TypeCodec(_link_canonical, _link_write, _link_read, matchable=True),
    "phone": TypeCodec(_phone_canonical, _phone_write, _phone_read, matchable=True),
}
