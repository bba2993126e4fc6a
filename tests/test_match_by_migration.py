"""Switching ``match_by`` to a newly added column (issue 12, bullet 4), on both sandbox
profiles: no live item has the new key yet, so items whose key columns are empty on
monday and whose name matches exactly one declared row are adopted and given their key,
never created a second time."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardops.plan import AdoptItem, CreateColumn, CreateItem, UpdateItem
from boardops.sandbox import Sandbox
from boardops.views import render_text
from tests.conftest import BOTH_PROFILES, FakeClock
from tests.support.world import World

profile = BOTH_PROFILES

BY_NAME = """
version: 1
boards:
  - name: Tasks
    key: tasks
    columns:
      - {id: notes, title: Notes, type: text}
    items:
      rows:
        - {name: Write docs, values: {notes: first}}
        - {name: Ship it, values: {notes: second}}
        - {name: Celebrate}
"""

BY_REF = """
version: 1
boards:
  - name: Tasks
    key: tasks
    columns:
      - {id: notes, title: Notes, type: text}
      - {id: ref, title: Ref, type: text}
    items:
      match_by: [ref]
      rows:
        - {name: Write docs, values: {ref: T-1, notes: first}}
        - {name: Ship it, values: {ref: T-2, notes: second}}
        - {name: Celebrate, values: {ref: T-3}}
        - {name: Retro, values: {ref: T-4}}
"""


@pytest.fixture
def world(sandbox: Sandbox, clock: FakeClock, tmp_path: Path) -> World:
    return World(sandbox, clock, tmp_path)


def _active(world: World) -> list[tuple[str, object]]:
    board = world.board("Tasks")
    return sorted((i.name, i.values.get("ref")) for i in board.items if i.state == "active")


def test_switching_match_by_to_a_new_column_adopts_the_items_by_name(world: World) -> None:
    assert world.apply(world.write(BY_NAME)).ok
    plan = world.plan(world.write(BY_REF))
    kinds = [(type(a), a.address) for a in plan.actions]
    assert kinds == [
        (CreateColumn, "board.tasks.column.ref"),
        (AdoptItem, "board.tasks.item[T-1]"),
        (UpdateItem, "board.tasks.item[T-1]"),
        (AdoptItem, "board.tasks.item[T-2]"),
        (UpdateItem, "board.tasks.item[T-2]"),
        (AdoptItem, "board.tasks.item[T-3]"),
        (UpdateItem, "board.tasks.item[T-3]"),
        (CreateItem, "board.tasks.item[T-4]"),
    ]
    text = render_text(plan.to_dict(), color=False)
    assert '= board.tasks.item[T-1]: adopt existing item "Write docs" (id ' in text
    assert "= adopt" in text
    assert "3 to adopt." in text
    result = world.apply(world.write(BY_REF))
    assert result.ok, result.failures
    assert _active(world) == [
        ("Celebrate", "T-3"),
        ("Retro", "T-4"),
        ("Ship it", "T-2"),
        ("Write docs", "T-1"),
    ]
    assert world.plan(world.write(BY_REF)).actions == ()


def test_a_name_two_live_items_share_is_created_with_a_warning(world: World) -> None:
    """Not adopted when the name is ambiguous: a create, and the plan says why."""
    assert world.apply(world.write(BY_NAME)).ok
    board_id = world.board("Tasks").id
    world.mutate(
        'mutation ($b: ID!) { create_item(board_id: $b, item_name: "Celebrate") { id } }',
        b=board_id,
    )
    plan = world.plan(world.write(BY_REF))
    creates = [a.address for a in plan.actions if isinstance(a, CreateItem)]
    assert creates == ["board.tasks.item[T-3]", "board.tasks.item[T-4]"]
    (warning,) = [w for w in plan.warnings if "T-3" in w]
    assert warning.startswith("board.tasks.item[T-3]: created, while live item ")
    assert "has the same name 'Celebrate' and matches no declared row" in warning


def test_without_adoption_every_item_would_be_created_again(world: World) -> None:
    """The reproduction of the issue: the plan's creates, adoptions left out, duplicate."""
    assert world.apply(world.write(BY_NAME)).ok
    plan = world.plan(world.write(BY_REF))
    adopted = {a.address for a in plan.actions if isinstance(a, AdoptItem)}
    assert adopted == {"board.tasks.item[T-1]", "board.tasks.item[T-2]", "board.tasks.item[T-3]"}
    # Each adopted row would otherwise have had no live item with its key.
    assert not any(isinstance(a, CreateItem) and a.address in adopted for a in plan.actions)
