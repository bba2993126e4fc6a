"""Direct probes of the questions only a live account can settle: the six of
``shared/monday-recorded-behaviour.md`` (last section), and what declared item order and
the apply lease assume of ``items_page`` (q7).

Each probe asks monday directly (boardops would normalise the answer), records what came
back as ``<recordings>/<probe>.json`` (sanitised: no token, people replaced by
placeholders, shapes kept; with the date and the API version), and checks only that an
answer came: the answer itself is the finding. Whatever a probe creates is deleted by the
session's finaliser.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from boardops import column_settings
from boardops.doctor import colour_form
from tests.live.support import (
    COLUMN_TYPE_SCHEMA,
    LIVE_MARKS,
    USERS_FOR_PROBES,
    WORKSPACES_BY_NAME,
    LiveAccount,
    Sanitiser,
    record,
    skip_module_unless_live,
    token_text,
)

pytestmark = LIVE_MARKS
skip_module_unless_live()

READ_ONLY_KINDS = {"guest", "view_only", "viewer"}


@pytest.fixture(scope="module")
def people(account: LiveAccount) -> dict[str, Any]:
    return account.query(USERS_FOR_PROBES)


@pytest.fixture(scope="module")
def sanitiser(account: LiveAccount, people: Mapping[str, Any]) -> Sanitiser:
    return Sanitiser([people["me"], *(people["users"] or ())], secret=token_text(account))


def outcome(result: Any) -> dict[str, Any]:
    """A mutation's result as recorded: its data, or monday's error (code and message)."""
    if result.ok:
        return {"ok": True, "data": result.data}
    error = result.error
    return {"ok": False, "code": error.code, "message": error.message}


def settings_of(board: Mapping[str, Any], column_id: str) -> Any:
    column = next(c for c in board["columns"] if c["id"] == column_id)
    settings = column["settings"]
    return json.loads(settings) if isinstance(settings, str) else settings


def status_column(account: LiveAccount, board_id: str, labels: list[tuple[str, str]]) -> Any:
    result = account.mutate(
        "create_status_column",
        "id revision settings",
        board_id=board_id,
        title="Probe status",
        defaults={
            "labels": [
                {"label": label, "color": color, "index": index}
                for index, (label, color) in enumerate(labels)
            ]
        },
    )
    assert result.ok, result.error
    return result.data


def test_q1_status_label_colours_are_names_or_numbers(
    account: LiveAccount, sanitiser: Sanitiser
) -> None:
    board_id = account.create_board(
        f"{account.prefix} q1", board_kind="public", workspace_id=account.workspace_id
    )
    column = status_column(account, board_id, [("Done", "done_green"), ("Stuck", "stuck_red")])
    settings = settings_of(account.board(board_id), column["id"])
    form = colour_form(settings)
    record(
        account,
        "q1-status-colour-form",
        "Status settings.labels[].color under this API version: name or number?",
        {"colour_form": form, "settings": settings, "mutation_answer": column},
        sanitiser,
    )
    assert form in ("names", "numbers", "mixed")


def test_q2_main_workspace_id_and_where_a_board_without_workspace_lands(
    account: LiveAccount, sanitiser: Sanitiser
) -> None:
    listed = account.query(WORKSPACES_BY_NAME, page=1)["workspaces"]
    defaults = [w for w in listed or () if w.get("is_default_workspace")]
    board_id = account.create_board(f"{account.prefix} q2", board_kind="public")
    board = account.board(board_id)
    record(
        account,
        "q2-main-workspace",
        "workspaces { id is_default_workspace }, and the workspace of a board created "
        "without workspace_id",
        {
            "default_workspaces": defaults,
            "workspaces_listed": len(listed or ()),
            "board_without_workspace": {
                "workspace_id": board["workspace_id"],
                "workspace": board["workspace"],
            },
        },
        sanitiser,
    )
    assert "workspace_id" in board


def test_q3_group_colours_hex_or_name(account: LiveAccount, sanitiser: Sanitiser) -> None:
    board_id = account.create_board(
        f"{account.prefix} q3", board_kind="public", workspace_id=account.workspace_id
    )
    answers: dict[str, Any] = {}
    created = account.mutate(
        "create_group", "id color", board_id=board_id, group_name="Probe", group_color="#00c875"
    )
    answers["create_group #00c875 (palette)"] = outcome(created)
    assert created.ok, created.error
    group_id = created.data["id"]
    for value in ("#579bfc", "dark-blue", "dark_blue"):
        result = account.mutate(
            "update_group",
            "id color",
            board_id=board_id,
            group_id=group_id,
            group_attribute="color",
            new_value=value,
        )
        after = next(g for g in account.board(board_id)["groups"] if g["id"] == group_id)
        answers[f"update_group color {value}"] = {**outcome(result), "read_back": after["color"]}
    for value in ("#e2445c", "#123456"):
        result = account.mutate(
            "create_group", "id color", board_id=board_id, group_name=value, group_color=value
        )
        answers[f"create_group {value} (outside the palette)"] = outcome(result)
    record(
        account,
        "q3-group-colours",
        "update_group colour: hex or name; create_group with a hex outside the palette",
        answers,
        sanitiser,
    )
    assert len(answers) == 6


def test_q4_what_an_empty_board_holds(account: LiveAccount, sanitiser: Sanitiser) -> None:
    shapes: dict[str, Any] = {}
    for empty in (True, False):
        board_id = account.create_board(
            f"{account.prefix} q4 empty={empty}",
            board_kind="public",
            workspace_id=account.workspace_id,
            empty=empty,
        )
        board = account.board(board_id)
        shapes[f"empty={str(empty).lower()}"] = {
            "columns": [
                {"id": c["id"], "type": c["type"], "title": c["title"]} for c in board["columns"]
            ],
            "groups": [{"id": g["id"], "title": g["title"]} for g in board["groups"]],
            "items": len(board["items_page"]["items"]),
        }
    record(
        account,
        "q4-empty-board",
        "create_board(empty: true): which columns and groups exist afterwards",
        shapes,
        sanitiser,
    )
    assert shapes["empty=true"]["items"] == 0


def test_q5_people_value_for_a_user_not_subscribed(
    account: LiveAccount, people: Mapping[str, Any], sanitiser: Sanitiser
) -> None:
    me = str(people["me"]["id"])
    others = [
        u
        for u in people["users"] or ()
        if str(u["id"]) != me and str(u.get("kind", "")).lower() not in READ_ONLY_KINDS
    ]
    answers: dict[str, Any] = {}
    if not others:
        answers["skipped"] = "the account has no second user to assign"
    else:
        other = others[0]
        answers["assigned_user_kind"] = other.get("kind")
        for kind in ("public", "private"):
            board_id = account.create_board(
                f"{account.prefix} q5 {kind}", board_kind=kind, workspace_id=account.workspace_id
            )
            column = account.mutate(
                "create_column", "id", board_id=board_id, title="Owner", column_type="people"
            )
            assert column.ok, column.error
            value = {
                column.data["id"]: {"personsAndTeams": [{"id": other["id"], "kind": "person"}]}
            }
            created = account.mutate(
                "create_item",
                "id",
                board_id=board_id,
                item_name="Assigned to someone not subscribed",
                column_values=value,
            )
            items = account.board(board_id)["items_page"]["items"]
            stored = [
                cv for item in items for cv in item["column_values"] if cv["type"] == "people"
            ]
            answers[f"{kind} board"] = {**outcome(created), "stored": stored}
    record(
        account,
        "q5-people-not-subscribed",
        "create_item with a people value for a user who is not subscribed to a new public "
        "board, and to a new private board",
        answers,
        sanitiser,
    )
    assert answers


def test_q6_adding_a_label_whose_colour_id_is_a_deactivated_label_id(
    account: LiveAccount, sanitiser: Sanitiser
) -> None:
    board_id = account.create_board(
        f"{account.prefix} q6", board_kind="public", workspace_id=account.workspace_id
    )
    column = status_column(account, board_id, [("Keep", "done_green"), ("Old", "stuck_red")])
    steps: dict[str, Any] = {"created": settings_of(account.board(board_id), column["id"])}
    revision = column["revision"]

    def labels_now() -> list[dict[str, Any]]:
        settings = settings_of(account.board(board_id), column["id"])
        return [dict(label) for label in settings["labels"]]

    def update(step: str, labels: list[dict[str, Any]]) -> bool:
        nonlocal revision
        wire = [
            {
                key: label[key]
                for key in ("id", "label", "color", "index", "is_done", "is_deactivated")
                if label.get(key) is not None
            }
            for label in labels
        ]
        result = account.mutate(
            "update_status_column",
            "id revision settings",
            board_id=board_id,
            id=column["id"],
            revision=revision,
            settings={"labels": wire},
        )
        steps[step] = outcome(result)
        if result.ok:
            revision = result.data["revision"]
        steps[f"{step}: settings after"] = settings_of(account.board(board_id), column["id"])
        return bool(result.ok)

    def named(labels: list[dict[str, Any]], text: str) -> dict[str, Any]:
        return next(label for label in labels if label["label"] == text)

    def as_name(label: dict[str, Any], color: str) -> dict[str, Any]:
        return {**label, "color": color}

    labels = labels_now()
    keep = as_name(named(labels, "Keep"), "done_green")
    old = named(labels, "Old")
    old_id = old["id"]
    ok = update("recolour Old to dark_blue", [keep, as_name(old, "dark_blue")])
    if ok:
        ok = update("deactivate Old", [keep, {**as_name(old, "dark_blue"), "is_deactivated": True}])
    if ok:
        update(
            "add New with stuck_red, whose colour id is Old's label id",
            [
                keep,
                {**as_name(old, "dark_blue"), "is_deactivated": True},
                {"label": "New", "color": "stuck_red", "index": 2},
            ],
        )
    steps["old_label_id"] = old_id
    record(
        account,
        "q6-colour-id-of-a-deactivated-label",
        "update_status_column adding a label whose colour id equals an existing "
        "(deactivated) label id",
        steps,
        sanitiser,
    )
    assert "recolour Old to dark_blue" in steps


ITEMS_IN_ORDER = """
query acc_items_in_order($ids: [ID!]) {
  boards(ids: $ids) { items_page(limit: 50) { items { id name } } }
}
""".strip()


def test_q7_item_positions_and_reading_an_item_just_created(
    account: LiveAccount, sanitiser: Sanitiser
) -> None:
    """What boardops' declared order and apply lease assume: a just-created item is listed
    by the next read, and items_page lists items in board order after positioned creates
    (``position_relative_method``/``relative_to``)."""
    board_id = account.create_board(
        f"{account.prefix} q7 order", board_kind="public", workspace_id=account.workspace_id
    )

    def create(name: str, **position: object) -> str:
        result = account.mutate("create_item", "id", board_id=board_id, item_name=name, **position)
        assert result.ok, result.error
        return str(result.data["id"])

    def listed() -> list[str]:
        [board] = account.query(ITEMS_IN_ORDER, ids=[board_id])["boards"]
        return [str(item["name"]) for item in board["items_page"]["items"]]

    middle = create("middle")
    seen_at_once = "middle" in listed()
    create("first", position_relative_method="before_at", relative_to=middle)
    create("last", position_relative_method="after_at", relative_to=middle)
    order = listed()
    record(
        account,
        "q7-item-order",
        "is a just-created item listed by the next read, and does items_page list items in "
        "the order position_relative_method/relative_to placed them?",
        {"listed_right_after_create": seen_at_once, "items_page_order": order},
        sanitiser,
    )
    assert sorted(order) == ["first", "last", "middle"]


def test_q8_column_type_schemas_of_the_types_whose_settings_boardops_manages(
    account: LiveAccount, sanitiser: Sanitiser
) -> None:
    """What ``get_column_type_schema`` answers for each type of ``column_settings``: the
    keys (and their shapes) the registry should list."""
    answers = {
        column_type: account.query(COLUMN_TYPE_SCHEMA, t=column_type)
        for column_type in sorted(column_settings.SETTINGS)
    }
    record(
        account,
        "q8-column-type-schemas",
        "get_column_type_schema for the column types whose settings boardops manages",
        answers,
        sanitiser,
    )
    assert set(answers) == set(column_settings.SETTINGS)
