"""Sandbox behaviour for workspaces, boards, columns and groups."""

from __future__ import annotations

import json
from typing import Any

import pytest

from boardops.model import STATUS_COLOR_IDS
from boardops.sandbox import Sandbox
from tests.conftest import GraphQL

CREATE_BOARD = """
mutation($name: String!, $ws: ID) {
  create_board(board_name: $name, board_kind: public, workspace_id: $ws) {
    id name board_kind state workspace_id
    columns { id title type }
    groups { id title color position }
  }
}"""

COLUMNS = """
query($b: [ID!]) { boards(ids: $b) { columns { id title type settings settings_str revision } } }
"""


def new_board(gql: GraphQL, name: str = "Roadmap", workspace: str | None = None) -> str:
    board_id: str = gql.data(CREATE_BOARD, name=name, ws=workspace)["create_board"]["id"]
    return board_id


def columns(gql: GraphQL, board_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = gql.data(COLUMNS, b=[board_id])["boards"][0]["columns"]
    return found


def groups(gql: GraphQL, board_id: str) -> list[dict[str, Any]]:
    query = "query($b: [ID!]) { boards(ids: $b) { groups { id title color position } } }"
    found: list[dict[str, Any]] = gql.data(query, b=[board_id])["boards"][0]["groups"]
    return found


# --- workspaces and boards ------------------------------------------------------------------


def test_created_workspace_has_a_numeric_string_id_and_is_listed(gql: GraphQL) -> None:
    created = gql.data(
        'mutation { create_workspace(name: "Eng", kind: open, description: "d") { id name kind } }'
    )["create_workspace"]
    assert created["id"].isdigit()
    listed = gql.data("{ workspaces { id name kind description state } }")["workspaces"]
    assert listed == [
        {"id": created["id"], "name": "Eng", "kind": "open", "description": "d", "state": "active"}
    ]


def test_new_board_has_the_name_column_and_monday_default_group(gql: GraphQL) -> None:
    board = gql.data(CREATE_BOARD, name="Roadmap", ws=None)["create_board"]
    assert board["id"].isdigit()
    assert board["workspace_id"] is None
    assert board["columns"] == [{"id": "name", "title": "Name", "type": "name"}]
    assert [(g["id"], g["title"]) for g in board["groups"]] == [("topics", "Group Title")]
    assert board["groups"][0]["color"].startswith("#")


def test_board_created_in_a_workspace_reports_it(gql: GraphQL) -> None:
    ws = gql.data('mutation { create_workspace(name: "Eng", kind: open) { id } }')
    workspace_id = ws["create_workspace"]["id"]
    board_id = new_board(gql, workspace=workspace_id)
    query = "query($w: [ID]) { boards(workspace_ids: $w) { id workspace { id name } } }"
    found = gql.data(query, w=[workspace_id])["boards"]
    assert found == [{"id": board_id, "workspace": {"id": workspace_id, "name": "Eng"}}]


def test_board_in_unknown_workspace_is_refused(gql: GraphQL) -> None:
    error = gql.error(CREATE_BOARD, name="X", ws="424242")
    assert error["extensions"]["code"] == "ResourceNotFoundException"


def test_update_board_changes_name_and_returns_json(gql: GraphQL) -> None:
    board_id = new_board(gql)
    result = gql.data(
        "mutation($b: ID!) { update_board(board_id: $b, board_attribute: name, new_value: "
        '"Plan") }',
        b=board_id,
    )
    assert json.loads(result["update_board"])["success"] is True
    assert gql.data("{ boards { name } }")["boards"] == [{"name": "Plan"}]


def test_archived_and_deleted_boards_leave_the_active_list(gql: GraphQL) -> None:
    archived, deleted, kept = new_board(gql, "a"), new_board(gql, "d"), new_board(gql, "k")
    gql.data("mutation($b: ID!) { archive_board(board_id: $b) { id state } }", b=archived)
    gql.data("mutation($b: ID!) { delete_board(board_id: $b) { id } }", b=deleted)
    assert gql.data("{ boards { id } }")["boards"] == [{"id": kept}]
    by_state = gql.data("{ boards(state: archived) { id state } }")["boards"]
    assert by_state == [{"id": archived, "state": "archived"}]
    assert len(gql.data("{ boards(state: all) { id } }")["boards"]) == 3


def test_boards_are_paged_by_limit_and_page(gql: GraphQL) -> None:
    ids = [new_board(gql, f"b{n}") for n in range(5)]
    first = gql.data("{ boards(limit: 2, page: 1) { id } }")["boards"]
    third = gql.data("{ boards(limit: 2, page: 3) { id } }")["boards"]
    assert [b["id"] for b in first] == ids[:2]
    assert [b["id"] for b in third] == ids[4:]


def test_unknown_board_id_is_an_invalid_board_id_error(gql: GraphQL) -> None:
    error = gql.error(
        'mutation { create_group(board_id: 1, group_name: "G") { id } }',
    )
    assert error["extensions"]["code"] == "InvalidBoardIdException"
    assert error["path"] == ["create_group"]


# --- columns --------------------------------------------------------------------------------


def test_status_column_without_defaults_gets_monday_default_labels(gql: GraphQL) -> None:
    board_id = new_board(gql)
    gql.data(
        'mutation($b: ID!) { create_status_column(board_id: $b, title: "Status", id: "status")'
        " { id } }",
        b=board_id,
    )
    status = columns(gql, board_id)[1]
    labels = [
        (lb["id"], lb["label"], lb["color"], lb["is_done"]) for lb in status["settings"]["labels"]
    ]
    assert labels == [
        (0, "Working on it", "working_orange", False),
        (1, "Done", "done_green", True),
        (2, "Stuck", "stuck_red", False),
    ]
    legacy = json.loads(status["settings_str"])
    assert legacy["labels"] == {"0": "Working on it", "1": "Done", "2": "Stuck"}
    assert legacy["done_colors"] == [1]


def test_status_label_ids_are_their_colour_ids(gql: GraphQL) -> None:
    board_id = new_board(gql)
    gql.data(
        """mutation($b: ID!) { create_status_column(board_id: $b, title: "Stage", defaults: {
             labels: [{label: "New", color: sky, index: 0},
                      {label: "Shipped", color: grass_green, index: 1, is_done: true}]}
           ) { id } }""",
        b=board_id,
    )
    labels = columns(gql, board_id)[1]["settings"]["labels"]
    assert [(lb["id"], lb["label"]) for lb in labels] == [
        (STATUS_COLOR_IDS["sky"], "New"),
        (STATUS_COLOR_IDS["grass_green"], "Shipped"),
    ]


def test_a_colour_can_be_used_once_per_status_column(gql: GraphQL) -> None:
    board_id = new_board(gql)
    error = gql.error(
        """mutation($b: ID!) { create_status_column(board_id: $b, title: "S", defaults: {
             labels: [{label: "A", color: sky, index: 0}, {label: "B", color: sky, index: 1}]})
             { id } }""",
        b=board_id,
    )
    assert error["extensions"]["code"] == "InvalidArgumentException"


def test_create_column_accepts_typed_and_legacy_status_defaults(gql: GraphQL) -> None:
    board_id = new_board(gql)
    typed = {"labels": [{"label": "Go", "color": "done_green", "index": 0}]}
    legacy = json.dumps({"labels": {"2": "Blocked"}})
    gql.data(
        """mutation($b: ID!, $typed: JSON, $legacy: JSON) {
             a: create_column(board_id: $b, title: "A", column_type: status,
                              defaults: $typed) { id }
             b: create_column(board_id: $b, title: "B", column_type: status,
                              defaults: $legacy) { id }
           }""",
        b=board_id,
        typed=typed,
        legacy=legacy,
    )
    _, first, second = columns(gql, board_id)
    assert [(lb["id"], lb["label"]) for lb in first["settings"]["labels"]] == [(1, "Go")]
    assert [(lb["id"], lb["label"]) for lb in second["settings"]["labels"]] == [(2, "Blocked")]


def test_custom_column_ids_follow_monday_rules(gql: GraphQL) -> None:
    board_id = new_board(gql)
    create = (
        'mutation($b: ID!, $id: String) { create_column(board_id: $b, title: "T", '
        "column_type: text, id: $id) { id } }"
    )
    assert gql.data(create, b=board_id, id="notes")["create_column"]["id"] == "notes"
    for bad in ("Notes", "notes2", "a" * 21, "notes"):
        error = gql.error(create, b=board_id, id=bad)
        assert error["extensions"]["code"] == "InvalidArgumentException", bad


def test_deleted_column_ids_cannot_be_reused(gql: GraphQL) -> None:
    board_id = new_board(gql)
    create = (
        'mutation($b: ID!) { create_column(board_id: $b, title: "T", column_type: text, '
        'id: "notes") { id } }'
    )
    gql.data(create, b=board_id)
    gql.data(
        'mutation($b: ID!) { delete_column(board_id: $b, column_id: "notes") { id } }', b=board_id
    )
    assert gql.error(create, b=board_id)["extensions"]["code"] == "InvalidArgumentException"


def test_after_column_id_places_the_new_column(gql: GraphQL) -> None:
    board_id = new_board(gql)
    make = (
        "mutation($b: ID!, $id: String!, $after: ID) { create_column(board_id: $b, title: $id, "
        "column_type: text, id: $id, after_column_id: $after) { id } }"
    )
    gql.data(make, b=board_id, id="first", after=None)
    gql.data(make, b=board_id, id="last", after=None)
    gql.data(make, b=board_id, id="middle", after="first")
    assert [c["id"] for c in columns(gql, board_id)] == ["name", "first", "middle", "last"]


def test_name_column_cannot_be_deleted(gql: GraphQL) -> None:
    board_id = new_board(gql)
    error = gql.error(
        'mutation($b: ID!) { delete_column(board_id: $b, column_id: "name") { id } }', b=board_id
    )
    assert error["extensions"]["code"] == "InvalidArgumentException"


def test_every_column_change_makes_a_new_revision(gql: GraphQL) -> None:
    board_id = new_board(gql)
    gql.data(
        'mutation($b: ID!) { create_column(board_id: $b, title: "T", column_type: text, id: "t")'
        " { id } }",
        b=board_id,
    )
    first = columns(gql, board_id)[1]["revision"]
    gql.data(
        'mutation($b: ID!) { change_column_title(board_id: $b, column_id: "t", title: "U") '
        "{ id } }",
        b=board_id,
    )
    second = columns(gql, board_id)[1]["revision"]
    gql.data(
        'mutation($b: ID!) { change_column_metadata(board_id: $b, column_id: "t", '
        'column_property: description, value: "why") { id description } }',
        b=board_id,
    )
    third = columns(gql, board_id)[1]
    assert len({first, second, third["revision"]}) == 3
    assert third["title"] == "U"


UPDATE_STATUS = """
mutation($b: ID!, $rev: String!, $labels: [UpdateStatusLabelInput!]!) {
  update_status_column(board_id: $b, id: "status", revision: $rev, settings: {labels: $labels}) {
    revision settings
  }
}"""


def status_board(gql: GraphQL) -> tuple[str, str]:
    board_id = new_board(gql)
    created = gql.data(
        'mutation($b: ID!) { create_status_column(board_id: $b, title: "S", id: "status") '
        "{ revision } }",
        b=board_id,
    )
    return board_id, created["create_status_column"]["revision"]


def test_update_status_column_renames_and_adds_labels(gql: GraphQL) -> None:
    board_id, revision = status_board(gql)
    labels = [
        {"id": 0, "label": "Doing", "color": "working_orange", "index": 0},
        {"id": 1, "label": "Done", "color": "done_green", "index": 1, "is_done": True},
        {"id": 2, "label": "Stuck", "color": "stuck_red", "index": 2},
        {"label": "Review", "color": "purple", "index": 3},
    ]
    updated = gql.data(UPDATE_STATUS, b=board_id, rev=revision, labels=labels)
    result = updated["update_status_column"]
    assert result["revision"] != revision
    assert [(lb["id"], lb["label"]) for lb in result["settings"]["labels"]] == [
        (0, "Doing"),
        (1, "Done"),
        (2, "Stuck"),
        (4, "Review"),
    ]


def test_updating_a_column_with_a_stale_revision_fails(gql: GraphQL) -> None:
    board_id, revision = status_board(gql)
    labels = [{"id": 0, "label": "Doing", "color": "working_orange", "index": 0}]
    labels += [{"id": 1, "label": "Done", "color": "done_green", "index": 1}]
    labels += [{"id": 2, "label": "Stuck", "color": "stuck_red", "index": 2}]
    gql.data(UPDATE_STATUS, b=board_id, rev=revision, labels=labels)
    error = gql.error(UPDATE_STATUS, b=board_id, rev=revision, labels=labels)
    assert error["extensions"]["code"] == "InvalidColumnRevisionException"
    assert error["extensions"]["status_code"] == 409
    assert error["extensions"]["error_data"]["current_revision"] != revision


UPDATE_DROPDOWN = """
mutation($b: ID!, $rev: String!, $labels: [UpdateDropdownLabelInput!]!) {
  update_dropdown_column(board_id: $b, id: "dd", revision: $rev, settings: {labels: $labels}) {
    revision settings
  }
}"""


def dropdown_board(gql: GraphQL, *names: str) -> tuple[str, str]:
    board_id = new_board(gql)
    created = gql.data(
        """mutation($b: ID!, $labels: [CreateDropdownLabelInput!]!) {
             create_dropdown_column(board_id: $b, title: "D", id: "dd",
                                    defaults: {labels: $labels}) { revision settings } }""",
        b=board_id,
        labels=[{"label": n} for n in names],
    )["create_dropdown_column"]
    assert [(lb["id"], lb["label"]) for lb in created["settings"]["labels"]] == list(
        enumerate(names, start=1)
    )
    return board_id, created["revision"]


def test_dropdown_update_replaces_the_full_label_list(gql: GraphQL) -> None:
    board_id, revision = dropdown_board(gql, "A", "B", "C")
    labels = [{"id": 1, "label": "A"}, {"id": 2, "label": "Bee"}, {"id": 3, "label": "C"}]
    labels.append({"label": "D"})
    result = gql.data(UPDATE_DROPDOWN, b=board_id, rev=revision, labels=labels)
    settings = result["update_dropdown_column"]["settings"]
    assert [(lb["id"], lb["label"]) for lb in settings["labels"]] == [
        (1, "A"),
        (2, "Bee"),
        (3, "C"),
        (4, "D"),
    ]


def test_dropdown_update_deletes_at_most_one_label(gql: GraphQL) -> None:
    board_id, revision = dropdown_board(gql, "A", "B", "C")
    error = gql.error(UPDATE_DROPDOWN, b=board_id, rev=revision, labels=[{"id": 1, "label": "A"}])
    assert "at most one" in error["message"]
    ok = gql.data(
        UPDATE_DROPDOWN,
        b=board_id,
        rev=revision,
        labels=[{"id": 1, "label": "A"}, {"id": 2, "label": "B"}],
    )
    labels = ok["update_dropdown_column"]["settings"]["labels"]
    assert [lb["id"] for lb in labels] == [1, 2]


def test_dropdown_update_cannot_add_and_delete_together(gql: GraphQL) -> None:
    board_id, revision = dropdown_board(gql, "A", "B")
    error = gql.error(
        UPDATE_DROPDOWN,
        b=board_id,
        rev=revision,
        labels=[{"id": 1, "label": "A"}, {"label": "New"}],
    )
    assert "add and delete" in error["message"]


def test_dropdown_labels_can_be_deactivated_and_ids_are_never_reused(gql: GraphQL) -> None:
    board_id, revision = dropdown_board(gql, "A", "B")
    first = gql.data(
        UPDATE_DROPDOWN,
        b=board_id,
        rev=revision,
        labels=[{"id": 1, "label": "A", "is_deactivated": True}],
    )["update_dropdown_column"]
    assert first["settings"]["labels"] == [{"id": 1, "label": "A", "is_deactivated": True}]
    second = gql.data(
        UPDATE_DROPDOWN,
        b=board_id,
        rev=first["revision"],
        labels=[{"id": 1, "label": "A"}, {"label": "C"}],
    )["update_dropdown_column"]
    assert [lb["id"] for lb in second["settings"]["labels"]] == [1, 3]


# --- groups ---------------------------------------------------------------------------------


def test_new_groups_go_to_the_top_unless_positioned(gql: GraphQL) -> None:
    board_id = new_board(gql)
    make = (
        "mutation($b: ID!, $name: String!, $rel: String, $how: PositionRelative) { "
        "create_group(board_id: $b, group_name: $name, relative_to: $rel, "
        "position_relative_method: $how) { id } }"
    )
    first = gql.data(make, b=board_id, name="First", rel=None, how=None)["create_group"]["id"]
    gql.data(make, b=board_id, name="Second", rel=None, how=None)
    gql.data(make, b=board_id, name="After first", rel=first, how="after_at")
    gql.data(make, b=board_id, name="Before topics", rel="topics", how="before_at")
    found = groups(gql, board_id)
    assert [g["title"] for g in found] == [
        "Second",
        "First",
        "After first",
        "Before topics",
        "Group Title",
    ]
    positions = [float(g["position"]) for g in found]
    assert positions == sorted(positions)


def test_group_colour_is_a_hex_string(gql: GraphQL) -> None:
    board_id = new_board(gql)
    made = gql.data(
        'mutation($b: ID!) { create_group(board_id: $b, group_name: "G", group_color: "#FF642E")'
        " { color } }",
        b=board_id,
    )
    assert made["create_group"]["color"] == "#ff642e"
    error = gql.error(
        'mutation($b: ID!) { create_group(board_id: $b, group_name: "G", group_color: "red")'
        " { color } }",
        b=board_id,
    )
    assert error["extensions"]["code"] == "InvalidArgumentException"


def test_update_group_changes_title_colour_and_order(gql: GraphQL) -> None:
    board_id = new_board(gql)
    new_id = gql.data(
        'mutation($b: ID!) { create_group(board_id: $b, group_name: "New") { id } }', b=board_id
    )["create_group"]["id"]
    update = (
        "mutation($b: ID!, $g: String!, $attr: GroupAttributes!, $v: String!) { "
        "update_group(board_id: $b, group_id: $g, group_attribute: $attr, new_value: $v) "
        "{ id title color } }"
    )
    gql.data(update, b=board_id, g=new_id, attr="title", v="Renamed")
    gql.data(update, b=board_id, g=new_id, attr="color", v="#00c875")
    gql.data(update, b=board_id, g=new_id, attr="relative_position_after", v="topics")
    found = groups(gql, board_id)
    assert [(g["id"], g["title"], g["color"]) for g in found][1] == (new_id, "Renamed", "#00c875")
    assert found[0]["id"] == "topics"


@pytest.mark.parametrize("mutation", ["delete_group", "archive_group"])
def test_deleting_the_last_group_is_refused(gql: GraphQL, mutation: str) -> None:
    board_id = new_board(gql)
    error = gql.error(
        f'mutation($b: ID!) {{ {mutation}(board_id: $b, group_id: "topics") {{ id }} }}',
        b=board_id,
    )
    assert error["extensions"]["code"] == "DeleteLastGroupException"
    assert error["extensions"]["status_code"] == 409
    assert error["path"] == [mutation]


def test_deleted_group_disappears_and_takes_its_items(gql: GraphQL, sandbox: Sandbox) -> None:
    board_id = new_board(gql)
    other = gql.data(
        'mutation($b: ID!) { create_group(board_id: $b, group_name: "Old") { id } }', b=board_id
    )["create_group"]["id"]
    gql.data(
        'mutation($b: ID!, $g: String) { create_item(board_id: $b, group_id: $g, item_name: "x") '
        "{ id } }",
        b=board_id,
        g=other,
    )
    deleted = gql.data(
        "mutation($b: ID!, $g: String!) { delete_group(board_id: $b, group_id: $g) "
        "{ id deleted } }",
        b=board_id,
        g=other,
    )
    assert deleted["delete_group"] == {"id": other, "deleted": True}
    assert [g["id"] for g in groups(gql, board_id)] == ["topics"]
    assert [i.state for i in sandbox.state.board(board_id).items] == ["deleted"]


def test_workspaces_can_be_renamed_and_deleted(gql: GraphQL) -> None:
    workspace_id = gql.data('mutation { create_workspace(name: "Eng", kind: open) { id } }')[
        "create_workspace"
    ]["id"]
    renamed = gql.data(
        'mutation($w: ID) { update_workspace(id: $w, attributes: {name: "R&D"}) { name } }',
        w=workspace_id,
    )
    assert renamed["update_workspace"] == {"name": "R&D"}
    gql.data("mutation($w: ID!) { delete_workspace(workspace_id: $w) { id } }", w=workspace_id)
    assert gql.data("{ workspaces { id } }")["workspaces"] == []


def test_update_column_changes_title_and_description_under_revision(gql: GraphQL) -> None:
    board_id = new_board(gql)
    revision = gql.data(
        'mutation($b: ID!) { create_column(board_id: $b, title: "T", column_type: text, id: "t")'
        " { revision } }",
        b=board_id,
    )["create_column"]["revision"]
    update = (
        'mutation($b: ID!, $r: String!) { update_column(board_id: $b, id: "t", revision: $r, '
        'column_type: text, title: "Notes", description: "free text") { title description } }'
    )
    assert gql.data(update, b=board_id, r=revision)["update_column"] == {
        "title": "Notes",
        "description": "free text",
    }
    assert gql.error(update, b=board_id, r=revision)["extensions"]["status_code"] == 409


def test_mutations_can_ask_for_their_complexity(gql: GraphQL) -> None:
    result = gql.data(
        'mutation { complexity { query before after } create_workspace(name: "W", kind: open)'
        " { id } }"
    )
    report = result["complexity"]
    assert report["after"] == report["before"] - report["query"]


def test_dropdown_ids_are_not_reused_after_deleting_the_highest(gql: GraphQL) -> None:
    board_id = new_board(gql)
    created = gql.data(
        """mutation($b: ID!, $d: JSON) { create_column(board_id: $b, title: "D", id: "dd",
             column_type: dropdown, defaults: $d) { revision } }""",
        b=board_id,
        d={"labels": [{"label": "A"}, {"label": "B"}]},
    )["create_column"]
    dropped = gql.data(
        UPDATE_DROPDOWN, b=board_id, rev=created["revision"], labels=[{"id": 1, "label": "A"}]
    )["update_dropdown_column"]
    added = gql.data(
        UPDATE_DROPDOWN,
        b=board_id,
        rev=dropped["revision"],
        labels=[{"id": 1, "label": "A"}, {"label": "C"}],
    )["update_dropdown_column"]
    assert [(lb["id"], lb["label"]) for lb in added["settings"]["labels"]] == [(1, "A"), (3, "C")]


def test_archived_group_hides_with_its_items(gql: GraphQL, sandbox: Sandbox) -> None:
    board_id = new_board(gql)
    gql.data(
        'mutation($b: ID!) { create_item(board_id: $b, group_id: "topics", item_name: "x") '
        "{ id } }",
        b=board_id,
    )
    gql.data(
        'mutation($b: ID!) { create_group(board_id: $b, group_name: "Keep") { id } }', b=board_id
    )
    archived = gql.data(
        'mutation($b: ID!) { archive_group(board_id: $b, group_id: "topics") { id archived } }',
        b=board_id,
    )
    assert archived["archive_group"] == {"id": "topics", "archived": True}
    assert [g["title"] for g in groups(gql, board_id)] == ["Keep"]
    assert [i.state for i in sandbox.state.board(board_id).items] == ["archived"]
