"""Shared pieces of the codec: its error, the account directory, the per-type contract
(``TypeCodec``, see ``boardops.codec._types``) and small helpers."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from boardops.errors import CodecError
from boardops.model import Column, JSONValue, User, WeekStart


@dataclass(frozen=True)
class Directory:
    """What conversion needs to know about the account: its users, its tags and the day
    its weeks start on (``Account.week_start``, or the manifest's ``week_start:``)."""

    users: tuple[User, ...] = ()
    # tag name -> tag id, for tags columns
    tags: Mapping[str, int] = field(default_factory=dict, hash=False)
    # The first day of a week column's weeks: "2026-W05" is the week starting that day.
    week_start: WeekStart = "monday"
    # Links (board_relation, dependency) to monday item ids, by ``_links.link_text``: the
    # ids apply resolved for the items a value links (see ``boardops.links``).
    links: Mapping[str, str] = field(default_factory=dict, hash=False)

    @cached_property
    def _users_by_ref(self) -> Mapping[str, User]:
        index: dict[str, User] = {}
        for user in self.users:
            index[str(user.id)] = user
            index[user.email.casefold()] = user
        return index

    @cached_property
    def _tag_names_by_id(self) -> Mapping[int, str]:
        return {tag_id: name for name, tag_id in self.tags.items()}

    @cached_property
    def _tag_ids_by_folded_name(self) -> Mapping[str, int]:
        return {name.casefold(): tag_id for name, tag_id in self.tags.items()}

    def user(self, ref: str | int) -> User | None:
        """The user with this email (any case) or id."""
        key = str(ref).strip()
        return self._users_by_ref.get(key.casefold() if "@" in key else key)

    def tag_id(self, name: str) -> int | None:
        """The id of the tag with this name: exact match first, then ignoring case."""
        if name in self.tags:
            return self.tags[name]
        return self._tag_ids_by_folded_name.get(name.casefold())

    def tag_name(self, tag_id: int) -> str | None:
        return self._tag_names_by_id.get(tag_id)


def shown(value: object) -> str:
    """A short rendering of a value for an error message: JSON for scalars."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 60 else text[:57] + '..."'
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"


def is_empty(value: object) -> bool:
    """None, "", whitespace-only strings, [] and {} all mean "no value"."""
    if value is None:
        return True
    if isinstance(value, str):
        return value == "" or value.isspace()
    if isinstance(value, (list, dict, tuple)):
        return len(value) == 0
    if isinstance(value, (bool, int, float)):
        return False
    return isinstance(value, Mapping) and len(value) == 0


def is_digits(text: str) -> bool:
    """Only the ASCII digits 0-9 (``str.isdigit`` also accepts "²" and other scripts)."""
    return text.isascii() and text.isdigit()


def did_you_mean(wrong: str, choices: Iterable[str]) -> str:
    """` (did you mean "X"?)` when one choice is close to ``wrong``, else ""."""
    pool = list(choices)
    folded = {choice.casefold(): choice for choice in pool}
    if wrong.casefold() in folded:
        return f' (did you mean "{folded[wrong.casefold()]}"?)'
    close = difflib.get_close_matches(wrong, pool, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def as_list(value: object) -> list[object]:
    """A list value as is; any single value as a one-element list."""
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def sorted_or_none(values: Iterable[str], key: Callable[[str], Any] | None = None) -> JSONValue:
    """The distinct values in order as a JSON list, or None when there are none."""
    distinct = set(values)
    keyed: list[str] = sorted(distinct) if key is None else sorted(distinct, key=key)
    ordered: list[JSONValue] = []
    ordered.extend(keyed)
    return ordered or None


class Unreadable(Exception):
    """A stored value whose shape the codec does not recognise."""


Canonical = Callable[[Column, object, "Directory | None"], JSONValue]
Write = Callable[[Column, JSONValue, Directory], JSONValue]
Read = Callable[[Column, JSONValue, "Directory | None"], JSONValue]


@dataclass(frozen=True)
class TypeCodec:
    canonical: Canonical
    write: Write
    read: Read
    # Whether values of this type may identify items in ``match_by`` (``MATCHABLE_TYPES``).
    matchable: bool = False
    # Whether monday's items_page filter compares its canonical value as plain text
    # (``FILTERABLE_TYPES``).
    filterable: bool = False


# Canonical forms of scalar inputs, remembered: boards repeat the same labels, dates and
# addresses across thousands of items. Only for types whose canonical form depends on the
# value alone (not on the column or the directory), and only immutable results.
_MEMO: dict[tuple[object, type, object], JSONValue] = {}
_MEMO_LIMIT = 1 << 16


def memoized(canonical: Canonical) -> Canonical:
    """``canonical``, remembering its results for str, int, float and bool inputs."""

    def remembering(column: Column, value: object, directory: Directory | None) -> JSONValue:
        if type(value) not in (str, int, float, bool):
            return canonical(column, value, directory)
        key = (canonical, type(value), value)
        try:
            return _MEMO[key]
        except KeyError:
            pass
        result = canonical(column, value, directory)
        if not isinstance(result, (list, dict)):
            if len(_MEMO) >= _MEMO_LIMIT:
                _MEMO.clear()
            _MEMO[key] = result
        return result

    return remembering


def reread(
    canonical: Canonical, column: Column, value: object, directory: Directory | None, what: str
) -> JSONValue:
    """``canonical``'s form of a value monday stores; ``Unreadable`` (naming ``what``) when
    the value has none."""
    try:
        return canonical(column, value, directory)
    except CodecError:
        raise Unreadable(what) from None


def field_read(key: str, canonical: Canonical) -> Read:
    """The ``read`` of a type monday stores as ``{key: value}``: ``canonical``'s form of
    the value, None when it is empty."""

    def read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
        value = field_of(stored, key)
        return None if is_empty(value) else reread(canonical, column, value, directory, key)

    return read


def field_of(stored: JSONValue, key: str) -> JSONValue:
    """``stored[key]``; ``Unreadable`` when the stored value is not a mapping holding it."""
    if not isinstance(stored, dict) or key not in stored:
        raise Unreadable(key)
    return stored[key]


def list_field(stored: JSONValue, key: str, what: str | None = None) -> list[JSONValue]:
    """``stored[key]`` when it is a list; ``Unreadable`` (naming ``what``, else ``key``)
    otherwise."""
    value = field_of(stored, key)
    if not isinstance(value, list):
        raise Unreadable(what or key)
    return value
