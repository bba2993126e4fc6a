"""Week values start on the manifests' ``week_start``, else on the account's first day of
the week (recorded behaviour, section 6): one rule for the diff and for apply."""

from __future__ import annotations

import pytest

from boardops.apply.context import ApplyRun
from boardops.apply.events import ignore
from boardops.model import Account, LiveState, effective_week_start
from tests.support.world import World, world_fixture

world = pytest.fixture(world_fixture)

SUNDAY_ACCOUNT = Account(week_start="sunday")


def test_the_manifests_week_start_wins_over_the_accounts() -> None:
    assert effective_week_start("monday", SUNDAY_ACCOUNT) == "monday"
    assert effective_week_start(None, SUNDAY_ACCOUNT) == "sunday"


def test_without_manifest_or_account_the_week_starts_on_monday() -> None:
    assert effective_week_start(None, Account()) == "monday"
    assert effective_week_start(None, None) == "monday"


def test_apply_converts_values_with_the_same_week_start(world: World) -> None:
    run = ApplyRun(
        world.client,
        ignore,
        actions=(),
        live=LiveState(account=SUNDAY_ACCOUNT),
        week_start="sunday",
    )
    assert run.directory(users=False).week_start == "sunday"
