"""A CRM-like web of boards, as code, round trip (issue 17).

Accounts and deals link each other, deals mirror their account's tier and depend on each
other, and deals break down into subitems with values of their own. The web is applied,
exported, planned against (no changes), exported without ids, applied to an empty account
(the same objects, links and subitems by name), and applied there again (no mutation).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from boardops.export import export
from boardops.sandbox.profiles import ProfileName
from tests.conftest import BOTH_PROFILES
from tests.support.world import World, fresh_world, world_fixture

world = pytest.fixture(world_fixture)
profile = BOTH_PROFILES

WEB = """
version: 1
boards:
  - name: Accounts
    key: accounts
    columns:
      - {id: code, title: Code, type: text}
      - {id: tier, title: Tier, type: status, labels: [Gold, Silver, Bronze]}
      - {id: deals, title: Deals, type: board_relation, boards: [deals]}
    items:
      match_by: [code]
      rows:
        - {name: Acme, values: {code: A-1, tier: Gold, deals: [D-1, D-2]}}
        - {name: Beta, values: {code: A-2, tier: Silver}}
  - name: Deals
    key: deals
    columns:
      - {id: ref, title: Ref, type: text}
      - {id: account, title: Account, type: board_relation, boards: [accounts],
         allow_multiple: false}
      - {id: account_tier, title: Account tier, type: mirror, relation: account,
         shows: [tier]}
      - {id: after, title: After, type: dependency}
    subitems:
      columns:
        - {id: step, title: Step, type: status, labels: [Todo, Done]}
        - {id: due, title: Due, type: date}
    items:
      match_by: [ref]
      rows:
        - name: Big deal
          values: {ref: D-1, account: A-1}
          subitems:
            - {name: Call, values: {step: Done, due: 2026-12-01}}
            - {name: Proposal, values: {step: Todo}}
        - name: Follow-up
          values: {ref: D-2, account: A-2, after: [D-1]}
          subitems:
            - {name: Kickoff}
"""


def linked_names(world: World, board: str, item: str, column: str) -> list[str]:
    """The names of the items ``item`` links in ``column``, as the account stores them."""
    record = next(i for i in world.board(board).items if i.name == item)
    stored: Any = record.values.get(column) or {}
    return sorted(world.sandbox.state.item(i).name for i in stored.get("linked_item_ids", []))


def subitem_names(world: World, board: str, item: str) -> list[str]:
    """The names of ``item``'s subitems, from the account's stored items."""
    parent = next(i for i in world.board(board).items if i.name == item)
    raw = world.sandbox.state.raw["items"][parent.id]
    return sorted(world.sandbox.state.item(i).name for i in raw.get("subitem_ids", []))


def exported(world: World, *, pin_ids: bool) -> str:
    accounts, deals = world.board("Accounts").id, world.board("Deals").id
    return export(
        world.client,
        boards=[accounts, deals],
        with_items=True,
        match_by=[f"{accounts}=code", f"{deals}=ref"],
        pin_ids=pin_ids,
    )


def test_the_web_is_made_in_one_apply_and_a_second_apply_sends_nothing(world: World) -> None:
    assert world.apply(world.write(WEB)).ok
    assert linked_names(world, "Deals", "Follow-up", "account") == ["Beta"]
    assert linked_names(world, "Deals", "Follow-up", "after") == ["Big deal"]
    assert linked_names(world, "Accounts", "Acme", "deals") == ["Big deal", "Follow-up"]
    assert subitem_names(world, "Deals", "Big deal") == ["Call", "Proposal"]
    before = world.mutations
    assert not world.plan(world.write(WEB)).has_changes
    assert world.apply(world.write(WEB)).ok
    assert world.mutations == before


def test_export_plans_no_changes_and_without_ids_recreates_the_web_elsewhere(
    world: World, tmp_path: Path, profile: ProfileName
) -> None:
    assert world.apply(world.write(WEB)).ok
    text = exported(world, pin_ids=True)
    for written in (
        "boards: [deals]",
        "relation: account",
        "type: dependency",
        "account: [A-1]",
        "after: [D-1]",
        "subitems:",
        "name: Kickoff",
    ):
        assert written in text, written
    assert "account_tier:" not in text.split("rows:")[-1]  # mirror values are never written
    assert not world.plan(world.write(text, "exported.yaml")).has_changes

    copy = exported(world, pin_ids=False)
    elsewhere = fresh_world(tmp_path, "elsewhere", profile)
    copied = elsewhere.write(copy, "copied.yaml")
    assert elsewhere.apply(copied).ok
    assert elsewhere.census() == world.census()
    assert linked_names(elsewhere, "Accounts", "Acme", "deals") == ["Big deal", "Follow-up"]
    assert linked_names(elsewhere, "Deals", "Follow-up", "after") == ["Big deal"]
    assert subitem_names(elsewhere, "Deals", "Follow-up") == ["Kickoff"]
    before = elsewhere.mutations
    assert not elsewhere.plan(copied).has_changes
    assert elsewhere.apply(copied).ok
    assert elsewhere.mutations == before
