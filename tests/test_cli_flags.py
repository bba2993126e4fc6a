"""The command line as a Terraform user expects it (issue 15, items 4, 5 and 7).

* Bad usage exits 1, whatever the command: 2 means "there are changes" for
  ``plan --detailed-exitcode`` and ``drift``, never a misspelt flag.
* The global options (``-v``/``-vv``, ``--debug``, ``--no-color``) work before and after
  the command name.
* ``-v`` logs each request's operation and cost, ``-vv`` adds boardops' own HTTP lines;
  no line is httpx's.
* ``plan``, ``validate`` and ``drift`` read ``.`` when given no path; ``-`` is one
  manifest read from standard input, named ``<stdin>``.
* Against the sandbox, every header, log line, prompt and summary names the sandbox and
  its state file; ``--sandbox`` with ``--api-url`` is bad usage.
* ``sandbox show``/``reset``/``serve`` take the state file as ``--sandbox FILE``, like
  every other command (``--state`` still works, with a warning).

Exit codes, standard input, flag positions, colours on a terminal and the log's shape are
process-level, so those run the installed ``boardops`` script as a child process.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from boardops.cli import main
from tests.support.cli import GOOD, Network

BOARDOPS = str(Path(sys.executable).with_name("boardops"))
# What the environment must not decide for these tests.
UNSET = (
    *("MONDAY_API_TOKEN", "MONDAY_API_URL", "NO_COLOR", "BOARDOPS_PROJECT"),
    *("BOARDOPS_SANDBOX_FAULTS", "BOARDOPS_SANDBOX_PROFILE"),
)
LOG_LINE = re.compile(r"^(?P<level>DEBUG|INFO|WARNING|ERROR) (?P<logger>\S+)(?P<where> \[.*?\])?: ")
BROKEN = "version: 1\nboards:\n  - name: Roadmap\n    kind: secret\n"
# What -v says of each request: the operation (a batch's root fields) and its cost.
OPERATION = (
    r"(query \w+|mutation \w+ \([\w, ]+\)): "
    r"complexity \d+, budget left \d+ \(resets in \d+ s\)"
)


def environment(**extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in UNSET}
    env.update(extra)
    return env


def boardops(
    *args: str, cwd: Path, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """The installed ``boardops`` script, run as a user runs it."""
    return subprocess.run(
        [BOARDOPS, *args],
        cwd=cwd,
        input=stdin if stdin is not None else "",
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def invoke(*args: str, stdin: str | None = None, **env: str | None) -> Result:
    unset: dict[str, str | None] = dict.fromkeys(UNSET)
    return CliRunner(env={**unset, **env}).invoke(main, list(args), input=stdin)


def log_lines(stderr: str) -> list[re.Match[str]]:
    return [match for line in stderr.splitlines() if (match := LOG_LINE.match(line))]


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "state" / "sandbox.json"


@pytest.fixture
def applied(state: Path) -> Path:
    """A sandbox on which the good manifest is applied: planning it again changes nothing."""
    result = invoke("apply", str(GOOD), "--auto-approve", f"--sandbox={state}")
    assert result.exit_code == 0, result.output
    return state


# --- exit codes ------------------------------------------------------------------------------


def test_detailed_exitcode_is_0_without_changes_2_with_and_1_for_a_misspelt_flag(
    tmp_path: Path, applied: Path
) -> None:
    fresh = tmp_path / "fresh.json"
    common = [str(GOOD), "--detailed-exitcode"]

    assert boardops("plan", *common, f"--sandbox={applied}", cwd=tmp_path).returncode == 0
    assert boardops("plan", *common, f"--sandbox={fresh}", cwd=tmp_path).returncode == 2
    misspelt = boardops("plan", *common, f"--sandbox={fresh}", "--detailed-exitcod", cwd=tmp_path)
    assert misspelt.returncode == 1
    assert "--detailed-exitcod" in misspelt.stderr
    assert misspelt.stdout == ""


USAGE_ERRORS = [
    ["plan", str(GOOD), "--detailed-exitcode", "--no-such-flag"],
    ["plan", str(GOOD), "--detailed-exitcode", "--format"],  # the value is missing
    ["plan", str(GOOD), "--detailed-exitcode", "--format", "yaml"],
    ["drift", str(GOOD), "--no-such-flag"],
    ["drift", str(GOOD), "--sandbox-profile", "nope"],
    ["apply", str(GOOD), "--lock-timeout", "soon"],
    ["describe"],  # names nothing to describe
    ["no-such-command"],
    ["--no-such-global-flag", "plan"],
    ["sandbox", "show", "--no-such-flag"],
    ["sandbox", "no-such-command"],
]


@pytest.mark.parametrize(
    "args", USAGE_ERRORS, ids=[" ".join(a for a in args if a != str(GOOD)) for args in USAGE_ERRORS]
)
def test_bad_usage_exits_1_for_every_command_and_sends_nothing(
    args: list[str], network: Network
) -> None:
    result = invoke(*args)
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert network.requests == []


# --- global options, before or after the command ----------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["-v", "plan", str(GOOD), "--sandbox={state}"],
        ["plan", "-v", str(GOOD), "--sandbox={state}"],
        ["plan", str(GOOD), "--sandbox={state}", "--verbose"],
    ],
    ids=["before", "after the command", "at the end"],
)
def test_v_logs_each_operation_with_its_cost_naming_the_sandbox(
    args: list[str], tmp_path: Path, state: Path
) -> None:
    result = boardops(*(arg.format(state=state) for arg in args), cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    logged = log_lines(result.stderr)
    assert logged, result.stderr
    prefix = rf"INFO boardops\.monday \[sandbox {re.escape(str(state))}\]: "
    assert all(re.fullmatch(prefix + OPERATION, match.string) for match in logged), logged
    assert "monday.com" not in result.stderr


def test_v_names_what_each_batch_of_mutations_does(tmp_path: Path, state: Path) -> None:
    result = boardops(
        "apply", str(GOOD), "--auto-approve", f"--sandbox={state}", "-v", cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    logged = [match.string for match in log_lines(result.stderr)]
    mutations = [line for line in logged if ": mutation " in line]
    assert any("create_item" in line for line in mutations), logged
    assert all(re.search(OPERATION + "$", line) for line in logged), logged


def test_vv_adds_boardops_own_http_lines_and_no_line_from_the_http_library(
    tmp_path: Path, state: Path
) -> None:
    # -v before and -v after the command add up to -vv.
    result = boardops("-v", "plan", str(GOOD), f"--sandbox={state}", "-v", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    logged = log_lines(result.stderr)
    assert {match["logger"] for match in logged} == {"boardops.monday"}
    assert {match["where"] for match in logged} == {f" [sandbox {state}]"}
    http = [m.string for m in logged if m["level"] == "DEBUG" and "HTTP" in m.string]
    assert http, result.stderr
    assert all(re.search(r": POST sandbox \w+: HTTP 200 in [\d.]+s", line) for line in http)
    assert any(m["level"] == "INFO" for m in logged)
    assert "monday.com" not in result.stderr


def test_vv_against_a_served_sandbox_names_its_url_in_the_http_lines(tmp_path: Path) -> None:
    from boardops.sandbox import Sandbox

    server = Sandbox(tmp_path / "served.json").serve("127.0.0.1", 0)
    try:
        result = boardops(
            "plan", str(GOOD), "--api-url", server.url, "-vv", cwd=tmp_path, MONDAY_API_TOKEN="t"
        )
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    logged = log_lines(result.stderr)
    assert {match["where"] for match in logged} == {None}
    assert any(f": POST {server.url} " in m.string for m in logged), result.stderr
    # The served sandbox names itself in its answers (X-Boardops-Sandbox): the header says so.
    assert result.stdout.startswith(f"Compared with the sandbox {tmp_path / 'served.json'}")


@pytest.mark.parametrize("position", ["before", "after"])
def test_debug_before_or_after_the_command_raises_with_the_traceback(
    position: str, state: Path
) -> None:
    args = ["plan", "/nonexistent/manifest.yaml", f"--sandbox={state}"]
    args = ["--debug", *args] if position == "before" else [*args, "--debug"]

    result = invoke(*args)

    assert result.exit_code == 1
    assert not isinstance(result.exception, SystemExit)  # the error itself, not "exit 1"


def _on_a_terminal(*args: str, cwd: Path, **env: str) -> str:
    """What ``boardops`` writes on stdout when stdout is a terminal."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.run(
            [BOARDOPS, *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=terminal,
            stderr=subprocess.PIPE,
            env=environment(**env),
            timeout=120,
            check=False,
        )
    finally:
        os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the terminal's other end is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.returncode == 0, process.stderr
    return b"".join(chunks).decode("utf-8", "replace")


def test_no_color_before_or_after_the_command_or_NO_COLOR_turn_colours_off(
    tmp_path: Path, state: Path
) -> None:
    plan = ["plan", str(GOOD), f"--sandbox={state}"]
    escape = "\x1b["

    assert escape in _on_a_terminal(*plan, cwd=tmp_path)
    assert escape not in _on_a_terminal("--no-color", *plan, cwd=tmp_path)
    assert escape not in _on_a_terminal(*plan, "--no-color", cwd=tmp_path)
    assert escape not in _on_a_terminal(*plan, cwd=tmp_path, NO_COLOR="1")


# --- paths: `.` by default, `-` for standard input ---------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository laid out as the README's CI example: the manifests, the project
    configuration, the sandbox's state and a CI workflow."""
    root = tmp_path / "repo"
    (root / "boards").mkdir(parents=True)
    (root / "boards" / "roadmap.yaml").write_text(GOOD.read_text())
    (root / "boardops-project.yaml").write_text("version: 1\n")
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "boards.yml").write_text("on: push\n")
    (root / ".boardops").mkdir()
    (root / ".boardops" / "notes.yaml").write_text("not: a manifest\n")
    return root


def test_validate_with_no_path_reads_the_manifests_under_the_current_directory(
    project: Path,
) -> None:
    result = boardops("validate", cwd=project)

    # boards/roadmap.yaml only: not the project configuration, nor hidden folders.
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("in 1 file\n")


@pytest.mark.parametrize("command", ["plan", "drift"])
def test_plan_and_drift_with_no_path_are_the_plan_of_the_current_directory(
    command: str, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    state = project / ".boardops" / "sandbox.json"

    here = invoke(command, "--sandbox", "--format", "json")
    named = invoke(command, "boards/roadmap.yaml", "--sandbox", "--format", "json")

    assert here.exit_code == named.exit_code == (0 if command == "plan" else 2), here.output
    assert json.loads(here.stdout)["actions"] == json.loads(named.stdout)["actions"]
    assert json.loads(here.stdout)["live_origin"] == str(state.relative_to(project))


def test_dash_reads_one_manifest_from_standard_input(tmp_path: Path) -> None:
    good = boardops("validate", "-", cwd=tmp_path, stdin=GOOD.read_text())
    broken = boardops("validate", "-", cwd=tmp_path, stdin=BROKEN)

    assert good.returncode == 0, good.stdout
    assert good.stdout.endswith("in 1 file\n")
    assert broken.returncode == 1
    assert broken.stdout.startswith("<stdin>:4:")


@pytest.mark.parametrize("command", ["plan", "apply", "drift", "describe", "doctor"])
def test_every_command_that_reads_manifests_takes_dash(command: str, state: Path) -> None:
    extra = ["--auto-approve"] if command == "apply" else []
    result = invoke(command, "-", *extra, f"--sandbox={state}", stdin=BROKEN)

    assert result.exit_code == 1
    assert "<stdin>:4:" in result.output


def test_dash_given_with_files_is_read_once_among_them(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("version: 1\nboards:\n  - name: Other\n")

    result = invoke("validate", str(other), "-", "-", stdin=GOOD.read_text())

    assert result.exit_code == 0, result.output
    assert result.output.endswith("2 boards, 2 columns, 1 group, 1 item in 2 files\n")


# --- the sandbox says so ------------------------------------------------------------------------


def test_every_view_of_a_sandbox_plan_names_the_sandbox_and_its_state_file(state: Path) -> None:
    text = invoke("plan", str(GOOD), f"--sandbox={state}")
    markdown = invoke("plan", str(GOOD), f"--sandbox={state}", "--format", "markdown")
    data = json.loads(invoke("plan", str(GOOD), f"--sandbox={state}", "--format", "json").stdout)

    assert text.stdout.splitlines()[0].startswith(f"Compared with the sandbox {state} as of ")
    assert text.stdout.splitlines()[0].endswith(", not monday.")
    assert f"Compared with the sandbox `{state}` as of " in markdown.stdout
    assert (data["live_source"], data["live_origin"]) == ("sandbox", str(state))
    assert "monday's API" not in text.stdout + markdown.stdout


def test_the_apply_summary_names_the_sandbox(state: Path) -> None:
    result = invoke("apply", str(GOOD), "--auto-approve", f"--sandbox={state}")

    assert result.exit_code == 0, result.output
    summary = [line for line in result.stdout.splitlines() if line.startswith("Apply complete")]
    assert summary == [line for line in summary if f" on the sandbox {state}: " in line]
    assert len(summary) == 1


BACKEND_COMMANDS = [
    ["plan", str(GOOD)],
    ["apply", str(GOOD), "--auto-approve"],
    ["drift", str(GOOD)],
    ["describe", str(GOOD)],
    ["doctor"],
    ["export", "--board", "Roadmap"],
]


@pytest.mark.parametrize("command", BACKEND_COMMANDS, ids=[c[0] for c in BACKEND_COMMANDS])
def test_sandbox_with_api_url_is_one_line_of_bad_usage(
    command: list[str], tmp_path: Path, network: Network
) -> None:
    state = tmp_path / "s.json"
    result = invoke(*command, f"--sandbox={state}", "--api-url", "https://x.test/v2")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: --sandbox and --api-url ")
    assert network.requests == []
    assert not state.exists()


def test_monday_api_url_in_the_environment_is_ignored_with_sandbox_and_says_so(
    state: Path,
) -> None:
    result = invoke("plan", str(GOOD), f"--sandbox={state}", MONDAY_API_URL="https://x.test/v2")

    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1
    assert "MONDAY_API_URL" in warnings[0]
    assert "ignored" in warnings[0]
    assert str(state) in warnings[0]


# --- one name for the sandbox's state file ------------------------------------------------------


def test_sandbox_show_and_reset_take_the_state_file_as_sandbox(applied: Path) -> None:
    shown = invoke("sandbox", "show", "--sandbox", str(applied))
    reset = invoke("sandbox", "reset", f"--sandbox={applied}", "--yes")
    empty = invoke("sandbox", "show", "--sandbox", str(applied))

    assert shown.exit_code == 0, shown.output
    assert "'Roadmap'" in shown.stdout
    assert reset.exit_code == 0, reset.output
    assert str(applied) in reset.stdout
    assert "'Roadmap'" not in empty.stdout


def test_sandbox_without_a_file_is_the_default_state_file_there_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    applied = invoke("apply", str(GOOD), "--auto-approve", "--sandbox")
    shown = invoke("sandbox", "show", "--sandbox")

    assert applied.exit_code == 0, applied.output
    assert shown.exit_code == 0, shown.output
    assert "'Roadmap'" in shown.stdout


def test_the_old_state_option_still_works_and_says_it_is_deprecated(applied: Path) -> None:
    result = invoke("sandbox", "show", "--state", str(applied))
    both = invoke("sandbox", "show", "--state", str(applied), "--sandbox", str(applied))

    assert result.exit_code == 0, result.output
    assert "'Roadmap'" in result.stdout
    assert result.stderr.startswith("warning: --state is deprecated")
    assert both.exit_code == 1
    assert "--state" not in invoke("sandbox", "show", "--help").stdout
