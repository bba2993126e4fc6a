"""Plan actions: frozen, verb-first dataclasses that apply executes without reading YAML.

Every action has an ``address`` (see ``boardops.model``), a ``kind`` (``create``,
``update``, ``delete``, ``replace`` or ``move``; views draw them ``+ ~ - ± ~``), a
``destructive`` flag and a past-tense ``verb`` for progress lines. ``adopt`` (drawn ``=``)
takes an existing object the manifest now stands for under management; it writes
nothing itself (what changes on it is planned as its own updates).

Objects that already exist on monday are named by their monday ids (``board_id``,
``column_id``, ``group_id``, ``item_id``, label ``label_id``, the column ``revision``).
Objects that may be created earlier in the same plan are named by an ``ObjectRef``:
its ``address`` always, its ``id`` only when it already exists. Apply resolves a ref
without an id to the id recorded when the object at that address was created.

Updates carry only the fields that change, as ``FieldChange(field, before, after)``.
Item values are in the codec's canonical human form, keyed by column key; ``columns``
on item actions maps each key to the column (ref and type) it is written to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from boardops.model import JSONValue

ActionKind = Literal["create", "update", "delete", "replace", "move", "adopt"]
ACTION_KINDS: tuple[ActionKind, ...] = ("create", "update", "delete", "replace", "move", "adopt")


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: JSONValue
    after: JSONValue


@dataclass(frozen=True)
class ObjectRef:
    """An object by address, with its monday id when it exists before the plan runs."""

    address: str
    id: str | None = None


@dataclass(frozen=True)
class GroupPosition:
    """Where a group goes: ``after`` or ``before`` the ``anchor`` group."""

    relation: Literal["after", "before"]
    anchor: ObjectRef


# The status label monday keeps as every column's empty/default label: it cannot be
# removed, and boardops never renames, recolours or deactivates it.
RESERVED_STATUS_LABEL_ID = 5


@dataclass(frozen=True)
class StatusLabelSpec:
    label: str
    color: str  # always resolved by the planner (a free colour when the manifest has none)
    done: bool = False
    description: str | None = None


@dataclass(frozen=True)
class ColumnSpec:
    """Everything needed to create a column; ``id`` is the pinned custom id, if any."""

    key: str
    title: str
    type: str
    id: str | None = None
    description: str | None = None
    status_labels: tuple[StatusLabelSpec, ...] = ()
    dropdown_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemColumn:
    """The column an item value is written to: key in the plan, ref and type for apply."""

    key: str
    column: ObjectRef
    type: str


_ACTION_TYPES: list[type[Action]] = []


@dataclass(frozen=True)
class Action:
    address: str

    kind: ClassVar[ActionKind]
    verb: ClassVar[str]
    destructive: ClassVar[bool] = False
    # Where it sorts among the actions that are ready to run (``order``): workspace 0,
    # board 1, columns 2, labels 3, groups and subscribers 4, items 5, then removals.
    tier: ClassVar[int]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in vars(cls):  # a concrete action (not a base such as LabelAction)
            _ACTION_TYPES.append(cls)

    def losses(self) -> Losses:
        """What running this action loses on monday (nothing, unless it is destructive)."""
        return Losses()


@dataclass(frozen=True)
class Losses:
    """Items archived and values cleared by an action; None: some, how many not known."""

    items: int | None = 0
    values: int | None = 0


# --- workspaces and boards --------------------------------------------------------------


@dataclass(frozen=True)
class CreateWorkspace(Action):
    name: str
    workspace_kind: str = "open"
    description: str | None = None

    kind: ClassVar[ActionKind] = "create"
    verb: ClassVar[str] = "created"
    tier: ClassVar[int] = 0


@dataclass(frozen=True)
class UpdateWorkspace(Action):
    workspace_id: str
    changes: tuple[FieldChange, ...]  # name, workspace_kind, description

    kind: ClassVar[ActionKind] = "update"
    verb: ClassVar[str] = "updated"
    tier: ClassVar[int] = 0


@dataclass(frozen=True)
class AdoptWorkspace(Action):
    """An existing workspace found by name (no pinned id) that holds none of the
    manifest's boards yet: the manifest takes it over. Nothing is written for it."""

    workspace_id: str
    name: str

    kind: ClassVar[ActionKind] = "adopt"
    verb: ClassVar[str] = "adopted"
    tier: ClassVar[int] = 0


@dataclass(frozen=True)
class CreateBoard(Action):
    name: str
    board_kind: str = "public"
    description: str | None = None
    # None: the account's main workspace.
    workspace: ObjectRef | None = None

    kind: ClassVar[ActionKind] = "create"
    verb: ClassVar[str] = "created"
    tier: ClassVar[int] = 1


@dataclass(frozen=True)
class UpdateBoard(Action):
    board_id: str
    changes: tuple[FieldChange, ...]  # name, description

    kind: ClassVar[ActionKind] = "update"
    verb: ClassVar[str] = "updated"
    tier: ClassVar[int] = 1


@dataclass(frozen=True)
class AdoptBoard(Action):
    """An existing board found by name (no pinned id) that holds none of the columns (or,
    declaring none, groups) the manifest declares: it was not made from this manifest,
    which takes it over. Nothing is written for it; its changes are their own actions."""

    board_id: str
    name: str

    kind: ClassVar[ActionKind] = "adopt"
    verb: ClassVar[str] = "adopted"
    tier: ClassVar[int] = 1


@dataclass(frozen=True)
class MoveBoard(Action):
    """A board whose workspace changed: moved with ``update_board_hierarchy``, with its
    columns, groups and items, instead of a copy. ``from_workspace`` and ``to_name`` name
    the workspaces for review."""

    board_id: str
    from_workspace_id: str | None
    from_workspace: str
    to_workspace: ObjectRef
    to_name: str

    kind: ClassVar[ActionKind] = "move"
    verb: ClassVar[str] = "moved"
    tier: ClassVar[int] = 1


# --- columns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateColumn(Action):
    board: ObjectRef
    spec: ColumnSpec
    # The column it is created after (monday's ``after_column_id``); None: monday's default.
    after: ObjectRef | None = None

    kind: ClassVar[ActionKind] = "create"
    verb: ClassVar[str] = "created"
    tier: ClassVar[int] = 2


@dataclass(frozen=True)
class UpdateColumn(Action):
    board_id: str
    column_id: str
    revision: str | None
    changes: tuple[FieldChange, ...]  # title, description

    kind: ClassVar[ActionKind] = "update"
    verb: ClassVar[str] = "updated"
    tier: ClassVar[int] = 2


@dataclass(frozen=True)
class ReplaceColumn(Action):
    """A type change: monday cannot convert a column, so delete it and create ``spec``.

    The values in the old column are lost.
    """

    board_id: str
    column_id: str
    before_type: str
    spec: ColumnSpec
    after: ObjectRef | None = None
    # The items with a value in the old column (None: not known, as from a snapshot).
    values: int | None = None

    kind: ClassVar[ActionKind] = "replace"
    verb: ClassVar[str] = "replaced"
    tier: ClassVar[int] = 2
    destructive: ClassVar[bool] = True

    def losses(self) -> Losses:
        return Losses(values=self.values)


@dataclass(frozen=True)
class DeleteColumn(Action):
    board_id: str
    column_id: str
    title: str
    column_type: str
    # The items with a value in the column (None: not known, as from a snapshot).
    values: int | None = None

    kind: ClassVar[ActionKind] = "delete"
    verb: ClassVar[str] = "deleted"
    tier: ClassVar[int] = 8
    destructive: ClassVar[bool] = True

    def losses(self) -> Losses:
        return Losses(values=self.values)


# --- labels -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelAction(Action):
    """A change to one status or dropdown label of an existing column (a new column gets
    its labels in its ``ColumnSpec``).

    ``revision`` is the column's revision when the plan was made; several label actions on
    one column share it, so apply carries the revision forward from each update's answer.
    """

    board_id: str
    column_id: str
    revision: str | None

    tier: ClassVar[int] = 3


@dataclass(frozen=True)
class LabelPosition:
    """Where a new label goes among the column's labels: ``after`` or ``before`` the label
    whose text (after this plan's renames) is ``anchor``. None on an action: at the end."""

    relation: Literal["after", "before"]
    anchor: str


@dataclass(frozen=True)
class AddStatusLabel(LabelAction):
    label: StatusLabelSpec
    position: LabelPosition | None = None

    kind: ClassVar[ActionKind] = "create"
    verb: ClassVar[str] = "added"


@dataclass(frozen=True)
class RenameStatusLabel(LabelAction):
    label_id: int
    before: str
    after: str

    kind: ClassVar[ActionKind] = "update"
    verb: ClassVar[str] = "renamed"


@dataclass(frozen=True)
class UpdateStatusLabel(LabelAction):
    label_id: int
    label: str  # the label's text after any rename in the same plan
    changes: tuple[FieldChange, ...]  # color, done, description, deactivated

    kind: ClassVar[ActionKind] = "update"
    verb: ClassVar[str] = "updated"


@dataclass(frozen=True)
class DeactivateStatusLabel(LabelAction):
    label_id: int
    label: str

    kind: ClassVar[ActionKind] = "delete"
    verb: ClassVar[str] = "deactivated"
    destructive: ClassVar[bool] = True


@dataclass(frozen=True)
class AddDropdownLabel(LabelAction):
    label: str
    position: LabelPosition | None = None

    kind: ClassVar[ActionKind] = "create"
    verb: ClassVar[str] = "added"


@dataclass(frozen=True)
class RenameDropdownLabel(LabelAction):
    label_id: int
    before: str
    after: str

    kind: ClassVar[ActionKind] = "update"
    verb: ClassVar[str] = "renamed"


@dataclass(frozen=True)
class ReactivateDropdownLabel(LabelAction):
    label_id: int
    label: str

    kind: ClassVar[ActionKind] = "update"
    verb: ClassVar[str] = "reactivated"


@dataclass(frozen=True)
class DeactivateDropdownLabel(LabelAction):
    label_id: int
    label: str

    kind: ClassVar[ActionKind] = "delete"
    verb: ClassVar[str] = "deactivated"
    destructive: ClassVar[bool] = True


@dataclass(frozen=True)
class ReorderLabels(LabelAction):
    """Put the column's existing labels in the declared order (status: their ``index``;
    dropdown: their order in the list). ``before`` is their live order and ``after`` the
    declared one, both by text after this plan's renames; labels added, deactivated or not
    in the manifest are not in them (new labels carry their own ``position``)."""

    column_type: str  # status or dropdown
    before: tuple[str, ...]
    after: tuple[str, ...]

    kind: ClassVar[ActionKind] = "update"
    verb: ClassVar[str] = "reordered"


# --- groups -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateGroup(Action):
    board: ObjectRef
    title: str
    color: str | None = None
    # None: monday's default place (the plan only leaves it out when no anchor exists).
    position: GroupPosition | None = None

    kind: ClassVar[ActionKind] = "create"
    verb: ClassVar[str] = "created"
    tier: ClassVar[int] = 4


@dataclass(frozen=True)
class UpdateGroup(Action):
    board_id: str
    group_id: str
    changes: tuple[FieldChange, ...]  # title, color

    kind: ClassVar[ActionKind] = "update"
    verb: ClassVar[str] = "updated"
    tier: ClassVar[int] = 4


@dataclass(frozen=True)
class MoveGroup(Action):
    board_id: str
    group_id: str
    position: GroupPosition

    kind: ClassVar[ActionKind] = "move"
    verb: ClassVar[str] = "moved"
    tier: ClassVar[int] = 4


@dataclass(frozen=True)
class ArchiveGroup(Action):
    """Prune: archived rather than deleted, so it can be restored from monday's archive."""

    board_id: str
    group_id: str
    title: str
    # The items archived with it, besides those the plan archives or moves out itself
    # (None: not known, as in a plan from a snapshot).
    items: int | None = None

    kind: ClassVar[ActionKind] = "delete"
    verb: ClassVar[str] = "archived"
    tier: ClassVar[int] = 9
    destructive: ClassVar[bool] = True

    def losses(self) -> Losses:
        return Losses(items=self.items)


# --- board membership -------------------------------------------------------------------


@dataclass(frozen=True)
class AddBoardSubscribers(Action):
    """Subscribe people to a board before item values assign them (monday refuses a
    people value naming someone who is not a member). It gives them access to the board.

    ``people`` shows each user and team for review, in the order of ``user_ids`` then
    ``team_ids``.
    """

    board: ObjectRef
    user_ids: tuple[str, ...] = ()
    team_ids: tuple[str, ...] = ()
    people: tuple[str, ...] = ()

    kind: ClassVar[ActionKind] = "create"
    verb: ClassVar[str] = "subscribed"
    tier: ClassVar[int] = 4


# --- tags -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateTag(Action):
    """A tag that item values name and monday does not have yet, made with
    ``create_or_get_tag`` (which returns the tag when it exists: sending it twice makes
    one tag). ``board``: a private or shareable board, whose tags are its own (address
    ``board.KEY.tag[NAME]``); None: an account tag (address ``tag[NAME]``)."""

    name: str
    board: ObjectRef | None = None

    kind: ClassVar[ActionKind] = "create"
    verb: ClassVar[str] = "created"
    tier: ClassVar[int] = 4


# --- items ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemPosition:
    """Where an item goes in its group: ``after`` the previous declared item, or (the first
    declared item of its group) ``before`` the first one that stays where it is."""

    relation: Literal["after", "before"]
    anchor: ObjectRef


@dataclass(frozen=True)
class CreateItem(Action):
    board: ObjectRef
    name: str
    match_by: tuple[str, ...]
    match_key: str
    # None: the board's first group (where monday puts an item created without a group).
    group: ObjectRef | None = None
    values: Mapping[str, JSONValue] = field(default_factory=dict)
    columns: tuple[ItemColumn, ...] = ()
    # None: monday's default place in the group (only when no declared neighbour exists).
    position: ItemPosition | None = None

    kind: ClassVar[ActionKind] = "create"
    verb: ClassVar[str] = "created"
    tier: ClassVar[int] = 5


@dataclass(frozen=True)
class UpdateItem(Action):
    """Only the values that change; ``field`` is a column key, or ``name``."""

    board_id: str
    item_id: str
    changes: tuple[FieldChange, ...]
    columns: tuple[ItemColumn, ...] = ()

    kind: ClassVar[ActionKind] = "update"
    verb: ClassVar[str] = "updated"
    tier: ClassVar[int] = 5


@dataclass(frozen=True)
class MoveItem(Action):
    """To another group, and/or (``order: managed``) to its declared place: ``position``
    set means ``change_item_position`` next to its anchor, in the anchor's group."""

    board_id: str
    item_id: str
    from_group_id: str | None
    to_group: ObjectRef
    position: ItemPosition | None = None

    kind: ClassVar[ActionKind] = "move"
    verb: ClassVar[str] = "moved"
    tier: ClassVar[int] = 5


@dataclass(frozen=True)
class AdoptItem(Action):
    """A live item no match key finds (its key columns are empty on monday, as after a
    switch of ``match_by`` to a new column) whose name matches exactly one declared row:
    it becomes that row's item instead of a duplicate; an ``UpdateItem`` at the same
    address writes the key values. Nothing is written by the adoption itself."""

    board_id: str
    item_id: str
    name: str

    kind: ClassVar[ActionKind] = "adopt"
    verb: ClassVar[str] = "adopted"
    tier: ClassVar[int] = 5


@dataclass(frozen=True)
class ArchiveItem(Action):
    board_id: str
    item_id: str
    name: str

    kind: ClassVar[ActionKind] = "delete"
    verb: ClassVar[str] = "archived"
    tier: ClassVar[int] = 6
    destructive: ClassVar[bool] = True

    def losses(self) -> Losses:
        return Losses(items=1)


# Every action type, in the order defined: filled by ``Action.__init_subclass__``.
ACTION_TYPES: tuple[type[Action], ...] = tuple(_ACTION_TYPES)
ACTION_TYPES_BY_NAME: Mapping[str, type[Action]] = {t.__name__: t for t in ACTION_TYPES}


@dataclass(frozen=True)
class Unmanaged:
    """A live object the manifest does not name, left alone."""

    address: str
    kind: str  # column, group, status_label, dropdown_label, item
    reason: str
