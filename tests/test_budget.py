"""The budget of a plan: what its apply will cost, shown before anything is sent.

* accurate: within 20% of the requests, mutation fields and complexity the client then
  spends, on the shipped examples and on a 600-item seed;
* in every view: a ``budget`` object in the JSON plan (and the saved plan), one line in
  the text and Markdown views; a plan without changes has a zero budget and no line;
* monday's daily call cap: apply refuses a plan whose estimate is more than what is left
  today (nothing sent), and ``--allow-partial`` stops before the cap, the next day's run
  finishing the job.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarks.apply import manifest as seed_manifest
from boardops.apply import apply_plan
from boardops.apply.estimate import with_budget
from boardops.errors import CallAllowanceSpent
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.monday import MutationCall
from boardops.plan import Plan, build_plan
from boardops.plan.budget import Budget, budget_line
from boardops.sandbox import Sandbox
from boardops.views import render_json, render_markdown, render_text
from tests.conftest import BOTH_PROFILES, FakeClock
from tests.support.world import World, example_paths, world_fixture

profile = BOTH_PROFILES

BOARDOPS = str(Path(sys.executable).with_name("boardops"))
UNSET = ("MONDAY_API_TOKEN", "MONDAY_API_URL", "BOARDOPS_SANDBOX_FAULTS", "BOARDOPS_PROJECT")
ACCURACY = 0.20

EXAMPLE_SETS = [
    ["crm.yaml"],
    ["teams.yaml"],
    ["teams.yaml", "sprint.yaml"],
    ["teams.yaml", "bug-tracker.yaml"],
    ["bug-tracker.yaml", "crm.yaml", "sprint.yaml", "teams.yaml"],
]


@pytest.fixture
def world(sandbox: Sandbox, clock: FakeClock, tmp_path: Path) -> Iterator[World]:
    sandbox.set_account(tier="enterprise")  # crm.yaml's closed workspace needs it
    yield from world_fixture(sandbox, clock, tmp_path)


def seed(world: World, items: int) -> Path:
    return world.write(yaml.safe_dump(seed_manifest(items)), "seed.yaml")


def estimated_then_spent(world: World, paths: list[Path]) -> tuple[Budget, dict[str, int]]:
    """The plan's budget as ``plan`` shows it, and what its apply then spent."""
    desired = load_manifests(paths)
    live = read_live(world.client, desired)
    plan = with_budget(build_plan(desired, live), live, world.client)
    before = world.client.stats.snapshot()
    result = apply_plan(world.client, plan, live=live, week_start=desired.week_start)
    after = world.client.stats.snapshot()
    assert result.ok, result.failures
    spent = {
        "requests": after.requests - before.requests,
        "mutations": after.mutation_fields - before.mutation_fields,
        "complexity": after.complexity_used - before.complexity_used,
    }
    return plan.budget, spent


def assert_close(budget: Budget, spent: dict[str, int]) -> None:
    for name, actual in spent.items():
        estimated = getattr(budget, name)
        assert actual > 0
        assert abs(estimated - actual) <= ACCURACY * actual, (name, estimated, actual)


# --- accuracy ------------------------------------------------------------------------------


@pytest.mark.parametrize("names", EXAMPLE_SETS, ids=["+".join(n) for n in EXAMPLE_SETS])
def test_the_estimate_of_the_examples_is_within_20_percent_of_what_apply_spends(
    world: World, names: list[str]
) -> None:
    assert_close(*estimated_then_spent(world, example_paths(names)))


def test_the_estimate_of_a_600_item_seed_is_within_20_percent_of_what_apply_spends(
    world: World,
) -> None:
    budget, spent = estimated_then_spent(world, [seed(world, 600)])
    assert budget.mutations == 606  # a board's 4 columns, its group claimed, 600 items
    assert_close(budget, spent)


def test_the_estimate_counts_with_the_clients_batch_size(world: World) -> None:
    """600 items in batches of 25 are 24 requests: far fewer than the mutations."""
    budget, spent = estimated_then_spent(world, [seed(world, 600)])
    assert budget.requests < budget.mutations / 20
    assert spent["requests"] < spent["mutations"] / 20


def test_minutes_are_the_floor_set_by_the_limit_that_binds(world: World) -> None:
    """2,000 mutations per minute bind a 600-item seed long before requests or complexity."""
    budget, _ = estimated_then_spent(world, [seed(world, 600)])
    assert budget.bound == "mutations/min"
    assert budget.minutes == pytest.approx(606 / 2000, abs=0.01)


# --- views -----------------------------------------------------------------------------------


@pytest.fixture
def seed_plan(world: World) -> Plan:
    return world.plan(seed(world, 30))


def test_the_json_plan_carries_the_budget_object(seed_plan: Plan) -> None:
    data = json.loads(render_json(seed_plan.to_dict()))
    assert data["budget"]["requests"] == seed_plan.budget.requests > 0
    assert data["budget"]["mutations"] == 36
    assert set(data["budget"]) == {
        *("requests", "mutations", "complexity", "minutes", "bound"),
        *("daily_limit", "daily_used"),
    }


def test_a_saved_plan_keeps_its_budget(seed_plan: Plan) -> None:
    assert Plan.from_dict(json.loads(json.dumps(seed_plan.to_dict()))) == seed_plan


def test_text_and_markdown_show_one_budget_line_under_the_summary(seed_plan: Plan) -> None:
    data = seed_plan.to_dict()
    requests = seed_plan.budget.requests
    text = render_text(data, color=False).splitlines()
    (markdown,) = render_markdown(data)
    for lines in (text, markdown.splitlines()):
        budget = [line for line in lines if line.startswith("Budget: ")]
        assert len(budget) == 1
        assert budget[0].startswith(f"Budget: ~{requests} requests (36 mutations, complexity ~")
    assert text[-1] == budget[0]
    assert text[-2].startswith("Plan: 36 to create")


def test_a_plan_without_changes_has_a_zero_budget_and_no_line(world: World) -> None:
    path = seed(world, 3)
    world.apply(path)
    plan = world.plan(path)
    assert not plan.has_changes
    assert plan.to_dict()["budget"] == Budget().to_dict()
    assert plan.budget.mutations == plan.budget.complexity == 0
    assert "Budget" not in render_text(plan.to_dict(), color=False)
    assert "Budget" not in "".join(render_markdown(plan.to_dict()))


def test_the_share_of_the_daily_cap_is_of_what_is_left_when_known() -> None:
    known = Budget(requests=30, mutations=600, daily_limit=1000, daily_used=400)
    assert "5.0% of today's 600 calls left" in budget_line(known.to_dict())
    cap_only = Budget(requests=30, mutations=600, daily_limit=1000)
    assert "3.0% of the daily cap of 1,000 calls" in budget_line(cap_only.to_dict())
    unknown = Budget(requests=30, mutations=600)
    assert "share of the daily call cap unknown" in budget_line(unknown.to_dict())


# --- the daily cap (real processes: exit codes) ----------------------------------------------


def boardops(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name not in UNSET}
    return subprocess.run(
        [BOARDOPS, *map(str, args)],
        cwd=cwd,
        env=env,
        input="",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def set_daily_limit(state: Path, limit: int) -> None:
    """The sandbox account's daily call cap (its usage today: the requests this process
    has sent, so every run starts a new day)."""
    data: dict[str, Any] = json.loads(state.read_text())
    data["account"]["daily_limit"] = limit
    state.write_text(json.dumps(data))


def items_in(state: Path) -> int:
    return len(json.loads(state.read_text())["items"])


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, Path]:
    """A 120-item seed manifest and a sandbox state file that holds nothing yet."""
    path = tmp_path / "seed.yaml"
    path.write_text(yaml.safe_dump(seed_manifest(120)))
    state = tmp_path / "sandbox.json"
    assert boardops("plan", path, "--sandbox", state, cwd=tmp_path).returncode == 0
    return path, state


def test_apply_refuses_a_plan_over_what_is_left_today(
    seeded: tuple[Path, Path], tmp_path: Path
) -> None:
    path, state = seeded
    set_daily_limit(state, 6)
    run = boardops("apply", path, "--sandbox", state, "--auto-approve", cwd=tmp_path)
    assert run.returncode == 1
    (error,) = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert "~7 requests" in error  # item batches as the client sizes them: 25, then more
    assert "4 of today's 6" in error
    assert "--allow-partial" in error
    assert "Budget: ~7 requests" in run.stdout
    assert items_in(state) == 0
    assert not json.loads(state.read_text())["boards"]  # nothing written


def test_allow_partial_stops_before_the_cap_and_the_next_run_finishes(
    seeded: tuple[Path, Path], tmp_path: Path
) -> None:
    path, state = seeded
    set_daily_limit(state, 7)
    run = boardops(
        "apply", path, "--sandbox", state, "--auto-approve", "--allow-partial", cwd=tmp_path
    )
    assert run.returncode == 1
    assert "stopped before monday's daily call cap (5 calls were left today)" in run.stderr
    assert "not done" in run.stderr
    assert "Traceback" not in run.stderr
    done = items_in(state)
    assert 0 < done < 120
    # The sandbox served no more requests than the cap allows: the process read the
    # plan (1), the day's usage (1), and sent at most what was left.
    set_daily_limit(state, 1000)  # the next day
    again = boardops("apply", path, "--sandbox", state, "--auto-approve", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert items_in(state) == 120
    final = boardops("plan", path, "--sandbox", state, "--detailed-exitcode", cwd=tmp_path)
    assert final.returncode == 0, final.stdout


# --- the client's call allowance ---------------------------------------------------------


def test_no_request_is_sent_once_the_call_allowance_is_used(world: World) -> None:
    from boardops.errors import CallAllowanceSpent

    served = world.sandbox.counters.requests
    world.client.set_call_allowance(2)
    world.client.query("query { me { id } }")
    world.client.query("query { me { id } }")
    with pytest.raises(CallAllowanceSpent):
        world.client.query("query { me { id } }")
    assert world.sandbox.counters.requests == served + 2


def test_a_batch_that_does_not_fit_the_allowance_is_not_sent_at_all(world: World) -> None:
    """60 calls are 3 requests: with 2 left, none goes, so the caller knows what ran."""
    board = world.mutate('mutation { create_board(board_name: "B", board_kind: public) { id } }')[
        "create_board"
    ]["id"]
    served = world.sandbox.counters.requests
    world.client.set_call_allowance(2)
    calls = [
        MutationCall("create_item", {"board_id": board, "item_name": f"i{n}"}) for n in range(60)
    ]
    with pytest.raises(CallAllowanceSpent):
        world.client.mutate_batch(calls)
    assert world.sandbox.counters.requests == served
    world.client.set_call_allowance(None)
    assert len(world.client.mutate_batch(calls)) == 60
