"""Finding an object again by its identity after a create's answer was lost.

monday may or may not have run a mutation whose answer never came back
(``OutcomeUnknown``). Before sending a create again, apply looks for the object the way
the plan identifies it (the rules are ``boardops.identity``'s): a workspace by name, a
board by name in its workspace, a column by its id (or title), a group by title, an item
by its match key. Found: the create is
done. Not found: sending it again cannot make a duplicate.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from boardops import codec
from boardops.apply.context import read_board, visible_groups
from boardops.from_wire import item_from_wire
from boardops.identity import lost_column, lost_group, lost_workspace, match_key_parts
from boardops.live import find_board_id
from boardops.model import NAME_KEY, Column, Item, JSONValue, join_match_key
from boardops.monday import MondayClient
from boardops.plan import ColumnSpec, CreateItem

# Column types whose canonical value monday's items_page filter compares as plain text,
# so a rule can narrow a re-read to the items in doubt.
_FILTERABLE_TYPES = codec.FILTERABLE_TYPES


def find_workspace(client: MondayClient, name: str) -> dict[str, Any] | None:
    found = lost_workspace(list(client.iter_workspaces()), name)
    return None if found is None else dict(found)


def find_board(client: MondayClient, name: str, workspace_id: str | None) -> dict[str, Any] | None:
    """The one active board named ``name`` in the workspace (None: the main workspace,
    however the account reports it)."""
    board_id = find_board_id(client, name, workspace_id)
    return None if board_id is None else read_board(client, board_id)


def find_column(
    client: MondayClient, board_id: str, spec: ColumnSpec, *, taken: Collection[str] = ()
) -> dict[str, Any] | None:
    """The column a lost create_column made: its pinned id, else its title and type."""
    columns = [c for c in read_board(client, board_id).get("columns") or () if not c["archived"]]
    found = lost_column(columns, spec.id, spec.title, spec.type, taken)
    return None if found is None else dict(found)


def find_group(
    client: MondayClient, board_id: str, title: str, *, taken: Collection[str] = ()
) -> dict[str, Any] | None:
    groups = visible_groups(read_board(client, board_id))
    found = lost_group(groups, title, taken)
    return None if found is None else dict(found)


def find_items(
    client: MondayClient,
    board_id: str,
    creates: Sequence[tuple[CreateItem, Mapping[str, Column]]],
    directory: codec.Directory,
) -> dict[str, str]:
    """Match key -> item id for those of ``creates`` that exist on the board.

    ``creates`` pairs each CreateItem with its live columns by column key. Items are read
    with an ``any_of`` rule on the first match column where monday can filter it, else the
    whole board is read; the match key is then computed exactly as the plan does.
    """
    if not creates:
        return {}
    first_action, first_columns = creates[0]
    match_by = first_action.match_by
    raw_items = _candidates(client, board_id, creates, match_by[0], first_columns)
    columns_by_id = {c.id: c for c in first_columns.values() if c.id is not None}
    wanted = {action.match_key for action, _ in creates}
    found: dict[str, str] = {}
    for raw in raw_items:
        item = item_from_wire(raw, columns_by_id, directory)
        key = join_match_key(
            match_key_parts(match_by, item.name, partial(_column_value, item, first_columns))
        )
        if key in wanted and key not in found:
            found[key] = str(item.id)
    return found


def _column_value(
    item: Item, columns: Mapping[str, Column], key: str
) -> tuple[Column | None, JSONValue]:
    column = columns.get(key)
    return column, item.values.get(column.id) if column is not None and column.id else None


def _candidates(
    client: MondayClient,
    board_id: str,
    creates: Sequence[tuple[CreateItem, Mapping[str, Column]]],
    first_key: str,
    columns: Mapping[str, Column],
) -> Iterable[Mapping[str, Any]]:
    if first_key == NAME_KEY:
        column_id, values = "name", [action.name for action, _ in creates]
    else:
        column = columns.get(first_key)
        if column is None or column.id is None or column.type not in _FILTERABLE_TYPES:
            return client.iter_items(board_id)
        column_id = column.id
        values = [
            text for action, _ in creates for text in _filter_texts(action.values.get(first_key))
        ]
    rule = {"column_id": column_id, "compare_value": sorted(set(values)), "operator": "any_of"}
    return client.find_items(board_id, [rule])


def _filter_texts(value: JSONValue) -> list[str]:
    """What an ``any_of`` rule may see of a value boardops wrote. An email written with a
    display text is matched by that text on real accounts and by its address in the docs,
    so both are asked for; the caller compares match keys (addresses) itself."""
    if isinstance(value, dict):
        return [str(v) for v in (value.get("text"), value.get("email")) if v]
    return [str(value or "")]
