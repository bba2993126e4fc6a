"""People values need board membership (recorded behaviour, section 5): people an item
assigns who are not members are subscribed first (a plan action), or, when they cannot
be or the board says no, the plan stops naming the item and the person."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from boardops.errors import PlanError
from boardops.model import (
    Board,
    Column,
    DesiredState,
    Item,
    ItemSet,
    JSONValue,
    LiveState,
    User,
)
from boardops.plan import AddBoardSubscribers, Plan, build_plan
from tests.support.world import World, world_fixture

world = pytest.fixture(world_fixture)

OWNER = Column(title="Owner", type="people", id="owner")
USERS = (
    User("1", "Alice", "alice@example.com", status="ACTIVE", kind="admin"),
    User("2", "Bob", "bob@example.com", status="ACTIVE", kind="member"),
    User("3", "Pat", "pat@example.com", status="PENDING", kind="member"),
    User("4", "Ian", "ian@example.com", status="INACTIVE", kind="member"),
    User("5", "Vic", "vic@example.com", status="ACTIVE", kind="view_only"),
    User("6", "Gus", "gus@example.com", status="ACTIVE", kind="guest"),
)


def desired(*owners: JSONValue, kind: str = "public", subscribe: bool = True) -> DesiredState:
    rows = tuple(Item(f"T-{i}", values={"owner": owner}) for i, owner in enumerate(owners))
    board = Board(
        key="b",
        name="B",
        kind=kind,  # type: ignore[arg-type]
        columns=(OWNER,),
        items=ItemSet(rows=rows),
        subscribe_people=subscribe,
    )
    return DesiredState(boards=(board,))


def live(
    *, users: frozenset[str] | None = frozenset({"1"}), teams: frozenset[str] | None = None
) -> LiveState:
    found = Board(
        key="b",
        name="B",
        id="100",
        columns=(Column(title="Name", type="name", id="name"), replace(OWNER, revision="1")),
        items=ItemSet(rows=()),
        subscriber_ids=users,
        team_subscriber_ids=teams,
    )
    return LiveState(boards={"b": found}, users=USERS)


def subscribed(plan: Plan) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(a.user_ids, a.team_ids) for a in plan.actions if isinstance(a, AddBoardSubscribers)]


def test_people_who_are_not_members_are_subscribed_before_any_item_names_them() -> None:
    state = live(teams=frozenset())
    plan = build_plan(desired("bob@example.com", ["alice@example.com", "team:7"]), state)
    assert subscribed(plan) == [(("2",), ("7",))]
    types = [type(a).__name__ for a in plan.actions]
    assert types.index("AddBoardSubscribers") < types.index("CreateItem")
    (action,) = [a for a in plan.actions if isinstance(a, AddBoardSubscribers)]
    assert action.address == "board.b.subscribers"
    # The plan names them for its views; the team is shown by its id (teams are not read).
    assert plan.people == {"1": "Alice <alice@example.com>", "2": "Bob <bob@example.com>"}


def test_members_are_not_subscribed_again() -> None:
    plan = build_plan(desired("alice@example.com", "team:7"), live(teams=frozenset({"7"})))
    assert subscribed(plan) == []


def test_a_new_board_subscribes_everyone_its_items_assign() -> None:
    state = LiveState(boards={"b": None}, users=USERS)
    plan = build_plan(desired("alice@example.com", "bob@example.com"), state)
    assert subscribed(plan) == [(("1", "2"), ())]


def test_membership_not_read_plans_no_subscription() -> None:
    assert subscribed(build_plan(desired("bob@example.com"), live(users=None))) == []


def test_a_board_that_does_not_subscribe_people_stops_the_plan_naming_item_and_person() -> None:
    with pytest.raises(
        PlanError,
        match=re.escape(
            "board.b.item[T-0]: Bob <bob@example.com> (user 2) is not a member of board.b"
        ),
    ):
        build_plan(desired("bob@example.com", subscribe=False), live())


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("pat@example.com", "has not accepted the invitation to the account yet"),
        ("ian@example.com", "is deactivated"),
        ("vic@example.com", "is a view-only user"),
        ("gus@example.com", "is a guest, and guests can only be members of shareable boards"),
    ],
)
def test_people_monday_would_refuse_stop_the_plan_before_anything_is_sent(
    email: str, reason: str
) -> None:
    with pytest.raises(PlanError) as caught:
        build_plan(desired("bob@example.com", email), live())
    message = str(caught.value)
    assert message.startswith("board.b.item[T-1]: ")
    assert f"<{email}>" in message
    assert reason in message


def test_a_guest_is_subscribed_to_a_shareable_board() -> None:
    assert subscribed(build_plan(desired("gus@example.com", kind="share"), live())) == [
        (("6",), ())
    ]


def test_an_unknown_user_id_stops_the_plan() -> None:
    with pytest.raises(
        PlanError,
        match=r"item\[T-0\]: column .owner.: no user of this monday account has the id 99",
    ):
        build_plan(desired("99"), live())


MANIFEST = """
version: 1
boards:
  - name: Launch
    key: launch
    columns:
      - {id: ref, title: Ref, type: text}
      - {id: owner, title: Owner, type: people}
    items:
      match_by: [ref]
      rows:
        - {name: Write docs, values: {ref: L-1, owner: bob@example.com}}
"""


def subscriber_ids(world: World) -> set[str]:
    board_id = str(world.board("Launch").id)
    data = world.client.query(
        "query ($ids: [ID!]) { boards(ids: $ids) { subscribers { id } } }", {"ids": [board_id]}
    )
    return {str(user["id"]) for user in data["boards"][0]["subscribers"]}


def test_apply_subscribes_then_assigns_and_a_rerun_changes_nothing(world: World) -> None:
    path = world.write(MANIFEST)
    result = world.apply(path)
    assert result.ok, result.failures
    assert result.counts == {"created": 4, "subscribed": 1}
    assert "10000002" in subscriber_ids(world)
    item = next(i for i in world.board("Launch").items if i.name == "Write docs")
    assert item.values["owner"]["personsAndTeams"] == [{"id": 10000002, "kind": "person"}]
    assert world.apply(path).ok
    assert subscriber_ids(world) == {"10000001", "10000002"}


@pytest.mark.parametrize("profile", ["docs", "recorded"])
@pytest.mark.parametrize("owner", ["99999", "nobody@example.com"], ids=["id", "email"])
@pytest.mark.parametrize("existing", [False, True], ids=["new item", "existing item"])
def test_an_unknown_user_by_id_or_email_stops_the_plan_before_anything_is_sent(
    world: World, owner: str, existing: bool
) -> None:
    if existing:
        assert world.apply(world.write(MANIFEST)).ok
    sent = world.mutations
    with pytest.raises(PlanError) as caught:
        world.apply(world.write(MANIFEST.replace("bob@example.com", owner)))
    kind = "email" if "@" in owner else "id"
    assert str(caught.value) == (
        f"board.launch.item[L-1]: column 'owner': no user of this monday account has the "
        f"{kind} {owner}"
    )
    assert world.mutations == sent
