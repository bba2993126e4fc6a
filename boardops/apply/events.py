"""What apply tells its watcher: one event per step, in the order things happen.

The executor calls an ``EventSink`` (any callable taking an ``Event``) from whichever
thread runs the board concerned, one call at a time. Views turn events into lines
(``views.progress_line``) or JSON (``event.to_dict()``, one object per line). An exception
raised by the sink stops the apply at once, as a crash would: tests use that to interrupt
an apply after k actions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import ClassVar

from boardops.model import JSONValue

# Field names that read better in code than on the wire.
_JSON_NAMES: Mapping[str, str] = {"action_type": "type"}


@dataclass(frozen=True)
class Event:
    name: ClassVar[str]  # given as a class keyword: ``class BatchProgress(Event, name=...)``

    def __init_subclass__(cls, *, name: str | None = None, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if name is not None:
            cls.name = name

    def to_dict(self) -> dict[str, JSONValue]:
        """``{"event": name, <field>: value, ...}`` in field order."""
        out: dict[str, JSONValue] = {"event": self.name}
        for f in fields(self):
            out[_JSON_NAMES.get(f.name, f.name)] = getattr(self, f.name)
        return out


@dataclass(frozen=True)
class ActionEvent(Event):
    """Base of the events about one action: its address and type (the class name)."""

    address: str
    action_type: str


@dataclass(frozen=True)
class ActionStarted(ActionEvent, name="action_started"):
    kind: str


@dataclass(frozen=True)
class ActionCompleted(ActionEvent, name="action_completed"):
    kind: str
    verb: str
    # The monday id of the object the action created or touched, when there is one.
    id: str | None = None
    # True when a lost answer was resolved by finding the object instead of creating it.
    recovered: bool = False


@dataclass(frozen=True)
class ActionFailed(ActionEvent, name="action_failed"):
    message: str


@dataclass(frozen=True)
class ActionSkipped(ActionEvent, name="action_skipped"):
    """Not attempted: an earlier failure on the same board made the backend unusable, or a
    workspace action failed (boards wait for their workspaces)."""

    reason: str


@dataclass(frozen=True)
class BatchProgress(Event, name="batch_progress"):
    """Item mutations of one board: ``done`` of ``total`` have an answer."""

    board: str
    done: int
    total: int


@dataclass(frozen=True)
class Failure:
    address: str
    message: str


@dataclass(frozen=True)
class ApplyFinished(Event, name="apply_finished"):
    counts: Mapping[str, int] = field(default_factory=dict)  # verb -> actions completed
    failures: tuple[Failure, ...] = ()
    skipped: int = 0
    requests: int = 0
    complexity: int = 0
    elapsed_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures and not self.skipped

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "event": self.name,
            "ok": self.ok,
            "counts": dict(sorted(self.counts.items())),
            "failures": [{"address": f.address, "message": f.message} for f in self.failures],
            "skipped": self.skipped,
            "requests": self.requests,
            "complexity": self.complexity,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
        }


EventSink = Callable[[Event], None]


def ignore(event: Event) -> None:
    """The sink for callers that want no feedback."""
