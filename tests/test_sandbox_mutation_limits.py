"""The sandbox's mutation limits: monday's mutations-per-minute cap and the server time
each mutation takes, cut at 60 s per call as monday cuts it."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from boardops.monday import ApiToken, BatchOutcomeUnknown, MondayClient, MutationCall
from boardops.sandbox import BASE_URL, Limits, Sandbox
from tests.support.clock import FakeClock


def create_items(count: int, start: int = 0) -> str:
    """One request creating ``count`` items on board ``$b`` (and reading the complexity)."""
    fields = " ".join(
        f'i{n}: create_item(board_id: $b, item_name: "Item {n}") {{ id }}'
        for n in range(start, start + count)
    )
    return f"mutation($b: ID!) {{ complexity {{ query }} {fields} }}"


def new_board(sandbox: Sandbox) -> str:
    body = sandbox.execute('mutation { create_board(board_name: "B", board_kind: public) { id } }')
    board_id: str = body["data"]["create_board"]["id"]
    return board_id


def item_count(sandbox: Sandbox, board_id: str) -> int:
    return len(sandbox.state.board(board_id).active_items)


def sandbox_with(clock: FakeClock, **options: Any) -> Sandbox:
    return Sandbox(clock=clock, sleep=clock.sleep, **options)


def client_on(sandbox: Sandbox, clock: FakeClock, **options: Any) -> MondayClient:
    return MondayClient(
        httpx.Client(transport=sandbox.transport()),
        ApiToken("t"),
        api_url=BASE_URL,
        clock=clock,
        sleep=clock.sleep,
        **options,
    )


def creates(board_id: str, count: int) -> list[MutationCall]:
    return [
        MutationCall("create_item", {"board_id": board_id, "item_name": f"Item {n}"})
        for n in range(count)
    ]


def test_monday_limits_cap_mutations_at_2000_per_minute(clock: FakeClock) -> None:
    sandbox = sandbox_with(clock, limits=Limits.monday())
    board_id = new_board(sandbox)  # the first of the minute's 2,000
    for start in range(1, 2000, 111):
        count = min(111, 2000 - start)
        body = sandbox.execute(create_items(count, start), {"b": board_id})
        assert "errors" not in body, body["errors"]
    refused = sandbox.execute(create_items(1, 2000), {"b": board_id})
    assert refused["errors"][0]["extensions"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert item_count(sandbox, board_id) == 1999


def test_each_root_mutation_of_a_batch_counts_and_a_refused_batch_runs_nothing(
    clock: FakeClock,
) -> None:
    sandbox = sandbox_with(clock, limits=Limits(mutations_per_minute=5))
    board_id = new_board(sandbox)
    assert "errors" not in sandbox.execute(create_items(3), {"b": board_id})
    # 1 + 3 spent: a batch of 2 does not fit in the 5, and none of it runs.
    outcome = sandbox.handle(
        "POST",
        "/v2",
        {"authorization": "t", "content-type": "application/json"},
        json.dumps({"query": create_items(2, 3), "variables": {"b": board_id}}).encode(),
    )
    assert outcome.response is not None
    assert outcome.response.status == 429
    assert outcome.response.json()["errors"][0]["extensions"]["retry_in_seconds"] == 60
    assert item_count(sandbox, board_id) == 3
    # The complexity field is no mutation: one more item still fits.
    assert "errors" not in sandbox.execute(create_items(1, 3), {"b": board_id})


def test_the_cap_reopens_when_its_minute_is_over(clock: FakeClock) -> None:
    sandbox = sandbox_with(clock, limits=Limits(mutations_per_minute=4))
    board_id = new_board(sandbox)
    clock.advance(20)
    assert "errors" not in sandbox.execute(create_items(3), {"b": board_id})
    refused = sandbox.execute(create_items(1, 3), {"b": board_id})
    assert refused["errors"][0]["extensions"]["retry_in_seconds"] == 40
    clock.advance(40)
    assert "errors" not in sandbox.execute(create_items(4, 3), {"b": board_id})
    assert item_count(sandbox, board_id) == 7


def test_a_client_waits_out_the_cap_and_sends_every_mutation_once(clock: FakeClock) -> None:
    sandbox = sandbox_with(clock, limits=Limits(mutations_per_minute=30))
    board_id = new_board(sandbox)
    started = clock.now
    results = client_on(sandbox, clock, batch_size=10).mutate_batch(creates(board_id, 50))
    assert all(result.ok for result in results)
    assert item_count(sandbox, board_id) == 50
    assert clock.now - started >= 59  # a cap of 30 a minute cannot pass 51 in one minute


def test_each_mutation_takes_its_server_time_on_the_sandbox_clock(clock: FakeClock) -> None:
    sandbox = sandbox_with(clock, server_ms_per_mutation=250)
    board_id = new_board(sandbox)
    before = clock.now
    sandbox.execute(create_items(8), {"b": board_id})
    assert clock.now - before == pytest.approx(2.0)
    before = clock.now
    sandbox.execute("{ me { id } }")
    assert clock.now == before  # reads take no server time


def test_a_call_whose_server_time_passes_60_s_times_out_and_runs_nothing(
    clock: FakeClock,
) -> None:
    sandbox = sandbox_with(clock, server_ms_per_mutation=1000)
    board_id = new_board(sandbox)
    before = clock.now
    with pytest.raises(BatchOutcomeUnknown) as lost:
        client_on(sandbox, clock, batch_size=61).mutate_batch(creates(board_id, 61))
    assert len(lost.value.in_doubt_calls) == 61
    assert clock.now - before == pytest.approx(60.0)
    assert item_count(sandbox, board_id) == 0


def test_server_time_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="server_ms_per_mutation"):
        Sandbox(server_ms_per_mutation=-1)
