"""Batched mutations: aliased documents, chunking, per-alias results and lost answers."""

from __future__ import annotations

import json

import httpx
import pytest

from boardops.errors import GraphQLError, QueryTooComplex
from boardops.monday import BatchOutcomeUnknown, MutationCall
from boardops.monday.mutations import ChunkLimits, build_batch_document, chunk_calls
from tests.support.monday_fakes import API_URL, error_entry, errors, make_client


def create_item(name: str, board_id: object = 42) -> MutationCall:
    return MutationCall(
        "create_item",
        {
            "board_id": board_id,
            "item_name": name,
            "group_id": "topics",
            "column_values": {"status": {"index": 1}},
        },
        "id name",
    )


def echo_batch(request: httpx.Request) -> httpx.Response:
    """Answer every alias of a batch with an item named after its item_name variable."""
    body = json.loads(request.content)
    data = {}
    for name, value in body["variables"].items():
        if name.endswith("_item_name"):
            alias = name.removesuffix("_item_name")
            data[alias] = {"id": f"id-{alias}", "name": value}
    return httpx.Response(200, json={"data": data})


def test_batch_document_declares_official_types_and_encodes_values():
    batch = build_batch_document([("m0", create_item("A", board_id=42))])
    assert "$m0_board_id: ID!" in batch.document
    assert "$m0_group_id: String" in batch.document
    assert "$m0_column_values: JSON" in batch.document
    assert "m0: create_item(board_id: $m0_board_id" in batch.document
    assert batch.variables["m0_board_id"] == "42"
    assert json.loads(str(batch.variables["m0_column_values"])) == {"status": {"index": 1}}


def test_mutate_batch_sends_one_request_and_returns_results_in_order(router, clock):
    route = router.post(API_URL).mock(side_effect=echo_batch)
    results = make_client(clock).mutate_batch([create_item(n) for n in "ABC"])
    assert route.call_count == 1
    assert [(r.alias, r.data["name"], r.ok) for r in results] == [
        ("m0", "A", True),
        ("m1", "B", True),
        ("m2", "C", True),
    ]
    assert results[1].call.args["item_name"] == "B"


def test_chunks_are_bounded_by_batch_size(router, clock):
    route = router.post(API_URL).mock(side_effect=echo_batch)
    results = make_client(clock, batch_size=2).mutate_batch([create_item(n) for n in "ABCDE"])
    assert route.call_count == 3
    assert [r.alias for r in results] == ["m0", "m1", "m2", "m3", "m4"]
    assert [r.data["name"] for r in results] == list("ABCDE")


def test_stats_count_requests_and_mutation_fields(router, clock):
    router.post(API_URL).mock(side_effect=echo_batch)
    client = make_client(clock, batch_size=2)
    client.mutate_batch([create_item(n) for n in "ABCDE"])
    stats = client.stats.snapshot()
    assert (stats.requests, stats.mutations, stats.mutation_fields) == (3, 3, 5)


def test_chunks_are_bounded_by_estimated_complexity():
    calls = [create_item(n) for n in "ABCDE"]
    chunks = chunk_calls(calls, ChunkLimits(max_calls=100, max_complexity=60_000))
    assert [[alias for alias, _ in chunk] for chunk in chunks] == [
        ["m0", "m1"],
        ["m2", "m3"],
        ["m4"],
    ]


def test_a_failed_alias_does_not_hide_the_others(router, clock):
    router.post(API_URL).mock(
        return_value=errors(
            error_entry("Invalid value", "ColumnValueException", path=["m1"], status_code=400),
            data={"m0": {"id": "1"}, "m1": None, "m2": {"id": "3"}},
        )
    )
    results = make_client(clock).mutate_batch([create_item(n) for n in "ABC"])
    assert [r.ok for r in results] == [True, False, True]
    assert results[2].data == {"id": "3"}
    failed = results[1].error
    assert failed is not None
    assert (failed.code, failed.alias) == ("ColumnValueException", "m1")


def test_a_throttled_alias_after_others_ran_is_reported_not_resent(router, clock):
    route = router.post(API_URL).mock(
        return_value=errors(
            error_entry("field limit", "FIELD_LIMIT_EXCEEDED", path=["m1"], retry_in_seconds=5),
            data={"m0": {"id": "1"}, "m1": None},
        )
    )
    results = make_client(clock).mutate_batch([create_item(n) for n in "AB"])
    assert route.call_count == 1
    assert results[0].ok
    assert results[1].error is not None
    assert results[1].error.code == "FIELD_LIMIT_EXCEEDED"


def test_lost_answer_names_calls_in_doubt_known_results_and_unsent_calls(router, clock):
    router.post(API_URL).mock(side_effect=[echo_batch, httpx.ReadTimeout("timed out")])
    calls = [create_item(n) for n in "ABCDE"]
    with pytest.raises(BatchOutcomeUnknown) as caught:
        make_client(clock, batch_size=2).mutate_batch(calls)
    lost = caught.value
    assert [r.data["name"] for r in lost.completed] == ["A", "B"]
    assert lost.in_doubt_calls == (calls[2], calls[3])
    assert lost.in_doubt == ("m2", "m3")
    assert lost.not_sent == (calls[4],)
    assert clock.sleeps == []


def test_a_refused_batch_raises_its_request_error(router, clock):
    router.post(API_URL).mock(
        return_value=errors(error_entry("Parse error on ...", "Parse error on..."))
    )
    with pytest.raises(GraphQLError, match="Parse error"):
        make_client(clock).mutate_batch([create_item("A")])


def test_empty_batch_sends_nothing(clock):
    assert make_client(clock).mutate_batch([]) == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (MutationCall("create_itemz", {}, "id"), "unknown mutation"),
        (MutationCall("delete_item", {"item_id": "1", "board_id": "2"}, "id"), "no argument"),
        (MutationCall("create_item", {"board_id": "1"}, "id"), "needs argument item_name"),
        (MutationCall("delete_item", {"item_id": "1"}, ""), "give it a selection"),
        (
            MutationCall(
                "update_board",
                {"board_id": "1", "board_attribute": "name", "new_value": "x"},
                "id",
            ),
            "takes no selection",
        ),
    ],
)
def test_malformed_calls_are_refused_before_sending(call, message):
    with pytest.raises(ValueError, match=message):
        build_batch_document([("m0", call)])


def test_an_id_must_be_a_string_or_integer():
    with pytest.raises(TypeError, match="id"):
        build_batch_document([("m0", MutationCall("delete_item", {"item_id": 1.5}))])


def test_a_batch_over_the_complexity_cap_is_split_and_the_rest_sent_smaller(router, clock):
    too_complex = errors(
        error_entry(
            "Query has complexity of 6000000, which exceeds max complexity of 5000000",
            "ComplexityException",
            status_code=400,
        )
    )
    sizes: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        count = sum(1 for name in json.loads(request.content)["variables"] if "_item_name" in name)
        sizes.append(count)
        return too_complex if count > 2 else echo_batch(request)

    router.post(API_URL).mock(side_effect=answer)
    results = make_client(clock, batch_size=4).mutate_batch([create_item(n) for n in "ABCDEFG"])

    assert sizes == [4, 2, 2, 2, 1]
    assert [r.alias for r in results] == [f"m{i}" for i in range(7)]
    assert [r.data["name"] for r in results] == list("ABCDEFG")


def test_a_single_mutation_over_the_cap_raises_query_too_complex(router, clock):
    router.post(API_URL).mock(
        return_value=errors(error_entry("exceeds max complexity", "ComplexityException"))
    )
    with pytest.raises(QueryTooComplex):
        make_client(clock).mutate_batch([create_item("A")])
