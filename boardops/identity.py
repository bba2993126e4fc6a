"""Identity: how each kind of object is found, written once.

Every part of boardops that pairs a desired object with a live one asks here: the
manifest builder (an item's match key), the diff (columns, groups, labels, items), the
live reader (workspaces and boards), apply's recovery after a lost answer (the same
rules on raw API answers) and export (the match key it writes). When two live objects
answer to one identity, every one of them raises the same error, ``AmbiguousMatch``.

* workspace: a pinned ``id``, else ``name``, else one of ``previous_names``
  (``match_named``: several with one name, or one with the name beside one with a previous
  name, is ambiguous)
* board: the same, among the boards of its workspace (``boardops.live.match_board``)
* column, group: a pinned ``id``, else ``title``, else one of ``previous_titles``, each
  live object claimed once (``match_titled``)
* status/dropdown label: ``label``, else one of ``previous_labels``, else (status) its
  colour (``match_labels``)
* item: the values of its board's ``match_by`` columns, ``name`` for the item name,
  each rendered by ``codec.match_key`` (``match_key_parts``; joined by
  ``model.join_match_key`` into the key the address shows; a live item with an empty
  part is addressed by its id and name instead, ``model.live_item_address``)

Nothing here does I/O: callers hand in what they read.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from boardops import codec
from boardops.errors import AmbiguousMatch
from boardops.model import NAME_KEY, Column, DropdownLabel, JSONValue, StatusLabel

__all__ = [
    "AmbiguousMatch",
    "lost_column",
    "lost_group",
    "lost_workspace",
    "match_key_parts",
    "match_labels",
    "match_named",
    "match_titled",
]


# --- by name: workspaces and boards ----------------------------------------------------


class _Named(Protocol):
    @property
    def id(self) -> Any: ...
    @property
    def name(self) -> str: ...


NamedT = TypeVar("NamedT", bound=_Named)


def match_named(
    address: str,
    what: str,
    name: str,
    previous_names: Sequence[str],
    candidates: Sequence[NamedT],
    where: str,
    *,
    pinnable: bool = True,
) -> NamedT | None:
    """The one candidate (a listed board, workspace or folder) named ``name``, else the
    one named by a previous name.

    Several with one name, or one with the name and another with a previous name (a new
    object with the new name beside the one to rename), fail naming their ids; the fix
    offered is pinning one (``pinnable``), else renaming one on monday."""
    fix = "pin one with `id:`" if pinnable else "rename one on monday"
    current = [c for c in candidates if c.name == name]
    earlier = [c for c in candidates if c.name in previous_names and c.name != name]
    for found in (current, earlier):
        if len(found) > 1:
            ids = sorted(str(c.id) for c in found)
            raise AmbiguousMatch(
                address,
                ids,
                f"{address}: {len(found)} {what}s named {found[0].name!r} {where} "
                f"(ids {', '.join(ids)}); {fix}",
            )
    if current and earlier:
        raise AmbiguousMatch(
            address,
            [str(current[0].id), str(earlier[0].id)],
            f"{address}: {what} {current[0].id} has the name {name!r} and {what} "
            f"{earlier[0].id} the previous name {earlier[0].name!r} {where}; which one to "
            f"keep is ambiguous: {'pin it with `id:`' if pinnable else 'rename one on monday'}"
            ", or drop the previous name",
        )
    if current:
        return current[0]
    return earlier[0] if earlier else None


# --- by id, then title: columns and groups ---------------------------------------------


class _Titled(Protocol):
    @property
    def id(self) -> str | None: ...
    @property
    def title(self) -> str: ...


class _WantedTitled(_Titled, Protocol):
    @property
    def previous_titles(self) -> tuple[str, ...]: ...


WantedT = TypeVar("WantedT", bound=_WantedTitled)
LiveT = TypeVar("LiveT", bound=_Titled)


def match_titled(
    wanted: Sequence[WantedT],
    live: Sequence[LiveT],
    address: Callable[[WantedT], str],
    *,
    eligible: Callable[[LiveT], bool] = lambda _: True,
) -> list[LiveT | None]:
    """For each wanted column or group, the live one it is (None: none).

    A pinned ``id`` matches that id only. The others match, in declaration order, the live
    object (among ``eligible`` ones) with their title, else a previous title, that no
    earlier match took; two candidates for one title are ambiguous."""
    taken: set[str] = set()
    by_id = {c.id: c for c in live if c.id is not None}
    matches: list[LiveT | None] = [None] * len(wanted)
    for i, want in enumerate(wanted):
        if want.id is not None:
            hit = by_id.get(want.id)
            matches[i] = hit
            if hit is not None:
                taken.add(want.id)
    for i, want in enumerate(wanted):
        if want.id is not None:
            continue
        for title in (want.title, *want.previous_titles):
            candidates = [c for c in live if c.title == title and c.id not in taken and eligible(c)]
            if len(candidates) > 1:
                raise AmbiguousMatch(address(want), [str(c.id) for c in candidates])
            if candidates:
                matches[i] = candidates[0]
                taken.add(str(candidates[0].id))
                break
    return matches


# --- labels ----------------------------------------------------------------------------

LabelT = TypeVar("LabelT", StatusLabel, DropdownLabel)


def match_labels(
    wanted: Sequence[LabelT], live: Sequence[LabelT], *, reserved_id: int
) -> list[LabelT | None]:
    """For each wanted label, the live label it is: same text, a previous text, then (for
    status labels) the same colour. Each live label is claimed once; the status label
    ``reserved_id`` (monday's default) only ever by its own text."""
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
                and candidate.id == reserved_id
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


# --- items -----------------------------------------------------------------------------


def match_key_parts(
    match_by: Sequence[str],
    name: str,
    value: Callable[[str], tuple[Column | None, JSONValue]],
) -> tuple[str, ...]:
    """An item's match key, one part per ``match_by`` entry: the item ``name`` as written
    for ``name``, else ``codec.match_key`` of the column's value (``value(key)`` gives the
    column and the value; no column gives ""). An empty part means no value."""
    parts: list[str] = []
    for key in match_by:
        if key == NAME_KEY:
            parts.append(codec.match_key(None, name))
            continue
        column, found = value(key)
        parts.append(codec.match_key(column, found) if column is not None else "")
    return tuple(parts)


# --- after a lost answer: the same rules on raw API answers ----------------------------


def lost_workspace(workspaces: Sequence[Mapping[str, Any]], name: str) -> Mapping[str, Any] | None:
    """The workspace a lost create_workspace made: the only one with its name."""
    matches = [w for w in workspaces if w.get("name") == name]
    return matches[0] if len(matches) == 1 else None


def lost_column(
    columns: Sequence[Mapping[str, Any]],
    pinned_id: str | None,
    title: str,
    column_type: str,
    taken: Collection[str],
) -> Mapping[str, Any] | None:
    """The column a lost create_column made: its pinned id, else the newest unclaimed
    column with its title and type."""
    if pinned_id is not None:
        by_id = [c for c in columns if c["id"] == pinned_id]
        if by_id:
            return by_id[0]
    by_title = [
        c
        for c in columns
        if c["title"] == title and c["type"] == column_type and c["id"] not in taken
    ]
    return by_title[-1] if by_title else None


def lost_group(
    groups: Sequence[Mapping[str, Any]], title: str, taken: Collection[str]
) -> Mapping[str, Any] | None:
    """The group a lost create_group made: the first unclaimed group with its title."""
    matches = [g for g in groups if g["title"] == title and str(g["id"]) not in taken]
    return matches[0] if matches else None
