"""Bad input around the backend: snapshots, token files, API settings, sandbox state files,
fault specs and malformed answers from the server. One line each, no traceback, and no
request when the problem is visible before the network."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from click.testing import Result

from boardops.sandbox import Sandbox
from tests.support.cli import (
    API_URL,
    GOOD,
    Network,
    answered_by,
    command_args,
    invoke,
    one_error_line,
)

# --- snapshots, token files, sandbox state, settings ----------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"kind": "boardops-live-state", ', "invalid JSON"),
        (b'{"name": "caf\xe9"}', "not UTF-8"),
        (b'{"format_version": 99, "kind": "boardops-live-state"}', "format_version"),
        (b"[1, 2]", "a snapshot is a JSON object"),
        (b"[" * 100_000 + b"]" * 100_000, "cannot read snapshot"),
    ],
    ids=["truncated", "not-utf8", "newer-format", "a-list", "nested-too-deep"],
)
def test_a_broken_snapshot_names_the_file_and_sends_nothing(
    content: bytes, words: str, network: Network, tmp_path: Path
) -> None:
    snapshot = tmp_path / "live.json"
    snapshot.write_bytes(content)
    message = one_error_line(invoke("plan", str(GOOD), "--live", str(snapshot)))
    assert message.startswith(str(snapshot)), message
    assert words in message
    assert network.requests == []


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "No such file or directory"),
        (b"", "is empty"),
        (b"\xfftoken-\xfe", "not UTF-8"),
        (b"two words\n", "contains spaces"),
    ],
    ids=["missing", "empty", "not-utf8", "spaces"],
)
@pytest.mark.parametrize("command", ["plan", "apply", "drift", "describe"])
def test_a_bad_token_file_is_one_line_and_sends_nothing(
    content: bytes | None, words: str, command: str, network: Network, tmp_path: Path
) -> None:
    token = tmp_path / "token"
    if content is not None:
        token.write_bytes(content)
    args = [command, str(GOOD), "--token-file", str(token), "--api-url", API_URL]
    message = one_error_line(invoke(*args))
    assert words in message
    if content is not None:
        assert str(token) in message or "token" in message
        assert "token-" not in message, "the token's content is never shown"
    assert network.requests == []


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--api-version", "2026/10", "not of the form YYYY-MM"),
        ("--api-url", "ftp://example.com/v2", "must start with http:// or https://"),
    ],
)
def test_bad_api_settings_are_refused_before_the_network(
    option: str, value: str, words: str, network: Network
) -> None:
    args = ["plan", str(GOOD), option, value]
    if option != "--api-url":
        args += ["--api-url", API_URL]
    message = one_error_line(invoke(*args, env={"MONDAY_API_TOKEN": "t0k3n"}))
    assert words in message
    assert network.requests == []


@pytest.mark.parametrize(
    "content",
    [b"{broken", b"\xff\xfe", b"[]", b'{"format": 99}', b"[" * 100_000 + b"]" * 100_000],
    ids=["truncated", "not-utf8", "a-list", "newer-format", "nested-too-deep"],
)
@pytest.mark.parametrize("command", ["plan", "apply", "describe", "drift"])
def test_a_corrupt_sandbox_state_file_is_one_line_naming_it(
    content: bytes, command: str, network: Network, tmp_path: Path
) -> None:
    state = tmp_path / "sandbox.json"
    state.write_bytes(content)
    message = one_error_line(invoke(*command_args(command, GOOD, state)))
    assert str(state) in message
    assert "not a boardops sandbox state file" in message
    assert network.requests == []
    assert state.read_bytes() == content, "a file that is not a sandbox is never overwritten"


@pytest.mark.parametrize("command", ["show", "reset", "serve"])
def test_sandbox_show_reset_and_serve_name_a_corrupt_state_file(
    command: str, network: Network, tmp_path: Path
) -> None:
    state = tmp_path / "sandbox.json"
    state.write_bytes(b"{broken")
    extra = {"reset": ["--yes"], "serve": ["--port", "0"]}.get(command, [])
    message = one_error_line(invoke("sandbox", command, "--sandbox", str(state), *extra))
    assert str(state) in message
    assert "not a boardops sandbox state file" in message
    assert state.read_bytes() == b"{broken"


def test_a_bad_fault_spec_in_the_environment_names_the_variable(
    network: Network, tmp_path: Path
) -> None:
    result = invoke(
        "plan",
        str(GOOD),
        f"--sandbox={tmp_path / 's.json'}",
        env={"BOARDOPS_SANDBOX_FAULTS": "bogus"},
    )
    message = one_error_line(result)
    assert "BOARDOPS_SANDBOX_FAULTS" in message
    assert network.requests == []


# --- malformed answers from the server ------------------------------------------------------


ANSWERS: dict[str, httpx.Response] = {
    "html-page": httpx.Response(200, text="<html><body>Bad gateway</body></html>"),
    "truncated-json": httpx.Response(200, text='{"data": {"boards": ['),
    "data-null": httpx.Response(200, json={"data": None}),
    "boards-not-a-list": httpx.Response(200, json={"data": {"boards": "oops"}}),
    "json-array": httpx.Response(200, json=[1, 2, 3]),
    "nested-too-deep": httpx.Response(200, text="[" * 100_000 + "]" * 100_000),
    "unauthorized": httpx.Response(401, json={"errors": [{"message": "Not Authenticated"}]}),
    "server-error": httpx.Response(500, text="internal error"),
}


@pytest.mark.parametrize("answer", sorted(ANSWERS))
@pytest.mark.parametrize("command", ["plan", "apply", "drift", "describe"])
def test_a_malformed_server_answer_is_one_line_without_a_traceback(
    answer: str, command: str, network: Network
) -> None:
    env = {"MONDAY_API_TOKEN": "t0k3n"}
    extra = ["--auto-approve"] if command == "apply" else []
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post(API_URL).mock(return_value=ANSWERS[answer])
        result = invoke(command, str(GOOD), *extra, "--api-url", API_URL, env=env)
    message = one_error_line(result)
    # It says what was wrong and where: the operation, or monday's answer.
    assert "operation" in message or "monday" in message, message
    assert 1 <= route.call_count <= 10
    assert network.mutations == 0


# --- answers of the right JSON shape with wrong field types ------------------------------------


@pytest.fixture(scope="module")
def applied() -> Sandbox:
    """A sandbox holding GOOD, applied through the CLI."""
    sandbox = Sandbox()
    with respx.mock() as mock:
        mock.post(API_URL).mock(side_effect=answered_by(sandbox))
        result = invoke("apply", str(GOOD), "--auto-approve", "--api-url", API_URL, env=TOKEN)
    assert result.exit_code == 0, result.output
    return sandbox


TOKEN = {"MONDAY_API_TOKEN": "t0k3n"}


def _replace_everywhere(data: Any, key: str, value: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: value if k == key else _replace_everywhere(v, key, value) for k, v in data.items()
        }
    if isinstance(data, list):
        return [_replace_everywhere(v, key, value) for v in data]
    return data


def _is_mutation(request: httpx.Request) -> bool:
    query: str = json.loads(request.content)["query"]
    return query.lstrip().startswith("mutation")


def _mangling(
    sandbox: Sandbox, key: str, value: Any, *, mutations_only: bool = False
) -> Callable[[httpx.Request], httpx.Response]:
    """Answers as ``sandbox`` would, with every field ``key`` replaced by ``value`` (in the
    answers to mutations only, if asked)."""
    honest = answered_by(sandbox)

    def mangled(request: httpx.Request) -> httpx.Response:
        response = honest(request)
        if mutations_only and not _is_mutation(request):
            return response
        body = json.loads(response.content)
        return httpx.Response(200, json=_replace_everywhere(body, key, value))

    return mangled


def _invoke_answered(answer: Callable[[httpx.Request], httpx.Response], *args: str) -> Result:
    """Runs the command line with every request to monday's API answered by ``answer``."""
    with respx.mock() as mock:
        mock.post(API_URL).mock(side_effect=answer)
        return invoke(*args, "--api-url", API_URL, env=TOKEN)


# Values the plan compares (a board's columns and groups, an item's values and group):
# read short, they would plan writes over what is there, so the read stops in one line.
WRONG_TYPES = [
    ("columns", 5),
    ("columns", "x"),
    ("groups", 5),
    ("groups", "x"),
    ("column_values", 5),
    ("column_values", "x"),
    ("group", 5),
]
# Harmless departures (a number where text was documented, a colour that is a list): read
# as the nearest harmless value, with a warning naming the field (shape_tolerance tests).
TOLERATED_TYPES = [
    ("text", 5),
    ("color", 5),
    ("color", []),
    ("description", 5),
]


@pytest.mark.parametrize(
    "args",
    [
        ["plan", str(GOOD)],
        ["describe", "--board", "Roadmap", "--items"],
        ["export", "--board", "Roadmap", "--items"],
    ],
    ids=["plan", "describe", "export"],
)
@pytest.mark.parametrize(("key", "value"), WRONG_TYPES, ids=[f"{k}={v!r}" for k, v in WRONG_TYPES])
def test_an_answer_with_a_field_of_the_wrong_type_is_one_line(
    key: str, value: Any, args: list[str], applied: Sandbox, network: Network
) -> None:
    result = _invoke_answered(_mangling(applied, key, value), *args)
    message = one_error_line(result)
    assert "monday" in message, message
    assert network.mutations == 0


@pytest.mark.parametrize(
    "args",
    [
        ["plan", str(GOOD)],
        ["describe", "--board", "Roadmap", "--items"],
    ],
    ids=["plan", "describe"],
)
@pytest.mark.parametrize(
    ("key", "value"), TOLERATED_TYPES, ids=[f"{k}={v!r}" for k, v in TOLERATED_TYPES]
)
def test_an_answer_with_a_harmless_odd_field_is_read_with_a_warning_naming_it(
    key: str,
    value: Any,
    args: list[str],
    applied: Sandbox,
    network: Network,
    caplog: pytest.LogCaptureFixture,
) -> None:
    result = _invoke_answered(_mangling(applied, key, value), *args)
    assert result.exit_code in (0, 2), (result.output, result.exception)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(f".{key}: " in message for message in warnings), warnings
    assert "Traceback" not in result.output
    assert network.mutations == 0


@pytest.mark.parametrize(
    ("key", "value", "exit_code"),
    [("position", "x", 0), ("color", 5, 0), ("color", [], 0), ("settings", 5, 1)],
    ids=[
        "group position not a number: tolerated",
        "colour a number: tolerated",
        "colour a list: tolerated",
        "settings not an object",
    ],
)
def test_apply_reports_a_misshapen_answer_to_a_mutation_as_a_failure_not_a_crash(
    key: str, value: Any, exit_code: int, network: Network
) -> None:
    mangled = _mangling(Sandbox(), key, value, mutations_only=True)
    examples = Path(__file__).resolve().parent.parent / "examples"
    result = _invoke_answered(mangled, "apply", str(examples), "--auto-approve")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    if exit_code:
        assert "monday" in result.output


FIELDS = (
    "id",
    "name",
    "title",
    "type",
    "settings",
    "settings_str",
    "columns",
    "groups",
    "items",
    "items_page",
    "column_values",
    "value",
    "text",
    "group",
    "position",
    "color",
    "state",
    "workspace",
    "workspace_id",
    "revision",
    "users",
    "email",
    "cursor",
    "labels",
    "board_kind",
    "updated_at",
    "kind",
    "description",
)


@pytest.mark.parametrize(
    "args",
    [
        ["plan", str(GOOD)],
        ["describe", "--board", "Roadmap", "--items"],
        ["export", "--board", "Roadmap", "--items"],
    ],
    ids=["plan", "describe", "export"],
)
def test_no_field_of_any_wrong_type_crashes_a_reading_command(
    args: list[str], applied: Sandbox, network: Network
) -> None:
    """Field names the reads select, each replaced everywhere by null, a number, text, a
    list or an object (a fixed sample of 30 of the 140 pairs per command; the whole set
    ran clean once): the command either copes or says so; it never crashes."""
    crashes: list[str] = []
    values: tuple[Any, ...] = (None, 5, "x", [], {})
    pairs = [(key, value) for key in FIELDS for value in values]
    for key, value in random.Random(" ".join(args)).sample(pairs, 30):
        result = _invoke_answered(_mangling(applied, key, value), *args)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            crashes.append(f"{key}={value!r}: {type(result.exception).__name__}")
        elif result.exit_code == 1 and len(result.stderr.strip().splitlines()) != 1:
            crashes.append(f"{key}={value!r}: {result.stderr!r}")
    assert crashes == []


def test_a_server_message_with_control_characters_is_one_failure_line(network: Network) -> None:
    honest = answered_by(Sandbox())
    forged = "bad\nboard.roadmap created\x1b[2J\u202e"

    def refusing(request: httpx.Request) -> httpx.Response:
        if not _is_mutation(request):
            return honest(request)
        error = {"message": forged, "extensions": {"code": "InvalidBoardIdException"}}
        return httpx.Response(200, json={"errors": [error], "data": None})

    # --no-lock: every mutation is refused, the apply lease's too; its actions' lines are
    # what this test reads.
    result = _invoke_answered(refusing, "apply", str(GOOD), "--auto-approve", "--no-lock")
    assert result.exit_code == 1
    failures = [line for line in result.output.splitlines() if "board.roadmap failed: " in line]
    assert failures, result.output
    assert all("bad\\nboard.roadmap created\\x1b[2J\\u202e" in line for line in failures), failures
    assert "board.roadmap created" not in result.output.replace("\\nboard.roadmap created", "")
