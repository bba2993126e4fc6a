"""How a command that stops says so: errors and interruptions, written once.

* An error is one ``error: ...`` line on stderr per problem: a ``ManifestErrors`` gives
  every manifest problem its own line, exactly as ``validate`` prints them. With
  ``--format json`` the same error is also a JSON object on stdout (see ``error_document``):
  a JSON line ``{"event": "error", ...}`` for apply's event stream, one indented document
  for the other commands. Exit codes do not change (the caller picks them).
* An interruption (Ctrl-C, or SIGTERM mapped to it) of a command that changed nothing is
  one line saying so. An apply interrupted while it was changing boards raises
  ``ApplyInterrupted``, which says what was done, what was not, and that running the same
  apply again finishes the job (apply is idempotent). Exit 130 either way.

The CLI sets ``JSON_ERRORS`` in ``click``'s context meta when ``--format json`` is chosen
(``"lines"`` for apply, ``"document"`` for the others).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

import click

from boardops.commands.common import one_line
from boardops.errors import BoardopsError, ManifestError, ManifestErrors

JSON_ERRORS = "boardops.json_errors"
JsonErrors = Literal["lines", "document"]
INTERRUPTED_EXIT = 130
# How many addresses the text report of an interrupted apply lists for each part.
SHOW_ADDRESSES = 3
NOTHING_CHANGED = "interrupted: nothing was changed on monday"


# The address most errors start with (``board.x.item[ENG-1]: ...``, ``workspace.eng: ...``).
_LEADING_ADDRESS = re.compile(
    r"((?:workspace|board)\.[^\s:.\[]+(?:\.[^\s:.\[]+|\[[^\]]*\])*|tag\[[^\]]*\]): "
)


def _address_of(error: BaseException) -> str | None:
    address = getattr(error, "address", None)
    if isinstance(address, str):
        return address
    found = _LEADING_ADDRESS.match(str(error))
    return found[1] if found else None


def _problem(error: BaseException) -> dict[str, object]:
    if isinstance(error, ManifestError):
        return error.to_dict()
    return {
        "file": None,
        "line": None,
        "column": None,
        "address": _address_of(error),
        "field": None,
        "message": one_line(str(error)),
    }


def problems(error: BaseException) -> list[BaseException]:
    """The problems ``error`` stands for: each of a ``ManifestErrors``, else itself."""
    if isinstance(error, ManifestErrors):
        return list(error.errors)
    return [error]


def error_lines(error: BaseException) -> list[str]:
    """One line per problem, without the ``error: `` prefix: a manifest problem as
    ``FILE:LINE:COL: ADDRESS: message`` (as validate prints it)."""
    return [
        one_line(p.render() if isinstance(p, ManifestError) else str(p)) for p in problems(error)
    ]


def error_document(error: BaseException, **extra: object) -> dict[str, object]:
    """The JSON form of an error: ``event`` ("error"), ``type`` (the error's class),
    ``message`` (its line, or how many problems a ``ManifestErrors`` holds), and
    ``errors``: one object per problem with ``message``, ``file``, ``line``, ``column``,
    ``address`` and ``field`` (null where unknown)."""
    lines = error_lines(error)
    document: dict[str, object] = {
        "event": "error",
        "type": type(error).__name__,
        "message": lines[0] if len(lines) == 1 else f"{len(lines)} problems in the manifests",
        "errors": [_problem(p) for p in problems(error)],
    }
    document.update(extra)
    return document


def _echo_json(document: dict[str, object], json_errors: JsonErrors | None) -> None:
    if json_errors == "lines":
        click.echo(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
    elif json_errors == "document":
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))


def report_error(error: BoardopsError, json_errors: JsonErrors | None) -> None:
    """``error: ...`` lines on stderr; with ``--format json`` the JSON form on stdout."""
    for line in error_lines(error):
        click.echo(f"error: {line}", err=True)
    _echo_json(error_document(error), json_errors)


class ApplyInterrupted(KeyboardInterrupt):
    """An apply stopped by Ctrl-C or SIGTERM while it was changing boards: what it did
    and what it did not (addresses in plan order)."""

    def __init__(self, done: Sequence[str], failed: Sequence[str], not_done: Sequence[str]) -> None:
        self.done = tuple(done)
        self.failed = tuple(failed)
        self.not_done = tuple(not_done)
        super().__init__(self.message)

    @property
    def total(self) -> int:
        return len(self.done) + len(self.failed) + len(self.not_done)

    @property
    def message(self) -> str:
        return (
            f"interrupted: apply stopped after {len(self.done)} of {self.total} actions; "
            f"{len(self.not_done)} not done"
        )

    def lines(self) -> list[str]:
        out = [self.message]
        for label, addresses in (
            ("done", self.done),
            ("failed", self.failed),
            ("not done", self.not_done),
        ):
            if addresses:
                out.append(f"  {label}: {len(addresses)} ({_first(addresses)})")
        out.append(
            "Nothing is undone. Run the same apply again to finish the job: apply is "
            "idempotent, so what was done is not done twice (a change that was in flight is "
            "found again, not repeated)."
        )
        return out


def _first(addresses: Sequence[str]) -> str:
    shown = ", ".join(one_line(a) for a in addresses[:SHOW_ADDRESSES])
    more = len(addresses) - SHOW_ADDRESSES
    return f"{shown}, and {more} more" if more > 0 else shown


def report_interrupt(interrupt: KeyboardInterrupt, json_errors: JsonErrors | None) -> None:
    """What an interrupted command did, on stderr (and as JSON with ``--format json``)."""
    if isinstance(interrupt, ApplyInterrupted):
        for line in interrupt.lines():
            click.echo(line, err=True)
        extra: dict[str, object] = {
            "done": list(interrupt.done),
            "failed": list(interrupt.failed),
            "not_done": list(interrupt.not_done),
        }
        message = interrupt.message
    else:
        click.echo(NOTHING_CHANGED, err=True)
        extra = {"done": [], "failed": [], "not_done": []}
        message = NOTHING_CHANGED
    document = error_document(BoardopsError(message), **extra)
    document["type"] = "Interrupted"
    _echo_json(document, json_errors)


class ApplyProgress:
    """An apply event sink in front of another that remembers which actions completed
    and failed, to say what an interrupted apply did (``interrupted``)."""

    def __init__(self, sink: Callable[[Any], None]) -> None:
        self._sink = sink
        self.completed: Counter[tuple[str, str]] = Counter()
        self.failed: Counter[tuple[str, str]] = Counter()

    def __call__(self, event: Any) -> None:
        from boardops.apply.events import ActionCompleted, ActionFailed

        if isinstance(event, ActionCompleted):
            self.completed[(event.address, event.action_type)] += 1
        elif isinstance(event, ActionFailed):
            self.failed[(event.address, event.action_type)] += 1
        self._sink(event)

    def interrupted(self, actions: Iterable[Any]) -> ApplyInterrupted:
        """The report for ``actions`` (the plan's, in order) after an interruption."""
        completed, failed = Counter(self.completed), Counter(self.failed)
        done: list[str] = []
        broke: list[str] = []
        left: list[str] = []
        for action in actions:
            key = (action.address, type(action).__name__)
            if completed[key] > 0:
                completed[key] -= 1
                done.append(action.address)
            elif failed[key] > 0:
                failed[key] -= 1
                broke.append(action.address)
            else:
                left.append(action.address)
        return ApplyInterrupted(done, broke, left)
