"""From schema-checked manifest documents to a ``DesiredState``: template expansion,
conversion to the model and the checks a JSON Schema cannot express (uniqueness, references
between objects, label limits, values per column type, item identity).

Layout: ``StateBuilder`` here collects documents and builds workspaces and the checks
across boards; it is put together from ``build_boards`` (one board: template, columns,
labels, groups), ``build_items`` (its items) and ``build_base`` (recording problems).
An item's match key is ``boardops.identity``'s."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from boardops.errors import ManifestError, SourceSpan
from boardops.manifest.build_base import _description, _where
from boardops.manifest.build_boards import (
    _ESCAPE_OR_PLACEHOLDER,
    BoardsBuilder,
    _RawBoard,
    _Template,
)
from boardops.manifest.build_links import check_links
from boardops.manifest.schema_check import SchemaChecker
from boardops.manifest.source import Document, NodePath
from boardops.manifest.tree import Tree, tree_of
from boardops.model import (
    FOLDER_PATH_SEPARATOR,
    LOCK_BOARD_NAME,
    Board,
    Folder,
    WeekStart,
    Workspace,
    WorkspaceKind,
    board_address,
    workspace_address,
)


@dataclass(frozen=True)
class _RawWorkspace:
    tree: Tree
    prefix: NodePath


class StateBuilder(BoardsBuilder):
    """Collects documents, then builds the model; every problem lands in ``errors``."""

    def __init__(self) -> None:
        self.errors: list[ManifestError] = []
        self._workspaces: list[_RawWorkspace] = []
        self._unsound_workspace_keys: set[str] = set()
        self._templates: dict[str, _Template] = {}
        self._boards: list[_RawBoard] = []
        self._prefix: NodePath = ()  # where the board being built sits in its document
        # ``week_start:`` as the first document that states it does, and where.
        self.week_start: WeekStart | None = None
        self._week_start_span: SourceSpan | None = None
        self._relation_spans = {}

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
        for index, raw_workspace in enumerate(data.get("workspaces", [])):
            if sound("workspaces", index):
                self._workspaces.append(
                    _RawWorkspace(tree_of(document, ("workspaces", index)), ("workspaces", index))
                )
            elif isinstance(raw_workspace, dict):
                # Its own error is reported; boards naming it should not add one each.
                self._unsound_workspace_keys.add(
                    str(raw_workspace.get("key", raw_workspace.get("name")))
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

    def build(self) -> tuple[tuple[Workspace, ...], tuple[Board, ...]]:
        workspaces = self._build_workspaces()
        known_keys = {w.key for w in workspaces} | self._unsound_workspace_keys
        boards: list[Board] = []
        for raw in self._boards:
            board = self._build_board(raw, known_keys)
            if board is not None:
                boards.append(board)
        self._check_boards_together(boards, {w.key: w for w in workspaces})
        self._check_relations_across(boards)
        check_links(
            boards, lambda message, span, address: self._error(message, span, address=address)
        )
        self._check_reserved_board_names(boards)
        return tuple(workspaces), tuple(boards)

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
                folders=self._build_folders(raw.tree, ("folders",), key)
                if "folders" in data
                else None,
                prune=bool(data.get("prune", False)),
            )
            address = workspace_address(key)
            here = raw.tree.span()
            if key in by_key:
                self._error_at(
                    raw.tree,
                    ("key",) if "key" in data else ("name",),
                    f"duplicate workspace key '{key}' (also on {_where(by_key[key].span, here)})",
                    address,
                )
                continue
            if name in by_name:
                self._error_at(
                    raw.tree,
                    ("name",),
                    f"duplicate workspace name '{name}' "
                    f"(also on {_where(by_name[name].span, here)})",
                    address,
                )
                continue
            if pinned is not None and pinned in by_id:
                self._error_at(
                    raw.tree,
                    ("id",),
                    f"workspace id {pinned} is pinned twice "
                    f"(also on {_where(by_id[pinned].span, here)})",
                    address,
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

    def _build_folders(self, tree: Tree, at: NodePath, workspace_key: str) -> tuple[Folder, ...]:
        """The folders listed at ``at`` (and their sub-folders): sibling names (current and
        previous) must differ, and a name may not hold the path separator."""
        folders: list[Folder] = []
        names: dict[str, SourceSpan] = {}
        address = workspace_address(workspace_key)
        for index, raw in enumerate(tree.get(at)):
            here = (*at, index)
            name: str = raw["name"]
            span = tree.span((*here, "name"))
            if FOLDER_PATH_SEPARATOR in name:
                self._error_at(
                    tree,
                    (*here, "name"),
                    f"folder name '{name}' holds '{FOLDER_PATH_SEPARATOR}', which separates "
                    "the names of a board's folder path; rename it",
                    address,
                )
                continue
            clash = next((n for n in (name, *raw.get("previous_names", ())) if n in names), None)
            if clash is not None:
                self._error_at(
                    tree,
                    (*here, "name"),
                    f"duplicate folder name '{clash}' among sibling folders "
                    f"(also on {_where(names[clash], span)})",
                    address,
                )
                continue
            for n in (name, *raw.get("previous_names", ())):
                names[n] = span
            children = (
                self._build_folders(tree, (*here, "folders"), workspace_key)
                if ("folders" in raw)
                else ()
            )
            folders.append(
                Folder(
                    name=name,
                    color=raw.get("color"),
                    folders=children,
                    previous_names=tuple(raw.get("previous_names", ())),
                    span=span,
                )
            )
        return tuple(folders)

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
        # What each board holds, ("key", key), ("id", id) and ("name", place, name): first come.
        seen: dict[tuple[str, ...], Board] = {}
        for board in boards:
            place = _workspace_place(board)
            self._claim(seen, board, ("key", board.key), f"duplicate board key '{board.key}'")
            if board.id is not None:
                self._claim(seen, board, ("id", board.id), f"board id {board.id} is pinned twice")
            self._claim(
                seen,
                board,
                ("name", place, board.name),
                f"duplicate board name '{board.name}' in {_place_text(place, workspaces)}",
            )
        for board in boards:
            place = _workspace_place(board)
            for old in board.previous_names:
                holder = seen.get(("name", place, old))
                if holder is not None and holder.key != board.key:
                    self._error(
                        f"previous name '{old}' is the name of board '{holder.key}'",
                        board.span or SourceSpan(""),
                        address=board_address(board.key),
                    )

    def _claim(
        self, seen: dict[tuple[str, ...], Board], board: Board, claim: tuple[str, ...], problem: str
    ) -> None:
        """``board`` holds ``claim`` unless another board holds it already: then ``problem``,
        naming that board (by its name when the claim is the key they share)."""
        other = seen.get(claim)
        if other is None:
            seen[claim] = board
            return
        here = board.span or SourceSpan("")
        if claim[0] == "key":
            also, hint = other.name, "; set `key` to tell them apart"
        else:
            also, hint = other.key, ""
        self._error(
            f"{problem} (also board '{also}' on {_where(other.span, here)}){hint}",
            here,
            address=board_address(board.key),
        )


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
