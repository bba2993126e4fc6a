"""Pacing: the client waits before it would pass monday's per-minute caps, never after.

Every test runs on the fake clock (no real waiting) against the in-process sandbox
enforcing monday's documented caps on the same clock (``Limits.monday()``: 2,000 mutations,
10M complexity, 40 ``create_board`` per minute). A recording transport notes each request
the sandbox answers: its time, its status and the root mutation fields it carried, so the
tests check the caps from outside as well, over every 60 s span (a sliding window).
"""

from __future__ import annotations

import functools
import json
import logging
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import graphql
import httpx
import pytest

from boardops.monday import ApiToken, MondayClient
from boardops.monday.mutations import MutationCall
from boardops.monday.pacing import Cost, PaceLimits, Pacer
from boardops.sandbox import BASE_URL, Limits, Sandbox
from tests.support.clock import FakeClock
from tests.support.world import World

BOARD_FIELDS = {"create_board", "duplicate_board", "duplicate_group"}
CREATE_BOARD = (
    "mutation ($name: String!) { create_board(board_name: $name, board_kind: public) { id } }"
)
CREATE_ITEM = 'mutation ($board: ID!) { create_item(board_id: $board, item_name: "mine") { id } }'


@dataclass(frozen=True)
class Sent:
    at: float
    status: int
    mutations: int
    board_creations: int


class Recording(httpx.BaseTransport):
    """The sandbox's transport, noting every request it answers."""

    def __init__(self, sandbox: Sandbox, clock: FakeClock) -> None:
        self._inner = sandbox.transport()
        self._clock = clock
        self._lock = threading.Lock()
        self.sent: list[Sent] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fields = _root_mutation_fields(json.loads(request.content)["query"])
        response = self._inner.handle_request(request)
        with self._lock:
            self.sent.append(
                Sent(
                    self._clock(),
                    response.status_code,
                    len(fields),
                    sum(1 for name in fields if name in BOARD_FIELDS),
                )
            )
        return response

    def statuses(self) -> set[int]:
        return {sent.status for sent in self.sent}

    def busiest_minute(self, attribute: str) -> int:
        """The most of ``attribute`` any 60 s span held (a sliding window)."""
        times = [s.at for s in self.sent for _ in range(getattr(s, attribute))]
        start = 0
        most = 0
        for end, at in enumerate(times):
            while at - times[start] >= 60.0:
                start += 1
            most = max(most, end - start + 1)
        return most

    def mutations(self) -> int:
        return sum(sent.mutations for sent in self.sent)


def _root_mutation_fields(document: str) -> list[str]:
    parsed = graphql.parse(document)
    return [
        selection.name.value
        for definition in parsed.definitions
        if isinstance(definition, graphql.OperationDefinitionNode)
        and definition.operation is graphql.OperationType.MUTATION
        for selection in definition.selection_set.selections
        if isinstance(selection, graphql.FieldNode) and selection.name.value != "complexity"
    ]


class PacedWorld(World):
    """A ``World`` whose sandbox enforces monday's caps and whose requests are recorded."""

    def __init__(self, clock: FakeClock, folder: Path) -> None:
        super().__init__(
            Sandbox(limits=Limits.monday(), clock=clock, sleep=clock.sleep), clock, folder
        )
        self.clock = clock
        self.recording = Recording(self.sandbox, clock)
        self.http = httpx.Client(transport=self.recording, base_url=BASE_URL)
        self.client = MondayClient(
            self.http, ApiToken("sandbox"), api_url=BASE_URL, clock=clock, sleep=clock.sleep
        )


@pytest.fixture
def world(clock: FakeClock, tmp_path: Path) -> Iterator[PacedWorld]:
    made = PacedWorld(clock, tmp_path)
    yield made
    made.http.close()


def items_manifest(count: int) -> str:
    rows = "\n".join(f"        - {{name: Row {n}, values: {{ref: R-{n}}}}}" for n in range(count))
    return f"""
version: 1
boards:
  - name: Seed
    key: seed
    columns:
      - {{id: ref, title: Ref, type: text}}
    items:
      match_by: [ref]
      rows:
{rows}
"""


def boards_manifest(count: int) -> str:
    boards = "\n".join(f"  - {{name: Board {n}, key: b{n}}}" for n in range(count))
    return f"version: 1\nboards:\n{boards}\n"


def floor_seconds(count: int, per_minute: int) -> float:
    """The earliest the last of ``count`` spends can go under a cap of ``per_minute``,
    counted from the first (a fixed or a sliding window alike)."""
    return (math.ceil(count / per_minute) - 1) * 60.0


def timed_apply(world: PacedWorld, manifest: str) -> float:
    path = world.write(manifest)
    started = world.clock()
    world.apply(path)
    return world.clock() - started


# --- an apply under the caps: no 429, at the floor ----------------------------------------


def test_2500_new_items_meet_no_429_and_finish_within_ten_percent_of_the_mutation_floor(
    world: PacedWorld,
) -> None:
    elapsed = timed_apply(world, items_manifest(2_500))

    assert world.recording.statuses() == {200}
    assert world.client.stats.snapshot().rate_limited == 0
    assert len(world.board("Seed").items) == 2_500
    assert world.recording.busiest_minute("mutations") <= 2_000
    floor = floor_seconds(world.recording.mutations(), 2_000)
    assert floor == 60.0
    assert floor <= elapsed <= 1.10 * floor


def test_60_new_boards_meet_no_429_and_finish_within_ten_percent_of_the_create_board_floor(
    world: PacedWorld,
) -> None:
    elapsed = timed_apply(world, boards_manifest(60))

    assert world.recording.statuses() == {200}
    assert world.client.stats.snapshot().rate_limited == 0
    assert sum(sent.board_creations for sent in world.recording.sent) == 60
    assert world.recording.busiest_minute("board_creations") <= 40
    floor = floor_seconds(60, 40)
    assert floor <= elapsed <= 1.10 * floor


def test_pacing_never_waits_while_the_apply_stays_under_every_cap(
    world: PacedWorld, clock: FakeClock
) -> None:
    timed_apply(
        world, items_manifest(1_900) + boards_manifest(39).removeprefix("version: 1\nboards:\n")
    )

    assert world.recording.statuses() == {200}
    assert clock.sleeps == []
    assert world.client.stats.snapshot().waits == 0
    assert len(world.board("Seed").items) == 1_900


def test_the_waits_are_logged_at_info_with_what_binds(
    world: PacedWorld, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="boardops.monday"):
        timed_apply(world, boards_manifest(41))
    waits = [r.getMessage() for r in caplog.records if "before sending" in r.getMessage()]
    assert len(waits) == 1
    assert "for the cap of board creations per minute (40 of 40 used)" in waits[0]


# --- concurrent boards share one pacer --------------------------------------------------------


def test_boards_written_concurrently_stay_under_the_mutation_cap_together(
    world: PacedWorld,
) -> None:
    board_ids = [
        world.mutate(CREATE_BOARD, name=f"Parallel {n}")["create_board"]["id"] for n in range(8)
    ]

    def seed(board_id: str) -> None:
        calls = [
            MutationCall("create_item", {"board_id": board_id, "item_name": f"Item {n}"})
            for n in range(300)
        ]
        results = world.client.mutate_batch(calls)
        assert all(result.ok for result in results)

    world.client.run_concurrently([functools.partial(seed, board_id) for board_id in board_ids])

    assert world.recording.statuses() == {200}
    assert world.recording.mutations() == 8 + 8 * 300
    assert world.recording.busiest_minute("mutations") <= 2_000


# --- a 429 that still comes ---------------------------------------------------------------


def test_a_429_caused_by_another_client_holds_the_pacer_for_the_server_given_time(
    world: PacedWorld, clock: FakeClock
) -> None:
    # Another client on the same account spends the minute's mutations first.
    other = MondayClient(
        httpx.Client(transport=world.sandbox.transport(), base_url=BASE_URL),
        ApiToken("sandbox"),
        api_url=BASE_URL,
        clock=clock,
        sleep=clock.sleep,
    )
    board_id = other.mutate(CREATE_BOARD, {"name": "Shared"})["create_board"]["id"]
    other.mutate_batch(
        [
            MutationCall("create_item", {"board_id": board_id, "item_name": f"x{n}"})
            for n in range(1_999)
        ]
    )
    clock.advance(20.0)

    world.mutate(CREATE_ITEM, board=board_id)

    refused = [sent for sent in world.recording.sent if sent.status == 429]
    assert len(refused) == 1
    assert world.client.stats.snapshot().rate_limited == 1
    assert clock.sleeps == [40.0]  # the server's Retry-After, waited once
    assert world.client.pacer.admit(Cost(mutations=1)).wait == 0.0


# --- the pacer's own rules --------------------------------------------------------------------


def test_a_spend_counts_for_a_whole_window_from_its_answer(clock: FakeClock) -> None:
    pacer = Pacer(clock, PaceLimits(mutations_per_minute=10, margin_seconds=0.5))
    first = pacer.admit(Cost(mutations=6)).ticket
    assert first is not None
    clock.advance(5.0)
    first.settle()
    clock.advance(10.0)
    refused = pacer.admit(Cost(mutations=5))
    assert refused.ticket is None
    assert refused.wait == pytest.approx(60.5 - 10.0)
    assert refused.binding == "the cap of mutations per minute (6 of 10 used)"
    clock.advance(50.5)
    assert pacer.admit(Cost(mutations=5)).ticket is not None


def test_requests_in_flight_count_in_full_until_answered(clock: FakeClock) -> None:
    pacer = Pacer(clock, PaceLimits(board_creations_per_minute=2))
    flying = pacer.admit(Cost(mutations=2, board_creations=2)).ticket
    assert flying is not None
    waiting = pacer.admit(Cost(mutations=1, board_creations=1))
    assert waiting.ticket is None
    assert waiting.wait is None  # until an answer comes
    # What needs no board creation is not held by that cap.
    assert pacer.admit(Cost(mutations=1)).ticket is not None


def test_every_alias_counts_and_board_copies_count_as_board_creations(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    fields = ["complexity", "create_board", "duplicate_board", "duplicate_group", "create_item"]
    cost = pacer.estimate(fields=fields, operation=None, mutation=True, estimated=0)
    assert (cost.mutations, cost.board_creations) == (4, 3)
    read = pacer.estimate(fields=["boards"], operation="read", mutation=False, estimated=0)
    assert (read.mutations, read.board_creations) == (0, 0)


def test_complexity_is_estimated_then_corrected_by_the_reading(clock: FakeClock) -> None:
    pacer = Pacer(clock, PaceLimits(complexity_per_minute=1_000_000))
    estimate = pacer.estimate(
        fields=["create_item"] * 25, operation="batch", mutation=True, estimated=750_000
    )
    assert estimate == Cost(mutations=25, complexity=750_000)
    ticket = pacer.admit(estimate).ticket
    assert ticket is not None
    # A second pessimistic batch does not fit beside the first in flight...
    assert pacer.admit(estimate).ticket is None
    # ...but the first really cost 2,500 points, and later batches are estimated from it.
    ticket.settle(2_500)
    pacer.learn(
        fields={"create_item": 25},
        estimates={"create_item": 30_000},
        operation="batch",
        mutation=True,
        actual=2_500,
    )
    learned = pacer.estimate(
        fields=["create_item"] * 25, operation="batch", mutation=True, estimated=750_000
    )
    assert 2_500 < learned.complexity <= 2_800
    assert pacer.admit(learned).ticket is not None
    assert pacer.used().complexity == 2_500 + learned.complexity


def test_a_request_larger_than_a_whole_cap_goes_alone_rather_than_never(clock: FakeClock) -> None:
    pacer = Pacer(clock, PaceLimits(complexity_per_minute=1_000))
    small = pacer.admit(Cost(complexity=10)).ticket
    assert small is not None
    small.settle()
    waiting = pacer.admit(Cost(complexity=5_000))
    assert waiting.wait == pytest.approx(60.5)
    clock.advance(60.5)
    assert pacer.admit(Cost(complexity=5_000)).ticket is not None


def test_limits_follow_the_account_tier_and_the_servers_policy(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    assert pacer.limits.complexity_per_minute == 10_000_000
    pacer.observe_tier("pro")
    assert pacer.limits.complexity_per_minute == 10_000_000
    pacer.observe_tier("free")
    assert pacer.limits.complexity_per_minute == 1_000_000
    pacer.observe_policy({"complexityMinute": 5_000_000})
    assert pacer.limits.complexity_per_minute == 5_000_000
    pacer.observe_tier("enterprise")  # the server's own number stands
    assert pacer.limits.complexity_per_minute == 5_000_000
    assert pacer.limits.mutations_per_minute == 2_000
    assert pacer.limits.board_creations_per_minute == 40


def test_the_in_process_sandbox_is_paced_by_its_own_limits(tmp_path: Path) -> None:
    from boardops.connect import connect

    with connect(sandbox_path=tmp_path / "sandbox.json") as connection:
        assert connection.sandbox is not None
        limits = connection.client.pacer.limits
        assert limits.mutations_per_minute == connection.sandbox.limits.mutations_per_minute
        assert limits.complexity_per_minute == connection.sandbox.limits.complexity_per_minute
        assert limits.board_creations_per_minute == 40
    # A client of monday keeps monday's documented numbers.
    assert PaceLimits() == PaceLimits(
        mutations_per_minute=2_000, complexity_per_minute=10_000_000, board_creations_per_minute=40
    )
