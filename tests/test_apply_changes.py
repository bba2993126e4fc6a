"""Changing boards that exist: renames, labels, moves, value updates, prune and its guard."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import httpx
import pytest

from boardops.apply import apply_plan
from boardops.apply.prepare import plan_for_apply
from boardops.errors import ApplyError, StalePlan, UnsafePlan
from boardops.manifest import load_manifests
from boardops.monday import MUTATION_SIGNATURES
from boardops.plan import (
    Action,
    ActionKind,
    CreateWorkspace,
    FieldChange,
    GroupPosition,
    MoveGroup,
    ObjectRef,
    Plan,
    UpdateGroup,
    UpdateItem,
)
from tests.conftest import BOTH_PROFILES
from tests.support.world import World, world_fixture

world = pytest.fixture(world_fixture)
profile = BOTH_PROFILES

BASE = """
version: 1
boards:
  - name: {board}
    key: ops
    previous_names: [Ops board]
    prune: {prune}
    columns:
      - id: status
        title: Status
        type: status
        labels:
          - {{label: To do, color: american_gray}}
          - {{label: {doing}, color: working_orange{doing_previous}}}
          - {{label: Done, color: done_green, done: true}}
      - {{id: ref, title: {ref_title}, type: text}}
      - id: area
        title: Area
        type: dropdown
        labels: [{area_labels}]
    groups:
      - {{key: todo, title: To do}}
      - {{key: done, title: {done_title}, previous_titles: [Finished]}}
    items:
      match_by: [ref]
      prune: {prune}
      rows:
{rows}
"""

ROWS = {
    "R-1": "        - {name: One, group: todo, values: {ref: R-1, status: DOING, area: [Web]}}",
    "R-2": "        - {name: Two, group: todo, values: {ref: R-2, status: To do}}",
    "R-3": "        - {name: Three, group: done, values: {ref: R-3, status: Done}}",
}


def manifest(
    world: World,
    *,
    board: str = "Ops board",
    doing: str = "Doing",
    ref_title: str = "Ref",
    done_title: str = "Finished",
    area_labels: str = "Web, API",
    prune: bool = False,
    rows: dict[str, str] | None = None,
) -> Any:
    chosen = dict(ROWS) if rows is None else rows
    text = BASE.format(
        board=board,
        doing=doing,
        doing_previous="" if doing == "Doing" else ", previous_labels: [Doing]",
        ref_title=ref_title,
        done_title=done_title,
        area_labels=area_labels,
        prune="true" if prune else "false",
        rows="\n".join(chosen.values()).replace("DOING", doing),
    )
    return world.write(text)


def item(world: World, name: str, board: str = "Ops board") -> Any:
    return next(i for i in world.board(board).items if i.name == name and i.state == "active")


def group_title(world: World, group_id: str, board: str = "Ops board") -> str:
    return str(next(g.title for g in world.board(board).groups if g.id == group_id))


def mutations_sent(world: World) -> dict[str, int]:
    """Mutation root fields the sandbox has run since its counters were reset."""
    return {
        name: count
        for name, count in world.sandbox.counters.root_fields.items()
        if name in MUTATION_SIGNATURES
    }


class Requests:
    """The JSON bodies the client sends, captured on the way out."""

    def __init__(self, http: httpx.Client) -> None:
        self.bodies: list[dict[str, Any]] = []
        http.event_hooks["request"].append(self._capture)

    def _capture(self, request: httpx.Request) -> None:
        self.bodies.append(json.loads(request.content))

    def variables_named(self, suffix: str) -> list[Any]:
        return [
            value
            for body in self.bodies
            for name, value in (body.get("variables") or {}).items()
            if name.endswith(suffix)
        ]


def test_renamed_board_column_and_group_are_updated_in_place(world: World) -> None:
    world.apply(manifest(world))
    before = world.board("Ops board")
    renamed = manifest(world, board="Ops board 2", ref_title="Reference", done_title="Closed")
    result = world.apply(renamed)
    assert result.ok
    after = world.board("Ops board 2")
    assert after.id == before.id
    assert [g.id for g in after.groups] == [g.id for g in before.groups]
    assert [g.title for g in after.groups] == ["To do", "Closed"]
    assert next(c.title for c in after.columns if c.id == "ref") == "Reference"
    assert not world.plan(renamed).has_changes


def test_status_label_rename_keeps_item_values(world: World) -> None:
    world.apply(manifest(world))
    stored = item(world, "One").values["status"]
    world.sandbox.counters.reset()
    renamed = manifest(world, doing="In progress")
    result = world.apply(renamed)
    assert result.ok
    assert result.counts == {"renamed": 1}
    assert item(world, "One").values["status"] == stored
    labels = next(c for c in world.board("Ops board").columns if c.id == "status").settings
    assert "In progress" in [label["label"] for label in labels["labels"]]
    assert mutations_sent(world) == {"update_status_column": 1}
    assert not world.plan(renamed).has_changes


def test_label_changes_on_one_column_are_one_update_call(world: World) -> None:
    world.apply(manifest(world))
    world.sandbox.counters.reset()
    rows = dict(ROWS, **{"R-1": ROWS["R-1"].replace("[Web]", "[Website]")})
    changed = manifest(
        world, area_labels="{label: Website, previous_labels: [Web]}, API, Mobile", rows=rows
    )
    result = world.apply(changed)
    assert result.ok
    assert result.counts == {"added": 1, "renamed": 1}
    assert mutations_sent(world) == {"update_dropdown_column": 1}
    area = next(c for c in world.board("Ops board").columns if c.id == "area")
    assert [label["label"] for label in area.settings["labels"]] == ["Website", "API", "Mobile"]
    assert item(world, "One").values["area"] == {"ids": [1]}
    assert not world.plan(changed).has_changes


def test_item_moved_between_groups_is_one_move(world: World) -> None:
    world.apply(manifest(world))
    world.sandbox.counters.reset()
    rows = dict(ROWS, **{"R-2": ROWS["R-2"].replace("group: todo", "group: done")})
    moved = manifest(world, rows=rows)
    result = world.apply(moved)
    assert result.counts == {"moved": 1}
    assert mutations_sent(world) == {"move_item_to_group": 1}
    assert group_title(world, item(world, "Two").group_id) == "Finished"
    assert not world.plan(moved).has_changes


def test_an_update_sends_only_the_changed_columns(world: World) -> None:
    world.apply(manifest(world))
    requests = Requests(world.http)
    rows = dict(ROWS, **{"R-1": ROWS["R-1"].replace("status: DOING", "status: Done")})
    result = world.apply(manifest(world, rows=rows))
    assert result.counts == {"updated": 1}
    (sent,) = requests.variables_named("_column_values")
    assert json.loads(sent) == {"status": {"index": 1}}


def test_prune_without_allow_destroy_is_refused_before_anything_is_sent(world: World) -> None:
    world.apply(manifest(world, prune=True))
    pruned = manifest(world, prune=True, rows={"R-1": ROWS["R-1"], "R-2": ROWS["R-2"]})
    before = world.mutations
    with pytest.raises(UnsafePlan, match=r"board\.ops\.item\[R-3\]"):
        world.apply(pruned)
    assert world.mutations == before
    assert item(world, "Three").state == "active"


def test_prune_with_allow_destroy_archives_what_the_manifest_dropped(world: World) -> None:
    world.apply(manifest(world, prune=True))
    pruned = manifest(world, prune=True, rows={"R-1": ROWS["R-1"], "R-2": ROWS["R-2"]})
    result = world.apply(pruned, allow_destroy=True)
    assert result.counts == {"archived": 1}
    three = next(i for i in world.board("Ops board").items if i.name == "Three")
    assert three.state == "archived"
    assert not world.plan(pruned).has_changes


def test_objects_the_manifest_does_not_name_are_left_alone(world: World) -> None:
    world.apply(manifest(world))
    board_id = world.board("Ops board").id
    world.mutate(
        'mutation ($b: ID!) { create_group(board_id: $b, group_name: "Mine") { id } }',
        b=board_id,
    )
    world.mutate(
        'mutation ($b: ID!) { create_item(board_id: $b, item_name: "Hand made") { id } }',
        b=board_id,
    )
    before = world.census()
    world.sandbox.counters.reset()
    result = world.apply(manifest(world))
    assert result.ok
    assert result.counts == {}
    assert world.sandbox.counters.mutation_requests == 0
    assert world.census() == before


def test_a_stale_saved_plan_is_refused_naming_what_moved(world: World) -> None:
    path = manifest(world)
    world.apply(path)
    desired = load_manifests([path])
    saved, _ = plan_for_apply(world.client, desired)
    assert not saved.has_changes
    changed = manifest(world, done_title="Closed")
    desired = load_manifests([changed])
    saved, _ = plan_for_apply(world.client, desired)
    group_id = next(g.id for g in world.board("Ops board").groups if g.title == "Finished")
    world.mutate(
        "mutation ($b: ID!, $g: String!) { update_group(board_id: $b, group_id: $g, "
        'group_attribute: title, new_value: "Renamed by hand") { id } }',
        b=world.board("Ops board").id,
        g=group_id,
    )
    before = world.mutations
    with pytest.raises(StalePlan, match="Renamed by hand"):
        plan_for_apply(world.client, desired, saved)
    assert world.mutations == before


def test_a_fresh_saved_plan_is_applied_as_reviewed(world: World) -> None:
    world.apply(manifest(world))
    changed = manifest(world, done_title="Closed")
    desired = load_manifests([changed])
    saved, _ = plan_for_apply(world.client, desired)
    reloaded = Plan.from_dict(json.loads(json.dumps(saved.to_dict())))
    plan, live = plan_for_apply(world.client, desired, reloaded)
    result = apply_plan(world.client, plan, live=live)
    assert result.counts == {"updated": 1}
    assert not world.plan(changed).has_changes


class Teleport(Action):
    kind: ClassVar[ActionKind] = "create"
    verb: ClassVar[str] = "teleported"


def test_an_action_without_handler_raises_before_anything_is_sent(world: World) -> None:
    plan = Plan(actions=(CreateWorkspace("workspace.x", name="X"), Teleport("board.x")))
    with pytest.raises(ApplyError, match="no handler for action type Teleport"):
        apply_plan(world.client, plan)
    assert world.mutations == 0


def test_a_failed_alias_fails_its_action_and_the_rest_go_on(world: World) -> None:
    world.apply(manifest(world))
    board = world.board("Ops board")
    one = item(world, "One")
    plan = Plan(
        actions=(
            UpdateItem(
                "board.ops.item[R-9]",
                board_id=board.id,
                item_id="999999",
                changes=(FieldChange("name", "Nine", "Niner"),),
            ),
            UpdateItem(
                "board.ops.item[R-1]",
                board_id=board.id,
                item_id=one.id,
                changes=(FieldChange("name", "One", "Uno"),),
            ),
        )
    )
    result = apply_plan(world.client, plan)
    assert [f.address for f in result.failures] == ["board.ops.item[R-9]"]
    assert "not found" in result.failures[0].message
    assert result.counts == {"updated": 1}
    assert item(world, "Uno").id == one.id


STRUCTURE = """
version: 1
workspaces:
  - {{key: ws, name: Studio, description: {ws_description}}}
boards:
  - name: Studio board
    key: studio
    workspace: ws
    description: {board_description}
    prune: true
    columns:
      - id: phase
        title: Phase
        type: status
        labels:
{labels}
      - {{{size_id}title: Size, type: {size_type}}}
{extra_column}
    groups:
{groups}
"""


def studio(
    world: World,
    *,
    ws_description: str = "Design work",
    board_description: str = "Current work",
    labels: tuple[str, ...] = (
        "{label: Draft, color: american_gray}",
        "{label: Review, color: bright_blue}",
        "{label: Final, color: done_green, done: true}",
    ),
    size_type: str = "numbers",
    size_id: str | None = "size",
    extra_column: str = "      - {id: notes, title: Notes, type: long_text}",
    groups: tuple[str, ...] = ("{key: a, title: Alpha}", "{key: b, title: Beta}"),
) -> Any:
    return world.write(
        STRUCTURE.format(
            ws_description=ws_description,
            board_description=board_description,
            labels="\n".join(f"          - {label}" for label in labels),
            size_type=size_type,
            size_id="" if size_id is None else f"id: {size_id}, ",
            extra_column=extra_column,
            groups="\n".join(f"      - {group}" for group in groups),
        ),
        "studio.yaml",
    )


def test_workspace_and_board_descriptions_are_updated(world: World) -> None:
    world.apply(studio(world))
    changed = studio(world, ws_description="All design work", board_description="Now")
    result = world.apply(changed)
    assert result.counts == {"updated": 2}
    assert world.board("Studio board").description == "Now"
    workspace = next(w for w in world.sandbox.state.workspaces if w.name == "Studio")
    assert workspace.description == "All design work"
    assert not world.plan(changed).has_changes


def test_groups_are_reordered_with_relative_positions(world: World) -> None:
    groups = ("{key: a, title: Alpha}", "{key: b, title: Beta}", "{key: c, title: Gamma}")
    world.apply(studio(world, groups=groups))
    reordered = studio(world, groups=(groups[2], groups[0], groups[1]))
    result = world.apply(reordered)
    assert result.counts == {"moved": 1}
    titles = [g.title for g in world.board("Studio board").groups if not g.archived]
    assert titles == ["Gamma", "Alpha", "Beta"]
    assert not world.plan(reordered).has_changes


def test_destructive_structure_changes_run_with_allow_destroy(world: World) -> None:
    world.apply(studio(world))
    status_before = next(c for c in world.board("Studio board").columns if c.id == "phase")
    changed = studio(
        world,
        labels=(
            "{label: Draft, color: american_gray, description: Not reviewed}",
            "{label: Final, color: done_green, done: false}",
        ),
        size_type="text",
        # A type change needs a new column id: monday never reuses one, so the pin goes.
        size_id=None,
        extra_column="",
        groups=("{key: a, title: Alpha}",),
    )
    with pytest.raises(UnsafePlan):
        world.apply(changed)
    result = world.apply(changed, allow_destroy=True)
    assert result.ok, result.failures
    assert result.counts == {
        "archived": 1,
        "deactivated": 1,
        "deleted": 1,
        "replaced": 1,
        "updated": 2,
    }
    board = world.board("Studio board")
    # The replacement takes the old column's place, after the column before it.
    assert [c.title for c in board.columns] == ["Name", "Phase", "Size"]
    size = next(c for c in board.columns if c.title == "Size")
    assert size.type == "text"
    assert size.id != "size"  # monday never reuses a deleted column's id
    assert "notes" not in [c.id for c in board.columns]
    assert [g.title for g in board.groups if not g.archived] == ["Alpha"]
    phase = next(c for c in board.columns if c.id == "phase")
    assert phase.revision != status_before.revision
    labels = {label["label"]: label for label in phase.settings["labels"]}
    assert labels["Review"]["is_deactivated"] is True
    assert labels["Final"]["is_done"] is False
    assert labels["Draft"]["description"] == "Not reviewed"


TAGGED = """
version: 1
boards:
  - name: Tagged
    key: tagged
    columns:
      - {id: ref, title: Ref, type: text}
      - {id: topics, title: Topics, type: tags}
      - {id: lead, title: Lead, type: people}
    groups:
      - {key: all, title: All}
    items:
      match_by: [ref]
      rows:
        - {name: One, values: {ref: A-1, topics: [billing, infra], lead: bob@example.com}}
        - {name: Two, values: {ref: A-2, topics: [infra]}}
"""


def test_missing_tags_are_created_once_and_people_resolved(world: World) -> None:
    path = world.write(TAGGED, "tagged.yaml")
    result = world.apply(path)
    assert result.ok, result.failures
    tags = {t["name"]: int(t["id"]) for t in world.sandbox.state.tags}
    assert {"billing", "infra"} <= set(tags)
    assert world.sandbox.counters.root_fields["create_or_get_tag"] == 2
    one = item(world, "One", board="Tagged")
    assert sorted(one.values["topics"]["tag_ids"]) == sorted([tags["billing"], tags["infra"]])
    bob = next(u for u in world.sandbox.state.users if u["email"] == "bob@example.com")
    assert one.values["lead"]["personsAndTeams"] == [{"id": int(bob["id"]), "kind": "person"}]
    assert not world.plan(path).has_changes


def test_a_failure_is_reported_even_when_an_earlier_action_on_the_same_address_passed(
    world: World,
) -> None:
    world.apply(manifest(world))
    board = world.board("Ops board")
    group = board.groups[0]
    address = "board.ops.group.todo"
    plan = Plan(
        actions=(
            UpdateGroup(
                address,
                board_id=board.id,
                group_id=group.id,
                changes=(FieldChange("title", group.title, "Backlog"),),
            ),
            MoveGroup(
                address,
                board_id=board.id,
                group_id=group.id,
                position=GroupPosition("after", ObjectRef("board.ops.group.gone", "no_such")),
            ),
        )
    )
    result = apply_plan(world.client, plan)
    assert result.counts == {"updated": 1}
    assert [f.address for f in result.failures] == [address]


def test_items_can_use_labels_added_and_renamed_in_the_same_apply(world: World) -> None:
    world.apply(manifest(world))
    rows = dict(
        ROWS,
        **{
            "R-2": ROWS["R-2"].replace("status: To do", "status: In progress"),
            "R-3": ROWS["R-3"].replace("values: {", "values: {area: [Mobile], "),
        },
    )
    changed = manifest(world, doing="In progress", area_labels="Web, API, Mobile", rows=rows)
    result = world.apply(changed)
    assert result.ok, result.failures
    assert item(world, "Two").values["status"] == item(world, "One").values["status"]
    area = next(c for c in world.board("Ops board").columns if c.id == "area")
    mobile = next(label["id"] for label in area.settings["labels"] if label["label"] == "Mobile")
    assert item(world, "Three").values["area"] == {"ids": [mobile]}
    assert not world.plan(changed).has_changes
