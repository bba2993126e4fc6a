"""Reading what connect-boards columns link to (see ``boardops.relations``): live links
get their manifest ``key`` (and name), and the boards outside the manifests that desired
or live relations name are looked up, by id or by name, so the plan compares identities
and can refuse a link to a board that does not exist."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from boardops.model import Board, BoardLink, DesiredState
from boardops.relations import linked_board_ids, with_board_keys

if TYPE_CHECKING:
    from boardops.live import _Listings


def desired_outside_links(desired: DesiredState) -> list[BoardLink]:
    """The links of desired relations to boards outside the manifests (by id or name)."""
    return [
        link
        for board in desired.boards
        for column in board.columns
        if column.relation is not None
        for link in column.relation.boards
        if link.key is None
    ]


def read_links(
    listings: _Listings, desired: DesiredState, boards: Mapping[str, Board | None]
) -> tuple[dict[str, Board | None], tuple[BoardLink, ...]]:
    """The live boards with their links keyed, and the outside boards found (id, name)."""
    manifest_ids = {b.id for b in boards.values() if b is not None and b.id is not None}
    wanted = desired_outside_links(desired)
    ids = {link.id for link in wanted if link.id is not None}
    ids |= linked_board_ids(boards.values()) - manifest_ids
    found = {ref.id: ref.name for ref in listings.refs(ids).values()} if ids else {}
    names = {link.name for link in wanted if link.id is None and link.name is not None}
    if names:
        named: dict[str, list[str]] = {}
        for ref, _ in listings.boards():
            if ref.name in names and ref.id not in manifest_ids:
                named.setdefault(ref.name, []).append(ref.id)
        for name, ids_of_name in named.items():
            if len(ids_of_name) == 1:  # two boards of one name: not found (pin its id)
                found.setdefault(ids_of_name[0], name)
    outside = tuple(BoardLink(id=i, name=n) for i, n in sorted(found.items()))
    return with_board_keys(boards, found), outside
