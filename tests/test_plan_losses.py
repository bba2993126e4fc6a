"""Destructive actions state what they lose, in the plan line, the Markdown warning and
the summary: items archived with a group or on their own, values cleared by a column
replace or delete."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardops.model import BoardContents, Column, ItemSet
from boardops.plan import ArchiveGroup, DeleteColumn, ReplaceColumn
from boardops.views import render_markdown, render_text, summary_line
from tests.conftest import BOTH_PROFILES
from tests.support.world import World, world_fixture
from tests.test_plan_diff import desired_board, live_board, live_groups, plan_for

world = pytest.fixture(world_fixture)
profile = BOTH_PROFILES

BOARD = """
version: 1
boards:
  - name: Scores
    key: scores
    prune: true
    columns:
{columns}
    groups: [{{key: main, title: Main}}]
    items:
      prune: true
      rows:
{rows}
"""
ROWS = [f"        - {{name: T-{i}, values: {{Score: '{i}', Notes: n{i}}}}}" for i in range(3)]


def scores(world: World, columns: list[str], rows: list[str]) -> Path:
    text = BOARD.format(columns="\n".join(f"      - {c}" for c in columns), rows="\n".join(rows))
    return world.write(text)


def start(world: World) -> None:
    columns = ["{title: Score, type: text}", "{title: Notes, type: text}"]
    result = world.apply(scores(world, columns, ROWS))
    assert result.ok, result.failures


def test_a_replaced_column_says_how_many_values_it_clears(world: World) -> None:
    start(world)
    rows = [row.replace("Score: '", "Score: ").replace("', Notes", ", Notes") for row in ROWS]
    plan = world.plan(
        scores(world, ["{title: Score, type: numbers}", "{title: Notes, type: text}"], rows)
    )
    (replace,) = [a for a in plan.actions if isinstance(a, ReplaceColumn)]
    assert replace.values == 3
    text = render_text(plan.to_dict(), color=False)
    assert "board.scores.column.Score: replace column" in text
    assert "type text -> numbers (clears 3 values)" in text
    (markdown,) = render_markdown(plan.to_dict())
    assert "`board.scores.column.Score` replaced, losing 3 values" in markdown
    assert summary_line(plan.to_dict()).endswith("1 to replace, 0 to remove (loses 3 values).")


def test_a_deleted_column_and_archived_items_are_counted_in_the_summary(world: World) -> None:
    start(world)
    plan = world.plan(
        scores(world, ["{title: Score, type: text}"], [ROWS[0].replace(", Notes: n0", "")])
    )
    (delete,) = [a for a in plan.actions if isinstance(a, DeleteColumn)]
    assert delete.values == 3
    text = render_text(plan.to_dict(), color=False)
    assert 'delete text column "Notes"' in text
    assert "and the 3 values in it" in text
    data = plan.to_dict()
    assert plan.summary["lost_items"] == 2
    assert plan.summary["lost_values"] == 3
    assert summary_line(data).endswith("3 to remove (loses 2 items, 3 values).")


def test_an_archived_group_says_how_many_items_go_with_it() -> None:
    # A structure-only plan archives a group whose items the items prune covers, without
    # archiving or moving them one by one: they go with the group, and the plan says so.
    found = live_board(
        groups=live_groups("Main", "Old"),
        contents=BoardContents(items_by_group={"g_old": 12}),
        items=ItemSet(rows=()),
    )
    wanted = desired_board(prune=True, items=ItemSet(rows=(), prune=True))
    plan = plan_for(wanted, found, compare_items=False)
    (archive,) = [a for a in plan.actions if isinstance(a, ArchiveGroup)]
    assert archive.items == 12
    data = plan.to_dict()
    assert '- board.b.group.g_old: archive group "Old" (g_old) and the 12 items in it' in (
        render_text(data, color=False)
    )
    (markdown,) = render_markdown(data)
    assert "`board.b.group.g_old` archived, losing 12 items" in markdown
    assert summary_line(data).endswith("1 to remove (loses 12 items).")


def test_a_group_holding_items_the_manifest_does_not_manage_stays_with_a_warning() -> None:
    found = live_board(
        groups=live_groups("Main", "Old"), contents=BoardContents(items_by_group={"g_old": 12})
    )
    plan = plan_for(desired_board(prune=True), found)
    assert plan.actions == ()
    assert any("it holds 12 items and the manifest has no `items:`" in w for w in plan.warnings)


def test_losses_not_known_are_said_to_be_uncounted() -> None:
    # A snapshot without items: the column's values cannot be counted.
    found = live_board(columns=(Column(title="Legacy", type="text", id="legacy"),))
    data = plan_for(desired_board(prune=True), found).to_dict()
    assert 'delete text column "Legacy" (legacy) and the values in it' in render_text(
        data, color=False
    )
    assert summary_line(data).endswith("1 to remove (1 action could not count its losses).")
