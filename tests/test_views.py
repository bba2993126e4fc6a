"""Views of a serialised plan, checked against golden files compared whole.

Regenerate the golden files only on purpose: ``BOARDOPS_REGEN_GOLDEN=1 pytest tests/test_views.py``
rewrites them (review the diff before committing).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from boardops.model import Board, Column, DesiredState, Group, Item, ItemSet, LiveState
from boardops.plan import ACTION_TYPES, Plan, build_plan
from boardops.views import (
    ViewError,
    apply_summary_line,
    failure_line,
    progress_line,
    render_json,
    render_markdown,
    render_text,
    summary_line,
)
from tests.test_plan_scenarios import NAME_COLUMN, rich_scenario

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("BOARDOPS_REGEN_GOLDEN") == "1"
PART_BREAK = "\n<!-- ===== next comment ===== -->\n"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}: run with BOARDOPS_REGEN_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


def rich() -> dict[str, Any]:
    return build_plan(*rich_scenario()).to_dict()


def unchanged() -> dict[str, Any]:
    board = Board(key="b", name="Board", columns=(Column(title="Notes", type="text", id="n"),))
    live = Board(
        key="b",
        id="1",
        name="Board",
        columns=(NAME_COLUMN, Column(title="Notes", type="text", id="n", revision="1")),
        groups=(Group("g", "Topics", id="g"),),
    )
    plan = build_plan(
        DesiredState(boards=(board,), digest="sha256:same"),
        LiveState(boards={"b": live}, source="snapshot", read_at="2026-11-22T08:00:00Z"),
    )
    return plan.to_dict()


def many_items(count: int) -> dict[str, Any]:
    board = Board(
        key="big",
        name="Big",
        columns=(Column(title="Points", type="numbers", id="points"),),
        groups=(Group("main", "Main"),),
        items=ItemSet(
            rows=tuple(
                Item(f"TASK-{i:04d}", group="main", values={"points": i % 8}) for i in range(count)
            )
        ),
    )
    return build_plan(DesiredState(boards=(board,)), LiveState(boards={"big": None})).to_dict()


# --- golden files ---------------------------------------------------------------------------


def test_text_view_of_every_action_type() -> None:
    check_golden("plan_rich.txt", render_text(rich(), color=False))


def test_text_view_in_colour() -> None:
    check_golden("plan_rich.color.txt", render_text(rich(), color=True))


def test_markdown_view_of_every_action_type() -> None:
    (comment,) = render_markdown(rich())
    check_golden("plan_rich.md", comment)


def test_json_view_of_every_action_type() -> None:
    check_golden("plan_rich.json", render_json(rich()))


def test_no_change_plan_in_every_view() -> None:
    plan = unchanged()
    check_golden("plan_empty.txt", render_text(plan, color=False))
    check_golden("plan_empty.md", PART_BREAK.join(render_markdown(plan)))
    check_golden("plan_empty.json", render_json(plan))


def test_markdown_split_into_numbered_parts() -> None:
    parts = render_markdown(many_items(40), max_chars=2500)
    assert len(parts) > 1
    check_golden("plan_split.md", PART_BREAK.join(parts))


# --- behaviour ------------------------------------------------------------------------------


def test_summary_line_counts_like_terraform() -> None:
    assert summary_line(rich()) == (
        "Plan: 15 to create, 15 to update, 1 to replace, 5 to remove (loses 1 item, 2 values), "
        "3 to adopt."
    )
    assert summary_line(unchanged()) == "No changes. The live boards match the manifest."


@pytest.mark.parametrize("action_type", ACTION_TYPES, ids=lambda t: t.__name__)
def test_each_action_type_renders_its_own_line(action_type: type) -> None:
    plan = build_plan(*rich_scenario())
    action = next(a for a in plan.actions if type(a) is action_type)
    data = Plan(actions=(action,)).to_dict()
    symbol = {
        "create": "+",
        "update": "~",
        "move": "~",
        "replace": "±",
        "delete": "-",
        "adopt": "=",
    }
    line = f"  {symbol[action.kind]} {action.address}: "
    text = render_text(data, color=False)
    assert line in text
    headline = text.split(line, 1)[1].splitlines()[0]
    # A described action never falls back to the generic "<verb> (<Type>)" line.
    assert action_type.__name__ not in headline
    (markdown,) = render_markdown(data)
    assert f"{symbol[action.kind]} {action.address}: {headline}" in markdown


def test_colour_is_only_used_when_asked() -> None:
    assert "\x1b[" not in render_text(rich(), color=False)
    assert "\x1b[32m+\x1b[0m" in render_text(rich(), color=True)


def test_long_markdown_parts_stay_under_the_limit_and_keep_blocks_whole() -> None:
    plan = many_items(3000)
    parts = render_markdown(plan, max_chars=20000)
    assert len(parts) > 5
    for number, part in enumerate(parts, start=1):
        assert len(part) <= 20000
        assert part.startswith(f"**boardops plan, part {number} of {len(parts)}**")
        assert part.count("```") % 2 == 0
        assert part.count("<details>") == part.count("</details>")
    rendered = "".join(parts)
    assert all(f"board.big.item[TASK-{i:04d}]" in rendered for i in range(3000))


def test_many_item_changes_are_folded_in_details() -> None:
    (comment,) = render_markdown(many_items(FOLD := 11))
    assert f"<details><summary>{FOLD} item changes</summary>" in comment
    (small,) = render_markdown(many_items(3))
    assert "<details>" not in small


def test_destructive_plan_gets_a_warning_block() -> None:
    (comment,) = render_markdown(rich())
    assert "> [!WARNING]" in comment
    assert "> - `board.sprint.group.g_old` archived" in comment
    (calm,) = render_markdown(many_items(3))
    assert "[!WARNING]" not in calm


def test_json_view_is_the_plan_dict() -> None:
    plan = rich()
    assert json.loads(render_json(plan)) == json.loads(json.dumps(plan))


def test_views_refuse_a_plan_of_an_unknown_version() -> None:
    plan = rich()
    plan["format_version"] = 2
    with pytest.raises(ViewError, match="format_version 2"):
        render_text(plan, color=False)


def test_snapshot_plans_say_they_are_not_from_live_boards() -> None:
    assert "describe snapshot taken at 2026-11-22T08:00:00Z" in render_text(
        unchanged(), color=False
    )


def test_progress_and_summary_lines_for_apply() -> None:
    assert progress_line("board.x.group.backlog", "created", color=False) == (
        "board.x.group.backlog created"
    )
    assert progress_line("board.x", "created", kind="create", color=True) == (
        "\x1b[32mboard.x created\x1b[0m"
    )
    assert failure_line("board.x.item[A]", "ColumnValueException: bad", color=False) == (
        "board.x.item[A] failed: ColumnValueException: bad"
    )
    summary = apply_summary_line(
        {"created": 3, "archived": 1, "updated": 0},
        requests=5,
        complexity=1200,
        elapsed_seconds=0.84,
        color=False,
    )
    assert summary == "Apply complete: 1 archived, 3 created. 5 requests, complexity 1200, 0.8 s."


def test_golden_files_have_no_terminal_codes_except_the_colour_one() -> None:
    for path in GOLDEN.glob("*"):
        if path.name.endswith(".color.txt"):
            continue
        assert not re.search("\x1b\\[", path.read_text(encoding="utf-8")), path.name
