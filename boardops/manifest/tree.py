"""A piece of manifest data together with where each of its nodes came from.

Template expansion assembles a board from two sources (the template's body and the board's
own keys), possibly in different files; a ``Tree`` keeps every node's position through that,
so an error in an expanded board still points at the line that caused it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from boardops.errors import SourceSpan
from boardops.manifest.source import Document, NodePath

_ORIGINAL: Any = object()


@dataclass(frozen=True)
class Tree:
    """``data`` sits at ``base`` inside the node positions ``marks``/``key_marks``: a piece
    of a document is a view (no copying), and paths given to it are relative to ``data``."""

    data: Any
    fallback: SourceSpan
    marks: Mapping[NodePath, SourceSpan] = field(default_factory=dict)
    key_marks: Mapping[NodePath, SourceSpan] = field(default_factory=dict)
    base: NodePath = ()

    def get(self, path: NodePath) -> Any:
        value = self.data
        for part in path:
            value = value[part]
        return value

    def mark(self, path: NodePath) -> SourceSpan | None:
        return self.marks.get((*self.base, *path))

    def key_mark(self, path: NodePath) -> SourceSpan | None:
        return self.key_marks.get((*self.base, *path))

    def span(self, path: NodePath = ()) -> SourceSpan:
        """Where ``path`` starts, or its closest known ancestor."""
        for end in range(len(path), -1, -1):
            found = self.mark(path[:end])
            if found is not None:
                return found
        return self.fallback

    def key_span(self, path: NodePath) -> SourceSpan:
        """Where the mapping key at the end of ``path`` is written."""
        return self.key_mark(path) or self.span(path)


def tree_of(document: Document, base: NodePath = ()) -> Tree:
    """The part of ``document`` at ``base``, with paths relative to it."""
    data = document.data
    for part in base:
        data = data[part]
    return Tree(data, document.span(base), document.marks, document.key_marks, base)


class TreeBuilder:
    """Assembles a new tree from pieces of others, carrying their positions along."""

    def __init__(self) -> None:
        self.data: Any = None
        self.marks: dict[NodePath, SourceSpan] = {}
        self.key_marks: dict[NodePath, SourceSpan] = {}

    def place(self, target: NodePath, source: Tree, path: NodePath, value: Any = _ORIGINAL) -> None:
        """Put a copy of the node of ``source`` at ``path`` (or ``value`` in its place,
        keeping its positions: used for substituted copies) at ``target``."""
        node = copy.deepcopy(source.get(path) if value is _ORIGINAL else value)
        self._set(target, node)
        self._copy_marks(target, source, path, node)

    def mark(self, target: NodePath, span: SourceSpan, key_span: SourceSpan | None) -> None:
        self.marks[target] = span
        if key_span is not None:
            self.key_marks[target] = key_span

    def set_container(self, target: NodePath, container: Any) -> None:
        self._set(target, container)

    def build(self, fallback: SourceSpan) -> Tree:
        return Tree(self.data, fallback, self.marks, self.key_marks)

    def _set(self, target: NodePath, node: Any) -> None:
        if not target:
            self.data = node
            return
        parent = self.data
        for part in target[:-1]:
            parent = parent[part]
        last = target[-1]
        if isinstance(parent, list):
            assert isinstance(last, int)
            if last == len(parent):
                parent.append(node)
            else:
                parent[last] = node
        else:
            parent[last] = node

    def _copy_marks(self, target: NodePath, source: Tree, path: NodePath, node: Any) -> None:
        span = source.mark(path)
        if span is not None:
            self.marks[target] = span
        key_span = source.key_mark(path)
        if key_span is not None and target:
            self.key_marks[target] = key_span
        if isinstance(node, dict):
            for key, child in node.items():
                self._copy_marks((*target, key), source, (*path, key), child)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                self._copy_marks((*target, index), source, (*path, index), child)
