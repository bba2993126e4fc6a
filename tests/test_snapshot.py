"""The describe snapshot is an exact, versioned image of the live state."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from boardops.errors import SnapshotError
from boardops.live import rekey_snapshot
from boardops.model import (
    Account,
    Board,
    Column,
    DesiredState,
    DropdownLabel,
    Group,
    Item,
    ItemSet,
    LiveState,
    StatusLabel,
    User,
    Workspace,
)
from boardops.snapshot import (
    live_from_dict,
    live_to_dict,
    read_snapshot,
    write_snapshot,
)


def _live() -> LiveState:
    status = Column(
        id="status",
        title="Status",
        type="status",
        revision="7",
        settings={"type": "status"},
        status_labels=(
            StatusLabel(label="Working on it", color="working_orange", id=0, index=0),
            StatusLabel(label="Done", color="done_green", done=True, id=1, index=1),
        ),
    )
    tags = Column(
        id="area",
        title="Area",
        type="dropdown",
        revision="2",
        dropdown_labels=(
            DropdownLabel(label="API", id=1),
            DropdownLabel(label="UI", id=2),
            DropdownLabel(label="Old", id=3, deactivated=True),
        ),
    )
    board = Board(
        key="platform-sprint",
        id="123",
        name="Sprint - Platform",
        workspace_id="9",
        state="active",
        updated_at="2026-11-20T10:00:00Z",
        columns=(Column(id="name", title="Name", type="name", revision="1"), status, tags),
        groups=(Group(key="topics", id="topics", title="Backlog", color="#579bfc"),),
        items=ItemSet(
            rows=(
                Item(
                    id="555",
                    name="Set up CI",
                    group="topics",
                    values={"status": "Done", "area": ["API", "UI"]},
                ),
            )
        ),
    )
    return LiveState(
        workspaces={
            "eng": Workspace(key="eng", name="Engineering", id="9"),
            "ops": None,
        },
        boards={"platform-sprint": board, "new-board": None},
        users=(User(id="10000001", name="Alice Example", email="alice@example.com"),),
        source="api",
        read_at="2026-11-23T04:20:00Z",
    )


def test_snapshot_round_trips_the_live_state_exactly(tmp_path: Path) -> None:
    live = _live()
    path = tmp_path / "live.json"
    write_snapshot(live, path)
    again = read_snapshot(path)
    assert again == live
    assert again.boards["platform-sprint"].columns[1].settings == {"type": "status"}  # type: ignore[union-attr]


def test_snapshot_is_stable_json_with_a_format_version() -> None:
    data = live_to_dict(_live())
    assert data["format_version"] == 1
    assert json.dumps(data, sort_keys=True) == json.dumps(live_to_dict(_live()), sort_keys=True)


def test_snapshot_of_another_kind_is_refused() -> None:
    with pytest.raises(SnapshotError, match="not a boardops live-state snapshot"):
        live_from_dict({"format_version": 1, "kind": "plan"}, origin="x.json")


def test_snapshot_from_a_newer_format_is_refused() -> None:
    with pytest.raises(SnapshotError, match="format_version 2 is not supported"):
        live_from_dict({"format_version": 2, "kind": "boardops-live-state"}, origin="x.json")


def test_snapshot_error_names_the_bad_field() -> None:
    data = live_to_dict(_live())
    data["boards"]["platform-sprint"]["columns"][1]["status_labels"][0]["id"] = "zero"  # type: ignore[call-overload,index]
    with pytest.raises(SnapshotError) as caught:
        live_from_dict(data, origin="x.json")
    assert str(caught.value) == (
        "x.json: boards.platform-sprint.columns[1].status_labels[0].id: expected an integer or null"
    )


def test_unreadable_snapshot_names_file_and_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format_version": 1,\n  oops}')
    with pytest.raises(SnapshotError, match=r"bad\.json:2:3: invalid JSON"):
        read_snapshot(path)


def _live_as_recorded() -> LiveState:
    """A live state with what real accounts report: the account, a default workspace with a
    real id, subscribers, users with status and kind."""
    live = _live()
    board = live.boards["platform-sprint"]
    assert board is not None
    return replace(
        live,
        account=Account(week_start="sunday", tier="enterprise", main_workspace_id="10136488"),
        workspaces={
            **live.workspaces,
            "main": Workspace(key="main", name="Main workspace", id="10136488", is_default=True),
        },
        boards={
            **live.boards,
            "platform-sprint": replace(
                board,
                subscriber_ids=frozenset({"10000001", "9"}),
                team_subscriber_ids=frozenset(),
            ),
        },
        users=(
            User(
                id="10000001",
                name="Alice Example",
                email="alice@example.com",
                status="ACTIVE",
                kind="admin",
            ),
            User(id="10000005", name="Erin", email="erin@example.com", status="PENDING"),
        ),
    )


def test_snapshot_round_trips_the_account_default_workspace_subscribers_and_user_status(
    tmp_path: Path,
) -> None:
    live = _live_as_recorded()
    path = tmp_path / "live.json"
    write_snapshot(live, path)
    assert read_snapshot(path) == live


def test_a_snapshot_written_before_these_fields_existed_still_loads() -> None:
    data: dict[str, Any] = json.loads(json.dumps(live_to_dict(_live())))
    del data["account"]
    for user in data["users"]:
        del user["status"], user["kind"]
    for workspace in data["workspaces"].values():
        if workspace is not None:
            del workspace["is_default"]
    for board in data["boards"].values():
        if board is not None:
            del board["subscriber_ids"], board["team_subscriber_ids"]
    assert live_from_dict(data) == _live()


def test_a_snapshot_keeps_finding_a_main_workspace_board_reported_by_its_id() -> None:
    live = _live_as_recorded()
    board = live.boards["platform-sprint"]
    assert board is not None
    live = replace(live, boards={"platform-sprint": replace(board, workspace_id="10136488")})
    snapshot = live_from_dict(json.loads(json.dumps(live_to_dict(live))))
    desired = DesiredState(boards=(Board(key="sprint", name="Sprint - Platform"),))
    found = rekey_snapshot(snapshot, desired).boards["sprint"]
    assert found is not None
    assert found.id == "123"
