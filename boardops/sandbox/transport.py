"""The in-process way in: an ``httpx.BaseTransport`` that hands requests to a ``Sandbox``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from boardops.sandbox.core import Sandbox


class SandboxTransport(httpx.BaseTransport):
    """Answers every request from the sandbox; injected faults become httpx exceptions."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        outcome = self.sandbox.handle(
            request.method, request.url.raw_path.decode("ascii"), dict(request.headers), body
        )
        if outcome.fault == "timeout":
            raise httpx.ReadTimeout("sandbox: injected timeout", request=request)
        if outcome.fault == "lost_ack":
            raise httpx.RemoteProtocolError(
                "sandbox: injected lost acknowledgement (server disconnected without "
                "sending a response)",
                request=request,
            )
        response = outcome.response
        assert response is not None
        return httpx.Response(
            response.status, headers=response.headers, content=response.body, request=request
        )
