"""Running the command line in the bad-input tests: the good manifest, a record of every
HTTP request, and the one error line a failing command prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from boardops.cli import main
from boardops.monday import MondayClient
from boardops.sandbox import Sandbox

GOOD = Path(__file__).resolve().parents[1] / "bad_input" / "good" / "roadmap.yaml"
API_URL = "http://127.0.0.1:8/v2"  # loopback, nothing listens: respx answers


@dataclass
class Network:
    """Every HTTP request any ``httpx.Client`` sends, whatever its transport."""

    requests: list[httpx.Request] = field(default_factory=list)

    @property
    def mutations(self) -> int:
        return sum(1 for r in self.requests if b"mutation" in r.content.split(b"{", 1)[0])


def record_network(monkeypatch: pytest.MonkeyPatch) -> Network:
    """Record every request; retries wait on a clock that only moves when told (no test
    sleeps); no token and no sandbox faults come from the environment."""
    recorded = Network()
    send = httpx.Client.send

    def recording_send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> Any:
        recorded.requests.append(request)
        return send(self, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", recording_send)
    slept: list[float] = []
    defaults = MondayClient.__init__.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "sleep", slept.append)
    monkeypatch.delenv("MONDAY_API_TOKEN", raising=False)
    monkeypatch.delenv("BOARDOPS_SANDBOX_FAULTS", raising=False)
    return recorded


def answered_by(sandbox: Sandbox) -> Callable[[httpx.Request], httpx.Response]:
    """A respx side effect: each request answered as ``sandbox`` answers it."""
    transport = sandbox.transport()

    def answer(request: httpx.Request) -> httpx.Response:
        response = transport.handle_request(request)
        response.read()
        return httpx.Response(response.status_code, content=response.content)

    return answer


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, terminal_width=100)


def lines(result: Result) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]


def error_lines(result: Result) -> list[str]:
    """The lines a failing command printed (exit 1, no traceback; ``error: `` stripped)."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    printed = lines(result)
    assert all("Traceback" not in line for line in printed), printed
    return [line.removeprefix("error: ") for line in printed]


def one_error_line(result: Result) -> str:
    """The single line a failing command printed (``error: `` stripped)."""
    printed = error_lines(result)
    assert len(printed) == 1, printed
    return printed[0]


def command_args(command: str, path: Path, sandbox: Path) -> list[str]:
    if command == "validate":
        return [command, str(path)]
    extra = ["--auto-approve"] if command == "apply" else []
    return [command, str(path), *extra, f"--sandbox={sandbox}"]
