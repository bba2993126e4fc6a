"""The live reader finds the manifest's boards on monday and reads them into the model."""

from __future__ import annotations

import math
from collections.abc import Iterator

import httpx
import pytest

from boardops.codec import Directory
from boardops.errors import AmbiguousMatch, LiveReadError
from boardops.from_wire import CellReader, item_from_wire
from boardops.live import read_live
from boardops.model import (
    Board,
    Column,
    DesiredState,
    DropdownLabel,
    Group,
    ItemSet,
    StatusLabel,
    Workspace,
)
from boardops.monday import ApiToken, MondayClient
from boardops.sandbox import BASE_URL, Sandbox
from tests.conftest import FakeClock


@pytest.fixture
def client(sandbox: Sandbox, clock: FakeClock) -> Iterator[MondayClient]:
    with httpx.Client(transport=sandbox.transport(), base_url=BASE_URL) as http:
        yield MondayClient(
            http, ApiToken("t0ken"), api_url=BASE_URL, clock=clock, sleep=clock.sleep
        )


def _create_board(client: MondayClient, name: str, workspace_id: str | None = None) -> str:
    data = client.mutate(
        "mutation ($name: String!, $ws: ID) { create_board(board_name: $name, "
        "board_kind: public, workspace_id: $ws) { id } }",
        {"name": name, "ws": workspace_id},
    )
    return str(data["create_board"]["id"])


def _create_status_column(client: MondayClient, board_id: str) -> None:
    client.mutate(
        'mutation ($b: ID!) { create_status_column(board_id: $b, id: "status", '
        'title: "Status", defaults: {labels: [{label: "Done", color: done_green, '
        'index: 0, is_done: true}, {label: "Stuck", color: stuck_red, index: 1}]}) { id } }',
        {"b": board_id},
    )


def _create_items(client: MondayClient, board_id: str, count: int) -> None:
    for start in range(0, count, 50):
        fields = " ".join(
            f'i{n}: create_item(board_id: {board_id}, item_name: "Item {n}", '
            f'column_values: "{{\\"status\\": {{\\"index\\": 1}}}}") {{ id }}'
            for n in range(start, min(count, start + 50))
        )
        client.mutate(f"mutation {{ {fields} }}")


def _desired(*boards: Board, workspaces: tuple[Workspace, ...] = ()) -> DesiredState:
    return DesiredState(workspaces=workspaces, boards=boards)


STATUS = Column(
    id="status",
    title="Status",
    type="status",
    status_labels=(StatusLabel("Done", "done_green", done=True), StatusLabel("Stuck", "stuck_red")),
)


def test_a_board_is_found_by_name_with_its_columns_groups_and_label_ids(
    client: MondayClient,
) -> None:
    board_id = _create_board(client, "Sprint - Platform")
    _create_status_column(client, board_id)
    live = read_live(client, _desired(Board(key="sprint", name="Sprint - Platform")))
    board = live.boards["sprint"]
    assert board is not None
    assert (board.key, board.id, board.workspace_id) == ("sprint", board_id, None)
    status = board.column("status")
    assert status is not None
    assert [(label.label, label.id, label.done) for label in status.status_labels] == [
        ("Done", 1, True),
        ("Stuck", 2, False),
    ]
    assert [group.title for group in board.groups] == ["Group Title"]
    assert board.items is None  # the manifest declares no items: they are not read


def test_a_board_that_does_not_exist_yet_reads_as_none(client: MondayClient) -> None:
    _create_board(client, "Something else")
    live = read_live(client, _desired(Board(key="new", name="Brand new board")))
    assert live.boards == {"new": None}


def test_a_renamed_board_is_found_by_a_previous_name(client: MondayClient) -> None:
    board_id = _create_board(client, "Platform Sprint")
    desired = Board(key="sprint", name="Sprint - Platform", previous_names=("Platform Sprint",))
    board = read_live(client, _desired(desired)).boards["sprint"]
    assert board is not None
    assert (board.id, board.name) == (board_id, "Platform Sprint")


def test_a_board_with_the_new_name_beside_one_with_a_previous_name_is_ambiguous(
    client: MondayClient,
) -> None:
    # Issue 12: the current name used to win silently, taking over an unrelated board.
    old = _create_board(client, "Old name")
    current = _create_board(client, "New name")
    desired = Board(key="b", name="New name", previous_names=("Old name",))
    with pytest.raises(AmbiguousMatch) as caught:
        read_live(client, _desired(desired))
    assert str(caught.value) == (
        f"board.b: board {current} has the name 'New name' and board {old} the previous "
        "name 'Old name' in this workspace; which one to keep is ambiguous: pin it with "
        "`id:`, or drop the previous name"
    )


def test_two_boards_with_the_manifest_name_are_ambiguous(client: MondayClient) -> None:
    first = _create_board(client, "Twins")
    second = _create_board(client, "Twins")
    with pytest.raises(AmbiguousMatch) as caught:
        read_live(client, _desired(Board(key="twins", name="Twins")))
    assert str(caught.value) == (
        f"board.twins: 2 boards named 'Twins' in this workspace (ids {first}, {second}); "
        "pin one with `id:`"
    )


def test_a_pinned_board_id_that_does_not_exist_is_an_error(client: MondayClient) -> None:
    with pytest.raises(LiveReadError, match=r"board\.pinned: no active board with the pinned id"):
        read_live(client, _desired(Board(key="pinned", name="Whatever", id="999999")))


def test_boards_are_looked_up_in_their_workspace_only(client: MondayClient) -> None:
    data = client.mutate('mutation { create_workspace(name: "Engineering", kind: open) { id } }')
    workspace_id = str(data["create_workspace"]["id"])
    in_main = _create_board(client, "Roadmap")
    in_eng = _create_board(client, "Roadmap", workspace_id)
    desired = _desired(
        Board(key="main-roadmap", name="Roadmap"),
        Board(key="eng-roadmap", name="Roadmap", workspace="eng"),
        workspaces=(Workspace(key="eng", name="Engineering"),),
    )
    live = read_live(client, desired)
    assert live.workspaces["eng"] is not None
    assert live.workspaces["eng"].id == workspace_id
    assert live.boards["main-roadmap"].id == in_main  # type: ignore[union-attr]
    assert live.boards["eng-roadmap"].id == in_eng  # type: ignore[union-attr]


def test_a_board_in_a_workspace_yet_to_be_created_is_not_looked_up(
    client: MondayClient, sandbox: Sandbox
) -> None:
    desired = _desired(
        Board(key="b", name="Roadmap", workspace="ops"),
        workspaces=(Workspace(key="ops", name="Operations"),),
    )
    sandbox.counters.reset()
    live = read_live(client, desired)
    assert live.workspaces == {"ops": None}
    assert live.boards == {"b": None}
    assert sandbox.counters.requests == 1  # the workspace listing, nothing else


@pytest.mark.parametrize("item_count", [0, 499, 500, 1_201])
def test_a_board_with_n_items_costs_at_most_ceil_n_over_500_plus_2_requests(
    client: MondayClient, sandbox: Sandbox, item_count: int
) -> None:
    board_id = _create_board(client, "Big")
    _create_status_column(client, board_id)
    _create_items(client, board_id, item_count)
    desired = _desired(
        Board(
            key="big",
            name="Big",
            columns=(STATUS,),
            groups=(Group(key="g", title="Group Title"),),
            items=ItemSet(),
        )
    )
    sandbox.counters.reset()
    live = read_live(client, desired)
    board = live.boards["big"]
    assert board is not None
    assert board.items is not None
    assert len(board.items.rows) == item_count
    assert sandbox.counters.requests <= math.ceil(item_count / 500) + 2
    if item_count:
        assert board.items.rows[0].values == {"status": "Done"}


def test_reading_sends_no_mutation(client: MondayClient, sandbox: Sandbox) -> None:
    board_id = _create_board(client, "Sprint")
    _create_status_column(client, board_id)
    _create_items(client, board_id, 3)
    sandbox.counters.reset()
    read_live(client, _desired(Board(key="s", name="Sprint", items=ItemSet())))
    assert sandbox.counters.mutations == 0


def test_items_of_a_board_share_the_reading_of_repeated_cells_but_not_their_lists() -> None:
    status = Column(
        id="status",
        title="Status",
        type="status",
        status_labels=(StatusLabel(label="Done", id=1), StatusLabel(label="Stuck", id=2)),
    )
    tags = Column(
        id="tags",
        title="Tags",
        type="dropdown",
        dropdown_labels=(DropdownLabel(label="a", id=1), DropdownLabel(label="b", id=2)),
    )
    columns = {"status": status, "tags": tags}
    raw = [
        {
            "id": str(n),
            "name": f"Task {n}",
            "column_values": [
                {"id": "status", "value": '{"index": 1}', "text": "Done"},
                {"id": "tags", "value": '{"ids": [2, 1]}', "text": "b, a"},
            ],
        }
        for n in range(3)
    ] + [
        {
            "id": "9",
            "name": "Other",
            "column_values": [
                {"id": "status", "value": '{"index": 1}', "text": "Stuck"},
                {"id": "status", "value": "not json", "text": "Free text"},
            ],
        },
        {
            "id": "10",
            "name": "Another",
            "column_values": [{"id": "status", "value": "not json", "text": "Other text"}],
        },
    ]
    directory = Directory()
    shared = CellReader(directory)
    read = [item_from_wire(item, columns, directory, shared) for item in raw]
    assert read == [item_from_wire(item, columns, directory) for item in raw]
    assert read[0].values == {"status": "Done", "tags": ["a", "b"]}
    assert read[0].values["tags"] is not read[1].values["tags"]
    assert [item.values["status"] for item in read[3:]] == ["Free text", "Other text"]
