"""The project configuration on the command line: ``--project FILE`` (env
``BOARDOPS_PROJECT``, else ``./boardops-project.yaml``) on every command that loads
manifests or reads boards.

A broken configuration is one line ``FILE:LINE:COL: message`` and exit 1, before any
manifest is read or any request is sent. The broken files are the corpus
``tests/bad_input/project/*.yaml``, each saying on its first lines where its problem is
and how it is worded (``tests/support/corpus.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from boardops.project import PROJECT_FILE_NAME, render_project_schema
from tests.support.cli import GOOD, Network, invoke, one_error_line
from tests.support.corpus import PROJECTS, cases, expectations

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "boardops-project.schema.json"

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


def test_every_broken_configuration_says_what_it_expects() -> None:
    assert len(cases(PROJECTS)) >= 15
    assert [case.name for case in cases(PROJECTS) if len(expectations(case)) != 1] == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("path", cases(PROJECTS), ids=lambda path: path.stem)
def test_a_broken_configuration_is_one_line_naming_file_and_line_and_no_request(
    path: Path, name: str, network: Network, tmp_path: Path
) -> None:
    (expected,) = expectations(path)
    message = one_error_line(invoke(*command(name, tmp_path), f"--project={path}"))
    expected.check(path, message)
    assert network.requests == []
    assert not (tmp_path / "sandbox.json").exists()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_configuration_comes_from_the_environment_then_the_working_folder(
    name: str, network: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = PROJECTS / "unknown-key.yaml"
    (expected,) = expectations(broken)
    from_env = invoke(*command(name, tmp_path), env={"BOARDOPS_PROJECT": str(broken)})
    expected.check(broken, one_error_line(from_env))
    monkeypatch.chdir(tmp_path)
    (tmp_path / PROJECT_FILE_NAME).write_text(broken.read_text())
    from_folder = invoke(*command(name, tmp_path), env={"BOARDOPS_PROJECT": ""})
    expected.check(Path(PROJECT_FILE_NAME), one_error_line(from_folder))
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
    path = PROJECTS / "env-api-token.yaml"
    (expected,) = expectations(path)
    result = invoke("validate", str(GOOD), f"--project={path}", "--format", "json")
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)
    assert (problem["file"], problem["line"], problem["field"]) == (
        str(path),
        expected.line,
        "env[1]",
    )


def test_a_good_configuration_changes_nothing_for_validate(tmp_path: Path) -> None:
    project = tmp_path / "project.yaml"
    project.write_text("version: 1\nscope:\n  workspaces: [Engineering, 42]\nenv: [TEAM]\n")
    result = invoke("validate", str(GOOD), f"--project={project}")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: ")


def test_the_committed_json_schema_is_the_one_boardops_checks_with() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == render_project_schema()
