"""Ordering: parents before children, removals children first, ties by address."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from boardops.errors import DependencyCycle, UnsafePlan
from boardops.plan import (
    ArchiveGroup,
    ArchiveItem,
    CreateItem,
    DeactivateStatusLabel,
    GroupPosition,
    ItemColumn,
    MoveGroup,
    MoveItem,
    ObjectRef,
    Plan,
    RenameStatusLabel,
    ReorderLabels,
    build_plan,
    check_destroy,
    order_actions,
)
from tests.support.scenarios import rich_scenario


def addresses(plan: Plan) -> list[str]:
    return [f"{type(a).__name__} {a.address}" for a in plan.actions]


def test_rich_plan_runs_in_dependency_order() -> None:
    plan = build_plan(*rich_scenario())
    assert addresses(plan) == [
        "CreateWorkspace workspace.eng",
        "UpdateWorkspace workspace.ops",
        "AdoptWorkspace workspace.vault",
        "AdoptBoard board.archive",
        "MoveBoard board.archive",
        "CreateColumn board.archive.column.ref",
        "AdoptItem board.archive.item[A-1]",
        "UpdateItem board.archive.item[A-1]",
        "CreateBoard board.notes",
        "CreateBoard board.roadmap",
        "CreateColumn board.roadmap.column.status",
        "CreateColumn board.roadmap.column.Quarter",
        "CreateGroup board.roadmap.group.now",
        "CreateGroup board.roadmap.group.later",
        "CreateItem board.roadmap.item[Search v2]",
        "UpdateBoard board.sprint",
        "ReplaceColumn board.sprint.column.Due",
        "UpdateColumn board.sprint.column.estimate",
        "UpdateColumnSettings board.sprint.column.estimate",
        "CreateColumn board.sprint.column.notes",
        "RenameDropdownLabel board.sprint.column.area.label[Frontend]",
        "AddDropdownLabel board.sprint.column.area.label[Infra]",
        "DeactivateDropdownLabel board.sprint.column.area.label[Mobile]",
        "ReactivateDropdownLabel board.sprint.column.area.label[Ops]",
        "ReorderLabels board.sprint.column.status",
        "RenameStatusLabel board.sprint.column.status.label[Blocked]",
        "UpdateStatusLabel board.sprint.column.status.label[Done]",
        "RenameStatusLabel board.sprint.column.status.label[In progress]",
        "AddStatusLabel board.sprint.column.status.label[Review]",
        "DeactivateStatusLabel board.sprint.column.status.label[Waiting]",
        "UpdateGroup board.sprint.group.doing",
        "CreateGroup board.sprint.group.review",
        "MoveGroup board.sprint.group.done",
        "AddBoardSubscribers board.sprint.subscribers",
        "MoveItem board.sprint.item[ENG-1]",
        "UpdateItem board.sprint.item[ENG-2]",
        "CreateItem board.sprint.item[ENG-3]",
        "ArchiveItem board.sprint.item[ENG-9]",
        "DeleteColumn board.sprint.column.legacy",
        "ArchiveGroup board.sprint.group.g_old",
    ]


# Builds the rich plan and prints it in every view, each after a marker line.
_RENDER_EVERY_VIEW = """
from boardops.plan import build_plan
from boardops.views import render_json, render_markdown, render_text
from tests.support.scenarios import rich_scenario

plan = build_plan(*rich_scenario()).to_dict()
print("=== text"); print(render_text(plan, color=False))
print("=== color"); print(render_text(plan, color=True))
print("=== markdown"); print("\\n".join(render_markdown(plan)))
print("=== json"); print(render_json(plan))
"""


def test_two_runs_give_byte_identical_plans() -> None:
    """Two processes with different hash seeds (so any order taken from a set or from
    hashing differs between them) print the same bytes in every view."""
    root = Path(__file__).resolve().parent.parent
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", _RENDER_EVERY_VIEW],
            cwd=root,
            env=env,
            capture_output=True,
            check=True,
        )
        outputs.append(run.stdout)
    first, second = outputs
    for view in (b"text", b"color", b"markdown", b"json"):
        assert b"=== " + view + b"\n" in first
    assert first == second


def test_order_does_not_depend_on_the_order_actions_were_found() -> None:
    actions = build_plan(*rich_scenario()).actions
    assert order_actions(tuple(reversed(actions))) == actions


def test_group_is_archived_after_its_items_are_archived_and_moved_out() -> None:
    archive_group = ArchiveGroup("board.b.group.old", board_id="1", group_id="old", title="Old")
    archive_item = ArchiveItem("board.b.item[X]", board_id="1", item_id="9", name="X")
    move_item = MoveItem(
        "board.b.item[Y]",
        board_id="1",
        item_id="8",
        from_group_id="old",
        to_group=ObjectRef("board.b.group.new", "new"),
    )
    assert order_actions((archive_group, move_item, archive_item)) == (
        move_item,
        archive_item,
        archive_group,
    )


def test_every_label_change_of_a_column_deactivations_included_comes_before_its_item_writes() -> (
    None
):
    column = ItemColumn("status", ObjectRef("board.b.column.status", "status"), "status")
    create = CreateItem(
        "board.b.item[A]",
        board=ObjectRef("board.b", "1"),
        name="A",
        match_by=("name",),
        match_key="A",
        values={"status": "Shipped"},
        columns=(column,),
    )
    rename = RenameStatusLabel(
        "board.b.column.status.label[Shipped]",
        board_id="1",
        column_id="status",
        revision="1",
        label_id=1,
        before="Done",
        after="Shipped",
    )
    deactivate = DeactivateStatusLabel(
        "board.b.column.status.label[Aaa]",
        board_id="1",
        column_id="status",
        revision="1",
        label_id=2,
        label="Aaa",
    )
    assert order_actions((create, rename, deactivate)) == (deactivate, rename, create)


def test_label_actions_of_one_column_are_consecutive_whatever_the_other_column_keys() -> None:
    def rename(column: str, label: str) -> RenameStatusLabel:
        return RenameStatusLabel(
            f"board.b.column.{column}.label[{label}]",
            board_id="1",
            column_id=column,
            revision="1",
            label_id=1,
            before="Old",
            after=label,
        )

    # "Status 2" sorts between "Status" and "Status.label[...]" as a plain address.
    reorder = ReorderLabels(
        "board.b.column.Status",
        board_id="1",
        column_id="s1",
        revision="1",
        column_type="status",
        before=("A", "B"),
        after=("B", "A"),
    )
    other = rename("Status 2", "X")
    same = rename("Status", "A")
    ordered = order_actions((same, other, reorder))
    assert ordered.index(same) == ordered.index(reorder) + 1


def test_dependency_cycle_names_its_path() -> None:
    def move(name: str, anchor: str) -> MoveGroup:
        return MoveGroup(
            f"board.b.group.{name}",
            board_id="1",
            group_id=name,
            position=GroupPosition("after", ObjectRef(f"board.b.group.{anchor}", anchor)),
        )

    with pytest.raises(DependencyCycle) as caught:
        order_actions((move("a", "b"), move("b", "a")))
    assert caught.value.path in (
        ("board.b.group.a", "board.b.group.b", "board.b.group.a"),
        ("board.b.group.b", "board.b.group.a", "board.b.group.b"),
    )
    assert str(caught.value).startswith("dependency cycle: board.b.group.")


def test_destructive_plan_needs_explicit_permission() -> None:
    plan = build_plan(*rich_scenario())
    with pytest.raises(UnsafePlan, match="--allow-destroy"):
        check_destroy(plan, allow_destroy=False)
    check_destroy(plan, allow_destroy=True)
    with pytest.raises(UnsafePlan, match="more than the limit of 2"):
        check_destroy(plan, allow_destroy=True, max_destroy=2)


def test_plan_without_removals_passes_the_destroy_guard() -> None:
    check_destroy(Plan(actions=()), allow_destroy=False)
