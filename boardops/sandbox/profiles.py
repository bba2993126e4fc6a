"""Behaviour profiles: how the sandbox answers where monday's docs and real accounts differ.

A profile is one frozen ``Profile`` of named flags; resolvers consult ``ctx.profile`` (never
the profile's name). Two exist:

* ``docs`` (the default): monday as its documentation and SDL describe it; exactly the
  sandbox's behaviour before profiles existed.
* ``recorded``: monday as recorded real accounts answer
  (``monday-recorded-behaviour.md`` §1-6); the table is in ``boardops/sandbox/__init__.py``.

Both profiles answer connect-boards and dependency values as monday has since 2025-04:
``text`` and ``value`` null, the links in ``linked_item_ids`` / ``linked_items`` /
``display_value`` (the docs and the recorded accounts agree; ``values/links.py``).

The profile is written into the state file when the file is created; opening the file with
another explicit profile fails with ``ProfileMismatch`` (one line, suggesting
``boardops sandbox reset``), opening it without one uses the stored profile. Files written
before profiles existed are ``docs`` files.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal, get_args

from boardops.sandbox.state import StateData, user_record

ProfileName = Literal["docs", "recorded"]
PROFILE_NAMES: tuple[str, ...] = get_args(ProfileName)

# The recorded account's main workspace id (a real id, as in the 2026 recordings).
MAIN_WORKSPACE_ID = "10136488"

# Users only the recorded profile seeds: (id, name, email, status, kind).
RECORDED_EXTRA_USERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("10000005", "Erin Invited", "erin@example.com", "PENDING", "member"),
    ("10000006", "Frank Former", "frank@example.com", "INACTIVE", "member"),
    ("10000007", "Grace Viewer", "grace@example.com", "ACTIVE", "view_only"),
)
PENDING_USER_ID, INACTIVE_USER_ID, VIEW_ONLY_USER_ID = (u[0] for u in RECORDED_EXTRA_USERS)


class ProfileMismatch(ValueError):
    """A state file opened with another profile than the one it was created with."""


@dataclass(frozen=True)
class Profile:
    """One named set of behaviours (each flag names the recorded-behaviour section)."""

    name: ProfileName
    # The seeded account.
    tier: str
    first_day_of_the_week: Literal["monday", "sunday"]
    # §3: the main workspace has a real id, is listed, and boards without one report it.
    main_workspace_id: str | None
    # A pending invitee, a deactivated user and a view-only user beside the four members.
    extra_users: bool
    # §1: status label colours answered as numeric colour ids, with ``hex`` beside them.
    numeric_status_colors: bool
    # §2: label ids drift from colour ids (recolour keeps the id, removed ids stay taken,
    # a new label whose colour id is a taken label id rejects the update, id 5 reserved).
    drifting_label_ids: bool
    # §4: group colours limited to the 19-colour palette; update_group takes names.
    palette_group_colors: bool
    # §5: people values only for board subscribers; pending/inactive/view-only never.
    people_need_membership: bool
    # §6: week values start on the account's first day of the week.
    week_starts_on_account_day: bool
    # §6: create_workspace(kind: closed) only on enterprise accounts.
    closed_workspaces_need_enterprise: bool
    # §6: colour picker values written in RGB are stored as RGB without hex.
    rgb_color_picker: bool
    # §6: any_of on an email column matches the displayed text when one is set.
    email_filter_matches_text: bool
    # §6: each created board gets a "Subitems of <name>" board of type sub_items_board.
    subitem_boards: bool
    # §6: a stale column revision answers REVISION_MISMATCH "Board revision mismatch".
    revision_mismatch_error: bool
    # §6: phone numbers checked by the country's numbering rules (phonenumbers).
    phone_country_rules: bool

    def account(self) -> dict[str, Any]:
        """The seeded account's fields (without the id)."""
        return {
            "name": "Sandbox Account" if self.name == "docs" else "Recorded Account",
            "slug": "sandbox" if self.name == "docs" else "recorded",
            "tier": self.tier,
            "first_day_of_the_week": self.first_day_of_the_week,
            "plan": {"tier": self.tier, "max_users": 50, "version": 9, "period": "yearly"},
        }

    def seed(self, data: StateData) -> None:
        """Add what this profile's fresh account holds beyond the common seed."""
        if self.extra_users:
            data["users"].extend(
                user_record(uid, name, email, status=status, kind=kind)
                for uid, name, email, status, kind in RECORDED_EXTRA_USERS
            )
        if self.main_workspace_id is not None:
            data["workspaces"][self.main_workspace_id] = {
                "id": self.main_workspace_id,
                "name": "Main workspace",
                "kind": "open",
                "description": None,
                "state": "active",
                "created_at": "2026-01-05T09:00:00Z",
                "is_default_workspace": True,
            }


# The behaviour flags: all off in the docs profile, all on in the recorded one.
_FLAGS: tuple[str, ...] = tuple(f.name for f in fields(Profile) if f.type == "bool")

DOCS = Profile(
    name="docs",
    tier="enterprise",
    first_day_of_the_week="monday",
    main_workspace_id=None,
    **dict.fromkeys(_FLAGS, False),
)

RECORDED = Profile(
    name="recorded",
    tier="standard",
    first_day_of_the_week="sunday",
    main_workspace_id=MAIN_WORKSPACE_ID,
    **dict.fromkeys(_FLAGS, True),
)

PROFILES: dict[str, Profile] = {DOCS.name: DOCS, RECORDED.name: RECORDED}


def profile_named(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        choices = ", ".join(PROFILE_NAMES)
        raise ValueError(f"unknown sandbox profile {name!r} (choose {choices})") from None
