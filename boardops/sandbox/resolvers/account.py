"""The account (``me``, ``account``, ``complexity``, ``version``, ``platform_api``), its users
and teams, and board membership.

* ``account`` (root and ``User.account``): the seeded account of the profile (``id name slug
  tier first_day_of_the_week plan``); ``Sandbox.set_account`` changes tier and week start.
* ``users``: as documented, without ``status`` only ACTIVE and PENDING users are listed;
  ``non_active: true`` lists only INACTIVE ones, ``false`` only ACTIVE ones; ``kind``
  filters guests/non-guests/non-pending.
* ``teams`` and ``Team.users``.
* ``Board.subscribers`` lists the creator (owner) and the users given as
  ``board_owner_ids``/``board_subscriber_ids`` or added by ``add_users_to_board``;
  ``Board.owners`` the owners among them; ``Board.team_subscribers``/``team_owners`` the
  same for teams. ``add_users_to_board``/``add_teams_to_board`` are idempotent (adding a
  member again is fine; ``kind: owner`` promotes, never demotes) and answer the users/teams.

Unknown user or team ids fail with ``ResourceNotFoundException``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphql import GraphQLResolveInfo

from boardops.sandbox.executor import (
    CURRENT_VERSION,
    KNOWN_VERSIONS,
    ExecutionContext,
    mutation,
    now_iso,
    query,
    type_field,
)
from boardops.sandbox.failures import not_found
from boardops.sandbox.resolvers.lookups import (
    context_of,
    current_user,
    find_board,
    page_of,
    user_view,
)
from boardops.sandbox.state import ALICE_ID


@query
def q_me(ctx: ExecutionContext) -> dict[str, Any]:
    return current_user(ctx)


@query
def q_complexity(ctx: ExecutionContext) -> dict[str, Any]:
    return {
        "before": ctx.complexity_before,
        "query": ctx.complexity_cost,
        "after": ctx.complexity_before - ctx.complexity_cost,
        "reset_in_x_seconds": ctx.complexity_reset_in,
    }


@mutation
def m_complexity(ctx: ExecutionContext) -> dict[str, Any]:
    """``complexity`` asked for in a mutation."""
    return q_complexity(ctx)


@query
def q_version(ctx: ExecutionContext) -> dict[str, Any]:
    kind = KNOWN_VERSIONS.get(ctx.api_version, "current")
    value = ctx.api_version if ctx.api_version in KNOWN_VERSIONS else CURRENT_VERSION
    return {"display_name": value, "kind": kind, "value": value}


CREATOR = {"id": ALICE_ID, "kind": "owner"}


@query
def q_account(ctx: ExecutionContext) -> dict[str, Any]:
    return dict(ctx.data["account"])


DAILY_CALLS_BY_TIER = {"free": 1_000, "basic": 1_000, "standard": 1_000, "pro": 10_000}


DAILY_CALLS_ENTERPRISE = 25_000


@query
def q_platform_api(ctx: ExecutionContext) -> dict[str, Any]:
    """The account's daily call limit, and today's usage: the requests this sandbox has
    served since it started (the sandbox does not stop at the limit). The limit is the
    tier's, or the account's ``daily_limit`` when its state sets one (a test's small cap)."""
    account = ctx.data["account"]
    limit = account.get("daily_limit") or DAILY_CALLS_BY_TIER.get(
        str(account["tier"]), DAILY_CALLS_ENTERPRISE
    )
    now = now_iso()
    return {
        "daily_limit": {"base": limit, "total": limit},
        "daily_analytics": {
            "last_updated": now,
            "by_day": [{"day": now[:10], "usage": ctx.counters.requests}],
        },
    }


@type_field("User", "account")
def user_account(_user: Any, info: GraphQLResolveInfo) -> dict[str, Any]:
    return q_account(context_of(info))


# --- users and teams -------------------------------------------------------------------------


def _user_record(ctx: ExecutionContext, user_id: Any) -> dict[str, Any]:
    for user in ctx.data["users"]:
        if user["id"] == str(user_id):
            return user  # type: ignore[no-any-return]
    raise not_found(f"User {user_id} not found", user_id=str(user_id))


def _team_record(ctx: ExecutionContext, team_id: Any) -> dict[str, Any]:
    for team in ctx.data["teams"]:
        if team["id"] == str(team_id):
            return team  # type: ignore[no-any-return]
    raise not_found(f"Team {team_id} not found", team_id=str(team_id))


@query
def q_users(
    ctx: ExecutionContext,
    ids: list[str] | None = None,
    name: str | None = None,
    emails: list[str] | None = None,
    limit: int = 200,
    page: int = 1,
    newest_first: bool | None = None,
    status: list[str] | None = None,
    non_active: bool | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    users = list(ctx.data["users"])
    if non_active is not None:
        users = [u for u in users if (u["status"] == "INACTIVE") == non_active]
    else:
        wanted_status = set(status) if status is not None else {"ACTIVE", "PENDING"}
        users = [u for u in users if u["status"] in wanted_status]
    if kind == "guests":
        users = [u for u in users if u["kind"] == "guest"]
    elif kind == "non_guests":
        users = [u for u in users if u["kind"] != "guest"]
    elif kind == "non_pending":
        users = [u for u in users if u["status"] != "PENDING"]
    if ids is not None:
        wanted = {str(i) for i in ids}
        users = [u for u in users if u["id"] in wanted]
    if name:
        users = [u for u in users if name.lower() in u["name"].lower()]
    if emails is not None:
        lowered = {e.lower() for e in emails}
        users = [u for u in users if u["email"].lower() in lowered]
    if newest_first:
        users.reverse()
    return [user_view(ctx, u) for u in page_of(users, min(limit, 1000), page)]


def _team_view(team: Mapping[str, Any]) -> dict[str, Any]:
    return {**team, "is_guest": False, "picture_url": None}


@query
def q_teams(ctx: ExecutionContext, ids: list[str] | None = None) -> list[dict[str, Any]]:
    teams = list(ctx.data["teams"])
    if ids is not None:
        wanted = {str(i) for i in ids}
        teams = [t for t in teams if t["id"] in wanted]
    return [_team_view(t) for t in teams]


@type_field("Team", "users")
def team_users(
    team: Mapping[str, Any], info: GraphQLResolveInfo, ids: list[str] | None = None, **_: Any
) -> list[dict[str, Any]]:
    ctx = context_of(info)
    wanted = None if ids is None else {str(i) for i in ids}
    return [
        user_view(ctx, _user_record(ctx, uid))
        for uid in team["user_ids"]
        if wanted is None or uid in wanted
    ]


def team_member_ids(ctx: ExecutionContext, team_id: str) -> tuple[str, ...]:
    return tuple(_team_record(ctx, team_id)["user_ids"])


# --- board membership ------------------------------------------------------------------------


def _add(entries: list[dict[str, Any]], member_id: str, kind: str) -> None:
    for entry in entries:
        if entry["id"] == member_id:
            if kind == "owner":
                entry["kind"] = "owner"
            return
    entries.append({"id": member_id, "kind": kind})


def initial_members(
    ctx: ExecutionContext,
    owner_ids: Iterable[Any] | None,
    subscriber_ids: Iterable[Any] | None,
    owner_team_ids: Iterable[Any] | None,
    subscriber_team_ids: Iterable[Any] | None,
) -> dict[str, list[dict[str, Any]]]:
    """The ``subscribers``/``team_subscribers`` of a board ``create_board`` makes."""
    users: list[dict[str, Any]] = [dict(CREATOR)]
    teams: list[dict[str, Any]] = []
    for ids, kind in ((owner_ids, "owner"), (subscriber_ids, "subscriber")):
        for user_id in ids or ():
            _add(users, _user_record(ctx, user_id)["id"], kind)
    for ids, kind in ((owner_team_ids, "owner"), (subscriber_team_ids, "subscriber")):
        for team_id in ids or ():
            _add(teams, _team_record(ctx, team_id)["id"], kind)
    return {"subscribers": users, "team_subscribers": teams}


def subscriber_entries(board: Mapping[str, Any]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = board.get("subscribers") or [dict(CREATOR)]
    return entries


def is_member(ctx: ExecutionContext, board: Mapping[str, Any], user_id: str) -> bool:
    """Whether a user subscribes to the board, directly or through a subscribed team."""
    if any(e["id"] == user_id for e in subscriber_entries(board)):
        return True
    teams = {t["id"]: t for t in ctx.data["teams"]}
    return any(
        user_id in teams.get(e["id"], {}).get("user_ids", ())
        for e in board.get("team_subscribers") or ()
    )


@type_field("Board", "subscribers")
def board_subscribers(board: Mapping[str, Any], info: GraphQLResolveInfo) -> list[Any]:
    ctx = context_of(info)
    return [user_view(ctx, _user_record(ctx, e["id"])) for e in subscriber_entries(board)]


@type_field("Board", "owners")
def board_owners(board: Mapping[str, Any], info: GraphQLResolveInfo) -> list[Any]:
    ctx = context_of(info)
    return [
        user_view(ctx, _user_record(ctx, e["id"]))
        for e in subscriber_entries(board)
        if e["kind"] == "owner"
    ]


def teams_of(
    record: Mapping[str, Any], info: GraphQLResolveInfo, owners_only: bool, limit: int, page: int
) -> list[Any]:
    """A board's or a workspace's teams (``team_subscribers``; only its owners, if asked),
    one page of them."""
    ctx = context_of(info)
    entries = [
        e for e in record.get("team_subscribers") or () if not owners_only or e["kind"] == "owner"
    ]
    return [_team_view(_team_record(ctx, e["id"])) for e in page_of(entries, limit, page)]


@type_field("Board", "team_subscribers")
def board_team_subscribers(
    board: Mapping[str, Any], info: GraphQLResolveInfo, limit: int = 25, page: int = 1
) -> list[Any]:
    return teams_of(board, info, False, limit, page)


@type_field("Board", "team_owners")
def board_team_owners(
    board: Mapping[str, Any], info: GraphQLResolveInfo, limit: int = 25, page: int = 1
) -> list[Any]:
    return teams_of(board, info, True, limit, page)


@mutation
def m_add_users_to_board(
    ctx: ExecutionContext, board_id: str, user_ids: list[str], kind: str = "subscriber"
) -> list[dict[str, Any]]:
    board = find_board(ctx, board_id)
    users = [_user_record(ctx, user_id) for user_id in user_ids]  # all known before a change
    entries = board.setdefault("subscribers", [dict(CREATOR)])
    for user in users:
        _add(entries, user["id"], kind)
    return [user_view(ctx, u) for u in users]


@mutation
def m_add_teams_to_board(
    ctx: ExecutionContext, board_id: str, team_ids: list[str], kind: str = "subscriber"
) -> list[dict[str, Any]]:
    board = find_board(ctx, board_id)
    teams = [_team_record(ctx, team_id) for team_id in team_ids]
    entries = board.setdefault("team_subscribers", [])
    for team in teams:
        _add(entries, team["id"], kind)
    return [_team_view(t) for t in teams]
