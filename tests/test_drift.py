"""`boardops drift`: a read-only check for scheduled jobs.

Exit 0 when the live boards match the manifests, 2 when they drifted (the plan has
changes, printed in the chosen view), 1 on any error, bad usage included.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from boardops.cli import main
from boardops.sandbox import BASE_URL, open_sandbox

MANIFEST = """\
version: 1
boards:
  - name: Release checklist
    key: release
    columns:
      - {id: owner_email, title: Owner, type: email}
      - id: state
        title: State
        type: status
        labels:
          - {label: Open, color: working_orange}
          - {label: Done, color: done_green, done: true}
    groups:
      - {key: steps, title: Steps}
    items:
      rows:
        - {name: Tag the release, values: {state: Open}}
"""


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "sandbox.json"


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "release.yaml"
    path.write_text(MANIFEST)
    return path


def run(*args: str) -> Result:
    runner = CliRunner(env={"MONDAY_API_TOKEN": None, "NO_COLOR": "1"})
    return runner.invoke(main, list(args))


@pytest.fixture
def applied(manifest: Path, state: Path) -> Path:
    result = run("apply", str(manifest), "--auto-approve", f"--sandbox={state}")
    assert result.exit_code == 0, result.output
    return state


def change_through_the_api(state: Path, query: str) -> None:
    """An edit somebody makes on monday, outside boardops."""
    sandbox = open_sandbox(state)
    with httpx.Client(
        transport=sandbox.transport(), base_url=BASE_URL, headers={"Authorization": "x"}
    ) as http:
        board_id = http.post("", json={"query": "{ boards { id } }"}).json()["data"]["boards"][0][
            "id"
        ]
        body = http.post("", json={"query": query.replace("BOARD", str(board_id))}).json()
        assert "errors" not in body, body


RETITLE = (
    'mutation { change_column_title(board_id: BOARD, column_id: "owner_email", '
    'title: "Release owner") { id } }'
)


def test_boards_that_match_the_manifest_exit_0(manifest: Path, applied: Path) -> None:
    result = run("drift", str(manifest), f"--sandbox={applied}")

    assert result.exit_code == 0, result.output
    assert "No changes. The live boards match the manifest." in result.output


def test_a_change_made_on_monday_exits_2_and_shows_what_drifted(
    manifest: Path, applied: Path
) -> None:
    change_through_the_api(applied, RETITLE)

    result = run("drift", str(manifest), f"--sandbox={applied}")

    assert result.exit_code == 2, result.output
    assert "~ board.release.column.owner_email" in result.output
    assert 'title: "Release owner" -> "Owner"' in result.output


def test_drift_is_read_only(manifest: Path, applied: Path) -> None:
    change_through_the_api(applied, RETITLE)
    before = applied.read_bytes()

    assert run("drift", str(manifest), f"--sandbox={applied}").exit_code == 2
    assert run("drift", str(manifest), f"--sandbox={applied}").exit_code == 2
    assert applied.read_bytes() == before


@pytest.mark.parametrize("output_format", ["markdown", "json"])
def test_drift_prints_any_plan_view(manifest: Path, applied: Path, output_format: str) -> None:
    change_through_the_api(applied, RETITLE)

    result = run("drift", str(manifest), f"--sandbox={applied}", "--format", output_format)

    assert result.exit_code == 2, result.output
    if output_format == "json":
        plan = json.loads(result.output)
        assert plan["has_changes"] is True
        assert [a["type"] for a in plan["actions"]] == ["UpdateColumn"]
    else:
        assert result.output.startswith("## boardops plan")
        assert "`board.release`" in result.output


def test_a_board_pinned_by_an_id_that_does_not_exist_exits_1(tmp_path: Path, applied: Path) -> None:
    pinned = tmp_path / "pinned.yaml"
    pinned.write_text(MANIFEST.replace("    key: release\n", "    key: release\n    id: 99999\n"))

    result = run("drift", str(pinned), f"--sandbox={applied}")

    assert result.exit_code == 1, result.output
    assert "no active board with the pinned id 99999" in result.output


def test_a_broken_manifest_exits_1(tmp_path: Path, state: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(MANIFEST.replace("type: status", "type: stauts"))

    result = run("drift", str(broken), f"--sandbox={state}")

    assert result.exit_code == 1, result.output
    assert "did you mean 'status'?" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["drift", "x.yaml", "--sandbox-profile", "nope"], "nope"),
        (["drift", "x.yaml", "--no-such-option"], "--no-such-option"),
        (["drift", "x.yaml", "--format", "html"], "html"),
    ],
)
def test_bad_usage_exits_1_so_it_cannot_pass_for_drift(args: list[str], message: str) -> None:
    result = run(*args)

    assert result.exit_code == 1, result.output
    assert "drift" in result.output
    assert message in result.output


def test_drift_without_a_token_or_sandbox_exits_1(manifest: Path) -> None:
    result = run("drift", str(manifest))

    assert result.exit_code == 1
    assert "MONDAY_API_TOKEN" in result.output
