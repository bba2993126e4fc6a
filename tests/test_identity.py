"""Identity without surprises (issue 12, bullet 3), on both sandbox profiles: a renamed
workspace is an update, a board whose workspace changes is moved, ambiguous names and two
entries for one board are refused before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardops.errors import AmbiguousMatch, LiveReadError
from boardops.plan import (
    AdoptBoard,
    AdoptWorkspace,
    CreateBoard,
    CreateColumn,
    CreateItem,
    MoveBoard,
    UpdateWorkspace,
)
from boardops.sandbox import Sandbox
from boardops.views import render_text
from tests.conftest import BOTH_PROFILES, FakeClock
from tests.support.world import World

profile = BOTH_PROFILES


@pytest.fixture
def world(sandbox: Sandbox, clock: FakeClock, tmp_path: Path) -> World:
    return World(sandbox, clock, tmp_path)


def _team(workspace: str, *, previous: str = "", board_in: str = "ops") -> str:
    previous_names = f"\n    previous_names: [{previous}]" if previous else ""
    return f"""
version: 1
workspaces:
  - key: ops
    name: {workspace}{previous_names}
  - key: eng
    name: Engineering
boards:
  - name: Roadmap
    key: roadmap
    workspace: {board_in}
    columns:
      - {{id: ref, title: Ref, type: text}}
    items:
      match_by: [ref]
      rows:
        - {{name: Plan Q3, values: {{ref: R-1}}}}
        - {{name: Hire, values: {{ref: R-2}}}}
  - name: Backlog
    key: backlog
    workspace: ops
"""


def test_renaming_a_workspace_with_previous_names_plans_one_update(world: World) -> None:
    assert world.apply(world.write(_team("Operations"))).ok
    plan = world.plan(world.write(_team("Ops Team", previous="Operations")))
    assert [(type(a), a.address) for a in plan.actions] == [(UpdateWorkspace, "workspace.ops")]
    assert world.apply(world.write(_team("Ops Team", previous="Operations"))).ok
    assert world.plan(world.write(_team("Ops Team", previous="Operations"))).actions == ()
    names = [w.name for w in world.sandbox.state.workspaces]
    assert "Ops Team" in names
    assert "Operations" not in names


def test_a_workspace_rename_without_previous_names_plans_copies(world: World) -> None:
    """The reproduction of the issue: without previous_names everything is a create."""
    assert world.apply(world.write(_team("Operations"))).ok
    plan = world.plan(world.write(_team("Ops Team")))
    assert {type(a) for a in plan.actions} >= {CreateBoard, CreateItem}


def test_a_board_whose_workspace_changes_is_moved_not_copied(world: World) -> None:
    assert world.apply(world.write(_team("Operations"))).ok
    board_id = world.board("Roadmap").id
    moved = world.write(_team("Operations", board_in="eng"))
    plan = world.plan(moved)
    assert [(type(a), a.address) for a in plan.actions] == [(MoveBoard, "board.roadmap")]
    text = render_text(plan.to_dict(), color=False)
    assert '~ board.roadmap: move from workspace "Operations" to workspace "Engineering"' in text
    result = world.apply(moved)
    assert result.ok, result.failures
    board = world.board("Roadmap")
    assert board.id == board_id
    engineering = next(w.id for w in world.sandbox.state.workspaces if w.name == "Engineering")
    assert board.workspace_id == engineering
    assert len([i for i in board.items if i.state == "active"]) == 2
    assert world.plan(moved).actions == ()


def test_a_pinned_board_is_moved_into_a_workspace_created_in_the_same_plan(
    world: World,
) -> None:
    assert world.apply(world.write(_team("Operations"))).ok
    board_id = world.board("Backlog").id
    manifest = world.write(f"""
version: 1
workspaces:
  - {{key: new, name: Brand New}}
boards:
  - {{name: Backlog, key: backlog, id: "{board_id}", workspace: new}}
""")
    plan = world.plan(manifest)
    assert [type(a).__name__ for a in plan.actions] == ["CreateWorkspace", "MoveBoard"]
    assert world.apply(manifest).ok
    assert world.plan(manifest).actions == ()


def test_previous_names_with_both_names_present_is_an_error_naming_both(world: World) -> None:
    """Before: the board already named "Plans" silently became board.roadmap."""
    assert world.apply(world.write(_team("Operations"))).ok
    old = world.board("Roadmap")
    created = world.mutate(
        'mutation ($ws: ID) { create_board(board_name: "Plans", board_kind: public, '
        "workspace_id: $ws) { id } }",
        ws=old.workspace_id,
    )
    other = created["create_board"]["id"]
    renamed = _team("Operations").replace(
        "  - name: Roadmap\n    key: roadmap\n",
        "  - name: Plans\n    key: roadmap\n    previous_names: [Roadmap]\n",
    )
    with pytest.raises(AmbiguousMatch) as caught:
        world.plan(world.write(renamed))
    assert str(caught.value) == (
        f"board.roadmap: board {other} has the name 'Plans' and board {old.id} the previous "
        "name 'Roadmap' in this workspace; which one to keep is ambiguous: pin it with "
        "`id:`, or drop the previous name"
    )


def test_workspace_previous_names_with_both_names_present_is_an_error(world: World) -> None:
    assert world.apply(world.write(_team("Operations"))).ok
    assert world.apply(world.write(_team("Ops Team"))).ok
    with pytest.raises(AmbiguousMatch, match=r"^workspace\.ops: workspace \d+ has the name"):
        world.plan(world.write(_team("Ops Team", previous="Operations")))


def test_two_entries_for_one_board_are_refused_before_it_is_read(world: World) -> None:
    assert world.apply(world.write(_team("Operations"))).ok
    board_id = world.board("Backlog").id
    manifest = world.write(f"""
version: 1
workspaces:
  - {{key: ops, name: Operations}}
boards:
  - name: Backlog
    key: backlog
    workspace: ops
    columns: [{{id: a, title: A, type: text}}]
  - name: Old backlog
    key: pinned
    id: "{board_id}"
    workspace: ops
    columns: [{{id: b, title: B, type: text}}]
""")
    world.sandbox.counters.reset()
    with pytest.raises(LiveReadError) as caught:
        world.plan(manifest)
    assert str(caught.value) == (
        f"board.backlog and board.pinned both stand for the live board {board_id}; one "
        "manifest entry per board (drop one, or fix its `id:` or name)"
    )
    assert world.sandbox.counters.mutation_requests == 0


HAND_MADE = """
version: 1
workspaces:
  - {key: lab, name: Lab}
boards:
  - name: Roadmap
    key: roadmap
    workspace: lab
    columns:
      - {id: ref, title: Ref, type: text}
"""


def _hand_made_workspace(world: World) -> str:
    created = world.mutate('mutation { create_workspace(name: "Lab", kind: open) { id } }')
    workspace_id: str = created["create_workspace"]["id"]
    return workspace_id


def test_a_board_made_by_hand_is_adopted_once(world: World) -> None:
    workspace = _hand_made_workspace(world)
    board = world.mutate(
        'mutation ($w: ID) { create_board(board_name: "Roadmap", board_kind: public, '
        "workspace_id: $w) { id } }",
        w=workspace,
    )["create_board"]["id"]
    # Made in monday's UI: it comes with a status column the manifest does not declare.
    world.mutate(
        'mutation ($b: ID!) { create_column(board_id: $b, title: "Status", '
        "column_type: status) { id } }",
        b=board,
    )
    manifest = world.write(HAND_MADE)
    plan = world.plan(manifest)
    assert [(type(a), a.address) for a in plan.actions] == [
        (AdoptBoard, "board.roadmap"),
        (CreateColumn, "board.roadmap.column.ref"),
    ]
    text = render_text(plan.to_dict(), color=False)
    assert f'= board.roadmap: adopt existing board "Roadmap" (id {board})' in text
    assert "Plan: 1 to create, 0 to update, 0 to remove, 1 to adopt." in text
    assert world.apply(manifest).ok
    assert world.plan(manifest).actions == ()


def test_a_workspace_made_by_hand_is_adopted_once(world: World) -> None:
    workspace = _hand_made_workspace(world)
    manifest = world.write(HAND_MADE)
    plan = world.plan(manifest)
    assert [(type(a), a.address) for a in plan.actions][:2] == [
        (AdoptWorkspace, "workspace.lab"),
        (CreateBoard, "board.roadmap"),
    ]
    text = render_text(plan.to_dict(), color=False)
    assert f'= workspace.lab: adopt existing workspace "Lab" (id {workspace})' in text
    assert world.apply(manifest).ok
    assert world.plan(manifest).actions == ()


def test_a_board_boardops_created_is_never_shown_as_adopted(world: World) -> None:
    manifest = world.write(HAND_MADE)
    assert world.apply(manifest).ok
    changed = world.write(HAND_MADE + "      - {id: more, title: More, type: text}\n")
    plan = world.plan(changed)
    assert [type(a) for a in plan.actions] == [CreateColumn]


def test_a_board_declared_in_its_workspace_is_not_moved_to_a_namesake_in_a_new_one(
    world: World,
) -> None:
    assert world.apply(world.write(_team("Operations"))).ok
    with_lab = (
        _team("Operations").replace("  - key: eng\n", "  - {key: lab, name: Lab}\n  - key: eng\n")
        + "  - {name: Roadmap, key: roadmap-lab, workspace: lab}\n"
    )
    plan = world.plan(world.write(with_lab))
    assert [(type(a).__name__, a.address) for a in plan.actions] == [
        ("CreateWorkspace", "workspace.lab"),
        ("CreateBoard", "board.roadmap-lab"),
    ]
