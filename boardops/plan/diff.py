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
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TypeVar

from boardops import codec
from boardops.errors import AmbiguousMatch, BoardopsError, PlanError
from boardops.live import same_workspace
from boardops.model import (
    CREATABLE_COLUMN_ID,
    NAME_KEY,
    STATUS_COLOR_IDS,
    Board,
    Column,
    DesiredState,
    DropdownLabel,
    Group,
    Item,
    JSONValue,
    LiveState,
    StatusLabel,
    User,
    Workspace,
    board_address,
    column_address,
    effective_week_start,
    group_address,
    item_address,
    join_match_key,
    label_address,
    workspace_address,
)
from boardops.plan.actions import (
    RESERVED_STATUS_LABEL_ID,
    Action,
    AddBoardSubscribers,
    AddDropdownLabel,
    AddStatusLabel,
    AdoptBoard,
    AdoptItem,
    AdoptWorkspace,
    ArchiveGroup,
    ArchiveItem,
    ColumnSpec,
    CreateBoard,
    CreateColumn,
    CreateGroup,
    CreateItem,
    CreateWorkspace,
    DeactivateDropdownLabel,
    DeactivateStatusLabel,
    DeleteColumn,
    FieldChange,
    GroupPosition,
    ItemColumn,
    ItemPosition,
    LabelPosition,
    MoveBoard,
    MoveGroup,
    MoveItem,
    ObjectRef,
    ReactivateDropdownLabel,
    RenameDropdownLabel,
    RenameStatusLabel,
    ReorderLabels,
    ReplaceColumn,
    StatusLabelSpec,
    Unmanaged,
    UpdateBoard,
    UpdateColumn,
    UpdateGroup,
    UpdateItem,
    UpdateStatusLabel,
    UpdateWorkspace,
)
from boardops.plan.plan import SUBSCRIBERS_SUFFIX, FingerprintEntry, PlanOptions

NAME_COLUMN_TYPE = "name"

_SCALAR_TYPES = (str, int, float, bool)
_UNSEEN = object()
# What _digest serialises with: json.dumps would build an encoder per call.
_DIGEST_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)

# The title monday gives the one group every new board starts with.
MONDAY_DEFAULT_GROUP_TITLE = "Group Title"


@dataclass
class DiffResult:
    actions: list[Action] = field(default_factory=list)
    unmanaged: list[Unmanaged] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What the diff looked at (see ``FingerprintEntry``), for saved-plan freshness checks.
    facts: list[FingerprintEntry] = field(default_factory=list)

    def fact(self, address: str, aspect: str, value: object) -> None:
        self.facts.append(FingerprintEntry(address, aspect, "" if value is None else str(value)))


@dataclass(frozen=True)
class ColumnMatch:
    """A desired column and the live column it matched (None: it will be created)."""

    desired: Column
    live: Column | None

    @cached_property
    def replaced(self) -> bool:
        return self.live is not None and self.live.type != self.desired.type

    @cached_property
    def kept(self) -> Column | None:
        """The live column that survives the plan (not a replaced one)."""
        return None if self.replaced else self.live


def diff(desired: DesiredState, live: LiveState, options: PlanOptions) -> DiffResult:
    result = DiffResult()
    directory = codec.Directory(
        users=live.users, week_start=effective_week_start(desired.week_start, live.account)
    )
    for workspace in sorted(desired.workspaces, key=lambda w: w.key):
        _diff_workspace(workspace.key, desired, live, result)
    for board in sorted(desired.boards, key=lambda b: b.key):
        _BoardDiff(
            board, live.boards.get(board.key), desired, live, directory, options, result
        ).run()
    return result


def _diff_workspace(key: str, desired: DesiredState, live: LiveState, out: DiffResult) -> None:
    wanted = desired.workspace(key)
    assert wanted is not None
    found = live.workspaces.get(key)
    address = workspace_address(key)
    out.fact(address, "exists", "no" if found is None else "yes")
    if found is not None:
        out.fact(address, "id", found.id)
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


def _description(
    before: str | None, after: str | None
) -> tuple[str, JSONValue, JSONValue] | tuple[str, JSONValue, JSONValue, bool]:
    """The ``_changes`` spec of a description: None (left out of the manifest) is not
    managed; "" (``null`` or "" in the manifest) means empty, which a missing live
    description already is, and which clears a live one (shown ``"old" -> null``)."""
    if after == "":
        return ("description", before, None) if before else ("description", None, None)
    return ("description", before, after, True)


def _changes(
    *specs: tuple[str, JSONValue, JSONValue] | tuple[str, JSONValue, JSONValue, bool],
) -> tuple[FieldChange, ...]:
    """FieldChanges for (field, before, after[, unset_means_unmanaged]) that differ."""
    changes = []
    for spec in specs:
        name, before, after = spec[0], spec[1], spec[2]
        optional = len(spec) == 4 and bool(spec[3])
        if optional and after is None:
            continue
        if before != after:
            changes.append(FieldChange(name, before, after))
    return tuple(changes)


class _BoardDiff:
    def __init__(
        self,
        board: Board,
        found: Board | None,
        desired: DesiredState,
        live: LiveState,
        directory: codec.Directory,
        options: PlanOptions,
        out: DiffResult,
    ) -> None:
        self.board = board
        self.found = found
        self.desired = desired
        self.live = live
        self.directory = directory
        self.options = options
        self.out = out
        self.address = board_address(board.key)
        self.ref = ObjectRef(self.address, found.id if found else None)
        self.columns: list[ColumnMatch] = []
        self._columns_by_key: dict[str, ColumnMatch] = {}
        self.groups: dict[str, Group | None] = {}
        # column key -> {live label text: desired label text}, for renamed labels
        self.label_renames: dict[str, dict[str, str]] = {}
        self._item_group_refs: dict[str, ObjectRef] = {}
        # (id of the desired column, value type, value) -> canonical value, see _normalize
        self._normalized: dict[tuple[int, type, JSONValue], JSONValue] = {}
        # people tokens ("123", "team:7") item values write -> the first item writing it
        self._assigned: dict[str, str] = {}
        # match keys of unmanaged live items that spell column values (addressed by id)
        self._hidden_keys: set[str] = set()

    def emit(self, action: Action) -> None:
        self.out.actions.append(action)

    def unmanaged(self, address: str, kind: str, reason: str) -> None:
        self.out.unmanaged.append(Unmanaged(address=address, kind=kind, reason=reason))

    def run(self) -> None:
        self._record_facts()
        if self.found is None:
            self.emit(
                CreateBoard(
                    address=self.address,
                    name=self.board.name,
                    board_kind=self.board.kind,
                    description=self.board.description or None,
                    workspace=self._workspace_ref(),
                )
            )
        else:
            self._update_board(self.found)
        self._diff_columns()
        self._diff_groups()
        self._plan_adoption()
        if self.board.items is not None:
            # Item facts are recorded even for a structure-only plan, so that a saved
            # plan's fingerprint does not depend on the options it was made with.
            live_by_key = self._index_live_items()
            if self.options.compare_items:
                self._diff_items(live_by_key)
                self._plan_subscribers()
                self._settle_group_losses()

    # --- board ---------------------------------------------------------------------------

    def _record_facts(self) -> None:
        fact, found = self.out.fact, self.found
        fact(self.address, "exists", "no" if found is None else "yes")
        if found is None:
            return
        fact(self.address, "id", found.id)
        fact(self.address, "updated_at", found.updated_at)
        members = self.address + SUBSCRIBERS_SUFFIX
        if found.subscriber_ids is not None:
            fact(members, "users", ",".join(sorted(found.subscriber_ids)))
        if found.team_subscriber_ids is not None:
            fact(members, "teams", ",".join(sorted(found.team_subscriber_ids)))
        for column in found.columns:
            address = column_address(self.board.key, str(column.id))
            fact(address, "type", column.type)
            fact(address, "title", column.title)
            if column.revision is not None:
                fact(address, "revision", column.revision)
        for position, group in enumerate(found.groups):
            address = group_address(self.board.key, _group_id(group))
            fact(address, "title", group.title)
            fact(address, "position", position)

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
        )
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
        by name in another workspace of the manifest, see ``live._find_moved``) is moved
        with ``update_board_hierarchy``, never copied."""
        assert found.id is not None
        main = self.live.account.main_workspace_id if self.live.account is not None else None
        wanted = self._workspace_ref()
        if wanted is None:
            if same_workspace(found.workspace_id, None, main):
                return
            if main is None:
                self.out.warnings.append(
                    f"{self.address}: the board is in workspace {found.workspace_id}, not the "
                    "main workspace, and monday does not report the main workspace's id; "
                    "it is left where it is"
                )
                return
            wanted = ObjectRef("workspace[main]", main)
        elif wanted.id is not None and same_workspace(found.workspace_id, wanted.id, main):
            return
        self.emit(
            MoveBoard(
                address=self.address,
                board_id=found.id,
                from_workspace_id=found.workspace_id,
                from_workspace=self._workspace_text(found.workspace_id, main),
                to_workspace=wanted,
                to_name=self._workspace_text(wanted.id, main, self.board.workspace),
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

    # --- columns -------------------------------------------------------------------------

    def _match_columns(self, live_columns: Sequence[Column]) -> list[ColumnMatch]:
        taken: set[str] = set()
        by_id = {c.id: c for c in live_columns if c.id is not None}
        matches: dict[int, Column | None] = {}
        for i, wanted in enumerate(self.board.columns):
            if wanted.id is not None:
                hit = by_id.get(wanted.id)
                matches[i] = hit
                if hit is not None:
                    taken.add(wanted.id)
        for i, wanted in enumerate(self.board.columns):
            if wanted.id is not None:
                continue
            matches[i] = None
            for title in (wanted.title, *wanted.previous_titles):
                candidates = [
                    c
                    for c in live_columns
                    if c.title == title and c.id not in taken and c.type != NAME_COLUMN_TYPE
                ]
                if len(candidates) > 1:
                    raise AmbiguousMatch(
                        column_address(self.board.key, wanted.key),
                        [str(c.id) for c in candidates],
                    )
                if candidates:
                    matches[i] = candidates[0]
                    taken.add(str(candidates[0].id))
                    break
        return [ColumnMatch(c, matches[i]) for i, c in enumerate(self.board.columns)]

    def _column_ref(self, match: ColumnMatch) -> ObjectRef:
        kept = match.kept
        return ObjectRef(
            column_address(self.board.key, match.desired.key), kept.id if kept else None
        )

    def _diff_columns(self) -> None:
        live_columns = self.found.columns if self.found else ()
        self.columns = self._match_columns(live_columns)
        matched_ids = {m.live.id for m in self.columns if m.live is not None}
        previous: ColumnMatch | None = None
        for match in self.columns:
            after = self._column_ref(previous) if previous is not None else None
            self._diff_column(match, after)
            previous = match
        for column in live_columns:
            if column.id in matched_ids or column.type == NAME_COLUMN_TYPE:
                continue
            address = column_address(self.board.key, str(column.id))
            if column.type not in codec.MANAGED_COLUMN_TYPES:
                self.unmanaged(
                    address,
                    "column",
                    f"column type {column.type!r} is not managed by boardops (never pruned)",
                )
            elif self.board.prune:
                self.emit(
                    DeleteColumn(
                        address=address,
                        board_id=self._board_id(),
                        column_id=str(column.id),
                        title=column.title,
                        column_type=column.type,
                        values=self._values_in_column(str(column.id)),
                    )
                )
            else:
                self.unmanaged(address, "column", "not in the manifest (board prune is off)")
        self._warn_column_order()

    def _spec(self, column: Column) -> ColumnSpec:
        colors = _StatusColors((), column.status_labels)
        labels = []
        for lbl in column.status_labels:
            color = lbl.color if lbl.color is not None else colors.free()
            labels.append(StatusLabelSpec(lbl.label, color, lbl.done, lbl.description))
        return ColumnSpec(
            key=column.key,
            title=column.title,
            type=column.type,
            id=column.id,
            description=column.description or None,
            status_labels=tuple(labels),
            dropdown_labels=tuple(lbl.label for lbl in column.dropdown_labels),
        )

    def _diff_column(self, match: ColumnMatch, after: ObjectRef | None) -> None:
        wanted, found = match.desired, match.live
        address = column_address(self.board.key, wanted.key)
        if found is None:
            if wanted.id is not None and not CREATABLE_COLUMN_ID.fullmatch(wanted.id):
                raise PlanError(
                    f"{address}: the board has no column with id '{wanted.id}', and monday "
                    "creates custom column ids only of 1-20 characters of a-z and _ (fix the "
                    "id, or drop `id:` to let monday choose one)"
                )
            self.emit(
                CreateColumn(address=address, board=self.ref, spec=self._spec(wanted), after=after)
            )
            return
        assert found.id is not None, "live columns carry their id"
        board_id = self._board_id()
        if match.replaced:
            _refuse_pinned_type_change(address, wanted, found)
            self.emit(
                ReplaceColumn(
                    address=address,
                    board_id=board_id,
                    column_id=found.id,
                    before_type=found.type,
                    spec=self._spec(wanted),
                    after=after,
                    values=self._values_in_column(found.id),
                )
            )
            return
        changes = _changes(
            ("title", found.title, wanted.title),
            _description(found.description, wanted.description),
        )
        if changes:
            self.emit(
                UpdateColumn(
                    address=address,
                    board_id=board_id,
                    column_id=found.id,
                    revision=found.revision,
                    changes=changes,
                )
            )
        if wanted.type == "status":
            self._diff_status_labels(wanted, found, board_id)
        elif wanted.type == "dropdown":
            self._diff_dropdown_labels(wanted, found, board_id)

    def _warn_column_order(self) -> None:
        if self.found is None:
            return
        position = {c.id: i for i, c in enumerate(self.found.columns)}
        kept = [m for m in self.columns if m.kept is not None]
        live_order = sorted(kept, key=lambda m: position[m.kept.id if m.kept else None])
        if [m.desired.key for m in live_order] != [m.desired.key for m in kept]:
            self.out.warnings.append(
                f"{self.address}: existing columns are in a different order on monday "
                f"({', '.join(m.desired.key for m in live_order)}); monday cannot reorder "
                "existing columns, so boardops leaves the order alone"
            )

    # --- labels --------------------------------------------------------------------------

    def _diff_status_labels(self, wanted: Column, found: Column, board_id: str) -> None:
        assert found.id is not None
        column_id, revision = found.id, found.revision
        matches = _match_labels(wanted.status_labels, found.status_labels)
        renames: dict[str, str] = {}
        colors = _StatusColors(found.status_labels, wanted.status_labels)
        for i, (label, hit) in enumerate(zip(wanted.status_labels, matches, strict=True)):
            address = label_address(self.board.key, wanted.key, label.label)
            if hit is None:
                if label.color is not None:
                    conflict = colors.conflict(label.color)
                    if conflict is not None:
                        raise PlanError(
                            f"{address}: the new label cannot have colour {label.color}: "
                            f"{conflict}; choose another colour, or leave `color` out"
                        )
                color = label.color if label.color is not None else colors.free()
                self.emit(
                    AddStatusLabel(
                        address=address,
                        board_id=board_id,
                        column_id=column_id,
                        revision=revision,
                        label=StatusLabelSpec(label.label, color, label.done, label.description),
                        position=_label_position(wanted.status_labels, matches, i),
                    )
                )
                continue
            holder = colors.holder(label.color) if label.color is not None else None
            if holder is not None and holder is not hit:
                self.out.warnings.append(
                    f"{address}: colour {label.color} is held by the live label "
                    f"{holder.label!r}; a status colour can be used once per column, so "
                    "monday will refuse this until that label changes colour"
                )
            label_id = _label_id(hit, address)
            if label_id == RESERVED_STATUS_LABEL_ID:
                self._leave_reserved_label(address, hit, label)
                continue
            if hit.label != label.label:
                renames[hit.label] = label.label
                self.emit(
                    RenameStatusLabel(
                        address=address,
                        board_id=board_id,
                        column_id=column_id,
                        revision=revision,
                        label_id=label_id,
                        before=hit.label,
                        after=label.label,
                    )
                )
            changes = _changes(
                ("color", hit.color, label.color, True),
                ("done", hit.done, label.done),
                ("description", hit.description, label.description, True),
                ("deactivated", hit.deactivated, False),
            )
            if changes:
                self.emit(
                    UpdateStatusLabel(
                        address=address,
                        board_id=board_id,
                        column_id=column_id,
                        revision=revision,
                        label_id=label_id,
                        label=label.label,
                        changes=changes,
                    )
                )
        self._leftover_labels(
            wanted, found, found.status_labels, matches, DeactivateStatusLabel, board_id
        )
        self._label_order(wanted, found, wanted.status_labels, found.status_labels, matches)
        self.label_renames[wanted.key] = renames

    def _leave_reserved_label(self, address: str, hit: StatusLabel, label: StatusLabel) -> None:
        """monday's default label (id 5) matched by its text: changes to it are not made."""
        changes = _changes(
            ("color", hit.color, label.color, True),
            ("done", hit.done, label.done),
            ("description", hit.description, label.description, True),
        )
        if changes:
            self.out.warnings.append(
                f"{address}: this is monday's reserved default label (id "
                f"{RESERVED_STATUS_LABEL_ID}); boardops never changes it, so its "
                f"{', '.join(c.field for c in changes)} stay as they are on monday"
            )

    def _diff_dropdown_labels(self, wanted: Column, found: Column, board_id: str) -> None:
        assert found.id is not None
        column_id, revision = found.id, found.revision
        matches = _match_labels(wanted.dropdown_labels, found.dropdown_labels)
        renames: dict[str, str] = {}
        for i, (label, hit) in enumerate(zip(wanted.dropdown_labels, matches, strict=True)):
            address = label_address(self.board.key, wanted.key, label.label)
            if hit is None:
                self.emit(
                    AddDropdownLabel(
                        address=address,
                        board_id=board_id,
                        column_id=column_id,
                        revision=revision,
                        label=label.label,
                        position=_label_position(wanted.dropdown_labels, matches, i),
                    )
                )
                continue
            label_id = _label_id(hit, address)
            if hit.label != label.label:
                renames[hit.label] = label.label
                self.emit(
                    RenameDropdownLabel(
                        address=address,
                        board_id=board_id,
                        column_id=column_id,
                        revision=revision,
                        label_id=label_id,
                        before=hit.label,
                        after=label.label,
                    )
                )
            if hit.deactivated:
                self.emit(
                    ReactivateDropdownLabel(
                        address=address,
                        board_id=board_id,
                        column_id=column_id,
                        revision=revision,
                        label_id=label_id,
                        label=label.label,
                    )
                )
        self._leftover_labels(
            wanted, found, found.dropdown_labels, matches, DeactivateDropdownLabel, board_id
        )
        self._label_order(wanted, found, wanted.dropdown_labels, found.dropdown_labels, matches)
        self.label_renames[wanted.key] = renames

    def _label_order(
        self,
        wanted: Column,
        found: Column,
        wanted_labels: Sequence[StatusLabel | DropdownLabel],
        live_labels: Sequence[StatusLabel | DropdownLabel],
        matches: Sequence[StatusLabel | DropdownLabel | None],
    ) -> None:
        """A reorder when the live labels the manifest lists are not in its order (live
        order: status labels by ``index``, dropdown labels as listed). New labels carry
        their own position; deactivated, unmanaged and monday's default label do not
        count."""
        assert found.id is not None
        declared: dict[int, str] = {
            id(hit): label.label
            for label, hit in zip(wanted_labels, matches, strict=True)
            if hit is not None and not _reserved(hit)
        }
        after = tuple(declared.values())
        before = tuple(declared[id(hit)] for hit in live_labels if id(hit) in declared)
        if before == after:
            return
        self.emit(
            ReorderLabels(
                address=column_address(self.board.key, wanted.key),
                board_id=self._board_id(),
                column_id=found.id,
                revision=found.revision,
                column_type=found.type,
                before=before,
                after=after,
            )
        )

    def _leftover_labels(
        self,
        wanted: Column,
        found: Column,
        live_labels: Sequence[StatusLabel | DropdownLabel],
        matches: Sequence[StatusLabel | DropdownLabel | None],
        deactivate: type[DeactivateStatusLabel] | type[DeactivateDropdownLabel],
        board_id: str,
    ) -> None:
        """Active live labels the manifest does not list: deactivated under prune, else
        reported as unmanaged."""
        assert found.id is not None
        kind = f"{found.type}_label"
        matched = {id(hit) for hit in matches if hit is not None}
        for hit in live_labels:
            if id(hit) in matched or hit.deactivated:
                continue
            address = label_address(self.board.key, wanted.key, hit.label)
            if isinstance(hit, StatusLabel) and hit.id == RESERVED_STATUS_LABEL_ID:
                if not hit.label:
                    continue  # the blank default label every status column has
                self.unmanaged(address, kind, "monday's reserved default label (never changed)")
                continue
            if not self.board.prune:
                self.unmanaged(address, kind, "not in the manifest (board prune is off)")
                continue
            self.emit(
                deactivate(
                    address=address,
                    board_id=board_id,
                    column_id=found.id,
                    revision=found.revision,
                    label_id=_label_id(hit, address),
                    label=hit.label,
                )
            )

    # --- groups --------------------------------------------------------------------------

    def _match_groups(self, live_groups: Sequence[Group]) -> dict[str, Group | None]:
        taken: set[str] = set()
        by_id = {g.id: g for g in live_groups if g.id is not None}
        result: dict[str, Group | None] = {}
        for wanted in self.board.groups:
            if wanted.id is not None:
                hit = by_id.get(wanted.id)
                result[wanted.key] = hit
                if hit is not None:
                    taken.add(wanted.id)
        for wanted in self.board.groups:
            if wanted.id is not None:
                continue
            result[wanted.key] = None
            for title in (wanted.title, *wanted.previous_titles):
                candidates = [g for g in live_groups if g.title == title and g.id not in taken]
                if len(candidates) > 1:
                    raise AmbiguousMatch(
                        group_address(self.board.key, wanted.key),
                        [str(g.id) for g in candidates],
                    )
                if candidates:
                    result[wanted.key] = candidates[0]
                    taken.add(str(candidates[0].id))
                    break
        return self._adopt_default_group(live_groups, result)

    def _adopt_default_group(
        self, live_groups: Sequence[Group], matched: dict[str, Group | None]
    ) -> dict[str, Group | None]:
        """A board whose only group is monday's untouched default takes it as its first
        declared group (renamed), as apply does on a board it creates.

        Without this, a board created by hand, or by an apply stopped between
        ``create_board`` and the rename of its default group, would keep a stray
        "Group Title" group next to the declared ones.
        """
        if (
            len(live_groups) == 1
            and live_groups[0].title == MONDAY_DEFAULT_GROUP_TITLE
            and self.board.groups
            and self.board.groups[0].id is None
            and not any(matched.values())
        ):
            matched[self.board.groups[0].key] = live_groups[0]
        return matched

    def _group_ref(self, key: str) -> ObjectRef:
        hit = self.groups.get(key)
        return ObjectRef(group_address(self.board.key, key), hit.id if hit else None)

    def _diff_groups(self) -> None:
        live_groups = self.found.groups if self.found else ()
        self.groups = self._match_groups(live_groups)
        wanted = self.board.groups
        live_index = {_group_id(g): i for i, g in enumerate(live_groups)}
        existing = [w.key for w in wanted if self.groups[w.key] is not None]
        stable = set(_longest_increasing(existing, lambda k: live_index[_group_id(self.groups[k])]))
        first_stable = next((w.key for w in wanted if w.key in stable), None)
        for i, group in enumerate(wanted):
            address = group_address(self.board.key, group.key)
            hit = self.groups[group.key]
            if i > 0:
                position: GroupPosition | None = GroupPosition(
                    "after", self._group_ref(wanted[i - 1].key)
                )
            elif first_stable is not None and first_stable != group.key:
                position = GroupPosition("before", self._group_ref(first_stable))
            else:
                position = None
            if hit is None:
                self.emit(
                    CreateGroup(
                        address=address,
                        board=self.ref,
                        title=group.title,
                        color=group.color,
                        position=position,
                    )
                )
                continue
            board_id = self._board_id()
            group_id = _group_id(hit)
            changes = _changes(
                ("title", hit.title, group.title),
                (
                    "color",
                    hit.color.lower() if hit.color else None,
                    group.color.lower() if group.color else None,
                    True,
                ),
            )
            if changes:
                self.emit(
                    UpdateGroup(
                        address=address, board_id=board_id, group_id=group_id, changes=changes
                    )
                )
            if group.key not in stable and position is not None:
                self.emit(
                    MoveGroup(
                        address=address, board_id=board_id, group_id=group_id, position=position
                    )
                )
        matched = {_group_id(g) for g in self.groups.values() if g is not None}
        kept = len(wanted)
        for live_group in live_groups:
            group_id = _group_id(live_group)
            if group_id in matched:
                continue
            address = group_address(self.board.key, group_id)
            if self.board.prune:
                reason = self._group_prune_refusal(group_id, kept)
                if reason is not None:
                    kept += 1
                    self.out.warnings.append(
                        f"{address}: not archived although prune is on: {reason}"
                    )
                    continue
                self.emit(
                    ArchiveGroup(
                        address=address,
                        board_id=self._board_id(),
                        group_id=group_id,
                        title=live_group.title,
                        items=self._items_in_group(group_id),
                    )
                )
            else:
                self.unmanaged(address, "group", "not in the manifest (board prune is off)")

    def _values_in_column(self, column_id: str) -> int | None:
        """How many live items have a value in the column (None: not known)."""
        found = self.found
        if found is None:
            return 0
        if found.contents is not None:
            return found.contents.values_by_column.get(column_id, 0)
        if found.items is not None:
            return sum(1 for row in found.items.rows if row.values.get(column_id) is not None)
        return None

    def _settle_group_losses(self) -> None:
        """An archived group loses the items in it that the plan neither archives nor
        moves out itself (those are counted by their own actions)."""
        found = self.found
        if found is None or found.items is None:
            return
        group_of = {str(row.id): row.group for row in found.items.rows}
        handled: dict[str, int] = {}
        for action in self.out.actions:
            if isinstance(action, ArchiveItem | MoveItem) and action.board_id == found.id:
                group = group_of.get(action.item_id)
                if group is not None:
                    handled[group] = handled.get(group, 0) + 1
        for i, action in enumerate(self.out.actions):
            if (
                isinstance(action, ArchiveGroup)
                and action.board_id == found.id
                and action.items is not None
                and action.group_id in handled
            ):
                left = max(action.items - handled[action.group_id], 0)
                self.out.actions[i] = replace(action, items=left)

    def _items_in_group(self, group_id: str) -> int | None:
        """How many live items the group holds (None: not known, as from a snapshot)."""
        found = self.found
        if found is None:
            return 0
        if found.contents is not None:
            return found.contents.items_by_group.get(group_id, 0)
        if found.items is not None:
            return sum(1 for row in found.items.rows if row.group == group_id)
        return None

    def _group_prune_refusal(self, group_id: str, kept: int) -> str | None:
        """Why prune must leave this live group alone (None: it may be archived).

        A board always keeps one group; archiving a group archives every item in it, so
        a group is archived only when it is empty, or when the manifest's ``items`` prune
        covers its items and none of them is a declared item that stays in it."""
        if kept == 0:
            return (
                "a board keeps at least one group, and the manifest declares none "
                "(list the groups to keep under `groups:`)"
            )
        count = self._items_in_group(group_id)
        if count == 0:
            return None
        items = self.board.items
        if items is None or not items.prune:
            held = "items" if count is None else f"{count} item{'' if count == 1 else 's'}"
            scope = "has no `items:`" if items is None else "does not prune items"
            return (
                f"it holds {held} and the manifest {scope}, so archiving it would archive "
                "items boardops leaves alone (move or archive them, or declare `items:` "
                "with `prune: true`)"
            )
        staying = self._declared_items_in_group(group_id)
        if staying:
            return (
                f"it holds declared items this plan leaves in it ({', '.join(staying)}); "
                "give them a declared `group:`, or plan with items compared"
            )
        return None

    def _declared_items_in_group(self, group_id: str) -> list[str]:
        """Names of live items in the group that match a declared item left in place (one
        without a ``group:``, or any when items are not compared in this plan)."""
        items, found = self.board.items, self.found
        if items is None or found is None or found.items is None:
            return []
        compared = self.options.compare_items
        staying = {
            self._desired_key(row, item_address(self.board.key, row.name))
            for row in items.rows
            if row.group is None or not compared
        }
        return sorted(
            row.name
            for row in found.items.rows
            if row.group == group_id and self._live_key(row) in staying
        )

    def _board_id(self) -> str:
        assert self.found is not None, "only called for boards that exist"
        assert self.found.id is not None, "live boards carry their id"
        return self.found.id

    # --- items ---------------------------------------------------------------------------

    def _column_match(self, key: str) -> ColumnMatch:
        if not self._columns_by_key:
            for match in self.columns:
                self._columns_by_key.setdefault(match.desired.key, match)
                if match.desired.id is not None:
                    self._columns_by_key.setdefault(match.desired.id, match)
        found = self._columns_by_key.get(key)
        if found is not None:
            return found
        raise PlanError(
            f"{self.address}: items use column {key!r}, which the board does not declare"
        )

    def _normalize(self, column: Column, value: JSONValue, address: str) -> JSONValue:
        """The canonical form of a desired value. Items repeat the same labels, numbers and
        dates, so scalar values are normalised once per column (and value type: ``True``
        and ``1`` are equal keys but different values) within this board's diff, where
        the desired columns live."""
        remembered = type(value) in _SCALAR_TYPES
        if remembered:
            key = (id(column), type(value), value)
            known = self._normalized.get(key, _UNSEEN)
            if known is not _UNSEEN:
                return known  # type: ignore[return-value]
        try:
            canonical = codec.normalize(column, value, self.directory)
        except codec.CodecError as error:
            raise PlanError(f"{address}: column {column.key!r}: {error}") from error
        if column.type == "people" and isinstance(canonical, list):
            self._check_users_known(column, canonical, address)
        if remembered and not isinstance(canonical, (list, dict)):
            self._normalized[key] = canonical
        return canonical

    def _check_users_known(self, column: Column, people: list[JSONValue], address: str) -> None:
        """Every user a people value names, by email or by id, is a user of the account
        (once the account's users were read): an unknown one would only fail at apply,
        after the board's other changes were made. Teams are not users and pass."""
        if not self.directory.users:
            return
        unknown = [
            str(token)
            for token in people
            if isinstance(token, str)
            and not token.startswith("team:")
            and self.directory.user(token) is None
        ]
        if unknown:
            named = ", ".join(f"the email {t}" if "@" in t else f"the id {t}" for t in unknown)
            raise PlanError(
                f"{address}: column {column.key!r}: no user of this monday account has {named}"
            )

    def _live_value(self, item: Item, match: ColumnMatch) -> JSONValue:
        """The live value as it will read after this plan's label renames."""
        kept = match.kept
        if kept is None or kept.id is None:
            return None
        value = item.values.get(kept.id)
        renames = self.label_renames.get(match.desired.key)
        if renames and value is not None:
            if isinstance(value, str):
                return renames.get(value, value)
            if isinstance(value, list):
                renamed: list[JSONValue] = [
                    renames.get(v, v) if isinstance(v, str) else v for v in value
                ]
                # Back to canonical form: a dropdown value is a sorted set of labels.
                return codec.normalize(match.desired, renamed, self.directory)
        return value

    def _desired_key(self, item: Item, address_hint: str) -> str:
        assert self.board.items is not None
        parts = []
        for key in self.board.items.match_by:
            if key == NAME_KEY:
                parts.append(codec.match_key(None, item.name))
                continue
            column = self._column_match(key).desired
            value = self._normalize(column, item.values.get(key), address_hint)
            parts.append(codec.match_key(column, value))
        return join_match_key(parts)

    def _live_key(self, item: Item) -> str:
        assert self.board.items is not None
        parts = []
        for key in self.board.items.match_by:
            if key == NAME_KEY:
                parts.append(codec.match_key(None, item.name))
                continue
            match = self._column_match(key)
            parts.append(codec.match_key(match.desired, self._live_value(item, match)))
        return join_match_key(parts)

    def _item_columns(self, keys: Iterable[str]) -> tuple[ItemColumn, ...]:
        result = []
        for key in keys:
            match = self._column_match(key)
            result.append(ItemColumn(key, self._column_ref(match), match.desired.type))
        return tuple(result)

    def _index_live_items(self) -> dict[str, list[Item]]:
        """Live items by match key (recording them as fingerprint facts)."""
        live_rows = self.found.items.rows if self.found and self.found.items else ()
        live_by_key: dict[str, list[Item]] = {}
        for row in live_rows:
            live_by_key.setdefault(self._live_key(row), []).append(row)
        self._hidden_keys = self._unmanaged_keys_with_values(live_by_key)
        for key, rows in live_by_key.items():
            if key in self._hidden_keys:
                for row in rows:
                    address = self._live_item_address(key, row)
                    self.out.fact(address, "id", str(row.id))
                    self.out.fact(address, "values", _digest([_item_image(row)]))
                continue
            address = item_address(self.board.key, key)
            self.out.fact(address, "id", ",".join(sorted(str(r.id) for r in rows)))
            self.out.fact(address, "values", _digest([_item_image(r) for r in rows]))
        if self.board.items is not None and self.board.items.order == "managed":
            # The moves depend on where each item is.
            for n, row in enumerate(live_rows):
                address = self._live_item_address(self._live_key(row), row)
                self.out.fact(address, "position", n)
        return live_by_key

    def _unmanaged_keys_with_values(self, live_by_key: Mapping[str, list[Item]]) -> set[str]:
        """Match keys of live items the manifest leaves alone that spell column values
        (``match_by`` names a column): such items are addressed by id (``item[#ID]``), so
        no value of an unmanaged item reaches a plan. Under ``prune`` they are archived,
        so they keep the address their action shows."""
        items = self.board.items
        if items is None or items.prune or all(k == NAME_KEY for k in items.match_by):
            return set()
        try:
            wanted = {
                self._desired_key(row, item_address(self.board.key, row.name)) for row in items.rows
            }
        except BoardopsError:
            return set()  # the item diff reports it
        return {key for key in live_by_key if key not in wanted}

    def _live_item_address(self, key: str, row: Item) -> str:
        if key in self._hidden_keys:
            return item_address(self.board.key, f"#{row.id}")
        return item_address(self.board.key, key)

    def _diff_items(self, live_by_key: Mapping[str, list[Item]]) -> None:
        items = self.board.items
        assert items is not None
        if self.found is not None and self.found.items is None:
            self.out.warnings.append(
                f"{self.address}: live items were not read; every declared item is planned as new"
            )
        wanted_by_key: dict[str, Item] = {}
        for row in items.rows:
            key = self._desired_key(row, item_address(self.board.key, row.name))
            address = item_address(self.board.key, key)
            if key in wanted_by_key:
                raise PlanError(f"{address}: two items in the manifest have this match key")
            wanted_by_key[key] = row
        adopted = self._adoptions(wanted_by_key, live_by_key)
        # Manifest order: new items are placed next to their declared neighbours (an
        # adopted item stands where it is, like any existing one).
        positions = self._item_positions(
            wanted_by_key, {**live_by_key, **{key: [t] for key, t in adopted.items()}}
        )
        for key, row in wanted_by_key.items():
            found: Sequence[Item] = live_by_key.get(key, [])
            taken = adopted.get(key)
            if taken is not None:
                self.emit(
                    AdoptItem(
                        address=item_address(self.board.key, key),
                        board_id=self._board_id(),
                        item_id=str(taken.id),
                        name=taken.name,
                    )
                )
                found = [taken]
            self._diff_item(key, row, found, positions.get(key))
        adopted_ids = {str(item.id) for item in adopted.values()}
        for key in sorted(set(live_by_key) - set(wanted_by_key)):
            rows = [r for r in live_by_key[key] if str(r.id) not in adopted_ids]
            if not rows:
                continue
            address = item_address(self.board.key, key)
            if not items.prune:
                for row in rows:
                    self.unmanaged(
                        self._live_item_address(key, row),
                        "item",
                        "not in the manifest (items prune is off)",
                    )
                continue
            for row in sorted(rows, key=lambda r: str(r.id)):
                self.emit(
                    ArchiveItem(
                        address=address,
                        board_id=self._board_id(),
                        item_id=str(row.id),
                        name=row.name,
                    )
                )

    def _key_is_empty(self, item: Item) -> bool:
        """Whether every ``match_by`` column (besides the name) is empty on this live item,
        as on items made before ``match_by`` named a newly added column."""
        assert self.board.items is not None
        keys = [k for k in self.board.items.match_by if k != NAME_KEY]
        return bool(keys) and all(
            self._live_value(item, self._column_match(k)) in (None, "", [], {}) for k in keys
        )

    def _adoptions(
        self, wanted_by_key: Mapping[str, Item], live_by_key: Mapping[str, list[Item]]
    ) -> dict[str, Item]:
        """Live items no key matches whose key columns are empty on monday, taken as the
        declared row (by key) with the same name when exactly one row and one such item
        have that name: switching ``match_by`` to a new column never duplicates items.
        A row created beside an unmatched live item of its name is warned about."""
        assert self.board.items is not None
        new_keys = [k for k in wanted_by_key if k not in live_by_key]
        if not new_keys:
            return {}
        unmatched = [
            item for key, rows in live_by_key.items() if key not in wanted_by_key for item in rows
        ]
        if not unmatched:
            return {}
        rows_by_name: dict[str, list[str]] = {}
        for key, row in wanted_by_key.items():
            rows_by_name.setdefault(row.name, []).append(key)
        empty_by_name: dict[str, list[Item]] = {}
        for item in unmatched:
            if self._key_is_empty(item):
                empty_by_name.setdefault(item.name, []).append(item)
        adopted: dict[str, Item] = {}
        if self.board.items.mode != "create_only":
            for key in new_keys:
                name = wanted_by_key[key].name
                items = empty_by_name.get(name, [])
                if len(rows_by_name[name]) == 1 and len(items) == 1:
                    adopted[key] = items[0]
        names: dict[str, list[str]] = {}
        for item in unmatched:
            names.setdefault(item.name, []).append(str(item.id))
        for key in sorted(set(new_keys) - set(adopted)):
            ids = names.get(wanted_by_key[key].name)
            if ids:
                self.out.warnings.append(
                    f"{item_address(self.board.key, key)}: created, while live item "
                    f"{', '.join(sorted(ids))} has the same name {wanted_by_key[key].name!r} "
                    "and matches no declared row (its match_by values differ); check "
                    "match_by, or fill its key columns on monday"
                )
        return adopted

    def _group_for(self, row: Item) -> ObjectRef | None:
        if row.group is not None:
            if row.group not in self.groups:
                raise PlanError(
                    f"{self.address}: items use group {row.group!r}, "
                    "which the board does not declare"
                )
            ref = self._item_group_refs.get(row.group)
            if ref is None:
                # One ref per group for all its items (groups are matched by now).
                ref = self._item_group_refs[row.group] = self._group_ref(row.group)
            return ref
        return None

    def _item_positions(
        self, wanted: Mapping[str, Item], live_by_key: Mapping[str, list[Item]]
    ) -> dict[str, ItemPosition | None]:
        """Where each item must go, by match key: for a new item, its place; for an
        existing one, its place only when it must move (``order: managed`` and out of
        order). In each group the rows' order is the desired order: an item goes after
        the row before it, the first row before the first item that stays put. Items
        that stay put: all existing ones, or under ``order: managed`` the longest run of
        them already in order in their group (so the moves are as few as possible)."""
        items = self.board.items
        assert items is not None
        managed = items.order == "managed"
        live_rows = self.found.items.rows if self.found and self.found.items else ()
        rank = {id(row): n for n, row in enumerate(live_rows)}
        buckets: dict[str | None, list[str]] = {}
        for key, row in wanted.items():
            buckets.setdefault(row.group, []).append(key)
        result: dict[str, ItemPosition | None] = {}

        def existing(key: str) -> Item | None:
            found = live_by_key.get(key, [])
            return found[0] if len(found) == 1 else None

        for group, keys in buckets.items():
            here = self._group_ref(group).id if group is not None else None
            if managed:
                in_place = [
                    k
                    for k in keys
                    if (hit := existing(k)) is not None and (group is None or hit.group == here)
                ]
                stays = set(_longest_increasing(in_place, lambda k: rank[id(existing(k))]))
            else:
                stays = {k for k in keys if existing(k) is not None}
            first_stay = next((k for k in keys if k in stays), None)
            for i, key in enumerate(keys):
                if key in stays:
                    result[key] = None
                    continue
                if i > 0:
                    result[key] = ItemPosition("after", self._item_ref(keys[i - 1], live_by_key))
                elif first_stay is not None:
                    result[key] = ItemPosition("before", self._item_ref(first_stay, live_by_key))
                else:
                    result[key] = None
        return result

    def _item_ref(self, key: str, live_by_key: Mapping[str, list[Item]]) -> ObjectRef:
        found = live_by_key.get(key, [])
        return ObjectRef(
            item_address(self.board.key, key), str(found[0].id) if len(found) == 1 else None
        )

    def _diff_item(
        self, key: str, row: Item, found: Sequence[Item], position: ItemPosition | None = None
    ) -> None:
        items = self.board.items
        assert items is not None
        address = item_address(self.board.key, key)
        if len(found) > 1:
            raise AmbiguousMatch(address, sorted(str(r.id) for r in found))
        values: dict[str, JSONValue] = {}
        matches: list[ColumnMatch] = []
        for k, v in row.values.items():
            match = self._column_match(k)
            values[k] = self._normalize(match.desired, v, address)
            matches.append(match)
        group = self._group_for(row)
        if not found:
            for value, match in zip(values.values(), matches, strict=True):
                self._note_people(match.desired, value, address)
            self.emit(
                CreateItem(
                    address=address,
                    board=self.ref,
                    name=row.name,
                    match_by=items.match_by,
                    match_key=key,
                    group=group,
                    values=values,
                    columns=self._item_columns(values),
                    position=position,
                )
            )
            return
        if items.mode == "create_only":
            return
        current = found[0]
        item_id, board_id = str(current.id), self._board_id()
        changes = []
        if current.name != row.name:
            changes.append(FieldChange(NAME_KEY, current.name, row.name))
        for (column_key, value), match in zip(values.items(), matches, strict=True):
            before = self._live_value(current, match)
            if before != value:
                changes.append(FieldChange(column_key, before, value))
                self._note_people(match.desired, value, address)
        if changes:
            self.emit(
                UpdateItem(
                    address=address,
                    board_id=board_id,
                    item_id=item_id,
                    changes=tuple(changes),
                    columns=self._item_columns(c.field for c in changes if c.field != NAME_KEY),
                )
            )
        if (group is not None and group.id != current.group) or position is not None:
            self.emit(
                MoveItem(
                    address=address,
                    board_id=board_id,
                    item_id=item_id,
                    from_group_id=current.group,
                    to_group=group if group is not None else self._live_group_ref(current),
                    position=position,
                )
            )

    def _live_group_ref(self, item: Item) -> ObjectRef:
        """The group an item is in on monday (items of a board that declares no groups)."""
        group_id = item.group or ""
        return ObjectRef(group_address(self.board.key, group_id), item.group)

    # --- board membership -----------------------------------------------------------------

    def _note_people(self, column: Column, value: JSONValue, address: str) -> None:
        if column.type == "people" and isinstance(value, list):
            for token in value:
                if isinstance(token, str):
                    self._assigned.setdefault(token, address)

    def _plan_subscribers(self) -> None:
        """People the items assign must be members of the board (recorded behaviour,
        section 5): those who can be are subscribed first, when the board allows it; the
        others stop the plan, naming the item and the person."""
        found = self.found
        # A board to be created has its creator (the token's user) as its only member.
        account = self.live.account
        creator = account.user_id if account is not None else None
        if found is not None:
            users = found.subscriber_ids
        else:
            users = frozenset() if creator is None else frozenset({creator})
        teams = found.team_subscriber_ids if found is not None else frozenset()
        new_users: list[str] = []
        new_teams: list[str] = []
        shown: dict[str, str] = {}
        for token in sorted(self._assigned, key=_person_order):
            address = self._assigned[token]
            if token.startswith("team:"):
                team_id = token[len("team:") :]
                if teams is not None and team_id not in teams:
                    new_teams.append(team_id)
                    shown[token] = f"team {team_id}"
                continue
            user = self.directory.user(token)
            if user is None:
                continue  # unknown users are refused by _check_users_known once users are read
            who = _person(user)
            refusal = _unassignable(user, self.board.kind)
            if refusal is not None:
                raise PlanError(f"{address}: {who} {refusal}; monday refuses to assign them")
            if users is not None and token not in users:
                new_users.append(token)
                shown[token] = who
        if not new_users and not new_teams:
            return
        if not self.board.subscribe_people:
            token = (new_users or [f"team:{t}" for t in new_teams])[0]
            raise PlanError(
                f"{self._assigned[token]}: {shown[token]} is not a member of {self.address}, "
                "and monday refuses to assign people who are not; add them to the board on "
                "monday, or set `subscribe_people: true` to let boardops subscribe them"
            )
        self.emit(
            AddBoardSubscribers(
                address=self.address + SUBSCRIBERS_SUFFIX,
                board=self.ref,
                user_ids=tuple(new_users),
                team_ids=tuple(new_teams),
                people=tuple(
                    [shown[u] for u in new_users] + [shown[f"team:{t}"] for t in new_teams]
                ),
            )
        )


# monday's ``User.status`` values of users who cannot be assigned, and why.
_REFUSED_STATUSES = {
    "PENDING": "has not accepted the invitation to the account yet",
    "INACTIVE": "is deactivated",
}


def _refuse_pinned_type_change(address: str, wanted: Column, found: Column) -> None:
    """A type change replaces the column, and monday never reuses a column id (not even a
    deleted column's): a pinned id could never match the replacement, so every later plan
    would try to create it again and fail. The manifest must say which id to use."""
    if wanted.id is not None:
        raise PlanError(
            f"{address}: type {found.type} -> {wanted.type} needs a new column, and monday "
            f"never reuses a column id: remove `id: {wanted.id}` or give a new one"
        )


def _unassignable(user: User, board_kind: str) -> str | None:
    """Why monday would refuse to assign ``user`` on a board of ``board_kind`` (None: it
    would not, as far as boardops knows)."""
    status = (user.status or "").upper()
    if status in _REFUSED_STATUSES:
        return _REFUSED_STATUSES[status]
    kind = (user.kind or "").lower()
    if kind == "view_only":
        return "is a view-only user"
    if kind == "guest" and board_kind != "share":
        return "is a guest, and guests can only be members of shareable boards"
    return None


def _person(user: User) -> str:
    return f"{user.name} <{user.email}> (user {user.id})"


def _person_order(token: str) -> tuple[int, int, str]:
    """User ids in numeric order, then teams by id."""
    if token.isdigit():
        return (0, int(token), token)
    tail = token.rsplit(":", 1)[-1]
    return (1, int(tail) if tail.isdigit() else 0, token)


def _quoted(name: str) -> str:
    """A name as the views show text: in double quotes, JSON-escaped."""
    return json.dumps(name, ensure_ascii=False)


def _item_image(item: Item) -> JSONValue:
    return {"name": item.name, "group": item.group, "values": dict(item.values)}


def _digest(value: JSONValue) -> str:
    text = _DIGEST_ENCODER.encode(value)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


LabelT = TypeVar("LabelT", StatusLabel, DropdownLabel)


def _match_labels(wanted: Sequence[LabelT], live: Sequence[LabelT]) -> list[LabelT | None]:
    """For each wanted label, the live label it is: same text, a previous text, then (for
    status labels) the same colour. Each live label is claimed once."""
    taken: set[int] = set()
    result: list[LabelT | None] = [None] * len(wanted)

    def claim(i: int, *, text: str | None = None, color: str | None = None) -> None:
        if result[i] is not None:
            return
        for candidate in live:
            if id(candidate) in taken:
                continue
            if (
                isinstance(candidate, StatusLabel)
                and candidate.id == RESERVED_STATUS_LABEL_ID
                and (color is not None or text != wanted[i].label)
            ):
                continue  # monday's default label is only ever matched by its own text
            if text is not None and candidate.label != text:
                continue
            if color is not None and not (
                isinstance(candidate, StatusLabel) and candidate.color == color
            ):
                continue
            result[i] = candidate
            taken.add(id(candidate))
            return

    for i, label in enumerate(wanted):
        claim(i, text=label.label)
    for i, label in enumerate(wanted):
        for previous in label.previous_labels:
            claim(i, text=previous)
    for i, label in enumerate(wanted):
        if isinstance(label, StatusLabel) and label.color is not None:
            claim(i, color=label.color)
    return result


def _reserved(label: StatusLabel | DropdownLabel) -> bool:
    return isinstance(label, StatusLabel) and label.id == RESERVED_STATUS_LABEL_ID


def _label_position(
    wanted: Sequence[StatusLabel | DropdownLabel],
    matches: Sequence[StatusLabel | DropdownLabel | None],
    index: int,
) -> LabelPosition | None:
    """Where the new label ``wanted[index]`` goes: after the label declared before it;
    the first one before the first declared label that exists (None: none does, and it
    goes last, the others following it)."""
    if index > 0:
        return LabelPosition("after", wanted[index - 1].label)
    first = next(
        (w.label for w, hit in zip(wanted, matches, strict=True) if hit is not None),
        None,
    )
    return None if first is None else LabelPosition("before", first)


def _label_id(label: StatusLabel | DropdownLabel, address: str) -> int:
    if label.id is None:
        raise PlanError(f"{address}: the live label has no id")
    return label.id


def _group_id(group: Group | None) -> str:
    assert group is not None
    return group.id if group.id is not None else group.key


class _StatusColors:
    """The colours of one status column, for choosing and checking a new label's colour.

    monday refuses a new label whose colour another label of the column has, and (on
    long-lived boards, where label ids and colour ids drifted apart) one whose colour's
    numeric id is already a label's id, deactivated labels included. Label id 5 is always
    taken: it is monday's reserved default label. Label ids are never taken for colour ids.
    """

    def __init__(self, live: Sequence[StatusLabel], wanted: Sequence[StatusLabel]) -> None:
        self._holders = {lbl.color: lbl for lbl in live if lbl.color is not None}
        self._names = set(self._holders)
        self._names |= {lbl.color for lbl in wanted if lbl.color is not None}
        self._id_holders = {lbl.id: lbl for lbl in live if lbl.id is not None}
        # Removed labels keep their ids taken but are not listed. Where labels were
        # recoloured or retired (a label whose id is not its colour's, or a deactivated
        # one), ids at or below the highest listed one may hide removed labels, so free
        # colours above it are chosen first.
        drifted = any(
            lbl.deactivated or STATUS_COLOR_IDS.get(lbl.color or "") != lbl.id
            for lbl in live
            if lbl.id is not None and lbl.id != RESERVED_STATUS_LABEL_ID
        )
        self._floor = max(self._id_holders, default=-1) if drifted else -1

    def holder(self, color: str) -> StatusLabel | None:
        """The live label that has ``color``, if any."""
        return self._holders.get(color)

    def conflict(self, color: str) -> str | None:
        """Why a new label cannot take ``color`` on this column (None: it can)."""
        holder = self._holders.get(color)
        if holder is not None:
            state = "deactivated " if holder.deactivated else ""
            return f"the {state}live label {holder.label!r} has it"
        color_id = STATUS_COLOR_IDS.get(color)
        by_id = self._id_holders.get(color_id) if color_id is not None else None
        if by_id is not None:
            state = "deactivated " if by_id.deactivated else ""
            return (
                f"its id {color_id} is the id of the {state}live label {by_id.label!r}, and "
                "monday refuses a new label whose colour id is a label id"
            )
        return None

    def free(self) -> str:
        """A colour no label uses and whose id is no label's id; taken from now on."""
        free = [
            color
            for color, color_id in STATUS_COLOR_IDS.items()
            if color not in self._names
            and color_id not in self._id_holders
            and color_id != RESERVED_STATUS_LABEL_ID
        ]
        if not free:
            raise PlanError("no free status colour left (monday allows 40 labels per column)")
        above = [c for c in free if STATUS_COLOR_IDS[c] > self._floor]
        color = (above or free)[0]
        self._names.add(color)
        return color


def _longest_increasing(keys: Sequence[str], rank: Callable[[str], int]) -> list[str]:
    """The longest run of ``keys`` (kept in order) whose ranks increase.

    Groups in it stay where they are; every other group moves, so the moves are as few
    as possible. Patience sorting, O(n log n); on equal lengths the earliest tails win,
    which makes the choice deterministic.
    """
    tails: list[int] = []  # tails[k]: index into keys of the smallest tail of a run k+1 long
    tail_ranks: list[int] = []
    previous: list[int | None] = [None] * len(keys)
    for i, key in enumerate(keys):
        r = rank(key)
        k = bisect.bisect_left(tail_ranks, r)
        previous[i] = tails[k - 1] if k > 0 else None
        if k == len(tails):
            tails.append(i)
            tail_ranks.append(r)
        else:
            tails[k] = i
            tail_ranks[k] = r
    run: list[str] = []
    cursor = tails[-1] if tails else None
    while cursor is not None:
        run.append(keys[cursor])
        cursor = previous[cursor]
    return run[::-1]
