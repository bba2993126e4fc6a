"""The exception tree. Every error boardops raises on purpose is a ``BoardopsError``.

::

    BoardopsError
    ├── UsageError                  bad flags or environment (no token and no --sandbox, ...)
    │   ├── OutputError             a file to write cannot be written safely (link, wrong kind)
    │   └── OverDailyLimit          the plan needs more calls than are left today (--allow-partial)
    ├── ManifestError               one problem in a manifest: file, line, column, address, field
    │   └── ManifestErrors          several problems at once (validate reports them all)
    ├── ApiError                    talking to monday went wrong; never holds the token
    │   ├── TransportError          no usable HTTP answer (connection refused, reset, timeout)
    │   │   └── RequestTimeout
    │   ├── HttpStatusError         an HTTP status monday uses for transport-level failures
    │   │   └── AuthenticationFailed    401: the token is missing, wrong or revoked
    │   ├── GraphQLError            an ``errors[]`` entry: code, status_code, request_id, path
    │   │   ├── CursorExpired       an items_page cursor is no longer valid (60 min lifetime)
    │   │   └── QueryTooComplex     one request is over the 5M per-query complexity cap
    │   ├── RateLimited             throttled; carries ``retry_in_seconds``
    │   │   └── DailyLimitExceeded  the account's daily call cap: never retried within a run
    │   ├── MalformedResponse       the answer is not the JSON shape the API promises
    │   └── OutcomeUnknown          a mutation was sent and its answer was lost
    │       └── BatchOutcomeUnknown (boardops.monday) which batched calls are in doubt/known
    ├── PlanError
    │   ├── UnsafePlan              the plan would destroy without permission
    │   ├── DependencyCycle         the action graph has a cycle (names the path)
    │   ├── StalePlan               a saved plan no longer matches the live state
    │   ├── AmbiguousMatch          two objects share one identity (names both ids)
    │   └── PlanFormatError         a saved plan file cannot be read back
    ├── ApplyError                  an action failed; carries its address and the cause
    ├── CodecError (ValueError)     a value does not fit its column (what is wrong, expected)
    ├── LiveReadError               what monday holds cannot be mapped onto the manifest
    ├── SnapshotError               a live-state snapshot file cannot be read
    ├── ExportError                 live boards cannot be written as a no-change manifest
    ├── ViewError (ValueError)      a dict given to a view is not a plan it can render
    ├── OutOfScope                  a workspace or board outside the project's read scope
    ├── LeaseHeld                   another apply holds the lease past ``--lock-timeout``
    └── CallAllowanceSpent          the client's call allowance is used up: nothing more was sent

Each error renders as one line (``str(error)``) fit for a terminal or a CI log.

Outside the tree, internal control flow that never leaves the module raising it::

    Stopped             (boardops.apply.context) another board's thread was interrupted
    Unreadable          (boardops.codec) a stored value of a shape the codec does not know
    _RetrySignal        (boardops.monday.client) one more attempt of a request
    _AliasBudgetExceeded (boardops.manifest.source) a YAML alias bomb, reported as a ManifestError
    TooComplex, ApiFailure, HttpFailure
                        (boardops.sandbox) the emulator's own: answered as monday's errors
    _CallTimedOut       (boardops.sandbox) a call past 60 s of server time: a dropped
                        connection, as monday's timeout
    ProfileMismatch     (boardops.sandbox) a ValueError, which ``connect`` makes a UsageError
    ApplyInterrupted    (boardops.commands.errors) a KeyboardInterrupt carrying what an
                        interrupted apply did, from the apply command to the CLI's report
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


class BoardopsError(Exception):
    """Base class: anything boardops raises deliberately."""


class UsageError(BoardopsError):
    """The command line or the environment does not allow the command to run."""


@dataclass(frozen=True)
class SourceSpan:
    """Where in a manifest file a problem is: 1-based line and column."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


class ManifestError(BoardopsError):
    """One problem found in a manifest.

    Rendered as ``FILE:LINE:COL: ADDRESS: message`` (parts that are unknown are left out).
    ``field`` is the dotted path inside the document (``boards[0].columns[2].type``).
    """

    def __init__(
        self,
        message: str,
        *,
        span: SourceSpan | None = None,
        address: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.span = span
        self.address = address
        self.field = field
        super().__init__(self.render())

    def render(self) -> str:
        parts = []
        if self.span is not None:
            parts.append(str(self.span))
        if self.address:
            parts.append(self.address)
        elif self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)

    def redacted(self, redact: Callable[[str], str]) -> ManifestError:
        """This error with ``redact`` applied to every part a manifest's values can reach
        (message, address, field): how values read from the environment are kept out of
        error lines (``boardops.manifest.source.EnvRedactor``)."""
        return ManifestError(
            redact(self.message),
            span=self.span,
            address=None if self.address is None else redact(self.address),
            field=None if self.field is None else redact(self.field),
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.span.file if self.span else None,
            "line": self.span.line if self.span else None,
            "column": self.span.column if self.span else None,
            "address": self.address,
            "field": self.field,
            "message": self.message,
        }


class ManifestErrors(ManifestError):
    """Several manifest problems, reported together; ``str()`` is the first, with a count."""

    def __init__(self, errors: Sequence[ManifestError]) -> None:
        if not errors:
            raise ValueError("ManifestErrors needs at least one error")
        self.errors: tuple[ManifestError, ...] = tuple(errors)
        first = self.errors[0]
        super().__init__(first.message, span=first.span, address=first.address, field=first.field)

    def redacted(self, redact: Callable[[str], str]) -> ManifestErrors:
        return ManifestErrors([error.redacted(redact) for error in self.errors])

    def render(self) -> str:
        first = self.errors[0].render()
        more = len(self.errors) - 1
        return first if more == 0 else f"{first} (and {more} more problem{'s' * (more > 1)})"


class ApiError(BoardopsError):
    """A failure talking to monday. Never carries the API token, in any attribute."""

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.message = message
        self.operation = operation
        self.request_id = request_id
        super().__init__(self.render())

    def render(self) -> str:
        return self._with_context(self.message)

    def _with_context(self, head: str, where: str | None = None) -> str:
        """``head``, then in parentheses ``where`` and the operation and request id known."""
        context = [] if where is None else [where]
        if self.operation:
            context.append(f"operation {self.operation}")
        if self.request_id:
            context.append(f"request id {self.request_id}")
        return f"{head} ({', '.join(context)})" if context else head


class TransportError(ApiError):
    """No usable HTTP answer: connection refused or reset, TLS failure, timeout."""


class RequestTimeout(TransportError):
    """The request timed out."""


class HttpStatusError(ApiError):
    """monday answered with a transport-level HTTP status (400, 401, 5xx, ...)."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        operation: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.status_code = status_code
        super().__init__(message, operation=operation, request_id=request_id)


class AuthenticationFailed(HttpStatusError):
    """monday refused the credentials (HTTP 401): the token is missing, wrong or revoked."""


class GraphQLError(ApiError):
    """An entry of the response's ``errors[]``.

    ``code`` is ``extensions.code`` (``ColumnValueException``, ``DeleteLastGroupException``,
    ...); ``status_code`` is ``extensions.status_code`` or the HTTP status; ``path`` is the
    GraphQL path, whose first element is the alias in a batched request.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        path: Sequence[str | int] = (),
        operation: str | None = None,
        request_id: str | None = None,
        error_data: object = None,
    ) -> None:
        self.code = code
        self.status_code = status_code
        self.path = tuple(path)
        self.error_data = error_data
        super().__init__(message, operation=operation, request_id=request_id)

    @property
    def alias(self) -> str | None:
        return str(self.path[0]) if self.path else None

    def render(self) -> str:
        head = f"{self.code}: {self.message}" if self.code else self.message
        return self._with_context(head, f"at {self.alias}" if self.alias else None)


class CursorExpired(GraphQLError):
    """An ``items_page`` cursor expired or was rejected; the read must restart from page one."""


class QueryTooComplex(GraphQLError):
    """One request costs more than monday's per-query complexity cap; nothing ran.

    The client splits batches and multi-board reads that hit it; anything else must ask
    for less per request.
    """


class RateLimited(ApiError):
    """monday throttled the request (429, complexity budget, concurrency, field limit)."""

    def __init__(
        self,
        message: str,
        *,
        retry_in_seconds: float | None,
        code: str | None = None,
        operation: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.retry_in_seconds = retry_in_seconds
        self.code = code
        super().__init__(message, operation=operation, request_id=request_id)


class MalformedResponse(ApiError):
    """The server's answer is not the shape the API promises (not JSON, no data, ...)."""


class DailyLimitExceeded(RateLimited):
    """The account's daily call cap is spent (resets at midnight UTC): waiting is pointless."""


class OutcomeUnknown(ApiError):
    """A mutation was sent but its answer was lost: it may or may not have been committed.

    The client never re-sends such a mutation; the caller re-reads the object by its
    identity and decides. ``in_doubt`` names the root fields (or batch aliases) concerned.
    """

    def __init__(
        self,
        message: str,
        *,
        in_doubt: Sequence[str] = (),
        operation: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.in_doubt = tuple(in_doubt)
        super().__init__(message, operation=operation, request_id=request_id)


class PlanError(BoardopsError):
    """The plan cannot be computed or used."""


class UnsafePlan(PlanError):
    """The plan destroys something without the permission to do so."""


class DependencyCycle(PlanError):
    """Actions depend on each other in a cycle."""

    def __init__(self, path: Sequence[str]) -> None:
        self.path = tuple(path)
        super().__init__("dependency cycle: " + " -> ".join(self.path))


class StalePlan(PlanError):
    """A saved plan no longer holds: something it depends on (a live fact one of its
    actions needs, or the manifests it was made from) has changed since. ``moved``: what,
    one entry each; the message shows the first five and says to plan again."""

    def __init__(self, moved: Sequence[str]) -> None:
        self.moved = tuple(moved)
        shown = "; ".join(self.moved[:5])
        more = f" (and {len(self.moved) - 5} more)" if len(self.moved) > 5 else ""
        super().__init__(
            f"saved plan is stale: {shown}{more}; run `boardops plan` again and review the new plan"
        )


class AmbiguousMatch(PlanError):
    """Two objects answer to the same identity, so nothing can pick one (raised by every
    rule in ``boardops.identity``; ``message`` words it for the kind, if given)."""

    def __init__(self, address: str, ids: Sequence[str], message: str | None = None) -> None:
        self.address = address
        self.ids = tuple(ids)
        super().__init__(
            message
            or f"{address}: ambiguous match, several objects have this identity "
            f"(ids {', '.join(self.ids)})"
        )


class PlanFormatError(PlanError):
    """A serialised plan is not one this version of boardops can read."""


class ApplyError(BoardopsError):
    """An action failed during apply."""

    def __init__(self, address: str, cause: BaseException | str) -> None:
        self.address = address
        self.cause = cause
        super().__init__(f"{address}: {cause}")


class CodecError(BoardopsError, ValueError):
    """A value does not fit its column: one line saying what is wrong and what is expected."""


class LiveReadError(BoardopsError):
    """What monday holds cannot be mapped onto the manifest unambiguously."""


class SnapshotError(BoardopsError):
    """A live-state snapshot file cannot be read."""


class ExportError(BoardopsError):
    """The live boards cannot be written as a manifest that plans no changes."""


class ViewError(BoardopsError, ValueError):
    """The dict given to a view is not a plan this version can render."""


class OutOfScope(BoardopsError):
    """A workspace or board outside the project's read scope: nothing of it was read."""


class LeaseHeld(BoardopsError):
    """Another apply holds the lease and did not release it within ``--lock-timeout``."""


class OutputError(UsageError):
    """A file boardops was asked to write cannot be written safely (one line, exit 1)."""


class OverDailyLimit(UsageError):
    """The plan's estimated requests are more than what is left of today's call cap:
    refused before anything is sent (``--allow-partial`` goes ahead and stops before the cap)."""


class CallAllowanceSpent(BoardopsError):
    """The client's call allowance (``MondayClient.set_call_allowance``) is used up: the
    request was not sent. An apply with ``--allow-partial`` stops here, as if interrupted."""
