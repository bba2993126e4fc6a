"""A column type change with a pinned id: monday never reuses a column id, so the plan
refuses it with the fix to make instead of replacing the column under a generated id and
failing every later apply ("Column id is already used")."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardops.errors import PlanError
from tests.conftest import BOTH_PROFILES
from tests.support.world import World, world_fixture

world = pytest.fixture(world_fixture)
profile = BOTH_PROFILES

BOARD = """
version: 1
boards:
  - name: Scores
    columns:
      - {{{pin}title: Score, type: {type}}}
"""


def scores(world: World, column_type: str, pin: str | None = "score") -> Path:
    return world.write(BOARD.format(type=column_type, pin="" if pin is None else f"id: {pin}, "))


def test_a_pinned_column_changing_type_is_refused_with_the_fix_before_anything_is_sent(
    world: World,
) -> None:
    world.apply(scores(world, "text"))
    sent = world.mutations
    with pytest.raises(PlanError) as caught:
        world.apply(scores(world, "numbers"), allow_destroy=True)
    assert str(caught.value) == (
        "board.scores.column.score: type text -> numbers needs a new column, and monday never "
        "reuses a column id: remove `id: score` or give a new one"
    )
    assert world.mutations == sent


def test_dropping_the_pin_replaces_the_column_and_converges(world: World) -> None:
    world.apply(scores(world, "text"))
    changed = scores(world, "numbers", pin=None)
    result = world.apply(changed, allow_destroy=True)
    assert result.ok, result.failures
    assert result.counts == {"replaced": 1}
    assert not world.plan(changed).has_changes
    score = [c for c in world.board("Scores").columns if c.title == "Score" and not c.archived]
    assert [c.type for c in score] == ["numbers"]


def test_a_new_pinned_id_creates_the_column_under_it_and_converges(world: World) -> None:
    world.apply(scores(world, "text"))
    changed = scores(world, "numbers", pin="score_n")
    result = world.apply(changed, allow_destroy=True)
    assert result.ok, result.failures
    assert result.counts == {"created": 1}
    assert not world.plan(changed).has_changes
    live = {c.id: c.type for c in world.board("Scores").columns if not c.archived}
    assert live["score_n"] == "numbers"
