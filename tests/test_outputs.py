"""Every file boardops writes: atomically, never through a symlink, 0600 (boardops.outputs).

Attacks: a pull request commits ``plan.json`` (or a snapshot, the sandbox state, a Markdown
part) as a symlink to a file of the CI runner; output files left world-readable next to a
token; ``--markdown-dir`` deleting files it never wrote.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from boardops.cli import main
from boardops.model import LiveState
from boardops.outputs import MARKDOWN_MANIFEST, OutputError, write_markdown_parts, write_output
from boardops.sandbox import Sandbox
from boardops.snapshot import write_snapshot
from tests.support.cli import Network
from tests.test_cli_plan import MANIFEST

VICTIM_TEXT = "the runner's own file\n"


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "board.yaml"
    path.write_text(MANIFEST)
    return path


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file outside the output folder that a planted symlink points at."""
    path = tmp_path / "elsewhere" / "authorized_keys"
    path.parent.mkdir()
    path.write_text(VICTIM_TEXT)
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner(env={"MONDAY_API_TOKEN": None}).invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- plan --out, describe -o, export -o -----------------------------------------------------


def test_plan_file_is_private_to_its_owner(tmp_path: Path, manifest: Path) -> None:
    out = tmp_path / "out" / "plan.json"
    code, _, stderr = run(
        "plan", str(manifest), f"--sandbox={tmp_path / 's.json'}", "--out", str(out)
    )

    assert code == 0, stderr
    assert json.loads(out.read_text())["kind"] == "boardops-plan"
    assert mode(out) == 0o600
    assert leftovers(out.parent) == []


def test_plan_file_replaces_the_old_one_instead_of_writing_into_it(
    tmp_path: Path, manifest: Path
) -> None:
    out = tmp_path / "plan.json"
    out.write_text("old plan\n")
    out.chmod(0o644)
    hard_link = tmp_path / "another-name-for-the-old-plan"
    os.link(out, hard_link)

    code, _, stderr = run(
        "plan", str(manifest), f"--sandbox={tmp_path / 's.json'}", "--out", str(out)
    )

    assert code == 0, stderr
    assert hard_link.read_text() == "old plan\n"  # a new file was renamed over it
    assert json.loads(out.read_text())["kind"] == "boardops-plan"
    assert mode(out) == 0o600


@pytest.mark.parametrize(
    ("command", "flag"),
    [
        (["plan", "{manifest}"], "--out"),
        (["describe", "{manifest}"], "-o"),
        (["export", "--board", "Sprint - Platform"], "-o"),
    ],
    ids=["plan --out", "describe -o", "export -o"],
)
def test_output_file_planted_as_a_symlink_is_refused_before_reading_monday(
    tmp_path: Path, manifest: Path, victim: Path, command: list[str], flag: str
) -> None:
    link = tmp_path / "output.json"
    link.symlink_to(victim)
    state = tmp_path / "sandbox.json"
    args = [part.format(manifest=manifest) for part in command]

    code, stdout, stderr = run(*args, f"--sandbox={state}", flag, str(link))

    assert code == 1
    assert stderr.count("\n") == 1
    assert "symbolic link" in stderr
    assert str(link) in stderr
    assert "Traceback" not in stderr + stdout
    assert victim.read_text() == VICTIM_TEXT
    assert link.is_symlink()
    assert not state.exists()  # refused before the backend was even opened


# describe -o and export -o name a file the user may keep and edit (an exported manifest,
# a snapshot): an existing one is replaced only with --force. plan --out replaces its plan,
# as Terraform's plan -out does.
NAMED_OUTPUTS = pytest.mark.parametrize(
    "command",
    [["describe", "{manifest}"], ["export", "--board", "Sprint - Platform"]],
    ids=["describe -o", "export -o"],
)


@NAMED_OUTPUTS
def test_an_existing_output_file_is_refused_without_force_before_reading_monday(
    tmp_path: Path, manifest: Path, network: Network, command: list[str]
) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("my edits\n")
    state = tmp_path / "sandbox.json"
    args = [part.format(manifest=manifest) for part in command]

    code, stdout, stderr = run(*args, f"--sandbox={state}", "-o", str(out))

    assert code == 1
    assert stdout == ""
    (line,) = stderr.splitlines()
    assert str(out) in line
    assert "--force" in line
    assert out.read_text() == "my edits\n"
    assert network.requests == []
    assert not state.exists()  # refused before the backend was even opened


@NAMED_OUTPUTS
def test_force_replaces_an_existing_output_file_atomically(
    tmp_path: Path, manifest: Path, command: list[str]
) -> None:
    state = f"--sandbox={tmp_path / 'sandbox.json'}"
    assert run("apply", str(manifest), "--auto-approve", state)[0] == 0
    out = tmp_path / "mine.yaml"
    out.write_text("old\n")
    out.chmod(0o644)
    hard_link = tmp_path / "another-name-for-the-old-file"
    os.link(out, hard_link)
    args = [part.format(manifest=manifest) for part in command]

    code, _, stderr = run(*args, state, "-o", str(out), "--force")

    assert code == 0, stderr
    assert "Sprint - Platform" in out.read_text()
    assert hard_link.read_text() == "old\n"  # a new file was renamed over it
    assert mode(out) == 0o600
    assert leftovers(tmp_path) == []


def test_a_new_output_file_needs_no_force(tmp_path: Path, manifest: Path) -> None:
    out = tmp_path / "new" / "live.json"

    code, _, stderr = run(
        "describe", str(manifest), f"--sandbox={tmp_path / 's.json'}", "-o", str(out)
    )

    assert code == 0, stderr
    assert json.loads(out.read_text())


def test_a_file_that_appears_before_the_write_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "board.yaml"
    target.write_text("written meanwhile\n")

    with pytest.raises(OutputError, match="--force"):
        write_output(target, "export\n", overwrite=False)

    assert target.read_text() == "written meanwhile\n"
    assert leftovers(tmp_path) == []
    write_output(tmp_path / "fresh.yaml", "export\n", overwrite=False)
    assert (tmp_path / "fresh.yaml").read_text() == "export\n"
    assert leftovers(tmp_path) == []


def test_a_real_process_refuses_to_overwrite_an_export(tmp_path: Path) -> None:
    out = tmp_path / "board.yaml"
    out.write_text("my edits\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MONDAY_", "BOARDOPS_"))}
    boardops = str(Path(sys.executable).with_name("boardops"))  # the installed script
    sandbox = f"--sandbox={tmp_path / 's.json'}"

    done = subprocess.run(
        [boardops, "export", "--board", "Roadmap", sandbox, "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )

    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert str(out) in line
    assert "--force" in line
    assert out.read_text() == "my edits\n"
    assert not (tmp_path / "s.json").exists()  # nothing was read


def test_output_path_that_is_not_a_regular_file_is_left_alone(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)

    with pytest.raises(OutputError, match="not a regular file"):
        write_output(fifo, "plan\n")

    assert stat.S_ISFIFO(fifo.lstat().st_mode)


# --- snapshots and the sandbox state --------------------------------------------------------


def test_snapshot_is_private_and_never_written_through_a_symlink(
    tmp_path: Path, victim: Path
) -> None:
    snapshot = tmp_path / "live.json"
    write_snapshot(LiveState(), snapshot)
    assert mode(snapshot) == 0o600

    link = tmp_path / "planted.json"
    link.symlink_to(victim)
    with pytest.raises(OutputError, match="symbolic link"):
        write_snapshot(LiveState(), link)
    assert victim.read_text() == VICTIM_TEXT


def test_sandbox_state_is_private(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    Sandbox(state)

    assert mode(state) == 0o600
    assert mode(state.with_name("sandbox.json.lock")) == 0o600
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("planted", ["sandbox.json", "sandbox.json.lock"])
def test_sandbox_state_planted_as_a_symlink_is_refused(
    tmp_path: Path, manifest: Path, victim: Path, planted: str
) -> None:
    (tmp_path / planted).symlink_to(victim)

    code, stdout, stderr = run("plan", str(manifest), f"--sandbox={tmp_path / 'sandbox.json'}")

    assert code == 1
    assert stderr.count("\n") == 1
    assert "symbolic link" in stderr
    assert "Traceback" not in stderr + stdout
    assert victim.read_text() == VICTIM_TEXT


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old\n")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputError, match=os.strerror(errno.ENOSPC)):
        write_output(target, "new\n")

    assert target.read_text() == "old\n"
    assert leftovers(tmp_path) == []


# --- --markdown-dir -------------------------------------------------------------------------


def test_markdown_dir_touches_only_the_parts_it_wrote(tmp_path: Path, victim: Path) -> None:
    folder = tmp_path / "plan-md"
    folder.mkdir()
    notes = folder / "plan-notes.md"
    notes.write_text("the user's notes\n")
    (folder / "plan-9.md").symlink_to(victim)

    write_markdown_parts(folder, ["part one\n", "part two\n", "part three\n"])
    write_markdown_parts(folder, ["only part\n"])

    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [MARKDOWN_MANIFEST, "plan-1.md", "plan-9.md", "plan-notes.md"]
    )
    assert (folder / "plan-1.md").read_text() == "only part\n"
    assert mode(folder / "plan-1.md") == 0o600
    assert notes.read_text() == "the user's notes\n"
    assert (folder / "plan-9.md").is_symlink()
    assert victim.read_text() == VICTIM_TEXT
    owned = json.loads((folder / MARKDOWN_MANIFEST).read_text())
    assert owned["parts"] == ["plan-1.md"]


def test_markdown_dir_manifest_cannot_name_other_files_for_removal(tmp_path: Path) -> None:
    folder = tmp_path / "plan-md"
    folder.mkdir()
    precious = tmp_path / "precious.md"
    precious.write_text("keep\n")
    (folder / MARKDOWN_MANIFEST).write_text(
        json.dumps(
            {
                "kind": "boardops-markdown-parts",
                "version": 1,
                "parts": ["../precious.md", "/etc/hostname", "notes.md"],
            }
        )
    )
    (folder / "notes.md").write_text("keep\n")

    write_markdown_parts(folder, ["part\n"])

    assert precious.read_text() == "keep\n"
    assert (folder / "notes.md").read_text() == "keep\n"


def test_markdown_dir_refuses_to_overwrite_a_part_it_did_not_write(tmp_path: Path) -> None:
    folder = tmp_path / "plan-md"
    folder.mkdir()
    (folder / "plan-1.md").write_text("someone else's\n")

    with pytest.raises(OutputError, match="did not write it"):
        write_markdown_parts(folder, ["part\n"])

    assert (folder / "plan-1.md").read_text() == "someone else's\n"


def test_markdown_dir_that_is_a_symlink_is_refused_before_reading_monday(
    tmp_path: Path, manifest: Path
) -> None:
    real = tmp_path / "real-folder"
    real.mkdir()
    link = tmp_path / "plan-md"
    link.symlink_to(real, target_is_directory=True)
    state = tmp_path / "sandbox.json"

    code, stdout, stderr = run(
        "plan", str(manifest), f"--sandbox={state}", "--markdown-dir", str(link)
    )

    assert code == 1
    assert stderr.count("\n") == 1
    assert "symbolic link" in stderr
    assert "Traceback" not in stderr + stdout
    assert list(real.iterdir()) == []
    assert not state.exists()


def test_markdown_dir_whose_manifest_is_a_symlink_is_refused(
    tmp_path: Path, manifest: Path, victim: Path
) -> None:
    folder = tmp_path / "plan-md"
    folder.mkdir()
    (folder / MARKDOWN_MANIFEST).symlink_to(victim)

    code, _, stderr = run(
        "plan", str(manifest), f"--sandbox={tmp_path / 's.json'}", "--markdown-dir", str(folder)
    )

    assert code == 1
    assert stderr.count("\n") == 1
    assert "symbolic link" in stderr
    assert victim.read_text() == VICTIM_TEXT
    assert sorted(p.name for p in folder.iterdir()) == [MARKDOWN_MANIFEST]
