"""The apply lease on the sandbox, with a fake clock: taken, refused, waited for, renewed,
released, taken over when stale, and race-safe when two runs take it (or create the lock
board) at the same moment."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner, Result

from boardops.cli import main
from boardops.errors import LeaseHeld
from boardops.export import export
from boardops.lease import (
    LEASE_COLUMNS,
    LOCK_BOARD_NAME,
    ApplyLease,
    LeaseEvent,
    default_scope,
    holder_description,
    holder_gone,
    parse_duration,
)
from boardops.live import describe
from boardops.manifest import load_manifests
from boardops.monday import ApiToken, MondayClient, MutationCall
from boardops.sandbox import BASE_URL, Sandbox
from tests.conftest import BOTH_PROFILES
from tests.support.cli import API_URL, GOOD, answered_by

profile = BOTH_PROFILES

SCOPE = "workspaces: Team space"
TTL = timedelta(minutes=5)


class LeaseClock:
    """Wall-clock time that moves only when told; ``sleep`` advances it and may run a
    hook (what the other runner does while this one waits)."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 29, 12, 0, 0, tzinfo=timezone.utc)
        self.sleeps: list[float] = []
        self.on_sleep: Callable[[], None] | None = None

    def now(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)
        if self.on_sleep is not None:
            self.on_sleep()


@pytest.fixture
def client(sandbox_http: httpx.Client) -> MondayClient:
    return MondayClient(sandbox_http, ApiToken("sandbox"), api_url=BASE_URL)


@pytest.fixture
def wall() -> LeaseClock:
    return LeaseClock()


def runner(
    client: MondayClient,
    wall: LeaseClock,
    name: str,
    *,
    timeout: float = 0,
    events: list[LeaseEvent] | None = None,
    machine: str = "0000aaaa",
    alive: Callable[[int], bool] = lambda pid: True,
    pid: int = 100,
) -> ApplyLease:
    return ApplyLease(
        client,
        SCOPE,
        timeout=timedelta(seconds=timeout),
        ttl=TTL,
        poll=timedelta(seconds=5),
        clock=wall,
        on_event=(events.append if events is not None else lambda event: None),
        holder=f"{name} pid {pid} (machine {machine})",
        run_id=f"run-{name}",
        machine=machine,
        alive=alive,
    )


def lock_boards(sandbox: Sandbox) -> list[tuple[str, str]]:
    return [(b.id, b.state) for b in sandbox.state.boards if b.name == LOCK_BOARD_NAME]


def test_the_first_apply_creates_the_lock_board_once_with_its_columns(
    client: MondayClient, wall: LeaseClock, sandbox: Sandbox
) -> None:
    first = runner(client, wall, "ci-1")
    first.acquire()
    first.release()
    second = runner(client, wall, "ci-2")
    second.acquire()
    [(board_id, state)] = lock_boards(sandbox)
    assert state == "active"
    [board] = client.read_boards([board_id])
    assert {c["id"]: c["type"] for c in board["columns"]} == {
        "name": "name",
        **{column_id: "text" for column_id, _ in LEASE_COLUMNS},
    }
    assert [(r.holder, r.run_id) for r in second.records()] == [
        ("ci-2 pid 100 (machine 0000aaaa)", "run-ci-2")
    ]


def test_taking_it_is_announced_and_releasing_it_deletes_the_item(
    client: MondayClient, wall: LeaseClock
) -> None:
    events: list[LeaseEvent] = []
    lease = runner(client, wall, "ci-1", events=events)
    with lease.hold() as record:
        assert lease.records() == [record]
        assert record.started == wall.now()
        assert record.expires == wall.now() + TTL
    assert lease.records() == []
    assert [e.kind for e in events] == ["acquired", "released"]
    assert events[0].message == (
        f'Acquired the apply lease on board "boardops lock" (item {record.item_id}, '
        f"scope '{SCOPE}')"
    )


def test_a_held_lease_refuses_a_second_apply_naming_the_holder_and_its_age(
    client: MondayClient, wall: LeaseClock
) -> None:
    first = runner(client, wall, "ci-1")
    held = first.acquire()
    wall.advance(42)
    second = runner(client, wall, "ci-2")
    with pytest.raises(LeaseHeld) as refused:
        second.acquire()
    assert str(refused.value) == (
        f"another apply holds the lease for '{SCOPE}': ci-1 pid 100 (machine 0000aaaa) "
        f'(run run-ci-1, 42 s old), item {held.item_id} on board "boardops lock"; '
        "retry later, or wait with --lock-timeout"
    )
    assert [r.run_id for r in first.records()] == ["run-ci-1"]  # the refused run left nothing


def test_the_second_apply_waits_and_takes_it_when_the_first_releases(
    client: MondayClient, wall: LeaseClock
) -> None:
    first = runner(client, wall, "ci-1")
    first.acquire()
    events: list[LeaseEvent] = []
    second = runner(client, wall, "ci-2", timeout=60, events=events)
    wall.on_sleep = lambda: first.release() if len(wall.sleeps) == 3 else None
    record = second.acquire()
    assert wall.sleeps == [5, 5, 5]
    assert second.waited == timedelta(seconds=15)
    assert [e.kind for e in events] == ["waiting", "acquired"]
    assert events[0].message.startswith("waiting up to 60 s for the apply lease held by ci-1")
    assert [r.item_id for r in second.records()] == [record.item_id]


def test_waiting_ends_with_the_holder_line_when_the_timeout_runs_out(
    client: MondayClient, wall: LeaseClock
) -> None:
    runner(client, wall, "ci-1").acquire()
    with pytest.raises(LeaseHeld, match=r"after waiting 12 s: ci-1 .*12 s old"):
        runner(client, wall, "ci-2", timeout=12).acquire()
    assert wall.sleeps == [5, 5, 2]


def test_a_lease_past_its_expiry_is_taken_over_with_a_warning(
    client: MondayClient, wall: LeaseClock
) -> None:
    killed = runner(client, wall, "ci-1")  # SIGKILLed: never releases, never renews
    gone = killed.acquire()
    wall.advance(TTL.total_seconds() + 30)
    events: list[LeaseEvent] = []
    taker = runner(client, wall, "ci-2", events=events)
    record = taker.acquire()
    assert [e.kind for e in events] == ["stale", "acquired"]
    assert events[0].message == (
        "taking over the stale apply lease of ci-1 pid 100 (machine 0000aaaa) "
        "(run run-ci-1, 5 min old): it expired 30 s ago"
    )
    assert events[0].item_id == gone.item_id
    assert [r.run_id for r in taker.records()] == ["run-ci-2"]
    assert record.item_id != gone.item_id


def test_renewal_keeps_a_long_apply_from_looking_stale(
    client: MondayClient, wall: LeaseClock
) -> None:
    first = runner(client, wall, "ci-1")
    first.acquire()
    wall.advance(TTL.total_seconds() - 10)
    first.renew()
    wall.advance(60)
    with pytest.raises(LeaseHeld, match=r"ci-1 .*5 min old"):
        runner(client, wall, "ci-2").acquire()
    [record] = first.records()
    assert record.expires == wall.now() - timedelta(seconds=60) + TTL


def test_a_holder_on_this_machine_whose_process_ended_is_stale_at_once(
    client: MondayClient, wall: LeaseClock
) -> None:
    runner(client, wall, "laptop", pid=4242).acquire()  # killed; its pid is gone
    events: list[LeaseEvent] = []
    here = runner(client, wall, "laptop", events=events, pid=99, alive=lambda pid: pid != 4242)
    here.run_id = "run-again"
    here.acquire()
    assert events[0].kind == "stale"
    assert events[0].message.endswith("its process on this machine has ended")


def test_a_holder_on_another_machine_is_never_judged_by_a_local_pid() -> None:
    holder = "runner-7 pid 12 (machine 1111bbbb)"
    assert holder_gone(holder, "1111bbbb", alive=lambda pid: False)
    assert not holder_gone(holder, "2222cccc", alive=lambda pid: False)
    assert not holder_gone("someone edited this", "1111bbbb", alive=lambda pid: False)


def test_two_runs_that_took_it_at_once_keep_the_lower_item_id_whatever_their_clocks(
    client: MondayClient, wall: LeaseClock
) -> None:
    ahead_clock, behind_clock = LeaseClock(), LeaseClock()
    behind_clock.advance(-90)  # the second runner's clock is 90 s behind: it "started" first
    first = runner(client, ahead_clock, "ci-1")
    second = runner(client, behind_clock, "ci-2")
    first.lock_board()
    second.lock_board()
    # Both read an empty scope, then both create their item before either checks.
    first_item = first._create_mine()
    second_item = second._create_mine()
    assert first._check(first_item) is not None
    assert second._check(second_item) is None
    assert [r.run_id for r in first.records()] == ["run-ci-1"]  # the loser deleted its own


def test_two_runners_creating_the_lock_board_at_once_keep_the_lowest_id(
    client: MondayClient, wall: LeaseClock, sandbox: Sandbox
) -> None:
    first = runner(client, wall, "ci-1")
    second = runner(client, wall, "ci-2")
    # Both listed no lock board; both create one, then list again.
    mine_1, listed_1 = first._create_lock_board()
    mine_2, listed_2 = second._create_lock_board()
    assert first._settle(listed_1, mine_1) == second._settle(listed_2, mine_2) == mine_1
    assert sorted(lock_boards(sandbox)) == [(mine_1, "active"), (mine_2, "archived")]
    runner(client, wall, "ci-3").acquire()
    assert [state for _, state in lock_boards(sandbox)] == ["active", "archived"]


def test_the_lease_is_released_when_the_apply_fails(client: MondayClient, wall: LeaseClock) -> None:
    lease = runner(client, wall, "ci-1")
    with pytest.raises(RuntimeError), lease.hold():
        raise RuntimeError("apply failed")
    assert lease.records() == []
    runner(client, wall, "ci-2").acquire()


def test_the_default_scope_is_the_manifests_workspaces(tmp_path: Path) -> None:
    manifest = tmp_path / "boards.yaml"
    manifest.write_text(
        "version: 1\n"
        "workspaces:\n  - {key: team, name: Team space}\n"
        "boards:\n"
        "  - {name: Tasks, key: tasks, workspace: team}\n"
        "  - {name: Notes, key: notes}\n",
        encoding="utf-8",
    )
    assert default_scope(load_manifests([str(manifest)])) == (
        "workspaces: Team space, main workspace"
    )


def test_the_holder_names_the_ci_job_when_the_environment_tells() -> None:
    github = holder_description({"GITHUB_RUN_ID": "77", "GITHUB_REPOSITORY": "acme/boards"})
    assert github.endswith(" https://github.com/acme/boards/actions/runs/77")
    gitlab = holder_description({"CI_JOB_URL": "https://gitlab.example/acme/-/jobs/5"})
    assert gitlab.endswith(" https://gitlab.example/acme/-/jobs/5")
    assert " pid " in holder_description({})


@pytest.mark.parametrize(
    ("text", "seconds"), [("0", 0), ("90", 90), ("90s", 90), ("5m", 300), ("1h", 3600)]
)
def test_lock_timeouts_are_read_as_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["soon", "-5", "5d", ""])
def test_a_lock_timeout_that_is_not_a_duration_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_describe_and_export_of_the_main_workspace_leave_the_lock_board_out(
    wall: LeaseClock,
) -> None:
    # The recorded profile lists the main workspace ("Main workspace"), so it can be named.
    recorded = Sandbox(profile="recorded")
    with httpx.Client(transport=recorded.transport(), base_url=BASE_URL) as http:
        client = MondayClient(http, ApiToken("sandbox"), api_url=BASE_URL)
        client.mutate_batch(
            [MutationCall("create_board", {"board_name": "Notes", "board_kind": "public"})]
        )
        runner(client, wall, "ci-1").acquire()
        described = describe(client, workspaces=["Main workspace"])
        assert [b.name for b in described.boards.values() if b is not None] == ["Notes"]
        exported = export(client, workspaces=["Main workspace"])
    assert "name: Notes" in exported
    assert LOCK_BOARD_NAME not in exported


# --- through the command line (monday's API answered by the sandbox) -------------------------

MANIFEST = GOOD


def boardops(sandbox: Sandbox, *args: str, sends: bool = True) -> Result:
    with respx.mock(assert_all_called=sends) as mock:
        mock.post(API_URL).mock(side_effect=answered_by(sandbox))
        return CliRunner().invoke(
            main,
            [*args, "--api-url", API_URL],
            env={"MONDAY_API_TOKEN": "t0k3n"},
            terminal_width=100,
        )


def test_apply_says_it_took_the_lease_first_and_leaves_no_lease_behind(sandbox: Sandbox) -> None:
    result = boardops(sandbox, "apply", str(MANIFEST), "--auto-approve")
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert re.fullmatch(
        r'Acquired the apply lease on board "boardops lock" \(item \d+, '
        r"scope 'workspaces: [^']+'\)",
        first,
    ), first
    [lock] = [b for b in sandbox.state.boards if b.name == LOCK_BOARD_NAME]
    assert lock.active_items == ()
    again = boardops(sandbox, "plan", str(MANIFEST), "--detailed-exitcode")
    assert again.exit_code == 0, again.output  # the lock board is in no plan
    assert LOCK_BOARD_NAME not in again.stdout


def test_json_apply_reports_taking_and_releasing_the_lease_as_events(sandbox: Sandbox) -> None:
    result = boardops(sandbox, "apply", str(MANIFEST), "--auto-approve", "--format", "json")
    assert result.exit_code == 0, result.output
    events = [json.loads(line)["event"] for line in result.stdout.splitlines()]
    assert events[:2] == ["lease_acquired", "plan"]
    assert events[-1] == "lease_released"


def test_a_held_lease_stops_apply_with_one_line_before_anything_is_read_or_written(
    sandbox: Sandbox, wall: LeaseClock
) -> None:
    with httpx.Client(transport=sandbox.transport(), base_url=BASE_URL) as http:
        holder = ApplyLease(
            MondayClient(http, ApiToken("sandbox"), api_url=BASE_URL),
            default_scope(load_manifests([str(MANIFEST)])),
            holder="ci-7 pid 1 (machine 0000aaaa)",
        )
        holder.acquire()
    boards_before = len(sandbox.state.boards)
    result = boardops(sandbox, "apply", str(MANIFEST), "--auto-approve")
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: another apply holds the lease for 'workspaces: ")
    assert "ci-7 pid 1 (machine 0000aaaa) (run " in line
    assert len(sandbox.state.boards) == boards_before


def test_no_lock_applies_without_the_lease(sandbox: Sandbox) -> None:
    result = boardops(sandbox, "apply", str(MANIFEST), "--auto-approve", "--no-lock")
    assert result.exit_code == 0, result.output
    assert "apply lease" not in result.output
    assert LOCK_BOARD_NAME not in [b.name for b in sandbox.state.boards]


@pytest.mark.parametrize(
    "command",
    [["plan", str(MANIFEST)], ["drift", str(MANIFEST)], ["describe", str(MANIFEST)], ["doctor"]],
)
def test_read_only_commands_never_take_the_lease(sandbox: Sandbox, command: list[str]) -> None:
    result = boardops(sandbox, *command)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "apply lease" not in result.output
    assert LOCK_BOARD_NAME not in [b.name for b in sandbox.state.boards]


def test_a_lock_timeout_that_is_not_a_duration_is_bad_usage(sandbox: Sandbox) -> None:
    result = boardops(sandbox, "apply", str(MANIFEST), "--lock-timeout", "soon", sends=False)
    assert result.exit_code == 1
    assert "--lock-timeout" in result.stderr
    assert sandbox.state.boards == ()


def test_an_interruption_while_taking_it_leaves_no_lease_item(
    client: MondayClient, wall: LeaseClock
) -> None:
    def interrupted(event: LeaseEvent) -> None:
        if event.kind == "acquired":
            raise KeyboardInterrupt  # Ctrl-C (or SIGTERM) right after the item was made

    lease = runner(client, wall, "ci-1")
    lease.on_event = interrupted
    with pytest.raises(KeyboardInterrupt), lease.hold():
        pytest.fail("the block must not run")
    assert lease.records() == []
