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
      "workspaces": {"<key>": null | {"key", "name", "kind", "description", "id",
                                      "is_default"}},
      "boards": {"<key>": null | {
          "key", "id", "name", "kind", "workspace_id", "description", "state", "updated_at",
          "subscriber_ids": null | ["<user id>"], "team_subscriber_ids": null | ["<team id>"],
          "columns": [{"id", "title", "type", "description", "revision", "settings",
                       "status_labels": [{"id", "label", "color", "done", "index",
                                          "description"}],
                       "dropdown_labels": [{"id", "label"}]}],
          "groups": [{"key", "id", "title", "color"}],           # in board order
          "items": null | [{"id", "name", "group", "values": {"<column id>": value}}]
      }}
    }

Boards and workspaces are keyed by the manifest key they were read for (``null``: nothing
on monday matched it yet). Item values are the codec's canonical human form, keyed by
monday column id; ``items`` is null when the manifest declares no items for that board.

``account``, the users' ``status`` and ``kind``, ``is_default`` and the subscriber ids were
added within format 1: each is optional on reading (null, false or absent when a snapshot
from an earlier boardops lacks it), so every format 1 snapshot still loads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from boardops.errors import SnapshotError
from boardops.model import (
    WEEK_STARTS,
    Account,
    Board,
    Column,
    DropdownLabel,
    Group,
    Item,
    ItemSet,
    JSONValue,
    LiveState,
    StatusLabel,
    User,
    Workspace,
)
from boardops.outputs import write_output

FORMAT_VERSION = 1
KIND = "boardops-live-state"


def live_to_dict(live: LiveState) -> dict[str, JSONValue]:
    return {
        "format_version": FORMAT_VERSION,
        "kind": KIND,
        "source": live.source,
        "read_at": live.read_at,
        "account": None if live.account is None else _account_to_dict(live.account),
        "users": [
            {"id": u.id, "name": u.name, "email": u.email, "status": u.status, "kind": u.kind}
            for u in live.users
        ],
        "workspaces": {
            key: None if ws is None else _workspace_to_dict(ws)
            for key, ws in sorted(live.workspaces.items())
        },
        "boards": {
            key: None if board is None else _board_to_dict(board)
            for key, board in sorted(live.boards.items())
        },
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
    users = tuple(
        User(
            id=reader.text(u, "id", f"users[{i}]"),
            name=reader.text(u, "name", f"users[{i}]"),
            email=reader.text(u, "email", f"users[{i}]"),
            status=reader.optional_text(u, "status", f"users[{i}]"),
            kind=reader.optional_text(u, "kind", f"users[{i}]"),
        )
        for i, u in enumerate(reader.items(data, "users", ""))
    )
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
        account=None if raw_account is None else _account_from_dict(reader, raw_account),
        source=str(data.get("source") or "snapshot"),
        read_at=cast("str | None", data.get("read_at")),
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


def _workspace_to_dict(ws: Workspace) -> dict[str, JSONValue]:
    return {
        "key": ws.key,
        "id": ws.id,
        "name": ws.name,
        "kind": ws.kind,
        "description": ws.description,
        "is_default": ws.is_default,
    }


def _account_to_dict(account: Account) -> dict[str, JSONValue]:
    return {
        "week_start": account.week_start,
        "tier": account.tier,
        "main_workspace_id": account.main_workspace_id,
    }


def _ids(ids: frozenset[str] | None) -> JSONValue:
    if ids is None:
        return None
    ordered: list[str] = sorted(ids, key=lambda i: (len(i), i))  # numeric order for digits
    listed: list[JSONValue] = []
    listed.extend(ordered)
    return listed


def _board_to_dict(board: Board) -> dict[str, JSONValue]:
    return {
        "key": board.key,
        "id": board.id,
        "name": board.name,
        "kind": board.kind,
        "workspace_id": board.workspace_id,
        "description": board.description,
        "state": board.state,
        "updated_at": board.updated_at,
        "subscriber_ids": _ids(board.subscriber_ids),
        "team_subscriber_ids": _ids(board.team_subscriber_ids),
        "columns": [_column_to_dict(c) for c in board.columns],
        "groups": [
            {"key": g.key, "id": g.id, "title": g.title, "color": g.color} for g in board.groups
        ],
        "items": None
        if board.items is None
        else [
            {"id": i.id, "name": i.name, "group": i.group, "values": dict(i.values)}
            for i in board.items.rows
        ],
    }


def _column_to_dict(column: Column) -> dict[str, JSONValue]:
    return {
        "id": column.id,
        "title": column.title,
        "type": column.type,
        "description": column.description,
        "revision": column.revision,
        "settings": None if column.settings is None else dict(column.settings),
        "status_labels": [
            {
                "id": label.id,
                "label": label.label,
                "color": label.color,
                "done": label.done,
                "index": label.index,
                "description": label.description,
                "deactivated": label.deactivated,
            }
            for label in column.status_labels
        ],
        "dropdown_labels": [
            {"id": d.id, "label": d.label, "deactivated": d.deactivated}
            for d in column.dropdown_labels
        ],
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


def _workspace_from_dict(r: _Reader, raw: object, where: str) -> Workspace:
    data = r.obj(raw, where)
    kind = r.text(data, "kind", where)
    if kind not in ("open", "closed"):
        raise r.fail(f"{where}.kind", f"unknown workspace kind {kind!r}")
    return Workspace(
        key=r.text(data, "key", where),
        name=r.text(data, "name", where),
        kind=kind,  # type: ignore[arg-type]
        description=r.optional_text(data, "description", where),
        id=r.optional_text(data, "id", where),
        is_default=r.flag(data, "is_default", where),
    )


def _account_from_dict(r: _Reader, raw: object) -> Account:
    data = r.obj(raw, "account")
    week_start = data.get("week_start", "monday")
    if week_start not in WEEK_STARTS:
        raise r.fail("account.week_start", f"expected one of {', '.join(WEEK_STARTS)}")
    return Account(
        week_start=week_start,
        tier=r.optional_text(data, "tier", "account"),
        main_workspace_id=r.optional_text(data, "main_workspace_id", "account"),
    )


def _board_from_dict(r: _Reader, raw: object, where: str) -> Board:
    data = r.obj(raw, where)
    kind = r.text(data, "kind", where)
    if kind not in ("public", "private", "share"):
        raise r.fail(f"{where}.kind", f"unknown board kind {kind!r}")
    columns = tuple(
        _column_from_dict(r, c, f"{where}.columns[{i}]")
        for i, c in enumerate(r.items(data, "columns", where))
    )
    groups = tuple(
        Group(
            key=r.text(g, "key", f"{where}.groups[{i}]"),
            id=r.optional_text(g, "id", f"{where}.groups[{i}]"),
            title=r.text(g, "title", f"{where}.groups[{i}]"),
            color=r.optional_text(g, "color", f"{where}.groups[{i}]"),
        )
        for i, g in enumerate(r.items(data, "groups", where))
    )
    items: ItemSet | None = None
    if data.get("items") is not None:
        rows = []
        for i, raw_item in enumerate(r.items(data, "items", where)):
            at = f"{where}.items[{i}]"
            values = r.obj(raw_item.get("values", {}), f"{at}.values")
            rows.append(
                Item(
                    id=r.optional_text(raw_item, "id", at),
                    name=r.text(raw_item, "name", at),
                    group=r.optional_text(raw_item, "group", at),
                    values=dict(values),
                )
            )
        items = ItemSet(rows=tuple(rows))
    return Board(
        key=r.text(data, "key", where),
        id=r.optional_text(data, "id", where),
        name=r.text(data, "name", where),
        kind=kind,  # type: ignore[arg-type]
        workspace_id=r.optional_text(data, "workspace_id", where),
        description=r.optional_text(data, "description", where),
        state=r.optional_text(data, "state", where),
        updated_at=r.optional_text(data, "updated_at", where),
        columns=columns,
        groups=groups,
        items=items,
        subscriber_ids=r.optional_ids(data, "subscriber_ids", where),
        team_subscriber_ids=r.optional_ids(data, "team_subscriber_ids", where),
    )


def _column_from_dict(r: _Reader, raw: Mapping[str, Any], where: str) -> Column:
    settings = raw.get("settings")
    if settings is not None:
        settings = r.obj(settings, f"{where}.settings")
    status_labels = []
    for i, label in enumerate(r.items(raw, "status_labels", where)):
        at = f"{where}.status_labels[{i}]"
        done = r.flag(label, "done", at)
        status_labels.append(
            StatusLabel(
                id=r.optional_int(label, "id", at),
                label=r.text(label, "label", at),
                color=r.optional_text(label, "color", at),
                done=done,
                index=r.optional_int(label, "index", at),
                description=r.optional_text(label, "description", at),
                deactivated=r.flag(label, "deactivated", at),
            )
        )
    dropdown_labels = tuple(
        DropdownLabel(
            id=r.optional_int(d, "id", f"{where}.dropdown_labels[{i}]"),
            label=r.text(d, "label", f"{where}.dropdown_labels[{i}]"),
            deactivated=r.flag(d, "deactivated", f"{where}.dropdown_labels[{i}]"),
        )
        for i, d in enumerate(r.items(raw, "dropdown_labels", where))
    )
    return Column(
        id=r.optional_text(raw, "id", where),
        title=r.text(raw, "title", where),
        type=r.text(raw, "type", where),
        description=r.optional_text(raw, "description", where),
        revision=r.optional_text(raw, "revision", where),
        settings=None if settings is None else dict(settings),
        status_labels=tuple(status_labels),
        dropdown_labels=dropdown_labels,
    )
