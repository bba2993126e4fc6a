"""Desired and live state of monday boards, as frozen dataclasses.

The manifest loader builds a ``DesiredState``; the live reader builds a ``LiveState`` from
the same classes, with monday ids filled in. The plan compares the two. Nothing here does
I/O or knows about YAML, GraphQL or plans.

Identity rules (what the plan matches on; written once, as code, in ``boardops.identity``,
which every reader and the diff ask, and whose ``AmbiguousMatch`` they all raise):

* workspace: pinned ``id``, else ``name`` or one of ``previous_names``
* board: pinned ``id``, else ``name`` or one of ``previous_names`` within its workspace
* column: ``id`` when declared, else ``title`` or one of ``previous_titles``
* group: pinned ``id``, else ``title`` or one of ``previous_titles``
* status/dropdown label: ``label`` or one of ``previous_labels`` (status: then its colour)
* item: the values of its board's ``match_by`` columns (``name`` by default)

Item values are kept in the *human* form people write in manifests (label text, ISO dates,
emails, numbers, booleans, ``{url, text}`` links); ``boardops.codec`` converts and
normalises them. Desired items key their values by column key (``Column.key``); live items
key them by monday column id.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from boardops.errors import SourceSpan

JSONValue: TypeAlias = "str | int | float | bool | list[JSONValue] | dict[str, JSONValue] | None"

BoardKind = Literal["public", "private", "share"]
WorkspaceKind = Literal["open", "closed"]
ItemMode = Literal["upsert", "create_only"]

BOARD_KINDS: tuple[BoardKind, ...] = ("public", "private", "share")
WORKSPACE_KINDS: tuple[WorkspaceKind, ...] = ("open", "closed")
ITEM_MODES: tuple[ItemMode, ...] = ("upsert", "create_only")
# ``managed``: existing items are moved to their place in the manifest's order; otherwise
# only new items are placed (next to their declared neighbours).
ItemOrder = Literal["unmanaged", "managed"]
ITEM_ORDERS: tuple[ItemOrder, ...] = ("unmanaged", "managed")

# Match key for items whose board does not declare ``match_by``.
NAME_KEY = "name"

# The status colours monday accepts, in the order of their label ids. A status label's id
# is its colour's id, so a colour can be used once per column (monday docs, "status").
STATUS_COLOR_IDS: Mapping[str, int] = {
    "working_orange": 0,
    "done_green": 1,
    "stuck_red": 2,
    "dark_blue": 3,
    "purple": 4,
    "explosive": 5,
    "grass_green": 6,
    "bright_blue": 7,
    "saladish": 8,
    "egg_yolk": 9,
    "blackish": 10,
    "dark_red": 11,
    "sofia_pink": 12,
    "lipstick": 13,
    "dark_purple": 14,
    "bright_green": 15,
    "chili_blue": 16,
    "american_gray": 17,
    "brown": 18,
    "dark_orange": 19,
    "sunset": 101,
    "bubble": 102,
    "peach": 103,
    "berry": 104,
    "winter": 105,
    "river": 106,
    "navy": 107,
    "aquamarine": 108,
    "indigo": 109,
    "dark_indigo": 110,
    "pecan": 151,
    "lavender": 152,
    "royal": 153,
    "steel": 154,
    "orchid": 155,
    "lilac": 156,
    "tan": 157,
    "sky": 158,
    "coffee": 159,
    "teal": 160,
}
STATUS_COLOR_BY_ID: Mapping[int, str] = {v: k for k, v in STATUS_COLOR_IDS.items()}

# A column id a manifest may pin: monday's own ids ("status", "date4", "text_mkm7f3x1")
# and custom ones. monday creates a column with a custom id only when the id is 1-20
# characters of a-z and _ (monday docs, "columns").
PINNABLE_COLUMN_ID = re.compile(r"[a-z_][a-z0-9_]{0,63}")
CREATABLE_COLUMN_ID = re.compile(r"[a-z_]{1,20}")

MAX_STATUS_LABELS = 40
MAX_STATUS_LABEL_LENGTH = 30
MAX_ITEM_NAME_LENGTH = 255


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """``Sprint - Platform`` -> ``sprint-platform`` (accents dropped, other symbols too)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


# --- addresses --------------------------------------------------------------------------
# Addresses name objects in plans, errors and logs. They are plain strings:
#   workspace.eng
#   workspace.eng.folder[Clients/Active]
#   board.platform-sprint
#   board.platform-sprint.column.status
#   board.platform-sprint.column.status.label[Done]
#   board.platform-sprint.group.backlog
#   board.platform-sprint.item[ENG-1]
#   board.platform-sprint.item[#1234 "Fix login"]   (a live item with no match key value)
#   board.deals.subitems.column.owner                (a column of the subitems board)
#   board.deals.item[D-1].subitem[Call]              (a subitem under its parent item)


# Control characters (newlines, escape sequences, bidirectional overrides) in a name would
# split an address over lines or repaint the terminal showing it: addresses spell them out.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with its control and bidirectional-override characters spelt out."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: json.dumps(m.group())[1:-1].replace("\\u00", "\\x"), text)


def workspace_address(workspace_key: str) -> str:
    return f"workspace.{workspace_key}"


def folder_address(place: str, path: str) -> str:
    """A folder by its path in a workspace: ``workspace.eng.folder[Clients/Active]``;
    ``place`` is a workspace address (``workspace.eng``, ``workspace[123]``,
    ``workspace[main]``)."""
    return f"{place}.folder[{printable(path)}]"


def board_address(board_key: str) -> str:
    return f"board.{board_key}"


def column_address(board_key: str, column_key: str) -> str:
    return f"board.{board_key}.column.{printable(column_key)}"


def label_address(board_key: str, column_key: str, label: str) -> str:
    return f"board.{board_key}.column.{printable(column_key)}.label[{printable(label)}]"


def group_address(board_key: str, group_key: str) -> str:
    return f"board.{board_key}.group.{group_key}"


def item_address(board_key: str, match_key: str) -> str:
    return f"board.{board_key}.item[{printable(match_key)}]"


def subitems_board_address(board_key: str) -> str:
    """The subitems board of a board: ``board.KEY.subitems`` (its columns live under it)."""
    return f"board.{board_key}.subitems"


def subitem_column_address(board_key: str, column_key: str) -> str:
    """A column of a board's subitems board: ``board.KEY.subitems.column.COL``."""
    return f"{subitems_board_address(board_key)}.column.{printable(column_key)}"


def subitem_address(board_key: str, parent_key: str, match_key: str) -> str:
    """A subitem under its parent item: ``board.KEY.item[PARENT].subitem[MATCH]``."""
    return f"{item_address(board_key, parent_key)}.subitem[{printable(match_key)}]"


def live_subitem_address(
    board_key: str, parent_key: str, match_key: str, item_id: object, name: str
) -> str:
    """A live subitem's address, keyless ones as live items: ``subitem[#ID "name"]``."""
    if not match_key_is_incomplete(match_key):
        return subitem_address(board_key, parent_key, match_key)
    keyless = f"#{item_id} {json.dumps(name, ensure_ascii=False)}"
    return subitem_address(board_key, parent_key, keyless)


# An item matched by several columns: ``item[ENG-1 / backend]``.
MATCH_KEY_SEPARATOR = " / "


def live_item_address(board_key: str, match_key: str, item_id: object, name: str) -> str:
    """A live item's address: by its match key, or, when a part of that key is empty (no
    manifest row can have such a key, and several items may share it), by its monday id
    and name: ``board.KEY.item[#1234 "Fix login"]``, unique and the same on every run
    while the item exists."""
    if not match_key_is_incomplete(match_key):
        return item_address(board_key, match_key)
    return item_address(board_key, f"#{item_id} {json.dumps(name, ensure_ascii=False)}")


def match_key_is_incomplete(match_key: str) -> bool:
    """Whether a part of a (joined) match key is empty: no value to address the item by."""
    return not all(match_key.split(MATCH_KEY_SEPARATOR))


def join_match_key(parts: Sequence[str]) -> str:
    return MATCH_KEY_SEPARATOR.join(parts)


# --- state ------------------------------------------------------------------------------


WeekStart = Literal["monday", "sunday"]
WEEK_STARTS: tuple[WeekStart, ...] = ("monday", "sunday")


@dataclass(frozen=True)
class User:
    id: str
    name: str
    email: str
    # monday's ``User.status`` (ACTIVE, INACTIVE, PENDING) and ``User.kind`` ("guest",
    # "view_only", ...) when read: a pending, inactive or view-only user cannot be assigned.
    status: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Team:
    """A team of the account, by id and name (read to show people values naming it)."""

    id: str
    name: str


MemberKind = Literal["user", "team"]
# ``set_board_permission``'s basic roles a manifest may declare (``BoardBasicRoleName``;
# ``assigned_contributor`` is left out: the SDL says monday does not support it yet).
BoardRole = Literal["editor", "contributor", "viewer"]
BOARD_ROLES: tuple[BoardRole, ...] = ("editor", "contributor", "viewer")


@dataclass(frozen=True)
class Member:
    """One principal of a board's or workspace's access lists: a user or a team.

    Desired: ``ref`` is the user's email or the team's name, as the manifest writes them
    (``ada@example.com``, ``{team: Design}``). Live: ``ref`` is the monday id.
    """

    kind: MemberKind
    ref: str
    span: SourceSpan | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Account:
    """What boardops knows of the account behind the token (live state only)."""

    # ``Account.first_day_of_the_week``: week column values must start on it.
    week_start: WeekStart = "monday"
    tier: str | None = None
    # How the account reports its main workspace: its real id (recorded behaviour, see
    # ``shared/monday-recorded-behaviour.md`` section 3) or None (the documented null).
    main_workspace_id: str | None = None
    # The user the token acts for: it creates new boards, and so is their first member.
    user_id: str | None = None


def effective_week_start(declared: WeekStart | None, account: Account | None) -> WeekStart:
    """The first day of the week that week values start on: the manifests' ``week_start:``,
    else the account's ``first_day_of_the_week``, else Monday (ISO weeks)."""
    if declared is not None:
        return declared
    return account.week_start if account is not None else "monday"


# Descriptions (workspace, board, column) in desired state: None when the manifest leaves
# them out (monday's is left alone), "" when it says ``null`` or "" (empty on monday, so
# a live one is cleared). Live state reads an empty description as None.


@dataclass(frozen=True)
class Workspace:
    key: str
    name: str
    kind: WorkspaceKind = "open"
    description: str | None = None
    id: str | None = None
    # Live state only: ``Workspace.is_default_workspace`` (the account's main workspace).
    is_default: bool = False
    # Desired only: earlier names, so that a rename is an update (see ``previous_names``
    # of ``Board``).
    previous_names: tuple[str, ...] = ()
    # Desired: the manifest's ``owners:`` and ``members:`` (None: not declared, left
    # alone); ``prune`` (below) also lets a plan remove members neither list names.
    owners: tuple[Member, ...] | None = None
    members: tuple[Member, ...] | None = None
    # Live state only: ids of the workspace's users and teams (all of them, owners among
    # them) and of its owners; None: not read.
    member_ids: frozenset[str] | None = None
    team_member_ids: frozenset[str] | None = None
    owner_ids: frozenset[str] | None = None
    team_owner_ids: frozenset[str] | None = None
    span: SourceSpan | None = field(default=None, compare=False, repr=False)
    # Desired: the workspace's folder tree (None: not declared, its folders are left
    # alone). Live state keeps folders flat in ``LiveState.folders``.
    folders: tuple[Folder, ...] | None = None
    # Desired only (manifest ``prune``): empty folders the manifest does not declare are
    # deleted, and (where ``owners``/``members`` are declared) members neither names are
    # removed (with --allow-destroy).
    prune: bool = False


# ``enum FolderColor`` of the official SDL (2026-10), as manifests write it: lower case.
# ``NULL`` ("No color") is left out: a folder with no ``color:`` keeps monday's.
FOLDER_COLORS: tuple[str, ...] = (
    "aquamarine",
    "bright_blue",
    "bright_green",
    "chili_blue",
    "dark_orange",
    "dark_purple",
    "dark_red",
    "done_green",
    "indigo",
    "lipstick",
    "purple",
    "sofia_pink",
    "stuck_red",
    "sunset",
    "working_orange",
)

# A board's ``folder:`` path separates nested folder names with this.
FOLDER_PATH_SEPARATOR = "/"


@dataclass(frozen=True)
class Folder:
    """A workspace folder.

    Desired: by ``name`` (or one of ``previous_names``) under its parent, with its
    sub-folders in ``folders``; ``color`` None leaves monday's alone. Live: flat (see
    ``LiveState.folders``), with ``id``, ``parent_id`` (None: at the workspace's top),
    ``workspace_id`` (None: the main workspace, as monday reports it) and ``board_ids``
    (the boards it holds; None: not read).
    """

    name: str
    color: str | None = None
    folders: tuple[Folder, ...] = ()
    previous_names: tuple[str, ...] = ()
    id: str | None = None
    parent_id: str | None = None
    workspace_id: str | None = None
    board_ids: tuple[str, ...] | None = field(default=None, compare=False)
    span: SourceSpan | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ItemNickname:
    """What an item is called on a board (``ItemNicknameInput``): ``singular`` and
    ``plural``, or one of monday's ``preset`` nicknames. monday reads back one word
    (``Board.item_terminology``), compared with ``singular`` (else ``preset``)."""

    singular: str | None = None
    plural: str | None = None
    preset: str | None = None

    @property
    def term(self) -> str:
        """The word ``Board.item_terminology`` reads back for this nickname."""
        return self.singular or self.preset or ""


@dataclass(frozen=True)
class StatusLabel:
    label: str
    # None in a manifest: any colour; a new label then gets a free colour (one whose name
    # no label uses and whose numeric id is no label's id). Live: the colour's enum name,
    # also when monday answers with its numeric id; an id outside the colour table is
    # kept as its digits ("158"), never a crash.
    color: str | None = None
    done: bool = False
    description: str | None = None
    previous_labels: tuple[str, ...] = ()
    # monday's label id; live state only. Equal to the colour id on a fresh column, but on
    # long-lived boards ids and colours drift apart: never assume one from the other.
    id: int | None = None
    # Display position on monday (0-based); live state only.
    index: int | None = None
    # Live state only: hidden on monday but kept, so item values that use it survive.
    deactivated: bool = False
    span: SourceSpan | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class DropdownLabel:
    label: str
    previous_labels: tuple[str, ...] = ()
    id: int | None = None  # live state only
    deactivated: bool = False  # live state only, as for StatusLabel
    span: SourceSpan | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class BoardLink:
    """A board that a connect-boards column links to.

    Desired: ``key`` of a board the manifests declare, or ``id`` / ``name`` of a board
    outside them. Live: ``id`` always, ``name`` when read, and ``key`` when the board is
    one the manifests name (the live reader fills it in).
    """

    key: str | None = None
    id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Relation:
    """What a connect-boards (``board_relation``) column connects, and how."""

    boards: tuple[BoardLink, ...] = ()
    # monday's ``allowMultipleItems``: a cell may link several items.
    allow_multiple: bool = True
    # Two-way: monday keeps a mirrored connect-boards column on each connected board.
    two_way: bool = False


@dataclass(frozen=True)
class Mirror:
    """What a ``mirror`` column shows: columns of the items linked by ``relation``."""

    # The key (desired) or id (live) of the connect-boards column on the same board.
    relation: str
    # The columns shown, as keys (desired) or ids (live) of columns on the connected boards.
    shows: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    title: str
    type: str
    id: str | None = None
    description: str | None = None
    status_labels: tuple[StatusLabel, ...] = ()
    dropdown_labels: tuple[DropdownLabel, ...] = ()
    previous_titles: tuple[str, ...] = ()
    # ``board_relation`` columns: the boards connected; ``mirror`` columns: what is shown.
    relation: Relation | None = None
    mirror: Mirror | None = None
    # Desired: the ``settings:`` keys the manifest declares (None: none; see
    # ``boardops.column_settings``). Width in pixels: desired None leaves monday's alone.
    declared_settings: Mapping[str, JSONValue] | None = None
    width: int | None = None
    # Live state only: monday's optimistic-concurrency token and the raw settings JSON.
    revision: str | None = None
    settings: Mapping[str, JSONValue] | None = field(default=None, compare=False, repr=False)
    span: SourceSpan | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        """The column's handle in addresses and item values: its id, else its title."""
        return self.id if self.id is not None else self.title


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    color: str | None = None  # hex, as monday reports it ("#579bfc")
    previous_titles: tuple[str, ...] = ()
    id: str | None = None  # pinned in a manifest, or monday's id in live state
    span: SourceSpan | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Item:
    name: str
    # Desired: a group key. Live: monday's group id.
    group: str | None = None
    # Human-form values; desired: keyed by Column.key; live: keyed by monday column id.
    values: Mapping[str, JSONValue] = field(default_factory=dict)
    id: str | None = None  # live state only
    # Desired: the row's ``subitems:`` (None: not declared, so its subitems are left
    # alone). Live: the item's subitems, when the board's subitems were read.
    subitems: tuple[Item, ...] | None = None
    span: SourceSpan | None = field(default=None, compare=False, repr=False)


# The column type monday gives a board's subitems column; its settings name the subitems
# board. A board whose manifest declares ``subitems:`` manages it through that block.
SUBTASKS_TYPE = "subtasks"


@dataclass(frozen=True)
class Subitems:
    """A board's subitems: the columns of its subitems board and how subitems are matched
    under their parent item (rows carry the subitems themselves, ``Item.subitems``)."""

    columns: tuple[Column, ...] = ()
    match_by: tuple[str, ...] = (NAME_KEY,)
    mode: ItemMode = "upsert"
    prune: bool = False
    # Live state only: the subitems board (monday creates it with the first subitem).
    id: str | None = None
    span: SourceSpan | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ItemSet:
    rows: tuple[Item, ...] = ()
    # Column keys (or "name") whose values identify an item.
    match_by: tuple[str, ...] = (NAME_KEY,)
    mode: ItemMode = "upsert"
    prune: bool = False
    span: SourceSpan | None = field(default=None, compare=False, repr=False)
    order: ItemOrder = "unmanaged"


@dataclass(frozen=True)
class BoardContents:
    """What a live board holds, counted: items by group id, non-empty values by column id."""

    items_by_group: Mapping[str, int] = field(default_factory=dict)
    values_by_column: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Board:
    key: str
    name: str
    kind: BoardKind = "public"
    # Desired: a workspace key from the manifest, or None with ``workspace_id`` for an
    # existing workspace; both None = the account's main workspace.
    workspace: str | None = None
    workspace_id: str | None = None
    id: str | None = None
    previous_names: tuple[str, ...] = ()
    description: str | None = None
    columns: tuple[Column, ...] = ()
    groups: tuple[Group, ...] = ()
    # None: the manifest says nothing about items, so boardops leaves them all alone.
    items: ItemSet | None = None
    # None: the manifest says nothing about subitems (left alone); live: the subitems
    # board, when the board has one.
    subitems: Subitems | None = None
    prune: bool = False
    template: str | None = None
    # Desired only (manifest ``subscribe_people``, default true): people the items assign
    # who are not members of the board are subscribed to it first (a plan action; it gives
    # them access to the board). False: assigning a non-member is a plan error.
    subscribe_people: bool = True
    # Desired: the path of the folder the board sits in ("Clients/Active"), in its
    # workspace; None: not managed (left where it is). Live: its folder's path, "" for
    # none (at the workspace's top), None when not known; ``folder_id`` its id.
    folder: str | None = None
    folder_id: str | None = None
    # Desired: what an item is called (None: monday's left alone). Live: the nickname read
    # back from ``Board.item_terminology`` (``singular`` only), None when not read.
    item_nickname: ItemNickname | None = None
    # Live state only.
    state: str | None = None
    updated_at: str | None = None
    # Live state only: ids of the users and teams subscribed to the board (its members and
    # owners; people values may name only them). None: not read.
    subscriber_ids: frozenset[str] | None = None
    team_subscriber_ids: frozenset[str] | None = None
    # Desired: the manifest's ``owners:`` and ``subscribers:`` (None: not declared, left
    # alone) and ``role:`` (None: left alone). Live: the owners' ids (None: not read) and
    # the role ``Board.permissions`` stands for (None: not read, or a value boardops does
    # not know, kept in ``permissions``).
    owners: tuple[Member, ...] | None = None
    subscribers: tuple[Member, ...] | None = None
    role: BoardRole | None = None
    owner_ids: frozenset[str] | None = None
    team_owner_ids: frozenset[str] | None = None
    permissions: str | None = None
    # Live state only: how many items each group holds and how many items have a value in
    # each column (by monday ids), counted whether or not the manifest declares items, so
    # the plan can say what a destructive action loses. None: not counted (a snapshot).
    contents: BoardContents | None = field(default=None, compare=False, repr=False)
    span: SourceSpan | None = field(default=None, compare=False, repr=False)

    def column(self, key: str) -> Column | None:
        for column in self.columns:
            if column.key == key or column.id == key:
                return column
        return None

    def group(self, key: str) -> Group | None:
        for group in self.groups:
            if group.key == key:
                return group
        return None


@dataclass(frozen=True)
class DesiredState:
    workspaces: tuple[Workspace, ...] = ()
    boards: tuple[Board, ...] = ()
    # sha256 over the manifest files' bytes, in path order: identifies what was planned.
    digest: str = ""
    files: tuple[str, ...] = ()
    # The first day of the week the manifests state for week values (``week_start:``);
    # None: the account's (``Account.week_start``).
    week_start: WeekStart | None = None

    def workspace(self, key: str) -> Workspace | None:
        return next((w for w in self.workspaces if w.key == key), None)

    def board(self, key: str) -> Board | None:
        return next((b for b in self.boards if b.key == key), None)


@dataclass(frozen=True)
class LiveState:
    """What monday holds for the objects a manifest names.

    ``workspaces`` and ``boards`` map the *desired* key to the live object found for it,
    or to None when nothing matched (it will be created). Live objects carry the desired
    key as their ``key``.
    """

    workspaces: Mapping[str, Workspace | None] = field(default_factory=dict)
    boards: Mapping[str, Board | None] = field(default_factory=dict)
    users: tuple[User, ...] = ()
    # The account's teams, read when people values name a team (empty: none, or not read).
    teams: tuple[Team, ...] = ()
    # The account behind the token, when it was read (None: a snapshot, or not read).
    account: Account | None = None
    # Where the state came from: "api", "sandbox" (the in-process sandbox, whose state file
    # is ``origin``), or "snapshot" (describe file) with its time.
    source: str = "api"
    read_at: str | None = None
    origin: str | None = None
    # The account's tags by name, read when a live board the manifest writes items to has
    # a tags column (empty: none, or not read); the plan creates those items need.
    tags: Mapping[str, int] = field(default_factory=dict)
    # Boards outside the manifests that connect-boards columns (desired or live) link to,
    # as found on monday (id and name); a desired link none of them matches is missing.
    outside_boards: tuple[BoardLink, ...] = ()
    # The folders of the workspaces the manifests place boards or folders in, flat (see
    # ``Folder``); empty: none, or not read.
    folders: tuple[Folder, ...] = ()
    # Items on boards outside the manifests that live link values name (read by
    # ``boardops.links``): item id -> (board label, item name).
    linked_items: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def folder_path(folder: Folder, folders: Sequence[Folder]) -> str:
    """A live folder's path in its workspace ("Clients/Active"), through its parents."""
    by_id = {f.id: f for f in folders}
    names = [folder.name]
    seen = {folder.id}
    parent = folder.parent_id
    while parent is not None and parent in by_id and parent not in seen:
        seen.add(parent)
        names.append(by_id[parent].name)
        parent = by_id[parent].parent_id
    return FOLDER_PATH_SEPARATOR.join(reversed(names))


# The response header by which a boardops sandbox (``boardops sandbox serve``) names its
# state file, so that a client reaching it by --api-url says "the sandbox FILE" as
# --sandbox does. monday never sends it; it only changes how answers are described.
SANDBOX_HEADER = "X-Boardops-Sandbox"


# The board of the apply lease (boardops.lease): boardops' own bookkeeping, so listing a
# workspace's boards (describe, export) leaves it out.
LOCK_BOARD_NAME = "boardops lock"
