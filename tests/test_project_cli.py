"""The project configuration on the command line: ``--project FILE`` (env
``BOARDOPS_PROJECT``, else ``./boardops-project.yaml``) on every command that loads
manifests or reads boards.

A broken configuration is one line ``FILE:LINE:COL: message`` and exit 1, before any
manifest is read or any request is sent. The broken files are the corpus
``tests/bad_input/project/*.yaml`` (each described on its first line; the table says
where its problem is and how it is worded).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from boardops.project import PROJECT_FILE_NAME, render_project_schema
from tests.test_bad_input import GOOD, Network, invoke, network, one_error_line

__all__ = ["network"]  # the fixture, shared with the bad-input tests

CORPUS = Path(__file__).resolve().parent / "bad_input" / "project"
SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "boardops-project.schema.json"

# file -> (line of the problem, words of the message)
BAD_PROJECTS: dict[str, tuple[int, str]] = {
    "board-id-zero.yaml": (4, "scope.boards[0]: must be a name or an id"),
    "duplicate-key.yaml": (4, "duplicate key 'scope'"),
    "empty.yaml": (1, "empty: it needs 'version: 1'"),
    "env-api-token.yaml": (3, "MONDAY_API_TOKEN holds the monday API token"),
    "env-bad-name.yaml": (3, "not an environment variable name"),
    "main-workspace-word.yaml": (4, "scope.main_workspace: must be true or false"),
    "scope-list.yaml": (3, "scope: must be a mapping"),
    "scope-unknown-key.yaml": (4, "unknown key 'workspace'"),
    "two-documents.yaml": (4, "must hold exactly one YAML document"),
    "unknown-key.yaml": (3, "unknown key 'scop'"),
    "version-missing.yaml": (2, "missing 'version: 1'"),
    "version-newer.yaml": (2, "must be 1"),
    "workspace-mapping.yaml": (5, "scope.workspaces[0]: must be a name or an id"),
    "workspace-twice.yaml": (4, "scope.workspaces: listed twice"),
    "yaml-unclosed-flow.yaml": (5, "invalid YAML"),
}

# Every command that loads manifests or reads boards, with arguments that would work.
COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", str(GOOD)],
    "plan": ["plan", str(GOOD), "--sandbox={sandbox}"],
    "apply": ["apply", str(GOOD), "--auto-approve", "--sandbox={sandbox}"],
    "drift": ["drift", str(GOOD), "--sandbox={sandbox}"],
    "describe": ["describe", str(GOOD), "--sandbox={sandbox}"],
    "export": ["export", "--board", "Roadmap", "--sandbox={sandbox}"],
    "doctor": ["doctor", str(GOOD), "--sandbox={sandbox}"],
}


def command(name: str, tmp_path: Path) -> list[str]:
    return [arg.format(sandbox=tmp_path / "sandbox.json") for arg in COMMANDS[name]]


def test_the_corpus_holds_every_listed_file_and_nothing_else() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.yaml")) == sorted(BAD_PROJECTS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("bad", sorted(BAD_PROJECTS))
def test_a_broken_configuration_is_one_line_naming_file_and_line_and_no_request(
    bad: str, name: str, network: Network, tmp_path: Path
) -> None:
    line, words = BAD_PROJECTS[bad]
    path = CORPUS / bad
    message = one_error_line(invoke(*command(name, tmp_path), f"--project={path}"))
    assert message.startswith(f"{path}:{line}:"), message
    assert words in message
    assert network.requests == []
    assert not (tmp_path / "sandbox.json").exists()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_configuration_comes_from_the_environment_then_the_working_folder(
    name: str, network: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = CORPUS / "unknown-key.yaml"
    from_env = invoke(*command(name, tmp_path), env={"BOARDOPS_PROJECT": str(broken)})
    assert one_error_line(from_env).startswith(f"{broken}:3:")
    monkeypatch.chdir(tmp_path)
    (tmp_path / PROJECT_FILE_NAME).write_text(broken.read_text())
    from_folder = invoke(*command(name, tmp_path), env={"BOARDOPS_PROJECT": ""})
    assert one_error_line(from_folder).startswith(f"{PROJECT_FILE_NAME}:3:")
    assert network.requests == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_configuration_named_but_missing_is_an_error(
    name: str, network: Network, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.yaml"
    message = one_error_line(invoke(*command(name, tmp_path), f"--project={missing}"))
    assert message == f"{missing}: no such project configuration file"
    assert network.requests == []


def test_validate_reports_a_broken_configuration_in_its_json_view(network: Network) -> None:
    path = CORPUS / "env-api-token.yaml"
    result = invoke("validate", str(GOOD), f"--project={path}", "--format", "json")
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)
    assert (problem["file"], problem["line"], problem["field"]) == (str(path), 3, "env[1]")


def test_a_good_configuration_changes_nothing_for_validate(tmp_path: Path) -> None:
    project = tmp_path / "project.yaml"
    project.write_text("version: 1\nscope:\n  workspaces: [Engineering, 42]\nenv: [TEAM]\n")
    result = invoke("validate", str(GOOD), f"--project={project}")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: ")


def test_the_committed_json_schema_is_the_one_boardops_checks_with() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == render_project_schema()
