"""Sandbox behaviour for items, column values, items_page and tags."""

from __future__ import annotations

import json
from typing import Any

import pytest

from boardops.sandbox import Limits, Sandbox
from tests.conftest import FakeClock, GraphQL

BATCH = 100
BATCH_CREATE = (
    "mutation($b: ID!, "
    + ", ".join(f"$n{k}: String!, $v{k}: JSON" for k in range(BATCH))
    + ") { "
    + " ".join(
        f"i{k}: create_item(board_id: $b, item_name: $n{k}, column_values: $v{k}) {{ id }}"
        for k in range(BATCH)
    )
    + " }"
)

COLUMN_SPECS: list[tuple[str, str]] = [
    ("text", "txt"),
    ("long_text", "notes"),
    ("numbers", "num"),
    ("date", "due"),
    ("people", "owner"),
    ("email", "mail"),
    ("link", "site"),
    ("phone", "tel"),
    ("checkbox", "done"),
    ("timeline", "span"),
    ("rating", "stars"),
    ("tags", "tagged"),
    ("country", "land"),
    ("hour", "at"),
    ("week", "wk"),
    ("world_clock", "zone"),
    ("location", "place"),
    ("color_picker", "paint"),
]


def make_board(gql: GraphQL) -> str:
    board_id: str = gql.data(
        'mutation { create_board(board_name: "Items", board_kind: public) { id } }'
    )["create_board"]["id"]
    parts = [
        f'c_{cid}: create_column(board_id: $b, title: "{cid}", column_type: {ctype}, id: "{cid}")'
        " { id }"
        for ctype, cid in COLUMN_SPECS
    ]
    gql.data(
        "mutation($b: ID!) { "
        + " ".join(parts)
        + ' s: create_status_column(board_id: $b, title: "Status", id: "status") { id }'
        + ' d: create_dropdown_column(board_id: $b, title: "Team", id: "team", '
        + 'defaults: {labels: [{label: "Core"}, {label: "Web"}]}) { id } }',
        b=board_id,
    )
    return board_id


def create_item(
    gql: GraphQL, board_id: str, name: str, values: Any = None, **extra: Any
) -> dict[str, Any]:
    return gql(
        """mutation($b: ID!, $name: String!, $values: JSON, $labels: Boolean, $g: String) {
             create_item(board_id: $b, item_name: $name, column_values: $values,
                         create_labels_if_missing: $labels, group_id: $g) {
               id name state group { id } column_values { id type text value }
             } }""",
        b=board_id,
        name=name,
        values=values,
        labels=extra.get("labels"),
        g=extra.get("group"),
    )


def value_of(item: dict[str, Any], column_id: str) -> tuple[Any, str]:
    entry = next(v for v in item["column_values"] if v["id"] == column_id)
    stored = None if entry["value"] is None else json.loads(entry["value"])
    return stored, entry["text"]


def seed(gql: GraphQL, board_id: str, count: int, values: Any = None) -> None:
    for start in range(0, count, BATCH):
        variables: dict[str, Any] = {"b": board_id}
        for k in range(BATCH):
            number = start + k
            variables[f"n{k}"] = f"item {number:05d}"
            variables[f"v{k}"] = values(number) if callable(values) else values
        body = gql(BATCH_CREATE, **variables)
        assert "errors" not in body, body["errors"][:1]


# --- column values --------------------------------------------------------------------------

WRITE_STORED_TEXT: list[tuple[str, Any, Any, str]] = [
    ("txt", "hello", "hello", "hello"),
    ("notes", {"text": "a\nb"}, {"text": "a\nb"}, "a\nb"),
    ("notes", "plain", {"text": "plain"}, "plain"),
    ("num", "42.5", "42.5", "42.5"),
    ("num", 7, "7", "7"),
    ("status", {"index": 1}, {"index": 1}, "Done"),
    ("status", {"label": "Stuck"}, {"index": 2}, "Stuck"),
    ("team", {"ids": [1, 2]}, {"ids": [1, 2]}, "Core, Web"),
    ("team", {"labels": ["Web"]}, {"ids": [2]}, "Web"),
    ("due", {"date": "2026-12-01"}, {"date": "2026-12-01"}, "2026-12-01"),
    (
        "due",
        {"date": "2026-12-01", "time": "09:30:00"},
        {"date": "2026-12-01", "time": "09:30:00"},
        "2026-12-01 09:30",
    ),
    (
        "owner",
        {
            "personsAndTeams": [
                {"id": 10000001, "kind": "person"},
                {"id": 10000002, "kind": "person"},
            ]
        },
        {
            "personsAndTeams": [
                {"id": 10000001, "kind": "person"},
                {"id": 10000002, "kind": "person"},
            ]
        },
        "Alice Example, Bob Example",
    ),
    (
        "mail",
        {"email": "a@b.co", "text": "a@b.co"},
        {"email": "a@b.co", "text": "a@b.co"},
        "a@b.co",
    ),
    (
        "site",
        {"url": "https://x.io", "text": "X"},
        {"url": "https://x.io", "text": "X"},
        "X - https://x.io",
    ),
    (
        "site",
        {"url": "https://x.io"},
        {"url": "https://x.io", "text": "https://x.io"},
        "https://x.io - https://x.io",
    ),
    (
        "tel",
        {"phone": "+14155550100", "countryShortName": "US"},
        {"phone": "+14155550100", "countryShortName": "US"},
        "+14155550100",
    ),
    ("done", {"checked": "true"}, {"checked": "true"}, "v"),
    (
        "span",
        {"from": "2026-01-01", "to": "2026-01-31"},
        {"from": "2026-01-01", "to": "2026-01-31"},
        "2026-01-01 - 2026-01-31",
    ),
    ("stars", {"rating": 4}, {"rating": 4}, "4"),
    (
        "land",
        {"countryCode": "US", "countryName": "United States"},
        {"countryCode": "US", "countryName": "United States"},
        "United States",
    ),
    ("at", {"hour": 9, "minute": 5}, {"hour": 9, "minute": 5}, "09:05"),
    (
        "wk",
        {"week": {"startDate": "2026-11-23", "endDate": "2026-11-29"}},
        {"week": {"startDate": "2026-11-23", "endDate": "2026-11-29"}},
        "2026-11-23 - 2026-11-29",
    ),
    ("zone", {"timezone": "Europe/London"}, {"timezone": "Europe/London"}, "Europe/London"),
    (
        "place",
        {"lat": "51.5", "lng": "-0.12", "address": "London"},
        {"lat": "51.5", "lng": "-0.12", "address": "London"},
        "London",
    ),
    ("paint", {"color": {"hex": "#ff0000"}}, {"color": {"hex": "#ff0000"}}, "#ff0000"),
]


@pytest.mark.parametrize(("column_id", "written", "stored", "text"), WRITE_STORED_TEXT)
def test_values_are_stored_and_rendered_as_monday_does(
    gql: GraphQL, column_id: str, written: Any, stored: Any, text: str
) -> None:
    board_id = make_board(gql)
    body = create_item(gql, board_id, "x", json.dumps({column_id: written}))
    assert "errors" not in body, body
    assert value_of(body["data"]["create_item"], column_id) == (stored, text)


def test_tag_values_name_their_tags(gql: GraphQL) -> None:
    board_id = make_board(gql)
    tag = gql.data('mutation { create_or_get_tag(tag_name: "urgent") { id name } }')
    tag_id = int(tag["create_or_get_tag"]["id"])
    again = gql.data('mutation { create_or_get_tag(tag_name: "urgent") { id } }')
    assert int(again["create_or_get_tag"]["id"]) == tag_id
    item = create_item(gql, board_id, "x", {"tagged": {"tag_ids": [tag_id]}})["data"]
    assert value_of(item["create_item"], "tagged") == ({"tag_ids": [tag_id]}, "urgent")
    assert gql.data("{ tags { name } }")["tags"] == [{"name": "urgent"}]


def test_column_values_are_accepted_as_object_or_json_string(gql: GraphQL) -> None:
    board_id = make_board(gql)
    as_object = create_item(gql, board_id, "a", {"txt": "one"})["data"]["create_item"]
    as_string = create_item(gql, board_id, "b", json.dumps({"txt": "two"}))["data"]["create_item"]
    assert value_of(as_object, "txt") == ("one", "one")
    assert value_of(as_string, "txt") == ("two", "two")


@pytest.mark.parametrize("clearing", [None, "", {}])
def test_writing_null_empty_string_or_empty_object_clears_a_value(
    gql: GraphQL, clearing: Any
) -> None:
    board_id = make_board(gql)
    item_id = create_item(gql, board_id, "x", {"status": {"index": 1}})["data"]["create_item"]["id"]
    changed = gql.data(
        """mutation($b: ID!, $i: ID, $v: JSON!) { change_multiple_column_values(
             board_id: $b, item_id: $i, column_values: $v) { column_values(ids: ["status"])
             { value text } } }""",
        b=board_id,
        i=item_id,
        v=json.dumps({"status": clearing}),
    )
    assert changed["change_multiple_column_values"]["column_values"] == [
        {"value": None, "text": ""}
    ]


def test_unknown_status_label_is_a_column_value_exception(gql: GraphQL) -> None:
    board_id = make_board(gql)
    body = create_item(gql, board_id, "x", {"status": {"label": "Blocked"}})
    assert body["data"] == {"create_item": None}
    assert body["errors"][0]["extensions"]["code"] == "ColumnValueException"


def test_create_labels_if_missing_adds_a_status_label_with_the_first_free_colour(
    gql: GraphQL, sandbox: Sandbox
) -> None:
    board_id = make_board(gql)
    body = create_item(gql, board_id, "x", {"status": {"label": "Blocked"}}, labels=True)
    assert value_of(body["data"]["create_item"], "status") == ({"index": 3}, "Blocked")
    label = sandbox.state.board(board_id).column("status").settings["labels"][-1]
    assert (label["id"], label["color"], label["label"]) == (3, "dark_blue", "Blocked")


def test_create_labels_if_missing_adds_dropdown_labels(gql: GraphQL) -> None:
    board_id = make_board(gql)
    body = create_item(gql, board_id, "x", {"team": {"labels": ["Ops"]}}, labels=True)
    assert value_of(body["data"]["create_item"], "team") == ({"ids": [3]}, "Ops")


@pytest.mark.parametrize(
    ("column_id", "bad"),
    [
        ("num", "forty"),
        ("due", {"date": "01/12/2026"}),
        ("mail", {"email": "nope"}),
        ("done", {"checked": "maybe"}),
        ("owner", {"personsAndTeams": [{"id": 99, "kind": "person"}]}),
        ("team", {"ids": [9]}),
        ("stars", {"rating": "lots"}),
        ("txt", {"text": "not a plain string"}),
    ],
)
def test_a_value_of_the_wrong_shape_is_a_column_value_exception(
    gql: GraphQL, column_id: str, bad: Any
) -> None:
    board_id = make_board(gql)
    body = create_item(gql, board_id, "x", {column_id: bad})
    assert body["errors"][0]["extensions"]["code"] == "ColumnValueException"


def test_a_failed_value_write_changes_nothing(gql: GraphQL, sandbox: Sandbox) -> None:
    board_id = make_board(gql)
    item_id = create_item(gql, board_id, "x", {"txt": "before"})["data"]["create_item"]["id"]
    body = gql(
        """mutation($b: ID!, $i: ID, $v: JSON!) { change_multiple_column_values(board_id: $b,
             item_id: $i, column_values: $v) { id } }""",
        b=board_id,
        i=item_id,
        v={"txt": "after", "num": "NaN-ish"},
    )
    assert body["errors"][0]["extensions"]["code"] == "ColumnValueException"
    assert sandbox.state.item(item_id).values == {"txt": "before"}


def test_unknown_column_id_is_an_invalid_column_id_error(gql: GraphQL) -> None:
    board_id = make_board(gql)
    body = create_item(gql, board_id, "x", {"nope": "1"})
    assert body["errors"][0]["extensions"]["code"] == "InvalidColumnIdException"


def test_change_simple_column_value_takes_monday_simple_strings(gql: GraphQL) -> None:
    board_id = make_board(gql)
    item_id = create_item(gql, board_id, "x")["data"]["create_item"]["id"]
    simple = """mutation($b: ID!, $i: ID, $c: String!, $v: String) {
      change_simple_column_value(board_id: $b, item_id: $i, column_id: $c, value: $v) {
        column_values(ids: [$c]) { value text } } }"""
    for column_id, value, text in [
        ("status", "Done", "Done"),
        ("team", "Core, Web", "Core, Web"),
        ("due", "2026-03-04 10:15", "2026-03-04 10:15"),
        ("mail", "a@b.co Ann", "a@b.co"),
        ("num", "3", "3"),
    ]:
        result = gql.data(simple, b=board_id, i=item_id, c=column_id, v=value)
        assert result["change_simple_column_value"]["column_values"][0]["text"] == text


def test_change_column_value_sets_one_column(gql: GraphQL) -> None:
    board_id = make_board(gql)
    item_id = create_item(gql, board_id, "x")["data"]["create_item"]["id"]
    result = gql.data(
        """mutation($b: ID!, $i: ID) { change_column_value(board_id: $b, item_id: $i,
             column_id: "status", value: "{\\"index\\": 2}") { column_values(ids: ["status"])
             { text } } }""",
        b=board_id,
        i=item_id,
    )
    assert result["change_column_value"]["column_values"] == [{"text": "Stuck"}]


def test_column_values_are_filtered_by_ids_and_types(gql: GraphQL) -> None:
    board_id = make_board(gql)
    item_id = create_item(gql, board_id, "x")["data"]["create_item"]["id"]
    found = gql.data(
        """query($i: [ID!]) { items(ids: $i) { a: column_values(ids: ["txt", "num"]) { id }
             b: column_values(types: [status, dropdown]) { id type } } }""",
        i=[item_id],
    )["items"][0]
    assert [v["id"] for v in found["a"]] == ["txt", "num"]
    assert found["b"] == [{"id": "status", "type": "status"}, {"id": "team", "type": "dropdown"}]


def test_column_values_resolve_to_their_monday_types(gql: GraphQL) -> None:
    board_id = make_board(gql)
    item_id = create_item(gql, board_id, "x", {"status": {"index": 1}})["data"]["create_item"]["id"]
    found = gql.data(
        """query($i: [ID!]) { items(ids: $i) { column_values(ids: ["status"]) {
             __typename ... on StatusValue { id text } } } }""",
        i=[item_id],
    )
    assert found["items"][0]["column_values"] == [
        {"__typename": "StatusValue", "id": "status", "text": "Done"}
    ]


# --- items ----------------------------------------------------------------------------------


def test_item_names_must_be_1_to_255_characters(gql: GraphQL) -> None:
    board_id = make_board(gql)
    assert "errors" not in create_item(gql, board_id, "n" * 255)
    for bad in ("", "n" * 256):
        body = create_item(gql, board_id, bad)
        assert body["errors"][0]["extensions"]["code"] == "ItemNameTooLongException"


def test_a_board_holds_a_limited_number_of_items(clock: FakeClock) -> None:
    sandbox = Sandbox(limits=Limits(items_per_board=2), clock=clock, sleep=clock.sleep)
    board = sandbox.execute('mutation { create_board(board_name: "B", board_kind: public) { id } }')
    board_id = board["data"]["create_board"]["id"]
    make = f'mutation {{ create_item(board_id: {board_id}, item_name: "x") {{ id }} }}'
    first = sandbox.execute(make)["data"]["create_item"]["id"]
    sandbox.execute(make)
    assert sandbox.execute(make)["errors"][0]["extensions"]["code"] == "ItemsLimitationException"
    sandbox.execute(f"mutation {{ delete_item(item_id: {first}) {{ id }} }}")
    assert "errors" not in sandbox.execute(make)


def test_items_go_to_the_top_group_by_default_and_can_be_moved(gql: GraphQL) -> None:
    board_id = make_board(gql)
    other = gql.data(
        'mutation($b: ID!) { create_group(board_id: $b, group_name: "Later") { id } }', b=board_id
    )["create_group"]["id"]
    item = create_item(gql, board_id, "x")["data"]["create_item"]
    assert item["group"]["id"] == other  # the new group is now the top one
    moved = gql.data(
        'mutation($i: ID) { move_item_to_group(item_id: $i, group_id: "topics") { group { id } } }',
        i=item["id"],
    )
    assert moved["move_item_to_group"]["group"]["id"] == "topics"


def test_change_item_position_reorders_items(gql: GraphQL) -> None:
    board_id = make_board(gql)
    ids = [create_item(gql, board_id, n)["data"]["create_item"]["id"] for n in "abc"]
    gql.data(
        "mutation($i: ID!, $r: ID) { change_item_position(item_id: $i, relative_to: $r, "
        "position_relative_method: before_at) { id } }",
        i=ids[2],
        r=ids[0],
    )
    page = gql.data(
        "query($b: [ID!]) { boards(ids: $b) { items_page { items { name } } } }", b=[board_id]
    )
    assert [i["name"] for i in page["boards"][0]["items_page"]["items"]] == ["c", "a", "b"]


def test_archived_and_deleted_items_leave_items_page_but_root_items_shows_them(
    gql: GraphQL,
) -> None:
    board_id = make_board(gql)
    ids = [create_item(gql, board_id, n)["data"]["create_item"]["id"] for n in "abc"]
    gql.data("mutation($i: ID) { archive_item(item_id: $i) { id } }", i=ids[0])
    gql.data("mutation($i: ID) { delete_item(item_id: $i) { id } }", i=ids[1])
    page = gql.data(
        "query($b: [ID!]) { boards(ids: $b) { items_count items_page { items { id } } } }",
        b=[board_id],
    )["boards"][0]
    assert page == {"items_count": 1, "items_page": {"items": [{"id": ids[2]}]}}
    states = gql.data("query($i: [ID!]) { items(ids: $i) { id state } }", i=ids)["items"]
    assert [s["state"] for s in states] == ["archived", "deleted", "active"]


def test_root_items_refuses_more_than_100_ids(gql: GraphQL) -> None:
    error = gql.error(
        "query($i: [ID!]) { items(ids: $i) { id } }", i=[str(n) for n in range(1, 102)]
    )
    assert error["extensions"]["code"] == "InvalidArgumentException"


def test_aliased_mutations_run_in_order_and_a_failure_names_its_alias(
    gql: GraphQL, sandbox: Sandbox
) -> None:
    board_id = make_board(gql)
    body = gql(
        """mutation($b: ID!, $bad: JSON) {
             first: create_item(board_id: $b, item_name: "one") { name }
             broken: create_item(board_id: $b, item_name: "two", column_values: $bad) { name }
             third: create_item(board_id: $b, item_name: "three") { name }
           }""",
        b=board_id,
        bad=json.dumps({"status": {"label": "Nope"}}),
    )
    assert body["data"] == {"first": {"name": "one"}, "broken": None, "third": {"name": "three"}}
    assert [e["path"] for e in body["errors"]] == [["broken"]]
    assert [i.name for i in sandbox.state.board(board_id).items] == ["one", "three"]


# --- items_page -----------------------------------------------------------------------------

FIRST_PAGE = """query($b: [ID!], $limit: Int!, $q: ItemsQuery) { boards(ids: $b) {
  items_page(limit: $limit, query_params: $q) { cursor items { id name } } } }"""
NEXT_PAGE = """query($c: String!, $limit: Int!) { next_items_page(cursor: $c, limit: $limit) {
  cursor items { id name } } }"""


def read_all(gql: GraphQL, board_id: str, limit: int = 500, query: Any = None) -> list[str]:
    page = gql.data(FIRST_PAGE, b=[board_id], limit=limit, q=query)["boards"][0]["items_page"]
    names = [i["name"] for i in page["items"]]
    while page["cursor"] is not None:
        page = gql.data(NEXT_PAGE, c=page["cursor"], limit=limit)["next_items_page"]
        names += [i["name"] for i in page["items"]]
    return names


def test_items_page_walks_more_than_a_thousand_items_in_order(gql: GraphQL) -> None:
    board_id = make_board(gql)
    seed(gql, board_id, 1200)
    names = read_all(gql, board_id, limit=500)
    assert names == [f"item {n:05d}" for n in range(1200)]


def test_items_page_limit_is_at_most_500(gql: GraphQL) -> None:
    board_id = make_board(gql)
    error = gql.error(FIRST_PAGE, b=[board_id], limit=501, q=None)
    assert error["extensions"]["code"] == "InvalidArgumentException"


def test_cursor_and_query_params_cannot_be_combined(gql: GraphQL) -> None:
    board_id = make_board(gql)
    seed(gql, board_id, 100)
    cursor = gql.data(FIRST_PAGE, b=[board_id], limit=10, q=None)["boards"][0]["items_page"][
        "cursor"
    ]
    error = gql.error(
        """query($b: [ID!], $c: String) { boards(ids: $b) { items_page(cursor: $c,
             query_params: {rules: [{column_id: "name", compare_value: ["x"]}]}) { cursor } } }""",
        b=[board_id],
        c=cursor,
    )
    assert "query_params and cursor" in error["message"]


def test_cursors_expire_after_their_lifetime(gql: GraphQL, clock: FakeClock) -> None:
    board_id = make_board(gql)
    seed(gql, board_id, 100)
    cursor = gql.data(FIRST_PAGE, b=[board_id], limit=10, q=None)["boards"][0]["items_page"][
        "cursor"
    ]
    clock.advance(3600)
    error = gql.error(NEXT_PAGE, c=cursor, limit=10)
    assert error["extensions"]["code"] == "CursorExpiredError"


def test_group_items_page_lists_only_that_group(gql: GraphQL) -> None:
    board_id = make_board(gql)
    other = gql.data(
        'mutation($b: ID!) { create_group(board_id: $b, group_name: "G") { id } }', b=board_id
    )["create_group"]["id"]
    create_item(gql, board_id, "in topics", group="topics")
    create_item(gql, board_id, "in other", group=other)
    found = gql.data(
        """query($b: [ID!]) { boards(ids: $b) { groups(ids: ["topics"]) {
             items_page { items { name } } } } }""",
        b=[board_id],
    )
    assert found["boards"][0]["groups"][0]["items_page"]["items"] == [{"name": "in topics"}]


def filter_board(gql: GraphQL) -> str:
    board_id = make_board(gql)
    seed(
        gql,
        board_id,
        100,
        lambda n: {
            "num": str(n),
            "txt": "even" if n % 2 == 0 else "odd",
            "status": {"index": n % 3} if n % 10 else None,
            "mail": {"email": f"user{n}@example.com", "text": "u"},
            "team": {"ids": [1 + n % 2]},
        },
    )
    return board_id


@pytest.mark.parametrize(
    ("rules", "operator", "expected"),
    [
        ([{"column_id": "txt", "compare_value": ["odd"]}], "and", 50),
        ([{"column_id": "status", "compare_value": [1]}], "and", 30),
        ([{"column_id": "status", "compare_value": [5]}], "and", 10),
        ([{"column_id": "status", "compare_value": [], "operator": "is_empty"}], "and", 10),
        (
            [{"column_id": "num", "compare_value": [90], "operator": "greater_than_or_equals"}],
            "and",
            10,
        ),
        ([{"column_id": "num", "compare_value": [10, 19], "operator": "between"}], "and", 10),
        ([{"column_id": "mail", "compare_value": ["user7@example.com"]}], "and", 1),
        (
            [{"column_id": "name", "compare_value": ["item 0009"], "operator": "contains_text"}],
            "and",
            10,
        ),
        ([{"column_id": "name", "compare_value": ["item 00042"]}], "and", 1),
        ([{"column_id": "team", "compare_value": [2]}], "and", 50),
        ([{"column_id": "txt", "compare_value": ["odd"], "operator": "not_any_of"}], "and", 50),
        (
            [
                {"column_id": "txt", "compare_value": ["odd"]},
                {"column_id": "num", "compare_value": [10], "operator": "lower_than"},
            ],
            "and",
            5,
        ),
        (
            [
                {"column_id": "num", "compare_value": [0]},
                {"column_id": "num", "compare_value": [99]},
            ],
            "or",
            2,
        ),
    ],
)
def test_query_params_rules_match_like_monday(
    gql: GraphQL, rules: list[dict[str, Any]], operator: str, expected: int
) -> None:
    board_id = filter_board(gql)
    names = read_all(gql, board_id, limit=25, query={"rules": rules, "operator": operator})
    assert len(names) == expected


def test_query_params_order_by_sorts_results(gql: GraphQL) -> None:
    board_id = filter_board(gql)
    query = {
        "rules": [{"column_id": "num", "compare_value": [95], "operator": "greater_than"}],
        "order_by": [{"column_id": "num", "direction": "desc"}],
    }
    assert read_all(gql, board_id, query=query) == [f"item {n:05d}" for n in (99, 98, 97, 96)]


def test_rules_on_unknown_columns_are_refused(gql: GraphQL) -> None:
    board_id = make_board(gql)
    error = gql.error(
        FIRST_PAGE, b=[board_id], limit=5, q={"rules": [{"column_id": "zz", "compare_value": [1]}]}
    )
    assert error["extensions"]["code"] == "InvalidColumnIdException"


def test_a_name_key_in_column_values_renames_the_item(gql: GraphQL) -> None:
    board_id = make_board(gql)
    item_id = create_item(gql, board_id, "old")["data"]["create_item"]["id"]
    renamed = gql.data(
        """mutation($b: ID!, $i: ID) { change_multiple_column_values(board_id: $b, item_id: $i,
             column_values: "{\\"name\\": \\"new\\", \\"txt\\": \\"t\\"}") { name } }""",
        b=board_id,
        i=item_id,
    )
    assert renamed["change_multiple_column_values"] == {"name": "new"}


def test_change_item_position_moves_to_the_top_or_bottom_of_a_group(gql: GraphQL) -> None:
    board_id = make_board(gql)
    ids = [create_item(gql, board_id, n)["data"]["create_item"]["id"] for n in "abc"]
    move = (
        "mutation($i: ID!, $top: Boolean) { change_item_position(item_id: $i, "
        'group_id: "topics", group_top: $top) { id } }'
    )
    gql.data(move, i=ids[2], top=True)
    gql.data(move, i=ids[0], top=False)
    page = gql.data(
        "query($b: [ID!]) { boards(ids: $b) { items_page { items { name } } } }", b=[board_id]
    )
    assert [i["name"] for i in page["boards"][0]["items_page"]["items"]] == ["c", "b", "a"]


def test_items_on_another_board_are_not_found(gql: GraphQL) -> None:
    board_id, other_board = make_board(gql), make_board(gql)
    item_id = create_item(gql, board_id, "x")["data"]["create_item"]["id"]
    error = gql.error(
        "mutation($b: ID!, $i: ID) { change_multiple_column_values(board_id: $b, item_id: $i, "
        'column_values: "{}") { id } }',
        b=other_board,
        i=item_id,
    )
    assert error["extensions"]["code"] == "ResourceNotFoundException"


def test_lean_execution_answers_exactly_like_graphql_core(gql: GraphQL, sandbox: Sandbox) -> None:
    from boardops.sandbox.executor import (
        Counters,
        ExecutionContext,
        parse_and_validate,
        run,
    )
    from boardops.sandbox.limits import Window

    board_id = make_board(gql)
    seed(gql, board_id, 100, lambda n: {"status": {"index": n % 3}, "txt": f"t{n}"})
    query = """query($b: [ID!]) { boards(ids: $b) { id name workspace_id top_group { id }
      columns { id title type settings revision archived }
      groups { id title position archived }
      items_page(limit: 60) { cursor items { id name state group { id title }
        column_values { id type text value __typename ... on StatusValue { column { id } } }
      } } } }"""
    document, errors = parse_and_validate(query)
    assert document is not None, errors

    def answer(lean: bool) -> object:
        context = ExecutionContext(
            data=sandbox.state.raw,
            limits=sandbox.limits,
            clock=sandbox.clock,
            cursors={},
            counters=Counters(),
            create_board_window=Window(1, sandbox.clock),
            complexity_before=0,
            complexity_cost=0,
            complexity_reset_in=0,
            api_version="2026-10",
        )
        result = run(document, {"b": [board_id]}, None, context, lean=lean)
        assert result.errors is None
        page = result.data["boards"][0]["items_page"]  # type: ignore[index]
        page["cursor"] = "opaque"
        return result.data

    assert answer(lean=True) == answer(lean=False)
