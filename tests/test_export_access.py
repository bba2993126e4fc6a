"""Export of access (README, Access): owners, subscribers (users as emails, teams as
names), role and workspace members are written so that ``export`` -> ``plan`` is empty,
and ``export --no-ids`` applied to another account, whose users and teams have other ids
(the same emails and names), recreates them with that account's ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner, Result

from boardops.cli import main
from boardops.export import render_manifest
from boardops.model import Board, Column, Group, LiveState, Team, User
from boardops.sandbox import BASE_URL, open_sandbox

MANIFEST = """\
version: 1
workspaces:
  - name: Eng
    owners: [alice@example.com, bob@example.com]
    members: [dan@example.com, {team: Design}]
boards:
  - name: Roadmap
    workspace: Eng
    owners: [alice@example.com, {team: Platform}]
    subscribers: [carol@example.com]
    role: viewer
"""

# The other account's ids for the same people: everyone but the token's user (Alice).
RENUMBERED = {
    "10000002": "10000702",
    "10000003": "10000703",
    "10000004": "10000704",
    "30000001": "30000701",
    "30000002": "30000702",
}


def run(*args: str) -> Result:
    runner = CliRunner(env={"MONDAY_API_TOKEN": None, "NO_COLOR": "1"})
    return runner.invoke(main, list(args))


def other_account(path: Path) -> None:
    """A fresh sandbox state whose users and teams have other ids than the seeded ones."""
    open_sandbox(path).reset()
    state = json.loads(path.read_text())
    for user in state["users"]:
        user["id"] = RENUMBERED.get(user["id"], user["id"])
    for team in state["teams"]:
        team["id"] = RENUMBERED.get(team["id"], team["id"])
        team["user_ids"] = [RENUMBERED.get(u, u) for u in team["user_ids"]]
    path.write_text(json.dumps(state))


def access(path: Path) -> dict[str, Any]:
    """The Roadmap board's and the Eng workspace's members in the sandbox at ``path``."""
    sandbox = open_sandbox(path)
    with httpx.Client(
        transport=sandbox.transport(), base_url=BASE_URL, headers={"Authorization": "x"}
    ) as http:

        def data(query: str) -> Any:
            return http.post("", json={"query": query}).json()["data"]

        boards = data("{ boards { id name } }")["boards"]
        (board_id,) = [b["id"] for b in boards if b["name"] == "Roadmap"]
        (workspace_id,) = [
            w["id"] for w in data("{ workspaces { id name } }")["workspaces"] if w["name"] == "Eng"
        ]
        (board,) = data(
            f"{{ boards(ids: [{board_id}]) {{ owners {{ email }} subscribers {{ email }}"
            " team_owners { name } team_subscribers { name } permissions } }"
        )["boards"]
        (workspace,) = data(
            f"{{ workspaces(ids: [{workspace_id}]) {{ owners_subscribers {{ id }}"
            " users_subscribers { id } teams_subscribers { id } } }"
        )["workspaces"]
    return {
        "board": {
            key: value
            if isinstance(value, str)
            else sorted(str(v) for e in value for v in e.values())
            for key, value in board.items()
        },
        "workspace": {key: sorted(e["id"] for e in value) for key, value in workspace.items()},
    }


def test_export_plans_nothing_and_without_ids_recreates_access_in_another_account(
    tmp_path: Path,
) -> None:
    source, target = tmp_path / "source.json", tmp_path / "target.json"
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(MANIFEST)
    applied = run("apply", str(manifest), "--auto-approve", f"--sandbox={source}")
    assert applied.exit_code == 0, applied.output

    pinned, portable = tmp_path / "pinned.yaml", tmp_path / "portable.yaml"
    for out, extra in ((pinned, ()), (portable, ("--no-ids",))):
        exported = run(
            "export", "--workspace", "Eng", *extra, "-o", str(out), f"--sandbox={source}"
        )
        assert exported.exit_code == 0, exported.output
        again = run("plan", str(out), f"--sandbox={source}", "--detailed-exitcode")
        assert again.exit_code == 0, again.output
    text = portable.read_text()
    assert "      - bob@example.com\n" in text
    assert "      - {team: Design}\n" in text
    assert "    role: viewer\n" in text

    other_account(target)
    applied = run("apply", str(portable), "--auto-approve", f"--sandbox={target}")
    assert applied.exit_code == 0, applied.output
    second = run("plan", str(portable), f"--sandbox={target}", "--detailed-exitcode")
    assert second.exit_code == 0, second.output

    assert (
        access(target)["board"]
        == access(source)["board"]
        == {
            "owners": ["alice@example.com"],
            "subscribers": ["alice@example.com", "carol@example.com"],
            "team_owners": ["Platform"],
            "team_subscribers": ["Platform"],
            "permissions": "owners",
        }
    )
    assert access(target)["workspace"] == {
        "owners_subscribers": ["10000001", "10000702"],
        "users_subscribers": ["10000001", "10000702", "10000704"],
        "teams_subscribers": ["30000702"],
    }


def test_people_a_manifest_could_not_name_back_are_left_out_or_moved_with_the_reason() -> None:
    users = (
        User("1", "Ada", "ada@example.com", status="ACTIVE", kind="admin"),
        User("2", "Pat", "pat@example.com", status="PENDING", kind="member"),
        User("3", "Gus", "gus@example.com", status="ACTIVE", kind="guest"),
    )
    board = Board(
        key="b",
        name="Roadmap",
        id="100",
        columns=(Column(title="Name", type="name", id="name"),),
        groups=(Group(key="topics", id="topics", title="Topics"),),
        subscriber_ids=frozenset({"1", "2", "3", "9"}),
        owner_ids=frozenset({"1", "3"}),
        team_subscriber_ids=frozenset({"7"}),
        team_owner_ids=frozenset(),
        permissions="assignee",
    )
    text = render_manifest(LiveState(boards={"b": board}, users=users, teams=(Team("7", "Ops"),)))
    assert (
        "    # owners: user 3 written under subscribers: gus@example.com is a guest user, who "
        "cannot own\n" in text
    )
    assert "    owners:\n      - ada@example.com\n" in text
    assert (
        "    # subscribers: user 2 left out: pat@example.com has not accepted the invitation"
        in text
    )
    assert "    # subscribers: user 9 left out: not a user the account lists\n" in text
    assert "    subscribers:\n      - gus@example.com\n      - {team: Ops}\n" in text
    assert "    # role: left out: monday reports the permissions 'assignee'" in text
    assert "    role:" not in text
