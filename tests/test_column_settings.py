"""Column settings and width, end to end: the manifest's ``settings:`` (per column type,
from the one registry in ``boardops.column_settings``) and ``width:``, planned path by
path, applied with ``update_column`` (or ``create_column(defaults:)``), read back, and
exported so that export -> plan is empty and ``--no-ids`` rebuilds them elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator  # type: ignore[import-untyped]

from boardops import column_settings
from boardops.apply import ActionCompleted, Event, apply_plan
from boardops.errors import ManifestError
from boardops.export import export
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.plan import CreateColumn, FieldChange, UpdateColumnSettings, build_plan
from boardops.sandbox import Faults, ScheduledFault
from tests.conftest import BOTH_PROFILES, GraphQL
from tests.support.world import World, fresh_world, world_fixture

world = pytest.fixture(world_fixture)
profile = BOTH_PROFILES

BUDGET = """
version: 1
boards:
  - name: Budget
    key: budget
    columns:
      - id: amount
        title: Amount
        type: numbers
        settings: {{unit: {{symbol: "{symbol}", direction: left}}}}
        width: {width}
      - {{id: stars, title: Stars, type: rating, settings: {{limit: {limit}}}}}
      - {{id: owner, title: Owner, type: people}}
"""


def budget(symbol: str = "$", width: int = 180, limit: int = 10) -> str:
    return BUDGET.format(symbol=symbol, width=width, limit=limit)


def column(world: World, column_id: str, board: str = "Budget") -> dict[str, Any]:
    data = world.client.query(
        "query { boards(limit: 50) { name columns { id settings width revision } } }", {}
    )
    (found,) = [b for b in data["boards"] if b["name"] == board]
    (raw,) = [c for c in found["columns"] if c["id"] == column_id]
    return dict(raw)


def settings_update(world: World, column_id: str, settings: dict[str, Any]) -> None:
    """Another writer changes a column's settings (a new revision)."""
    raw = column(world, column_id)
    world.mutate(
        "mutation($b: ID!, $i: String!, $r: String!, $s: JSON) { update_column(board_id: $b,"
        " id: $i, revision: $r, settings: $s, column_type: numbers) { id } }",
        b=world.board("Budget").id,
        i=column_id,
        r=raw["revision"],
        s=settings,
    )


# --- the manifest -------------------------------------------------------------------------


def test_settings_and_width_load_as_declared(tmp_path: Path) -> None:
    path = tmp_path / "budget.yaml"
    path.write_text(budget())
    (board,) = load_manifests([path]).boards
    amount, stars, owner = board.columns
    assert amount.declared_settings == {"unit": {"symbol": "$", "direction": "left"}}
    assert amount.width == 180
    assert stars.declared_settings == {"limit": 10}
    assert (owner.declared_settings, owner.width) == (None, None)


def test_the_manifest_schema_takes_each_types_keys_from_the_registry() -> None:
    rules = column_settings.manifest_rules()
    by_type = {
        rule["if"]["properties"]["type"].get("const"): rule["then"]["properties"]["settings"]
        for rule in rules
    }
    for column_type, keys in column_settings.SETTINGS.items():
        assert set(by_type[column_type]["properties"]) == set(keys)
    assert by_type[None]["properties"] == {}  # every other type: no settings keys


# --- the sandbox --------------------------------------------------------------------------


def test_get_column_type_schema_answers_the_registrys_draft_07_schema(gql: GraphQL) -> None:
    schema = gql.data("query { get_column_type_schema(type: numbers) }")["get_column_type_schema"]
    assert schema["$schema"] == column_settings.DRAFT_07
    assert set(schema["properties"]) == {"unit"}
    Draft7Validator.check_schema(schema)
    assert list(Draft7Validator(schema).iter_errors({"unit": {"direction": "left"}})) == []
    assert list(Draft7Validator(schema).iter_errors({"unit": {"direction": "up"}})) != []
    # Keys other code owns are listed for their types (checked where they are owned).
    relation = gql.data("query { get_column_type_schema(type: board_relation) }")
    assert "boardIds" in relation["get_column_type_schema"]["properties"]


def _board(gql: GraphQL) -> str:
    created = gql.data('mutation { create_board(board_name: "B", board_kind: public) { id } }')
    return str(created["create_board"]["id"])


def test_create_column_defaults_are_checked_stored_and_read_back(gql: GraphQL) -> None:
    board = _board(gql)
    created = gql.data(
        'mutation($b: ID!, $d: JSON) { create_column(board_id: $b, title: "N",'
        " column_type: numbers, defaults: $d) { id settings width } }",
        b=board,
        d={"unit": {"symbol": "%", "direction": "right"}},
    )["create_column"]
    assert created["settings"] == {"unit": {"symbol": "%", "direction": "right"}}
    assert created["width"] is None
    refused = gql.error(
        'mutation($b: ID!, $d: JSON) { create_column(board_id: $b, title: "M",'
        " column_type: rating, defaults: $d) { id } }",
        b=board,
        d={"limit": "ten"},
    )
    assert refused["extensions"]["error_data"]["path"] == "limit"


def test_update_column_checks_settings_and_sets_width_with_the_current_revision(
    gql: GraphQL,
) -> None:
    board = _board(gql)
    made = gql.data(
        'mutation($b: ID!) { create_column(board_id: $b, title: "S", column_type: rating)'
        " { id revision } }",
        b=board,
    )["create_column"]
    update = (
        "mutation($b: ID!, $i: String!, $r: String!, $s: JSON, $w: Int) { update_column("
        "board_id: $b, id: $i, revision: $r, settings: $s, width: $w, column_type: rating)"
        " { settings settings_str width revision } }"
    )
    refused = gql.error(update, b=board, i=made["id"], r=made["revision"], s={"limit": 11})
    assert refused["extensions"]["error_data"]["path"] == "limit"
    done = gql.data(update, b=board, i=made["id"], r=made["revision"], s={"limit": 7}, w=90)
    assert done["update_column"]["settings"] == {"limit": 7}
    assert '"limit": 7' in done["update_column"]["settings_str"]
    assert done["update_column"]["width"] == 90
    stale = gql.error(update, b=board, i=made["id"], r=made["revision"], w=80)
    assert stale["extensions"]["code"] in ("InvalidColumnRevisionException", "REVISION_MISMATCH")


# --- plan and apply -----------------------------------------------------------------------


def test_a_new_column_is_created_with_its_settings_and_then_given_its_width(
    world: World,
) -> None:
    path = world.write(budget())
    plan = world.plan(path)
    creates = {a.address: a for a in plan.actions if isinstance(a, CreateColumn)}
    assert creates["board.budget.column.amount"].spec.settings == {
        "unit": {"symbol": "$", "direction": "left"}
    }
    widths = [a for a in plan.actions if isinstance(a, UpdateColumnSettings)]
    assert [(a.address, a.changes) for a in widths] == [
        ("board.budget.column.amount", (FieldChange("width", None, 180),))
    ]
    assert world.apply(path).ok
    amount = column(world, "amount")
    assert amount["settings"] == {"unit": {"symbol": "$", "direction": "left"}}
    assert amount["width"] == 180
    assert column(world, "stars")["settings"] == {"limit": 10}


def test_nested_differences_are_planned_path_by_path_in_one_update(world: World) -> None:
    path = world.write(budget())
    assert world.apply(path).ok
    path.write_text(budget(symbol="€", width=200, limit=5))
    plan = world.plan(path)
    updates = [a for a in plan.actions if isinstance(a, UpdateColumnSettings)]
    assert [(a.address, a.changes) for a in updates] == [
        (
            "board.budget.column.amount",
            (FieldChange("settings.unit.symbol", "$", "€"), FieldChange("width", 180, 200)),
        ),
        ("board.budget.column.stars", (FieldChange("settings.limit", 10, 5),)),
    ]
    before = world.mutations
    assert world.apply(path).ok
    assert world.mutations - before == 2  # one update_column per column
    assert column(world, "amount")["settings"]["unit"]["symbol"] == "€"
    assert column(world, "amount")["width"] == 200


def test_second_apply_changes_nothing(world: World) -> None:
    path = world.write(budget())
    assert world.apply(path).ok
    before = world.mutations
    assert not world.plan(path).has_changes
    assert world.apply(path).ok
    assert world.mutations == before


def test_keys_the_manifest_leaves_out_and_unknown_live_keys_are_kept_and_reported(
    world: World,
) -> None:
    path = world.write(budget())
    assert world.apply(path).ok
    settings_update(
        world,
        "amount",
        {"unit": {"symbol": "$", "direction": "left", "custom_unit": "kg"}, "function": "sum"},
    )
    path.write_text(budget(symbol="€"))
    plan = world.plan(path)
    assert [w for w in plan.warnings if "function" in w] == [
        "board.budget.column.amount: monday's settings of this column also hold function, "
        "which boardops does not manage: left as they are"
    ]
    assert world.apply(path).ok
    assert column(world, "amount")["settings"] == {
        "unit": {"symbol": "€", "direction": "left", "custom_unit": "kg"},
        "function": "sum",
    }


def test_a_column_changed_since_the_plan_is_updated_from_its_current_revision(
    world: World,
) -> None:
    path = world.write(budget())
    assert world.apply(path).ok
    path.write_text(budget(symbol="€"))
    desired = load_manifests([path])
    live = read_live(world.client, desired)
    plan = build_plan(desired, live)
    settings_update(world, "amount", {"unit": {"symbol": "£", "direction": "right"}})
    result = apply_plan(world.client, plan, live=live)
    assert result.ok, result.failures
    assert column(world, "amount")["settings"] == {"unit": {"symbol": "€", "direction": "left"}}


def test_a_lost_answer_to_the_update_is_settled_by_updating_again(world: World) -> None:
    path = world.write(budget())
    assert world.apply(path).ok
    path.write_text(budget(symbol="€", width=150))
    world.sandbox.faults = Faults(schedule=(ScheduledFault("lost_ack", 1, True),))
    events: list[Event] = []
    result = world.apply(path, on_event=events.append)
    assert result.ok, result.failures
    assert world.sandbox.counters.faults == {"lost_ack": 1}
    assert [e.address for e in events if isinstance(e, ActionCompleted)] == [
        "board.budget.column.amount"
    ]
    world.sandbox.faults = Faults()
    assert column(world, "amount")["width"] == 150
    assert not world.plan(path).has_changes


# --- export ---------------------------------------------------------------------------------


def test_export_plans_empty_and_without_ids_rebuilds_the_settings_elsewhere(
    world: World, tmp_path: Path
) -> None:
    path = world.write(budget(symbol="€", width=222, limit=7))
    assert world.apply(path).ok
    exported = world.write(export(world.client, boards=["Budget"]), "exported.yaml")
    assert "settings: {unit: {symbol: €, direction: left}}, width: 222" in exported.read_text()
    assert not world.plan(exported).has_changes

    copy = world.write(export(world.client, boards=["Budget"], pin_ids=False), "copy.yaml")
    other = fresh_world(tmp_path, "other")
    assert other.apply(copy).ok
    assert column(other, "amount")["settings"] == {"unit": {"symbol": "€", "direction": "left"}}
    assert column(other, "amount")["width"] == 222
    stars = [c for c in other.board("Budget").columns if c.type == "rating"]
    assert [c.settings for c in stars] == [{"limit": 7}]
    before = other.mutations
    assert not other.plan(copy).has_changes
    assert other.apply(copy).ok
    assert other.mutations == before


def test_rating_values_are_checked_against_the_declared_limit(world: World) -> None:
    path = world.write(budget(limit=5))
    assert world.apply(path).ok
    rows = "    items:\n      rows:\n        - {name: Top, values: {stars: 8}}\n"
    path.write_text(budget(limit=10) + rows)
    assert world.apply(path).ok
    assert column(world, "stars")["settings"] == {"limit": 10}
    assert not world.plan(path).has_changes
    path.write_text(budget(limit=5) + rows)
    with pytest.raises(
        ManifestError, match="8 is out of range; expected a whole number from 1 to 5"
    ):
        world.plan(path)


def test_a_people_columns_limit_set_by_hand_is_what_the_manifest_declares(
    world: World,
) -> None:
    path = world.write(budget())
    assert world.apply(path).ok
    owner = column(world, "owner")
    world.mutate(
        'mutation($b: ID!, $r: String!, $s: JSON) { update_column(board_id: $b, id: "owner",'
        " revision: $r, settings: $s, column_type: people) { id } }",
        b=world.board("Budget").id,
        r=owner["revision"],
        s={"max_people_allowed": 2},
    )
    declared = budget().replace(
        "{id: owner, title: Owner, type: people}",
        "{id: owner, title: Owner, type: people, settings: {max_people_allowed: 2}}",
    )
    path.write_text(declared)
    assert not world.plan(path).has_changes
    path.write_text(declared.replace("max_people_allowed: 2", "max_people_allowed: 1"))
    (update,) = [a for a in world.plan(path).actions if isinstance(a, UpdateColumnSettings)]
    assert update.changes == (FieldChange("settings.max_people_allowed", 2, 1),)


def test_a_whole_number_monday_reports_as_text_reads_as_the_number() -> None:
    live = column_settings.live_view("people", {"max_people_allowed": "2", "other": "3"})
    assert live == {"max_people_allowed": 2, "other": "3"}
    assert column_settings.declared("people", {"max_people_allowed": "0"}) == {
        "max_people_allowed": 0
    }
