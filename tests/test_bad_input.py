"""Bad input, command by command: exit 1, one line naming the file and line (or the
address), and not a single HTTP request when the problem is visible before the network.

The corpus is ``tests/bad_input/*.yaml`` (one malformed manifest each, described on its
first line; the table below says where each problem is and how it is worded), plus inputs
built here from ``tests/bad_input/good/roadmap.yaml``: unreadable files, saved plans
edited by hand, made from another manifest or of a newer format, broken snapshots, token
files and sandbox state files, malformed answers from the server, and bad flags.

Exit codes: bad input (a file, the environment, the server's answer) exits 1 with one
line. A malformed command line (unknown option, bad choice, missing argument) is click's
usage error: exit 2 with click's usage lines and an ``Error:`` line naming the option;
``drift`` exits 1 instead, because its 2 means "drifted" (README, Exit codes).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from boardops.cli import main
from boardops.monday import MondayClient

CORPUS = Path(__file__).resolve().parent / "bad_input"
GOOD = CORPUS / "good" / "roadmap.yaml"
API_URL = "http://127.0.0.1:8/v2"  # loopback, nothing listens: respx answers

# file -> (line of the problem, words of the message)
MANIFESTS: dict[str, tuple[int, str]] = {
    "bad-color-picker.yaml": (9, '"reddish" is not a colour'),
    "bad-country.yaml": (9, '"Atlantis" is not a country'),
    "bad-email.yaml": (9, "is not an email address"),
    "binary.yaml": (2, "not UTF-8 text"),
    # Characters YAML refuses, or reads differently from an editor: shown escaped, never raw.
    "char-bom-in-the-middle.yaml": (4, "byte order mark (U+FEFF)"),
    "char-c1-control.yaml": (4, "character U+0085"),
    "char-escape.yaml": (4, "character U+001B"),
    "char-nul.yaml": (4, "character U+0000"),
    "board-name-number.yaml": (4, "board name must be text"),
    "boards-mapping.yaml": (4, "boards must be a list"),
    "checkbox-string.yaml": (9, '"yes" is not a boolean'),
    "columns-mapping.yaml": (6, "columns must be a list"),
    "date-february-30.yaml": (9, '"2026-02-30" is not a real date'),
    "date-month-13.yaml": (9, '"2026-13-01" is not a real date'),
    "date-words.yaml": (9, '"next tuesday" is not a date'),
    "duplicate-board-key.yaml": (5, "duplicate board key 'plan'"),
    "duplicate-column-id.yaml": (7, "duplicate column id 'ref'"),
    "duplicate-match-key.yaml": (11, "same match key"),
    "duplicate-yaml-key.yaml": (5, "duplicate key 'name'"),
    "env-api-token.yaml": (5, "MONDAY_API_TOKEN holds the monday API token"),
    "env-not-allowed.yaml": (5, "manifests may not read the environment variable HOME"),
    "env-unset.yaml": (4, "BOARDOPS_VAR_BAD_INPUT_SURELY_UNSET is not set"),
    "group-color-off-palette.yaml": (7, "did you mean '#df2f4a'"),
    "hour-25.yaml": (9, '"25:00" is not a time of day'),
    "item-name-too-long.yaml": (7, "monday allows at most 255"),
    "item-values-list.yaml": (9, "item values must be a mapping"),
    "not-utf8.yaml": (4, "not UTF-8 text"),
    "not-utf8-surrogate.yaml": (4, "not UTF-8 text"),
    "not-utf8-utf16.yaml": (1, "not UTF-8 text"),
    # Numbers Python cannot turn into text (over 4,300 digits), and numbers that are not.
    "number-inf.yaml": (9, "is not a finite number"),
    "number-nan.yaml": (9, "is not a finite number"),
    "number-over-4300-digits.yaml": (9, "more than 4,300 digits"),
    "number-over-4300-digits-hex.yaml": (9, "more than 4,300 digits"),
    "number-over-4300-digits-key.yaml": (11, "more than 4,300 digits"),
    "number-over-4300-digits-tagged.yaml": (9, "more than 4,300 digits"),
    "prune-yes.yaml": (5, "prune must be true or false"),
    "rating-text.yaml": (9, '"great" is not a rating'),
    "status-label-too-long.yaml": (6, "monday allows at most 30"),
    "template-missing-var.yaml": (8, "needs a value for ${lead}"),
    "template-unknown-var.yaml": (9, "has no placeholder ${lead}"),
    "timeline-backwards.yaml": (9, "before it starts"),
    "too-many-status-labels.yaml": (6, "monday allows at most 40"),
    "top-level-list.yaml": (2, "must be a mapping"),
    "undeclared-dropdown-label.yaml": (9, '"Mobile" is not a label of column Area'),
    "undeclared-status-label.yaml": (9, '"Doing" is not a label of column Status'),
    "unknown-column-type.yaml": (6, "'stauts' is not a valid column type"),
    "unknown-group.yaml": (9, "unknown group 'later'"),
    "unknown-match-column.yaml": (8, "unknown column 'ticket'"),
    "unknown-status-color.yaml": (10, "'grass_green_ish' is not a valid status colour"),
    "unknown-template.yaml": (8, "unknown template 'teams'"),
    "unknown-top-level-key.yaml": (3, "unknown key 'bords'"),
    "unknown-value-column.yaml": (9, "unknown column 'reference'"),
    "unknown-workspace.yaml": (5, "unknown workspace 'engineering'"),
    "version-newer.yaml": (2, "unsupported manifest version 2"),
    "version-string.yaml": (2, "unsupported manifest version '1'"),
    "week-54.yaml": (9, '"2026-W54" is not a real week'),
    "week-start-conflict.yaml": (8, "week_start is sunday here but monday on line 3"),
    "yaml-alias-bomb.yaml": (3, "YAML aliases expand this document to more than 100,000"),
    "yaml-bad-indent.yaml": (5, "invalid YAML"),
    # Deeper than a manifest may nest, and shallow enough for any YAML parser to read.
    "yaml-nested-too-deep.yaml": (5, "values nested more than 64 levels deep"),
    # So deep that the YAML parser may stop it first, in its own words (which we never
    # assert on): only the one line with the file and line is ours to promise.
    "yaml-nested-thousands-deep.yaml": (5, ""),
    "yaml-second-document-broken.yaml": (9, "invalid YAML"),
    "yaml-tab-indent.yaml": (4, "invalid YAML"),
    # Only the tags of JSON's types are read, and a tagged value must be what its tag says.
    "yaml-tag-binary.yaml": (5, "binary values are not supported"),
    "yaml-tag-bool-maybe.yaml": (5, "is not true or false, as its tag !!bool says"),
    "yaml-tag-float-not-a-number.yaml": (9, "is not a number, as its tag !!float says"),
    "yaml-tag-int-not-a-number.yaml": (9, "is not a whole number, as its tag !!int says"),
    "yaml-tag-on-key.yaml": (5, "YAML tag !!python/name:os.system is not supported"),
    "yaml-tag-python-apply.yaml": (5, "YAML tag !!python/object/apply:os.system is not supported"),
    "yaml-tag-python-object.yaml": (4, "YAML tag !!python/object:os.system is not supported"),
    "yaml-tag-set.yaml": (5, "YAML tag !!set is not supported"),
    "yaml-tag-timestamp.yaml": (5, "YAML tag !!timestamp is not supported"),
    "yaml-tag-unknown.yaml": (4, "YAML tag !foo is not supported"),
    "yaml-unclosed-flow.yaml": (6, "invalid YAML"),
    "yaml-unclosed-quote.yaml": (6, "invalid YAML"),
    "yaml-undefined-alias.yaml": (5, "invalid YAML"),
}

COMMANDS = ("validate", "plan", "apply", "drift", "describe")


@dataclass
class Network:
    """Every HTTP request any ``httpx.Client`` sends, whatever its transport."""

    requests: list[httpx.Request] = field(default_factory=list)

    @property
    def mutations(self) -> int:
        return sum(1 for r in self.requests if b"mutation" in r.content.split(b"{", 1)[0])


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    recorded = Network()
    send = httpx.Client.send

    def recording_send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> Any:
        recorded.requests.append(request)
        return send(self, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", recording_send)
    # Retries wait on a clock that only moves when told: no test sleeps.
    slept: list[float] = []
    defaults = MondayClient.__init__.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "sleep", slept.append)
    monkeypatch.delenv("MONDAY_API_TOKEN", raising=False)
    monkeypatch.delenv("BOARDOPS_SANDBOX_FAULTS", raising=False)
    return recorded


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, terminal_width=100)


def lines(result: Result) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]


def one_error_line(result: Result) -> str:
    """The single line a failing command printed (``error: `` stripped)."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    printed = lines(result)
    assert len(printed) == 1, printed
    assert "Traceback" not in printed[0]
    return printed[0].removeprefix("error: ")


def command_args(command: str, path: Path, sandbox: Path) -> list[str]:
    if command == "validate":
        return [command, str(path)]
    extra = ["--auto-approve"] if command == "apply" else []
    return [command, str(path), *extra, f"--sandbox={sandbox}"]


# --- malformed manifests, through every command that reads them -----------------------------


def test_the_corpus_holds_every_listed_file_and_nothing_else() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.yaml")) == sorted(MANIFESTS)
    assert len(MANIFESTS) >= 40


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_a_malformed_manifest_is_one_line_naming_file_and_line_and_no_request(
    name: str, command: str, network: Network, tmp_path: Path
) -> None:
    line, words = MANIFESTS[name]
    path = CORPUS / name
    result = invoke(*command_args(command, path, tmp_path / "sandbox.json"))
    message = one_error_line(result)
    assert message.startswith(f"{path}:{line}:"), message
    assert words in message
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
    (["plan"], "PATHS"),
    (["plan", str(GOOD), "--sandbox", str(CORPUS)], "'--sandbox'"),
    (["apply", str(GOOD), "--plan", "/nonexistent/plan.json"], "'--plan'"),
    (["apply", str(GOOD), "--bogus"], "--bogus"),
    (["validate"], "PATHS"),
    (["export", "--sandbox=/nonexistent/s.json"], "--board or --workspace"),
    (["export", "--board", "1", "--match-by", "ref"], "add --items"),
    (["describe"], "--board or --workspace"),
    (["plan", str(GOOD), "--token-file", str(CORPUS)], "'--token-file'"),
    (["sandbox", "serve", "--faults", "bogus=1", "--port", "0"], "unknown fault setting"),
    (["sandbox", "serve", "--port", "99999"], "'--port'"),
    (["sandbox", "serve", "--host", "0.0.0.0", "--port", "0"], "--allow-non-loopback"),
    (["sandbox", "serve", "--admin-token-file", "t", "--port", "0"], "needs --admin"),
    (["-vv", "plan", str(GOOD), "--detailed-exitcode=yes"], "--detailed-exitcode"),
]


@pytest.mark.parametrize(("args", "words"), USAGE, ids=[" ".join(a[:2]) for a, _ in USAGE])
def test_bad_flags_are_click_usage_errors_naming_the_option(
    args: list[str], words: str, network: Network
) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, (result.exit_code, result.output)
    error_lines = [line for line in lines(result) if line.startswith("Error:")]
    assert len(error_lines) == 1, lines(result)
    assert words in error_lines[0]
    assert "Traceback" not in result.output
    assert network.requests == []


def test_bad_flags_to_drift_exit_1_because_2_means_drifted(network: Network) -> None:
    result = invoke("drift", str(GOOD), "--bogus")
    assert result.exit_code == 1
    error_lines = [line for line in lines(result) if line.startswith("Error:")]
    assert len(error_lines) == 1, lines(result)
    assert "--bogus" in error_lines[0]
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


def test_a_control_character_in_an_error_stays_on_one_line(
    network: Network, tmp_path: Path
) -> None:
    manifest = tmp_path / "twice.yaml"
    manifest.write_text(
        "version: 1\nboards:\n  - name: Roadmap\n    items:\n      rows:\n"
        '        - {name: "A\\nB"}\n        - {name: "A\\nB"}\n'
    )
    for command in ("validate", "plan"):
        message = one_error_line(invoke(*command_args(command, manifest, tmp_path / "s.json")))
        assert "item[A\\nB]" in message
    titles = tmp_path / "titles.yaml"
    titles.write_text(
        "version: 1\nboards:\n  - name: Roadmap\n    columns:\n"
        '      - {title: "A\\nB", type: text}\n      - {title: "A\\nB", type: text}\n'
    )
    for command in ("validate", "plan"):
        message = one_error_line(invoke(*command_args(command, titles, tmp_path / "s.json")))
        assert "duplicate column title 'A\\nB'" in message
