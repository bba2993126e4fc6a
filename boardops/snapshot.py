"""The live state as a versioned JSON document: what ``boardops describe`` writes and
``boardops plan --live FILE`` reads.

Format (``format_version`` 1)::

    {
      "format_version": 1,
      "kind": "boardops-live-state",
      "source": "api",                     # where the state was read from
      "read_at": "2026-11-23T04:20:00Z",   # when
      "account": null | {"week_start", "tier", "main_workspace_id"},
      "users": [{"id", "name", "email", "status", "kind"}],
      "teams": [{"id", "name"}],           # read when people values name a team
      "workspaces": {"<key>": null | {"key", "name", "kind", "description", "id",
                                      "is_default"}},
      "boards": {"<key>": null | {
          "key", "id", "name", "kind", "workspace_id", "description", "state", "updated_at",
          "subscriber_ids": null | ["<user id>"], "team_subscriber_ids": null | ["<team id>"],
          "owner_ids": null | ["<user id>"], "team_owner_ids": null | ["<team id>"],
          "permissions": null | "<Board.permissions>",    # absent in older files: null
          "columns": [{"id", "title", "type", "description", "revision", "settings",
                       "status_labels": [{"id", "label", "color", "done", "index",
                                          "description"}],
                       "dropdown_labels": [{"id", "label"}]}],
          "groups": [{"key", "id", "title", "color"}],           # in board order
          "items": null | [{"id", "name", "group", "values": {"<column id>": value},
                            "subitems"?: [{"id", "name", "group", "values"}]}],
          "subitems"?: {"id", "columns": [...]},  # the subitems board, when it was read
          "folder_id", "folder", "item_nickname"                  # placement
      }},
      "folders": [{"id", "name", "color", "parent_id", "workspace_id",
                   "board_ids": null | ["<board id>"]}]          # flat, when read
    }

Boards and workspaces are keyed by the manifest key they were read for (``null``: nothing
on monday matched it yet). Item values are the codec's canonical human form, keyed by
monday column id; ``items`` is null when the manifest declares no items for that board.

``account``, the users' ``status`` and ``kind``, ``teams``, ``is_default``, the
subscriber ids and placement (``folders``, a board's ``folder_id``, ``folder`` and
``item_nickname``: its ``item_terminology``) were added within format 1: each is
optional on reading (null, false or absent when a snapshot from an earlier boardops lacks
it), so every format 1 snapshot still loads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

from boardops.errors import SnapshotError
from boardops.from_wire import role_of_permissions
from boardops.model import (
    BOARD_KINDS,
    WEEK_STARTS,
    WORKSPACE_KINDS,
    Account,
    Board,
    Column,
    DropdownLabel,
    Folder,
    Group,
    Item,
    ItemNickname,
    ItemSet,
    JSONValue,
    LiveState,
    StatusLabel,
    Subitems,
    Team,
    User,
    Workspace,
)
from boardops.outputs import write_output
from boardops.relations import read_column_structure

T = TypeVar("T")
# How one field of a record is read: (reader, data, key, where) -> value.
_Read = Callable[["_Reader", Mapping[str, Any], str, str], object]

FORMAT_VERSION = 1
KIND = "boardops-live-state"


def live_to_dict(live: LiveState) -> dict[str, JSONValue]:
    return {
        "format_version": FORMAT_VERSION,
        "kind": KIND,
        "source": live.source,
        "read_at": live.read_at,
        "account": None if live.account is None else _account_to_dict(live.account),
        "users": [_plain(u, _USER) for u in live.users],
        "teams": [_plain(t, _TEAM) for t in live.teams],
        "workspaces": {
            key: None if ws is None else _plain(ws, _WORKSPACE)
            for key, ws in sorted(live.workspaces.items())
        },
        "boards": {
            key: None if board is None else _board_to_dict(board)
            for key, board in sorted(live.boards.items())
        },
        "folders": [
            {**_plain(f, _FOLDER), "board_ids": None if f.board_ids is None else list(f.board_ids)}
            for f in live.folders
        ],
    }


def live_from_dict(data: Mapping[str, Any], *, origin: str = "snapshot") -> LiveState:
    """Rebuild a ``LiveState``; raises ``SnapshotError`` naming the bad field."""
    reader = _Reader(origin)
    if data.get("kind") != KIND:
        raise SnapshotError(f"{origin}: not a boardops live-state snapshot (kind: {KIND})")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise SnapshotError(
            f"{origin}: format_version {version!r} is not supported (expected {FORMAT_VERSION})"
        )
    users = reader.records(data, "users", "", User, _USER)
    teams = reader.records(data, "teams", "", Team, _TEAM)
    workspaces = {
        key: None if raw is None else _workspace_from_dict(reader, raw, f"workspaces.{key}")
        for key, raw in reader.mapping(data, "workspaces", "").items()
    }
    boards = {
        key: None if raw is None else _board_from_dict(reader, raw, f"boards.{key}")
        for key, raw in reader.mapping(data, "boards", "").items()
    }
    raw_account = data.get("account")
    return LiveState(
        workspaces=workspaces,
        boards=boards,
        users=users,
        teams=teams,
        account=None if raw_account is None else _account_from_dict(reader, raw_account),
        source=str(data.get("source") or "snapshot"),
        read_at=cast("str | None", data.get("read_at")),
        folders=tuple(
            Folder(
                **reader.fields(raw, f"folders[{i}]", _FOLDER),
                board_ids=None
                if reader.optional_ids(raw, "board_ids", f"folders[{i}]") is None
                else tuple(raw["board_ids"]),
            )
            for i, raw in enumerate(reader.items(data, "folders", ""))
        ),
    )


def write_snapshot(live: LiveState, path: Path) -> None:
    """Saved as ``describe -o`` saves it: atomically, ``0600``, never through a symlink."""
    write_output(path, json.dumps(live_to_dict(live), indent=2, sort_keys=True) + "\n")


def read_snapshot(path: Path) -> LiveState:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read snapshot: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SnapshotError(f"{path}: cannot read snapshot: not UTF-8 text") from exc
    except RecursionError as exc:
        raise SnapshotError(f"{path}: cannot read snapshot: nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc
    if not isinstance(raw, dict):
        raise SnapshotError(f"{path}: a snapshot is a JSON object")
    return live_from_dict(raw, origin=str(path))


# --- to dict ----------------------------------------------------------------------------


def _plain(record: object, fields: Mapping[str, _Read]) -> dict[str, JSONValue]:
    """The ``fields`` of ``record``, as they are."""
    return {name: getattr(record, name) for name in fields}


def _account_to_dict(account: Account) -> dict[str, JSONValue]:
    return {"week_start": account.week_start, **_plain(account, _ACCOUNT)}


def _ids(ids: frozenset[str] | None) -> JSONValue:
    if ids is None:
        return None
    ordered: list[str] = sorted(ids, key=lambda i: (len(i), i))  # numeric order for digits
    listed: list[JSONValue] = []
    listed.extend(ordered)
    return listed


def _board_to_dict(board: Board) -> dict[str, JSONValue]:
    written: dict[str, JSONValue] = {
        **_plain(board, _BOARD),
        "item_nickname": None if board.item_nickname is None else board.item_nickname.term,
        "subscriber_ids": _ids(board.subscriber_ids),
        "team_subscriber_ids": _ids(board.team_subscriber_ids),
        "owner_ids": _ids(board.owner_ids),
        "team_owner_ids": _ids(board.team_owner_ids),
        "permissions": board.permissions,
        "columns": [_column_to_dict(c) for c in board.columns],
        "groups": [_plain(g, _GROUP) for g in board.groups],
        "items": None if board.items is None else [_item_to_dict(i) for i in board.items.rows],
    }
    if board.subitems is not None:  # only when read: snapshots without them are unchanged
        written["subitems"] = {
            "id": board.subitems.id,
            "columns": [_column_to_dict(c) for c in board.subitems.columns],
        }
    return written


def _item_to_dict(item: Item) -> dict[str, JSONValue]:
    written: dict[str, JSONValue] = {**_plain(item, _ITEM), "values": dict(item.values)}
    if item.subitems is not None:
        written["subitems"] = [_item_to_dict(s) for s in item.subitems]
    return written


def _column_to_dict(column: Column) -> dict[str, JSONValue]:
    return {
        **_plain(column, _COLUMN),
        "settings": None if column.settings is None else dict(column.settings),
        "status_labels": [_plain(label, _STATUS_LABEL) for label in column.status_labels],
        "dropdown_labels": [_plain(d, _DROPDOWN_LABEL) for d in column.dropdown_labels],
    }


# --- from dict --------------------------------------------------------------------------


class _Reader:
    """Typed field access that names the offending field in its error."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, message: str) -> SnapshotError:
        return SnapshotError(f"{self.origin}: {where}: {message}")

    def obj(self, value: object, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, "expected an object")
        return value

    def mapping(self, data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        return self.obj(data.get(key, {}), _join(where, key))

    def items(self, data: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise self.fail(_join(where, key), "expected a list")
        return [self.obj(v, f"{_join(where, key)}[{i}]") for i, v in enumerate(value)]

    def fields(
        self, data: Mapping[str, Any], where: str, fields: Mapping[str, _Read]
    ) -> dict[str, Any]:
        """Each of ``fields`` read from ``data`` by its reader, in the order listed."""
        return {name: read(self, data, name, where) for name, read in fields.items()}

    def records(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        make: Callable[..., T],
        fields: Mapping[str, _Read],
    ) -> tuple[T, ...]:
        """The list ``data[key]``, each entry read as ``make(**fields)``."""
        at = _join(where, key)
        return tuple(
            make(**self.fields(entry, f"{at}[{i}]", fields))
            for i, entry in enumerate(self.items(data, key, where))
        )

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str):
            raise self.fail(_join(where, key), "expected a string")
        return value

    def optional_text(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(_join(where, key), "expected a string or null")
        return value

    def flag(self, data: Mapping[str, Any], key: str, where: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(_join(where, key), "expected true or false")
        return value

    def optional_ids(self, data: Mapping[str, Any], key: str, where: str) -> frozenset[str] | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(_join(where, key), "expected a list of id strings or null")
        return frozenset(value)

    def optional_int(self, data: Mapping[str, Any], key: str, where: str) -> int | None:
        value = data.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise self.fail(_join(where, key), "expected an integer or null")
        return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


# The plain fields of each record, each with the reader its snapshot value is read with (in
# this order, so the first bad field is the one reported); the rest are converted by hand.
_TEXT, _OPTIONAL_TEXT = _Reader.text, _Reader.optional_text
_USER: Mapping[str, _Read] = {
    "id": _TEXT,
    "name": _TEXT,
    "email": _TEXT,
    "status": _OPTIONAL_TEXT,
    "kind": _OPTIONAL_TEXT,
}
_TEAM: Mapping[str, _Read] = {"id": _TEXT, "name": _TEXT}
_WORKSPACE: Mapping[str, _Read] = {
    "key": _TEXT,
    "name": _TEXT,
    "kind": _TEXT,
    "description": _OPTIONAL_TEXT,
    "id": _OPTIONAL_TEXT,
    "is_default": _Reader.flag,
}
_ACCOUNT: Mapping[str, _Read] = {"tier": _OPTIONAL_TEXT, "main_workspace_id": _OPTIONAL_TEXT}
_BOARD: Mapping[str, _Read] = {
    "key": _TEXT,
    "id": _OPTIONAL_TEXT,
    "name": _TEXT,
    "kind": _TEXT,
    "workspace_id": _OPTIONAL_TEXT,
    "description": _OPTIONAL_TEXT,
    "state": _OPTIONAL_TEXT,
    "updated_at": _OPTIONAL_TEXT,
    "folder_id": _OPTIONAL_TEXT,
    "folder": _OPTIONAL_TEXT,
}
_FOLDER: Mapping[str, _Read] = {
    "id": _OPTIONAL_TEXT,
    "name": _TEXT,
    "color": _OPTIONAL_TEXT,
    "parent_id": _OPTIONAL_TEXT,
    "workspace_id": _OPTIONAL_TEXT,
}
_GROUP: Mapping[str, _Read] = {
    "key": _TEXT,
    "id": _OPTIONAL_TEXT,
    "title": _TEXT,
    "color": _OPTIONAL_TEXT,
}
_ITEM: Mapping[str, _Read] = {"id": _OPTIONAL_TEXT, "name": _TEXT, "group": _OPTIONAL_TEXT}
_COLUMN: Mapping[str, _Read] = {
    "id": _OPTIONAL_TEXT,
    "title": _TEXT,
    "type": _TEXT,
    "description": _OPTIONAL_TEXT,
    "revision": _OPTIONAL_TEXT,
    "width": _Reader.optional_int,
}
_STATUS_LABEL: Mapping[str, _Read] = {
    "done": _Reader.flag,
    "id": _Reader.optional_int,
    "label": _TEXT,
    "color": _OPTIONAL_TEXT,
    "index": _Reader.optional_int,
    "description": _OPTIONAL_TEXT,
    "deactivated": _Reader.flag,
}
_DROPDOWN_LABEL: Mapping[str, _Read] = {
    "id": _Reader.optional_int,
    "label": _TEXT,
    "deactivated": _Reader.flag,
}


def _workspace_from_dict(r: _Reader, raw: object, where: str) -> Workspace:
    data = r.obj(raw, where)
    kind = r.text(data, "kind", where)
    if kind not in WORKSPACE_KINDS:
        raise r.fail(f"{where}.kind", f"unknown workspace kind {kind!r}")
    return Workspace(**r.fields(data, where, _WORKSPACE))


def _account_from_dict(r: _Reader, raw: object) -> Account:
    data = r.obj(raw, "account")
    week_start = data.get("week_start", "monday")
    if week_start not in WEEK_STARTS:
        raise r.fail("account.week_start", f"expected one of {', '.join(WEEK_STARTS)}")
    return Account(week_start=week_start, **r.fields(data, "account", _ACCOUNT))


def _board_from_dict(r: _Reader, raw: object, where: str) -> Board:
    data = r.obj(raw, where)
    kind = r.text(data, "kind", where)
    if kind not in BOARD_KINDS:
        raise r.fail(f"{where}.kind", f"unknown board kind {kind!r}")
    columns = tuple(
        _column_from_dict(r, c, f"{where}.columns[{i}]")
        for i, c in enumerate(r.items(data, "columns", where))
    )
    groups = r.records(data, "groups", where, Group, _GROUP)
    nickname = r.optional_text(data, "item_nickname", where)
    items: ItemSet | None = None
    if data.get("items") is not None:
        items = ItemSet(rows=_items_from_dict(r, data, "items", where))
    subitems: Subitems | None = None
    if data.get("subitems") is not None:
        raw_subitems = r.obj(data["subitems"], f"{where}.subitems")
        at = f"{where}.subitems"
        subitems = Subitems(
            columns=tuple(
                _column_from_dict(r, c, f"{at}.columns[{i}]")
                for i, c in enumerate(r.items(raw_subitems, "columns", at))
            ),
            id=r.optional_text(raw_subitems, "id", at),
        )
    permissions = data.get("permissions")
    if permissions is not None and not isinstance(permissions, str):
        raise r.fail(_join(where, "permissions"), "expected a string or null")
    return Board(
        **r.fields(data, where, _BOARD),
        columns=columns,
        groups=groups,
        items=items,
        subitems=subitems,
        subscriber_ids=r.optional_ids(data, "subscriber_ids", where),
        team_subscriber_ids=r.optional_ids(data, "team_subscriber_ids", where),
        owner_ids=r.optional_ids(data, "owner_ids", where),
        team_owner_ids=r.optional_ids(data, "team_owner_ids", where),
        permissions=permissions,
        role=role_of_permissions(permissions),
        item_nickname=None if nickname is None else ItemNickname(singular=nickname),
    )


def _items_from_dict(r: _Reader, data: Mapping[str, Any], key: str, where: str) -> tuple[Item, ...]:
    """The items under ``key`` (with their ``subitems`` when the snapshot has them)."""
    rows = []
    for i, raw_item in enumerate(r.items(data, key, where)):
        at = f"{where}.{key}[{i}]"
        values = r.obj(raw_item.get("values", {}), f"{at}.values")
        subitems = None
        if raw_item.get("subitems") is not None:
            subitems = _items_from_dict(r, raw_item, "subitems", at)
        rows.append(Item(**r.fields(raw_item, at, _ITEM), values=dict(values), subitems=subitems))
    return tuple(rows)


def _column_from_dict(r: _Reader, raw: Mapping[str, Any], where: str) -> Column:
    settings = raw.get("settings")
    if settings is not None:
        settings = r.obj(settings, f"{where}.settings")
    status_labels = r.records(raw, "status_labels", where, StatusLabel, _STATUS_LABEL)
    dropdown_labels = r.records(raw, "dropdown_labels", where, DropdownLabel, _DROPDOWN_LABEL)
    column = Column(
        **r.fields(raw, where, _COLUMN),
        settings=None if settings is None else dict(settings),
        status_labels=status_labels,
        dropdown_labels=dropdown_labels,
    )
    # connect-boards and mirror columns: from their settings, as the live reader does
    return read_column_structure(column, lambda problem: None)
