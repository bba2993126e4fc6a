"""A new board's default group becomes its first declared group, and a failed title or
colour update there never leaves a group that a later run duplicates (recorded
behaviour, section 4: group colours are refused more often than the docs suggest)."""

from __future__ import annotations

import pytest

from boardops.apply import ApplyFinished, apply_plan
from boardops.live import read_live
from boardops.model import Board, Column, DesiredState, Group, Item, ItemSet
from boardops.plan import CreateGroup, UpdateGroup, build_plan
from tests.support.world import World, world_fixture

world = pytest.fixture(world_fixture)


def board_with(first_color: str) -> DesiredState:
    return DesiredState(
        boards=(
            Board(
                key="launch",
                name="Launch",
                columns=(Column(title="Ref", type="text", id="ref"),),
                groups=(
                    Group(key="now", title="Now", color=first_color),
                    Group(key="later", title="Later", color="#c4c4c4"),
                ),
                items=ItemSet(
                    rows=(Item("Kick-off", group="now", values={"ref": "L-1"}),),
                    match_by=("ref",),
                ),
            ),
        )
    )


def apply(world: World, desired: DesiredState) -> ApplyFinished:
    live = read_live(world.client, desired)
    return apply_plan(world.client, build_plan(desired, live), live=live)


def converged(world: World, desired: DesiredState) -> bool:
    return not build_plan(desired, read_live(world.client, desired)).has_changes


def groups(world: World) -> list[tuple[str, str]]:
    board = world.board("Launch")
    return [(g.title, g.color) for g in board.groups if not g.archived and not g.deleted]


def test_a_refused_colour_on_the_default_group_leaves_one_group_and_the_rerun_converges(
    world: World,
) -> None:
    # The sandbox refuses this colour on update_group, as monday may refuse one.
    result = apply(world, board_with("red"))
    assert [f.address for f in result.failures] == ["board.launch.group.now"]
    titles = [title for title, _ in groups(world)]
    assert titles == ["Now", "Later"]
    board = world.board("Launch")
    assert [i.name for i in board.items if i.state == "active"] == ["Kick-off"]
    fixed = board_with("#00c875")
    live = read_live(world.client, fixed)
    plan = build_plan(fixed, live)
    assert [type(a) for a in plan.actions] == [UpdateGroup]
    assert not any(isinstance(a, CreateGroup) for a in plan.actions)
    assert apply(world, fixed).ok
    assert groups(world) == [("Now", "#00c875"), ("Later", "#c4c4c4")]
    assert converged(world, fixed)


def test_the_default_group_takes_the_first_groups_title_and_colour(world: World) -> None:
    assert apply(world, board_with("#00c875")).ok
    assert groups(world) == [("Now", "#00c875"), ("Later", "#c4c4c4")]
    assert converged(world, board_with("#00c875"))
