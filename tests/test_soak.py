"""The fault soak, short: a few seeded runs of ``benchmarks/soak.py`` and one real SIGKILL.

The full soak (``python -m benchmarks.soak``, 200+ runs) prints its totals; here a
handful of runs must come out clean, the same seed must meet the same faults, and the
checks the soak relies on must notice a duplicate and a touched unmanaged object.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from benchmarks.soak import (
    CREATE_ITEM,
    EXAMPLES,
    MANIFEST_FILES,
    PARTIAL_FILES,
    Account,
    Unmanaged,
    census,
    find_duplicates,
    kill_embedded_run,
    kill_run,
    seed_unmanaged,
    soak,
    soak_run,
    unmanaged_records,
)
from boardops.manifest import load_manifests
from boardops.sandbox.profiles import PROFILE_NAMES, ProfileName

PATHS = [EXAMPLES / name for name in MANIFEST_FILES]
PARTIAL = [EXAMPLES / name for name in PARTIAL_FILES]


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_seeded_runs_under_faults_converge_without_duplicates_or_collateral(
    profile: ProfileName,
) -> None:
    totals = soak(seed=5, runs=15, time_limit=60.0, profile=profile)
    assert totals.failed == []
    assert totals.runs == 15
    assert totals.duplicates == 0
    assert totals.touched == 0
    # The runs did meet trouble: faults of several kinds and interruptions.
    assert sum(totals.faults.values()) > 50
    assert {"429", "5xx", "timeout", "lost_ack"} <= set(totals.faults)
    assert totals.killed_in_process > 0
    assert set(totals.starts) == {"empty", "partial", "drifted", "changed"}
    assert max(totals.reruns) <= 4


def test_a_run_is_reproduced_by_its_seed_and_index() -> None:
    first = soak_run(7, 3, PATHS, PARTIAL)
    again = soak_run(7, 3, PATHS, PARTIAL)
    assert first.ok
    assert again.ok
    assert (first.start, first.faults, first.killed_after, first.reruns) == (
        again.start,
        again.faults,
        again.killed_after,
        again.reruns,
    )


def _applied_account() -> tuple[Account, Unmanaged]:
    rng = random.Random(5)
    account = Account(rng)
    desired = load_manifests(PATHS)
    assert account.apply(desired)
    unmanaged = Unmanaged()
    seed_unmanaged(account, rng, desired, unmanaged)
    return account, unmanaged


def test_the_duplicate_check_finds_an_item_created_twice() -> None:
    account, _ = _applied_account()
    desired = load_manifests(PATHS)
    assert find_duplicates(account.sandbox.state.raw, desired) == []
    board = account.sandbox.state.board_named("Bug tracker")
    item = next(i for i in board.items if i.state == "active" and i.values.get("bug_id"))
    values = json.dumps({"bug_id": item.values["bug_id"]})
    account.mutate(CREATE_ITEM, board=board.id, group=item.group_id, name="copy", values=values)
    found = find_duplicates(account.sandbox.state.raw, desired)
    assert len(found) == 1
    assert found[0].startswith("Bug tracker: item")
    account.close()


def test_the_untouched_check_notices_a_changed_unmanaged_item() -> None:
    account, unmanaged = _applied_account()
    before = unmanaged_records(account.sandbox.state.raw, unmanaged)
    assert len(before) >= 10
    item_id = sorted(unmanaged.items)[0]
    board_id = account.sandbox.state.item(item_id).board_id
    account.mutate(
        "mutation ($b: ID!, $i: ID!, $v: JSON!) "
        "{ change_multiple_column_values(board_id: $b, item_id: $i, column_values: $v) { id } }",
        b=board_id,
        i=item_id,
        v=json.dumps({"name": "renamed"}),
    )
    after = unmanaged_records(account.sandbox.state.raw, unmanaged)
    assert [key for key in before if before[key] != after[key]] == [f"item {item_id}"]
    account.close()


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_a_real_apply_killed_with_sigkill_converges_when_run_again(
    tmp_path: Path, profile: ProfileName
) -> None:
    result = kill_run(3, 0, PATHS, tmp_path, latency_ms=0, faults="", profile=profile)
    assert result.killed_after is not None, "the apply process was killed mid-run"
    assert result.reruns >= 1, "the killed run left work for the re-run"
    assert result.ok, result.problems + result.duplicates + result.touched


def test_the_census_tells_an_item_value_changed_from_an_undisturbed_apply() -> None:
    account, _ = _applied_account()
    before = census(account.sandbox.state.raw)
    board = account.sandbox.state.board_named("Bug tracker")
    item = next(i for i in board.items if i.state == "active")
    account.mutate(
        "mutation ($b: ID!, $i: ID!, $v: JSON!) "
        "{ change_multiple_column_values(board_id: $b, item_id: $i, column_values: $v) { id } }",
        b=board.id,
        i=item.id,
        v=json.dumps({"fixed_in": "9.9"}),
    )
    after = census(account.sandbox.state.raw)
    assert [key for key in before if before[key] != after[key]] == ["board Engineering/Bug tracker"]
    account.close()


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_apply_with_an_in_process_sandbox_killed_with_sigkill_converges(
    tmp_path: Path, profile: ProfileName
) -> None:
    """The emulator's state file lives in the killed process: it must survive the kill."""
    result = kill_embedded_run(3, 1, PATHS, tmp_path, faults="", profile=profile)
    assert result.killed_after is not None, "the apply process was killed mid-run"
    assert result.reruns >= 1, "the killed run left work for the re-run"
    assert result.ok, result.problems + result.duplicates + result.touched
