"""Which files a directory of manifests gives: the walk stays inside the paths given.

A pull request controls what its checkout holds, links included: a link out of the tree
could make boardops read (and quote in error lines) a file of the CI machine, a link
cycle could make the walk loop, and a FIFO could make the read hang.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from boardops.cli import main
from boardops.manifest import find_manifest_files, validate_paths
from boardops.project import PROJECT_FILE_NAME

BOARD = "version: 1\nboards:\n  - name: {name}\n"


def manifest(path: Path, name: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BOARD.format(name=name), encoding="utf-8")
    return path


def validate(*paths: Path) -> Result:
    return CliRunner().invoke(main, ["validate", *map(str, paths)])


def found(*paths: Path) -> list[str]:
    files, errors = find_manifest_files(paths)
    assert errors == []
    return [file.as_posix() for file in files]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the repository, holding a secret the CI machine has."""
    folder = tmp_path / "outside"
    secret = folder / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text(f"version: 1\nboards:\n  - nme: s3ntinel-{secrets.token_hex(8)}\n")
    return folder


def test_a_symlinked_directory_out_of_the_tree_is_not_followed(
    tmp_path: Path, outside: Path
) -> None:
    repo = tmp_path / "repo"
    manifest(repo / "boards" / "a.yaml", "A")
    (repo / "boards" / "elsewhere").symlink_to(outside, target_is_directory=True)

    assert found(repo) == [(repo / "boards" / "a.yaml").as_posix()]
    result = validate(repo)
    assert result.exit_code == 0, result.output
    assert "s3ntinel" not in result.output


def test_a_symlinked_file_outside_the_path_is_refused_with_one_line(
    tmp_path: Path, outside: Path
) -> None:
    repo = tmp_path / "repo"
    manifest(repo / "a.yaml", "A")
    link = repo / "secret.yaml"
    link.symlink_to(outside / "secret.yaml")

    result = validate(repo)

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{link}: a symbolic link to a file outside {repo}; manifests are read only from "
        "inside the paths given"
    ]
    assert "s3ntinel" not in result.output


def test_a_symlinked_file_inside_the_path_is_read_once(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    real = manifest(repo / "boards" / "a.yaml", "A")
    (repo / "alias.yaml").symlink_to(real)

    assert found(repo, real) == [(repo / "alias.yaml").as_posix()]
    state, errors = validate_paths([repo])
    assert errors == []
    assert state is not None
    assert [board.name for board in state.boards] == ["A"]


def test_symlink_cycles_do_not_loop(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    manifest(repo / "a" / "board.yaml", "A")
    (repo / "a" / "up").symlink_to(repo, target_is_directory=True)
    (repo / "a" / "self").symlink_to(repo / "a" / "self")  # a link to itself
    (repo / "loop.yaml").symlink_to(repo / "loop.yaml")

    files, errors = find_manifest_files([repo])

    assert [file.as_posix() for file in files] == [(repo / "a" / "board.yaml").as_posix()]
    assert [str(error) for error in errors] == [f"{repo / 'loop.yaml'}: a broken symbolic link"]


def test_the_project_configuration_is_not_a_manifest(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    manifest(repo / "a.yaml", "A")
    (repo / PROJECT_FILE_NAME).write_text("version: 1\nenv: [CI_PROJECT_NAME]\n")

    assert found(repo) == [(repo / "a.yaml").as_posix()]
    result = validate(repo / PROJECT_FILE_NAME)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{repo / PROJECT_FILE_NAME}: this is the project configuration, not a manifest; give "
        "it with --project (or leave it in the current directory)"
    ]


@pytest.mark.parametrize("named", [False, True], ids=["in-a-directory", "named"])
def test_a_fifo_is_refused_with_one_line_instead_of_hanging(tmp_path: Path, named: bool) -> None:
    repo = tmp_path / "repo"
    manifest(repo / "a.yaml", "A")
    fifo = repo / "pipe.yaml"
    os.mkfifo(fifo)

    result = validate(fifo if named else repo)

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{fifo}: not a regular file (a FIFO, device or socket); manifests are read from "
        "regular files"
    ]


def test_a_device_named_on_the_command_line_is_refused(tmp_path: Path) -> None:
    result = validate(Path("/dev/zero"))

    assert result.exit_code == 1
    assert result.output == (
        "/dev/zero: not a regular file (a FIFO, device or socket); manifests are read from "
        "regular files\n"
    )


def test_a_path_named_on_the_command_line_is_taken_as_named(tmp_path: Path, outside: Path) -> None:
    """The person (or CI file) running boardops chose it: a link there is followed."""
    link = tmp_path / "boards"
    real = manifest(outside / "team.yaml", "Team")
    link.symlink_to(outside, target_is_directory=True)

    files, _ = find_manifest_files([link / "team.yaml"])

    assert files == [link / "team.yaml"]
    assert real.exists()
