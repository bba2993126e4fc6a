"""`boardops sandbox serve | show | reset`."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from boardops.cli import main
from boardops.sandbox import Sandbox
from boardops.sandbox.server import SandboxServer


def seeded(path: Path) -> str:
    sandbox = Sandbox(path)
    board_id: str = sandbox.execute(
        'mutation { create_board(board_name: "Roadmap", board_kind: public) { id } }'
    )["data"]["create_board"]["id"]
    sandbox.execute(
        f'mutation {{ s: create_status_column(board_id: {board_id}, title: "Status", id: "status")'
        f' {{ id }} i: create_item(board_id: {board_id}, item_name: "First") {{ id }} }}'
    )
    return board_id


def test_show_prints_boards_columns_groups_and_item_counts(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    board_id = seeded(path)
    result = CliRunner().invoke(main, ["sandbox", "show", "--sandbox", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"board {board_id} 'Roadmap' (public, main workspace): 1 active items",
        "  column name 'Name' name",
        "  column status 'Status' status [Working on it, Done, Stuck]",
        "  group topics 'Group Title' #579bfc: 1 items",
    ]


def test_show_without_a_state_file_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sandbox", "show", "--sandbox", str(tmp_path / "none.json")])
    assert result.exit_code == 1
    assert "no sandbox state" in result.output


def test_reset_empties_the_state_file(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    seeded(path)
    result = CliRunner().invoke(main, ["sandbox", "reset", "--sandbox", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert Sandbox(path).state.boards == ()


def test_serve_answers_requests_with_the_configured_faults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers: list[int] = []
    faults_seen: list[str] = []

    def one_request_then_stop(server: SandboxServer) -> None:
        faults_seen.append(str(server.sandbox.faults))
        response = httpx.post(
            server.url, json={"query": "{ me { id } }"}, headers={"Authorization": "t"}
        )
        answers.append(response.status_code)

    monkeypatch.setattr(SandboxServer, "wait", one_request_then_stop)
    monkeypatch.setenv("BOARDOPS_SANDBOX_FAULTS", "latency_ms=1")
    result = CliRunner().invoke(
        main,
        [
            "sandbox",
            "serve",
            "--port",
            "0",
            "--sandbox",
            str(tmp_path / "s.json"),
            "--faults",
            "5xx@1",
            "--rate-429",
            "0.25",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "serving http://127.0.0.1:" in result.output
    assert answers == [500]
    assert "latency_ms=1" in faults_seen[0]
    assert "rate_limit=0.25" in faults_seen[0]


def test_serve_rejects_a_bad_fault_spec(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["sandbox", "serve", "--sandbox", str(tmp_path / "s.json"), "--faults", "nope=1"]
    )
    assert result.exit_code == 1
    assert "unknown fault setting" in result.output
