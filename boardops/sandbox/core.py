"""``Sandbox``: one emulated monday account, answering HTTP-shaped requests.

``Sandbox.handle`` takes a method, path, headers and body and returns an ``Outcome``: a
response, or a fault that the transport (in-process) or the server (real HTTP) acts out.
Per API request it: checks auth, draws faults and sleeps the injected latency, applies
the concurrency, request and complexity limits, parses and validates the document,
reloads the state file if another process replaced it, executes, and persists once at the
end when something changed.

Mutations also meet ``Limits.mutations_per_minute`` (each root mutation field counts; a
request the window cannot hold is refused whole with HTTP 429 and ``retry_in_seconds``)
and, with ``server_ms_per_mutation``, take that much server time per root mutation field:
the request is answered once it has kept the server busy that long (the sandbox's own
parsing and running count towards it), the rest slept on the sandbox's ``sleep`` (so a
fake clock works in tests). A call
whose server time would pass monday's 60 s per call is cut at 60 s: nothing of it runs and
the connection is dropped without an answer, as a timed-out call is (the client cannot
tell what ran). Every mutation request's interval is recorded per board it writes to
(``board_writes``), so tests can check that no two writes to one board overlap.

Besides the API (``POST /v2`` or ``POST /``) the sandbox answers admin requests:
``/sandbox/counters`` (GET or POST), ``POST /sandbox/counters/reset``, ``GET
/sandbox/faults``, ``POST /sandbox/faults`` (body: ``{"faults": SPEC}`` as JSON, or the
spec as text; an empty spec switches faults off, ``{}`` only shows them),
``/sandbox/account`` (GET, or POST ``{"tier": ..., "first_day_of_the_week": ...}``; ``{}``
only shows it) and ``POST /sandbox/reset`` (forget all data). ``/v2/sandbox/...`` works
too. In the process (``transport()``) they need no auth; the HTTP server (server.py) only
answers them with ``--admin``, to JSON POSTs carrying its admin token.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    OperationType,
)

from boardops.model import WeekStart
from boardops.sandbox.executor import (
    CURRENT_VERSION,
    Counters,
    Cursor,
    ExecutionContext,
    parse_and_validate,
    run,
    sandbox_schema,
)
from boardops.sandbox.failures import HttpFailure
from boardops.sandbox.faults import FaultInjector, FaultKind, Faults
from boardops.sandbox.guard import TooComplex, check_shape, check_text
from boardops.sandbox.limits import Limits, Window, estimate_complexity
from boardops.sandbox.profiles import Profile, ProfileMismatch, ProfileName, profile_named
from boardops.sandbox.state import StateData, StateFile, StateView, fresh_state
from boardops.sandbox.writes import BoardWrite, argument, root_fields

if TYPE_CHECKING:
    import httpx

    from boardops.sandbox.server import SandboxServer

API_PATHS = ("/v2", "/v2/", "/")
_log = logging.getLogger(__name__)
_VERSION = re.compile(r"^\d{4}-\d{2}$")

# The faults that refuse the whole request: HTTP status, code, message, and whether the
# refusal carries ``retry_in_seconds``.
_FAULT_REFUSALS: Mapping[FaultKind, tuple[int, str, str, bool]] = {
    "429": (429, "RATE_LIMIT_EXCEEDED", "Rate Limit Exceeded", True),
    "locked": (
        423,
        "RESOURCE_LOCKED",
        "Resource is currently locked, please try again later",
        True,
    ),
    "5xx": (500, "INTERNAL_SERVER_ERROR", "Internal Server Error", False),
}


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Outcome:
    """What to do with a request: send ``response``, or act out ``fault`` (see faults.py).

    ``executed`` says whether the request ran (and committed, for mutations).
    """

    response: Response | None
    fault: FaultKind | None = None
    executed: bool = False
    stall_seconds: float = 0.0


# monday cuts every call at 60 s.
CALL_TIMEOUT_SECONDS = 60.0
BOARD_WRITES_KEPT = 100_000


class _CallTimedOut(Exception):
    """The call's server time passed ``CALL_TIMEOUT_SECONDS``: nothing of it ran."""


@dataclass
class _Limiter:
    requests: Window
    complexity: Window
    create_board: Window
    mutations: Window
    in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Sandbox:
    """A local monday account. ``state_path=None`` keeps everything in memory."""

    def __init__(
        self,
        state_path: Path | None = None,
        *,
        limits: Limits | None = None,
        faults: Faults | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        seed: int = 0,
        profile: ProfileName | None = None,
        server_ms_per_mutation: float = 0.0,
    ) -> None:
        """``profile``: "docs" (the default) or "recorded" (see ``profiles.py``). With a
        state file, None means the profile stored in it; another explicit profile than the
        stored one raises ``ProfileMismatch``. ``server_ms_per_mutation``: server time each
        root mutation field of a request adds (slept with ``sleep``)."""
        if not server_ms_per_mutation >= 0:
            raise ValueError(f"server_ms_per_mutation: {server_ms_per_mutation!r} is not >= 0")
        self.server_ms_per_mutation = float(server_ms_per_mutation)
        # The latest mutation requests per board they wrote to (bounded: a server may run
        # for days).
        self.board_writes: deque[BoardWrite] = deque(maxlen=BOARD_WRITES_KEPT)
        self._events = 0
        # When the server started working on this thread's request (latency excluded).
        self._busy = threading.local()
        self.limits = limits or Limits()
        self.clock = clock
        self.sleep = sleep
        self.seed = seed
        self.counters = Counters()
        self._file = StateFile(Path(state_path)) if state_path is not None else None
        self._profile = profile_named(profile or "docs")
        self._data: StateData = fresh_state(self._profile.name)
        self._lock = threading.RLock()
        self._cursors: dict[str, Cursor] = {}
        self._encoded_values: dict[tuple[str, str], tuple[Any, str]] = {}
        self._request_number = 0
        self._limiter = _Limiter(
            Window(self.limits.requests_per_minute, clock),
            Window(self.limits.complexity_per_minute, clock),
            Window(self.limits.create_board_per_minute, clock),
            Window(self.limits.mutations_per_minute, clock),
        )
        self.faults = faults or Faults()
        if self._file is not None:
            with self._file.locked():
                loaded = self._file.load()
                if loaded is None:
                    self._file.save(self._data)
                else:
                    stored = profile_named(loaded["profile"])
                    if profile is not None and stored.name != profile:
                        raise ProfileMismatch(
                            f"{self._file.path} was created with the {stored.name!r} sandbox "
                            f"profile, not {profile!r}; run `boardops sandbox reset --sandbox "
                            f"{self._file.path} --sandbox-profile {profile}` to start it again "
                            f"with {profile!r}"
                        )
                    self._profile = stored
                    self._data = loaded
        sandbox_schema()  # build once, up front

    # --- configuration ---------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        return self._injector.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        """Swap the fault settings; schedules count requests from this moment on."""
        self._injector = FaultInjector(faults, self.seed)

    @property
    def state(self) -> StateView:
        with self._lock:
            self._refresh()
        return StateView(self._data)

    @property
    def profile(self) -> Profile:
        """The behaviour profile this sandbox answers with."""
        return self._profile

    def set_account(
        self, *, tier: str | None = None, first_day_of_the_week: WeekStart | None = None
    ) -> None:
        """Change the seeded account's tier (also its plan's) and first day of the week."""
        if tier is not None and not (isinstance(tier, str) and tier.strip()):
            raise ValueError(f"tier: {tier!r} is not a plan tier name")
        with self._lock, self._storage():
            account = self._data["account"]
            if tier is not None:
                account["tier"] = tier
                account["plan"] = {**account["plan"], "tier": tier}
            if first_day_of_the_week is not None:
                if first_day_of_the_week not in ("monday", "sunday"):
                    raise ValueError(f"first_day_of_the_week: {first_day_of_the_week!r}")
                account["first_day_of_the_week"] = first_day_of_the_week
            self._save()

    @property
    def state_path(self) -> Path | None:
        return None if self._file is None else self._file.path

    def reset(self, profile: ProfileName | None = None) -> None:
        """Forget every workspace, board, item and tag (the seeded users stay); a
        ``profile`` starts the account again under that profile."""
        if profile is not None:
            self._profile = profile_named(profile)
        with self._lock, self._storage():
            self._data = fresh_state(self._profile.name)
            self._cursors.clear()
            self._encoded_values.clear()
            self._save()

    # --- ways in ---------------------------------------------------------------------------

    def transport(self) -> httpx.BaseTransport:
        from boardops.sandbox.transport import SandboxTransport

        return SandboxTransport(self)

    def serve(
        self, host: str = "127.0.0.1", port: int = 0, *, admin: bool = False
    ) -> SandboxServer:
        """An HTTP server for this sandbox (``admin``: with its admin endpoints, whose
        token is the server's ``admin_token``)."""
        from boardops.sandbox.server import SandboxServer

        return SandboxServer(self, host, port, admin=admin)

    def execute(
        self, query: str, variables: Mapping[str, Any] | None = None, *, token: str = "sandbox"
    ) -> dict[str, Any]:
        """Run one document as an authenticated client would; the decoded JSON body."""
        outcome = self.handle(
            "POST",
            "/v2",
            {"authorization": token, "content-type": "application/json"},
            json.dumps({"query": query, "variables": dict(variables or {})}).encode(),
        )
        assert outcome.response is not None, f"fault {outcome.fault} injected"
        body: dict[str, Any] = outcome.response.json()
        return body

    # --- request handling ------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Outcome:
        lowered = {k.lower(): v for k, v in headers.items()}
        route = path.split("?", 1)[0]
        if route.startswith("/v2/sandbox/"):
            route = route[len("/v2") :]
        if route == "/sandbox/counters" and method in ("GET", "POST"):
            return Outcome(self._json(200, self.counters.to_dict()))
        if route == "/sandbox/counters/reset" and method == "POST":
            self.counters.reset()
            return Outcome(self._json(200, {"ok": True}))
        if route == "/sandbox/faults":
            return self._faults_endpoint(method, lowered, body)
        if route == "/sandbox/account":
            return self._account_endpoint(method, body)
        if route == "/sandbox/reset" and method == "POST":
            self.reset()
            return Outcome(self._json(200, {"ok": True}))
        if route not in API_PATHS:
            return Outcome(self._json(404, {"errors": [{"message": "Not Found"}]}))
        if method != "POST":
            return Outcome(self._json(405, {"errors": [{"message": "Use POST"}]}))
        try:
            return self._handle_api(lowered, body)
        except Exception as error:  # a sandbox bug must still look like an HTTP answer
            _log.exception("sandbox: request failed")
            failure = HttpFailure(500, "INTERNAL_SERVER_ERROR", f"Internal Server Error: {error}")
            return Outcome(self._failure(failure, "sbx-error", {}))

    def _faults_endpoint(self, method: str, headers: Mapping[str, str], body: bytes) -> Outcome:
        """``GET`` shows the fault settings; ``POST`` a spec (faults.py syntax) replaces them:
        ``{"faults": SPEC}`` as JSON (``{}`` changes nothing), or the spec as text."""
        if method == "POST":
            try:
                spec = _faults_spec(headers, body)
                if spec is not None:
                    self.faults = Faults.parse(spec)
            except (UnicodeDecodeError, ValueError) as error:
                return Outcome(self._json(400, {"errors": [{"message": str(error)}]}))
        return Outcome(self._json(200, {"faults": str(self.faults), "active": self.faults.active}))

    def _account_endpoint(self, method: str, body: bytes) -> Outcome:
        """``GET`` shows the profile and account; ``POST {"tier", "first_day_of_the_week"}``
        changes them (``set_account``)."""
        if method == "POST":
            try:
                settings = json.loads(body or b"{}")
                if not isinstance(settings, dict) or not set(settings) <= {
                    "tier",
                    "first_day_of_the_week",
                }:
                    raise ValueError("give tier and/or first_day_of_the_week")
                self.set_account(**settings)
            except ValueError as error:
                return Outcome(self._json(400, {"errors": [{"message": str(error)}]}))
        with self._lock:
            self._refresh()
            account = dict(self._data["account"])
        return Outcome(self._json(200, {"profile": self._profile.name, "account": account}))

    def _handle_api(self, headers: Mapping[str, str], body: bytes) -> Outcome:
        self._busy.since = self.clock()
        with self._limiter.lock:
            self._request_number += 1
            request_id = f"sbx-{self.seed:x}-{self._request_number:08d}"
            self.counters.requests += 1
        version = headers.get("api-version", CURRENT_VERSION).strip() or CURRENT_VERSION
        extra = {"API-Version": version, "X-Request-Id": request_id}
        if not headers.get("authorization", "").strip():
            return Outcome(
                self._failure(HttpFailure(401, "Unauthorized", "Unauthorized"), request_id, extra)
            )
        try:
            payload = json.loads(body or b"null")
        except ValueError:
            failure = HttpFailure(400, "JsonParseException", "Invalid JSON in the request body")
            return Outcome(self._failure(failure, request_id, extra))
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            failure = HttpFailure(400, "Bad request", "The body needs a GraphQL `query` string")
            return Outcome(self._failure(failure, request_id, extra))
        variables = payload.get("variables") or {}
        if not isinstance(variables, dict):
            failure = HttpFailure(400, "Bad request", "`variables` must be a JSON object")
            return Outcome(self._failure(failure, request_id, extra))
        costs: list[int] = []
        try:
            check_text(payload["query"], self.limits)
            document, errors = parse_and_validate(
                payload["query"],
                lambda parsed: costs.append(
                    self._cost_within_cap(parsed, payload.get("operationName"), variables)
                ),
            )
            if document is None:  # a syntax error, or nesting the parser refused
                check_text(payload["query"], self.limits, short_too=True)
        except TooComplex as refusal:
            refused = self._error_body("ComplexityException", str(refusal), 400, request_id)
            return Outcome(self._json(200, refused, extra))
        cost = costs[0] if costs else 0
        operation = None if document is None else _operation(document, payload.get("operationName"))
        is_mutation = operation is not None and operation.operation == OperationType.MUTATION
        if is_mutation:
            with self._limiter.lock:
                self.counters.mutation_requests += 1

        fields = root_fields(operation) if is_mutation else []
        written = self._boards_written(fields, variables)
        limiter = self._limiter
        with limiter.lock:
            if limiter.in_flight >= self.limits.max_concurrency:
                failure = HttpFailure(
                    429,
                    "maxConcurrencyExceeded",
                    "Concurrency limit exceeded",
                    retry_in_seconds=1,
                )
                return Outcome(self._failure(failure, request_id, extra))
            limiter.in_flight += 1
            opened, started_at = self._tick(), self.clock()
        try:
            return self._handle_admitted(
                is_mutation,
                request_id,
                extra,
                lambda: self._run_limited(
                    payload, document, errors, operation, cost, version, request_id, extra
                ),
            )
        finally:
            with limiter.lock:
                limiter.in_flight -= 1
                closed, finished_at = self._tick(), self.clock()
                self.board_writes.extend(
                    BoardWrite(
                        board, request_id, len(fields), opened, closed, started_at, finished_at
                    )
                    for board in written
                )

    def _sleep_until_busy_for(self, seconds: float) -> None:
        """Sleep until this request has kept the server busy ``seconds`` (its parsing and
        running count, its injected latency does not): the modelled server time is the
        request's, not on top of the sandbox's own work."""
        spent = self.clock() - getattr(self._busy, "since", self.clock())
        if seconds - spent > 0:
            self.sleep(seconds - spent)

    def _tick(self) -> int:
        self._events += 1
        return self._events

    def _boards_written(
        self, fields: list[FieldNode], variables: Mapping[str, Any]
    ) -> tuple[str, ...]:
        """The boards the root fields of a mutation name, by ``board_id`` or through the
        board of their ``item_id``; in the order first named."""
        boards: dict[str, None] = {}
        if not fields:
            return ()
        with self._lock:
            self._refresh()
            items = self._data["items"]
            for node in fields:
                for name in ("board_id", "item_id"):
                    value = argument(node, name, variables)
                    if value is None:
                        continue
                    board = value if name == "board_id" else items.get(value, {}).get("board_id")
                    if board is not None:
                        boards[str(board)] = None
                        break
        return tuple(boards)

    def _handle_admitted(
        self,
        is_mutation: bool,
        request_id: str,
        extra: dict[str, str],
        run: Callable[[], Response],
    ) -> Outcome:
        """Inject this request's fault, if any, around ``run`` (the request itself)."""
        with self._limiter.lock:
            decision = self._injector.decide(is_mutation)
        if decision.latency_seconds > 0:
            self.sleep(decision.latency_seconds)
            self._busy.since += decision.latency_seconds
        fault = decision.kind
        if fault is not None:
            with self._limiter.lock:
                self.counters.faults[fault] = self.counters.faults.get(fault, 0) + 1
        stall = self.faults.stall_seconds
        refusal = None if fault is None else _FAULT_REFUSALS.get(fault)
        if refusal is not None:
            status, code, message, retries = refusal
            retry_in = self.faults.retry_in_seconds if retries else None
            failure = HttpFailure(status, code, message, retry_in_seconds=retry_in)
            return Outcome(self._failure(failure, request_id, extra), fault)
        if fault == "complexity":
            return Outcome(
                self._budget_exhausted(self.faults.retry_in_seconds, request_id, extra), fault
            )
        if fault == "timeout" and self.faults.timeout_phase == "before":
            return Outcome(None, fault, executed=False, stall_seconds=stall)

        try:
            response = run()
        except _CallTimedOut:
            return Outcome(None, "timeout", executed=False)
        if fault in ("timeout", "lost_ack"):
            return Outcome(response, fault, executed=True, stall_seconds=stall)
        return Outcome(response, executed=True)

    def _run_limited(
        self,
        payload: Mapping[str, Any],
        document: Any,
        errors: tuple[Any, ...],
        operation: OperationDefinitionNode | None,
        cost: int,
        version: str,
        request_id: str,
        extra: dict[str, str],
    ) -> Response:
        limiter = self._limiter
        with limiter.lock:
            if not limiter.requests.take():
                failure = HttpFailure(
                    429,
                    "RATE_LIMIT_EXCEEDED",
                    "Rate Limit Exceeded",
                    retry_in_seconds=limiter.requests.reset_in(),
                )
                return self._failure(failure, request_id, extra)
        if document is None or operation is None:
            found = list(errors) or ["Unknown operation"]
            formatted = [
                {
                    **(e.formatted if hasattr(e, "formatted") else {"message": str(e)}),
                    "extensions": {"code": _validation_code(str(e)), "request_id": request_id},
                }
                for e in found
            ]
            return self._json(200, {"errors": formatted, "account_id": self._account()}, extra)
        if not _VERSION.match(version):
            body = self._error_body(
                "InvalidVersionException", f"Invalid API version {version!r}", 400, request_id
            )
            return self._json(200, body, extra)
        return self._execute(payload, document, operation, cost, version, request_id, extra)

    def _execute(
        self,
        payload: Mapping[str, Any],
        document: Any,
        operation: OperationDefinitionNode,
        cost: int,
        version: str,
        request_id: str,
        extra: dict[str, str],
    ) -> Response:
        variables = payload.get("variables") or {}
        budget = self._limiter.complexity
        mutations = self._limiter.mutations
        fields = _mutation_fields(operation)
        with self._limiter.lock:
            if fields and mutations.remaining() < fields:
                failure = HttpFailure(
                    429,
                    "RATE_LIMIT_EXCEEDED",
                    f"Mutation limit exceeded: {mutations.quota} mutations per minute",
                    retry_in_seconds=mutations.reset_in(),
                )
                return self._failure(failure, request_id, extra)
            before = budget.remaining()
            if not budget.take(cost):
                return self._budget_exhausted(budget.reset_in(), request_id, extra)
            if fields:
                mutations.take(fields)
            reset_in = budget.reset_in()
            self.counters.complexity += cost
        server_seconds = fields * self.server_ms_per_mutation / 1000
        if server_seconds > CALL_TIMEOUT_SECONDS:
            self._sleep_until_busy_for(CALL_TIMEOUT_SECONDS)
            raise _CallTimedOut
        with self._lock, self._storage():
            context = ExecutionContext(
                data=self._data,
                limits=self.limits,
                clock=self.clock,
                cursors=self._cursors,
                counters=self.counters,
                create_board_window=self._limiter.create_board,
                complexity_before=before,
                complexity_cost=cost,
                complexity_reset_in=reset_in,
                api_version=version,
                profile=self._profile,
                encoded_values=self._encoded_values,
            )
            result = run(document, variables, payload.get("operationName"), context)
            if context.dirty:
                self._save()
        if server_seconds > 0:
            self._sleep_until_busy_for(server_seconds)
        answer: dict[str, Any] = {"data": result.data}
        if result.errors:
            formatted = []
            for error in result.errors:
                entry = error.formatted
                extensions = dict(entry.get("extensions") or {})
                extensions.setdefault("code", "INTERNAL_SERVER_ERROR")
                extensions["request_id"] = request_id
                entry["extensions"] = extensions
                formatted.append(entry)
            answer["errors"] = formatted
        answer["account_id"] = self._account()
        return self._json(200, answer, extra)

    def _cost_within_cap(
        self, document: DocumentNode, operation_name: Any, variables: Mapping[str, Any]
    ) -> int:
        """The complexity of the operation to run, checked against the per-query cap (and
        the document's shape, see guard.py) before validation; raises ``TooComplex``."""
        check_shape(document, self.limits)
        operation = _operation(document, operation_name)
        if operation is None:
            return 0  # validation or the operation lookup answers
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        cost = estimate_complexity(sandbox_schema(), operation, fragments, variables)
        if cost > self.limits.max_query_complexity:
            raise TooComplex(
                f"Query has complexity of {cost}, which exceeds max complexity of "
                f"{self.limits.max_query_complexity}"
            )
        return cost

    # --- storage ---------------------------------------------------------------------------

    @contextmanager
    def _storage(self) -> Iterator[None]:
        if self._file is None:
            yield
            return
        with self._file.locked():
            self._refresh_locked()
            yield

    def _refresh(self) -> None:
        if self._file is not None and self._file.changed_since_last_access():
            with self._file.locked():
                self._refresh_locked()

    def _refresh_locked(self) -> None:
        assert self._file is not None
        if self._file.changed_since_last_access():
            loaded = self._file.load()
            self._data = loaded if loaded is not None else fresh_state(self._profile.name)
            if loaded is not None:
                self._profile = profile_named(loaded["profile"])
            self._cursors.clear()
            self._encoded_values.clear()

    def _save(self) -> None:
        if self._file is not None:
            self._file.save(self._data)

    # --- responses -------------------------------------------------------------------------

    def _account(self) -> int:
        account: int = self._data["account_id"]
        return account

    def _rate_headers(self) -> dict[str, str]:
        limiter = self._limiter
        limits = self.limits
        return {
            "RateLimit-Policy": (
                f'"minuteRate";q={limits.requests_per_minute};w=60, '
                f'"concurrency";q={limits.max_concurrency};qu="concurrent-requests", '
                f'"complexityMinute";q={limits.complexity_per_minute};w=60;qu="content-bytes"'
            ),
            "RateLimit": (
                f'"minuteRate";r={limiter.requests.remaining()}, '
                f'"concurrency";r={max(limits.max_concurrency - limiter.in_flight, 0)}, '
                f'"complexityMinute";r={limiter.complexity.remaining()};'
                f"t={limiter.complexity.reset_in()}"
            ),
        }

    def _json(self, status: int, body: Any, extra: Mapping[str, str] | None = None) -> Response:
        headers = {"Content-Type": "application/json; charset=utf-8", **self._rate_headers()}
        if extra:
            headers.update(extra)
        return Response(status, headers, json.dumps(body, separators=(",", ":")).encode())

    def _error_body(
        self, code: str, message: str, status_code: int, request_id: str
    ) -> dict[str, Any]:
        return {
            "errors": [
                {
                    "message": message,
                    "extensions": {
                        "code": code,
                        "status_code": status_code,
                        "error_data": {},
                        "request_id": request_id,
                    },
                }
            ],
            "account_id": self._account(),
        }

    def _failure(self, failure: HttpFailure, request_id: str, extra: dict[str, str]) -> Response:
        headers = dict(extra)
        if failure.retry_in_seconds is not None:
            headers["Retry-After"] = str(failure.retry_in_seconds)
        return self._json(failure.status, failure.body(request_id), headers)

    def _budget_exhausted(self, retry_in: int, request_id: str, extra: dict[str, str]) -> Response:
        body = {
            "errors": [
                {
                    "message": "Complexity budget exhausted",
                    "extensions": {
                        "code": "COMPLEXITY_BUDGET_EXHAUSTED",
                        "retry_in_seconds": retry_in,
                        "request_id": request_id,
                    },
                }
            ],
            "account_id": self._account(),
        }
        return self._json(429, body, {**extra, "Retry-After": str(retry_in)})


def _mutation_fields(operation: OperationDefinitionNode) -> int:
    """The root mutation fields of an operation, each alias counted (not ``complexity``)."""
    if operation.operation is not OperationType.MUTATION:
        return 0
    return len(root_fields(operation))


def _faults_spec(headers: Mapping[str, str], body: bytes) -> str | None:
    """The fault spec a ``POST /sandbox/faults`` carries; None when it carries none."""
    if headers.get("content-type", "").split(";", 1)[0].strip().lower() != "application/json":
        return body.decode("utf-8")
    settings = json.loads(body or b"{}")
    if not isinstance(settings, dict) or not set(settings) <= {"faults"}:
        raise ValueError('give {"faults": "SPEC"}')
    spec = settings.get("faults")
    if spec is not None and not isinstance(spec, str):
        raise ValueError('"faults" must be a fault spec string')
    return spec


def _validation_code(message: str) -> str:
    # monday reports a field the schema lacks as "undefinedField" (api-versioning docs).
    if message.startswith("Cannot query field"):
        return "undefinedField"
    if message.startswith("Syntax Error"):
        return "ParseError"
    return "GraphQLValidationError"


def _operation(document: Any, name: Any) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


def open_sandbox(path: Path, profile: ProfileName | None = None) -> Sandbox:
    """The sandbox behind ``--sandbox [FILE]``: state in ``path``, created on first use.

    ``profile`` None uses the file's stored profile (``docs`` for a new file); another
    profile than the stored one raises ``ProfileMismatch``. Faults come from
    ``BOARDOPS_SANDBOX_FAULTS`` when it is set.
    """
    return Sandbox(Path(path), faults=Faults.from_env(), profile=profile)
