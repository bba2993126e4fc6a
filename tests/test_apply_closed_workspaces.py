"""Closed workspaces are Enterprise-only (recorded behaviour, section 6): known before
anything is sent when the account's tier is known; otherwise workspaces are created
first and monday's refusal stops the run before any board is touched."""

from __future__ import annotations

from dataclasses import replace

import pytest

from boardops.apply import apply_plan
from boardops.errors import PlanError
from boardops.live import read_live
from boardops.model import Account, Board, DesiredState, LiveState, Workspace
from boardops.plan import build_plan
from tests.support.world import World, world_fixture

world = pytest.fixture(world_fixture)

SECRET = Workspace(key="legal", name="Legal", kind="closed")
DESIRED = DesiredState(
    workspaces=(SECRET,),
    boards=(
        Board(key="cases", name="Cases", workspace="legal"),
        Board(key="elsewhere", name="Elsewhere"),
    ),
)


def on_tier(tier: str | None) -> LiveState:
    return LiveState(
        workspaces={"legal": None},
        boards={"cases": None, "elsewhere": None},
        account=Account(tier=tier),
    )


@pytest.mark.parametrize("tier", ["pro", "standard", "free"])
def test_a_closed_workspace_on_a_known_non_enterprise_account_is_a_plan_error(tier: str) -> None:
    with pytest.raises(
        PlanError,
        match=rf"workspace\.legal: kind closed needs an Enterprise "
        rf"account and this one is on the {tier} tier",
    ):
        build_plan(DESIRED, on_tier(tier))


@pytest.mark.parametrize("tier", ["enterprise", "Enterprise", None])
def test_a_closed_workspace_is_planned_on_enterprise_or_an_unknown_tier(
    tier: str | None,
) -> None:
    plan = build_plan(DESIRED, on_tier(tier))
    assert plan.actions[0].address == "workspace.legal"


def test_a_refused_workspace_stops_the_run_before_any_board(world: World) -> None:
    # The sandbox refuses this workspace as monday refuses a closed one on a Pro account.
    refused = replace(DESIRED, workspaces=(replace(SECRET, name="   "),))
    live = read_live(world.client, refused)
    plan = build_plan(refused, live)
    result = apply_plan(world.client, plan, live=live)
    assert [f.address for f in result.failures] == ["workspace.legal"]
    assert result.skipped == len(plan.actions) - 1
    assert not world.sandbox.state.boards
