"""Reading what monday holds for the objects a manifest names, into the model.

The reader finds each workspace and board the manifest names (a pinned id first, else the
name or one of its previous names within the right workspace), reads their structure and,
where the manifest declares items, their items, and converts it all into ``boardops.model``
objects with monday's ids beside the manifest's keys. It compares nothing and decides
nothing: that is the plan's job.

Requests: one for users (people values), one per page of workspaces or boards listed to
find things by name, one for the structure of up to ``STRUCTURE_CHUNK`` boards together
with their first page of items, and one per further 500 items.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from boardops import codec
from boardops.errors import BoardopsError, MalformedResponse
from boardops.gc_pause import collector_paused
from boardops.model import (
    BOARD_KINDS,
    MANAGED_COLUMN_TYPES,
    WORKSPACE_KINDS,
    Board,
    Column,
    DesiredState,
    DropdownLabel,
    Group,
    Item,
    ItemSet,
    JSONValue,
    LiveState,
    StatusLabel,
    User,
    Workspace,
    board_address,
    slug,
)
from boardops.monday import MondayClient


class LiveReadError(BoardopsError):
    """What monday holds cannot be mapped onto the manifest unambiguously."""


# --- conversion from monday's JSON --------------------------------------------------------


@contextlib.contextmanager
def _answer_shape_checked() -> Iterator[None]:
    """The conversion trusts monday's answers to have the API's shape; one that does not
    (a list that is a number, an object that is text) is a ``MalformedResponse`` in one
    line, not a ``TypeError`` from deep inside (``--debug`` keeps the cause)."""
    try:
        yield
    except (TypeError, AttributeError, KeyError, ValueError) as error:
        raise MalformedResponse(
            f"monday's answer does not have the shape the API documents "
            f"({type(error).__name__}: {error})"
        ) from error


def _text(value: object) -> str | None:
    """A text field of monday's answer: text or null, nothing else."""
    if value is None or isinstance(value, str):
        return value
    raise MalformedResponse(
        f"monday's answer holds {type(value).__name__} where the API documents text or null"
    )


def _settings(raw: Mapping[str, Any]) -> dict[str, Any]:
    settings = raw.get("settings")
    if isinstance(settings, str):
        try:
            settings = json.loads(settings) if settings else {}
        except json.JSONDecodeError:
            settings = {}
    return settings if isinstance(settings, dict) else {}


def column_from_wire(raw: Mapping[str, Any]) -> Column:
    """A ``Column`` from monday's ``Column`` object (id, title, type, settings, revision)."""
    settings = _settings(raw)
    column_type = str(raw["type"])
    status_labels: tuple[StatusLabel, ...] = ()
    dropdown_labels: tuple[DropdownLabel, ...] = ()
    labels = settings.get("labels")
    if column_type == "status" and isinstance(labels, list):
        status_labels = tuple(
            sorted(
                (
                    StatusLabel(
                        label=str(label.get("label", "")),
                        color=_text(label.get("color")),
                        done=bool(label.get("is_done", False)),
                        description=_text(label.get("description")) or None,
                        id=int(label["id"]),
                        index=label.get("index"),
                        deactivated=bool(label.get("is_deactivated", False)),
                    )
                    for label in labels
                    if isinstance(label, dict) and label.get("id") is not None
                ),
                key=lambda label: (label.index if label.index is not None else 1_000, label.id),
            )
        )
    elif column_type == "dropdown" and isinstance(labels, list):
        dropdown_labels = tuple(
            DropdownLabel(
                label=str(label.get("label", "")),
                id=int(label["id"]),
                deactivated=bool(label.get("is_deactivated", False)),
            )
            for label in labels
            if isinstance(label, dict) and label.get("id") is not None
        )
    return Column(
        id=str(raw["id"]),
        title=str(raw["title"]),
        type=column_type,
        description=_text(raw.get("description")) or None,
        status_labels=status_labels,
        dropdown_labels=dropdown_labels,
        revision=None if raw.get("revision") is None else str(raw["revision"]),
        settings=settings,
    )


class CellReader:
    """Canonical values of stored cells (``ColumnValue`` id, value, text), for one read.

    A board repeats the same few stored values (its labels, small numbers, dates) across
    thousands of items, so each distinct stored value of a column is JSON-decoded and read
    through the codec once. Only immutable results (not lists or mappings) are kept, and
    only for as long as the reader (one board's conversion).
    """

    def __init__(self, directory: codec.Directory) -> None:
        self.directory = directory
        self._known: dict[tuple[str, str, object], JSONValue] = {}

    def read(self, column: Column, stored: object, text: object) -> JSONValue:
        if not isinstance(stored, str) or not (text is None or isinstance(text, str)):
            return self._read(column, stored, text)
        key = (str(column.id), stored, text)
        try:
            return self._known[key]
        except KeyError:
            pass
        value = self._read(column, stored, text)
        if not isinstance(value, (list, dict)):
            self._known[key] = value
        return value

    def _read(self, column: Column, stored: Any, text: Any) -> JSONValue:
        if isinstance(stored, str):
            with contextlib.suppress(json.JSONDecodeError):
                stored = json.loads(stored)
        return codec.from_wire(column, stored, text, self.directory)


def item_from_wire(
    raw: Mapping[str, Any],
    columns: Mapping[str, Column],
    directory: codec.Directory,
    cells: CellReader | None = None,
) -> Item:
    """An ``Item`` whose values are the codec's canonical human form, keyed by column id.

    Only managed column types are read; an empty value is left out. ``cells`` (made for
    ``directory``) lets the items of one board share the reading of repeated values.
    """
    reader = cells if cells is not None else CellReader(directory)
    values: dict[str, JSONValue] = {}
    for cv in raw.get("column_values") or ():
        column = columns.get(str(cv.get("id")))
        if column is None or column.type not in MANAGED_COLUMN_TYPES:
            continue
        value = reader.read(column, cv.get("value"), cv.get("text"))
        if value is not None:
            values[column.id or column.title] = value
    group = raw.get("group") or {}
    return Item(
        id=str(raw["id"]),
        name=str(raw["name"]),
        group=None if group.get("id") is None else str(group["id"]),
        values=values,
    )


def board_from_wire(
    key: str,
    raw: Mapping[str, Any],
    items: Iterable[Mapping[str, Any]] | None,
    directory: codec.Directory,
) -> Board:
    """A live ``Board`` for the manifest key ``key``; ``items`` None: items not read."""
    columns = tuple(
        column_from_wire(c) for c in raw.get("columns") or () if not c.get("archived", False)
    )
    by_id = {c.id: c for c in columns if c.id is not None}
    groups = tuple(
        Group(key=str(g["id"]), id=str(g["id"]), title=str(g["title"]), color=_text(g.get("color")))
        for g in sorted(
            (g for g in raw.get("groups") or () if not g.get("archived") and not g.get("deleted")),
            key=_group_position,
        )
    )
    kind = raw.get("board_kind", "public")
    return Board(
        key=key,
        id=str(raw["id"]),
        name=str(raw["name"]),
        kind=kind if kind in BOARD_KINDS else "public",
        workspace_id=None if raw.get("workspace_id") is None else str(raw["workspace_id"]),
        description=_text(raw.get("description")) or None,
        columns=columns,
        groups=groups,
        items=None if items is None else ItemSet(rows=_items_from_wire(items, by_id, directory)),
        state=raw.get("state"),
        updated_at=raw.get("updated_at"),
    )


def _items_from_wire(
    items: Iterable[Mapping[str, Any]], columns: Mapping[str, Column], directory: codec.Directory
) -> tuple[Item, ...]:
    cells = CellReader(directory)
    return tuple(item_from_wire(raw, columns, directory, cells) for raw in items)


def _group_position(raw: Mapping[str, Any]) -> float:
    try:
        return float(raw.get("position") or 0)
    except (TypeError, ValueError):
        return 0.0


def workspace_from_wire(key: str, raw: Mapping[str, Any]) -> Workspace:
    kind = raw.get("kind") or "open"
    return Workspace(
        key=key,
        id=None if raw.get("id") is None else str(raw["id"]),
        name=str(raw["name"]),
        kind=kind if kind in WORKSPACE_KINDS else "open",
        description=_text(raw.get("description")) or None,
    )


def user_from_wire(raw: Mapping[str, Any]) -> User:
    return User(id=str(raw["id"]), name=str(raw.get("name") or ""), email=str(raw["email"]))


# --- finding the manifest's objects -------------------------------------------------------


@dataclass(frozen=True)
class BoardRef:
    """Enough of a listed board to recognise it: id, name, workspace."""

    id: str
    name: str
    workspace_id: str | None


def match_board(
    desired: Board, workspace_id: str | None, candidates: Sequence[BoardRef]
) -> BoardRef | None:
    """The live board a desired board stands for: by current name, else a previous name.

    Two live boards answering to the same name in one workspace are ambiguous: the reader
    refuses to guess (pin the board's ``id`` in the manifest).
    """
    in_workspace = [c for c in candidates if c.workspace_id == workspace_id]
    for names in ((desired.name,), desired.previous_names):
        found = [c for c in in_workspace if c.name in names]
        if len(found) > 1:
            ids = ", ".join(sorted(c.id for c in found))
            raise LiveReadError(
                f"{board_address(desired.key)}: {len(found)} boards named "
                f"{found[0].name!r} in this workspace (ids {ids}); pin one with `id:`"
            )
        if found:
            return found[0]
    return None


def now_utc() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def needs_users(desired: DesiredState) -> bool:
    return any(
        board.items is not None and any(c.type == "people" for c in board.columns)
        for board in desired.boards
    )


# --- reading ----------------------------------------------------------------------------


def read_live(client: MondayClient, desired: DesiredState) -> LiveState:
    """What monday holds for every workspace and board ``desired`` names."""
    # Decoding and converting every item builds a large, acyclic graph: see
    # collector_paused for why the cyclic collector is kept out of it.
    with collector_paused(), _answer_shape_checked():
        return _read_live(client, desired)


def _read_live(client: MondayClient, desired: DesiredState) -> LiveState:
    read_at = now_utc()
    workspaces = _find_workspaces(client, desired)
    board_ids = _find_board_ids(client, desired, workspaces)
    wanted = sorted({board_id for board_id in board_ids.values() if board_id is not None})
    raw_boards = {str(b["id"]): b for b in client.read_boards(wanted)} if wanted else {}

    for key, board_id in board_ids.items():
        board = desired.board(key)
        if board is not None and board.id is not None and board_id not in raw_boards:
            raise LiveReadError(
                f"{board_address(key)}: no active board with the pinned id {board.id}"
            )

    users = tuple(user_from_wire(u) for u in client.users()) if needs_users(desired) else ()
    tags = (
        {str(t["name"]): int(t["id"]) for t in client.tags()}
        if _needs_tags(desired, raw_boards.values())
        else {}
    )
    directory = codec.Directory(users=users, tags=tags)

    boards: dict[str, Board | None] = {}
    for board in desired.boards:
        board_id = board_ids.get(board.key)
        raw = raw_boards.get(board_id) if board_id is not None else None
        if raw is None:
            boards[board.key] = None
            continue
        items = raw.get("items") if board.items is not None else None
        boards[board.key] = board_from_wire(board.key, raw, items, directory)
    return LiveState(
        workspaces=workspaces, boards=boards, users=users, source="api", read_at=read_at
    )


def _find_workspaces(client: MondayClient, desired: DesiredState) -> dict[str, Workspace | None]:
    if not desired.workspaces:
        return {}
    listed = list(client.iter_workspaces())
    found: dict[str, Workspace | None] = {}
    for workspace in desired.workspaces:
        if workspace.id is not None:
            matches = [w for w in listed if str(w.get("id")) == workspace.id]
        else:
            matches = [w for w in listed if w.get("name") == workspace.name]
        if len(matches) > 1:
            ids = ", ".join(sorted(str(w.get("id")) for w in matches))
            raise LiveReadError(
                f"workspace.{workspace.key}: {len(matches)} workspaces named "
                f"{workspace.name!r} (ids {ids}); pin one with `id:`"
            )
        found[workspace.key] = workspace_from_wire(workspace.key, matches[0]) if matches else None
    return found


def _board_workspace_id(
    board: Board, workspaces: Mapping[str, Workspace | None]
) -> tuple[bool, str | None]:
    """(exists, id) of the workspace a desired board lives in; id None = main workspace."""
    if board.workspace is not None:
        live = workspaces.get(board.workspace)
        return (live is not None, None if live is None else live.id)
    return (True, board.workspace_id)


def _find_board_ids(
    client: MondayClient,
    desired: DesiredState,
    workspaces: Mapping[str, Workspace | None],
) -> dict[str, str | None]:
    ids: dict[str, str | None] = {}
    by_name: list[tuple[Board, str | None]] = []
    for board in desired.boards:
        if board.id is not None:
            ids[board.key] = board.id
            continue
        exists, workspace_id = _board_workspace_id(board, workspaces)
        if not exists:
            ids[board.key] = None  # its workspace is yet to be created
        else:
            by_name.append((board, workspace_id))
    if not by_name:
        return ids
    in_main = any(workspace_id is None for _, workspace_id in by_name)
    listing = client.iter_boards(
        workspace_ids=None if in_main else sorted({ws for _, ws in by_name if ws is not None})
    )
    candidates = [
        BoardRef(
            id=str(b["id"]),
            name=str(b.get("name", "")),
            workspace_id=None if b.get("workspace_id") is None else str(b["workspace_id"]),
        )
        for b in listing
    ]
    for board, workspace_id in by_name:
        match = match_board(board, workspace_id, candidates)
        ids[board.key] = None if match is None else match.id
    return ids


def _needs_tags(desired: DesiredState, raw_boards: Iterable[Mapping[str, Any]]) -> bool:
    wants_items = {b.key for b in desired.boards if b.items is not None}
    if not wants_items:
        return False
    return any(
        column.get("type") == "tags" for raw in raw_boards for column in raw.get("columns") or ()
    )


# --- describe and snapshots -----------------------------------------------------------


def describe(
    client: MondayClient,
    *,
    boards: Sequence[str] = (),
    workspaces: Sequence[str] = (),
    with_items: bool = False,
) -> LiveState:
    """The live state of boards named by id or name, or of every board in workspaces.

    Boards are keyed by the slug of their name (``#<id>`` appended when two share a slug).
    """
    with _answer_shape_checked():
        return _describe(client, boards, workspaces, with_items)


def _describe(
    client: MondayClient, boards: Sequence[str], workspaces: Sequence[str], with_items: bool
) -> LiveState:
    read_at = now_utc()
    ids: list[str] = [ref for ref in boards if ref.isdigit()]
    names = [ref for ref in boards if not ref.isdigit()]
    workspace_by_name: dict[str, Mapping[str, Any]] = {}
    if workspaces:
        listed = list(client.iter_workspaces())
        for name in workspaces:
            matches = [w for w in listed if w.get("name") == name or str(w.get("id")) == name]
            if not matches:
                raise LiveReadError(f"no workspace named {name!r}")
            for match in matches:
                workspace_by_name[str(match.get("name"))] = match
    if names or workspace_by_name:
        listing = list(client.iter_boards())
        for name in names:
            found = [b for b in listing if b.get("name") == name]
            if not found:
                raise LiveReadError(f"no active board named {name!r}")
            if len(found) > 1:
                listed_ids = ", ".join(sorted(str(b["id"]) for b in found))
                raise LiveReadError(
                    f"{len(found)} boards are named {name!r} (ids {listed_ids}); give an id"
                )
            ids.append(str(found[0]["id"]))
        wanted_workspaces = {str(w.get("id")) for w in workspace_by_name.values()}
        ids.extend(
            str(b["id"])
            for b in listing
            if str(b.get("workspace_id")) in wanted_workspaces and b.get("type") in (None, "board")
        )
    unique_ids = sorted(set(ids), key=lambda i: (len(i), i))
    raw_boards = client.read_boards(unique_ids) if unique_ids else []
    missing = set(unique_ids) - {str(b["id"]) for b in raw_boards}
    if missing:
        raise LiveReadError(f"no active board with id {', '.join(sorted(missing))}")
    users: tuple[User, ...] = ()
    tags: dict[str, int] = {}
    if with_items:
        columns = [c for raw in raw_boards for c in raw.get("columns") or ()]
        if any(c.get("type") == "people" for c in columns):
            users = tuple(user_from_wire(u) for u in client.users())
        if any(c.get("type") == "tags" for c in columns):
            tags = {str(t["name"]): int(t["id"]) for t in client.tags()}
    directory = codec.Directory(users=users, tags=tags)
    keyed: dict[str, Board | None] = {}
    for raw in raw_boards:
        key = slug(str(raw["name"]))
        if key in keyed:
            key = f"{key}#{raw['id']}"
        keyed[key] = board_from_wire(key, raw, raw.get("items") if with_items else None, directory)
    return LiveState(
        workspaces={
            str(w["name"]): workspace_from_wire(str(w["name"]), w)
            for w in workspace_by_name.values()
        },
        boards=keyed,
        users=users,
        source="api",
        read_at=read_at,
    )


def rekey_snapshot(snapshot: LiveState, desired: DesiredState) -> LiveState:
    """Map a snapshot's boards and workspaces onto the manifest's keys, as the reader would
    find them on monday (pinned id, else name or a previous name in the right workspace)."""
    live_workspaces = [w for w in snapshot.workspaces.values() if w is not None]
    workspaces: dict[str, Workspace | None] = {}
    for workspace in desired.workspaces:
        match = next(
            (
                w
                for w in live_workspaces
                if (w.id == workspace.id if workspace.id is not None else w.name == workspace.name)
            ),
            None,
        )
        workspaces[workspace.key] = None if match is None else replace(match, key=workspace.key)
    live_boards = [b for b in snapshot.boards.values() if b is not None]
    candidates = [
        BoardRef(id=b.id or "", name=b.name, workspace_id=b.workspace_id) for b in live_boards
    ]
    by_id = {b.id: b for b in live_boards}
    boards: dict[str, Board | None] = {}
    for board in desired.boards:
        if board.id is not None:
            found = by_id.get(board.id)
        else:
            exists, workspace_id = _board_workspace_id(board, workspaces)
            ref = match_board(board, workspace_id, candidates) if exists else None
            found = None if ref is None else by_id.get(ref.id)
        if found is not None and board.items is not None and found.items is None:
            raise LiveReadError(
                f"{board_address(board.key)}: the snapshot has no items for board "
                f"{found.name!r}; take it again with `boardops describe --items`"
            )
        boards[board.key] = None if found is None else replace(found, key=board.key)
    return replace(snapshot, workspaces=workspaces, boards=boards, source="snapshot")
