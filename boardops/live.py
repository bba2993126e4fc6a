"""Reading what monday holds for the objects a manifest names, into the model.

The reader finds each workspace and board the manifest names (a pinned id first, else the
name or one of its previous names within the right workspace), reads their structure and,
where the manifest declares items, their items, and converts it all into ``boardops.model``
objects with monday's ids beside the manifest's keys. It compares nothing and decides
nothing: that is the plan's job.

Requests: one for users (people values), one per page of workspaces or boards listed to
find things by name, one for the structure of up to ``boards_per_request`` boards together
with their first page of items, and one per further 500 items. What real accounts need
besides rides along in those: the main workspace's id comes from ``is_default_workspace``
in the listings and the boards' ``workspace``; board subscribers (for boards whose items
use people) and the account (its first day of the week, when week values need it and the
manifest does not fix ``week_start``; its tier, for a closed workspace) are selected in the
structure read. Only when no declared board exists yet does the account cost a request.

Every answer is read through one ``WireReader`` per read (``boardops.monday.wire``): a
harmless odd shape is a warning naming its field path, a needed value that is unusable
fails in one line. Where monday answers differently from its docs (status colours as
numbers, the main workspace by its real id, subitem boards in listings), see
``shared/monday-recorded-behaviour.md``; the rules are written once: ``same_workspace``,
``board_ref_from_wire`` here, ``status_color`` in ``boardops.from_wire`` (which converts
every answer into the model); the scope checks are in ``boardops.live_scope``.

With a read scope (``boardops.scope``, from the project configuration), ``read_live`` and
``describe`` place every workspace and board they are about to read from listings (id,
name, workspace; one ``boards_by_id`` request for boards pinned by id) and ask the scope
about it before the structure read: nothing of a board outside it is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from boardops import codec
from boardops.errors import LiveReadError
from boardops.from_wire import (
    account_from_wire,
    board_from_wire,
    user_from_wire,
    workspace_from_wire,
)
from boardops.gc_pause import collector_paused
from boardops.identity import match_named
from boardops.links import name_live_links, wants_link_items
from boardops.live_folders import folder_workspaces, wants_folders, with_folders
from boardops.live_relations import read_links
from boardops.live_scope import (
    check_board_ref,
    check_found_boards,
    check_live_workspace,
    check_places,
)
from boardops.live_subitems import read_subitems, subtasks_column
from boardops.model import (
    LOCK_BOARD_NAME,
    Account,
    Board,
    DesiredState,
    JSONValue,
    LiveState,
    Team,
    User,
    Workspace,
    board_address,
    effective_week_start,
    slug,
    workspace_address,
)
from boardops.monday import MondayClient
from boardops.monday.wire import WirePath, WireReader
from boardops.relations import with_board_keys

if TYPE_CHECKING:
    from boardops.scope import ScopeCheck


# Board types a listing keeps: real boards (``type`` null on older answers); subitem
# boards, documents and custom objects are never a manifest's board.
_LISTED_BOARD_TYPES = (None, "board")


# --- finding the manifest's objects -------------------------------------------------------


@dataclass(frozen=True)
class BoardRef:
    """Enough of a listed board to recognise it: id, name, workspace."""

    id: str
    name: str
    workspace_id: str | None


def board_ref_from_wire(
    raw: Mapping[str, Any], reader: WireReader, at: WirePath
) -> BoardRef | None:
    """A listed board as a ``BoardRef``; None for what is not a board a manifest can name
    (``type`` other than ``board`` or null: subitem boards, documents, custom objects)."""
    if raw.get("type") not in _LISTED_BOARD_TYPES:
        return None
    return BoardRef(
        id=reader.id(raw, "id", at),
        name=reader.name(raw, "name", at),
        workspace_id=reader.optional_id(raw, "workspace_id", at),
    )


def same_workspace(a: str | None, b: str | None, main_workspace_id: str | None) -> bool:
    """Whether two workspace ids name the same workspace, None standing for the main one.

    monday reports the main workspace as null (documented) or, on accounts migrated to
    multi-product, as its real id (recorded behaviour, section 3): with its id known,
    null and that id are the same workspace.
    """
    if a == b:
        return True
    return main_workspace_id is not None and {a, b} == {None, main_workspace_id}


def match_board(
    desired: Board,
    workspace_id: str | None,
    candidates: Sequence[BoardRef],
    main_workspace_id: str | None = None,
) -> BoardRef | None:
    """The live board a desired board stands for: by current name, else a previous name.

    Two live boards answering to the same name in one workspace are ambiguous, and so are
    a board with the current name beside another with a previous name: the reader refuses
    to guess (pin the board's ``id`` in the manifest). The rule is
    ``boardops.identity.match_named``; ambiguity raises ``AmbiguousMatch``.
    """
    in_workspace = [
        c for c in candidates if same_workspace(c.workspace_id, workspace_id, main_workspace_id)
    ]
    return match_named(
        board_address(desired.key),
        "board",
        desired.name,
        desired.previous_names,
        in_workspace,
        "in this workspace",
    )


def now_utc() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _declares_items_of(board: Board, column_type: str) -> bool:
    columns = (*board.columns, *(board.subitems.columns if board.subitems else ()))
    return board.items is not None and any(c.type == column_type for c in columns)


def needs_users(desired: DesiredState) -> bool:
    return any(_declares_items_of(board, "people") for board in desired.boards)


def needs_account(desired: DesiredState) -> bool:
    """Whether the plan needs the account: its first day of the week for week values the
    manifest does not fix with ``week_start:``, its tier for a closed workspace, or the
    token's user (a new board's first member) for people values."""
    weeks = desired.week_start is None and any(
        _declares_items_of(board, "week") for board in desired.boards
    )
    return weeks or needs_users(desired) or any(w.kind == "closed" for w in desired.workspaces)


class _Listings:
    """The rows of one read's listings, through one ``WireReader``; remembers the main
    workspace's id wherever an answer reveals it (``is_default_workspace``)."""

    def __init__(self, client: MondayClient, reader: WireReader) -> None:
        self.client = client
        self.reader = reader
        self.main_workspace_id: str | None = None
        self.main_workspace_seen = False
        self._listed: dict[tuple[str, ...] | None, list[tuple[BoardRef, Mapping[str, Any]]]] = {}
        self._workspaces: list[Workspace] | None = None
        self._refs: dict[str, BoardRef] = {}

    def _default(self, workspace: Mapping[str, Any] | None, at: WirePath) -> None:
        if workspace is None or self.main_workspace_seen:
            return
        if self.reader.flag(workspace, "is_default_workspace", at):
            self.main_workspace_seen = True
            self.main_workspace_id = self.reader.optional_id(workspace, "id", at)

    def workspaces(self) -> list[Workspace]:
        """Every workspace the token sees (listed once per read)."""
        if self._workspaces is not None:
            return self._workspaces
        found = []
        at = WirePath.root("workspaces")
        for raw, where in self.reader.rows(list(self.client.iter_workspaces()), at):
            workspace = workspace_from_wire("", raw, self.reader, where)
            found.append(replace(workspace, key=workspace.name))
            self._default(raw, where)
        self._workspaces = found
        return found

    def boards(
        self, workspace_ids: Sequence[str] | None = None
    ) -> list[tuple[BoardRef, Mapping[str, Any]]]:
        """Listed boards (subitem boards, documents and custom objects left out); each
        listing is read once per read."""
        cache_key = None if workspace_ids is None else tuple(workspace_ids)
        known = self._listed.get(cache_key)
        if known is not None:
            return known
        listed: list[tuple[BoardRef, Mapping[str, Any]]] = []
        at = WirePath.root("boards")
        rows = list(self.client.iter_boards(workspace_ids=workspace_ids))
        for raw, where in self.reader.rows(rows, at):
            self.see_board(raw, where)
            ref = board_ref_from_wire(raw, self.reader, where)
            if ref is not None:
                listed.append((ref, raw))
                self._refs[ref.id] = ref
        self._listed[cache_key] = listed
        return listed

    def refs(self, board_ids: Iterable[str]) -> dict[str, BoardRef]:
        """The boards among ``board_ids`` that exist, placed (id, name, workspace) from
        the listings read so far, else by one request for nothing but that."""
        wanted = sorted(set(board_ids), key=lambda i: (len(i), i))
        unknown = [board_id for board_id in wanted if board_id not in self._refs]
        if unknown:
            at = WirePath.root("boards")
            for raw, where in self.reader.rows(self.client.boards_by_id(unknown), at):
                self.see_board(raw, where)
                ref = board_ref_from_wire(raw, self.reader, where)
                if ref is not None:
                    self._refs[ref.id] = ref
        return {board_id: self._refs[board_id] for board_id in wanted if board_id in self._refs}

    def is_main(self, workspace_id: str | None) -> bool:
        """Whether a workspace id (None: the documented null) is the main workspace, as
        far as the answers read so far tell."""
        if workspace_id is None or workspace_id == self.main_workspace_id:
            return True
        return any(w.id == workspace_id and w.is_default for w in self._workspaces or ())

    def see_board(self, raw: Mapping[str, Any], at: WirePath) -> None:
        """Note the main workspace from a board's ``workspace { id is_default_workspace }``."""
        self._default(self.reader.mapping(raw, "workspace", at), at / "workspace")


def find_board_id(client: MondayClient, name: str, workspace_id: str | None) -> str | None:
    """The id of the one listed board named ``name`` in a workspace (None: the main one),
    found as the plan finds boards; None when there is none, or more than one."""
    listings = _Listings(client, WireReader())
    listed = listings.boards(None if workspace_id is None else [workspace_id])
    matches = [
        ref.id
        for ref, _ in listed
        if ref.name == name
        and same_workspace(ref.workspace_id, workspace_id, listings.main_workspace_id)
    ]
    return matches[0] if len(matches) == 1 else None


# --- reading ----------------------------------------------------------------------------


def read_live(
    client: MondayClient, desired: DesiredState, *, scope: ScopeCheck | None = None
) -> LiveState:
    """What monday holds for every workspace and board ``desired`` names.

    ``scope`` (``boardops.scope``): a workspace or board outside it, where it is on monday
    or where the manifests would create it, fails with ``OutOfScope`` before anything of
    it but its id, name and workspace is read."""
    # Decoding and converting every item builds a large, acyclic graph: see
    # collector_paused for why the cyclic collector is kept out of it.
    reader = WireReader()
    with collector_paused():
        live = _read_live(client, desired, reader, scope)
    reader.finish()
    return live


def _read_live(
    client: MondayClient, desired: DesiredState, reader: WireReader, scope: ScopeCheck | None
) -> LiveState:
    read_at = now_utc()
    listings = _Listings(client, reader)
    workspaces = _find_workspaces(listings, desired)
    if scope is not None:
        check_places(scope, listings, desired, workspaces)
    board_ids = _find_board_ids(listings, desired, workspaces)
    found_ids = {board_id for board_id in board_ids.values() if board_id is not None}
    if scope is not None:
        found_ids = check_found_boards(scope, listings, desired, board_ids)
    wanted = sorted(found_ids)
    with_people = {board_ids[b.key] for b in desired.boards if _declares_items_of(b, "people")} - {
        None
    }
    want_account = needs_account(desired)
    raw_boards: dict[str, tuple[Mapping[str, Any], WirePath]] = {}
    raw_account: Mapping[str, Any] | None = None
    if wanted:
        read = client.read_structure(
            wanted, subscribers_of=sorted(i for i in with_people if i), account=want_account
        )
        raw_account = read.account
        for raw, where in reader.rows(read.boards, WirePath.root("boards")):
            listings.see_board(raw, where)
            raw_boards[reader.id(raw, "id", where)] = (raw, where)
    if want_account and raw_account is None:
        raw_account = client.account()

    for key, board_id in board_ids.items():
        board = desired.board(key)
        if board is not None and board.id is not None and board_id not in raw_boards:
            raise LiveReadError(
                f"{board_address(key)}: no active board with the pinned id {board.id}"
            )

    account = (
        account_from_wire(raw_account, listings.main_workspace_id, reader)
        if raw_account is not None or listings.main_workspace_seen
        else None
    )
    users = _users(client, reader) if needs_users(desired) else ()
    tags = (
        _tags(client, reader)
        if _needs_tags(desired, [raw for raw, _ in raw_boards.values()])
        else {}
    )
    directory = codec.Directory(
        users=users, tags=tags, week_start=effective_week_start(desired.week_start, account)
    )

    boards: dict[str, Board | None] = {}
    # Links name items by key: every board's items are then read (boardops.links).
    with_links = wants_link_items(desired, (raw for raw, _ in raw_boards.values()))
    for board in desired.boards:
        board_id = board_ids.get(board.key)
        found = raw_boards.get(board_id) if board_id is not None else None
        if found is None:
            boards[board.key] = None
            continue
        raw, where = found
        items = raw.get("items") if board.items is not None or with_links else None
        boards[board.key] = board_from_wire(board.key, raw, items, directory, reader, where)
    with_subitems = {b.key for b in desired.boards if b.subitems is not None}
    if with_subitems:
        boards = read_subitems(client, boards, with_subitems, directory, reader)
    teams = _teams(client, reader) if _names_teams(desired, boards.values()) else ()
    boards, outside_boards = read_links(listings, desired, boards)
    linked_items: dict[str, tuple[str, str]] = {}
    if with_links:
        boards, linked_items = name_live_links(client, desired, boards, reader)
    live = LiveState(
        workspaces=workspaces,
        boards=boards,
        users=users,
        teams=teams,
        account=account,
        **_source_of(client),
        read_at=read_at,
        tags=tags,
        outside_boards=outside_boards,
        linked_items=linked_items,
    )
    if not wants_folders(desired):
        return live
    return with_folders(client, reader, live, folder_workspaces(desired, workspaces))


def _users(client: MondayClient, reader: WireReader) -> tuple[User, ...]:
    at = WirePath.root("users")
    return tuple(
        user_from_wire(raw, reader, where) for raw, where in reader.rows(client.users(), at)
    )


def _names_teams(desired: DesiredState, live: Iterable[Board | None]) -> bool:
    """Whether a people value of the manifests or of the live items read names a team
    (``team:<id>``): only then are the teams read, for plans to show their names."""
    boards = [*desired.boards, *(board for board in live if board is not None)]
    for board in boards:
        people = {c.key for c in board.columns if c.type == "people"}
        people |= {c.id for c in board.columns if c.type == "people" and c.id is not None}
        if not people or board.items is None:
            continue
        for item in board.items.rows:
            if any(_team_token(v) for k, v in item.values.items() if k in people):
                return True
    return False


def _team_token(value: JSONValue) -> bool:
    if isinstance(value, list):
        return any(_team_token(v) for v in value)
    return isinstance(value, str) and "team:" in value.lower()


def _teams(client: MondayClient, reader: WireReader) -> tuple[Team, ...]:
    teams = []
    for raw, where in reader.rows(client.teams(), WirePath.root("teams")):
        teams.append(Team(id=reader.id(raw, "id", where), name=reader.name(raw, "name", where)))
    return tuple(teams)


def _tags(client: MondayClient, reader: WireReader) -> dict[str, int]:
    tags: dict[str, int] = {}
    for raw, where in reader.rows(client.tags(), WirePath.root("tags")):
        tag_id = reader.integer(raw, "id", where)
        if tag_id is None:
            reader.warn(where / "id", "a tag without a numeric id", "skipped")
            continue
        tags[reader.name(raw, "name", where)] = tag_id
    return tags


def _find_workspaces(listings: _Listings, desired: DesiredState) -> dict[str, Workspace | None]:
    if not desired.workspaces:
        return {}
    listed = listings.workspaces()
    found: dict[str, Workspace | None] = {}
    for workspace in desired.workspaces:
        match = find_workspace(workspace, listed)
        found[workspace.key] = replace(match, key=workspace.key) if match else None
    _check_one_entry_each(
        "workspace", {key: w.id for key, w in found.items() if w is not None}, workspace_address
    )
    return found


def find_workspace(workspace: Workspace, listed: Sequence[Workspace]) -> Workspace | None:
    """The live workspace a desired one stands for: a pinned id, else its name or one of
    its previous names (``match_named``)."""
    if workspace.id is not None:
        return next((w for w in listed if w.id == workspace.id), None)
    return match_named(
        workspace_address(workspace.key),
        "workspace",
        workspace.name,
        workspace.previous_names,
        listed,
        "on this account",
    )


def _check_one_entry_each(
    what: str, ids: Mapping[str, str | None], address: Callable[[str], str]
) -> None:
    """Two manifest entries standing for one live object (one by name, one by a pinned
    id, say) would be planned as two and, with prune, undo each other: refused."""
    keys_by_id: dict[str, list[str]] = {}
    for key, live_id in ids.items():
        if live_id is not None:
            keys_by_id.setdefault(live_id, []).append(key)
    for live_id, keys in sorted(keys_by_id.items()):
        if len(keys) > 1:
            names = " and ".join(address(key) for key in sorted(keys))
            raise LiveReadError(
                f"{names} both stand for the live {what} {live_id}; one manifest entry per "
                f"{what} (drop one, or fix its `id:` or name)"
            )


def _board_workspace_id(
    board: Board, workspaces: Mapping[str, Workspace | None]
) -> tuple[bool, str | None]:
    """(exists, id) of the workspace a desired board lives in; id None = main workspace."""
    if board.workspace is not None:
        live = workspaces.get(board.workspace)
        return (live is not None, None if live is None else live.id)
    return (True, board.workspace_id)


def _find_board_ids(
    listings: _Listings,
    desired: DesiredState,
    workspaces: Mapping[str, Workspace | None],
) -> dict[str, str | None]:
    """Each desired board's live id: its pinned id, else its name (or a previous name) in
    its workspace, else (a move) in another workspace the manifest names or the main
    workspace (``_find_moved``). Two entries standing for one board fail here, before
    the boards are read."""
    ids: dict[str, str | None] = {}
    by_name: list[tuple[Board, str | None]] = []
    for board in desired.boards:
        if board.id is not None:
            ids[board.key] = board.id
            continue
        exists, workspace_id = _board_workspace_id(board, workspaces)
        if not exists:
            ids[board.key] = None  # its workspace is yet to be created: looked for elsewhere
        else:
            by_name.append((board, workspace_id))
    if by_name:
        in_main = any(workspace_id is None for _, workspace_id in by_name)
        listed = listings.boards(
            workspace_ids=None if in_main else sorted({ws for _, ws in by_name if ws is not None})
        )
        candidates = [ref for ref, _ in listed]
        for board, workspace_id in by_name:
            match = match_board(board, workspace_id, candidates, listings.main_workspace_id)
            ids[board.key] = None if match is None else match.id
    _find_moved(listings, desired, workspaces, ids)
    _check_one_entry_each("board", ids, board_address)
    return ids


def _find_moved(
    listings: _Listings,
    desired: DesiredState,
    workspaces: Mapping[str, Workspace | None],
    ids: dict[str, str | None],
) -> None:
    """Boards not found in their workspace, looked for (by name, then previous name) in
    the other places this manifest holds boards in: its workspaces that exist, the
    workspaces boards pin by id, and the main workspace when a board of the manifest is
    there. Found there, the plan moves them; a board another entry stands for is never a
    candidate. A place the manifest no longer names is not searched (pin the board's
    ``id`` to move it from there)."""
    missing = [b for b in desired.boards if b.id is None and ids.get(b.key) is None]
    places: set[str | None] = set()
    for board in desired.boards:
        exists, workspace_id = _board_workspace_id(board, workspaces)
        if exists:
            places.add(workspace_id)
    places.update(w.id for w in workspaces.values() if w is not None and w.id is not None)
    own = {_board_workspace_id(b, workspaces) for b in missing}
    if not missing or all(exists and places <= {ws} for exists, ws in own) or not places:
        return
    listed = [
        ref
        for ref, _ in listings.boards(
            workspace_ids=None if None in places else sorted(p for p in places if p is not None)
        )
    ]
    main = listings.main_workspace_id
    claimed = {board_id for board_id in ids.values() if board_id is not None}
    elsewhere = [
        ref
        for ref in listed
        if ref.id not in claimed and any(same_workspace(ref.workspace_id, p, main) for p in places)
    ]
    for board in missing:
        exists, workspace_id = _board_workspace_id(board, workspaces)
        others = [
            ref
            for ref in elsewhere
            if not (exists and same_workspace(ref.workspace_id, workspace_id, main))
        ]
        match = match_named(
            board_address(board.key),
            "board",
            board.name,
            board.previous_names,
            others,
            "in the other workspaces of this manifest",
        )
        if match is not None:
            ids[board.key] = match.id


def _needs_tags(desired: DesiredState, raw_boards: Iterable[Mapping[str, Any]]) -> bool:
    """Whether item values may name tags: a board with items has a tags column, declared
    (a new board's too, so a plan never creates a tag the account has) or live."""
    with_items = [b for b in desired.boards if b.items is not None]
    if not with_items:
        return False
    if any(c.type == "tags" for b in with_items for c in b.columns):
        return True
    return any(
        isinstance(column, Mapping) and column.get("type") == "tags"
        for raw in raw_boards
        for column in _list(raw.get("columns"))
    )


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# --- describe and snapshots -----------------------------------------------------------


def describe(
    client: MondayClient,
    *,
    boards: Sequence[str] = (),
    workspaces: Sequence[str] = (),
    with_items: bool = False,
    scope: ScopeCheck | None = None,
) -> LiveState:
    """The live state of boards named by id or name, or of every board in workspaces.

    Boards are keyed by the slug of their name (``#<id>`` appended when two share a slug).
    Subitem boards (and documents) are never listed. ``scope``: a board or workspace
    outside it fails with ``OutOfScope`` naming the ``--board`` or ``--workspace`` given,
    before anything of it but its id, name and workspace is read.
    """
    reader = WireReader()
    live = _describe(client, boards, workspaces, with_items, reader, scope)
    reader.finish()
    return live


def _describe(
    client: MondayClient,
    boards: Sequence[str],
    workspaces: Sequence[str],
    with_items: bool,
    reader: WireReader,
    scope: ScopeCheck | None,
) -> LiveState:
    read_at = now_utc()
    listings = _Listings(client, reader)
    ids: list[str] = [ref for ref in boards if ref.isdigit()]
    names = [ref for ref in boards if not ref.isdigit()]
    wanted_workspaces: dict[str, Workspace] = {}
    if workspaces:
        listed = listings.workspaces()
        for name in workspaces:
            matches = [w for w in listed if w.name == name or w.id == name]
            if not matches:
                raise LiveReadError(f"no workspace named {name!r}")
            for match in matches:
                if scope is not None:
                    check_live_workspace(scope, listings, f"--workspace {name!r}", match)
                wanted_workspaces[match.name] = match
    if scope is not None and ids:
        refs = listings.refs(ids)
        for board_id in ids:
            if board_id in refs:
                check_board_ref(scope, listings, f"--board {board_id}", refs[board_id])
        missing_ids = sorted(set(ids) - set(refs))
        if missing_ids:
            raise LiveReadError(f"no active board with id {', '.join(missing_ids)}")
    if names or wanted_workspaces:
        listing = listings.boards()
        for name in names:
            found = [ref for ref, _ in listing if ref.name == name]
            if not found:
                raise LiveReadError(f"no active board named {name!r}")
            if len(found) > 1:
                listed_ids = ", ".join(sorted(ref.id for ref in found))
                raise LiveReadError(
                    f"{len(found)} boards are named {name!r} (ids {listed_ids}); give an id"
                )
            if scope is not None:
                check_board_ref(scope, listings, f"--board {name!r}", found[0])
            ids.append(found[0].id)
        main = listings.main_workspace_id
        for ref, _ in listing:
            home = next(
                (
                    w
                    for w in wanted_workspaces.values()
                    if same_workspace(ref.workspace_id, w.id, main)
                ),
                None,
            )
            if home is None or ref.name == LOCK_BOARD_NAME:
                continue
            if scope is not None:
                check_board_ref(scope, listings, f"--workspace {home.name!r}", ref)
            ids.append(ref.id)
    unique_ids = sorted(set(ids), key=lambda i: (len(i), i))
    raw_boards: list[tuple[Mapping[str, Any], WirePath]] = []
    if unique_ids:
        people = unique_ids if with_items else []
        read = client.read_structure(unique_ids, subscribers_of=people)
        raw_boards = list(reader.rows(read.boards, WirePath.root("boards")))
    by_id = {reader.id(raw, "id", where): (raw, where) for raw, where in raw_boards}
    missing = set(unique_ids) - set(by_id)
    if missing:
        raise LiveReadError(f"no active board with id {', '.join(sorted(missing))}")
    for raw, where in raw_boards:
        listings.see_board(raw, where)
    users: tuple[User, ...] = ()
    tags: dict[str, int] = {}
    if with_items:
        columns = [
            c for raw, _ in raw_boards for c in _list(raw.get("columns")) if isinstance(c, Mapping)
        ]
        if any(c.get("type") == "people" for c in columns):
            users = _users(client, reader)
        if any(c.get("type") == "tags" for c in columns):
            tags = _tags(client, reader)
    directory = codec.Directory(users=users, tags=tags)
    keyed: dict[str, Board | None] = {}
    for raw, where in raw_boards:
        board = board_from_wire(
            "", raw, raw.get("items") if with_items else None, directory, reader, where
        )
        key = slug(board.name)
        if key in keyed:
            key = f"{key}#{board.id}"
        keyed[key] = replace(board, key=key)
    with_subitems = {k for k, b in keyed.items() if b is not None and subtasks_column(b)}
    if with_subitems:
        keyed = read_subitems(
            client, keyed, with_subitems, directory, reader, with_items=with_items
        )
    keyed, outside_boards = read_links(listings, DesiredState(), keyed)
    described = LiveState(
        workspaces={
            name: replace(workspace, key=name) for name, workspace in wanted_workspaces.items()
        },
        boards=keyed,
        users=users,
        account=Account(main_workspace_id=listings.main_workspace_id)
        if listings.main_workspace_seen
        else None,
        **_source_of(client),
        read_at=read_at,
        outside_boards=outside_boards,
    )
    return with_folders(
        client, reader, described, sorted(str(w.id) for w in wanted_workspaces.values() if w.id)
    )


def rekey_snapshot(snapshot: LiveState, desired: DesiredState) -> LiveState:
    """Map a snapshot's boards and workspaces onto the manifest's keys, as the reader would
    find them on monday (pinned id, else name or a previous name in the right workspace)."""
    live_workspaces = [w for w in snapshot.workspaces.values() if w is not None]
    main_workspace_id = (
        snapshot.account.main_workspace_id
        if snapshot.account is not None
        else next((w.id for w in live_workspaces if w.is_default), None)
    )
    workspaces: dict[str, Workspace | None] = {}
    for workspace in desired.workspaces:
        match = find_workspace(workspace, live_workspaces)
        workspaces[workspace.key] = None if match is None else replace(match, key=workspace.key)
    live_boards = [b for b in snapshot.boards.values() if b is not None]
    candidates = [
        BoardRef(id=b.id or "", name=b.name, workspace_id=b.workspace_id) for b in live_boards
    ]
    by_id = {b.id: b for b in live_boards}
    boards: dict[str, Board | None] = {}
    for board in desired.boards:
        if board.id is not None:
            found = by_id.get(board.id)
        else:
            exists, workspace_id = _board_workspace_id(board, workspaces)
            ref = (
                match_board(board, workspace_id, candidates, main_workspace_id) if exists else None
            )
            found = None if ref is None else by_id.get(ref.id)
        if found is not None and board.items is not None and found.items is None:
            raise LiveReadError(
                f"{board_address(board.key)}: the snapshot has no items for board "
                f"{found.name!r}; take it again with `boardops describe --items`"
            )
        boards[board.key] = None if found is None else replace(found, key=board.key)
    _check_one_entry_each(
        "board", {key: b.id for key, b in boards.items() if b is not None}, board_address
    )
    boards = with_board_keys(boards)  # links named by the manifest's board keys
    # Link values named by key, from the snapshot's own items (offline: others stay #ID).
    reader = WireReader("the snapshot")
    boards, _ = name_live_links(None, desired, boards, reader)
    reader.finish()
    return replace(snapshot, workspaces=workspaces, boards=boards, source="snapshot")


def _source_of(client: MondayClient) -> dict[str, Any]:
    """``LiveState.source`` and ``origin`` for a state read through ``client``."""
    if client.sandbox_file is not None:
        return {"source": "sandbox", "origin": client.sandbox_file}
    return {"source": "api"}
