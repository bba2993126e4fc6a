"""Reading a board's or workspace's access lists (``owners:``, ``subscribers:``,
``members:``) into ``Member`` tuples (see README, Access). The schema has checked their
shape already: each entry is an email or ``{team: Name}``."""

from __future__ import annotations

from boardops.manifest.tree import Tree
from boardops.model import Member


def read_members(tree: Tree, key: str) -> tuple[Member, ...] | None:
    """The entries of the list at ``key`` (None: not declared), in order, each once."""
    entries = tree.data.get(key)
    if entries is None:
        return None
    members: list[Member] = []
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(entries):
        if isinstance(entry, dict):
            member = Member("team", str(entry["team"]), tree.span((key, index)))
        else:
            member = Member("user", str(entry).strip(), tree.span((key, index)))
        identity = (member.kind, member.ref.casefold())
        if identity not in seen:
            seen.add(identity)
            members.append(member)
    return tuple(members)
