"""Board membership (see ``plan.diff``): the people item values assign must be able to
see the board."""

from __future__ import annotations

from boardops.errors import PlanError
from boardops.model import Column, JSONValue, User
from boardops.plan.actions import AddBoardSubscribers
from boardops.plan.diff_base import BoardState
from boardops.plan.diff_columns import _REFUSED_STATUSES
from boardops.plan.plan import SUBSCRIBERS_SUFFIX


class MembersDiff(BoardState):
    def _note_people(self, column: Column, value: JSONValue, address: str) -> None:
        if column.type == "people" and isinstance(value, list):
            for token in value:
                if isinstance(token, str):
                    self._assigned.setdefault(token, address)

    def _plan_subscribers(self) -> None:
        """People the items assign must be members of the board (recorded behaviour,
        section 5): those who can be are subscribed first, when the board allows it; the
        others stop the plan, naming the item and the person."""
        found = self.found
        # A board to be created has its creator (the token's user) as its only member.
        account = self.live.account
        creator = account.user_id if account is not None else None
        if found is not None:
            users = found.subscriber_ids
        else:
            users = frozenset() if creator is None else frozenset({creator})
        teams = found.team_subscriber_ids if found is not None else frozenset()
        new_users: list[str] = []
        new_teams: list[str] = []
        shown: dict[str, str] = {}
        for token in sorted(self._assigned, key=_person_order):
            address = self._assigned[token]
            if token.startswith("team:"):
                team_id = token[len("team:") :]
                if teams is not None and team_id not in teams:
                    new_teams.append(team_id)
                    shown[token] = f"team {team_id}"
                continue
            user = self.directory.user(token)
            if user is None:
                continue  # unknown users are refused by _check_users_known once users are read
            who = _person(user)
            refusal = _unassignable(user, self.board.kind)
            if refusal is not None:
                raise PlanError(f"{address}: {who} {refusal}; monday refuses to assign them")
            if users is not None and token not in users:
                new_users.append(token)
                shown[token] = who
        if not new_users and not new_teams:
            return
        if not self.board.subscribe_people:
            token = (new_users or [f"team:{t}" for t in new_teams])[0]
            raise PlanError(
                f"{self._assigned[token]}: {shown[token]} is not a member of {self.address}, "
                "and monday refuses to assign people who are not; add them to the board on "
                "monday, or set `subscribe_people: true` to let boardops subscribe them"
            )
        self.emit(
            AddBoardSubscribers(
                address=self.address + SUBSCRIBERS_SUFFIX,
                board=self.ref,
                user_ids=tuple(new_users),
                team_ids=tuple(new_teams),
            )
        )


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
