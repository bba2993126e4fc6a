"""boardops reads monday as real accounts answer it (shared/monday-recorded-behaviour.md).

Two sources: answers in the recorded shapes written as our own fixtures
(``tests/recorded/*.json``), decoded through the live reader's conversions; and whole reads
against the sandbox, in its ``recorded`` profile, or answering status colours as numbers
the way recorded accounts do (``NumericColours``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from boardops import codec
from boardops.cli import main as cli
from boardops.errors import MalformedResponse
from boardops.export import export
from boardops.from_wire import (
    CellReader,
    account_from_wire,
    board_from_wire,
    user_from_wire,
    workspace_from_wire,
)
from boardops.live import (
    board_ref_from_wire,
    describe,
    match_board,
    read_live,
)
from boardops.manifest import load_manifests
from boardops.model import (
    STATUS_COLOR_IDS,
    Board,
    Column,
    DesiredState,
    ItemSet,
    StatusLabel,
)
from boardops.monday import ApiToken, MondayClient
from boardops.monday.wire import WirePath, WireReader
from boardops.plan import build_plan
from boardops.sandbox import BASE_URL, Sandbox
from tests.conftest import FakeClock

RECORDED = Path(__file__).parent / "recorded"
MAIN_WORKSPACE_ID = "10136488"


def recorded(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RECORDED / name).read_text(encoding="utf-8"))["data"]
    return data


def long_lived_board(directory: codec.Directory, reader: WireReader | None = None) -> Board:
    raw = dict(recorded("boards_structure_long_lived_board.json")["boards"][0])
    items = raw.pop("items_page")["items"]
    return board_from_wire("release", raw, items, directory, reader, WirePath.root("boards") / 0)


def labels_by_id(board: Board) -> dict[int | None, StatusLabel]:
    status = board.column("status")
    assert status is not None
    return {label.id: label for label in status.status_labels}


# --- status colours and label ids (recorded sections 1 and 2) ----------------------------


def test_status_colours_answered_as_numbers_read_as_their_names() -> None:
    labels = labels_by_id(long_lived_board(codec.Directory()))
    assert labels[7].color == "done_green"
    assert labels[11].color == "stuck_red"
    assert labels[12].color == "sunset"
    assert labels[8].color == "sky"


def test_an_unknown_colour_number_is_kept_as_its_digits_with_a_warning_naming_its_path(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reader = WireReader()
    with caplog.at_level(logging.WARNING, logger="boardops"):
        labels = labels_by_id(long_lived_board(codec.Directory(), reader))
    assert labels[14].color == "907"
    assert [r.getMessage() for r in caplog.records] == [
        "monday's answer: boards[0].columns[1].settings.labels[4].color: colour number 907 "
        "is not a status colour boardops knows; kept"
    ]


def test_label_ids_are_kept_as_monday_gives_them_never_derived_from_colours() -> None:
    labels = labels_by_id(long_lived_board(codec.Directory()))
    assert {label_id: label.label for label_id, label in labels.items()} == {
        12: "Shipped",
        7: "Code Review Me",
        11: "Blocked",
        8: "Later",
        14: "Experimental",
        5: "",
    }
    assert all(
        label.color is None or STATUS_COLOR_IDS.get(label.color) != label.id
        for label in labels.values()
        if label.id != 5
    )


def test_item_status_values_are_read_through_the_drifted_label_ids() -> None:
    board = long_lived_board(codec.Directory())
    assert board.items is not None
    assert [item.values.get("status") for item in board.items.rows] == [
        "Shipped",
        "Code Review Me",
    ]


# --- colour picker and week values (recorded section 6) ----------------------------------


def test_a_colour_set_in_rgb_reads_as_the_same_hex_as_one_set_in_hex() -> None:
    board = long_lived_board(codec.Directory())
    assert board.items is not None
    assert [item.values.get("color_picker") for item in board.items.rows] == [
        "#ff642e",
        "#ff642e",
    ]


def test_a_week_starting_on_sunday_reads_as_the_manifest_week_on_a_sunday_account() -> None:
    directory = codec.Directory(week_start="sunday")
    board = long_lived_board(directory)
    week = board.column("week")
    assert board.items is not None
    assert week is not None
    assert board.items.rows[0].values["week"] == codec.normalize(week, "2026-W05", directory)


# --- the account, workspaces and board listings (recorded sections 3 and 6) --------------


def test_the_account_reads_its_first_day_of_the_week_and_tier() -> None:
    raw = recorded("boards_structure_long_lived_board.json")["me"]
    account = account_from_wire(raw, MAIN_WORKSPACE_ID)
    assert (account.week_start, account.tier, account.main_workspace_id, account.user_id) == (
        "sunday",
        "standard",
        MAIN_WORKSPACE_ID,
        "4012345",
    )


def test_the_main_workspace_is_read_as_the_default_one() -> None:
    reader = WireReader()
    listed = [
        workspace_from_wire(raw["name"], raw, reader)
        for raw in recorded("workspaces_main_with_real_id.json")["workspaces"]
    ]
    assert [(w.id, w.is_default) for w in listed] == [
        (MAIN_WORKSPACE_ID, True),
        ("10136501", False),
    ]


def test_subitem_boards_are_left_out_of_board_listings() -> None:
    reader = WireReader()
    at = WirePath.root("boards")
    rows = recorded("boards_page_with_subitem_boards.json")["boards"]
    refs = [board_ref_from_wire(raw, reader, at / i) for i, raw in enumerate(rows)]
    assert [None if ref is None else ref.id for ref in refs] == [
        "5550001",
        None,
        "5550003",
        "5550004",
    ]


@pytest.mark.parametrize(
    ("name", "found"),
    [("Release train", "5550001"), ("Old roadmap", "5550003")],
    ids=["main reported by its id", "main reported as null"],
)
def test_a_board_without_workspace_is_found_however_monday_reports_the_main_workspace(
    name: str, found: str
) -> None:
    reader = WireReader()
    at = WirePath.root("boards")
    rows = recorded("boards_page_with_subitem_boards.json")["boards"]
    refs = [ref for i, raw in enumerate(rows) if (ref := board_ref_from_wire(raw, reader, at / i))]
    match = match_board(Board(key="b", name=name), None, refs, MAIN_WORKSPACE_ID)
    assert match is not None
    assert match.id == found


def test_users_are_read_with_status_and_kind_and_odd_rows_do_not_stop_the_read(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reader = WireReader()
    at = WirePath.root("users")
    with caplog.at_level(logging.WARNING, logger="boardops"):
        users = [
            user_from_wire(raw, reader, at / i)
            for i, raw in enumerate(recorded("users_with_status_and_kind.json")["users"])
        ]
    assert [(u.id, u.status, u.kind) for u in users] == [
        ("10000001", "ACTIVE", "admin"),
        ("10000005", "PENDING", "member"),
        ("10000006", "INACTIVE", "member"),
        ("10000007", "ACTIVE", "view_only"),
        ("10000008", "ACTIVE", "guest"),
    ]
    assert [r.getMessage() for r in caplog.records] == [
        "monday's answer: users[4].email: no email; the user can be named by id only"
    ]


def test_board_subscribers_are_read_as_ids() -> None:
    board = long_lived_board(codec.Directory())
    assert board.subscriber_ids == frozenset({"10000001", "10000002"})
    assert board.team_subscriber_ids == frozenset()


# --- whole reads against the sandbox -----------------------------------------------------


class NumericColours(httpx.BaseTransport):
    """The sandbox answering status label colours as recorded accounts do: the colour's
    numeric id with ``hex`` beside it (recorded section 1)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.inner = sandbox.transport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        body = json.loads(response.content)
        return httpx.Response(response.status_code, json=_numeric(body))


def _numeric(value: Any) -> Any:
    if isinstance(value, dict):
        if "label" in value and value.get("color") in STATUS_COLOR_IDS:
            return {**value, "color": STATUS_COLOR_IDS[value["color"]], "hex": "#00c875"}
        return {key: _numeric(entry) for key, entry in value.items()}
    if isinstance(value, list):
        return [_numeric(entry) for entry in value]
    return value


def _client(transport: httpx.BaseTransport, clock: FakeClock) -> Iterator[MondayClient]:
    with httpx.Client(transport=transport, base_url=BASE_URL) as http:
        yield MondayClient(
            http, ApiToken("t0ken"), api_url=BASE_URL, clock=clock, sleep=clock.sleep
        )


@pytest.fixture
def recorded_sandbox(clock: FakeClock) -> Sandbox:
    return Sandbox(clock=clock, sleep=clock.sleep, profile="recorded")


@pytest.fixture
def recorded_client(recorded_sandbox: Sandbox, clock: FakeClock) -> Iterator[MondayClient]:
    yield from _client(recorded_sandbox.transport(), clock)


STATUS = Column(
    id="status",
    title="Status",
    type="status",
    status_labels=(StatusLabel("Done", "done_green", done=True), StatusLabel("Stuck", "stuck_red")),
)


def _create_board(client: MondayClient, name: str, workspace_id: str | None = None) -> str:
    data = client.mutate(
        "mutation ($name: String!, $ws: ID) { create_board(board_name: $name, "
        "board_kind: public, workspace_id: $ws) { id } }",
        {"name": name, "ws": workspace_id},
    )
    board_id = str(data["create_board"]["id"])
    client.mutate(
        'mutation ($b: ID!) { create_status_column(board_id: $b, id: "status", '
        'title: "Status", defaults: {labels: [{label: "Done", color: done_green, '
        'index: 0, is_done: true}, {label: "Stuck", color: stuck_red, index: 1}]}) { id } }',
        {"b": board_id},
    )
    return board_id


def test_plan_reads_a_board_whose_status_colours_come_back_as_numbers(
    sandbox: Sandbox, clock: FakeClock
) -> None:
    """Before: "monday's answer holds int where the API documents text or null"."""
    desired = DesiredState(boards=(Board(key="b", name="Colours", columns=(STATUS,)),))
    for client in _client(sandbox.transport(), clock):
        _create_board(client, "Colours")
        documented = read_live(client, desired)
    for client in _client(NumericColours(sandbox), clock):
        numeric = read_live(client, desired)
    assert numeric.boards == documented.boards
    assert not build_plan(desired, numeric).has_changes


def test_a_board_declared_without_workspace_is_found_when_monday_reports_the_main_id(
    recorded_client: MondayClient,
) -> None:
    """Before: every apply created the board again."""
    board_id = _create_board(recorded_client, "Release train", MAIN_WORKSPACE_ID)
    desired = DesiredState(boards=(Board(key="release", name="Release train", columns=(STATUS,)),))
    live = read_live(recorded_client, desired)
    found = live.boards["release"]
    assert found is not None
    assert found.id == board_id
    assert found.workspace_id == MAIN_WORKSPACE_ID
    assert live.account is not None
    assert live.account.main_workspace_id == MAIN_WORKSPACE_ID
    assert not build_plan(desired, live).has_changes


def test_finding_the_main_workspace_costs_no_request_of_its_own(
    recorded_client: MondayClient,
) -> None:
    _create_board(recorded_client, "Release train", MAIN_WORKSPACE_ID)
    desired = DesiredState(boards=(Board(key="release", name="Release train", columns=(STATUS,)),))
    before = recorded_client.stats.requests
    read_live(recorded_client, desired)
    # one page of the boards listing, one structure read
    assert recorded_client.stats.requests - before == 2


WEEK = Column(id="week", title="Week", type="week")


def _with_week_items(name: str) -> Board:
    return Board(key="weeks", name=name, columns=(WEEK,), items=ItemSet())


def test_the_account_rides_along_with_the_structure_read_when_week_values_need_it(
    recorded_client: MondayClient,
) -> None:
    _create_board(recorded_client, "Weeks", MAIN_WORKSPACE_ID)
    desired = DesiredState(boards=(_with_week_items("Weeks"),))
    before = recorded_client.stats.requests
    live = read_live(recorded_client, desired)
    assert recorded_client.stats.requests - before == 2
    assert live.account is not None
    assert live.account.week_start == "sunday"


def test_the_account_costs_one_request_when_no_board_exists_yet(
    recorded_client: MondayClient,
) -> None:
    desired = DesiredState(boards=(_with_week_items("Not there yet"),))
    before = recorded_client.stats.requests
    live = read_live(recorded_client, desired)
    assert recorded_client.stats.requests - before == 2  # the listing, the account
    assert live.account is not None
    assert live.account.week_start == "sunday"


def test_the_account_is_not_read_when_the_manifest_fixes_the_week_start(
    recorded_client: MondayClient,
) -> None:
    desired = DesiredState(boards=(_with_week_items("Not there yet"),), week_start="monday")
    before = recorded_client.stats.requests
    read_live(recorded_client, desired)
    assert recorded_client.stats.requests - before == 1  # the listing only


def test_week_values_are_read_in_the_week_the_manifest_names_on_a_sunday_account(
    recorded_client: MondayClient,
) -> None:
    board_id = _create_board(recorded_client, "Weeks", MAIN_WORKSPACE_ID)
    recorded_client.mutate(
        'mutation ($b: ID!) { create_column(board_id: $b, id: "week", title: "Week", '
        "column_type: week) { id } }",
        {"b": board_id},
    )
    week = codec.to_wire(WEEK, "2026-W05", codec.Directory(week_start="sunday"))
    recorded_client.mutate(
        'mutation ($b: ID!, $v: JSON) { create_item(board_id: $b, item_name: "W5", '
        "column_values: $v) { id } }",
        {"b": board_id, "v": json.dumps({"week": week})},
    )
    desired = DesiredState(
        boards=(
            Board(
                key="weeks",
                name="Weeks",
                columns=(WEEK,),
                items=ItemSet(rows=()),
            ),
        )
    )
    live = read_live(recorded_client, desired)
    board = live.boards["weeks"]
    assert board is not None
    assert board.items is not None
    assert board.items.rows[0].values["week"] == {"from": "2026-01-25", "to": "2026-01-31"}


def test_users_and_subscribers_are_read_for_boards_whose_items_use_people(
    recorded_client: MondayClient,
) -> None:
    _create_board(recorded_client, "People", MAIN_WORKSPACE_ID)
    owner = Column(id="person", title="Owner", type="people")
    desired = DesiredState(
        boards=(Board(key="people", name="People", columns=(owner,), items=ItemSet()),)
    )
    live = read_live(recorded_client, desired)
    people = live.boards["people"]
    assert people is not None
    assert people.subscriber_ids == frozenset({"10000001"})  # the token's user made it
    assert people.team_subscriber_ids == frozenset()
    assert {u.status for u in live.users} >= {"ACTIVE", "PENDING", "INACTIVE"}
    assert {u.kind for u in live.users} >= {"view_only"}


def test_subscribers_and_users_are_not_read_when_no_items_use_people(
    recorded_client: MondayClient,
) -> None:
    _create_board(recorded_client, "No people", MAIN_WORKSPACE_ID)
    desired = DesiredState(boards=(Board(key="other", name="No people", columns=(STATUS,)),))
    live = read_live(recorded_client, desired)
    other = live.boards["other"]
    assert other is not None
    assert (other.subscriber_ids, other.team_subscriber_ids, live.users) == (None, None, ())


def test_cell_reader_names_an_odd_cell_once_however_many_items_share_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reader = WireReader()
    cells = CellReader(codec.Directory(), reader)
    text = Column(id="text", title="Text", type="text")
    items = WirePath.root("boards") / 0 / "items"
    with caplog.at_level(logging.WARNING, logger="boardops"):
        values = [cells.read(text, '"x"', 5, items / i, 0) for i in range(10_000)]
        reader.finish()
    assert set(values) == {"x"}
    assert [r.getMessage() for r in caplog.records] == [
        "monday's answer: boards[0].items[0].column_values[0].text: not text; read as text",
        "monday's answer: the same as at boards[0].items[0].column_values[0].text in 9999 "
        "more place(s) (boards[*].items[*].column_values[*].text)",
    ]


# --- describe and export ----------------------------------------------------------------


def test_export_writes_a_main_workspace_board_without_workspace_however_it_is_reported(
    recorded_client: MondayClient, tmp_path: Path
) -> None:
    _create_board(recorded_client, "Release train", MAIN_WORKSPACE_ID)
    text = export(recorded_client, boards=["Release train"], pin_ids=False)
    assert "workspace" not in text
    manifest = tmp_path / "exported.yaml"
    manifest.write_text(text, encoding="utf-8")
    desired = load_manifests([manifest])
    assert not build_plan(desired, read_live(recorded_client, desired)).has_changes


def test_describe_of_the_main_workspace_lists_its_boards_and_names_the_main_workspace(
    recorded_client: MondayClient,
) -> None:
    board_id = _create_board(recorded_client, "Release train", MAIN_WORKSPACE_ID)
    live = describe(recorded_client, workspaces=["Main workspace"])
    assert [b.id for b in live.boards.values() if b is not None] == [board_id]
    assert live.account is not None
    assert live.account.main_workspace_id == MAIN_WORKSPACE_ID
    main = live.workspaces["Main workspace"]
    assert main is not None
    assert main.is_default


# --- answers that cannot be used ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("id",), None, "monday's answer: boards[0].id: null where an id is needed"),
        (("name",), None, "monday's answer: boards[0].name: null where text is needed"),
        (
            ("columns", 1, "settings", "labels"),
            "Done",
            "monday's answer: boards[0].columns[1].settings.labels: the text 'Done' where a "
            "list is needed",
        ),
        (
            ("items_page", "items", 0, "id"),
            {"no": "id"},
            "monday's answer: boards[0].items[0].id: an object where an id is needed",
        ),
    ],
    ids=["board id", "board name", "status labels", "item id"],
)
def test_a_needed_value_that_is_unusable_stops_the_read_in_one_line_naming_it(
    path: tuple[str | int, ...], value: Any, message: str
) -> None:
    raw = recorded("boards_structure_long_lived_board.json")["boards"][0]
    holder = raw
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    items = raw.pop("items_page")["items"]
    with pytest.raises(MalformedResponse) as raised:
        board_from_wire("b", raw, items, codec.Directory(), None, WirePath.root("boards") / 0)
    assert str(raised.value) == message


# --- the whole loop on the recorded sandbox profile --------------------------------------

RELEASE_MANIFEST = """\
version: 1
boards:
  - name: Release train
    key: release
    columns:
      - id: status
        title: Status
        type: status
        labels:
          - {label: Working on it, color: working_orange}
          - {label: Done, color: done_green, done: true}
      - {id: ext_id, title: Ticket, type: text}
    items:
      match_by: [ext_id]
      rows:
        - {name: Ship it, values: {ext_id: REL-1, status: Done}}
"""


def test_a_board_without_workspace_applied_on_a_recorded_account_is_not_created_again(
    tmp_path: Path,
) -> None:
    """Before: the board (reported in the main workspace's real id) was not found, so every
    apply created another copy, and a plan stopped on the numeric status colours."""
    manifest = tmp_path / "release.yaml"
    manifest.write_text(RELEASE_MANIFEST, encoding="utf-8")
    state = str(tmp_path / "sandbox.json")
    runner = CliRunner(env={"MONDAY_API_TOKEN": None, "NO_COLOR": "1"})
    applied = runner.invoke(
        cli,
        [
            "apply",
            str(manifest),
            "--sandbox",
            state,
            "--sandbox-profile",
            "recorded",
            "--auto-approve",
        ],
    )
    assert applied.exit_code == 0, applied.output
    planned = runner.invoke(cli, ["plan", str(manifest), "--sandbox", state, "--detailed-exitcode"])
    assert planned.exit_code == 0, planned.output
