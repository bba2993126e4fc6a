"""The sandbox's two profiles: monday as documented ("docs") and as recorded ("recorded").

Each recorded behaviour (monday-recorded-behaviour.md §1-6) is specified here through the
GraphQL API, in both profiles where they differ.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from boardops.cli import main
from boardops.commands.options import SANDBOX_PROFILES
from boardops.model import STATUS_COLOR_BY_ID
from boardops.palette import GROUP_COLOR_HEXES, group_color_hex, group_color_name
from boardops.sandbox import (
    BASE_URL,
    PROFILE_NAMES,
    ProfileMismatch,
    Sandbox,
    open_sandbox,
    seed_drifted_board,
)
from boardops.sandbox.profiles import (
    INACTIVE_USER_ID,
    MAIN_WORKSPACE_ID,
    PENDING_USER_ID,
    VIEW_ONLY_USER_ID,
)
from tests.conftest import FakeClock, GraphQL

DAN = "10000004"  # a seeded active member who subscribes to no board by default
DESIGN_TEAM = "30000002"  # Carol's team

# --- fixtures ------------------------------------------------------------------------------


def _client(sandbox: Sandbox) -> httpx.Client:
    return httpx.Client(
        transport=sandbox.transport(),
        base_url=BASE_URL,
        headers={"Authorization": "sandbox-token", "API-Version": "2026-10"},
    )


@pytest.fixture
def recorded_sandbox(clock: FakeClock) -> Sandbox:
    return Sandbox(clock=clock, sleep=clock.sleep, profile="recorded")


@pytest.fixture
def recorded(recorded_sandbox: Sandbox) -> Iterator[GraphQL]:
    with _client(recorded_sandbox) as client:
        yield GraphQL(client)


@pytest.fixture(params=PROFILE_NAMES)
def either(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[tuple[str, GraphQL]]:
    """The same test in both profiles: (profile name, client)."""
    sandbox = Sandbox(clock=clock, sleep=clock.sleep, profile=request.param)
    with _client(sandbox) as client:
        yield request.param, GraphQL(client)


# --- helpers -------------------------------------------------------------------------------


def new_board(gql: GraphQL, name: str = "Board", **arguments: Any) -> str:
    extra = "".join(f", {key}: {json.dumps(value)}" for key, value in arguments.items())
    board: str = gql.data(
        f"mutation {{ create_board(board_name: {json.dumps(name)}, board_kind: public{extra})"
        " { id } }"
    )["create_board"]["id"]
    return board


def add_column(gql: GraphQL, board: str, column_type: str, column_id: str) -> None:
    gql.data(
        "mutation($b: ID!, $i: String!, $t: ColumnType!) {"
        " create_column(board_id: $b, id: $i, title: $i, column_type: $t) { id } }",
        b=board,
        i=column_id,
        t=column_type,
    )


def create_item(gql: GraphQL, board: str, values: dict[str, Any]) -> dict[str, Any]:
    """The whole answer of a create_item writing ``values``."""
    return gql(
        'mutation($b: ID!, $v: JSON) { create_item(board_id: $b, item_name: "row",'
        " column_values: $v) { id column_values { id text value } } }",
        b=board,
        v=json.dumps(values),
    )


def error_of(answer: dict[str, Any]) -> dict[str, Any]:
    assert len(answer.get("errors", ())) == 1, answer
    error: dict[str, Any] = answer["errors"][0]
    return error


def status_column(gql: GraphQL, board: str, column: str = "status") -> dict[str, Any]:
    found: dict[str, Any] = gql.data(
        "query($b: [ID!], $c: [String]) { boards(ids: $b) { columns(ids: $c)"
        " { title revision settings } } }",
        b=[board],
        c=[column],
    )["boards"][0]["columns"][0]
    return found


def update_status(
    gql: GraphQL, board: str, revision: str, labels: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    return gql(
        "mutation($b: ID!, $r: String!, $s: UpdateStatusColumnSettingsInput, $t: String) {"
        ' update_status_column(board_id: $b, id: "status", revision: $r, settings: $s,'
        " title: $t) { revision settings } }",
        b=board,
        r=revision,
        s={"labels": labels},
        t=extra.get("title"),
    )


def labels_now(gql: GraphQL, board: str) -> list[dict[str, Any]]:
    """The status column's labels as update_status_column takes them back (colour names)."""
    out = []
    for label in status_column(gql, board)["settings"]["labels"]:
        color = label["color"]
        entry = {
            "id": label["id"],
            "label": label["label"],
            "color": STATUS_COLOR_BY_ID[color] if isinstance(color, int) else color,
            "index": label["index"],
        }
        if label["is_deactivated"]:
            entry["is_deactivated"] = True
        out.append(entry)
    return out


# --- the switch ------------------------------------------------------------------------------


def test_the_docs_profile_is_the_default() -> None:
    assert Sandbox().profile.name == "docs"


def test_the_cli_offers_exactly_the_sandbox_profiles() -> None:
    assert SANDBOX_PROFILES == PROFILE_NAMES


def test_a_state_file_remembers_the_profile_it_was_created_with(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    Sandbox(path, profile="recorded")
    assert Sandbox(path).profile.name == "recorded"
    assert open_sandbox(path, profile="recorded").profile.name == "recorded"


def test_opening_a_state_file_with_another_profile_is_one_line_naming_the_reset(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sandbox.json"
    Sandbox(path, profile="recorded")
    with pytest.raises(ProfileMismatch) as raised:
        open_sandbox(path, profile="docs")
    message = str(raised.value)
    assert "\n" not in message
    assert f"boardops sandbox reset --sandbox {path} --sandbox-profile docs" in message


def test_a_state_file_from_before_profiles_opens_as_a_docs_file(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    data = Sandbox().state.raw
    old = {k: v for k, v in data.items() if k not in ("profile", "account", "teams")}
    old["users"] = [
        {k: v for k, v in u.items() if k not in ("status", "kind")} for u in data["users"]
    ]
    path.write_text(json.dumps(old))
    sandbox = Sandbox(path)
    assert sandbox.profile.name == "docs"
    answer = sandbox.execute("{ account { tier } users { status } teams { id } }")["data"]
    assert answer["account"]["tier"] == "enterprise"
    assert {u["status"] for u in answer["users"]} == {"ACTIVE"}


def test_reset_can_start_the_account_again_under_another_profile(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    Sandbox(path, profile="recorded").reset("docs")
    assert Sandbox(path).profile.name == "docs"
    assert Sandbox(path).state.workspaces == ()


def _cli() -> CliRunner:
    return CliRunner(env={"MONDAY_API_TOKEN": None, "BOARDOPS_SANDBOX_PROFILE": None})


def test_sandbox_profile_option_chooses_the_profile_of_a_new_state_file(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    _cli().invoke(
        main, ["describe", "--board", "1", f"--sandbox={path}", "--sandbox-profile", "recorded"]
    )
    assert Sandbox(path).profile.name == "recorded"


def test_the_profile_can_come_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    CliRunner(env={"MONDAY_API_TOKEN": None, "BOARDOPS_SANDBOX_PROFILE": "recorded"}).invoke(
        main, ["describe", "--board", "1", f"--sandbox={path}"]
    )
    assert Sandbox(path).profile.name == "recorded"


def test_a_cli_profile_other_than_the_files_stops_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    Sandbox(path, profile="recorded")
    result = _cli().invoke(
        main, ["describe", "--board", "1", f"--sandbox={path}", "--sandbox-profile", "docs"]
    )
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "--sandbox-profile docs" in result.output
    assert Sandbox(path).profile.name == "recorded"


def test_sandbox_reset_with_a_profile_switches_the_state_file(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    Sandbox(path)
    result = _cli().invoke(
        main,
        ["sandbox", "reset", "--sandbox", str(path), "--sandbox-profile", "recorded", "--yes"],
    )
    assert result.exit_code == 0, result.output
    assert "profile: recorded" in result.output
    assert Sandbox(path).profile.name == "recorded"


# --- the seeded account ------------------------------------------------------------------------


def test_the_recorded_account_starts_weeks_on_sunday_and_is_not_enterprise(
    recorded: GraphQL,
) -> None:
    account = recorded.data("{ account { first_day_of_the_week tier plan { tier } } }")["account"]
    assert account["first_day_of_the_week"] == "sunday"
    assert account["tier"] == account["plan"]["tier"] != "enterprise"


def test_the_recorded_account_has_pending_inactive_and_view_only_users(recorded: GraphQL) -> None:
    listed = recorded.data("{ users { id status kind } }")["users"]
    by_id = {u["id"]: (u["status"], u["kind"]) for u in listed}
    assert by_id[PENDING_USER_ID] == ("PENDING", "member")
    assert by_id[VIEW_ONLY_USER_ID] == ("ACTIVE", "view_only")
    assert INACTIVE_USER_ID not in by_id  # users lists ACTIVE and PENDING unless asked
    inactive = recorded.data("{ users(status: [INACTIVE]) { id } }")["users"]
    assert inactive == [{"id": INACTIVE_USER_ID}]
    assert recorded.data("{ users(non_active: true) { id } }")["users"] == inactive


# --- §1 status colours -------------------------------------------------------------------------


def _status_board(gql: GraphQL) -> str:
    board = new_board(gql)
    gql.data(
        f'mutation {{ create_status_column(board_id: {board}, id: "status", title: "Status")'
        " { id } }"
    )
    return board


def test_status_label_colours_are_numbers_with_hex_in_the_recorded_profile(
    either: tuple[str, GraphQL],
) -> None:
    profile, gql = either
    done = next(
        label
        for label in status_column(gql, _status_board(gql))["settings"]["labels"]
        if label["label"] == "Done"
    )
    assert done["hex"] == "#00c875"
    assert done["color"] == (1 if profile == "recorded" else "done_green")


def test_status_colours_are_written_as_names_only(either: tuple[str, GraphQL]) -> None:
    _, gql = either
    board = _status_board(gql)
    revision = status_column(gql, board)["revision"]
    answer = gql(
        'mutation($b: ID!, $r: String!) { update_status_column(board_id: $b, id: "status",'
        ' revision: $r, settings: {labels: [{label: "Done", color: 1, index: 0}]}) { id } }',
        b=board,
        r=revision,
    )
    assert error_of(answer)["extensions"]["code"] == "GraphQLValidationError"
    assert status_column(gql, board)["revision"] == revision
    create = gql(
        'mutation($b: ID!) { create_status_column(board_id: $b, title: "S", defaults:'
        ' {labels: [{label: "Done", color: 1, index: 0}]}) { id } }',
        b=board,
    )
    assert error_of(create)["extensions"]["code"] == "GraphQLValidationError"


# --- §2 label ids drift from colour ids --------------------------------------------------------


def test_a_recoloured_label_keeps_its_id(either: tuple[str, GraphQL]) -> None:
    _, gql = either
    board = _status_board(gql)
    labels = labels_now(gql, board)
    done = next(label for label in labels if label["label"] == "Done")
    done["color"] = "grass_green"
    answer = update_status(gql, board, status_column(gql, board)["revision"], labels)
    assert "errors" not in answer, answer
    after = next(lb for lb in labels_now(gql, board) if lb["label"] == "Done")
    assert (after["id"], after["color"]) == (1, "grass_green")


def test_a_removed_labels_colour_is_free_but_its_id_stays_taken(
    either: tuple[str, GraphQL],
) -> None:
    profile, gql = either
    board = _status_board(gql)
    without_done = [lb for lb in labels_now(gql, board) if lb["label"] != "Done"]
    update_status(gql, board, status_column(gql, board)["revision"], without_done)
    # done_green is free again, but under the recorded profile its id (1) is not
    again = [*without_done, {"label": "Shipped", "color": "done_green", "index": 3}]
    answer = update_status(gql, board, status_column(gql, board)["revision"], again)
    if profile == "docs":
        assert "errors" not in answer, answer
    else:
        assert error_of(answer)["extensions"]["code"] == "InvalidArgumentException"
        assert error_of(answer)["extensions"]["error_data"]["label_id"] == 1


@pytest.mark.parametrize(
    "color",
    [
        pytest.param("bright_blue", id="id of an active recoloured label"),
        pytest.param("purple", id="id of a deactivated label"),
        pytest.param("dark_blue", id="id of a removed label"),
        pytest.param("explosive", id="5, the reserved default label"),
    ],
)
def test_a_new_label_whose_colour_id_is_taken_rejects_the_whole_update(
    recorded_sandbox: Sandbox, recorded: GraphQL, color: str
) -> None:
    drifted = seed_drifted_board(recorded_sandbox)
    before = status_column(recorded, drifted.board_id)
    labels = [*labels_now(recorded, drifted.board_id), {"label": "New", "color": color, "index": 9}]
    answer = update_status(recorded, drifted.board_id, drifted.revision, labels, title="Renamed")
    error = error_of(answer)
    assert error["extensions"]["code"] == "InvalidArgumentException"
    assert error["extensions"]["status_code"] == 400
    assert status_column(recorded, drifted.board_id) == before  # not even the title changed


def test_a_free_colour_on_a_drifted_board_becomes_a_label_with_its_colour_id(
    recorded_sandbox: Sandbox, recorded: GraphQL
) -> None:
    drifted = seed_drifted_board(recorded_sandbox)
    labels = [
        *labels_now(recorded, drifted.board_id),
        {"label": "New", "color": "grass_green", "index": 9},
    ]
    answer = update_status(recorded, drifted.board_id, drifted.revision, labels)
    assert "errors" not in answer, answer
    new = next(lb for lb in labels_now(recorded, drifted.board_id) if lb["label"] == "New")
    assert new["id"] == 6


def test_the_drifted_board_has_the_recorded_ids_and_colours(
    recorded_sandbox: Sandbox, recorded: GraphQL
) -> None:
    drifted = seed_drifted_board(recorded_sandbox)
    settings = status_column(recorded, drifted.board_id)["settings"]
    pairs = {(lb["id"], lb["color"], lb["is_deactivated"]) for lb in settings["labels"]}
    assert pairs == {(0, 0, False), (7, 1, False), (11, 2, False), (12, 101, False), (4, 9, True)}


def test_the_drifted_board_forgets_removed_ids_under_the_docs_profile(
    sandbox: Sandbox, gql: GraphQL
) -> None:
    drifted = seed_drifted_board(sandbox)
    labels = [
        *labels_now(gql, drifted.board_id),
        {"label": "New", "color": "dark_blue", "index": 9},
    ]
    assert "errors" not in update_status(gql, drifted.board_id, drifted.revision, labels)


def test_label_5_cannot_be_removed(recorded_sandbox: Sandbox, recorded: GraphQL) -> None:
    drifted = seed_drifted_board(recorded_sandbox)
    labels = [
        *labels_now(recorded, drifted.board_id),
        {"id": 5, "label": "", "color": "explosive", "index": 9, "is_deactivated": True},
    ]
    answer = update_status(recorded, drifted.board_id, drifted.revision, labels)
    assert error_of(answer)["extensions"]["error_data"]["label_id"] == 5


def test_labels_created_by_a_value_avoid_taken_ids(
    recorded_sandbox: Sandbox, recorded: GraphQL
) -> None:
    drifted = seed_drifted_board(recorded_sandbox)
    answer = recorded(
        'mutation($b: ID!) { create_item(board_id: $b, item_name: "x", create_labels_if_missing:'
        ' true, column_values: "{\\"status\\": {\\"label\\": \\"Fresh\\"}}") { id } }',
        b=drifted.board_id,
    )
    assert "errors" not in answer, answer
    fresh = next(lb for lb in labels_now(recorded, drifted.board_id) if lb["label"] == "Fresh")
    assert fresh["id"] not in (0, 1, 2, 3, 4, 5, 7, 11, 12)


# --- §3 the main workspace ---------------------------------------------------------------------


def test_the_main_workspace_has_a_real_id_in_the_recorded_profile(
    either: tuple[str, GraphQL],
) -> None:
    profile, gql = either
    spaces = gql.data("{ workspaces { id name kind is_default_workspace } }")["workspaces"]
    board = gql.data(
        "query($b: [ID!]) { boards(ids: $b) { workspace_id workspace { id name } } }",
        b=[new_board(gql)],
    )["boards"][0]
    if profile == "docs":
        assert spaces == []
        assert board == {"workspace_id": None, "workspace": None}
    else:
        main_workspace = {"id": MAIN_WORKSPACE_ID, "name": "Main workspace"}
        assert spaces == [{**main_workspace, "kind": "open", "is_default_workspace": True}]
        assert board == {"workspace_id": MAIN_WORKSPACE_ID, "workspace": main_workspace}


# --- §4 group colours --------------------------------------------------------------------------


def test_the_group_palette_is_the_recorded_19_colours() -> None:
    recorded_list = [
        "#037f4c",
        "#00c875",
        "#9cd326",
        "#cab641",
        "#ffcb00",
        "#784bd1",
        "#9d50dd",
        "#007eb5",
        "#579bfc",
        "#66ccff",
        "#bb3354",
        "#df2f4a",
        "#ff007f",
        "#ff5ac4",
        "#ff642e",
        "#fdab3d",
        "#7f5347",
        "#c4c4c4",
        "#757575",
    ]
    assert list(GROUP_COLOR_HEXES) == recorded_list
    assert all(group_color_hex(group_color_name(h) or "") == h for h in recorded_list)
    assert group_color_hex("dark-blue") == group_color_hex("dark_blue") == "#007eb5"


def _create_group(gql: GraphQL, board: str, color: str) -> dict[str, Any]:
    return gql(
        'mutation($b: ID!, $c: String) { create_group(board_id: $b, group_name: "G",'
        " group_color: $c) { id color } }",
        b=board,
        c=color,
    )


def test_create_group_takes_only_palette_colours_in_the_recorded_profile(
    either: tuple[str, GraphQL],
) -> None:
    profile, gql = either
    board = new_board(gql)
    assert _create_group(gql, board, "#9CD326")["data"]["create_group"]["color"] == "#9cd326"
    outside = _create_group(gql, board, "#e2445c")
    if profile == "docs":
        assert outside["data"]["create_group"]["color"] == "#e2445c"
    else:
        assert error_of(outside)["extensions"]["code"] == "InvalidArgumentException"


def test_new_groups_without_a_colour_get_palette_colours_in_the_recorded_profile(
    recorded: GraphQL,
) -> None:
    board = new_board(recorded)
    for _ in range(len(GROUP_COLOR_HEXES) + 1):
        recorded.data(f'mutation {{ create_group(board_id: {board}, group_name: "G") {{ id }} }}')
    groups = recorded.data(f"{{ boards(ids: [{board}]) {{ groups {{ color }} }} }}")
    assert {g["color"] for g in groups["boards"][0]["groups"]} <= set(GROUP_COLOR_HEXES)


def _recolour(gql: GraphQL, board: str, value: str) -> dict[str, Any]:
    return gql(
        'mutation($b: ID!, $v: String!) { update_group(board_id: $b, group_id: "topics",'
        " group_attribute: color, new_value: $v) { color } }",
        b=board,
        v=value,
    )


def test_update_group_takes_a_colour_name_in_the_recorded_profile(
    either: tuple[str, GraphQL],
) -> None:
    profile, gql = either
    board = new_board(gql)
    by_name, by_hex = _recolour(gql, board, "dark-blue"), _recolour(gql, board, "#ff642e")
    if profile == "docs":
        assert error_of(by_name)["extensions"]["code"] == "InvalidArgumentException"
        assert by_hex["data"]["update_group"]["color"] == "#ff642e"
    else:
        assert by_name["data"]["update_group"]["color"] == "#007eb5"  # reported as hex
        assert error_of(by_hex)["extensions"]["code"] == "InvalidArgumentException"


# --- §5 people need board membership -----------------------------------------------------------


def _people_board(gql: GraphQL) -> str:
    board = new_board(gql)
    add_column(gql, board, "people", "owner")
    return board


def _person(person_id: str, kind: str = "person") -> dict[str, Any]:
    return {"owner": {"personsAndTeams": [{"id": int(person_id), "kind": kind}]}}


def _assert_invalid_person(answer: dict[str, Any], person_id: str) -> None:
    extensions = error_of(answer)["extensions"]
    assert extensions["code"] == "ColumnValueException"
    assert extensions["error_data"]["error_code"] == "invalidPersonAssignment"
    assert extensions["error_data"]["id"] == person_id


def test_assigning_someone_who_does_not_subscribe_to_the_board(
    either: tuple[str, GraphQL],
) -> None:
    profile, gql = either
    board = _people_board(gql)
    answer = create_item(gql, board, _person(DAN))
    if profile == "docs":
        assert "errors" not in answer, answer
    else:
        _assert_invalid_person(answer, DAN)
        assert (
            gql.data(f"{{ boards(ids: [{board}]) {{ items_count }} }}")["boards"][0]["items_count"]
            == 0
        )


def test_subscribers_and_members_of_subscribed_teams_can_be_assigned(recorded: GraphQL) -> None:
    board = _people_board(recorded)
    assert "errors" not in create_item(recorded, board, _person("10000001"))  # the creator
    recorded.data(
        f'mutation {{ add_users_to_board(board_id: {board}, user_ids: ["{DAN}"]) {{ id }} }}'
    )
    assert "errors" not in create_item(recorded, board, _person(DAN))
    _assert_invalid_person(create_item(recorded, board, _person(DESIGN_TEAM, "team")), DESIGN_TEAM)
    _assert_invalid_person(create_item(recorded, board, _person("10000003")), "10000003")
    recorded.data(
        f"mutation {{ add_teams_to_board(board_id: {board},"
        f' team_ids: ["{DESIGN_TEAM}"]) {{ id }} }}'
    )
    assert "errors" not in create_item(recorded, board, _person(DESIGN_TEAM, "team"))
    assert "errors" not in create_item(recorded, board, _person("10000003"))  # via the team


@pytest.mark.parametrize("user", [PENDING_USER_ID, INACTIVE_USER_ID, VIEW_ONLY_USER_ID])
def test_pending_inactive_and_view_only_users_are_never_assigned(
    recorded: GraphQL, user: str
) -> None:
    board = new_board(recorded, board_subscriber_ids=[user])
    add_column(recorded, board, "people", "owner")
    _assert_invalid_person(create_item(recorded, board, _person(user)), user)


def test_changing_a_value_checks_membership_too(recorded: GraphQL) -> None:
    board = _people_board(recorded)
    item = create_item(recorded, board, {})["data"]["create_item"]["id"]
    change = recorded(
        "mutation($b: ID!, $i: ID, $v: JSON!) { change_column_value(board_id: $b, item_id: $i,"
        ' column_id: "owner", value: $v) { id } }',
        b=board,
        i=item,
        v=json.dumps(_person(DAN)["owner"]),
    )
    _assert_invalid_person(change, DAN)
    simple = recorded(
        "mutation($b: ID!, $i: ID) { change_simple_column_value(board_id: $b, item_id: $i,"
        f' column_id: "owner", value: "{DAN}") {{ id }} }}',
        b=board,
        i=item,
    )
    _assert_invalid_person(simple, DAN)


# --- §6 smaller divergences --------------------------------------------------------------------


def _week(start: str, end: str) -> dict[str, Any]:
    return {"when": {"week": {"startDate": start, "endDate": end}}}


def test_weeks_start_on_the_accounts_first_day_in_the_recorded_profile(
    either: tuple[str, GraphQL],
) -> None:
    profile, gql = either
    board = new_board(gql)
    add_column(gql, board, "week", "when")
    sunday_week = create_item(gql, board, _week("2026-11-29", "2026-12-05"))
    monday_week = create_item(gql, board, _week("2026-11-30", "2026-12-06"))
    assert "errors" not in sunday_week, sunday_week
    if profile == "docs":
        assert "errors" not in monday_week, monday_week
    else:
        assert error_of(monday_week)["extensions"]["code"] == "ColumnValueException"


def test_a_monday_account_takes_weeks_from_monday(
    recorded_sandbox: Sandbox, recorded: GraphQL
) -> None:
    recorded_sandbox.set_account(first_day_of_the_week="monday")
    board = new_board(recorded)
    add_column(recorded, board, "week", "when")
    assert "errors" not in create_item(recorded, board, _week("2026-11-30", "2026-12-06"))
    sunday_week = create_item(recorded, board, _week("2026-11-29", "2026-12-05"))
    assert error_of(sunday_week)["extensions"]["code"] == "ColumnValueException"


def test_a_served_sandbox_shows_and_changes_its_account_over_http(
    recorded_sandbox: Sandbox,
) -> None:
    with httpx.Client(transport=recorded_sandbox.transport(), base_url=BASE_URL) as http:
        shown = http.get("/sandbox/account").json()
        assert (shown["profile"], shown["account"]["tier"]) == ("recorded", "standard")
        changed = http.post("/sandbox/account", json={"tier": "enterprise"})
        assert changed.json()["account"]["plan"]["tier"] == "enterprise"
        assert http.post("/sandbox/account", json={"tier": 3}).status_code == 400
        assert http.post("/sandbox/account", json={"seats": 3}).status_code == 400


_CLOSED = 'mutation { create_workspace(name: "Secret", kind: closed) { id kind } }'


def test_closed_workspaces_need_an_enterprise_account_in_the_recorded_profile(
    either: tuple[str, GraphQL],
) -> None:
    profile, gql = either
    answer = gql(_CLOSED)
    if profile == "docs":
        assert answer["data"]["create_workspace"]["kind"] == "closed"
    else:
        assert error_of(answer)["extensions"]["error_data"]["kind"] == "closed"


def test_an_enterprise_account_creates_closed_workspaces(
    recorded_sandbox: Sandbox, recorded: GraphQL
) -> None:
    recorded_sandbox.set_account(tier="enterprise")
    assert recorded.data(_CLOSED)["create_workspace"]["kind"] == "closed"


def test_colour_picker_values_written_in_rgb_are_stored_as_rgb(
    either: tuple[str, GraphQL],
) -> None:
    profile, gql = either
    board = new_board(gql)
    add_column(gql, board, "color_picker", "shade")
    answer = create_item(gql, board, {"shade": {"color": {"r": 255, "g": 100, "b": 0}}})
    if profile == "docs":
        assert error_of(answer)["extensions"]["code"] == "ColumnValueException"
    else:
        value = answer["data"]["create_item"]["column_values"][0]["value"]
        assert json.loads(value) == {"color": {"r": 255, "g": 100, "b": 0}}


def test_email_any_of_matches_the_displayed_text_in_the_recorded_profile(
    either: tuple[str, GraphQL],
) -> None:
    profile, gql = either
    board = new_board(gql)
    add_column(gql, board, "email", "mail")
    create_item(gql, board, {"mail": {"email": "ann@example.com", "text": "Ann"}})

    def matches(compare: str) -> int:
        page = gql.data(
            "query($b: [ID!], $v: CompareValue!) { boards(ids: $b) { items_page(query_params:"
            ' {rules: [{column_id: "mail", compare_value: $v}]}) { items { id } } } }',
            b=[board],
            v=[compare],
        )
        return len(page["boards"][0]["items_page"]["items"])

    expected = {"docs": (1, 0), "recorded": (0, 1)}[profile]
    assert (matches("ann@example.com"), matches("Ann")) == expected


def test_board_listings_include_subitem_boards_in_the_recorded_profile(
    either: tuple[str, GraphQL],
) -> None:
    profile, gql = either
    new_board(gql, "Roadmap")
    listed = {(b["name"], b["type"]) for b in gql.data("{ boards { name type } }")["boards"]}
    expected = {("Roadmap", "board")}
    if profile == "recorded":
        expected.add(("Subitems of Roadmap", "sub_items_board"))
    assert listed == expected


def test_a_stale_revision_answers_monday_s_recorded_shape(either: tuple[str, GraphQL]) -> None:
    profile, gql = either
    board = _status_board(gql)
    stale = status_column(gql, board)["revision"]
    gql.data(
        f'mutation {{ change_column_title(board_id: {board}, column_id: "status",'
        ' title: "State") { id } }'
    )
    error = error_of(update_status(gql, board, stale, labels_now(gql, board)))
    if profile == "docs":
        assert error["extensions"]["code"] == "InvalidColumnRevisionException"
        assert error["extensions"]["error_data"]["current_revision"] != stale
    else:
        assert error["message"] == "Board revision mismatch"
        extensions = {k: v for k, v in error["extensions"].items() if k != "request_id"}
        assert extensions == {"code": "REVISION_MISMATCH", "status_code": 409}


@pytest.mark.parametrize(
    ("phone", "country", "valid"),
    [
        ("2025550123", "US", True),
        ("+442079460958", "GB", True),
        ("12345", "US", False),
        ("+442079460958", "US", False),  # a British number given as American
    ],
)
def test_phone_numbers_must_be_valid_for_their_country_in_the_recorded_profile(
    either: tuple[str, GraphQL], phone: str, country: str, valid: bool
) -> None:
    profile, gql = either
    board = new_board(gql)
    add_column(gql, board, "phone", "tel")
    answer = create_item(gql, board, {"tel": {"phone": phone, "countryShortName": country}})
    if valid or profile == "docs":
        assert "errors" not in answer, answer
    else:
        assert error_of(answer)["extensions"]["code"] == "ColumnValueException"


def test_a_subitems_board_is_archived_and_deleted_with_its_board(recorded: GraphQL) -> None:
    board_id = new_board(recorded, "Roadmap")
    for mutation, state in (("archive_board", "archived"), ("delete_board", "deleted")):
        recorded.data(f"mutation {{ {mutation}(board_id: {board_id}) {{ id }} }}")
        listed = recorded.data("query { boards(state: all, limit: 100) { name state } }")
        assert sorted((b["name"], b["state"]) for b in listed["boards"]) == [
            ("Roadmap", state),
            ("Subitems of Roadmap", state),
        ]
