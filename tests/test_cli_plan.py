"""`boardops plan` and `boardops describe` from the command line, against the sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from boardops.cli import main
from boardops.sandbox import BASE_URL, open_sandbox

MANIFEST = """\
version: 1
boards:
  - name: Sprint - Platform
    key: platform-sprint
    columns:
      - {id: ext_id, title: External ID, type: text}
    groups:
      - {key: backlog, title: Backlog}
    items:
      match_by: [ext_id]
      rows:
        - {name: Set up CI, values: {ext_id: ENG-1}}
"""


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "board.yaml"
    path.write_text(MANIFEST)
    return path


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "sandbox.json"


def _runner() -> CliRunner:
    return CliRunner(env={"MONDAY_API_TOKEN": None, "NO_COLOR": "1"})


def _seed_matching_board(state: Path) -> None:
    """Build, straight through the sandbox API, the board the manifest describes."""
    sandbox = open_sandbox(state)
    with httpx.Client(
        transport=sandbox.transport(), base_url=BASE_URL, headers={"Authorization": "x"}
    ) as http:

        def run(query: str) -> dict[str, object]:
            body = http.post("", json={"query": query}).json()
            assert "errors" not in body, body
            data: dict[str, object] = body["data"]
            return data

        created = run(
            'mutation { create_board(board_name: "Sprint - Platform", board_kind: public) { id } }'
        )
        board_id = created["create_board"]["id"]  # type: ignore[index]
        run(
            f'mutation {{ create_column(board_id: {board_id}, id: "ext_id", title: "External ID", '
            f"column_type: text) {{ id }} }}"
        )
        run(
            f'mutation {{ update_group(board_id: {board_id}, group_id: "topics", '
            f'group_attribute: title, new_value: "Backlog") {{ id }} }}'
        )
        run(
            f'mutation {{ create_item(board_id: {board_id}, item_name: "Set up CI", '
            f'column_values: "{{\\"ext_id\\": \\"ENG-1\\"}}") {{ id }} }}'
        )


def test_plan_without_token_or_sandbox_stops_and_names_both(manifest: Path) -> None:
    result = _runner().invoke(main, ["plan", str(manifest)])
    assert result.exit_code == 1
    assert "MONDAY_API_TOKEN" in result.output
    assert "--sandbox" in result.output


def test_plan_against_an_empty_sandbox_lists_creates_and_sends_no_mutation(
    manifest: Path, state: Path
) -> None:
    _runner().invoke(main, ["describe", "--board", "1", f"--sandbox={state}"])
    before = state.read_bytes() if state.exists() else b""
    result = _runner().invoke(
        main, ["plan", str(manifest), f"--sandbox={state}", "--detailed-exitcode"]
    )
    assert result.exit_code == 2, result.output
    assert "+ board.platform-sprint" in result.output
    assert "Plan: 4 to create, 0 to update, 0 to remove." in result.output
    after = state.read_bytes() if state.exists() else b""
    assert after == before


def test_plan_of_a_matching_board_has_no_changes_and_exit_0(manifest: Path, state: Path) -> None:
    _seed_matching_board(state)
    result = _runner().invoke(
        main, ["plan", str(manifest), f"--sandbox={state}", "--detailed-exitcode"]
    )
    assert result.exit_code == 0, result.output
    assert "No changes" in result.output


@pytest.mark.parametrize("swallowed", ["board.yaml", "."])
def test_a_manifest_given_as_the_sandbox_file_is_refused_with_a_hint(
    manifest: Path, swallowed: str
) -> None:
    path = manifest.parent / swallowed
    result = _runner().invoke(main, ["plan", "--sandbox", str(path)])
    assert result.exit_code == 1
    assert "--sandbox takes a state file" in result.output


def test_plan_from_a_describe_snapshot_equals_the_plan_from_the_api(
    manifest: Path, state: Path, tmp_path: Path
) -> None:
    _seed_matching_board(state)
    runner = _runner()
    # Drift the live board so the plan has something to say.
    sandbox = open_sandbox(state)
    with httpx.Client(
        transport=sandbox.transport(), base_url=BASE_URL, headers={"Authorization": "x"}
    ) as http:
        board_id = http.post("", json={"query": "{ boards { id } }"}).json()["data"]["boards"][0][
            "id"
        ]
        http.post(
            "",
            json={
                "query": f"mutation {{ change_column_title(board_id: {board_id}, "
                'column_id: "ext_id", title: "Ext") { id } }'
            },
        )
    snapshot = tmp_path / "live.json"
    described = runner.invoke(
        main, ["describe", str(manifest), f"--sandbox={state}", "-o", str(snapshot)]
    )
    assert described.exit_code == 0, described.output
    from_api = runner.invoke(
        main, ["plan", str(manifest), f"--sandbox={state}", "--format", "json"]
    )
    from_file = CliRunner(env={"MONDAY_API_TOKEN": None}).invoke(
        main, ["plan", str(manifest), "--live", str(snapshot), "--format", "json"]
    )
    assert from_api.exit_code == 0, from_api.output
    assert from_file.exit_code == 0, from_file.output
    api_plan, file_plan = json.loads(from_api.stdout), json.loads(from_file.stdout)
    assert "snapshot taken at" in from_file.stderr
    assert file_plan["actions"] == api_plan["actions"]
    assert file_plan["actions"][0]["address"] == "board.platform-sprint.column.ext_id"
    assert (api_plan["live_source"], file_plan["live_source"]) == ("sandbox", "snapshot")


def test_saved_plan_file_is_the_json_plan_with_its_desired_state(
    manifest: Path, state: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plans" / "plan.json"
    result = _runner().invoke(
        main, ["plan", str(manifest), f"--sandbox={state}", "--out", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    saved = json.loads(out.read_text())
    assert saved["format_version"] == 2
    assert len(saved["actions"]) == 4
    assert saved["desired_state"]["boards"][0]["name"] == "Sprint - Platform"
    printed = json.loads(result.stdout)
    assert "desired_state" not in printed
    assert {k: v for k, v in saved.items() if not k.startswith("desired_")} == printed


def test_describe_a_board_by_name_writes_a_versioned_snapshot(state: Path) -> None:
    _seed_matching_board(state)
    result = _runner().invoke(
        main, ["describe", "--board", "Sprint - Platform", "--items", f"--sandbox={state}"]
    )
    assert result.exit_code == 0, result.output
    snapshot = json.loads(result.output)
    assert snapshot["format_version"] == 1
    board = snapshot["boards"]["sprint-platform"]
    assert [c["id"] for c in board["columns"]] == ["name", "ext_id"]
    assert board["items"][0]["values"] == {"ext_id": "ENG-1"}


def test_describe_an_unknown_board_fails_with_one_line(state: Path) -> None:
    result = _runner().invoke(main, ["describe", "--board", "Nope", f"--sandbox={state}"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: no active board named 'Nope'"
