"""`boardops sandbox serve` against an attacker: each attack fails closed, and the server
goes on answering ordinary requests afterwards.

The attacks: a web page posting to the admin endpoints (cross-site, without the token),
DNS rebinding (a foreign Host), a huge body, clients that send slowly or never finish,
more connections than the server serves, and documents built to take forever (a fragment
bomb, very deep, very wide or very long documents).
"""

from __future__ import annotations

import os
import secrets
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from boardops.cli import main
from boardops.sandbox import Sandbox
from boardops.sandbox.executor import _validation_errors
from boardops.sandbox.server import ADMIN_TOKEN_HEADER, SandboxServer

AUTH = {"Authorization": "any-token"}
CREATE = {"query": 'mutation { create_board(board_name: "Kept", board_kind: public) { id } }'}
ME = {"query": "{ me { name } }"}


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox()


@pytest.fixture
def admin_server(sandbox: Sandbox) -> Iterator[SandboxServer]:
    with SandboxServer(
        sandbox, "127.0.0.1", 0, admin=True, request_seconds=0.5, idle_seconds=1.0
    ) as server:
        httpx.post(server.url, json=CREATE, headers=AUTH).raise_for_status()
        yield server


def base(server: SandboxServer) -> str:
    return server.url.removesuffix("/v2")


def still_serves(server: SandboxServer) -> bool:
    answer = httpx.post(server.url, json=ME, headers=AUTH, timeout=5)
    return bool(answer.status_code == 200 and answer.json()["data"]["me"]["name"])


def sentinel() -> str:
    return "s3ntinel-" + secrets.token_hex(8)


# --- loopback --------------------------------------------------------------------------------


def test_the_server_refuses_a_non_loopback_address_unless_told_to(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="allow_non_loopback"):
        SandboxServer(sandbox, "0.0.0.0", 0)
    result = CliRunner().invoke(main, ["sandbox", "serve", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 1
    assert "--allow-non-loopback" in result.output


def test_serving_beyond_loopback_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SandboxServer, "wait", lambda server: None)
    result = CliRunner().invoke(
        main,
        [
            *("sandbox", "serve", "--host", "0.0.0.0", "--port", "0", "--allow-non-loopback"),
            *("--sandbox", str(tmp_path / "s.json")),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "warning: serving on 0.0.0.0" in result.stderr


# --- admin endpoints ---------------------------------------------------------------------


def test_admin_endpoints_are_off_without_admin(sandbox: Sandbox) -> None:
    with sandbox.serve() as server:
        httpx.post(server.url, json=CREATE, headers=AUTH).raise_for_status()
        for path in ("reset", "faults", "counters", "account"):
            answer = httpx.post(f"{base(server)}/sandbox/{path}", json={"faults": "5xx=1"})
            assert answer.status_code == 404
    assert [b.name for b in sandbox.state.boards] == ["Kept"]
    assert not sandbox.faults.active


# Each way a web page (or another local user) could try to reset the sandbox; all refused.
CROSS_SITE = {
    "a form post (no token, form type, foreign origin)": (
        "POST",
        {"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"},
        False,
        403,
    ),
    "a JSON post without the token": ("POST", {"Content-Type": "application/json"}, False, 401),
    "a JSON post with a wrong token": (
        "POST",
        {"Content-Type": "application/json", ADMIN_TOKEN_HEADER: "WRONG"},
        False,
        403,
    ),
    "the token, but a text body (a simple cross-site request)": (
        "POST",
        {"Content-Type": "text/plain"},
        True,
        415,
    ),
    "the token, but GET": ("GET", {}, True, 405),
    "the token, from another origin": (
        "POST",
        {"Content-Type": "application/json", "Origin": "http://evil.example"},
        True,
        403,
    ),
    "a CORS preflight": (
        "OPTIONS",
        {
            "Origin": "http://evil.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": ADMIN_TOKEN_HEADER,
        },
        False,
        403,
    ),
}


@pytest.mark.parametrize("case", list(CROSS_SITE), ids=list(CROSS_SITE))
def test_admin_endpoints_refuse_cross_site_and_tokenless_requests(
    case: str, sandbox: Sandbox, admin_server: SandboxServer
) -> None:
    method, headers, with_token, status = CROSS_SITE[case]
    wrong = sentinel()
    headers = {name: (wrong if value == "WRONG" else value) for name, value in headers.items()}
    if with_token:
        assert admin_server.admin_token is not None
        headers[ADMIN_TOKEN_HEADER] = admin_server.admin_token
    answer = httpx.request(
        method, f"{base(admin_server)}/sandbox/reset", headers=headers, content=b"{}"
    )
    assert answer.status_code == status
    assert not [name for name in answer.headers if name.lower().startswith("access-control-")]
    assert admin_server.admin_token is not None
    assert wrong not in answer.text
    assert admin_server.admin_token not in answer.text
    assert [b.name for b in sandbox.state.boards] == ["Kept"]
    assert still_serves(admin_server)


def test_admin_endpoints_answer_json_posts_carrying_the_token(
    sandbox: Sandbox, admin_server: SandboxServer
) -> None:
    answer = httpx.post(
        f"{base(admin_server)}/sandbox/reset", json={}, headers=admin_server.admin_headers()
    )
    assert answer.status_code == 200
    assert sandbox.state.boards == ()


def test_each_server_makes_its_own_random_admin_token(sandbox: Sandbox) -> None:
    with sandbox.serve(admin=True) as first, sandbox.serve(admin=True) as second:
        assert first.admin_token is not None
        assert second.admin_token is not None
        assert first.admin_token != second.admin_token
        assert len(first.admin_token) >= 32


def test_serve_prints_the_admin_token_on_stderr_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens: list[str | None] = []
    monkeypatch.setattr(SandboxServer, "wait", lambda server: tokens.append(server.admin_token))
    result = CliRunner().invoke(
        main, ["sandbox", "serve", "--port", "0", "--admin", "--sandbox", str(tmp_path / "s.json")]
    )
    assert result.exit_code == 0, result.output
    token = tokens[0]
    assert token is not None
    assert f"admin token: {token} (send it as {ADMIN_TOKEN_HEADER})" in result.stderr
    assert token not in result.stdout


def test_serve_writes_the_admin_token_to_a_private_file_and_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token_file = tmp_path / "admin-token"
    seen: list[tuple[str, int, str | None]] = []

    def record(server: SandboxServer) -> None:
        mode = stat.S_IMODE(os.stat(token_file).st_mode)
        seen.append((token_file.read_text(encoding="utf-8").strip(), mode, server.admin_token))

    monkeypatch.setattr(SandboxServer, "wait", record)
    args = ["sandbox", "serve", "--port", "0", "--admin", "--admin-token-file", str(token_file)]
    result = CliRunner().invoke(main, [*args, "--sandbox", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    written, mode, token = seen[0]
    assert written == token
    assert mode == 0o600
    assert token not in result.output
    assert f"admin token: written to {token_file}" in result.stderr
    assert not token_file.exists()


# --- DNS rebinding ---------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1:1", "evil.example", ""])
def test_a_request_for_another_host_is_refused(
    host: str, sandbox: Sandbox, admin_server: SandboxServer
) -> None:
    wanted = host.format(port=admin_server.port)
    for path, headers in (
        ("/v2", AUTH),
        ("/sandbox/reset", admin_server.admin_headers()),
    ):
        answer = raw_request(admin_server, "POST", path, {**headers, "Host": wanted}, b"{}")
        assert answer.startswith(b"HTTP/1.1 421 " if wanted else b"HTTP/1.1 400 "), answer
    assert [b.name for b in sandbox.state.boards] == ["Kept"]


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1"])
def test_loopback_names_with_the_port_are_served(name: str, admin_server: SandboxServer) -> None:
    answer = raw_request(
        admin_server,
        "POST",
        "/v2",
        {**AUTH, "Host": f"{name}:{admin_server.port}", "Content-Type": "application/json"},
        b'{"query": "{ me { id } }"}',
    )
    assert answer.startswith(b"HTTP/1.1 200 "), answer


def test_allowed_hosts_add_names(sandbox: Sandbox) -> None:
    with SandboxServer(sandbox, "127.0.0.1", 0, allowed_hosts=["sandbox.test"]) as server:
        host = {"Host": f"sandbox.test:{server.port}"}
        answer = raw_request(server, "POST", "/v2", {**AUTH, **host}, b'{"query":"{me{id}}"}')
    assert answer.startswith(b"HTTP/1.1 200 "), answer


# --- bodies, slow clients, too many connections --------------------------------------------


def test_a_huge_body_is_refused_without_being_read(admin_server: SandboxServer) -> None:
    started = time.monotonic()
    with connect(admin_server) as connection:
        head = (
            f"POST /v2 HTTP/1.1\r\nHost: 127.0.0.1:{admin_server.port}\r\n"
            "Authorization: t\r\nContent-Type: application/json\r\n"
            f"Content-Length: {64 << 20}\r\n\r\n"
        )
        connection.sendall(head.encode())  # and not one byte of the 64 MiB
        answer = read_all(connection)
    assert answer.startswith(b"HTTP/1.1 413 "), answer
    assert b'"errors"' in answer
    # Refused on its Content-Length: well before the 5 s a request may take to arrive.
    assert time.monotonic() - started < 4.0
    big = {"query": "{ me { id } }", "variables": {"padding": "x" * (1 << 20)}}
    assert httpx.post(admin_server.url, json=big, headers=AUTH).status_code == 413
    assert still_serves(admin_server)


SLOW = {
    "headers that never end": b"POST /v2 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n",
    "a body that never comes": (
        b"POST /v2 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: t\r\n"
        b"Content-Length: 100\r\n\r\n{"
    ),
    "a connection that says nothing": b"",
}


@pytest.mark.parametrize("case", list(SLOW), ids=list(SLOW))
def test_a_slow_client_is_dropped(case: str, admin_server: SandboxServer) -> None:
    started = time.monotonic()
    with connect(admin_server) as connection:
        connection.sendall(SLOW[case].replace(b"{port}", str(admin_server.port).encode()))
        answer = read_all(connection, timeout=10)
    assert answer == b""  # closed without an answer
    assert time.monotonic() - started < 3.0
    assert still_serves(admin_server)


def test_a_client_trickling_its_request_is_dropped_at_the_deadline(
    admin_server: SandboxServer,
) -> None:
    started = time.monotonic()
    with connect(admin_server) as connection:
        closed = False
        for byte in b"POST /v2 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 100:
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.05)  # each byte well inside any per-read timeout
            if time.monotonic() - started > 3:
                break
        closed = closed or read_all(connection, timeout=3) == b""
    assert closed
    assert time.monotonic() - started < 3.5
    assert still_serves(admin_server)


def test_connections_beyond_the_bound_are_turned_away(sandbox: Sandbox) -> None:
    with SandboxServer(sandbox, "127.0.0.1", 0, max_connections=2, idle_seconds=5) as server:
        held = [connect(server), connect(server)]
        try:
            time.sleep(0.2)
            with connect(server) as third:
                answer = read_all(third, timeout=5)
            assert answer.startswith(b"HTTP/1.1 503 "), answer
        finally:
            for connection in held:
                connection.close()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                if still_serves(server):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        assert still_serves(server)


# --- documents built to take forever ------------------------------------------------------


def _bomb(levels: int) -> str:
    fragments = [f"fragment F{i} on User {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    return "{ me { ...F0 } }\n" + "\n".join(fragments) + f"\nfragment F{levels} on User {{ id }}"


def _wide_bomb(levels: int) -> str:
    # Nested no deeper than 2, so only the expanded size (2**levels fields) stops it.
    fragments = [
        f"fragment F{i} on User {{ a{i}: id ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    ]
    return "{ me { ...F0 } }\n" + "\n".join(fragments) + f"\nfragment F{levels} on User {{ id }}"


EXPENSIVE = {
    "a fragment bomb, 30 levels": _bomb(30),
    "a fragment bomb under the depth limit": _wide_bomb(20),
    "a fragment cycle bomb": "{ me { ...A } } fragment A on User { ...B ...B } "
    "fragment B on User { ...A ...A }",
    "thousands of aliases": "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(1500)) + " }",
    "aliases expanding through a fragment": "{ "
    + " ".join(f"a{i}: me {{ ...U }}" for i in range(300))
    + " } fragment U on User { id name email photo_thumb title phone country_code }",
    "one field repeated": "{ me { " + " ".join(["id"] * 3000) + " } }",
    "nested very deep": "{ " + "me { " * 500 + "id" + " }" * 501,
    "deep through fragments": "{ me { ...F0 } }"
    + " ".join(f"fragment F{i} on User {{ ...F{i + 1} }}" for i in range(45))
    + " fragment F45 on User { id }",
    "a very long document": "{ me { id } }" + " " * 200_000,
    "huge list costs": "{ boards(limit: 100000) { items_page(limit: 500) { items "
    "{ column_values { id text } subitems { id } } } } }",
}


@pytest.mark.parametrize("case", list(EXPENSIVE), ids=list(EXPENSIVE))
def test_a_document_built_to_take_forever_is_refused_quickly(
    case: str, admin_server: SandboxServer
) -> None:
    validated = _validation_errors.cache_info().misses
    # Walked in full, each of these takes minutes or more: the timeout is the hang guard.
    answer = httpx.post(admin_server.url, json={"query": EXPENSIVE[case]}, headers=AUTH, timeout=30)
    assert answer.status_code == 200
    errors = answer.json()["errors"]
    code = errors[0]["extensions"]["code"]
    assert code in ("ComplexityException", "GraphQLValidationError")
    assert "data" not in answer.json() or answer.json()["data"] is None
    if code == "ComplexityException":  # refused before graphql-core walked the document
        assert _validation_errors.cache_info().misses == validated
    assert still_serves(admin_server)


def test_the_fragment_bomb_is_refused_as_too_complex(admin_server: SandboxServer) -> None:
    answer = httpx.post(admin_server.url, json={"query": _bomb(30)}, headers=AUTH)
    error = answer.json()["errors"][0]
    assert error["extensions"]["code"] == "ComplexityException"
    assert error["extensions"]["request_id"].startswith("sbx-")


def test_bombs_sent_at_once_do_not_pin_the_server(admin_server: SandboxServer) -> None:
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        started = time.monotonic()
        answers = list(
            pool.map(
                lambda _: httpx.post(
                    admin_server.url, json={"query": _wide_bomb(24)}, headers=AUTH, timeout=30
                ),
                range(8),
            )
        )
    assert all(
        a.json()["errors"][0]["extensions"]["code"] == "ComplexityException" for a in answers
    )
    # Each bomb takes minutes when walked; eight refused together take a fraction of that.
    assert time.monotonic() - started < 20.0
    assert still_serves(admin_server)


def test_fragments_are_still_costed_as_their_expansion(sandbox: Sandbox) -> None:
    # The memoised cost of a spread fragment equals the cost of writing it out.
    spread = sandbox.execute(
        "{ complexity { query } boards(limit: 3) { ...B ...B } } fragment B on Board { id }"
    )
    written = sandbox.execute("{ complexity { query } boards(limit: 3) { id id } }")
    assert spread["data"]["complexity"]["query"] == written["data"]["complexity"]["query"]


# --- raw sockets ---------------------------------------------------------------------------


def connect(server: SandboxServer) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=10)


def read_all(connection: socket.socket, timeout: float = 5) -> bytes:
    connection.settimeout(timeout)
    chunks = []
    try:
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    return b"".join(chunks)


def raw_request(
    server: SandboxServer, method: str, path: str, headers: dict[str, str], body: bytes
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines += [f"Content-Length: {len(body)}", "Connection: close"]
    with connect(server) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        return read_all(connection)
