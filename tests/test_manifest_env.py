"""``${env:NAME}`` in manifests: which variables a manifest may read, the ``$${`` escape,
and the rule that a value read from the environment never reaches an error line.

The attacks are a pull request's manifests run by CI with secrets in the environment: each
test plants a sentinel secret and looks for it, in any case, in everything the commands
print and write.
"""

from __future__ import annotations

import json
import secrets
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from boardops.cli import main
from boardops.manifest import load_manifests, validate_paths
from boardops.manifest.source import REDACT_RUN, EnvRedactor, parse_documents
from boardops.model import slug


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def sentinel() -> str:
    """A secret in mixed case, longer than error messages quote values (60 characters)."""
    return "S3ntinel-" + secrets.token_hex(32).upper()


def invoke(*args: str, env: Mapping[str, str | None]) -> Result:
    return CliRunner().invoke(main, list(args), env={"MONDAY_API_TOKEN": None, **env})


def leaks(secret: str, text: str) -> bool:
    """Whether ``text`` shows ``secret`` in any case, or as the key a name would give."""
    folded = text.lower()
    return secret.lower() in folded or slug(secret) in folded


def outputs_of_every_command(manifest: Path, tmp_path: Path, env: dict[str, str]) -> list[Result]:
    """``validate`` and ``plan --sandbox`` in every output format and to every file."""
    sandbox = f"--sandbox={tmp_path / 'sandbox.json'}"
    runs = [
        invoke("validate", str(manifest), env=env),
        invoke("validate", "--format", "json", str(manifest), env=env),
    ]
    for output_format in ("text", "markdown", "json"):
        runs.append(
            invoke(
                "plan",
                str(manifest),
                sandbox,
                "--format",
                output_format,
                "--out",
                str(tmp_path / "out" / f"plan-{output_format}.json"),
                "--markdown-dir",
                str(tmp_path / "out" / f"md-{output_format}"),
                env=env,
            )
        )
    return runs


def files_under(directory: Path) -> list[Path]:
    return [path for path in directory.rglob("*") if path.is_file()]


# --- the allowlist ----------------------------------------------------------------------------


GITLAB_TOKEN_MANIFEST = """
    version: 1
    boards:
      - name: "Board ${env:GITLAB_TOKEN}"
        key: "${env:GITLAB_TOKEN}"
        description: "${env:GITLAB_TOKEN}"
        columns:
          - {title: "${env:GITLAB_TOKEN}", type: text}
"""


def test_manifest_cannot_read_gitlab_token(tmp_path: Path) -> None:
    """The issue's attack: a PR manifest put the GitLab token into the plan comment,
    plan.json and error lines. Every command now fails at validate time, naming the
    variable and how to allow it, and the token appears nowhere."""
    secret = sentinel()
    manifest = write(tmp_path, "leak.yaml", GITLAB_TOKEN_MANIFEST)

    runs = outputs_of_every_command(manifest, tmp_path, {"GITLAB_TOKEN": secret})

    for result in runs:
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert not leaks(secret, result.stdout + result.stderr)
        assert "GITLAB_TOKEN" in result.stdout + result.stderr
    text = runs[0].stdout
    assert "rename it BOARDOPS_VAR_GITLAB_TOKEN or list it there" in text
    assert "boardops-project.yaml" in text
    # One refusal per reference, each at its line.
    assert text.count("manifests may not read the environment variable GITLAB_TOKEN") == 4
    assert all(not leaks(secret, path.read_text("utf-8")) for path in files_under(tmp_path))
    assert not (tmp_path / "out").exists()  # nothing written at all


@pytest.mark.parametrize(
    ("name", "listed", "readable"),
    [
        ("BOARDOPS_VAR_TEAM", frozenset(), True),
        ("CI_PROJECT_NAME", frozenset({"CI_PROJECT_NAME"}), True),
        ("CI_PROJECT_NAME", frozenset(), False),
        ("HOME", frozenset({"CI_PROJECT_NAME"}), False),
        ("BOARDOPS_TEAM", frozenset(), False),  # the prefix is BOARDOPS_VAR_, not BOARDOPS_
        ("MONDAY_API_TOKEN", frozenset({"MONDAY_API_TOKEN"}), False),  # never, even listed
    ],
)
def test_manifests_read_only_boardops_var_names_and_the_listed_ones(
    name: str, listed: frozenset[str], readable: bool, tmp_path: Path
) -> None:
    manifest = write(
        tmp_path,
        "a.yaml",
        f"version: 1\nboards:\n  - name: Board\n    description: ${{env:{name}}}\n",
    )

    state, errors = validate_paths([manifest], allowed_env=listed, environ={name: "Platform"})

    if readable:
        assert errors == []
        assert state is not None
        assert state.boards[0].description == "Platform"
    else:
        assert state is None
        assert len(errors) == 1
        assert errors[0].render().startswith(f"{manifest.as_posix()}:4:18: ")
        assert name in errors[0].message
        assert "Platform" not in errors[0].render()


def test_a_default_does_not_make_a_refused_variable_readable(tmp_path: Path) -> None:
    manifest = write(tmp_path, "a.yaml", "version: 1\nboards:\n  - name: ${env:HOME:-Board}\n")

    _, errors = validate_paths([manifest], environ={})

    assert [error.message for error in errors] == [
        "manifests may not read the environment variable HOME: only BOARDOPS_VAR_* variables "
        "and those listed under `env:` in boardops-project.yaml; rename it BOARDOPS_VAR_HOME "
        "or list it there"
    ]


def test_an_allowed_variable_that_is_unset_is_an_error_unless_it_has_a_default(
    tmp_path: Path,
) -> None:
    manifest = write(
        tmp_path,
        "a.yaml",
        """
        version: 1
        boards:
          - name: ${env:BOARDOPS_VAR_NAME:-Board}
            description: ${env:BOARDOPS_VAR_TEAM}
        """,
    )

    _, errors = validate_paths([manifest], environ={})

    assert [error.message for error in errors] == [
        "environment variable BOARDOPS_VAR_TEAM is not set (write "
        "${env:BOARDOPS_VAR_TEAM:-default} to give a default)"
    ]


# --- values never reach error lines ---------------------------------------------------------


REDACTED = "(value from ${env:BOARDOPS_VAR_LEAK})"

# Every way an error line quotes a value: as written (a key the schema refuses), as the
# lower-cased key a name gives (two boards of one name), cut short after 60 characters (a
# date), split at commas (people), as a label, a workspace and a group reference.
LEAKY_MANIFEST = """
    version: 1
    boards:
      - name: "${env:BOARDOPS_VAR_LEAK}"
        key: "${env:BOARDOPS_VAR_LEAK}"
      - name: "Board ${env:BOARDOPS_VAR_LEAK}"
      - name: "Board ${env:BOARDOPS_VAR_LEAK}"
      - name: Elsewhere
        workspace: "${env:BOARDOPS_VAR_LEAK}"
      - name: Values
        columns:
          - {title: When, type: date}
          - {title: Who, type: people}
          - {title: Status, type: status, labels: [Todo]}
        groups:
          - {key: now, title: Now}
        items:
          rows:
            - name: One
              group: "${env:BOARDOPS_VAR_LEAK}"
              values:
                When: "${env:BOARDOPS_VAR_LEAK}"
                Who: "ana@example.com,${env:BOARDOPS_VAR_LEAK}"
                Status: "${env:BOARDOPS_VAR_LEAK}"
"""


def test_a_value_read_from_the_environment_never_reaches_an_error_line(tmp_path: Path) -> None:
    """An allowed variable may still be sensitive, and CI log masking misses a value
    lower-cased into a board key: errors say where the value came from instead."""
    secret = sentinel()
    manifest = write(tmp_path, "leaky.yaml", LEAKY_MANIFEST)

    runs = outputs_of_every_command(manifest, tmp_path, {"BOARDOPS_VAR_LEAK": secret})

    for result in runs:
        assert result.exit_code == 1, result.output
        assert not leaks(secret, result.stdout + result.stderr), result.output
        assert REDACTED in result.stdout + result.stderr
    lines = runs[0].stdout.splitlines()
    assert len(lines) == 8, lines
    assert all(REDACTED in line for line in lines), lines
    assert [line.split(": ", 1)[0].rsplit(":", 2)[1] for line in lines] == [
        "4",  # the key, quoted by the schema
        "6",  # the board key a name gives, twice
        "6",  # and the name itself
        "8",  # the workspace
        "19",  # the group
        "21",  # the date, cut short
        "22",  # a person, split off
        "23",  # the label
    ]
    problems = json.loads(runs[1].stdout)
    assert all(not leaks(secret, json.dumps(problem)) for problem in problems)
    assert all(not leaks(secret, path.read_text("utf-8")) for path in files_under(tmp_path))


def test_the_state_still_holds_the_values_read(tmp_path: Path) -> None:
    """Redaction is for error lines only: a valid manifest gets the values."""
    manifest = write(
        tmp_path, "a.yaml", "version: 1\nboards:\n  - name: Sprint ${env:BOARDOPS_VAR_SPRINT}\n"
    )

    state = load_manifests([manifest], environ={"BOARDOPS_VAR_SPRINT": "42"})

    assert [board.name for board in state.boards] == ["Sprint 42"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("unknown column 'S3cret-Value'", "unknown column '(value from ${env:V})'"),
        ("key 's3cret-value'", "key '(value from ${env:V})'"),  # lower-cased
        ("KEY 'S3CRET-VALUE'", "KEY '(value from ${env:V})'"),  # upper-cased
        ('"S3cret-..." is not a date', '"(value from ${env:V})..." is not a date'),  # cut
        ("board.sprint-s3cret-value-2", "board.sprint-(value from ${env:V})-2"),  # in a key
        ("unknown column 'Comments'", "unknown column 'Comments'"),  # no run of 6 shared
    ],
)
def test_the_redactor_hides_every_run_of_six_characters_of_a_value_in_any_case(
    text: str, shown: str
) -> None:
    assert REDACT_RUN == 6
    assert EnvRedactor({"V": "S3cret-Value"})(text) == shown


def test_a_short_value_is_hidden_where_it_stands_as_a_word() -> None:
    redact = EnvRedactor({"V": "eu"})

    assert redact("unknown workspace 'EU'") == "unknown workspace '(value from ${env:V})'"
    assert redact("board.team-eu.group.now") == "board.team-(value from ${env:V}).group.now"
    assert redact("Europe is not a board") == "Europe is not a board"


def test_nothing_is_hidden_when_nothing_was_read() -> None:
    redact = EnvRedactor({})

    assert not redact
    assert redact("anything at all") == "anything at all"


# --- the $${ escape ----------------------------------------------------------------------------


def test_dollar_dollar_brace_is_a_literal_dollar_brace_and_is_never_read(tmp_path: Path) -> None:
    manifest = write(
        tmp_path,
        "a.yaml",
        """
        version: 1
        boards:
          - name: "Costs $${env:BOARDOPS_VAR_X}"
            description: "$$${env:BOARDOPS_VAR_X} and ${env:BOARDOPS_VAR_X} and $5 and $$"
            columns:
              - {title: "Price $${currency}", type: numbers}
            items:
              rows:
                - {name: "$${x}", values: {"Price $${currency}": 3}}
        """,
    )

    state = load_manifests([manifest], environ={"BOARDOPS_VAR_X": "read"})

    (board,) = state.boards
    assert board.name == "Costs ${env:BOARDOPS_VAR_X}"
    assert board.description == "$${env:BOARDOPS_VAR_X} and read and $5 and $$"
    assert board.columns[0].title == "Price ${currency}"
    assert board.items is not None
    assert board.items.rows[0].name == "${x}"
    assert board.items.rows[0].values == {"Price ${currency}": 3}


TEMPLATED = """
    version: 1
    templates:
      team:
        description: "${team}: costs in $${team}, ${env:BOARDOPS_VAR_X}, $${env:BOARDOPS_VAR_X}"
        columns:
          - {title: "Status $${team}", type: status, labels: [Todo]}
    boards:
      - name: Payments
        template: team
        vars: {team: "Pay $${ments}"}
"""


def test_in_templates_the_escape_is_read_after_placeholders_are_filled(tmp_path: Path) -> None:
    """Order: the loader reads ``${env:}`` (and escapes the ``${`` of the value it
    inserts), template expansion fills ``${name}`` and reads ``$${`` last, so neither a
    template's ``$${team}`` nor a variable's value becomes a placeholder."""
    manifest = write(tmp_path, "a.yaml", TEMPLATED)

    state = load_manifests([manifest], environ={"BOARDOPS_VAR_X": "from ${team}"})

    (board,) = state.boards
    assert board.description == (
        "Pay ${ments}: costs in ${team}, from ${team}, ${env:BOARDOPS_VAR_X}"
    )
    assert board.columns[0].title == "Status ${team}"


def test_files_read_without_interpolation_keep_escapes_as_written() -> None:
    documents, errors = parse_documents(
        "boardops-project.yaml", "a: $${env:HOME} ${env:HOME}\n", interpolate=False
    )

    assert errors == []
    assert documents[0].data == {"a": "$${env:HOME} ${env:HOME}"}


def test_the_project_configuration_lists_the_variables_every_command_may_read(
    tmp_path: Path,
) -> None:
    manifest = write(tmp_path, "a.yaml", "version: 1\nboards:\n  - name: Board ${env:GIT_SHA}\n")
    project = write(tmp_path, "project.yaml", "version: 1\nenv: [GIT_SHA]\n")
    env = {"GIT_SHA": "abc123", "BOARDOPS_PROJECT": None}
    sandbox = f"--sandbox={tmp_path / 'sandbox.json'}"

    listed = [
        invoke("validate", "--project", str(project), str(manifest), env=env),
        invoke("plan", "--project", str(project), str(manifest), sandbox, env=env),
    ]
    unlisted = [
        invoke("validate", str(manifest), env=env),
        invoke("plan", str(manifest), sandbox, env=env),
    ]

    assert [run.exit_code for run in listed] == [0, 0]
    assert "Board abc123" in listed[1].output
    assert [run.exit_code for run in unlisted] == [1, 1]
    assert all("GIT_SHA" in run.output and "abc123" not in run.output for run in unlisted)
