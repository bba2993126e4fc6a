"""What an apply run has done so far: every event goes through the journal, which counts
it, remembers failures and finished actions, and hands it to the event sink. A sink that
raises stops the run (``Stopped`` in the other boards' threads)."""

from __future__ import annotations

import threading

from boardops.apply.events import (
    ActionCompleted,
    ActionFailed,
    ActionSkipped,
    ActionStarted,
    Event,
    EventSink,
    Failure,
)
from boardops.errors import ApplyError, GraphQLError
from boardops.plan import Action


class Stopped(Exception):
    """Another board's thread was interrupted; this one stops at its next action."""


def error_message(error: BaseException) -> str:
    """The one-line reason shown for a failed action: monday's code and message."""
    if isinstance(error, GraphQLError):
        return f"{error.code}: {error.message}" if error.code else error.message
    if isinstance(error, ApplyError):
        return str(error.cause)
    return str(error)


class Journal:
    def __init__(self, sink: EventSink) -> None:
        self._sink = sink
        self._lock = threading.Lock()
        self.stopped = False
        self.counts: dict[str, int] = {}
        self.failures: list[Failure] = []
        self.skipped = 0
        # What the event sink raised, when it stopped the run.
        self.interruption: BaseException | None = None
        # id() of every action that has completed or failed so far.
        self._finished: set[int] = set()

    def emit(self, event: Event) -> None:
        with self._lock:
            if isinstance(event, ActionCompleted):
                self.counts[event.verb] = self.counts.get(event.verb, 0) + 1
            elif isinstance(event, ActionFailed):
                self.failures.append(Failure(event.address, event.message))
            elif isinstance(event, ActionSkipped):
                self.skipped += 1
            try:
                self._sink(event)
            except BaseException as error:
                self.stopped = True
                self.interruption = error
                raise

    def stop(self) -> None:
        """Stop the run: every board's thread raises ``Stopped`` before its next step."""
        self.stopped = True

    def finished(self, action: Action) -> bool:
        """Whether ``action`` has completed or failed already."""
        with self._lock:
            return id(action) in self._finished

    def started(self, action: Action) -> None:
        if self.stopped:
            raise Stopped
        self.emit(ActionStarted(action.address, type(action).__name__, action.kind))

    def completed(
        self, action: Action, object_id: str | None = None, *, recovered: bool = False
    ) -> None:
        with self._lock:
            self._finished.add(id(action))
        self.emit(
            ActionCompleted(
                action.address,
                type(action).__name__,
                action.kind,
                action.verb,
                object_id,
                recovered,
            )
        )

    def failed(self, action: Action, error: BaseException | str) -> None:
        with self._lock:
            self._finished.add(id(action))
        message = error if isinstance(error, str) else error_message(error)
        self.emit(ActionFailed(action.address, type(action).__name__, message))

    def skip(self, action: Action, reason: str) -> None:
        self.emit(ActionSkipped(action.address, type(action).__name__, reason))
