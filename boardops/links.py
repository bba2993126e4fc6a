"""Links between items (connect-boards and dependency values): the one place that maps
monday's item ids to the items' match keys and back.

Values name linked items by their match key on the board they are on (``account: [A-1]``),
never by id (see ``boardops.codec._links`` for the canonical form). Ids are met twice:

* reading (``name_live_links``, called by ``boardops.live``): monday answers
  ``linked_item_ids``; the codec reads them as ``"#ID"``, and here each id is named by the
  match key of the item it is: an item of a board the manifests name is keyed by that
  board's ``match_by`` (its items are read in the structure read anyway); an item
  elsewhere is looked up in one ``items(ids:)`` request per 100 ids and keyed by name
  (its board outside the manifests has no ``match_by``). An id found nowhere (deleted,
  or on a board the token cannot read) stays ``"#ID"``, with a warning: never dropped.
* planning (``boardops.plan.diff_links.PlanLinks``, used by the item diff): each link
  of a desired value is resolved to the item it names, among the rows the manifests
  declare for the target board and the items monday has there; a link to neither is a
  plan error naming the item's address, before anything is sent. The item is an
  ``ObjectRef`` (its id when it exists), so apply writes the ids of items created
  earlier in the same run.

Why here rather than in the codec's ``Directory``: an item's match key depends on its
board's ``match_by`` and columns, which only the manifests and the live boards know; the
codec stays per value (order, shape, write form) and gets resolved ids from apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from boardops import codec
from boardops.codec._links import id_of_link, sorted_links
from boardops.identity import match_key_parts
from boardops.model import (
    NAME_KEY,
    Board,
    Column,
    DesiredState,
    Item,
    JSONValue,
    join_match_key,
    match_key_is_incomplete,
)
from boardops.monday import MondayClient
from boardops.monday.operations import LINKED_ITEMS
from boardops.monday.wire import WirePath, WireReader

LINK_TYPES = frozenset({"board_relation", "dependency"})

# monday answers at most this many items per root ``items(ids:)`` query.
ITEMS_PER_REQUEST = 100


def board_label(key: str | None, name: str | None, board_id: str | None) -> str:
    """How a link names the board an item is on: its manifest key, else (a board outside
    the manifests) its name, else its id."""
    return key or name or f"#{board_id}"


def connected_labels(
    column: Column,
    board_key: str,
    keys_by_id: Mapping[str, str],
    names_by_id: Mapping[str, str | None] | None = None,
) -> tuple[str, ...]:
    """The boards whose items ``column`` links, as ``board_label``s: its own board for a
    dependency column; a connect-boards column's ``relation`` (else, on a live column,
    its settings' ``boardIds``). ``names_by_id``: names of boards outside the manifests
    (``LiveState.outside_boards``), for links that give only an id."""
    if column.type == "dependency":
        return (board_key,)
    if column.relation is not None and column.relation.boards:
        names = names_by_id or {}
        return tuple(
            board_label(
                link.key or keys_by_id.get(link.id or ""),
                link.name or names.get(link.id or ""),
                link.id,
            )
            for link in column.relation.boards
        )
    settings = column.settings or {}
    ids = settings.get("boardIds")
    if not isinstance(ids, list):
        return ()
    return tuple(board_label(keys_by_id.get(str(i)), None, str(i)) for i in ids)


def _live_column(wanted: Column, live: Board) -> Column | None:
    for column in live.columns:
        if wanted.id is not None and column.id == wanted.id:
            return column
    titles = (wanted.title, *wanted.previous_titles)
    return next((c for c in live.columns if c.title in titles), None)


def live_item_key(desired: Board, live: Board, item: Item) -> str:
    """A live item's match key by its desired board's ``match_by`` (``name`` when the
    board declares no items)."""
    match_by = desired.items.match_by if desired.items is not None else (NAME_KEY,)

    def value(key: str) -> tuple[Column | None, JSONValue]:
        column = desired.column(key) or next((c for c in desired.columns if c.title == key), None)
        found = _live_column(column, live) if column is not None else None
        if column is None or found is None or found.id is None:
            return None, None
        return column, item.values.get(found.id)

    return join_match_key(match_key_parts(match_by, item.name, value))


def desired_item_key(board: Board, item: Item) -> str | None:
    """A declared row's match key (None when a value of it cannot be read: the item
    diff reports that)."""
    assert board.items is not None

    def value(key: str) -> tuple[Column | None, JSONValue]:
        return board.column(key), item.values.get(key)

    try:
        return join_match_key(match_key_parts(board.items.match_by, item.name, value))
    except codec.CodecError:
        return None


@dataclass
class LinkIndex:
    """Items by id and by (board label, match key)."""

    by_id: dict[str, tuple[str, str]] = field(default_factory=dict)
    ids: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add(self, label: str, key: str, item_id: str) -> None:
        if match_key_is_incomplete(key):
            return  # no key to name it by: links to it show as #ID
        self.by_id[item_id] = (label, key)
        self.ids.setdefault((label, key), []).append(item_id)


def index_live(desired: DesiredState, boards: Mapping[str, Board | None]) -> LinkIndex:
    """Every live item of the manifests' boards whose items were read, by id and key."""
    index = LinkIndex()
    for board in desired.boards:
        found = boards.get(board.key)
        if found is None or found.items is None:
            continue
        for row in found.items.rows:
            if row.id is not None:
                index.add(board.key, live_item_key(board, found, row), str(row.id))
    return index


def _link_columns(board: Board) -> list[Column]:
    return [c for c in board.columns if c.type in LINK_TYPES and c.id is not None]


def wants_link_items(desired: DesiredState, raw_boards: Iterable[Mapping[str, Any]]) -> bool:
    """Whether any board declares or has a connect-boards or dependency column: the
    items of every board the manifests name are then read (links name them by key)."""
    if any(c.type in LINK_TYPES for b in desired.boards for c in b.columns):
        return True
    # Raw answers, not yet checked: a malformed ``columns`` is reported by the board reader.
    return any(
        isinstance(c, Mapping) and c.get("type") in LINK_TYPES
        for raw in raw_boards
        if isinstance(raw.get("columns"), list)
        for c in raw["columns"]
    )


def name_live_links(
    client: MondayClient | None,
    desired: DesiredState,
    boards: Mapping[str, Board | None],
    reader: WireReader,
) -> tuple[dict[str, Board | None], dict[str, tuple[str, str]]]:
    """The live boards with their link values named by match key, and the items outside
    the manifests' boards that they link (id -> (board label, name)). ``client`` None
    (a snapshot, offline): those items are not read and stay ``#ID``."""
    index = index_live(desired, boards)
    keys_by_id = {b.id: key for key, b in boards.items() if b is not None and b.id is not None}
    unknown: set[str] = set()
    for found in boards.values():
        if found is None or found.items is None or not _link_columns(found):
            continue
        for row in found.items.rows:
            for column in _link_columns(found):
                for entry in entries_of(row.values.get(str(column.id))):
                    item_id = id_of_link(entry)
                    if item_id is not None and item_id not in index.by_id:
                        unknown.add(item_id)
    outside = (
        _read_outside(client, sorted(unknown, key=int), keys_by_id, reader)
        if unknown and client is not None
        else {}
    )
    for item_id, (label, key) in outside.items():
        index.by_id.setdefault(item_id, (label, key))
    named: dict[str, Board | None] = {}
    missing: set[str] = set()
    for board_key, found in boards.items():
        if found is None or found.items is None or not _link_columns(found):
            named[board_key] = found
            continue
        labels = {str(c.id): connected_labels(c, board_key, keys_by_id) for c in found.columns}
        rows = tuple(
            _named_row(row, _link_columns(found), labels, index, missing)
            for row in found.items.rows
        )
        named[board_key] = replace(found, items=replace(found.items, rows=rows))
    for item_id in sorted(missing, key=int):
        reader.warn(
            WirePath.root("items") / f"linked_item_ids[{item_id}]",
            f"linked item {item_id} is on no board boardops can read, or no longer exists",
            f"shown as #{item_id}",
        )
    return named, outside


def entries_of(value: JSONValue) -> list[JSONValue]:
    return value if isinstance(value, list) else []


def _named_row(
    row: Item,
    columns: Sequence[Column],
    labels: Mapping[str, tuple[str, ...]],
    index: LinkIndex,
    missing: set[str],
) -> Item:
    values = dict(row.values)
    changed = False
    for column in columns:
        value = values.get(str(column.id))
        if not isinstance(value, list):
            continue
        several = len(labels.get(str(column.id), ())) > 1
        entries: list[JSONValue] = []
        for entry in value:
            item_id = id_of_link(entry)
            found = index.by_id.get(item_id) if item_id is not None else None
            if found is None:
                if item_id is not None:
                    missing.add(item_id)
                entries.append(entry)
                continue
            label, key = found
            entries.append({"board": label, "item": key} if several else key)
        values[str(column.id)] = sorted_links(entries)
        changed = True
    return replace(row, values=values) if changed else row


def _read_outside(
    client: MondayClient, ids: Sequence[str], keys_by_id: Mapping[str, str], reader: WireReader
) -> dict[str, tuple[str, str]]:
    """Linked items not on a board whose items were read: one request per 100 ids."""
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(ids), ITEMS_PER_REQUEST):
        chunk = list(ids[start : start + ITEMS_PER_REQUEST])
        data = client.query(LINKED_ITEMS, {"ids": chunk, "limit": len(chunk)})
        at = WirePath.root("items")
        for raw, where in reader.rows(data.get("items") or [], at):
            if raw.get("state") not in (None, "active"):
                continue
            board = raw.get("board")
            if not isinstance(board, Mapping):
                reader.warn(where / "board", "no board", "item left as #ID")
                continue
            board_id = str(board.get("id"))
            if board_id in keys_by_id:
                continue  # a manifest board's item not read: left as #ID
            name = raw.get("name")
            if not isinstance(name, str) or not name:
                continue
            label = board_label(None, board.get("name") or None, board_id)
            found[str(raw.get("id"))] = (label, name)
    return found
