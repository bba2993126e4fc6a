"""Clearing: ``description: null`` and an item value ``null`` clear on monday (a planned
update shown ``"old" -> null``); an empty description and none at all compare equal; a key
the manifest leaves out leaves monday's value alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardops.plan import FieldChange, UpdateBoard, UpdateColumn, UpdateItem, UpdateWorkspace
from boardops.views import render_text
from tests.conftest import BOTH_PROFILES
from tests.support.world import World, world_fixture

world = pytest.fixture(world_fixture)
profile = BOTH_PROFILES

MANIFEST = """
version: 1
workspaces:
  - {{key: ws, name: Studio{ws}}}
boards:
  - name: Notes board
    key: notes
    workspace: ws
{board}
    columns:
      - {{id: notes, title: Notes, type: text{column}}}
      - {{id: size, title: Size, type: numbers}}
    items:
      rows:
        - {{name: A, values: {values}}}
"""


def notes(
    world: World,
    *,
    ws: str = "",
    board: str = "",
    column: str = "",
    values: str = "{notes: hi, size: 3}",
) -> Path:
    text = MANIFEST.format(
        ws=ws, board=f"    {board}" if board else "", column=column, values=values
    )
    return world.write(text)


DESCRIBED = {
    "ws": ", description: Old",
    "board": "description: Old",
    "column": ", description: Old",
}
CLEARED = {
    "ws": ", description: null",
    "board": "description: null",
    "column": ", description: null",
}


def test_description_null_clears_the_workspace_board_and_column_descriptions(
    world: World,
) -> None:
    assert world.apply(notes(world, **DESCRIBED)).ok
    cleared = notes(world, **CLEARED)
    plan = world.plan(cleared)
    cleared_change = (FieldChange("description", "Old", None),)
    updates = {
        type(a).__name__: a.changes
        for a in plan.actions
        if isinstance(a, UpdateWorkspace | UpdateBoard | UpdateColumn)
    }
    assert updates == {
        "UpdateWorkspace": cleared_change,
        "UpdateBoard": cleared_change,
        "UpdateColumn": cleared_change,
    }
    assert 'description: "Old" -> null' in render_text(plan.to_dict(), color=False)
    result = world.apply(cleared)
    assert result.ok, result.failures
    assert not world.board("Notes board").description
    assert not world.plan(cleared).has_changes


@pytest.mark.parametrize("written", ['""', "null"])
def test_an_empty_description_equals_none_and_plans_nothing(world: World, written: str) -> None:
    empty = notes(world, board=f"description: {written}", column=f", description: {written}")
    assert world.apply(empty).ok
    assert not world.plan(empty).has_changes


def test_a_description_left_out_leaves_monday_s_alone(world: World) -> None:
    assert world.apply(notes(world, **DESCRIBED)).ok
    plan = world.plan(notes(world))
    assert not plan.has_changes
    assert world.board("Notes board").description == "Old"


def test_a_null_value_clears_it_and_a_missing_one_is_left_alone(world: World) -> None:
    assert world.apply(notes(world)).ok
    cleared = notes(world, values="{notes: null}")
    plan = world.plan(cleared)
    (update,) = [a for a in plan.actions if isinstance(a, UpdateItem)]
    assert update.changes == (FieldChange("notes", "hi", None),)
    assert 'notes: "hi" -> null' in render_text(plan.to_dict(), color=False)
    result = world.apply(cleared)
    assert result.ok, result.failures
    item = next(i for i in world.board("Notes board").items if i.name == "A")
    assert "notes" not in item.values or not item.values["notes"]
    assert item.values["size"]  # left out of the manifest: left alone
    assert not world.plan(cleared).has_changes


def test_a_new_item_with_a_null_value_is_created_without_it(world: World) -> None:
    path = notes(world, values="{notes: null, size: 2}")
    result = world.apply(path)
    assert result.ok, result.failures
    assert not world.plan(path).has_changes
