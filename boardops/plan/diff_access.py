"""Access (see README, Access): who owns and belongs to boards and workspaces.

The manifest names people (users by email, teams by name, ``Member``); the live state
holds ids. ``resolve`` turns one access list into ids, refusing (a plan error naming the
manifest's file:line and the address) a user the account does not have, a pending
invitee, a deactivated user, an unknown team, and, as an owner, a guest or view-only
user (monday does not let them own). ``Membership`` is the one members diff both boards
(``diff_members``, with the people item values assign) and workspaces (here) use:

* additive by default: wanted owners who are not owners are added as owners; wanted
  members who are not members (and are not being added as owners) are added;
* with ``prune`` (and ``--allow-destroy`` at apply), members no list names are removed:
  owners only where ``owners:`` is declared, other members only where the member list
  is; never the token's own user, never the last owner (a warning says who stays), and
  an owner the manifest lists only as a member stays an owner (monday has no demotion).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from boardops import codec
from boardops.errors import PlanError
from boardops.model import LiveState, Member, Team, User, Workspace, workspace_address
from boardops.plan.actions import AddWorkspaceMembers, ObjectRef, RemoveWorkspaceMembers
from boardops.plan.diff_base import DiffResult
from boardops.plan.diff_columns import _REFUSED_STATUSES
from boardops.plan.plan import MEMBERS_SUFFIX, OWNERS_SUFFIX

TEAM_PREFIX = "team:"


@dataclass
class Principals:
    """User ids and team ids, in the order first named."""

    users: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)

    def add_user(self, user_id: str) -> None:
        if user_id not in self.users:
            self.users.append(user_id)

    def add_team(self, team_id: str) -> None:
        if team_id not in self.teams:
            self.teams.append(team_id)

    def tokens(self) -> set[str]:
        return set(self.users) | {TEAM_PREFIX + t for t in self.teams}


def _where(member: Member, address: str) -> str:
    return f"{member.span}: {address}" if member.span is not None else address


def _person(user: User) -> str:
    return f"{user.name} <{user.email}>"


def resolve(
    members: Sequence[Member] | None,
    directory: codec.Directory,
    teams: Sequence[Team],
    address: str,
    *,
    owners: bool = False,
) -> Principals | None:
    """The ids of ``members`` (None: the list is not declared)."""
    if members is None:
        return None
    found = Principals()
    for member in members:
        where = _where(member, address)
        if member.kind == "team":
            named = [t for t in teams if t.name == member.ref]
            if not named:
                raise PlanError(f"{where}: no team named {member.ref!r} in the account")
            if len(named) > 1:
                ids = ", ".join(sorted(t.id for t in named))
                raise PlanError(f"{where}: {len(named)} teams are named {member.ref!r} ({ids})")
            found.add_team(str(named[0].id))
            continue
        user = directory.user(member.ref)
        if user is None or "@" not in member.ref:
            raise PlanError(f"{where}: no user with the email {member.ref!r} in the account")
        status = (user.status or "").upper()
        if status in _REFUSED_STATUSES:
            raise PlanError(
                f"{where}: {_person(user)} {_REFUSED_STATUSES[status]}; "
                "monday cannot give them access"
            )
        kind = (user.kind or "").lower()
        if owners and kind in ("guest", "view_only"):
            raise PlanError(
                f"{where}: {_person(user)} is a {kind.replace('_', '-')} user, and monday "
                "does not let guests or view-only users own"
            )
        found.add_user(str(user.id))
    return found


@dataclass(frozen=True)
class Live:
    """A board's or workspace's live members: all of them (owners among them), owners."""

    users: frozenset[str]
    teams: frozenset[str]
    owner_users: frozenset[str]
    owner_teams: frozenset[str]


@dataclass
class Changes:
    add_owners: Principals = field(default_factory=Principals)
    add_members: Principals = field(default_factory=Principals)
    remove_owners: Principals = field(default_factory=Principals)
    remove_members: Principals = field(default_factory=Principals)
    warnings: list[str] = field(default_factory=list)


def membership(
    live: Live,
    owners: Principals | None,
    members: Principals | None,
    extra: Principals,
    *,
    prune: bool,
    token_user: str | None,
    address: str,
    people: dict[str, str],
) -> Changes:
    """What to add and remove so that ``owners`` own and ``members`` (and ``extra``, the
    people item values assign) belong; ``people``: display names by token, for warnings."""
    out = Changes()
    wanted_owners = owners or Principals()
    for user in wanted_owners.users:
        if user not in live.owner_users:
            out.add_owners.add_user(user)
    for team in wanted_owners.teams:
        if team not in live.owner_teams:
            out.add_owners.add_team(team)
    wanted = Principals()
    for source in (members or Principals(), extra):
        for user in source.users:
            wanted.add_user(user)
        for team in source.teams:
            wanted.add_team(team)
    for user in wanted.users:
        if user not in live.users and user not in out.add_owners.users:
            out.add_members.add_user(user)
    for team in wanted.teams:
        if team not in live.teams and team not in out.add_owners.teams:
            out.add_members.add_team(team)
    if not prune or (owners is None and members is None):
        return out
    if token_user is None:
        out.warnings.append(
            f"{address}: the user of the API token is not known (the account was not read), "
            "so no member is removed: boardops never removes that user"
        )
        return out
    keep = wanted_owners.tokens() | wanted.tokens()

    def name(token: str) -> str:
        return people.get(token) or (
            f"team {token[len(TEAM_PREFIX) :]}" if token.startswith(TEAM_PREFIX) else token
        )

    def candidates(ids: Iterable[str], prefix: str) -> list[str]:
        return sorted((prefix + i for i in ids), key=_token_order)

    if owners is not None:
        for token in candidates(live.owner_users, "") + candidates(live.owner_teams, TEAM_PREFIX):
            if token in wanted_owners.tokens():
                continue
            if token in keep:
                out.warnings.append(
                    f"{address}{OWNERS_SUFFIX}: {name(token)} owns it and is listed only "
                    "as a member; monday cannot demote an owner, so they stay an owner"
                )
                continue
            _remove(out.remove_owners, token)
    if members is not None:
        live_members = candidates(live.users - live.owner_users, "") + candidates(
            live.teams - live.owner_teams, TEAM_PREFIX
        )
        for token in live_members:
            if token not in keep:
                _remove(out.remove_members, token)
    for removed in (out.remove_owners, out.remove_members):
        if token_user is not None and token_user in removed.users:
            removed.users.remove(token_user)
            out.warnings.append(
                f"{address}: {name(token_user)} is the user of the API token; boardops "
                "never removes it, so it stays"
            )
    remaining = (live.owner_users - set(out.remove_owners.users)) | set(out.add_owners.users)
    remaining_teams = (live.owner_teams - set(out.remove_owners.teams)) | set(out.add_owners.teams)
    if (
        not remaining
        and not remaining_teams
        and (out.remove_owners.users or out.remove_owners.teams)
    ):
        last = (out.remove_owners.users or [TEAM_PREFIX + t for t in out.remove_owners.teams])[0]
        if last.startswith(TEAM_PREFIX):
            out.remove_owners.teams.remove(last[len(TEAM_PREFIX) :])
        else:
            out.remove_owners.users.remove(last)
        out.warnings.append(
            f"{address}{OWNERS_SUFFIX}: {name(last)} would be the last owner removed; "
            "boardops never leaves it without an owner, so they stay"
        )
    return out


def _remove(into: Principals, token: str) -> None:
    if token.startswith(TEAM_PREFIX):
        into.add_team(token[len(TEAM_PREFIX) :])
    else:
        into.add_user(token)


def _token_order(token: str) -> tuple[int, int, str]:
    tail = token.rsplit(":", 1)[-1]
    return (token.startswith(TEAM_PREFIX), int(tail) if tail.isdigit() else 0, token)


def people_names(users: Iterable[User], teams: Iterable[Team]) -> dict[str, str]:
    names = {str(u.id): _person(u) for u in users}
    names.update((TEAM_PREFIX + str(t.id), f"team {t.name}") for t in teams)
    return names


# --- workspaces -------------------------------------------------------------------------


def diff_workspace_access(
    wanted: Workspace,
    found: Workspace | None,
    live: LiveState,
    directory: codec.Directory,
    out: DiffResult,
) -> None:
    """Plan a workspace's ``owners:`` and ``members:`` (see the module docstring)."""
    if wanted.owners is None and wanted.members is None:
        return
    address = workspace_address(wanted.key)
    owners = resolve(wanted.owners, directory, live.teams, address, owners=True)
    members = resolve(wanted.members, directory, live.teams, address)
    token_user = live.account.user_id if live.account is not None else None
    if found is not None:
        out.fact(address + OWNERS_SUFFIX, "users", _joined(found.owner_ids))
        out.fact(address + OWNERS_SUFFIX, "teams", _joined(found.team_owner_ids))
        out.fact(address + MEMBERS_SUFFIX, "users", _joined(found.member_ids))
        out.fact(address + MEMBERS_SUFFIX, "teams", _joined(found.team_member_ids))
    if found is None:
        # A workspace to be created: its creator, the token's user, is its first owner.
        creator = frozenset({token_user}) if token_user is not None else frozenset()
        state = Live(creator, frozenset(), creator, frozenset())
    elif found.id is None:
        out.warnings.append(
            f"{address}: the main workspace's members cannot be managed; left as is"
        )
        return
    elif found.member_ids is None:
        out.warnings.append(
            f"{address}: its members were not read, so owners and members are not compared"
        )
        return
    else:
        state = Live(
            found.member_ids,
            found.team_member_ids or frozenset(),
            found.owner_ids or frozenset(),
            found.team_owner_ids or frozenset(),
        )
    changes = membership(
        state,
        owners,
        members,
        Principals(),
        prune=wanted.prune and found is not None,
        token_user=token_user,
        address=address,
        people=people_names(live.users, live.teams),
    )
    out.warnings.extend(changes.warnings)
    ref = ObjectRef(address, found.id if found is not None else None)
    for principals, suffix, as_owners in (
        (changes.add_owners, OWNERS_SUFFIX, True),
        (changes.add_members, MEMBERS_SUFFIX, False),
    ):
        if principals.users or principals.teams:
            out.actions.append(
                AddWorkspaceMembers(
                    address=address + suffix,
                    workspace=ref,
                    user_ids=tuple(principals.users),
                    team_ids=tuple(principals.teams),
                    owners=as_owners,
                )
            )
    for principals, suffix in (
        (changes.remove_owners, OWNERS_SUFFIX),
        (changes.remove_members, MEMBERS_SUFFIX),
    ):
        if (principals.users or principals.teams) and found is not None and found.id is not None:
            out.actions.append(
                RemoveWorkspaceMembers(
                    address=address + suffix,
                    workspace_id=found.id,
                    user_ids=tuple(principals.users),
                    team_ids=tuple(principals.teams),
                )
            )


def _joined(ids: frozenset[str] | None) -> str | None:
    return None if ids is None else ",".join(sorted(ids))
