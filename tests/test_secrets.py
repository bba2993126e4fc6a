"""Secrets audit: the API token never leaves the Authorization header.

Every command runs with a sentinel token (from ``MONDAY_API_TOKEN`` and from
``--token-file``) at the highest verbosity (``--debug -vv``, every logger at DEBUG),
against servers that succeed (the sandbox), fail in transit (the sandbox with 429, 5xx,
423, timeouts and lost answers), refuse (401, 403, 500) or answer garbage. After each run
the sentinel, or any 8-character piece of it, must appear in none of: stdout, stderr,
log records (message, arguments, exception text), the exception and its causes with
their tracebacks, and every file the command wrote (plans, Markdown parts, snapshots,
exported manifests). Real processes are audited too: ``boardops`` as a subprocess against
``sandbox serve --log-requests``, with both processes' output checked.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner, Result

from boardops.cli import main
from boardops.monday import MondayClient
from boardops.sandbox import Faults, Sandbox, ScheduledFault

SENTINEL = "sEnTiNeL-4c1d-93f7-TOKEN-b0a8e2"
PIECES = [SENTINEL[i : i + 8] for i in range(len(SENTINEL) - 7)]
API_URL = "http://127.0.0.1:8/v2"  # loopback; respx answers
ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "bad_input" / "good" / "roadmap.yaml"


def leaks(text: str) -> list[str]:
    return [piece for piece in PIECES if piece in text]


def assert_clean(where: str, text: str) -> None:
    found = leaks(text)
    assert not found, f"the token leaked into {where}: {found[:3]} in {text[:300]!r}"


def exception_texts(error: BaseException | None) -> Iterator[str]:
    """The exception, its causes and contexts, as text and as formatted tracebacks."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield str(error)
        yield repr(error)
        yield "".join(traceback.format_exception(type(error), error, error.__traceback__))
        for value in vars(error).values() if hasattr(error, "__dict__") else ():
            yield repr(value)
        error = error.__cause__ or error.__context__


def audit(result: Result, caplog: pytest.LogCaptureFixture, folder: Path) -> None:
    assert_clean("stdout", result.stdout)
    assert_clean("stderr", result.stderr)
    for text in exception_texts(result.exception):
        assert_clean("the exception", text)
    for record in caplog.records:
        assert_clean(f"log record {record.name}", record.getMessage())
        assert_clean(f"log record {record.name} args", repr(record.args))
        if record.exc_info and record.exc_info[1] is not None:
            for text in exception_texts(record.exc_info[1]):
                assert_clean(f"log record {record.name} exception", text)
    for path in folder.rglob("*"):
        if path.is_file():
            assert_clean(str(path), path.read_bytes().decode("utf-8", "replace"))


# --- servers ---------------------------------------------------------------------------------


def through(sandbox: Sandbox) -> Callable[[httpx.Request], httpx.Response]:
    transport = sandbox.transport()

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == SENTINEL  # it is sent, and only there
        response = transport.handle_request(request)
        response.read()  # decoded: drop the headers that describe the encoded body
        headers = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-encoding", "content-length")
        }
        return httpx.Response(response.status_code, headers=headers, content=response.content)

    return answer


def seeded_sandbox() -> Sandbox:
    """The sandbox after GOOD was applied, so export, describe and drift find a board."""
    sandbox = Sandbox()
    runner = CliRunner()
    with respx.mock(assert_all_called=False) as mock:
        mock.post(API_URL).mock(side_effect=through(sandbox))
        result = runner.invoke(
            main,
            ["apply", str(GOOD), "--auto-approve", "--api-url", API_URL],
            env={"MONDAY_API_TOKEN": SENTINEL},
        )
    assert result.exit_code == 0, result.output
    return sandbox


FAULTY = Faults(
    rate_limit=0.2,
    server_error=0.1,
    locked=0.1,
    timeout=0.1,
    lost_ack=0.3,
    retry_in_seconds=3,
    schedule=(ScheduledFault("lost_ack", 1, True), ScheduledFault("5xx", 2)),
    seed=11,
)

SERVERS = ["sandbox", "faulty-sandbox", "401", "403", "500", "html", "truncated", "no-answer"]


def route_server(mock: respx.MockRouter, server: str, sandbox: Sandbox | None) -> None:
    route = mock.post(API_URL)
    if sandbox is not None:
        if server == "faulty-sandbox":
            sandbox.faults = FAULTY
        route.mock(side_effect=through(sandbox))
    elif server in ("401", "403"):
        # Some servers echo what they were sent; boardops must not repeat it.
        body = {"errors": [{"message": f"Not Authenticated: {SENTINEL[:3]}..."}], "status": 401}
        route.mock(return_value=httpx.Response(int(server), json=body))
    elif server == "500":
        route.mock(return_value=httpx.Response(500, text="Internal Server Error"))
    elif server == "html":
        route.mock(return_value=httpx.Response(200, text="<html>gateway</html>"))
    elif server == "truncated":
        route.mock(return_value=httpx.Response(200, text='{"data": {"boards": [{"id": "1"'))
    else:
        route.mock(side_effect=httpx.ReadTimeout("no answer"))


COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "validate": lambda d: ["validate", str(GOOD), "--format", "json"],
    "schema": lambda d: ["schema"],
    "plan": lambda d: [
        "plan",
        str(GOOD),
        "--out",
        str(d / "plan.json"),
        "--markdown-dir",
        str(d / "md"),
        "--format",
        "json",
    ],
    "plan-markdown": lambda d: ["plan", str(GOOD), "--format", "markdown"],
    "describe": lambda d: ["describe", str(GOOD), "-o", str(d / "live.json")],
    "describe-board": lambda d: ["describe", "--board", "Roadmap", "--items"],
    "apply": lambda d: ["apply", str(GOOD), "--auto-approve"],
    "apply-json": lambda d: ["apply", str(GOOD), "--auto-approve", "--format", "json"],
    "export": lambda d: ["export", "--board", "Roadmap", "--items", "-o", str(d / "out.yaml")],
    "drift": lambda d: ["drift", str(GOOD), "--format", "json"],
}


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = MondayClient.__init__.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "sleep", lambda seconds: None)
    monkeypatch.delenv("MONDAY_API_TOKEN", raising=False)
    monkeypatch.delenv("BOARDOPS_SANDBOX_FAULTS", raising=False)


@pytest.mark.parametrize("source", ["env", "file"])
@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_token_appears_nowhere_whatever_the_server_answers(
    command: str, server: str, source: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    out = tmp_path / "out"
    out.mkdir()
    args = COMMANDS[command](out)
    env: dict[str, str] = {}
    if source == "env":
        env["MONDAY_API_TOKEN"] = SENTINEL
        backend: list[str] = []
    else:
        token_file = tmp_path / "token"
        token_file.write_text(SENTINEL + "\n")
        backend = ["--token-file", str(token_file)]
    if command not in ("validate", "schema"):
        args += [*backend, "--api-url", API_URL]
    sandbox = seeded_sandbox() if server in ("sandbox", "faulty-sandbox") else None
    with respx.mock(assert_all_called=False) as mock:
        route_server(mock, server, sandbox)
        result = CliRunner().invoke(main, ["--debug", "-vv", *args], env=env)
    audit(result, caplog, out)
    if command in ("validate", "schema") or server == "sandbox":
        assert result.exit_code == 0, (result.output, result.exception)
    elif server in ("401", "403", "500", "html", "truncated", "no-answer"):
        assert result.exit_code == 1, (result.output, result.exception)
    if server == "sandbox" and command in ("plan", "describe"):
        assert any(out.rglob("*.json")), "the written files were audited"


def test_the_audit_catches_a_leak(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The checks above can fail: a token in any of the places they look is found."""
    logging.getLogger("boardops.test").warning("token is %s", SENTINEL[2:12])
    (tmp_path / "plan.json").write_text(f'{{"t": "{SENTINEL[5:20]}"}}')
    result = CliRunner().invoke(main, ["schema"])
    with pytest.raises(AssertionError, match="leaked into log record"):
        audit(result, caplog, tmp_path / "nothing")
    caplog.clear()
    with pytest.raises(AssertionError, match=r"plan\.json"):
        audit(result, caplog, tmp_path)
    texts = list(exception_texts(RuntimeError("x", ValueError(f"y {SENTINEL}"))))
    assert any(leaks(text) for text in texts)


# --- real processes --------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``boardops sandbox serve --log-requests`` in a child process, losing the answers to
    two mutations (faults that make the client recover, not wait: no test sleeps)."""
    command = [
        sys.executable,
        "-c",
        "import sys; from boardops.cli import main; sys.exit(main())",
        "--debug",
        "-vv",
        "sandbox",
        "serve",
        "--port",
        "0",
        "--log-requests",
        "--sandbox",
        str(tmp_path / "sandbox.json"),
        "--faults",
        "lost_ack@m2,lost_ack@m5",
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MONDAY_API_TOKEN": SENTINEL},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "serving" in line, line
    yield line.split("serving ", 1)[1].split(" ", 1)[0], process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)


def test_real_processes_keep_the_token_out_of_their_output(
    served: tuple[str, subprocess.Popen[str]], tmp_path: Path
) -> None:
    url, server = served
    cli = [sys.executable, "-c", "import sys; from boardops.cli import main; sys.exit(main())"]
    env = {**os.environ, "MONDAY_API_TOKEN": SENTINEL, "PYTHONPATH": str(ROOT)}
    runs = [
        ["apply", str(GOOD), "--auto-approve"],
        ["plan", str(GOOD), "--out", str(tmp_path / "plan.json")],
        ["describe", str(GOOD), "-o", str(tmp_path / "live.json")],
        ["export", "--board", "Roadmap", "--items"],
        ["drift", str(GOOD)],
    ]
    outputs: list[str] = []
    for args in runs:
        done = subprocess.run(
            [*cli, "--debug", "-vv", *args, "--api-url", url],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, (args, done.stderr[-2000:])
        outputs += [done.stdout, done.stderr]
    # A refused token, for real: the server answers 401 to an empty Authorization header.
    refused = subprocess.run(
        [*cli, "--debug", "-vv", "plan", str(GOOD), "--api-url", url.replace("/v2", "/nope")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1
    outputs += [refused.stdout, refused.stderr]
    server.send_signal(signal.SIGINT)
    server_out, server_err = server.communicate(timeout=10)
    assert "POST" in server_err, "the server logged the requests it served"
    for text in [*outputs, server_out, server_err]:
        assert_clean("a process's output", text)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert_clean(str(path), path.read_bytes().decode("utf-8", "replace"))
