"""The diff, case by case: what each difference between manifest and monday becomes."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from boardops.errors import AmbiguousMatch, PlanError
from boardops.model import (
    Board,
    BoardContents,
    Column,
    DesiredState,
    DropdownLabel,
    Group,
    Item,
    ItemSet,
    LiveState,
    StatusLabel,
    Workspace,
)
from boardops.plan import (
    Action,
    AddStatusLabel,
    ArchiveGroup,
    ArchiveItem,
    CreateBoard,
    CreateColumn,
    CreateGroup,
    CreateItem,
    DeactivateStatusLabel,
    DeleteColumn,
    FieldChange,
    GroupPosition,
    ItemColumn,
    MoveGroup,
    MoveItem,
    ObjectRef,
    Plan,
    PlanOptions,
    RenameDropdownLabel,
    RenameStatusLabel,
    ReplaceColumn,
    StatusLabelSpec,
    UpdateBoard,
    UpdateColumn,
    UpdateGroup,
    UpdateItem,
    UpdateStatusLabel,
    UpdateWorkspace,
    build_plan,
)
from tests.support.scenarios import NAME_COLUMN, live_label

STATUS = Column(
    title="Status",
    type="status",
    id="status",
    status_labels=(StatusLabel("Done", color="done_green", done=True),),
)
LIVE_STATUS = Column(
    title="Status",
    type="status",
    id="status",
    revision="3",
    status_labels=(live_label("Done", "done_green", 0, done=True),),
)


def desired_board(**fields: object) -> Board:
    base: dict[str, object] = {"key": "b", "name": "Board", "groups": (Group("main", "Main"),)}
    base.update(fields)
    return Board(**base)  # type: ignore[arg-type]


def live_board(**fields: object) -> Board:
    base: dict[str, object] = {
        "key": "b",
        "id": "100",
        "name": "Board",
        "updated_at": "2026-11-20T00:00:00Z",
        "groups": (Group("g1", "Main", id="g1"),),
    }
    base.update(fields)
    columns = base.get("columns", ())
    assert isinstance(columns, tuple)
    base["columns"] = (NAME_COLUMN, *columns)
    return Board(**base)  # type: ignore[arg-type]


def plan_for(wanted: Board, found: Board | None, **options: bool) -> Plan:
    return build_plan(
        DesiredState(boards=(wanted,), digest="d"),
        LiveState(boards={wanted.key: found}),
        options=PlanOptions(**options),
    )


def kinds(actions: Sequence[Action]) -> list[tuple[str, str]]:
    return [(type(a).__name__, a.address) for a in actions]


# --- boards and workspaces ------------------------------------------------------------


def test_identical_board_plans_no_changes() -> None:
    wanted = desired_board(columns=(STATUS,))
    plan = plan_for(wanted, live_board(columns=(LIVE_STATUS,)))
    assert plan.actions == ()
    assert not plan.has_changes
    assert plan.unmanaged == ()
    assert plan.warnings == ()


def test_new_board_creates_board_then_columns_groups_and_items_in_order() -> None:
    wanted = desired_board(
        columns=(STATUS, Column(title="Points", type="numbers", id="points")),
        groups=(Group("main", "Main"), Group("later", "Later")),
        items=ItemSet(rows=(Item("Task", group="later", values={"points": "2.50"}),)),
    )
    plan = plan_for(wanted, None)
    assert kinds(plan.actions) == [
        ("CreateBoard", "board.b"),
        # "points" sorts first, but it is created after "status", its left neighbour
        ("CreateColumn", "board.b.column.status"),
        ("CreateColumn", "board.b.column.points"),
        ("CreateGroup", "board.b.group.main"),
        ("CreateGroup", "board.b.group.later"),
        ("CreateItem", "board.b.item[Task]"),
    ]
    points = plan.actions[2]
    assert isinstance(points, CreateColumn)
    assert points.board == ObjectRef("board.b", None)
    assert points.after == ObjectRef("board.b.column.status", None)
    item = plan.actions[-1]
    assert isinstance(item, CreateItem)
    assert item.values == {"points": "2.5"}
    assert item.group == ObjectRef("board.b.group.later", None)
    assert item.columns == (ItemColumn("points", ObjectRef("board.b.column.points"), "numbers"),)
    assert (item.match_by, item.match_key) == (("name",), "Task")


def test_board_renamed_through_previous_names_is_an_update() -> None:
    wanted = desired_board(name="Platform", previous_names=("Board",))
    plan = plan_for(wanted, live_board())
    assert plan.actions == (
        UpdateBoard("board.b", board_id="100", changes=(FieldChange("name", "Board", "Platform"),)),
    )


def test_unset_board_description_is_left_alone() -> None:
    plan = plan_for(desired_board(), live_board(description="Written on monday"))
    assert plan.actions == ()


def test_board_kind_difference_is_a_warning_not_an_action() -> None:
    plan = plan_for(desired_board(kind="private"), live_board(kind="public"))
    assert plan.actions == ()
    assert "cannot change a board's kind" in plan.warnings[0]


def test_workspace_rename_is_an_update_and_a_missing_one_is_created() -> None:
    desired = DesiredState(
        workspaces=(Workspace("eng", "Engineering"), Workspace("ops", "Ops", kind="closed"))
    )
    live = LiveState(workspaces={"eng": Workspace("eng", "Eng", id="5"), "ops": None})
    plan = build_plan(desired, live)
    assert kinds(plan.actions) == [
        ("UpdateWorkspace", "workspace.eng"),
        ("CreateWorkspace", "workspace.ops"),
    ]
    update = next(a for a in plan.actions if isinstance(a, UpdateWorkspace))
    assert update.changes == (FieldChange("name", "Eng", "Engineering"),)


# --- columns ---------------------------------------------------------------------------


def test_column_rename_through_previous_titles_is_an_in_place_update() -> None:
    wanted = desired_board(
        columns=(Column(title="Effort", type="numbers", previous_titles=("Points",)),)
    )
    found = live_board(
        columns=(Column(title="Points", type="numbers", id="numbers1", revision="9"),)
    )
    plan = plan_for(wanted, found)
    assert plan.actions == (
        UpdateColumn(
            "board.b.column.Effort",
            board_id="100",
            column_id="numbers1",
            revision="9",
            changes=(FieldChange("title", "Points", "Effort"),),
        ),
    )


def test_column_type_change_is_a_destructive_replacement() -> None:
    wanted = desired_board(columns=(Column(title="Due", type="date"),))
    found = live_board(columns=(Column(title="Due", type="text", id="text7", revision="1"),))
    (action,) = plan_for(wanted, found).actions
    assert isinstance(action, ReplaceColumn)
    assert (action.column_id, action.before_type, action.spec.type) == ("text7", "text", "date")
    assert action.destructive
    assert action.kind == "replace"


def test_new_column_is_created_after_its_neighbour_in_the_manifest() -> None:
    wanted = desired_board(
        columns=(STATUS, Column(title="Notes", type="text", id="notes")),
    )
    (action,) = plan_for(wanted, live_board(columns=(LIVE_STATUS,))).actions
    assert isinstance(action, CreateColumn)
    assert action.after == ObjectRef("board.b.column.status", "status")
    assert action.board == ObjectRef("board.b", "100")


def test_live_column_absent_from_manifest_is_unmanaged_without_prune() -> None:
    found = live_board(columns=(LIVE_STATUS, Column(title="Old", type="text", id="old")))
    plan = plan_for(desired_board(columns=(STATUS,)), found)
    assert plan.actions == ()
    assert [(u.address, u.kind) for u in plan.unmanaged] == [("board.b.column.old", "column")]


def test_live_column_absent_from_manifest_is_deleted_with_prune() -> None:
    found = live_board(columns=(LIVE_STATUS, Column(title="Old", type="text", id="old")))
    plan = plan_for(desired_board(columns=(STATUS,), prune=True), found)
    assert plan.actions == (
        DeleteColumn(
            "board.b.column.old", board_id="100", column_id="old", title="Old", column_type="text"
        ),
    )
    assert plan.is_destructive


def test_column_of_unmanaged_type_is_reported_once_and_never_pruned() -> None:
    found = live_board(columns=(Column(title="Sum", type="formula", id="f1"),))
    plan = plan_for(desired_board(prune=True), found)
    assert plan.actions == ()
    assert len(plan.unmanaged) == 1
    assert "formula" in plan.unmanaged[0].reason


def test_name_column_is_never_reported() -> None:
    plan = plan_for(desired_board(prune=True), live_board())
    assert plan.actions == ()
    assert plan.unmanaged == ()


def test_existing_columns_out_of_order_give_a_warning_not_an_action() -> None:
    a = Column(title="A", type="text", id="a")
    b = Column(title="B", type="text", id="b")
    plan = plan_for(desired_board(columns=(a, b)), live_board(columns=(b, a)))
    assert plan.actions == ()
    assert "cannot reorder existing columns" in plan.warnings[0]


def test_two_live_columns_with_the_matched_title_are_ambiguous() -> None:
    found = live_board(
        columns=(
            Column(title="Due", type="date", id="d1"),
            Column(title="Due", type="date", id="d2"),
        )
    )
    with pytest.raises(AmbiguousMatch, match="d1, d2"):
        plan_for(desired_board(columns=(Column(title="Due", type="date"),)), found)


# --- labels ----------------------------------------------------------------------------


def test_label_rename_is_an_in_place_update_that_keeps_item_values() -> None:
    wanted = desired_board(
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                status_labels=(StatusLabel("Complete", done=True, previous_labels=("Done",)),),
            ),
        ),
        items=ItemSet(rows=(Item("Task", group="main", values={"status": "Complete"}),)),
    )
    found = live_board(
        columns=(LIVE_STATUS,),
        items=ItemSet(rows=(Item("Task", id="1", group="g1", values={"status": "Done"}),)),
    )
    plan = plan_for(wanted, found)
    assert plan.actions == (
        RenameStatusLabel(
            "board.b.column.status.label[Complete]",
            board_id="100",
            column_id="status",
            revision="3",
            label_id=1,
            before="Done",
            after="Complete",
        ),
    )


def test_status_label_is_matched_by_colour_when_its_text_changed() -> None:
    wanted = desired_board(
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                status_labels=(StatusLabel("Shipped", color="done_green", done=True),),
            ),
        )
    )
    (action,) = plan_for(wanted, live_board(columns=(LIVE_STATUS,))).actions
    assert isinstance(action, RenameStatusLabel)
    assert (action.before, action.after, action.label_id) == ("Done", "Shipped", 1)


def test_status_label_attributes_change_in_place_and_a_hidden_label_is_reactivated() -> None:
    wanted = desired_board(
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                status_labels=(StatusLabel("Done", color="bright_green", description="Shipped"),),
            ),
        )
    )
    found = live_board(
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                revision="3",
                status_labels=(live_label("Done", "done_green", 0, done=True, deactivated=True),),
            ),
        )
    )
    (action,) = plan_for(wanted, found).actions
    assert isinstance(action, UpdateStatusLabel)
    assert action.changes == (
        FieldChange("color", "done_green", "bright_green"),
        FieldChange("done", True, False),
        FieldChange("description", None, "Shipped"),
        FieldChange("deactivated", True, False),
    )


def test_new_status_label_without_colour_gets_the_first_free_colour() -> None:
    wanted = desired_board(
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                status_labels=(
                    StatusLabel("Done", color="done_green", done=True),
                    StatusLabel("Doing"),
                ),
            ),
        )
    )
    found = live_board(
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                revision="3",
                status_labels=(
                    live_label("Done", "done_green", 0, done=True),
                    live_label("Old", "working_orange", 1, deactivated=True),
                ),
            ),
        )
    )
    (action,) = plan_for(wanted, found).actions
    assert isinstance(action, AddStatusLabel)
    assert action.label == StatusLabelSpec("Doing", "stuck_red", False, None)


def test_unlisted_status_label_is_unmanaged_or_deactivated_with_prune() -> None:
    found = live_board(
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                revision="3",
                status_labels=(
                    live_label("Done", "done_green", 0, done=True),
                    live_label("Stuck", "stuck_red", 1),
                ),
            ),
        )
    )
    kept = plan_for(desired_board(columns=(STATUS,)), found)
    assert kept.actions == ()
    assert [u.kind for u in kept.unmanaged] == ["status_label"]
    pruned = plan_for(desired_board(columns=(STATUS,), prune=True), found)
    assert kinds(pruned.actions) == [
        ("DeactivateStatusLabel", "board.b.column.status.label[Stuck]")
    ]
    assert isinstance(pruned.actions[0], DeactivateStatusLabel)
    assert pruned.actions[0].label_id == 2


def test_dropdown_label_rename_keeps_item_values() -> None:
    wanted = desired_board(
        columns=(
            Column(
                title="Area",
                type="dropdown",
                id="area",
                dropdown_labels=(
                    DropdownLabel("Apps", previous_labels=("Web",)),
                    DropdownLabel("Backend"),
                ),
            ),
        ),
        # the live value reads ["Backend", "Apps"] after the rename: equal as a set
        items=ItemSet(rows=(Item("Task", values={"area": ["Backend", "Apps"]}),)),
    )
    found = live_board(
        columns=(
            Column(
                title="Area",
                type="dropdown",
                id="area",
                revision="2",
                dropdown_labels=(DropdownLabel("Web", id=1), DropdownLabel("Backend", id=2)),
            ),
        ),
        items=ItemSet(
            rows=(Item("Task", id="1", group="g1", values={"area": ["Backend", "Web"]}),)
        ),
    )
    (action,) = plan_for(wanted, found).actions
    assert action == RenameDropdownLabel(
        "board.b.column.area.label[Apps]",
        board_id="100",
        column_id="area",
        revision="2",
        label_id=1,
        before="Web",
        after="Apps",
    )


# --- groups ----------------------------------------------------------------------------


def groups(*titles: str) -> tuple[Group, ...]:
    return tuple(Group(t.lower(), t) for t in titles)


def live_groups(*titles: str) -> tuple[Group, ...]:
    return tuple(Group(f"g_{t.lower()}", t, id=f"g_{t.lower()}") for t in titles)


def test_group_order_is_restored_with_the_fewest_moves() -> None:
    plan = plan_for(
        desired_board(groups=groups("A", "B", "C", "D")),
        live_board(groups=live_groups("D", "A", "B", "C")),
    )
    assert plan.actions == (
        MoveGroup(
            "board.b.group.d",
            board_id="100",
            group_id="g_d",
            position=GroupPosition("after", ObjectRef("board.b.group.c", "g_c")),
        ),
    )


def test_group_moved_to_the_front_goes_before_the_first_group_that_stays() -> None:
    plan = plan_for(
        desired_board(groups=groups("C", "A", "B")),
        live_board(groups=live_groups("A", "B", "C")),
    )
    (move,) = plan.actions
    assert isinstance(move, MoveGroup)
    assert move.position == GroupPosition("before", ObjectRef("board.b.group.a", "g_a"))


def test_new_group_is_placed_after_its_predecessor() -> None:
    plan = plan_for(
        desired_board(groups=groups("A", "New", "B")),
        live_board(groups=live_groups("A", "B")),
    )
    (create,) = plan.actions
    assert isinstance(create, CreateGroup)
    assert create.position == GroupPosition("after", ObjectRef("board.b.group.a", "g_a"))


def test_group_rename_through_previous_titles_is_an_update() -> None:
    wanted = desired_board(groups=(Group("doing", "In progress", previous_titles=("Doing",)),))
    plan = plan_for(wanted, live_board(groups=live_groups("Doing")))
    assert plan.actions == (
        UpdateGroup(
            "board.b.group.doing",
            board_id="100",
            group_id="g_doing",
            changes=(FieldChange("title", "Doing", "In progress"),),
        ),
    )


def test_mondays_untouched_default_group_becomes_the_first_declared_group() -> None:
    wanted = desired_board(groups=(Group("backlog", "Backlog"), Group("done", "Done")))
    plan = plan_for(wanted, live_board(groups=(Group("topics", "Group Title", id="topics"),)))
    assert kinds(plan.actions) == [
        ("UpdateGroup", "board.b.group.backlog"),
        ("CreateGroup", "board.b.group.done"),
    ]
    assert plan.actions[0] == UpdateGroup(
        "board.b.group.backlog",
        board_id="100",
        group_id="topics",
        changes=(FieldChange("title", "Group Title", "Backlog"),),
    )


def test_a_default_titled_group_is_not_adopted_when_other_groups_match() -> None:
    found = live_board(groups=live_groups("Group Title", "Done"))
    wanted = desired_board(groups=(Group("backlog", "Backlog"), Group("done", "Done")))
    plan = plan_for(wanted, found)
    assert ("CreateGroup", "board.b.group.backlog") in kinds(plan.actions)
    assert [u.address for u in plan.unmanaged] == ["board.b.group.g_group title"]


def test_unlisted_group_is_archived_only_with_prune() -> None:
    found = live_board(groups=live_groups("Main", "Old"), contents=BoardContents())
    assert plan_for(desired_board(), found).actions == ()
    pruned = plan_for(desired_board(prune=True), found)
    assert pruned.actions == (
        ArchiveGroup("board.b.group.g_old", board_id="100", group_id="g_old", title="Old", items=0),
    )


# --- items -----------------------------------------------------------------------------

POINTS = Column(title="Points", type="numbers", id="points")
NOTES = Column(title="Notes", type="text", id="notes")


def item_board(rows: Sequence[Item], **itemset: object) -> Board:
    return desired_board(
        columns=(POINTS, NOTES),
        items=ItemSet(rows=tuple(rows), **itemset),  # type: ignore[arg-type]
    )


def live_item_board(rows: Sequence[Item]) -> Board:
    return live_board(columns=(POINTS, NOTES), items=ItemSet(rows=tuple(rows)))


def test_equivalent_values_are_not_changes() -> None:
    plan = plan_for(
        item_board([Item("T", values={"points": 3.0})]),
        live_item_board([Item("T", id="1", group="g1", values={"points": "3"})]),
    )
    assert plan.actions == ()


def test_item_update_carries_only_the_changed_values() -> None:
    plan = plan_for(
        item_board([Item("T", values={"points": 4, "notes": "same"})]),
        live_item_board([Item("T", id="1", group="g1", values={"points": "3", "notes": "same"})]),
    )
    assert plan.actions == (
        UpdateItem(
            "board.b.item[T]",
            board_id="100",
            item_id="1",
            changes=(FieldChange("points", "3", "4"),),
            columns=(
                ItemColumn("points", ObjectRef("board.b.column.points", "points"), "numbers"),
            ),
        ),
    )


def test_values_the_manifest_does_not_mention_are_left_alone() -> None:
    plan = plan_for(
        item_board([Item("T", values={"points": 3})]),
        live_item_board([Item("T", id="1", group="g1", values={"points": "3", "notes": "x"})]),
    )
    assert plan.actions == ()


def test_create_only_items_are_never_updated() -> None:
    plan = plan_for(
        item_board([Item("T", values={"points": 4}), Item("U")], mode="create_only"),
        live_item_board([Item("T", id="1", group="g1", values={"points": "3"})]),
    )
    assert kinds(plan.actions) == [("CreateItem", "board.b.item[U]")]


def test_item_in_another_group_is_moved() -> None:
    wanted = desired_board(
        groups=(Group("main", "Main"), Group("later", "Later")),
        items=ItemSet(rows=(Item("T", group="later"),)),
    )
    found = live_board(
        groups=live_groups("Main", "Later"),
        items=ItemSet(rows=(Item("T", id="1", group="g_main"),)),
    )
    assert plan_for(wanted, found).actions == (
        MoveItem(
            "board.b.item[T]",
            board_id="100",
            item_id="1",
            from_group_id="g_main",
            to_group=ObjectRef("board.b.group.later", "g_later"),
        ),
    )


def test_unlisted_items_are_unmanaged_unless_items_prune_is_set() -> None:
    live_rows = [Item("T", id="1", group="g1"), Item("Stray", id="2", group="g1")]
    kept = plan_for(item_board([Item("T")]), live_item_board(live_rows))
    assert kept.actions == ()
    assert [(u.address, u.kind) for u in kept.unmanaged] == [("board.b.item[Stray]", "item")]
    pruned = plan_for(item_board([Item("T")], prune=True), live_item_board(live_rows))
    assert pruned.actions == (
        ArchiveItem("board.b.item[Stray]", board_id="100", item_id="2", name="Stray"),
    )


def test_two_live_items_with_one_match_key_are_an_error_naming_both() -> None:
    live_rows = [Item("T", id="1", group="g1"), Item("T", id="2", group="g1")]
    with pytest.raises(AmbiguousMatch, match=r"board\.b\.item\[T\].*ids 1, 2"):
        plan_for(item_board([Item("T")]), live_item_board(live_rows))


def test_items_match_by_a_column_value_and_a_new_name_is_an_update() -> None:
    wanted = item_board([Item("New title", values={"notes": "ENG-1"})], match_by=("notes",))
    found = live_item_board([Item("Old title", id="1", group="g1", values={"notes": "ENG-1"})])
    (action,) = plan_for(wanted, found).actions
    assert isinstance(action, UpdateItem)
    assert action.address == "board.b.item[ENG-1]"
    assert action.changes == (FieldChange("name", "Old title", "New title"),)


def test_items_are_not_compared_when_the_board_declares_none() -> None:
    found = live_item_board([Item("Stray", id="2", group="g1")])
    plan = plan_for(desired_board(columns=(POINTS, NOTES)), found)
    assert plan.actions == ()
    assert plan.unmanaged == ()


def test_structure_only_option_skips_items() -> None:
    plan = plan_for(item_board([Item("T")]), live_item_board([]), compare_items=False)
    assert plan.actions == ()


def test_value_for_a_replaced_column_is_written_after_the_replacement() -> None:
    wanted = desired_board(
        columns=(Column(title="Due", type="date"),),
        items=ItemSet(rows=(Item("T", values={"Due": "2026-12-01"}),)),
    )
    found = live_board(
        columns=(Column(title="Due", type="text", id="due"),),
        items=ItemSet(rows=(Item("T", id="1", group="g1", values={"due": "soon"}),)),
    )
    plan = plan_for(wanted, found)
    assert kinds(plan.actions) == [
        ("ReplaceColumn", "board.b.column.Due"),
        ("UpdateItem", "board.b.item[T]"),
    ]
    update = plan.actions[1]
    assert isinstance(update, UpdateItem)
    assert update.changes == (FieldChange("Due", None, "2026-12-01"),)
    assert update.columns[0].column == ObjectRef("board.b.column.Due", None)


def test_new_board_without_groups_puts_items_in_the_first_group() -> None:
    wanted = desired_board(groups=(), items=ItemSet(rows=(Item("T"),)))
    plan = plan_for(wanted, None)
    assert isinstance(plan.actions[0], CreateBoard)
    create = plan.actions[1]
    assert isinstance(create, CreateItem)
    assert create.group is None


def test_a_colour_held_by_another_live_label_warns_on_a_recolour_and_stops_a_new_label() -> None:
    wanted = desired_board(
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                status_labels=(
                    StatusLabel("Done", color="done_green", done=True),
                    StatusLabel("Review", color="stuck_red"),
                ),
            ),
        )
    )
    found = live_board(
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                revision="3",
                status_labels=(
                    live_label("Done", "done_green", 0, done=True),
                    live_label("Stuck", "stuck_red", 1),
                ),
            ),
        )
    )
    plan = plan_for(wanted, found)
    # Matched by colour, "Stuck" becomes "Review": no conflict.
    assert kinds(plan.actions) == [("RenameStatusLabel", "board.b.column.status.label[Review]")]
    assert plan.warnings == ()
    clash = desired_board(
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                status_labels=(
                    StatusLabel("Done", color="done_green", done=True),
                    StatusLabel("Stuck"),
                    StatusLabel("Review", color="stuck_red"),
                ),
            ),
        )
    )
    # A new label: monday would refuse the whole column update, so nothing is sent.
    with pytest.raises(
        PlanError,
        match=r"label\[Review\]: the new label cannot have colour stuck_red: the live label "
        "'Stuck' has it",
    ):
        plan_for(clash, found)
    recolour = desired_board(
        columns=(
            Column(
                title="Status",
                type="status",
                id="status",
                status_labels=(
                    StatusLabel("Done", color="stuck_red", done=True),
                    StatusLabel("Stuck"),
                ),
            ),
        )
    )
    plan = plan_for(recolour, found)
    assert "colour stuck_red is held by the live label 'Stuck'" in plan.warnings[0]


def test_values_equal_in_python_but_of_other_types_are_normalised_each_on_their_own() -> None:
    # 1 == 1.0 == True: a value remembered for one must not stand in for the others.
    points = Column(title="Points", type="numbers", id="points")
    done = Column(title="Done", type="checkbox", id="done")

    def plan_rows(*rows: Item) -> Plan:
        return plan_for(desired_board(columns=(points, done), items=ItemSet(rows=rows)), None)

    first = Item("A", values={"points": 1, "done": True})
    with pytest.raises(PlanError, match=r"item\[B\]: column 'done': 1 is not a boolean"):
        plan_rows(first, Item("B", values={"done": 1}))
    with pytest.raises(PlanError, match=r"item\[C\]: column 'points'"):
        plan_rows(first, Item("C", values={"points": True}))
    plan = plan_rows(first, Item("D", values={"points": 1.0, "done": True}))
    values = [a.values for a in plan.actions if isinstance(a, CreateItem)]
    assert values == [{"points": "1", "done": True}, {"points": "1", "done": True}]


def test_a_pinned_monday_generated_column_id_is_matched_by_that_id() -> None:
    due = Column(title="Due date", type="date", id="date_mkx1abcd")
    found = live_board(columns=(Column(title="Deadline", type="date", id="date_mkx1abcd"),))
    plan = plan_for(desired_board(columns=(due,)), found)
    assert kinds(plan.actions) == [("UpdateColumn", "board.b.column.date_mkx1abcd")]


def test_a_missing_column_pinned_to_an_id_monday_cannot_create_is_an_error() -> None:
    due = Column(title="Due date", type="date", id="date_mkx1abcd")
    with pytest.raises(PlanError) as caught:
        plan_for(desired_board(columns=(due,)), live_board())
    assert str(caught.value) == (
        "board.b.column.date_mkx1abcd: the board has no column with id 'date_mkx1abcd', and "
        "monday creates custom column ids only of 1-20 characters of a-z and _ (fix the id, "
        "or drop `id:` to let monday choose one)"
    )
