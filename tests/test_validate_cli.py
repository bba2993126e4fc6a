"""``boardops validate`` and ``boardops schema`` as a user (or a CI job) runs them."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from boardops.cli import main

ROOT = Path(__file__).resolve().parent.parent
BROKEN = """\
version: 1
boards:
  - name: Roadmap
    columns:
      - {id: status, title: Status, type: stauts}
    items:
      rows:
        - {name: Launch, values: {Status: Done}}
  - name: Roadmap
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), terminal_width=100)
    return result.exit_code, result.output


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    Path("broken.yaml").write_text(BROKEN, encoding="utf-8")
    return "broken.yaml"


def test_validate_of_the_examples_prints_one_summary_line_and_exits_0(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    code, output = run("validate", "examples/")
    assert (code, output) == (
        0,
        "OK: 2 workspaces, 7 boards, 46 columns, 19 groups, 22 items in 5 files\n",
    )


def test_validate_prints_every_problem_one_per_line_and_exits_1(broken: str) -> None:
    code, output = run("validate", broken)
    assert code == 1
    assert output.splitlines() == [
        "broken.yaml:5:43: boards[0].columns[0].type: 'stauts' is not a valid column type; "
        "did you mean 'status'?",
    ]


def test_validate_reports_semantic_problems_of_every_board(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "version: 1\nboards:\n  - {name: A, groups: [{title: X}, {title: X}]}\n"
        "  - {name: B, items: {match_by: idx, rows: []}}\n",
        encoding="utf-8",
    )
    code, output = run("validate", str(path))
    assert code == 1
    assert [line.split(": ", 1)[1] for line in output.splitlines()] == [
        "board.a.group.x: duplicate group key 'x' (also on line 3, column 24)",
        "board.a.group.x: duplicate group title 'X' (also on line 3, column 24)",
        "board.b: match_by: unknown column 'idx'",
    ]


def test_validate_json_lists_each_problem_with_its_parts(broken: str) -> None:
    code, output = run("validate", "--format", "json", broken)
    assert code == 1
    assert json.loads(output) == [
        {
            "file": "broken.yaml",
            "line": 5,
            "column": 43,
            "address": None,
            "field": "boards[0].columns[0].type",
            "message": "'stauts' is not a valid column type; did you mean 'status'?",
        }
    ]


def test_validate_json_gives_semantic_problems_their_address_and_field(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(
        "version: 1\nboards:\n  - name: A\n    columns:\n"
        "      - {id: owner, title: Owner, type: people}\n"
        "      - {id: owner, title: Reviewer, type: people}\n",
        encoding="utf-8",
    )
    code, output = run("validate", "--format", "json", str(path))
    assert code == 1
    assert json.loads(output) == [
        {
            "file": path.as_posix(),
            "line": 6,
            "column": 14,
            "address": "board.a.column.owner",
            "field": "boards[0].columns[1].id",
            "message": "duplicate column id 'owner' (also on line 5)",
        }
    ]


def test_validate_json_of_valid_manifests_is_an_empty_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    assert run("validate", "--format", "json", "examples") == (0, "[]\n")


def test_validate_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validate opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.chdir(ROOT)
    code, _ = run("validate", "examples")
    assert code == 0


def test_validate_with_no_path_reads_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("validate") == (1, ".: no *.yaml or *.yml files in this directory\n")


def test_validate_of_a_missing_path_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("validate", "nowhere.yaml") == (1, "nowhere.yaml: no such file or directory\n")


def test_the_api_token_never_reaches_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONDAY_API_TOKEN", "tok-3f9a-secret")
    path = tmp_path / "leak.yaml"
    path.write_text("version: 1\nboards: [{name: '${env:MONDAY_API_TOKEN}'}]\n", encoding="utf-8")
    for output_format in ("text", "json"):
        code, output = run("validate", "--format", output_format, str(path))
        assert code == 1
        assert "tok-3f9a-secret" not in output
        assert "MONDAY_API_TOKEN holds the monday API token" in output


def test_schema_prints_the_json_schema() -> None:
    code, output = run("schema")
    assert code == 0
    schema = json.loads(output)
    assert schema["title"] == "boardops manifest"
    assert set(schema["properties"]) == {
        "version",
        "workspaces",
        "templates",
        "boards",
        "week_start",
    }
