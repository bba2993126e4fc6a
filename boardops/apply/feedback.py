"""Turning apply events into output: text lines for people, JSON lines for machines.

Both sinks write through an ``echo(text, err=False, nl=True)`` callable (``click.echo``
in the CLI), and format with ``boardops.views`` so that progress lines look the same
everywhere.
"""

from __future__ import annotations

import json
from typing import Protocol

from boardops import views
from boardops.apply.events import (
    ActionCompleted,
    ActionFailed,
    ActionSkipped,
    ApplyFinished,
    BatchProgress,
    Event,
)
from boardops.model import JSONValue


class Echo(Protocol):
    def __call__(self, message: str, *, err: bool = ..., nl: bool = ...) -> None: ...


class JsonLines:
    """One compact JSON object per event, per line (``--format json``)."""

    def __init__(self, echo: Echo) -> None:
        self._echo = echo

    def __call__(self, event: Event) -> None:
        self.write(event.to_dict())

    def write(self, data: dict[str, JSONValue]) -> None:
        self._echo(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


class TextLines:
    """A line per finished action, a progress line for item batches (TTY only), a summary."""

    def __init__(
        self, echo: Echo, *, color: bool, progress: bool, sandbox: str | None = None
    ) -> None:
        """``sandbox``: the state file of the sandbox applied to, which the summary names."""
        self._echo = echo
        self._color = color
        self._sandbox = sandbox
        self._progress = progress
        self._progress_shown = False

    def __call__(self, event: Event) -> None:
        if isinstance(event, BatchProgress):
            if self._progress:
                end = event.done >= event.total
                self._echo(
                    f"\r{event.board}: {event.done}/{event.total} item changes sent",
                    err=True,
                    nl=end,
                )
                self._progress_shown = not end
            return
        if isinstance(event, ActionCompleted):
            self._line(
                views.progress_line(event.address, event.verb, kind=event.kind, color=self._color)
            )
        elif isinstance(event, ActionFailed):
            self._line(views.failure_line(event.address, event.message, color=self._color))
        elif isinstance(event, ActionSkipped):
            self._line(f"{event.address} skipped: {event.reason}")
        elif isinstance(event, ApplyFinished):
            self._finish(event)

    def _line(self, text: str) -> None:
        if self._progress_shown:
            self._echo("", err=True)
            self._progress_shown = False
        self._echo(text)

    def _finish(self, event: ApplyFinished) -> None:
        self._line("")
        self._echo(
            views.apply_summary_line(
                event.counts,
                requests=event.requests,
                elapsed_seconds=event.elapsed_seconds,
                complexity=event.complexity,
                failed=len(event.failures),
                skipped=event.skipped,
                color=self._color,
                sandbox=self._sandbox,
            )
        )
        if event.failures:
            self._echo(f"{len(event.failures)} action(s) failed:")
            for failure in event.failures:
                self._echo(
                    "  " + views.failure_line(failure.address, failure.message, color=self._color)
                )
        if event.skipped:
            self._echo(f"{event.skipped} action(s) not attempted; run apply again to finish.")
