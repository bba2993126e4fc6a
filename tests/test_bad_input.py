"""Bad input, command by command: exit 1, one line naming the file and line (or the
address), and not a single HTTP request when the problem is visible before the network.

The corpus is ``tests/bad_input/*.yaml``: one broken manifest per file, each saying on its
first lines where its problem is and how it is worded (``tests/support/corpus.py``), so a
new case is one new file. Other inputs are built here from
``tests/bad_input/good/roadmap.yaml``: unreadable files, paths that are not manifests, bad
flags, unwritable outputs; the other ``test_bad_input_*`` modules hold saved plans,
snapshots, token files, sandbox state files and malformed answers from the server.

Exit codes: bad input (a file, the environment, the server's answer) exits 1 with one
line. A malformed command line (unknown option, bad choice, missing argument) exits 1 too,
with the usage lines and an ``Error:`` line naming the option: 2 is kept for "there are
changes" (``plan --detailed-exitcode``, ``drift``; README, Exit codes).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import (
    GOOD,
    Network,
    command_args,
    error_lines,
    invoke,
    lines,
    one_error_line,
)
from tests.support.corpus import CORPUS, cases, expectations

# Every command that reads manifests.
COMMANDS = ("validate", "plan", "apply", "drift", "describe", "doctor")


# --- malformed manifests, through every command that reads them -----------------------------


def test_every_case_of_the_corpus_says_what_it_expects() -> None:
    assert len(cases()) >= 140
    assert [case.name for case in cases() if not expectations(case)] == []


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", cases(), ids=lambda case: case.stem)
def test_a_malformed_manifest_is_one_line_naming_file_and_line_and_no_request(
    case: Path, command: str, network: Network, tmp_path: Path
) -> None:
    """Every command reports every problem, one line each, as ``validate`` does."""
    expected = expectations(case)
    printed = error_lines(invoke(*command_args(command, case, tmp_path / "sandbox.json")))
    assert len(printed) == len(expected), printed
    for expect, message in zip(expected, printed, strict=True):
        expect.check(case, message)
    assert network.requests == []


# --- files that cannot be read --------------------------------------------------------------


@contextmanager
def unreadable(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``path`` cannot be opened: mode 000, or, for root (who reads anything), every read
    of it refused the way the kernel would refuse it."""
    if os.geteuid() != 0:
        path.chmod(0)
        try:
            yield
        finally:
            path.chmod(0o644)
        return

    def deny(real: Any) -> Any:
        def read(self: Path, *args: Any, **kwargs: Any) -> Any:
            if os.path.abspath(self) == os.path.abspath(path):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
            return real(self, *args, **kwargs)

        return read

    with monkeypatch.context() as patch:
        patch.setattr(Path, "read_bytes", deny(Path.read_bytes))
        patch.setattr(Path, "read_text", deny(Path.read_text))
        yield


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unreadable_manifest_names_the_file_and_the_reason(
    command: str, network: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.yaml"
    path.write_text(GOOD.read_text())
    with unreadable(path, monkeypatch):
        result = invoke(*command_args(command, path, tmp_path / "sandbox.json"))
    message = one_error_line(result)
    assert message.startswith(str(path)), message
    assert "ermission denied" in message
    assert network.requests == []


@pytest.mark.parametrize(
    ("make", "words"),
    [
        ("missing", "no such file or directory"),
        ("empty-dir", "no *.yaml or *.yml files in this directory"),
        ("dir-named-yaml", "no *.yaml or *.yml files in this directory"),
    ],
)
@pytest.mark.parametrize("command", COMMANDS)
def test_a_path_that_is_not_a_manifest_file_names_it(
    make: str, words: str, command: str, network: Network, tmp_path: Path
) -> None:
    path = tmp_path / ("board.yaml" if make == "dir-named-yaml" else make)
    if make != "missing":
        path.mkdir()
    message = one_error_line(invoke(*command_args(command, path, tmp_path / "s.json")))
    assert message.startswith(str(path)), message
    assert words in message
    assert network.requests == []


# --- bad flags ------------------------------------------------------------------------------


USAGE: list[tuple[list[str], str]] = [
    (["plan", str(GOOD), "--format", "yaml"], "'--format'"),
    (["plan", str(GOOD), "--sandbox", str(CORPUS)], "'--sandbox'"),
    (["apply", str(GOOD), "--plan", "/nonexistent/plan.json"], "'--plan'"),
    (["apply", str(GOOD), "--bogus"], "--bogus"),
    (["export", "--sandbox=/nonexistent/s.json"], "--board or --workspace"),
    (["export", "--board", "1", "--match-by", "ref"], "add --items"),
    (["describe"], "--board or --workspace"),
    (["plan", str(GOOD), "--token-file", str(CORPUS)], "'--token-file'"),
    (["sandbox", "serve", "--faults", "bogus=1", "--port", "0"], "unknown fault setting"),
    (["sandbox", "serve", "--port", "99999"], "'--port'"),
    (["sandbox", "serve", "--host", "0.0.0.0", "--port", "0"], "--allow-non-loopback"),
    (["sandbox", "serve", "--admin-token-file", "t", "--port", "0"], "needs --admin"),
    (["-vv", "plan", str(GOOD), "--detailed-exitcode=yes"], "--detailed-exitcode"),
    (["drift", str(GOOD), "--bogus"], "--bogus"),
]


@pytest.mark.parametrize(("args", "words"), USAGE, ids=[" ".join(a[:2]) for a, _ in USAGE])
def test_bad_flags_exit_1_with_one_error_line_naming_the_option(
    args: list[str], words: str, network: Network
) -> None:
    # 1, as for any error: `plan --detailed-exitcode` and `drift` keep 2 for "changes".
    result = invoke(*args)
    assert result.exit_code == 1, (result.exit_code, result.output)
    error_lines = [line for line in lines(result) if line.startswith("Error:")]
    assert len(error_lines) == 1, lines(result)
    assert words in error_lines[0]
    assert "Traceback" not in result.output
    assert network.requests == []


# --- -target/-exclude patterns that are not addresses ------------------------------------------


PATTERNS = [
    ("-target", ""),
    ("-target", "board..roadmap"),
    ("-target", "board.roadmap."),
    ("-exclude", "board.roadmap.item[X-1"),
    ("-exclude", "board.roadmap.item]"),
    ("-target", "board.roadmap.item[X-1]]"),
    ("-target", "board.roadmap.item[[X-1]"),
]


@pytest.mark.parametrize("command", ["plan", "apply", "drift"])
@pytest.mark.parametrize(("option", "pattern"), PATTERNS)
def test_a_malformed_target_pattern_is_one_line_naming_it_and_no_request(
    command: str, option: str, pattern: str, network: Network, tmp_path: Path
) -> None:
    args = command_args(command, GOOD, tmp_path / "sandbox.json")
    line = one_error_line(invoke(*args, option, pattern))
    assert line.startswith(f"{option} {pattern!r}: ")
    assert network.requests == []


# --- output paths that cannot be written ------------------------------------------------------


OUTPUTS: list[tuple[str, list[str]]] = [
    ("plan --out", ["plan", str(GOOD), "--out", "{blocked}/plan.json"]),
    ("plan --markdown-dir", ["plan", str(GOOD), "--markdown-dir", "{blocked}/md"]),
    ("describe -o", ["describe", str(GOOD), "-o", "{blocked}/live.json"]),
    ("export -o", ["export", "--board", "Roadmap", "-o", "{blocked}/board.yaml"]),
    ("--sandbox", ["plan", str(GOOD), "--sandbox={blocked}/sandbox.json"]),
]


@pytest.mark.parametrize(("name", "args"), OUTPUTS, ids=[name for name, _ in OUTPUTS])
def test_an_output_path_that_cannot_be_written_is_refused_before_the_network(
    name: str, args: list[str], network: Network, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"  # a file where a folder is needed
    blocked.write_text("not a folder\n")
    filled = [arg.replace("{blocked}", str(blocked)) for arg in args]
    if not any(arg.startswith("--sandbox") for arg in filled):
        filled.append(f"--sandbox={tmp_path / 'sandbox.json'}")
    message = one_error_line(invoke(*filled))
    assert str(blocked) in message
    assert network.requests == []
    assert blocked.read_text() == "not a folder\n"


# --- names holding control characters ---------------------------------------------------------
# (in an error line, they are shown escaped too: the corpus cases control-character-*.yaml)

CONTROL = """version: 1
boards:
  - name: Roadmap
    columns:
      - {title: "Ti\\ttle\\e[2J", type: status, labels: ["Do\\nne", Todo]}
    items:
      rows:
        - {name: "Two\\nlines \\e[31mred\\u202e", values: {"Ti\\ttle\\e[2J": "Do\\nne"}}
"""


def test_control_characters_in_names_never_reach_the_terminal_raw(
    network: Network, tmp_path: Path
) -> None:
    """A newline in an address would split a plan line (and forge another); an escape
    sequence would repaint a reviewer's terminal or a CI log."""
    manifest = tmp_path / "control.yaml"
    manifest.write_text(CONTROL)
    result = invoke("plan", str(manifest), f"--sandbox={tmp_path / 's.json'}")
    assert result.exit_code == 0, result.output
    for raw in ("\x1b", "\u202e", "\t"):
        assert raw not in result.output
    headlines = [line for line in result.output.splitlines() if line.startswith("  + ")]
    assert len(headlines) == 3, headlines  # the board's column and item, one line each
    assert any("item[Two\\nlines \\x1b[31mred\\u202e]" in line for line in headlines)
