"""Access as code (README, Access): a board's ``owners:``, ``subscribers:`` (users by email,
teams by name) and ``role:``, a workspace's ``owners:`` and ``members:``; additive by
default, removals only under ``prune`` and ``--allow-destroy``, never the last owner nor
the token's own user; people who cannot be given access stop the plan."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pytest

from boardops.errors import PlanError, UnsafePlan
from boardops.manifest import load_manifests
from boardops.model import Account, Board, DesiredState, LiveState, Member
from boardops.plan import (
    AddBoardOwners,
    AddBoardSubscribers,
    AddWorkspaceMembers,
    Plan,
    RemoveBoardMembers,
    RemoveWorkspaceMembers,
    SetBoardRole,
    build_plan,
)
from boardops.plan.facts import depends_on
from boardops.plan.plan import Targeting
from boardops.plan.serial import decode, encode
from boardops.plan.target import narrow
from boardops.sandbox import Faults, Sandbox, ScheduledFault, open_sandbox
from boardops.sandbox.state import user_record
from tests.support.clock import FakeClock
from tests.support.scenarios import ACCESS_TEAMS, ACCESS_USERS, NAME_COLUMN, access_scenario
from tests.support.world import World, fresh_world, world_fixture

world = pytest.fixture(world_fixture)

ALICE, BOB, CAROL, DAN = "10000001", "10000002", "10000003", "10000004"
PLATFORM, DESIGN = "30000001", "30000002"


def members_of(world: World, board_name: str) -> dict[str, object]:
    (board,) = world.client.query(
        "query($n: [ID!]) { boards(ids: $n) { subscribers { id } owners { id }"
        " team_subscribers { id } team_owners { id } permissions } }",
        {"n": [world.board(board_name).id]},
    )["boards"]
    return {
        key: value if isinstance(value, str) else sorted(e["id"] for e in value)
        for key, value in board.items()
    }


T = TypeVar("T")


def of_type(plan: Plan, kind: type[T]) -> list[T]:
    return [a for a in plan.actions if isinstance(a, kind)]


ROADMAP = """\
version: 1
boards:
  - name: Roadmap
    owners: [alice@example.com, {team: Platform}]
    subscribers: [carol@example.com, bob@example.com]
    role: contributor
"""


def test_owners_subscribers_teams_and_role_are_planned_applied_and_then_nothing_changes(
    world: World,
) -> None:
    manifest = world.write(ROADMAP)
    plan = world.plan(manifest)
    # The token's user (Alice) creates the board and so owns it already.
    (owners,) = of_type(plan, AddBoardOwners)
    assert (owners.address, owners.user_ids, owners.team_ids) == (
        "board.roadmap.owners",
        (),
        (PLATFORM,),
    )
    (subscribers,) = of_type(plan, AddBoardSubscribers)
    assert (subscribers.address, subscribers.user_ids) == (
        "board.roadmap.subscribers",
        (BOB, CAROL),
    )
    (role,) = of_type(plan, SetBoardRole)
    assert (role.address, role.role, role.before) == ("board.roadmap.role", "contributor", None)

    world.apply(manifest)

    assert members_of(world, "Roadmap") == {
        "subscribers": [ALICE, BOB, CAROL],
        "owners": [ALICE],
        "team_subscribers": [PLATFORM],
        "team_owners": [PLATFORM],
        "permissions": "collaborators",
    }
    assert world.plan(manifest).actions == ()


def test_an_existing_subscriber_listed_as_owner_is_promoted_and_a_role_change_is_an_update(
    world: World,
) -> None:
    world.apply(world.write(ROADMAP))
    edited = world.write(
        ROADMAP.replace("alice@example.com,", "alice@example.com, bob@example.com,").replace(
            "contributor", "viewer"
        )
    )
    plan = world.plan(edited)
    assert [(a.user_ids, a.team_ids) for a in of_type(plan, AddBoardOwners)] == [((BOB,), ())]
    assert of_type(plan, AddBoardSubscribers) == []  # Bob is a member already
    (role,) = of_type(plan, SetBoardRole)
    assert (role.before, role.role, role.kind) == ("contributor", "viewer", "update")
    world.apply(edited)
    assert members_of(world, "Roadmap")["owners"] == [ALICE, BOB]
    assert members_of(world, "Roadmap")["permissions"] == "owners"
    assert world.plan(edited).actions == ()


def test_people_listed_as_subscribers_and_assigned_by_items_are_added_once(
    world: World,
) -> None:
    manifest = world.write(
        """\
version: 1
boards:
  - name: Roadmap
    subscribers: [bob@example.com]
    owners: [dan@example.com]
    columns:
      - {id: owner, title: Owner, type: people}
    items:
      rows:
        - {name: One, values: {owner: [bob@example.com, carol@example.com]}}
        - {name: Two, values: {owner: dan@example.com}}
"""
    )
    plan = world.plan(manifest)
    assert [a.user_ids for a in of_type(plan, AddBoardSubscribers)] == [(BOB, CAROL)]
    assert [a.user_ids for a in of_type(plan, AddBoardOwners)] == [(DAN,)]
    types = [type(a).__name__ for a in plan.actions]
    assert types.index("AddBoardOwners") < types.index("CreateItem")  # Dan is assigned
    world.apply(manifest)
    assert world.plan(manifest).actions == ()


def test_subscribers_listed_in_the_manifest_pass_a_board_that_does_not_subscribe_people(
    world: World,
) -> None:
    manifest = world.write(
        """\
version: 1
boards:
  - name: Roadmap
    subscribe_people: false
    subscribers: [bob@example.com]
    columns:
      - {id: owner, title: Owner, type: people}
    items:
      rows:
        - {name: One, values: {owner: bob@example.com}}
"""
    )
    assert [a.user_ids for a in of_type(world.plan(manifest), AddBoardSubscribers)] == [(BOB,)]


PRUNED = """\
version: 1
boards:
  - name: Roadmap
    prune: true
    groups: [{key: topics, title: Group Title}]
    owners: [alice@example.com]
    subscribers: [bob@example.com]
"""


def test_members_the_manifest_does_not_name_are_removed_only_under_prune_and_allow_destroy(
    world: World,
) -> None:
    world.apply(world.write(ROADMAP))
    additive = world.write(PRUNED.replace("    prune: true\n", ""))
    assert of_type(world.plan(additive), RemoveBoardMembers) == []

    pruned = world.write(PRUNED)
    removals = of_type(world.plan(pruned), RemoveBoardMembers)
    assert [(a.address, a.user_ids, a.team_ids) for a in removals] == [
        ("board.roadmap.owners", (), (PLATFORM,)),
        ("board.roadmap.subscribers", (CAROL,), ()),
    ]
    assert all(a.destructive for a in removals)
    with pytest.raises(UnsafePlan):
        world.apply(pruned)
    world.apply(pruned, allow_destroy=True)
    assert members_of(world, "Roadmap")["subscribers"] == [ALICE, BOB]
    assert members_of(world, "Roadmap")["team_subscribers"] == []
    assert world.plan(pruned).actions == ()


def live_board(owners: frozenset[str], members: frozenset[str]) -> Board:
    return Board(
        key="b",
        name="B",
        id="100",
        columns=(NAME_COLUMN,),
        subscriber_ids=members,
        owner_ids=owners,
        team_subscriber_ids=frozenset(),
        team_owner_ids=frozenset(),
        permissions="everyone",
        role="editor",
    )


def pruning(owners: tuple[Member, ...], live: Board, token_user: str = "1") -> Plan:
    desired = Board(key="b", name="B", prune=True, owners=owners, subscribers=())
    return build_plan(
        DesiredState(boards=(desired,)),
        LiveState(
            boards={"b": live},
            users=ACCESS_USERS,
            teams=ACCESS_TEAMS,
            account=Account(user_id=token_user),
        ),
    )


def test_a_prune_never_removes_the_last_owner() -> None:
    # The manifest names no owner the board has: removing them all would leave it ownerless.
    plan = pruning(
        (), live_board(frozenset({"2", "3"}), frozenset({"2", "3", "4"})), token_user="9"
    )
    removed = [(a.address, a.user_ids) for a in of_type(plan, RemoveBoardMembers)]
    assert removed == [("board.b.owners", ("3",)), ("board.b.subscribers", ("4",))]
    assert any(
        "board.b.owners: Bob <bob@example.com> would be the last owner removed" in w
        for w in plan.warnings
    )


def test_a_prune_never_removes_the_token_user() -> None:
    plan = pruning(
        (Member("user", "bob@example.com"),),
        live_board(frozenset({"1", "2"}), frozenset({"1", "2", "3"})),
    )
    removed = [(a.address, a.user_ids) for a in of_type(plan, RemoveBoardMembers)]
    assert removed == [("board.b.subscribers", ("3",))]
    assert any("Alice <alice@example.com> is the user of the API token" in w for w in plan.warnings)


def test_an_owner_listed_only_as_a_subscriber_stays_an_owner_with_a_warning() -> None:
    desired = Board(
        key="b",
        name="B",
        prune=True,
        owners=(Member("user", "alice@example.com"),),
        subscribers=(Member("user", "bob@example.com"),),
    )
    plan = build_plan(
        DesiredState(boards=(desired,)),
        LiveState(
            boards={"b": live_board(frozenset({"1", "2"}), frozenset({"1", "2"}))},
            users=ACCESS_USERS,
            account=Account(user_id="1"),
        ),
    )
    assert plan.actions == ()
    assert any("cannot demote an owner" in w for w in plan.warnings)


def test_a_role_monday_reports_in_a_form_boardops_cannot_read_is_left_alone() -> None:
    live = replace(live_board(frozenset({"1"}), frozenset({"1"})), permissions="custom", role=None)
    desired = Board(key="b", name="B", role="viewer")
    plan = build_plan(
        DesiredState(boards=(desired,)),
        LiveState(boards={"b": live}, users=ACCESS_USERS, account=Account(user_id="1")),
    )
    assert of_type(plan, SetBoardRole) == []
    assert any(
        w.startswith("board.b.role: the board's permissions is 'custom'") for w in plan.warnings
    )


# --- errors ------------------------------------------------------------------------------


@pytest.fixture
def recorded(clock: FakeClock, tmp_path: Path) -> World:
    """An account with a pending invitee (Erin), a deactivated user (Frank) and a
    view-only user (Grace)."""
    return World(Sandbox(clock=clock, sleep=clock.sleep, profile="recorded"), clock, tmp_path)


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("nobody@example.com", "no user with the email 'nobody@example.com' in the account"),
        ("erin@example.com", "has not accepted the invitation to the account yet"),
        ("frank@example.com", "is deactivated"),
        ("{team: Marketing}", "no team named 'Marketing' in the account"),
    ],
)
@pytest.mark.parametrize("key", ["owners", "subscribers"])
def test_someone_who_cannot_be_given_access_is_a_plan_error_naming_file_line_and_address(
    recorded: World, entry: str, words: str, key: str
) -> None:
    manifest = recorded.write(
        f"version: 1\nboards:\n  - name: Roadmap\n    {key}:\n      - {entry}\n"
    )
    with pytest.raises(PlanError) as error:
        recorded.plan(manifest)
    assert re.match(rf"{re.escape(str(manifest))}:5:\d+: board\.roadmap: ", str(error.value))
    assert words in str(error.value)
    assert recorded.mutations == 0


def test_a_view_only_user_may_subscribe_but_not_own(recorded: World) -> None:
    manifest = recorded.write(
        "version: 1\nboards:\n  - name: Roadmap\n    owners: [grace@example.com]\n"
    )
    with pytest.raises(PlanError, match="is a view-only user, and monday does not let"):
        recorded.plan(manifest)
    ok = recorded.write(
        "version: 1\nboards:\n  - name: Roadmap\n    subscribers: [grace@example.com]\n"
    )
    assert len(of_type(recorded.plan(ok), AddBoardSubscribers)) == 1


def test_a_workspace_member_who_is_not_a_user_is_a_plan_error(world: World) -> None:
    manifest = world.write(
        "version: 1\nworkspaces:\n  - name: Eng\n    members: [ghost@example.com]\n"
    )
    with pytest.raises(PlanError, match=r":4:\d+: workspace\.Eng: no user with the email"):
        world.plan(manifest)


# --- workspaces --------------------------------------------------------------------------

WORKSPACE = """\
version: 1
workspaces:
  - name: Eng
    owners: [alice@example.com, bob@example.com]
    members: [carol@example.com, {team: Design}]
"""


def test_workspace_owners_and_members_are_added_then_pruned_and_nothing_changes_after(
    world: World,
) -> None:
    manifest = world.write(WORKSPACE)
    added = of_type(world.plan(manifest), AddWorkspaceMembers)
    assert sorted((a.address, a.user_ids, a.team_ids, a.owners) for a in added) == [
        ("workspace.Eng.members", (CAROL,), (DESIGN,), False),
        ("workspace.Eng.owners", (BOB,), (), True),
    ]
    world.apply(manifest)
    assert world.plan(manifest).actions == ()

    pruned = world.write(WORKSPACE.replace("carol@example.com, ", "") + "    prune: true\n")
    (removal,) = of_type(world.plan(pruned), RemoveWorkspaceMembers)
    assert (removal.address, removal.user_ids, removal.team_ids) == (
        "workspace.Eng.members",
        (CAROL,),
        (),
    )
    world.apply(pruned, allow_destroy=True)
    assert world.plan(pruned).actions == ()


# --- lost answers ------------------------------------------------------------------------

LOST = WORKSPACE + ROADMAP.replace("version: 1\nboards:", "boards:").replace(
    "  - name: Roadmap\n", "  - name: Roadmap\n    workspace: Eng\n"
)


def test_a_lost_answer_to_any_access_call_is_settled_by_sending_it_again(
    tmp_path: Path,
) -> None:
    clean = fresh_world(tmp_path, "clean")
    clean.apply(clean.write(LOST))
    expected = members_of(clean, "Roadmap")
    for nth in range(1, clean.mutations + 1):
        world = fresh_world(tmp_path, f"lost-{nth}")
        manifest = world.write(LOST)
        world.sandbox.faults = Faults(schedule=(ScheduledFault("lost_ack", nth, True),))
        assert world.apply(manifest).ok, nth
        world.sandbox.faults = Faults()
        assert world.plan(manifest).actions == (), nth
        assert members_of(world, "Roadmap") == expected, nth


def test_owners_and_role_can_be_targeted_even_when_nothing_changes_there(world: World) -> None:
    world.apply(world.write(ROADMAP))
    manifest = world.write(ROADMAP.replace("contributor", "viewer").replace("bob@", "dan@"))
    desired = load_manifests([manifest])
    plan = world.plan(manifest)
    assert len(plan.actions) == 2  # Dan is subscribed, and the role changes
    role_only = narrow(plan, Targeting(targets=("board.roadmap.role",)), desired)
    assert [type(a).__name__ for a in role_only.actions] == ["SetBoardRole"]
    owners = narrow(plan, Targeting(targets=("board.roadmap.owners",)), desired)
    assert owners.actions == ()


def test_workspace_members_are_read_page_by_page(tmp_path: Path, clock: FakeClock) -> None:
    state_file = tmp_path / "sandbox.json"
    open_sandbox(state_file).reset()
    state = json.loads(state_file.read_text())
    extra = [
        user_record(str(20000000 + n), f"User {n}", f"user{n}@example.com") for n in range(150)
    ]
    state["users"] += extra
    state_file.write_text(json.dumps(state))
    world = World(Sandbox(state_file, clock=clock, sleep=clock.sleep), clock, tmp_path)
    everyone = ", ".join(u["email"] for u in extra)
    manifest = world.write(f"version: 1\nworkspaces:\n  - name: Big\n    members: [{everyone}]\n")
    world.apply(manifest)
    (read,) = world.client.workspace_members([world.sandbox.state.workspaces[0].id])
    assert len(read["users_subscribers"]) == 151  # the creator and the 150
    assert world.plan(manifest).actions == ()


def test_a_plan_with_access_survives_saving_and_its_desired_state_too() -> None:
    desired, live = access_scenario()
    plan = build_plan(desired, live)
    assert Plan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan
    back = decode(DesiredState, json.loads(json.dumps(encode(desired))), where="desired_state")
    assert back == desired


def test_an_owner_added_on_monday_after_planning_makes_the_saved_plan_stale() -> None:
    desired, live = access_scenario()
    plan = build_plan(desired, live)
    sprint = live.boards["sprint"]
    assert sprint is not None
    moved = replace(sprint, owner_ids=frozenset({"1", "2", "4"}))
    fresh = build_plan(desired, replace(live, boards={**live.boards, "sprint": moved}))
    owners = "board.sprint.owners"
    before = {(e.address, e.aspect): e.value for e in plan.live_fingerprint.entries}
    after = {(e.address, e.aspect): e.value for e in fresh.live_fingerprint.entries}
    assert before[(owners, "users")] != after[(owners, "users")]
    assert owners in depends_on(next(a for a in plan.actions if a.address == owners))


def test_a_board_with_more_teams_than_one_page_plans_nothing_after_apply(
    tmp_path: Path, clock: FakeClock
) -> None:
    state_file = tmp_path / "sandbox.json"
    open_sandbox(state_file).reset()
    state = json.loads(state_file.read_text())
    state["teams"] += [
        {"id": str(40000000 + n), "name": f"Team {n}", "user_ids": []} for n in range(130)
    ]
    state_file.write_text(json.dumps(state))
    world = World(Sandbox(state_file, clock=clock, sleep=clock.sleep), clock, tmp_path)
    teams = ", ".join(f"{{team: Team {n}}}" for n in range(130))
    manifest = world.write(f"version: 1\nboards:\n  - name: Roadmap\n    owners: [{teams}]\n")
    world.apply(manifest)
    assert world.plan(manifest).actions == ()


def test_nobody_is_removed_when_the_token_user_is_not_known() -> None:
    desired = Board(key="b", name="B", prune=True, owners=(), subscribers=())
    live = LiveState(
        boards={"b": live_board(frozenset({"1"}), frozenset({"1", "2"}))}, users=ACCESS_USERS
    )
    plan = build_plan(DesiredState(boards=(desired,)), live)
    assert plan.actions == ()
    assert any("the user of the API token is not known" in w for w in plan.warnings)
