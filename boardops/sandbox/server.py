"""The real HTTP way in: ``boardops sandbox serve`` and ``Sandbox.serve``.

A ``ThreadingHTTPServer`` that answers ``POST /v2`` (and ``POST /``) like monday's API.
Each response goes out in a single ``sendall`` with ``Content-Length`` and ``TCP_NODELAY``
set, so no Nagle/delayed-ACK stall is added to a round trip. Injected ``timeout`` faults
hold the connection for ``Faults.stall_seconds`` and then close it without an answer;
``lost_ack`` commits the mutation and closes the connection without an answer.

It is a local test server, hardened so that nothing else on the machine, and no web page
open in a browser, can use it:

* it listens on loopback unless ``allow_non_loopback`` is given;
* every request's ``Host`` must name this server (a loopback name or the bound host, or
  one of ``allowed_hosts``, with the port), else 421, so DNS rebinding cannot reach it;
  an ``Origin`` header, when present, must be this server's own, else 403;
* bodies over ``max_body_bytes`` get 413 and are never read; a request must arrive whole
  within ``request_seconds`` of its first byte and an idle connection is closed after
  ``idle_seconds``; at most ``max_connections`` connections are served at once (more get
  503), so no client can pin the server's threads;
* the admin endpoints (``/sandbox/...``: counters, faults, account, reset) answer only
  when the server was started with ``admin=True``, and then only to ``POST`` requests
  with ``Content-Type: application/json`` carrying the random ``admin_token`` in the
  ``X-Boardops-Admin-Token`` header (401 without it, 403 when wrong); no CORS header is
  ever granted, so a web page cannot send them;
* the GraphQL documents themselves are capped in size, shape and complexity before they
  are validated (``guard.py``, ``limits.estimate_complexity``).
"""

from __future__ import annotations

import contextlib
import hmac
import io
import ipaddress
import json
import logging
import secrets
import socket
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from boardops.model import SANDBOX_HEADER

if TYPE_CHECKING:
    from boardops.sandbox.core import Sandbox

ADMIN_TOKEN_HEADER = "X-Boardops-Admin-Token"
MAX_BODY_BYTES = 1 << 20
REQUEST_SECONDS = 5.0
IDLE_SECONDS = 15.0
WRITE_SECONDS = 30.0
MAX_CONNECTIONS = 64
LINGER_SECONDS = 1.0
LINGER_BYTES = 4 << 20
LOOPBACK_NAMES = ("localhost", "127.0.0.1")

_log = logging.getLogger(__name__)

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    421: "Misdirected Request",
    423: "Locked",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine's loopback."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_admin_route(path: str) -> bool:
    route = path.split("?", 1)[0]
    return route.startswith(("/sandbox/", "/v2/sandbox/")) or route in ("/sandbox", "/v2/sandbox")


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


class _DeadlineReader(io.RawIOBase):
    """The connection's reading side: waiting for a request to begin may take up to
    ``idle_seconds``; from its first byte, the whole request must arrive within
    ``request_seconds`` (a client that trickles its headers or never sends its body is
    dropped)."""

    def __init__(self, connection: socket.socket, handler: _Handler) -> None:
        super().__init__()
        self._connection = connection
        self._handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        server = self._handler.server
        deadline = self._handler.deadline
        if deadline is None:
            timeout = server.idle_seconds
        else:
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                raise TimeoutError("the request did not arrive in time")
        self._connection.settimeout(timeout)
        received = self._connection.recv_into(buffer)
        if deadline is None and received:
            self._handler.deadline = time.monotonic() + server.request_seconds
        return received


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    deadline: float | None = None

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile.close()  # the socket stays open; read through the deadline instead
        self.rfile = io.BufferedReader(_DeadlineReader(self.connection, self))

    def handle_one_request(self) -> None:
        self.deadline = None
        super().handle_one_request()

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_OPTIONS(self) -> None:
        # A browser's CORS preflight: refused, and no Access-Control-* header is granted.
        self._answer()

    # --- the checks, in order ----------------------------------------------------------

    def _answer(self) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        if not host:
            return self._refuse(400, "Bad request", "A Host header is required")
        if host not in self.server.allowed_host_values:
            return self._refuse(421, "Misdirected request", "This server does not serve that host")
        origin = self.headers.get("Origin")
        if origin is not None and origin.strip().lower() not in self.server.allowed_origins:
            return self._refuse(403, "Forbidden", "Cross-origin requests are refused")
        if self.headers.get("Transfer-Encoding"):
            return self._refuse(411, "Length required", "Send the body with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0:
                raise ValueError(length)
        except ValueError:
            return self._refuse(400, "Bad request", "The Content-Length is not a length")
        if length > self.server.max_body_bytes:
            return self._refuse(
                413,
                "Request too large",
                f"The body is over the limit of {self.server.max_body_bytes} bytes",
            )
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client went away mid-body
            self.close_connection = True
            return None
        if _is_admin_route(self.path):
            refusal = self._admin_refusal()
            if refusal is not None:
                return self._refuse(*refusal, close=False)
        return self._serve(body)

    def _admin_refusal(self) -> tuple[int, str, str] | None:
        token = self.server.admin_token
        if token is None:
            return 404, "Not Found", "Not Found (start the server with --admin)"
        if self.command != "POST":
            return 405, "Method not allowed", "Admin endpoints take POST"
        if _media_type(self.headers.get("Content-Type")) != "application/json":
            return 415, "Unsupported media type", "Admin endpoints take application/json"
        given = self.headers.get(ADMIN_TOKEN_HEADER)
        if not given:
            return 401, "Unauthorized", f"Admin endpoints need the {ADMIN_TOKEN_HEADER} header"
        if not hmac.compare_digest(given.encode("utf-8", "replace"), token.encode()):
            return 403, "Forbidden", "Wrong admin token"
        return None

    # --- answers -------------------------------------------------------------------------

    def _serve(self, body: bytes) -> None:
        outcome = self.server.sandbox.handle(self.command, self.path, dict(self.headers), body)
        if outcome.fault in ("timeout", "lost_ack"):
            if outcome.fault == "timeout":
                self.server.sandbox.sleep(outcome.stall_seconds)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        response = outcome.response
        assert response is not None
        state = self.server.sandbox.state_path
        marker = {SANDBOX_HEADER: str(state) if state is not None else "(in memory)"}
        self._send(response.status, {**response.headers, **marker}, response.body)

    def _refuse(self, status: int, code: str, message: str, *, close: bool = True) -> None:
        if close:  # the rest of the request (its body) is never read
            self.close_connection = True
        body = json.dumps(
            {"errors": [{"message": message, "extensions": {"code": code}}]},
            separators=(",", ":"),
        ).encode()
        self._send(status, {"Content-Type": "application/json; charset=utf-8"}, body)
        if close:
            self._linger()

    def _linger(self) -> None:
        """Let a client still sending the refused body read the answer: stop writing, and
        discard what arrives for up to ``LINGER_SECONDS`` (and ``LINGER_BYTES``) before
        closing, instead of resetting the connection under it."""
        deadline = time.monotonic() + LINGER_SECONDS
        discarded = 0
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
            while discarded < LINGER_BYTES:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.connection.settimeout(left)
                chunk = self.connection.recv(65536)
                if not chunk:
                    break
                discarded += len(chunk)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.log_request(status, len(body))
        head = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        head.append(f"Content-Length: {len(body)}")
        head.append("Connection: close" if self.close_connection else "Connection: keep-alive")
        packet = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        try:
            self.connection.settimeout(self.server.write_seconds)
            self.wfile.write(packet)
            self.wfile.flush()
        except OSError:  # the client went away or stopped reading; nothing left to tell it
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        sandbox: Sandbox,
        *,
        verbose: bool,
        max_connections: int,
    ) -> None:
        self.sandbox = sandbox
        self.verbose = verbose
        self.admin_token: str | None = None
        self.allowed_host_values: frozenset[str] = frozenset()
        self.allowed_origins: frozenset[str] = frozenset()
        self.max_body_bytes = MAX_BODY_BYTES
        self.request_seconds = REQUEST_SECONDS
        self.idle_seconds = IDLE_SECONDS
        self.write_seconds = WRITE_SECONDS
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self._turn_away(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _turn_away(self, request: socket.socket) -> None:
        body = b'{"errors":[{"message":"Too many connections","extensions":{"code":"busy"}}]}'
        head = (
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            f"Retry-After: 1\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            request.settimeout(1.0)
            request.sendall(head.encode() + body)
        self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that misbehaves must not fill the terminal with tracebacks.
        if self.verbose:
            _log.warning("sandbox server: a connection failed", exc_info=True)


class SandboxServer:
    """A running server: ``url`` (``http://host:port/v2``), ``close()``; a context manager.

    ``admin`` switches the admin endpoints on; their token is ``admin_token`` (random, or
    the one given). A host that is not loopback needs ``allow_non_loopback``;
    ``allowed_hosts`` adds names clients may reach it by (``Host`` header).
    """

    def __init__(
        self,
        sandbox: Sandbox,
        host: str,
        port: int,
        *,
        verbose: bool = False,
        admin: bool = False,
        admin_token: str | None = None,
        allow_non_loopback: bool = False,
        allowed_hosts: Iterable[str] = (),
        max_connections: int = MAX_CONNECTIONS,
        max_body_bytes: int = MAX_BODY_BYTES,
        request_seconds: float = REQUEST_SECONDS,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        if not is_loopback(host) and not allow_non_loopback:
            raise ValueError(
                f"{host} is not a loopback address: serving on it needs allow_non_loopback"
            )
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        self.sandbox = sandbox
        self._server = _Server(
            (host, port), sandbox, verbose=verbose, max_connections=max_connections
        )
        bound_host, bound_port = self._server.server_address[:2]
        self.host = bound_host.decode() if isinstance(bound_host, bytes) else str(bound_host)
        self.port = int(bound_port)
        self.admin_token = (admin_token or secrets.token_urlsafe(32)) if admin else None
        names = {*LOOPBACK_NAMES, host.lower(), self.host.lower()}
        names |= {name.strip().lower() for name in allowed_hosts if name.strip()}
        values = {f"{name}:{self.port}" for name in names}
        if self.port == 80:
            values |= names
        server = self._server
        server.admin_token = self.admin_token
        server.allowed_host_values = frozenset(values)
        server.allowed_origins = frozenset(f"http://{value}" for value in values)
        server.max_body_bytes = max_body_bytes
        server.request_seconds = request_seconds
        server.idle_seconds = idle_seconds
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="boardops-sandbox",
            daemon=True,
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v2"

    def admin_headers(self) -> dict[str, str]:
        """The headers an admin request needs (the token and the JSON content type)."""
        if self.admin_token is None:
            raise RuntimeError("the server was started without admin endpoints")
        return {ADMIN_TOKEN_HEADER: self.admin_token, "Content-Type": "application/json"}

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def wait(self) -> None:
        """Block until the server stops (``serve`` in the foreground)."""
        self._thread.join()

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
