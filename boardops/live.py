"""Reading what monday holds for the objects a manifest names, into the model.

The reader finds each workspace and board the manifest names (a pinned id first, else the
name or one of its previous names within the right workspace), reads their structure and,
where the manifest declares items, their items, and converts it all into ``boardops.model``
objects with monday's ids beside the manifest's keys. It compares nothing and decides
nothing: that is the plan's job.

Requests: one for users (people values), one per page of workspaces or boards listed to
find things by name, one for the structure of up to ``boards_per_request`` boards together
with their first page of items, and one per further 500 items. What real accounts need
besides rides along in those: the main workspace's id comes from ``is_default_workspace``
in the listings and the boards' ``workspace``; board subscribers (for boards whose items
use people) and the account (its first day of the week, when week values need it and the
manifest does not fix ``week_start``; its tier, for a closed workspace) are selected in the
structure read. Only when no declared board exists yet does the account cost a request.

Every answer is read through one ``WireReader`` per read (``boardops.monday.wire``): a
harmless odd shape is a warning naming its field path, a needed value that is unusable
fails in one line. Where monday answers differently from its docs (status colours as
numbers, the main workspace by its real id, subitem boards in listings), see
``shared/monday-recorded-behaviour.md``; the rules are here once: ``status_color``,
``same_workspace``, ``board_ref_from_wire``.

With a read scope (``boardops.scope``, from the project configuration), ``read_live`` and
``describe`` place every workspace and board they are about to read from listings (id,
name, workspace; one ``boards_by_id`` request for boards pinned by id) and ask the scope
about it before the structure read: nothing of a board outside it is read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypeVar

from boardops import codec
from boardops.errors import LiveReadError
from boardops.gc_pause import collector_paused
from boardops.model import (
    BOARD_KINDS,
    LOCK_BOARD_NAME,
    MANAGED_COLUMN_TYPES,
    STATUS_COLOR_BY_ID,
    WEEK_STARTS,
    WORKSPACE_KINDS,
    Account,
    Board,
    BoardContents,
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
    effective_week_start,
    slug,
    workspace_address,
)
from boardops.monday import MondayClient
from boardops.monday.wire import WirePath, WireReader

if TYPE_CHECKING:
    from boardops.scope import ScopeCheck


# --- conversion from monday's JSON --------------------------------------------------------
# Every conversion reads through a ``WireReader`` (boardops.monday.wire): a needed value
# that is unusable fails in one line naming its path, anything else odd is a warning.

_MANAGED = frozenset(MANAGED_COLUMN_TYPES)
# Board types a listing keeps: real boards (``type`` null on older answers); subitem
# boards, documents and custom objects are never a manifest's board.
_LISTED_BOARD_TYPES = (None, "board")


def _reader(reader: WireReader | None) -> WireReader:
    return reader if reader is not None else WireReader()


def status_color(value: object, reader: WireReader, at: WirePath) -> str | None:
    """A status label's colour as its enum name, whether monday answers with the name
    (documented) or the colour's numeric id (recorded: ``"color": 1``). A number outside
    the colour table is kept as its digits, with a warning."""
    if value is None:
        return None
    if isinstance(value, str) and not value.isdigit():
        return value
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        name = STATUS_COLOR_BY_ID.get(int(value))
        if name is not None:
            return name
        reader.warn(at, f"colour number {value} is not a status colour boardops knows", "kept")
        return str(value)
    reader.warn(at, f"{type(value).__name__} where a status colour is expected", "read as none")
    return None


def _settings(
    raw: Mapping[str, Any], reader: WireReader, at: WirePath, needed: bool
) -> dict[str, Any]:
    """A column's settings object (also from JSON text). ``needed``: the column's labels
    are in it, so settings that cannot be read fail instead of reading as no labels."""
    settings = raw.get("settings")
    if settings is None:
        return {}
    problem = ""
    if isinstance(settings, str):  # settings_str, or a JSON scalar sent as text
        try:
            settings = json.loads(settings) if settings else {}
        except json.JSONDecodeError:
            problem = "text that is not JSON"
    if isinstance(settings, dict) and not problem:
        return settings
    problem = problem or "not an object"
    if needed:
        raise reader.fail(at / "settings", f"{problem}, where the column's labels are needed")
    reader.warn(at / "settings", problem, "ignored")
    return {}


def _labels_with_ids(
    labels: object, reader: WireReader, at: WirePath
) -> Iterator[tuple[Mapping[str, Any], WirePath, int]]:
    """A column's labels (a list the plan needs) with their ids; one without an id is
    skipped with a warning."""
    for label, where in reader.rows(labels, at, needed=True):
        label_id = reader.integer(label, "id", where)
        if label_id is None:
            reader.warn(where / "id", "a label without an id", "label skipped")
            continue
        yield label, where, label_id


def _status_labels(labels: object, reader: WireReader, at: WirePath) -> tuple[StatusLabel, ...]:
    read = [
        StatusLabel(
            label=reader.text(label, "label", where) or "",
            color=status_color(label.get("color"), reader, where / "color"),
            done=reader.flag(label, "is_done", where),
            description=reader.text(label, "description", where) or None,
            id=label_id,
            index=reader.integer(label, "index", where),
            deactivated=reader.flag(label, "is_deactivated", where),
        )
        for label, where, label_id in _labels_with_ids(labels, reader, at)
    ]
    return tuple(
        sorted(
            read, key=lambda label: (label.index if label.index is not None else 1_000, label.id)
        )
    )


def _dropdown_labels(labels: object, reader: WireReader, at: WirePath) -> tuple[DropdownLabel, ...]:
    return tuple(
        DropdownLabel(
            label=reader.text(label, "label", where) or "",
            id=label_id,
            deactivated=reader.flag(label, "is_deactivated", where),
        )
        for label, where, label_id in _labels_with_ids(labels, reader, at)
    )


def column_from_wire(
    raw: Mapping[str, Any], reader: WireReader | None = None, at: WirePath | None = None
) -> Column:
    """A ``Column`` from monday's ``Column`` object (id, title, type, settings, revision)."""
    r = _reader(reader)
    at = at if at is not None else WirePath.root("column")
    column_type = r.name(raw, "type", at)
    settings = _settings(raw, r, at, needed=column_type in ("status", "dropdown"))
    labels = settings.get("labels")
    where = at / "settings" / "labels"
    return Column(
        id=r.id(raw, "id", at),
        title=r.name(raw, "title", at),
        type=column_type,
        description=r.text(raw, "description", at) or None,
        status_labels=_status_labels(labels, r, where) if column_type == "status" else (),
        dropdown_labels=_dropdown_labels(labels, r, where) if column_type == "dropdown" else (),
        revision=r.optional_id(raw, "revision", at),
        settings=settings,
    )


def group_from_wire(raw: Mapping[str, Any], reader: WireReader, at: WirePath) -> Group:
    group_id = reader.id(raw, "id", at)
    return Group(
        key=group_id,
        id=group_id,
        title=reader.name(raw, "title", at),
        color=reader.text(raw, "color", at),
    )


def _cell_path(item: WirePath | None, index: int) -> WirePath:
    return (item if item is not None else WirePath.root("item")) / "column_values" / index


class CellReader:
    """Canonical values of stored cells (``ColumnValue`` id, value, text), for one read.

    A board repeats the same few stored values (its labels, small numbers, dates) across
    thousands of items, so each distinct stored value of a column is JSON-decoded and read
    through the codec once. Only immutable results (not lists or mappings) are kept, and
    only for as long as the reader (one board's conversion).
    """

    def __init__(self, directory: codec.Directory, reader: WireReader | None = None) -> None:
        self.directory = directory
        self.wire = _reader(reader)
        self._known: dict[tuple[str | None, str, str | None], JSONValue] = {}

    def read(
        self,
        column: Column,
        stored: object,
        text: object,
        item: WirePath | None = None,
        index: int = 0,
    ) -> JSONValue:
        """The canonical value of one cell, the ``index``-th column value of the item at
        ``item`` (which name it in warnings; the path is only built for a warning)."""
        if stored.__class__ is not str or not (text is None or text.__class__ is str):
            return self._read_odd(column, stored, text, _cell_path(item, index))
        key = (column.id, stored, text)
        try:
            return self._known[key]
        except KeyError:
            pass
        value = self._read(column, stored, text, _cell_path(item, index))
        if not isinstance(value, (list, dict)):
            self._known[key] = value
        return value

    def _read_odd(
        self, column: Column, stored: object, text: object, at: WirePath | None
    ) -> JSONValue:
        where = at if at is not None else WirePath.root("column_value")
        if text is not None and not isinstance(text, str):
            self.wire.warn(where / "text", "not text", "read as text")
            text = json.dumps(text) if isinstance(text, (dict, list)) else str(text)
        if stored is not None and not isinstance(stored, (str, dict, list)):
            # monday sends ``value`` JSON-encoded; a bare number or flag is read as is.
            self.wire.warn(where / "value", "not JSON text", "read as is")
        if isinstance(stored, str):
            return self._read(column, stored, text, where)
        return self._codec(column, stored, text, where)

    def _read(
        self, column: Column, stored: str, text: str | None, at: WirePath | None
    ) -> JSONValue:
        try:
            decoded: Any = json.loads(stored)
        except json.JSONDecodeError:
            where = at if at is not None else WirePath.root("column_value")
            self.wire.warn(where / "value", "text that is not JSON", "read from its text")
            decoded = stored
        return self._codec(column, decoded, text, at)

    def _codec(
        self, column: Column, stored: Any, text: str | None, at: WirePath | None
    ) -> JSONValue:
        try:
            return codec.from_wire(column, stored, text, self.directory)
        except codec.CodecError as error:
            where = at if at is not None else WirePath.root("column_value")
            self.wire.warn(where / "value", str(error), "read from its text")
            return (text or "").strip() or None


def item_from_wire(
    raw: Mapping[str, Any],
    columns: Mapping[str, Column],
    directory: codec.Directory,
    cells: CellReader | None = None,
    at: WirePath | None = None,
) -> Item:
    """An ``Item`` whose values are the codec's canonical human form, keyed by column id.

    Only managed column types are read; an empty value is left out. ``cells`` (made for
    ``directory``) lets the items of one board share the reading of repeated values, and
    its ``WireReader`` collects the warnings.
    """
    reader = cells if cells is not None else CellReader(directory)
    wire = reader.wire
    at = at if at is not None else WirePath.root("item")
    values: dict[str, JSONValue] = {}
    column_values = raw.get("column_values")
    if column_values.__class__ is not list:
        column_values = [cv for cv, _ in wire.objects(raw, "column_values", at, needed=True)]
    for index, cv in enumerate(column_values):
        if cv.__class__ is not dict:
            if isinstance(cv, Mapping):
                cv = dict(cv)
            else:
                raise wire.fail(at / "column_values" / index, "not an object")
        column_id = cv.get("id")
        column = columns.get(column_id if column_id.__class__ is str else str(column_id))
        if column is None or column.type not in _MANAGED:
            continue
        value = reader.read(column, cv.get("value"), cv.get("text"), at, index)
        if value is not None:
            values[column.id or column.title] = value
    group = raw.get("group")
    if group is not None and not isinstance(group, Mapping):
        raise wire.fail(at / "group", "not an object")
    # Checked inline first: this runs once per item of every board read.
    item_id, name = raw.get("id"), raw.get("name")
    group_id = None if group is None else group.get("id")
    return Item(
        id=item_id if item_id.__class__ is str and item_id else wire.id(raw, "id", at),
        name=name if name.__class__ is str else wire.name(raw, "name", at),
        group=group_id
        if group_id is None or group_id.__class__ is str
        else wire.optional_id(group, "id", at / "group"),  # type: ignore[arg-type]
        values=values,
    )


def _id_set(
    raw: Mapping[str, Any], key: str, reader: WireReader, at: WirePath
) -> frozenset[str] | None:
    """The ids of a list of objects (subscribers), None when the field was not read."""
    if key not in raw:
        return None
    ids: set[str] = set()
    for entry, where in reader.objects(raw, key, at):
        entry_id = reader.optional_id(entry, "id", where)
        if entry_id is None:
            reader.warn(where / "id", "no id", "skipped")
        else:
            ids.add(entry_id)
    return frozenset(ids)


def board_from_wire(
    key: str,
    raw: Mapping[str, Any],
    items: Iterable[Mapping[str, Any]] | None,
    directory: codec.Directory,
    reader: WireReader | None = None,
    at: WirePath | None = None,
) -> Board:
    """A live ``Board`` for the manifest key ``key``; ``items`` None: items not read.

    ``subscriber_ids`` / ``team_subscriber_ids`` are read when the answer holds
    ``subscribers`` / ``team_subscribers`` (None otherwise)."""
    r = _reader(reader)
    at = at if at is not None else WirePath.root("board")
    columns = tuple(
        column_from_wire(c, r, where)
        for c, where in r.objects(raw, "columns", at, needed=True)
        if not r.flag(c, "archived", where)
    )
    by_id = {c.id: c for c in columns if c.id is not None}
    groups = tuple(
        group_from_wire(g, r, where)
        for g, where in sorted(
            (
                (g, where)
                for g, where in r.objects(raw, "groups", at, needed=True)
                if not r.flag(g, "archived", where) and not r.flag(g, "deleted", where)
            ),
            key=lambda pair: _group_position(pair[0]),
        )
    )
    return Board(
        key=key,
        id=r.id(raw, "id", at),
        name=r.name(raw, "name", at),
        kind=r.choice(raw, "board_kind", at, BOARD_KINDS, "public"),
        workspace_id=r.optional_id(raw, "workspace_id", at),
        description=r.text(raw, "description", at) or None,
        columns=columns,
        groups=groups,
        items=None
        if items is None
        else ItemSet(rows=_items_from_wire(items, by_id, directory, r, at / "items")),
        state=r.text(raw, "state", at),
        updated_at=r.text(raw, "updated_at", at),
        subscriber_ids=_id_set(raw, "subscribers", r, at),
        team_subscriber_ids=_id_set(raw, "team_subscribers", r, at),
        contents=_contents(raw.get("items")),
    )


# Raw ``column_values.value`` of a cell that holds nothing.
_EMPTY_WIRE_VALUES = frozenset({"", "null", "{}", "[]", '""'})


def _contents(items: object) -> BoardContents | None:
    """Items by group and non-empty values by column, from the raw items of a board read
    (None when the answer holds no item list). Tolerant: odd shapes are not counted."""
    if not isinstance(items, list):
        return None
    by_group: dict[str, int] = {}
    by_column: dict[str, int] = {}
    for raw in items:
        if not isinstance(raw, Mapping):
            continue
        group = raw.get("group")
        if isinstance(group, Mapping) and group.get("id") is not None:
            group_id = str(group["id"])
            by_group[group_id] = by_group.get(group_id, 0) + 1
        cells = raw.get("column_values")
        for cell in cells if isinstance(cells, list) else ():
            if not isinstance(cell, Mapping) or cell.get("id") is None:
                continue
            value = cell.get("value")
            if value is None or (isinstance(value, str) and value.strip() in _EMPTY_WIRE_VALUES):
                continue
            column_id = str(cell["id"])
            by_column[column_id] = by_column.get(column_id, 0) + 1
    return BoardContents(items_by_group=by_group, values_by_column=by_column)


def _items_from_wire(
    items: Iterable[Mapping[str, Any]],
    columns: Mapping[str, Column],
    directory: codec.Directory,
    reader: WireReader,
    at: WirePath,
) -> tuple[Item, ...]:
    cells = CellReader(directory, reader)
    read: list[Item] = []
    for index, raw in enumerate(items):
        read.append(item_from_wire(raw, columns, directory, cells, at / index))
    return tuple(read)


def _group_position(raw: Mapping[str, Any]) -> float:
    try:
        return float(raw.get("position") or 0)
    except (TypeError, ValueError):
        return 0.0


def workspace_from_wire(
    key: str,
    raw: Mapping[str, Any],
    reader: WireReader | None = None,
    at: WirePath | None = None,
) -> Workspace:
    r = _reader(reader)
    at = at if at is not None else WirePath.root("workspace")
    return Workspace(
        key=key,
        id=r.optional_id(raw, "id", at),
        name=r.name(raw, "name", at),
        kind=r.choice(raw, "kind", at, WORKSPACE_KINDS, "open"),
        description=r.text(raw, "description", at) or None,
        is_default=r.flag(raw, "is_default_workspace", at),
    )


def user_from_wire(
    raw: Mapping[str, Any], reader: WireReader | None = None, at: WirePath | None = None
) -> User:
    """A ``User``; ``status`` and ``kind`` when the answer holds them (None otherwise)."""
    r = _reader(reader)
    at = at if at is not None else WirePath.root("user")
    email = r.text(raw, "email", at)
    if email is None:
        r.warn(at / "email", "no email", "the user can be named by id only")
    return User(
        id=r.id(raw, "id", at),
        name=r.text(raw, "name", at) or "",
        email=email or "",
        status=r.text(raw, "status", at),
        kind=r.text(raw, "kind", at),
    )


def account_from_wire(
    raw: Mapping[str, Any] | None,
    main_workspace_id: str | None,
    reader: WireReader | None = None,
) -> Account:
    """The ``Account`` from monday's ``me { id account }`` (None: not read, defaults kept)
    and the main workspace's id as the workspace listings report it."""
    r = _reader(reader)
    if raw is None:
        return Account(main_workspace_id=main_workspace_id)
    user_id = r.optional_id(raw, "id", WirePath.root("me"))
    at = WirePath.root("me") / "account"
    raw = r.mapping(raw, "account", WirePath.root("me"))
    if raw is None:
        return Account(main_workspace_id=main_workspace_id, user_id=user_id)
    plan = r.mapping(raw, "plan", at)
    tier = r.text(raw, "tier", at)
    if tier is None and plan is not None:
        tier = r.text(plan, "tier", at / "plan")
    return Account(
        week_start=r.choice(raw, "first_day_of_the_week", at, WEEK_STARTS, "monday"),
        tier=tier,
        main_workspace_id=main_workspace_id,
        user_id=user_id,
    )


# --- finding the manifest's objects -------------------------------------------------------


@dataclass(frozen=True)
class BoardRef:
    """Enough of a listed board to recognise it: id, name, workspace."""

    id: str
    name: str
    workspace_id: str | None


def board_ref_from_wire(
    raw: Mapping[str, Any], reader: WireReader, at: WirePath
) -> BoardRef | None:
    """A listed board as a ``BoardRef``; None for what is not a board a manifest can name
    (``type`` other than ``board`` or null: subitem boards, documents, custom objects)."""
    if raw.get("type") not in _LISTED_BOARD_TYPES:
        return None
    return BoardRef(
        id=reader.id(raw, "id", at),
        name=reader.name(raw, "name", at),
        workspace_id=reader.optional_id(raw, "workspace_id", at),
    )


def same_workspace(a: str | None, b: str | None, main_workspace_id: str | None) -> bool:
    """Whether two workspace ids name the same workspace, None standing for the main one.

    monday reports the main workspace as null (documented) or, on accounts migrated to
    multi-product, as its real id (recorded behaviour, section 3): with its id known,
    null and that id are the same workspace.
    """
    if a == b:
        return True
    return main_workspace_id is not None and {a, b} == {None, main_workspace_id}


def match_board(
    desired: Board,
    workspace_id: str | None,
    candidates: Sequence[BoardRef],
    main_workspace_id: str | None = None,
) -> BoardRef | None:
    """The live board a desired board stands for: by current name, else a previous name.

    Two live boards answering to the same name in one workspace are ambiguous, and so are
    a board with the current name beside another with a previous name: the reader refuses
    to guess (pin the board's ``id`` in the manifest).
    """
    in_workspace = [
        c for c in candidates if same_workspace(c.workspace_id, workspace_id, main_workspace_id)
    ]
    return match_named(
        board_address(desired.key),
        "board",
        desired.name,
        desired.previous_names,
        in_workspace,
        "in this workspace",
    )


_Named = TypeVar("_Named", BoardRef, Workspace)


def match_named(
    address: str,
    what: str,
    name: str,
    previous_names: Sequence[str],
    candidates: Sequence[_Named],
    where: str,
) -> _Named | None:
    """The one candidate (a listed board or workspace) named ``name``, else the one named
    by a previous name; the identity rule for everything found by name, written once.

    Several with one name, or one with the name and another with a previous name (a new
    object with the new name beside the one to rename), fail naming their ids."""
    current = [c for c in candidates if c.name == name]
    earlier = [c for c in candidates if c.name in previous_names and c.name != name]
    for found in (current, earlier):
        if len(found) > 1:
            ids = ", ".join(sorted(str(c.id) for c in found))
            raise LiveReadError(
                f"{address}: {len(found)} {what}s named {found[0].name!r} {where} "
                f"(ids {ids}); pin one with `id:`"
            )
    if current and earlier:
        raise LiveReadError(
            f"{address}: {what} {current[0].id} has the name {name!r} and {what} "
            f"{earlier[0].id} the previous name {earlier[0].name!r} {where}; which one to "
            f"keep is ambiguous: pin it with `id:`, or drop the previous name"
        )
    if current:
        return current[0]
    return earlier[0] if earlier else None


def now_utc() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _declares_items_of(board: Board, column_type: str) -> bool:
    return board.items is not None and any(c.type == column_type for c in board.columns)


def needs_users(desired: DesiredState) -> bool:
    return any(_declares_items_of(board, "people") for board in desired.boards)


def needs_account(desired: DesiredState) -> bool:
    """Whether the plan needs the account: its first day of the week for week values the
    manifest does not fix with ``week_start:``, its tier for a closed workspace, or the
    token's user (a new board's first member) for people values."""
    weeks = desired.week_start is None and any(
        _declares_items_of(board, "week") for board in desired.boards
    )
    return weeks or needs_users(desired) or any(w.kind == "closed" for w in desired.workspaces)


class _Listings:
    """The rows of one read's listings, through one ``WireReader``; remembers the main
    workspace's id wherever an answer reveals it (``is_default_workspace``)."""

    def __init__(self, client: MondayClient, reader: WireReader) -> None:
        self.client = client
        self.reader = reader
        self.main_workspace_id: str | None = None
        self.main_workspace_seen = False
        self._listed: dict[tuple[str, ...] | None, list[tuple[BoardRef, Mapping[str, Any]]]] = {}
        self._workspaces: list[Workspace] | None = None
        self._refs: dict[str, BoardRef] = {}

    def _default(self, workspace: Mapping[str, Any] | None, at: WirePath) -> None:
        if workspace is None or self.main_workspace_seen:
            return
        if self.reader.flag(workspace, "is_default_workspace", at):
            self.main_workspace_seen = True
            self.main_workspace_id = self.reader.optional_id(workspace, "id", at)

    def workspaces(self) -> list[Workspace]:
        """Every workspace the token sees (listed once per read)."""
        if self._workspaces is not None:
            return self._workspaces
        found = []
        at = WirePath.root("workspaces")
        for raw, where in self.reader.rows(list(self.client.iter_workspaces()), at):
            workspace = workspace_from_wire("", raw, self.reader, where)
            found.append(replace(workspace, key=workspace.name))
            self._default(raw, where)
        self._workspaces = found
        return found

    def boards(
        self, workspace_ids: Sequence[str] | None = None
    ) -> list[tuple[BoardRef, Mapping[str, Any]]]:
        """Listed boards (subitem boards, documents and custom objects left out); each
        listing is read once per read."""
        cache_key = None if workspace_ids is None else tuple(workspace_ids)
        known = self._listed.get(cache_key)
        if known is not None:
            return known
        listed: list[tuple[BoardRef, Mapping[str, Any]]] = []
        at = WirePath.root("boards")
        rows = list(self.client.iter_boards(workspace_ids=workspace_ids))
        for raw, where in self.reader.rows(rows, at):
            self.see_board(raw, where)
            ref = board_ref_from_wire(raw, self.reader, where)
            if ref is not None:
                listed.append((ref, raw))
                self._refs[ref.id] = ref
        self._listed[cache_key] = listed
        return listed

    def refs(self, board_ids: Iterable[str]) -> dict[str, BoardRef]:
        """The boards among ``board_ids`` that exist, placed (id, name, workspace) from
        the listings read so far, else by one request for nothing but that."""
        wanted = sorted(set(board_ids), key=lambda i: (len(i), i))
        unknown = [board_id for board_id in wanted if board_id not in self._refs]
        if unknown:
            at = WirePath.root("boards")
            for raw, where in self.reader.rows(self.client.boards_by_id(unknown), at):
                self.see_board(raw, where)
                ref = board_ref_from_wire(raw, self.reader, where)
                if ref is not None:
                    self._refs[ref.id] = ref
        return {board_id: self._refs[board_id] for board_id in wanted if board_id in self._refs}

    def is_main(self, workspace_id: str | None) -> bool:
        """Whether a workspace id (None: the documented null) is the main workspace, as
        far as the answers read so far tell."""
        if workspace_id is None or workspace_id == self.main_workspace_id:
            return True
        return any(w.id == workspace_id and w.is_default for w in self._workspaces or ())

    def see_board(self, raw: Mapping[str, Any], at: WirePath) -> None:
        """Note the main workspace from a board's ``workspace { id is_default_workspace }``."""
        self._default(self.reader.mapping(raw, "workspace", at), at / "workspace")


def find_board_id(client: MondayClient, name: str, workspace_id: str | None) -> str | None:
    """The id of the one listed board named ``name`` in a workspace (None: the main one),
    found as the plan finds boards; None when there is none, or more than one."""
    listings = _Listings(client, WireReader())
    listed = listings.boards(None if workspace_id is None else [workspace_id])
    matches = [
        ref.id
        for ref, _ in listed
        if ref.name == name
        and same_workspace(ref.workspace_id, workspace_id, listings.main_workspace_id)
    ]
    return matches[0] if len(matches) == 1 else None


# --- reading ----------------------------------------------------------------------------


def read_live(
    client: MondayClient, desired: DesiredState, *, scope: ScopeCheck | None = None
) -> LiveState:
    """What monday holds for every workspace and board ``desired`` names.

    ``scope`` (``boardops.scope``): a workspace or board outside it, where it is on monday
    or where the manifests would create it, fails with ``OutOfScope`` before anything of
    it but its id, name and workspace is read."""
    # Decoding and converting every item builds a large, acyclic graph: see
    # collector_paused for why the cyclic collector is kept out of it.
    reader = WireReader()
    with collector_paused():
        live = _read_live(client, desired, reader, scope)
    reader.finish()
    return live


def _read_live(
    client: MondayClient, desired: DesiredState, reader: WireReader, scope: ScopeCheck | None
) -> LiveState:
    read_at = now_utc()
    listings = _Listings(client, reader)
    workspaces = _find_workspaces(listings, desired)
    if scope is not None:
        _check_places(scope, listings, desired, workspaces)
    board_ids = _find_board_ids(listings, desired, workspaces)
    found_ids = {board_id for board_id in board_ids.values() if board_id is not None}
    if scope is not None:
        found_ids = _check_found_boards(scope, listings, desired, board_ids)
    wanted = sorted(found_ids)
    with_people = {board_ids[b.key] for b in desired.boards if _declares_items_of(b, "people")} - {
        None
    }
    want_account = needs_account(desired)
    raw_boards: dict[str, tuple[Mapping[str, Any], WirePath]] = {}
    raw_account: Mapping[str, Any] | None = None
    if wanted:
        read = client.read_structure(
            wanted, subscribers_of=sorted(i for i in with_people if i), account=want_account
        )
        raw_account = read.account
        for raw, where in reader.rows(read.boards, WirePath.root("boards")):
            listings.see_board(raw, where)
            raw_boards[reader.id(raw, "id", where)] = (raw, where)
    if want_account and raw_account is None:
        raw_account = client.account()

    for key, board_id in board_ids.items():
        board = desired.board(key)
        if board is not None and board.id is not None and board_id not in raw_boards:
            raise LiveReadError(
                f"{board_address(key)}: no active board with the pinned id {board.id}"
            )

    account = (
        account_from_wire(raw_account, listings.main_workspace_id, reader)
        if raw_account is not None or listings.main_workspace_seen
        else None
    )
    users = _users(client, reader) if needs_users(desired) else ()
    tags = (
        _tags(client, reader)
        if _needs_tags(desired, [raw for raw, _ in raw_boards.values()])
        else {}
    )
    directory = codec.Directory(
        users=users, tags=tags, week_start=effective_week_start(desired.week_start, account)
    )

    boards: dict[str, Board | None] = {}
    for board in desired.boards:
        board_id = board_ids.get(board.key)
        found = raw_boards.get(board_id) if board_id is not None else None
        if found is None:
            boards[board.key] = None
            continue
        raw, where = found
        items = raw.get("items") if board.items is not None else None
        boards[board.key] = board_from_wire(board.key, raw, items, directory, reader, where)
    return LiveState(
        workspaces=workspaces,
        boards=boards,
        users=users,
        account=account,
        source="api",
        read_at=read_at,
    )


def _users(client: MondayClient, reader: WireReader) -> tuple[User, ...]:
    at = WirePath.root("users")
    return tuple(
        user_from_wire(raw, reader, where) for raw, where in reader.rows(client.users(), at)
    )


def _tags(client: MondayClient, reader: WireReader) -> dict[str, int]:
    tags: dict[str, int] = {}
    for raw, where in reader.rows(client.tags(), WirePath.root("tags")):
        tag_id = reader.integer(raw, "id", where)
        if tag_id is None:
            reader.warn(where / "id", "a tag without a numeric id", "skipped")
            continue
        tags[reader.name(raw, "name", where)] = tag_id
    return tags


def _find_workspaces(listings: _Listings, desired: DesiredState) -> dict[str, Workspace | None]:
    if not desired.workspaces:
        return {}
    listed = listings.workspaces()
    found: dict[str, Workspace | None] = {}
    for workspace in desired.workspaces:
        match = find_workspace(workspace, listed)
        found[workspace.key] = replace(match, key=workspace.key) if match else None
    _check_one_entry_each(
        "workspace", {key: w.id for key, w in found.items() if w is not None}, workspace_address
    )
    return found


def find_workspace(workspace: Workspace, listed: Sequence[Workspace]) -> Workspace | None:
    """The live workspace a desired one stands for: a pinned id, else its name or one of
    its previous names (``match_named``)."""
    if workspace.id is not None:
        return next((w for w in listed if w.id == workspace.id), None)
    return match_named(
        workspace_address(workspace.key),
        "workspace",
        workspace.name,
        workspace.previous_names,
        listed,
        "on this account",
    )


def _check_one_entry_each(
    what: str, ids: Mapping[str, str | None], address: Callable[[str], str]
) -> None:
    """Two manifest entries standing for one live object (one by name, one by a pinned
    id, say) would be planned as two and, with prune, undo each other: refused."""
    keys_by_id: dict[str, list[str]] = {}
    for key, live_id in ids.items():
        if live_id is not None:
            keys_by_id.setdefault(live_id, []).append(key)
    for live_id, keys in sorted(keys_by_id.items()):
        if len(keys) > 1:
            names = " and ".join(address(key) for key in sorted(keys))
            raise LiveReadError(
                f"{names} both stand for the live {what} {live_id}; one manifest entry per "
                f"{what} (drop one, or fix its `id:` or name)"
            )


def _board_workspace_id(
    board: Board, workspaces: Mapping[str, Workspace | None]
) -> tuple[bool, str | None]:
    """(exists, id) of the workspace a desired board lives in; id None = main workspace."""
    if board.workspace is not None:
        live = workspaces.get(board.workspace)
        return (live is not None, None if live is None else live.id)
    return (True, board.workspace_id)


def _find_board_ids(
    listings: _Listings,
    desired: DesiredState,
    workspaces: Mapping[str, Workspace | None],
) -> dict[str, str | None]:
    """Each desired board's live id: its pinned id, else its name (or a previous name) in
    its workspace, else (a move) in another workspace the manifest names or the main
    workspace (``_find_moved``). Two entries standing for one board fail here, before
    the boards are read."""
    ids: dict[str, str | None] = {}
    by_name: list[tuple[Board, str | None]] = []
    for board in desired.boards:
        if board.id is not None:
            ids[board.key] = board.id
            continue
        exists, workspace_id = _board_workspace_id(board, workspaces)
        if not exists:
            ids[board.key] = None  # its workspace is yet to be created: looked for elsewhere
        else:
            by_name.append((board, workspace_id))
    if by_name:
        in_main = any(workspace_id is None for _, workspace_id in by_name)
        listed = listings.boards(
            workspace_ids=None if in_main else sorted({ws for _, ws in by_name if ws is not None})
        )
        candidates = [ref for ref, _ in listed]
        for board, workspace_id in by_name:
            match = match_board(board, workspace_id, candidates, listings.main_workspace_id)
            ids[board.key] = None if match is None else match.id
    _find_moved(listings, desired, workspaces, ids)
    _check_one_entry_each("board", ids, board_address)
    return ids


def _find_moved(
    listings: _Listings,
    desired: DesiredState,
    workspaces: Mapping[str, Workspace | None],
    ids: dict[str, str | None],
) -> None:
    """Boards not found in their workspace, looked for (by name, then previous name) in
    the other places this manifest holds boards in: its workspaces that exist, the
    workspaces boards pin by id, and the main workspace when a board of the manifest is
    there. Found there, the plan moves them; a board another entry stands for is never a
    candidate. A place the manifest no longer names is not searched (pin the board's
    ``id`` to move it from there)."""
    missing = [b for b in desired.boards if b.id is None and ids.get(b.key) is None]
    places: set[str | None] = set()
    for board in desired.boards:
        exists, workspace_id = _board_workspace_id(board, workspaces)
        if exists:
            places.add(workspace_id)
    places.update(w.id for w in workspaces.values() if w is not None and w.id is not None)
    own = {_board_workspace_id(b, workspaces) for b in missing}
    if not missing or all(exists and places <= {ws} for exists, ws in own) or not places:
        return
    listed = [
        ref
        for ref, _ in listings.boards(
            workspace_ids=None if None in places else sorted(p for p in places if p is not None)
        )
    ]
    main = listings.main_workspace_id
    claimed = {board_id for board_id in ids.values() if board_id is not None}
    elsewhere = [
        ref
        for ref in listed
        if ref.id not in claimed and any(same_workspace(ref.workspace_id, p, main) for p in places)
    ]
    for board in missing:
        exists, workspace_id = _board_workspace_id(board, workspaces)
        others = [
            ref
            for ref in elsewhere
            if not (exists and same_workspace(ref.workspace_id, workspace_id, main))
        ]
        match = match_named(
            board_address(board.key),
            "board",
            board.name,
            board.previous_names,
            others,
            "in the other workspaces of this manifest",
        )
        if match is not None:
            ids[board.key] = match.id


def _needs_tags(desired: DesiredState, raw_boards: Iterable[Mapping[str, Any]]) -> bool:
    wants_items = {b.key for b in desired.boards if b.items is not None}
    if not wants_items:
        return False
    return any(
        isinstance(column, Mapping) and column.get("type") == "tags"
        for raw in raw_boards
        for column in _list(raw.get("columns"))
    )


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# --- the read scope (boardops.scope) -------------------------------------------------
# Every board is checked where it is, from its id, name and workspace only, before the
# structure read (columns, groups, items) is sent.


def _place(
    scope: ScopeCheck, listings: _Listings, workspace_id: str | None
) -> tuple[bool, str | None]:
    """(whether it is the main workspace, its name when the scope needs it) of a board's
    workspace id (None: the main workspace as documented)."""
    if workspace_id is None or listings.is_main(workspace_id):
        return True, None
    listed = next((w for w in listings.workspaces() if w.id == workspace_id), None)
    if listed is not None and listed.is_default:
        return True, None
    return False, listed.name if listed is not None and scope.names_workspaces else None


def _check_board(
    scope: ScopeCheck,
    listings: _Listings,
    what: str,
    board_id: str | None,
    name: str,
    workspace_id: str | None,
) -> None:
    main, workspace_name = _place(scope, listings, workspace_id)
    scope.check_board(
        what, board_id, name, workspace_id=workspace_id, workspace_name=workspace_name, main=main
    )


def _check_board_ref(scope: ScopeCheck, listings: _Listings, what: str, ref: BoardRef) -> None:
    _check_board(scope, listings, what, ref.id, ref.name, ref.workspace_id)


def _check_live_workspace(
    scope: ScopeCheck, listings: _Listings, what: str, workspace: Workspace
) -> None:
    main = workspace.is_default or (
        workspace.id is not None and workspace.id == listings.main_workspace_id
    )
    scope.check_workspace(what, workspace.id, workspace.name, main=main)


def _check_places(
    scope: ScopeCheck,
    listings: _Listings,
    desired: DesiredState,
    workspaces: Mapping[str, Workspace | None],
) -> None:
    """The manifests' workspaces (where they are, else as they would be created) and the
    places their boards outside them would be created in (the main workspace, or a
    workspace pinned by id) must be in scope."""
    for workspace in desired.workspaces:
        address = workspace_address(workspace.key)
        live = workspaces.get(workspace.key)
        if live is not None:
            _check_live_workspace(scope, listings, address, live)
        else:
            scope.check_workspace(address, workspace.id, workspace.name, main=False)
    for board in desired.boards:
        if board.workspace is None:  # else in a workspace of the manifests, checked above
            address = board_address(board.key)
            _check_board(scope, listings, address, board.id, board.name, board.workspace_id)


def _check_found_boards(
    scope: ScopeCheck,
    listings: _Listings,
    desired: DesiredState,
    board_ids: Mapping[str, str | None],
) -> set[str]:
    """The live boards the manifests' boards stand for (pinned, or found by name), each
    where it is: the ids that may be read (a pinned id that names no board is left for
    the reader to report)."""
    refs = listings.refs(board_id for board_id in board_ids.values() if board_id is not None)
    for board in desired.boards:
        board_id = board_ids.get(board.key)
        ref = refs.get(board_id) if board_id is not None else None
        if ref is not None:
            _check_board_ref(scope, listings, board_address(board.key), ref)
    return set(refs)


# --- describe and snapshots -----------------------------------------------------------


def describe(
    client: MondayClient,
    *,
    boards: Sequence[str] = (),
    workspaces: Sequence[str] = (),
    with_items: bool = False,
    scope: ScopeCheck | None = None,
) -> LiveState:
    """The live state of boards named by id or name, or of every board in workspaces.

    Boards are keyed by the slug of their name (``#<id>`` appended when two share a slug).
    Subitem boards (and documents) are never listed. ``scope``: a board or workspace
    outside it fails with ``OutOfScope`` naming the ``--board`` or ``--workspace`` given,
    before anything of it but its id, name and workspace is read.
    """
    reader = WireReader()
    live = _describe(client, boards, workspaces, with_items, reader, scope)
    reader.finish()
    return live


def _describe(
    client: MondayClient,
    boards: Sequence[str],
    workspaces: Sequence[str],
    with_items: bool,
    reader: WireReader,
    scope: ScopeCheck | None,
) -> LiveState:
    read_at = now_utc()
    listings = _Listings(client, reader)
    ids: list[str] = [ref for ref in boards if ref.isdigit()]
    names = [ref for ref in boards if not ref.isdigit()]
    wanted_workspaces: dict[str, Workspace] = {}
    if workspaces:
        listed = listings.workspaces()
        for name in workspaces:
            matches = [w for w in listed if w.name == name or w.id == name]
            if not matches:
                raise LiveReadError(f"no workspace named {name!r}")
            for match in matches:
                if scope is not None:
                    _check_live_workspace(scope, listings, f"--workspace {name!r}", match)
                wanted_workspaces[match.name] = match
    if scope is not None and ids:
        refs = listings.refs(ids)
        for board_id in ids:
            if board_id in refs:
                _check_board_ref(scope, listings, f"--board {board_id}", refs[board_id])
        missing_ids = sorted(set(ids) - set(refs))
        if missing_ids:
            raise LiveReadError(f"no active board with id {', '.join(missing_ids)}")
    if names or wanted_workspaces:
        listing = listings.boards()
        for name in names:
            found = [ref for ref, _ in listing if ref.name == name]
            if not found:
                raise LiveReadError(f"no active board named {name!r}")
            if len(found) > 1:
                listed_ids = ", ".join(sorted(ref.id for ref in found))
                raise LiveReadError(
                    f"{len(found)} boards are named {name!r} (ids {listed_ids}); give an id"
                )
            if scope is not None:
                _check_board_ref(scope, listings, f"--board {name!r}", found[0])
            ids.append(found[0].id)
        main = listings.main_workspace_id
        for ref, _ in listing:
            home = next(
                (
                    w
                    for w in wanted_workspaces.values()
                    if same_workspace(ref.workspace_id, w.id, main)
                ),
                None,
            )
            if home is None or ref.name == LOCK_BOARD_NAME:
                continue
            if scope is not None:
                _check_board_ref(scope, listings, f"--workspace {home.name!r}", ref)
            ids.append(ref.id)
    unique_ids = sorted(set(ids), key=lambda i: (len(i), i))
    raw_boards: list[tuple[Mapping[str, Any], WirePath]] = []
    if unique_ids:
        people = unique_ids if with_items else []
        read = client.read_structure(unique_ids, subscribers_of=people)
        raw_boards = list(reader.rows(read.boards, WirePath.root("boards")))
    by_id = {reader.id(raw, "id", where): (raw, where) for raw, where in raw_boards}
    missing = set(unique_ids) - set(by_id)
    if missing:
        raise LiveReadError(f"no active board with id {', '.join(sorted(missing))}")
    for raw, where in raw_boards:
        listings.see_board(raw, where)
    users: tuple[User, ...] = ()
    tags: dict[str, int] = {}
    if with_items:
        columns = [
            c for raw, _ in raw_boards for c in _list(raw.get("columns")) if isinstance(c, Mapping)
        ]
        if any(c.get("type") == "people" for c in columns):
            users = _users(client, reader)
        if any(c.get("type") == "tags" for c in columns):
            tags = _tags(client, reader)
    directory = codec.Directory(users=users, tags=tags)
    keyed: dict[str, Board | None] = {}
    for raw, where in raw_boards:
        board = board_from_wire(
            "", raw, raw.get("items") if with_items else None, directory, reader, where
        )
        key = slug(board.name)
        if key in keyed:
            key = f"{key}#{board.id}"
        keyed[key] = replace(board, key=key)
    return LiveState(
        workspaces={
            name: replace(workspace, key=name) for name, workspace in wanted_workspaces.items()
        },
        boards=keyed,
        users=users,
        account=Account(main_workspace_id=listings.main_workspace_id)
        if listings.main_workspace_seen
        else None,
        source="api",
        read_at=read_at,
    )


def rekey_snapshot(snapshot: LiveState, desired: DesiredState) -> LiveState:
    """Map a snapshot's boards and workspaces onto the manifest's keys, as the reader would
    find them on monday (pinned id, else name or a previous name in the right workspace)."""
    live_workspaces = [w for w in snapshot.workspaces.values() if w is not None]
    main_workspace_id = (
        snapshot.account.main_workspace_id
        if snapshot.account is not None
        else next((w.id for w in live_workspaces if w.is_default), None)
    )
    workspaces: dict[str, Workspace | None] = {}
    for workspace in desired.workspaces:
        match = find_workspace(workspace, live_workspaces)
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
            ref = (
                match_board(board, workspace_id, candidates, main_workspace_id) if exists else None
            )
            found = None if ref is None else by_id.get(ref.id)
        if found is not None and board.items is not None and found.items is None:
            raise LiveReadError(
                f"{board_address(board.key)}: the snapshot has no items for board "
                f"{found.name!r}; take it again with `boardops describe --items`"
            )
        boards[board.key] = None if found is None else replace(found, key=board.key)
    _check_one_entry_each(
        "board", {key: b.id for key, b in boards.items() if b is not None}, board_address
    )
    return replace(snapshot, workspaces=workspaces, boards=boards, source="snapshot")
