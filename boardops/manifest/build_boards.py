"""Building one board (see ``manifest.build``): its template expanded and merged, its
columns, labels and groups; items are ``build_items``'s."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from boardops.errors import SourceSpan
from boardops.manifest.build_access import read_members
from boardops.manifest.build_base import _description, _where
from boardops.manifest.build_relations import RelationsBuilder
from boardops.manifest.build_subitems import SubitemsBuilder
from boardops.manifest.schema_check import SchemaChecker, did_you_mean
from boardops.manifest.source import NodePath, field_path
from boardops.manifest.tree import Tree, TreeBuilder
from boardops.model import (
    FOLDER_PATH_SEPARATOR,
    MAX_STATUS_LABEL_LENGTH,
    MAX_STATUS_LABELS,
    Board,
    BoardKind,
    BoardRole,
    Column,
    DropdownLabel,
    Group,
    ItemNickname,
    StatusLabel,
    board_address,
    column_address,
    group_address,
    label_address,
    slug,
)
from boardops.palette import GROUP_COLOR_HEXES, group_color_name

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


# In a template's strings, read left to right: ``$${`` (a literal ``${``, left escaped by
# the loader for this pass) or a placeholder.
_ESCAPE_OR_PLACEHOLDER = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


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


@dataclass(frozen=True)
class _Template:
    name: str
    tree: Tree
    usable: bool  # False when the template itself failed the schema


@dataclass(frozen=True)
class _RawBoard:
    tree: Tree
    prefix: NodePath  # ("boards", 3): the board's place in its document, for field names


class BoardsBuilder(RelationsBuilder, SubitemsBuilder):
    _templates: dict[str, _Template]

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
            self._error_at(tree, ("vars",), "`vars` needs a `template` to fill", address, key=True)

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
                self._error_at(
                    tree,
                    ("workspace",),
                    f"unknown workspace '{reference}'"
                    + (
                        did_you_mean(reference, workspace_keys)
                        or "; declare it under `workspaces`, or write {id: ...} for an "
                        "existing workspace"
                    ),
                    address,
                )

        columns = self._build_columns(tree, key)
        groups = self._build_groups(tree, key)
        self._board_subitems = (
            self._build_subitems(tree, key) if data.get("subitems") is not None else None
        )
        items = self._build_items(tree, key, columns, groups) if "items" in data else None
        if data.get("prune") is True and not groups:
            self._error_at(
                tree,
                ("prune",),
                "prune: true needs at least one declared group: a board keeps one group, so "
                "list the groups to keep under `groups:`",
                address,
            )
        if data.get("folder") is not None and not _folder_path(data["folder"]):
            self._error_at(
                tree,
                ("folder",),
                "folder: names no folder (write a path such as 'Clients/Active')",
                address,
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
            subitems=self._board_subitems,
            prune=bool(data.get("prune", False)),
            template=template_name,
            subscribe_people=bool(data.get("subscribe_people", True)),
            owners=read_members(tree, "owners"),
            subscribers=read_members(tree, "subscribers"),
            role=cast("BoardRole | None", data.get("role")),
            folder=_folder_path(data.get("folder")),
            item_nickname=_item_nickname(data.get("item_nickname")),
            span=tree.span(),
        )

    def _expand(
        self, board: Tree, template_name: str, prefix: NodePath, address: str
    ) -> Tree | None:
        template = self._templates.get(template_name)
        if template is None:
            self._error_at(
                board,
                ("template",),
                f"unknown template '{template_name}'{did_you_mean(template_name, self._templates)}",
                address,
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
            self._error_at(
                board,
                ("template",),
                f"template '{template_name}' needs a value for ${{{name}}} (add it to vars)",
                address,
            )
        for name in variables:
            if name not in used:
                placeholders = sorted(used | set(missing))
                self._error_at(
                    board,
                    ("vars", name),
                    f"template '{template_name}' has no placeholder ${{{name}}}"
                    f"{did_you_mean(name, placeholders)}",
                    address,
                    key=True,
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
                self._error_at(
                    tree,
                    (*path, "id"),
                    "column id 'name' is taken by monday's item name column",
                    address,
                )
            elif column_id is not None and column_id in ids:
                self._error_at(
                    tree,
                    (*path, "id"),
                    f"duplicate column id '{column_id}' (also on {_where(ids[column_id], span)})",
                    address,
                )
            if data["title"] in titles:
                self._error_at(
                    tree,
                    (*path, "title"),
                    f"duplicate column title '{data['title']}' "
                    f"(also on {_where(titles[data['title']], span)})",
                    address,
                )
            if column_id is not None:
                ids.setdefault(column_id, span)
            titles.setdefault(data["title"], span)
            status_labels, dropdown_labels = self._build_labels(tree, path, board_key, key)
            relation, mirror = self._build_relation(tree, path, board_key, key)
            columns.append(
                Column(
                    title=data["title"],
                    type=data["type"],
                    id=column_id,
                    description=_description(data),
                    status_labels=status_labels,
                    dropdown_labels=dropdown_labels,
                    previous_titles=tuple(data.get("previous_titles", ())),
                    declared_settings=data.get("settings"),
                    width=data.get("width"),
                    relation=relation,
                    mirror=mirror,
                    span=span,
                )
            )
        self._check_previous(tree, "columns", columns, partial(column_address, board_key))
        self._check_board_relations(board_key, columns)
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
            self._error_at(
                tree,
                (*column_path, "labels"),
                f"only status and dropdown columns take labels, not {column_type}",
                address,
                key=True,
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
                    self._error_at(
                        tree,
                        (*path, extra[0]),
                        f"dropdown labels take no {', '.join(extra)} (only status labels do)",
                        label_at,
                        key=True,
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
                    self._error_at(
                        tree,
                        (*path, "color"),
                        f"colour {color} is already used by another label of this column (on "
                        f"{_where(colors[color], span)}); monday uses the colour as the "
                        "label id, so each colour can appear once",
                        label_at,
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
            self._error_at(
                tree,
                (*column_path, "labels"),
                f"status column has {len(entries)} labels; monday allows at most "
                f"{MAX_STATUS_LABELS}",
                address,
                key=True,
            )
        labels = [(s.label, s.previous_labels) for s in status] + [
            (d.label, d.previous_labels) for d in dropdown
        ]
        texts = {label for label, _ in labels}
        for index, (label, previous_labels) in enumerate(labels):
            for old in previous_labels:
                if old in texts:
                    self._error_at(
                        tree,
                        (*column_path, "labels", index),
                        f"previous label '{old}' is the text of another label of this column",
                        label_address(board_key, column_key, label),
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
                self._error_at(
                    tree,
                    (*path, "key") if "key" in data else (*path, "title"),
                    f"duplicate group key '{key}' (also on {_where(keys[key], span)})",
                    address,
                )
            if title in titles:
                self._error_at(
                    tree,
                    (*path, "title"),
                    f"duplicate group title '{title}' (also on {_where(titles[title], span)})",
                    address,
                )
            pinned: str | None = data.get("id")
            if pinned is not None and pinned in ids:
                self._error_at(
                    tree,
                    (*path, "id"),
                    f"group id '{pinned}' is pinned twice (also on {_where(ids[pinned], span)})",
                    address,
                )
            keys.setdefault(key, span)
            titles.setdefault(title, span)
            if pinned is not None:
                ids.setdefault(pinned, span)
            color: str | None = data.get("color")
            if color is not None and group_color_name(color) is None:
                self._error_at(
                    tree,
                    (*path, "color"),
                    f"group colour '{color}' is not one of monday's {len(GROUP_COLOR_HEXES)} "
                    f"group colours; did you mean '{_nearest_group_color(color)}'?",
                    address,
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
        self._check_previous(tree, "groups", groups, partial(group_address, board_key))
        return tuple(groups)

    def _check_previous(
        self,
        tree: Tree,
        section: str,
        objects: Sequence[Column | Group],
        address_of: Callable[[str], str],
    ) -> None:
        """A previous title must not be the current one of another declared object of
        ``section`` (columns or groups): the plan could not tell a rename from the other."""
        noun = section.removesuffix("s")
        current = {o.title: o.key for o in objects}
        claimed: dict[str, str] = {}
        for index, o in enumerate(objects):
            key = o.key
            for position, old in enumerate(o.previous_titles):
                span = tree.span((section, index, "previous_titles", position))
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


def _folder_path(value: str | None) -> str | None:
    """A board's ``folder:`` as a path of non-empty names ("Clients / Active/" ->
    "Clients/Active"); None when left out."""
    if value is None:
        return None
    names = [n.strip() for n in value.split(FOLDER_PATH_SEPARATOR)]
    return FOLDER_PATH_SEPARATOR.join(n for n in names if n)


def _item_nickname(value: dict[str, str] | None) -> ItemNickname | None:
    if value is None:
        return None
    return ItemNickname(
        singular=value.get("singular"), plural=value.get("plural"), preset=value.get("preset")
    )
