"""Converting monday's JSON answers into ``boardops.model`` objects: workspaces, boards
with their columns, labels and groups, items and their cells, users and the account.

Every conversion reads through a ``WireReader`` (``boardops.monday.wire``): a needed value
that is unusable fails in one line naming its path, anything else odd is a warning. Where
monday answers differently from its docs (status colours as numbers), the rule is here
once: ``status_color``. ``boardops.live`` finds the objects and reads them through these.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from boardops import codec
from boardops.model import (
    BOARD_KINDS,
    STATUS_COLOR_BY_ID,
    WEEK_STARTS,
    WORKSPACE_KINDS,
    Account,
    Board,
    BoardContents,
    BoardRole,
    Column,
    DropdownLabel,
    Folder,
    Group,
    Item,
    ItemNickname,
    ItemSet,
    JSONValue,
    StatusLabel,
    User,
    Workspace,
)
from boardops.monday.wire import WirePath, WireReader
from boardops.relations import read_column_structure

_MANAGED = frozenset(codec.MANAGED_COLUMN_TYPES)


def _reader(reader: WireReader | None) -> WireReader:
    return reader if reader is not None else WireReader()


def _start(
    reader: WireReader | None, at: WirePath | None, kind: str
) -> tuple[WireReader, WirePath]:
    """The reader (a new one when none is given) and where the object stands (the root of
    a ``kind`` when not said)."""
    return _reader(reader), (at if at is not None else WirePath.root(kind))


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
    if settings is None:  # an account or version that answers only the legacy string
        settings = raw.get("settings_str")
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
    r, at = _start(reader, at, "column")
    column_type = r.name(raw, "type", at)
    settings = _settings(raw, r, at, needed=column_type in ("status", "dropdown"))
    labels = settings.get("labels")
    where = at / "settings" / "labels"
    column = Column(
        id=r.id(raw, "id", at),
        title=r.name(raw, "title", at),
        type=column_type,
        description=r.text(raw, "description", at) or None,
        status_labels=_status_labels(labels, r, where) if column_type == "status" else (),
        dropdown_labels=_dropdown_labels(labels, r, where) if column_type == "dropdown" else (),
        revision=r.optional_id(raw, "revision", at),
        settings=settings,
        width=r.integer(raw, "width", at),
    )
    # connect-boards and mirror columns: what they connect and show (boardops.relations)
    return read_column_structure(
        column, lambda problem: r.warn(at / "settings", problem, "read tolerantly")
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


def _linked(column: Column, ids: object, reader: CellReader, at: WirePath) -> JSONValue:
    """A connect-boards or dependency value from ``linked_item_ids`` (its ``text`` and
    ``value`` are null since 2025-04): the linked ids as ``"#ID"``, which
    ``boardops.links`` then names by match key."""
    if ids is None or ids == []:
        return None
    stored: JSONValue = {"linked_item_ids": ids} if isinstance(ids, list) else None
    value = codec.from_wire(column, stored, None, reader.directory) if stored else None
    if value is None:
        reader.wire.warn(at / "linked_item_ids", "not a list of item ids", "read as empty")
    return value


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
        if "linked_item_ids" in cv:
            value = _linked(column, cv["linked_item_ids"], reader, at / "column_values" / index)
        else:
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


# ``Board.permissions`` -> the basic role that sets it: the values of ``BoardEditPermissions``
# that ``set_board_permission`` answers for each role (see README, Access).
ROLE_BY_PERMISSIONS: Mapping[str, BoardRole] = {
    "everyone": "editor",
    "collaborators": "contributor",
    "owners": "viewer",
}


def role_of_permissions(permissions: object) -> BoardRole | None:
    """The role a board's ``permissions`` stands for; None: not read, or not one known."""
    return ROLE_BY_PERMISSIONS.get(permissions) if isinstance(permissions, str) else None


def workspace_members_from_wire(
    workspace: Workspace, raw: Mapping[str, Any], reader: WireReader, at: WirePath
) -> Workspace:
    """``workspace`` with the members a ``workspace_members`` answer lists."""
    return replace(
        workspace,
        member_ids=_id_set(raw, "users_subscribers", reader, at),
        owner_ids=_id_set(raw, "owners_subscribers", reader, at),
        team_member_ids=_id_set(raw, "teams_subscribers", reader, at),
        team_owner_ids=_id_set(raw, "team_owners_subscribers", reader, at),
    )


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
    r, at = _start(reader, at, "board")
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
        owner_ids=_id_set(raw, "owners", r, at),
        team_owner_ids=_id_set(raw, "team_owners", r, at),
        role=role_of_permissions(raw.get("permissions")),
        permissions=raw.get("permissions") if isinstance(raw.get("permissions"), str) else None,
        contents=_contents(raw.get("items")),
        # The folder's path is filled in by the reader once it read the folders.
        folder_id=r.optional_id(raw, "board_folder_id", at),
        folder="" if "board_folder_id" in raw and raw["board_folder_id"] is None else None,
        item_nickname=_item_nickname(raw, r, at),
    )


def _item_nickname(raw: Mapping[str, Any], r: WireReader, at: WirePath) -> ItemNickname | None:
    """``Board.item_terminology`` (one word, "item" by default) as the nickname's singular;
    None when not read or empty."""
    term = r.text(raw, "item_terminology", at) if "item_terminology" in raw else None
    return ItemNickname(singular=term) if term else None


def folder_from_wire(raw: Mapping[str, Any], r: WireReader, at: WirePath) -> Folder:
    """A listed folder, flat: its parent and workspace by id (None: at the top, in the
    main workspace), the boards it holds (None when ``children`` was not an array)."""
    parent = raw.get("parent")
    workspace = raw.get("workspace")
    children = raw.get("children")
    color = r.text(raw, "color", at) if "color" in raw else None
    return Folder(
        id=r.id(raw, "id", at),
        name=r.name(raw, "name", at),
        color=None if color in (None, "", "NULL") else str(color).lower(),
        parent_id=r.optional_id(parent, "id", at / "parent")
        if isinstance(parent, Mapping)
        else None,
        workspace_id=r.optional_id(workspace, "id", at / "workspace")
        if isinstance(workspace, Mapping)
        else None,
        board_ids=tuple(
            str(c["id"]) for c in children if isinstance(c, Mapping) and c.get("id") is not None
        )
        if isinstance(children, list)
        else None,
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
    r, at = _start(reader, at, "workspace")
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
    r, at = _start(reader, at, "user")
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
