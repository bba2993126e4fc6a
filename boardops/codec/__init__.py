"""The column-type codec: item values between manifests, monday's wire JSON and comparisons.

People write values in *human form* (label text, ISO dates, emails, numbers, booleans,
``{url, text}`` links). ``normalize`` turns any accepted human form into one *canonical*
form, so that equivalent inputs compare equal; ``to_wire`` turns a human value into the JSON
monday's ``column_values`` expects; ``from_wire`` turns monday's stored ``ColumnValue.value``
(already JSON-decoded) and ``.text`` back into the canonical form. The contract the plan
relies on::

    from_wire(col, stored(to_wire(col, v, d)), text, d) == normalize(col, v, d)

Empty values: ``None``, ``""`` (or whitespace), ``[]`` and ``{}`` all normalise to ``None``,
and ``to_wire`` writes ``None`` for them, which clears the cell.

Canonical forms (what ``normalize`` and ``from_wire`` return):

============  =================================================  ============================
type          canonical form                                     also accepted on input
============  =================================================  ============================
text          the string as written (CRLF -> LF)                 integers (made strings)
long_text     the string as written (CRLF -> LF)                 integers (made strings)
numbers       decimal string, no exponent, no trailing zeros:    ints, floats, numeric
              "1.0" -> "1", 1e3 -> "1000", "-0" -> "0"           strings with exponents
status        the label text                                     an integer (label "1")
dropdown      sorted list of distinct label texts                one label as a string
date          "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SSZ" in UTC     offsets (converted to UTC),
              when a time is given; fractions of a second are    no offset (taken as UTC),
              dropped (monday keeps whole seconds)               date/datetime objects
people        list of distinct tokens: user ids as strings       emails (any case), ints,
              ("10000001") in numeric order, then "team:<id>"    "a@x.io, b@y.io",
              and lower-case emails the directory could not      "team:<id>"
              resolve
email         the address in lower case; {"email", "text"}       {email, text}
              only when the text differs from the address
link          {"url", "text"}, text defaulting to the url        a bare URL string
phone         "+<digits>"; {"phone", "country"} only when the    spaces, dashes, dots,
              country differs from the one its calling code      brackets, a 00 prefix,
              implies (a calling code outside our table needs    {phone, country} with a
              the country written); the number must be valid     code or English name
              for that country by libphonenumber's rules
checkbox      True; false is empty (None): monday stores an      -
              unchecked box as no value
timeline      {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}         [from, to]
rating        an integer from 1 to the column's limit (5);       digit strings
              0 is empty
tags          sorted list of distinct tag names in lower case    "#name", one name, any case
              (tags are compared ignoring case)
country       ISO 3166-1 alpha-2 code, upper case: "US"          English names, any case
hour          "HH:MM", 24-hour                                   "9:05", "9:05 PM",
                                                                 {hour, minute}
week          {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}         "2026-W48" (the ISO week,
              (six days apart)                                   starting on the directory's
                                                                 ``week_start``: its Monday,
                                                                 or the Sunday before),
                                                                 {startDate, endDate}
world_clock   the IANA zone name as the tz database spells it    any case
location      {"lat", "lng"} as decimal strings, plus            numbers for lat/lng
              "address" when there is one
color_picker  "#rrggbb", lower case (also read from monday's     "#RGB", no "#", {hex}
              RGB form {"color": {"r", "g", "b"}})
board_        sorted list of distinct links: each the linked      one key as a string,
relation,     item's match key on its board ("A-1"), or           integers (made strings),
dependency    {"board", "item"} on a column connecting several    {board, item} entries
              boards; "#ID" for an item boardops cannot name.
              Written as {"item_ids": [ids]}, read from
              ``linked_item_ids`` (``boardops.links`` maps keys
              and ids, see ``codec._links``)
============  =================================================  ============================

Decisions worth knowing:

* **Dropdown order** is not significant: a dropdown value is a set of labels. monday
  returns ids in the order they were written, and the UI lets people reorder them, but the
  order carries no meaning on the board; comparing as sets avoids diffs nobody can see.
  ``to_wire`` writes the ids in canonical (sorted-label) order.
* **Email case**: the whole address is lower-cased. Domains are case-insensitive by RFC and
  mailbox names are in practice; monday keeps what was typed, so without this a
  capitalised address in the UI would diff forever. A change of case alone is never
  planned.
* **People** resolve emails to user ids when a ``Directory`` is given, so a manifest naming
  ``alice@example.com`` equals a cell holding user 10000001. Pass the same directory to
  ``normalize`` and ``from_wire``; without one, emails stay emails and will not equal ids.
* **Status and dropdown** labels are compared by text: ``from_wire`` maps stored label ids
  through the *live* column's labels (deactivated ones included). A stored id the column no
  longer knows falls back to monday's text. ``to_wire`` writes the id of the active label
  with that text, or of a deactivated one when no active label has it.
* **Text** keeps whitespace as written; only a blank string is empty. Booleans and floats
  are refused rather than stringified, because YAML turns unquoted ``1.10`` into 1.1 and
  some loaders turn ``yes`` into true.
* **Unknown stored shapes** (a value set by hand in a form this codec does not model) fall
  back to monday's ``text``, so they show up as a visible difference instead of an error.

``match_key`` renders the canonical value as a string: text, numbers, labels and codes as
they are, lists joined with ", ", ``true`` for a ticked checkbox, a link by its URL, an email
by its address, a phone by its number, other mappings as compact JSON with sorted keys.

``MATCHABLE_TYPES`` are the column types whose values identify items reliably in
``match_by``: each holds one value, its canonical form is computed from the value and the
column alone (no account lookups, so renaming a user or a tag cannot change an item's
identity), it survives monday's round trip exactly, and emptiness is not a value (which
rules out checkbox, where false is stored as nothing, and rating 0). text, numbers, email,
phone and link (by URL) are identifier-like; date serves boards with one item per day;
status and country serve as parts of composite keys. people and tags need lookups and hold
several values; dropdown holds several values; long_text is free prose that monday's
editor may rewrite; timeline, week, hour, world_clock, location and color_picker are
measurements rather than names.
"""

from __future__ import annotations

import json

from boardops.codec._base import (
    Directory,
    TypeCodec,
    Unreadable,
    did_you_mean,
    is_empty,
    sorted_or_none,
)
from boardops.codec._labels import unknown_label
from boardops.codec._types import CODECS
from boardops.errors import CodecError
from boardops.model import Column, JSONValue

__all__ = [
    "FILTERABLE_TYPES",
    "MANAGED_COLUMN_TYPES",
    "MATCHABLE_TYPES",
    "CodecError",
    "Directory",
    "check",
    "from_wire",
    "match_key",
    "normalize",
    "to_wire",
]

# Column types whose values boardops reads, compares and writes: the codec's registry
# (``_types.CODECS``), so a new type is one codec entry.
MANAGED_COLUMN_TYPES: tuple[str, ...] = tuple(CODECS)

MATCHABLE_TYPES: frozenset[str] = frozenset(
    column_type for column_type, codec in CODECS.items() if codec.matchable
)

# Column types whose canonical value monday's items_page filter compares as plain text;
# "name" is monday's item name column, which has no codec.
FILTERABLE_TYPES: frozenset[str] = frozenset(
    {"name", *(column_type for column_type, codec in CODECS.items() if codec.filterable)}
)


def _codec(column: Column) -> TypeCodec:
    codec = CODECS.get(column.type)
    if codec is None and column.type == "mirror":
        raise CodecError(
            "mirror values are read-only: a mirror shows the values of the items its "
            "connect-boards column links; set that column's value instead"
        )
    if codec is None:
        managed = ", ".join(sorted(CODECS))
        raise CodecError(
            f'boardops cannot write values of column type "{column.type}"'
            f"{did_you_mean(column.type, CODECS)}; expected one of: {managed}"
        )
    return codec


def normalize(column: Column, value: JSONValue, directory: Directory | None = None) -> JSONValue:
    """The canonical human form of ``value`` (see the table above); empty -> None.

    Raises ``CodecError`` when the value does not have a shape the column type accepts, or
    when the column's type is not one the codec knows (empty values are None for any type).
    Label texts are not checked against the column here; ``check`` does that.
    """
    if is_empty(value):
        return None
    return _codec(column).canonical(column, value, directory)


def check(column: Column, value: JSONValue) -> None:
    """Validate a human-form value for a desired column, offline; raise ``CodecError``.

    Status and dropdown values must name one of the column's current label texts; a
    connect-boards column with ``allow_multiple: false`` links one item.
    """
    canonical = normalize(column, value)
    if canonical is None:
        return
    if column.type == "status":
        choices = [label.label for label in column.status_labels]
        if canonical not in choices:
            raise unknown_label(str(canonical), column, choices)
    elif column.type == "board_relation" and isinstance(canonical, list):
        relation = column.relation
        if relation is not None and not relation.allow_multiple and len(canonical) > 1:
            raise CodecError(
                f"links {len(canonical)} items, and the column links one (allow_multiple: false)"
            )
    elif column.type == "dropdown" and isinstance(canonical, list):
        choices = [label.label for label in column.dropdown_labels]
        for entry in canonical:
            if entry not in choices:
                raise unknown_label(str(entry), column, choices)


def to_wire(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    """monday's write form of a human value for ``column_values`` (None clears the cell).

    ``column`` is the live column: status and dropdown labels are written by their monday
    ids. Raises ``CodecError`` for an unknown user, label or tag, or a malformed value.
    """
    canonical = normalize(column, value, directory)
    if canonical is None:
        return None
    return _codec(column).write(column, canonical, directory)


def from_wire(
    column: Column,
    value: JSONValue,
    text: str | None,
    directory: Directory | None = None,
) -> JSONValue:
    """The canonical form of a stored ``ColumnValue`` (``value`` already JSON-decoded)."""
    if is_empty(value):
        return None
    codec = CODECS.get(column.type)
    shown_text = (text or "").strip()
    if codec is not None:
        try:
            return codec.read(column, value, directory)
        except Unreadable:
            pass
    if shown_text == "":
        return None
    if column.type == "dropdown":
        # monday's text joins the names with ", ".
        return sorted_or_none(part.strip() for part in shown_text.split(", "))
    if column.type == "tags":
        return CODECS["tags"].canonical(column, shown_text.split(", "), directory)
    return shown_text


def match_key(column: Column | None, value: JSONValue) -> str:
    """The string naming an item by this value in addresses and match keys.

    ``column`` None means the item name, which is used as written. Column values are
    normalised first, so equivalent values give the same key; empty gives "".
    """
    if column is None:
        return "" if value is None else str(value)
    canonical = normalize(column, value)
    if canonical is None:
        return ""
    if isinstance(canonical, bool):
        return "true" if canonical else "false"
    if isinstance(canonical, (str, int, float)):
        return str(canonical)
    if isinstance(canonical, list):
        return ", ".join(str(entry) for entry in canonical)
    for identity in ("url", "email", "phone"):
        if identity in canonical:
            return str(canonical[identity])
    return json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
