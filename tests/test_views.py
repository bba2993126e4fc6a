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

from boardops.errors import ViewError
from boardops.model import (
    Board,
    Column,
    DesiredState,
    Group,
    Item,
    ItemSet,
    LiveState,
    StatusLabel,
)
from boardops.plan import ACTION_TYPES, Plan, build_plan
from boardops.plan.plan import Targeting
from boardops.plan.target import narrow
from boardops.views import (
    apply_summary_line,
    failure_line,
    md_code,
    progress_line,
    render_json,
    render_markdown,
    render_text,
    summary_line,
)
from tests.support.scenarios import (
    NAME_COLUMN,
    access_scenario,
    every_action_type_plan_actions,
    live_label,
    rich_scenario,
)

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


def test_access_plan_renders_as_its_golden_files() -> None:
    """Owners, subscribers, teams, roles and workspace members (README, Access)."""
    plan = build_plan(*access_scenario()).to_dict()
    check_golden("plan_access.txt", render_text(plan, color=False))
    check_golden("plan_access.md", PART_BREAK.join(render_markdown(plan)))
    check_golden("plan_access.json", render_json(plan))


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


def test_a_partial_plan_says_so_in_every_view() -> None:
    desired, live = rich_scenario()
    targeting = Targeting(
        targets=("board.roadmap", "board.sprint.item[ENG-3]"),
        excludes=("board.roadmap.column.Quarter",),
    )
    plan = narrow(build_plan(desired, live), targeting, desired).to_dict()
    check_golden("plan_partial.txt", render_text(plan, color=False))
    check_golden("plan_partial.md", PART_BREAK.join(render_markdown(plan)))
    check_golden("plan_partial.json", render_json(plan))


def test_markdown_split_into_numbered_parts() -> None:
    parts = render_markdown(many_items(40), max_chars=2500)
    assert len(parts) > 1
    check_golden("plan_split.md", PART_BREAK.join(parts))


# --- behaviour ------------------------------------------------------------------------------


def test_summary_line_counts_like_terraform() -> None:
    assert summary_line(rich()) == (
        "Plan: 15 to create, 16 to update, 1 to replace, 5 to remove (loses 1 item, 2 values), "
        "3 to adopt."
    )
    assert summary_line(unchanged()) == "No changes. The live boards match the manifest."


@pytest.mark.parametrize("action_type", ACTION_TYPES, ids=lambda t: t.__name__)
def test_each_action_type_renders_its_own_line(action_type: type) -> None:
    action = next(a for a in every_action_type_plan_actions() if type(a) is action_type)
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
    plan["format_version"] = 3
    with pytest.raises(ViewError, match="format_version 3"):
        render_text(plan, color=False)


def test_snapshot_plans_say_they_are_not_from_live_boards() -> None:
    assert "describe snapshot taken at 2026-11-22T08:00:00Z" in render_text(
        unchanged(), color=False
    )


def test_sandbox_plans_name_the_sandbox_and_its_state_file_in_every_view() -> None:
    plan = build_plan(
        DesiredState(boards=(), digest="sha256:same"),
        LiveState(source="sandbox", origin="state/s`b.json", read_at="2026-11-22T08:00:00Z"),
    ).to_dict()

    assert render_text(plan, color=False).splitlines()[0] == (
        "Compared with the sandbox state/s`b.json as of 2026-11-22T08:00:00Z, not monday."
    )
    assert (
        f"Compared with the sandbox {md_code('state/s`b.json')} as of "
        f"{md_code('2026-11-22T08:00:00Z')}, not monday." in render_markdown(plan)[0]
    )
    assert json.loads(render_json(plan))["live_origin"] == "state/s`b.json"
    assert Plan.from_dict(plan).to_dict() == plan


def test_the_apply_summary_names_the_sandbox_it_applied_to() -> None:
    summary = apply_summary_line(
        {"created": 1}, requests=2, elapsed_seconds=0.1, color=False, sandbox="s.json"
    )
    assert summary == "Apply complete on the sandbox s.json: 1 created. 2 requests, 0.1 s."


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


def test_an_apply_with_failures_never_says_complete() -> None:
    summary = apply_summary_line(
        {"created": 3, "updated": 1},
        requests=9,
        elapsed_seconds=1.25,
        failed=2,
        skipped=1,
        color=False,
    )
    assert summary == (
        "Apply failed: 2 of 7 actions failed, 1 not attempted; 4 succeeded (3 created, "
        "1 updated). 9 requests, 1.2 s."
    )
    nothing = apply_summary_line({}, requests=1, elapsed_seconds=0.0, failed=1, color=False)
    assert nothing.startswith("Apply failed: 1 of 1 action failed; none succeeded.")


def test_golden_files_have_no_terminal_codes_except_the_colour_one() -> None:
    for path in GOLDEN.glob("*"):
        if path.name.endswith(".color.txt"):
            continue
        assert not re.search("\x1b\\[", path.read_text(encoding="utf-8")), path.name


# --- Markdown injection ---------------------------------------------------------------------
# Names, labels, titles, values and addresses come from monday or from the pull request; the
# Markdown view puts every one of them in code (``md_code`` or a fenced block), so none can
# add an image, a link, a mention, close a <details> or split a table.

ATTACKS = {
    "html": "<img src=x onerror=alert(1)>",
    "link": "[click](https://evil.example)",
    "mention": "@someone",
    "details": "</details><details open>",
    "backticks": "`` ` ```",
    "fence": "\n```\n<img src=y>",
    "pipe": "a | b",
    "newline": "one\n# Heading\n",
}
# Markers that must never be found outside code.
MARKERS = ("<img", "](", "@someone", "# Heading", "<details open")


def outside_code(markdown: str) -> str:
    """The Markdown with fenced blocks and inline code spans removed (CommonMark's rules:
    a fence closes on a line of at least as many of its characters; a span closes on the
    next backtick run of exactly its length, on the same line here, which only keeps more
    text outside code than a renderer would)."""
    kept: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        found = re.match(r"`{3,}|~{3,}", stripped) if indent < 4 else None
        run = found.group() if found is not None else ""
        if fence is None and run:
            fence = run
            continue
        if fence is not None:
            closes = run[:1] == fence[0] and len(run) >= len(fence)
            if closes and not stripped[len(run) :].strip():
                fence = None
            continue
        kept.append(_strip_spans(line))
    assert fence is None, "a fenced block is left open"
    return "\n".join(kept)


def _strip_spans(line: str) -> str:
    out, position = [], 0
    runs = list(re.finditer("`+", line))
    index = 0
    while index < len(runs):
        opening = runs[index]
        closing = next(
            (r for r in runs[index + 1 :] if len(r.group()) == len(opening.group())), None
        )
        if closing is None:
            index += 1
            continue
        out.append(line[position : opening.start()])
        position = closing.end()
        index = runs.index(closing) + 1
    out.append(line[position:])
    return "".join(out)


def code_span_text(span: str) -> str:
    """What a renderer shows for one code span (CommonMark: one space stripped from each
    side when both are spaces and it is not all spaces)."""
    ticks = len(span) - len(span.lstrip("`"))
    inner = span[ticks:-ticks]
    if len(inner) > 1 and inner[0] == inner[-1] == " " and inner.strip():
        inner = inner[1:-1]
    return inner


def hostile(value: Any, payload: str) -> Any:
    """The plan dict with ``payload`` appended to every string a renderer could show
    (action types, kinds, verbs and relations stay: they are boardops' own vocabulary)."""
    if isinstance(value, dict):
        return {
            key: item if key in ("type", "kind", "verb", "relation") else hostile(item, payload)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [hostile(item, payload) for item in value]
    if isinstance(value, str):
        return value + payload
    return value


def assert_no_markdown_injection(markdown: str) -> None:
    text = outside_code(markdown)
    for marker in MARKERS:
        assert marker not in text, (marker, text)
    tags = re.findall(r"</?[A-Za-z][^>]*>", text)
    assert set(tags) <= {"<details>", "</details>", "<summary>", "</summary>"}, tags
    assert text.count("<details>") == text.count("</details>")
    for row in (line for line in text.split("\n") if line.startswith("|")):
        assert len(re.findall(r"(?<!\\)\|", row)) == 6, row


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_live_strings_cannot_inject_markdown_into_the_pr_comment(attack: str) -> None:
    plan = hostile(rich(), ATTACKS[attack])
    plan["warnings"] = [f"board.sprint: column {ATTACKS[attack]!s} is odd"]

    for part in render_markdown(plan):
        assert_no_markdown_injection(part)
    # Folded item changes, split into several comments.
    for part in render_markdown(hostile(many_items(40), ATTACKS[attack]), max_chars=2500):
        assert len(part) <= 2500
        assert_no_markdown_injection(part)


def test_a_hostile_label_and_item_from_monday_stay_in_code() -> None:
    payload = "<img src=x onerror=alert(1)> [click](https://evil.example) @someone"
    desired = DesiredState(
        boards=(
            Board(
                key="b",
                name="Board",
                prune=True,
                columns=(
                    Column(
                        title="Status",
                        type="status",
                        id="status",
                        status_labels=(
                            StatusLabel("Blocked", color="stuck_red"),
                            StatusLabel(payload, color="done_green"),
                        ),
                    ),
                ),
                items=ItemSet(prune=True, rows=()),
            ),
        )
    )
    live = LiveState(
        boards={
            "b": Board(
                key="b",
                id="1",
                name="Board",
                columns=(
                    NAME_COLUMN,
                    Column(
                        title=payload,
                        type="status",
                        id="status",
                        revision="1",
                        # Each holds the colour the other wants: a warning names both.
                        status_labels=(
                            live_label(payload, "stuck_red", 1),
                            live_label("Blocked", "done_green", 2),
                        ),
                    ),
                ),
                groups=(Group("g", payload, id="g"),),
                items=ItemSet(rows=(Item(name=payload, id="7", group="g", values={}),)),
            )
        }
    )
    plan = build_plan(desired, live).to_dict()
    (comment,) = render_markdown(plan)

    assert "held by the live label '<img" in comment  # a warning quoting the live label
    assert "onerror" in comment  # shown, in code
    assert_no_markdown_injection(comment)


@pytest.mark.parametrize(
    "text", ["plain", "a`b", "`starts", "ends`", "`` double ``", " spaced ", "```", ""]
)
def test_a_code_span_shows_any_text_verbatim(text: str) -> None:
    span = md_code(text)

    assert code_span_text(span) == (text or " ")
    assert _strip_spans(span) == ""


def test_a_pipe_in_a_table_cell_is_escaped_and_shown_as_a_pipe() -> None:
    span = md_code("a|b", in_table=True)

    assert not re.search(r"(?<!\\)\|", span)
    assert code_span_text(span).replace("\\|", "|") == "a|b"
