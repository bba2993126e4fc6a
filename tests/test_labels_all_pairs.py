"""Every pair of label change kinds, in one apply, on both sandbox profiles.

A change kind is one of: add (a label in the middle or at the top), rename, recolour,
done flag, deactivate (prune) and reorder. For each pair of kinds (a, b), a kind with
itself included (then on two different labels), a long-lived board is brought to a
known state, and a manifest making both changes is applied: the apply is ok, each
column is changed by exactly one ``update_status_column`` / ``update_dropdown_column``
call (recolour and done do not apply to dropdowns, which then get none), the labels end
as declared, in the declared order, and a second plan has no changes.

On the recorded profile the status column's label ids have drifted from their colours
(``boardops.sandbox.seeds``: ids 1-3 removed and still taken, 4 deactivated, 7, 11, 12
recoloured) and colours come back as numbers.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from boardops.plan import ReorderLabels
from boardops.sandbox import Sandbox, seed_drifted_board
from boardops.views import render_text
from tests.conftest import BOTH_PROFILES, FakeClock
from tests.support.world import World

profile = BOTH_PROFILES

BOARD = "Long-lived board"

# The status column as the base manifest declares it; the seeded board has the first
# four (with drifted ids), the base apply adds the last two.
STATUS_BASE: tuple[dict[str, Any], ...] = (
    {"label": "Working on it", "color": "working_orange"},
    {"label": "Done", "color": "done_green", "done": True},
    {"label": "Stuck", "color": "stuck_red"},
    {"label": "Review", "color": "sunset"},
    {"label": "Later", "color": "dark_purple"},
    {"label": "Ideas", "color": "chili_blue"},
)
DROPDOWN_BASE = ("Web", "API", "Mobile", "Data", "Ops")

Labels = list[dict[str, Any]]


def _find(labels: Labels, name: str) -> dict[str, Any]:
    return next(label for label in labels if label["key"] == name)


def _insert(labels: Labels, label: str, after: str | None) -> None:
    at = 0 if after is None else labels.index(_find(labels, after)) + 1
    labels.insert(at, {"key": label, "label": label})


def _rename(labels: Labels, old: str, new: str) -> None:
    entry = _find(labels, old)
    entry["label"] = new
    entry["previous_labels"] = [old]


def _set(labels: Labels, name: str, field: str, value: object) -> None:
    _find(labels, name)[field] = value


def _drop(labels: Labels, name: str) -> None:
    labels.remove(_find(labels, name))


def _move(labels: Labels, name: str, before: str | None) -> None:
    entry = _find(labels, name)
    labels.remove(entry)
    at = len(labels) if before is None else labels.index(_find(labels, before))
    labels.insert(at, entry)


Change = Callable[[Labels], None]

# kind -> (status changes, dropdown changes): the first of each list is the kind's change
# in a pair with another kind; with itself, the kind makes both, on two labels.
KINDS: dict[str, tuple[tuple[Change, Change], tuple[Change, Change] | None]] = {
    "add": (
        (lambda ls: _insert(ls, "Blocked", after="Done"), lambda ls: _insert(ls, "Parked", None)),
        (lambda ls: _insert(ls, "Infra", after="API"), lambda ls: _insert(ls, "Design", None)),
    ),
    "rename": (
        (lambda ls: _rename(ls, "Stuck", "Halted"), lambda ls: _rename(ls, "Later", "Someday")),
        (lambda ls: _rename(ls, "Web", "Website"), lambda ls: _rename(ls, "Data", "Analytics")),
    ),
    "recolour": (
        (
            lambda ls: _set(ls, "Review", "color", "grass_green"),
            lambda ls: _set(ls, "Ideas", "color", "brown"),
        ),
        None,
    ),
    "done": (
        (lambda ls: _set(ls, "Later", "done", True), lambda ls: _set(ls, "Done", "done", False)),
        None,
    ),
    "deactivate": (
        (lambda ls: _drop(ls, "Ideas"), lambda ls: _drop(ls, "Later")),
        (lambda ls: _drop(ls, "Ops"), lambda ls: _drop(ls, "Mobile")),
    ),
    "reorder": (
        (
            lambda ls: _move(ls, "Review", before="Stuck"),
            lambda ls: _move(ls, "Working on it", before=None),
        ),
        (lambda ls: _move(ls, "Mobile", before="API"), lambda ls: _move(ls, "Web", before=None)),
    ),
}
PAIRS = list(itertools.combinations_with_replacement(KINDS, 2))


def _base() -> tuple[Labels, Labels]:
    status: Labels = [{"key": lbl["label"], **lbl} for lbl in STATUS_BASE]
    dropdown: Labels = [{"key": text, "label": text} for text in DROPDOWN_BASE]
    return status, dropdown


def _changed(kinds: tuple[str, str]) -> tuple[Labels, Labels, bool]:
    """The status and dropdown labels after the pair's changes, and whether the dropdown
    column changes at all."""
    status, dropdown = _base()
    both = kinds[0] == kinds[1]
    touched = False
    for n, kind in enumerate(kinds):
        status_changes, dropdown_changes = KINDS[kind]
        status_changes[n if both else 0](status)
        if dropdown_changes is not None:
            dropdown_changes[n if both else 0](dropdown)
            touched = True
    return status, dropdown, touched


def manifest(status: Labels, dropdown: Labels) -> str:
    def strip(labels: Labels) -> list[dict[str, Any]]:
        return [{k: v for k, v in label.items() if k != "key"} for label in labels]

    document = {
        "version": 1,
        "boards": [
            {
                "name": BOARD,
                "key": "long",
                "prune": True,
                "groups": [{"key": "main", "title": "Main"}],
                "columns": [
                    {"id": "status", "title": "Status", "type": "status", "labels": strip(status)},
                    {"title": "Area", "type": "dropdown", "labels": strip(dropdown)},
                ],
            }
        ],
    }
    return json.dumps(document, indent=2)


@pytest.fixture
def world(sandbox: Sandbox, clock: FakeClock, tmp_path: Path) -> World:
    seed_drifted_board(sandbox, BOARD)
    return World(sandbox, clock, tmp_path)


def _active(labels: list[dict[str, Any]], *, by_index: bool) -> list[dict[str, Any]]:
    active = [label for label in labels if not label.get("is_deactivated")]
    return sorted(active, key=lambda label: label["index"]) if by_index else active


@pytest.mark.parametrize("kinds", PAIRS, ids=["+".join(pair) for pair in PAIRS])
def test_both_changes_go_in_one_update_per_column_and_converge(
    world: World, kinds: tuple[str, str]
) -> None:
    base = world.write(manifest(*_base()))
    assert world.apply(base, allow_destroy=True).ok
    assert world.plan(base).actions == ()

    status, dropdown, dropdown_changes = _changed(kinds)
    path = world.write(manifest(status, dropdown))
    world.sandbox.counters.reset()
    result = world.apply(path, allow_destroy=True)

    assert result.ok, result.failures
    calls = world.sandbox.counters.root_fields
    assert calls.get("update_status_column", 0) == 1
    assert calls.get("update_dropdown_column", 0) == (1 if dropdown_changes else 0)
    board = world.board(BOARD)
    live_status = _active(board.column("status").settings["labels"], by_index=True)
    assert [label["label"] for label in live_status] == [label["label"] for label in status]
    for wanted, live in zip(status, live_status, strict=True):
        assert live["color"] == wanted.get("color", live["color"])
        assert live["is_done"] == wanted.get("done", False)
    area = next(c for c in board.columns if c.title == "Area")
    live_dropdown = _active(area.settings["labels"], by_index=False)
    assert [label["label"] for label in live_dropdown] == [label["label"] for label in dropdown]
    assert world.plan(path).actions == ()


def _texts(labels: list[dict[str, Any]], *, by_index: bool) -> list[str]:
    return [label["label"] for label in _active(labels, by_index=by_index)]


def test_a_live_order_that_differs_is_planned_as_a_reorder_and_applied(world: World) -> None:
    base = world.write(manifest(*_base()))
    assert world.apply(base, allow_destroy=True).ok
    status, dropdown = _base()
    _move(status, "Review", before="Done")
    _move(dropdown, "Ops", before="Web")
    path = world.write(manifest(status, dropdown))

    plan = world.plan(path)
    reorders = {
        (a.address, a.before, a.after) for a in plan.actions if isinstance(a, ReorderLabels)
    }
    assert reorders == {
        (
            "board.long.column.status",
            ("Working on it", "Done", "Stuck", "Review", "Later", "Ideas"),
            ("Working on it", "Review", "Done", "Stuck", "Later", "Ideas"),
        ),
        (
            "board.long.column.Area",
            ("Web", "API", "Mobile", "Data", "Ops"),
            ("Ops", "Web", "API", "Mobile", "Data"),
        ),
    }
    text = render_text(plan.to_dict(), color=False)
    assert (
        "~ board.long.column.status: reorder labels [Working on it, Done, Stuck, Review, "
        "Later, Ideas] -> [Working on it, Review, Done, Stuck, Later, Ideas]"
    ) in text

    assert world.apply(path).ok
    board = world.board(BOARD)
    assert _texts(board.column("status").settings["labels"], by_index=True) == [
        "Working on it",
        "Review",
        "Done",
        "Stuck",
        "Later",
        "Ideas",
    ]
    area = next(c for c in board.columns if c.title == "Area")
    assert _texts(area.settings["labels"], by_index=False) == [
        "Ops",
        "Web",
        "API",
        "Mobile",
        "Data",
    ]
    assert world.plan(path).actions == ()


def test_labels_in_the_declared_order_plan_no_changes_whatever_the_deactivated_ones(
    world: World,
) -> None:
    # The seeded column holds a deactivated label ("Old", between the others by index).
    base = world.write(manifest(*_base()))
    assert world.apply(base, allow_destroy=True).ok
    assert world.plan(base).actions == ()


DEACTIVATE_AND_WRITE = """
version: 1
boards:
  - name: Tickets
    key: tickets
    prune: true
    groups: [{{key: main, title: Main}}]
    columns:
      - id: status
        title: Status
        type: status
        labels: [{labels}]
    items:
      rows:
        - {{name: One, values: {{status: {value}}}}}
"""


def test_a_label_deactivated_while_items_are_written_is_the_same_single_update(
    world: World,
) -> None:
    first = DEACTIVATE_AND_WRITE.format(labels="To do, Doing, Done", value="Doing")
    assert world.apply(world.write(first), allow_destroy=True).ok
    changed = DEACTIVATE_AND_WRITE.format(labels="Queued, To do, Done", value="Queued")
    path = world.write(changed)
    world.sandbox.counters.reset()
    result = world.apply(path, allow_destroy=True)
    assert result.ok, result.failures
    assert world.sandbox.counters.root_fields.get("update_status_column") == 1
    labels = world.board("Tickets").column("status").settings["labels"]
    assert _texts(labels, by_index=True) == ["Queued", "To do", "Done"]
    assert world.plan(path).actions == ()
