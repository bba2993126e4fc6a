"""Manifests: YAML files -> checked ``DesiredState``.

Public API::

    load_manifests(paths, allowed_env=) -> DesiredState   # raises ManifestErrors (every problem)
    validate_paths(paths, allowed_env=) -> (state | None, errors)
    manifest_schema() -> dict                    # the JSON Schema (2020-12) of format v1
    summarize(state) -> str                      # "2 workspaces, 5 boards, ... in 4 files"

Paths may be files or directories (searched recursively for ``*.yaml`` and ``*.yml``,
skipping hidden entries and the project configuration; see ``find_manifest_files`` for
how the search stays inside them), or ``-``: one manifest read from standard input, named
``<stdin>`` in errors; each file may hold several YAML documents.
``allowed_env`` is the project configuration's ``env:`` list: ``${env:NAME}`` reads only
those names and ``BOARDOPS_VAR_*``, and no error returned holds a value read (see
``EnvRedactor``). Nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from boardops.errors import ManifestError, ManifestErrors, SourceSpan
from boardops.gc_pause import collector_paused
from boardops.manifest.build import StateBuilder
from boardops.manifest.schema import manifest_schema, render_schema
from boardops.manifest.source import EnvRedactor, parse_documents
from boardops.model import DesiredState

__all__ = [
    "load_manifests",
    "manifest_schema",
    "render_schema",
    "summarize",
    "validate_paths",
]

MANIFEST_SUFFIXES = (".yaml", ".yml")

# ``-`` on the command line: the manifest on standard input, known by this object (a file
# named ``<stdin>`` is another path).
STDIN_ARGUMENT = "-"
STDIN = Path("<stdin>")


def _display(path: Path) -> str:
    return path.as_posix()


def find_manifest_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[ManifestError]]:
    """The manifest files named by ``paths``, deduplicated (also when two names lead to one
    file), in sorted path order.

    A directory is searched for ``*.yaml`` and ``*.yml`` files, and the search stays
    inside it: hidden entries and files named ``boardops-project.yaml`` (the project
    configuration) are skipped, symbolic links to directories are never followed (so no
    walk leaves the tree or loops), a symbolic link to a file is read only when the file
    is inside the directory, and a FIFO, device or socket is refused, never opened. A path
    named on the command line is taken as it is named, links included. ``-`` is standard
    input (``STDIN``, read once however often it is given).
    """
    from boardops.project import PROJECT_FILE_NAME

    candidates: list[Path] = []
    errors: list[ManifestError] = []
    if not paths:
        errors.append(ManifestError("no manifest paths given"))
    for given in paths:
        if isinstance(given, str) and given == STDIN_ARGUMENT:
            candidates.append(STDIN)
            continue
        path = Path(given)
        here = SourceSpan(_display(path))
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            errors.append(ManifestError("no such file or directory", span=here))
            continue
        except OSError as error:
            errors.append(ManifestError(f"cannot read: {error.strerror}", span=here))
            continue
        if stat.S_ISDIR(mode):
            errors_before = len(errors)
            inside = _walk(path, PROJECT_FILE_NAME, errors)
            if not inside and len(errors) == errors_before:
                errors.append(
                    ManifestError("no *.yaml or *.yml files in this directory", span=here)
                )
            candidates.extend(inside)
        elif not stat.S_ISREG(mode):
            errors.append(ManifestError(_NOT_REGULAR, span=here))
        elif path.name == PROJECT_FILE_NAME:
            errors.append(
                ManifestError(
                    "this is the project configuration, not a manifest; give it with "
                    "--project (or leave it in the current directory)",
                    span=here,
                )
            )
        else:
            candidates.append(path)
    found: dict[str, Path] = {}
    for candidate in sorted(candidates, key=_display):
        # No real path holds a NUL: standard input is its own key.
        key = "\0stdin" if candidate is STDIN else os.path.realpath(candidate)
        found.setdefault(key, candidate)
    return sorted(found.values(), key=_display), errors


_NOT_REGULAR = (
    "not a regular file (a FIFO, device or socket); manifests are read from regular files"
)


def _walk(root: Path, skipped_name: str, errors: list[ManifestError]) -> list[Path]:
    """The manifest files under ``root`` (see ``find_manifest_files``)."""
    top = Path(os.path.realpath(root))
    files: list[Path] = []
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            errors.append(
                ManifestError(
                    f"cannot read this directory: {error.strerror}",
                    span=SourceSpan(_display(directory)),
                )
            )
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            here = SourceSpan(_display(path))
            link = entry.is_symlink()
            if not link and entry.is_dir(follow_symlinks=False):
                stack.append(path)
                continue
            if path.suffix not in MANIFEST_SUFFIXES or entry.name == skipped_name:
                continue
            if link:
                target = Path(os.path.realpath(path))
                if target.is_dir():
                    continue  # a link to a directory is never followed
                if not target.is_relative_to(top):
                    errors.append(
                        ManifestError(
                            f"a symbolic link to a file outside {_display(root)}; manifests "
                            "are read only from inside the paths given",
                            span=here,
                        )
                    )
                    continue
            try:
                mode = path.stat().st_mode
            except OSError as error:
                reason = "a broken symbolic link" if link else f"cannot read: {error.strerror}"
                errors.append(ManifestError(reason, span=here))
                continue
            if not stat.S_ISREG(mode):
                errors.append(ManifestError(_NOT_REGULAR, span=here))
                continue
            files.append(path)
    return files


def validate_paths(
    paths: Sequence[str | Path],
    *,
    allowed_env: frozenset[str] = frozenset(),
    environ: Mapping[str, str] | None = None,
) -> tuple[DesiredState | None, list[ManifestError]]:
    """Load and check the manifests; the state is None when there is any problem.

    ``allowed_env``: the names besides ``BOARDOPS_VAR_*`` that ``${env:NAME}`` may read
    (the project configuration's ``env:``); ``environ``: where they are read (default: the
    process environment). No error returned holds a value read from it.
    """
    read: dict[str, str] = {}
    with collector_paused():
        state, errors = _validate_paths(paths, allowed_env, environ, read)
    redact = EnvRedactor(read)
    return state, [redact.error(error) for error in errors]


def _validate_paths(
    paths: Sequence[str | Path],
    allowed_env: frozenset[str],
    environ: Mapping[str, str] | None,
    read: dict[str, str],
) -> tuple[DesiredState | None, list[ManifestError]]:
    files, errors = find_manifest_files(paths)
    builder = StateBuilder()
    digest = hashlib.sha256()
    for path in files:
        name = _display(path)
        try:
            raw = sys.stdin.buffer.read() if path is STDIN else path.read_bytes()
        except OSError as error:
            errors.append(ManifestError(f"cannot read: {error.strerror}", span=SourceSpan(name)))
            continue
        digest.update(raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line_start = raw.rfind(b"\n", 0, error.start) + 1
            span = SourceSpan(
                name, raw.count(b"\n", 0, error.start) + 1, error.start - line_start + 1
            )
            errors.append(ManifestError("not UTF-8 text", span=span))
            continue
        documents, parse_errors = parse_documents(
            name, text, allowed_env=allowed_env, environ=environ, read=read
        )
        errors.extend(parse_errors)
        for document in documents:
            builder.add_document(document)
    workspaces, boards = builder.build()
    errors.extend(builder.errors)
    if errors:
        return None, _in_file_order(errors)
    state = DesiredState(
        workspaces=workspaces,
        boards=boards,
        digest=digest.hexdigest(),
        files=tuple(_display(path) for path in files),
        week_start=builder.week_start,
    )
    return state, []


def load_manifests(
    paths: Sequence[str | Path],
    *,
    allowed_env: frozenset[str] = frozenset(),
    environ: Mapping[str, str] | None = None,
) -> DesiredState:
    """The desired state the manifests describe; raises ``ManifestErrors`` with every
    problem found (``allowed_env``, ``environ``: as for ``validate_paths``)."""
    state, errors = validate_paths(paths, allowed_env=allowed_env, environ=environ)
    if errors:
        raise ManifestErrors(errors)
    assert state is not None
    return state


def summarize(state: DesiredState) -> str:
    """``2 workspaces, 5 boards, 31 columns, 14 groups, 42 items in 4 files``."""

    def count(number: int, noun: str) -> str:
        return f"{number} {noun}{'' if number == 1 else 's'}"

    columns = sum(len(board.columns) for board in state.boards)
    groups = sum(len(board.groups) for board in state.boards)
    items = sum(len(board.items.rows) for board in state.boards if board.items is not None)
    return (
        f"{count(len(state.workspaces), 'workspace')}, {count(len(state.boards), 'board')}, "
        f"{count(columns, 'column')}, {count(groups, 'group')}, {count(items, 'item')} "
        f"in {count(len(state.files), 'file')}"
    )


def _in_file_order(errors: list[ManifestError]) -> list[ManifestError]:
    def position(error: ManifestError) -> tuple[str, int, int]:
        span = error.span
        if span is None:
            return ("", 0, 0)
        return (span.file, span.line or 0, span.column or 0)

    return sorted(errors, key=position)
