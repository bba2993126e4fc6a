"""Who a plan names, for people to read: ``Plan.people``.

People values hold monday ids (``"10000001"``, ``"team:7"``) and subscriber actions list
ids; a reviewer needs names. ``people_of`` maps every id a plan names to its display
form, ``Ada Lovelace <ada@example.com>`` for a user, ``team Platform`` for a team, from
the users and teams the live state read; the plan keeps the map (saved with it, so a
saved plan shows the same names) and the views show values through ``shown``. An id the
map does not know (the user left the account, or a snapshot without users) shows as
``user 12345 (unknown)``, a team as ``team 7``. The JSON view keeps the ids, with the map
beside them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from boardops.model import JSONValue, Team, User
from boardops.plan.actions import (
    Action,
    AddBoardOwners,
    AddBoardSubscribers,
    AddWorkspaceMembers,
    CreateItem,
    RemoveBoardMembers,
    RemoveWorkspaceMembers,
    UpdateItem,
)

TEAM_PREFIX = "team:"

# The actions that list people (``user_ids``, ``team_ids``): views name them.
MEMBER_ACTION_TYPES = (
    AddBoardSubscribers,
    AddBoardOwners,
    RemoveBoardMembers,
    AddWorkspaceMembers,
    RemoveWorkspaceMembers,
)
MEMBER_ACTIONS = frozenset(t.__name__ for t in MEMBER_ACTION_TYPES)


def person(user: User) -> str:
    """``Ada Lovelace <ada@example.com>``."""
    return f"{user.name} <{user.email}>"


def shown(token: str, people: Mapping[str, str]) -> str:
    """How a view shows one people token (a user id, ``team:<id>``, or an email the
    account did not know when planned)."""
    if token in people:
        return people[token]
    if token.startswith(TEAM_PREFIX):
        return f"team {token[len(TEAM_PREFIX) :]}"
    if token.isdigit():
        return f"user {token} (unknown)"
    return token


def shown_value(value: JSONValue, people: Mapping[str, str]) -> JSONValue:
    """A people value with each token in its display form (other values unchanged)."""
    if isinstance(value, list):
        return [shown(v, people) if isinstance(v, str) else v for v in value]
    return value


def people_columns(action: CreateItem | UpdateItem) -> frozenset[str]:
    return frozenset(c.key for c in action.columns if c.type == "people")


def _tokens(actions: Iterable[Action]) -> Iterator[str]:
    for action in actions:
        if isinstance(action, MEMBER_ACTION_TYPES):
            yield from action.user_ids
            yield from (TEAM_PREFIX + team for team in action.team_ids)
            continue
        values: list[JSONValue] = []
        if isinstance(action, CreateItem):
            keys = people_columns(action)
            values = [v for k, v in action.values.items() if k in keys]
        elif isinstance(action, UpdateItem):
            keys = people_columns(action)
            for change in action.changes:
                if change.field in keys:
                    values += [change.before, change.after]
        for value in values:
            if isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))


def people_of(
    actions: Iterable[Action], users: Iterable[User], teams: Iterable[Team] = ()
) -> dict[str, str]:
    """The display form of every user and team the ``actions`` name that ``users`` and
    ``teams`` know."""
    known = {str(user.id): person(user) for user in users}
    known.update((TEAM_PREFIX + str(team.id), f"team {team.name}") for team in teams)
    return {token: known[token] for token in sorted(set(_tokens(actions))) if token in known}
