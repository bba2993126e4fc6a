"""Batch sizing by measurement, and boards written in parallel, one request at a time each.

The client starts at 25 mutations a request and sizes the next batches from the server
time it measures per mutation (round trip less the base latency of a read): each call
stays under 20 s of server time (monday cuts calls at 60 s) with as few calls as that
allows, never above the per-query complexity cap. The sandbox's server time per mutation
and latency are slept on a fake clock, so the sizes follow from the timings alone.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from boardops.monday import ApiToken, BatchSizer, MondayClient, MutationCall
from boardops.sandbox import BASE_URL, BoardWrite, Faults, Limits, Sandbox
from tests.support.clock import FakeClock
from tests.support.world import World


def sandbox_with(clock: FakeClock, **options: Any) -> Sandbox:
    return Sandbox(clock=clock, sleep=clock.sleep, **options)


def client_on(sandbox: Sandbox, clock: FakeClock) -> MondayClient:
    return MondayClient(
        httpx.Client(transport=sandbox.transport()),
        ApiToken("t"),
        api_url=BASE_URL,
        clock=clock,
        sleep=clock.sleep,
    )


def new_board(sandbox: Sandbox, name: str = "B") -> str:
    body = sandbox.execute(
        f'mutation {{ create_board(board_name: "{name}", board_kind: public) {{ id }} }}'
    )
    board_id: str = body["data"]["create_board"]["id"]
    return board_id


def creates(board_id: str, count: int) -> list[MutationCall]:
    return [
        MutationCall("create_item", {"board_id": board_id, "item_name": f"Item {n}"})
        for n in range(count)
    ]


def request_sizes(sandbox: Sandbox) -> list[int]:
    """The number of mutations of each request that wrote to a board, in order."""
    return [write.mutations for write in sandbox.board_writes]


def seed(
    server_ms: float, items: int, *, latency_ms: float = 0.0, read_first: bool = True
) -> Sandbox:
    clock = FakeClock()
    sandbox = sandbox_with(clock, server_ms_per_mutation=server_ms)
    board_id = new_board(sandbox)
    sandbox.faults = Faults(latency_ms=latency_ms)
    client = client_on(sandbox, clock)
    if read_first:
        client.query("query { me { id } }")
    results = client.mutate_batch(creates(board_id, items))
    assert all(result.ok for result in results)
    return sandbox


def test_the_next_batches_hold_what_fits_in_the_target_given_the_measured_server_time() -> None:
    # 500 ms a mutation, 5 s of latency a request: the read measures the latency, the
    # first batch (25) 12.5 s of server time; 20 s then holds 40 mutations.
    sandbox = seed(500, 118, latency_ms=5000)
    assert request_sizes(sandbox) == [25, 40, 40, 13]


def test_the_same_timings_give_the_same_sizes() -> None:
    assert request_sizes(seed(700, 90, latency_ms=300)) == request_sizes(
        seed(700, 90, latency_ms=300)
    )


def test_latency_not_yet_measured_counts_as_server_time_and_only_makes_batches_smaller() -> None:
    measured = request_sizes(seed(500, 118, latency_ms=5000))
    unmeasured = request_sizes(seed(500, 118, latency_ms=5000, read_first=False))
    assert unmeasured[0] == 25
    assert unmeasured[1] < measured[1]


def test_a_slow_server_gets_smaller_batches_each_well_under_the_60_s_cut() -> None:
    # 2 s a mutation: the first batch takes 50 s; then 10 a request, 20 s each.
    sandbox = seed(2000, 50)
    assert request_sizes(sandbox) == [25, 10, 10, 5]


def test_a_fast_server_gets_batches_growing_step_by_step_to_the_complexity_cap() -> None:
    # No server time: each batch vouches for four times its size, until the per-query
    # complexity cap (4M points at 30k a create_item: 133) bounds it.
    sandbox = seed(0, 400)
    assert request_sizes(sandbox) == [25, 100, 133, 133, 9]


def test_no_batch_is_sized_past_the_mutations_a_minute_allows() -> None:
    sizer = BatchSizer(max_size=2000)
    sizes = []
    for _ in range(6):
        sizes.append(sizer.size)
        sizer.observe_batch(sizer.size, 0.0)
    assert sizes == [25, 100, 400, 1600, 2000, 2000]


def test_single_mutations_do_not_grow_the_batch_size() -> None:
    sizer = BatchSizer()
    for _ in range(10):
        sizer.observe_batch(1, 0.001)
    assert sizer.size == 25


def test_a_batch_size_given_to_the_client_stays_fixed(clock: FakeClock) -> None:
    sandbox = sandbox_with(clock, server_ms_per_mutation=2000)
    board_id = new_board(sandbox)
    client = MondayClient(
        httpx.Client(transport=sandbox.transport()),
        ApiToken("t"),
        api_url=BASE_URL,
        clock=clock,
        sleep=clock.sleep,
        batch_size=25,
    )
    client.mutate_batch(creates(board_id, 60))
    assert request_sizes(sandbox) == [25, 25, 10]


# --- boards in parallel -------------------------------------------------------------------


def two_boards(items: int) -> str:
    def board(name: str) -> str:
        rows = "\n".join(f"        - {{name: {name} {n:02d}, group: todo}}" for n in range(items))
        block = f"\n    items:\n      rows:\n{rows}" if items else ""
        return f"""  - name: {name}
    key: {name.lower()}
    groups:
      - {{key: todo, title: To do}}{block}"""

    return f"version: 1\nboards:\n{board('North')}\n{board('South')}\n"


class Rendezvous:
    """A sandbox ``sleep`` on a fake clock whose first two sleepers wait for each other:
    two requests are then in flight at once if, and only if, the client sends them at
    once (a client that sends one at a time leaves the first waiting out ``patience``)."""

    def __init__(self, clock: FakeClock, patience: float = 10.0) -> None:
        self.clock = clock
        self.patience = patience
        self.met = threading.Event()
        self.arrived = 0
        self.lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self.lock:
            self.clock.sleep(seconds)
            if self.met.is_set():
                return
            self.arrived += 1
            if self.arrived >= 2:
                self.met.set()
                return
        self.met.wait(self.patience)


def test_boards_are_written_in_parallel_and_each_board_one_request_at_a_time(
    clock: FakeClock, tmp_path: Path
) -> None:
    sandbox = sandbox_with(clock)
    world = World(sandbox, clock, tmp_path)
    assert world.apply(world.write(two_boards(0))).ok
    sandbox.server_ms_per_mutation = 10
    rendezvous = Rendezvous(clock)
    sandbox.sleep = rendezvous
    result = world.apply(world.write(two_boards(60)))
    assert result.ok, result.failures
    assert rendezvous.met.is_set()
    writes = list(sandbox.board_writes)
    boards = {write.board_id for write in writes}
    assert len(boards) == 2
    for board in boards:
        mine = [write for write in writes if write.board_id == board]
        assert len(mine) >= 3
        assert not any(a.overlaps(b) for a in mine for b in mine if a is not b)
    assert any(a.overlaps(b) for a in writes for b in writes if a.board_id != b.board_id)


@pytest.mark.parametrize("apart", [True, False])
def test_board_write_intervals_overlap_only_when_in_flight_together(apart: bool) -> None:
    first = BoardWrite(
        "1", "r1", 1, opened=1, closed=2 if apart else 3, started_at=0, finished_at=0
    )
    second = BoardWrite("2", "r2", 1, opened=2, closed=4, started_at=0, finished_at=0)
    assert first.overlaps(second) is not apart
    assert second.overlaps(first) is not apart


def test_a_batch_refused_as_too_complex_keeps_the_later_ones_under_it(clock: FakeClock) -> None:
    sandbox = sandbox_with(clock, limits=Limits(max_query_complexity=300))
    board_id = new_board(sandbox)
    client = client_on(sandbox, clock)

    def refused_requests(count: int) -> int:
        requests, writes = sandbox.counters.requests, len(sandbox.board_writes)
        assert all(result.ok for result in client.mutate_batch(creates(board_id, count)))
        return (sandbox.counters.requests - requests) - (len(sandbox.board_writes) - writes)

    assert refused_requests(40) > 0  # 25 is over the cap: learnt from monday's refusals
    largest = max(request_sizes(sandbox))
    assert refused_requests(40) == 0  # learnt once for the client, not once per batch
    assert max(request_sizes(sandbox)) == largest
    assert len(sandbox.state.board(board_id).active_items) == 80


def test_batches_stay_under_a_document_size_the_server_accepts(clock: FakeClock) -> None:
    # Every argument of create_item, 300 times: the sandbox refuses documents of over
    # 5,000 tokens, so the batches stop short of that instead of being refused.
    sandbox = sandbox_with(clock)
    board_id = new_board(sandbox)
    group = sandbox.state.board(board_id).groups[0].id
    calls = [
        MutationCall(
            "create_item",
            {
                "board_id": board_id,
                "group_id": group,
                "item_name": f"Item {n}",
                "column_values": {},
                "create_labels_if_missing": True,
            },
        )
        for n in range(300)
    ]
    requests = sandbox.counters.requests
    assert all(result.ok for result in client_on(sandbox, clock).mutate_batch(calls))
    assert sandbox.counters.requests - requests == len(sandbox.board_writes)  # none refused
    assert len(sandbox.board_writes) < 300 / 25
