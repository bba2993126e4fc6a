"""Item values of connect-boards (``board_relation``) and dependency columns: links name
items by their match key on the board they are on, never by id; links to items the plan
creates are written in a second pass (``SetItemLinks``), after every board's items."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from boardops import codec
from boardops.errors import CodecError, PlanError
from boardops.export import export
from boardops.live import describe, read_live, rekey_snapshot
from boardops.manifest import load_manifests
from boardops.model import (
    Board,
    BoardLink,
    Column,
    DesiredState,
    Item,
    ItemSet,
    JSONValue,
    LiveState,
    Relation,
)
from boardops.plan import Plan, build_plan
from boardops.plan.actions import CreateItem, SetItemLinks, UpdateItem
from boardops.sandbox import Faults, ScheduledFault
from boardops.snapshot import read_snapshot, write_snapshot
from boardops.views import render_json, render_text
from tests.conftest import BOTH_PROFILES
from tests.support.scenarios import linked_scenario
from tests.support.world import World, fresh_world, world_fixture
from tests.test_views import check_golden

world = pytest.fixture(world_fixture)
profile = BOTH_PROFILES

RELATION = Column(title="Account", type="board_relation", id="account")

BASE = """
version: 1
boards:
  - name: Accounts
    key: accounts
    columns:
      - {id: code, title: Code, type: text}
  - name: Deals
    key: deals
    columns:
      - {id: stage, title: Stage, type: text}
"""

WEB = """
version: 1
boards:
  - name: Accounts
    key: accounts
    columns:
      - {id: code, title: Code, type: text}
      - {id: deals, title: Deals, type: board_relation, boards: [deals]}
    items:
      match_by: [code]
      rows:
        - {name: Acme, values: {code: A-1, deals: [Big deal]}}
        - {name: Beta, values: {code: A-2}}
  - name: Deals
    key: deals
    columns:
      - {id: stage, title: Stage, type: text}
      - {id: account, title: Account, type: board_relation, boards: [accounts]}
      - {id: after, title: After, type: dependency}
    items:
      rows:
        - {name: Big deal, values: {account: A-1}}
        - {name: Follow-up, values: {account: [%s], after: [Big deal]}}
"""

CREATE_COLUMN = """
mutation ($board_id: ID!, $id: String, $title: String!, $defaults: JSON) {
  create_column(board_id: $board_id, id: $id, title: $title, column_type: board_relation,
                defaults: $defaults) { id }
}
"""


def connected_boards(world: World) -> None:
    """Both boards, each with a connect-boards column to the other (as monday documents
    create_column's defaults: ``boardIds``)."""
    assert world.apply(world.write(BASE, "base.yaml")).ok
    accounts, deals = world.board("Accounts").id, world.board("Deals").id
    for board_id, column_id, title, other in (
        (accounts, "deals", "Deals", deals),
        (deals, "account", "Account", accounts),
    ):
        world.mutate(
            CREATE_COLUMN,
            board_id=board_id,
            id=column_id,
            title=title,
            defaults={"boardIds": [int(other)]},
        )


def web(world: World, follow_up: str = "A-1") -> Path:
    return world.write(WEB % follow_up)


def links(world: World, board: str, name: str, column: str) -> list[str]:
    """The names of the items an item links, as the sandbox stores them (by id)."""
    record = next(i for i in world.board(board).items if i.name == name)
    stored: Any = record.values.get(column) or {}
    return sorted(world.sandbox.state.item(i).name for i in stored.get("linked_item_ids", []))


# --- the codec: canonical form, write form, read form ---------------------------------------


def test_a_link_value_is_a_sorted_list_of_distinct_match_keys() -> None:
    assert codec.normalize(RELATION, ["A-2", "A-1", "A-2"]) == ["A-1", "A-2"]
    assert codec.normalize(RELATION, "A-1") == ["A-1"]
    assert codec.normalize(RELATION, 42) == ["42"]
    assert codec.normalize(RELATION, []) is None


def test_a_link_may_name_its_board() -> None:
    value: list[JSONValue] = [{"board": "deals", "item": "D-1"}, "A-1"]
    assert codec.normalize(RELATION, value) == ["A-1", {"board": "deals", "item": "D-1"}]


@pytest.mark.parametrize(
    "value",
    [True, [""], [{"board": "deals"}], [{"board": "", "item": "x"}], [1.5], [["A-1"]]],
)
def test_a_link_that_is_not_a_key_or_a_board_and_item_is_refused(value: Any) -> None:
    with pytest.raises(CodecError):
        codec.normalize(RELATION, value)


def test_links_are_written_as_item_ids_and_read_from_linked_item_ids() -> None:
    directory = codec.Directory(links={"A-1": "11", "A-2": "12"})
    assert codec.to_wire(RELATION, ["A-2", "A-1"], directory) == {"item_ids": [11, 12]}
    assert codec.from_wire(RELATION, {"linked_item_ids": ["12", 11]}, None) == ["#11", "#12"]
    with pytest.raises(CodecError, match="A-3"):
        codec.to_wire(RELATION, ["A-3"], directory)


def test_a_mirror_value_is_refused_as_read_only() -> None:
    mirror = Column(title="Tier", type="mirror", id="tier")
    with pytest.raises(CodecError, match="read-only"):
        codec.check(mirror, "Gold")


# --- plan and apply on the sandbox ----------------------------------------------------------


def test_boards_link_each_other_both_ways_and_a_board_its_own_items(world: World) -> None:
    connected_boards(world)
    plan = world.plan(web(world))
    second_pass = [a.address for a in plan.actions if isinstance(a, SetItemLinks)]
    assert second_pass == [
        "board.accounts.item[A-1].links",
        "board.deals.item[Big deal].links",
        "board.deals.item[Follow-up].links",
    ]
    assert world.apply(web(world)).ok
    assert links(world, "Accounts", "Acme", "deals") == ["Big deal"]
    assert links(world, "Deals", "Big deal", "account") == ["Acme"]
    assert links(world, "Deals", "Follow-up", "account") == ["Acme"]
    assert links(world, "Deals", "Follow-up", "after") == ["Big deal"]


def test_a_second_apply_sends_no_mutation(world: World) -> None:
    connected_boards(world)
    assert world.apply(web(world)).ok
    before = world.mutations
    plan = world.plan(web(world))
    assert not plan.has_changes
    assert world.apply(web(world)).ok
    assert world.mutations == before


def test_links_to_existing_items_go_with_the_item_write(world: World) -> None:
    connected_boards(world)
    assert world.apply(web(world)).ok
    plan = world.plan(web(world, "A-1, A-2"))
    (update,) = plan.actions
    assert isinstance(update, UpdateItem)
    assert [(link.link, link.item.address) for link in update.links] == [
        ("A-1", "board.accounts.item[A-1]"),
        ("A-2", "board.accounts.item[A-2]"),
    ]
    text = render_text(plan.to_dict(), color=False)
    assert "account: [A-1] -> [A-1, A-2]" in text
    assert '"#' not in render_json(plan.to_dict())
    assert world.apply(web(world, "A-1, A-2")).ok
    assert links(world, "Deals", "Follow-up", "account") == ["Acme", "Beta"]


def test_removing_a_link_is_a_value_change(world: World) -> None:
    connected_boards(world)
    assert world.apply(web(world, "A-1, A-2")).ok
    plan = world.plan(web(world, "A-2"))
    assert "account: [A-1, A-2] -> [A-2]" in render_text(plan.to_dict(), color=False)
    assert world.apply(web(world, "A-2")).ok
    assert links(world, "Deals", "Follow-up", "account") == ["Beta"]


def test_a_new_item_linking_existing_items_is_created_with_its_links(world: World) -> None:
    connected_boards(world)
    assert world.apply(web(world)).ok
    more = WEB.replace(
        "        - {name: Follow-up,",
        "        - {name: Renewal, values: {account: A-2}}\n        - {name: Follow-up,",
    )
    plan = world.plan(world.write(more % "A-1"))
    (create,) = [a for a in plan.actions if isinstance(a, CreateItem)]
    assert create.values == {"account": ["A-2"]}
    assert not [a for a in plan.actions if isinstance(a, SetItemLinks)]
    assert world.apply(world.write(more % "A-1")).ok
    assert links(world, "Deals", "Renewal", "account") == ["Beta"]


def test_a_link_to_an_item_nobody_has_is_a_plan_error_before_anything_is_sent(
    world: World,
) -> None:
    connected_boards(world)
    before = world.mutations
    with pytest.raises(PlanError, match=r"board\.accounts\.item\[A-9\]"):
        world.plan(web(world, "A-9"))
    assert world.mutations == before


def test_a_lost_answer_on_the_link_write_duplicates_nothing(world: World, tmp_path: Path) -> None:
    rehearsal = fresh_world(tmp_path, "rehearsal")
    connected_boards(rehearsal)
    start = rehearsal.mutations
    assert rehearsal.apply(web(rehearsal)).ok
    last = rehearsal.mutations - start  # the second pass's batch is the apply's last request

    connected_boards(world)
    start = world.mutations
    world.sandbox.faults = Faults(schedule=(ScheduledFault("lost_ack", start + last, True),))
    assert world.apply(web(world)).ok
    assert sorted(i.name for i in world.board("Deals").items) == ["Big deal", "Follow-up"]
    assert links(world, "Deals", "Follow-up", "after") == ["Big deal"]
    assert links(world, "Accounts", "Acme", "deals") == ["Big deal"]
    assert not world.plan(web(world)).has_changes


OUTSIDE = """
version: 1
boards:
  - name: Deals
    key: deals
    columns:
      - {id: stage, title: Stage, type: text}
      - {id: legacy, title: Legacy, type: board_relation, boards: [{name: Archive}]}
    items:
      rows:
        - {name: Big deal, values: {stage: open}}
"""


def test_links_to_a_board_outside_the_manifests_read_by_name_and_gone_ones_by_id(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    assert world.apply(world.write(BASE, "base.yaml")).ok
    world.mutate('mutation { create_board(board_name: "Archive", board_kind: public) { id } }')
    archive = world.board("Archive").id
    old = world.mutate(
        'mutation ($b: ID!) { create_item(board_id: $b, item_name: "Old Co") { id } }',
        b=archive,
    )["create_item"]["id"]
    deals = world.board("Deals").id
    world.mutate(
        CREATE_COLUMN,
        board_id=deals,
        id="legacy",
        title="Legacy",
        defaults={"boardIds": [int(archive)]},
    )
    path = world.write(OUTSIDE)
    assert world.apply(path).ok
    deal = next(i for i in world.board("Deals").items if i.name == "Big deal")
    world.mutate(
        "mutation ($b: ID!, $i: ID!, $v: JSON!) { change_multiple_column_values("
        "board_id: $b, item_id: $i, column_values: $v) { id } }",
        b=deals,
        i=deal.id,
        v={"legacy": {"item_ids": [int(old)]}},
    )
    desired = load_manifests([path])
    live = read_live(world.client, desired)
    found = live.boards["deals"]
    assert found is not None
    assert found.items is not None
    assert found.items.rows[0].values["legacy"] == ["Old Co"]
    by_id = OUTSIDE.replace("[{name: Archive}]", f'[{{id: "{archive}"}}]')
    for text in (OUTSIDE, by_id):
        named = world.write(text.replace("{stage: open}", "{stage: open, legacy: [Old Co]}"))
        assert not world.plan(named).has_changes
    world.mutate("mutation ($i: ID!) { archive_item(item_id: $i) { id } }", i=old)
    with caplog.at_level(logging.WARNING):
        live = read_live(world.client, desired)
    found = live.boards["deals"]
    assert found is not None
    assert found.items is not None
    assert found.items.rows[0].values["legacy"] == [f"#{old}"]
    assert f"linked item {old} is on no board boardops can read" in caplog.text


# --- export: links by key, so export -> plan is empty and --no-ids recreates the web -------


def test_links_export_by_key_plan_no_changes_and_recreate_the_web_elsewhere(
    world: World, tmp_path: Path
) -> None:
    assert world.apply(web(world, "A-1, A-2")).ok
    accounts, deals = world.board("Accounts").id, world.board("Deals").id
    text = export(
        world.client, boards=[accounts, deals], with_items=True, match_by=[f"{accounts}=code"]
    )
    assert "account: [A-1, A-2]" in text
    assert "after: [Big deal]" in text
    exported = world.write(text, "exported.yaml")
    assert not world.plan(exported).has_changes

    copied = world.write(
        export(
            world.client,
            boards=[accounts, deals],
            with_items=True,
            match_by=[f"{accounts}=code"],
            pin_ids=False,
        ),
        "copied.yaml",
    )
    elsewhere = fresh_world(tmp_path, "elsewhere")
    assert elsewhere.apply(copied).ok
    assert links(elsewhere, "Deals", "Follow-up", "account") == ["Acme", "Beta"]
    assert links(elsewhere, "Deals", "Follow-up", "after") == ["Big deal"]
    assert links(elsewhere, "Accounts", "Acme", "deals") == ["Big deal"]
    before = elsewhere.mutations
    assert elsewhere.apply(copied).ok
    assert elsewhere.mutations == before


# --- plan goldens: links by key, never by id ------------------------------------------------


def link_change_scenario() -> tuple[DesiredState, LiveState]:
    """Existing boards and items: a deal's account links change and one link is removed."""
    desired, _ = linked_scenario()
    accounts_live = Board(
        key="accounts",
        name="Accounts",
        id="100",
        columns=(
            Column(title="Code", type="text", id="code", revision="1"),
            Column(
                title="Deals",
                type="board_relation",
                id="deals",
                revision="1",
                relation=Relation(boards=(BoardLink(key="deals", id="200"),)),
            ),
        ),
        items=ItemSet(
            rows=(
                Item(name="Acme", id="11", values={"code": "A-1", "deals": ["Big deal"]}),
                Item(name="Beta", id="12", values={"code": "A-2"}),
            )
        ),
    )
    deals_live = Board(
        key="deals",
        name="Deals",
        id="200",
        columns=(
            Column(
                title="Account",
                type="board_relation",
                id="account",
                revision="1",
                relation=Relation(
                    boards=(BoardLink(key="accounts", id="100"),), allow_multiple=False
                ),
            ),
            Column(title="After", type="dependency", id="after", revision="1"),
        ),
        items=ItemSet(
            rows=(
                Item(name="Big deal", id="21", values={"account": ["A-2"]}),
                Item(
                    name="Follow-up",
                    id="22",
                    values={"account": ["A-1"], "after": ["#99"]},
                ),
            )
        ),
    )
    deals = desired.board("deals")
    assert deals is not None
    assert deals.items is not None
    rows = (
        deals.items.rows[0],
        Item(name="Follow-up", values={"account": ["A-2"], "after": []}),
    )
    desired = replace(
        desired,
        boards=(desired.boards[0], replace(deals, items=replace(deals.items, rows=rows))),
    )
    return desired, LiveState(boards={"accounts": accounts_live, "deals": deals_live})


@pytest.mark.parametrize("scenario", ["links", "link_changes"])
def test_plans_show_links_by_key(scenario: str) -> None:
    made = linked_scenario() if scenario == "links" else link_change_scenario()
    plan = build_plan(*made).to_dict()
    check_golden(f"plan_{scenario}.txt", render_text(plan, color=False))
    check_golden(f"plan_{scenario}.json", render_json(plan))
    assert Plan.from_dict(plan).to_dict() == plan


MIRRORED = """
version: 1
boards:
  - name: Accounts
    key: accounts
    columns:
      - {id: code, title: Code, type: text}
      - {id: tier, title: Tier, type: text}
    items:
      match_by: [code]
      rows:
        - {name: Acme, values: {code: A-1, tier: Gold}}
        - {name: Beta, values: {code: A-2, tier: Silver}}
  - name: Deals
    key: deals
    columns:
      - {id: account, title: Account, type: board_relation, boards: [accounts]}
      - {id: account_tier, title: Account tier, type: mirror, relation: account, shows: [tier]}
    items:
      rows:
        - {name: Big deal, values: {account: [A-1, A-2]}}
"""


def test_a_mirror_shows_the_linked_items_columns_and_is_never_written(world: World) -> None:
    path = world.write(MIRRORED)
    assert world.apply(path).ok
    deal = next(i for i in world.board("Deals").items if i.name == "Big deal")
    assert "account_tier" not in deal.values
    answer = world.client.query(
        "query ($ids: [ID!]) { items(ids: $ids) { column_values { id text value"
        " ... on MirrorValue { display_value mirrored_items { linked_item { name } } }"
        " ... on BoardRelationValue { display_value linked_item_ids } } } }",
        {"ids": [deal.id]},
    )
    cells = {cv["id"]: cv for cv in answer["items"][0]["column_values"]}
    assert cells["account_tier"]["display_value"] == "Gold, Silver"
    assert [m["linked_item"]["name"] for m in cells["account_tier"]["mirrored_items"]] == [
        "Acme",
        "Beta",
    ]
    assert cells["account"]["display_value"] == "Acme, Beta"
    assert (cells["account"]["text"], cells["account"]["value"]) == (None, None)
    assert not world.plan(path).has_changes


def two_board_column(value: JSONValue) -> tuple[DesiredState, LiveState]:
    """A column connecting two new boards that both declare an item ``X``."""

    def target(key: str) -> Board:
        return Board(key=key, name=key.title(), items=ItemSet(rows=(Item(name="X"),)))

    hub = Board(
        key="hub",
        name="Hub",
        columns=(
            Column(
                title="Linked",
                type="board_relation",
                id="linked",
                relation=Relation(boards=(BoardLink(key="left"), BoardLink(key="right"))),
            ),
        ),
        items=ItemSet(rows=(Item(name="H", values={"linked": value}),)),
    )
    desired = DesiredState(boards=(target("left"), target("right"), hub))
    return desired, LiveState(boards={"left": None, "right": None, "hub": None})


def test_a_key_on_several_connected_boards_asks_for_the_board() -> None:
    with pytest.raises(PlanError, match=r"on several connected boards \(left, right\)"):
        build_plan(*two_board_column("X"))
    plan = build_plan(*two_board_column([{"board": "right", "item": "X"}]))
    (links,) = [a for a in plan.actions if isinstance(a, SetItemLinks)]
    assert links.changes[0].after == [{"board": "right", "item": "X"}]
    assert [link.item.address for link in links.links] == ["board.right.item[X]"]
    assert "linked: [] -> [right: X]" in render_text(plan.to_dict(), color=False)


def test_a_snapshot_plans_links_by_key_offline(world: World, tmp_path: Path) -> None:
    assert world.apply(web(world, "A-1, A-2")).ok
    accounts, deals = world.board("Accounts").id, world.board("Deals").id
    snapshot = tmp_path / "snapshot.json"
    write_snapshot(describe(world.client, boards=[accounts, deals], with_items=True), snapshot)
    desired = load_manifests([web(world, "A-1, A-2")])
    live = rekey_snapshot(read_snapshot(snapshot), desired)
    assert not build_plan(desired, live).has_changes
    changed = load_manifests([web(world, "A-2")])
    plan = build_plan(changed, rekey_snapshot(read_snapshot(snapshot), changed))
    assert "account: [A-1, A-2] -> [A-2]" in render_text(plan.to_dict(), color=False)
