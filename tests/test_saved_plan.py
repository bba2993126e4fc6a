"""Saved plans as Terraform users know them: `plan --out PLAN` writes a self-contained
plan, `apply PLAN` applies it with no manifests and no prompt, `show PLAN` renders it, and
the plan goes stale only when a fact one of its actions depends on moved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import respx
from click.testing import CliRunner, Result

from boardops import cli
from boardops.manifest import load_manifests
from boardops.model import DesiredState
from boardops.plan import ACTION_TYPES, UpdateItem, build_plan
from boardops.plan.facts import IDENTITY, depends_on
from boardops.plan.saved import SavedPlan, desired_digest
from boardops.plan.serial import decode, encode
from boardops.sandbox import Sandbox
from boardops.views import render_markdown
from tests.conftest import FakeClock
from tests.support.cli import answered_by
from tests.support.scenarios import every_action_type_plan_actions, rich_scenario, tagged_scenario
from tests.support.world import EXAMPLES, World, route_cli_to, world_fixture
from tests.test_views import check_golden

world = pytest.fixture(world_fixture)

ROOT = Path(__file__).resolve().parents[1]
BASE = """\
version: 1
boards:
  - name: Launch
    key: launch
    columns:
      - {id: ref, title: Ref, type: text}
      - {id: note, title: Note, type: text}
      - id: state
        title: State
        type: status
        labels:
          - {label: To do, color: american_gray}
          - {label: Stuck, color: stuck_red}
          - {label: Done, color: done_green, done: true}
    groups:
      - {key: todo, title: To do}
      - {key: done, title: Done}
    items:
      match_by: [ref]
      prune: false
      rows:
        - {name: Write docs, group: todo, values: {ref: L-1, note: draft, state: To do}}
        - {name: Ship it, group: done, values: {ref: L-2, note: first, state: Done}}
"""
# The reviewed changes, each a (before, after) replacement of BASE.
UPDATE_L1 = ("note: draft", "note: final")
RENAME_LABEL = (
    "{label: Stuck, color: stuck_red}",
    "{label: Blocked, color: stuck_red, previous_labels: [Stuck]}",
)
RENAME_BOARD = ("name: Launch\n", "name: Launch 2\n    previous_names: [Launch]\n")
ARCHIVE_L2 = (
    "prune: false\n",
    "prune: true\n",
    "        - {name: Ship it, group: done, values: {ref: L-2, note: first, state: Done}}\n",
    "",
)


def manifest(world: World, *changes: tuple[str, ...], name: str = "launch.yaml") -> Path:
    text = BASE
    for change in changes:
        for before, after in zip(change[::2], change[1::2], strict=True):
            assert before in text, before
            text = text.replace(before, after)
    return world.write(text, name)


@pytest.fixture
def backend(world: World, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> World:
    return route_cli_to(world, clock, monkeypatch)


def run(*args: str | Path) -> Result:
    """The CLI with no terminal on stdin (CliRunner's input is not a tty)."""
    return CliRunner().invoke(cli.main, [str(a) for a in args], terminal_width=100)


def save_plan(world: World, *changes: tuple[str, ...]) -> Path:
    """Apply BASE, then save the plan of BASE with ``changes``: the reviewed plan."""
    assert world.apply(manifest(world)).ok
    out = world.folder / "plan.json"
    made = run("plan", manifest(world, *changes, name="changed.yaml"), "--out", out)
    assert made.exit_code == 0, made.output
    return out


def item_id(world: World, ref: str) -> str:
    return str(next(i.id for i in world.board("Launch").active_items if i.values.get("ref") == ref))


def set_note(world: World, ref: str, note: str) -> None:
    world.mutate(
        "mutation ($b: ID!, $i: ID!, $v: JSON!) { change_multiple_column_values("
        "board_id: $b, item_id: $i, column_values: $v) { id } }",
        b=world.board("Launch").id,
        i=item_id(world, ref),
        v=json.dumps({"note": note}),
    )


def one_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    printed = [line for line in result.output.splitlines() if line.strip()]
    assert len(printed) == 1, printed
    return printed[0]


# --- apply PLAN -----------------------------------------------------------------------------


def test_apply_plan_alone_applies_it_without_manifests_or_a_prompt(backend: World) -> None:
    saved = save_plan(backend, UPDATE_L1, RENAME_LABEL)
    (backend.folder / "launch.yaml").unlink()
    (backend.folder / "changed.yaml").unlink()  # the plan holds what it was made from
    result = run("apply", saved)
    assert result.exit_code == 0, result.output
    assert "board.launch.item[L-1] updated" in result.output
    assert "board.launch.column.state.label[Blocked] renamed" in result.output
    assert "Apply complete:" in result.output
    row = next(i for i in backend.board("Launch").active_items if i.values.get("ref") == "L-1")
    assert row.values["note"] == "final"


def test_a_plan_file_reached_through_a_symlink_is_a_plan(backend: World) -> None:
    saved = save_plan(backend, UPDATE_L1)
    link = backend.folder / "latest-plan.json"
    link.symlink_to(saved)
    result = run("apply", link)
    assert result.exit_code == 0, result.output
    assert "board.launch.item[L-1] updated" in result.output


def test_unrelated_live_edits_do_not_make_the_plan_stale(backend: World) -> None:
    saved = save_plan(backend, UPDATE_L1, RENAME_LABEL)
    set_note(backend, "L-2", "edited by hand")  # another item
    done = next(g.id for g in backend.board("Launch").groups if g.title == "Done")
    backend.mutate(  # a group no action touches
        "mutation ($b: ID!, $g: String!) { update_group(board_id: $b, group_id: $g, "
        'group_attribute: title, new_value: "Shipped") { id } }',
        b=backend.board("Launch").id,
        g=done,
    )
    backend.mutate(  # an item the manifest does not manage
        'mutation ($b: ID!) { create_item(board_id: $b, item_name: "Hand made") { id } }',
        b=backend.board("Launch").id,
    )
    result = run("apply", saved)
    assert result.exit_code == 0, result.output
    assert "board.launch.item[L-1] updated" in result.output
    assert "board.launch.column.state.label[Blocked] renamed" in result.output


def _edit_item(world: World) -> None:
    set_note(world, "L-1", "edited by hand")


def _edit_column(world: World) -> None:
    board = world.board("Launch")
    world.mutate(
        "mutation ($b: ID!, $c: String!, $r: String!) { update_status_column(board_id: $b, "
        'id: $c, revision: $r, description: "By hand") { id } }',
        b=board.id,
        c="state",
        r=board.column("state").revision,
    )


def _rename_board(world: World) -> None:
    world.mutate(
        "mutation ($b: ID!) { update_board(board_id: $b, board_attribute: name, "
        'new_value: "Launch 2") }',
        b=world.board("Launch").id,
    )


@pytest.mark.parametrize(
    ("change", "edit", "moved", "needed_by"),
    [
        (UPDATE_L1, _edit_item, "board.launch.item[L-1] changed", "board.launch.item[L-1]"),
        (
            RENAME_LABEL,
            _edit_column,
            "board.launch.column.state revision",
            "board.launch.column.state.label[Blocked]",
        ),
        (RENAME_BOARD, _rename_board, "board.launch name Launch -> Launch 2", "board.launch"),
    ],
    ids=["item-it-updates", "column-whose-label-it-renames", "board-it-renames"],
)
def test_an_edit_the_plan_depends_on_makes_it_stale_and_nothing_is_sent(
    backend: World, change: tuple[str, str], edit: Any, moved: str, needed_by: str
) -> None:
    saved = save_plan(backend, change)
    edit(backend)
    before = backend.mutations
    message = one_line(run("apply", saved))
    assert message.startswith("error: saved plan is stale: "), message
    assert moved in message
    assert f"(needed by {needed_by})" in message
    assert "run `boardops plan` again" in message
    assert backend.mutations == before


def test_a_plan_without_changes_applies_after_any_edit_reading_nothing(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """Over monday's API (respx answered by the sandbox): no lease, no read, no write."""
    url = "https://api.monday.test/v2"
    env = {"MONDAY_API_TOKEN": "t0k3n", "MONDAY_API_URL": url}
    path = tmp_path / "launch.yaml"
    path.write_text(BASE)
    out = tmp_path / "plan.json"
    with respx.mock() as mock:
        route = mock.post(url).mock(side_effect=answered_by(sandbox))
        runner = CliRunner()
        applied = runner.invoke(cli.main, ["apply", str(path), "--auto-approve"], env=env)
        assert applied.exit_code == 0, applied.output
        planned = runner.invoke(cli.main, ["plan", str(path), "--out", str(out)], env=env)
        assert planned.exit_code == 0, planned.output
        board = sandbox.state.board_named("Launch")
        sandbox.execute(
            "mutation ($b: ID!) { update_board(board_id: $b, board_attribute: name, "
            'new_value: "X") }',
            {"b": board.id},
        )
        calls = route.call_count
        result = runner.invoke(cli.main, ["apply", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert "No changes." in result.output
    assert route.call_count == calls


def test_a_destructive_saved_plan_still_needs_allow_destroy(backend: World) -> None:
    saved = save_plan(backend, ARCHIVE_L2)
    before = backend.mutations
    refused = run("apply", saved)
    assert refused.exit_code == 1
    assert "--allow-destroy" in refused.output
    assert backend.mutations == before
    allowed = run("apply", saved, "--allow-destroy")
    assert allowed.exit_code == 0, allowed.output
    assert "board.launch.item[L-2] archived" in allowed.output


def test_a_saved_plan_edited_by_hand_is_refused(backend: World) -> None:
    saved = save_plan(backend, UPDATE_L1)
    data = json.loads(saved.read_text())
    update = next(a for a in data["actions"] if a["type"] == "UpdateItem")
    update["changes"][0]["after"] = "forged"
    saved.write_text(json.dumps(data))
    before = backend.mutations
    message = one_line(run("apply", saved))
    assert "board.launch.item[L-1]: the saved plan's UpdateItem is not what" in message
    assert "run `boardops plan` again" in message
    assert backend.mutations == before


def test_a_saved_desired_state_edited_by_hand_is_refused_before_the_network(
    backend: World,
) -> None:
    saved = save_plan(backend, UPDATE_L1)
    data = json.loads(saved.read_text())
    data["desired_state"]["boards"][0]["name"] = "Elsewhere"
    saved.write_text(json.dumps(data))
    backend.sandbox.counters.reset()
    message = one_line(run("apply", saved))
    assert message == f"error: {saved}: desired_digest does not match desired_state"
    assert backend.sandbox.counters.requests == 0


def test_a_plan_of_the_older_format_is_refused_saying_to_make_a_new_one(backend: World) -> None:
    saved = save_plan(backend, UPDATE_L1)
    data = json.loads(saved.read_text())
    data["format_version"] = 1
    saved.write_text(json.dumps(data))
    message = one_line(run("apply", saved))
    assert message.startswith(f"error: {saved}: this plan was made by an older boardops")
    assert "make a new plan" in message


def test_printed_json_plan_cannot_be_applied_alone(backend: World) -> None:
    assert backend.apply(manifest(backend)).ok
    printed = run("plan", manifest(backend, UPDATE_L1), "--format", "json")
    assert printed.exit_code == 0, printed.output
    path = backend.folder / "printed.json"
    path.write_text(printed.stdout)
    message = one_line(run("apply", path))
    assert "does not hold the desired state" in message
    assert "--out" in message


@pytest.mark.parametrize("extra", [["{manifest}"], ["--plan", "{plan}"]])
def test_a_saved_plan_with_other_paths_or_plan_is_a_usage_error(
    backend: World, extra: list[str]
) -> None:
    saved = save_plan(backend, UPDATE_L1)
    path = manifest(backend)
    args = [a.format(manifest=path, plan=saved) for a in extra]
    before = backend.sandbox.counters.requests
    result = run("apply", saved, *args)
    assert result.exit_code == 1  # bad usage exits 1, as in Terraform
    assert f"{saved} is a saved plan: apply it alone" in result.output
    assert backend.sandbox.counters.requests == before


# --- apply PATHS --plan PLAN ----------------------------------------------------------------


def test_plan_with_manifests_that_still_give_the_same_state_applies(backend: World) -> None:
    saved = save_plan(backend, UPDATE_L1)
    changed = backend.folder / "changed.yaml"
    changed.write_text("# reviewed in PR 12\n" + changed.read_text())  # same desired state
    result = run("apply", changed, "--plan", saved, "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "board.launch.item[L-1] updated" in result.output


def test_printed_json_plan_applies_with_the_manifests_it_was_made_from(backend: World) -> None:
    assert backend.apply(manifest(backend)).ok
    changed = manifest(backend, UPDATE_L1, name="changed.yaml")
    printed = run("plan", changed, "--format", "json")
    path = backend.folder / "printed.json"
    path.write_text(printed.stdout)
    result = run("apply", changed, "--plan", path, "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "board.launch.item[L-1] updated" in result.output


def test_plan_with_manifests_that_changed_is_refused_before_the_network(backend: World) -> None:
    saved = save_plan(backend, UPDATE_L1)
    other = manifest(backend, UPDATE_L1, RENAME_LABEL, name="other.yaml")
    backend.sandbox.counters.reset()
    message = one_line(run("apply", other, "--plan", saved, "--auto-approve"))
    assert str(saved) in message
    assert "another desired state than the manifests give now" in message
    assert "run `boardops plan` again" in message
    assert backend.sandbox.counters.requests == 0


# --- show PLAN ------------------------------------------------------------------------------


def rich_saved_plan(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    desired, live = rich_scenario()
    plan = build_plan(desired, live)
    path = tmp_path / "rich.json"
    path.write_text(SavedPlan(plan, desired).to_json())
    return path, plan.to_dict()


def test_show_prints_a_saved_plan_as_plan_does(tmp_path: Path) -> None:
    path, _ = rich_saved_plan(tmp_path)
    result = run("show", path)
    assert result.exit_code == 0, result.output
    check_golden("show_rich.txt", result.output)


def test_show_in_markdown_and_json(tmp_path: Path) -> None:
    path, document = rich_saved_plan(tmp_path)
    markdown = run("show", path, "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    assert markdown.output == "\n".join(render_markdown(document))
    shown = run("show", path, "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output) == document  # what plan --format json prints
    assert "desired_state" not in json.loads(shown.output)


def test_show_of_a_file_that_is_not_a_plan_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "launch.yaml"
    path.write_text(BASE)
    message = one_line(run("show", path))
    assert message.startswith(f"error: {path}: cannot read a saved plan")


# --- a real process -------------------------------------------------------------------------


def test_a_real_process_without_a_terminal_applies_a_saved_plan(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "import sys; from boardops.cli import main; sys.exit(main())"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MONDAY_", "BOARDOPS_"))}
    env["PYTHONPATH"] = str(ROOT)
    state = f"--sandbox={tmp_path / 'sandbox.json'}"
    (tmp_path / "launch.yaml").write_text(BASE)

    def boardops(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *args],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    planned = boardops("plan", "launch.yaml", state, "--out", "plan.json")
    assert planned.returncode == 0, planned.stderr
    (tmp_path / "launch.yaml").unlink()
    shown = boardops("show", "plan.json")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == planned.stdout
    applied = boardops("apply", "plan.json", state)
    assert applied.returncode == 0, applied.stderr
    assert "Apply complete on the sandbox " in applied.stdout
    assert ": 8 created." in applied.stdout
    again = boardops("apply", "plan.json", state)
    assert again.returncode == 1
    assert "saved plan is stale: board.launch exists no -> yes" in again.stderr


# --- the parts ------------------------------------------------------------------------------


GOOD = ROOT / "tests" / "bad_input" / "good"


def _loaded(*paths: Path) -> Callable[[], DesiredState]:
    return lambda: load_manifests([str(p) for p in paths])


DESIRED_STATES: dict[str, Callable[[], DesiredState]] = {
    "examples": _loaded(EXAMPLES),
    **{f"good/{p.name}": _loaded(p) for p in sorted(GOOD.glob("*.yaml"))},
    "rich-scenario": lambda: rich_scenario()[0],
    "tagged-scenario": lambda: tagged_scenario()[0],
}


@pytest.mark.parametrize("name", sorted(DESIRED_STATES))
def test_a_desired_state_survives_the_saved_plan_codec(name: str) -> None:
    desired = DESIRED_STATES[name]()
    data = json.loads(json.dumps(encode(desired)))
    back = decode(DesiredState, data, where="desired_state")
    assert back == desired
    assert desired_digest(back) == desired_digest(desired)


def test_the_desired_digest_is_about_meaning_not_files() -> None:
    desired = rich_scenario()[0]
    moved = DesiredState(
        workspaces=desired.workspaces,
        boards=desired.boards,
        digest="sha256:other-bytes",
        files=("elsewhere.yaml",),
    )
    assert desired_digest(moved) == desired_digest(desired)
    assert desired_digest(DesiredState(boards=desired.boards[1:])) != desired_digest(desired)


@pytest.mark.parametrize("action_type", ACTION_TYPES, ids=lambda t: t.__name__)
def test_every_action_type_has_a_dependency_rule(action_type: type) -> None:
    for action in every_action_type_plan_actions():
        if type(action) is action_type:
            needs = depends_on(action)
            assert "updated_at" not in {a for aspects in needs.values() for a in aspects}
            board = action.address.split(".")[1] if action.address.startswith("board.") else None
            if board is not None and action.address != f"board.{board}":
                assert needs[f"board.{board}"] >= IDENTITY - {"matches"}


def test_an_item_update_depends_on_its_item_board_and_the_columns_it_writes() -> None:
    desired, live = rich_scenario()
    update = next(
        a
        for a in build_plan(desired, live).actions
        if isinstance(a, UpdateItem) and a.address == "board.sprint.item[ENG-2]"
    )
    needs = depends_on(update)
    assert needs["board.sprint.item[ENG-2]"] == {"id", "values"}
    assert needs["board.sprint"] == IDENTITY
    assert "revision" in needs["board.sprint.column.estimate"]  # written, exists
    assert needs["board.sprint.column.Due"] == IDENTITY  # written, replaced by this plan
    assert not any(address.startswith("board.sprint.group.") for address in needs)
