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

from collections.abc import Iterator, Mapping
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
class RelationSpec:
    """A connect-boards column's settings: the boards it connects, by ref (a board
    created in the same run resolves at apply), ``allowMultipleItems`` and two-way."""

    boards: tuple[ObjectRef, ...]
    allow_multiple: bool = True
    two_way: bool = False
    # Two-way pairs created together: this column is the reflection monday adds to its
    # board when ``reflection_of`` (the pair's other column) is created; apply takes that
    # column (any board_relation column linking back that is not in ``existing``, the ids
    # of the board's connect-boards columns when the plan was made) instead of creating one.
    reflection_of: ObjectRef | None = None
    existing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShownColumns:
    """The columns a mirror shows from one connected board."""

    board: ObjectRef
    columns: tuple[ObjectRef, ...]


@dataclass(frozen=True)
class MirrorSpec:
    """A mirror column's settings: its connect-boards column and what it shows."""

    relation: ObjectRef
    shows: tuple[ShownColumns, ...] = ()


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
    # ``settings:`` keys sent as ``create_column(defaults:)`` (see ``column_settings``).
    settings: Mapping[str, JSONValue] | None = None
    # board_relation / mirror columns (boardops.relations): what they connect and show
    relation: RelationSpec | None = None
    mirror: MirrorSpec | None = None


def spec_refs(value: object) -> Iterator[ObjectRef]:
    """The refs inside a column spec, relation or mirror spec (none in other values)."""
    if isinstance(value, ColumnSpec):
        yield from spec_refs(value.relation)
        yield from spec_refs(value.mirror)
    elif isinstance(value, RelationSpec):
        yield from value.boards
        if value.reflection_of is not None:
            yield value.reflection_of
    elif isinstance(value, MirrorSpec):
        yield value.relation
        for shown in value.shows:
            yield shown.board
            yield from shown.columns


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

    # Given as class keywords: ``class DeleteColumn(Action, kind="delete", ...)``.
    kind: ClassVar[ActionKind]
    verb: ClassVar[str]
    destructive: ClassVar[bool] = False
    # Where it sorts among the actions that are ready to run (``order``): workspace 0,
    # board 1, columns 2, labels 3, groups and subscribers 4, items 5, then removals.
    tier: ClassVar[int]
    # The field counting what a destructive action loses (see ``losses``), if any.
    loses: ClassVar[Literal["items", "values"] | None] = None

    def __init_subclass__(
        cls,
        *,
        kind: ActionKind | None = None,
        verb: str | None = None,
        tier: int | None = None,
        destructive: bool | None = None,
        loses: Literal["items", "values"] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init_subclass__(**kwargs)
        given = {
            "kind": kind,
            "verb": verb,
            "tier": tier,
            "destructive": destructive,
            "loses": loses,
        }
        for name, value in given.items():
            if value is not None:
                setattr(cls, name, value)
        if "kind" in vars(cls):  # a concrete action (not a base such as LabelAction)
            _ACTION_TYPES.append(cls)

    def losses(self) -> Losses:
        """What running this action loses on monday: nothing, unless it is destructive;
        the count in its ``loses`` field when it names one."""
        if self.loses is None:
            return Losses()
        count: int | None = getattr(self, self.loses)
        return Losses(**{self.loses: count})


@dataclass(frozen=True)
class Losses:
    """Items archived and values cleared by an action; None: some, how many not known."""

    items: int | None = 0
    values: int | None = 0


# --- workspaces and boards --------------------------------------------------------------


@dataclass(frozen=True)
class CreateWorkspace(Action, kind="create", verb="created", tier=0):
    name: str
    workspace_kind: str = "open"
    description: str | None = None


@dataclass(frozen=True)
class UpdateWorkspace(Action, kind="update", verb="updated", tier=0):
    workspace_id: str
    changes: tuple[FieldChange, ...]  # name, workspace_kind, description


@dataclass(frozen=True)
class AdoptWorkspace(Action, kind="adopt", verb="adopted", tier=0):
    """An existing workspace found by name (no pinned id) that holds none of the
    manifest's boards yet: the manifest takes it over. Nothing is written for it."""

    workspace_id: str
    name: str


@dataclass(frozen=True)
class CreateFolder(Action, kind="create", verb="created", tier=0):
    """A workspace folder (``create_folder``), under ``parent`` (None: the workspace's
    top); ``color`` is an SDL ``FolderColor`` name in lower case, None: monday's default."""

    name: str
    workspace: ObjectRef
    parent: ObjectRef | None = None
    color: str | None = None


@dataclass(frozen=True)
class UpdateFolder(Action, kind="update", verb="updated", tier=0):
    folder_id: str
    changes: tuple[FieldChange, ...]  # name, color


@dataclass(frozen=True)
class DeleteFolder(Action, kind="delete", verb="deleted", tier=9, destructive=True):
    """An empty folder the workspace's ``folders`` does not declare (workspace ``prune``)."""

    folder_id: str
    name: str


@dataclass(frozen=True)
class CreateBoard(Action, kind="create", verb="created", tier=1):
    name: str
    board_kind: str = "public"
    description: str | None = None
    # None: the account's main workspace.
    workspace: ObjectRef | None = None
    # The folder it is created in (None: the workspace's top) and its item nickname
    # (``ItemNicknameInput``: singular, plural, preset_type; None: monday's default).
    folder: ObjectRef | None = None
    item_nickname: Mapping[str, str] | None = None


@dataclass(frozen=True)
class UpdateBoard(Action, kind="update", verb="updated", tier=1):
    board_id: str
    changes: tuple[FieldChange, ...]  # name, description


@dataclass(frozen=True)
class AdoptBoard(Action, kind="adopt", verb="adopted", tier=1):
    """An existing board found by name (no pinned id) that holds none of the columns (or,
    declaring none, groups) the manifest declares: it was not made from this manifest,
    which takes it over. Nothing is written for it; its changes are their own actions."""

    board_id: str
    name: str


@dataclass(frozen=True)
class MoveBoard(Action, kind="move", verb="moved", tier=1):
    """A board whose workspace or folder changed: moved with ``update_board_hierarchy``,
    with its columns, groups and items, instead of a copy. ``from_workspace`` and
    ``to_name`` name the workspaces for review; ``moves_workspace`` False: it stays in its
    workspace and only changes folder. ``to_folder`` (None: no folder is set) with its
    path ``to_folder_path``, and ``from_folder`` the path it leaves ("" for none, None
    when not known)."""

    board_id: str
    from_workspace_id: str | None
    from_workspace: str
    to_workspace: ObjectRef
    to_name: str
    to_folder: ObjectRef | None = None
    to_folder_path: str | None = None
    from_folder: str | None = None
    moves_workspace: bool = True


# --- columns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateColumn(Action, kind="create", verb="created", tier=2):
    board: ObjectRef
    spec: ColumnSpec
    # The column it is created after (monday's ``after_column_id``); None: monday's default.
    after: ObjectRef | None = None


@dataclass(frozen=True)
class UpdateColumn(Action, kind="update", verb="updated", tier=2):
    board_id: str
    column_id: str
    revision: str | None
    changes: tuple[FieldChange, ...]  # title, description; boards, allow_multiple, ...
    # A connect-boards or mirror column's new settings (update_column with ``revision``);
    # the changes name them for review (boards by address, never ids).
    relation: RelationSpec | None = None
    mirror: MirrorSpec | None = None


@dataclass(frozen=True)
class UpdateColumnSettings(Action, kind="update", verb="updated", tier=2):
    """A column's ``settings:`` keys and ``width`` set with one ``update_column`` call.

    ``changes`` shows each differing leaf by its path (``settings.unit.symbol``, ``width``);
    ``settings`` holds the declared keys, laid over the column's settings as apply reads
    them (with their current ``revision``), so keys the manifest leaves out stay. The
    column is a ref: a column created earlier in the plan gets its width this way.
    """

    board: ObjectRef
    column: ObjectRef
    column_type: str
    changes: tuple[FieldChange, ...]
    settings: Mapping[str, JSONValue] | None = None
    width: int | None = None


@dataclass(frozen=True)
class ReplaceColumn(
    Action, kind="replace", verb="replaced", tier=2, destructive=True, loses="values"
):
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


@dataclass(frozen=True)
class DeleteColumn(Action, kind="delete", verb="deleted", tier=8, destructive=True, loses="values"):
    board_id: str
    column_id: str
    title: str
    column_type: str
    # The items with a value in the column (None: not known, as from a snapshot).
    values: int | None = None


# --- labels -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelAction(Action, tier=3):
    """A change to one status or dropdown label of an existing column (a new column gets
    its labels in its ``ColumnSpec``).

    ``revision`` is the column's revision when the plan was made; several label actions on
    one column share it, so apply carries the revision forward from each update's answer.
    """

    board_id: str
    column_id: str
    revision: str | None


@dataclass(frozen=True)
class LabelPosition:
    """Where a new label goes among the column's labels: ``after`` or ``before`` the label
    whose text (after this plan's renames) is ``anchor``. None on an action: at the end."""

    relation: Literal["after", "before"]
    anchor: str


@dataclass(frozen=True)
class AddStatusLabel(LabelAction, kind="create", verb="added"):
    label: StatusLabelSpec
    position: LabelPosition | None = None


@dataclass(frozen=True)
class LabelRename(LabelAction):
    """Base of the renames of a status or dropdown label: its monday id, text before and after."""

    label_id: int
    before: str
    after: str


@dataclass(frozen=True)
class ExistingLabel(LabelAction):
    """Base of the other changes to one existing label: its monday id and its text (after
    any rename in the same plan)."""

    label_id: int
    label: str


@dataclass(frozen=True)
class RenameStatusLabel(LabelRename, kind="update", verb="renamed"):
    """A status label's text changes (its ``label_id`` stays)."""


@dataclass(frozen=True)
class UpdateStatusLabel(ExistingLabel, kind="update", verb="updated"):
    changes: tuple[FieldChange, ...]  # color, done, description, deactivated


@dataclass(frozen=True)
class DeactivateStatusLabel(ExistingLabel, kind="delete", verb="deactivated", destructive=True):
    """A status label the manifest no longer declares."""


@dataclass(frozen=True)
class AddDropdownLabel(LabelAction, kind="create", verb="added"):
    label: str
    position: LabelPosition | None = None


@dataclass(frozen=True)
class RenameDropdownLabel(LabelRename, kind="update", verb="renamed"):
    """A dropdown label's text changes (its ``label_id`` stays)."""


@dataclass(frozen=True)
class ReactivateDropdownLabel(ExistingLabel, kind="update", verb="reactivated"):
    """A deactivated dropdown label the manifest declares again."""


@dataclass(frozen=True)
class DeactivateDropdownLabel(ExistingLabel, kind="delete", verb="deactivated", destructive=True):
    """A dropdown label the manifest no longer declares."""


@dataclass(frozen=True)
class ReorderLabels(LabelAction, kind="update", verb="reordered"):
    """Put the column's existing labels in the declared order (status: their ``index``;
    dropdown: their order in the list). ``before`` is their live order and ``after`` the
    declared one, both by text after this plan's renames; labels added, deactivated or not
    in the manifest are not in them (new labels carry their own ``position``)."""

    column_type: str  # status or dropdown
    before: tuple[str, ...]
    after: tuple[str, ...]


# --- groups -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateGroup(Action, kind="create", verb="created", tier=4):
    board: ObjectRef
    title: str
    color: str | None = None
    # None: monday's default place (the plan only leaves it out when no anchor exists).
    position: GroupPosition | None = None


@dataclass(frozen=True)
class UpdateGroup(Action, kind="update", verb="updated", tier=4):
    board_id: str
    group_id: str
    changes: tuple[FieldChange, ...]  # title, color


@dataclass(frozen=True)
class MoveGroup(Action, kind="move", verb="moved", tier=4):
    board_id: str
    group_id: str
    position: GroupPosition


@dataclass(frozen=True)
class ArchiveGroup(Action, kind="delete", verb="archived", tier=9, destructive=True, loses="items"):
    """Prune: archived rather than deleted, so it can be restored from monday's archive."""

    board_id: str
    group_id: str
    title: str
    # The items archived with it, besides those the plan archives or moves out itself
    # (None: not known, as in a plan from a snapshot).
    items: int | None = None


# --- board membership -------------------------------------------------------------------


@dataclass(frozen=True)
class AddBoardSubscribers(Action, kind="create", verb="subscribed", tier=4):
    """Subscribe people to a board before item values assign them (monday refuses a
    people value naming someone who is not a member). It gives them access to the board.
    Views show who they are through ``Plan.people`` (``boardops.plan.people``).
    """

    board: ObjectRef
    user_ids: tuple[str, ...] = ()
    team_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class AddBoardOwners(Action, kind="create", verb="added as owners", tier=4):
    """Make users and teams owners of a board (``add_users_to_board`` /
    ``add_teams_to_board`` with ``kind: owner``; a subscriber is promoted). Address
    ``board.KEY.owners``; adding an owner again changes nothing."""

    board: ObjectRef
    user_ids: tuple[str, ...] = ()
    team_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemoveBoardMembers(Action, kind="delete", verb="removed", tier=9, destructive=True):
    """Prune: users and teams the manifest's ``owners:``/``subscribers:`` do not name lose
    the board (``delete_subscribers_from_board`` / ``delete_teams_from_board``). Never the
    last owner, never the token's own user (the plan warns instead)."""

    board_id: str
    user_ids: tuple[str, ...] = ()
    team_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class SetBoardRole(Action, kind="update", verb="updated", tier=4):
    """The board's basic role (``set_board_permission``); ``before`` is the role its
    ``permissions`` stood for (None: a new board, or a value boardops does not know)."""

    board: ObjectRef
    role: str
    before: str | None = None


# --- workspace membership ---------------------------------------------------------------


@dataclass(frozen=True)
class AddWorkspaceMembers(Action, kind="create", verb="added", tier=1):
    """Add users and teams to a workspace (``add_users_to_workspace`` /
    ``add_teams_to_workspace``), as owners (address ``workspace.KEY.owners``) or
    subscribers (``workspace.KEY.members``); adding a member again changes nothing."""

    workspace: ObjectRef
    user_ids: tuple[str, ...] = ()
    team_ids: tuple[str, ...] = ()
    owners: bool = False


@dataclass(frozen=True)
class RemoveWorkspaceMembers(Action, kind="delete", verb="removed", tier=9, destructive=True):
    """Prune: users and teams the workspace's ``owners:``/``members:`` do not name leave it
    (``delete_users_from_workspace`` / ``delete_teams_from_workspace``); never the last
    owner, never the token's own user."""

    workspace_id: str
    user_ids: tuple[str, ...] = ()
    team_ids: tuple[str, ...] = ()


# --- tags -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateTag(Action, kind="create", verb="created", tier=4):
    """A tag that item values name and monday does not have yet, made with
    ``create_or_get_tag`` (which returns the tag when it exists: sending it twice makes
    one tag). ``board``: a private or shareable board, whose tags are its own (address
    ``board.KEY.tag[NAME]``); None: an account tag (address ``tag[NAME]``)."""

    name: str
    board: ObjectRef | None = None


# --- items ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemPosition:
    """Where an item goes in its group: ``after`` the previous declared item, or (the first
    declared item of its group) ``before`` the first one that stays where it is."""

    relation: Literal["after", "before"]
    anchor: ObjectRef


@dataclass(frozen=True)
class ItemLink:
    """One link a connect-boards or dependency value writes: the value's column key, the
    link as ``codec._links.link_text`` spells it, and the linked item (its id when it
    exists before the plan runs; apply resolves the others from ``run.refs``)."""

    column: str
    link: str
    item: ObjectRef


# Item actions list their links only when they write some (``serial.encode`` leaves an
# empty list out, so plans without links read as before).
_LINKS = field(default=(), metadata={"omit_empty": True})


@dataclass(frozen=True)
class CreateItem(Action, kind="create", verb="created", tier=5):
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
    # The items its connect-boards and dependency values link (all existing ones).
    links: tuple[ItemLink, ...] = _LINKS


@dataclass(frozen=True)
class UpdateItem(Action, kind="update", verb="updated", tier=5):
    """Only the values that change; ``field`` is a column key, or ``name``."""

    board_id: str
    item_id: str
    changes: tuple[FieldChange, ...]
    columns: tuple[ItemColumn, ...] = ()
    links: tuple[ItemLink, ...] = _LINKS


# What a link action's address adds to its item's address.
LINKS_SUFFIX = ".links"


@dataclass(frozen=True)
class SetItemLinks(Action, kind="update", verb="linked", tier=7):
    """The second pass of connect-boards and dependency values: those that link an item
    this plan creates are written once every board's items are made (so boards may link
    each other both ways, and a board's items each other). ``address`` is the item's
    address plus ``LINKS_SUFFIX``; ``item`` the item (its id when it exists)."""

    board: ObjectRef
    item: ObjectRef
    changes: tuple[FieldChange, ...]
    columns: tuple[ItemColumn, ...] = ()
    links: tuple[ItemLink, ...] = ()


@dataclass(frozen=True)
class MoveItem(Action, kind="move", verb="moved", tier=5):
    """To another group, and/or (``order: managed``) to its declared place: ``position``
    set means ``change_item_position`` next to its anchor, in the anchor's group."""

    board_id: str
    item_id: str
    from_group_id: str | None
    to_group: ObjectRef
    position: ItemPosition | None = None


@dataclass(frozen=True)
class AdoptItem(Action, kind="adopt", verb="adopted", tier=5):
    """A live item no match key finds (its key columns are empty on monday, as after a
    switch of ``match_by`` to a new column) whose name matches exactly one declared row:
    it becomes that row's item instead of a duplicate; an ``UpdateItem`` at the same
    address writes the key values. Nothing is written by the adoption itself."""

    board_id: str
    item_id: str
    name: str


@dataclass(frozen=True)
class ArchiveItem(Action, kind="delete", verb="archived", tier=6, destructive=True):
    board_id: str
    item_id: str
    name: str

    def losses(self) -> Losses:
        return Losses(items=1)


# --- subitems ---------------------------------------------------------------------------
# A board's subitems live on a board of their own, which monday makes together with the
# parent board's ``subtasks`` column. Subitems are updated and archived with the item
# actions (``UpdateItem``, ``ArchiveItem`` on the subitems board's ids); only their
# creation differs.


@dataclass(frozen=True)
class CreateSubitemsBoard(Action, kind="create", verb="created", tier=2):
    """The subitems board of ``board`` (address ``board.KEY.subitems``), made by creating
    the board's ``subtasks`` column (``create_column(column_type: subtasks)``; monday makes
    the "Subitems of <board>" board with it), before its columns and subitems."""

    board: ObjectRef
    title: str = "Subitems"


@dataclass(frozen=True)
class CreateSubitem(Action, kind="create", verb="created", tier=6):
    """``create_subitem`` under ``parent`` with all its values, written to the columns of
    the subitems board ``board``. Tier 6: after the board's items, so that the subitems
    of a run go out together (one batch) once their parents exist."""

    board: ObjectRef
    parent: ObjectRef
    name: str
    match_by: tuple[str, ...]
    match_key: str
    values: Mapping[str, JSONValue] = field(default_factory=dict)
    columns: tuple[ItemColumn, ...] = ()
    # The subitem of the row before it, when this plan creates that one too: created
    # first, so that the parent's new subitems come in the rows' order.
    after: ObjectRef | None = None


# Every action type, in the order defined: filled by ``Action.__init_subclass__``.
ACTION_TYPES: tuple[type[Action], ...] = tuple(_ACTION_TYPES)
ACTION_TYPES_BY_NAME: Mapping[str, type[Action]] = {t.__name__: t for t in ACTION_TYPES}


@dataclass(frozen=True)
class Unmanaged:
    """A live object the manifest does not name, left alone."""

    address: str
    kind: str  # column, group, status_label, dropdown_label, item
    reason: str
