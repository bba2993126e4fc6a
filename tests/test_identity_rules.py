"""The identity rules of ``boardops.identity``, one kind at a time (the end-to-end cases
are in test_identity.py)."""

from __future__ import annotations

import pytest

from boardops.errors import AmbiguousMatch
from boardops.identity import (
    lost_column,
    lost_group,
    lost_workspace,
    match_key_parts,
    match_labels,
    match_named,
    match_titled,
)
from boardops.model import Column, Group, StatusLabel, Workspace


def test_a_pinned_id_matches_only_that_id_and_a_title_match_skips_a_taken_column() -> None:
    wanted = [
        Column(title="Same", type="text"),
        Column(title="Other", type="text", id="x"),
    ]
    live = [Column(title="Same", type="text", id="x")]
    assert match_titled(wanted, live, lambda c: c.key) == [None, live[0]]


def test_a_previous_title_is_tried_after_the_title() -> None:
    wanted = [Group(key="g", title="New", previous_titles=("Old",))]
    live = [Group(key="1", title="Old", id="1")]
    assert match_titled(wanted, live, lambda g: g.key) == [live[0]]


def test_two_live_objects_with_the_title_are_ambiguous() -> None:
    wanted = [Group(key="g", title="Twin")]
    live = [Group(key="1", title="Twin", id="1"), Group(key="2", title="Twin", id="2")]
    with pytest.raises(AmbiguousMatch, match=r"^board\.b\.group\.g: ambiguous.*ids 1, 2"):
        match_titled(wanted, live, lambda g: f"board.b.group.{g.key}")


def test_the_name_and_a_previous_name_both_present_are_ambiguous() -> None:
    listed = [Workspace(key="1", name="New", id="1"), Workspace(key="2", name="Old", id="2")]
    with pytest.raises(AmbiguousMatch) as caught:
        match_named("workspace.w", "workspace", "New", ("Old",), listed, "on this account")
    assert caught.value.ids == ("1", "2")
    assert "which one to keep is ambiguous" in str(caught.value)


def test_a_previous_name_finds_the_one_renamed() -> None:
    listed = [Workspace(key="2", name="Old", id="2")]
    found = match_named("workspace.w", "workspace", "New", ("Old",), listed, "here")
    assert found is listed[0]


def test_a_status_label_is_found_by_text_then_previous_text_then_colour() -> None:
    live = [StatusLabel("Done", color="green", id=1), StatusLabel("Stuck", color="red", id=2)]
    wanted = [
        StatusLabel("Finished", color="green", previous_labels=("Done",)),
        StatusLabel("Blocked", color="red"),
    ]
    assert match_labels(wanted, live, reserved_id=5) == live


def test_an_item_key_has_the_name_as_written_and_an_empty_part_for_no_value() -> None:
    column = Column(title="Code", type="text", id="code")
    values = {"code": (column, None)}
    assert match_key_parts(("name", "code"), "Task", values.__getitem__) == ("Task", "")


def test_after_a_lost_answer_the_newest_unclaimed_column_with_title_and_type_is_found() -> None:
    columns = [
        {"id": "a", "title": "T", "type": "text"},
        {"id": "b", "title": "T", "type": "text"},
        {"id": "c", "title": "T", "type": "text"},
    ]
    assert lost_column(columns, None, "T", "text", taken={"c"}) == columns[1]
    assert lost_column(columns, "a", "T", "text", taken=()) == columns[0]
    assert lost_group([{"id": "g1", "title": "G"}], "G", taken={"g1"}) is None
    assert lost_workspace([{"name": "W"}, {"name": "W"}], "W") is None
