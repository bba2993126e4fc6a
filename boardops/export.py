"""Live boards -> a manifest (format v1) that describes them: ``boardops export``.

The promise: ``boardops plan`` against the exported manifest reports no changes while the
boards stay as they are. To keep it, the exporter writes only what boardops manages and
reads back exactly:

* boards, groups and the workspace are pinned by their monday ids, so renaming one in the
  UI later shows up as a change instead of a new object (``pin_ids=False`` names them
  instead, for a manifest another account can use); columns are pinned by id only
  when the id is one a manifest can hold (a custom id of ``a-z`` and ``_``), else they are
  identified by title;
* columns of types boardops cannot manage (formula, files, ...) become comments
  saying why they are left out; so do deactivated status and dropdown labels;
* item values are the codec's canonical human form (people as emails where the account
  knows them); each one is normalised again before it is written, and a value that would
  not read back equal is left out with a comment rather than exported wrong;
* every ``${`` in a string written (names, titles, labels, descriptions, keys, and every
  part of a structured value) is written ``$${``, which the manifest loader reads back as
  ``${``: a monday user cannot plant an ``${env:...}`` reference for the next plan;
* the output is deterministic: the same live boards give the same text, byte for byte.

Where a manifest cannot express what monday holds (two columns sharing a title, two items
sharing their match key), the export stops with an ``ExportError`` that says what to fix,
rather than write a manifest that would not validate or would plan changes.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from boardops import codec, column_settings
from boardops.errors import ExportError
from boardops.export_access import AccessWriter
from boardops.export_folders import board_placement_lines, workspace_folder_lines
from boardops.export_links import export_order, name_links
from boardops.export_relations import relation_fields
from boardops.export_subitems import subitem_rows, subitems_block
from boardops.export_yaml import YamlText, mapping_line, scalar
from boardops.from_wire import workspace_from_wire
from boardops.identity import match_key_parts
from boardops.links import LINK_TYPES
from boardops.live import describe
from boardops.live_access import with_access
from boardops.manifest import validate_paths
from boardops.model import (
    CREATABLE_COLUMN_ID,
    NAME_KEY,
    PINNABLE_COLUMN_ID,
    STATUS_COLOR_IDS,
    Board,
    Column,
    DropdownLabel,
    Item,
    JSONValue,
    LiveState,
    StatusLabel,
    Workspace,
    board_address,
    slug,
)
from boardops.monday import MondayClient
from boardops.monday.wire import WirePath, WireReader
from boardops.relations import RELATION_COLUMN_TYPES
from boardops.scope import ScopeCheck

__all__ = ["ExportError", "export", "render_manifest"]

# What a manifest accepts as a group colour (see the JSON Schema).
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
NAME_COLUMN_TYPE = "name"
# Why a column type is left out of the manifest, for the comment that replaces it.
_UNMANAGED_REASONS: Mapping[str, str] = {
    "formula": "its values are computed from a formula, which boardops does not manage",
    "auto_number": "monday numbers the items itself",
    "item_id": "monday fills it with the item id",
    "creation_log": "monday records who created the item and when",
    "last_updated": "monday records the last change itself",
    "file": "it holds uploaded files, which the API cannot write as column values",
    "doc": "it holds monday docs, which the API cannot write as column values",
    "direct_doc": "it holds monday docs, which the API cannot write as column values",
    "button": "a button has no value to manage",
    "vote": "votes belong to the people who cast them",
    "time_tracking": "its values are timers run by people",
    "progress": "it is computed from status columns",
    "integration": "an integration owns it",
    "team": "boardops does not manage team columns",
    "item_assignees": "boardops does not manage item assignee columns",
    "subtasks": "the board's subitems are written under `subitems:`",
}


def export(
    client: MondayClient,
    *,
    boards: Sequence[str] = (),
    workspaces: Sequence[str] = (),
    with_items: bool = False,
    match_by: Sequence[str] = (),
    pin_ids: bool = True,
    scope: ScopeCheck | None = None,
) -> str:
    """The manifest text for boards named by id or name and every board of ``workspaces``.

    ``match_by``: column ids or titles (or ``name``) that identify items; the default is
    the item name. ``BOARD=COL`` (a board id or name) applies to that board only, and a
    board with its own replaces the plain ones for it (see :func:`match_by_board`).
    ``pin_ids``: False leaves out the monday ids of boards, groups and
    workspaces, which are then found by name (column custom ids are kept).

    Raises ``ExportError`` (what to fix on monday or in the options) and the live reader's
    errors (a board or workspace that does not exist, or outside ``scope``: see
    ``boardops.scope``).
    """
    if not boards and not workspaces:
        raise ExportError("name at least one board or workspace to export")
    live = describe(
        client, boards=boards, workspaces=workspaces, with_items=with_items, scope=scope
    )
    known = {w.id: w for w in live.workspaces.values() if w is not None and w.id is not None}
    main = live.account.main_workspace_id if live.account is not None else None
    missing = sorted(
        {
            b.workspace_id
            for b in live.boards.values()
            if b is not None
            and b.workspace_id is not None
            and b.workspace_id not in known
            and b.workspace_id != main
        }
    )
    if missing:
        reader = WireReader()
        for raw, at in reader.rows(
            list(client.iter_workspaces(ids=missing)), WirePath.root("workspaces")
        ):
            workspace = workspace_from_wire("", raw, reader, at)
            if workspace.id is not None:
                known[workspace.id] = replace(workspace, key=workspace.id)
        reader.finish()
    live = in_main_workspace(live, known)
    live, known = with_access(client, live, known)
    if with_items:
        boards_read = [b for b in live.boards.values() if b is not None]
        ordered = export_order(live)
        keys = exported_board_keys(ordered)
        live = name_links(
            client,
            live,
            [(keys[id(b)], b) for b in ordered],
            match_by_board(match_by, boards_read),
        )
    text = render_manifest(
        live, workspaces=known, with_items=with_items, match_by=match_by, pin_ids=pin_ids
    )
    _check_valid(text)
    return text


def in_main_workspace(live: LiveState, known: dict[str, Workspace]) -> LiveState:
    """Boards of the main workspace written without ``workspace:`` (what a manifest means
    by no workspace), also where monday reports the main workspace by its real id; the
    main workspace is then not declared (``known`` loses it)."""
    main = live.account.main_workspace_id if live.account is not None else None
    main = main or next((w.id for w in known.values() if w.is_default), None)
    if main is None:
        return live
    known.pop(main, None)
    boards = {
        key: replace(board, workspace_id=None)
        if board is not None and board.workspace_id == main
        else board
        for key, board in live.boards.items()
    }
    return replace(live, boards=boards)


def _check_valid(text: str) -> None:
    """Refuse to hand out a manifest that ``boardops validate`` would reject. It is read
    with an empty environment: an ``${env:...}`` left unescaped is an error, never a value."""
    with tempfile.TemporaryDirectory(prefix="boardops-export-") as directory:
        path = Path(directory) / "exported.yaml"
        path.write_text(text, encoding="utf-8")
        _, errors = validate_paths([path], environ={})
    if errors:
        raise ExportError(
            f"the exported manifest does not validate: {errors[0].message} (at "
            f"{errors[0].field or errors[0].address or 'the top'}); this is a boardops bug, "
            "please report it"
        )


def render_manifest(
    live: LiveState,
    *,
    workspaces: Mapping[str, Workspace] | None = None,
    with_items: bool = False,
    match_by: Sequence[str] = (),
    pin_ids: bool = True,
) -> str:
    """The manifest text for every board in ``live`` (pure: no I/O).

    ``workspaces`` maps monday workspace ids to the workspaces to declare; a board in a
    workspace missing from it refers to the workspace by id only.
    """
    boards = [b for b in live.boards.values() if b is not None]
    per_board = match_by_board(match_by, boards)
    exporter = _Exporter(live, workspaces or {}, with_items, per_board, pin_ids)
    return exporter.render()


def match_by_board(match_by: Sequence[str], boards: Sequence[Board]) -> dict[str, tuple[str, ...]]:
    """The ``--match-by`` columns of each board (by board id; a board absent uses the item
    name).

    A plain ``COL`` applies to every board that has no ``BOARD=COL`` of its own; ``BOARD``
    is a board id or name among ``boards`` (a name with ``=`` in it works too: the split
    that names a board wins). Repeating either form makes a compound key, in order. A
    ``BOARD`` that is not among ``boards``, or names two of them, is an ``ExportError``.
    """
    every: list[str] = []
    own: dict[str, list[str]] = {}
    for spec in match_by:
        if "=" not in spec:
            every.append(spec)
            continue
        board, column = _split_board(spec, boards)
        own.setdefault(board.id or board.name, []).append(column)
    result: dict[str, tuple[str, ...]] = {}
    for board in boards:
        columns = own.get(board.id or board.name, every)
        if columns:
            result[board.id or board.name] = tuple(columns)
    return result


def _split_board(spec: str, boards: Sequence[Board]) -> tuple[Board, str]:
    """``BOARD=COL`` -> the board it names and the column."""
    positions = [at for at, char in enumerate(spec) if char == "="]
    for at in positions:
        name, column = spec[:at], spec[at + 1 :]
        named = [b for b in boards if name in (b.id, b.name)]
        if len(named) > 1:
            raise ExportError(
                f"--match-by {spec!r}: {len(named)} exported boards are named {name!r}; "
                "name the board by its id"
            )
        if named:
            if not column:
                raise ExportError(f"--match-by {spec!r}: name a column after '='")
            return named[0], column
    name = spec[: positions[0]]
    exported = ", ".join(sorted(repr(b.name) for b in boards)) or "none"
    raise ExportError(
        f"--match-by {spec!r}: board {name!r} is not among the exported boards "
        f"(exported: {exported}); name one by its id or name, or export it too"
    )


# --- the exporter -------------------------------------------------------------------------


@dataclass(frozen=True)
class _ExportedColumn:
    live: Column
    key: str  # what item values and match_by call it: a custom id, else its title
    pinned: bool
    labels: tuple[str, ...]  # active status/dropdown label texts that are exported

    @property
    def declared(self) -> Column:
        """The column as the exported manifest declares it: what the manifest loader checks
        values against and the plan normalises them with (no monday settings)."""
        return Column(
            title=self.live.title,
            type=self.live.type,
            id=self.live.id if self.pinned else None,
            status_labels=tuple(StatusLabel(t) for t in self.labels)
            if self.live.type == "status"
            else (),
            dropdown_labels=tuple(DropdownLabel(t) for t in self.labels)
            if self.live.type == "dropdown"
            else (),
        )


def exported_board_keys(boards: Sequence[Board]) -> dict[int, str]:
    """The manifest key of each board (by ``id()`` of the board), in export order."""
    taken: set[str] = set()
    return {id(b): _unique(_key_of(b.name, "board", b.id), taken) for b in boards}


@dataclass(eq=False)
class _Exporter:
    live: LiveState
    workspaces: Mapping[str, Workspace]
    with_items: bool
    # The --match-by columns of each board, by board id (absent: the item name).
    match_by: Mapping[str, tuple[str, ...]]
    pin_ids: bool

    def __post_init__(self) -> None:
        self.directory = codec.Directory(users=self.live.users)
        self.access = AccessWriter(self.live.users, self.live.teams, scalar)
        self.boards = export_order(self.live)
        # Each board's manifest key, by id (connect-boards columns name boards by it).
        keys = exported_board_keys(self.boards)
        self.board_keys = {str(b.id): keys[id(b)] for b in self.boards}

    def render(self) -> str:
        out = YamlText()
        count = len(self.boards)
        out.comment(
            0,
            f"Exported by `boardops export`: {count} board{'s' * (count != 1)}"
            + (", with items." if self.with_items else ", structure only (no items)."),
        )
        out.comment(
            0,
            "`boardops plan` against this file reports no changes while the boards stay as "
            "they are.",
        )
        out.add(0, "version: 1")
        workspace_keys = self._workspace_keys()
        if workspace_keys:
            out.add(0, "workspaces:")
            for workspace_id, key in workspace_keys.items():
                self._workspace(out, self.workspaces[workspace_id], key)
        self._check_board_names()
        out.add(0, "boards:" if self.boards else "boards: []")
        for board in self.boards:
            self._board(out, board, self.board_keys[str(board.id)], workspace_keys)
        return "\n".join(out.lines) + "\n"

    # --- workspaces and boards --------------------------------------------------------------

    def _check_board_names(self) -> None:
        """A manifest cannot hold two boards of one name in one workspace."""
        seen: dict[tuple[str | None, str], str | None] = {}
        for board in self.boards:
            place = (board.workspace_id, board.name)
            if place in seen:
                where = f"workspace {board.workspace_id}" if board.workspace_id else "main"
                raise ExportError(
                    f"boards {seen[place]} and {board.id} are both named {board.name!r} in "
                    f"the {where} workspace; a manifest cannot hold both: rename one on "
                    "monday, or export them one at a time"
                )
            seen[place] = board.id

    def _workspace_keys(self) -> dict[str, str]:
        """Key by monday id of every workspace to declare: the boards' first, in board
        order, then the others (empty workspaces named by ``--workspace``) by name."""
        order = [b.workspace_id for b in self.boards if b.workspace_id is not None]
        order += sorted(self.workspaces, key=lambda i: (self.workspaces[i].name, i))
        keys: dict[str, str] = {}
        taken: set[str] = set()
        for workspace_id in order:
            if workspace_id in self.workspaces and workspace_id not in keys:
                name = self.workspaces[workspace_id].name
                keys[workspace_id] = _unique(_key_of(name, "workspace", workspace_id), taken)
        return keys

    def _workspace(self, out: YamlText, workspace: Workspace, key: str) -> None:
        out.add(2, f"- key: {scalar(key)}")
        out.add(4, f"name: {scalar(workspace.name)}")
        if self.pin_ids:
            out.add(4, f"id: {scalar(workspace.id)}")
        out.add(4, f"kind: {workspace.kind}")
        if workspace.description:
            out.add(4, f"description: {scalar(workspace.description)}")
        self.access.workspace(out.add, out.comment, 4, workspace)
        for indent, line in workspace_folder_lines(self.live, workspace, scalar, 4):
            out.add(indent, line)

    def _board(
        self, out: YamlText, board: Board, key: str, workspace_keys: Mapping[str, str]
    ) -> None:
        out.add(2, f"- name: {scalar(board.name)}")
        out.add(4, f"key: {scalar(key)}")
        if self.pin_ids:
            out.add(4, f"id: {scalar(board.id)}")
        if board.workspace_id is not None:
            if board.workspace_id in workspace_keys:
                out.add(4, f"workspace: {scalar(workspace_keys[board.workspace_id])}")
            else:
                out.add(4, f"workspace: {mapping_line({'id': board.workspace_id})}")
        out.add(4, f"kind: {board.kind}")
        if board.description:
            out.add(4, f"description: {scalar(board.description)}")
        self.access.board(out.add, out.comment, 4, board)
        for indent, line in board_placement_lines(board, scalar, 4):
            out.add(indent, line)
        columns = self._columns(out, board, key)
        group_keys = self._groups(out, board, key)
        self.subitem_columns: list[_ExportedColumn] = []
        if board.subitems is not None:
            self.subitem_columns = subitems_block(out, board, key, self._columns, YamlText)
        if self.with_items:
            self._items(out, board, key, columns, group_keys)

    # --- columns ----------------------------------------------------------------------------

    def _columns(self, out: YamlText, board: Board, board_key: str) -> list[_ExportedColumn]:
        exported: list[_ExportedColumn] = []
        body = YamlText()
        for column in board.columns:
            if column.type == NAME_COLUMN_TYPE:
                continue
            if column.type in RELATION_COLUMN_TYPES:
                fields: Mapping[str, JSONValue] | str = {}
                if column.type != "dependency":
                    by_id = {str(b.id): b for b in self.boards}
                    fields = relation_fields(column, board, self.board_keys, by_id)
                if isinstance(fields, str):
                    body.comment(
                        6, f"Left out: {column.title!r} ({column.type}, id {column.id}): {fields}."
                    )
                    continue
                exported.append(self._column(body, column, board_key, fields))
                continue
            if column.type not in codec.MANAGED_COLUMN_TYPES:
                reason = _UNMANAGED_REASONS.get(
                    column.type, f"boardops cannot manage {column.type} columns"
                )
                body.comment(
                    6, f"Left out: {column.title!r} ({column.type}, id {column.id}): {reason}."
                )
                continue
            exported.append(self._column(body, column, board_key))
        self._check_column_identity(board, board_key, exported)
        out.add(4, "columns:" if exported else "columns: []")
        out.lines.extend(body.lines)
        return exported

    def _column(
        self,
        out: YamlText,
        column: Column,
        board_key: str,
        extra: Mapping[str, JSONValue] | None = None,
    ) -> _ExportedColumn:
        assert column.id is not None, "live columns carry their id"
        # A custom id ("status") is pinned everywhere; one monday generated ("date_mkx1abcd")
        # only for this account (not with --no-ids: monday cannot create it elsewhere).
        custom = CREATABLE_COLUMN_ID.fullmatch(column.id) is not None and column.id != "name"
        pinned = custom or (self.pin_ids and PINNABLE_COLUMN_ID.fullmatch(column.id) is not None)
        # Item values name a column by a custom id, else by its title: "Due date" reads
        # better than "date_mkx1abcd", and `id:` pins the column anyway.
        key = column.id if custom else column.title
        head: dict[str, JSONValue] = {"id": column.id} if pinned else {}
        head["title"] = column.title
        head["type"] = column.type
        if column.description:
            head["description"] = column.description
        head.update(extra or {})  # connect-boards / mirror keys (export_relations)
        # Settings boardops manages (all of them monday reports) and the width.
        head.update(column_settings.exported(column.type, column.settings, column.width))
        labels, skipped = self._labels(column)
        if not labels:
            out.add(6, f"- {mapping_line(head)}")
        else:
            first, *rest = head.items()
            out.add(6, f"- {first[0]}: {scalar(first[1])}")
            for name, value in rest:
                out.add(8, f"{name}: {scalar(value)}")
            if column.type == "dropdown":
                out.add(8, f"labels: {scalar(labels)}")
            else:
                out.add(8, "labels:")
                for label in labels:
                    out.add(10, f"- {scalar(label)}")
        for text in skipped:
            out.comment(8, f"Left out: label {text!r}, deactivated on monday.")
        texts = tuple(
            str(label["label"]) if isinstance(label, dict) else str(label) for label in labels
        )
        return _ExportedColumn(live=column, key=key, pinned=pinned, labels=texts)

    def _labels(self, column: Column) -> tuple[list[JSONValue], list[str]]:
        labels: list[JSONValue] = []
        skipped: list[str] = []
        seen: set[str] = set()
        if column.type == "status":
            for status in column.status_labels:
                if not status.label.strip() or status.label in seen:
                    continue  # monday's blank default label; a repeated text cannot be named
                if status.deactivated:
                    skipped.append(status.label)
                    continue
                seen.add(status.label)
                entry: dict[str, JSONValue] = {"label": status.label}
                # Live colours are names (also when monday answers with numbers); one
                # outside the colour table ("907") cannot be written, so it is left out.
                if status.color in STATUS_COLOR_IDS:
                    entry["color"] = status.color
                if status.done:
                    entry["done"] = True
                if status.description:
                    entry["description"] = status.description
                labels.append(entry)
        elif column.type == "dropdown":
            for dropdown in column.dropdown_labels:
                if not dropdown.label.strip() or dropdown.label in seen:
                    continue
                if dropdown.deactivated:
                    skipped.append(dropdown.label)
                    continue
                seen.add(dropdown.label)
                labels.append(dropdown.label)
        return labels, skipped

    def _check_column_identity(
        self, board: Board, board_key: str, exported: Sequence[_ExportedColumn]
    ) -> None:
        """Refuse what the manifest loader or the plan could not tell apart: two declared
        columns of one title, or a column named by title that another live column shares
        (a column pinned by its id may share its title with a column left out)."""
        others = [c for c in board.columns if c.type != NAME_COLUMN_TYPE]
        declared = [c.live for c in exported]
        pinned_ids = {c.key for c in exported if c.pinned}
        for column in exported:
            rivals = others if not column.pinned else declared
            sharing = [c for c in rivals if c.title == column.live.title]
            if len(sharing) > 1:
                ids = ", ".join(str(c.id) for c in sharing)
                raise ExportError(
                    f"{board_address(board_key)}: {len(sharing)} columns are titled "
                    f"{column.live.title!r} (ids {ids}); a manifest names columns by title "
                    "(ids only when they are custom ids), so rename one on monday first"
                )
            if not column.pinned and column.key in pinned_ids:
                raise ExportError(
                    f"{board_address(board_key)}: column {column.live.id} is titled "
                    f"{column.key!r}, which is the id of another column; rename it on monday "
                    "first"
                )

    # --- groups -----------------------------------------------------------------------------

    def _groups(self, out: YamlText, board: Board, board_key: str) -> dict[str, str]:
        """Writes the groups; returns group key by monday group id."""
        keys: dict[str, str] = {}
        taken: set[str] = set()
        titles: dict[str, str] = {}
        out.add(4, "groups:" if board.groups else "groups: []")
        for group in board.groups:
            group_id = group.id or group.key
            if group.title in titles:
                raise ExportError(
                    f"{board_address(board_key)}: two groups are titled {group.title!r} "
                    f"(ids {titles[group.title]}, {group_id}); a manifest needs distinct "
                    "titles, so rename one on monday first"
                )
            titles[group.title] = group_id
            key = _unique(_key_of(group.title, "group", group_id), taken)
            keys[group_id] = key
            fields: dict[str, JSONValue] = {"key": key, "title": group.title}
            if self.pin_ids:
                fields["id"] = group_id
            if group.color and _HEX_COLOR.fullmatch(group.color):
                fields["color"] = group.color
            out.add(6, f"- {mapping_line(fields)}")
        return keys

    # --- items ------------------------------------------------------------------------------

    def _match_columns(
        self, match_by: tuple[str, ...], board_key: str, columns: Sequence[_ExportedColumn]
    ) -> list[_ExportedColumn | None]:
        """The exported columns ``--match-by`` names (None for the item name)."""
        resolved: list[_ExportedColumn | None] = []
        for name in match_by or (NAME_KEY,):
            if name == NAME_KEY:
                resolved.append(None)
                continue
            found = next((c for c in columns if c.live.id == name), None) or next(
                (c for c in columns if c.live.title == name), None
            )
            if found is None:
                choices = ", ".join(c.key for c in columns if c.live.type in codec.MATCHABLE_TYPES)
                raise ExportError(
                    f"{board_address(board_key)}: --match-by {name!r}: no such column on this "
                    f"board (matchable: name{', ' + choices if choices else ''})"
                )
            if found.live.type not in codec.MATCHABLE_TYPES:
                raise ExportError(
                    f"{board_address(board_key)}: --match-by {name!r}: a {found.live.type} "
                    "column cannot identify items; use name or a column of type "
                    + ", ".join(sorted(codec.MATCHABLE_TYPES))
                )
            if found.key == NAME_KEY:
                raise ExportError(
                    f"{board_address(board_key)}: --match-by {name!r}: the column is titled "
                    "'name', which a manifest reads as the item name; rename it on monday first"
                )
            resolved.append(found)
        return resolved

    def _items(
        self,
        out: YamlText,
        board: Board,
        board_key: str,
        columns: Sequence[_ExportedColumn],
        group_keys: Mapping[str, str],
    ) -> None:
        match_by = self.match_by.get(board.id or board.name, ())
        match = self._match_columns(match_by, board_key, columns)
        out.add(4, "items:")
        if match_by and match_by != (NAME_KEY,):
            keys: list[JSONValue] = [NAME_KEY if c is None else c.key for c in match]
            out.add(6, f"match_by: {scalar(keys)}")
        rows = board.items.rows if board.items is not None else ()
        out.add(6, "rows:" if rows else "rows: []")
        first_group = board.groups[0].id if board.groups else None
        seen: dict[tuple[str, ...], str] = {}
        for item in rows:
            values, left_out = self._values(item, columns)
            outside = item.group is None or item.group not in group_keys
            # Every live item counts, written or not: the plan could not tell two apart.
            key = self._match_key(board_key, item, values, match, required=not outside)
            if key in seen:
                raise ExportError(
                    f"{board_address(board_key)}: items {seen[key]} and {item.id} have the same "
                    f"match key ({' / '.join(key)}); pass --match-by with a column whose "
                    "values are unique"
                )
            seen[key] = str(item.id)
            if outside:
                out.comment(
                    8,
                    f"Left out: item {item.id} ({item.name!r}): it is in no group of the board.",
                )
                continue
            out.add(8, f"- name: {scalar(item.name)}")
            if item.group != first_group:
                out.add(10, f"group: {scalar(group_keys[str(item.group)])}")
            if values:
                out.add(10, "values:")
                for column_key, value in values.items():
                    out.add(12, f"{scalar(column_key)}: {scalar(value)}")
            for reason in left_out:
                out.comment(10, reason)
            if board.subitems is not None:
                subitem_rows(
                    out,
                    item,
                    board_key,
                    lambda sub: self._values(sub, self.subitem_columns),
                    scalar,
                )

    def _match_key(
        self,
        board_key: str,
        item: Item,
        values: Mapping[str, JSONValue],
        match: Sequence[_ExportedColumn | None],
        *,
        required: bool = True,
    ) -> tuple[str, ...]:
        by_key = {column.key: column for column in match if column is not None}
        keys = [NAME_KEY if column is None else column.key for column in match]
        parts = match_key_parts(keys, item.name, lambda k: (by_key[k].live, values.get(k)))
        for key, text in zip(keys, parts, strict=True):
            if key != NAME_KEY and text == "" and required:
                raise ExportError(
                    f"{board_address(board_key)}: item {item.id} ({item.name!r}) has no value "
                    f"in the match column {key!r}; fill it on monday or pick another "
                    "--match-by"
                )
        return parts

    def _values(
        self, item: Item, columns: Sequence[_ExportedColumn]
    ) -> tuple[dict[str, JSONValue], list[str]]:
        """The item's values in human form by column key, and comments for those left out."""
        values: dict[str, JSONValue] = {}
        left_out: list[str] = []
        for column in columns:
            stored = item.values.get(str(column.live.id))
            if stored is None:
                continue
            human = self._human(column, stored)
            problem = self._why_not(column, human, stored)
            if problem is None:
                values[column.key] = human
            else:
                left_out.append(f"Left out: {column.key!r} = {scalar(stored)}: {problem}.")
        return values, left_out

    def _human(self, column: _ExportedColumn, value: JSONValue) -> JSONValue:
        """The canonical value in the form people write: emails for users, bare URLs."""
        if column.live.type == "people" and isinstance(value, list):
            people: list[JSONValue] = []
            for token in value:
                user = self.directory.user(str(token)) if str(token).isdigit() else None
                people.append(user.email if user is not None else token)
            return people
        if (
            column.live.type == "link"
            and isinstance(value, dict)
            and value.get("text") == value.get("url")
        ):
            return value.get("url")
        return value

    def _why_not(self, column: _ExportedColumn, human: JSONValue, stored: JSONValue) -> str | None:
        """Why ``human`` would not read back as ``stored`` (None: it would)."""
        if column.live.type in ("status", "dropdown"):
            texts = [human] if isinstance(human, str) else human
            if isinstance(texts, list):
                for text in texts:
                    if text not in column.labels:
                        return f"label {text!r} is not an active label of the column"
        if (
            not self.pin_ids
            and column.live.type in LINK_TYPES
            and isinstance(human, list)
            and any(isinstance(entry, str) and entry.startswith("#") for entry in human)
        ):
            return "it links an item boardops cannot name by key (shown by its id)"
        declared = column.declared
        try:
            codec.check(declared, human)
            again = codec.normalize(declared, human, self.directory)
        except codec.CodecError as error:
            return f"a manifest cannot hold it ({error})"
        if again != stored:
            return "a manifest cannot hold it exactly"
        return None


# --- keys -------------------------------------------------------------------------------


def _key_of(name: str, kind: str, object_id: str | None) -> str:
    """A manifest key from a name: its slug, or ``<kind>-<id>`` when the name has none."""
    return slug(name) or f"{kind}-{object_id}"


def _unique(key: str, taken: set[str]) -> str:
    candidate, number = key, 2
    while candidate in taken:
        candidate, number = f"{key}-{number}", number + 1
    taken.add(candidate)
    return candidate
