"""Tags on private and shareable boards are board-scoped (recorded behaviour, section 6):
apply gets or creates them with ``create_or_get_tag(tag_name:, board_id:)``."""

from __future__ import annotations

import json
from typing import Any

import pytest

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
