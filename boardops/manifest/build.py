"""From schema-checked manifest documents to a ``DesiredState``: template expansion,
conversion to the model and the checks a JSON Schema cannot express (uniqueness, references
between objects, label limits, values per column type, item identity)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from boardops import codec
from boardops.errors import ManifestError, SourceSpan
from boardops.identity import match_key_parts
from boardops.manifest.schema_check import SchemaChecker, did_you_mean
from boardops.manifest.source import Document, NodePath, field_path
from boardops.manifest.tree import Tree, TreeBuilder, tree_of
from boardops.model import (
    LOCK_BOARD_NAME,
    MAX_STATUS_LABEL_LENGTH,
    MAX_STATUS_LABELS,
    NAME_KEY,
    Board,
    BoardKind,
    Column,
    DropdownLabel,
    Group,
    Item,
    ItemMode,
    ItemOrder,
    ItemSet,
    JSONValue,
    StatusLabel,
    WeekStart,
    Workspace,
    WorkspaceKind,
    board_address,
    column_address,
    group_address,
    item_address,
    join_match_key,
    label_address,
    slug,
    workspace_address,
)
from boardops.palette import GROUP_COLOR_HEXES, group_color_name

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# In a template's strings, read left to right: ``$${`` (a literal ``${``, left escaped by
# the loader for this pass) or a placeholder.
_ESCAPE_OR_PLACEHOLDER = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SCALAR_TYPES = (str, int, float, bool)
# The id monday gives every board's item-name column.
RESERVED_COLUMN_ID = "name"


def _nearest_group_color(color: str) -> str:
    """The palette colour closest to ``color`` (``#rrggbb``) in RGB, for a did-you-mean."""

    def rgb(hex_color: str) -> tuple[int, ...]:
        return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))

    wanted = rgb(color)
    return min(
        GROUP_COLOR_HEXES,
        key=lambda c: sum((a - b) ** 2 for a, b in zip(rgb(c), wanted, strict=True)),
    )


def _where(span: SourceSpan | None, here: SourceSpan | None) -> str:
    """Where another declaration is, seen from ``here``: ``line 12`` in the same file
    (``line 12, column 30`` on the same line), else ``other.yaml:12``."""
    if span is None or span.line is None:
        return "elsewhere"
    if here is None or span.file != here.file:
        return f"{span.file}:{span.line}"
    if span.line == here.line and span.column is not None:
        return f"line {span.line}, column {span.column}"
    return f"line {span.line}"


@dataclass(frozen=True)
class _Template:
    name: str
    tree: Tree
    usable: bool  # False when the template itself failed the schema


@dataclass(frozen=True)
class _RawBoard:
    tree: Tree
    prefix: NodePath  # ("boards", 3): the board's place in its document, for field names


@dataclass(frozen=True)
class _RawWorkspace:
    tree: Tree
    prefix: NodePath


class StateBuilder:
    """Collects documents, then builds the model; every problem lands in ``errors``."""

    def __init__(self) -> None:
        self.errors: list[ManifestError] = []
        self._workspaces: list[_RawWorkspace] = []
        self._templates: dict[str, _Template] = {}
        self._boards: list[_RawBoard] = []
        self._prefix: NodePath = ()  # where the board being built sits in its document
        # ``week_start:`` as the first document that states it does, and where.
        self.week_start: WeekStart | None = None
        self._week_start_span: SourceSpan | None = None

    # --- collecting -----------------------------------------------------------------------

    def add_document(self, document: Document) -> None:
        root = tree_of(document)
        if not isinstance(document.data, dict):
            self.errors.append(
                ManifestError(
                    "a manifest document must be a mapping with `version: 1`", span=root.span()
                )
            )
            return
        checker = SchemaChecker(span=root.span, key_span=root.key_span)
        rejected: list[NodePath] = []
        for path, error in checker.check(document.data):
            if path[:1] == ("templates",) and _has_placeholder(root.get(path)):
                continue  # judged after expansion, when the board's vars are filled in
            self.errors.append(error)
            rejected.append(path)
        if any(len(path) < 2 for path in rejected):
            # The version, or the shape of a top-level section, is wrong: nothing to trust.
            return

        def sound(section: str, name: str | int) -> bool:
            return not any(path[:2] == (section, name) for path in rejected)

        data = document.data
        if "week_start" in data:
            self._add_week_start(data["week_start"], root.span(("week_start",)))
        for index, _ in enumerate(data.get("workspaces", [])):
            if sound("workspaces", index):
                self._workspaces.append(
                    _RawWorkspace(tree_of(document, ("workspaces", index)), ("workspaces", index))
                )
        for name in data.get("templates", {}):
            tree = tree_of(document, ("templates", name))
            earlier = self._templates.get(name)
            if earlier is not None:
                self._error(
                    f"duplicate template '{name}' (first defined on "
                    f"{_where(earlier.tree.fallback, root.key_span(('templates', name)))})",
                    root.key_span(("templates", name)),
                    field=f"templates.{name}",
                )
                continue
            self._templates[name] = _Template(name, tree, sound("templates", name))
        for index, _ in enumerate(data.get("boards", [])):
            if sound("boards", index):
                self._boards.append(
                    _RawBoard(tree_of(document, ("boards", index)), ("boards", index))
                )

    def _add_week_start(self, value: WeekStart, span: SourceSpan) -> None:
        """All manifests of one run must agree on the first day of the week."""
        if self.week_start is None:
            self.week_start, self._week_start_span = value, span
        elif value != self.week_start:
            self._error(
                f"week_start is {value} here but {self.week_start} on "
                f"{_where(self._week_start_span, span)}; the manifests must agree",
                span,
                field="week_start",
            )

    # --- building -------------------------------------------------------------------------

    def build(self) -> tuple[tuple[Workspace, ...], tuple[Board, ...]]:
        workspaces = self._build_workspaces()
        known_keys = {w.key for w in workspaces}
        boards: list[Board] = []
        for raw in self._boards:
            board = self._build_board(raw, known_keys)
            if board is not None:
                boards.append(board)
        self._check_boards_together(boards, {w.key: w for w in workspaces})
        self._check_reserved_board_names(boards)
        return tuple(workspaces), tuple(boards)

    def _error(
        self,
        message: str,
        span: SourceSpan,
        *,
        address: str | None = None,
        field: str | None = None,
        path: NodePath | None = None,
    ) -> None:
        """Record a problem; ``path`` (inside the current board) names the field."""
        if field is None and path is not None:
            field = field_path((*self._prefix, *path))
        self.errors.append(ManifestError(message, span=span, address=address, field=field))

    def _build_workspaces(self) -> list[Workspace]:
        workspaces: list[Workspace] = []
        by_key: dict[str, Workspace] = {}
        by_name: dict[str, Workspace] = {}
        by_id: dict[str, Workspace] = {}
        for raw in self._workspaces:
            self._prefix = raw.prefix
            data = raw.tree.data
            name = data["name"]
            key = data.get("key", name)
            pinned = None if data.get("id") is None else str(data["id"])
            workspace = Workspace(
                key=key,
                name=name,
                kind=cast(WorkspaceKind, data.get("kind", "open")),
                description=_description(data),
                id=pinned,
                previous_names=tuple(data.get("previous_names", ())),
                span=raw.tree.span(),
            )
            address = workspace_address(key)
            here = raw.tree.span()
            if key in by_key:
                self._error(
                    f"duplicate workspace key '{key}' (also on {_where(by_key[key].span, here)})",
                    raw.tree.span(("key",) if "key" in data else ("name",)),
                    address=address,
                    path=("key",) if "key" in data else ("name",),
                )
                continue
            if name in by_name:
                self._error(
                    f"duplicate workspace name '{name}' "
                    f"(also on {_where(by_name[name].span, here)})",
                    raw.tree.span(("name",)),
                    address=address,
                    path=("name",),
                )
                continue
            if pinned is not None and pinned in by_id:
                self._error(
                    f"workspace id {pinned} is pinned twice "
                    f"(also on {_where(by_id[pinned].span, here)})",
                    raw.tree.span(("id",)),
                    address=address,
                    path=("id",),
                )
                continue
            by_key[key] = by_name[name] = workspace
            if pinned is not None:
                by_id[pinned] = workspace
            workspaces.append(workspace)
        for workspace in workspaces:
            for old in workspace.previous_names:
                holder = by_name.get(old)
                if holder is not None and holder.key != workspace.key:
                    self._error(
                        f"previous name '{old}' is the name of workspace '{holder.key}'",
                        workspace.span or SourceSpan(""),
                        address=workspace_address(workspace.key),
                    )
        return workspaces

    # --- one board ------------------------------------------------------------------------

    def _build_board(self, raw: _RawBoard, workspace_keys: set[str]) -> Board | None:
        tree = raw.tree
        self._prefix = raw.prefix
        name: str = tree.data["name"]
        key = tree.data.get("key") or slug(name)
        if not key:
            self._error(
                f"cannot make a key from the name {name!r}; set `key`",
                tree.span(("name",)),
                field=field_path((*raw.prefix, "name")),
            )
            return None
        address = board_address(key)
        errors_before = len(self.errors)

        template_name = tree.data.get("template")
        if template_name is not None:
            expanded = self._expand(tree, template_name, raw.prefix, address)
            if expanded is None:
                return None
            tree = expanded
        elif "vars" in tree.data:
            self._error(
                "`vars` needs a `template` to fill",
                tree.key_span(("vars",)),
                address=address,
                path=("vars",),
            )

        data = tree.data
        workspace_key: str | None = None
        workspace_id: str | None = None
        reference = data.get("workspace")
        if isinstance(reference, dict):
            workspace_id = str(reference["id"])
        elif reference is not None:
            if reference in workspace_keys:
                workspace_key = reference
            else:
                self._error(
                    f"unknown workspace '{reference}'"
                    + (
                        did_you_mean(reference, workspace_keys)
                        or "; declare it under `workspaces`, or write {id: ...} for an "
                        "existing workspace"
                    ),
                    tree.span(("workspace",)),
                    address=address,
                    path=("workspace",),
                )

        columns = self._build_columns(tree, key)
        groups = self._build_groups(tree, key)
        items = self._build_items(tree, key, columns, groups) if "items" in data else None
        if data.get("prune") is True and not groups:
            self._error(
                "prune: true needs at least one declared group: a board keeps one group, so "
                "list the groups to keep under `groups:`",
                tree.span(("prune",)),
                address=address,
                path=("prune",),
            )
        if len(self.errors) > errors_before:
            return None
        return Board(
            key=key,
            name=name,
            kind=cast(BoardKind, data.get("kind", "public")),
            workspace=workspace_key,
            workspace_id=workspace_id,
            id=None if data.get("id") is None else str(data["id"]),
            previous_names=tuple(data.get("previous_names", ())),
            description=_description(data),
            columns=columns,
            groups=groups,
            items=items,
            prune=bool(data.get("prune", False)),
            template=template_name,
            subscribe_people=bool(data.get("subscribe_people", True)),
            span=tree.span(),
        )

    def _expand(
        self, board: Tree, template_name: str, prefix: NodePath, address: str
    ) -> Tree | None:
        template = self._templates.get(template_name)
        if template is None:
            self._error(
                f"unknown template '{template_name}'{did_you_mean(template_name, self._templates)}",
                board.span(("template",)),
                address=address,
                path=("template",),
            )
            return None
        if not template.usable:
            return None  # its own errors are reported where it is defined
        variables: dict[str, Any] = board.data.get("vars", {})
        used: set[str] = set()
        missing: list[str] = []

        def fill(text: str) -> Any:
            whole = _PLACEHOLDER.fullmatch(text)
            if whole is not None and whole.group(1) in variables:
                used.add(whole.group(1))
                return variables[whole.group(1)]  # keeps the variable's type

            def replace(match: re.Match[str]) -> str:
                name = match.group(1)
                if name is None:
                    return "${"  # $${, the escape
                used.add(name)
                if name not in variables:
                    if name not in missing:
                        missing.append(name)
                    return match.group(0)
                value = variables[name]
                return str(value).lower() if isinstance(value, bool) else str(value)

            return _ESCAPE_OR_PLACEHOLDER.sub(replace, text)

        def substitute(value: Any) -> Any:
            if isinstance(value, str):
                return fill(value)
            if isinstance(value, list):
                return [substitute(v) for v in value]
            if isinstance(value, dict):
                return {k: substitute(v) for k, v in value.items()}
            return value

        body = dataclasses.replace(template.tree, data=substitute(template.tree.data))
        for name in missing:
            self._error(
                f"template '{template_name}' needs a value for ${{{name}}} (add it to vars)",
                board.span(("template",)),
                address=address,
                path=("template",),
            )
        for name in variables:
            if name not in used:
                placeholders = sorted(used | set(missing))
                self._error(
                    f"template '{template_name}' has no placeholder ${{{name}}}"
                    f"{did_you_mean(name, placeholders)}",
                    board.key_span(("vars", name)),
                    address=address,
                    path=("vars", name),
                )
        if missing or any(name not in used for name in variables):
            return None
        merged = _merge(body, board)
        checker = SchemaChecker(
            span=merged.span, key_span=merged.key_span, prefix=prefix, address=address
        )
        problems = checker.check(merged.data, "board")
        self.errors.extend(error for _, error in problems)
        return None if problems else merged

    def _build_columns(self, tree: Tree, board_key: str) -> tuple[Column, ...]:
        columns: list[Column] = []
        ids: dict[str, SourceSpan] = {}
        titles: dict[str, SourceSpan] = {}
        for index, data in enumerate(tree.data.get("columns", [])):
            path: NodePath = ("columns", index)
            key = data.get("id") or data["title"]
            address = column_address(board_key, key)
            span = tree.span(path)
            column_id: str | None = data.get("id")
            if column_id == RESERVED_COLUMN_ID:
                self._error(
                    "column id 'name' is taken by monday's item name column",
                    tree.span((*path, "id")),
                    address=address,
                    path=(*path, "id"),
                )
            elif column_id is not None and column_id in ids:
                self._error(
                    f"duplicate column id '{column_id}' (also on {_where(ids[column_id], span)})",
                    tree.span((*path, "id")),
                    address=address,
                    path=(*path, "id"),
                )
            if data["title"] in titles:
                self._error(
                    f"duplicate column title '{data['title']}' "
                    f"(also on {_where(titles[data['title']], span)})",
                    tree.span((*path, "title")),
                    address=address,
                    path=(*path, "title"),
                )
            if column_id is not None:
                ids.setdefault(column_id, span)
            titles.setdefault(data["title"], span)
            status_labels, dropdown_labels = self._build_labels(tree, path, board_key, key)
            columns.append(
                Column(
                    title=data["title"],
                    type=data["type"],
                    id=column_id,
                    description=_description(data),
                    status_labels=status_labels,
                    dropdown_labels=dropdown_labels,
                    previous_titles=tuple(data.get("previous_titles", ())),
                    span=span,
                )
            )
        self._check_previous(
            tree,
            "columns",
            "previous_titles",
            [(c.title, c.key, c.previous_titles) for c in columns],
            "column",
            lambda key: column_address(board_key, key),
        )
        return tuple(columns)

    def _build_labels(
        self, tree: Tree, column_path: NodePath, board_key: str, column_key: str
    ) -> tuple[tuple[StatusLabel, ...], tuple[DropdownLabel, ...]]:
        data = tree.get(column_path)
        column_type: str = data["type"]
        entries: list[Any] = data.get("labels", [])
        address = column_address(board_key, column_key)
        if not entries:
            return (), ()
        if column_type not in ("status", "dropdown"):
            self._error(
                f"only status and dropdown columns take labels, not {column_type}",
                tree.key_span((*column_path, "labels")),
                address=address,
                path=(*column_path, "labels"),
            )
            return (), ()
        status: list[StatusLabel] = []
        dropdown: list[DropdownLabel] = []
        seen: dict[str, SourceSpan] = {}
        colors: dict[str, SourceSpan] = {}
        for index, entry in enumerate(entries):
            path: NodePath = (*column_path, "labels", index)
            span = tree.span(path)
            fields: dict[str, Any] = entry if isinstance(entry, dict) else {"label": entry}
            text: str = fields["label"]
            label_at = label_address(board_key, column_key, text)
            if text in seen:
                self._error(
                    f"duplicate label '{text}' (also on {_where(seen[text], span)})",
                    span,
                    address=address,
                )
            seen.setdefault(text, span)
            previous = tuple(fields.get("previous_labels", ()))
            if column_type == "dropdown":
                extra = sorted(set(fields) & {"color", "done", "description"})
                if extra:
                    self._error(
                        f"dropdown labels take no {', '.join(extra)} (only status labels do)",
                        tree.key_span((*path, extra[0])),
                        address=label_at,
                        path=(*path, extra[0]),
                    )
                dropdown.append(DropdownLabel(label=text, previous_labels=previous, span=span))
                continue
            if len(text) > MAX_STATUS_LABEL_LENGTH:
                self._error(
                    f"status label is {len(text)} characters long; monday allows at most "
                    f"{MAX_STATUS_LABEL_LENGTH}",
                    span,
                    address=label_at,
                )
            color: str | None = fields.get("color")
            if color is not None:
                if color in colors:
                    self._error(
                        f"colour {color} is already used by another label of this column (on "
                        f"{_where(colors[color], span)}); monday uses the colour as the "
                        "label id, so each colour can appear once",
                        tree.span((*path, "color")),
                        address=label_at,
                        path=(*path, "color"),
                    )
                colors.setdefault(color, span)
            status.append(
                StatusLabel(
                    label=text,
                    color=color,
                    done=bool(fields.get("done", False)),
                    description=fields.get("description"),
                    previous_labels=previous,
                    span=span,
                )
            )
        if column_type == "status" and len(entries) > MAX_STATUS_LABELS:
            self._error(
                f"status column has {len(entries)} labels; monday allows at most "
                f"{MAX_STATUS_LABELS}",
                tree.key_span((*column_path, "labels")),
                address=address,
                path=(*column_path, "labels"),
            )
        labels = [(s.label, s.previous_labels) for s in status] + [
            (d.label, d.previous_labels) for d in dropdown
        ]
        texts = {label for label, _ in labels}
        for index, (label, previous_labels) in enumerate(labels):
            for old in previous_labels:
                if old in texts:
                    self._error(
                        f"previous label '{old}' is the text of another label of this column",
                        tree.span((*column_path, "labels", index)),
                        address=label_address(board_key, column_key, label),
                        path=(*column_path, "labels", index),
                    )
        return tuple(status), tuple(dropdown)

    def _build_groups(self, tree: Tree, board_key: str) -> tuple[Group, ...]:
        groups: list[Group] = []
        keys: dict[str, SourceSpan] = {}
        titles: dict[str, SourceSpan] = {}
        ids: dict[str, SourceSpan] = {}
        for index, data in enumerate(tree.data.get("groups", [])):
            path: NodePath = ("groups", index)
            span = tree.span(path)
            title: str = data["title"]
            key = data.get("key") or slug(title)
            if not key:
                self._error(
                    f"cannot make a key from the title {title!r}; set `key`",
                    tree.span((*path, "title")),
                    address=board_address(board_key),
                    path=path,
                )
                continue
            address = group_address(board_key, key)
            if key in keys:
                self._error(
                    f"duplicate group key '{key}' (also on {_where(keys[key], span)})",
                    tree.span((*path, "key") if "key" in data else (*path, "title")),
                    address=address,
                    path=(*path, "key") if "key" in data else (*path, "title"),
                )
            if title in titles:
                self._error(
                    f"duplicate group title '{title}' (also on {_where(titles[title], span)})",
                    tree.span((*path, "title")),
                    address=address,
                    path=(*path, "title"),
                )
            pinned: str | None = data.get("id")
            if pinned is not None and pinned in ids:
                self._error(
                    f"group id '{pinned}' is pinned twice (also on {_where(ids[pinned], span)})",
                    tree.span((*path, "id")),
                    address=address,
                    path=(*path, "id"),
                )
            keys.setdefault(key, span)
            titles.setdefault(title, span)
            if pinned is not None:
                ids.setdefault(pinned, span)
            color: str | None = data.get("color")
            if color is not None and group_color_name(color) is None:
                self._error(
                    f"group colour '{color}' is not one of monday's {len(GROUP_COLOR_HEXES)} "
                    f"group colours; did you mean '{_nearest_group_color(color)}'?",
                    tree.span((*path, "color")),
                    address=address,
                    path=(*path, "color"),
                )
            groups.append(
                Group(
                    key=key,
                    title=title,
                    color=None if color is None else color.lower(),
                    previous_titles=tuple(data.get("previous_titles", ())),
                    id=pinned,
                    span=span,
                )
            )
        self._check_previous(
            tree,
            "groups",
            "previous_titles",
            [(g.title, g.key, g.previous_titles) for g in groups],
            "group",
            lambda key: group_address(board_key, key),
        )
        return tuple(groups)

    def _check_previous(
        self,
        tree: Tree,
        section: str,
        field_name: str,
        objects: Sequence[tuple[str, str, tuple[str, ...]]],
        noun: str,
        address_of: Callable[[str], str],
    ) -> None:
        """A previous title/name must not be the current one of another declared object:
        the plan could not tell a rename from the other object."""
        current = {title: key for title, key, _ in objects}
        claimed: dict[str, str] = {}
        for index, (_, key, previous) in enumerate(objects):
            for position, old in enumerate(previous):
                span = tree.span((section, index, field_name, position))
                if old in current and current[old] != key:
                    self._error(
                        f"previous title '{old}' is the title of {noun} '{current[old]}'",
                        span,
                        address=address_of(key),
                    )
                elif old in claimed and claimed[old] != key:
                    self._error(
                        f"previous title '{old}' is also claimed by {noun} '{claimed[old]}'",
                        span,
                        address=address_of(key),
                    )
                claimed.setdefault(old, key)

    # --- items ----------------------------------------------------------------------------

    def _build_items(
        self,
        tree: Tree,
        board_key: str,
        columns: Sequence[Column],
        groups: Sequence[Group],
    ) -> ItemSet:
        data = tree.data["items"]
        by_name = _column_lookup(columns)
        choices = sorted(by_name)
        address = board_address(board_key)

        raw_match = data.get("match_by", NAME_KEY)
        match_names: list[str] = [raw_match] if isinstance(raw_match, str) else raw_match
        match_by: list[str] = []
        for position, name in enumerate(match_names):
            path: NodePath = (
                ("items", "match_by")
                if isinstance(raw_match, str)
                else ("items", "match_by", position)
            )
            resolved = self._match_column(tree, path, name, by_name, choices, address)
            if resolved is None:
                continue
            if resolved in match_by:
                self._error(
                    f"match_by names column '{name}' twice", tree.span(path), address=address
                )
                continue
            match_by.append(resolved)

        group_keys = {g.key: g.key for g in groups} | {g.title: g.key for g in groups}
        default_group = groups[0].key if groups else None
        by_key = {column.key: column for column in columns}
        rows: list[Item] = []
        seen_keys: dict[tuple[str, ...], SourceSpan] = {}
        accepted: set[tuple[int, type, Any]] = set()
        for index, row in enumerate(data.get("rows", [])):
            path = ("items", "rows", index)
            item = self._build_item(
                tree,
                path,
                row,
                board_key,
                by_name,
                choices,
                group_keys,
                default_group,
                match_names,
                accepted,
            )
            if item is None:
                continue
            key = self._match_key(tree, path, item, match_by, by_key, board_key)
            if key is not None:
                span = item.span or tree.span(path)
                if key in seen_keys:
                    self._error(
                        f"another row has the same match key (on "
                        f"{_where(seen_keys[key], span)}); match_by: "
                        f"{', '.join(match_by)}",
                        span,
                        address=item_address(board_key, join_match_key(key)),
                        path=path,
                    )
                else:
                    seen_keys[key] = span
            rows.append(item)
        return ItemSet(
            rows=tuple(rows),
            match_by=tuple(match_by) or (NAME_KEY,),
            mode=cast(ItemMode, data.get("mode", "upsert")),
            prune=bool(data.get("prune", False)),
            span=tree.span(("items",)),
            order=self._item_order(tree, data, address),
        )

    def _item_order(self, tree: Tree, data: Any, address: str) -> ItemOrder:
        order = cast(ItemOrder, data.get("order", "unmanaged"))
        if order == "managed" and data.get("mode") == "create_only":
            self._error(
                "order: managed moves existing items, and mode: create_only never touches "
                "them; drop one of the two",
                tree.span(("items", "order")),
                address=address,
                path=("items", "order"),
            )
        return order

    def _match_column(
        self,
        tree: Tree,
        path: NodePath,
        name: str,
        by_name: dict[str, Column],
        choices: list[str],
        address: str,
    ) -> str | None:
        if name == NAME_KEY:
            return NAME_KEY
        column = by_name.get(name)
        if column is None:
            self._error(
                f"match_by: unknown column '{name}'{did_you_mean(name, [*choices, NAME_KEY])}",
                tree.span(path),
                address=address,
                path=path,
            )
            return None
        if column.type not in codec.MATCHABLE_TYPES:
            self._error(
                f"match_by: column '{name}' is of type {column.type}, whose values cannot "
                "identify an item reliably; use name or a column of type "
                + ", ".join(sorted(codec.MATCHABLE_TYPES)),
                tree.span(path),
                address=address,
                path=path,
            )
            return None
        return column.key

    def _build_item(
        self,
        tree: Tree,
        path: NodePath,
        row: dict[str, Any],
        board_key: str,
        by_name: dict[str, Column],
        choices: list[str],
        group_keys: dict[str, str],
        default_group: str | None,
        match_names: Sequence[str],
        accepted: set[tuple[int, type, Any]],
    ) -> Item | None:
        """The row as an ``Item``, or None after reporting its problems. ``accepted``
        holds the (id of column, type, value) scalars already found valid on this board: rows
        repeat the same labels, numbers and dates, each checked once."""
        name: str = row["name"]
        address = _row_address(board_key, path, row, match_names)
        ok = True
        group = default_group
        if "group" in row:
            found = group_keys.get(row["group"])
            if found is None:
                hint = (
                    did_you_mean(row["group"], group_keys)
                    if group_keys
                    else "; this board declares no groups"
                )
                self._error(
                    f"unknown group '{row['group']}'{hint}",
                    tree.span((*path, "group")),
                    address=address,
                    path=(*path, "group"),
                )
                ok = False
            group = found
        values: dict[str, JSONValue] = {}
        written_as: dict[str, str] = {}
        for written, value in row.get("values", {}).items():
            value_path: NodePath = (*path, "values", written)
            column = by_name.get(written)
            if column is None:
                self._error(
                    f"unknown column '{written}'{did_you_mean(written, choices)}",
                    tree.key_span(value_path),
                    address=address,
                    path=value_path,
                )
                ok = False
                continue
            column_key = column.key
            if column_key in written_as:
                self._error(
                    f"column '{column_key}' is given twice (as '{written_as[column_key]}' and "
                    f"'{written}')",
                    tree.key_span(value_path),
                    address=address,
                    path=value_path,
                )
                ok = False
                continue
            written_as[column_key] = written
            scalar = type(value) in _SCALAR_TYPES
            if not scalar or (id(column), type(value), value) not in accepted:
                try:
                    codec.check(column, value)
                except codec.CodecError as error:
                    self._error(
                        f"{written}: {error}",
                        tree.span(value_path),
                        address=address,
                        path=value_path,
                    )
                    ok = False
                    continue
                if scalar:
                    accepted.add((id(column), type(value), value))
            values[column_key] = value
        if not ok:
            return None
        return Item(name=name, group=group, values=values, span=tree.span(path))

    def _match_key(
        self,
        tree: Tree,
        path: NodePath,
        item: Item,
        match_by: Sequence[str],
        by_key: dict[str, Column],
        board_key: str,
    ) -> tuple[str, ...] | None:
        key = match_key_parts(match_by, item.name, lambda k: (by_key[k], item.values.get(k)))
        for column_key, text in zip(match_by, key, strict=True):
            if column_key != NAME_KEY and text == "":
                self._error(
                    f"no value for match_by column '{column_key}': the item could not be "
                    "found again",
                    tree.span(path),
                    address=f"{board_address(board_key)}.items.rows[{path[-1]}]",
                    path=path,
                )
                return None
        return key

    # --- across boards --------------------------------------------------------------------

    def _check_reserved_board_names(self, boards: Sequence[Board]) -> None:
        """The apply lease's board is boardops' own: no manifest may declare it."""
        for board in boards:
            if LOCK_BOARD_NAME in (board.name, *board.previous_names):
                self._error(
                    f"'{LOCK_BOARD_NAME}' is the name of boardops' apply lease board "
                    "(README, 'Concurrent applies'); give this board another name",
                    board.span or SourceSpan(""),
                    address=board_address(board.key),
                )

    def _check_boards_together(
        self, boards: Sequence[Board], workspaces: dict[str, Workspace]
    ) -> None:
        by_key: dict[str, Board] = {}
        by_id: dict[str, Board] = {}
        by_place: dict[tuple[str, str], Board] = {}
        for board in boards:
            here = board.span or SourceSpan("")
            address = board_address(board.key)
            if board.key in by_key:
                self._error(
                    f"duplicate board key '{board.key}' (also board '{by_key[board.key].name}' "
                    f"on {_where(by_key[board.key].span, here)}); set `key` to tell them apart",
                    here,
                    address=address,
                )
            by_key.setdefault(board.key, board)
            if board.id is not None:
                if board.id in by_id:
                    self._error(
                        f"board id {board.id} is pinned twice (also board "
                        f"'{by_id[board.id].key}' on {_where(by_id[board.id].span, here)})",
                        here,
                        address=address,
                    )
                by_id.setdefault(board.id, board)
            place = _workspace_place(board)
            if (place, board.name) in by_place:
                other = by_place[(place, board.name)]
                self._error(
                    f"duplicate board name '{board.name}' in {_place_text(place, workspaces)} "
                    f"(also board '{other.key}' on {_where(other.span, here)})",
                    here,
                    address=address,
                )
            by_place.setdefault((place, board.name), board)
        for board in boards:
            place = _workspace_place(board)
            for old in board.previous_names:
                holder = by_place.get((place, old))
                if holder is not None and holder.key != board.key:
                    self._error(
                        f"previous name '{old}' is the name of board '{holder.key}'",
                        board.span or SourceSpan(""),
                        address=board_address(board.key),
                    )


def _description(data: Mapping[str, Any]) -> str | None:
    """A description as the model holds it: absent -> None (monday's is left alone);
    ``null`` or "" -> "" (empty on monday: cleared if it has one)."""
    if "description" not in data:
        return None
    value = data["description"]
    return "" if value is None else str(value)


def _workspace_place(board: Board) -> str:
    if board.workspace is not None:
        return f"key:{board.workspace}"
    if board.workspace_id is not None:
        return f"id:{board.workspace_id}"
    return "main"


def _place_text(place: str, workspaces: dict[str, Workspace]) -> str:
    if place == "main":
        return "the main workspace"
    kind, _, value = place.partition(":")
    if kind == "key":
        return f"workspace '{workspaces[value].name}'" if value in workspaces else value
    return f"workspace {value}"


def _has_placeholder(value: Any) -> bool:
    """Whether template expansion changes ``value`` (a placeholder or an escape in it)."""
    return isinstance(value, str) and _ESCAPE_OR_PLACEHOLDER.search(value) is not None


def _row_address(
    board_key: str, path: NodePath, row: dict[str, Any], match_names: Sequence[str]
) -> str:
    """The item's address by its match key as written, or by its row when a part of the
    key is missing (errors must still say which row)."""
    parts: list[str] = []
    values = row.get("values", {})
    for name in match_names or (NAME_KEY,):
        value = row.get("name") if name == NAME_KEY else values.get(name)
        if value is None or value == "" or isinstance(value, (dict, list)):
            return f"{board_address(board_key)}.items.rows[{path[-1]}]"
        parts.append(str(value).lower() if isinstance(value, bool) else str(value))
    return item_address(board_key, join_match_key(parts))


def _column_lookup(columns: Iterable[Column]) -> dict[str, Column]:
    """Columns by id and by title (ids win when a title equals another column's id)."""
    lookup: dict[str, Column] = {}
    for column in columns:
        lookup.setdefault(column.title, column)
    for column in columns:
        if column.id is not None:
            lookup[column.id] = column
    return lookup


def _identity(entry: Any, key_field: str) -> Any:
    if not isinstance(entry, dict):
        return None
    return entry.get(key_field) or entry.get("title")


def _merge(template: Tree, board: Tree) -> Tree:
    """The board's own keys over the template's body. Columns and groups merge by identity
    (a board entry replaces the template's entry with the same id/key or title, in place;
    new ones go after); items merge key by key, with the board's rows after the
    template's."""
    out = TreeBuilder()
    out.set_container((), {})
    out.mark((), board.span(), None)
    for key in board.data:
        if key in ("template", "vars"):
            continue
        if key in ("columns", "groups") and key in template.data:
            continue
        if key == "items" and key in template.data:
            continue
        out.place((key,), board, (key,))
    out.set_container(("template",), board.data["template"])
    out.mark(("template",), board.span(("template",)), board.key_span(("template",)))
    for key in template.data:
        if key in ("columns", "groups"):
            _merge_list(out, key, template, board, "id" if key == "columns" else "key")
        elif key == "items":
            _merge_items(out, template, board)
        elif key not in board.data:
            out.place((key,), template, (key,))
    return out.build(board.fallback)


def _merge_list(out: TreeBuilder, key: str, template: Tree, board: Tree, key_field: str) -> None:
    base: list[Any] = template.data[key]
    own: list[Any] = board.data.get(key, [])
    replaced = {_identity(entry, key_field): i for i, entry in enumerate(own)}
    out.set_container((key,), [])
    out.mark((key,), template.span((key,)), template.key_span((key,)))
    position = 0
    used: set[int] = set()
    for index, entry in enumerate(base):
        mine = replaced.get(_identity(entry, key_field))
        if mine is not None and mine not in used:
            out.place((key, position), board, (key, mine))
            used.add(mine)
        else:
            out.place((key, position), template, (key, index), entry)
        position += 1
    for index in range(len(own)):
        if index not in used:
            out.place((key, position), board, (key, index))
            position += 1


def _merge_items(out: TreeBuilder, template: Tree, board: Tree) -> None:
    base: dict[str, Any] = template.data["items"]
    own: dict[str, Any] = board.data.get("items", {})
    out.set_container(("items",), {})
    out.mark(("items",), template.span(("items",)), template.key_span(("items",)))
    for key in base:
        if key not in own and key != "rows":
            out.place(("items", key), template, ("items", key), base[key])
    for key in own:
        if key != "rows":
            out.place(("items", key), board, ("items", key))
    if "rows" in base or "rows" in own:
        out.set_container(("items", "rows"), [])
        position = 0
        for source, rows in ((template, base.get("rows", [])), (board, own.get("rows", []))):
            for index, row in enumerate(rows):
                out.place(("items", "rows", position), source, ("items", "rows", index), row)
                position += 1
