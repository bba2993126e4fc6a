"""`boardops export`: live boards -> a manifest that plans no changes against them.

The boards here are built straight through the sandbox's GraphQL API with monday's wire
forms written by hand (never through boardops' codec or apply), the way a team's boards
exist before they adopt boardops.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from boardops.cli import main
from boardops.codec import MANAGED_COLUMN_TYPES
from boardops.errors import ExportError
from boardops.export import export, render_manifest
from boardops.live import read_live
from boardops.manifest import load_manifests, validate_paths
from boardops.model import Board, Column, Group, Item, ItemSet, LiveState
from boardops.monday import ApiToken, MondayClient
from boardops.plan import Plan, UpdateItem, build_plan
from boardops.sandbox import BASE_URL, open_sandbox
from tests.conftest import GraphQL

STATUS_LABELS = [
    {"label": "To do", "color": "american_gray", "index": 0},
    {"label": "Working on it", "color": "working_orange", "index": 1},
    {"label": "Done", "color": "done_green", "index": 2, "is_done": True},
    {"label": "Stuck", "color": "stuck_red", "index": 3, "description": "Needs help"},
]


@pytest.fixture
def client(sandbox_http: httpx.Client) -> MondayClient:
    return MondayClient(sandbox_http, ApiToken("sandbox"), api_url=BASE_URL)


def mutate(gql: GraphQL, document: str, **variables: Any) -> Any:
    data = gql.data(document, **variables)
    (value,) = data.values()
    return value


def create_board(gql: GraphQL, name: str, workspace: str | None = None, **extra: Any) -> str:
    board = mutate(
        gql,
        "mutation($n: String!, $w: ID, $d: String) {"
        " create_board(board_name: $n, board_kind: public, workspace_id: $w, description: $d)"
        " { id } }",
        n=name,
        w=workspace,
        d=extra.get("description"),
    )
    return str(board["id"])


def create_column(
    gql: GraphQL, board: str, column_type: str, title: str, column_id: str | None = None
) -> str:
    column = mutate(
        gql,
        "mutation($b: ID!, $t: String!, $i: String, $c: ColumnType!) {"
        " create_column(board_id: $b, title: $t, id: $i, column_type: $c) { id } }",
        b=board,
        t=title,
        i=column_id,
        c=column_type,
    )
    return str(column["id"])


def create_item(
    gql: GraphQL, board: str, name: str, values: dict[str, Any], group: str | None = None
) -> str:
    item = mutate(
        gql,
        "mutation($b: ID!, $n: String!, $g: String, $v: JSON) {"
        " create_item(board_id: $b, item_name: $n, group_id: $g, column_values: $v) { id } }",
        b=board,
        n=name,
        g=group,
        v=json.dumps(values),
    )
    return str(item["id"])


def build_tracker(gql: GraphQL) -> str:
    """A board as people build it in the UI: auto column ids next to custom ones, the
    default group renamed, coloured groups, an unmanaged formula column and items holding
    values of every managed column type, written in monday's wire forms."""
    workspace = mutate(
        gql,
        'mutation { create_workspace(name: "Operations", kind: closed,'
        ' description: "Ops team") { id } }',
    )["id"]
    board = create_board(gql, "Ops tracker", str(workspace), description="Everything ops")
    mutate(
        gql,
        "mutation($b: ID!, $d: CreateStatusColumnSettingsInput) {"
        ' create_status_column(board_id: $b, id: "state", title: "State", defaults: $d)'
        " { id } }",
        b=board,
        d={"labels": STATUS_LABELS},
    )
    team = mutate(
        gql,
        "mutation($b: ID!, $d: CreateDropdownColumnSettingsInput) {"
        ' create_dropdown_column(board_id: $b, title: "Team", defaults: $d) { id } }',
        b=board,
        d={"labels": [{"label": "Platform"}, {"label": "Mobile"}, {"label": "Web"}]},
    )["id"]
    ids = {"state": "state", "team": str(team)}
    for column_type in MANAGED_COLUMN_TYPES:
        # Links name items of connected boards: tests/test_relation_values.py exports them.
        if column_type in ("status", "dropdown", "board_relation", "dependency"):
            continue
        # Half the columns get custom ids, the others monday's generated ones.
        custom = column_type if column_type in ("text", "email", "date", "people") else None
        ids[column_type] = create_column(
            gql, board, column_type, column_type.replace("_", " ").title(), custom
        )
    create_column(gql, board, "formula", "Total cost")
    mutate(
        gql,
        'mutation($b: ID!) { update_group(board_id: $b, group_id: "topics",'
        ' group_attribute: title, new_value: "Inbox") { id } }',
        b=board,
    )
    doing = mutate(
        gql,
        'mutation($b: ID!) { create_group(board_id: $b, group_name: "Doing",'
        ' group_color: "#fdab3d") { id } }',
        b=board,
    )["id"]
    tags = [
        mutate(
            gql,
            "mutation($b: ID, $n: String) { create_or_get_tag(board_id: $b, tag_name: $n) { id } }",
            b=board,
            n=name,
        )["id"]
        for name in ("urgent", "q4")
    ]
    create_item(
        gql,
        board,
        "Renew TLS certificates",
        {
            ids["state"]: {"index": 2},
            ids["team"]: {"labels": ["Web", "Platform"]},
            ids["text"]: "OPS-1",
            ids["long_text"]: {"text": "Both load balancers.\nThen the CDN."},
            ids["numbers"]: "12.50",
            ids["date"]: {"date": "2026-12-01", "time": "09:30:00"},
            ids["people"]: {"personsAndTeams": [{"id": 10000002, "kind": "person"}]},
            ids["email"]: {"email": "Ops@Example.com", "text": "Ops desk"},
            ids["link"]: {"url": "https://status.example.com", "text": "Status page"},
            ids["phone"]: {"phone": "+4930901820", "countryShortName": "DE"},
            ids["checkbox"]: {"checked": "true"},
            ids["timeline"]: {"from": "2026-11-30", "to": "2026-12-04"},
            ids["rating"]: {"rating": 4},
            ids["tags"]: {"tag_ids": [int(t) for t in tags]},
            ids["country"]: {"countryCode": "NO", "countryName": "Norway"},
            ids["hour"]: {"hour": 9, "minute": 5},
            ids["week"]: {"week": {"startDate": "2026-11-23", "endDate": "2026-11-29"}},
            ids["world_clock"]: {"timezone": "Europe/Oslo"},
            ids["location"]: {"lat": "59.91", "lng": "10.75", "address": "Oslo"},
            ids["color_picker"]: {"color": {"hex": "#FF8800"}},
        },
    )
    create_item(
        gql,
        board,
        "Rotate on-call",
        {
            ids["state"]: {"index": 1},
            ids["text"]: "OPS-2",
            ids["link"]: {"url": "https://wiki.example.com/oncall"},
            ids["people"]: {
                "personsAndTeams": [
                    {"id": 10000003, "kind": "person"},
                    {"id": 10000001, "kind": "person"},
                ]
            },
        },
        group=str(doing),
    )
    create_item(
        gql,
        board,
        "Yes",  # YAML 1.1 would read it as true; the manifest must keep it a name
        {ids["text"]: "OPS-3", ids["country"]: {"countryCode": "NO", "countryName": "Norway"}},
    )
    return board


def plan_against(client: MondayClient, manifest: Path) -> Plan:
    desired = load_manifests([manifest])
    return build_plan(desired, read_live(client, desired))


def write(tmp_path: Path, text: str, name: str = "exported.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_board_built_by_hand_exports_to_a_manifest_that_plans_no_changes(
    gql: GraphQL, client: MondayClient, tmp_path: Path
) -> None:
    board = build_tracker(gql)
    manifest = write(tmp_path, export(client, boards=[board], with_items=True))

    plan = plan_against(client, manifest)

    assert plan.actions == ()
    assert plan.warnings == ()
    assert [(u.address, u.kind) for u in plan.unmanaged] == [
        ("board.ops-tracker.column." + formula_id(gql, board), "column")
    ]


def formula_id(gql: GraphQL, board: str) -> str:
    columns = gql.data("query($b: [ID!]) { boards(ids: $b) { columns { id type } } }", b=[board])
    return str(next(c["id"] for c in columns["boards"][0]["columns"] if c["type"] == "formula"))


def test_the_export_is_a_valid_manifest_and_the_same_text_every_time(
    gql: GraphQL, client: MondayClient, tmp_path: Path
) -> None:
    board = build_tracker(gql)
    first = export(client, boards=[board], with_items=True)
    second = export(client, boards=["Ops tracker"], with_items=True)

    assert first == second
    state, errors = validate_paths([write(tmp_path, first)])
    assert errors == []
    assert state is not None
    assert [b.name for b in state.boards] == ["Ops tracker"]
    assert [w.name for w in state.workspaces] == ["Operations"]


def test_custom_and_generated_column_ids_are_both_pinned(
    gql: GraphQL, client: MondayClient
) -> None:
    text = export(client, boards=[build_tracker(gql)])

    assert "- {id: text, title: Text, type: text}" in text
    assert re.search(r"- \{id: numbers_mk\w+, title: Numbers, type: numbers\}", text), text


def test_columns_boardops_cannot_manage_are_comments_that_say_why(
    gql: GraphQL, client: MondayClient
) -> None:
    board = build_tracker(gql)
    text = export(client, boards=[board])

    (line,) = [line for line in text.splitlines() if "Total cost" in line]
    assert line.strip().startswith("# Left out: 'Total cost' (formula")
    assert "computed from a formula" in line


def test_item_values_are_written_in_human_form(gql: GraphQL, client: MondayClient) -> None:
    text = export(client, boards=[build_tracker(gql)], with_items=True)

    assert "            people: [alice@example.com, carol@example.com]" in text
    assert "            Link: 'https://wiki.example.com/oncall'" in text  # text == url: bare
    assert "            email: {email: ops@example.com, text: Ops desk}" in text
    assert "            Numbers: '12.5'" in text
    assert '            Long Text: "Both load balancers.\\nThen the CDN."' in text
    assert "        - name: 'Yes'" in text


def test_groups_keep_their_order_ids_and_colours_and_items_name_their_group(
    gql: GraphQL, client: MondayClient
) -> None:
    board = build_tracker(gql)
    create_item(gql, board, "Triage alerts", {"text": "OPS-4"}, group="topics")
    text = export(client, boards=[board], with_items=True)

    groups = [
        line.strip() for line in text.splitlines() if "id: topics" in line or "#fdab3d" in line
    ]
    assert groups == [
        "- {key: doing, title: Doing, id: group_mk000001, color: '#fdab3d'}",
        "- {key: inbox, title: Inbox, id: topics, color: '#579bfc'}",
    ]
    after = text.split("- name: Triage alerts\n", 1)[1]
    assert after.startswith("          group: inbox\n")  # not the first group: named
    assert "- name: Rotate on-call\n          values:" in text  # the first group: implied


def test_a_new_board_with_monday_defaults_round_trips(
    gql: GraphQL, client: MondayClient, tmp_path: Path
) -> None:
    board = create_board(gql, "Fresh")
    create_column(gql, board, "status", "Status")
    manifest = write(tmp_path, export(client, boards=[board], with_items=True))

    plan = plan_against(client, manifest)

    assert plan.actions == ()
    assert plan.unmanaged == ()
    assert "- {key: group-title, title: Group Title, id: topics" in manifest.read_text()
    assert "      rows: []" in manifest.read_text()


def test_match_by_a_column_identifies_items_by_it(
    gql: GraphQL, client: MondayClient, tmp_path: Path
) -> None:
    board = build_tracker(gql)
    manifest = write(tmp_path, export(client, boards=[board], with_items=True, match_by=["Text"]))
    assert "      match_by: [text]\n" in manifest.read_text()
    assert plan_against(client, manifest).actions == ()

    item = gql.data(
        "query($b: [ID!]) { boards(ids: $b) { items_page { items { id name } } } }", b=[board]
    )["boards"][0]["items_page"]["items"][0]
    mutate(
        gql,
        "mutation($b: ID!, $i: ID!) { change_simple_column_value(board_id: $b, item_id: $i,"
        ' column_id: "name", value: "Renamed in the UI") { id } }',
        b=board,
        i=item["id"],
    )
    (action,) = plan_against(client, manifest).actions
    assert isinstance(action, UpdateItem)
    assert action.address == "board.ops-tracker.item[OPS-1]"


@pytest.mark.parametrize(
    ("match_by", "message"),
    [
        (["People"], "a people column cannot identify items"),
        (["Nope"], "--match-by 'Nope': no such column on this board"),
        (["Total cost"], "--match-by 'Total cost': no such column"),  # unmanaged: not exported
    ],
)
def test_match_by_must_name_an_exported_column_that_can_identify_items(
    gql: GraphQL, client: MondayClient, match_by: list[str], message: str
) -> None:
    board = build_tracker(gql)
    with pytest.raises(ExportError, match=message):
        export(client, boards=[board], with_items=True, match_by=match_by)


def test_items_sharing_their_match_key_stop_the_export_and_suggest_match_by(
    gql: GraphQL, client: MondayClient
) -> None:
    board = build_tracker(gql)
    create_item(gql, board, "Rotate on-call", {"text": "OPS-9"})

    with pytest.raises(ExportError, match=r"same match key .* pass --match-by"):
        export(client, boards=[board], with_items=True)
    assert "OPS-9" in export(client, boards=[board], with_items=True, match_by=["text"])


def test_an_item_without_a_value_in_the_match_column_stops_the_export(
    gql: GraphQL, client: MondayClient
) -> None:
    board = build_tracker(gql)
    create_item(gql, board, "No ticket", {})

    with pytest.raises(ExportError, match="has no value in the match column 'text'"):
        export(client, boards=[board], with_items=True, match_by=["text"])


def test_deactivated_labels_and_the_values_using_them_are_left_out_with_a_comment(
    gql: GraphQL, client: MondayClient, tmp_path: Path
) -> None:
    board = build_tracker(gql)
    column = gql.data(
        'query($b: [ID!]) { boards(ids: $b) { columns(ids: ["state"]) { revision } } }',
        b=[board],
    )["boards"][0]["columns"][0]
    labels = [
        {**label, "id": index, "is_deactivated": label["label"] == "Stuck"}
        for index, label in zip((17, 0, 1, 2), STATUS_LABELS, strict=True)
    ]
    mutate(
        gql,
        "mutation($b: ID!, $r: String!, $s: UpdateStatusColumnSettingsInput) {"
        ' update_status_column(board_id: $b, id: "state", revision: $r, settings: $s) { id } }',
        b=board,
        r=column["revision"],
        s={"labels": labels},
    )
    manifest = write(tmp_path, export(client, boards=[board], with_items=True))
    text = manifest.read_text()

    assert "        # Left out: label 'Stuck', deactivated on monday." in text
    assert "label 'Stuck' is not an active label of the column" in text
    assert "state: Stuck" not in text
    assert plan_against(client, manifest).actions == ()


def test_every_board_of_a_workspace_is_exported_and_nothing_else(
    gql: GraphQL, client: MondayClient, tmp_path: Path
) -> None:
    build_tracker(gql)
    workspace = gql.data("{ workspaces { id name } }")["workspaces"]
    operations = next(w["id"] for w in workspace if w["name"] == "Operations")
    create_board(gql, "On-call rota", operations)
    create_board(gql, "Elsewhere")
    manifest = write(tmp_path, export(client, workspaces=["Operations"]))

    state = load_manifests([manifest])
    assert sorted(b.name for b in state.boards) == ["On-call rota", "Ops tracker"]
    assert {b.workspace for b in state.boards} == {"operations"}
    assert plan_against(client, manifest).actions == ()


def test_two_columns_sharing_a_title_stop_the_export(gql: GraphQL, client: MondayClient) -> None:
    board = create_board(gql, "Twins")
    create_column(gql, board, "text", "Notes")
    create_column(gql, board, "long_text", "Notes")

    with pytest.raises(ExportError, match="2 columns are titled 'Notes'"):
        export(client, boards=[board])


# What a monday user could type into a board to have the next plan read a variable.
PLANTED = ("${env:BOARDOPS_VAR_X}", "${env:HOME}")


def build_planted_board(gql: GraphQL) -> str:
    """A board whose every text a manifest holds (names, titles, labels, descriptions and
    each part of a structured value) carries an ``${env:...}`` reference."""
    one, other = PLANTED
    both = f"{one} and {other}"
    workspace = mutate(
        gql,
        "mutation($n: String!, $d: String) {"
        " create_workspace(name: $n, kind: open, description: $d) { id } }",
        n=f"Team {one}",
        d=both,
    )["id"]
    board = create_board(gql, f"Costs in {one}", str(workspace), description=both)
    mutate(
        gql,
        "mutation($b: ID!, $t: String!, $d: CreateStatusColumnSettingsInput) {"
        ' create_status_column(board_id: $b, id: "state", title: $t, defaults: $d) { id } }',
        b=board,
        t=f"State {other}",
        d={
            "labels": [
                {"label": one, "color": "done_green", "index": 0},
                {"label": other, "color": "stuck_red", "index": 1},
            ]
        },
    )
    mutate(
        gql,
        "mutation($b: ID!, $d: CreateDropdownColumnSettingsInput) {"
        ' create_dropdown_column(board_id: $b, id: "area", title: "Area", defaults: $d) { id } }',
        b=board,
        d={"labels": [{"label": one}, {"label": other}]},
    )
    for column_type in ("text", "long_text", "link", "email", "location"):
        create_column(gql, board, column_type, f"{column_type} {other}", column_type)
    tag = mutate(
        gql,
        "mutation($b: ID, $n: String) { create_or_get_tag(board_id: $b, tag_name: $n) { id } }",
        b=board,
        n=one,
    )["id"]
    create_column(gql, board, "tags", "Tags", "tags")
    group = mutate(
        gql,
        "mutation($b: ID!, $n: String!) { create_group(board_id: $b, group_name: $n) { id } }",
        b=board,
        n=f"Group {other}",
    )["id"]
    create_item(
        gql,
        board,
        f"Item {one}",
        {
            "state": {"label": one},
            "area": {"labels": [one, other]},
            "text": both,
            "long_text": {"text": f"{one}\n{other}"},
            "link": {"url": "https://example.com/${env:HOME}", "text": f"Docs {one}"},
            "email": {"email": "ops@example.com", "text": f"Desk {other}"},
            "location": {"lat": "59.91", "lng": "10.75", "address": f"Street {one}"},
            "tags": {"tag_ids": [int(tag)]},
        },
        group=str(group),
    )
    return board


def test_export_escapes_env_references_everywhere_and_nothing_is_interpolated(
    gql: GraphQL, client: MondayClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sentinel = "s3ntinel-" + secrets.token_hex(8)
    monkeypatch.setenv("BOARDOPS_VAR_X", sentinel)
    monkeypatch.setenv("HOME", sentinel)
    board = build_planted_board(gql)

    text = export(client, boards=[board], with_items=True)
    manifest = write(tmp_path, text)

    assert sentinel not in text
    assert re.search(r"(?<!\$)\$\{env:", text) is None  # every reference written $${env:
    assert text.count("$${env:") >= 20
    state = load_manifests([manifest])
    assert sentinel not in repr(state)
    (loaded,) = state.boards
    assert loaded.name == "Costs in ${env:BOARDOPS_VAR_X}"
    assert state.workspaces[0].description == " and ".join(PLANTED)
    assert [label.label for label in loaded.columns[0].status_labels] == list(PLANTED)
    assert "Group ${env:HOME}" in [group.title for group in loaded.groups]
    assert loaded.items is not None
    (item,) = loaded.items.rows
    assert item.name == "Item ${env:BOARDOPS_VAR_X}"
    assert item.values["link"] == {
        "url": "https://example.com/${env:HOME}",
        "text": "Docs ${env:BOARDOPS_VAR_X}",
    }
    assert item.values["email"] == {"email": "ops@example.com", "text": "Desk ${env:HOME}"}
    assert isinstance(item.values["location"], dict)
    assert item.values["location"]["address"] == "Street ${env:BOARDOPS_VAR_X}"
    assert item.values["long_text"] == "${env:BOARDOPS_VAR_X}\n${env:HOME}"
    assert item.values["tags"] == ["${env:boardops_var_x}"]  # tag names are lower-case
    plan = plan_against(client, manifest)
    assert plan.actions == ()
    assert sentinel not in json.dumps(plan.to_dict())


def test_export_and_plan_from_the_command_line(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    sandbox = open_sandbox(state)
    with httpx.Client(
        transport=sandbox.transport(), base_url=BASE_URL, headers={"Authorization": "x"}
    ) as http:
        build_tracker(GraphQL(http))
    runner = CliRunner(env={"MONDAY_API_TOKEN": None, "NO_COLOR": "1"})
    out = tmp_path / "boards" / "ops.yaml"

    exported = runner.invoke(
        main,
        [
            "export",
            "--board",
            "Ops tracker",
            "--items",
            "--match-by",
            "text",
            "-o",
            str(out),
            f"--sandbox={state}",
        ],
    )
    planned = runner.invoke(main, ["plan", str(out), f"--sandbox={state}", "--detailed-exitcode"])

    assert exported.exit_code == 0, exported.output
    assert exported.output == ""
    assert planned.exit_code == 0, planned.output
    assert "No changes" in planned.output


def test_export_needs_a_board_or_workspace_and_match_by_needs_items(tmp_path: Path) -> None:
    runner = CliRunner(env={"MONDAY_API_TOKEN": None})
    state = f"--sandbox={tmp_path / 's.json'}"

    nothing = runner.invoke(main, ["export", state])
    no_items = runner.invoke(main, ["export", "--board", "1", "--match-by", "text", state])

    assert nothing.exit_code == 1
    assert "--board or --workspace" in nothing.output
    assert no_items.exit_code == 1
    assert "add --items" in no_items.output


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_every_example_applied_to_the_sandbox_exports_to_a_manifest_that_plans_no_changes(
    tmp_path: Path,
) -> None:
    runner = CliRunner(env={"MONDAY_API_TOKEN": None, "NO_COLOR": "1"})
    state = f"--sandbox={tmp_path / 'sandbox.json'}"
    applied = runner.invoke(main, ["apply", str(EXAMPLES), "--auto-approve", state])
    assert applied.exit_code == 0, applied.output

    desired = load_manifests([EXAMPLES])
    assert len(desired.boards) >= 4
    for board in desired.boards:
        assert board.items is not None
        match_by = list(board.items.match_by)
        out = tmp_path / f"{board.key}.yaml"
        exported = runner.invoke(
            main,
            ["export", "--board", board.name, "--items", "-o", str(out), state]
            + [arg for key in match_by for arg in ("--match-by", key)],
        )
        assert exported.exit_code == 0, exported.output
        planned = runner.invoke(main, ["plan", str(out), state, "--detailed-exitcode"])
        assert planned.exit_code == 0, f"{board.key}:\n{planned.output}"


def test_match_by_per_board_exports_every_example_at_once_to_a_manifest_that_plans_no_changes(
    tmp_path: Path,
) -> None:
    runner = CliRunner(env={"MONDAY_API_TOKEN": None, "NO_COLOR": "1"})
    state = f"--sandbox={tmp_path / 'sandbox.json'}"
    assert runner.invoke(main, ["apply", str(EXAMPLES), "--auto-approve", state]).exit_code == 0
    desired = load_manifests([EXAMPLES])
    keys = {board.name: board.items.match_by for board in desired.boards if board.items}
    (common,) = {key for key in keys.values() if list(keys.values()).count(key) > 1}
    own = [f"{name}={column}" for name, key in keys.items() if key != common for column in key]
    out = tmp_path / "all.yaml"

    exported = runner.invoke(
        main,
        ["export", "--items", "-o", str(out), state]
        + [arg for name in keys for arg in ("--board", name)]
        + [arg for column in common for arg in ("--match-by", column)]
        + [arg for spec in own for arg in ("--match-by", spec)],
    )
    planned = runner.invoke(main, ["plan", str(out), state, "--detailed-exitcode"])

    assert exported.exit_code == 0, exported.output
    assert planned.exit_code == 0, planned.output
    written = {b.name: b.items.match_by for b in load_manifests([out]).boards if b.items}
    assert written == keys


def test_match_by_board_id_applies_to_that_board_only(
    gql: GraphQL, client: MondayClient, tmp_path: Path
) -> None:
    tracker = build_tracker(gql)
    other = create_board(gql, "Other")
    create_column(gql, other, "text", "Text")

    text = export(client, boards=[tracker, other], with_items=True, match_by=[f"{tracker}=Text"])

    boards = {board.name: board for board in load_manifests([write(tmp_path, text)]).boards}
    assert boards["Ops tracker"].items is not None
    assert boards["Ops tracker"].items.match_by == ("text",)
    assert boards["Other"].items is not None
    assert boards["Other"].items.match_by == ("name",)


def test_match_by_a_board_that_is_not_exported_is_an_error_naming_it(
    gql: GraphQL, client: MondayClient
) -> None:
    board = build_tracker(gql)

    with pytest.raises(ExportError) as caught:
        export(client, boards=[board], with_items=True, match_by=["Roadmap=text"])

    assert "'Roadmap'" in str(caught.value)
    assert "not among the exported boards" in str(caught.value)


def test_an_empty_workspace_named_for_export_is_declared(
    gql: GraphQL, client: MondayClient, tmp_path: Path
) -> None:
    mutate(gql, 'mutation { create_workspace(name: "Design", kind: open) { id } }')
    manifest = write(tmp_path, export(client, workspaces=["Design"]))

    state = load_manifests([manifest])
    assert [(w.key, w.name) for w in state.workspaces] == [("design", "Design")]
    assert state.boards == ()
    assert plan_against(client, manifest).actions == ()


# --- what a manifest cannot hold, on boards the sandbox cannot build -------------------------


def live_board(**fields: Any) -> Board:
    base: dict[str, Any] = {
        "key": "b",
        "id": "1",
        "name": "Scores",
        "columns": (Column(title="Name", type="name", id="name"),),
        "groups": (Group(key="topics", id="topics", title="Main"),),
    }
    return Board(**{**base, **fields})


def test_a_value_the_manifest_cannot_declare_is_left_out_with_the_reason() -> None:
    # A rating column whose limit is 10: a manifest cannot declare the limit, so the
    # loader checks values against monday's default of 5.
    rating = Column(title="Score", type="rating", id="score", settings={"limit": 10})
    board = live_board(
        columns=(rating,),
        items=ItemSet(rows=(Item(name="Alpha", group="topics", values={"score": 8}, id="11"),)),
    )

    text = render_manifest(LiveState(boards={"b": board}), with_items=True)

    assert "score: 8" not in text
    assert "# Left out: 'score' = 8: a manifest cannot hold it (8 is out of range" in text


def test_an_item_outside_the_boards_groups_is_left_out() -> None:
    board = live_board(
        items=ItemSet(
            rows=(
                Item(name="Kept", group="topics", id="11"),
                Item(name="Stray", group="archived_group", id="12"),
            )
        )
    )

    text = render_manifest(LiveState(boards={"b": board}), with_items=True)

    assert "- name: Kept" in text
    assert "# Left out: item 12 ('Stray'): it is in no group of the board." in text


def test_two_boards_of_one_name_in_one_workspace_stop_the_export() -> None:
    boards = {
        "a": live_board(id="1", workspace_id="7"),
        "b": live_board(id="2", workspace_id="7"),
        "c": live_board(id="3", workspace_id=None),
    }

    with pytest.raises(ExportError, match="boards 1 and 2 are both named 'Scores'"):
        render_manifest(LiveState(boards=boards))


AWKWARD_TEXTS = [
    "a: b",
    "- x",
    "#tag",
    "'quoted'",
    '"double"',
    "yes",
    "null",
    "~",
    "1e3",
    "0x10",
    "007",
    "2026-12-01",
    "@at",
    "`tick`",
    "%pct",
    "!bang",
    "&anchor",
    "*alias",
    "[x]",
    "{x}",
    "a, b",
    " leading",
    "trailing ",
    "tab\there",
    "emoji 🚀",
    "ünïcödé",
    "line\nbreak",
    "para\u2028sep",
    "back\\slash",
    "? key",
    "a #b",
    "1_000",
    "True",
    "Null",
    "+1",
    "1.5",
    "12:30",
    "a@b.example",
    "${env:HOME} is not read",
    "$${env:HOME} neither",
    "$$${placeholder}$",
    "del\x7f nel\x85 bom\ufeff",
]


def test_names_and_texts_that_yaml_could_misread_survive_the_round_trip(
    gql: GraphQL, client: MondayClient, tmp_path: Path
) -> None:
    board = create_board(gql, "Awkward: names, & more")
    create_column(gql, board, "text", "Note: #1", "note")
    create_column(gql, board, "long_text", "- Details")
    for number, text in enumerate(AWKWARD_TEXTS):
        create_item(gql, board, f"{text} ({number})", {"note": text})
    manifest = write(tmp_path, export(client, boards=[board], with_items=True))

    state = load_manifests([manifest])
    (loaded,) = state.boards
    assert loaded.name == "Awkward: names, & more"
    assert loaded.items is not None
    assert [row.values["note"] for row in loaded.items.rows] == AWKWARD_TEXTS
    assert plan_against(client, manifest).actions == ()


def test_a_pinned_column_may_share_its_title_with_a_column_left_out(
    gql: GraphQL, client: MondayClient, tmp_path: Path
) -> None:
    board = create_board(gql, "Costs")
    create_column(gql, board, "numbers", "Total", "total")
    create_column(gql, board, "formula", "Total")
    manifest = write(tmp_path, export(client, boards=[board]))

    assert "- {id: total, title: Total, type: numbers}" in manifest.read_text()
    assert plan_against(client, manifest).actions == ()


def test_exporting_a_board_that_does_not_exist_fails_with_one_line(tmp_path: Path) -> None:
    runner = CliRunner(env={"MONDAY_API_TOKEN": None})

    out = tmp_path / "x.yaml"
    result = runner.invoke(
        main, ["export", "--board", "Nope", f"--sandbox={tmp_path / 's.json'}", "-o", str(out)]
    )

    assert result.exit_code == 1
    assert result.output == "error: no active board named 'Nope'\n"
    assert not out.exists()


def test_an_edit_to_the_exported_manifest_plans_exactly_that_edit(
    gql: GraphQL, client: MondayClient, tmp_path: Path
) -> None:
    board = build_tracker(gql)
    text = export(client, boards=[board], with_items=True)
    edited = text.replace("            state: Done\n", "            state: Stuck\n", 1)
    assert edited != text
    manifest = write(tmp_path, edited)

    (action,) = plan_against(client, manifest).actions

    assert isinstance(action, UpdateItem)
    assert action.address == "board.ops-tracker.item[Rotate on-call]"
    assert [(c.field, c.before, c.after) for c in action.changes] == [("state", "Done", "Stuck")]


def test_without_ids_the_export_rebuilds_the_boards_in_another_account(tmp_path: Path) -> None:
    source, target = tmp_path / "source.json", tmp_path / "target.json"
    sandbox = open_sandbox(source)
    with httpx.Client(
        transport=sandbox.transport(), base_url=BASE_URL, headers={"Authorization": "x"}
    ) as http:
        build_tracker(GraphQL(http))
    runner = CliRunner(env={"MONDAY_API_TOKEN": None, "NO_COLOR": "1"})
    out = tmp_path / "ops.yaml"

    exported = runner.invoke(
        main,
        [
            "export",
            "--workspace",
            "Operations",
            "--items",
            "--no-ids",
            "-o",
            str(out),
            f"--sandbox={source}",
        ],
    )
    assert exported.exit_code == 0, exported.output
    assert "id: '" not in out.read_text()  # no board, group or workspace id
    assert "id: topics" not in out.read_text()
    assert (
        runner.invoke(
            main, ["plan", str(out), f"--sandbox={source}", "--detailed-exitcode"]
        ).exit_code
        == 0
    )

    applied = runner.invoke(main, ["apply", str(out), "--auto-approve", f"--sandbox={target}"])
    assert applied.exit_code == 0, applied.output
    again = runner.invoke(main, ["plan", str(out), f"--sandbox={target}", "--detailed-exitcode"])
    assert again.exit_code == 0, again.output
