"""Codecs for plain values: text, long_text, numbers, checkbox, rating, color_picker."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from boardops.codec._base import (
    Directory,
    TypeCodec,
    Unreadable,
    field_of,
    is_digits,
    is_empty,
    memoized,
    reread,
    shown,
)
from boardops.errors import CodecError
from boardops.model import Column, JSONValue

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


def _text_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    if isinstance(stored, dict):
        stored = field_of(stored, "text")
    if isinstance(stored, (str, int)) and not isinstance(stored, bool):
        return _text_canonical(column, stored, directory)
    raise Unreadable("text")


def _long_text_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return {"text": value}


# --- numbers --------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
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


def _numbers_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    if isinstance(stored, str) and stored.strip() == "":
        return None
    return reread(_numbers_canonical, column, stored, directory, "numbers")


# --- checkbox, rating -----------------------------------------------------------------


@memoized
def _checkbox_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    if not isinstance(value, bool):
        raise CodecError(f"{shown(value)} is not a boolean; expected true or false")
    return True if value else None


def _checkbox_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return {"checked": "true"}


def _checkbox_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    checked = field_of(stored, "checked")
    if checked in (True, "true"):
        return True
    if checked in (False, "false", None, ""):
        return None
    raise Unreadable("checked")


def rating_limit(column: Column) -> int:
    """The column's number of stars: the manifest's ``settings.limit`` when it declares one
    (the plan sets it before any value), else monday's, else monday's default of 5."""
    declared = column.declared_settings or {}
    limit = declared["limit"] if "limit" in declared else (column.settings or {}).get("limit")
    if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        return limit
    return 5


def _rating_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    limit = rating_limit(column)
    expected = f"expected a whole number from 1 to {limit}"
    number = value
    if isinstance(value, str) and is_digits(value.strip()):
        number = int(value.strip())
    if isinstance(number, bool) or not isinstance(number, int):
        raise CodecError(f"{shown(value)} is not a rating; {expected}")
    if not 0 <= number <= limit:
        raise CodecError(f"{shown(value)} is out of range; {expected}")
    return number or None


def _rating_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return {"rating": value}


def _rating_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    rating = field_of(stored, "rating")
    if rating is None:
        return None
    if isinstance(rating, str) and is_digits(rating.strip()):
        rating = int(rating)
    if isinstance(rating, bool) or not isinstance(rating, int) or rating < 0:
        raise Unreadable("rating")
    return rating or None


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


def _color_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    color = field_of(stored, "color")
    if isinstance(color, dict) and "hex" not in color and {"r", "g", "b"} <= set(color):
        # Colours set in RGB are stored {"color": {"r", "g", "b"}} with no hex (docs).
        return _rgb_hex(color)
    hex_value = field_of(color, "hex")
    if is_empty(hex_value):
        return None
    return reread(_color_canonical, column, hex_value, directory, "color")


def _rgb_hex(color: Mapping[str, JSONValue]) -> str:
    """``{"r": 255, "g": 0, "b": 0}`` (numbers or digit strings, 0-255) as "#ff0000"."""
    channels = []
    for name in ("r", "g", "b"):
        channel = color[name]
        if isinstance(channel, str) and is_digits(channel.strip()):
            channel = int(channel)
        if isinstance(channel, float) and channel.is_integer():
            channel = int(channel)
        if isinstance(channel, bool) or not isinstance(channel, int) or not 0 <= channel <= 255:
            raise Unreadable("color rgb")
        channels.append(channel)
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def _plain_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return value


CODECS: Mapping[str, TypeCodec] = {
    "text": TypeCodec(_text_canonical, _text_write, _text_read, matchable=True, filterable=True),
    "long_text": TypeCodec(_text_canonical, _long_text_write, _text_read),
    "numbers": TypeCodec(_numbers_canonical, _plain_write, _numbers_read, matchable=True),
    "checkbox": TypeCodec(_checkbox_canonical, _checkbox_write, _checkbox_read),
    "rating": TypeCodec(_rating_canonical, _rating_write, _rating_read),
    "color_picker": TypeCodec(_color_canonical, _color_write, _color_read),
}
