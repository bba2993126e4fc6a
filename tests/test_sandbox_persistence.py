"""The sandbox state file: persistence, atomic replacement, and sharing between processes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from boardops.sandbox import Sandbox, open_sandbox

CREATE_BOARD = 'mutation { create_board(board_name: "%s", board_kind: public) { id } }'


def test_open_sandbox_creates_the_file_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / ".boardops" / "sandbox.json"
    open_sandbox(path)
    assert json.loads(path.read_text())["boards"] == {}


def test_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    first = Sandbox(path)
    board_id = first.execute(CREATE_BOARD % "Kept")["data"]["create_board"]["id"]
    second = Sandbox(path)
    assert second.state.board(board_id).name == "Kept"
    found = second.execute("{ boards { id name groups { id } } }")["data"]["boards"]
    assert found == [{"id": board_id, "name": "Kept", "groups": [{"id": "topics"}]}]


def test_two_sandboxes_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    left, right = Sandbox(path), Sandbox(path)
    a = left.execute(CREATE_BOARD % "from left")["data"]["create_board"]["id"]
    b = right.execute(CREATE_BOARD % "from right")["data"]["create_board"]["id"]
    assert a != b
    assert sorted(board.name for board in left.state.boards) == ["from left", "from right"]


def test_writes_leave_no_temporary_files_behind(sandbox_file: Sandbox, tmp_path: Path) -> None:
    for n in range(3):
        sandbox_file.execute(CREATE_BOARD % n)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sandbox.json", "sandbox.json.lock"]


def test_queries_do_not_rewrite_the_file(sandbox_file: Sandbox) -> None:
    path = sandbox_file.state_path
    assert path is not None
    sandbox_file.execute(CREATE_BOARD % "x")
    before = path.stat().st_mtime_ns, path.stat().st_ino
    sandbox_file.execute("{ boards { id } }")
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before


def test_reset_forgets_everything_but_the_users(sandbox_file: Sandbox) -> None:
    sandbox_file.execute(CREATE_BOARD % "gone")
    sandbox_file.reset()
    assert sandbox_file.state.boards == ()
    assert len(sandbox_file.state.users) == 4
    assert Sandbox(sandbox_file.state_path).state.boards == ()


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from boardops.sandbox import open_sandbox

    sandbox = open_sandbox(Path(sys.argv[1]))
    board_id = sys.argv[2]
    query = "mutation($b: ID!, $n: String!) { create_item(board_id: $b, item_name: $n) { id } }"
    for n in range(25):
        body = sandbox.execute(query, {"b": board_id, "n": f"{sys.argv[3]} {n}"})
        assert "errors" not in body, body
    """
)


def test_two_processes_writing_the_same_file_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.json"
    board_id = open_sandbox(path).execute(CREATE_BOARD % "shared")["data"]["create_board"]["id"]
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), board_id, name])
        for name in ("left", "right")
    ]
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    items = Sandbox(path).state.board(board_id).items
    assert len(items) == 50
    assert len({item.id for item in items}) == 50
    assert sorted(item.name for item in items) == sorted(
        f"{side} {n}" for side in ("left", "right") for n in range(25)
    )


def test_a_file_that_is_not_sandbox_state_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text("[1, 2, 3]")
    with pytest.raises(ValueError, match="not a boardops sandbox state file"):
        Sandbox(path)
