"""Status label colours on long-lived boards (recorded behaviour, sections 1 and 2): label
ids and colour ids drift apart, a new label's colour must be unused by name and by id, and
monday's reserved default label (id 5) is never touched."""

from __future__ import annotations

import pytest

from boardops.errors import PlanError
from boardops.model import STATUS_COLOR_IDS, Column, StatusLabel
from boardops.plan import (
    AddStatusLabel,
    DeactivateStatusLabel,
    RenameStatusLabel,
    UpdateStatusLabel,
)
from tests.test_plan_diff import desired_board, kinds, live_board, plan_for


def drifted(*labels: StatusLabel) -> Column:
    return Column(title="Status", type="status", id="status", revision="9", status_labels=labels)


# As recorded: id 7 has colour done_green (1), id 11 stuck_red (2), id 12 sunset (101);
# id 5 is monday's blank default label; id 0 was recoloured to bright_blue (7).
LIVE = drifted(
    StatusLabel("Working on it", color="bright_blue", id=0, index=0),
    StatusLabel("", color="explosive", id=5, index=1),
    StatusLabel("Code Review Me", color="done_green", id=7, index=2),
    StatusLabel("Stuck", color="stuck_red", id=11, index=3),
    StatusLabel("Old", color="sunset", id=12, index=4, deactivated=True),
)


def wanted(*extra: StatusLabel) -> Column:
    kept = (StatusLabel("Working on it"), StatusLabel("Code Review Me"), StatusLabel("Stuck"))
    return Column(title="Status", type="status", id="status", status_labels=(*kept, *extra))


def added_colours(column: Column, live: Column = LIVE) -> dict[str, str]:
    """New label -> the colour planned for it."""
    plan = plan_for(desired_board(columns=(column,)), live_board(columns=(live,)))
    return {a.label.label: a.label.color for a in plan.actions if isinstance(a, AddStatusLabel)}


def test_a_new_label_gets_a_colour_unused_by_name_and_whose_id_is_no_label_id() -> None:
    colours = added_colours(wanted(StatusLabel("Review"), StatusLabel("Blocked")))
    # The column has drifted (ids are not their colours' ids), so a removed label may hide
    # behind any id up to 12: the colours chosen come after it.
    assert colours == {"Review": "lipstick", "Blocked": "dark_purple"}
    for colour in colours.values():
        assert STATUS_COLOR_IDS[colour] not in {0, 5, 7, 11, 12}


def test_on_a_column_that_never_drifted_the_first_free_colour_is_taken() -> None:
    fresh = drifted(
        StatusLabel("Working on it", color="working_orange", id=0, index=0),
        StatusLabel("Done", color="done_green", id=1, index=1),
        StatusLabel("Stuck", color="stuck_red", id=2, index=2),
    )
    column = Column(
        title="Status",
        type="status",
        id="status",
        status_labels=(
            StatusLabel("Working on it"),
            StatusLabel("Done"),
            StatusLabel("Stuck"),
            StatusLabel("Review"),
        ),
    )
    assert added_colours(column, fresh) == {"Review": "dark_blue"}


def test_a_deactivated_labels_colour_and_id_stay_taken() -> None:
    labels = [StatusLabel(f"L{i}") for i in range(9)]
    colours = set(added_colours(wanted(*labels)).values())
    assert "sunset" not in colours  # the deactivated label's colour
    assert all(STATUS_COLOR_IDS[c] > 12 for c in colours)  # id 12: the deactivated label


@pytest.mark.parametrize(
    ("colour", "conflict"),
    [
        ("done_green", "the live label 'Code Review Me' has it"),
        ("working_orange", "its id 0 is the id of the live label 'Working on it'"),
        ("sofia_pink", "its id 12 is the id of the deactivated live label 'Old'"),
        ("explosive", "the live label '' has it"),
    ],
)
def test_a_manifest_colour_taken_for_a_new_label_stops_the_plan(colour: str, conflict: str) -> None:
    with pytest.raises(PlanError) as caught:
        added_colours(wanted(StatusLabel("Review", color=colour)))
    message = str(caught.value)
    assert "board.b.column.status.label[Review]" in message
    assert f"cannot have colour {colour}: {conflict}" in message


def test_a_free_manifest_colour_for_a_new_label_is_sent_as_its_name() -> None:
    assert added_colours(wanted(StatusLabel("Review", color="dark_blue"))) == {
        "Review": "dark_blue"
    }


def test_the_reserved_default_label_is_never_renamed_recoloured_or_deactivated() -> None:
    named = drifted(
        StatusLabel("Default", color="explosive", id=5, index=0),
        StatusLabel("Done", color="done_green", id=7, index=1),
    )
    pruned = desired_board(
        prune=True,
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                status_labels=(
                    StatusLabel("Fresh", previous_labels=("Default",)),
                    StatusLabel("Done", color="explosive"),
                ),
            ),
        ),
    )
    plan = plan_for(pruned, live_board(columns=(named,)))
    touching_5 = [
        a
        for a in plan.actions
        if isinstance(a, (RenameStatusLabel, UpdateStatusLabel, DeactivateStatusLabel))
        and a.label_id == 5
    ]
    assert touching_5 == []
    # "Fresh" is a new label rather than a rename of label 5; "Done" cannot be recoloured
    # to label 5's colour, which is a warning (the colour belongs to label 5).
    assert ("AddStatusLabel", "board.b.column.status.label[Fresh]") in kinds(plan.actions)
    same_text = desired_board(
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                status_labels=(StatusLabel("Default", color="purple", done=True),),
            ),
        )
    )
    plan = plan_for(same_text, live_board(columns=(named,)))
    assert [a for a in plan.actions if getattr(a, "label_id", None) == 5] == []
    assert any("reserved default label" in w for w in plan.warnings)


def test_the_blank_default_label_is_not_reported_or_pruned() -> None:
    plan = plan_for(desired_board(prune=True, columns=(wanted(),)), live_board(columns=(LIVE,)))
    assert not any(a.address.endswith("label[]") for a in plan.actions)
    assert not any(u.address.endswith("label[]") for u in plan.unmanaged)
