"""What a failed connection to monday amounts to, in words a user can act on.

httpx wraps the operating system's error (``socket.gaierror``, ``ConnectionRefusedError``,
``ssl.SSLError``, ...) in its own exceptions, a cause or two deep. :func:`reason_for`
walks that chain and says what happened in a few words ("name not resolved", "connection
refused", "TLS certificate not trusted: ..."); :func:`host_of` names the host the client
talks to, never a URL (which may carry credentials) and never the token.

A name that does not exist (``EAI_NONAME``, NXDOMAIN) is *permanent*: retrying will not
make it resolve, so the client fails at once. A temporary resolver failure (``EAI_AGAIN``)
is retried like any connection that never opened.
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

# getaddrinfo's answers that mean "this name has no address", not "ask again later".
_NAME_NOT_FOUND = frozenset(
    code
    for code in (
        getattr(socket, "EAI_NONAME", None),
        getattr(socket, "EAI_NODATA", None),
        getattr(socket, "EAI_ADDRFAMILY", None),
    )
    if code is not None
)
_TEMPORARY = frozenset(code for code in (getattr(socket, "EAI_AGAIN", None),) if code is not None)

_UNREACHABLE = {
    errno.ENETUNREACH: "network unreachable",
    errno.EHOSTUNREACH: "host unreachable",
    errno.ENETDOWN: "network down",
    errno.EHOSTDOWN: "host down",
}


@dataclass(frozen=True)
class Reason:
    """Why a request failed at the network level."""

    text: str
    # Retrying cannot help (a name that does not exist): fail at once.
    permanent: bool = False


def host_of(url: str) -> str:
    """``host`` or ``host:port`` of ``url``: no scheme, no path, no credentials."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "the monday API"
    if not host:
        return "the monday API"
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return f"{host}:{port}" if port is not None else host


def _chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and what it wraps, nearest first: causes, contexts, and the exceptions
    passed as arguments (httpcore wraps the OS error so)."""
    seen: set[int] = set()
    queue: deque[BaseException] = deque([error])
    while queue:
        current = queue.popleft()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        queue.extend(arg for arg in current.args if isinstance(arg, BaseException))
        queue.extend(link for link in (current.__cause__, current.__context__) if link is not None)


def reason_for(error: BaseException) -> Reason:
    """What ``error`` (an httpx exception, or anything in its cause chain) amounts to."""
    chain = list(_chain(error))
    for cause in chain:
        if isinstance(cause, socket.gaierror):
            if cause.errno in _NAME_NOT_FOUND:
                return Reason("name not resolved", permanent=True)
            if cause.errno in _TEMPORARY:
                return Reason("temporary failure resolving the name")
            return Reason(f"name resolution failed ({cause.strerror or 'no detail'})")
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = getattr(cause, "verify_message", None) or getattr(cause, "reason", None)
            return Reason(
                f"TLS certificate not trusted: {detail}"
                if detail
                else "TLS certificate not trusted"
            )
        if isinstance(cause, ssl.SSLError):
            detail = getattr(cause, "reason", None)
            return Reason(f"TLS handshake failed: {detail}" if detail else "TLS handshake failed")
        if isinstance(cause, ConnectionRefusedError):
            return Reason("connection refused")
        if isinstance(cause, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
            return Reason("connection reset")
        if isinstance(cause, OSError) and cause.errno in _UNREACHABLE:
            return Reason(_UNREACHABLE[cause.errno])
    for cause in chain:
        if isinstance(cause, httpx.ConnectTimeout):
            return Reason("connection timed out")
        if isinstance(cause, httpx.PoolTimeout):
            return Reason("no free connection in time")
        if isinstance(cause, (httpx.TimeoutException, TimeoutError, socket.timeout)):
            return Reason("timed out")
        if isinstance(cause, httpx.RemoteProtocolError):
            return Reason("connection closed before the answer was complete")
    for cause in chain:
        if isinstance(cause, OSError) and cause.strerror:
            return Reason(cause.strerror.lower())
    text = str(error)
    return Reason(f"{type(error).__name__}: {text}" if text else type(error).__name__)
