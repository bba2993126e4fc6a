"""Unmanaged live objects appear in views by address and count only, never with values.

A managed board holds an item the manifest does not declare (items prune off): plan (text,
Markdown, JSON, ``--out``, ``--markdown-dir``), drift and apply list it as left alone, by
its address, and print none of its column values. Where ``match_by`` names a column, the
match key of such an item would spell its value, so it is addressed by id (``item[#ID]``).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from boardops.cli import main
from boardops.sandbox import BASE_URL, open_sandbox

SENTINEL = "s3ntinel-" + secrets.token_hex(8)

MANAGED = """\
version: 1
boards:
  - name: Tickets
    key: tickets
    columns:
      - {{id: ref, title: Ref, type: text}}
      - {{id: note, title: Note, type: text}}
    items:
      match_by: [{match_by}]
      rows:
        - {{name: Launch, values: {{ref: T-1, note: public}}}}
"""


def run(*args: str) -> Result:
    runner = CliRunner(env={"MONDAY_API_TOKEN": None, "NO_COLOR": "1", "BOARDOPS_PROJECT": None})
    return runner.invoke(main, list(args), terminal_width=100)


def add_unmanaged_item(state: Path) -> str:
    """An item somebody adds on monday, holding the sentinel in both text columns."""
    sandbox = open_sandbox(state)
    (board,) = [b for b in sandbox.state.boards if b.name == "Tickets"]
    with httpx.Client(
        transport=sandbox.transport(), base_url=BASE_URL, headers={"Authorization": "x"}
    ) as http:
        body = http.post(
            "",
            json={
                "query": "mutation($b: ID!, $v: JSON) { create_item(board_id: $b,"
                ' item_name: "Private thing", column_values: $v) { id } }',
                "variables": {
                    "b": board.id,
                    "v": json.dumps({"ref": SENTINEL, "note": SENTINEL}),
                },
            },
        ).json()
    assert "errors" not in body, body
    return str(body["data"]["create_item"]["id"])


@pytest.mark.parametrize("match_by", ["name", "ref"])
def test_unmanaged_items_are_listed_by_address_without_their_values(
    match_by: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    manifest = tmp_path / "tickets.yaml"
    manifest.write_text(MANAGED.format(match_by=match_by))
    state = tmp_path / "sandbox.json"
    assert run("apply", str(manifest), "--auto-approve", f"--sandbox={state}").exit_code == 0
    item_id = add_unmanaged_item(state)
    address = (
        "board.tickets.item[Private thing]"
        if match_by == "name"
        else f"board.tickets.item[#{item_id}]"
    )
    out = tmp_path / "out"
    results = [
        run("plan", str(manifest), f"--sandbox={state}", "--out", str(out / "plan.json")),
        run("plan", str(manifest), f"--sandbox={state}", "--format", "json"),
        run(
            "plan",
            str(manifest),
            f"--sandbox={state}",
            "--format",
            "markdown",
            "--markdown-dir",
            str(out / "md"),
        ),
        run("drift", str(manifest), f"--sandbox={state}", "--format", "markdown"),
        run("apply", str(manifest), f"--sandbox={state}", "--auto-approve"),
        run("apply", str(manifest), f"--sandbox={state}", "--format", "json", "--auto-approve"),
    ]
    for result in results:
        assert result.exit_code == 0, result.output
        assert SENTINEL not in result.stdout + result.stderr
        assert address in result.stdout
    for written in out.rglob("*"):
        if written.is_file():
            assert SENTINEL not in written.read_text()
    saved = json.loads((out / "plan.json").read_text())
    assert [u["address"] for u in saved["unmanaged"] if u["kind"] == "item"] == [address]
    assert "1 live object(s) not in the manifest" not in results[0].stdout  # the group too
    assert "Left alone: 2 live object(s) not in the manifest" in results[0].stdout
