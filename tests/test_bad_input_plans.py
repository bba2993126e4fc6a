"""Bad saved plans: edited by hand, made from another manifest, of a newer format or not
readable; refused with one line naming the plan file (or the address that was edited),
before the network wherever the plan file alone shows the problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.support.cli import GOOD, Network, invoke, one_error_line

# --- saved plans ----------------------------------------------------------------------------


@pytest.fixture
def saved_plan(tmp_path: Path, network: Network) -> tuple[Path, Path]:
    """A plan of GOOD against an empty sandbox, saved; returns (plan file, sandbox file)."""
    sandbox = tmp_path / "sandbox.json"
    plan = tmp_path / "plan.json"
    result = invoke("plan", str(GOOD), "--out", str(plan), f"--sandbox={sandbox}")
    assert result.exit_code == 0, result.output
    network.requests.clear()
    return plan, sandbox


def edit_plan(path: Path, change: Any) -> Path:
    data = json.loads(path.read_text())
    change(data)
    edited = path.with_name("edited.json")
    edited.write_text(json.dumps(data, indent=2))
    return edited


def apply_saved(plan: Path, sandbox: Path, manifest: Path = GOOD) -> Result:
    return invoke(
        "apply", str(manifest), "--plan", str(plan), "--auto-approve", f"--sandbox={sandbox}"
    )


def test_a_saved_plan_edited_by_hand_is_refused_naming_the_address(
    saved_plan: tuple[Path, Path], network: Network
) -> None:
    plan, sandbox = saved_plan

    def rename_board(data: dict[str, Any]) -> None:
        assert data["actions"][0]["type"] == "CreateBoard"
        data["actions"][0]["name"] = "Roadmap (edited)"

    message = one_error_line(apply_saved(edit_plan(plan, rename_board), sandbox))
    assert "board.roadmap" in message
    assert network.mutations == 0


def test_a_saved_plan_with_an_edited_item_value_is_refused(
    saved_plan: tuple[Path, Path], network: Network
) -> None:
    plan, sandbox = saved_plan

    def change_value(data: dict[str, Any]) -> None:
        text = json.dumps(data["actions"][-1])
        assert "X-1" in text
        data["actions"][-1] = json.loads(text.replace("X-1", "X-999"))

    message = one_error_line(apply_saved(edit_plan(plan, change_value), sandbox))
    assert "board.roadmap.item[" in message
    assert network.mutations == 0


def test_a_saved_plan_from_another_manifest_is_refused_before_the_network(
    saved_plan: tuple[Path, Path], network: Network, tmp_path: Path
) -> None:
    plan, sandbox = saved_plan
    other = tmp_path / "other.yaml"
    other.write_text(GOOD.read_text().replace("Roadmap", "Backlog"))
    message = one_error_line(apply_saved(plan, sandbox, other))
    assert str(plan) in message
    assert "manifest" in message
    assert network.requests == []


UNREADABLE_PLANS = [
    ("newer-format", "format_version 3 is not supported"),
    ("older-format", "made by an older boardops"),
    ("not-a-plan", "not a boardops plan"),
    ("unknown-action", "unknown action type 'LaunchRocket'"),
    ("missing-field", "missing field 'name'"),
    ("fingerprint-digest", "digest does not match"),
    ("desired-state-digest", "desired_digest does not match desired_state"),
    ("desired-state-type", "desired_state.boards[0].kind: expected one of public"),
    ("truncated", "cannot read a saved plan"),
    ("not-utf8", "cannot read a saved plan"),
    ("a-list", "a saved plan is a JSON object"),
    ("nested-too-deep", "cannot read a saved plan"),
    ("negative-budget", "budget.requests: expected a count"),
]
# Files that are no plan document at all: `apply FILE` reads them as manifests.
NOT_PLAN_DOCUMENTS = ("not-a-plan", "truncated", "not-utf8", "a-list", "nested-too-deep")


@pytest.mark.parametrize(
    ("case", "words", "how"),
    [
        (case, words, how)
        for how in ("apply --plan", "apply", "show")
        for case, words in UNREADABLE_PLANS
        if not (how == "apply" and case in NOT_PLAN_DOCUMENTS)
    ],
)
def test_a_saved_plan_that_cannot_be_read_is_refused_before_the_network(
    case: str, words: str, how: str, saved_plan: tuple[Path, Path], network: Network
) -> None:
    plan, sandbox = saved_plan
    data = json.loads(plan.read_text())
    if case == "newer-format":
        data["format_version"] = 3
    elif case == "older-format":
        data["format_version"] = 1
    elif case == "not-a-plan":
        data = {"format_version": 1, "actions": []}
    elif case == "unknown-action":
        data["actions"][0]["type"] = "LaunchRocket"
    elif case == "missing-field":
        del data["actions"][0]["name"]
    elif case == "fingerprint-digest":
        data["live_fingerprint"]["digest"] = "0" * 64
    elif case == "desired-state-digest":
        data["desired_state"]["boards"][0]["name"] = "Elsewhere"
    elif case == "desired-state-type":
        data["desired_state"]["boards"][0]["kind"] = "secret"
    elif case == "negative-budget":
        data["budget"]["requests"] = -1
    elif case == "a-list":
        data = [data]
    broken = plan.with_name(f"{case}.json")
    if case == "truncated":
        broken.write_text(plan.read_text()[:200])
    elif case == "not-utf8":
        broken.write_bytes(b'{"kind": "boardops-plan", "x": "\xff"}')
    elif case == "nested-too-deep":
        broken.write_text("[" * 100_000 + "]" * 100_000)
    else:
        broken.write_text(json.dumps(data))
    if how == "apply --plan":
        result = apply_saved(broken, sandbox)
    elif how == "apply":
        result = invoke("apply", str(broken), f"--sandbox={sandbox}")
    else:
        result = invoke("show", str(broken))
    message = one_error_line(result)
    assert message.startswith(str(broken)), message
    assert words in message
    assert network.requests == []


def test_a_saved_plan_with_an_action_repeated_by_hand_is_refused(
    saved_plan: tuple[Path, Path], network: Network
) -> None:
    plan, sandbox = saved_plan

    def repeat_create_item(data: dict[str, Any]) -> None:
        assert data["actions"][-1]["type"] == "CreateItem"
        data["actions"].append(data["actions"][-1])

    message = one_error_line(apply_saved(edit_plan(plan, repeat_create_item), sandbox))
    assert "board.roadmap.item[X-1]" in message
    assert network.mutations == 0
