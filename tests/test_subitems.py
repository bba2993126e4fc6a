"""Subitems, end to end: a board's ``subitems:`` block and its rows' ``subitems:`` are
read from the manifest, planned after their parents (the subitems board first when the
board has none), applied with ``create_subitem`` (a lost answer makes no duplicate),
read back, and exported so that the export plans no changes and recreates them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, Literal

import pytest

from boardops.apply import ActionCompleted, Event
from boardops.export import export
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.model import Board, Column, DesiredState, Item, ItemSet, LiveState, Subitems
from boardops.plan import (
    ArchiveItem,
    CreateItem,
    CreateSubitem,
    CreateSubitemsBoard,
    Plan,
    UpdateItem,
    build_plan,
)
from boardops.sandbox import Faults, Sandbox, ScheduledFault
from boardops.snapshot import live_from_dict, live_to_dict
from boardops.views import render_json, render_markdown, render_text
from tests.support.clock import FakeClock
from tests.support.scenarios import subitems_scenario
from tests.support.world import World, fresh_world
from tests.test_views import check_golden

DEALS = """
version: 1
boards:
  - name: Deals
    key: deals
    columns:
      - {id: ref, title: Ref, type: text}
    subitems:
      columns:
        - {id: stage, title: Stage, type: status, labels: [Open, Won]}
        - {id: note, title: Note, type: text}
    items:
      match_by: ref
      rows:
        - name: Acme renewal
          values: {ref: D-1}
          subitems:
            - {name: Call, values: {stage: Open, Note: ask for the budget}}
            - {name: Quote, values: {stage: Won}}
            - {name: Contract}
        - {name: Globex, values: {ref: D-2}, subitems: [{name: Kickoff}]}
        - {name: Initech, values: {ref: D-3}}
"""


def world_with(
    tmp_path: Path, name: str, text: str, profile: Literal["docs", "recorded"] = "docs"
) -> tuple[World, Path]:
    if profile == "docs":
        world = fresh_world(tmp_path, name)
    else:
        clock = FakeClock()
        folder = tmp_path / name
        folder.mkdir()
        world = World(Sandbox(clock=clock, sleep=clock.sleep, profile=profile), clock, folder)
    return world, world.write(text)


def subitems_of(world: World, board_name: str) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Parent name -> its subitems (name, stored values), from the sandbox's state."""
    parent = world.board(board_name)
    sub = world.board(f"Subitems of {board_name}")
    names = {item.id: item.name for item in parent.items}
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for item in sub.items:
        if item.state != "active":
            continue
        raw = world.sandbox.state.raw["items"][item.id]
        found.setdefault(names[raw["parent_item_id"]], []).append((item.name, dict(item.values)))
    return found


# --- the manifest ---------------------------------------------------------------------------


def test_the_subitems_block_and_the_rows_subitems_are_read(tmp_path: Path) -> None:
    path = tmp_path / "deals.yaml"
    path.write_text(DEALS)
    (board,) = load_manifests([path]).boards
    assert board.subitems is not None
    assert [c.key for c in board.subitems.columns] == ["stage", "note"]
    assert board.subitems.match_by == ("name",)
    assert board.subitems.mode == "upsert"
    assert board.subitems.prune is False
    assert board.items is not None
    acme, globex, initech = board.items.rows
    assert acme.subitems is not None
    assert [(s.name, dict(s.values)) for s in acme.subitems] == [
        ("Call", {"stage": "Open", "note": "ask for the budget"}),
        ("Quote", {"stage": "Won"}),
        ("Contract", {}),
    ]
    assert globex.subitems is not None
    assert [s.name for s in globex.subitems] == ["Kickoff"]
    assert initech.subitems is None  # left alone


def test_rows_with_subitems_on_a_board_without_the_block_get_the_default_block(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text(
        "version: 1\nboards:\n  - name: Plain\n    items:\n      rows:\n"
        "        - {name: One, subitems: [{name: Step}]}\n"
    )
    (board,) = load_manifests([path]).boards
    assert board.subitems == Subitems()


def test_subitems_match_by_mode_and_prune_are_read(tmp_path: Path) -> None:
    path = tmp_path / "keyed.yaml"
    path.write_text(
        "version: 1\nboards:\n  - name: Keyed\n    subitems:\n"
        "      columns: [{id: code, title: Code, type: text}]\n"
        "      match_by: Code\n      mode: create_only\n      prune: true\n"
    )
    (board,) = load_manifests([path]).boards
    assert board.subitems is not None
    assert (board.subitems.match_by, board.subitems.mode, board.subitems.prune) == (
        ("code",),
        "create_only",
        True,
    )


# --- the plan -------------------------------------------------------------------------------


def subitems_plan() -> dict[str, Any]:
    return build_plan(*subitems_scenario()).to_dict()


def test_plan_text_golden() -> None:
    check_golden("plan_subitems.txt", render_text(subitems_plan(), color=False))


def test_plan_markdown_golden() -> None:
    (comment,) = render_markdown(subitems_plan())
    check_golden("plan_subitems.md", comment)


def test_plan_json_golden() -> None:
    check_golden("plan_subitems.json", render_json(subitems_plan()))


def test_subitems_are_planned_after_their_parent_and_the_subitems_board() -> None:
    actions = build_plan(*subitems_scenario()).actions
    index = {a.address: n for n, a in enumerate(actions)}
    kickoff = "board.deals.item[D-2].subitem[Kickoff]"
    assert index["board.deals.item[D-2]"] < index[kickoff]
    step = "board.tasks.item[T-1].subitem[Step 1]"
    assert index["board.tasks.subitems"] < index["board.tasks.subitems.column.note"]
    assert index["board.tasks.subitems"] < index[step]
    created = next(a for a in actions if a.address == kickoff)
    assert isinstance(created, CreateSubitem)
    assert created.parent.address == "board.deals.item[D-2]"
    assert created.parent.id is None
    assert isinstance(
        next(a for a in actions if a.address == "board.tasks.subitems"), CreateSubitemsBoard
    )


def test_the_subitems_column_of_a_board_declaring_subitems_is_not_left_alone_unmanaged() -> None:
    plan = build_plan(*subitems_scenario())
    assert "board.deals.column.subitems" not in {u.address for u in plan.unmanaged}


def test_subitems_are_updated_and_pruned_with_the_item_actions() -> None:
    actions = {a.address: a for a in build_plan(*subitems_scenario()).actions}
    call = actions["board.deals.item[D-1].subitem[Call]"]
    assert isinstance(call, UpdateItem)
    assert (call.board_id, call.item_id) == ("900", "11")
    old = actions["board.deals.item[D-1].subitem[Old]"]
    assert isinstance(old, ArchiveItem)
    assert old.destructive
    # D-3 leaves out `subitems:`: its live subitem is left alone.
    assert not any(".item[D-3]." in address for address in actions)


def test_a_saved_plan_with_subitems_reads_back_equal() -> None:
    plan = build_plan(*subitems_scenario())
    assert Plan.from_dict(plan.to_dict()) == plan


# --- apply, read back, export --------------------------------------------------------------


@pytest.mark.parametrize("profile", ["docs", "recorded"])
def test_apply_creates_the_subitems_and_a_second_apply_sends_nothing(
    tmp_path: Path, profile: Literal["docs", "recorded"]
) -> None:
    world, path = world_with(tmp_path, "deals", DEALS, profile)
    result = world.apply(path)
    assert result.ok, result.failures
    names = {p: [n for n, _ in subs] for p, subs in subitems_of(world, "Deals").items()}
    assert names == {"Acme renewal": ["Call", "Quote", "Contract"], "Globex": ["Kickoff"]}
    assert sorted(subitems_of(world, "Deals")["Acme renewal"][0][1]) == ["note", "stage"]
    board = world.sandbox.state.raw["boards"][world.board("Subitems of Deals").id]
    assert board["type"] == "sub_items_board"
    before = world.mutations
    again = world.apply(path)
    assert again.ok
    assert world.mutations == before
    assert not world.plan(path).has_changes


def test_changed_and_removed_subitems_are_updated_and_archived_under_prune(
    tmp_path: Path,
) -> None:
    world, path = world_with(tmp_path, "deals", DEALS)
    assert world.apply(path).ok
    changed = DEALS.replace(
        "{name: Quote, values: {stage: Won}}", "{name: Quote, values: {stage: Open}}"
    )
    changed = changed.replace("            - {name: Contract}\n", "").replace(
        "        - {id: note, title: Note, type: text}\n",
        "        - {id: note, title: Note, type: text}\n      prune: true\n",
    )
    path.write_text(changed)
    kinds = {a.address: type(a).__name__ for a in world.plan(path).actions}
    assert kinds == {
        "board.deals.item[D-1].subitem[Quote]": "UpdateItem",
        "board.deals.item[D-1].subitem[Contract]": "ArchiveItem",
    }
    assert world.apply(path, allow_destroy=True).ok
    names = {p: [n for n, _ in subs] for p, subs in subitems_of(world, "Deals").items()}
    assert names["Acme renewal"] == ["Call", "Quote"]
    assert not world.plan(path).has_changes


@pytest.mark.parametrize("field", ["create_subitem", "create_column"])
def test_a_lost_answer_to_a_subitem_create_makes_no_duplicate(tmp_path: Path, field: str) -> None:
    clean, clean_path = world_with(tmp_path, "clean", DEALS)
    documents: list[str] = []
    clean.http.event_hooks["request"].append(
        lambda request: documents.append(request.content.decode())
    )
    assert clean.apply(clean_path).ok
    mutations = [d for d in documents if '"query": "mutation' in d or '"query":"mutation' in d]
    needle = "subtasks" if field == "create_column" else "create_subitem("
    nth = next(i for i, doc in enumerate(mutations, 1) if needle in doc)
    world, path = world_with(tmp_path, "lost", DEALS)
    world.sandbox.faults = Faults(schedule=(ScheduledFault("lost_ack", nth, True),))
    events: list[Event] = []
    result = world.apply(path, on_event=events.append)
    assert result.ok, result.failures
    assert world.sandbox.counters.faults == {"lost_ack": 1}
    recovered = [e.address for e in events if isinstance(e, ActionCompleted) and e.recovered]
    if field == "create_column":
        assert recovered == ["board.deals.subitems"]
    else:  # the whole batch was in doubt: every subitem in it was found under its parent
        assert recovered
        assert all(".subitem[" in address for address in recovered)
    assert world.census() == clean.census()
    assert not world.plan(path).has_changes


def test_export_plans_no_changes_and_without_ids_recreates_the_subitems(tmp_path: Path) -> None:
    world, path = world_with(tmp_path, "source", DEALS)
    assert world.apply(path).ok
    pinned = world.write(export(world.client, boards=["Deals"], with_items=True), "pinned.yaml")
    assert not world.plan(pinned).has_changes
    text = export(world.client, boards=["Deals"], with_items=True, pin_ids=False)
    assert "subitems:" in text
    copy, copied = world_with(tmp_path, "copy", text)
    plan = copy.plan(copied)
    assert any(isinstance(a, CreateSubitemsBoard) for a in plan.actions)
    assert sum(isinstance(a, CreateItem) for a in plan.actions) == 3
    assert copy.apply(copied).ok
    assert copy.census() == world.census()
    assert not copy.plan(copied).has_changes


def test_reading_subitems_costs_one_request_and_only_for_boards_that_declare_them(
    tmp_path: Path,
) -> None:
    world, path = world_with(tmp_path, "deals", DEALS)
    assert world.apply(path).ok
    desired = load_manifests([path])
    without = dataclasses.replace(
        desired, boards=tuple(dataclasses.replace(b, subitems=None) for b in desired.boards)
    )

    def queries(state: DesiredState) -> tuple[int, LiveState]:
        before = world.client.stats.snapshot().queries
        live = read_live(world.client, state)
        return world.client.stats.snapshot().queries - before, live

    plain, plain_live = queries(without)
    with_subitems, live = queries(desired)
    assert with_subitems == plain + 1
    assert plain_live.boards["deals"] is not None
    assert plain_live.boards["deals"].subitems is None
    found = live.boards["deals"]
    assert found is not None
    assert found.subitems is not None
    assert found.items is not None
    assert [c.id for c in found.subitems.columns if c.type != "name"] == ["stage", "note"]
    by_parent = {row.name: [s.name for s in row.subitems or ()] for row in found.items.rows}
    assert by_parent == {
        "Acme renewal": ["Call", "Quote", "Contract"],
        "Globex": ["Kickoff"],
        "Initech": [],
    }


def test_a_describe_snapshot_keeps_the_subitems_and_plans_like_the_live_boards() -> None:
    desired, live = subitems_scenario()
    snapshot = live_from_dict(json.loads(json.dumps(live_to_dict(live))))
    assert snapshot.boards == live.boards
    assert build_plan(desired, snapshot).actions == build_plan(desired, live).actions


def test_an_unmanaged_live_subitem_is_addressed_by_id_as_unmanaged_items_are() -> None:
    """Under a column ``match_by``, a live subitem no row names is addressed by its id
    (no value of an unmanaged subitem reaches the plan), like an unmanaged item."""
    code = Column(title="Code", type="text", id="code")
    desired = DesiredState(
        boards=(
            Board(
                key="deals",
                name="Deals",
                subitems=Subitems(columns=(code,), match_by=("code",)),
                items=ItemSet(
                    rows=(Item(name="D-1", subitems=(Item("Call", values={"code": "C-1"}),)),)
                ),
            ),
        )
    )
    live_board = Board(
        key="deals",
        name="Deals",
        id="100",
        columns=(Column(title="Subitems", type="subtasks", id="subitems"),),
        items=ItemSet(
            rows=(
                Item(
                    name="D-1",
                    id="1",
                    subitems=(
                        Item("Call", id="11", values={"code": "C-1"}),
                        Item("Loose", id="77"),
                    ),
                ),
            )
        ),
        subitems=Subitems(columns=(code,), id="900"),
    )
    plan = build_plan(desired, LiveState(boards={"deals": live_board}))
    assert plan.actions == ()
    assert [u.address for u in plan.unmanaged if u.kind == "subitem"] == [
        "board.deals.item[D-1].subitem[#77]"
    ]


def test_the_subitems_of_an_adopted_item_are_compared_under_it() -> None:
    ref = Column(title="Ref", type="text", id="ref")
    desired = DesiredState(
        boards=(
            Board(
                key="deals",
                name="Deals",
                columns=(ref,),
                subitems=Subitems(),
                items=ItemSet(
                    match_by=("ref",),
                    rows=(
                        Item(
                            name="Acme",
                            values={"ref": "D-1"},
                            subitems=(Item("Call"), Item("Mail")),
                        ),
                    ),
                ),
            ),
        )
    )
    live_board = Board(
        key="deals",
        name="Deals",
        id="100",
        columns=(ref, Column(title="Subitems", type="subtasks", id="subitems")),
        items=ItemSet(rows=(Item(name="Acme", id="1", subitems=(Item("Call", id="11"),)),)),
        subitems=Subitems(id="900"),
    )
    actions = build_plan(desired, LiveState(boards={"deals": live_board})).actions
    created = [a for a in actions if isinstance(a, CreateSubitem)]
    assert [(a.address, a.parent.id) for a in created] == [
        ("board.deals.item[D-1].subitem[Mail]", "1")
    ]


def test_people_a_subitem_assigns_are_subscribed_to_the_board_first(tmp_path: Path) -> None:
    text = """
version: 1
boards:
  - name: Deals
    subitems:
      columns: [{id: owner, title: Owner, type: people}]
    items:
      rows:
        - {name: Acme, subitems: [{name: Call, values: {owner: [bob@example.com]}}]}
"""
    world, path = world_with(tmp_path, "people", text, "recorded")
    plan = world.plan(path)
    assert "board.deals.subscribers" in [a.address for a in plan.actions]
    result = world.apply(path)
    assert result.ok, result.failures
    assert not world.plan(path).has_changes


def test_tags_a_subitem_names_are_made_first(tmp_path: Path) -> None:
    text = """
version: 1
boards:
  - name: Deals
    subitems:
      columns: [{id: topics, title: Topics, type: tags}]
    items:
      rows:
        - {name: Acme, subitems: [{name: Call, values: {topics: [renewal]}}]}
"""
    world, path = world_with(tmp_path, "tags", text)
    assert "tag[renewal]" in [a.address for a in world.plan(path).actions]
    result = world.apply(path)
    assert result.ok, result.failures
    assert not world.plan(path).has_changes
