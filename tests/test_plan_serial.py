"""Saved plans: ``to_dict`` / ``from_dict`` round-trip every action exactly."""

from __future__ import annotations

import json
from typing import Any

import pytest

from boardops.errors import PlanFormatError
from boardops.plan import ACTION_TYPES, FORMAT_VERSION, FieldChange, ObjectRef, Plan, build_plan
from boardops.plan.actions import (
    AddBoardOwners,
    AddWorkspaceMembers,
    CreateFolder,
    CreateSubitem,
    CreateSubitemsBoard,
    CreateTag,
    DeleteFolder,
    RemoveBoardMembers,
    RemoveWorkspaceMembers,
    SetBoardRole,
    SetItemLinks,
    UpdateFolder,
)
from boardops.plan.serial import encode
from tests.support.scenarios import every_action_type_plan_actions, rich_scenario


def rich_plan() -> Plan:
    return build_plan(*rich_scenario())


def as_json(plan: Plan) -> Any:
    """The plan as a saved file reads back: plain JSON data."""
    return json.loads(json.dumps(plan.to_dict()))


@pytest.mark.parametrize("action_type", ACTION_TYPES, ids=lambda t: t.__name__)
def test_every_action_type_survives_a_json_round_trip(action_type: type) -> None:
    chosen = tuple(a for a in every_action_type_plan_actions() if type(a) is action_type)
    assert chosen, f"the scenarios have no {action_type.__name__}"
    one = Plan(actions=chosen)
    back = Plan.from_dict(json.loads(json.dumps(one.to_dict())))
    assert back == one
    assert [type(a) for a in back.actions] == [action_type] * len(chosen)


def test_whole_plan_round_trips_with_its_fingerprint_and_metadata() -> None:
    plan = rich_plan()
    data = json.loads(json.dumps(plan.to_dict()))
    back = Plan.from_dict(data)
    assert back == plan
    assert back.to_dict() == data


def test_serialised_plan_states_its_version_and_derived_facts() -> None:
    data = as_json(rich_plan())
    assert data["format_version"] == FORMAT_VERSION
    assert data["kind"] == "boardops-plan"
    assert data["manifest_digest"] == "sha256:manifest-rich"
    assert data["is_destructive"] is True
    assert data["summary"] == {
        "create": 15,
        "update": 13,
        "delete": 5,
        "replace": 1,
        "move": 3,
        "adopt": 3,
        "destructive": 6,
        "lost_items": 1,
        "lost_values": 2,
        "losses_uncounted": 0,
    }
    first = data["actions"][0]
    assert first["type"] == "CreateWorkspace"
    assert first["kind"] == "create"
    assert first["verb"] == "created"


def test_unknown_format_version_is_refused() -> None:
    data = as_json(rich_plan())
    data["format_version"] = 99
    with pytest.raises(PlanFormatError, match="format_version 99"):
        Plan.from_dict(data)


def test_unknown_action_type_is_refused_with_its_position() -> None:
    data = as_json(Plan(actions=rich_plan().actions[:1]))
    data["actions"][0]["type"] = "DropBoard"
    with pytest.raises(PlanFormatError, match=r"actions\[0\]: unknown action type 'DropBoard'"):
        Plan.from_dict(data)


def test_a_field_of_the_wrong_type_is_refused() -> None:
    data = as_json(Plan(actions=rich_plan().actions[1:2]))
    assert data["actions"][0]["type"] == "UpdateWorkspace"
    data["actions"][0]["workspace_id"] = 77
    with pytest.raises(PlanFormatError, match="workspace_id: expected a string"):
        Plan.from_dict(data)


def test_tampered_fingerprint_is_refused() -> None:
    data = as_json(rich_plan())
    data["live_fingerprint"]["entries"][0]["value"] = "forged"
    with pytest.raises(PlanFormatError, match="digest"):
        Plan.from_dict(data)


def test_encoding_keeps_json_values_and_refuses_what_is_not_plan_data() -> None:
    class Label(str):
        pass

    change = FieldChange("points", None, {"n": [1, 2.5, True, None, Label("x")]})
    assert encode((change, ObjectRef("board.b", "7"))) == [
        {"field": "points", "before": None, "after": {"n": [1, 2.5, True, None, "x"]}},
        {"address": "board.b", "id": "7"},
    ]
    for value in (ObjectRef, object(), {1, 2}):
        with pytest.raises(TypeError, match="cannot serialise"):
            encode(value)


def test_the_rich_scenario_and_the_feature_scenarios_call_for_every_action_type() -> None:
    plan = build_plan(*rich_scenario())
    # Tags, folders, links and subitems come from their own scenarios.
    elsewhere = {CreateTag, SetItemLinks, CreateFolder, UpdateFolder, DeleteFolder}
    elsewhere |= {CreateSubitem, CreateSubitemsBoard}
    elsewhere |= {
        AddBoardOwners,
        RemoveBoardMembers,
        SetBoardRole,
        AddWorkspaceMembers,
        RemoveWorkspaceMembers,
    }
    assert {type(a) for a in plan.actions} == set(ACTION_TYPES) - elsewhere
    assert {type(a) for a in every_action_type_plan_actions()} == set(ACTION_TYPES)
