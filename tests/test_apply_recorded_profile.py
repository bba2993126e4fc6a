"""Applies against the sandbox's recorded profile (monday as real accounts answer,
``shared/monday-recorded-behaviour.md``): each case fails there without the rule that
handles it, and works with it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from boardops.apply import ActionCompleted, Event, apply_plan
from boardops.errors import PlanError
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.model import STATUS_COLOR_IDS, Account
from boardops.plan import AddBoardSubscribers, Plan, build_plan
from boardops.sandbox import Faults, Sandbox, ScheduledFault
from boardops.sandbox.profiles import MAIN_WORKSPACE_ID
from boardops.sandbox.seeds import seed_drifted_board
from tests.conftest import FakeClock
from tests.support.world import World


@pytest.fixture
def recorded(tmp_path: Path) -> World:
    clock = FakeClock()
    sandbox = Sandbox(clock=clock, sleep=clock.sleep, profile="recorded")
    return World(sandbox, clock, tmp_path)


PEOPLE = """
version: 1
boards:
  - name: Launch
    key: launch
    subscribe_people: {subscribe}
    columns:
      - {{id: ref, title: Ref, type: text}}
      - {{id: owner, title: Owner, type: people}}
    items:
      match_by: [ref]
      rows:
        - {{name: Write docs, values: {{ref: L-1, owner: bob@example.com}}}}
"""


def test_people_are_subscribed_before_they_are_assigned(recorded: World) -> None:
    result = recorded.apply(recorded.write(PEOPLE.format(subscribe="true")))
    assert result.ok, result.failures
    board = recorded.board("Launch")
    (item,) = [i for i in board.items if i.state == "active"]
    assert item.values["owner"]["personsAndTeams"] == [{"id": 10000002, "kind": "person"}]


def test_without_subscribing_monday_refuses_the_assignment(recorded: World) -> None:
    """The failure the rule prevents: the same plan without its subscribers action."""
    desired = load_manifests([recorded.write(PEOPLE.format(subscribe="true"))])
    live = read_live(recorded.client, desired)
    plan = build_plan(desired, live)
    kept = tuple(a for a in plan.actions if not isinstance(a, AddBoardSubscribers))
    result = apply_plan(recorded.client, Plan(actions=kept), live=live)
    assert [f.address for f in result.failures] == ["board.launch.item[L-1]"]


GROUPS = """
version: 1
boards:
  - name: Pipeline
    key: pipeline
    groups:
      - {key: open, title: Open, color: "#579bfc"}
      - {key: lost, title: Lost, color: "#df2f4a"}
"""


def test_group_colours_are_set_on_an_account_that_wants_names(recorded: World) -> None:
    result = recorded.apply(recorded.write(GROUPS))
    assert result.ok, result.failures
    groups = [(g.title, g.color) for g in recorded.board("Pipeline").groups if not g.archived]
    assert groups == [("Open", "#579bfc"), ("Lost", "#df2f4a")]


CLOSED = """
version: 1
workspaces:
  - {key: legal, name: Legal, kind: closed}
boards:
  - {name: Cases, key: cases, workspace: legal}
  - {name: Elsewhere, key: elsewhere}
"""


def test_a_closed_workspace_on_an_account_known_not_enterprise_is_refused_by_the_plan(
    recorded: World,
) -> None:
    with pytest.raises(PlanError, match=r"workspace\.legal: kind closed needs an Enterprise"):
        recorded.plan(recorded.write(CLOSED))
    assert recorded.mutations == 0


def test_a_refused_closed_workspace_stops_the_run_before_any_board(recorded: World) -> None:
    # An account whose tier monday does not show: the plan cannot know, monday refuses.
    desired = load_manifests([recorded.write(CLOSED)])
    live = read_live(recorded.client, desired)
    live = replace(live, account=replace(live.account or Account(), tier=None))
    result = apply_plan(recorded.client, build_plan(desired, live), live=live)
    assert [f.address for f in result.failures] == ["workspace.legal"]
    assert "enterprise" in result.failures[0].message.lower()
    assert result.skipped > 0
    assert not [b for b in recorded.sandbox.state.boards if b.name in ("Cases", "Elsewhere")]


EMAILS = """
version: 1
boards:
  - name: Contacts
    key: contacts
    columns:
      - {id: mail, title: Mail, type: email}
    items:
      match_by: [mail]
      rows:
        - {name: Ana, values: {mail: {email: ana@example.com, text: Ana at work}}}
        - {name: Bo, values: {mail: bo@example.com}}
"""


def test_items_matched_by_email_are_found_again_where_the_filter_matches_text(
    recorded: World,
) -> None:
    path = recorded.write(EMAILS)
    # The create_item requests are the third and fourth mutation requests: board,
    # columns, then the first item, then the one placed after it.
    recorded.sandbox.faults = Faults(
        schedule=(ScheduledFault("lost_ack", 3, True), ScheduledFault("lost_ack", 4, True))
    )
    events: list[Event] = []
    result = recorded.apply(path, on_event=events.append)
    assert result.ok, result.failures
    recovered = [e.address for e in events if isinstance(e, ActionCompleted) and e.recovered]
    assert sorted(recovered) == [
        "board.contacts.item[ana@example.com]",
        "board.contacts.item[bo@example.com]",
    ]
    board = recorded.board("Contacts")
    assert sorted(i.name for i in board.items if i.state == "active") == ["Ana", "Bo"]


# --- the acceptance cases on the recorded profile ------------------------------------

MAIN_WORKSPACE_BOARD = """
version: 1
boards:
  - name: Release train
    key: release
    columns:
      - {id: state, title: State, type: status, labels: [Planned, Shipped]}
    items:
      rows:
        - {name: Ship it, values: {state: Shipped}}
"""


def test_a_board_without_workspace_exists_exactly_once_after_three_applies(
    recorded: World,
) -> None:
    path = recorded.write(MAIN_WORKSPACE_BOARD)
    for _ in range(3):
        assert recorded.apply(path).ok
    boards = [
        b
        for b in recorded.sandbox.state.boards
        if b.name == "Release train" and b.state == "active"
    ]
    assert len(boards) == 1
    assert boards[0].workspace_id == MAIN_WORKSPACE_ID
    assert not recorded.plan(path).has_changes


LONG_LIVED = """
version: 1
boards:
  - name: Long-lived board
    key: long
    columns:
      - id: status
        title: Status
        type: status
        labels:
          - {label: In progress, color: working_orange, previous_labels: [Working on it]}
          - {label: Done, color: grass_green, done: true}
          - {label: Stuck, color: stuck_red}
          - {label: Review, color: sunset}
          - {label: Blocked}
"""


def test_a_label_added_renamed_and_recoloured_in_one_apply_converges_on_a_long_lived_board(
    recorded: World,
) -> None:
    # Label ids and colours have drifted apart; ids 1-3 were removed and stay taken.
    seed_drifted_board(recorded.sandbox, "Long-lived board")
    path = recorded.write(LONG_LIVED)
    result = recorded.apply(path)
    assert result.ok, result.failures
    labels = {
        label["label"]: label
        for label in recorded.board("Long-lived board").column("status").settings["labels"]
    }
    assert labels["In progress"]["id"] == 0
    assert (labels["Done"]["id"], labels["Done"]["color"]) == (7, "grass_green")
    # The new label's colour is one no label uses, and its id is no label's id.
    blocked = labels["Blocked"]
    assert blocked["id"] not in {0, 1, 2, 3, 4, 5, 7, 11, 12}
    assert STATUS_COLOR_IDS[blocked["color"]] not in {0, 1, 2, 3, 4, 5, 7, 11, 12}
    assert blocked["color"] not in {
        "working_orange",
        "grass_green",
        "stuck_red",
        "sunset",
        "egg_yolk",
    }
    before = recorded.mutations
    assert recorded.apply(path).counts == {}
    assert recorded.mutations == before
