"""Network errors name the host, and a name that does not exist is not retried.

A failed connection says ``cannot reach HOST: REASON`` (refused, reset, timed out, TLS,
name not resolved): the host only, never the URL or the token. A host name that does not
exist (NXDOMAIN, ``EAI_NONAME``) fails at once; a temporary resolver failure
(``EAI_AGAIN``) is retried like any connection that never opened.
"""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import httpcore
import httpx
import pytest
import respx

from boardops.errors import OutcomeUnknown, RequestTimeout, TransportError
from boardops.monday import RetryPolicy
from boardops.monday.network import host_of
from tests.support.cli import GOOD, invoke, one_error_line
from tests.support.monday_fakes import SENTINEL, make_client

ME = "query me { me { id } }"
CREATE = 'mutation create { create_item(board_id: "1", item_name: "x") { id } }'
URL_WITH_CREDENTIALS = "https://robot:hunter2@api.example.test:8443/v2?key=abc"


def wrapped(error_class: type[Exception], cause: BaseException) -> Exception:
    """``cause`` (the operating system's error) as httpcore wraps it; raised under respx,
    httpx turns it into its own exception as it does in production."""
    return error_class(cause)


def name_not_found() -> Exception:
    return wrapped(
        httpcore.ConnectError, socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    )


def resolver_unavailable() -> Exception:
    return wrapped(
        httpcore.ConnectError,
        socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"),
    )


def test_a_name_that_does_not_exist_fails_at_once_naming_the_host(router, clock):
    route = router.post("https://api.monday.com/v2").mock(side_effect=name_not_found())
    client = make_client(clock)

    with pytest.raises(TransportError) as caught:
        client.query(ME)

    assert caught.value.message == "cannot reach api.monday.com: name not resolved"
    assert route.call_count == 1
    assert clock.sleeps == []
    assert client.stats.snapshot().retries == 0


def test_a_mutation_to_a_name_that_does_not_exist_is_not_retried_either(router, clock):
    route = router.post("https://api.monday.com/v2").mock(side_effect=name_not_found())
    client = make_client(clock)

    with pytest.raises(TransportError, match="name not resolved"):
        client.mutate(CREATE)

    assert route.call_count == 1
    assert clock.sleeps == []


def test_a_temporary_resolver_failure_is_retried_then_succeeds(router, clock):
    route = router.post("https://api.monday.com/v2").mock(
        side_effect=[
            resolver_unavailable(),
            httpx.Response(200, json={"data": {"me": {"id": "7"}}, "account_id": 1}),
        ]
    )
    client = make_client(clock)

    assert client.query(ME) == {"me": {"id": "7"}}
    assert route.call_count == 2
    assert len(clock.sleeps) == 1
    assert client.stats.snapshot().retries == 1


def test_a_temporary_resolver_failure_that_lasts_names_the_host(router, clock):
    router.post("https://api.monday.com/v2").mock(side_effect=resolver_unavailable())
    client = make_client(clock, retry=RetryPolicy(max_attempts=3, random=lambda: 0.0))

    with pytest.raises(TransportError) as caught:
        client.query(ME)

    assert caught.value.message.startswith("cannot reach api.monday.com: ")
    assert "name not resolved" not in caught.value.message
    assert client.stats.snapshot().requests == 3


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            wrapped(httpcore.ConnectError, ConnectionRefusedError(111, "Connection refused")),
            "refused",
        ),
        (wrapped(httpcore.ConnectTimeout, TimeoutError("timed out")), "timed out"),
        (
            wrapped(httpcore.ConnectError, ssl.SSLCertVerificationError(1, "verify failed")),
            "TLS certificate",
        ),
        (wrapped(httpcore.ConnectError, ssl.SSLError(1, "handshake failure")), "TLS"),
        (wrapped(httpcore.ConnectError, OSError(101, "Network is unreachable")), "unreachable"),
    ],
    ids=["refused", "timeout", "certificate", "tls", "unreachable"],
)
def test_a_connection_that_never_opened_names_the_host_and_why(router, clock, error, reason):
    router.post("https://api.monday.com/v2").mock(side_effect=error)
    client = make_client(clock, retry=RetryPolicy(max_attempts=2, random=lambda: 0.0))

    with pytest.raises(TransportError) as caught:
        client.query(ME)

    assert caught.value.message.startswith("cannot reach api.monday.com: ")
    assert reason in caught.value.message
    assert client.stats.snapshot().requests == 2  # retried: it may work next time


def test_a_reset_connection_names_the_host(router, clock):
    reset = wrapped(httpcore.ReadError, ConnectionResetError(104, "Connection reset by peer"))
    router.post("https://api.monday.com/v2").mock(side_effect=reset)
    client = make_client(clock, retry=RetryPolicy(max_attempts=1))

    with pytest.raises(TransportError) as caught:
        client.query(ME)

    assert caught.value.message == "connection to api.monday.com lost: connection reset"


def test_a_read_timeout_names_the_host(router, clock):
    timeout = wrapped(httpcore.ReadTimeout, TimeoutError("The read operation timed out"))
    router.post("https://api.monday.com/v2").mock(side_effect=timeout)
    client = make_client(clock, retry=RetryPolicy(max_attempts=1))

    with pytest.raises(RequestTimeout) as caught:
        client.query(ME)

    assert caught.value.message == "api.monday.com did not answer in time: timed out"


def test_a_mutation_whose_answer_was_lost_names_the_host(router, clock):
    reset = wrapped(httpcore.ReadError, ConnectionResetError(104, "Connection reset by peer"))
    router.post("https://api.monday.com/v2").mock(side_effect=reset)

    with pytest.raises(OutcomeUnknown) as caught:
        make_client(clock).mutate(CREATE)

    assert "connection to api.monday.com lost" in caught.value.message


def test_the_host_is_named_without_credentials_path_or_query(router, clock):
    router.post(url__regex=r".*").mock(side_effect=name_not_found())
    client = make_client(clock, api_url=URL_WITH_CREDENTIALS)

    with pytest.raises(TransportError) as caught:
        client.query(ME)

    text = str(caught.value)
    assert "cannot reach api.example.test:8443: name not resolved" in text
    for secret in ("robot", "hunter2", "key=abc", "/v2", SENTINEL):
        assert secret not in text


def test_the_command_line_says_it_in_one_line_after_one_attempt(network, monkeypatch):
    monkeypatch.setenv("MONDAY_API_TOKEN", SENTINEL)
    with respx.mock(assert_all_called=False) as mock:
        mock.post(url__regex=r".*").mock(side_effect=name_not_found())
        result = invoke("plan", str(GOOD), "--api-url", "https://nowhere.invalid/v2")

    line = one_error_line(result)
    assert line.startswith("cannot reach nowhere.invalid: name not resolved")
    assert SENTINEL not in result.output
    assert len(network.requests) == 1


def _resolver_says_name_not_found(name: str) -> bool:
    try:
        socket.getaddrinfo(name, 443)
    except socket.gaierror as error:
        return error.errno == socket.EAI_NONAME
    return False


def test_a_real_process_stops_at_the_first_unresolvable_name(tmp_path: Path) -> None:
    """``.invalid`` never resolves (RFC 6761): the real resolver answers, no mock."""
    if not _resolver_says_name_not_found("nonexistent.invalid"):
        pytest.skip("this machine's resolver does not answer NXDOMAIN for .invalid")
    env = {
        key: value
        for key, value in os.environ.items()
        if "proxy" not in key.lower() and not key.startswith(("MONDAY_", "BOARDOPS_"))
    }
    env["MONDAY_API_TOKEN"] = SENTINEL
    boardops = str(Path(sys.executable).with_name("boardops"))  # the installed script

    done = subprocess.run(
        [boardops, "plan", str(GOOD), "--api-url", "https://nonexistent.invalid/v2"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
        check=False,
    )

    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    # One attempt: the client logs a warning for every retry, and there is none.
    assert not [line for line in lines if "retrying" in line], lines
    assert len(lines) == 1, lines
    assert "cannot reach nonexistent.invalid: name not resolved" in lines[0]
    assert SENTINEL not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://api.monday.com/v2", "api.monday.com"),
        ("http://127.0.0.1:8765/v2", "127.0.0.1:8765"),
        ("http://[::1]:8765/v2", "[::1]:8765"),
        (URL_WITH_CREDENTIALS, "api.example.test:8443"),
    ],
)
def test_the_host_named_is_the_host_and_port_only(url: str, host: str) -> None:
    assert host_of(url) == host
