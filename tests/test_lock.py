"""The lock files (requirements/runtime.txt, requirements/test.txt): every dependency
pyproject.toml declares is pinned to one version with its hashes, and the README's install
command installs exactly those versions.

The lock files are read here with ``packaging`` directly, not through tools/lock.py, so a
bug in the tool's own reader cannot hide a broken lock.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
import shlex
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ROOT / "requirements" / "runtime.txt"
TEST = ROOT / "requirements" / "test.txt"


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("boardops_lock_tool", ROOT / "tools" / "lock.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


lock = load_tool()


def entries(path: Path) -> list[tuple[Requirement, list[str]]]:
    """(requirement, sha256 hashes) per logical line of a pip requirements file."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        hashes = re.findall(r"--hash=(\S+)", line)
        found.append((Requirement(re.sub(r"--hash=\S+", "", line).strip()), hashes))
    return found


def here(path: Path) -> dict[str, str]:
    """Canonical name -> pinned version, of the lines that apply to this interpreter."""
    pinned: dict[str, str] = {}
    for requirement, _ in entries(path):
        if requirement.marker is None or requirement.marker.evaluate():
            name = canonicalize_name(requirement.name)
            assert name not in pinned, f"{path.name}: {name} pinned twice for this Python"
            (spec,) = requirement.specifier
            pinned[name] = spec.version
    return pinned


def roots(*, test: bool) -> list[Requirement]:
    inputs = lock.read_inputs()
    texts = [*inputs.runtime, *(inputs.test if test else ()), *inputs.build]
    return [Requirement(text) for text in texts]


@pytest.mark.parametrize(
    ("path", "test"), [(RUNTIME, False), (TEST, True)], ids=["runtime", "test"]
)
def test_every_dependency_pyproject_declares_is_locked_in_a_version_it_accepts(
    path: Path, test: bool
) -> None:
    pinned = here(path)
    for root in roots(test=test):
        name = canonicalize_name(root.name)
        assert name in pinned, f"{path.name} does not lock {root} (pyproject.toml)"
        assert root.specifier.contains(pinned[name], prereleases=True), (root, pinned[name])


@pytest.mark.parametrize("path", [RUNTIME, TEST], ids=["runtime", "test"])
def test_every_locked_line_is_one_exact_version_with_sha256_hashes(path: Path) -> None:
    locked = entries(path)
    assert len(locked) >= 10
    for requirement, hashes in locked:
        (spec,) = requirement.specifier
        assert spec.operator == "==", requirement
        assert hashes, f"{requirement} has no hash"
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), requirement


def test_the_lock_covers_other_pythons_and_systems_with_markers() -> None:
    by_name: dict[str, Requirement] = {canonicalize_name(r.name): r for r, _ in entries(TEST)}
    # pytest needs these only on Python 3.10 and on Windows: pinned for there, not here.
    for name, environment in [
        ("tomli", {"python_version": "3.10", "python_full_version": "3.10.0"}),
        ("exceptiongroup", {"python_version": "3.10", "python_full_version": "3.10.0"}),
        ("colorama", {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"}),
    ]:
        marker = by_name[name].marker
        assert marker is not None, name
        assert marker.evaluate(environment), name
        assert not marker.evaluate({"python_version": "3.13", "sys_platform": "linux"}), name


def test_the_runtime_lock_is_the_test_lock_without_the_test_extra() -> None:
    test_lines = {str(r): hashes for r, hashes in entries(TEST)}
    for requirement, hashes in entries(RUNTIME):
        assert test_lines.get(str(requirement)) == hashes, requirement
    runtime_names = {canonicalize_name(r.name) for r, _ in entries(RUNTIME)}
    assert {"pytest", "mypy", "ruff", "respx"}.isdisjoint(runtime_names)


def test_the_committed_lock_files_pass_the_offline_check() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "lock.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_the_check_names_a_line_without_hashes(tmp_path: Path) -> None:
    broken = tmp_path / "test.txt"
    text = TEST.read_text(encoding="utf-8")
    text, count = re.subn(
        r"^(click==\S+) \\\n(?:    --hash=\S+ \\\n)*    --hash=\S+\n", r"\1\n", text, flags=re.M
    )
    assert count == 1
    broken.write_text(text, encoding="utf-8")

    found = lock.problems(broken, lock.read_inputs(), test=True)

    assert found == [f"{broken}: click=={here(TEST)['click']} has no --hash"]


def test_the_check_fails_when_pyproject_declares_a_dependency_the_lock_lacks() -> None:
    inputs = lock.read_inputs()
    changed = dataclasses.replace(inputs, runtime=(*inputs.runtime, "boardops-surely-absent>=1"))

    found = lock.problems(RUNTIME, changed, test=False)

    assert found == [
        "requirements/runtime.txt was made from other pyproject.toml dependencies: "
        "run python3 tools/lock.py",
        "requirements/runtime.txt: boardops-surely-absent (pyproject.toml) is not locked",
    ]


# --- the README's install command, for real -------------------------------------------------


def readme_test_command() -> str:
    """The README quick start's second command (install the test extra, run the tests)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = quick.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2, commands
    return commands[1]


def install_steps(command: str, venv: Path) -> list[list[str]]:
    """The steps of ``command`` up to the tests, aimed at ``venv`` instead of ``.venv``."""
    steps = [shlex.split(step) for step in command.split(" && ")]
    assert steps[0] == ["python3", "-m", "venv", ".venv"], steps[0]
    assert steps[-1][0] == ".venv/bin/pytest", steps[-1]
    out = [[sys.executable, "-m", "venv", str(venv)]]
    for step in steps[1:-1]:
        assert step[0] == ".venv/bin/pip", step
        out.append([str(venv / "bin" / "pip"), *step[1:]])
    return out


def pypi_is_reachable() -> str | None:
    try:
        with urllib.request.urlopen("https://pypi.org/simple/pip/", timeout=20):
            return None
    except OSError as error:
        return str(error)


@pytest.mark.slow
def test_the_readme_test_command_installs_exactly_the_locked_versions(tmp_path: Path) -> None:
    # Needs PyPI. Without it this test fails rather than skips: a skipped check of the
    # install command would let a broken lock land unseen.
    problem = pypi_is_reachable()
    if problem is not None:
        pytest.fail(f"PyPI is unreachable ({problem}): this test installs the lock from it")
    venv = tmp_path / "venv"
    steps = install_steps(readme_test_command(), venv)
    assert any("--require-hashes" in step for step in steps)

    for step in steps:
        done = subprocess.run(step, cwd=ROOT, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (step, done.stderr[-3000:])

    listing = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import importlib.metadata as m, json; "
            "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    installed: dict[str, str] = {
        canonicalize_name(k): v for k, v in json.loads(listing.stdout).items()
    }
    assert "boardops" in installed  # editable, from this checkout
    installed.pop("boardops")
    installed.pop("pip")  # the venv's own
    assert installed == here(TEST)
