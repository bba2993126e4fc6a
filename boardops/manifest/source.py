"""Reading manifest files: YAML documents as plain JSON-like data plus the file position of
every node, with duplicate keys refused and ``${env:NAME}`` references resolved.

Scalars follow JSON's reading more than YAML 1.1's: only ``true``/``false`` are booleans
(so a country code ``NO`` stays a string) and dates stay ISO strings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from boardops.errors import ManifestError, SourceSpan

PathPart = str | int
NodePath = tuple[PathPart, ...]
Position = tuple[int, int]  # 1-based line and column

_T = TypeVar("_T")

_STR_TAG = "tag:yaml.org,2002:str"
_SEQUENCE_TAG = "tag:yaml.org,2002:seq"
_MAPPING_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"

_ENV_REFERENCE = re.compile(r"\$\{env:([^}]*)\}")
_ENV_MARKER = "${env:"  # every match of _ENV_REFERENCE contains it
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Variables that hold credentials (the monday client reads its token from the first):
# interpolating one would write the secret onto a board and into every plan.
SECRET_ENV_NAMES = frozenset({"MONDAY_API_TOKEN"})


# libyaml's parser is about ten times faster than the pure-Python one, with the same marks.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ManifestLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader whose implicit types are JSON's: no timestamps, no yes/no/on/off."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """``BaseResolver.resolve`` without its per-call list building (the composer calls
        it for every node); the same answers, as this loader has no path resolvers."""
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT_BY_FIRST.get(value[:1], _WILDCARD_RESOLVERS):
                    if regexp.match(value):
                        return tag
            return _STR_TAG
        if kind is SequenceNode:
            return _SEQUENCE_TAG
        return _MAPPING_TAG


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
assert not _ManifestLoader.yaml_path_resolvers, "_ManifestLoader.resolve ignores path resolvers"

_Resolvers = tuple[tuple[str, re.Pattern[str]], ...]
# The implicit resolvers to try on a plain scalar, by its first character ("" when empty),
# wildcard ones last: the lists BaseResolver.resolve assembles for every scalar.
_WILDCARD_RESOLVERS: _Resolvers = tuple(_ManifestLoader.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT_BY_FIRST: dict[str, _Resolvers] = {
    first: (*resolvers, *_WILDCARD_RESOLVERS)
    for first, resolvers in _ManifestLoader.yaml_implicit_resolvers.items()
    if first is not None
}


def field_path(path: NodePath) -> str:
    """``("boards", 0, "columns", 2, "type")`` -> ``boards[0].columns[2].type``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


class Positions(Mapping[NodePath, SourceSpan]):
    """Where the nodes of one file start, by path. A manifest has a position for every node
    and reports few of them, so they are kept as (line, column) pairs and made into
    ``SourceSpan``s only when asked for."""

    __slots__ = ("_file", "_positions")

    def __init__(self, file: str, positions: dict[NodePath, Position]) -> None:
        self._file = file
        self._positions = positions

    def __getitem__(self, path: NodePath) -> SourceSpan:
        line, column = self._positions[path]
        return SourceSpan(self._file, line, column)

    @overload
    def get(self, path: NodePath, /) -> SourceSpan | None: ...
    @overload
    def get(self, path: NodePath, /, default: SourceSpan | _T) -> SourceSpan | _T: ...
    def get(self, path: NodePath, /, default: object = None) -> object:
        found = self._positions.get(path)
        return default if found is None else SourceSpan(self._file, found[0], found[1])

    def __contains__(self, path: object) -> bool:
        return path in self._positions

    def __iter__(self) -> Iterator[NodePath]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


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


# Values a document may reach through aliases (each use of an anchor builds its nodes
# again): generous for shared column lists, and a stop for "billion laughs" documents,
# whose few lines would otherwise expand to millions of values and hang the command.
MAX_ALIASED_VALUES = 100_000
# Nesting a manifest needs is a dozen levels; thousands would exhaust Python's stack.
MAX_DEPTH = 64


class _AliasBudgetExceeded(Exception):
    def __init__(self, node: Node, path: NodePath) -> None:
        self.node = node
        self.path = path


class _Builder:
    """Turns a composed node tree into plain data, noting each node's position.

    This walk visits every node of the manifest (about a dozen per item row), so it does
    as little per node as it can: positions are int pairs, a scalar resolved (or tagged)
    as a string is taken from the node as it is (other scalars go through the
    constructor), merge keys are flattened only where a mapping has one, and the
    interpolation pattern runs only on strings that contain a reference.
    """

    def __init__(
        self,
        file: str,
        loader: _ManifestLoader,
        errors: list[ManifestError],
        *,
        interpolate: bool = True,
    ) -> None:
        self.file = file
        self.interpolate = interpolate
        self.loader = loader
        self.errors = errors
        self.positions: dict[NodePath, Position] = {}
        self.key_positions: dict[NodePath, Position] = {}
        self._active: set[int] = set()
        # Collections already built once: building one again is an alias being expanded.
        self._built: set[int] = set()
        self._aliased_depth = 0
        self._aliased_values = 0
        # Set when a node could not be read at all: checking the rest would only add noise.
        self.unreadable = False

    def span_of(self, node: Node) -> SourceSpan:
        return SourceSpan(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: Node, path: NodePath, message: str) -> None:
        self.errors.append(
            ManifestError(message, span=self.span_of(node), field=field_path(path) or None)
        )

    def document(self, data: Any) -> Document:
        return Document(
            self.file,
            data,
            Positions(self.file, self.positions),
            Positions(self.file, self.key_positions),
        )

    def build(self, node: Node, path: NodePath) -> Any:
        mark = node.start_mark
        self.positions[path] = (mark.line + 1, mark.column + 1)
        if self._aliased_depth:
            self._aliased_values += 1
            if self._aliased_values > MAX_ALIASED_VALUES:
                raise _AliasBudgetExceeded(node, path)
        if isinstance(node, ScalarNode):
            # A scalar has no children, so it cannot be part of a recursive alias.
            return self._scalar(node, path)
        if id(node) in self._active:
            self.error(node, path, "recursive YAML alias")
            self.unreadable = True
            return None
        if len(path) >= MAX_DEPTH:
            self.error(node, path[:4], f"values nested more than {MAX_DEPTH} levels deep")
            self.unreadable = True
            return None
        again = id(node) in self._built
        self._built.add(id(node))
        self._aliased_depth += again
        self._active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
            assert isinstance(node, SequenceNode)
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        finally:
            self._active.discard(id(node))
            self._aliased_depth -= again

    def _scalar(self, node: ScalarNode, path: NodePath) -> Any:
        if node.tag == _STR_TAG:
            # What SafeConstructor.construct_yaml_str returns for it.
            value: Any = node.value
        else:
            value = self.loader.construct_object(node, deep=True)
            if isinstance(value, bytes):
                self.error(node, path, "binary values are not supported")
                self.unreadable = True
                return None
        if self.interpolate and isinstance(value, str) and _ENV_MARKER in value:
            return self._interpolate(node, path, value)
        return value

    def _mapping(self, node: MappingNode, path: NodePath) -> dict[str, Any]:
        seen: dict[str, Node] = {}
        merges = False
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                merges = True
                continue
            if not isinstance(key_node, ScalarNode):
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
        if merges:
            # Resolves YAML merge keys (<<: *anchor). Without one, flattening would only
            # retag '=' keys as strings, which this walk reads as text either way.
            self.loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        key_positions = self.key_positions
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, path, "mapping keys must be plain text")
                self.unreadable = True
                continue
            key = str(key_node.value)
            key_path: NodePath = (*path, key)
            mark = key_node.start_mark
            key_positions[key_path] = (mark.line + 1, mark.column + 1)
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


def parse_documents(
    file: str, text: str, *, interpolate: bool = True
) -> tuple[list[Document], list[ManifestError]]:
    """Every YAML document in ``text``; empty documents are skipped. With ``interpolate``
    off, ``${env:...}`` stays as written (files that are not manifests)."""
    errors: list[ManifestError] = []
    documents: list[Document] = []
    loader = _ManifestLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            builder = _Builder(file, loader, errors, interpolate=interpolate)
            try:
                data = builder.build(node, ())
            except _AliasBudgetExceeded as exceeded:
                builder.error(
                    exceeded.node,
                    exceeded.path,
                    f"YAML aliases expand this document to more than {MAX_ALIASED_VALUES:,} "
                    "values; write the values out, or use fewer nested aliases",
                )
                continue
            if data is not None and not builder.unreadable:
                documents.append(builder.document(data))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        span = SourceSpan(file, mark.line + 1, mark.column + 1) if mark else SourceSpan(file)
        problem = error.problem or error.context or "unreadable"
        errors.append(ManifestError(f"invalid YAML: {problem}", span=span))
    except yaml.YAMLError as error:
        errors.append(ManifestError(f"invalid YAML: {error}", span=SourceSpan(file)))
    except RecursionError:  # the pure-Python parser composes nested nodes recursively
        errors.append(ManifestError("invalid YAML: nested too deeply", span=SourceSpan(file)))
    finally:
        loader.dispose()
    return documents, errors
