"""Exporting access (see README, Access): a board's ``owners:``, ``subscribers:`` and
``role:``, a workspace's ``owners:`` and ``members:``, written as the manifest names
people (users by email, teams as ``{team: Name}``) so that ``export --no-ids`` applied to
another account finds them by email and name there.

Owners are written under ``owners:``; everyone else who belongs (the live ``subscribers``
list holds the owners too) under ``subscribers:`` / ``members:``. Someone a manifest
could not name back is left out with a comment saying why (a user the account does not
list, a pending invitee or a deactivated user); an owner who cannot be declared one (a
guest, a view-only user) is written among the members, with a comment. So plan against
the export stays empty. A ``permissions`` value boardops
cannot read as a role is a comment too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from boardops.model import Board, JSONValue, Team, User, Workspace
from boardops.plan.diff_columns import _REFUSED_STATUSES

Line = Callable[[int, str], None]


class AccessWriter:
    """Writes access lists with the account's users and teams (as the live read has them)."""

    def __init__(
        self,
        users: Iterable[User],
        teams: Iterable[Team],
        scalar: Callable[[JSONValue], str],
    ) -> None:
        self.users: Mapping[str, User] = {str(u.id): u for u in users}
        self.teams: Mapping[str, Team] = {str(t.id): t for t in teams}
        self.scalar = scalar

    def board(self, add: Line, comment: Line, indent: int, board: Board) -> None:
        if board.subscriber_ids is not None:
            self._lists(
                add,
                comment,
                indent,
                ("owners", "subscribers"),
                board.subscriber_ids,
                board.team_subscriber_ids or frozenset(),
                board.owner_ids or frozenset(),
                board.team_owner_ids or frozenset(),
            )
        if board.role is not None:
            add(indent, f"role: {board.role}")
        elif board.permissions is not None:
            comment(
                indent,
                f"role: left out: monday reports the permissions {board.permissions!r}, "
                "which is not one of the roles a manifest can declare",
            )

    def workspace(self, add: Line, comment: Line, indent: int, workspace: Workspace) -> None:
        if workspace.member_ids is None:
            return
        self._lists(
            add,
            comment,
            indent,
            ("owners", "members"),
            workspace.member_ids,
            workspace.team_member_ids or frozenset(),
            workspace.owner_ids or frozenset(),
            workspace.team_owner_ids or frozenset(),
        )

    def _lists(
        self,
        add: Line,
        comment: Line,
        indent: int,
        names: tuple[str, str],
        users: frozenset[str],
        teams: frozenset[str],
        owner_users: frozenset[str],
        owner_teams: frozenset[str],
    ) -> None:
        # An owner who cannot be declared an owner (a guest, a view-only user) is still a
        # member: written among the members, with a comment.
        moved: set[str] = set()
        for name, user_ids, team_ids, owners in (
            (names[0], owner_users, owner_teams, True),
            (names[1], users - owner_users, teams - owner_teams, False),
        ):
            entries: list[str] = []
            notes: list[str] = []
            for user_id in sorted(set(user_ids) | (set() if owners else moved), key=_numeric):
                written, why = self._user(user_id, owners=owners)
                if written is not None:
                    entries.append(written)
                elif owners and self._user(user_id, owners=False)[0] is not None:
                    moved.add(user_id)
                    notes.append(f"user {user_id} written under {names[1]}: {why}")
                else:
                    notes.append(f"user {user_id} left out: {why}")
            for team_id in sorted(team_ids, key=_numeric):
                team = self.teams.get(team_id)
                if team is None:
                    notes.append(f"team {team_id} left out: not a team the account lists")
                else:
                    entries.append(self.scalar({"team": team.name}))
            for note in notes:
                comment(indent, f"{name}: {note}")
            if not entries:
                add(indent, f"{name}: []")
                continue
            add(indent, f"{name}:")
            for entry in sorted(entries):
                add(indent + 2, f"- {entry}")

    def _user(self, user_id: str, *, owners: bool) -> tuple[str | None, str]:
        user = self.users.get(user_id)
        if user is None:
            return None, "not a user the account lists"
        status = (user.status or "").upper()
        if status in _REFUSED_STATUSES:
            return None, f"{user.email} {_REFUSED_STATUSES[status]}"
        kind = (user.kind or "").lower()
        if owners and kind in ("guest", "view_only"):
            return None, f"{user.email} is a {kind.replace('_', '-')} user, who cannot own"
        return self.scalar(user.email), ""


def _numeric(text: str) -> tuple[int, str]:
    return (int(text) if text.isdigit() else 0, text)
