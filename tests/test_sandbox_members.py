"""Sandbox behaviour for the account, users, teams, board membership and tags."""

from __future__ import annotations

import pytest

from boardops.sandbox import Sandbox
from tests.conftest import GraphQL

ACCOUNT = "{ id name tier first_day_of_the_week plan { tier max_users version } }"


def new_board(gql: GraphQL, kind: str = "public", **members: list[str]) -> str:
    arguments = "".join(
        f", {name}: {list(ids)!r}".replace("'", '"') for name, ids in members.items()
    )
    board: str = gql.data(
        f'mutation {{ create_board(board_name: "B", board_kind: {kind}{arguments}) {{ id }} }}'
    )["create_board"]["id"]
    return board


def subscriber_ids(gql: GraphQL, board: str) -> dict[str, list[str]]:
    found = gql.data(
        "query($b: [ID!]) { boards(ids: $b) { subscribers { id } owners { id }"
        " team_subscribers { id } team_owners { id } } }",
        b=[board],
    )["boards"][0]
    return {key: [entry["id"] for entry in value] for key, value in found.items()}


def test_the_account_is_answered_at_the_root_and_through_me(gql: GraphQL) -> None:
    root = gql.data(f"{{ account {ACCOUNT} }}")["account"]
    through_me = gql.data(f"{{ me {{ account {ACCOUNT} }} }}")["me"]["account"]
    assert root == through_me
    assert root["first_day_of_the_week"] == "monday"
    assert root["tier"] == root["plan"]["tier"] == "enterprise"


def test_tests_can_set_the_account_tier_and_week_start(sandbox: Sandbox) -> None:
    sandbox.set_account(tier="enterprise", first_day_of_the_week="sunday")
    account = sandbox.execute("{ account { tier first_day_of_the_week plan { tier } } }")
    assert account["data"]["account"] == {
        "tier": "enterprise",
        "first_day_of_the_week": "sunday",
        "plan": {"tier": "enterprise"},
    }


def test_users_report_their_status_and_kind(gql: GraphQL) -> None:
    users = gql.data("{ users { id status kind } }")["users"]
    assert len(users) == 4
    assert {(u["status"], u["kind"]) for u in users} == {("ACTIVE", "member")}


def test_teams_list_their_users(gql: GraphQL) -> None:
    teams = gql.data("{ teams { id name users { id } } }")["teams"]
    assert [t["name"] for t in teams] == ["Platform", "Design"]
    assert [u["id"] for u in teams[0]["users"]] == ["10000001", "10000002"]


def test_a_new_board_lists_its_creator_as_owner_and_the_members_it_was_given(
    gql: GraphQL,
) -> None:
    board = new_board(
        gql,
        board_owner_ids=["10000002"],
        board_subscriber_ids=["10000003"],
        board_subscriber_teams_ids=["30000002"],
    )
    assert subscriber_ids(gql, board) == {
        "subscribers": ["10000001", "10000002", "10000003"],
        "owners": ["10000001", "10000002"],
        "team_subscribers": ["30000002"],
        "team_owners": [],
    }


def test_adding_users_and_teams_to_a_board_is_idempotent(gql: GraphQL) -> None:
    board = new_board(gql)
    add_users = (
        "mutation($b: ID!, $u: [ID!]!) { add_users_to_board(board_id: $b, user_ids: $u) { id } }"
    )
    add_teams = (
        "mutation($b: ID!, $t: [ID!]!) { add_teams_to_board(board_id: $b, team_ids: $t,"
        " kind: owner) { id name } }"
    )
    for _ in range(2):
        added = gql.data(add_users, b=board, u=["10000004", "10000001"])["add_users_to_board"]
        assert [u["id"] for u in added] == ["10000004", "10000001"]
        teams = gql.data(add_teams, b=board, t=["30000001"])["add_teams_to_board"]
        assert teams == [{"id": "30000001", "name": "Platform"}]
    members = subscriber_ids(gql, board)
    assert members["subscribers"] == ["10000001", "10000004"]
    assert members["owners"] == ["10000001"]  # adding the owner as subscriber demotes nobody
    assert members["team_owners"] == ["30000001"]


def test_adding_an_unknown_user_to_a_board_changes_nothing(gql: GraphQL) -> None:
    board = new_board(gql)
    error = gql.error(
        'mutation($b: ID!) { add_users_to_board(board_id: $b, user_ids: ["10000004", "42"])'
        " { id } }",
        b=board,
    )
    assert error["extensions"]["code"] == "ResourceNotFoundException"
    assert subscriber_ids(gql, board)["subscribers"] == ["10000001"]


@pytest.mark.parametrize("kind", ["private", "share"])
def test_private_and_shareable_boards_get_board_scoped_tags(gql: GraphQL, kind: str) -> None:
    board = new_board(gql, kind)
    create = "mutation($b: ID, $n: String) { create_or_get_tag(board_id: $b, tag_name: $n) { id } }"
    scoped = gql.data(create, b=board, n="urgent")["create_or_get_tag"]["id"]
    account_tag = gql.data(create, b=None, n="urgent")["create_or_get_tag"]["id"]
    assert scoped != account_tag
    assert gql.data(create, b=board, n="urgent")["create_or_get_tag"]["id"] == scoped
    assert [t["id"] for t in gql.data("{ tags { id } }")["tags"]] == [account_tag]
    board_tags = gql.data("query($b: [ID!]) { boards(ids: $b) { tags { id } } }", b=[board])
    assert board_tags["boards"][0]["tags"] == [{"id": scoped}]


def test_public_boards_use_account_tags(gql: GraphQL) -> None:
    board = new_board(gql)
    create = "mutation($b: ID, $n: String) { create_or_get_tag(board_id: $b, tag_name: $n) { id } }"
    tag = gql.data(create, b=board, n="urgent")["create_or_get_tag"]["id"]
    assert gql.data(create, b=None, n="urgent")["create_or_get_tag"]["id"] == tag
    assert [t["id"] for t in gql.data("{ tags { id } }")["tags"]] == [tag]
