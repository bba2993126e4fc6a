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
from boardops.model import Account
from boardops.plan import AddBoardSubscribers, Plan, build_plan
from boardops.sandbox import Faults, Sandbox, ScheduledFault
from tests.conftest import FakeClock
from tests.test_apply_helpers import World


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
    # The create_item batch is the third mutation request: board, columns, items.
    recorded.sandbox.faults = Faults(schedule=(ScheduledFault("lost_ack", 3, True),))
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
