"""Apply: run a plan against monday, idempotently, in batches, resumably and safely.

``apply_plan(client, plan, live=..., allow_destroy=..., on_event=...)`` runs the plan's
actions through handlers picked by action type (``registry.HANDLERS``, filled by the
``@handles`` decorators next to each handler) and reports each step as an event
(``events``). See ``executor`` for ordering and failure rules, ``context`` for the run's
parts, ``settle`` for what happens when monday's answer is lost and ``recovery`` for how a
create's object is found again.
"""

from __future__ import annotations

from boardops.apply.events import (
    ActionCompleted,
    ActionFailed,
    ActionSkipped,
    ActionStarted,
    ApplyFinished,
    BatchProgress,
    Event,
    EventSink,
    Failure,
)
from boardops.apply.executor import apply_plan
from boardops.apply.registry import HANDLERS, Handler, handler_for

__all__ = [
    "HANDLERS",
    "ActionCompleted",
    "ActionFailed",
    "ActionSkipped",
    "ActionStarted",
    "ApplyFinished",
    "BatchProgress",
    "Event",
    "EventSink",
    "Failure",
    "Handler",
    "apply_plan",
    "handler_for",
]
