"""Tags: planned as ``CreateTag`` (``+ tag``) for what item values name and monday lacks,
then made by apply with ``create_or_get_tag``. Tags on private and shareable boards are
board-scoped (recorded behaviour, section 6): ``create_or_get_tag(tag_name:, board_id:)``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from boardops.apply import apply_plan
from boardops.plan import Plan
from boardops.plan.actions import CreateTag
from boardops.sandbox import Faults, ScheduledFault
from boardops.views import render_json, render_markdown, render_text
from tests.support.world import World, world_fixture

world = pytest.fixture(world_fixture)

TAGGED = """
version: 1
boards:
  - name: Tagged {kind}
    key: tagged
    kind: {kind}
    columns:
      - {{id: ref, title: Ref, type: text}}
      - {{id: topics, title: Topics, type: tags}}
    items:
      match_by: [ref]
      rows:
        - {{name: One, values: {{ref: A-1, topics: [billing, infra]}}}}
"""


def tag_calls(world: World, path: Any) -> list[dict[str, Any]]:
    """The variables of every create_or_get_tag the apply sends, by argument name."""
    bodies: list[dict[str, Any]] = []
    world.http.event_hooks["request"].append(lambda r: bodies.append(json.loads(r.content)))
    assert world.apply(path).ok
    calls: dict[str, dict[str, Any]] = {}
    for body in bodies:
        if "create_or_get_tag" not in body.get("query", ""):
            continue
        for name, value in (body.get("variables") or {}).items():
            alias, _, argument = name.partition("_")
            calls.setdefault(f"{id(body)}{alias}", {})[argument] = value
    return [c for c in calls.values() if "tag_name" in c]


@pytest.mark.parametrize("kind", ["private", "share"])
def test_tags_of_a_private_or_shareable_board_are_made_on_that_board(
    world: World, kind: str
) -> None:
    calls = tag_calls(world, world.write(TAGGED.format(kind=kind)))
    board_id = str(world.board(f"Tagged {kind}").id)
    assert sorted(c["tag_name"] for c in calls) == ["billing", "infra"]
    assert {c.get("board_id") for c in calls} == {board_id}


def test_tags_of_a_public_board_are_the_accounts(world: World) -> None:
    calls = tag_calls(world, world.write(TAGGED.format(kind="public")))
    assert sorted(c["tag_name"] for c in calls) == ["billing", "infra"]
    assert all("board_id" not in c for c in calls)


# --- tags are planned: `+ tag`, like everything else apply writes ----------------------------


def test_a_plan_that_needs_a_new_tag_shows_it_and_a_second_apply_changes_nothing(
    world: World,
) -> None:
    path = world.write(TAGGED.format(kind="public"))
    first = world.plan(path)
    created = [a for a in first.actions if isinstance(a, CreateTag)]
    assert [(a.address, a.name, a.board) for a in created] == [
        ("tag[billing]", "billing", None),
        ("tag[infra]", "infra", None),
    ]
    text = render_text(first.to_dict(), color=False)
    assert 'tags\n  + tag[billing]: create account tag "billing"\n' in text
    assert world.apply(path).ok
    assert not world.plan(path).has_changes
    # A new value naming one known tag and one new one: only the new one is planned.
    path.write_text(TAGGED.format(kind="public").replace("[billing, infra]", "[infra, ops]"))
    second = world.plan(path)
    assert [a.address for a in second.actions if isinstance(a, CreateTag)] == ["tag[ops]"]
    assert world.apply(path).ok
    assert not world.plan(path).has_changes


def test_a_new_board_naming_tags_the_account_has_plans_no_tag(world: World) -> None:
    assert world.apply(world.write(TAGGED.format(kind="public"))).ok
    other = (
        TAGGED.format(kind="public")
        .replace("Tagged public", "Second")
        .replace("key: tagged", "key: second")
    )

    plan = world.plan(world.write(other, "second.yaml"))

    assert [a.address for a in plan.actions if isinstance(a, CreateTag)] == []
    assert "board.second.item[A-1]" in [a.address for a in plan.actions]


def test_a_board_scoped_tag_is_planned_on_its_board(world: World) -> None:
    plan = world.plan(world.write(TAGGED.format(kind="private")))
    created = [a for a in plan.actions if isinstance(a, CreateTag)]
    assert [a.address for a in created] == ["board.tagged.tag[billing]", "board.tagged.tag[infra]"]
    assert {a.board.address for a in created if a.board is not None} == {"board.tagged"}
    assert 'create board tag "billing"' in render_text(plan.to_dict(), color=False)


def test_the_json_markdown_and_saved_plan_views_include_the_tags(world: World) -> None:
    plan = world.plan(world.write(TAGGED.format(kind="public")))
    data = plan.to_dict()
    actions: list[dict[str, Any]] = data["actions"]  # type: ignore[assignment]
    tags = [a for a in actions if a["type"] == "CreateTag"]
    assert tags[0] == {
        "type": "CreateTag",
        "address": "tag[billing]",
        "kind": "create",
        "verb": "created",
        "destructive": False,
        "board_key": None,
        "name": "billing",
        "board": None,
    }
    assert '"type": "CreateTag"' in render_json(data)
    assert '+ tag[infra]: create account tag "infra"' in "".join(render_markdown(data))
    assert Plan.from_dict(json.loads(json.dumps(data))) == plan


def test_a_lost_answer_to_the_tag_creation_does_not_create_it_twice(world: World) -> None:
    path = world.write(TAGGED.format(kind="public"))
    # The account tags are the plan's first writes (before the board): mutation request 1.
    world.sandbox.faults = Faults(schedule=(ScheduledFault("lost_ack", 1, True),))
    result = world.apply(path)
    assert result.ok, result.failures
    assert world.sandbox.counters.faults == {"lost_ack": 1}
    assert world.sandbox.counters.root_fields["create_or_get_tag"] == 4  # sent again once
    names = sorted(t["name"] for t in world.sandbox.state.tags)
    assert names == ["billing", "infra"]
    assert not world.plan(path).has_changes


def test_apply_creates_no_tag_its_plan_does_not_show(world: World) -> None:
    path = world.write(TAGGED.format(kind="public"))
    plan = world.plan(path)
    without = Plan(actions=tuple(a for a in plan.actions if not isinstance(a, CreateTag)))
    result = apply_plan(world.client, without)
    assert [f.address for f in result.failures] == ["board.tagged.item[A-1]"]
    assert "billing" in result.failures[0].message
    assert world.sandbox.counters.root_fields.get("create_or_get_tag", 0) == 0
    assert world.sandbox.state.tags == ()
