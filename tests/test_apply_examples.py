"""Applying the shipped examples to an empty sandbox: converges, and stays converged, on
monday as documented and on monday as real accounts answer (the recorded profile)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from boardops.apply import ActionCompleted, Event
from boardops.errors import PlanError
from boardops.manifest import load_manifests
from boardops.sandbox import Sandbox
from tests.conftest import BOTH_PROFILES, FakeClock
from tests.support.world import World, example_paths, world_fixture

profile = BOTH_PROFILES


@pytest.fixture
def world(sandbox: Sandbox, clock: FakeClock, tmp_path: Path) -> Iterator[World]:
    # crm.yaml declares a closed workspace, which only Enterprise accounts can hold (the
    # recorded account is on the standard tier: see the test below).
    sandbox.set_account(tier="enterprise")
    yield from world_fixture(sandbox, clock, tmp_path)


EXAMPLE_SETS = [
    ["crm.yaml"],
    ["teams.yaml"],
    ["teams.yaml", "sprint.yaml"],
    ["teams.yaml", "bug-tracker.yaml"],
    ["crm.yaml", "accounts.yaml"],
    ["accounts.yaml", "bug-tracker.yaml", "crm.yaml", "sprint.yaml", "teams.yaml"],
]


@pytest.mark.parametrize("names", EXAMPLE_SETS, ids=["+".join(n) for n in EXAMPLE_SETS])
def test_applied_examples_plan_no_changes(world: World, names: list[str]) -> None:
    paths = example_paths(names)
    result = world.apply(*paths)
    assert result.ok, result.failures
    assert not world.plan(*paths).has_changes


def test_on_an_account_that_is_not_enterprise_the_closed_workspace_stops_the_plan(
    world: World,
) -> None:
    world.sandbox.set_account(tier="standard")
    with pytest.raises(PlanError, match=r"^workspace\.sales: kind closed needs an Enterprise"):
        world.plan(*example_paths(["crm.yaml"]))
    assert world.mutations == 0


def test_second_apply_sends_no_mutation(world: World) -> None:
    paths = example_paths(
        ["accounts.yaml", "bug-tracker.yaml", "crm.yaml", "sprint.yaml", "teams.yaml"]
    )
    world.apply(*paths)
    before = world.mutations
    second = world.apply(*paths)
    assert second.ok
    assert second.counts == {}
    assert world.mutations == before


def test_new_board_ends_with_exactly_the_declared_groups_and_columns(world: World) -> None:
    paths = example_paths(["teams.yaml", "sprint.yaml"])
    world.apply(*paths)
    board = world.board("Sprint 48 - Platform")
    assert [g.title for g in board.groups if not g.archived] == [
        "This sprint",
        "In progress",
        "Done",
    ]
    assert [g.color for g in board.groups] == ["#579bfc", "#fdab3d", "#00c875"]
    assert [c.id for c in board.columns] == [
        "name",
        "status",
        "owner",
        "points",
        "due",
        "ext_id",
        "pr",
    ]


def test_items_are_created_with_their_values_and_groups(world: World) -> None:
    world.apply(*example_paths(["teams.yaml", "sprint.yaml"]))
    board = world.board("Sprint 48 - Platform")
    titles = {g.id: g.title for g in board.groups}
    by_name = {i.name: i for i in board.items}
    ci = by_name["Set up CI for the billing service"]
    assert titles[ci.group_id] == "Done"
    assert ci.values["ext_id"] == "PLAT-101"
    assert ci.values["status"] == {"index": 1}  # done_green is label id 1
    assert ci.values["points"] == "3"
    # No group in the manifest: monday's first group.
    assert titles[by_name["Write the incident runbook"].group_id] == "This sprint"


def test_every_completed_action_is_reported_once_with_its_verb(world: World) -> None:
    paths = example_paths(["crm.yaml"])
    plan = world.plan(*paths)
    events: list[Event] = []
    world.apply(*paths, on_event=events.append)
    completed = [e for e in events if isinstance(e, ActionCompleted)]
    assert sorted(e.address for e in completed) == sorted(a.address for a in plan.actions)
    # New boards: everything is created, and the people the items assign are subscribed.
    assert {e.verb for e in completed} == {"created", "subscribed"}
    first = completed[0]
    assert first.address == "workspace.sales"


def test_item_mutations_travel_in_batches(world: World) -> None:
    rows = "\n".join(f"      - {{name: Task {n}, values: {{ref: T-{n}}}}}" for n in range(60))
    path = world.write(
        f"""
version: 1
boards:
  - name: Batch board
    key: batch
    columns:
      - {{id: ref, title: Ref, type: text}}
    groups:
      - {{key: todo, title: To do}}
    items:
      match_by: [ref]
      rows:
{rows}
"""
    )
    assert load_manifests([path]).boards[0].items is not None
    before = world.sandbox.counters.root_fields.get("create_item", 0)
    result = world.apply(path)
    assert result.ok
    assert world.sandbox.counters.root_fields.get("create_item", 0) - before == 60
    # create_board, create_column, update_group (default group reused), then 60 items: 25
    # in the first batch, the rest in one or two more requests.
    assert result.requests <= 8


COLUMNS = """
version: 1
boards:
  - name: Columns
    key: columns
    columns:
{columns}
    groups:
      - {{key: only, title: Only}}
"""


def test_new_columns_with_pinned_ids_are_created_in_one_request(world: World) -> None:
    columns = "\n".join(
        f"      - {{id: {key}, title: {key.title()}, type: text}}" for key in ("a", "b", "c", "d")
    )
    result = world.apply(world.write(COLUMNS.format(columns=columns)))
    assert result.ok
    # create_board, the default group's new title, then all four columns together.
    assert world.mutations == 3
    assert [c.id for c in world.board("Columns").columns] == ["name", "a", "b", "c", "d"]


def test_a_column_placed_after_one_with_a_generated_id_waits_for_its_answer(
    world: World,
) -> None:
    columns = "\n".join(f"      - {{title: {t}, type: text}}" for t in ("A", "B", "C"))
    path = world.write(COLUMNS.format(columns=columns))
    result = world.apply(path)
    assert result.ok
    assert world.mutations == 2 + 3
    assert [c.title for c in world.board("Columns").columns] == ["Name", "A", "B", "C"]
    assert not world.plan(path).has_changes
