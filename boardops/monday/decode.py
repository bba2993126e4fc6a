"""Turning monday's HTTP answers into data, typed errors and budget readings.

monday answers application errors with HTTP 200 and an ``errors[]`` array (possibly next
to partial ``data``), transport-level failures with real HTTP statuses, and throttling
with either. So every answer is decoded the same way, and classified by
``extensions.code`` as well as by status.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any

import httpx

from boardops.errors import CursorExpired, GraphQLError, MalformedResponse, QueryTooComplex

# Throttling codes monday documents (error-handling and rate-limits pages), current and
# legacy spellings. Any error that carries ``retry_in_seconds`` is throttling as well.
THROTTLE_CODES = frozenset(
    {
        "COMPLEXITY_BUDGET_EXHAUSTED",
        "maxConcurrencyExceeded",
        "FIELD_LIMIT_EXCEEDED",
        "Rate Limit Exceeded",
        "RATE_LIMIT_EXCEEDED",
        "IP_RATE_LIMIT_EXCEEDED",
        "Minute limit rate exceeded",
        "Concurrency limit exceeded",
    }
)
DAILY_LIMIT_CODES = frozenset({"DAILY_LIMIT_EXCEEDED"})
# Over the per-query cap (not the per-minute budget): waiting does not help, asking for
# less per request does.
TOO_COMPLEX_CODES = frozenset({"ComplexityException", "maxComplexityExceeded"})
_TOO_COMPLEX_MESSAGE = re.compile(r"exceeds max(imum)? complexity", re.IGNORECASE)
CURSOR_CODES = frozenset({"CursorExpiredError", "CursorException", "InvalidCursorException"})
_CURSOR_MESSAGE = re.compile(r"cursor.*(expired|invalid|not found)", re.IGNORECASE)
_LOCKED_MESSAGE = re.compile(r"currently locked", re.IGNORECASE)


class ErrorKind(Enum):
    """What the client should do about an ``errors[]`` entry."""

    THROTTLED = "throttled"  # refused before execution: wait and retry
    DAILY_LIMIT = "daily_limit"  # refused, and waiting within a run will not help
    LOCKED = "locked"  # board locked by a concurrent update (423): retry
    CURSOR = "cursor"  # the items_page cursor expired: restart the read
    TOO_COMPLEX = "too_complex"  # over the per-query cap: split the request
    OTHER = "other"  # an application error for the caller


@dataclass(frozen=True)
class DecodedError:
    error: GraphQLError
    kind: ErrorKind
    retry_in_seconds: float | None


@dataclass(frozen=True)
class ComplexityReading:
    """The ``complexity { before after query reset_in_x_seconds }`` piggybacked on a request."""

    before: int
    after: int
    query: int
    reset_in_seconds: float


@dataclass(frozen=True)
class RateLimitReading:
    """One entry of the ``RateLimit`` header (``"complexityMinute";r=4950000;t=45``)."""

    name: str
    remaining: int | None
    reset_in_seconds: float | None


@dataclass(frozen=True)
class Response:
    """A decoded answer: data (possibly partial) and the errors next to it.

    ``errors_at(alias)`` gives the errors whose path starts at a root field or batch alias,
    so a caller can tell which parts of a request failed and keep the others.
    """

    data: Mapping[str, Any] | None
    errors: tuple[GraphQLError, ...]
    status_code: int
    operation: str | None = None
    request_id: str | None = None
    complexity: ComplexityReading | None = None

    def errors_at(self, alias: str) -> tuple[GraphQLError, ...]:
        return tuple(error for error in self.errors if error.alias == alias)

    def request_errors(self) -> tuple[GraphQLError, ...]:
        """Errors that belong to no field (parse, validation, authorisation...)."""
        return tuple(error for error in self.errors if not error.path)

    def raise_for_errors(self) -> None:
        if self.errors:
            raise self.errors[0]

    def data_or_raise(self) -> Mapping[str, Any]:
        self.raise_for_errors()
        if self.data is None:
            raise MalformedResponse(
                "the response has neither data nor errors",
                operation=self.operation,
                request_id=self.request_id,
            )
        return self.data


def _float_or_none(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _int_or_none(value: object) -> int | None:
    number = _float_or_none(value)
    return None if number is None else int(number)


def _path(raw: object) -> tuple[str | int, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return ()
    return tuple(
        part for part in raw if isinstance(part, (str, int)) and not isinstance(part, bool)
    )


def decode_error(
    entry: Mapping[str, Any],
    *,
    http_status: int,
    operation: str | None,
    fallback_request_id: str | None,
) -> DecodedError:
    """One ``errors[]`` entry (current format) as a typed error plus what to do about it."""
    raw_extensions = entry.get("extensions")
    extensions: Mapping[str, Any] = raw_extensions if isinstance(raw_extensions, Mapping) else {}
    raw_error_data = extensions.get("error_data", entry.get("error_data"))
    error_data: Mapping[str, Any] = raw_error_data if isinstance(raw_error_data, Mapping) else {}
    code_value = extensions.get("code", entry.get("error_code"))
    code = str(code_value) if code_value is not None else None
    message = str(entry.get("message") or entry.get("error_message") or code or "unknown error")
    status_code = _int_or_none(extensions.get("status_code", entry.get("status_code")))
    if status_code is None and http_status != 200:
        status_code = http_status
    request_id_value = extensions.get("request_id")
    request_id = str(request_id_value) if request_id_value else fallback_request_id
    retry_in = _float_or_none(extensions.get("retry_in_seconds"))
    if retry_in is None:
        retry_in = _float_or_none(error_data.get("retry_in_seconds"))
    if retry_in is None:
        retry_in = _float_or_none(entry.get("retry_in_seconds"))

    if code in DAILY_LIMIT_CODES:
        kind = ErrorKind.DAILY_LIMIT
    elif code in THROTTLE_CODES or retry_in is not None:
        kind = ErrorKind.THROTTLED
    elif status_code == 423 or _LOCKED_MESSAGE.search(message):
        kind = ErrorKind.LOCKED
    elif code in TOO_COMPLEX_CODES or _TOO_COMPLEX_MESSAGE.search(message):
        kind = ErrorKind.TOO_COMPLEX
    elif code in CURSOR_CODES or _CURSOR_MESSAGE.search(message):
        kind = ErrorKind.CURSOR
    else:
        kind = ErrorKind.OTHER

    error_class: type[GraphQLError] = {
        ErrorKind.CURSOR: CursorExpired,
        ErrorKind.TOO_COMPLEX: QueryTooComplex,
    }.get(kind, GraphQLError)
    error = error_class(
        message,
        code=code,
        status_code=status_code,
        path=_path(entry.get("path")),
        operation=operation,
        request_id=request_id,
        error_data=dict(error_data) if error_data else None,
    )
    return DecodedError(error=error, kind=kind, retry_in_seconds=retry_in)


@dataclass(frozen=True)
class DecodedBody:
    data: Mapping[str, Any] | None
    errors: tuple[DecodedError, ...]
    complexity: ComplexityReading | None


def decode_body(
    response: httpx.Response, *, operation: str | None, require_json: bool
) -> DecodedBody | None:
    """Parse a JSON body in monday's shape; ``None`` when it is not JSON and not required.

    Raises :class:`MalformedResponse` when ``require_json`` and the body is not an object
    with ``data`` or ``errors``.
    """
    request_id = response.headers.get("x-request-id")
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        if not require_json:
            return None
        raise MalformedResponse(
            f"HTTP {response.status_code} with a body that is not JSON",
            operation=operation,
            request_id=request_id,
        ) from None
    if not isinstance(body, Mapping):
        if not require_json:
            return None
        raise MalformedResponse(
            "the response body is not a JSON object", operation=operation, request_id=request_id
        )
    raw_entries: list[Mapping[str, Any]] = []
    raw_errors = body.get("errors")
    if isinstance(raw_errors, list):
        raw_entries.extend(entry for entry in raw_errors if isinstance(entry, Mapping))
    elif raw_errors is not None and not isinstance(raw_errors, list):
        raw_entries.append({"message": str(raw_errors)})
    if "error_code" in body or "error_message" in body:
        # The legacy top-level error format (still used by some throttling answers).
        raw_entries.append(body)
    errors = tuple(
        decode_error(
            entry,
            http_status=response.status_code,
            operation=operation,
            fallback_request_id=request_id,
        )
        for entry in raw_entries
    )
    raw_data = body.get("data")
    data = raw_data if isinstance(raw_data, Mapping) else None
    if data is None and not errors and require_json:
        raise MalformedResponse(
            "the response has neither data nor errors", operation=operation, request_id=request_id
        )
    return DecodedBody(data=data, errors=errors, complexity=read_complexity(data))


def read_complexity(data: Mapping[str, Any] | None) -> ComplexityReading | None:
    if data is None:
        return None
    raw = data.get("complexity")
    if not isinstance(raw, Mapping):
        return None
    before = _int_or_none(raw.get("before"))
    after = _int_or_none(raw.get("after"))
    query = _int_or_none(raw.get("query"))
    reset = _float_or_none(raw.get("reset_in_x_seconds"))
    if before is None or after is None or query is None or reset is None:
        return None
    return ComplexityReading(before=before, after=after, query=query, reset_in_seconds=reset)


def parse_structured_header(value: str | None) -> dict[str, dict[str, str]]:
    """Parse the IETF draft list monday uses: ``"name";key=value;key=value, "name2";...``."""
    members: dict[str, dict[str, str]] = {}
    if not value:
        return members
    for member in value.split(","):
        parts = [part.strip() for part in member.split(";")]
        name = parts[0].strip('"')
        if not name:
            continue
        params: dict[str, str] = {}
        for part in parts[1:]:
            key, _, raw = part.partition("=")
            params[key.strip()] = raw.strip().strip('"')
        members[name] = params
    return members


def parse_rate_limit_header(value: str | None) -> dict[str, RateLimitReading]:
    """Parse ``RateLimit: "minuteRate";r=4999, "complexityMinute";r=4950000;t=45``."""
    return {
        name: RateLimitReading(
            name=name,
            remaining=_int_or_none(params.get("r")),
            reset_in_seconds=_float_or_none(params.get("t")),
        )
        for name, params in parse_structured_header(value).items()
    }


def parse_rate_limit_policy(value: str | None) -> dict[str, int]:
    """Quotas from ``RateLimit-Policy: "complexityMinute";q=5000000;w=60, ...``."""
    quotas: dict[str, int] = {}
    for name, params in parse_structured_header(value).items():
        quota = _int_or_none(params.get("q"))
        if quota is not None:
            quotas[name] = quota
    return quotas


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: either a number or an HTTP date."""
    if not value:
        return None
    seconds = _float_or_none(value.strip())
    if seconds is not None:
        return max(0.0, seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    reference = now or datetime.now(timezone.utc)
    return max(0.0, (when - reference).total_seconds())


def header_wait_hint(headers: httpx.Headers) -> float | None:
    """The wait the headers ask for: ``Retry-After``, else the largest ``RateLimit`` ``t``
    among exhausted limits."""
    retry_after = parse_retry_after(headers.get("retry-after"))
    if retry_after is not None:
        return retry_after
    waits = [
        reading.reset_in_seconds
        for reading in parse_rate_limit_header(headers.get("ratelimit")).values()
        if reading.reset_in_seconds is not None and reading.remaining == 0
    ]
    return max(waits) if waits else None
