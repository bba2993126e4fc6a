"""The client end to end against the in-process sandbox (skipped when it is absent)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from boardops.errors import GraphQLError
from boardops.monday import BatchOutcomeUnknown, MondayClient, MutationCall
from tests.support.clock import FakeClock
from tests.support.monday_fakes import make_client

sandbox_module = pytest.importorskip("boardops.sandbox", reason="boardops.sandbox not present")


@pytest.fixture
def sandbox() -> Any:
    return sandbox_module.Sandbox()


@pytest.fixture
def client(sandbox: Any) -> MondayClient:
    return make_client(FakeClock(), http=httpx.Client(transport=sandbox.transport()))


def new_board(client: MondayClient) -> str:
    [created] = client.mutate_batch(
        [MutationCall("create_board", {"board_name": "Roadmap", "board_kind": "public"})]
    )
    [column] = client.mutate_batch(
        [
            MutationCall(
                "create_column",
                {
                    "board_id": created.data["id"],
                    "id": "key",
                    "title": "Key",
                    "column_type": "text",
                },
            )
        ]
    )
    assert column.ok, column.error
    return str(created.data["id"])


def create_items(board_id: str, names: list[str]) -> list[MutationCall]:
    return [
        MutationCall(
            "create_item",
            {"board_id": board_id, "item_name": name, "column_values": {"key": name}},
        )
        for name in names
    ]


def test_a_board_with_1200_items_is_read_in_three_requests(client):
    board_id = new_board(client)
    results = client.mutate_batch(create_items(board_id, [f"i{n}" for n in range(1200)]))
    assert all(result.ok for result in results)
    before = client.stats.snapshot().requests

    [board] = client.read_boards([board_id])

    assert client.stats.snapshot().requests - before == 3
    assert len({item["id"] for item in board["items"]}) == 1200
    assert [column["id"] for column in board["columns"]] == ["name", "key"]
    assert board["groups"][0]["id"] == "topics"


def test_a_lost_batch_answer_is_in_doubt_and_re_finding_shows_it_committed(client, sandbox):
    board_id = new_board(client)
    sandbox.faults = sandbox_module.Faults.parse("lost_ack@m1")
    calls = create_items(board_id, ["alpha", "beta"])

    with pytest.raises(BatchOutcomeUnknown) as caught:
        client.mutate_batch(calls)

    assert caught.value.in_doubt_calls == tuple(calls)
    found = client.find_items(
        board_id, [{"column_id": "key", "compare_value": ["alpha"], "operator": "any_of"}]
    )
    assert [item["name"] for item in found] == ["alpha"]


def test_deleting_the_last_group_fails_on_its_alias_only(client):
    board_id = new_board(client)
    results = client.mutate_batch(
        [
            MutationCall("delete_group", {"board_id": board_id, "group_id": "topics"}),
            MutationCall(
                "update_board",
                {"board_id": board_id, "board_attribute": "description", "new_value": "d"},
                "",
            ),
        ]
    )
    assert isinstance(results[0].error, GraphQLError)
    assert results[0].error.code == "DeleteLastGroupException"
    assert results[1].ok
