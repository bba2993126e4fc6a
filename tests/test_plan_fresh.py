"""Saved-plan freshness: a plan applies only to the live state it was computed from."""

from __future__ import annotations

import dataclasses

import pytest

from boardops.errors import StalePlan
from boardops.model import Board, Column, Item, ItemSet, LiveState
from boardops.plan import Plan, PlanOptions, build_plan, check_fresh, fingerprint
from tests.support.scenarios import rich_scenario


def sprint(live: LiveState) -> Board:
    board = live.boards["sprint"]
    assert board is not None
    return board


def with_sprint(live: LiveState, **changes: object) -> LiveState:
    boards = dict(live.boards)
    boards["sprint"] = dataclasses.replace(sprint(live), **changes)  # type: ignore[arg-type]
    return dataclasses.replace(live, boards=boards)


def saved_plan() -> Plan:
    desired, live = rich_scenario()
    return Plan.from_dict(build_plan(desired, live).to_dict())


def test_unchanged_live_state_is_fresh() -> None:
    desired, live = rich_scenario()
    check_fresh(saved_plan(), live, desired)


def test_fingerprint_records_revisions_and_compared_items() -> None:
    desired, live = rich_scenario()
    facts = {(e.address, e.aspect): e.value for e in fingerprint(live, desired).entries}
    assert facts[("board.sprint.column.status", "revision")] == "7"
    assert facts[("board.sprint", "updated_at")] == "2026-11-22T10:00:00Z"
    assert facts[("board.sprint.item[ENG-2]", "id")] == "502"
    assert ("board.sprint.item[ENG-2]", "values") in facts
    assert facts[("board.roadmap", "exists")] == "no"


def test_a_saved_plan_keeps_only_the_facts_its_actions_depend_on() -> None:
    facts = {(e.address, e.aspect) for e in saved_plan().live_fingerprint.entries}
    assert ("board.sprint.column.status", "revision") in facts  # label actions edit it
    assert ("board.sprint.item[ENG-2]", "values") in facts  # updated
    assert ("board.sprint.item[ENG-3]", "id") not in facts  # to be created: none yet
    assert ("board.sprint.group.review", "matches") in facts  # to be created: matched none
    assert ("board.sprint", "name") in facts  # renamed
    assert ("board.sprint", "updated_at") not in facts  # moves on any edit
    assert ("board.sprint.column.formula", "title") not in facts  # unmanaged
    assert ("board.sprint.group.g_backlog", "title") not in facts  # no action touches it


def test_a_column_revision_that_moved_makes_the_plan_stale() -> None:
    desired, live = rich_scenario()
    columns = tuple(
        dataclasses.replace(c, revision="9") if c.id == "status" else c
        for c in sprint(live).columns
    )
    with pytest.raises(StalePlan) as caught:
        check_fresh(saved_plan(), with_sprint(live, columns=columns), desired)
    assert caught.value.moved == (
        "board.sprint.column.status revision 7 -> 9 "
        "(needed by board.sprint.column.status and 6 more actions)",
    )


def test_an_item_edited_on_monday_makes_the_plan_that_updates_it_stale() -> None:
    desired, live = rich_scenario()
    items = sprint(live).items
    assert items is not None
    rows = tuple(
        dataclasses.replace(r, values={"estimate": "4", "due": "next week", "legacy": "x"})
        if r.name == "ENG-2"
        else r
        for r in items.rows
    )
    moved = with_sprint(live, items=ItemSet(rows=rows), updated_at="2026-11-23T05:00:00Z")
    with pytest.raises(StalePlan) as caught:
        check_fresh(saved_plan(), moved, desired)
    assert caught.value.moved == (
        "board.sprint.item[ENG-2] changed (needed by board.sprint.item[ENG-2])",
    )
    assert "run `boardops plan` again" in str(caught.value)


def test_objects_that_appeared_or_vanished_are_named_when_an_action_needs_them() -> None:
    desired, live = rich_scenario()
    columns = tuple(c for c in sprint(live).columns if c.id != "legacy")
    items = sprint(live).items
    assert items is not None
    rows = (*items.rows, Item("ENG-3", id="503", group="g_old"))
    changed = with_sprint(live, columns=columns, items=ItemSet(rows=rows))
    with pytest.raises(StalePlan) as caught:
        check_fresh(saved_plan(), changed, desired)
    assert caught.value.moved == (
        "board.sprint.column.legacy is gone (needed by board.sprint.column.legacy)",
        "board.sprint.group.g_old items 1 -> 2 (needed by board.sprint.group.g_old)",
        "board.sprint.item[ENG-3] appeared (needed by board.sprint.item[ENG-3])",
    )


def test_facts_no_action_depends_on_may_move() -> None:
    desired, live = rich_scenario()
    extra = Column(title="Extra", type="text", id="extra", revision="1")
    columns = tuple(
        dataclasses.replace(c, title="Sum") if c.id == "formula" else c
        for c in sprint(live).columns
    )
    groups = tuple(
        dataclasses.replace(g, title="Icebox") if g.id == "g_backlog" else g
        for g in sprint(live).groups
    )
    items = sprint(live).items
    assert items is not None
    rows = (*items.rows, Item("ENG-10", id="510", group="g_backlog"))
    changed = with_sprint(
        live,
        columns=(*columns, extra),
        groups=groups,
        items=ItemSet(rows=rows),
        updated_at="2026-11-23T05:00:00Z",
    )
    check_fresh(saved_plan(), changed, desired)


def test_a_board_created_since_the_plan_makes_it_stale() -> None:
    desired, live = rich_scenario()
    boards = dict(live.boards)
    boards["roadmap"] = Board(key="roadmap", id="2002", name="Roadmap")
    with pytest.raises(StalePlan, match=r"board\.roadmap exists no -> yes \(needed by"):
        check_fresh(saved_plan(), dataclasses.replace(live, boards=boards), desired)


def test_a_plan_without_actions_is_never_stale() -> None:
    desired, _ = rich_scenario()
    nothing = Plan(actions=(), live_fingerprint=saved_plan().live_fingerprint)
    check_fresh(nothing, LiveState(), desired)


def test_a_structure_only_plan_is_fresh_against_the_same_live_state() -> None:
    desired, live = rich_scenario()
    structure_only = build_plan(desired, live, options=PlanOptions(compare_items=False))
    check_fresh(Plan.from_dict(structure_only.to_dict()), live, desired)
