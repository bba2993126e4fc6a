"""Prune never archives what the manifest does not manage: a board keeps its last group,
a group holding declared items stays, and a group holding items is archived only when
the manifest's items prune covers them (else a plan warning says why it stays)."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardops.live import read_live
from boardops.manifest import load_manifests, validate_paths
from boardops.model import BoardContents
from boardops.plan import ArchiveGroup, ArchiveItem, Plan, PlanOptions, build_plan
from tests.conftest import BOTH_PROFILES
from tests.support.world import World, world_fixture
from tests.test_plan_diff import desired_board, live_board, live_groups, plan_for

world = pytest.fixture(world_fixture)
profile = BOTH_PROFILES

BOARD = """
version: 1
boards:
  - name: Tasks
    key: tasks
    prune: {prune}
{groups}
{items}
"""


def tasks(world: World, *, prune: bool = True, groups: str = "", items: str = "") -> Path:
    text = BOARD.format(prune="true" if prune else "false", groups=groups, items=items)
    return world.write(text)


def archived_groups(plan: Plan) -> list[str]:
    return [a.title for a in plan.actions if isinstance(a, ArchiveGroup)]


def test_validate_explains_that_prune_needs_a_declared_group(tmp_path: Path) -> None:
    path = tmp_path / "tasks.yaml"
    path.write_text(BOARD.format(prune="true", groups="", items=""))
    state, errors = validate_paths([path])
    assert state is None
    (error,) = errors
    assert error.render().startswith(f"{path}:6:")
    assert "prune: true needs at least one declared group" in error.render()


def test_a_plan_never_archives_a_board_s_only_group_when_no_group_is_declared() -> None:
    # Built without the manifest loader (which refuses it): the plan itself keeps the
    # group, since monday boards always have one and items would go with it.
    found = live_board(groups=live_groups("Main"), contents=BoardContents())
    plan = plan_for(desired_board(prune=True, groups=()), found)
    assert plan.actions == ()
    (warning,) = plan.warnings
    assert warning.startswith("board.b.group.g_main: not archived although prune is on: a board")


def test_prune_never_archives_the_board_s_last_group(world: World) -> None:
    world.apply(tasks(world, prune=False))
    plan = world.plan(tasks(world, groups="    groups: [{key: todo, title: To do}]"))
    # The only live group ("Group Title") is taken as the declared group, not archived.
    assert archived_groups(plan) == []


GROUPS = "    groups: [{key: todo, title: To do}, {key: old, title: Old}]"
ONE_GROUP = "    groups: [{key: todo, title: To do}]"
ITEMS = """    items:
      prune: {prune}
      rows:
{rows}"""


def test_a_group_holding_items_is_not_archived_when_the_manifest_has_no_items(
    world: World,
) -> None:
    world.apply(
        tasks(
            world,
            groups=GROUPS,
            items=ITEMS.format(prune="false", rows="        - {name: A, group: old}"),
        )
    )
    plan = world.plan(tasks(world, groups=ONE_GROUP))
    assert archived_groups(plan) == []
    (warning,) = [w for w in plan.warnings if "not archived" in w]
    assert warning.startswith("board.tasks.group.")
    assert "it holds 1 item and the manifest has no `items:`" in warning


def test_a_group_holding_items_is_not_archived_when_items_prune_is_off(world: World) -> None:
    rows = "        - {name: A, group: old}"
    world.apply(tasks(world, groups=GROUPS, items=ITEMS.format(prune="false", rows=rows)))
    kept = ITEMS.format(prune="false", rows="        - {name: B, group: todo}")
    plan = world.plan(tasks(world, groups=ONE_GROUP, items=kept))
    assert archived_groups(plan) == []
    assert any("does not prune items" in w for w in plan.warnings)


def test_a_plan_that_does_not_compare_items_keeps_groups_holding_declared_items(
    world: World,
) -> None:
    rows = "        - {name: A, group: old}"
    world.apply(tasks(world, groups=GROUPS, items=ITEMS.format(prune="true", rows=rows)))
    # Without comparing items the plan would not move A out of "Old" before archiving it.
    desired = load_manifests(
        [
            tasks(
                world,
                groups=ONE_GROUP,
                items=ITEMS.format(prune="true", rows=rows.replace("old", "todo")),
            )
        ]
    )
    plan = build_plan(
        desired, read_live(world.client, desired), options=PlanOptions(compare_items=False)
    )
    assert archived_groups(plan) == []
    assert any("declared items this plan leaves in it (A)" in w for w in plan.warnings)


def test_an_empty_group_is_archived_and_the_plan_converges(world: World) -> None:
    world.apply(tasks(world, groups=GROUPS))
    pruned = tasks(world, groups=ONE_GROUP)
    plan = world.plan(pruned)
    assert archived_groups(plan) == ["Old"]
    result = world.apply(pruned, allow_destroy=True)
    assert result.ok, result.failures
    assert not world.plan(pruned).has_changes


def test_items_moved_out_or_archived_let_their_group_go(world: World) -> None:
    rows = "        - {name: A, group: old}\n        - {name: B, group: old}"
    world.apply(tasks(world, groups=GROUPS, items=ITEMS.format(prune="true", rows=rows)))
    # A moves to "To do", B is no longer declared (items prune archives it).
    pruned = tasks(
        world,
        groups=ONE_GROUP,
        items=ITEMS.format(prune="true", rows="        - {name: A, group: todo}"),
    )
    plan = world.plan(pruned)
    assert archived_groups(plan) == ["Old"]
    assert [a.name for a in plan.actions if isinstance(a, ArchiveItem)] == ["B"]
    result = world.apply(pruned, allow_destroy=True)
    assert result.ok, result.failures
    assert [i.name for i in world.board("Tasks").items if i.state == "active"] == ["A"]
    assert not world.plan(pruned).has_changes
