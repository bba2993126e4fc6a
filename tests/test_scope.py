"""Read scope: with a ``scope`` in the project configuration, a pull request's manifests
(or ``--board`` / ``--workspace``) cannot make boardops read a board outside it.

The attack this answers: two rounds of pull-request manifests printed a private
"HR - Salaries" board's items and values into the plan comment. Here the account holds
that board (in a workspace "HR") and "HR - Bonuses" (in the main workspace), both with a
sentinel value, beside the managed "Roadmap" in "Engineering". The project configuration
lists "Engineering" only. Every way of reaching the private boards fails closed: one line
naming the manifest address (or the flag) and why, exit 1, and the sentinel and the item
names appear in no output, no file written and no answer monday sent (nothing of the
board was read).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from boardops.cli import main
from boardops.model import LOCK_BOARD_NAME
from boardops.project import Scope
from boardops.sandbox import open_sandbox
from boardops.scope import ScopeCheck

SENTINEL = "s3ntinel-" + secrets.token_hex(8)
PRIVATE_ITEMS = ("Jane Roe", "John Doe")

SEED = f"""\
version: 1
workspaces:
  - {{key: eng, name: Engineering}}
  - {{key: hr, name: HR}}
boards:
  - name: Roadmap
    key: roadmap
    workspace: eng
    columns: [{{id: owner, title: Owner, type: text}}]
    items: {{rows: [{{name: Launch, values: {{owner: Ada}}}}]}}
  - name: HR - Salaries
    key: salaries
    workspace: hr
    columns: [{{id: salary, title: Salary, type: text}}]
    items: {{rows: [{{name: Jane Roe, values: {{salary: {SENTINEL}}}}}]}}
  - name: HR - Bonuses
    key: bonuses
    columns: [{{id: bonus, title: Bonus, type: text}}]
    items: {{rows: [{{name: John Doe, values: {{bonus: {SENTINEL}}}}}]}}
"""

ROADMAP = """\
version: 1
workspaces:
  - {key: eng, name: Engineering}
boards:
  - name: Roadmap
    key: roadmap
    workspace: eng
    columns: [{id: owner, title: Owner, type: text}]
    items: {rows: [{name: Launch, values: {owner: Ada}}]}
"""

SCOPE = "version: 1\nscope:\n  workspaces: [Engineering]\n"


@dataclass
class Account:
    """The seeded sandbox file, its ids, and a folder for manifests and outputs."""

    state: Path
    folder: Path
    ids: dict[str, str]
    project: Path

    def manifest(self, name: str, text: str) -> Path:
        path = self.folder / name
        path.write_text(text)
        return path

    def attack(self, name: str) -> Path:
        """The manifest of ``ATTACKS[name]``, with this account's ids filled in."""
        return self.manifest("attack.yaml", ATTACKS[name][0].format(**self.ids))


@dataclass
class Network:
    """Every request sent and every answer received, whatever the transport."""

    requests: list[bytes] = field(default_factory=list)
    answers: list[bytes] = field(default_factory=list)


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    recorded = Network()
    send = httpx.Client.send

    def recording_send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> Any:
        response = send(self, request, **kwargs)
        recorded.requests.append(request.content)
        recorded.answers.append(response.read())
        return response

    monkeypatch.setattr(httpx.Client, "send", recording_send)
    return recorded


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    runner = CliRunner(env={"MONDAY_API_TOKEN": None, "NO_COLOR": "1", **(env or {})})
    return runner.invoke(main, list(args), terminal_width=100)


# monday as documented (the main workspace is null) and as real accounts answer (the main
# workspace has a real id): the scope must tell it from the others either way.
@pytest.fixture(params=["docs", "recorded"])
def account(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Account:
    monkeypatch.chdir(tmp_path)  # no boardops-project.yaml here: seeding is unscoped
    monkeypatch.delenv("BOARDOPS_PROJECT", raising=False)
    state = tmp_path / "sandbox.json"
    seed = tmp_path / "seed" / "seed.yaml"
    seed.parent.mkdir()
    seed.write_text(SEED)
    result = run(
        "apply",
        str(seed),
        "--auto-approve",
        f"--sandbox={state}",
        f"--sandbox-profile={request.param}",
    )
    assert result.exit_code == 0, result.output
    view = open_sandbox(state).state
    ids = {board.name: board.id for board in view.boards}
    ids.update({workspace.name: workspace.id for workspace in view.workspaces})
    project = tmp_path / "project.yaml"
    project.write_text(SCOPE)
    folder = tmp_path / "pr"
    folder.mkdir()
    return Account(
        state=state,
        folder=folder,
        ids={
            "salaries": ids["HR - Salaries"],
            "bonuses": ids["HR - Bonuses"],
            "hr": ids["HR"],
            "eng": ids["Engineering"],
        },
        project=project,
    )


def assert_nothing_leaked(account: Account, result: Result, network: Network) -> None:
    printed = result.stdout + result.stderr
    written = [p.read_text(errors="replace") for p in account.folder.rglob("*") if p.is_file()]
    for secret in (SENTINEL, *PRIVATE_ITEMS):
        assert secret not in printed
        assert not any(secret in text for text in written)
        assert not any(secret.encode() in answer for answer in network.answers), (
            f"{secret!r} was read from monday"
        )


def assert_refused(result: Result, what: str) -> None:
    """Exit 1 and one line naming ``what`` and the read scope (with ``--format json``,
    the same error as a JSON document on stdout, and nothing else)."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    printed = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(printed) == 1, printed
    assert printed[0].startswith(f"error: {what}: outside the read scope of "), printed[0]
    if result.stdout.strip():
        document = json.loads(result.stdout)
        assert document["event"] == "error"
        assert document["message"] == printed[0].removeprefix("error: ")
        assert [e["address"] for e in document["errors"]] == [what]


# The manifests of a hostile pull request, and the address each is refused at.
ATTACKS: dict[str, tuple[str, str]] = {
    "names its workspace": (
        "version: 1\nworkspaces:\n  - {{key: hr, name: HR}}\n"
        "boards:\n  - name: HR - Salaries\n    workspace: hr\n    items: {{rows: []}}\n",
        "workspace.hr",
    ),
    "pins its workspace by id under another name": (
        "version: 1\nworkspaces:\n  - {{key: w, name: Engineering 2, id: {hr}}}\n"
        "boards:\n  - name: HR - Salaries\n    workspace: w\n    items: {{rows: []}}\n",
        "workspace.w",
    ),
    "places a board in its workspace by id": (
        "version: 1\nboards:\n  - name: HR - Salaries\n    workspace: {{id: {hr}}}\n"
        "    items: {{rows: []}}\n",
        "board.hr-salaries",
    ),
    "pins it by id in a workspace in scope": (
        "version: 1\nworkspaces:\n  - {{key: eng, name: Engineering}}\n"
        "boards:\n  - name: Anything\n    key: loot\n    id: {salaries}\n    workspace: eng\n"
        "    items: {{rows: []}}\n",
        "board.loot",
    ),
    "adopts a main-workspace board by name": (
        "version: 1\nboards:\n  - name: HR - Bonuses\n    key: loot\n    items: {{rows: []}}\n",
        "board.loot",
    ),
    "pins a main-workspace board by id": (
        "version: 1\nboards:\n  - name: Anything\n    key: loot\n    id: {bonuses}\n"
        "    items: {{rows: []}}\n",
        "board.loot",
    ),
}


def manifest_commands(manifest: Path, account: Account) -> dict[str, list[str]]:
    out = account.folder / "out"
    return {
        "plan": ["plan", str(manifest)],
        "plan --format markdown --markdown-dir --out": [
            "plan",
            str(manifest),
            "--format",
            "markdown",
            "--markdown-dir",
            str(out / "md"),
            "--out",
            str(out / "plan.json"),
        ],
        "plan --format json": ["plan", str(manifest), "--format", "json"],
        "drift": ["drift", str(manifest), "--format", "markdown"],
        "apply": ["apply", str(manifest), "--auto-approve"],
        "describe": ["describe", str(manifest), "-o", str(out / "live.json")],
    }


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_pull_request_manifests_cannot_read_a_board_outside_the_scope(
    attack: str, account: Account, network: Network
) -> None:
    manifest, address = account.attack(attack), ATTACKS[attack][1]
    before = account.state.read_bytes()
    for name, args in manifest_commands(manifest, account).items():
        network.answers.clear()
        result = run(*args, f"--sandbox={account.state}", f"--project={account.project}")
        assert_refused(result, address)
        assert_nothing_leaked(account, result, network)
        assert account.state.read_bytes() == before, f"{name} wrote to monday"


@pytest.mark.parametrize(
    ("command", "flags", "what"),
    [
        ("describe", ["--board", "HR - Salaries"], "--board 'HR - Salaries'"),
        ("describe", ["--board", "{salaries}"], "--board {salaries}"),
        ("describe", ["--board", "HR - Bonuses"], "--board 'HR - Bonuses'"),
        ("describe", ["--workspace", "HR"], "--workspace 'HR'"),
        ("export", ["--board", "HR - Salaries"], "--board 'HR - Salaries'"),
        ("export", ["--board", "{bonuses}"], "--board {bonuses}"),
        ("export", ["--workspace", "HR"], "--workspace 'HR'"),
        ("export", ["--workspace", "{hr}"], "--workspace '{hr}'"),
    ],
)
def test_describe_and_export_refuse_boards_and_workspaces_outside_the_scope(
    command: str, flags: list[str], what: str, account: Account, network: Network
) -> None:
    args = [flag.format(**account.ids) for flag in flags]
    out = account.folder / "out.txt"
    result = run(
        command,
        *args,
        "--items",
        "-o",
        str(out),
        f"--sandbox={account.state}",
        f"--project={account.project}",
    )
    assert_refused(result, what.format(**account.ids))
    assert_nothing_leaked(account, result, network)
    assert not out.exists()


def test_the_project_file_comes_from_the_environment_or_the_working_folder(
    account: Account, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = account.attack("adopts a main-workspace board by name")
    from_env = run(
        "plan",
        str(manifest),
        f"--sandbox={account.state}",
        env={"BOARDOPS_PROJECT": str(account.project)},
    )
    assert_refused(from_env, "board.loot")
    (account.folder / "boardops-project.yaml").write_text(SCOPE)
    monkeypatch.chdir(account.folder)
    from_folder = run("plan", str(manifest), f"--sandbox={account.state}")
    assert_refused(from_folder, "board.loot")
    assert_nothing_leaked(account, from_folder, network)


def test_a_board_in_scope_plans_as_before(account: Account, network: Network) -> None:
    manifest = account.manifest("roadmap.yaml", ROADMAP)
    scoped = run(
        "plan", str(manifest), f"--sandbox={account.state}", f"--project={account.project}"
    )
    assert scoped.exit_code == 0, scoped.output
    assert "No changes." in scoped.stdout
    unscoped = run("plan", str(manifest), f"--sandbox={account.state}")
    assert scoped.stdout.split("\n", 1)[1] == unscoped.stdout.split("\n", 1)[1]
    assert_nothing_leaked(account, scoped, network)


def test_without_a_project_configuration_nothing_is_refused(
    account: Account, network: Network
) -> None:
    """The old behaviour, and what the attack did: the private values are read and shown."""
    result = run("describe", "--board", "HR - Salaries", "--items", f"--sandbox={account.state}")
    assert result.exit_code == 0, result.output
    assert SENTINEL in result.stdout


def test_a_configuration_without_scope_refuses_nothing(account: Account) -> None:
    project = account.folder / "no-scope.yaml"
    project.write_text("version: 1\nenv: [TEAM_NAME]\n")
    manifest = account.attack("names its workspace")
    result = run("plan", str(manifest), f"--sandbox={account.state}", f"--project={project}")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("scope", "manifest"),
    [
        (
            "  workspaces: [Engineering]\n  main_workspace: true\n",
            "adopts a main-workspace board by name",
        ),
        ("  workspaces: [{hr}]\n", "places a board in its workspace by id"),
        ("  boards: [HR - Bonuses]\n", "adopts a main-workspace board by name"),
        (
            "  workspaces: [Engineering]\n  boards: [{salaries}]\n",
            "pins it by id in a workspace in scope",
        ),
    ],
)
def test_what_the_scope_lists_is_read(scope: str, manifest: str, account: Account) -> None:
    """By workspace id, by board name or id, and the main workspace only when it says so."""
    project = account.folder / "wider.yaml"
    project.write_text("version: 1\nscope:\n" + scope.format(**account.ids))
    path = account.attack(manifest)
    result = run("plan", str(path), f"--sandbox={account.state}", f"--project={project}")
    assert result.exit_code == 0, result.output


def test_the_main_workspace_is_in_scope_only_when_the_scope_says_so() -> None:
    named = ScopeCheck(Scope(workspaces=("Main workspace", 1)), "p.yaml")
    assert not named.workspace_in_scope("1", "Main workspace", main=True)
    assert named.workspace_in_scope("1", "Main workspace", main=False)
    opted_in = ScopeCheck(Scope(main_workspace=True), "p.yaml")
    assert opted_in.workspace_in_scope(None, None, main=True)
    assert not opted_in.workspace_in_scope("7", "Other", main=False)


def test_the_apply_lease_board_stays_readable() -> None:
    check = ScopeCheck(Scope(workspaces=("Engineering",)), "p.yaml")
    assert check.board_in_scope(
        "9", LOCK_BOARD_NAME, workspace_id=None, workspace_name=None, main=True
    )
    assert not check.board_in_scope(
        "9", LOCK_BOARD_NAME, workspace_id="7", workspace_name="HR", main=False
    )


def doctor_scope_line(result: Result) -> str:
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.stdout.splitlines() if "read scope" in line]
    return line.split("read scope", 1)[1].strip()


def test_doctor_warns_when_the_token_sees_more_than_the_scope(
    account: Account, network: Network
) -> None:
    result = run("doctor", f"--sandbox={account.state}", f"--project={account.project}")
    line = doctor_scope_line(result)
    # Accounts that list the main workspace count it too: it is outside this scope.
    assert line.startswith(
        (
            "the token sees 1 workspace(s) ('HR') and 2 board(s) outside the scope",
            "the token sees 2 workspace(s) ('HR', 'Main workspace') and 2 board(s) outside",
        )
    ), line
    assert "warning  read scope" in result.stdout
    assert_nothing_leaked(account, result, network)
    assert "Salaries" not in result.stdout + result.stderr


def test_doctor_is_content_with_a_token_that_sees_only_the_scope(account: Account) -> None:
    project = account.folder / "everything.yaml"
    project.write_text(
        "version: 1\nscope:\n  workspaces: [Engineering, HR]\n  main_workspace: true\n"
    )
    result = run("doctor", f"--sandbox={account.state}", f"--project={project}")
    assert doctor_scope_line(result).startswith("the token sees nothing outside")


def test_doctor_says_when_read_scope_is_not_enforced(account: Account) -> None:
    result = run("doctor", f"--sandbox={account.state}")
    assert doctor_scope_line(result).startswith(
        "not enforced: no project configuration (boardops-project.yaml)"
    )
    project = account.folder / "env-only.yaml"
    project.write_text("version: 1\nenv: [TEAM]\n")
    result = run("doctor", f"--sandbox={account.state}", f"--project={project}")
    assert doctor_scope_line(result).startswith(f"not enforced: {project} declares no scope")
