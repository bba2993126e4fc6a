"""`boardops apply` on the command line: confirmation, exit codes, output, saved plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from boardops import cli
from tests.conftest import FakeClock
from tests.support.world import World, route_cli_to, world_fixture

world = pytest.fixture(world_fixture)

MANIFEST = """
version: 1
boards:
  - name: Launch
    key: launch
    prune: {prune}
    columns:
      - {{id: ref, title: Ref, type: text}}
      - {{id: owner, title: Owner, type: people}}
    groups:
      - {{key: todo, title: To do}}
      - {{key: done, title: Done}}
    items:
      match_by: [ref]
      prune: {prune}
      rows:
{rows}
"""
ROWS = [
    "        - {name: Write docs, group: todo, values: {ref: L-1, owner: alice@example.com}}",
    "        - {name: Ship it, group: done, values: {ref: L-2}}",
]


@pytest.fixture
def backend(world: World, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> World:
    return route_cli_to(world, clock, monkeypatch)


def write(world: World, *, rows: list[str] = ROWS, prune: bool = False) -> Path:
    text = MANIFEST.format(rows="\n".join(rows), prune="true" if prune else "false")
    return world.write(text, "launch.yaml")


def run(*args: str | Path, stdin: str | None = None) -> Result:
    return CliRunner().invoke(
        cli.main, [str(a) for a in args], input=stdin, terminal_width=100, catch_exceptions=False
    )


def test_without_a_terminal_or_auto_approve_it_refuses_and_sends_nothing(backend: World) -> None:
    result = run("apply", write(backend))
    assert result.exit_code == 1
    assert "Plan: 7 to create" in result.output
    assert "refusing to apply without confirmation" in result.output
    assert "--auto-approve" in result.output
    assert backend.mutations == 0


def test_auto_approve_applies_with_a_line_per_action_and_a_summary(backend: World) -> None:
    result = run("apply", write(backend), "--auto-approve")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "board.launch created" in lines
    assert "board.launch.group.todo created" in lines
    assert "board.launch.item[L-1] created" in lines
    summary = next(line for line in lines if line.startswith("Apply complete:"))
    assert "7 created" in summary
    assert "requests" in summary
    assert "complexity" in summary


def test_a_second_apply_says_no_changes_and_sends_no_mutation(backend: World) -> None:
    path = write(backend)
    assert run("apply", path, "--auto-approve").exit_code == 0
    before = backend.mutations
    result = run("apply", path)
    assert result.exit_code == 0
    assert "No changes." in result.output
    assert backend.mutations == before


def test_a_second_apply_in_json_ends_with_a_summary_of_the_reads_alone(backend: World) -> None:
    path = write(backend)
    assert run("apply", path, "--auto-approve").exit_code == 0
    result = run("apply", path, "--format", "json")
    assert result.exit_code == 0
    plan, finished = [json.loads(line) for line in result.output.splitlines()]
    assert plan["event"] == "plan"
    assert plan["plan"]["has_changes"] is False
    assert finished["event"] == "apply_finished"
    assert finished["ok"] is True
    assert finished["counts"] == {}
    assert finished["requests"] > 0  # the reads that found nothing to do
    assert finished["elapsed_seconds"] == 0.0


def test_a_second_apply_in_text_shows_no_summary(backend: World) -> None:
    path = write(backend)
    assert run("apply", path, "--auto-approve").exit_code == 0
    result = run("apply", path)
    assert "Apply complete" not in result.output


def test_on_a_terminal_it_asks_and_applies_on_yes(
    backend: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    result = run("apply", write(backend), stdin="y\n")
    assert result.exit_code == 0
    assert "Apply these changes to monday?" in result.output
    assert backend.board("Launch").name == "Launch"


def test_on_a_terminal_answering_no_changes_nothing(
    backend: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    result = run("apply", write(backend), stdin="n\n")
    assert result.exit_code == 1
    assert "apply cancelled" in result.output
    assert backend.mutations == 0


def test_json_format_emits_one_json_event_per_line(backend: World) -> None:
    result = run("apply", write(backend), "--auto-approve", "--format", "json")
    assert result.exit_code == 0
    events = [json.loads(line) for line in result.output.splitlines()]
    assert events[0]["event"] == "plan"
    assert events[0]["plan"]["summary"]["create"] == 7
    assert events[-1]["event"] == "apply_finished"
    assert events[-1]["ok"] is True
    assert events[-1]["counts"] == {"created": 7}
    completed = [e["address"] for e in events if e["event"] == "action_completed"]
    assert len(completed) == 7
    assert "board.launch.item[L-2]" in completed


def test_an_unknown_user_is_refused_before_anything_is_sent(backend: World) -> None:
    rows = [ROWS[0].replace("alice@example.com", "nobody@example.com"), ROWS[1]]
    before = backend.mutations
    result = run("apply", write(backend, rows=rows), "--auto-approve")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "error: board.launch.item[L-1]: column 'owner': no user of this monday account has "
        "the email nobody@example.com"
    )
    assert backend.mutations == before


def test_prune_needs_allow_destroy(backend: World) -> None:
    assert run("apply", write(backend, prune=True), "--auto-approve").exit_code == 0
    pruned = write(backend, rows=ROWS[:1], prune=True)
    before = backend.mutations
    refused = run("apply", pruned, "--auto-approve")
    assert refused.exit_code == 1
    assert "board.launch.item[L-2]" in refused.output
    assert "--allow-destroy" in refused.output
    assert backend.mutations == before
    allowed = run("apply", pruned, "--auto-approve", "--allow-destroy")
    assert allowed.exit_code == 0
    assert "board.launch.item[L-2] archived" in allowed.output


def test_a_saved_plan_is_applied_and_a_stale_one_refused(backend: World, tmp_path: Path) -> None:
    path = write(backend)
    saved = tmp_path / "plan.json"
    assert run("plan", path, "--out", saved).exit_code == 0
    applied = run("apply", path, "--plan", saved, "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert "Apply complete: 7 created." in applied.output
    # The same plan again: everything it was computed from has moved.
    before = backend.mutations
    stale = run("apply", path, "--plan", saved, "--auto-approve")
    assert stale.exit_code == 1
    assert "saved plan is stale" in stale.output
    assert "board.launch" in stale.output
    assert backend.mutations == before
