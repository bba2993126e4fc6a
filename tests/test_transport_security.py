"""The token never travels in clear, and a token file cannot hang or flood boardops.

Attacks: ``--api-url`` / ``MONDAY_API_URL`` pointed at a plain ``http://`` host (the token
would cross the network readable); ``--token-file`` pointed at a FIFO (blocks forever),
``/dev/zero`` (reads forever), a folder, a socket or a huge file; a token file others can
read. respx stands in for the network: nothing listens on any address used here.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner, Result

from boardops.cli import main
from boardops.errors import UsageError
from boardops.monday import ApiToken, MondayClient
from boardops.monday.auth import MAX_TOKEN_FILE_BYTES
from tests.support.cli import GOOD

SENTINEL = "s3ntinel-" + secrets.token_hex(8)


@pytest.fixture
def wire() -> Iterator[respx.Route]:
    """Any POST anywhere: answered 401, so an allowed request ends the command at once."""
    with respx.mock(assert_all_called=False) as mock:
        yield mock.post(url__regex=r".*").mock(
            return_value=httpx.Response(401, json={"errors": [{"message": "no"}]})
        )


def invoke(*args: str, env: dict[str, str | None] | None = None) -> Result:
    environment: dict[str, str | None] = {"MONDAY_API_TOKEN": SENTINEL, "MONDAY_API_URL": None}
    environment.update(env or {})
    return CliRunner().invoke(main, list(args), env=environment, terminal_width=100)


def error_line(result: Result) -> str:
    assert result.exit_code == 1, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ")
    return line


def never_shows_the_token(result: Result) -> None:
    assert SENTINEL not in result.stdout + result.stderr


# --- the API URL --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://api.monday.com/v2",
        "http://10.0.0.8:8765/v2",
        "http://127.0.0.1.attacker.example/v2",
        "http://localhost.attacker.example/v2",
        "http://[2001:db8::1]/v2",
    ],
)
@pytest.mark.parametrize("given_by", ["--api-url", "MONDAY_API_URL"])
def test_the_token_is_never_sent_in_clear_to_a_remote_host(
    url: str, given_by: str, wire: respx.Route
) -> None:
    if given_by == "--api-url":
        result = invoke("plan", str(GOOD), "--api-url", url)
    else:
        result = invoke("plan", str(GOOD), env={"MONDAY_API_URL": url})

    line = error_line(result)
    assert "http://" in line
    assert "https://" in line
    assert wire.call_count == 0
    never_shows_the_token(result)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765/v2",
        "http://127.8.9.10/v2",
        "http://[::1]:8765/v2",
        "http://localhost:8765/v2",
        "https://api.monday.com/v2",
    ],
)
def test_loopback_http_and_any_https_url_are_used(url: str, wire: respx.Route) -> None:
    result = invoke("plan", str(GOOD), "--api-url", url)

    assert wire.call_count >= 1
    sent = wire.calls[0].request
    assert sent.url == httpx.URL(url)
    assert "warning" not in result.stderr
    never_shows_the_token(result)


def test_allow_insecure_http_lets_it_through_with_a_warning(wire: respx.Route) -> None:
    url = "http://sandbox.test.example:8765/v2"
    result = invoke("plan", str(GOOD), "--api-url", url, "--allow-insecure-http")

    assert wire.call_count >= 1
    assert wire.calls[0].request.url == httpx.URL(url)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "--allow-insecure-http" in warnings[0]
    never_shows_the_token(result)


def test_a_library_caller_cannot_send_the_token_in_clear_either(wire: respx.Route) -> None:
    with httpx.Client() as http, pytest.raises(UsageError, match="clear text") as refused:
        MondayClient(http, ApiToken(SENTINEL), api_url="http://api.monday.com/v2")

    assert wire.call_count == 0
    assert SENTINEL not in str(refused.value)


# --- the token file -----------------------------------------------------------------------


def run_cli_with_timeout(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process: a read that blocks fails the test instead of hanging it."""
    env = {k: v for k, v in os.environ.items() if k not in ("MONDAY_API_TOKEN", "MONDAY_API_URL")}
    return subprocess.run(
        [sys.executable, "-c", "from boardops.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_a_fifo_as_token_file_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "token"
    os.mkfifo(fifo)

    done = run_cli_with_timeout("plan", str(GOOD), "--token-file", str(fifo))

    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert str(fifo) in line
    assert "FIFO" in line


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_token_file_is_refused_without_reading_it(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")

    done = run_cli_with_timeout("plan", str(GOOD), "--token-file", device)

    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert f"the token file {device} is a device, not a regular file" in line


def test_a_folder_as_token_file_is_refused(tmp_path: Path) -> None:
    # On the command line click refuses it first (tests/test_bad_input.py); a library
    # caller gets the same one line as for the other kinds of file.
    with pytest.raises(UsageError, match=f"the token file {tmp_path} is a folder"):
        ApiToken.from_file(tmp_path)


def test_a_socket_as_token_file_is_one_line(tmp_path: Path, wire: respx.Route) -> None:
    path = tmp_path / "token.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listening:
        listening.bind(str(path))
        listening.listen(1)
        line = error_line(invoke("plan", str(GOOD), "--token-file", str(path)))

    assert f"the token file {path} is a socket" in line
    assert wire.call_count == 0


def test_a_huge_token_file_is_refused_and_never_quoted(tmp_path: Path, wire: respx.Route) -> None:
    path = tmp_path / "token"
    path.write_text(SENTINEL * (MAX_TOKEN_FILE_BYTES // len(SENTINEL) + 1))
    path.chmod(0o600)

    result = invoke("plan", str(GOOD), "--token-file", str(path))

    assert "larger than 64 KiB" in error_line(result)
    assert wire.call_count == 0
    never_shows_the_token(result)


def test_a_token_file_others_can_read_gets_one_warning_without_the_token(
    tmp_path: Path, wire: respx.Route
) -> None:
    path = tmp_path / "token"
    path.write_text(SENTINEL + "\n")
    path.chmod(0o644)

    result = invoke("plan", str(GOOD), "--token-file", str(path), env={"MONDAY_API_TOKEN": None})

    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert str(path) in warnings[0]
    assert "0644" in warnings[0]
    assert wire.call_count >= 1  # a warning, not a refusal
    never_shows_the_token(result)


def test_a_private_token_file_gets_no_warning(tmp_path: Path, wire: respx.Route) -> None:
    path = tmp_path / "token"
    path.write_text(SENTINEL + "\n")
    path.chmod(0o600)

    result = invoke("plan", str(GOOD), "--token-file", str(path), env={"MONDAY_API_TOKEN": None})

    assert "warning" not in result.stderr
    assert wire.calls[0].request.headers["Authorization"] == SENTINEL
