"""Placement: workspace folders, the folder a board sits in, and what an item is called.

Specification tests, on the sandbox (both profiles where monday's answers differ):
folders are created parents first, renamed and recoloured in place, pruned only when
empty and with --allow-destroy; a board names its folder by path and moving it between
folders or workspaces is one update (its items stay); ``item_nickname`` is set on create
and updated in place; export writes all of it back, so that export -> plan is empty and
``export --no-ids`` -> apply on an empty account recreates it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from boardops.apply import ActionCompleted, Event
from boardops.errors import AmbiguousMatch, PlanError, UnsafePlan
from boardops.export import export
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.model import Folder
from boardops.plan import (
    CreateBoard,
    CreateFolder,
    DeleteFolder,
    MoveBoard,
    UpdateBoard,
    UpdateFolder,
    build_plan,
)
from boardops.sandbox import Faults, ScheduledFault
from boardops.snapshot import live_from_dict, live_to_dict
from boardops.views import render_json, render_markdown, render_text
from tests.conftest import BOTH_PROFILES, GraphQL
from tests.support.cli import invoke, one_error_line
from tests.support.scenarios import placement_scenario
from tests.support.world import World, fresh_world, world_fixture
from tests.test_views import PART_BREAK, check_golden

profile = BOTH_PROFILES
world = pytest.fixture(world_fixture)

PLACED = """
version: 1
workspaces:
  - name: Sales
    key: sales
    prune: true
    folders:
      - name: Clients
        color: bright_blue
        folders:
          - name: Active
          - name: Lost
      - name: Internal
boards:
  - name: Deals
    key: deals
    workspace: sales
    folder: Clients/Active
    item_nickname: {singular: Deal, plural: Deals}
    columns:
      - {id: stage, title: Stage, type: text}
    items:
      rows:
        - {name: Acme, values: {stage: won}}
  - name: Notes
    key: notes
    workspace: sales
    folder: Internal
"""


def manifest(world: World, text: str = PLACED, name: str = "placed.yaml") -> Path:
    return world.write(text, name)


def folders(world: World) -> dict[str, dict[str, Any]]:
    """The sandbox's folders by path (``Clients/Active``), with their records."""
    records: dict[str, dict[str, Any]] = world.sandbox.state._data.get("folders", {})

    def path(record: dict[str, Any]) -> str:
        parent = records.get(record.get("parent_id") or "")
        return record["name"] if parent is None else f"{path(parent)}/{record['name']}"

    return {path(r): r for r in records.values()}


def board_record(world: World, name: str) -> dict[str, Any]:
    found = [b for b in world.sandbox.state._data["boards"].values() if b["name"] == name]
    assert len(found) == 1, found
    record: dict[str, Any] = found[0]
    return record


# --- the plan: golden views ---------------------------------------------------------------


def placement_plan() -> dict[str, Any]:
    plan = build_plan(*placement_scenario())
    data: dict[str, Any] = plan.to_dict()
    return data


def test_the_placement_plan_in_every_view() -> None:
    data = placement_plan()
    check_golden("plan_placement.txt", render_text(data, color=False))
    check_golden("plan_placement.md", PART_BREAK.join(render_markdown(data)))
    check_golden("plan_placement.json", render_json(data))


def test_a_renamed_folder_is_updated_in_place_and_its_new_sub_folder_goes_inside_it() -> None:
    actions = build_plan(*placement_scenario()).actions
    (update,) = [a for a in actions if isinstance(a, UpdateFolder)]
    assert update.folder_id == "501"
    assert {c.field: (c.before, c.after) for c in update.changes} == {
        "name": ("Customers", "Clients"),
        "color": ("bright_blue", "sunset"),
    }
    active = next(a for a in actions if isinstance(a, CreateFolder) and a.name == "Active")
    assert active.parent is not None
    assert active.parent.id == "501"


def test_prune_deletes_only_the_empty_folder_and_keeps_one_holding_a_board_that_stays() -> None:
    desired, live = placement_scenario()
    plan = build_plan(desired, live)
    deleted = [a for a in plan.actions if isinstance(a, DeleteFolder)]
    assert [(a.name, a.folder_id) for a in deleted] == [("Old", "502")]
    assert any("folder[Misc]" in w and "not deleted" in w for w in plan.warnings)


def test_without_prune_undeclared_folders_are_reported_and_left_alone() -> None:
    desired, live = placement_scenario()
    desired = replace(desired, workspaces=(replace(desired.workspaces[0], prune=False),))
    plan = build_plan(desired, live)
    assert not any(isinstance(a, DeleteFolder) for a in plan.actions)
    assert {u.address for u in plan.unmanaged if u.kind == "folder"} == {
        "workspace.ops.folder[Old]",
        "workspace.ops.folder[Misc]",
    }


def test_moving_a_board_between_folders_is_one_move_never_a_recreate() -> None:
    actions = build_plan(*placement_scenario()).actions
    (move,) = [a for a in actions if isinstance(a, MoveBoard)]
    assert (move.board_id, move.from_folder, move.to_folder_path) == (
        "4001",
        "Misc",
        "Clients/Active",
    )
    assert not move.moves_workspace
    assert not any(isinstance(a, CreateBoard) and a.name == "CRM" for a in actions)


def test_an_item_nickname_change_is_a_board_update_with_the_nickname_input() -> None:
    actions = build_plan(*placement_scenario()).actions
    (update,) = [a for a in actions if isinstance(a, UpdateBoard)]
    (change,) = update.changes
    assert change.field == "item_nickname"
    assert change.before == "Task"
    assert change.after == {"preset_type": "other", "singular": "Deal", "plural": "Deals"}


# --- apply on the sandbox ------------------------------------------------------------------


def test_folders_and_boards_in_them_are_created_and_a_second_apply_changes_nothing(
    world: World,
) -> None:
    path = manifest(world)
    result = world.apply(path)
    assert result.ok, result.failures
    made = folders(world)
    assert sorted(made) == ["Clients", "Clients/Active", "Clients/Lost", "Internal"]
    assert made["Clients"]["color"] == "BRIGHT_BLUE"
    assert board_record(world, "Deals")["board_folder_id"] == made["Clients/Active"]["id"]
    assert board_record(world, "Notes")["board_folder_id"] == made["Internal"]["id"]
    assert board_record(world, "Deals")["item_terminology"] == "Deal"
    mutations = world.mutations
    assert not world.plan(path).has_changes
    assert world.apply(path).ok
    assert world.mutations == mutations


def test_a_board_moved_to_another_folder_keeps_its_id_and_items(world: World) -> None:
    path = manifest(world)
    assert world.apply(path).ok
    before = board_record(world, "Deals")
    items = list(before["item_ids"])
    moved = manifest(world, PLACED.replace("folder: Clients/Active", "folder: Clients/Lost"))
    plan = world.plan(moved)
    assert [type(a).__name__ for a in plan.actions] == ["MoveBoard"]
    assert world.apply(moved).ok
    after = board_record(world, "Deals")
    assert after["id"] == before["id"]
    assert after["item_ids"] == items
    assert after["board_folder_id"] == folders(world)["Clients/Lost"]["id"]
    assert not world.plan(moved).has_changes


def test_a_board_moved_to_a_folder_of_another_workspace_is_one_move(world: World) -> None:
    assert world.apply(manifest(world)).ok
    board_id = board_record(world, "Deals")["id"]
    other = PLACED.replace(
        "boards:",
        "  - name: Support\n    key: support\n    folders:\n      - name: Escalated\nboards:",
    ).replace(
        "    workspace: sales\n    folder: Clients/Active",
        "    workspace: support\n    folder: Escalated",
    )
    path = manifest(world, other)
    moves = [a for a in world.plan(path).actions if isinstance(a, MoveBoard)]
    assert len(moves) == 1
    assert moves[0].moves_workspace
    assert moves[0].to_folder is not None
    assert world.apply(path).ok
    record = board_record(world, "Deals")
    assert record["id"] == board_id
    assert record["board_folder_id"] == folders(world)["Escalated"]["id"]
    assert not world.plan(path).has_changes


def test_empty_undeclared_folders_go_only_under_prune_and_allow_destroy(world: World) -> None:
    assert world.apply(manifest(world)).ok
    fewer = manifest(world, PLACED.replace("          - name: Lost\n", ""))
    refused = world.plan(fewer)
    assert [a.address for a in refused.actions if isinstance(a, DeleteFolder)] == [
        "workspace.sales.folder[Clients/Lost]"
    ]
    with pytest.raises(UnsafePlan):
        world.apply(fewer)
    assert "Clients/Lost" in folders(world)
    assert world.apply(fewer, allow_destroy=True).ok
    assert "Clients/Lost" not in folders(world)
    assert not world.plan(fewer).has_changes


def test_a_folder_still_holding_a_board_is_never_deleted(world: World) -> None:
    assert world.apply(manifest(world)).ok
    # Notes is no longer managed here, and Internal is no longer declared: it holds Notes.
    text = PLACED.replace("      - name: Internal\n", "")
    text = text[: text.index("  - name: Notes")]
    plan = world.plan(manifest(world, text))
    assert not any(isinstance(a, DeleteFolder) for a in plan.actions)
    assert any("folder[Internal]" in w for w in plan.warnings)


def test_a_board_leaving_a_folder_lets_the_plan_delete_it_after_the_move(world: World) -> None:
    assert world.apply(manifest(world)).ok
    text = PLACED.replace("      - name: Internal\n", "").replace(
        "folder: Internal", "folder: Clients"
    )
    path = manifest(world, text)
    plan = world.plan(path)
    kinds = [type(a).__name__ for a in plan.actions]
    assert "MoveBoard" in kinds
    assert "DeleteFolder" in kinds
    assert world.apply(path, allow_destroy=True).ok
    assert "Internal" not in folders(world)
    assert not world.plan(path).has_changes


def test_a_board_may_name_a_folder_that_exists_only_on_monday(world: World) -> None:
    assert world.apply(manifest(world)).ok
    workspace_id = board_record(world, "Deals")["workspace_id"]
    world.mutate(
        'mutation ($w: ID) { create_folder(name: "Hand made", workspace_id: $w) { id } }',
        w=workspace_id,
    )
    text = f"""
version: 1
boards:
  - name: Stray
    workspace: {{id: "{workspace_id}"}}
    folder: Hand made
"""
    path = manifest(world, text, "stray.yaml")
    assert world.apply(path).ok
    assert board_record(world, "Stray")["board_folder_id"] == folders(world)["Hand made"]["id"]


def test_a_folder_path_found_nowhere_is_a_plan_error_with_a_suggestion(world: World) -> None:
    assert world.apply(manifest(world)).ok
    desired = load_manifests(
        [manifest(world, PLACED.replace("folder: Internal", "folder: Internl"))]
    )
    with pytest.raises(PlanError) as raised:
        build_plan(desired, read_live(world.client, desired))
    message = str(raised.value)
    assert message.startswith("board.notes: folder 'Internl'")
    assert 'did you mean "Internal"' in message


def test_a_changed_item_nickname_is_updated_and_read_back(world: World) -> None:
    assert world.apply(manifest(world)).ok
    path = manifest(world, PLACED.replace("singular: Deal, plural: Deals", "singular: Lead"))
    plan = world.plan(path)
    assert [type(a).__name__ for a in plan.actions] == ["UpdateBoard"]
    assert world.apply(path).ok
    assert board_record(world, "Deals")["item_terminology"] == "Lead"
    assert not world.plan(path).has_changes


def test_a_lost_answer_to_create_folder_makes_no_duplicate(tmp_path: Path) -> None:
    clean = fresh_world(tmp_path, "clean")
    documents = clean.record_mutations()
    assert clean.apply(manifest(clean)).ok
    nth = next(i for i, doc in enumerate(documents, 1) if ": create_folder(" in doc)
    lost = fresh_world(tmp_path, "lost")
    lost.sandbox.faults = Faults(schedule=(ScheduledFault("lost_ack", nth, True),))
    events: list[Event] = []
    path = manifest(lost)
    result = lost.apply(path, on_event=events.append)
    assert result.ok, result.failures
    assert lost.sandbox.counters.faults == {"lost_ack": 1}
    assert any(isinstance(e, ActionCompleted) and e.recovered for e in events)
    assert sorted(folders(lost)) == sorted(folders(clean))
    assert not lost.plan(path).has_changes


# --- export round trip -----------------------------------------------------------------------


def test_export_then_plan_is_empty_and_no_ids_recreates_folders_and_placement(
    world: World, tmp_path: Path
) -> None:
    assert world.apply(manifest(world)).ok
    pinned = world.write(export(world.client, workspaces=["Sales"]), "exported.yaml")
    assert not world.plan(pinned).has_changes
    text = export(world.client, workspaces=["Sales"], pin_ids=False)
    assert "folder: Clients/Active" in text
    assert "item_nickname: {singular: Deal}" in text
    other = fresh_world(tmp_path, "other")
    copy = other.write(text, "copy.yaml")
    assert other.apply(copy).ok
    assert sorted(folders(other)) == sorted(folders(world))
    deals = board_record(other, "Deals")
    assert deals["board_folder_id"] == folders(other)["Clients/Active"]["id"]
    assert deals["item_terminology"] == "Deal"
    assert not other.plan(copy).has_changes
    again = export(other.client, workspaces=["Sales"], pin_ids=False)
    assert sorted(again.splitlines()) == sorted(text.splitlines())  # boards may differ in order


# --- manifest errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("color: bright_blue", "color: bright_blu"),
            "placed.yaml:9:16: workspaces[0].folders[0].color: 'bright_blu' is not a valid "
            "folder colour; did you mean 'bright_blue'?",
        ),
        (
            ("          - name: Lost", "          - name: Active"),
            "placed.yaml:12:19: workspace.sales: duplicate folder name 'Active' among sibling "
            "folders (also on line 11)",
        ),
        (
            ("      - name: Internal", "      - name: In/ternal"),
            "placed.yaml:13:15: workspace.sales: folder name 'In/ternal' holds '/', which "
            "separates the names of a board's folder path; rename it",
        ),
        (
            ("folder: Internal", "folder: ' / '"),
            "placed.yaml:28:13: board.notes: folder: names no folder (write a path such as "
            "'Clients/Active')",
        ),
    ],
    ids=["bad-colour", "duplicate-siblings", "slash-in-name", "empty-path"],
)
def test_placement_mistakes_are_one_line_naming_the_file_and_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    path = tmp_path / "placed.yaml"
    path.write_text(PLACED.replace(*change))
    result = invoke("validate", str(path))
    assert one_error_line(result).replace(str(tmp_path) + "/", "") == expected


def test_a_snapshot_keeps_folders_and_placement_so_a_plan_from_it_is_empty(
    world: World,
) -> None:
    path = manifest(world)
    assert world.apply(path).ok
    desired = load_manifests([path])
    live = read_live(world.client, desired)
    saved = live_from_dict(json.loads(json.dumps(live_to_dict(live))))
    assert saved.folders == live.folders
    assert [f.board_ids for f in saved.folders] == [f.board_ids for f in live.folders]
    assert saved.boards["deals"] == live.boards["deals"]
    assert not build_plan(desired, saved).has_changes


def test_a_board_in_the_main_workspace_may_sit_in_a_folder_of_the_main_workspace(
    world: World,
) -> None:
    created = world.mutate('mutation { create_folder(name: "Shared") { id } }')
    folder_id = created["create_folder"]["id"]
    listed = world.client.query(
        "query { folders(workspace_ids: [null]) { id name workspace { id } } }"
    )["folders"]
    assert [f["id"] for f in listed] == [folder_id]
    path = manifest(world, "version: 1\nboards:\n  - {name: Inbox, folder: Shared}\n", "main.yaml")
    assert world.apply(path).ok
    assert board_record(world, "Inbox")["board_folder_id"] == folder_id
    assert not world.plan(path).has_changes


# --- the sandbox's folders, as documented ------------------------------------------------------


def test_the_sandbox_refuses_to_delete_a_folder_holding_a_board(gql: GraphQL) -> None:
    workspace = gql.data('mutation { create_workspace(name: "W", kind: open) { id } }')
    space = workspace["create_workspace"]["id"]
    folder = gql.data(
        'mutation ($w: ID) { create_folder(name: "F", workspace_id: $w, color: SUNSET) '
        "{ id color } }",
        w=space,
    )["create_folder"]
    assert folder["color"] == "SUNSET"
    gql.data(
        'mutation ($w: ID, $f: ID) { create_board(board_name: "B", board_kind: public, '
        "workspace_id: $w, folder_id: $f) { id } }",
        w=space,
        f=folder["id"],
    )
    refused = gql.error(
        "mutation ($f: ID!) { delete_folder(folder_id: $f) { id } }", f=folder["id"]
    )
    assert refused["extensions"]["code"] == "InvalidArgumentException"
    children = gql.data(
        "query ($f: [ID!]) { folders(ids: $f) { children { name } } }", f=[folder["id"]]
    )
    assert children["folders"][0]["children"] == [{"name": "B"}]


def test_the_sandbox_reads_back_an_item_nickname_set_on_an_existing_board(gql: GraphQL) -> None:
    board = gql.data('mutation { create_board(board_name: "B", board_kind: public) { id } }')
    board_id = board["create_board"]["id"]
    gql.data(
        "mutation ($b: ID!, $v: String!) { update_board(board_id: $b, "
        "board_attribute: item_nickname, new_value: $v) }",
        b=board_id,
        v=json.dumps({"preset_type": "other", "singular": "Ticket", "plural": "Tickets"}),
    )
    read = gql.data("query ($b: [ID!]) { boards(ids: $b) { item_terminology } }", b=[board_id])
    assert read["boards"][0]["item_terminology"] == "Ticket"


def test_two_live_folders_of_one_name_under_one_parent_are_ambiguous() -> None:
    desired, live = placement_scenario()
    twin = Folder(name="Customers", id="509", workspace_id="77", board_ids=())
    with pytest.raises(AmbiguousMatch) as raised:
        build_plan(desired, replace(live, folders=(*live.folders, twin)))
    assert str(raised.value) == (
        "workspace.ops.folder[Clients]: 2 folders named 'Customers' in workspace.ops "
        "(ids 501, 509); rename one on monday"
    )


def test_plan_and_apply_name_a_missing_folder_in_one_line_and_send_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "placed.yaml"
    path.write_text(PLACED.replace("folder: Internal", "folder: Clients/Activ"))
    state = tmp_path / "sandbox.json"
    for command in ("plan", "apply"):
        extra = ["--auto-approve"] if command == "apply" else []
        result = invoke(command, str(path), *extra, f"--sandbox={state}")
        assert one_error_line(result) == (
            "board.notes: folder 'Clients/Activ' is not a folder of workspace 'sales': declare "
            "it under the workspace's `folders`, or create it on monday "
            '(did you mean "Clients/Active"?)'
        )
    listing = invoke("sandbox", "show", f"--sandbox={state}")
    assert "Sales" not in listing.output
