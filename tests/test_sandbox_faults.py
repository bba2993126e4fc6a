"""Fault and latency injection: each fault does what it says, deterministically."""

from __future__ import annotations

import httpx
import pytest

from boardops.sandbox import BASE_URL, Faults, Sandbox, ScheduledFault
from tests.conftest import FakeClock

CREATE_BOARD = {"query": 'mutation { create_board(board_name: "B", board_kind: public) { id } }'}
READ = {"query": "{ me { id } }"}


def faulty(clock: FakeClock, faults: Faults, seed: int = 0) -> tuple[Sandbox, httpx.Client]:
    sandbox = Sandbox(faults=faults, clock=clock, sleep=clock.sleep, seed=seed)
    client = httpx.Client(
        transport=sandbox.transport(), base_url=BASE_URL, headers={"Authorization": "t"}
    )
    return sandbox, client


def outcomes(client: httpx.Client, count: int, body: dict[str, str] = READ) -> list[str]:
    seen = []
    for _ in range(count):
        try:
            seen.append(str(client.post("", json=body).status_code))
        except httpx.ReadTimeout:
            seen.append("timeout")
        except httpx.RemoteProtocolError:
            seen.append("lost_ack")
    return seen


# --- configuration ---------------------------------------------------------------------------


def test_fault_spec_syntax_reads_probabilities_latency_and_schedules() -> None:
    faults = Faults.parse(
        "429=0.1,5xx=0.05,timeout=0.02,lost_ack=0.02,latency_ms=50,jitter_ms=5,"
        "lost_ack@m3,timeout@7,timeout_phase=after,retry_in=4,seed=9"
    )
    assert (faults.rate_limit, faults.server_error, faults.timeout, faults.lost_ack) == (
        0.1,
        0.05,
        0.02,
        0.02,
    )
    assert (faults.latency_ms, faults.jitter_ms, faults.retry_in_seconds, faults.seed) == (
        50,
        5,
        4,
        9,
    )
    assert faults.timeout_phase == "after"
    assert faults.schedule == (
        ScheduledFault("lost_ack", 3, mutations_only=True),
        ScheduledFault("timeout", 7),
    )


@pytest.mark.parametrize("spec", ["429=2", "teapot=0.1", "lost_ack@0", "latency_ms", "seed=x"])
def test_bad_fault_specs_are_rejected(spec: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        Faults.parse(spec)


def test_faults_come_from_the_environment() -> None:
    assert Faults.from_env({"BOARDOPS_SANDBOX_FAULTS": "5xx=0.5"}) == Faults(server_error=0.5)
    assert Faults.from_env({}) is None


# --- what each fault does --------------------------------------------------------------------


def test_injected_429_carries_retry_in_seconds_and_runs_nothing(clock: FakeClock) -> None:
    sandbox, client = faulty(clock, Faults(rate_limit=1.0, retry_in_seconds=7))
    response = client.post("", json=CREATE_BOARD)
    assert response.status_code == 429
    assert response.json()["errors"][0]["extensions"]["retry_in_seconds"] == 7
    assert response.headers["Retry-After"] == "7"
    assert sandbox.state.boards == ()


def test_injected_lock_is_a_423_that_runs_nothing(clock: FakeClock) -> None:
    sandbox, client = faulty(clock, Faults.parse("locked=1"))
    response = client.post("", json=CREATE_BOARD)
    assert response.status_code == 423
    assert "currently locked" in response.json()["errors"][0]["message"]
    assert sandbox.state.boards == ()


def test_injected_5xx_is_an_internal_server_error(clock: FakeClock) -> None:
    sandbox, client = faulty(clock, Faults(server_error=1.0))
    assert client.post("", json=CREATE_BOARD).status_code == 500
    assert sandbox.state.boards == ()


def test_injected_complexity_exhaustion_is_monday_shaped(clock: FakeClock) -> None:
    _, client = faulty(clock, Faults(complexity=1.0, retry_in_seconds=3))
    response = client.post("", json=READ)
    assert response.status_code == 429
    error = response.json()["errors"][0]
    assert error["message"] == "Complexity budget exhausted"
    assert error["extensions"]["code"] == "COMPLEXITY_BUDGET_EXHAUSTED"
    assert error["extensions"]["retry_in_seconds"] == 3


def test_timeout_before_running_raises_and_changes_nothing(clock: FakeClock) -> None:
    sandbox, client = faulty(clock, Faults(timeout=1.0))
    with pytest.raises(httpx.ReadTimeout):
        client.post("", json=CREATE_BOARD)
    assert sandbox.state.boards == ()


def test_timeout_after_running_raises_but_the_mutation_happened(clock: FakeClock) -> None:
    sandbox, client = faulty(clock, Faults(timeout=1.0, timeout_phase="after"))
    with pytest.raises(httpx.ReadTimeout):
        client.post("", json=CREATE_BOARD)
    assert len(sandbox.state.boards) == 1


def test_a_lost_acknowledgement_really_commits(clock: FakeClock) -> None:
    sandbox, client = faulty(clock, Faults(lost_ack=1.0))
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("", json=CREATE_BOARD)
    assert [b.name for b in sandbox.state.boards] == ["B"]
    assert sandbox.counters.faults == {"lost_ack": 1}


def test_lost_acknowledgements_only_hit_mutations(clock: FakeClock) -> None:
    _, client = faulty(clock, Faults(lost_ack=1.0))
    assert outcomes(client, 3) == ["200", "200", "200"]


def test_a_schedule_fails_exactly_the_nth_mutation(clock: FakeClock) -> None:
    sandbox, client = faulty(clock, Faults.parse("lost_ack@m2"))
    seen = [outcomes(client, 1, READ)[0], *outcomes(client, 3, CREATE_BOARD)]
    assert seen == ["200", "200", "lost_ack", "200"]
    assert len(sandbox.state.boards) == 3


def test_a_schedule_can_target_the_nth_request(clock: FakeClock) -> None:
    _, client = faulty(clock, Faults(schedule=(ScheduledFault("5xx", 2),)))
    assert outcomes(client, 3) == ["200", "500", "200"]


def test_the_same_seed_gives_the_same_faults(clock: FakeClock) -> None:
    faults = Faults(rate_limit=0.3, server_error=0.2, timeout=0.1)
    runs = [outcomes(faulty(clock, faults, seed=seed)[1], 40) for seed in (5, 5, 6)]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert {"200", "429", "500", "timeout"} <= set(runs[0])


def test_faults_can_be_switched_off_and_on_at_runtime(clock: FakeClock) -> None:
    sandbox, client = faulty(clock, Faults(server_error=1.0))
    assert outcomes(client, 1) == ["500"]
    sandbox.faults = Faults()
    assert outcomes(client, 1) == ["200"]
    sandbox.faults = Faults.parse("5xx@2")
    assert outcomes(client, 2) == ["200", "500"]


def test_latency_is_slept_through_the_injected_sleep(clock: FakeClock) -> None:
    _, client = faulty(clock, Faults(latency_ms=50))
    outcomes(client, 3)
    assert clock.sleeps == [0.05, 0.05, 0.05]


def test_jitter_adds_up_to_its_bound(clock: FakeClock) -> None:
    _, client = faulty(clock, Faults(latency_ms=10, jitter_ms=20))
    outcomes(client, 20)
    assert all(0.01 <= s <= 0.03 for s in clock.sleeps)
    assert len(set(clock.sleeps)) > 1
