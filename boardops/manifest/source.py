"""Reading manifest files: YAML documents as plain JSON-like data plus the file position of
every node, with duplicate keys refused and ``${env:NAME}`` references resolved.

Scalars follow JSON's reading more than YAML 1.1's: only ``true``/``false`` are booleans
(so a country code ``NO`` stays a string) and dates stay ISO strings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from boardops.errors import ManifestError, SourceSpan

PathPart = str | int
NodePath = tuple[PathPart, ...]

_ENV_REFERENCE = re.compile(r"\$\{env:([^}]*)\}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Variables that hold credentials (the monday client reads its token from the first):
# interpolating one would write the secret onto a board and into every plan.
SECRET_ENV_NAMES = frozenset({"MONDAY_API_TOKEN"})


# libyaml's parser is about ten times faster than the pure-Python one, with the same marks.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ManifestLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader whose implicit types are JSON's: no timestamps, no yes/no/on/off."""


_ManifestLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ManifestLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def field_path(path: NodePath) -> str:
    """``("boards", 0, "columns", 2, "type")`` -> ``boards[0].columns[2].type``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True)
class Document:
    """One YAML document: its data and where each node (and each mapping key) starts."""

    file: str
    data: Any
    marks: Mapping[NodePath, SourceSpan] = field(default_factory=dict)
    key_marks: Mapping[NodePath, SourceSpan] = field(default_factory=dict)

    def span(self, path: NodePath) -> SourceSpan:
        """The nearest known position of ``path`` (or of its closest ancestor)."""
        for end in range(len(path), -1, -1):
            found = self.marks.get(path[:end])
            if found is not None:
                return found
        return SourceSpan(self.file)


class _Builder:
    def __init__(self, file: str, loader: _ManifestLoader, errors: list[ManifestError]) -> None:
        self.file = file
        self.loader = loader
        self.errors = errors
        self.marks: dict[NodePath, SourceSpan] = {}
        self.key_marks: dict[NodePath, SourceSpan] = {}
        self._active: set[int] = set()
        # Set when a node could not be read at all: checking the rest would only add noise.
        self.unreadable = False

    def span_of(self, node: Node) -> SourceSpan:
        return SourceSpan(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: Node, path: NodePath, message: str) -> None:
        self.errors.append(
            ManifestError(message, span=self.span_of(node), field=field_path(path) or None)
        )

    def build(self, node: Node, path: NodePath) -> Any:
        self.marks[path] = self.span_of(node)
        if id(node) in self._active:
            self.error(node, path, "recursive YAML alias")
            self.unreadable = True
            return None
        self._active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
            if isinstance(node, SequenceNode):
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            assert isinstance(node, ScalarNode)
            value = self.loader.construct_object(node, deep=True)
            if isinstance(value, bytes):
                self.error(node, path, "binary values are not supported")
                self.unreadable = True
                return None
            if isinstance(value, str):
                return self._interpolate(node, path, value)
            return value
        finally:
            self._active.discard(id(node))

    def _mapping(self, node: MappingNode, path: NodePath) -> dict[str, Any]:
        seen: dict[str, Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, ScalarNode):
                continue
            earlier = seen.get(key_node.value)
            if earlier is not None:
                self.error(
                    key_node,
                    (*path, key_node.value),
                    f"duplicate key '{key_node.value}' (first defined on line "
                    f"{earlier.start_mark.line + 1})",
                )
            else:
                seen[key_node.value] = key_node
        self.loader.flatten_mapping(node)  # resolves YAML merge keys (<<: *anchor)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, path, "mapping keys must be plain text")
                self.unreadable = True
                continue
            key = str(key_node.value)
            key_path: NodePath = (*path, key)
            self.key_marks[key_path] = self.span_of(key_node)
            result[key] = self.build(value_node, key_path)
        return result

    def _interpolate(self, node: Node, path: NodePath, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            reference = match.group(1)
            name, has_default, default = reference.partition(":-")
            if not _ENV_NAME.fullmatch(name):
                self.error(node, path, f"invalid environment variable name '{name}'")
                return match.group(0)
            if name in SECRET_ENV_NAMES:
                self.error(
                    node, path, f"{name} holds the monday API token and cannot be interpolated"
                )
                return match.group(0)
            value = os.environ.get(name)
            if value is not None:
                return value
            if has_default:
                return default
            self.error(
                node,
                path,
                f"environment variable {name} is not set (write ${{env:{name}:-default}} to "
                "give a default)",
            )
            return match.group(0)

        return _ENV_REFERENCE.sub(replace, text)


def parse_documents(file: str, text: str) -> tuple[list[Document], list[ManifestError]]:
    """Every YAML document in ``text``; empty documents are skipped."""
    errors: list[ManifestError] = []
    documents: list[Document] = []
    loader = _ManifestLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            builder = _Builder(file, loader, errors)
            data = builder.build(node, ())
            if data is not None and not builder.unreadable:
                documents.append(Document(file, data, builder.marks, builder.key_marks))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        span = SourceSpan(file, mark.line + 1, mark.column + 1) if mark else SourceSpan(file)
        problem = error.problem or error.context or "unreadable"
        errors.append(ManifestError(f"invalid YAML: {problem}", span=span))
    except yaml.YAMLError as error:
        errors.append(ManifestError(f"invalid YAML: {error}", span=SourceSpan(file)))
    finally:
        loader.dispose()
    return documents, errors
