"""A CRM-like web of boards, as code, round trip (issues 17 and 18; the web is
``benchmarks.round_trip.WEB``, whose figures the benchmark prints).

Accounts and deals link each other, deals mirror their account's tier and depend on each
other, deals break down into subitems with values of their own; the boards sit in a
workspace's folders, with owners, subscribers (people and teams), a role, an item
nickname, and columns with settings and a width. The web is applied, exported, planned
against (no changes), exported without ids, applied to an empty account whose people have
other ids (where it exports exactly as the original does), and applied there again (no
mutation).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.round_trip import WEB, Account, renumbered
from boardops.sandbox.profiles import ProfileName
from tests.conftest import BOTH_PROFILES

profile = BOTH_PROFILES


@pytest.fixture
def account(profile: ProfileName, tmp_path: Path) -> Account:
    """An account holding the web."""
    made = Account(profile)
    assert made.apply(web(tmp_path))
    return made


def web(folder: Path) -> Path:
    path = folder / "web.yaml"
    path.write_text(WEB, encoding="utf-8")
    return path


def linked_names(account: Account, board: str, item: str, column: str) -> list[str]:
    """The names of the items ``item`` links in ``column``, as the account stores them."""
    state = account.sandbox.state
    record = next(i for i in state.board_named(board).items if i.name == item)
    stored: Any = record.values.get(column) or {}
    return sorted(state.item(i).name for i in stored.get("linked_item_ids", []))


def subitem_names(account: Account, board: str, item: str) -> list[str]:
    """The names of ``item``'s subitems, from the account's stored items."""
    state = account.sandbox.state
    parent = next(i for i in state.board_named(board).items if i.name == item)
    return sorted(state.item(i).name for i in state.raw["items"][parent.id].get("subitem_ids", []))


def test_the_web_is_made_in_one_apply_and_a_second_apply_sends_nothing(
    account: Account, tmp_path: Path
) -> None:
    assert linked_names(account, "Deals", "Follow-up", "account") == ["Beta"]
    assert linked_names(account, "Deals", "Follow-up", "after") == ["Big deal"]
    assert linked_names(account, "Accounts", "Acme", "deals") == ["Big deal", "Follow-up"]
    assert subitem_names(account, "Deals", "Big deal") == ["Call", "Proposal"]
    account.spent()
    assert not account.plan(web(tmp_path)).has_changes
    assert account.apply(web(tmp_path))
    assert account.spent()["mutations"] == 0


def test_export_plans_no_changes(account: Account, tmp_path: Path) -> None:
    text = account.export(pin_ids=True)
    for written in (
        "boards: [deals]",
        "relation: account",
        "type: dependency",
        "account: [A-1]",
        "after: [D-1]",
        "subitems:",
        "name: Kickoff",
        "folder: Clients/Active",
        "{team: Platform}",
        "role: contributor",
        "settings: {limit: 3}",
        "width: 160",
    ):
        assert written in text, written
    assert "account_tier:" not in text.split("rows:")[-1]  # mirror values are never written
    exported = tmp_path / "exported.yaml"
    exported.write_text(text, encoding="utf-8")
    assert not account.plan(exported).has_changes


def test_without_ids_the_web_is_recreated_on_another_account_and_stays_so(
    account: Account, tmp_path: Path, profile: ProfileName
) -> None:
    copy = account.export(pin_ids=False)
    copied = tmp_path / "copied.yaml"
    copied.write_text(copy, encoding="utf-8")
    other = Account(profile, renumbered(tmp_path / "other.json", profile))
    assert other.apply(copied)
    assert other.sandbox.state.census() == account.sandbox.state.census()
    # What boardops reads of each account is the same: links, subitems, folders, owners
    # and subscribers (the same people under other ids), role, nickname, settings, width.
    assert other.export(pin_ids=False) == copy
    assert subitem_names(other, "Deals", "Follow-up") == ["Kickoff"]
    other.spent()
    assert not other.plan(copied).has_changes
    assert other.apply(copied)
    assert other.spent()["mutations"] == 0
