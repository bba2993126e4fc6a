"""Declared item order: new items land where the rows put them (monday's position
arguments), in batches; ``order: managed`` also moves existing items; without it their
order is left alone. Both profiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from boardops.apply import ActionCompleted, Event
from boardops.errors import ManifestError
from boardops.manifest import load_manifests
from boardops.plan import CreateItem, MoveItem, Plan
from boardops.sandbox import Faults, Sandbox, ScheduledFault
from boardops.views import render_text
from tests.conftest import BOTH_PROFILES, FakeClock
from tests.support.world import World

profile = BOTH_PROFILES


@pytest.fixture
def world(sandbox: Sandbox, clock: FakeClock, tmp_path: Path) -> World:
    return World(sandbox, clock, tmp_path)


def board_manifest(rows: dict[str, list[str]], *, order: str | None = None) -> str:
    """A board with groups ``todo`` and ``done``; ``rows`` maps a group to item names."""
    lines: list[str] = []
    for group, names in rows.items():
        lines.extend(f"        - {{name: {name}, group: {group}}}" for name in names)
    order_line = f"\n      order: {order}" if order else ""
    return f"""version: 1
boards:
  - name: Backlog
    key: backlog
    groups:
      - {{key: todo, title: To do}}
      - {{key: done, title: Done}}
    items:{order_line}
      rows:
{chr(10).join(lines)}
"""


def on_board(world: World) -> dict[str, list[str]]:
    """Item names per group title, in monday's order."""
    board = world.board("Backlog")
    titles = {g.id: g.title for g in board.groups}
    shown: dict[str, list[str]] = {}
    for item in board.items:
        if item.state == "active":
            shown.setdefault(titles[item.group_id], []).append(item.name)
    return shown


def move_on_monday(world: World, name: str, before: str) -> None:
    """Someone drags ``name`` above ``before`` on monday."""
    items = {i.name: i.id for i in world.board("Backlog").items}
    world.mutate(
        "mutation($i: ID!, $r: ID) { change_item_position(item_id: $i, relative_to: $r,"
        " position_relative_method: before_at) { id } }",
        i=items[name],
        r=items[before],
    )


def test_new_items_are_created_in_manifest_order_not_sorted_by_key(world: World) -> None:
    rows = {"todo": ["Zeta", "Alpha", "Mu"], "done": ["Omega", "Beta"]}
    path = world.write(board_manifest(rows))
    result = world.apply(path)
    assert result.ok, result.failures
    assert on_board(world) == {"To do": ["Zeta", "Alpha", "Mu"], "Done": ["Omega", "Beta"]}
    assert world.plan(path).actions == ()


def test_the_plan_lists_and_places_new_items_in_manifest_order(world: World) -> None:
    plan = world.plan(world.write(board_manifest({"todo": ["Zeta", "Alpha", "Mu"]})))
    creates = [a for a in plan.actions if isinstance(a, CreateItem)]
    assert [a.name for a in creates] == ["Zeta", "Alpha", "Mu"]
    text = render_text(plan.to_dict(), color=False)
    assert "+ board.backlog.item[Alpha]: create item, after board.backlog.item[Zeta]" in text


def test_many_new_items_keep_their_order_and_their_batches(world: World) -> None:
    names = [f"Task {n:02d}" for n in range(60, 0, -1)]  # descending: not key order
    path = world.write(board_manifest({"todo": names, "done": ["Last", "First"]}))
    before = world.mutations
    result = world.apply(path)
    assert result.ok, result.failures
    assert on_board(world) == {"To do": names, "Done": ["Last", "First"]}
    # board, default group claimed, second group, then the items: the first item of each
    # group in one request, then the 60 others: 25 first, and the 35 left in one request
    # (the server time measured on the first batch allows far more).
    item_requests = world.mutations - before - 3
    assert item_requests == 3


def test_an_item_added_in_the_middle_lands_in_the_middle(world: World) -> None:
    world.apply(world.write(board_manifest({"todo": ["One", "Three", "Four"]})))
    path = world.write(board_manifest({"todo": ["Zero", "One", "Two", "Three", "Four", "Five"]}))
    text = render_text(world.plan(path).to_dict(), color=False)
    assert "+ board.backlog.item[Zero]: create item, before board.backlog.item[One]" in text
    assert "+ board.backlog.item[Two]: create item, after board.backlog.item[One]" in text
    assert "+ board.backlog.item[Five]: create item, after board.backlog.item[Four]" in text
    assert world.apply(path).ok
    assert on_board(world)["To do"] == ["Zero", "One", "Two", "Three", "Four", "Five"]
    assert world.plan(path).actions == ()


def test_without_order_managed_existing_items_are_left_where_they_are(world: World) -> None:
    path = world.write(board_manifest({"todo": ["A", "B", "C"]}))
    world.apply(path)
    move_on_monday(world, "C", before="A")
    assert world.plan(path).actions == ()
    assert on_board(world)["To do"] == ["C", "A", "B"]


def test_order_managed_moves_existing_items_back_into_manifest_order(world: World) -> None:
    path = world.write(board_manifest({"todo": ["A", "B", "C", "D"]}, order="managed"))
    world.apply(path)
    assert world.plan(path).actions == ()
    move_on_monday(world, "D", before="A")  # D, A, B, C

    plan = world.plan(path)
    # A, B and C are the longest run already in order: only D moves.
    moves = [a for a in plan.actions if isinstance(a, MoveItem)]
    assert [a.address for a in moves] == ["board.backlog.item[D]"]
    text = render_text(plan.to_dict(), color=False)
    assert "~ board.backlog.item[D]: move item after board.backlog.item[C]" in text

    assert world.apply(path).ok
    assert on_board(world)["To do"] == ["A", "B", "C", "D"]
    assert world.plan(path).actions == ()


def test_order_managed_moves_an_item_to_its_place_in_another_group(world: World) -> None:
    world.apply(world.write(board_manifest({"todo": ["A", "B"], "done": ["C", "D"]})))
    path = world.write(board_manifest({"todo": ["A"], "done": ["C", "B", "D"]}, order="managed"))
    assert world.apply(path).ok
    assert on_board(world) == {"To do": ["A"], "Done": ["C", "B", "D"]}
    assert world.plan(path).actions == ()


def test_a_lost_answer_while_placing_new_items_creates_no_duplicates(world: World) -> None:
    names = [f"Item {n}" for n in (5, 3, 9, 1, 7, 2, 8)]
    path = world.write(board_manifest({"todo": names}))
    # board, groups (the default one is claimed, "Done" created), then the first item,
    # then the rest: the answer to that request is lost after monday ran it.
    world.sandbox.faults = Faults(schedule=(ScheduledFault("lost_ack", 5, True),))
    events: list[Event] = []
    result = world.apply(path, on_event=events.append)
    assert result.ok, result.failures
    assert any(isinstance(e, ActionCompleted) and e.recovered for e in events)
    assert on_board(world)["To do"] == names
    world.sandbox.faults = Faults()
    assert world.plan(path).actions == ()


def test_order_managed_with_create_only_is_a_manifest_error(world: World) -> None:
    text = board_manifest({"todo": ["A"]}, order="managed").replace(
        "    items:\n", "    items:\n      mode: create_only\n"
    )
    with pytest.raises(ManifestError, match="order: managed moves existing items"):
        load_manifests([world.write(text)])


def test_a_saved_plan_keeps_the_places_of_new_and_moved_items(world: World) -> None:
    path = world.write(board_manifest({"todo": ["A", "B", "C"]}, order="managed"))
    world.apply(path)
    move_on_monday(world, "C", before="A")
    world.write(board_manifest({"todo": ["A", "New", "B", "C"]}, order="managed"))
    plan = world.plan(path)
    placed = [a for a in plan.actions if isinstance(a, (CreateItem, MoveItem)) and a.position]
    assert len(placed) == 2
    assert Plan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan
