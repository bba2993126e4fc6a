"""Placement: workspace folders and the folder each board sits in (see README, Placement).

A workspace that declares ``folders:`` has them created (parents first: a sub-folder's
``CreateFolder`` holds an ``ObjectRef`` to its parent's), renamed (``previous_names``) and
recoloured in place; a folder is matched by name, else a previous name, among the live
folders under the same parent (``boardops.identity.match_named``). Live folders it does
not declare are reported as unmanaged, or, under the workspace's ``prune``, deleted when
empty: no board stays in it (boards this plan moves elsewhere do not count) and every
sub-folder goes too. A workspace that leaves ``folders`` out has its folders left alone.

A board's ``folder:`` path names a folder its workspace declares, else one on monday in
that workspace (boards in a workspace the manifests do not declare, or in the main
workspace, can name only live ones); anything else is a plan error with a did-you-mean.
The board is created in it (``create_board(folder_id:)``) or moved into it with its
workspace move, as one ``MoveBoard`` (``update_board_hierarchy``), never a copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from boardops.codec._base import did_you_mean
from boardops.errors import PlanError
from boardops.identity import match_named
from boardops.live import same_workspace
from boardops.model import (
    FOLDER_PATH_SEPARATOR,
    Board,
    DesiredState,
    Folder,
    ItemNickname,
    JSONValue,
    LiveState,
    board_address,
    folder_address,
    folder_path,
    workspace_address,
)
from boardops.plan.actions import (
    Action,
    CreateFolder,
    DeleteFolder,
    FieldChange,
    MoveBoard,
    ObjectRef,
    Unmanaged,
    UpdateFolder,
)
from boardops.plan.diff_base import DiffResult


def _join(parent: str, name: str) -> str:
    return f"{parent}{FOLDER_PATH_SEPARATOR}{name}" if parent else name


class FolderPlan:
    """The folders of the manifests' workspaces against the live ones, and where each
    board's ``folder:`` path leads."""

    def __init__(self, desired: DesiredState, live: LiveState, out: DiffResult) -> None:
        self.desired, self.live, self.out = desired, live, out
        self.main = live.account.main_workspace_id if live.account is not None else None
        # (workspace key, path) -> the declared folder's ref
        self.declared: dict[tuple[str, str], ObjectRef] = {}
        self._matched: set[str] = set()

    # --- workspace folders ----------------------------------------------------------------

    def plan_workspaces(self) -> None:
        for workspace in sorted(self.desired.workspaces, key=lambda w: w.key):
            if workspace.folders is None:
                continue
            found = self.live.workspaces.get(workspace.key)
            workspace_id = found.id if found is not None else None
            ref = ObjectRef(workspace_address(workspace.key), workspace_id)
            self._walk(workspace.key, ref, found is not None, workspace.folders, None, None, "")

    def _in_workspace(self, workspace_id: str | None) -> list[Folder]:
        return [
            f for f in self.live.folders if same_workspace(f.workspace_id, workspace_id, self.main)
        ]

    def _walk(
        self,
        key: str,
        workspace: ObjectRef,
        exists: bool,
        wanted: Sequence[Folder],
        parent: ObjectRef | None,
        parent_id: str | None,
        parent_path: str,
    ) -> None:
        place = workspace_address(key)
        candidates = (
            [f for f in self._in_workspace(workspace.id) if f.parent_id == parent_id]
            if exists and (parent is None or parent.id is not None)
            else []
        )
        for folder in wanted:
            path = _join(parent_path, folder.name)
            address = folder_address(place, path)
            where = f"in {place}" + (f" under {parent_path!r}" if parent_path else "")
            match = match_named(
                address,
                "folder",
                folder.name,
                folder.previous_names,
                candidates,
                where,
                pinnable=False,
            )
            self.out.fact(address, "exists", "no" if match is None else "yes")
            if match is None:
                self.out.actions.append(
                    CreateFolder(
                        address=address,
                        name=folder.name,
                        workspace=workspace,
                        parent=parent,
                        color=folder.color,
                    )
                )
                ref = ObjectRef(address, None)
            else:
                assert match.id is not None, "live folders carry their id"
                self._matched.add(match.id)
                self._record(address, match)
                changes = tuple(
                    FieldChange(name, before, after)
                    for name, before, after in (
                        ("name", match.name, folder.name),
                        ("color", match.color, folder.color),
                    )
                    if after is not None and before != after
                )
                if changes:
                    self.out.actions.append(
                        UpdateFolder(address=address, folder_id=match.id, changes=changes)
                    )
                ref = ObjectRef(address, match.id)
            self.declared[(key, path)] = ref
            self._walk(key, workspace, exists, folder.folders, ref, ref.id, path)

    def _record(self, address: str, folder: Folder) -> None:
        fact = self.out.fact
        fact(address, "id", folder.id)
        fact(address, "name", folder.name)
        fact(address, "color", folder.color)
        if folder.board_ids is not None:
            fact(address, "boards", ",".join(sorted(folder.board_ids)))
        children = sorted(str(f.id) for f in self.live.folders if f.parent_id == folder.id)
        fact(address, "sub_folders", ",".join(children))

    def plan_prune(self, actions: Iterable[Action]) -> None:
        """Live folders of the declaring workspaces that the manifests do not declare:
        deleted under the workspace's ``prune`` when empty (after the plan's board
        moves), else reported."""
        moved_out = {a.board_id for a in actions if isinstance(a, MoveBoard)}
        for workspace in sorted(self.desired.workspaces, key=lambda w: w.key):
            found = self.live.workspaces.get(workspace.key)
            if workspace.folders is None or found is None:
                continue
            folders = self._in_workspace(found.id)
            place = workspace_address(workspace.key)
            doomed = [f for f in folders if f.id not in self._matched]
            for folder in sorted(doomed, key=lambda f: folder_path(f, folders)):
                address = folder_address(place, folder_path(folder, folders))
                self._record(address, folder)
                if not workspace.prune:
                    self.out.unmanaged.append(
                        Unmanaged(address, "folder", "not in the manifest (workspace prune is off)")
                    )
                    continue
                held = self._held(folder, folders, moved_out)
                if held:
                    self.out.warnings.append(
                        f"{address}: not deleted: it (or a folder inside it) holds "
                        f"{'a board' if held == 1 else f'{held} boards'} or a declared folder"
                    )
                    continue
                assert folder.id is not None
                self.out.actions.append(
                    DeleteFolder(address=address, folder_id=folder.id, name=folder.name)
                )

    def _held(self, folder: Folder, folders: Sequence[Folder], moved_out: set[str]) -> int:
        """What keeps a folder: the boards in it and in its sub-folders that stay (unknown
        contents count as one), and its declared sub-folders."""
        if folder.id in self._matched:
            return 1
        held = 1 if folder.board_ids is None else len(set(folder.board_ids) - moved_out)
        return held + sum(
            self._held(child, folders, moved_out)
            for child in folders
            if child.parent_id == folder.id
        )

    # --- boards -----------------------------------------------------------------------------

    def board_folder(self, board: Board, workspace: ObjectRef | None) -> ObjectRef | None:
        """The folder ``board.folder`` names, as a ref (with its id when it exists);
        None when the board does not say. A path found nowhere is a PlanError."""
        path = board.folder
        if path is None:
            return None
        if board.workspace is not None:
            ref = self.declared.get((board.workspace, path))
            if ref is not None:
                return ref
            place = workspace_address(board.workspace)
            found = self.live.workspaces.get(board.workspace)
            workspace_id = found.id if found is not None else None
            exists = found is not None
            label = f"workspace {board.workspace!r}"
        else:
            workspace_id = workspace.id if workspace is not None else self.main
            place = workspace.address if workspace is not None else "workspace[main]"
            exists = True
            label = "the main workspace" if workspace is None else f"workspace {workspace_id}"
        live = self._in_workspace(workspace_id) if exists else []
        paths = {folder_path(f, live): f for f in live}
        if path in paths:
            return ObjectRef(folder_address(place, path), paths[path].id)
        known = sorted(set(paths) | {p for k, p in self.declared if k == board.workspace})
        raise PlanError(
            f"{board_address(board.key)}: folder {path!r} is not a folder of {label}: "
            "declare it under the workspace's `folders`, or create it on monday"
            + did_you_mean(path, known)
        )


# --- item nickname ---------------------------------------------------------------------------


def item_nickname_input(nickname: ItemNickname) -> dict[str, str]:
    """A nickname as ``ItemNicknameInput`` (the JSON ``update_board`` takes, too): a
    custom one is monday's preset ``other``."""
    value = {
        "preset_type": nickname.preset or "other",
        "singular": nickname.singular,
        "plural": nickname.plural,
    }
    return {k: v for k, v in value.items() if v is not None}


def item_nickname_change(found: Board, board: Board) -> tuple[FieldChange, ...]:
    """The ``item_nickname`` change of an existing board: monday reads back one word
    (``item_terminology``), compared case-blind with the nickname's singular (else its
    preset); a plural-only change cannot be seen, so it is not planned."""
    wanted = board.item_nickname
    if wanted is None or found.item_nickname is None:
        return ()
    before = found.item_nickname.term
    if before.casefold() == wanted.term.casefold():
        return ()
    after: dict[str, JSONValue] = dict(item_nickname_input(wanted))
    return (FieldChange("item_nickname", before, after),)
