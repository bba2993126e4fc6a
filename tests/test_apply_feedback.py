"""How apply events are shown: text lines, a progress line on a terminal only, JSON lines."""

from __future__ import annotations

import json

from boardops.apply import ActionCompleted, ActionFailed, ApplyFinished, BatchProgress, Failure
from boardops.apply.feedback import JsonLines, TextLines


class Screen:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.err: list[str] = []

    def __call__(self, message: str, *, err: bool = False, nl: bool = True) -> None:
        (self.err if err else self.out).append(message + ("\n" if nl else ""))


DONE = ActionCompleted("board.x.item[A-1]", "CreateItem", "create", "created", "301")
FINISHED = ApplyFinished(
    counts={"created": 2, "moved": 1},
    failures=(Failure("board.x.item[A-2]", "ColumnValueException: bad date"),),
    requests=4,
    complexity=1200,
    elapsed_seconds=0.25,
)


def test_text_shows_one_line_per_action_and_a_summary_naming_failures() -> None:
    screen = Screen()
    show = TextLines(screen, color=False, progress=False)
    show(DONE)
    show(ActionFailed("board.x.item[A-2]", "CreateItem", "ColumnValueException: bad date"))
    show(BatchProgress("board.x", 2, 2))
    show(FINISHED)
    assert screen.out == [
        "board.x.item[A-1] created\n",
        "board.x.item[A-2] failed: ColumnValueException: bad date\n",
        "\n",
        "Apply failed: 1 of 4 actions failed; 3 succeeded (2 created, 1 moved). "
        "4 requests, complexity 1200, 0.2 s.\n",
        "1 action(s) failed:\n",
        "  board.x.item[A-2] failed: ColumnValueException: bad date\n",
    ]
    assert screen.err == []


def test_progress_goes_to_stderr_on_a_terminal_and_ends_its_line_before_the_next() -> None:
    screen = Screen()
    show = TextLines(screen, color=False, progress=True)
    show(BatchProgress("board.x", 25, 60))
    show(DONE)
    show(BatchProgress("board.x", 60, 60))
    assert screen.err == [
        "\rboard.x: 25/60 item changes sent",
        "\n",
        "\rboard.x: 60/60 item changes sent\n",
    ]
    assert screen.out == ["board.x.item[A-1] created\n"]


def test_json_lines_are_one_object_per_event() -> None:
    screen = Screen()
    show = JsonLines(screen)
    show(DONE)
    show(FINISHED)
    first, last = (json.loads(line) for line in screen.out)
    assert first == {
        "event": "action_completed",
        "address": "board.x.item[A-1]",
        "type": "CreateItem",
        "kind": "create",
        "verb": "created",
        "id": "301",
        "recovered": False,
    }
    assert last["event"] == "apply_finished"
    assert last["ok"] is False
    assert last["failures"] == [
        {"address": "board.x.item[A-2]", "message": "ColumnValueException: bad date"}
    ]
