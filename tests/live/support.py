"""What the live acceptance suite shares: the opt-in gate, the account, the scratch space,
its cleanup, the CLI runner and the recordings.

The suite follows Terraform providers' ``TF_ACC`` convention: it runs only when
``BOARDOPS_LIVE=1`` and a token (``MONDAY_API_TOKEN``, or ``BOARDOPS_LIVE_TOKEN_FILE``)
are set; otherwise every test is skipped with the reason below. ``MONDAY_API_URL`` points
it at another server (``boardops sandbox serve``: any token works there).

Everything the suite creates carries the run's unique prefix
(``boardops-acc-<UTC timestamp>-<random>``) and lives in workspaces whose names start with
it, or is tracked by id; the session finaliser deletes all of it, also after failures.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner, Result

from boardops import cli
from boardops.connect import Connection, connect
from boardops.lease import LOCK_BOARD_NAME
from boardops.monday import MutationCall
from boardops.monday.auth import TOKEN_ENV
from boardops.monday.operations import VERSION

ROOT = Path(__file__).resolve().parents[2]
LIVE_ENV = "BOARDOPS_LIVE"
TOKEN_FILE_ENV = "BOARDOPS_LIVE_TOKEN_FILE"
RECORDINGS_ENV = "BOARDOPS_LIVE_RECORDINGS"
DEFAULT_RECORDINGS = ROOT / "tests" / "live_recordings"

SKIP_REASON = (
    "live acceptance suite: set BOARDOPS_LIVE=1 and MONDAY_API_TOKEN (or "
    "BOARDOPS_LIVE_TOKEN_FILE) to run it against a monday account; it creates a scratch "
    "workspace and deletes it afterwards"
)


def live_enabled(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get(LIVE_ENV) == "1" and bool(env.get(TOKEN_ENV) or env.get(TOKEN_FILE_ENV))


LIVE_MARKS = [
    pytest.mark.live,
    pytest.mark.skipif(not live_enabled(), reason=SKIP_REASON),
]


def skip_module_unless_live() -> None:
    """One skip line per module in ``pytest -ra`` rather than one per test."""
    if not live_enabled():
        pytest.skip(SKIP_REASON, allow_module_level=True)


def run_prefix(now: datetime | None = None) -> str:
    """``boardops-acc-20261129T160500Z-3f9a1c``: unique per run, sortable, recognisable."""
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    return f"boardops-acc-{stamp}-{secrets.token_hex(3)}"


# --- documents the suite sends besides boardops' own -------------------------------------
# Probes read raw answers (boardops would normalise them) and the finaliser deletes
# workspaces, which boardops never does. tests/test_live_suite.py validates each against
# monday's official SDL.

WORKSPACES_BY_NAME = """
query acc_workspaces($page: Int) {
  workspaces(limit: 100, page: $page, state: active) { id name kind is_default_workspace }
}
""".strip()

BOARDS_IN_WORKSPACE = """
query acc_boards_in_workspace($workspace_ids: [ID]) {
  boards(workspace_ids: $workspace_ids, limit: 100, state: active) { id name type }
}
""".strip()

BOARD_SHAPE = """
query acc_board_shape($ids: [ID!]) {
  boards(ids: $ids) {
    id name board_kind workspace_id
    workspace { id name is_default_workspace }
    columns { id title type settings }
    groups { id title color position }
    items_page(limit: 50) { items { id name column_values { id type value text } } }
  }
}
""".strip()

USERS_FOR_PROBES = """
query acc_users { me { id name email } users(limit: 50) { id name email kind } }
""".strip()

DELETE_WORKSPACE = """
mutation acc_delete_workspace($id: ID!) { delete_workspace(workspace_id: $id) { id } }
""".strip()

COLUMN_TYPE_SCHEMA = """
query acc_column_type_schema($t: ColumnType!) { get_column_type_schema(type: $t) }
""".strip()

DOCUMENTS: dict[str, str] = {
    "acc_workspaces": WORKSPACES_BY_NAME,
    "acc_boards_in_workspace": BOARDS_IN_WORKSPACE,
    "acc_board_shape": BOARD_SHAPE,
    "acc_users": USERS_FOR_PROBES,
    "acc_delete_workspace": DELETE_WORKSPACE,
    "acc_column_type_schema": COLUMN_TYPE_SCHEMA,
}


# --- the account --------------------------------------------------------------------------


@dataclass
class LiveAccount:
    """The connection, the run's prefix and what it created."""

    connection: Connection
    prefix: str
    token: str | None
    token_file: Path | None
    workspace_id: str = ""
    boards: list[str] = field(default_factory=list)  # created outside the run's workspaces
    # The apply lease's boards that existed before the run: one the run's applies created
    # is deleted with the rest.
    lock_boards_before: set[str] = field(default_factory=set)

    @property
    def client(self) -> Any:
        return self.connection.client

    @property
    def backend_args(self) -> list[str]:
        return ["--token-file", str(self.token_file)] if self.token_file else []

    def boardops(self, *args: str, expect: int | None = 0) -> Result:
        """Run a boardops command in-process against the account."""
        result = CliRunner().invoke(cli.main, [*args, *self.backend_args], catch_exceptions=False)
        if expect is not None:
            assert result.exit_code == expect, (
                f"boardops {shlex.join(args)} exited {result.exit_code}, not {expect}:\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def mutate(self, field_name: str, selection: str = "id", **args: object) -> Any:
        """One mutation through boardops' own client and signatures; its result."""
        [result] = self.client.mutate_batch([MutationCall(field_name, args, selection)])
        return result

    def query(self, document: str, **variables: object) -> dict[str, Any]:
        data: dict[str, Any] = self.client.query(document, variables)
        return data

    def board(self, board_id: str) -> dict[str, Any]:
        [board] = self.query(BOARD_SHAPE, ids=[board_id])["boards"]
        return dict(board)

    def create_board(self, name: str, **args: object) -> str:
        """A board for a probe; tracked for the finaliser wherever it lands."""
        result = self.mutate("create_board", "id", board_name=name, **args)
        assert result.ok, f"create_board {name!r}: {result.error}"
        board_id = str(result.data["id"])
        self.boards.append(board_id)
        return board_id

    def lock_boards(self) -> set[str]:
        """The ids of the boards named like the apply lease's board."""
        return {
            str(board["id"])
            for board in self.client.iter_boards()
            if board.get("name") == LOCK_BOARD_NAME
        }

    def run_workspaces(self) -> list[dict[str, Any]]:
        """Every active workspace whose name starts with the run's prefix."""
        found: list[dict[str, Any]] = []
        for page in range(1, 51):
            rows = self.query(WORKSPACES_BY_NAME, page=page)["workspaces"] or []
            found.extend(
                w for w in rows if isinstance(w, dict) and str(w["name"]).startswith(self.prefix)
            )
            if len(rows) < 100:
                break
        return found

    def clean_up(self) -> list[str]:
        """Delete every board and workspace of the run; what could not be deleted."""
        left: list[str] = []
        board_ids = list(self.boards) + [
            board_id for board_id in self.lock_boards() if board_id not in self.lock_boards_before
        ]
        workspaces = self.run_workspaces()
        for workspace in workspaces:
            rows = self.query(BOARDS_IN_WORKSPACE, workspace_ids=[workspace["id"]])["boards"]
            # A subitems board goes with the board it belongs to.
            board_ids.extend(str(b["id"]) for b in rows or () if b.get("type") != "sub_items_board")
        for board_id in dict.fromkeys(board_ids):
            result = self.mutate("delete_board", board_id=board_id)
            if not result.ok:
                left.append(f"board {board_id}: {result.error}")
        for workspace in workspaces:
            response = self.client.execute(DELETE_WORKSPACE, {"id": workspace["id"]})
            if response.errors:
                left.append(f"workspace {workspace['id']}: {response.errors[0]}")
        return left


def open_account() -> LiveAccount:
    token_file = os.environ.get(TOKEN_FILE_ENV)
    connection = connect(token_file=Path(token_file) if token_file else None)
    account = LiveAccount(
        connection=connection,
        prefix=run_prefix(),
        token=os.environ.get(TOKEN_ENV),
        token_file=Path(token_file) if token_file else None,
    )
    account.lock_boards_before = account.lock_boards()
    return account


def token_text(account: LiveAccount) -> str | None:
    if account.token_file is not None:
        return account.token_file.read_text(encoding="utf-8").strip() or None
    return account.token


# --- manifests ----------------------------------------------------------------------------


def write_manifest(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def planned_types(apply_output: str) -> list[str]:
    """The action types of the plan ``apply --format json`` printed first."""
    for line in apply_output.splitlines():
        event = json.loads(line)
        if event.get("event") == "plan":
            return [action["type"] for action in event["plan"]["actions"]]
    raise AssertionError(f"no plan event in:\n{apply_output}")


def failures(apply_output: str) -> list[dict[str, Any]]:
    events = [json.loads(line) for line in apply_output.splitlines() if line.strip()]
    return [e for e in events if e.get("event") in ("action_failed", "action_skipped")]


# --- recordings ---------------------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


class Sanitiser:
    """Replaces people (ids, names, emails) with stable placeholders; keeps shapes."""

    def __init__(self, people: Iterable[Mapping[str, Any]] = (), secret: str | None = None):
        self.secret = secret
        self.ids: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        for person in people:
            self.person(person)

    def person(self, person: Mapping[str, Any]) -> None:
        number = len(self.ids) + 1
        if person.get("id") is not None:
            self.ids.setdefault(str(person["id"]), str(90000000 + number))
        for key in ("name", "email"):
            value = person.get(key)
            if isinstance(value, str) and value:
                replacement = (
                    f"person{number}@example.com" if key == "email" else f"Person {number}"
                )
                self.texts.setdefault(value, replacement)

    def text(self, value: str) -> str:
        if self.secret and len(self.secret) >= 8 and self.secret in value:
            value = value.replace(self.secret, "<token>")
        for original, replacement in sorted(self.texts.items(), key=lambda kv: -len(kv[0])):
            value = value.replace(original, replacement)
        for original, replacement in self.ids.items():
            value = re.sub(rf"\b{re.escape(original)}\b", replacement, value)
        return _EMAIL.sub(_other_email, value)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {str(k): self(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, int) and not isinstance(value, bool) and str(value) in self.ids:
            return int(self.ids[str(value)])
        return value


def _other_email(match: re.Match[str]) -> str:
    """An address of nobody the sanitiser knows; its own placeholders stay."""
    return match.group() if _PLACEHOLDER.fullmatch(match.group()) else "person@example.com"


_PLACEHOLDER = re.compile(r"person\d*@example\.com")


def recordings_dir() -> Path:
    return Path(os.environ.get(RECORDINGS_ENV) or DEFAULT_RECORDINGS)


def record(
    account: LiveAccount,
    probe: str,
    question: str,
    answer: Mapping[str, Any],
    sanitiser: Sanitiser,
) -> Path:
    """Write one probe's answer, sanitised, as ``<recordings>/<probe>.json``."""
    url = account.client.api_url
    host = urlparse(url).hostname or "?"
    data = {
        "probe": probe,
        "question": question,
        "recorded_on": datetime.now(timezone.utc).date().isoformat(),
        "api_version": account.client.api_version,
        "served_version": served_version(account),
        "server": "monday" if host.endswith("monday.com") else f"other ({host})",
        "answer": sanitiser(dict(answer)),
    }
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    secret = token_text(account)
    # (A token of a few characters, as the sandbox accepts, would match any text.)
    assert not secret or len(secret) < 8 or secret not in text, "a recording holds the token"
    directory = recordings_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{probe}.json"
    path.write_text(text, encoding="utf-8")
    return path


def served_version(account: LiveAccount) -> str | None:
    value = account.query(VERSION)["version"]["value"]
    return str(value) if value is not None else None


def error_text(error: object) -> str | None:
    return None if error is None else str(error)


def first(rows: Sequence[Any]) -> Any:
    return rows[0] if rows else None
