"""Board membership (see ``plan.diff``): the people item values assign must be able to
see the board, and the manifest's ``owners:``, ``subscribers:`` and ``role:`` (see
``plan.diff_access``, one members diff for both)."""

from __future__ import annotations

from functools import cached_property

from boardops.errors import PlanError
from boardops.model import Column, JSONValue, User
from boardops.plan.actions import (
    AddBoardOwners,
    AddBoardSubscribers,
    RemoveBoardMembers,
    SetBoardRole,
)
from boardops.plan.diff_access import Live, Principals, membership, people_names, resolve
from boardops.plan.diff_base import BoardState
from boardops.plan.diff_columns import _REFUSED_STATUSES
from boardops.plan.plan import OWNERS_SUFFIX, ROLE_SUFFIX, SUBSCRIBERS_SUFFIX


class MembersDiff(BoardState):
    @cached_property
    def _item_people(self) -> Principals:
        """The users and teams item values assign, for ``_plan_members``."""
        return Principals()

    def _note_people(self, column: Column, value: JSONValue, address: str) -> None:
        if column.type == "people" and isinstance(value, list):
            for token in value:
                if isinstance(token, str):
                    self._assigned.setdefault(token, address)

    def _plan_subscribers(self) -> None:
        """People the items assign must be members of the board (recorded behaviour,
        section 5): those who can be are subscribed first (by ``_plan_members``, with the
        manifest's ``subscribers:``, in one action), when the board allows it; the others
        stop the plan, naming the item and the person."""
        for token in sorted(self._assigned, key=_person_order):
            address = self._assigned[token]
            if token.startswith("team:"):
                self._item_people.add_team(token[len("team:") :])
                continue
            user = self.directory.user(token)
            if user is None:
                continue  # unknown users are refused by _check_users_known once users are read
            refusal = _unassignable(user, self.board.kind)
            if refusal is not None:
                raise PlanError(
                    f"{address}: {_person(user)} {refusal}; monday refuses to assign them"
                )
            self._item_people.add_user(str(user.id))

    def _live_members(self) -> Live | None:
        """The board's members as read (a board to be created: its creator, the token's
        user, as its only owner); None: not read."""
        found = self.found
        if found is None:
            account = self.live.account
            creator = account.user_id if account is not None else None
            users = frozenset() if creator is None else frozenset({creator})
            return Live(users, frozenset(), users, frozenset())
        if found.subscriber_ids is None:
            return None
        return Live(
            found.subscriber_ids,
            found.team_subscriber_ids or frozenset(),
            found.owner_ids or frozenset(),
            found.team_owner_ids or frozenset(),
        )

    def _plan_members(self) -> None:
        """One members diff (``plan.diff_access``) for the manifest's ``owners:`` and
        ``subscribers:`` and the people item values assign: nobody is added twice."""
        board = self.board
        owners = resolve(board.owners, self.directory, self.live.teams, self.address, owners=True)
        members = resolve(board.subscribers, self.directory, self.live.teams, self.address)
        state = self._live_members()
        if state is None:
            if owners is not None or members is not None:
                self.out.warnings.append(
                    f"{self.address}: its members were not read, so owners and "
                    "subscribers are not compared"
                )
            return
        names = people_names(self.live.users, self.live.teams)
        account = self.live.account
        changes = membership(
            state,
            owners,
            members,
            self._item_people,
            prune=board.prune and self.found is not None,
            token_user=account.user_id if account is not None else None,
            address=self.address,
            people=names,
        )
        declared = (owners or Principals()).tokens() | (members or Principals()).tokens()
        if not board.subscribe_people:
            for token in sorted(changes.add_members.tokens() - declared, key=_person_order):
                item = self._assigned.get(token)
                if item is not None:
                    raise PlanError(
                        f"{item}: {self._who(token)} is not a member of {self.address}, "
                        "and monday refuses to assign people who are not; add them to the "
                        "board on monday, list them under `subscribers:`, or set "
                        "`subscribe_people: true` to let boardops subscribe them"
                    )
        self.out.warnings.extend(changes.warnings)
        add = changes.add_owners
        if add.users or add.teams:
            self.emit(
                AddBoardOwners(
                    address=self.address + OWNERS_SUFFIX,
                    board=self.ref,
                    user_ids=tuple(add.users),
                    team_ids=tuple(add.teams),
                )
            )
        add = changes.add_members
        if add.users or add.teams:
            self.emit(
                AddBoardSubscribers(
                    address=self.address + SUBSCRIBERS_SUFFIX,
                    board=self.ref,
                    user_ids=tuple(sorted(add.users, key=_person_order)),
                    team_ids=tuple(sorted(add.teams, key=_person_order)),
                )
            )
        for removed, suffix in (
            (changes.remove_owners, OWNERS_SUFFIX),
            (changes.remove_members, SUBSCRIBERS_SUFFIX),
        ):
            if removed.users or removed.teams:
                self.emit(
                    RemoveBoardMembers(
                        address=self.address + suffix,
                        board_id=self._board_id(),
                        user_ids=tuple(removed.users),
                        team_ids=tuple(removed.teams),
                    )
                )

    def _who(self, token: str) -> str:
        if token.startswith("team:"):
            return f"team {token[len('team:') :]}"
        user = self.directory.user(token)
        return _person(user) if user is not None else f"user {token}"

    def _plan_role(self) -> None:
        """The board's ``role:``: set on a new board; on an existing one, when the role its
        ``permissions`` stand for differs. A ``permissions`` value boardops does not know
        (or did not read) cannot be compared: a warning, and nothing is sent."""
        wanted = self.board.role
        if wanted is None:
            return
        address = self.address + ROLE_SUFFIX
        found = self.found
        if found is not None:
            self.out.fact(address, "permissions", found.permissions)
        if found is not None and found.role is None:
            read = "was not read" if found.permissions is None else f"is {found.permissions!r}"
            self.out.warnings.append(
                f"{address}: the board's permissions {read}, which boardops cannot compare "
                f"with the role {wanted}; left alone"
            )
            return
        before = found.role if found is not None else None
        if before != wanted:
            self.emit(SetBoardRole(address=address, board=self.ref, role=wanted, before=before))


def _unassignable(user: User, board_kind: str) -> str | None:
    """Why monday would refuse to assign ``user`` on a board of ``board_kind`` (None: it
    would not, as far as boardops knows)."""
    status = (user.status or "").upper()
    if status in _REFUSED_STATUSES:
        return _REFUSED_STATUSES[status]
    kind = (user.kind or "").lower()
    if kind == "view_only":
        return "is a view-only user"
    if kind == "guest" and board_kind != "share":
        return "is a guest, and guests can only be members of shareable boards"
    return None


def _person(user: User) -> str:
    return f"{user.name} <{user.email}> (user {user.id})"


def _person_order(token: str) -> tuple[int, int, str]:
    """User ids in numeric order, then teams by id."""
    if token.isdigit():
        return (0, int(token), token)
    tail = token.rsplit(":", 1)[-1]
    return (1, int(tail) if tail.isdigit() else 0, token)
