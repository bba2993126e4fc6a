"""Reads: items pages and cursors, board structure in bulk, paged lists, concurrency."""

from __future__ import annotations

import functools
import json
import threading
from typing import Any

import httpx
import pytest

from boardops.errors import CursorExpired
from tests.support.monday_fakes import API_URL, error_entry, errors, make_client, ok


def items(*ids: str) -> list[dict[str, Any]]:
    return [{"id": i, "name": f"item {i}"} for i in ids]


def first_page(cursor: str | None, *ids: str) -> httpx.Response:
    return ok({"boards": [{"items_page": {"cursor": cursor, "items": items(*ids)}}]})


def next_page(cursor: str | None, *ids: str) -> httpx.Response:
    return ok({"next_items_page": {"cursor": cursor, "items": items(*ids)}})


def expired() -> httpx.Response:
    return errors(
        error_entry(
            "CursorExpiredError: cursor has expired", "CursorExpiredError", path=["next_items_page"]
        ),
        data=None,
    )


def test_iter_items_follows_cursors_until_null(router, clock):
    router.post(API_URL, json__variables__board_id="9").mock(
        return_value=first_page("c1", "1", "2")
    )
    router.post(API_URL, json__variables__cursor="c1").mock(return_value=next_page("c2", "3"))
    router.post(API_URL, json__variables__cursor="c2").mock(return_value=next_page(None, "4"))

    got = [item["id"] for item in make_client(clock).iter_items(9)]
    assert got == ["1", "2", "3", "4"]


def test_iter_items_asks_for_500_per_page_with_the_callers_selection(router, clock):
    route = router.post(API_URL).mock(return_value=first_page(None, "1"))
    list(make_client(clock).iter_items("9", selection="id name"))
    sent = json.loads(route.calls.last.request.content)
    assert sent["variables"] == {"board_id": "9", "limit": 500}
    assert "items { id name }" in sent["query"]


def test_expired_cursor_restarts_the_board_once_without_duplicates(router, clock):
    router.post(API_URL, json__variables__board_id="9").mock(
        side_effect=[first_page("c1", "1", "2"), first_page("d1", "1", "2")]
    )
    router.post(API_URL, json__variables__cursor="c1").mock(return_value=expired())
    router.post(API_URL, json__variables__cursor="d1").mock(return_value=next_page(None, "3"))

    got = [item["id"] for item in make_client(clock).iter_items("9")]
    assert got == ["1", "2", "3"]


def test_a_cursor_expiring_twice_raises(router, clock):
    router.post(API_URL, json__variables__board_id="9").mock(
        side_effect=[first_page("c1", "1"), first_page("c1", "1")]
    )
    router.post(API_URL, json__variables__cursor="c1").mock(return_value=expired())
    with pytest.raises(CursorExpired):
        list(make_client(clock).iter_items("9"))


def test_read_boards_gets_structure_and_first_pages_in_one_request(router, clock):
    structure = router.post(API_URL, json__variables__ids=["1", "2"]).mock(
        return_value=ok(
            {
                "boards": [
                    {
                        "id": "1",
                        "name": "A",
                        "columns": [],
                        "groups": [],
                        "items_page": {"cursor": None, "items": items("a")},
                    },
                    {
                        "id": "2",
                        "name": "B",
                        "columns": [],
                        "groups": [],
                        "items_page": {"cursor": "k", "items": items("b1")},
                    },
                ]
            }
        )
    )
    router.post(API_URL, json__variables__cursor="k").mock(return_value=next_page(None, "b2"))
    client = make_client(clock)

    boards = client.read_boards([1, 2])

    assert [(b["id"], [i["id"] for i in b["items"]]) for b in boards] == [
        ("1", ["a"]),
        ("2", ["b1", "b2"]),
    ]
    assert all("items_page" not in b for b in boards)
    sent = json.loads(structure.calls.last.request.content)["variables"]
    assert sent == {"ids": ["1", "2"], "limit": 2, "state": "active", "items_limit": 500}
    assert client.stats.snapshot().requests == 2


def test_read_boards_splits_many_boards_into_requests(router, clock):
    def answer(request: httpx.Request) -> httpx.Response:
        ids = json.loads(request.content)["variables"]["ids"]
        return ok({"boards": [{"id": i, "items_page": {"cursor": None, "items": []}} for i in ids]})

    route = router.post(API_URL).mock(side_effect=answer)
    boards = make_client(clock, boards_per_request=2).read_boards(["1", "2", "3"])
    assert [b["id"] for b in boards] == ["1", "2", "3"]
    assert route.call_count == 2


def test_iter_boards_pages_until_a_short_page(router, clock):
    route = router.post(API_URL).mock(
        side_effect=[
            ok({"boards": [{"id": "1", "name": "x"}, {"id": "2", "name": "Roadmap"}]}),
            ok({"boards": [{"id": "3", "name": "Roadmap"}]}),
        ]
    )
    found = make_client(clock).find_boards_by_name("Roadmap", workspace_ids=[5], page_size=2)
    assert [b["id"] for b in found] == ["2", "3"]
    pages = [json.loads(c.request.content)["variables"] for c in route.calls]
    assert pages[0]["page"] == 1
    assert pages[1]["page"] == 2
    assert pages[0]["workspace_ids"] == ["5"]


def test_iter_workspaces_pages(router, clock):
    router.post(API_URL).mock(
        side_effect=[ok({"workspaces": [{"id": "1"}, {"id": "2"}]}), ok({"workspaces": []})]
    )
    got = [w["id"] for w in make_client(clock).iter_workspaces(page_size=2)]
    assert got == ["1", "2"]


def test_users_reads_all_pages(router, clock):
    router.post(API_URL).mock(
        side_effect=[ok({"users": [{"id": "1"}, {"id": "2"}]}), ok({"users": [{"id": "3"}]})]
    )
    assert [u["id"] for u in make_client(clock).users(page_size=2)] == ["1", "2", "3"]


def test_find_items_sends_rules_and_follows_the_cursor(router, clock):
    first = router.post(API_URL, json__variables__board_id="9").mock(
        return_value=first_page("c1", "1")
    )
    router.post(API_URL, json__variables__cursor="c1").mock(return_value=next_page(None, "2"))
    rule = {"column_id": "key", "compare_value": ["abc"], "operator": "any_of"}
    got = make_client(clock).find_items(9, [rule])
    assert [i["id"] for i in got] == ["1", "2"]
    sent = json.loads(first.calls.last.request.content)["variables"]
    assert sent["rules"] == [rule]
    assert sent["operator"] == "and"


def test_run_concurrently_runs_in_parallel_up_to_the_limit_and_keeps_order(clock):
    client = make_client(clock, max_concurrency=3)
    barrier = threading.Barrier(3, timeout=5)
    lock = threading.Lock()
    running = 0
    peak = 0

    def task(n: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        barrier.wait()  # only passes when 3 tasks run at once
        with lock:
            running -= 1
        return n * 10

    results = client.run_concurrently([functools.partial(task, n) for n in range(6)])
    assert results == [0, 10, 20, 30, 40, 50]
    assert peak == 3


def test_run_concurrently_raises_the_first_failure(clock):
    def boom() -> int:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        make_client(clock).run_concurrently([lambda: 1, boom, lambda: 3])


def test_read_boards_splits_a_request_over_the_complexity_cap(router, clock):
    def answer(request: httpx.Request) -> httpx.Response:
        ids = json.loads(request.content)["variables"]["ids"]
        if len(ids) > 1:
            return errors(
                error_entry(
                    "Query has complexity of 9, which exceeds max complexity of 5",
                    "ComplexityException",
                )
            )
        return ok({"boards": [{"id": ids[0], "items_page": {"cursor": None, "items": []}}]})

    route = router.post(API_URL).mock(side_effect=answer)
    boards = make_client(clock).read_boards(["1", "2", "3"])
    assert [b["id"] for b in boards] == ["1", "2", "3"]
    assert route.call_count == 5  # [1,2,3] -> [1] + [2,3] -> [2] + [3]


def test_stats_stay_exact_under_concurrent_reads(router, clock):
    router.post(API_URL).mock(return_value=ok({"me": {"id": "1"}}))
    client = make_client(clock, max_concurrency=8)
    client.run_concurrently([client.me for _ in range(40)])
    assert client.stats.requests == 40
    assert client.stats.snapshot().queries == 40


@pytest.mark.parametrize("limit", [0, 501])
def test_an_items_page_size_outside_what_monday_accepts_is_refused(clock, limit):
    with pytest.raises(ValueError, match="1 to 500"):
        make_client(clock).iter_items("9", limit=limit)
