#!/usr/bin/env python3
"""Write boardops' lock files: every dependency pinned, with the sha256 of every file PyPI
has for the pinned version, for every supported Python and operating system.

    python3 tools/lock.py           # resolve again and rewrite requirements/*.txt
    python3 tools/lock.py --check   # offline: are the lock files complete and current?

``requirements/runtime.txt`` holds what boardops needs to run, ``requirements/test.txt``
that plus the ``test`` extra; both hold the build backend (pyproject's ``build-system``),
so that the editable install needs nothing unpinned::

    pip install --require-hashes -r requirements/test.txt
    pip install --no-deps --no-build-isolation -e .

How: for each Python in ``PYTHONS`` (found on PATH as ``python3.X``, under pyenv, or given
with ``--python 3.X=PATH``), pip resolves ``.[test]`` plus the build requirements against
PyPI with ``pip install --dry-run --ignore-installed --report`` (no configuration file of
the machine is read, so a local mirror cannot leak into the lock). The report's metadata
is then walked for each (Python, OS) pair, evaluating every dependency's environment
marker, so a package needed only on Windows (colorama) or only on Python 3.10 (tomli,
exceptiongroup) is pinned with a marker saying so; one missing from the resolution (it
is not needed on this machine) is added to it and pip resolves again. The newest Python
in ``PYTHONS`` stands for the later ones too. Hashes come from PyPI's JSON API, one
request per package.

``--check`` needs no network: the header of each lock file records a digest of the inputs
(pyproject's dependencies, test extra, build requirements, requires-python); the check
fails when they changed, when a line has no hash, or when a pin breaks pyproject's
specifiers. Standard library only, plus the ``packaging`` that pip carries for markers.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version
except ImportError:  # pragma: no cover - a machine without packaging: pip's copy
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[assignment]
    from pip._vendor.packaging.utils import canonicalize_name  # type: ignore[assignment]
    from pip._vendor.packaging.version import Version  # type: ignore[assignment]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    from pip._vendor import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
LOCK_DIR = ROOT / "requirements"
RUNTIME_LOCK = LOCK_DIR / "runtime.txt"
TEST_LOCK = LOCK_DIR / "test.txt"
INDEX = "https://pypi.org/simple"
JSON_API = "https://pypi.org/pypi/{name}/json"
COMMAND = "python3 tools/lock.py"

# Every supported Python (requires-python >= 3.10); the last one stands for later ones too.
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
# The operating systems, as their environment markers see them.
PLATFORMS: dict[str, dict[str, str]] = {
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "darwin": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
    "win32": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
}
_MACHINES = {"linux": "x86_64", "darwin": "arm64", "win32": "AMD64"}

Env = tuple[str, str]  # (python, platform)
ENVS: tuple[Env, ...] = tuple((py, os_) for py in PYTHONS for os_ in PLATFORMS)


class LockError(Exception):
    """The lock cannot be written or checked; the message says why."""


# --- pyproject -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    runtime: tuple[str, ...]
    test: tuple[str, ...]
    build: tuple[str, ...]
    requires_python: str

    def digest(self) -> str:
        text = json.dumps(
            [self.runtime, self.test, self.build, self.requires_python], sort_keys=True
        )
        return hashlib.sha256(text.encode()).hexdigest()


def read_inputs(pyproject: Path = ROOT / "pyproject.toml") -> Inputs:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data["project"]
    return Inputs(
        runtime=tuple(project.get("dependencies", [])),
        test=tuple(project.get("optional-dependencies", {}).get("test", [])),
        build=tuple(data.get("build-system", {}).get("requires", [])),
        requires_python=str(project.get("requires-python", "")),
    )


# --- resolution ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolved:
    """One Python's resolution: canonical name -> (name as published, version, requires)."""

    python: str
    packages: Mapping[str, tuple[str, str, tuple[str, ...]]]


def find_python(version: str, given: Mapping[str, str]) -> str:
    candidates = [given[version]] if version in given else []
    if not candidates:
        on_path = shutil.which(f"python{version}")
        candidates += [on_path] if on_path else []
        pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
        candidates += sorted(glob.glob(f"{pyenv}/versions/{version}.*/bin/python{version}"))
    for candidate in candidates:
        probe = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    raise LockError(
        f"no Python {version} found (python{version} on PATH or under pyenv): install it or "
        f"pass --python {version}=PATH; the lock must cover every supported Python"
    )


def pip_environment() -> dict[str, str]:
    """The environment pip runs in: no configuration file, no PIP_* variable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def resolve(python: str, interpreter: str, requirements: Sequence[str]) -> Resolved:
    with tempfile.TemporaryDirectory(prefix="boardops-lock-") as tmp:
        report = Path(tmp) / "report.json"
        command = [
            interpreter,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--dry-run",
            "--ignore-installed",
            "--report",
            str(report),
            "--index-url",
            INDEX,
            *requirements,
        ]
        done = subprocess.run(
            command, cwd=ROOT, env=pip_environment(), capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise LockError(f"pip could not resolve for Python {python}:\n{done.stderr.strip()}")
        data = json.loads(report.read_text(encoding="utf-8"))
    packages: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for item in data["install"]:
        meta = item["metadata"]
        packages[canonicalize_name(meta["name"])] = (
            meta["name"],
            meta["version"],
            tuple(meta.get("requires_dist") or ()),
        )
    return Resolved(python, packages)


def marker_environment(env: Env, extra: str) -> dict[str, str]:
    python, platform = env
    return {
        **PLATFORMS[platform],
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "platform_machine": _MACHINES[platform],
        "extra": extra,
    }


def applies(requirement: Requirement, env: Env, extras: Iterable[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(
        requirement.marker.evaluate(marker_environment(env, extra)) for extra in (*extras, "")
    )


def needed(
    roots: Sequence[str], resolved: Resolved, env: Env
) -> tuple[dict[str, str], dict[str, str]]:
    """Walk the dependencies of ``roots`` as they apply in ``env``: (needed canonical name ->
    version, names missing from the resolution -> the requirement that asks for them)."""
    found: dict[str, str] = {}
    missing: dict[str, str] = {}
    extras_of: dict[str, set[str]] = {}
    queue = [Requirement(text) for text in roots]
    while queue:
        requirement = queue.pop()
        if not applies(requirement, env, ()):
            continue
        name = canonicalize_name(requirement.name)
        if name not in resolved.packages:
            missing[name] = str(Requirement(f"{requirement.name}{requirement.specifier}"))
            continue
        new_extras = set(requirement.extras) - extras_of.get(name, set())
        if name in found and not new_extras:
            continue
        extras_of.setdefault(name, set()).update(requirement.extras)
        _, version, requires = resolved.packages[name]
        found[name] = version
        for text in requires:
            dependency = Requirement(text)
            if applies(dependency, env, extras_of[name]):
                queue.append(Requirement(str(dependency).split(";")[0]))
    return found, missing


# --- the lock ------------------------------------------------------------------------------


def py_marker(pythons: set[str]) -> str | None:
    indexes = sorted(PYTHONS.index(p) for p in pythons)
    if len(indexes) == len(PYTHONS):
        return None
    if indexes == list(range(indexes[0], indexes[-1] + 1)):
        parts = []
        if indexes[0] > 0:
            parts.append(f'python_version >= "{PYTHONS[indexes[0]]}"')
        if indexes[-1] < len(PYTHONS) - 1:
            parts.append(f'python_version < "{PYTHONS[indexes[-1] + 1]}"')
        return " and ".join(parts)
    terms = [f'python_version == "{PYTHONS[i]}"' for i in indexes if i < len(PYTHONS) - 1]
    if indexes[-1] == len(PYTHONS) - 1:
        terms.append(f'python_version >= "{PYTHONS[-1]}"')
    return "(" + " or ".join(terms) + ")"


def platform_marker(platforms: set[str]) -> str | None:
    if len(platforms) == len(PLATFORMS):
        return None
    if len(platforms) == 1:
        return f'sys_platform == "{next(iter(platforms))}"'
    (other,) = set(PLATFORMS) - platforms
    return f'sys_platform != "{other}"'


def env_marker(envs: set[Env]) -> str | None:
    """A marker true exactly in ``envs`` (of ``ENVS``), None when that is everywhere."""
    if envs == set(ENVS):
        return None
    by_platforms: dict[frozenset[str], set[str]] = {}
    for python in PYTHONS:
        platforms = frozenset(p for p in PLATFORMS if (python, p) in envs)
        if platforms:
            by_platforms.setdefault(platforms, set()).add(python)
    terms = []
    for platforms, pythons in sorted(by_platforms.items(), key=lambda kv: sorted(kv[1])):
        parts = [m for m in (py_marker(pythons), platform_marker(set(platforms))) if m]
        terms.append(" and ".join(parts))
    if len(terms) == 1:
        return terms[0]
    return " or ".join(f"({term})" for term in terms)


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: str | None


def pins(roots: Sequence[str], resolutions: Mapping[str, Resolved]) -> list[Pin]:
    """One pin per (package, version), with the marker of the environments needing it."""
    where: dict[tuple[str, str], set[Env]] = {}
    names: dict[str, str] = {}
    for env in ENVS:
        resolved = resolutions[env[0]]
        found, missing = needed(roots, resolved, env)
        if missing:
            raise LockError(f"not resolved for {env}: {sorted(missing)}")
        for name, version in found.items():
            where.setdefault((name, version), set()).add(env)
            names[name] = resolved.packages[name][0]
    return [
        Pin(names[name], version, env_marker(envs))
        for (name, version), envs in sorted(where.items(), key=lambda kv: (kv[0][0], kv[0][1]))
    ]


def fetch_hashes(name: str, version: str) -> list[str]:
    url = JSON_API.format(name=name)
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            data = json.load(response)
    except OSError as error:
        raise LockError(f"cannot read {url}: {error}") from None
    files = data.get("releases", {}).get(version)
    if not files:
        raise LockError(f"{url} lists no file for {name} {version}")
    return sorted({f["digests"]["sha256"] for f in files if not f.get("yanked")})


def render(title: str, inputs: Inputs, lines: Sequence[tuple[Pin, Sequence[str]]]) -> str:
    out = [
        f"# {title}",
        "# Every version pinned, with the sha256 of every file PyPI has for it (any OS, any",
        f"# supported Python: {', '.join(PYTHONS)}+). Generated by `{COMMAND}`: do not edit.",
        f"# inputs-sha256: {inputs.digest()}",
        "# Install: pip install --require-hashes -r THIS_FILE",
        "#          pip install --no-deps --no-build-isolation -e .",
    ]
    for pin, hashes in lines:
        head = f"{pin.name}=={pin.version}"
        if pin.marker:
            head += f" ; {pin.marker}"
        out.append(head + " \\")
        out += [
            f"    --hash=sha256:{h}" + (" \\" if i < len(hashes) - 1 else "")
            for i, h in enumerate(hashes)
        ]
    return "\n".join(out) + "\n"


def roots_of(inputs: Inputs, *, test: bool) -> list[str]:
    return [*inputs.runtime, *(inputs.test if test else ()), *inputs.build]


def generate(interpreters: Mapping[str, str]) -> dict[Path, str]:
    inputs = read_inputs()
    extra: dict[str, str] = {}
    resolutions: dict[str, Resolved] = {}
    all_roots = roots_of(inputs, test=True)
    for _ in range(4):
        resolutions = {
            py: resolve(py, interpreters[py], [".[test]", *inputs.build, *sorted(extra.values())])
            for py in PYTHONS
        }
        missing: dict[str, str] = {}
        for env in ENVS:
            missing.update(needed(all_roots, resolutions[env[0]], env)[1])
        missing = {k: v for k, v in missing.items() if k not in extra}
        if not missing:
            break
        extra.update(missing)
    else:
        raise LockError(f"the resolution does not close: {sorted(extra)}")
    cache: dict[tuple[str, str], list[str]] = {}

    def hashed(pin_list: list[Pin]) -> list[tuple[Pin, list[str]]]:
        out = []
        for pin in pin_list:
            key = (pin.name, pin.version)
            if key not in cache:
                cache[key] = fetch_hashes(pin.name, pin.version)
            out.append((pin, cache[key]))
        return out

    runtime = pins(roots_of(inputs, test=False), resolutions)
    test = pins(all_roots, resolutions)
    return {
        RUNTIME_LOCK: render(
            "boardops: runtime dependencies and the build backend", inputs, hashed(runtime)
        ),
        TEST_LOCK: render(
            "boardops: runtime and test dependencies and the build backend", inputs, hashed(test)
        ),
    }


# --- the check -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Locked:
    requirement: Requirement
    hashes: tuple[str, ...]


def parse_lock(text: str) -> tuple[str | None, list[Locked]]:
    """(inputs digest, the entries) of a lock file; joins continued lines."""
    digest = None
    found = re.search(r"^# inputs-sha256: ([0-9a-f]{64})$", text, re.M)
    if found:
        digest = found.group(1)
    entries = []
    logical = re.sub(r"\\\n", " ", text)
    for line in logical.splitlines():
        line = line.split(" #", 1)[0].strip() if not line.startswith("#") else ""
        if not line:
            continue
        hashes = tuple(re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
        spec = re.sub(r"\s*--hash=\S+", "", line).strip()
        entries.append(Locked(Requirement(spec), hashes))
    return digest, entries


def problems(path: Path, inputs: Inputs, *, test: bool) -> list[str]:
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    if not path.exists():
        return [f"{where} is missing: run {COMMAND}"]
    digest, entries = parse_lock(path.read_text(encoding="utf-8"))
    found = []
    if digest != inputs.digest():
        found.append(f"{where} was made from other pyproject.toml dependencies: run {COMMAND}")
    locked: dict[str, list[Requirement]] = {}
    for entry in entries:
        req = entry.requirement
        pinned = [s for s in req.specifier if s.operator == "=="]
        if len(pinned) != 1 or len(req.specifier) != 1:
            found.append(f"{where}: {req} is not pinned to one version with ==")
        if not entry.hashes:
            found.append(f"{where}: {req} has no --hash")
        locked.setdefault(canonicalize_name(req.name), []).append(req)
    for text in roots_of(inputs, test=test):
        root = Requirement(text)
        pinned_here = locked.get(canonicalize_name(root.name), [])
        if not pinned_here:
            found.append(f"{where}: {root.name} (pyproject.toml) is not locked")
        for req in pinned_here:
            for spec in req.specifier:
                if not root.specifier.contains(Version(spec.version), True):
                    found.append(f"{where}: {req} does not satisfy pyproject.toml's {root}")
    return found


def check() -> list[str]:
    inputs = read_inputs()
    return problems(RUNTIME_LOCK, inputs, test=False) + problems(TEST_LOCK, inputs, test=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="check, offline; write nothing")
    parser.add_argument(
        "--python",
        action="append",
        default=[],
        metavar="3.X=PATH",
        help="the interpreter to resolve for Python 3.X (default: found on PATH or pyenv)",
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            found = check()
            for line in found:
                print(line, file=sys.stderr)
            if not found:
                print("lock files are complete and current")
            return 1 if found else 0
        given = dict(item.split("=", 1) for item in args.python)
        interpreters = {py: find_python(py, given) for py in PYTHONS}
        for path, text in generate(interpreters).items():
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    except LockError as error:
        print(f"lock: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
