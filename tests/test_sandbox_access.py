"""Sandbox behaviour for access (README, Access): removing board members, the board's
basic role, and workspace members, as monday documents them."""

from __future__ import annotations

import pytest

from tests.conftest import BOTH_PROFILES, GraphQL
from tests.test_sandbox_members import new_board, subscriber_ids

profile = BOTH_PROFILES

BOB, CAROL = "10000002", "10000003"
PLATFORM, DESIGN = "30000001", "30000002"


def test_removing_users_and_teams_from_a_board_removes_owners_and_subscribers_alike(
    gql: GraphQL,
) -> None:
    board = new_board(
        gql,
        board_owner_ids=[BOB],
        board_subscriber_ids=[CAROL],
        board_subscriber_teams_ids=[DESIGN],
        board_owner_team_ids=[PLATFORM],
    )
    remove_users = (
        "mutation($b: ID!, $u: [ID!]!) { delete_subscribers_from_board(board_id: $b,"
        " user_ids: $u) { id } }"
    )
    remove_teams = (
        "mutation($b: ID!, $t: [ID!]!) { delete_teams_from_board(board_id: $b, team_ids: $t)"
        " { id } }"
    )
    for _ in range(2):  # removing someone who is gone changes nothing
        gql.data(remove_users, b=board, u=[BOB, CAROL])
        gql.data(remove_teams, b=board, t=[PLATFORM, DESIGN])
    assert subscriber_ids(gql, board) == {
        "subscribers": ["10000001"],
        "owners": ["10000001"],
        "team_subscribers": [],
        "team_owners": [],
    }


def test_removing_an_unknown_user_changes_nothing_and_fails(gql: GraphQL) -> None:
    board = new_board(gql, board_subscriber_ids=[CAROL])
    error = gql.error(
        f"mutation {{ delete_subscribers_from_board(board_id: {board},"
        f' user_ids: ["{CAROL}", "42"]) {{ id }} }}'
    )
    assert error["extensions"]["code"] == "ResourceNotFoundException"
    assert CAROL in subscriber_ids(gql, board)["subscribers"]


@pytest.mark.parametrize(
    ("role", "permissions"),
    [("editor", "everyone"), ("contributor", "collaborators"), ("viewer", "owners")],
)
def test_the_board_role_is_stored_and_read_back_as_its_edit_permissions(
    gql: GraphQL, role: str, permissions: str
) -> None:
    board = new_board(gql)
    read = "query($b: [ID!]) { boards(ids: $b) { permissions } }"
    assert gql.data(read, b=[board])["boards"][0]["permissions"] == "everyone"
    answer = gql.data(
        f"mutation {{ set_board_permission(board_id: {board}, basic_role_name: {role})"
        " { edit_permissions failed_actions } }"
    )["set_board_permission"]
    assert answer == {"edit_permissions": permissions, "failed_actions": []}
    assert gql.data(read, b=[board])["boards"][0]["permissions"] == permissions


def test_the_assigned_contributor_role_is_refused_as_the_sdl_says(gql: GraphQL) -> None:
    board = new_board(gql)
    error = gql.error(
        f"mutation {{ set_board_permission(board_id: {board},"
        " basic_role_name: assigned_contributor) { edit_permissions } }"
    )
    assert error["extensions"]["code"] == "InvalidArgumentException"
    read = "query($b: [ID!]) { boards(ids: $b) { permissions } }"
    assert gql.data(read, b=[board])["boards"][0]["permissions"] == "everyone"


def test_workspace_members_are_added_promoted_removed_and_read_in_pages(gql: GraphQL) -> None:
    workspace = gql.data('mutation { create_workspace(name: "W", kind: open) { id } }')[
        "create_workspace"
    ]["id"]
    read = (
        "query($w: [ID!], $limit: Int) { workspaces(ids: $w) {"
        " users_subscribers(limit: $limit) { id } owners_subscribers { id }"
        " teams_subscribers { id } team_owners_subscribers { id } } }"
    )

    def members(limit: int = 25) -> dict[str, list[str]]:
        found = gql.data(read, w=[workspace], limit=limit)["workspaces"][0]
        return {key: [entry["id"] for entry in value] for key, value in found.items()}

    assert members() == {
        "users_subscribers": ["10000001"],  # the creator owns it
        "owners_subscribers": ["10000001"],
        "teams_subscribers": [],
        "team_owners_subscribers": [],
    }
    for _ in range(2):  # idempotent
        gql.data(
            f"mutation {{ add_users_to_workspace(workspace_id: {workspace},"
            f' user_ids: ["{BOB}", "{CAROL}"]) {{ id }} }}'
        )
        gql.data(
            f"mutation {{ add_teams_to_workspace(workspace_id: {workspace}, kind: owner,"
            f' team_ids: ["{DESIGN}"]) {{ id }} }}'
        )
    gql.data(
        f"mutation {{ add_users_to_workspace(workspace_id: {workspace}, kind: owner,"
        f' user_ids: ["{BOB}"]) {{ id }} }}'
    )
    assert members() == {
        "users_subscribers": ["10000001", BOB, CAROL],
        "owners_subscribers": ["10000001", BOB],
        "teams_subscribers": [DESIGN],
        "team_owners_subscribers": [DESIGN],
    }
    assert members(limit=2)["users_subscribers"] == ["10000001", BOB]
    gql.data(
        f"mutation {{ delete_users_from_workspace(workspace_id: {workspace},"
        f' user_ids: ["{CAROL}"]) {{ id }} }}'
    )
    gql.data(
        f"mutation {{ delete_teams_from_workspace(workspace_id: {workspace},"
        f' team_ids: ["{DESIGN}"]) {{ id }} }}'
    )
    assert members()["users_subscribers"] == ["10000001", BOB]
    assert members()["teams_subscribers"] == []
