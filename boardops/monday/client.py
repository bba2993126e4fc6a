"""``MondayClient``: GraphQL over an injected ``httpx.Client``.

One seam for every backend: production passes a real ``httpx.Client``; tests and
``--sandbox`` pass one whose transport is the emulator or respx.

Retry rules (the heart of it):

* A query is retried on 429, 423 (board locked), 5xx, timeouts, lost connections and the
  throttling codes (``COMPLEXITY_BUDGET_EXHAUSTED``, ``maxConcurrencyExceeded``,
  ``FIELD_LIMIT_EXCEEDED``, ...), honouring the server's wait, else backing off.
* A mutation is retried only when monday refused it before running it (429, 423,
  throttling codes with no data, or a connection that never opened). When the request
  left and the answer did not come back (timeout, reset, 5xx, garbled body),
  :class:`~boardops.errors.OutcomeUnknown` is raised and nothing is re-sent.
* Before sending, the client waits for as long as the request would pass one of monday's
  per-minute caps (mutations, complexity, board creations: ``boardops.monday.pacing``), so
  a 429 is the exception; one that still comes holds every request for its retry time.
* ``DAILY_LIMIT_EXCEEDED`` is raised at once: the cap resets at midnight UTC.
* A host name that does not exist (NXDOMAIN) is raised at once: it will not resolve on a
  retry. A temporary resolver failure is retried like any connection that never opened.
  Network errors name the host (``cannot reach api.monday.com: name not resolved``), never
  the URL or the token (``boardops.monday.network``).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

import graphql
import httpx

from boardops import __version__
from boardops.errors import (
    ApiError,
    AuthenticationFailed,
    DailyLimitExceeded,
    HttpStatusError,
    MalformedResponse,
    OutcomeUnknown,
    QueryTooComplex,
    RateLimited,
    RequestTimeout,
    TransportError,
)
from boardops.model import SANDBOX_HEADER, printable
from boardops.monday.auth import (
    DEFAULT_API_URL,
    DEFAULT_API_VERSION,
    ApiToken,
    ClientSettings,
    refuse_cleartext,
)
from boardops.monday.batching import DEFAULT_BATCH_SIZE, BatchSizer
from boardops.monday.budget import BudgetTracker, CallAllowance, ClientStats, RetryPolicy
from boardops.monday.decode import (
    DecodedBody,
    DecodedError,
    ErrorKind,
    Response,
    decode_body,
    header_wait_hint,
    parse_rate_limit_header,
    parse_rate_limit_policy,
)
from boardops.monday.mutations import (
    DEFAULT_CHUNK_COMPLEXITY,
    BatchOutcomeUnknown,
    ChunkLimits,
    MutationCall,
    MutationResult,
    build_batch_document,
    chunk_calls,
    field_list,
    next_chunk,
)
from boardops.monday.network import host_of, reason_for
from boardops.monday.pacing import PaceLimits, Pacer, Ticket, account_tier, documented_cost
from boardops.monday.reads import BoardReads

logger = logging.getLogger("boardops.monday")

T = TypeVar("T")

# Boards read per structure request (each with its first 500 items). Larger requests
# save calls but approach the 5M per-query complexity cap on wide boards.
DEFAULT_BOARDS_PER_REQUEST = 10

# monday cuts a call at 60 s server-side; wait a little longer for its answer.
DEFAULT_TIMEOUT = httpx.Timeout(75.0, connect=10.0)

# monday's lowest plan allows 40 concurrent requests; stay well below.
DEFAULT_MAX_CONCURRENCY = 8

_OPERATION_NAME = re.compile(r"^\s*(?:query|mutation)\s+([_A-Za-z][_0-9A-Za-z]*)")


@functools.lru_cache(maxsize=256)
def _summary(document: str) -> tuple[bool, tuple[str, ...], tuple[str, ...]]:
    """Whether a document holds a mutation, its root field names (aliases where given,
    for the retry rules, logs and counters) and the fields they are (for pacing)."""
    try:
        parsed = graphql.parse(document, no_location=True)
    except graphql.GraphQLError:
        return False, (), ()
    is_mutation = False
    names: list[str] = []
    roots: list[str] = []
    for definition in parsed.definitions:
        if isinstance(definition, graphql.OperationDefinitionNode):
            is_mutation |= definition.operation is graphql.OperationType.MUTATION
            for selection in definition.selection_set.selections:
                if isinstance(selection, graphql.FieldNode):
                    name = selection.alias or selection.name
                    names.append(name.value)
                    roots.append(selection.name.value)
    return is_mutation, tuple(names), tuple(roots)


def _operation_name(document: str) -> str | None:
    match = _OPERATION_NAME.match(document)
    return match.group(1) if match else None


class _RetrySignal(Exception):
    """Internal: this attempt failed in a way that may be retried."""

    def __init__(self, error: ApiError, *, wait: float | None, throttled: bool) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait
        self.throttled = throttled


@dataclass(frozen=True)
class _Request:
    document: str
    variables: Mapping[str, object]
    operation: str | None
    mutation: bool
    fields: tuple[str, ...]
    estimated_complexity: int
    # The root fields sent, one per alias (``complexity`` left out), for pacing.
    roots: tuple[str, ...] = ()


class MondayClient(BoardReads):
    """A monday GraphQL client: retries, budget pacing, pagination, batched mutations."""

    def __init__(
        self,
        http: httpx.Client,
        token: ApiToken,
        *,
        api_url: str = DEFAULT_API_URL,
        api_version: str = DEFAULT_API_VERSION,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        batch_size: int | None = None,
        max_batch_complexity: int = DEFAULT_CHUNK_COMPLEXITY,
        boards_per_request: int = DEFAULT_BOARDS_PER_REQUEST,
        log_data: bool = False,
        allow_insecure_http: bool = False,
        sandbox_file: str | None = None,
        pace_limits: PaceLimits | None = None,
    ) -> None:
        if not isinstance(token, ApiToken):
            raise TypeError("token must be an ApiToken")
        # The token never travels in clear to a host other than loopback.
        refuse_cleartext(api_url, allow_insecure_http=allow_insecure_http)
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        if boards_per_request < 1:
            raise ValueError("boards_per_request must be at least 1")
        self._http = http
        self._token = token
        self.api_url = api_url
        # Named in network errors: the host only, never the URL (it may hold credentials).
        self.host = host_of(api_url)
        self.api_version = api_version
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        self._clock = clock
        self._sleep = sleep
        self.max_concurrency = max_concurrency
        self.batch_sizer = BatchSizer() if batch_size is None else None  # None: size fixed
        self._chunk_limits = ChunkLimits(batch_size or DEFAULT_BATCH_SIZE, max_batch_complexity)
        self._round_trip = threading.local()  # this thread's last answered round trip
        self.boards_per_request = boards_per_request
        self.log_data = log_data
        # The state file of the in-process sandbox answering this client (None: monday, or a
        # server at api_url): logs and the live state read name it instead of a URL.
        self.sandbox_file = sandbox_file
        # The in-process sandbox's URL is a placeholder (a served one's is real).
        self._placeholder_url = sandbox_file is not None
        self._in_flight = threading.BoundedSemaphore(max_concurrency)
        self.budget = BudgetTracker(clock, request_reserve=max_concurrency)
        # Per-minute caps (mutations, complexity, board creations), kept before sending:
        # monday's documented numbers unless ``pace_limits`` fixes them (boardops.monday.pacing).
        self.pacer = Pacer(clock, pace_limits)
        self.stats = ClientStats()
        self._allowance: CallAllowance | None = None

    @classmethod
    def from_settings(
        cls, http: httpx.Client, token: ApiToken, settings: ClientSettings, **options: Any
    ) -> MondayClient:
        return cls(
            http,
            token,
            api_url=settings.api_url,
            api_version=settings.api_version,
            allow_insecure_http=settings.allow_insecure_http,
            **options,
        )

    def __repr__(self) -> str:
        return f"MondayClient(api_url={self.api_url!r}, api_version={self.api_version!r})"

    # ----------------------------------------------------------------- call allowance

    def set_call_allowance(self, calls: int | None) -> None:
        """Send at most ``calls`` more requests (retries count: each is a call monday
        counts); the one after raises ``CallAllowanceSpent`` unsent. None: no allowance."""
        if calls is not None and calls < 0:
            raise ValueError("a call allowance cannot be negative")
        self._allowance = None if calls is None else CallAllowance(calls)

    # ----------------------------------------------------------------- raw requests

    def execute(
        self,
        document: str,
        variables: Mapping[str, object] | None = None,
        *,
        operation: str | None = None,
        mutation: bool = False,
    ) -> Response:
        """Send one document; return data and errors side by side (partial data kept).

        Raises for what the caller cannot act on per field: transport failures, HTTP
        errors, throttling that outlasted the retry policy, ``OutcomeUnknown``.
        """
        is_mutation, fields, roots = _summary(document)
        request = _Request(
            document=document,
            variables=dict(variables or {}),
            operation=operation
            or _operation_name(document)
            or f"anonymous({','.join(fields) or '?'})",
            # A mutation sent through query() still gets the never-re-send rule.
            mutation=mutation or is_mutation,
            fields=tuple(name for name in fields if name != "complexity"),
            estimated_complexity=0,
            roots=tuple(name for name in roots if name != "complexity"),
        )
        return self._execute(request)

    def query(
        self,
        document: str,
        variables: Mapping[str, object] | None = None,
        *,
        operation: str | None = None,
    ) -> dict[str, Any]:
        """Run a query; return its ``data``, or raise its first error."""
        response = self.execute(document, variables, operation=operation)
        return dict(response.data_or_raise())

    def mutate(
        self,
        document: str,
        variables: Mapping[str, object] | None = None,
        *,
        operation: str | None = None,
    ) -> dict[str, Any]:
        """Run a mutation; never re-sent once it may have reached monday."""
        response = self.execute(document, variables, operation=operation, mutation=True)
        return dict(response.data_or_raise())

    # ----------------------------------------------------------------- batches

    @property
    def batch_size(self) -> int:
        """How many mutations the next batched request may carry."""
        if self.batch_sizer is None:
            return self._chunk_limits.max_calls
        return self.batch_sizer.size

    def mutate_batch(self, calls: Sequence[MutationCall]) -> list[MutationResult]:
        """Send mutations as aliased fields, in order, chunked; one result per call.

        A failed alias carries its error and does not hide the others' results. If a
        chunk's answer is lost, :class:`BatchOutcomeUnknown` says which calls are in
        doubt, which results are known (earlier chunks) and which were never sent.
        """
        if self._allowance is not None:
            # A batch goes whole or not at all (its requests at the size of the moment).
            limits = ChunkLimits(self.batch_size, self._chunk_limits.max_complexity)
            self._allowance.require(len(chunk_calls(calls, limits)), "boardops_batch")
        # Aliases number all the calls; each request takes a chunk at the size of the moment.
        pending = deque((f"m{index}", call) for index, call in enumerate(calls))
        results: list[MutationResult] = []
        sent = 0
        smaller: int | None = None  # set once monday refused a chunk as too complex
        while pending:
            size = self.batch_size if smaller is None else min(smaller, self.batch_size)
            chunk = next_chunk(pending, ChunkLimits(size, self._chunk_limits.max_complexity))
            batch = build_batch_document(chunk)
            request = _Request(
                document=batch.document,
                variables=batch.variables,
                operation=batch.operation,
                mutation=True,
                fields=tuple(field_list(batch.calls)),
                estimated_complexity=batch.estimated_complexity,
                roots=tuple(call.field for _, call in chunk),
            )
            try:
                response = self._execute(request, field_count=len(chunk))
            except OutcomeUnknown as lost:
                raise BatchOutcomeUnknown(
                    f"{lost.message}; {len(chunk)} batched mutation(s) may or may not have run",
                    in_doubt_calls=chunk,
                    completed=results,
                    not_sent=[call for _, call in pending],
                    operation=batch.operation,
                    request_id=lost.request_id,
                ) from lost
            sent += 1
            if len(chunk) > 1 and _refused_as_too_complex(response, chunk):
                # Over the per-query cap: checked before anything runs, so the same calls
                # can go again in smaller requests (a measured size keeps it for later).
                if self.batch_sizer is not None:
                    self.batch_sizer.refused_as_too_complex(len(chunk))
                    smaller = self.batch_sizer.size
                else:
                    smaller = max(1, len(chunk) // 2)
                pending.extendleft(reversed(chunk))
                logger.info(
                    "batch of %d mutation(s) is over the per-query complexity cap; "
                    "sending the rest %d at a time",
                    len(chunk),
                    smaller,
                )
                continue
            if self.batch_sizer is not None:
                cost = response.complexity.query if response.complexity is not None else None
                self.batch_sizer.observe_batch(len(chunk), self._round_trip.seconds, cost)
            chunk_results = self._batch_results(chunk, response)
            failed = [result.alias for result in chunk_results if not result.ok]
            logger.debug(
                "batch request %d: %d mutation(s) [%s], aliases %s..%s, %d failed %s",
                sent,
                len(chunk),
                ", ".join(request.fields),
                chunk[0][0],
                chunk[-1][0],
                len(failed),
                failed,
            )
            results.extend(chunk_results)
        return results

    @staticmethod
    def _batch_results(
        chunk: Sequence[tuple[str, MutationCall]], response: Response
    ) -> list[MutationResult]:
        aliases = {alias for alias, _ in chunk}
        data = response.data
        alias_errors = [error for error in response.errors if error.alias in aliases]
        if data is None and not alias_errors:
            # The whole request was refused (validation, authorisation): nothing ran.
            response.raise_for_errors()
            raise MalformedResponse("the batch response has no data", operation=response.operation)
        results = []
        for alias, call in chunk:
            errors = response.errors_at(alias)
            value = data.get(alias) if data is not None else None
            results.append(
                MutationResult(
                    alias=alias, call=call, data=value, error=errors[0] if errors else None
                )
            )
        return results

    def run_concurrently(
        self, fns: Sequence[Callable[[], T]], *, on_failure: Callable[[], None] | None = None
    ) -> list[T]:
        """Run independent reads on up to ``max_concurrency`` threads; results in order.

        The first failure (in the order given) is raised once the running calls finish;
        calls not yet started are cancelled, and ``on_failure`` is called first so the
        running ones can stop early (a Ctrl-C in the waiting thread is such a failure).
        """
        if len(fns) <= 1 or self.max_concurrency == 1:
            return [fn() for fn in fns]
        with ThreadPoolExecutor(
            max_workers=min(self.max_concurrency, len(fns)), thread_name_prefix="boardops-monday"
        ) as pool:
            futures = [pool.submit(fn) for fn in fns]
            try:
                return [future.result() for future in futures]
            except BaseException:
                if on_failure is not None:
                    on_failure()
                for future in futures:
                    future.cancel()
                raise

    # ----------------------------------------------------------------- the engine

    def _execute(self, request: _Request, *, field_count: int | None = None) -> Response:
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            ticket = self._pace(request)
            try:
                response = self._attempt(request, field_count)
            except _RetrySignal as signal:
                ticket.settle()
                # Drop the httpx exception chain: its request object holds our headers.
                signal.__context__ = None
                signal.__cause__ = None
                wait = signal.wait if signal.wait is not None else self._retry.backoff(attempt)
                elapsed = self._clock() - started
                if attempt >= self._retry.max_attempts:
                    logger.warning(
                        "%s: giving up after %d attempt(s): %s",
                        request.operation,
                        attempt,
                        signal.error,
                    )
                    raise signal.error from None
                if elapsed + wait > self._retry.max_total_seconds:
                    logger.warning(
                        "%s: giving up, a further %.1fs wait would pass the %.0fs limit: %s",
                        request.operation,
                        wait,
                        self._retry.max_total_seconds,
                        signal.error,
                    )
                    raise signal.error from None
                self.stats.record_retry(throttled=signal.throttled)
                logger.warning(
                    "%s: attempt %d failed (%s); retrying in %.1fs",
                    request.operation,
                    attempt,
                    signal.error,
                    wait,
                )
                self._wait(wait)
            except BaseException:
                ticket.settle()
                raise
            else:
                self._settle(request, ticket, response)
                if not request.mutation and self.batch_sizer is not None:
                    self.batch_sizer.observe_read(self._round_trip.seconds)
                return response

    def _pace(self, request: _Request) -> Ticket:
        """Wait as long as sending now would pass a per-minute cap; the pacer's ticket."""
        cost = self.pacer.estimate(
            fields=request.roots,
            operation=request.operation,
            mutation=request.mutation,
            estimated=request.estimated_complexity,
        )
        wait = self.budget.wait_before(cost.complexity)
        if wait > 0:
            logger.info(
                "%s: the per-minute budget is nearly spent; pausing %.1fs for it to reset",
                request.operation,
                wait,
            )
            self._wait(wait)
            self.budget.forget()
        while True:
            admission = self.pacer.admit(cost, request.roots, request.operation)
            if admission.ticket is not None:
                return admission.ticket
            if admission.wait is None:
                # Only requests still in flight hold what this one needs: their answers
                # tell when it can go.
                self.pacer.wait_for_answers(timeout=1.0)
                continue
            logger.info(
                "%s: waiting %.1fs before sending, for %s",
                request.operation,
                admission.wait,
                admission.binding,
            )
            self._wait(admission.wait)

    def _settle(self, request: _Request, ticket: Ticket, response: Response) -> None:
        """The spend is in: what it cost corrects the pacer's window and its estimates."""
        reading = response.complexity
        ticket.settle(reading.query if reading is not None else None)
        if reading is None:
            return
        counts: dict[str, int] = {}
        for name in request.roots:
            counts[name] = counts.get(name, 0) + 1
        self.pacer.learn(
            fields=counts,
            estimates={name: documented_cost(name) for name in counts},
            operation=request.operation,
            mutation=request.mutation,
            actual=reading.query,
        )

    def _wait(self, seconds: float) -> None:
        self.stats.record_wait(seconds)
        self._sleep(seconds)

    def _attempt(self, request: _Request, field_count: int | None) -> Response:
        operation = request.operation
        fields_sent = field_count if field_count is not None else len(request.fields)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s: %s",
                "mutation" if request.mutation else "query",
                operation,
                ", ".join(request.fields),
            )
            if self.log_data:
                logger.debug("%s variables: %r", operation, request.variables)
        headers = {
            "Authorization": self._token.reveal(),
            "API-Version": self.api_version,
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": f"boardops/{__version__}",
        }
        body = {"query": request.document, "variables": dict(request.variables)}
        if self._allowance is not None:
            self._allowance.spend(operation)
        started = self._clock()
        self.stats.record_request(mutation=request.mutation, fields=fields_sent)
        # Failures are raised after the except blocks so that no exception raised here
        # keeps httpx's (whose request holds our headers) as its context.
        failure: ApiError | None = None
        lost = ""  # set when the request may have reached monday
        permanent = False  # retrying cannot help
        try:
            with self._in_flight:
                sent_at = self._clock()
                http_response = self._http.post(
                    self.api_url, json=body, headers=headers, timeout=self._timeout
                )
                self._round_trip.seconds = self._clock() - sent_at
        except (httpx.UnsupportedProtocol, httpx.LocalProtocolError) as error:
            # Our request could not be formed: retrying will not change that.
            raise TransportError(
                f"cannot send the request to {self.host}: {type(error).__name__}",
                operation=operation,
            ) from None
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            # The request never left: safe to retry, mutation or not, unless retrying
            # cannot help (a name that does not exist).
            reason = reason_for(error)
            failure = TransportError(
                f"cannot reach {self.host}: {reason.text}", operation=operation
            )
            permanent = reason.permanent
        except httpx.TimeoutException as error:
            reason = reason_for(error)
            lost = f"no answer from {self.host} in time ({reason.text})"
            failure = RequestTimeout(
                f"{self.host} did not answer in time: {reason.text}", operation=operation
            )
        except httpx.TransportError as error:
            reason = reason_for(error)
            lost = f"connection to {self.host} lost ({reason.text})"
            failure = TransportError(
                f"connection to {self.host} lost: {reason.text}", operation=operation
            )
        if failure is not None:
            if permanent:
                logger.debug("%s: %s; not retrying", operation, failure)
                raise failure
            if lost:
                self._lost(request, lost)
            raise _RetrySignal(failure, wait=None, throttled=False)
        duration = self._clock() - started
        decoded = self._observe(request, http_response, duration)
        return self._classify(request, http_response, decoded)

    def _lost(self, request: _Request, what: str, request_id: str | None = None) -> None:
        """For a mutation whose request left: stop here, never re-send."""
        if request.mutation:
            logger.warning(
                "%s: %s after the mutation was sent; not re-sending (outcome unknown)",
                request.operation,
                what,
            )
            raise OutcomeUnknown(
                f"{what} after the mutation was sent; it may or may not have been applied",
                in_doubt=request.fields,
                operation=request.operation,
                request_id=request_id,
            )

    def _observe(
        self, request: _Request, http_response: httpx.Response, duration: float
    ) -> DecodedBody | None:
        """Take in what an answer tells whatever it says (rate-limit headers, complexity
        spent) and decode its body; an unreadable body of a sent mutation is a lost answer."""
        operation = request.operation
        status = http_response.status_code
        if self.sandbox_file is None:
            served_by = http_response.headers.get(SANDBOX_HEADER)
            if served_by:  # a `boardops sandbox serve` reached by --api-url
                self.sandbox_file = printable(served_by)[:200]
        self.budget.observe_headers(parse_rate_limit_header(http_response.headers.get("ratelimit")))
        quotas = parse_rate_limit_policy(http_response.headers.get("ratelimit-policy"))
        self.budget.observe_policy(quotas)
        self.pacer.observe_policy(quotas)
        try:
            decoded = decode_body(http_response, operation=operation, require_json=status == 200)
        except MalformedResponse:
            request_id = http_response.headers.get("x-request-id")
            self._lost(request, f"HTTP {status} with an unreadable body", request_id)
            raise
        if decoded is not None:
            self.pacer.observe_tier(account_tier(decoded.data))
        if decoded is not None and decoded.complexity is not None:
            self.budget.observe_complexity(decoded.complexity)
            self.stats.record_complexity(decoded.complexity.query)
        self._log_answer(request, status, duration, decoded)
        if self.log_data and decoded is not None:
            logger.debug("%s data: %r", operation, decoded.data)
        return decoded

    def _log_answer(
        self, request: _Request, status: int, duration: float, decoded: DecodedBody | None
    ) -> None:
        """``-v`` (INFO): the operation and its cost; ``-vv`` (DEBUG): the HTTP exchange."""
        reading = decoded.complexity if decoded is not None else None
        cost = (
            f"complexity {reading.query}, budget left {reading.after} "
            f"(resets in {reading.reset_in_seconds:.0f} s)"
            if reading is not None
            else "complexity not reported"
        )
        # A batch's name says little: its root fields say what it does.
        what = f" ({', '.join(request.fields)})" if request.mutation and request.fields else ""
        kind = "mutation" if request.mutation else "query"
        logger.info("%s %s%s: %s", kind, request.operation, what, cost)
        # The in-process sandbox's URL is a placeholder: the log line's prefix names its
        # state file.
        where = "sandbox" if self._placeholder_url else self.api_url
        logger.debug(
            "POST %s %s: HTTP %d in %.3fs, %d error(s)",
            where,
            request.operation,
            status,
            duration,
            len(decoded.errors) if decoded else 0,
        )

    def _classify(
        self, request: _Request, http_response: httpx.Response, decoded: DecodedBody | None
    ) -> Response:
        """The answer, or the error it amounts to: raised at once (daily limit, 401, a
        GraphQL error with no data), as a retry signal (throttled, locked, 5xx), or as a
        lost answer (a sent mutation's 5xx)."""
        operation = request.operation
        status = http_response.status_code
        header_request_id = http_response.headers.get("x-request-id")
        entries = decoded.errors if decoded else ()
        header_wait = header_wait_hint(http_response.headers)
        request_id = header_request_id or next(
            (entry.error.request_id for entry in entries if entry.error.request_id), None
        )

        daily = next((entry for entry in entries if entry.kind is ErrorKind.DAILY_LIMIT), None)
        if daily is not None:
            self.stats.record_throttled()
            raise DailyLimitExceeded(
                "monday's daily API call limit for this account is spent; it resets at "
                "midnight UTC (retrying within this run would not help)",
                retry_in_seconds=daily.retry_in_seconds,
                code=daily.error.code,
                operation=operation,
                request_id=request_id,
            )

        nothing_ran = decoded is None or _nothing_ran(decoded)
        throttled = [entry for entry in entries if entry.kind is ErrorKind.THROTTLED]
        if status == 429 or (throttled and (nothing_ran or not request.mutation)):
            self._throttled(request, throttled, header_wait, request_id)
        locked = [entry for entry in entries if entry.kind is ErrorKind.LOCKED]
        if status == 423 or (locked and (nothing_ran or not request.mutation)):
            message = locked[0].error.message if locked else "the board is locked"
            raise _RetrySignal(
                HttpStatusError(
                    f"HTTP 423: {message}",
                    status_code=423,
                    operation=operation,
                    request_id=request_id,
                ),
                wait=header_wait,
                throttled=False,
            )
        if status >= 500:
            self._lost(request, f"HTTP {status}", request_id)
            raise _RetrySignal(
                HttpStatusError(
                    f"monday answered HTTP {status}",
                    status_code=status,
                    operation=operation,
                    request_id=request_id,
                ),
                wait=header_wait,
                throttled=False,
            )
        if status == 401:
            raise AuthenticationFailed(
                "monday refused the API token (HTTP 401): check MONDAY_API_TOKEN or --token-file",
                status_code=401,
                operation=operation,
                request_id=request_id,
            )
        if 200 <= status < 300 and decoded is not None:
            return Response(
                data=decoded.data,
                errors=tuple(entry.error for entry in entries),
                status_code=status,
                operation=operation,
                request_id=request_id,
                complexity=decoded.complexity,
            )
        if entries:
            raise entries[0].error
        raise HttpStatusError(
            f"monday answered HTTP {status}",
            status_code=status,
            operation=operation,
            request_id=request_id,
        )

    def _throttled(
        self,
        request: _Request,
        throttled: Sequence[DecodedError],
        header_wait: float | None,
        request_id: str | None,
    ) -> NoReturn:
        hints = [
            entry.retry_in_seconds for entry in throttled if entry.retry_in_seconds is not None
        ]
        if header_wait is not None:
            hints.append(header_wait)
        wait = max(hints) if hints else None
        first = throttled[0].error if throttled else None
        message = first.message if first else "rate limited (HTTP 429)"
        if wait is not None:
            # Every request waits it out, not only this one's retry.
            self.pacer.hold(wait, f"monday's retry time after a 429: {message}")
        raise _RetrySignal(
            RateLimited(
                f"monday throttled the request: {message}",
                retry_in_seconds=wait,
                code=first.code if first else None,
                operation=request.operation,
                request_id=request_id,
            ),
            wait=wait,
            throttled=True,
        )


def _nothing_ran(decoded: DecodedBody) -> bool:
    """True when no root field (other than ``complexity``) produced data."""
    if decoded.data is None:
        return True
    return all(value is None for key, value in decoded.data.items() if key != "complexity")


def _refused_as_too_complex(response: Response, chunk: Sequence[tuple[str, MutationCall]]) -> bool:
    """The whole request was refused for its size, and no alias ran."""
    aliases = {alias for alias, _ in chunk}
    data = response.data or {}
    ran = any(data.get(alias) is not None for alias in aliases)
    return not ran and any(isinstance(error, QueryTooComplex) for error in response.errors)
