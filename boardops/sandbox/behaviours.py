"""The behaviours that differ per profile, each behind one ``Profile`` flag (profiles.py).

The executor calls these where the two profiles part ways; each function does the docs
thing unless its flag is set. Resolvers reach the profile through ``info.context.profile``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import phonenumbers

from boardops.model import STATUS_COLOR_IDS
from boardops.palette import GROUP_COLOR_HEXES, GROUP_COLORS, group_color_hex
from boardops.sandbox.executor import ExecutionContext, type_field
from boardops.sandbox.failures import ApiFailure, column_value_error, invalid_argument
from boardops.sandbox.state import next_id
from boardops.sandbox.values.labels import EMPTY_STATUS_LABEL_ID
from boardops.sandbox.values.links import LINK_TYPES, check_links
from boardops.sandbox.values.registry import ValueContext, store_simple_value, store_value

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

# The docs profile's group colours: new groups without a colour take the next of these.
GROUP_COLORS_DOCS = (
    "#579bfc",
    "#00c875",
    "#fdab3d",
    "#e2445c",
    "#a25ddc",
    "#037f4c",
    "#ff642e",
    "#66ccff",
)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_WEEKDAYS = {"monday": 0, "sunday": 6}


# --- §1 status colours as numbers -------------------------------------------------------------


@type_field("Column", "settings")
def column_settings(column: Mapping[str, Any], info: GraphQLResolveInfo) -> Any:
    """``Column.settings``: status label colours as numeric ids under ``numeric_status_colors``
    (``hex`` is always there beside them)."""
    settings = column["settings"]
    if column["type"] != "status" or not info.context.profile.numeric_status_colors:
        return settings
    labels = [
        {**label, "color": STATUS_COLOR_IDS.get(label["color"], label["color"])}
        for label in settings["labels"]
    ]
    return {**settings, "labels": labels}


# --- §2 label ids drift from colour ids ---------------------------------------------------------


def check_status_update(
    ctx: ExecutionContext, column: Mapping[str, Any], entries: Iterable[Mapping[str, Any]]
) -> None:
    """Before ``update_status_column`` changes anything (``drifting_label_ids``): label id 5
    is the reserved default label; a new label whose colour's id is already a label id
    (active, deactivated, recoloured or removed) rejects the whole update."""
    if not ctx.profile.drifting_label_ids:
        return
    taken = {label["id"] for label in column["settings"]["labels"]}
    taken |= set(column.get("retired_label_ids", ())) | {EMPTY_STATUS_LABEL_ID}
    for entry in entries:
        if entry.get("id") == EMPTY_STATUS_LABEL_ID:
            raise invalid_argument(
                "Label 5 is the default label of a status column and cannot be changed or removed",
                column_id=column["id"],
                label_id=EMPTY_STATUS_LABEL_ID,
            )
        if entry.get("id") is None and STATUS_COLOR_IDS[entry["color"]] in taken:
            color_id = STATUS_COLOR_IDS[entry["color"]]
            raise invalid_argument(
                f"Cannot add the label {entry['label']!r}: colour {entry['color']} would take "
                f"label id {color_id}, which this column already uses",
                column_id=column["id"],
                label=entry["label"],
                color=entry["color"],
                label_id=color_id,
            )


def retire_removed_labels(
    ctx: ExecutionContext, column: dict[str, Any], new_labels: Iterable[Mapping[str, Any]]
) -> None:
    """Under ``drifting_label_ids`` a removed label's id stays taken (its colour is free)."""
    if not ctx.profile.drifting_label_ids:
        return
    removed = {lb["id"] for lb in column["settings"]["labels"]} - {lb["id"] for lb in new_labels}
    if removed:
        column["retired_label_ids"] = sorted(set(column.get("retired_label_ids", ())) | removed)


# --- §3 the main workspace ---------------------------------------------------------------------


def board_workspace_id(ctx: ExecutionContext, workspace_id: Any) -> str | None:
    """A new board's ``workspace_id``: the main workspace's real id when it has one."""
    if workspace_id is not None:
        return str(workspace_id)
    main: str | None = ctx.profile.main_workspace_id
    return main


# --- §4 group colours --------------------------------------------------------------------------


def create_group_color(ctx: ExecutionContext, requested: str | None, group_count: int) -> str:
    """``create_group(group_color:)``: any hex (docs) or one of the 19 palette hexes."""
    palette = ctx.profile.palette_group_colors
    if requested is None:
        choices = GROUP_COLOR_HEXES if palette else GROUP_COLORS_DOCS
        return choices[group_count % len(choices)]
    if not palette:
        return _check_hex(requested)
    color = requested.strip().lower()
    if color not in GROUP_COLOR_HEXES:
        raise invalid_argument(
            f"Invalid group color {requested!r}: use one of {', '.join(GROUP_COLOR_HEXES)}",
            group_color=requested,
        )
    return color


def update_group_color(ctx: ExecutionContext, new_value: str) -> str:
    """``update_group(group_attribute: color)``: a hex (docs) or a colour name from monday's
    chart (``boardops.palette``); groups always report the hex."""
    if not ctx.profile.palette_group_colors:
        return _check_hex(new_value)
    hex_value = group_color_hex(new_value)
    if hex_value is None:
        raise invalid_argument(
            f"Invalid group color {new_value!r}: use a colour name, one of "
            f"{', '.join(GROUP_COLORS)}",
            new_value=new_value,
        )
    return hex_value


def _check_hex(color: str) -> str:
    if not _HEX.match(color):
        raise invalid_argument(f"Group colour must be a hex colour like #579bfc, got {color!r}")
    return color.lower()


# --- §5 and §6 column values -------------------------------------------------------------------


def store(
    ctx: ExecutionContext,
    board: Mapping[str, Any],
    column: dict[str, Any],
    raw: Any,
    value_ctx: ValueContext,
    *,
    simple: bool = False,
) -> Any:
    """The stored form of a value written to ``column`` (None clears), after the profile's
    checks: people need board membership, weeks start on the account's first day, phone
    numbers follow their country's rules; RGB colour picker values stay RGB."""
    profile = ctx.profile
    if profile.rgb_color_picker and column["type"] == "color_picker" and not simple:
        rgb = _rgb(raw)
        if rgb is not None:
            return {"color": rgb}
    stored = (
        store_simple_value(column, raw, value_ctx)
        if simple
        else store_value(column, raw, value_ctx)
    )
    if stored is None:
        return None
    if column["type"] in LINK_TYPES:
        check_links(ctx.data, board, column, stored)
    elif column["type"] == "people" and profile.people_need_membership:
        _check_people(ctx, board, column, stored)
    elif column["type"] == "week" and profile.week_starts_on_account_day:
        _check_week(ctx, column, stored)
    elif column["type"] == "phone" and profile.phone_country_rules:
        _check_phone(column, stored)
    return stored


def _rgb(raw: Any) -> dict[str, int] | None:
    color = raw.get("color") if isinstance(raw, dict) and set(raw) == {"color"} else None
    if not isinstance(color, dict) or set(color) != {"r", "g", "b"}:
        return None
    values = [color[key] for key in ("r", "g", "b")]
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255 for v in values):
        return None
    return {"r": values[0], "g": values[1], "b": values[2]}


def _check_people(
    ctx: ExecutionContext, board: Mapping[str, Any], column: Mapping[str, Any], stored: Any
) -> None:
    from boardops.sandbox.resolvers.account import is_member

    parent = board.get("parent_board_id")
    if board.get("type") == "sub_items_board" and parent in ctx.data["boards"]:
        # A subitems board has no members of its own: its parent board's are its members.
        board = ctx.data["boards"][parent]
    users = {u["id"]: u for u in ctx.data["users"]}
    teams = {t["id"] for t in board.get("team_subscribers") or ()}
    for entry in stored["personsAndTeams"]:
        member_id = str(entry["id"])
        if entry["kind"] == "team":
            allowed = member_id in teams
        else:
            user = users[member_id]
            allowed = (
                user["status"] == "ACTIVE"
                and user["kind"] != "view_only"
                and is_member(ctx, board, member_id)
            )
        if not allowed:
            raise column_value_error(
                f"The {'team' if entry['kind'] == 'team' else 'user'} {member_id} cannot be "
                f"assigned on this board: not an active subscriber of it",
                error_code="invalidPersonAssignment",
                column_id=column["id"],
                column_type="people",
                id=member_id,
                kind=entry["kind"],
            )


def _check_week(ctx: ExecutionContext, column: Mapping[str, Any], stored: Any) -> None:
    first_day = ctx.data["account"]["first_day_of_the_week"]
    start = date.fromisoformat(stored["week"]["startDate"])
    end = date.fromisoformat(stored["week"]["endDate"])
    if start.weekday() != _WEEKDAYS[first_day] or (end - start).days != 6:
        raise column_value_error(
            f"A week must run from a {first_day} to the following "
            f"{'saturday' if first_day == 'sunday' else 'sunday'} (the account's first day "
            f"of the week is {first_day})",
            column_id=column["id"],
            column_type="week",
            first_day_of_the_week=first_day,
        )


def _check_phone(column: Mapping[str, Any], stored: Any) -> None:
    country = stored.get("countryShortName")
    try:
        number = phonenumbers.parse(stored["phone"], country or None)
        valid = phonenumbers.is_valid_number(number) and (
            not country or phonenumbers.region_code_for_number(number) == country.upper()
        )
    except phonenumbers.NumberParseException:
        valid = False
    if not valid:
        raise column_value_error(
            f"{stored['phone']!r} is not a valid phone number for country {country!r}",
            column_id=column["id"],
            column_type="phone",
        )


# --- §6 workspaces, boards, revisions ----------------------------------------------------------


def check_workspace_kind(ctx: ExecutionContext, kind: str) -> None:
    """``closed`` workspaces need an enterprise account (``closed_workspaces_need_enterprise``)."""
    tier = ctx.data["account"]["tier"]
    if kind == "closed" and ctx.profile.closed_workspaces_need_enterprise and tier != "enterprise":
        raise ApiFailure(
            "InvalidArgumentException",
            "Closed workspaces are available on the Enterprise plan only",
            status_code=403,
            error_data={"kind": kind, "tier": tier},
        )


def after_create_board(ctx: ExecutionContext, board: Mapping[str, Any]) -> None:
    """Under ``subitem_boards`` a new board comes with its "Subitems of <name>" board."""
    if not ctx.profile.subitem_boards:
        return
    companion = copy.deepcopy(dict(board))
    companion.update(
        id=next_id(ctx.data, "board"),
        name=f"Subitems of {board['name']}",
        type="sub_items_board",
        parent_board_id=board["id"],
        item_terminology="subitem",
        item_nickname=None,
        board_folder_id=None,  # not listed among a folder's boards
        item_ids=[],
        item_count=0,
    )
    ctx.data["boards"][companion["id"]] = companion


def revision_mismatch(ctx: ExecutionContext, column_id: str, current: str) -> ApiFailure:
    """A stale ``revision`` on ``update_*_column``."""
    if ctx.profile.revision_mismatch_error:
        return ApiFailure(
            "REVISION_MISMATCH", "Board revision mismatch", status_code=409, with_error_data=False
        )
    return ApiFailure(
        "InvalidColumnRevisionException",
        f"Column {column_id!r} changed since revision {current!r}; read it again",
        status_code=409,
        error_data={"column_id": column_id, "current_revision": current},
    )
