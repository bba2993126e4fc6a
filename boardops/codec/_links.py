"""Codecs for links between items: connect-boards (``board_relation``) and ``dependency``.

A link names an item by its match key on the board it is on (that board's ``match_by``
values, as its address shows them, composite keys joined with " / "): ``"A-1"``. On a
column connecting several boards a link may say which board: ``{board: KEY, item: MATCH}``.
A linked item boardops cannot name (on a board outside the manifests it could not read,
or gone) is ``"#ID"``, its monday id.

The codec only checks and orders links; which item a match key names, and the ids that
are written, are the plan's and apply's business (``boardops.links`` resolves keys to item
refs and stored ids to keys; apply hands the ids it resolved in ``Directory.links``).
monday stores these values as ``linked_item_ids`` (``text`` and ``value`` are null since
2025-04): the live reader hands them to ``read`` as ``{"linked_item_ids": [...]}``, and
``read`` gives them as ``"#ID"`` until ``boardops.links`` names them (or, given a
``Directory.links``, by the links it maps to those ids: ``from_wire(to_wire(v)) == v``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from boardops.codec._base import Directory, TypeCodec, Unreadable, as_list, is_digits, shown
from boardops.errors import CodecError
from boardops.model import Column, JSONValue

LINK_EXPECTED = 'expected item match keys ("A-1"), or {board: KEY, item: MATCH} entries'


def link_text(entry: JSONValue) -> str:
    """One string per link: the match key (or ``#ID``), or ``board`` and ``item`` as JSON
    for a link that names its board; what ``Directory.links`` is keyed by."""
    if isinstance(entry, dict):
        return json.dumps([entry.get("board"), entry.get("item")], ensure_ascii=False)
    return str(entry)


def id_of_link(entry: JSONValue) -> str | None:
    """The monday id a ``"#ID"`` link names, else None."""
    if isinstance(entry, str) and entry.startswith("#") and is_digits(entry[1:]):
        return entry[1:]
    return None


def _sort_key(entry: JSONValue) -> tuple[int, str, str]:
    if isinstance(entry, dict):
        return (1, str(entry["board"]), str(entry["item"]))
    return (0, "", str(entry))


def sorted_links(entries: list[JSONValue]) -> JSONValue:
    """Distinct links in canonical order (plain keys first, then by board and item)."""
    distinct: dict[str, JSONValue] = {}
    for entry in entries:
        distinct.setdefault(link_text(entry), entry)
    ordered: list[JSONValue] = sorted(distinct.values(), key=_sort_key)
    return ordered or None


def _entry(value: object) -> JSONValue:
    if isinstance(value, bool):
        raise CodecError(f"{shown(value)} is not an item; {LINK_EXPECTED}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if not value.strip():
            raise CodecError(f"an empty item key; {LINK_EXPECTED}")
        return value
    if isinstance(value, Mapping):
        if set(value) != {"board", "item"}:
            raise CodecError(f"a link mapping has exactly the keys board and item; {LINK_EXPECTED}")
        board, item = value["board"], value["item"]
        if isinstance(item, int) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(board, str) or not board or not isinstance(item, str) or not item:
            raise CodecError(f"board and item must be non-empty strings; {LINK_EXPECTED}")
        return {"board": board, "item": item}
    raise CodecError(f"{shown(value)} is not an item; {LINK_EXPECTED}")


def _canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    return sorted_links([_entry(entry) for entry in as_list(value)])


def _write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    ids: list[JSONValue] = []
    entries: list[JSONValue] = value if isinstance(value, list) else [value]
    for entry in entries:
        item_id = id_of_link(entry)
        if item_id is None:
            item_id = directory.links.get(link_text(entry))
        if item_id is None:
            raise CodecError(f"the linked item {link_text(entry)} has no monday id")
        ids.append(int(item_id))
    return {"item_ids": ids}


def _read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    if not isinstance(stored, dict):
        raise Unreadable("linked_item_ids")
    ids = stored.get("linked_item_ids")
    if ids is None:
        # An older stored form, {"linkedPulseIds": [{"linkedPulseId": 1}]}.
        pulses = stored.get("linkedPulseIds")
        if not isinstance(pulses, list):
            raise Unreadable("linked_item_ids")
        ids = [p.get("linkedPulseId") for p in pulses if isinstance(p, dict)]
    if not isinstance(ids, list):
        raise Unreadable("linked_item_ids")
    named = _named_by_id(directory)
    entries: list[JSONValue] = []
    for item_id in ids:
        text = str(item_id)
        if isinstance(item_id, bool) or not is_digits(text):
            raise Unreadable("linked_item_ids")
        entries.append(named.get(text, f"#{text}"))
    return sorted_links(entries)


def _named_by_id(directory: Directory | None) -> dict[str, JSONValue]:
    """The links ``directory.links`` names, by item id (the inverse of ``write``'s map)."""
    if directory is None or not directory.links:
        return {}
    named: dict[str, JSONValue] = {}
    for text, item_id in directory.links.items():
        entry: JSONValue = text
        if text.startswith("["):
            pair = json.loads(text)
            entry = {"board": pair[0], "item": pair[1]}
        named[str(item_id)] = entry
    return named


CODECS: Mapping[str, TypeCodec] = {
    "board_relation": TypeCodec(_canonical, _write, _read),
    "dependency": TypeCodec(_canonical, _write, _read),
}
