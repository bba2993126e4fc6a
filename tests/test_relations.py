"""Connect-boards (``board_relation``), mirror and dependency columns, as code: the manifest
forms, the plan (boards and columns by address, settings changes as updates with the
column's revision), apply on the sandbox under both profiles (boards connecting each other
both ways, a mirror after its relation, lost answers), prune, the live reader's tolerance,
and the export round trip."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from boardops.apply import ActionCompleted, Event
from boardops.errors import GraphQLError, PlanError, UnsafePlan
from boardops.export import export
from boardops.from_wire import column_from_wire
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.model import BoardLink, DesiredState, Mirror, Relation
from boardops.plan import DeleteColumn, Plan, UpdateColumn, build_plan
from boardops.plan.serial import decode, encode
from boardops.relations import MODELLED_SETTINGS
from boardops.sandbox import Faults, ScheduledFault
from boardops.views import render_json, render_markdown, render_text
from tests.conftest import BOTH_PROFILES
from tests.support.world import World, fresh_world, world_fixture
from tests.test_views import check_golden

world = pytest.fixture(world_fixture)
profile = BOTH_PROFILES

# A CRM-like web: accounts and deals connect each other both ways (a new two-way pair:
# monday adds the second column itself), deals mirror the account's tier, and depend on
# each other.
WEB = """
version: 1
boards:
  - name: Accounts
    key: accounts
    columns:
      - {id: tier, title: Tier, type: status, labels: [Gold, Silver]}
      - {id: region, title: Region, type: text}
      - {title: Deals, type: board_relation, boards: [deals], two_way: true}
    groups:
      - {key: main, title: Main}
  - name: Deals
    key: deals
    columns:
      - {id: account, title: Account, type: board_relation, boards: [accounts], two_way: true,
         allow_multiple: false}
      - {title: Account tier, type: mirror, relation: account, shows: [tier]}
      - {title: Blocked by, type: dependency}
    groups:
      - {key: open, title: Open}
"""


def write(world: World, text: str = WEB) -> Path:
    return world.write(text, "web.yaml")


def columns_of(world: World, board: str) -> dict[str, Any]:
    """A sandbox board's active columns by title: (type, settings)."""
    return {
        c.title: (c.type, dict(c.settings))
        for c in world.board(board).columns
        if not c.archived and c.type != "name"
    }


# --- manifest forms -----------------------------------------------------------------------------


def test_a_relation_names_boards_by_key_id_or_name_and_defaults_to_several_items_one_way(
    tmp_path: Path,
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        """
version: 1
boards:
  - name: Deals
    columns:
      - {title: Links, type: board_relation, boards: [accounts, {id: 42}, {name: Legacy}]}
      - {title: Tier, type: mirror, relation: Links, shows: [Tier]}
      - {title: Blocked by, type: dependency}
  - name: Accounts
    columns:
      - {title: Tier, type: status}
"""
    )
    deals = load_manifests([path]).boards[0]
    links, tier, blocked = deals.columns
    assert links.relation == Relation(
        boards=(BoardLink(key="accounts"), BoardLink(id="42"), BoardLink(name="Legacy")),
        allow_multiple=True,
        two_way=False,
    )
    assert tier.mirror == Mirror(relation="Links", shows=("Tier",))
    assert (blocked.relation, blocked.mirror) == (None, None)


def test_the_settings_keys_boardops_owns_are_published_per_column_type() -> None:
    assert MODELLED_SETTINGS["board_relation"] >= {
        "boardIds",
        "allowMultipleItems",
        "allowCreateReflectionColumn",
    }
    assert MODELLED_SETTINGS["mirror"] == {"relation_column", "displayed_linked_columns"}


# --- plan -----------------------------------------------------------------------------------------


def test_the_plan_names_connected_boards_and_columns_by_address_never_by_id(
    world: World,
) -> None:
    desired = load_manifests([write(world)])
    live = replace(read_live(world.client, desired), read_at="2026-11-23T04:20:00Z")
    data = build_plan(desired, live).to_dict()
    text = render_text(data, color=False)
    assert (
        "+ board.deals.column.account: create board_relation column -> board.accounts "
        "(one item, two-way)" in text
    )
    assert (
        "+ board.accounts.column.Deals: take the board_relation column monday adds to this "
        "board with board.deals.column.account (two-way) -> board.deals" in text
    )
    assert (
        "+ board.deals.column.Account tier: create mirror column of board.deals.column.account:"
        " board.accounts.column.tier" in text
    )
    assert "+ board.deals.column.Blocked by: create dependency column" in text
    if world.sandbox.profile.name == "docs":
        check_golden("plan_relations.txt", text)
        check_golden("plan_relations.md", render_markdown(data)[0])
        check_golden("plan_relations.json", render_json(data))


def test_a_saved_plan_keeps_relation_and_mirror_specs_exactly(world: World) -> None:
    path = write(world)
    plan = world.plan(path)
    back = Plan.from_dict(json.loads(json.dumps(plan.to_dict())))
    assert back.actions == plan.actions
    desired = load_manifests([path])
    assert decode(DesiredState, json.loads(json.dumps(encode(desired))), where="d") == desired


def test_a_mirror_is_created_after_its_relation_and_the_columns_it_shows(world: World) -> None:
    order = [a.address for a in world.plan(write(world)).actions]
    mirror = order.index("board.deals.column.Account tier")
    assert order.index("board.deals.column.account") < mirror
    assert order.index("board.accounts.column.tier") < mirror
    assert order.index("board.accounts") < order.index("board.deals.column.account")


def test_a_board_outside_the_manifests_that_is_not_on_monday_is_a_plan_error(
    world: World,
) -> None:
    path = world.write(
        """
version: 1
boards:
  - name: Deals
    columns:
      - {title: Legacy, type: board_relation, boards: [{name: Old CRM}]}
"""
    )
    with pytest.raises(PlanError, match=r"^board\.deals\.column\.Legacy: connects a board named"):
        world.plan(path)


def test_a_board_outside_the_manifests_is_found_by_name_and_named_so_in_the_plan(
    world: World,
) -> None:
    world.mutate('mutation { create_board(board_name: "Old CRM", board_kind: public) { id } }')
    path = world.write(
        """
version: 1
boards:
  - name: Deals
    columns:
      - {title: Legacy, type: board_relation, boards: [{name: Old CRM}]}
"""
    )
    result = world.apply(path)
    assert result.ok, result.failures
    old = world.board("Old CRM")
    assert columns_of(world, "Deals")["Legacy"][1]["boardIds"] == [int(old.id)]
    assert not world.plan(path).has_changes


# --- apply ----------------------------------------------------------------------------------------


def test_boards_connecting_each_other_both_ways_apply_once_and_plan_no_changes(
    world: World,
) -> None:
    path = write(world)
    result = world.apply(path)
    assert result.ok, result.failures
    accounts, deals = world.board("Accounts"), world.board("Deals")
    # One column each side: the second of the pair is monday's reflection of the first.
    assert [t for t, (kind, _) in columns_of(world, "Accounts").items() if kind != "status"] == [
        "Region",
        "Deals",
    ]
    deal_columns = columns_of(world, "Deals")
    assert sorted(deal_columns) == ["Account", "Account tier", "Blocked by"]
    assert deal_columns["Account"] == (
        "board_relation",
        {
            "boardIds": [int(accounts.id)],
            "allowMultipleItems": False,
            "allowCreateReflectionColumn": True,
        },
    )
    assert columns_of(world, "Accounts")["Deals"][1]["boardIds"] == [int(deals.id)]
    assert deal_columns["Account tier"][1] == {
        "relation_column": {"account": True},
        "displayed_linked_columns": {accounts.id: ["tier"]},
    }
    assert not world.plan(path).has_changes


def test_changing_the_connected_boards_is_an_update_with_the_columns_revision(
    world: World,
) -> None:
    path = write(world)
    assert world.apply(path).ok
    changed = WEB.replace("boards: [accounts], two_way: true", "boards: [accounts, deals]")
    changed = changed.replace("shows: [tier]", "shows: [tier, region]")
    write(world, changed)
    plan = world.plan(path)
    live = next(c for c in world.board("Deals").columns if c.id == "account")
    updates = {a.address: a for a in plan.actions if isinstance(a, UpdateColumn)}
    assert [type(a).__name__ for a in plan.actions] == ["UpdateColumn", "UpdateColumn"]
    relation = updates["board.deals.column.account"]
    assert relation.revision == live.revision
    assert [(c.field, c.before, c.after) for c in relation.changes] == [
        ("boards", ["board.accounts"], ["board.accounts", "board.deals"]),
        ("two_way", True, False),
    ]
    mirror = updates["board.deals.column.Account tier"]
    assert [(c.field, c.before, c.after) for c in mirror.changes] == [
        (
            "shows",
            ["board.accounts.column.tier"],
            ["board.accounts.column.tier", "board.accounts.column.region"],
        )
    ]
    assert world.apply(path).ok
    deals = world.board("Deals")
    settings = columns_of(world, "Deals")["Account"][1]
    assert settings["boardIds"] == [int(world.board("Accounts").id), int(deals.id)]
    assert not world.plan(path).has_changes


def test_a_removed_relation_column_is_deleted_only_with_prune_and_allow_destroy(
    world: World,
) -> None:
    path = write(world)
    assert world.apply(path).ok
    pruned = WEB.replace(
        "  - name: Deals\n    key: deals\n", "  - name: Deals\n    key: deals\n    prune: true\n"
    )
    pruned = pruned.replace(
        "      - {title: Account tier, type: mirror, relation: account, shows: [tier]}\n", ""
    )
    pruned = pruned.replace("      - {title: Blocked by, type: dependency}\n", "")
    write(world, pruned)
    plan = world.plan(path)
    deletes = sorted((a.title, a.column_type) for a in plan.actions if isinstance(a, DeleteColumn))
    assert deletes == [("Account tier", "mirror"), ("Blocked by", "dependency")]
    with pytest.raises(UnsafePlan):
        world.apply(path)
    assert world.apply(path, allow_destroy=True).ok
    assert sorted(columns_of(world, "Deals")) == ["Account"]


def test_without_prune_a_live_relation_column_the_manifest_lacks_is_left_alone(
    world: World,
) -> None:
    path = write(world)
    assert world.apply(path).ok
    write(world, WEB.replace("      - {title: Blocked by, type: dependency}\n", ""))
    plan = world.plan(path)
    assert not plan.has_changes
    left = [(u.kind, u.reason) for u in plan.unmanaged if u.address.startswith("board.deals.c")]
    assert left == [("column", "not in the manifest (board prune is off)")]


@pytest.mark.parametrize("kind", ["lost_ack", "timeout"])
def test_a_lost_answer_to_any_mutation_makes_no_duplicate_column(tmp_path: Path, kind: str) -> None:
    clean = fresh_world(tmp_path, "clean")
    documents = clean.record_mutations()
    assert clean.apply(write(clean)).ok
    expected = clean.census()
    for nth in range(1, len(documents) + 1):
        lost = fresh_world(tmp_path, f"{kind}-{nth}")
        path = write(lost)
        lost.sandbox.faults = Faults(schedule=(ScheduledFault(kind, nth, True),))  # type: ignore[arg-type]
        result = lost.apply(path)
        if not result.ok:  # a failure is reported; a second run finishes the job
            assert lost.apply(path).ok
        assert lost.census() == expected, f"{kind} at mutation request {nth}"
        assert not lost.plan(path).has_changes, f"{kind} at mutation request {nth}"


def test_a_lost_create_of_a_two_way_column_is_found_again_not_sent_twice(
    tmp_path: Path,
) -> None:
    probe = fresh_world(tmp_path, "probe")
    sent: list[bytes] = []
    probe.http.event_hooks["request"].append(lambda request: sent.append(request.content))
    assert probe.apply(write(probe)).ok
    mutations = [b for b in sent if json.loads(b)["query"].lstrip().startswith("mutation")]
    two_way = '"allowCreateReflectionColumn":true'
    nth = next(
        i
        for i, body in enumerate(mutations, 1)
        if any(two_way in str(v) for v in json.loads(body)["variables"].values())
    )
    world = fresh_world(tmp_path, "lost")
    world.sandbox.faults = Faults(schedule=(ScheduledFault("lost_ack", nth, True),))
    events: list[Event] = []
    assert world.apply(write(world), on_event=events.append).ok
    assert any(isinstance(e, ActionCompleted) and e.recovered for e in events)
    assert world.census() == probe.census()


# --- sandbox --------------------------------------------------------------------------------------


def create_column(world: World, board_id: str, kind: str, defaults: Any) -> dict[str, Any]:
    data = world.mutate(
        "mutation($b: ID!, $k: ColumnType!, $d: JSON) {"
        ' create_column(board_id: $b, title: "X", column_type: $k, defaults: $d)'
        " { id settings settings_str } }",
        b=board_id,
        k=kind,
        d=json.dumps(defaults),
    )
    column: dict[str, Any] = data["create_column"]
    return column


def new_board(world: World, name: str) -> str:
    made = world.mutate(
        f'mutation {{ create_board(board_name: "{name}", board_kind: public) {{ id }} }}'
    )
    return str(made["create_board"]["id"])


def test_the_sandbox_refuses_a_connect_boards_column_to_a_board_that_does_not_exist(
    world: World,
) -> None:
    board = new_board(world, "Deals")
    with pytest.raises(GraphQLError) as refused:
        create_column(world, board, "board_relation", {"boardIds": [99]})
    assert refused.value.code == "InvalidBoardIdException"


def test_the_sandbox_answers_settings_and_settings_str_alike(world: World) -> None:
    board, other = new_board(world, "Deals"), new_board(world, "Accounts")
    column = create_column(world, board, "board_relation", {"boardIds": [int(other)]})
    assert column["settings"]["boardIds"] == [int(other)]
    assert json.loads(column["settings_str"]) == column["settings"]


def test_the_sandbox_keeps_one_dependency_column_per_board(world: World) -> None:
    board = new_board(world, "Tasks")
    create_column(world, board, "dependency", {})
    with pytest.raises(GraphQLError, match="only one dependency column"):
        create_column(world, board, "dependency", {})


def test_the_sandbox_refuses_a_mirror_of_a_column_that_is_not_a_relation(world: World) -> None:
    board = new_board(world, "Deals")
    with pytest.raises(GraphQLError, match="not a connect boards column"):
        create_column(world, board, "mirror", {"relation_column": {"name": True}})


# --- the live reader ------------------------------------------------------------------------------


def test_settings_of_an_unexpected_shape_are_a_warning_not_a_crash(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        column = column_from_wire(
            {"id": "rel", "title": "Rel", "type": "board_relation", "settings": {"boardIds": "7"}}
        )
    assert column.relation == Relation(boards=())
    assert caplog.records
    mirror = column_from_wire(
        {"id": "m", "title": "M", "type": "mirror", "settings": {"relation_column": 3}}
    )
    assert mirror.mirror is None


def test_legacy_settings_str_text_is_read_too() -> None:
    column = column_from_wire(
        {
            "id": "rel",
            "title": "Rel",
            "type": "board_relation",
            "settings": '{"boardIds": [12, "5"], "allowMultipleItems": false}',
        }
    )
    assert column.relation == Relation(
        boards=(BoardLink(id="5"), BoardLink(id="12")), allow_multiple=False
    )


# --- export ---------------------------------------------------------------------------------------


def test_export_round_trip_plans_nothing_and_recreates_the_web_elsewhere(
    tmp_path: Path, world: World
) -> None:
    assert world.apply(write(world)).ok
    exported = export(world.client, boards=["Accounts", "Deals"])
    assert "Left out" not in exported
    assert "boards: [accounts]" in exported
    assert "relation: account" in exported
    pinned = world.write(exported, "exported.yaml")
    assert not world.plan(pinned).has_changes

    elsewhere = fresh_world(tmp_path, "elsewhere")
    copy = elsewhere.write(export(world.client, boards=["Accounts", "Deals"], pin_ids=False))
    assert elsewhere.apply(copy).ok
    web = ("Accounts", "Deals")
    assert [elsewhere.census()["boards"][b] for b in web] == [
        world.census()["boards"][b] for b in web
    ]
    assert not elsewhere.plan(copy).has_changes
    sent = elsewhere.mutations
    assert elsewhere.apply(copy).counts == {}
    assert elsewhere.mutations == sent  # the second apply sends no mutation


def test_a_second_dependency_column_is_a_plan_error_when_monday_has_one(world: World) -> None:
    path = write(world)
    assert world.apply(path).ok
    write(
        world,
        WEB.replace("{title: Blocked by, type: dependency}", "{title: Waits, type: dependency}"),
    )
    with pytest.raises(PlanError, match=r"already has a dependency column 'Blocked by'"):
        world.plan(path)


def test_a_two_way_column_without_its_pair_warns_where_monday_adds_the_reflection(
    world: World,
) -> None:
    alone = WEB.replace(
        "{id: account, title: Account, type: board_relation, boards: [accounts], two_way: true,",
        "{id: account, title: Account, type: board_relation, boards: [accounts],",
    )
    plan = world.plan(write(world, alone))
    assert list(plan.warnings) == [
        "board.accounts.column.Deals: two-way: monday adds a connect-boards column titled "
        "'Accounts' to board.deals; declare it there (two_way: true) to manage it"
    ]
