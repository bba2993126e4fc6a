"""The column-type codec: canonical forms, wire formats, round trips and error messages."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from boardops.codec import (
    MANAGED_COLUMN_TYPES,
    MATCHABLE_TYPES,
    CodecError,
    Directory,
    check,
    from_wire,
    match_key,
    normalize,
    to_wire,
)
from boardops.model import (
    Column,
    DropdownLabel,
    JSONValue,
    StatusLabel,
    User,
)

USERS = (
    User("10000001", "Alice Example", "alice@example.com"),
    User("10000002", "Bob Example", "bob@example.com"),
    User("10000003", "Carol Example", "carol@example.com"),
    User("10000004", "Dan Example", "dan@example.com"),
)
DIRECTORY = Directory(
    users=USERS,
    tags={"urgent": 3, "Backend": 7, "q4": 9},
    # Links (board_relation, dependency) to the ids apply resolved for them.
    links={"A-1": "11", "A-2": "12", '["deals", "D-1"]': "21"},
)

STATUS = Column(
    title="Status",
    type="status",
    id="status",
    status_labels=(
        StatusLabel("Working on it", color="working_orange", id=0, index=0),
        StatusLabel("Done", color="done_green", id=1, index=1),
        StatusLabel("Stuck", color="stuck_red", id=2, index=2),
        StatusLabel("7", color="purple", id=4, index=3),
    ),
)
DROPDOWN = Column(
    title="Team",
    type="dropdown",
    id="team",
    dropdown_labels=(
        DropdownLabel("Platform", id=1),
        DropdownLabel("Mobile", id=2),
        DropdownLabel("Web", id=3),
    ),
)


def column(column_type: str) -> Column:
    """The live column used for a type in these tests (with label ids where it has labels)."""
    if column_type == "status":
        return STATUS
    if column_type == "dropdown":
        return DROPDOWN
    return Column(title=column_type.replace("_", " ").title(), type=column_type, id=column_type)


def stored_text(col: Column, wire: JSONValue) -> str:
    """monday's derived ``ColumnValue.text`` for a value written in write form."""
    if wire is None:
        return ""
    assert not isinstance(wire, (list, bool))
    if col.type in ("text", "numbers"):
        return str(wire)
    assert isinstance(wire, dict)
    by_type = {
        "long_text": lambda w: w["text"],
        "status": lambda w: next(s.label for s in col.status_labels if s.id == w["index"]),
        "dropdown": lambda w: ", ".join(
            next(d.label for d in col.dropdown_labels if d.id == i) for i in w["ids"]
        ),
        "date": lambda w: w["date"] + (" " + w["time"][:5] if "time" in w else ""),
        "people": lambda w: ", ".join(
            next(u.name for u in USERS if int(u.id) == p["id"])
            for p in w["personsAndTeams"]
            if p["kind"] == "person"
        ),
        "email": lambda w: w["email"],
        "link": lambda w: f"{w['text']} - {w['url']}",
        "phone": lambda w: w["phone"],
        "checkbox": lambda w: "v",
        "timeline": lambda w: f"{w['from']} - {w['to']}",
        "rating": lambda w: str(w["rating"]),
        "tags": lambda w: ", ".join(
            next(name for name, i in DIRECTORY.tags.items() if i == t) for t in w["tag_ids"]
        ),
        "country": lambda w: w["countryName"],
        "hour": lambda w: f"{w['hour']:02d}:{w['minute']:02d}",
        "week": lambda w: f"{w['week']['startDate']} - {w['week']['endDate']}",
        "world_clock": lambda w: w["timezone"],
        "location": lambda w: w["address"],
        "color_picker": lambda w: w["color"]["hex"],
    }
    return str(by_type[col.type](wire))  # type: ignore[no-untyped-call]


def through_monday(col: Column, wire: JSONValue) -> tuple[JSONValue, str]:
    """What monday stores for a write: the same JSON (re-parsed), and its text. Links
    (board_relation, dependency) are answered as ``linked_item_ids``, with no text."""
    stored: JSONValue = json.loads(json.dumps(wire))
    if col.type in ("board_relation", "dependency") and isinstance(stored, dict):
        ids = stored["item_ids"]
        assert isinstance(ids, list)
        return {"linked_item_ids": [str(i) for i in ids]}, ""
    return stored, stored_text(col, wire)


# Human values people write, per type; each must survive to_wire -> monday -> from_wire.
HUMAN_VALUES: list[tuple[str, JSONValue]] = [
    ("text", "ENG-1"),
    ("text", "  spaced out  "),
    ("text", 42),
    ("text", "ünïcødé ✓"),
    ("long_text", "line one\nline two"),
    ("long_text", "windows\r\nline"),
    ("numbers", "42.5"),
    ("numbers", "1.0"),
    ("numbers", 1e3),
    ("numbers", -0.25),
    ("numbers", "0.000001"),
    ("numbers", 7),
    ("numbers", " 3.1400 "),
    ("status", "Done"),
    ("status", "Working on it"),
    ("status", 7),
    ("dropdown", ["Web", "Platform"]),
    ("dropdown", "Mobile"),
    ("dropdown", ["Web", "Web"]),
    ("date", "2026-12-01"),
    ("date", "2026-12-01T09:30:00Z"),
    ("date", "2026-12-01T09:30+02:00"),
    ("date", "2026-12-01 23:30:15-05:00"),
    ("date", "2026-12-01T09:30"),
    ("people", "alice@example.com"),
    ("people", ["BOB@example.com", "10000001"]),
    ("people", 10000003),
    ("people", "carol@example.com, dan@example.com"),
    ("email", "ana@example.com"),
    ("email", "Ana@Example.COM"),
    ("email", {"email": "ana@example.com", "text": "Ana (sales)"}),
    ("link", "https://example.com/docs"),
    ("link", {"url": "https://x.io", "text": "X"}),
    ("link", {"url": "https://x.io"}),
    ("phone", "+1 (415) 555-0100"),
    ("phone", "0044 20 7946 0958"),
    ("phone", {"phone": "+1 613 555 0100", "country": "CA"}),
    ("phone", {"phone": "+359 2 123 4567", "country": "Bulgaria"}),
    ("checkbox", True),
    ("timeline", {"from": "2026-01-01", "to": "2026-01-31"}),
    ("timeline", ["2026-03-01", "2026-03-01"]),
    ("rating", 4),
    ("rating", "5"),
    ("tags", ["urgent", "backend"]),
    ("tags", "#q4"),
    ("country", "US"),
    ("country", "united kingdom"),
    ("country", "de"),
    ("hour", "09:05"),
    ("hour", "9:05 pm"),
    ("hour", "12:00 AM"),
    ("week", "2026-W48"),
    ("week", {"from": "2026-11-22", "to": "2026-11-28"}),
    ("world_clock", "Europe/London"),
    ("world_clock", "america/new_york"),
    ("location", {"lat": 51.5, "lng": "-0.120", "address": "London"}),
    ("location", {"lat": "0", "lng": "0"}),
    ("color_picker", "#FF0000"),
    ("color_picker", "0f0"),
    ("board_relation", ["A-2", "A-1", "A-2"]),
    ("board_relation", [{"board": "deals", "item": "D-1"}, "A-1"]),
    ("dependency", "A-1"),
]


def test_every_managed_type_has_round_trip_cases() -> None:
    assert {t for t, _ in HUMAN_VALUES} == set(MANAGED_COLUMN_TYPES)


@pytest.mark.parametrize(("column_type", "value"), HUMAN_VALUES)
def test_value_written_to_monday_reads_back_equal_to_its_normal_form(
    column_type: str, value: JSONValue
) -> None:
    col = column(column_type)
    desired = normalize(col, value, DIRECTORY)
    stored, text = through_monday(col, to_wire(col, desired, DIRECTORY))
    assert from_wire(col, stored, text, DIRECTORY) == desired


@pytest.mark.parametrize(("column_type", "value"), HUMAN_VALUES)
def test_writing_the_human_value_equals_writing_its_normal_form(
    column_type: str, value: JSONValue
) -> None:
    col = column(column_type)
    direct = to_wire(col, value, DIRECTORY)
    assert direct == to_wire(col, normalize(col, value, DIRECTORY), DIRECTORY)
    assert json.loads(json.dumps(direct)) == direct


@pytest.mark.parametrize(("column_type", "value"), HUMAN_VALUES)
def test_normalize_is_idempotent(column_type: str, value: JSONValue) -> None:
    col = column(column_type)
    once = normalize(col, value, DIRECTORY)
    assert normalize(col, once, DIRECTORY) == once
    assert normalize(col, once) == normalize(col, normalize(col, once))


@pytest.mark.parametrize(("column_type", "value"), HUMAN_VALUES)
def test_values_read_from_monday_match_by_the_same_key_as_the_manifest(
    column_type: str, value: JSONValue
) -> None:
    col = column(column_type)
    stored, text = through_monday(col, to_wire(col, value, DIRECTORY))
    live = from_wire(col, stored, text, DIRECTORY)
    assert match_key(col, live) == match_key(col, normalize(col, value, DIRECTORY))


# Exact canonical forms: (type, human value, canonical value).
CANONICAL: list[tuple[str, JSONValue, JSONValue]] = [
    ("text", "hello", "hello"),
    ("text", 42, "42"),
    ("long_text", "a\r\nb", "a\nb"),
    ("numbers", "1.0", "1"),
    ("numbers", 1.0, "1"),
    ("numbers", 1e3, "1000"),
    ("numbers", "1E3", "1000"),
    ("numbers", "-0", "0"),
    ("numbers", "0.0", "0"),
    ("numbers", "+2.50", "2.5"),
    ("numbers", ".5", "0.5"),
    ("numbers", 0.1, "0.1"),
    ("numbers", "12345678901234567890.5", "12345678901234567890.5"),
    ("numbers", 1e-7, "0.0000001"),
    ("status", "Done", "Done"),
    ("status", 7, "7"),
    ("dropdown", ["Web", "Platform", "Web"], ["Platform", "Web"]),
    ("dropdown", "Mobile", ["Mobile"]),
    ("date", "2026-12-01", "2026-12-01"),
    ("date", "2026-12-01T09:30+02:00", "2026-12-01T07:30:00Z"),
    ("date", "2026-12-01T01:00:00+03:00", "2026-11-30T22:00:00Z"),
    ("date", "2026-12-01T09:30", "2026-12-01T09:30:00Z"),
    ("date", "2026-12-01 09:30:05 UTC", "2026-12-01T09:30:05Z"),
    ("date", "2026-12-01T09:30-0530", "2026-12-01T15:00:00Z"),
    ("date", "2026-12-01T09:30:05.987Z", "2026-12-01T09:30:05Z"),
    ("date", "2026-12-01T23:59:59.5-01:00", "2026-12-02T00:59:59Z"),
    ("people", "Alice@Example.com", ["10000001"]),
    ("people", ["bob@example.com", 10000001, "10000001"], ["10000001", "10000002"]),
    (
        "people",
        ["team:12", "zed@example.com", "10000004"],
        ["10000004", "team:12", "zed@example.com"],
    ),
    ("email", "Ana@Example.COM", "ana@example.com"),
    ("email", {"email": "ana@example.com", "text": "ANA@example.com"}, "ana@example.com"),
    ("email", {"email": "a@b.co", "text": " Ana "}, {"email": "a@b.co", "text": "Ana"}),
    (
        "email",
        {"email": "ana@example.com", "text": "Ana"},
        {"email": "ana@example.com", "text": "Ana"},
    ),
    ("link", "https://x.io", {"url": "https://x.io", "text": "https://x.io"}),
    ("link", {"url": "https://x.io", "text": ""}, {"url": "https://x.io", "text": "https://x.io"}),
    ("link", {"url": " https://x.io ", "text": "X"}, {"url": "https://x.io", "text": "X"}),
    ("phone", "+1 (415) 555-0100", "+14155550100"),
    ("phone", "0044 20 7946 0958", "+442079460958"),
    ("phone", 14155550100, "+14155550100"),
    ("phone", {"phone": "+14155550100", "country": "US"}, "+14155550100"),
    (
        "phone",
        {"phone": "+16135550100", "country": "ca"},
        {"phone": "+16135550100", "country": "CA"},
    ),
    ("checkbox", True, True),
    ("checkbox", False, None),
    ("timeline", ["2026-01-01", "2026-01-31"], {"from": "2026-01-01", "to": "2026-01-31"}),
    ("rating", "3", 3),
    ("rating", 0, None),
    ("tags", ["URGENT", "#Backend", "new idea"], ["backend", "new idea", "urgent"]),
    ("country", "United States", "US"),
    ("country", "usa", "US"),
    ("country", "gb", "GB"),
    ("country", {"countryCode": "fr", "countryName": "France"}, "FR"),
    ("people", "TEAM:007", ["team:7"]),
    ("hour", "9:05", "09:05"),
    ("hour", "12:30 AM", "00:30"),
    ("hour", "12:30 pm", "12:30"),
    ("hour", "23:59:00", "23:59"),
    ("hour", {"hour": 7, "minute": 0}, "07:00"),
    ("week", "2026-W48", {"from": "2026-11-23", "to": "2026-11-29"}),
    ("week", "2026w01", {"from": "2025-12-29", "to": "2026-01-04"}),
    (
        "week",
        {"startDate": "2026-11-22", "endDate": "2026-11-28"},
        {"from": "2026-11-22", "to": "2026-11-28"},
    ),
    ("world_clock", "EUROPE/LONDON", "Europe/London"),
    ("location", {"lat": 51.50, "lng": -0.12}, {"lat": "51.5", "lng": "-0.12"}),
    (
        "location",
        {"lat": "51.500", "lng": "-0.1200", "address": " London "},
        {"lat": "51.5", "lng": "-0.12", "address": "London"},
    ),
    ("color_picker", "#F00", "#ff0000"),
    ("color_picker", {"hex": "00FF00"}, "#00ff00"),
]


@pytest.mark.parametrize(("column_type", "value", "canonical"), CANONICAL)
def test_normalize_gives_the_documented_canonical_form(
    column_type: str, value: JSONValue, canonical: JSONValue
) -> None:
    assert normalize(column(column_type), value, DIRECTORY) == canonical


def test_yaml_date_and_datetime_objects_normalise_like_their_iso_strings() -> None:
    col = column("date")
    yaml_date: object = dt.date(2026, 12, 1)
    yaml_moment: object = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    naive_moment: object = dt.datetime(2026, 12, 1, 9, 30, 15, 500)
    assert normalize(col, yaml_date) == "2026-12-01"  # type: ignore[arg-type]
    assert normalize(col, yaml_moment) == "2026-12-01T07:30:00Z"  # type: ignore[arg-type]
    assert normalize(col, naive_moment) == "2026-12-01T09:30:15Z"  # type: ignore[arg-type]
    timeline = {"from": dt.date(2026, 1, 1), "to": dt.date(2026, 1, 2)}
    assert normalize(column("timeline"), timeline) == {"from": "2026-01-01", "to": "2026-01-02"}  # type: ignore[arg-type]


def test_people_without_a_directory_keep_emails_lower_cased() -> None:
    assert normalize(column("people"), ["Bob@Example.com", 10000001]) == [
        "10000001",
        "bob@example.com",
    ]


@pytest.mark.parametrize("column_type", MANAGED_COLUMN_TYPES)
@pytest.mark.parametrize("empty", [None, "", "   ", [], {}])
def test_empty_values_normalise_to_none_and_clear_the_cell(
    column_type: str, empty: JSONValue
) -> None:
    col = column(column_type)
    assert normalize(col, empty, DIRECTORY) is None
    assert to_wire(col, empty, DIRECTORY) is None
    check(col, empty)


@pytest.mark.parametrize("column_type", MANAGED_COLUMN_TYPES)
@pytest.mark.parametrize("stored", [None, "", {}])
def test_empty_stored_values_read_as_none(column_type: str, stored: JSONValue) -> None:
    assert from_wire(column(column_type), stored, "", DIRECTORY) is None


# monday's write forms, exactly as the wire-format table gives them.
WIRE: list[tuple[str, JSONValue, JSONValue]] = [
    ("text", "hello", "hello"),
    ("long_text", "a\nb", {"text": "a\nb"}),
    ("numbers", 42.5, "42.5"),
    ("status", "Done", {"index": 1}),
    ("status", 7, {"index": 4}),
    ("dropdown", ["Web", "Platform"], {"ids": [1, 3]}),
    ("date", "2026-12-01", {"date": "2026-12-01"}),
    ("date", "2026-12-01T11:30:00+02:00", {"date": "2026-12-01", "time": "09:30:00"}),
    ("people", "alice@example.com", {"personsAndTeams": [{"id": 10000001, "kind": "person"}]}),
    (
        "people",
        ["team:5", "10000002"],
        {"personsAndTeams": [{"id": 10000002, "kind": "person"}, {"id": 5, "kind": "team"}]},
    ),
    ("email", "a@b.co", {"email": "a@b.co", "text": "a@b.co"}),
    ("email", {"email": "a@b.co", "text": "A"}, {"email": "a@b.co", "text": "A"}),
    ("link", {"url": "https://x.io", "text": "X"}, {"url": "https://x.io", "text": "X"}),
    ("link", "https://x.io", {"url": "https://x.io", "text": "https://x.io"}),
    ("phone", "+1 415 555 0100", {"phone": "+14155550100", "countryShortName": "US"}),
    (
        "phone",
        {"phone": "+16135550100", "country": "Canada"},
        {"phone": "+16135550100", "countryShortName": "CA"},
    ),
    ("checkbox", True, {"checked": "true"}),
    ("checkbox", False, None),
    (
        "timeline",
        {"from": "2026-01-01", "to": "2026-01-31"},
        {"from": "2026-01-01", "to": "2026-01-31"},
    ),
    ("rating", 4, {"rating": 4}),
    ("tags", ["urgent", "Backend"], {"tag_ids": [7, 3]}),
    ("country", "United States", {"countryCode": "US", "countryName": "United States"}),
    ("hour", "9:05", {"hour": 9, "minute": 5}),
    ("week", "2026-W48", {"week": {"startDate": "2026-11-23", "endDate": "2026-11-29"}}),
    ("world_clock", "Europe/London", {"timezone": "Europe/London"}),
    (
        "location",
        {"lat": 51.5, "lng": -0.12, "address": "London"},
        {"lat": "51.5", "lng": "-0.12", "address": "London"},
    ),
    ("location", {"lat": 1, "lng": 2}, {"lat": "1", "lng": "2", "address": ""}),
    ("color_picker", "#FF0000", {"color": {"hex": "#ff0000"}}),
    ("board_relation", ["A-2", "A-1"], {"item_ids": [11, 12]}),
    ("dependency", "#42", {"item_ids": [42]}),
]


def test_wire_cases_cover_every_managed_type() -> None:
    assert {t for t, _, _ in WIRE} == set(MANAGED_COLUMN_TYPES)


@pytest.mark.parametrize(("column_type", "value", "wire"), WIRE)
def test_to_wire_writes_mondays_documented_form(
    column_type: str, value: JSONValue, wire: JSONValue
) -> None:
    assert to_wire(column(column_type), value, DIRECTORY) == wire


# Values as monday really stores them, with keys the codec ignores (changed_at, ...).
STORED: list[tuple[str, JSONValue, str, JSONValue]] = [
    ("text", "hello", "hello", "hello"),
    ("long_text", {"text": "a\nb", "changed_at": "2026-11-01T10:00:00.000Z"}, "a\nb", "a\nb"),
    ("long_text", "plain", "plain", "plain"),
    ("numbers", "42.50", "42.50", "42.5"),
    ("numbers", 3, "3", "3"),
    (
        "status",
        {"index": 2, "post_id": None, "changed_at": "2026-11-01T10:00:00Z"},
        "Stuck",
        "Stuck",
    ),
    ("status", {"index": "1"}, "Done", "Done"),
    ("status", {"index": None}, "", None),
    ("dropdown", {"ids": ["3", 2]}, "Web, Mobile", ["Mobile", "Web"]),
    (
        "date",
        {"date": "2026-12-01", "time": None, "changed_at": "2026-11-01"},
        "2026-12-01",
        "2026-12-01",
    ),
    ("date", {"date": "2026-12-01", "time": "09:30"}, "2026-12-01 09:30", "2026-12-01T09:30:00Z"),
    ("date", {"date": None}, "", None),
    (
        "people",
        {
            "personsAndTeams": [
                {"id": 10000002, "kind": "person"},
                {"id": "10000001", "kind": "person"},
            ]
        },
        "Bob Example, Alice Example",
        ["10000001", "10000002"],
    ),
    ("people", {"personsAndTeams": []}, "", None),
    (
        "email",
        {"email": "Ana@Example.com", "text": "Ana@Example.com", "changed_at": "x"},
        "Ana@Example.com",
        "ana@example.com",
    ),
    (
        "link",
        {"url": "https://x.io", "text": "", "changed_at": "x"},
        "https://x.io",
        {"url": "https://x.io", "text": "https://x.io"},
    ),
    ("phone", {"phone": "14155550100", "countryShortName": "US"}, "14155550100", "+14155550100"),
    (
        "phone",
        {"phone": "16135550100", "countryShortName": "CA"},
        "16135550100",
        {"phone": "+16135550100", "country": "CA"},
    ),
    ("checkbox", {"checked": "true", "changed_at": "x"}, "v", True),
    ("checkbox", {"checked": True}, "v", True),
    ("checkbox", {"checked": "false"}, "", None),
    (
        "timeline",
        {"from": "2026-01-01", "to": "2026-01-31", "visualization_type": None},
        "2026-01-01 - 2026-01-31",
        {"from": "2026-01-01", "to": "2026-01-31"},
    ),
    ("rating", {"rating": 0}, "", None),
    ("rating", {"rating": "4"}, "4", 4),
    ("tags", {"tag_ids": [9, "3"]}, "q4, urgent", ["q4", "urgent"]),
    ("country", {"countryCode": "de", "countryName": "Germany"}, "Germany", "DE"),
    ("hour", {"hour": 9, "minute": 5, "changed_at": "x"}, "09:05", "09:05"),
    ("hour", {"hour": 14, "minute": None}, "14:00", "14:00"),
    ("week", {"week": {"startDate": "", "endDate": ""}}, "", None),
    (
        "week",
        {"week": {"startDate": "2026-11-23", "endDate": "2026-11-29"}},
        "2026-11-23 - 2026-11-29",
        {"from": "2026-11-23", "to": "2026-11-29"},
    ),
    ("world_clock", {"timezone": "Asia/Tokyo", "changed_at": "x"}, "Asia/Tokyo", "Asia/Tokyo"),
    (
        "location",
        {"lat": 51.5, "lng": -0.12, "address": "London", "placeId": "abc", "city": {}},
        "London",
        {"lat": "51.5", "lng": "-0.12", "address": "London"},
    ),
    ("color_picker", {"color": {"hex": "#FF0000", "rgb": {"r": 255}}}, "#FF0000", "#ff0000"),
]


@pytest.mark.parametrize(("column_type", "stored", "text", "canonical"), STORED)
def test_from_wire_reads_mondays_stored_shapes(
    column_type: str, stored: JSONValue, text: str, canonical: JSONValue
) -> None:
    assert from_wire(column(column_type), stored, text, DIRECTORY) == canonical


# Stored shapes the codec cannot interpret fall back to monday's text.
FALLBACKS: list[tuple[str, JSONValue, str, JSONValue]] = [
    ("status", {"index": 17}, "Retired label", "Retired label"),
    ("status", {"index": 17}, "", None),
    ("dropdown", {"ids": [1, 99]}, "Platform, Old label", ["Old label", "Platform"]),
    ("tags", {"tag_ids": [404]}, "mystery, urgent", ["mystery", "urgent"]),
    ("date", {"date": "2026-02-30"}, "2026-02-30", "2026-02-30"),
    ("numbers", {"weird": True}, "12", "12"),
    ("hour", "not a mapping", "10:00", "10:00"),
]


@pytest.mark.parametrize(("column_type", "stored", "text", "canonical"), FALLBACKS)
def test_unrecognised_stored_values_fall_back_to_mondays_text(
    column_type: str, stored: JSONValue, text: str, canonical: JSONValue
) -> None:
    assert from_wire(column(column_type), stored, text, DIRECTORY) == canonical


# Empty cells come back in many shapes; all of them read as no value.
EMPTY_STORED: list[tuple[str, JSONValue]] = [
    ("numbers", "  "),
    ("status", {"index": 5}),
    ("dropdown", {"ids": []}),
    ("date", {"date": "", "time": None}),
    ("people", {"personsAndTeams": []}),
    ("email", {"email": "", "text": ""}),
    ("link", {"url": "", "text": ""}),
    ("phone", {"phone": "", "countryShortName": ""}),
    ("checkbox", {"checked": "false"}),
    ("timeline", {"from": "", "to": ""}),
    ("rating", {"rating": None}),
    ("tags", {"tag_ids": []}),
    ("country", {"countryCode": "", "countryName": ""}),
    ("hour", {"hour": None, "minute": None}),
    ("week", {"week": {}}),
    ("world_clock", {"timezone": ""}),
    ("location", {"lat": "", "lng": "", "address": ""}),
    ("color_picker", {"color": {"hex": ""}}),
]


@pytest.mark.parametrize(("column_type", "stored"), EMPTY_STORED)
def test_stored_values_that_hold_nothing_read_as_none(column_type: str, stored: JSONValue) -> None:
    assert from_wire(column(column_type), stored, "", DIRECTORY) is None


# Stored values of a shape the codec does not model: read as monday's text.
MALFORMED_STORED: list[tuple[str, JSONValue]] = [
    ("text", {"value": "x"}),
    ("long_text", ["a", "b"]),
    ("status", "Done"),
    ("dropdown", {"ids": "1,2"}),
    ("people", {"personsAndTeams": "10000001"}),
    ("people", {"personsAndTeams": [{"id": "abc", "kind": "person"}]}),
    ("email", {"email": "not-an-email"}),
    ("link", {"url": "no scheme here"}),
    ("phone", {"phone": "call me"}),
    ("checkbox", {"checked": "maybe"}),
    ("rating", {"rating": -1}),
    ("color_picker", {"color": {"hex": "red"}}),
    ("timeline", {"from": "soon", "to": "later"}),
    ("week", {"week": {"startDate": "2026-11-23", "endDate": "2026-12-23"}}),
    ("hour", {"hour": "nine", "minute": 0}),
    ("hour", {"hour": 25, "minute": 0}),
    ("world_clock", {"timezone": "Mars/Olympus"}),
    ("country", {"countryCode": "XX", "countryName": "Nowhere"}),
    ("location", {"lat": "north", "lng": "0"}),
]


@pytest.mark.parametrize(("column_type", "stored"), MALFORMED_STORED)
def test_malformed_stored_values_read_as_mondays_text(column_type: str, stored: JSONValue) -> None:
    shown = " as monday shows it "
    # Multi-valued types split monday's text on ", " into a list.
    expected = ["as monday shows it"] if column_type == "dropdown" else "as monday shows it"
    assert from_wire(column(column_type), stored, shown, DIRECTORY) == expected


def test_tags_without_a_directory_are_read_from_the_text() -> None:
    assert from_wire(column("tags"), {"tag_ids": [3, 7]}, "urgent, Backend", None) == [
        "backend",
        "urgent",
    ]


def test_unmanaged_column_types_read_as_their_text() -> None:
    formula = Column(title="Total", type="formula", id="total")
    assert from_wire(formula, {"anything": 1}, "12.5", DIRECTORY) == "12.5"


def test_status_labels_are_read_through_the_live_columns_ids() -> None:
    renamed = Column(
        title="Status",
        type="status",
        status_labels=(StatusLabel("Shipped", color="done_green", id=1),),
    )
    assert from_wire(renamed, {"index": 1}, "Done", None) == "Shipped"


# The "expected ..." halves of check's messages, as the codec words them.
NUMBER = 'expected a number such as 42 or "42.5"'
STATUS_LABELS = "expected one of: Working on it, Done, Stuck, 7"
DATE = "expected YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS] with an optional Z or ±HH:MM"
PEOPLE = 'expected an email, a user id, "team:<id>", or a list of them'
EMAIL = 'expected an email such as "ana@example.com", or {email, text}'
LINK = "expected an absolute URL such as https://example.com, or {url, text}"
PHONE = 'expected an international number such as "+14155550100", or {phone, country}'
COUNTRY = 'expected an ISO 3166-1 alpha-2 code such as "US" or an English name'
RANGE = "expected {from: YYYY-MM-DD, to: YYYY-MM-DD}"
HOUR = 'expected a time of day as "HH:MM" (24-hour, or with AM/PM)'
WEEK = 'expected an ISO week such as "2026-W48", or {from: YYYY-MM-DD, to: 6 days later}'
LOCATION = "expected {lat, lng, address} with lat in [-90, 90] and lng in [-180, 180]"

# check(): every error, with its exact one-line message.
LINKS = 'expected item match keys ("A-1"), or {board: KEY, item: MATCH} entries'

CHECK_ERRORS: list[tuple[str, JSONValue, str]] = [
    ("text", True, "true is a boolean, not text; expected a string (quote it in YAML)"),
    ("text", 1.5, "1.5 is a number, not text; expected a string (quote it in YAML)"),
    ("text", ["a"], "a list is not text; expected a string"),
    ("long_text", {"text": "a"}, "a mapping is not text; expected a string"),
    ("numbers", "abc", '"abc" is not a number; ' + NUMBER),
    ("numbers", "1,000", '"1,000" is not a number; ' + NUMBER),
    ("numbers", False, "false is not a number; " + NUMBER),
    ("numbers", float("nan"), "NaN is not a number; " + NUMBER),
    ("numbers", "1e99", '"1e99" is out of range; expected a magnitude below 1e40'),
    ("numbers", "٣", '"٣" is not a number; ' + NUMBER),
    (
        "status",
        "Dnoe",
        '"Dnoe" is not a label of column Status; ' + STATUS_LABELS + ' (did you mean "Done"?)',
    ),
    (
        "status",
        "stuck",
        '"stuck" is not a label of column Status; ' + STATUS_LABELS + ' (did you mean "Stuck"?)',
    ),
    ("status", "Blocked", '"Blocked" is not a label of column Status; ' + STATUS_LABELS),
    ("status", ["Done"], "a list is not a status label; expected one label's text"),
    ("status", 1.5, "1.5 is not a status label; expected the label's text"),
    (
        "dropdown",
        ["Web", "Andriod"],
        '"Andriod" is not a label of column Team; expected one of: Platform, Mobile, Web',
    ),
    ("dropdown", ["Web", {"x": 1}], "a mapping is not a dropdown label; expected the label's text"),
    ("date", "2026-02-30", '"2026-02-30" is not a real date; ' + DATE),
    ("date", "12/01/2026", '"12/01/2026" is not a date; ' + DATE),
    ("date", "2026-12-01T25:00", '"2026-12-01T25:00" is not a real date and time; ' + DATE),
    ("date", 20261201, "20261201 is not a date; " + DATE),
    (
        "date",
        "9999-12-31T23:00-05:00",
        '"9999-12-31T23:00-05:00" is not a real date and time; ' + DATE,
    ),
    ("people", "alice", '"alice" is neither an email nor a user id; ' + PEOPLE),
    ("people", [True], "true is not a person; " + PEOPLE),
    ("email", "ana@", '"ana@" is not an email address; ' + EMAIL),
    ("email", {"mail": "ana@example.com"}, "a mapping is not an email; " + EMAIL),
    ("email", {"email": "ana@example.com", "text": 5}, "email text 5 is not a string; " + EMAIL),
    ("link", "example.com", '"example.com" is not a URL; ' + LINK),
    ("link", {"href": "https://x.io"}, "a mapping is not a link; " + LINK),
    ("link", {"url": "https://x.io", "text": 3}, "link text 3 is not a string; " + LINK),
    ("phone", "call me", '"call me" is not a phone number; ' + PHONE),
    ("phone", "+12", '"+12" is not a phone number; ' + PHONE),
    (
        "phone",
        "+999 1234 5678",
        'cannot tell the country of "+99912345678"; expected {phone, country} naming it',
    ),
    (
        "phone",
        {"phone": "+14155550100", "country": "Atlantis"},
        '"Atlantis" is not a country; ' + COUNTRY,
    ),
    ("checkbox", "yes", '"yes" is not a boolean; expected true or false'),
    ("checkbox", 1, "1 is not a boolean; expected true or false"),
    (
        "timeline",
        "2026-01-01 - 2026-01-31",
        '"2026-01-01 - 2026-01-31" is not a timeline; ' + RANGE,
    ),
    (
        "timeline",
        {"from": "2026-02-01", "to": "2026-01-01"},
        "timeline ends (2026-01-01) before it starts (2026-02-01); expected from <= to",
    ),
    ("timeline", {"from": "2026-02-01", "to": "soon"}, '"soon" is not a date; ' + RANGE),
    ("rating", 6, "6 is out of range; expected a whole number from 1 to 5"),
    ("rating", 4.5, "4.5 is not a rating; expected a whole number from 1 to 5"),
    ("tags", [["nested"]], "a list is not a tag; expected a tag name or a list of them"),
    ("country", "Narnia", '"Narnia" is not a country; ' + COUNTRY),
    (
        "hour",
        545,
        "545 is a number, not a time of day; "
        + HOUR
        + " (YAML reads an unquoted 9:05 as 545; quote it)",
    ),
    ("hour", "24:00", '"24:00" is not a time of day; ' + HOUR),
    ("hour", "13:00 PM", '"13:00 PM" is not a time of day; ' + HOUR),
    ("week", "2026-W54", '"2026-W54" is not a real week; ' + WEEK),
    ("week", "next week", '"next week" is not a week; ' + WEEK),
    (
        "week",
        {"from": "2026-11-23", "to": "2026-11-30"},
        "2026-11-23 to 2026-11-30 is not one week; expected the end 6 days after the start",
    ),
    (
        "world_clock",
        "Mars/Olympus",
        '"Mars/Olympus" is not a time zone; expected an IANA time zone such as "Europe/London"',
    ),
    ("location", "London", '"London" is not a location; ' + LOCATION),
    ("location", {"lat": 91, "lng": 0}, "91, 0 is off the globe; " + LOCATION),
    ("location", {"lat": "north", "lng": 0}, '"north", 0 are not coordinates; ' + LOCATION),
    ("color_picker", "red", '"red" is not a colour; expected a hex colour such as "#ff0000"'),
    (
        "date",
        "2026-12-01T10:00+24:00",
        '"2026-12-01T10:00+24:00" is not a real date and time; ' + DATE,
    ),
    (
        "timeline",
        {"from": "2026-01-01T10:00", "to": "2026-01-02"},
        '"2026-01-01T10:00" is not a date; ' + RANGE,
    ),
    ("hour", {"hour": "9", "minute": 5}, "a mapping is not a time of day; " + HOUR),
    ("hour", "9 o'clock", '"9 o\'clock" is not a time of day; ' + HOUR),
    ("week", {"start": "2026-11-23"}, "a mapping is not a week; " + WEEK),
    ("location", {"lat": 1, "lng": 2, "address": 5}, "address 5 is not a string; " + LOCATION),
    ("location", {"lat": 1}, "a mapping is not a location; " + LOCATION),
    ("phone", {"number": "+14155550100"}, "a mapping is not a phone number; " + PHONE),
    ("phone", [1], "a list is not a phone number; " + PHONE),
    ("people", "team:x", '"team:x" is neither an email nor a user id; ' + PEOPLE),
    ("people", "²", '"²" is neither an email nor a user id; ' + PEOPLE),
    ("rating", "²", '"²" is not a rating; expected a whole number from 1 to 5'),
    ("phone", "+1415555０１００", '"+1415555０１００" is not a phone number; ' + PHONE),
    (
        "board_relation",
        [{"board": "deals"}],
        "a link mapping has exactly the keys board and item; " + LINKS,
    ),
    ("dependency", True, "true is not an item; " + LINKS),
]


@pytest.mark.parametrize(("column_type", "value", "message"), CHECK_ERRORS)
def test_check_rejects_values_with_a_message_saying_what_is_expected(
    column_type: str, value: JSONValue, message: str
) -> None:
    with pytest.raises(CodecError) as raised:
        check(column(column_type), value)
    assert str(raised.value) == message


def test_check_error_cases_cover_every_managed_type() -> None:
    assert {t for t, _, _ in CHECK_ERRORS} == set(MANAGED_COLUMN_TYPES)


def test_check_accepts_a_desired_status_column_whose_labels_have_no_ids() -> None:
    desired = Column(
        title="Status",
        type="status",
        status_labels=(StatusLabel("Done"), StatusLabel("Stuck", previous_labels=("Blocked",))),
    )
    check(desired, "Done")
    with pytest.raises(CodecError, match='"Blocked" is not a label of column Status'):
        check(desired, "Blocked")


def test_check_accepts_every_round_trip_case() -> None:
    for column_type, value in HUMAN_VALUES:
        check(column(column_type), value)


def test_check_rejects_column_types_boardops_cannot_write() -> None:
    with pytest.raises(CodecError) as raised:
        check(Column(title="Sum", type="formula"), "1")
    assert str(raised.value).startswith(
        'boardops cannot write values of column type "formula"; expected one of: board_relation, '
    )


def test_empty_values_of_unmanaged_column_types_are_simply_empty() -> None:
    formula = Column(title="Sum", type="formula")
    assert normalize(formula, None) is None
    assert to_wire(formula, "", DIRECTORY) is None
    check(formula, None)
    with pytest.raises(CodecError, match='cannot write values of column type "formula"'):
        to_wire(formula, "1", DIRECTORY)


def test_check_suggests_the_column_type_meant() -> None:
    with pytest.raises(CodecError, match=r'"nubmers" \(did you mean "numbers"\?\)'):
        check(Column(title="N", type="nubmers"), "1")


def test_rating_range_follows_the_columns_settings() -> None:
    ten_stars = Column(title="Score", type="rating", settings={"limit": 10})
    assert normalize(ten_stars, 9) == 9
    with pytest.raises(CodecError, match="expected a whole number from 1 to 10"):
        check(ten_stars, 11)


# to_wire against the account: unknown users, labels and tags are errors.
WIRE_ERRORS: list[tuple[str, JSONValue, str]] = [
    (
        "people",
        "eve@example.com",
        '"eve@example.com" is not a user of this account; expected a known email or user id',
    ),
    ("people", 999, '"999" is not a user of this account; expected a known email or user id'),
    (
        "status",
        "Blocked",
        '"Blocked" is not a label of column Status on monday; ' + STATUS_LABELS,
    ),
    (
        "dropdown",
        ["Web", "Desktop"],
        '"Desktop" is not a label of column Team on monday; expected one of: Platform, Mobile, Web',
    ),
    (
        "tags",
        ["urgent", "later"],
        '"later" is not a tag of this account; expected one of: Backend, q4, urgent',
    ),
    ("numbers", "many", '"many" is not a number; expected a number such as 42 or "42.5"'),
]


@pytest.mark.parametrize(("column_type", "value", "message"), WIRE_ERRORS)
def test_to_wire_rejects_what_the_account_does_not_have(
    column_type: str, value: JSONValue, message: str
) -> None:
    with pytest.raises(CodecError) as raised:
        to_wire(column(column_type), value, DIRECTORY)
    assert str(raised.value) == message


def test_to_wire_needs_label_ids_from_the_live_column() -> None:
    desired = Column(title="Status", type="status", status_labels=(StatusLabel("Done"),))
    with pytest.raises(CodecError, match="not a label of column Status on monday"):
        to_wire(desired, "Done", DIRECTORY)


def test_codec_errors_are_value_errors() -> None:
    assert issubclass(CodecError, ValueError)


# --- match keys ------------------------------------------------------------------------

MATCH_KEYS: list[tuple[str | None, JSONValue, str]] = [
    (None, "Set up CI", "Set up CI"),
    (None, None, ""),
    ("text", "ENG-1", "ENG-1"),
    ("text", 42, "42"),
    ("numbers", "1.50", "1.5"),
    ("numbers", 1e3, "1000"),
    ("email", "Ana@Example.com", "ana@example.com"),
    ("email", {"email": "ana@example.com", "text": "Ana"}, "ana@example.com"),
    ("link", {"url": "https://x.io/1", "text": "One"}, "https://x.io/1"),
    ("phone", "+1 415 555 0100", "+14155550100"),
    ("date", "2026-12-01T11:00+02:00", "2026-12-01T09:00:00Z"),
    ("status", "Done", "Done"),
    ("country", "Germany", "DE"),
    ("checkbox", True, "true"),
    ("checkbox", False, ""),
    ("dropdown", ["Web", "Mobile"], "Mobile, Web"),
    ("timeline", ["2026-01-01", "2026-01-02"], '{"from":"2026-01-01","to":"2026-01-02"}'),
    ("text", "", ""),
]


@pytest.mark.parametrize(("column_type", "value", "key"), MATCH_KEYS)
def test_match_key_is_the_canonical_value_as_a_string(
    column_type: str | None, value: JSONValue, key: str
) -> None:
    col = column(column_type) if column_type is not None else None
    assert match_key(col, value) == key


def test_equivalent_values_give_the_same_match_key() -> None:
    numbers = column("numbers")
    assert match_key(numbers, "1.0") == match_key(numbers, 1) == match_key(numbers, "1e0")


def test_match_key_rejects_a_malformed_value() -> None:
    with pytest.raises(CodecError, match="is not a number"):
        match_key(column("numbers"), "one")


def test_matchable_types_are_managed_single_valued_types() -> None:
    assert set(MATCHABLE_TYPES) <= set(MANAGED_COLUMN_TYPES)
    assert {"text", "numbers", "email"} <= MATCHABLE_TYPES
    assert not {"people", "tags", "dropdown", "checkbox", "long_text"} & MATCHABLE_TYPES
    assert {"text", "numbers", "email", "phone", "link", "date", "status", "country"} == set(
        MATCHABLE_TYPES
    )


def test_the_managed_column_types_are_the_codec_registry_and_declarable_in_manifests() -> None:
    """One registry: a new column type is one codec entry (``codec._types.CODECS``)."""
    from boardops.codec._types import CODECS
    from boardops.manifest.schema import COLUMN_TYPES

    assert tuple(CODECS) == MANAGED_COLUMN_TYPES
    assert set(MANAGED_COLUMN_TYPES) <= set(COLUMN_TYPES)


# --- directory -------------------------------------------------------------------------


def test_directory_finds_users_by_email_in_any_case_or_by_id() -> None:
    alice = USERS[0]
    assert DIRECTORY.user("ALICE@example.com") is alice
    assert DIRECTORY.user("10000001") is alice
    assert DIRECTORY.user(10000001) is alice
    assert DIRECTORY.user(" bob@example.com ") is USERS[1]
    assert DIRECTORY.user("eve@example.com") is None
    assert DIRECTORY.user(42) is None


def test_an_empty_directory_knows_nobody() -> None:
    assert Directory().user("alice@example.com") is None
    assert Directory().tag_id("urgent") is None


def test_directory_finds_tags_by_exact_name_before_ignoring_case() -> None:
    tags = Directory(tags={"Urgent": 1, "urgent": 2})
    assert tags.tag_id("urgent") == 2
    assert tags.tag_id("Urgent") == 1
    assert tags.tag_id("URGENT") in (1, 2)
    assert tags.tag_name(1) == "Urgent"


def test_returned_values_are_not_shared_between_calls() -> None:
    link = column("link")
    first = normalize(link, "https://x.io")
    assert isinstance(first, dict)
    first["text"] = "changed by a caller"
    assert normalize(link, "https://x.io") == {"url": "https://x.io", "text": "https://x.io"}


def test_a_directory_can_be_hashed_and_compared() -> None:
    assert hash(DIRECTORY) == hash(Directory(users=USERS, tags={}))
    assert Directory(users=USERS, tags={"a": 1}) == Directory(users=USERS, tags={"a": 1})
    assert Directory(users=USERS, tags={"a": 1}) != Directory(users=USERS, tags={"a": 2})


def test_labels_are_written_by_the_active_label_of_that_text() -> None:
    status = Column(
        title="Status",
        type="status",
        status_labels=(
            StatusLabel("Done", color="grass_green", id=6, deactivated=True),
            StatusLabel("Done", color="done_green", id=1),
        ),
    )
    dropdown = Column(
        title="Team",
        type="dropdown",
        dropdown_labels=(DropdownLabel("Web", id=3), DropdownLabel("Web", id=1, deactivated=True)),
    )
    assert to_wire(status, "Done", DIRECTORY) == {"index": 1}
    assert to_wire(dropdown, ["Web"], DIRECTORY) == {"ids": [3]}


def test_a_deactivated_label_is_still_read_and_written_when_it_is_the_only_one() -> None:
    status = Column(
        title="Status",
        type="status",
        status_labels=(StatusLabel("Old", color="purple", id=4, deactivated=True),),
    )
    assert from_wire(status, {"index": 4}, "Old", None) == "Old"
    assert to_wire(status, "Old", DIRECTORY) == {"index": 4}


def test_unknown_label_errors_list_only_active_labels() -> None:
    status = Column(
        title="Status",
        type="status",
        status_labels=(
            StatusLabel("Done", color="done_green", id=1),
            StatusLabel("Old", color="purple", id=4, deactivated=True),
        ),
    )
    with pytest.raises(CodecError) as raised:
        to_wire(status, "New", DIRECTORY)
    assert str(raised.value) == (
        '"New" is not a label of column Status on monday; expected one of: Done'
    )


def test_tags_compare_ignoring_case_with_or_without_a_directory() -> None:
    tags = column("tags")
    live = from_wire(tags, {"tag_ids": [7]}, "Backend", DIRECTORY)
    assert live == normalize(tags, "BACKEND") == normalize(tags, "backend", DIRECTORY)
    assert from_wire(tags, {"tag_ids": [7]}, "Backend", None) == live


# --- account-dependent and recorded forms (issue 11) -----------------------------------

SUNDAY = Directory(users=USERS, week_start="sunday")


@pytest.mark.parametrize(
    ("directory", "expected"),
    [
        (DIRECTORY, {"from": "2026-01-26", "to": "2026-02-01"}),
        (SUNDAY, {"from": "2026-01-25", "to": "2026-01-31"}),
    ],
    ids=["monday: the ISO week", "sunday: the Sunday before the ISO Monday"],
)
def test_a_week_is_the_week_starting_on_the_accounts_first_day(
    directory: Directory, expected: JSONValue
) -> None:
    week = column("week")
    assert normalize(week, "2026-W05", directory) == expected
    assert to_wire(week, "2026-W05", directory) == {
        "week": {"startDate": expected["from"], "endDate": expected["to"]}  # type: ignore[index,call-overload]
    }


@pytest.mark.parametrize("directory", [DIRECTORY, SUNDAY], ids=["monday", "sunday"])
def test_a_written_week_reads_back_as_the_manifest_week_in_either_form(
    directory: Directory,
) -> None:
    week = column("week")
    stored, text = through_monday(week, to_wire(week, "2026-W05", directory))
    read = from_wire(week, stored, text, directory)
    assert read == normalize(week, "2026-W05", directory)
    # the read form is itself a manifest form that normalises to itself: no drift
    assert normalize(week, read, directory) == read
    stored_again, _ = through_monday(week, to_wire(week, read, directory))
    assert stored_again == stored


def test_a_colour_stored_in_rgb_reads_as_the_hex_of_the_same_colour() -> None:
    picker = column("color_picker")
    rgb = from_wire(picker, {"color": {"r": 255, "g": 100, "b": 46}}, "", DIRECTORY)
    hexed = from_wire(picker, {"color": {"hex": "#FF642E"}}, "#FF642E", DIRECTORY)
    assert rgb == hexed == "#ff642e"


def test_a_colour_stored_in_rgb_out_of_range_falls_back_to_monday_text() -> None:
    picker = column("color_picker")
    assert from_wire(picker, {"color": {"r": 300, "g": 0, "b": 0}}, "odd", DIRECTORY) == "odd"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "+1 415 555",
            '"+1415555" is not a valid phone number for country US; expected a number '
            "that country's rules accept, with its calling code",
        ),
        (
            "+1 999 555 0100",
            '"+19995550100" is not a valid phone number for country US; expected a number '
            "that country's rules accept, with its calling code",
        ),
        (
            {"phone": "+14155550100", "country": "GB"},
            '"+14155550100" is not a valid phone number for country GB; expected a number '
            "that country's rules accept, with its calling code",
        ),
    ],
    ids=["too short", "no such US area code", "a US number said to be British"],
)
def test_a_phone_number_must_be_valid_for_its_country(value: JSONValue, message: str) -> None:
    with pytest.raises(CodecError) as raised:
        normalize(column("phone"), value)
    assert str(raised.value) == message


def test_a_valid_phone_number_keeps_its_plus_digits_form() -> None:
    phone = column("phone")
    assert normalize(phone, "+44 20 7946 0958") == "+442079460958"
    assert normalize(phone, {"phone": "+1 613 555 0100", "country": "CA"}) == {
        "phone": "+16135550100",
        "country": "CA",
    }
