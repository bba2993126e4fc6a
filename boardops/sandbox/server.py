"""The real HTTP way in: ``boardops sandbox serve`` and ``Sandbox.serve``.

A ``ThreadingHTTPServer`` that answers ``POST /v2`` (and ``POST /``) like monday's API.
Each response goes out in a single ``sendall`` with ``Content-Length`` and ``TCP_NODELAY``
set, so no Nagle/delayed-ACK stall is added to a round trip. Injected ``timeout`` faults
hold the connection for ``Faults.stall_seconds`` and then close it without an answer;
``lost_ack`` commits the mutation and closes the connection without an answer.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from boardops.sandbox.core import Sandbox

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    423: "Locked",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
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
        self.log_request(response.status, len(response.body))
        head = [f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Error')}"]
        head += [f"{name}: {value}" for name, value in response.headers.items()]
        head.append(f"Content-Length: {len(response.body)}")
        head.append("Connection: close" if self.close_connection else "Connection: keep-alive")
        packet = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + response.body
        try:
            self.wfile.write(packet)
            self.wfile.flush()
        except OSError:  # the client went away; nothing left to tell it
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sandbox: Sandbox, verbose: bool) -> None:
        self.sandbox = sandbox
        self.verbose = verbose
        super().__init__(address, _Handler)


class SandboxServer:
    """A running server: ``url`` (``http://host:port/v2``), ``close()``; a context manager."""

    def __init__(self, sandbox: Sandbox, host: str, port: int, *, verbose: bool = False) -> None:
        self.sandbox = sandbox
        self._server = _Server((host, port), sandbox, verbose)
        bound_host, bound_port = self._server.server_address[:2]
        self.host = bound_host.decode() if isinstance(bound_host, bytes) else str(bound_host)
        self.port = int(bound_port)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="boardops-sandbox",
            daemon=True,
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v2"

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
