"""Manifests: YAML files -> checked ``DesiredState``.

Public API::

    load_manifests(paths) -> DesiredState        # raises ManifestErrors listing every problem
    validate_paths(paths) -> (state | None, errors)
    manifest_schema() -> dict                    # the JSON Schema (2020-12) of format v1
    summarize(state) -> str                      # "2 workspaces, 5 boards, ... in 4 files"

Paths may be files or directories (searched recursively for ``*.yaml`` and ``*.yml``,
skipping hidden entries); each file may hold several YAML documents. Nothing here touches
the network.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from boardops.errors import ManifestError, ManifestErrors, SourceSpan
from boardops.gc_pause import collector_paused
from boardops.manifest.build import StateBuilder
from boardops.manifest.schema import manifest_schema, render_schema
from boardops.manifest.source import parse_documents
from boardops.model import DesiredState

__all__ = [
    "load_manifests",
    "manifest_schema",
    "render_schema",
    "summarize",
    "validate_paths",
]

MANIFEST_SUFFIXES = (".yaml", ".yml")


def _display(path: Path) -> str:
    return path.as_posix()


def find_manifest_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[ManifestError]]:
    """The manifest files named by ``paths``, deduplicated, in sorted path order."""
    found: dict[str, Path] = {}
    errors: list[ManifestError] = []
    if not paths:
        errors.append(ManifestError("no manifest paths given"))
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = [
                candidate
                for candidate in path.rglob("*")
                if candidate.suffix in MANIFEST_SUFFIXES
                and candidate.is_file()
                and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
            ]
            if not inside:
                errors.append(
                    ManifestError(
                        "no *.yaml or *.yml files in this directory",
                        span=SourceSpan(_display(path)),
                    )
                )
            for candidate in inside:
                found.setdefault(_display(candidate), candidate)
        elif path.is_file():
            found.setdefault(_display(path), path)
        else:
            errors.append(
                ManifestError("no such file or directory", span=SourceSpan(_display(path)))
            )
    return [found[name] for name in sorted(found)], errors


def validate_paths(paths: Sequence[str | Path]) -> tuple[DesiredState | None, list[ManifestError]]:
    """Load and check the manifests; the state is None when there is any problem."""
    with collector_paused():
        return _validate_paths(paths)


def _validate_paths(
    paths: Sequence[str | Path],
) -> tuple[DesiredState | None, list[ManifestError]]:
    files, errors = find_manifest_files(paths)
    builder = StateBuilder()
    digest = hashlib.sha256()
    for path in files:
        name = _display(path)
        try:
            raw = path.read_bytes()
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
        documents, parse_errors = parse_documents(name, text)
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


def load_manifests(paths: Sequence[str | Path]) -> DesiredState:
    """The desired state the manifests describe; raises ``ManifestErrors`` with every
    problem found."""
    state, errors = validate_paths(paths)
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
