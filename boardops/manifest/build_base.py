"""What every part of the manifest builder shares: recording a problem, and saying where
another declaration is (see ``manifest.build``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boardops.errors import ManifestError, SourceSpan
from boardops.manifest.source import NodePath, field_path
from boardops.manifest.tree import Tree


class BuilderBase:
    """Where the builder's parts record problems."""

    errors: list[ManifestError]
    _prefix: NodePath  # where the board being built sits in its document

    def _error(
        self,
        message: str,
        span: SourceSpan,
        *,
        address: str | None = None,
        field: str | None = None,
        path: NodePath | None = None,
    ) -> None:
        """Record a problem; ``path`` (inside the current board) names the field."""
        if field is None and path is not None:
            field = field_path((*self._prefix, *path))
        self.errors.append(ManifestError(message, span=span, address=address, field=field))

    def _error_at(
        self, tree: Tree, path: NodePath, message: str, address: str | None, *, key: bool = False
    ) -> None:
        """Record a problem with the field at ``path``, pointing at its value (its key with
        ``key``)."""
        span = tree.key_span(path) if key else tree.span(path)
        self._error(message, span, address=address, path=path)


def _where(span: SourceSpan | None, here: SourceSpan | None) -> str:
    """Where another declaration is, seen from ``here``: ``line 12`` in the same file
    (``line 12, column 30`` on the same line), else ``other.yaml:12``."""
    if span is None or span.line is None:
        return "elsewhere"
    if here is None or span.file != here.file:
        return f"{span.file}:{span.line}"
    if span.line == here.line and span.column is not None:
        return f"line {span.line}, column {span.column}"
    return f"line {span.line}"


def _description(data: Mapping[str, Any]) -> str | None:
    """A description as the model holds it: absent -> None (monday's is left alone);
    ``null`` or "" -> "" (empty on monday: cleared if it has one)."""
    if "description" not in data:
        return None
    value = data["description"]
    return "" if value is None else str(value)
