"""Lost answers and interrupted runs: apply finishes the job and never makes duplicates.

Each scenario is compared with a clean apply of the same manifest on another sandbox:
equal censuses mean the same objects, none twice; an empty plan means converged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from boardops.apply import ActionCompleted, Event
from boardops.sandbox import Faults, ScheduledFault
from tests.support.world import Interrupt, Interrupted, World, fresh_world

SMALL = """
version: 1
workspaces:
  - {key: ops, name: Operations}
boards:
  - name: Incidents
    key: incidents
    workspace: ops
    columns:
      - id: state
        title: State
        type: status
        labels:
          - {label: Open, color: stuck_red}
          - {label: Closed, color: done_green, done: true}
      - id: kind
        title: Kind
        type: dropdown
        labels: [Outage, Degraded]
      - {id: ref, title: Ref, type: text}
    groups:
      - {key: open, title: Open, color: "#df2f4a"}
      - {key: closed, title: Closed, color: "#00c875"}
    items:
      match_by: [ref]
      rows:
        - {name: DNS down, group: open, values: {ref: INC-1, state: Open, kind: [Outage]}}
        - {name: Slow API, group: closed, values: {ref: INC-2, state: Closed}}
        - {name: Login errors, values: {ref: INC-3, state: Open, kind: [Degraded]}}
"""

SECOND_BOARD = """
version: 1
boards:
  - name: Changes
    key: changes
    workspace: ops
    columns:
      - {id: ref, title: Ref, type: text}
    groups:
      - {key: planned, title: Planned}
      - {key: done, title: Done}
    items:
      match_by: [ref]
      rows:
        - {name: Upgrade DB, group: planned, values: {ref: CHG-1}}
        - {name: Rotate keys, group: done, values: {ref: CHG-2}}
"""


def setup(tmp_path: Path, name: str, manifests: dict[str, str]) -> tuple[World, list[Path]]:
    world = fresh_world(tmp_path, name)
    return world, [world.write(text, file) for file, text in manifests.items()]


def clean_run(tmp_path: Path, manifests: dict[str, str]) -> tuple[dict[str, Any], list[str], int]:
    """The census after an undisturbed apply, the mutation documents sent, and the number
    of completed actions."""
    world, paths = setup(tmp_path, "clean", manifests)
    documents = world.record_mutations()
    completed: list[Event] = []
    result = world.apply(*paths, on_event=completed.append)
    assert result.ok
    count = sum(1 for e in completed if isinstance(e, ActionCompleted))
    return world.census(), documents, count


def assert_converged(world: World, paths: list[Path], expected: dict[str, Any], label: str) -> None:
    assert world.census() == expected, label
    assert not world.plan(*paths).has_changes, label


@pytest.mark.parametrize(
    "field", ["create_workspace", "create_board", "create_column", "create_group", "create_item"]
)
def test_a_lost_answer_to_a_create_makes_no_duplicate(tmp_path: Path, field: str) -> None:
    expected, documents, _ = clean_run(tmp_path, {"small.yaml": SMALL})
    nth = next(i for i, doc in enumerate(documents, 1) if f": {field}(" in doc)
    world, paths = setup(tmp_path, "lost", {"small.yaml": SMALL})
    world.sandbox.faults = Faults(schedule=(ScheduledFault("lost_ack", nth, True),))
    events: list[Event] = []
    result = world.apply(*paths, on_event=events.append)
    assert result.ok, result.failures
    assert world.sandbox.counters.faults == {"lost_ack": 1}
    recovered = [e for e in events if isinstance(e, ActionCompleted) and e.recovered]
    assert recovered, "the lost create was found again rather than sent twice"
    assert_converged(world, paths, expected, field)


UNPINNED = """
version: 1
boards:
  - name: Notes
    key: notes
    columns:
      - {title: Topic, type: text}
      - {title: Score, type: numbers}
      - {title: Tags, type: dropdown, labels: [a, b]}
    groups:
      - {key: inbox, title: Inbox}
      - {key: kept, title: Kept}
    items:
      rows:
        - {name: First, group: kept, values: {Topic: x, Score: 1, Tags: [a]}}
        - {name: Second, values: {Topic: y}}
"""


@pytest.mark.parametrize("manifest", ["small", "unpinned"])
@pytest.mark.parametrize("kind", ["lost_ack", "timeout", "5xx"])
def test_a_lost_answer_to_any_mutation_request_converges(
    tmp_path: Path, kind: str, manifest: str
) -> None:
    manifests = {f"{manifest}.yaml": SMALL if manifest == "small" else UNPINNED}
    expected, documents, _ = clean_run(tmp_path, manifests)
    for nth in range(1, len(documents) + 1):
        world, paths = setup(tmp_path, f"{kind}-{nth}", manifests)
        faults = Faults(schedule=(ScheduledFault(kind, nth, True),))  # type: ignore[arg-type]
        world.sandbox.faults = faults
        result = world.apply(*paths)
        assert result.ok, (nth, result.failures)
        assert_converged(world, paths, expected, f"{kind} at mutation request {nth}")


def test_a_timeout_before_the_request_ran_sends_the_create_again(tmp_path: Path) -> None:
    expected, documents, _ = clean_run(tmp_path, {"small.yaml": SMALL})
    nth = next(i for i, doc in enumerate(documents, 1) if ": create_item(" in doc)
    world, paths = setup(tmp_path, "before", {"small.yaml": SMALL})
    world.sandbox.faults = Faults(
        schedule=(ScheduledFault("timeout", nth, True),), timeout_phase="before"
    )
    result = world.apply(*paths)
    assert result.ok
    assert_converged(world, paths, expected, "timeout before create_item ran")


@pytest.mark.parametrize("manifests", [{"small.yaml": SMALL}], ids=["one-board"])
def test_an_apply_interrupted_after_k_actions_converges_when_run_again(
    tmp_path: Path, manifests: dict[str, str]
) -> None:
    expected, _, completed = clean_run(tmp_path, manifests)
    assert completed == 10
    for k in range(1, completed + 1):
        world, paths = setup(tmp_path, f"k{k}", manifests)
        with pytest.raises(Interrupted):
            world.apply(*paths, on_event=Interrupt(after=k))
        result = world.apply(*paths)
        assert result.ok, (k, result.failures)
        assert_converged(world, paths, expected, f"interrupted after {k} action(s)")


def test_an_interruption_on_one_board_stops_the_others_and_the_rerun_converges(
    tmp_path: Path,
) -> None:
    manifests = {"small.yaml": SMALL, "second.yaml": SECOND_BOARD}
    expected, _, completed = clean_run(tmp_path, manifests)
    for k in range(1, completed, 3):
        world, paths = setup(tmp_path, f"k{k}", manifests)
        with pytest.raises(Interrupted):
            world.apply(*paths, on_event=Interrupt(after=k))
        assert world.apply(*paths).ok
        assert_converged(world, paths, expected, f"two boards, interrupted after {k}")


def test_a_rerun_after_a_lost_batch_answer_and_an_interruption_converges(tmp_path: Path) -> None:
    expected, documents, completed = clean_run(tmp_path, {"small.yaml": SMALL})
    nth = next(i for i, doc in enumerate(documents, 1) if ": create_item(" in doc)
    world, paths = setup(tmp_path, "both", {"small.yaml": SMALL})
    world.sandbox.faults = Faults(schedule=(ScheduledFault("lost_ack", nth, True),))
    with pytest.raises(Interrupted):
        world.apply(*paths, on_event=Interrupt(after=completed - 1))
    world.sandbox.faults = Faults()
    assert world.apply(*paths).ok
    assert_converged(world, paths, expected, "lost batch, then interrupted")


def lost_create_answers(documents: list[str]) -> tuple[ScheduledFault, ...]:
    return tuple(
        ScheduledFault("lost_ack", i, True)
        for i, doc in enumerate(documents, 1)
        if ": create_item(" in doc
    )


BY_NAME = """
version: 1
boards:
  - name: Chores
    key: chores
    columns:
      - {id: when, title: When, type: date}
    groups:
      - {key: week, title: This week}
    items:
      rows:
        - {name: Water plants, values: {when: 2026-11-24}}
        - {name: Take out bins, values: {when: 2026-11-25}}
        - {name: Call plumber}
"""


def test_items_matched_by_name_are_found_again_after_a_lost_answer(tmp_path: Path) -> None:
    expected, documents, _ = clean_run(tmp_path, {"chores.yaml": BY_NAME})
    # Every create_item request loses its answer (new items are placed after the first
    # of their group, which goes in a request of its own).
    world, paths = setup(tmp_path, "lost", {"chores.yaml": BY_NAME})
    world.sandbox.faults = Faults(schedule=lost_create_answers(documents))
    events: list[Event] = []
    result = world.apply(*paths, on_event=events.append)
    assert result.ok, result.failures
    recovered = [e.address for e in events if isinstance(e, ActionCompleted) and e.recovered]
    assert sorted(recovered) == [
        "board.chores.item[Call plumber]",
        "board.chores.item[Take out bins]",
        "board.chores.item[Water plants]",
    ]
    assert_converged(world, paths, expected, "lost create_item batch, items matched by name")


def test_an_apply_stopped_right_after_create_board_leaves_no_stray_default_group(
    tmp_path: Path,
) -> None:
    """``create_board`` answered, then the run died before the default group was renamed:
    the re-run adopts monday's "Group Title" group as the first declared group."""
    manifests = {"changes.yaml": SECOND_BOARD.replace("    workspace: ops\n", "")}
    expected, _, _ = clean_run(tmp_path, manifests)
    world, paths = setup(tmp_path, "stopped", manifests)
    world.mutate('mutation { create_board(board_name: "Changes", board_kind: public) { id } }')
    assert world.apply(*paths).ok
    assert_converged(world, paths, expected, "re-run after create_board only")


BY_EMAIL = """
version: 1
boards:
  - name: Contacts
    key: contacts
    columns:
      - {id: mail, title: Mail, type: email}
    items:
      match_by: [mail]
      rows:
        - {name: Ana, values: {mail: {email: ana@example.com, text: Ana at work}}}
        - {name: Bo, values: {mail: bo@example.com}}
"""


def test_items_matched_by_an_email_with_a_display_text_are_found_again(tmp_path: Path) -> None:
    """monday's ``any_of`` on an email column matches the displayed text where one is set
    (recorded behaviour, section 6), the address elsewhere: the re-read asks for both and
    compares addresses itself."""
    expected, documents, _ = clean_run(tmp_path, {"contacts.yaml": BY_EMAIL})
    # Every create_item request loses its answer (new items are placed after the first
    # of their group, which goes in a request of its own).
    world, paths = setup(tmp_path, "lost", {"contacts.yaml": BY_EMAIL})
    world.sandbox.faults = Faults(schedule=lost_create_answers(documents))
    events: list[Event] = []
    result = world.apply(*paths, on_event=events.append)
    assert result.ok, result.failures
    recovered = [e.address for e in events if isinstance(e, ActionCompleted) and e.recovered]
    assert sorted(recovered) == [
        "board.contacts.item[ana@example.com]",
        "board.contacts.item[bo@example.com]",
    ]
    assert_converged(world, paths, expected, "lost create_item batch, items matched by email")
