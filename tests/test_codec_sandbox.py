"""The codec and the sandbox implement the same wire-format table from two sides.

Every human value of ``test_codec.HUMAN_VALUES`` is written with ``to_wire`` through the
sandbox's GraphQL API (create_item's ``column_values``), read back as
``ColumnValue.value``/``.text`` and decoded with ``from_wire``: the result must equal
``normalize`` of what was written, so that a board applied from a manifest plans to zero
changes.
"""

from __future__ import annotations

import json
from typing import Any

from boardops.codec import MANAGED_COLUMN_TYPES, Directory, from_wire, normalize, to_wire
from boardops.model import (
    Column,
    DropdownLabel,
    JSONValue,
    StatusLabel,
    User,
)
from tests.conftest import GraphQL
from tests.test_codec import HUMAN_VALUES

STATUS_LABELS = [
    {"label": "Working on it", "color": "working_orange", "index": 0},
    {"label": "Done", "color": "done_green", "index": 1},
    {"label": "Stuck", "color": "stuck_red", "index": 2},
    {"label": "7", "color": "purple", "index": 3},
]
DROPDOWN_LABELS = [{"label": "Platform"}, {"label": "Mobile"}, {"label": "Web"}]
TAG_NAMES = ("urgent", "Backend", "q4")
# Links (board_relation, dependency) name items of connected boards, which this one-board
# account lacks: tests/test_relation_values.py writes and reads them on the sandbox.
LINK_TYPES = ("board_relation", "dependency")
TYPES = tuple(t for t in MANAGED_COLUMN_TYPES if t not in LINK_TYPES)
CASES = [(t, v) for t, v in HUMAN_VALUES if t not in LINK_TYPES]


def make_board(gql: GraphQL) -> str:
    """A board with one column per managed type, each column's id being its type."""
    board = gql.data('mutation { create_board(board_name: "Codec", board_kind: public) { id } }')[
        "create_board"
    ]["id"]
    gql.data(
        "mutation($b: ID!, $d: CreateStatusColumnSettingsInput) {"
        ' create_status_column(board_id: $b, id: "status", title: "Status", defaults: $d)'
        " { id } }",
        b=board,
        d={"labels": STATUS_LABELS},
    )
    gql.data(
        "mutation($b: ID!, $d: CreateDropdownColumnSettingsInput) {"
        ' create_dropdown_column(board_id: $b, id: "dropdown", title: "Team", defaults: $d)'
        " { id } }",
        b=board,
        d={"labels": DROPDOWN_LABELS},
    )
    for column_type in TYPES:
        if column_type in ("status", "dropdown"):
            continue
        gql.data(
            f'mutation($b: ID!) {{ create_column(board_id: $b, id: "{column_type}",'
            f' title: "{column_type}", column_type: {column_type}) {{ id }} }}',
            b=board,
        )
    return str(board)


def live_columns(gql: GraphQL, board: str) -> dict[str, Column]:
    """The board's columns as the live state sees them: labels with monday's ids."""
    raw = gql.data(
        "query($b: [ID!]) { boards(ids: $b) { columns { id title type settings } } }", b=[board]
    )["boards"][0]["columns"]
    columns: dict[str, Column] = {}
    for entry in raw:
        settings: Any = entry["settings"]
        if isinstance(settings, str):
            settings = json.loads(settings)
        labels = settings.get("labels") or []
        columns[entry["id"]] = Column(
            title=entry["title"],
            type=entry["type"],
            id=entry["id"],
            status_labels=tuple(
                StatusLabel(lb["label"], color=lb["color"], id=lb["id"]) for lb in labels
            )
            if entry["type"] == "status"
            else (),
            dropdown_labels=tuple(DropdownLabel(lb["label"], id=lb["id"]) for lb in labels)
            if entry["type"] == "dropdown"
            else (),
        )
    return columns


def account_directory(gql: GraphQL, board: str) -> Directory:
    tags = {}
    for name in TAG_NAMES:
        tag = gql.data(
            "mutation($b: ID, $n: String) { create_or_get_tag(board_id: $b, tag_name: $n)"
            " { id name } }",
            b=board,
            n=name,
        )["create_or_get_tag"]
        tags[tag["name"]] = int(tag["id"])
    users = gql.data("{ users { id name email } }")["users"]
    return Directory(users=tuple(User(u["id"], u["name"], u["email"]) for u in users), tags=tags)


def test_every_value_written_to_the_sandbox_reads_back_equal_to_its_normal_form(
    gql: GraphQL,
) -> None:
    board = make_board(gql)
    columns = live_columns(gql, board)
    directory = account_directory(gql, board)
    assert set(columns) >= set(TYPES)

    written: dict[str, tuple[str, JSONValue]] = {}
    for number, (column_type, value) in enumerate(CASES):
        column = columns[column_type]
        wire = to_wire(column, value, directory)
        item = gql.data(
            "mutation($b: ID!, $n: String!, $v: JSON) {"
            " create_item(board_id: $b, item_name: $n, column_values: $v) { id } }",
            b=board,
            n=f"case {number}",
            v=json.dumps({column.id: wire}),
        )["create_item"]["id"]
        written[str(item)] = (column_type, value)

    items = gql.data(
        "query($b: [ID!]) { boards(ids: $b) { items_page(limit: 500) { items"
        " { id column_values { id value text } } } } }",
        b=[board],
    )["boards"][0]["items_page"]["items"]
    assert len(items) == len(CASES)

    mismatches = []
    for item in items:
        column_type, value = written[item["id"]]
        column = columns[column_type]
        cell = next(cv for cv in item["column_values"] if cv["id"] == column_type)
        stored = None if cell["value"] is None else json.loads(cell["value"])
        read = from_wire(column, stored, cell["text"], directory)
        desired = normalize(column, value, directory)
        if read != desired:
            mismatches.append((column_type, value, cell, read, desired))
    assert mismatches == []


def test_clearing_a_value_in_the_sandbox_reads_back_as_none(gql: GraphQL) -> None:
    board = make_board(gql)
    columns = live_columns(gql, board)
    directory = account_directory(gql, board)
    item = gql.data(
        "mutation($b: ID!, $v: JSON) {"
        ' create_item(board_id: $b, item_name: "x", column_values: $v) { id } }',
        b=board,
        v=json.dumps({"numbers": to_wire(columns["numbers"], "42", directory)}),
    )["create_item"]["id"]
    gql.data(
        "mutation($b: ID!, $i: ID, $v: JSON!) {"
        " change_multiple_column_values(board_id: $b, item_id: $i, column_values: $v) { id } }",
        b=board,
        i=item,
        v=json.dumps({"numbers": to_wire(columns["numbers"], "", directory)}),
    )
    cells = gql.data(
        'query($i: [ID!]) { items(ids: $i) { column_values(ids: ["numbers"]) { value text } } }',
        i=[item],
    )["items"][0]["column_values"]
    assert cells == [{"value": None, "text": ""}]
    assert from_wire(columns["numbers"], cells[0]["value"], cells[0]["text"], directory) is None
