"""Codecs for places: country and location."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from boardops.codec._base import (
    Directory,
    TypeCodec,
    field_of,
    field_read,
    is_empty,
    memoized,
    reread,
    shown,
)
from boardops.codec._countries import COUNTRY_NAMES, country_code
from boardops.codec._scalars import decimal_text
from boardops.errors import CodecError
from boardops.model import Column, JSONValue

# --- country --------------------------------------------------------------------------

COUNTRY_EXPECTED = 'expected an ISO 3166-1 alpha-2 code such as "US" or an English name'


@memoized
def _country_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    if isinstance(value, Mapping) and "countryCode" in value:
        value = value["countryCode"]
    code = country_code(value) if isinstance(value, str) else None
    if code is None:
        raise CodecError(f"{shown(value)} is not a country; {COUNTRY_EXPECTED}")
    return code


def _country_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    return {"countryCode": value, "countryName": COUNTRY_NAMES[str(value)]}


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


def _location_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    lat, lng = field_of(stored, "lat"), field_of(stored, "lng")
    if is_empty(lat) and is_empty(lng):
        return None
    address = stored.get("address") if isinstance(stored, dict) else None
    value = {"lat": lat, "lng": lng, "address": address or ""}
    return reread(_location_canonical, column, value, directory, "location")


CODECS: Mapping[str, TypeCodec] = {
    "country": TypeCodec(
        _country_canonical,
        _country_write,
        field_read("countryCode", _country_canonical),
        matchable=True,
    ),
    "location": TypeCodec(_location_canonical, _location_write, _location_read),
}
