"""Properties of the codec over many generated values (a seeded generator, no hypothesis).

For every managed column type and a few thousand values built from plausible and odd
pieces: the codec either rejects the value with a ``CodecError`` or accepts it, and an
accepted value normalises idempotently, writes JSON monday can parse, and reads back from
monday's stored form equal to its normal form.
"""

from __future__ import annotations

import json
import random

import pytest

from boardops.codec import (
    MANAGED_COLUMN_TYPES,
    MATCHABLE_TYPES,
    CodecError,
    check,
    from_wire,
    match_key,
    normalize,
    to_wire,
)
from boardops.model import JSONValue
from tests.test_codec import DIRECTORY, column, through_monday

PIECES: list[JSONValue] = [
    None, True, False, 0, 1, -1, 7, 2.5, -0.0, 1e308, "", "  ", "x", "Done", "stuck", "7",
    "Web", "Mobile", "2026-12-01", "2026-02-30", "2026-12-01T09:30+05:30", "2026-12-01 23:59",
    "9:05", "12:00 PM", "25:00", "+14155550100", "+44 20 7946 0958", "0049 30 1234567",
    "a@b.co", "A@B.co", "a@", "https://x.io", "x.io", "#fff", "#ABCDEF", "red", "US", "germany",
    "Narnia", "Europe/London", "mars/base", "team:1", "10000001", "alice@example.com",
    "eve@example.com", "urgent", "Backend", "#q4", "2026-W48", "2026-W60", "1e5", "0.10",
    "5", "²", "٣", {}, [],
]  # fmt: skip
KEYS = [
    "from", "to", "url", "text", "email", "phone", "country", "lat", "lng", "address", "hex",
    "startDate", "endDate", "hour", "minute", "countryCode",
]  # fmt: skip


def generated_values(seed: int, count: int) -> list[JSONValue]:
    chooser = random.Random(seed)

    def build(depth: int) -> JSONValue:
        roll = chooser.random()
        if depth > 1 or roll < 0.6:
            return chooser.choice(PIECES)
        if roll < 0.8:
            return [build(depth + 1) for _ in range(chooser.randint(0, 3))]
        return {chooser.choice(KEYS): build(depth + 1) for _ in range(chooser.randint(1, 3))}

    return [build(0) for _ in range(count)]


@pytest.mark.parametrize("column_type", MANAGED_COLUMN_TYPES)
def test_accepted_values_round_trip_and_rejected_values_raise_codec_errors(
    column_type: str,
) -> None:
    col = column(column_type)
    accepted = 0
    for value in generated_values(seed=len(column_type), count=800):
        try:
            check(col, value)
            desired = normalize(col, value, DIRECTORY)
            wire = to_wire(col, value, DIRECTORY)
        except CodecError:
            continue
        accepted += 1
        json.dumps(wire, allow_nan=False)
        assert normalize(col, desired, DIRECTORY) == desired, value
        stored, text = through_monday(col, wire)
        assert from_wire(col, stored, text, DIRECTORY) == desired, value
        if column_type in MATCHABLE_TYPES:
            assert match_key(col, desired) == match_key(col, value), value
    # The generator must exercise the type, not only its error paths.
    assert accepted >= 5


@pytest.mark.parametrize("column_type", MANAGED_COLUMN_TYPES)
def test_any_stored_value_reads_as_a_value_or_none_without_raising(column_type: str) -> None:
    col = column(column_type)
    for stored in generated_values(seed=100 + len(column_type), count=400):
        read = from_wire(col, stored, "monday's text", DIRECTORY)
        json.dumps(read, allow_nan=False)
