"""The sandbox's data: plain JSON-shaped dicts, a read-only view for tests, and the file.

Everything the emulator knows lives in one JSON-serialisable ``dict`` (``StateData``) so
that persisting it is a single ``json.dumps``. Records keep monday's field names:

* ``workspaces[id]``: id, name, kind, description, state, created_at
* ``boards[id]``: id, name, board_kind, description, state, workspace_id, created_at,
  updated_at, item_terminology, ``columns`` (ordered list), ``groups`` (list; order is by
  ``position``), ``item_ids`` (board order, all states), ``used_column_ids``
* ``items[id]``: id, board_id, group_id, name, state, ``values`` (column id -> the stored
  value as a Python object, absent when empty), created_at, updated_at
* ``tags[id]``: id, name, color, board_id (None for account tags; set for the board-scoped
  tags of private/shareable boards)
* ``users``: id, name, email, created_at, status (ACTIVE/INACTIVE/PENDING), kind
  ("admin", "member", "guest", "view_only")
* ``teams``: id, name, user_ids
* ``account``: id, name, slug, tier, first_day_of_the_week, plan {tier, max_users, version,
  period}
* ``profile``: the behaviour profile the file was created with (see ``profiles.py``)

Boards also keep ``subscribers`` ([{id, kind}], kind ``owner``/``subscriber``; the creator
first, as owner) and ``team_subscribers`` (the same for teams).

``StateFile`` keeps the data on disk: every save goes through ``boardops.outputs``
(a ``0600`` temporary file, fsync-ed and renamed over the real one, never through a
symlink: a state or lock file that is a link is refused) while holding an ``fcntl`` lock
on a sidecar ``.lock`` file; before each request the sandbox reloads the file if another process
replaced it since (compared by inode, size and mtime).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boardops.outputs import OutputError, write_output

StateData = dict[str, Any]

FORMAT_VERSION = 1

_SYMLINK = (
    "{path}: refusing to use a symbolic link as the sandbox state "
    "(boardops never writes through one; remove it or choose another path)"
)

ALICE_ID = "10000001"
SEEDED_USERS: tuple[tuple[str, str, str], ...] = (
    (ALICE_ID, "Alice Example", "alice@example.com"),
    ("10000002", "Bob Example", "bob@example.com"),
    ("10000003", "Carol Example", "carol@example.com"),
    ("10000004", "Dan Example", "dan@example.com"),
)

# First value of each id sequence; all ids are handed out as decimal strings.
_ID_STARTS = {
    "workspace": 1000001,
    "board": 2000000001,
    "item": 3000000001,
    "tag": 20001,
    "column": 1,
    "group": 1,
    "revision": 1,
}


# Teams seeded in every account: (id, name, member ids).
SEEDED_TEAMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("30000001", "Platform", (ALICE_ID, "10000002")),
    ("30000002", "Design", ("10000003",)),
)

ACCOUNT_ID = 9000001


def user_record(
    user_id: str, name: str, email: str, *, status: str = "ACTIVE", kind: str = "member"
) -> dict[str, Any]:
    return {
        "id": user_id,
        "name": name,
        "email": email,
        "created_at": "2026-01-05T09:00:00Z",
        "status": status,
        "kind": kind,
    }


def fresh_state(profile: str = "docs") -> StateData:
    """An empty account: the seeded users and teams, the profile's account and nothing else."""
    from boardops.sandbox.profiles import PROFILES

    behaviour = PROFILES[profile]
    data: StateData = {
        "format": FORMAT_VERSION,
        "profile": profile,
        "account_id": ACCOUNT_ID,
        "account": {"id": str(ACCOUNT_ID), **behaviour.account()},
        "sequences": dict(_ID_STARTS),
        "users": [user_record(uid, name, email) for uid, name, email in SEEDED_USERS],
        "teams": [
            {"id": tid, "name": name, "user_ids": list(members)}
            for tid, name, members in SEEDED_TEAMS
        ],
        "workspaces": {},
        "boards": {},
        "items": {},
        "tags": {},
    }
    behaviour.seed(data)
    return data


def upgrade(data: StateData) -> StateData:
    """Fill in what files written before profiles existed lack (they are docs-profile files)."""
    if "profile" not in data:
        data["profile"] = "docs"
    if "account" not in data or "teams" not in data:
        fresh = fresh_state(data["profile"])
        data.setdefault("account", fresh["account"])
        data.setdefault("teams", fresh["teams"])
    for user in data["users"]:
        user.setdefault("status", "ACTIVE")
        user.setdefault("kind", "member")
    return data


def next_number(data: StateData, sequence: str) -> int:
    sequences: dict[str, int] = data["sequences"]
    value = sequences[sequence]
    sequences[sequence] = value + 1
    return value


def next_id(data: StateData, sequence: str) -> str:
    return str(next_number(data, sequence))


# --- read-only view for tests and `sandbox show` ------------------------------------------


@dataclass(frozen=True)
class ColumnRecord:
    id: str
    title: str
    type: str
    description: str | None
    settings: Mapping[str, Any]
    revision: str
    archived: bool


@dataclass(frozen=True)
class GroupRecord:
    id: str
    title: str
    color: str
    position: float
    archived: bool
    deleted: bool


@dataclass(frozen=True)
class ItemRecord:
    id: str
    board_id: str
    group_id: str
    name: str
    state: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class BoardRecord:
    id: str
    name: str
    board_kind: str
    description: str | None
    state: str
    workspace_id: str | None
    columns: tuple[ColumnRecord, ...]
    groups: tuple[GroupRecord, ...]  # in board order, including archived/deleted ones
    items: tuple[ItemRecord, ...]  # in board order, every state

    @property
    def active_items(self) -> tuple[ItemRecord, ...]:
        return tuple(item for item in self.items if item.state == "active")

    def column(self, column_id: str) -> ColumnRecord:
        return next(c for c in self.columns if c.id == column_id)

    def group(self, group_id: str) -> GroupRecord:
        return next(g for g in self.groups if g.id == group_id)


@dataclass(frozen=True)
class WorkspaceRecord:
    id: str
    name: str
    kind: str
    description: str | None
    state: str


class StateView:
    """Snapshots of the sandbox's data as frozen records (built on each access)."""

    def __init__(self, data: StateData) -> None:
        self._data = data

    @property
    def raw(self) -> StateData:
        """The live underlying dict; tests may read it, nothing should write it."""
        return self._data

    @property
    def workspaces(self) -> tuple[WorkspaceRecord, ...]:
        return tuple(
            WorkspaceRecord(w["id"], w["name"], w["kind"], w.get("description"), w["state"])
            for w in self._data["workspaces"].values()
        )

    @property
    def boards(self) -> tuple[BoardRecord, ...]:
        return tuple(self._board_record(b) for b in self._data["boards"].values())

    def board(self, board_id: str) -> BoardRecord:
        return self._board_record(self._data["boards"][str(board_id)])

    def board_named(self, name: str) -> BoardRecord:
        for board in self._data["boards"].values():
            if board["name"] == name and board["state"] != "deleted":
                return self._board_record(board)
        raise KeyError(name)

    @property
    def users(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(self._data["users"])

    @property
    def tags(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(self._data["tags"].values())

    def item(self, item_id: str) -> ItemRecord:
        return _item_record(self._data["items"][str(item_id)])

    def census(self) -> dict[str, Any]:
        """Everything active in the account, by name and title, ids left out.

        Two accounts with equal censuses hold the same objects; a duplicate shows up as a
        name listed twice.
        """
        boards: dict[str, Any] = {}
        for board in self.boards:
            if board.state != "active":
                continue
            groups = [g for g in board.groups if not g.archived and not g.deleted]
            titles = {g.id: g.title for g in groups}
            boards.setdefault(board.name, []).append(
                {
                    "columns": sorted((c.title, c.type) for c in board.columns if not c.archived),
                    "groups": [g.title for g in groups],
                    "items": sorted(
                        (i.name, titles.get(i.group_id, "?"), sorted(i.values))
                        for i in board.items
                        if i.state == "active"
                    ),
                }
            )
        return {
            "workspaces": sorted(w.name for w in self.workspaces if w.state == "active"),
            "boards": boards,
        }

    def _board_record(self, board: Mapping[str, Any]) -> BoardRecord:
        items = self._data["items"]
        groups = sorted(board["groups"], key=lambda g: g["position"])
        return BoardRecord(
            id=board["id"],
            name=board["name"],
            board_kind=board["board_kind"],
            description=board.get("description"),
            state=board["state"],
            workspace_id=board.get("workspace_id"),
            columns=tuple(
                ColumnRecord(
                    c["id"],
                    c["title"],
                    c["type"],
                    c.get("description"),
                    c["settings"],
                    c["revision"],
                    c.get("archived", False),
                )
                for c in board["columns"]
            ),
            groups=tuple(
                GroupRecord(
                    g["id"], g["title"], g["color"], g["position"], g["archived"], g["deleted"]
                )
                for g in groups
            ),
            items=tuple(_item_record(items[i]) for i in ordered_item_ids(board, items)),
        )


def _item_record(item: Mapping[str, Any]) -> ItemRecord:
    return ItemRecord(
        item["id"], item["board_id"], item["group_id"], item["name"], item["state"], item["values"]
    )


def ordered_item_ids(board: Mapping[str, Any], items: Mapping[str, Any]) -> list[str]:
    """The board's item ids in display order: groups by position, then the board list."""
    by_group: dict[str, list[str]] = {g["id"]: [] for g in board["groups"]}
    for item_id in board["item_ids"]:
        by_group.setdefault(items[item_id]["group_id"], []).append(item_id)
    ordered: list[str] = []
    for group in sorted(board["groups"], key=lambda g: g["position"]):
        ordered.extend(by_group.pop(group["id"], ()))
    for rest in by_group.values():
        ordered.extend(rest)
    return ordered


# --- the file ------------------------------------------------------------------------------


class StateFile:
    """A JSON file shared safely between processes (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._seen: tuple[int, int, int] | None = None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(self.lock_path, flags, 0o600)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise ValueError(_SYMLINK.format(path=self.lock_path)) from None
            raise
        with os.fdopen(fd, "r+b") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ValueError(f"{self.lock_path}: not a regular file")
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            info = self.path.lstat()
        except FileNotFoundError:
            return None
        return (info.st_ino, info.st_size, info.st_mtime_ns)

    def changed_since_last_access(self) -> bool:
        return self._signature() != self._seen

    def load(self) -> StateData | None:
        """The file's data, or None when there is no file yet. Call under ``locked()``."""
        signature = self._signature()
        if signature is None:
            self._seen = None
            return None
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise ValueError(_SYMLINK.format(path=self.path)) from None
            raise
        try:
            with open(fd, encoding="utf-8") as handle:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise ValueError
                data: StateData = json.load(handle)
        except (ValueError, RecursionError):
            raise ValueError(f"{self.path}: not a boardops sandbox state file") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            raise ValueError(f"{self.path}: not a boardops sandbox state file")
        self._seen = signature
        return upgrade(data)

    def save(self, data: StateData) -> None:
        """Replace the file atomically. Call under ``locked()``."""
        encoded = json.dumps(data, separators=(",", ":"), ensure_ascii=False, check_circular=False)
        try:
            write_output(self.path, encoded)
        except OutputError as error:
            raise ValueError(str(error)) from None
        self._seen = self._signature()


def summary_lines(view: StateView) -> list[str]:
    """A readable dump for ``boardops sandbox show``: workspaces, boards, columns, groups."""
    lines: list[str] = []
    names = {w.id: w.name for w in view.workspaces}
    for workspace in view.workspaces:
        lines.append(f"workspace {workspace.id} {workspace.name!r} ({workspace.kind})")
    boards = [b for b in view.boards if b.state != "deleted"]
    if not boards:
        lines.append("no boards")
    for board in boards:
        where = names.get(board.workspace_id or "", "main workspace")
        state = "" if board.state == "active" else f", {board.state}"
        lines.append(
            f"board {board.id} {board.name!r} ({board.board_kind}, {where}{state}): "
            f"{len(board.active_items)} active items"
        )
        for column in board.columns:
            labels = ""
            if column.type in ("status", "dropdown"):
                texts = [str(label["label"]) for label in column.settings.get("labels", [])]
                labels = f" [{', '.join(texts)}]"
            lines.append(f"  column {column.id} {column.title!r} {column.type}{labels}")
        for group in board.groups:
            if group.deleted or group.archived:
                continue
            count = sum(1 for i in board.active_items if i.group_id == group.id)
            lines.append(f"  group {group.id} {group.title!r} {group.color}: {count} items")
    return lines
