"""What the command line says when things go wrong or stop: a failed apply, every manifest
problem, errors as JSON, Ctrl-C and SIGTERM; and how plans name people and keyless items.

Interruptions are sent to real processes (a sandbox with latency, so there is time to
interrupt), once a line of their output shows they have started the part to interrupt.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from boardops import cli
from boardops.connect import Connection
from boardops.model import LOCK_BOARD_NAME
from boardops.monday import ApiToken, MondayClient
from boardops.plan import FieldChange, ItemColumn, ObjectRef, Plan, UpdateItem
from boardops.sandbox import BASE_URL, Sandbox
from boardops.sandbox.faults import Faults
from boardops.views import render_text
from tests.conftest import FakeClock
from tests.support.world import World, census, world_fixture

world = pytest.fixture(world_fixture)

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "import sys; from boardops.cli import main; sys.exit(main())"]

BOARD = """
version: 1
boards:
  - name: Backlog
    key: backlog
    columns:
      - {{id: notes, title: Notes, type: text}}
    items:
      rows:
{rows}
"""
BROKEN = """
version: 1
boards:
  - name: Broken
    key: broken
    kind: secret
    columns:
      - {title: Estimate, type: abacus}
"""


def backlog(folder: Path, items: int = 3) -> Path:
    rows = "\n".join(f"        - {{name: Task {i}, values: {{notes: n{i}}}}}" for i in range(items))
    path = folder / "backlog.yaml"
    path.write_text(BOARD.format(rows=rows))
    return path


def broken(folder: Path) -> Path:
    path = folder / "broken.yaml"
    path.write_text(BROKEN)
    return path


@pytest.fixture
def backend(world: World, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> World:
    """Every CLI connection talks to the test's in-memory sandbox (retries wait on the
    fake clock)."""

    def connect(**_: Any) -> Connection:
        http = httpx.Client(transport=world.sandbox.transport(), base_url=BASE_URL)
        client = MondayClient(
            http, ApiToken("sandbox"), api_url=BASE_URL, clock=clock, sleep=clock.sleep
        )
        return Connection(client, http, world.sandbox, "test sandbox")

    monkeypatch.setattr("boardops.connect.connect", connect)
    return world


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli.main, [str(a) for a in args], env=env, terminal_width=100)


def no_token() -> dict[str, str]:
    return {"MONDAY_API_TOKEN": "", "BOARDOPS_PROJECT": ""}


# --- a failed apply -------------------------------------------------------------------------


def test_an_apply_with_a_failed_action_says_apply_failed_never_complete(backend: World) -> None:
    path = backlog(backend.folder)
    # Every mutation request after the first (the board's) meets an HTTP 500.
    backend.sandbox.faults = Faults.parse(",".join(f"5xx@m{n}" for n in range(2, 30)))
    result = run("apply", path, "--auto-approve")
    assert result.exit_code == 1, result.output
    assert "Apply complete" not in result.output
    (summary,) = [line for line in result.output.splitlines() if line.startswith("Apply ")]
    assert re.match(
        r"Apply failed: [1-4] of 5 actions failed(, [1-3] not attempted)?; "
        r"1 succeeded \(1 created\)\. ",
        summary,
    ), summary


# --- every manifest problem ----------------------------------------------------------------


@pytest.mark.parametrize("command", ["plan", "apply", "drift"])
def test_plan_and_apply_list_every_manifest_problem_as_validate_does(
    command: str, tmp_path: Path
) -> None:
    path = broken(tmp_path)
    validated = run("validate", path)
    problems = validated.stdout.splitlines()
    assert len(problems) == 2
    assert validated.exit_code == 1
    result = run(command, path, f"--sandbox={tmp_path / 'sandbox.json'}")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: {line}" for line in problems]
    assert "more problem" not in result.stderr


# --- errors as JSON -------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["plan", "drift", "doctor"])
def test_json_commands_print_errors_as_one_json_object(command: str, tmp_path: Path) -> None:
    result = run(command, backlog(tmp_path), "--format", "json", env=no_token())
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["event"] == "error"
    assert document["type"] == "UsageError"
    (problem,) = document["errors"]
    assert "MONDAY_API_TOKEN" in problem["message"]
    assert problem["message"] == document["message"]
    # stderr keeps the one line people read.
    assert result.stderr.splitlines() == [f"error: {document['message']}"]


def test_json_errors_name_the_file_line_and_column_of_each_manifest_problem(
    tmp_path: Path,
) -> None:
    path = broken(tmp_path)
    result = run("plan", path, "--format", "json", f"--sandbox={tmp_path / 's.json'}")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["type"] == "ManifestErrors"
    assert [(e["file"], e["line"], e["column"]) for e in document["errors"]] == [
        (str(path), 6, 11),
        (str(path), 8, 33),
    ]
    assert all(e["message"] for e in document["errors"])
    assert len(result.stderr.splitlines()) == 2


def test_apply_in_json_ends_its_event_stream_with_an_error_event(tmp_path: Path) -> None:
    result = run("apply", backlog(tmp_path), "--format", "json", env=no_token())
    assert result.exit_code == 1
    *_, last = result.stdout.splitlines()
    event = json.loads(last)
    assert event["event"] == "error"
    assert "MONDAY_API_TOKEN" in event["message"]
    assert result.stderr.startswith("error: ")


# --- Ctrl-C and SIGTERM ---------------------------------------------------------------------


def slow_env(latency_ms: int = 150) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MONDAY_", "BOARDOPS_"))}
    return {**env, "BOARDOPS_SANDBOX_FAULTS": f"latency_ms={latency_ms}", "PYTHONUNBUFFERED": "1"}


@contextmanager
def started(*args: str | Path, env: dict[str, str], cwd: Path) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [*CLI, *(str(a) for a in args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def read_until(stream: Any, marker: str) -> list[str]:
    """Lines of ``stream`` up to and including the first holding ``marker``."""
    seen = []
    for line in stream:
        seen.append(line)
        if marker in line:
            return seen
    raise AssertionError(f"{marker!r} never printed: {seen}")


def assert_no_click_abort_or_traceback(err: str) -> None:
    assert "Aborted!" not in err
    assert "Traceback" not in err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_apply_says_what_was_done_and_a_rerun_finishes_it(
    sig: signal.Signals, tmp_path: Path
) -> None:
    path = backlog(tmp_path, items=12)
    state = tmp_path / "sandbox.json"
    args = ("apply", path, "--auto-approve", f"--sandbox={state}")
    with started(*args, env=slow_env(), cwd=tmp_path) as apply:
        read_until(apply.stdout, "board.backlog created")
        apply.send_signal(sig)
        out, err = apply.communicate(timeout=60)
    assert apply.returncode == 130, err
    assert_no_click_abort_or_traceback(err)
    assert "Apply complete" not in out
    head, *details = err.splitlines()
    counts = re.fullmatch(
        r"interrupted: apply stopped after (\d+) of 14 actions; (\d+) not done", head
    )
    assert counts is not None, head
    assert int(counts[1]) >= 1
    assert int(counts[1]) + int(counts[2]) == 14
    assert any(line.startswith("  done: ") and "board.backlog" in line for line in details)
    (not_done,) = [line for line in details if line.startswith("  not done: ")]
    assert "board.backlog.item[Task " in not_done
    assert "Run the same apply again to finish the job" in err
    assert "idempotent" in err

    rerun = run(*args)
    assert rerun.exit_code == 0, rerun.output
    assert "Apply complete" in rerun.output
    boards = census(Sandbox(state))["boards"]
    assert list(boards) == ["Backlog"]
    assert len(boards["Backlog"]) == 1
    names = [name for name, _, _ in boards["Backlog"][0]["items"]]
    assert sorted(names) == sorted(f"Task {i}" for i in range(12))


def test_an_apply_against_the_served_sandbox_stops_on_sigint_and_releases_its_lease(
    tmp_path: Path,
) -> None:
    state = tmp_path / "served.json"
    serve = ("sandbox", "serve", "--port", "0", "--state", state, "--latency-ms", "100")
    with started(*serve, env=slow_env(latency_ms=0), cwd=tmp_path) as server:
        assert server.stdout is not None
        url = server.stdout.readline().split("serving ", 1)[1].split(" ", 1)[0]
        env = {**slow_env(latency_ms=0), "MONDAY_API_TOKEN": "any"}
        args = ("apply", backlog(tmp_path, items=12), "--auto-approve", "--api-url", url)
        with started(*args, env=env, cwd=tmp_path) as apply:
            read_until(apply.stdout, "board.backlog created")
            apply.send_signal(signal.SIGINT)
            out, err = apply.communicate(timeout=60)
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    assert apply.returncode == 130, err
    assert_no_click_abort_or_traceback(err)
    assert "Apply complete" not in out
    assert err.startswith("interrupted: apply stopped after "), err
    assert "Run the same apply again to finish the job" in err
    (lock,) = [b for b in Sandbox(state).state.boards if b.name == LOCK_BOARD_NAME]
    assert lock.active_items == ()  # the lease was released on the way out


def test_an_interrupted_apply_in_json_ends_with_an_error_event(tmp_path: Path) -> None:
    path = backlog(tmp_path, items=12)
    args = ("apply", path, "--auto-approve", "--format", "json", f"--sandbox={tmp_path / 's'}")
    with started(*args, env=slow_env(), cwd=tmp_path) as apply:
        read_until(apply.stdout, '"action_completed"')
        apply.send_signal(signal.SIGTERM)
        out, err = apply.communicate(timeout=60)
    assert apply.returncode == 130, err
    event = json.loads(out.splitlines()[-1])
    assert event["event"] == "error"
    assert event["type"] == "Interrupted"
    assert "board.backlog" in event["done"]
    assert event["not_done"]
    assert len(event["done"]) + len(event["not_done"]) == 14


@pytest.mark.parametrize(
    ("command", "sig"),
    [("plan", signal.SIGINT), ("drift", signal.SIGTERM)],
)
def test_an_interrupted_plan_says_in_one_line_that_nothing_changed(
    command: str, sig: signal.Signals, tmp_path: Path
) -> None:
    path = backlog(tmp_path)
    args = ("-vv", command, path, f"--sandbox={tmp_path / 's.json'}")
    with started(*args, env=slow_env(latency_ms=400), cwd=tmp_path) as process:
        assert process.stderr is not None
        process.stderr.readline()  # its first log line: it is reading monday
        process.send_signal(sig)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert_no_click_abort_or_traceback(err)
    assert err.splitlines()[-1] == "interrupted: nothing was changed on monday"
    assert out == ""


def test_ctrl_c_at_the_confirmation_prompt_changes_nothing(
    backend: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    result = CliRunner().invoke(cli.main, ["apply", str(backlog(backend.folder))], input="")
    assert result.exit_code == 130
    assert "Aborted!" not in result.output
    assert result.stderr.splitlines()[-1] == "interrupted: nothing was changed on monday"
    assert backend.mutations == 0


def test_an_interrupted_validate_says_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def ctrl_c(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("boardops.manifest.validate_paths", ctrl_c)
    result = run("validate", backlog(tmp_path))
    assert result.exit_code == 130
    assert result.stderr == "interrupted: nothing was changed on monday\n"


# --- items without a match key value --------------------------------------------------------

KEYED = """
version: 1
boards:
  - name: Backlog
    key: backlog
    columns:
      - {{id: ref, title: Ref, type: text}}
    items:
      {items}
      rows:
{rows}
"""


def test_live_items_without_a_key_value_are_addressed_by_id_and_name(backend: World) -> None:
    by_name = KEYED.format(items="match_by: [name]", rows="        - {name: Fix login}")
    assert run("apply", backend.write(by_name), "--auto-approve").exit_code == 0
    by_ref = KEYED.format(
        items="match_by: [ref]\n      prune: true",
        rows="        - {name: Docs, values: {ref: D-1}}",
    )
    path = backend.write(by_ref)
    (fix,) = backend.board("Backlog").active_items
    first, again = run("plan", path), run("plan", path)
    assert first.exit_code == 0, first.output
    address = f'board.backlog.item[#{fix.id} "Fix login"]'
    assert f'  - {address}: archive item "Fix login" ({fix.id})' in first.output
    assert "item[]" not in first.output
    assert address in again.output  # the same address on every run
    plan = json.loads(run("plan", path, "--format", "json").stdout)
    assert [a["address"] for a in plan["actions"] if a["type"] == "ArchiveItem"] == [address]


# --- people by name -------------------------------------------------------------------------

OWNED = """
version: 1
boards:
  - name: Backlog
    key: backlog
    columns:
      - {{id: owner, title: Owner, type: people}}
    items:
      rows:
        - {{name: Fix login, values: {{owner: {owner}}}}}
"""


def test_plans_show_people_by_name_and_email_and_json_keeps_the_ids(
    backend: World, tmp_path: Path
) -> None:
    first = backend.write(OWNED.format(owner="alice@example.com"))
    assert run("apply", first, "--auto-approve").exit_code == 0
    path = backend.write(OWNED.format(owner="[bob@example.com, carol@example.com]"))
    saved = tmp_path / "plan.json"
    text = run("plan", path, "--out", saved)
    assert text.exit_code == 0, text.output
    assert (
        '      owner: ["Alice Example <alice@example.com>"] -> '
        '["Bob Example <bob@example.com>", "Carol Example <carol@example.com>"]'
    ) in text.output
    assert "  + board.backlog.subscribers: add 2 users to the board" in text.output
    assert "      Bob Example <bob@example.com>\n      Carol Example <carol@example.com>\n" in (
        text.output
    )
    assert "10000002" not in text.output
    markdown = run("plan", path, "--format", "markdown").output
    assert 'owner: ["Alice Example <alice@example.com>"] -> ["Bob Example' in markdown
    document = json.loads(run("plan", path, "--format", "json").stdout)
    (update,) = [a for a in document["actions"] if a["type"] == "UpdateItem"]
    assert update["changes"] == [
        {"field": "owner", "before": ["10000001"], "after": ["10000002", "10000003"]}
    ]
    (subscribe,) = [a for a in document["actions"] if a["type"] == "AddBoardSubscribers"]
    assert subscribe["user_ids"] == ["10000002", "10000003"]
    assert document["people"] == {
        "10000001": "Alice Example <alice@example.com>",
        "10000002": "Bob Example <bob@example.com>",
        "10000003": "Carol Example <carol@example.com>",
    }
    # A saved plan names them too: the names are saved with it.
    applied = run("apply", path, "--plan", saved, "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert '["Alice Example <alice@example.com>"] -> ["Bob Example' in applied.output


def test_an_id_the_plan_does_not_know_shows_as_unknown() -> None:
    owner = ItemColumn("owner", ObjectRef("board.b.column.owner", "owner"), "people")
    update = UpdateItem(
        "board.b.item[A-1]",
        board_id="1",
        item_id="2",
        changes=(FieldChange("owner", ["12345", "team:7"], ["10000001"]),),
        columns=(owner,),
    )
    plan = Plan(actions=(update,), people={"10000001": "Alice Example <alice@example.com>"})
    text = render_text(plan.to_dict(), color=False)
    assert (
        '      owner: ["user 12345 (unknown)", "team 7"] -> ["Alice Example <alice@example.com>"]'
        in text
    )


def test_teams_show_by_name_also_in_a_plan_from_a_snapshot(backend: World) -> None:
    path = backend.write(OWNED.format(owner="[team:30000002, dan@example.com]"))
    result = run("plan", path)
    assert result.exit_code == 0, result.output
    assert '      owner: ["Dan Example <dan@example.com>", "team Design"]' in result.output
    assert "add 1 user and 1 team to the board" in result.output
    assert "      Dan Example <dan@example.com>\n      team Design\n" in result.output
    snapshot = backend.folder / "live.json"
    assert run("describe", path, "-o", snapshot).exit_code == 0
    from_snapshot = run("plan", path, "--live", snapshot)
    assert '      owner: ["Dan Example <dan@example.com>", "team Design"]' in from_snapshot.output
