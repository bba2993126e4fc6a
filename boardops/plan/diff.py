"""The diff: desired state against live state, as plan actions.

Set algebra over stable keys (see ``boardops.model`` for the identity rules): desired
minus live gives creates, live minus desired gives prune candidates (reported as
``Unmanaged`` unless the manifest's ``prune`` covers that scope), and objects in both
are compared field by field. Keys are walked in a fixed order, so two runs give the
same actions.

Scopes and what is left alone:

* Boards and workspaces are never deleted. ``board.prune`` covers the board's columns,
  groups and status/dropdown labels; ``items.prune`` covers its items.
* The ``name`` column is never reported. Columns of a type boardops does not manage are
  reported once as unmanaged and never pruned.
* Fields a manifest leaves unset (``None`` descriptions, group colours, status label
  colours) are not managed: whatever monday has stays. A description of "" (``null`` in
  the manifest) is empty: equal to none on monday, and it clears one there.
* A type change replaces a column; with a pinned ``id`` it is refused (monday never
  reuses a column id, so the pin could never match the replacement).
* Prune keeps a board's last group, and a group holding items unless the items prune
  covers them and no declared item stays in it (a warning says why it stays).
* Items are compared only where the desired board declares ``items``. An item is matched
  by its ``match_by`` values; ``mode: create_only`` never touches an existing item.
  Values an item does not mention are left alone, never cleared.
* Status and dropdown labels are matched by identity (text, then ``previous_labels``,
  then, for status, colour), so a renamed label is renamed in place and item values that
  used it follow it; item comparisons see live values through the rename.

All values are compared in the codec's canonical form (desired values are normalised
with ``codec.normalize``; live values come out of ``codec.from_wire`` already canonical),
with plain equality: after normalisation every compared value is a flat JSON value, so a
structural differ such as deepdiff would add nothing but a translation step.

Layout: this module plans workspaces and boards; one board's diff (``_BoardDiff``) is
put together from one part per object kind, each in its own module: ``diff_base`` (the
state they share), ``diff_columns``, ``diff_labels``, ``diff_groups``, ``diff_values``
(canonical item values and match keys), ``diff_items`` and ``diff_members``. Which live
object a desired one is comes from ``boardops.identity``.
"""

from __future__ import annotations

import json

from boardops import codec
from boardops.errors import PlanError
from boardops.live import same_workspace
from boardops.model import (
    Board,
    DesiredState,
    Item,
    LiveState,
    Workspace,
    column_address,
    effective_week_start,
    group_address,
    workspace_address,
)
from boardops.plan.actions import (
    AdoptBoard,
    AdoptWorkspace,
    CreateBoard,
    CreateWorkspace,
    MoveBoard,
    ObjectRef,
    UpdateBoard,
    UpdateWorkspace,
)
from boardops.plan.diff_base import DiffResult, _changes, _description
from boardops.plan.diff_columns import NAME_COLUMN_TYPE
from boardops.plan.diff_folders import FolderPlan, item_nickname_change, item_nickname_input
from boardops.plan.diff_groups import MONDAY_DEFAULT_GROUP_TITLE, _group_id
from boardops.plan.diff_items import ItemsDiff
from boardops.plan.diff_subitems import plan_subitems
from boardops.plan.plan import SUBSCRIBERS_SUFFIX, PlanOptions
from boardops.plan.tags import plan_tags


def diff(desired: DesiredState, live: LiveState, options: PlanOptions) -> DiffResult:
    result = DiffResult()
    directory = codec.Directory(
        users=live.users, week_start=effective_week_start(desired.week_start, live.account)
    )
    for workspace in sorted(desired.workspaces, key=lambda w: w.key):
        _diff_workspace(workspace.key, desired, live, result)
    folders = FolderPlan(desired, live, result)
    folders.plan_workspaces()
    for board in sorted(desired.boards, key=lambda b: b.key):
        board_diff = _BoardDiff(
            board, live.boards.get(board.key), desired, live, directory, options, result
        )
        board_diff.folders = folders
        board_diff.run()
    folders.plan_prune(result.actions)
    result.actions.extend(plan_tags(desired, live, result.actions))
    return result


def _diff_workspace(key: str, desired: DesiredState, live: LiveState, out: DiffResult) -> None:
    wanted = desired.workspace(key)
    assert wanted is not None
    found = live.workspaces.get(key)
    address = workspace_address(key)
    out.fact(address, "exists", "no" if found is None else "yes")
    if found is not None:
        out.fact(address, "id", found.id)
        out.fact(address, "name", found.name)
        out.fact(address, "kind", found.kind)
        out.fact(address, "description", found.description)
    if wanted.kind == "closed" and (found is None or found.kind != "closed"):
        _check_closed_workspaces_allowed(address, live)
    if found is None:
        out.actions.append(
            CreateWorkspace(
                address=address,
                name=wanted.name,
                workspace_kind=wanted.kind,
                description=wanted.description or None,
            )
        )
        return
    _plan_workspace_adoption(wanted, found, desired, live, out)
    changes = _changes(
        ("name", found.name, wanted.name),
        ("workspace_kind", found.kind, wanted.kind),
        _description(found.description, wanted.description),
    )
    if not changes:
        return
    if found.id is None:
        out.warnings.append(f"{address}: the main workspace cannot be updated; left as is")
        return
    out.actions.append(UpdateWorkspace(address=address, workspace_id=found.id, changes=changes))


def _plan_workspace_adoption(
    wanted: Workspace, found: Workspace, desired: DesiredState, live: LiveState, out: DiffResult
) -> None:
    """A workspace found by name (not pinned) while none of the manifest's boards for it
    exists on monday yet (in it, or elsewhere to be moved in) is taken over: shown as
    ``adopt`` on the plan that does it (afterwards its boards exist). See README,
    Identity."""
    if wanted.id is not None or found.id is None:
        return
    boards = [b for b in desired.boards if b.workspace == wanted.key]
    if boards and all(live.boards.get(b.key) is None for b in boards):
        out.actions.append(
            AdoptWorkspace(
                address=workspace_address(wanted.key), workspace_id=found.id, name=found.name
            )
        )


# The account tier that may have closed workspaces (monday SDL: "closed" is Enterprise-only).
CLOSED_WORKSPACE_TIER = "enterprise"


def _check_closed_workspaces_allowed(address: str, live: LiveState) -> None:
    """A closed workspace on an account known not to be Enterprise would fail at apply."""
    tier = live.account.tier if live.account is not None else None
    if tier is not None and tier.strip().lower() != CLOSED_WORKSPACE_TIER:
        raise PlanError(
            f"{address}: kind closed needs an Enterprise account and this one is on the "
            f"{tier} tier; use kind: open"
        )


class _BoardDiff(ItemsDiff):
    # Set by ``diff`` before ``run``: the workspaces' folders, where ``folder:`` leads.
    folders: FolderPlan | None = None

    def _folder_ref(self) -> ObjectRef | None:
        if self.folders is None:
            return None
        return self.folders.board_folder(self.board, self._workspace_ref())

    def run(self) -> None:
        self._record_facts()
        if self.found is None:
            nickname = self.board.item_nickname
            self.emit(
                CreateBoard(
                    address=self.address,
                    name=self.board.name,
                    board_kind=self.board.kind,
                    description=self.board.description or None,
                    workspace=self._workspace_ref(),
                    folder=self._folder_ref(),
                    item_nickname=None if nickname is None else item_nickname_input(nickname),
                )
            )
        else:
            self._update_board(self.found)
        self._diff_columns()
        self._diff_groups()
        self._record_matches()
        self._plan_adoption()
        live_by_key: dict[str, list[Item]] = {}
        if self.board.items is not None:
            # Item facts are recorded even for a structure-only plan, so that a saved
            # plan's fingerprint does not depend on the options it was made with.
            live_by_key = self._index_live_items()
            if self.options.compare_items:
                self._diff_items(live_by_key)
        if self.board.subitems is not None:
            # Before the subscribers: people its subitems assign must be members too.
            plan_subitems(self, live_by_key)
        if self.board.items is not None and self.options.compare_items:
            self._plan_subscribers()
            self._settle_group_losses()

    def _record_facts(self) -> None:
        fact, found = self.out.fact, self.found
        fact(self.address, "exists", "no" if found is None else "yes")
        if found is None:
            return
        fact(self.address, "id", found.id)
        fact(self.address, "updated_at", found.updated_at)
        fact(self.address, "name", found.name)
        fact(self.address, "description", found.description)
        fact(self.address, "workspace", found.workspace_id)
        if self.board.folder is not None:
            fact(self.address, "folder", found.folder_id)
        if self.board.item_nickname is not None and found.item_nickname is not None:
            fact(self.address, "item_nickname", found.item_nickname.term)
        members = self.address + SUBSCRIBERS_SUFFIX
        if found.subscriber_ids is not None:
            fact(members, "users", ",".join(sorted(found.subscriber_ids)))
        if found.team_subscriber_ids is not None:
            fact(members, "teams", ",".join(sorted(found.team_subscriber_ids)))
        for column in found.columns:
            address = column_address(self.board.key, str(column.id))
            fact(address, "type", column.type)
            fact(address, "title", column.title)
            fact(address, "description", column.description)
            if column.revision is not None:
                fact(address, "revision", column.revision)
            fact(address, "filled", self._values_in_column(str(column.id)))
        for position, group in enumerate(found.groups):
            group_id = _group_id(group)
            address = group_address(self.board.key, group_id)
            fact(address, "title", group.title)
            fact(address, "color", group.color)
            fact(address, "position", position)
            fact(address, "items", self._items_in_group(group_id))

    def _record_matches(self) -> None:
        """Which live column and group each declared one matched ("" for none), at the
        address the plan gives it: an object that appears under a name the plan was
        going to create, or a match that moves to another object, is a fact that moved."""
        fact = self.out.fact
        for match in self.columns:
            live = match.live
            fact(column_address(self.board.key, match.desired.key), "matches", live and live.id)
        for key, group in self.groups.items():
            fact(group_address(self.board.key, key), "matches", group and _group_id(group))

    def _workspace_ref(self) -> ObjectRef | None:
        if self.board.workspace is not None:
            found = self.live.workspaces.get(self.board.workspace)
            return ObjectRef(workspace_address(self.board.workspace), found.id if found else None)
        if self.board.workspace_id is not None:
            return ObjectRef(f"workspace[{self.board.workspace_id}]", self.board.workspace_id)
        return None

    def _update_board(self, found: Board) -> None:
        assert found.id is not None, "live boards carry their id"
        changes = _changes(
            ("name", found.name, self.board.name),
            _description(found.description, self.board.description),
        ) + item_nickname_change(found, self.board)
        if changes:
            self.emit(UpdateBoard(address=self.address, board_id=found.id, changes=changes))
        if found.kind != self.board.kind:
            self.out.warnings.append(
                f"{self.address}: kind is {found.kind} on monday, {self.board.kind} in the "
                "manifest; the API cannot change a board's kind, so it is left alone"
            )
        self._plan_move(found)

    def _plan_adoption(self) -> None:
        """A board found by name (not pinned) holding no column with a declared id or title
        (or, with no columns declared, no declared group) but columns or groups of its own
        was not made from this manifest: the plan that takes it over shows ``adopt``;
        afterwards it holds them. A board as ``create_board`` leaves it (the name column and the
        untouched default group, as after an apply stopped right after creating it) has
        nothing to take over. See README, Identity."""
        found = self.found
        if found is None or found.id is None or self.board.id is not None:
            return
        if all(c.type == NAME_COLUMN_TYPE for c in found.columns) and all(
            g.title == MONDAY_DEFAULT_GROUP_TITLE for g in found.groups
        ):
            return
        if self.board.columns:
            # By id or title, whatever the type: a column whose type changed (under a new
            # id) still shows the board was made from this manifest.
            declared = {
                name
                for c in self.board.columns
                for name in (c.id, c.title, *c.previous_titles)
                if name is not None
            }
            foreign = not any(
                c.id in declared or c.title in declared
                for c in found.columns
                if c.type != NAME_COLUMN_TYPE
            )
        elif self.board.groups:
            titles = {t for g in self.board.groups for t in (g.title, *g.previous_titles)}
            foreign = not any(g.title in titles for g in found.groups)
        else:
            foreign = False
        if foreign:
            self.emit(AdoptBoard(address=self.address, board_id=found.id, name=found.name))

    def _plan_move(self, found: Board) -> None:
        """A board found in another workspace than the manifest's (pinned by id, or found
        by name in another workspace of the manifest, see ``live._find_moved``), or in
        another folder than its ``folder:``, is moved with ``update_board_hierarchy``
        (one ``MoveBoard`` for both), never copied."""
        assert found.id is not None
        main = self.live.account.main_workspace_id if self.live.account is not None else None
        wanted = self._workspace_ref()
        to_folder = self._folder_ref()
        moves_folder = to_folder is not None and (
            to_folder.id is None or to_folder.id != found.folder_id
        )
        if wanted is None:
            if same_workspace(found.workspace_id, None, main):
                moves_workspace = False
            elif main is None:
                self.out.warnings.append(
                    f"{self.address}: the board is in workspace {found.workspace_id}, not the "
                    "main workspace, and monday does not report the main workspace's id; "
                    "it is left where it is"
                )
                return
            else:
                moves_workspace = True
            wanted = ObjectRef("workspace[main]", main)
        else:
            moves_workspace = wanted.id is None or not same_workspace(
                found.workspace_id, wanted.id, main
            )
        if not moves_workspace and not moves_folder:
            return
        self.emit(
            MoveBoard(
                address=self.address,
                board_id=found.id,
                from_workspace_id=found.workspace_id,
                from_workspace=self._workspace_text(found.workspace_id, main),
                to_workspace=wanted,
                to_name=self._workspace_text(wanted.id, main, self.board.workspace),
                to_folder=to_folder,
                to_folder_path=self.board.folder if to_folder is not None else None,
                from_folder=found.folder if to_folder is not None else None,
                moves_workspace=moves_workspace,
            )
        )

    def _workspace_text(
        self, workspace_id: str | None, main: str | None, key: str | None = None
    ) -> str:
        """A workspace as a review names it: 'workspace "Name"' or the main workspace."""
        wanted = self.desired.workspace(key) if key is not None else None
        if wanted is not None:
            return f"workspace {_quoted(wanted.name)}"
        if same_workspace(workspace_id, None, main):
            return "the main workspace"
        known = [w for w in self.live.workspaces.values() if w is not None and w.id == workspace_id]
        return f"workspace {_quoted(known[0].name)}" if known else f"workspace {workspace_id}"


def _quoted(name: str) -> str:
    """A name as the views show text: in double quotes, JSON-escaped."""
    return json.dumps(name, ensure_ascii=False)
