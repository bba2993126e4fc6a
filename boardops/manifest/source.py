"""Reading manifest files: YAML documents as plain JSON-like data plus the file position of
every node, with duplicate keys refused and ``${env:NAME}`` references resolved.

Scalars follow JSON's reading more than YAML 1.1's: only ``true``/``false`` are booleans
(so a country code ``NO`` stays a string) and dates stay ISO strings. Only the tags of
JSON's types are read (``!!str``, ``!!int``, ``!!float``, ``!!bool``, ``!!null``, ``!!map``,
``!!seq``); any other tag, a tagged value that is not what its tag says, a number over
4,300 digits, ``.nan``/``.inf`` and characters YAML or an editor would not show as written
(control characters, a byte order mark past the start) are one error each, at their line.

The environment: ``${env:NAME}`` reads only variables ``boardops.project.allows_env``
allows (``BOARDOPS_VAR_*`` and the names a project configuration lists); ``$${`` is a
literal ``${`` (Terraform's escape). Values read are recorded (``read=``) so that
:class:`EnvRedactor` can keep them out of every error line.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from boardops.errors import ManifestError, SourceSpan

PathPart = str | int
NodePath = tuple[PathPart, ...]
Position = tuple[int, int]  # 1-based line and column

_T = TypeVar("_T")

_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
_STR_TAG = _YAML_TAG_PREFIX + "str"
_SEQUENCE_TAG = _YAML_TAG_PREFIX + "seq"
_MAPPING_TAG = _YAML_TAG_PREFIX + "map"
_MERGE_TAG = _YAML_TAG_PREFIX + "merge"
_INT_TAG = _YAML_TAG_PREFIX + "int"
_FLOAT_TAG = _YAML_TAG_PREFIX + "float"
_BOOL_TAG = _YAML_TAG_PREFIX + "bool"
_NULL_TAG = _YAML_TAG_PREFIX + "null"

# ``$${`` (a literal ``${``) or an environment reference, read left to right: so
# ``$${env:X}`` is the text ``${env:X}``.
_DOLLAR_BRACE = re.compile(r"\$\$\{|\$\{env:([^}]*)\}")
_DOLLAR_MARKER = "${"  # every match of _DOLLAR_BRACE contains it
ESCAPE = "$${"
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
        # A plain ``=`` is text (YAML 1.1's "value" key has no use in a manifest).
        if tag
        not in (
            "tag:yaml.org,2002:timestamp",
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:value",
        )
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
# Python refuses to turn an integer of more digits into text (and back); a manifest's
# numbers are ids and amounts, far shorter.
MAX_NUMBER_DIGITS = 4300
_MAX_INT = 10**MAX_NUMBER_DIGITS

# Characters a manifest may hold as written: YAML's printable set, less the byte order mark
# past the start and the line breaks YAML counts but editors do not (NEL, U+2028, U+2029),
# which would put every later line number out. Escapes (\x07) in double-quoted strings
# still write any character.
UNWRITABLE = re.compile(
    r"[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    r"\U00010000-\U0010ffff]"
)
_BYTE_ORDER_MARK = "\ufeff"

_SCALAR_WHAT = {
    _INT_TAG: "a whole number",
    _FLOAT_TAG: "a number",
    _BOOL_TAG: "true or false",
    _NULL_TAG: "null",
}
_NULL_TEXTS = frozenset({"", "~", "null", "Null", "NULL"})


def _short_tag(tag: str) -> str:
    """``tag:yaml.org,2002:int`` -> ``!!int``; local tags (``!foo``) as written."""
    if tag.startswith(_YAML_TAG_PREFIX):
        return "!!" + tag[len(_YAML_TAG_PREFIX) :]
    return tag


def _position(text: str, index: int) -> Position:
    """The 1-based line and column of ``text[index]`` (lines end at newlines)."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _unwritable_character(file: str, text: str) -> ManifestError | None:
    """The first character a manifest may not hold as written, as an error at its place."""
    start = 1 if text.startswith(_BYTE_ORDER_MARK) else 0
    found = UNWRITABLE.search(text, start)
    if found is None:
        return None
    line, column = _position(text, found.start())
    character = found.group()
    if character == _BYTE_ORDER_MARK:
        message = "a byte order mark (U+FEFF) is allowed only at the start of the file"
    else:
        code = ord(character)
        escape = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
        message = (
            f"character U+{code:04X} cannot be written as it is; write it as {escape} inside "
            "a double-quoted string"
        )
    return ManifestError(message, span=SourceSpan(file, line, column))


# What _Builder._typed answers for a scalar it reported as unreadable.
_UNREADABLE: Any = object()


class _AliasBudgetExceeded(Exception):
    def __init__(self, node: Node, path: NodePath) -> None:
        self.node = node
        self.path = path


class _Builder:
    """Turns a composed node tree into plain data, noting each node's position.

    This walk visits every node of the manifest (about a dozen per item row), so it does
    as little per node as it can: positions are int pairs, a scalar resolved (or tagged)
    as a string is taken from the node as it is (other scalars are converted by the
    constructor's functions for their tag), merge keys are flattened only where a mapping
    has one, and the interpolation pattern runs only on strings that contain ``${``.
    """

    def __init__(
        self,
        file: str,
        loader: _ManifestLoader,
        errors: list[ManifestError],
        *,
        interpolate: bool = True,
        allows: Callable[[str], bool] = lambda name: False,
        environ: Mapping[str, str] = os.environ,
        read: dict[str, str] | None = None,
    ) -> None:
        self.file = file
        self.interpolate = interpolate
        self.loader = loader
        self.errors = errors
        self.allows = allows
        self.environ = environ
        self.read: dict[str, str] = {} if read is None else read
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

    def unreadable_node(self, node: Node, path: NodePath, message: str) -> None:
        self.error(node, path, message)
        self.unreadable = True

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
            self.unreadable_node(node, path, "recursive YAML alias")
            return None
        if len(path) >= MAX_DEPTH:
            self.unreadable_node(node, path[:4], f"values nested more than {MAX_DEPTH} levels deep")
            return None
        if node.tag != (_MAPPING_TAG if isinstance(node, MappingNode) else _SEQUENCE_TAG):
            self.unreadable_node(node, path, _unsupported_tag(node.tag))
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
            value = self._typed(node, path)
            if value is _UNREADABLE:
                return None
        if self.interpolate and isinstance(value, str) and _DOLLAR_MARKER in value:
            return self._interpolate(node, path, value)
        return value

    def _typed(self, node: ScalarNode, path: NodePath, *, key: bool = False) -> Any:
        """The value of a scalar tagged (or resolved as) anything but text; ``_UNREADABLE``
        after an error when it is not what its tag says or its tag is not one of JSON's
        types. A key may be any finite or infinite number (keys are read as text)."""
        tag = node.tag
        text: str = node.value
        what = _SCALAR_WHAT.get(tag)
        if what is None:
            if tag == _MERGE_TAG:
                return text  # "<<" is a merge only as a key
            self.unreadable_node(node, path, _unsupported_tag(tag))
            return _UNREADABLE
        problem: str | None = None
        value: Any = None
        try:
            if tag == _INT_TAG:
                if len(text) > MAX_NUMBER_DIGITS:
                    problem = _too_long()
                else:
                    value = self.loader.construct_yaml_int(node)
                    if abs(value) >= _MAX_INT:
                        problem = _too_long()
            elif tag == _FLOAT_TAG:
                value = self.loader.construct_yaml_float(node)
                if not math.isfinite(value) and not key:
                    problem = f"{_quoted(text)} is not a finite number; quote it if it is text"
            elif tag == _BOOL_TAG:
                value = self.loader.construct_yaml_bool(node)
            elif text not in _NULL_TEXTS:
                raise ValueError(text)
        except (ArithmeticError, IndexError, KeyError, TypeError, ValueError, yaml.YAMLError):
            problem = f"{_quoted(text)} is not {what}, as its tag {_short_tag(tag)} says"
        if problem is not None:
            self.unreadable_node(node, path, problem)
            return _UNREADABLE
        return value

    def _key(self, node: ScalarNode, path: NodePath) -> str | None:
        """A mapping key as text (keys are never interpolated; ``$${`` is ``${`` in them
        too), or None after an error when its tag does not fit."""
        key: str = node.value
        if (
            node.tag != _STR_TAG
            and node.tag != _MERGE_TAG
            and self._typed(node, path, key=True) is _UNREADABLE
        ):
            return None
        if self.interpolate and ESCAPE in key:
            key = _DOLLAR_BRACE.sub(lambda m: "${" if m.group(1) is None else m.group(0), key)
        return key

    def _mapping(self, node: MappingNode, path: NodePath) -> dict[str, Any]:
        seen: dict[str, Node] = {}
        keys: dict[int, str | None] = {}
        merges = False
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                merges = True
                continue
            if not isinstance(key_node, ScalarNode):
                continue
            key = keys[id(key_node)] = self._key(key_node, path)
            if key is None:
                continue
            earlier = seen.get(key)
            if earlier is not None:
                self.error(
                    key_node,
                    (*path, key),
                    f"duplicate key '{key}' (first defined on line {earlier.start_mark.line + 1})",
                )
            else:
                seen[key] = key_node
        if merges:
            # Resolves YAML merge keys (<<: *anchor). Without one, flattening would only
            # retag '=' keys as strings, which this walk reads as text either way.
            self.loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        key_positions = self.key_positions
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.unreadable_node(key_node, path, "mapping keys must be plain text")
                continue
            known = keys.get(id(key_node), _UNREADABLE)
            key = self._key(key_node, path) if known is _UNREADABLE else known
            if key is None:
                continue
            key_path: NodePath = (*path, key)
            mark = key_node.start_mark
            key_positions[key_path] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, key_path)
        return result

    def _interpolate(self, node: Node, path: NodePath, text: str) -> str:
        """``${env:NAME}`` replaced by the variable's value and ``$${`` read as ``${``.

        In a template's body the escapes stay (and a value read gets its ``${`` escaped):
        template expansion fills ``${name}`` placeholders later and reads ``$${`` then.
        """
        in_template = path[:1] == ("templates",)

        def replace(match: re.Match[str]) -> str:
            reference = match.group(1)
            if reference is None:  # $${
                return match.group(0) if in_template else "${"
            value = self._read_env(node, path, reference)
            if value is None:
                return match.group(0)
            return value.replace("${", ESCAPE) if in_template else value

        return _DOLLAR_BRACE.sub(replace, text)

    def _read_env(self, node: Node, path: NodePath, reference: str) -> str | None:
        """The text ``${env:REFERENCE}`` stands for, or None after an error."""
        name, has_default, default = reference.partition(":-")
        if not _ENV_NAME.fullmatch(name):
            self.error(node, path, f"invalid environment variable name '{name}'")
            return None
        if name in SECRET_ENV_NAMES:
            self.error(node, path, f"{name} holds the monday API token and cannot be interpolated")
            return None
        if not self.allows(name):
            from boardops.project import MANIFEST_ENV_PREFIX, PROJECT_FILE_NAME

            self.error(
                node,
                path,
                f"manifests may not read the environment variable {name}: only "
                f"{MANIFEST_ENV_PREFIX}* variables and those listed under `env:` in "
                f"{PROJECT_FILE_NAME}; rename it {MANIFEST_ENV_PREFIX}{name} or list it there",
            )
            return None
        value = self.environ.get(name)
        if value is not None:
            self.read[name] = value
            return value
        if has_default:
            return default
        self.error(
            node,
            path,
            f"environment variable {name} is not set (write ${{env:{name}:-default}} to "
            "give a default)",
        )
        return None


def _too_long() -> str:
    return (
        f"a number of more than {MAX_NUMBER_DIGITS:,} digits cannot be read; quote it if it is text"
    )


def _quoted(text: str) -> str:
    """A scalar's text for an error message: JSON-quoted, cut after 60 characters."""
    shown = json.dumps(text, ensure_ascii=False)
    return shown if len(shown) <= 60 else shown[:57] + '..."'


def _unsupported_tag(tag: str) -> str:
    short = _short_tag(tag)
    if tag == "tag:yaml.org,2002:timestamp":
        return f"YAML tag {short} is not supported: write dates as text (2026-12-01)"
    if tag == "tag:yaml.org,2002:binary":
        return "binary values are not supported"
    return (
        f"YAML tag {short} is not supported: a manifest holds text, numbers, true/false, "
        "null, lists and mappings"
    )


def parse_documents(
    file: str,
    text: str,
    *,
    interpolate: bool = True,
    allowed_env: frozenset[str] = frozenset(),
    environ: Mapping[str, str] | None = None,
    read: dict[str, str] | None = None,
) -> tuple[list[Document], list[ManifestError]]:
    """Every YAML document in ``text``; empty documents are skipped.

    ``${env:NAME}`` reads ``environ`` (default: the process environment) for the names
    ``boardops.project.allows_env(name, allowed_env)`` allows, and ``read`` (when given)
    receives every variable read, by name, for :class:`EnvRedactor`. With ``interpolate``
    off, ``${env:...}`` and ``$${`` stay as written (files that are not manifests).
    """
    from boardops.project import allows_env

    errors: list[ManifestError] = []
    documents: list[Document] = []
    unwritable = _unwritable_character(file, text)
    if unwritable is not None:
        return documents, [unwritable]
    loader = _ManifestLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            builder = _Builder(
                file,
                loader,
                errors,
                interpolate=interpolate,
                allows=lambda name: allows_env(name, allowed_env),
                environ=os.environ if environ is None else environ,
                read=read,
            )
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
        errors.append(ManifestError(f"invalid YAML: {_one_line(problem)}", span=span))
    except yaml.reader.ReaderError as error:  # _unwritable_character finds these first
        line, column = _position(text, min(error.position, len(text)))
        errors.append(
            ManifestError(
                "invalid YAML: a character that cannot be read", span=SourceSpan(file, line, column)
            )
        )
    except yaml.YAMLError as error:
        errors.append(
            ManifestError(f"invalid YAML: {_one_line(str(error))}", span=SourceSpan(file))
        )
    except RecursionError:  # the pure-Python parser composes nested nodes recursively
        errors.append(ManifestError("invalid YAML: nested too deeply", span=SourceSpan(file)))
    finally:
        loader.dispose()
    return documents, errors


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- keeping values read from the environment out of error lines ---------------------------

# A value is hidden wherever any run of this many of its characters appears (in any case),
# so that a value cut short, split or turned into a key is hidden too; a shorter value is
# hidden where it stands as a word of its own.
REDACT_RUN = 6


class EnvRedactor:
    """Hides the values ``${env:NAME}`` read wherever an error line would show them.

    The one rule: an error's message, address and field never hold a run of
    ``REDACT_RUN`` or more characters of a value read from the environment (compared
    case-insensitively, also as the value's board-key slug and as it is quoted or escaped
    in messages), nor a shorter value as a word of its own; each such stretch becomes
    ``(value from ${env:NAME})``.
    """

    def __init__(self, read: Mapping[str, str]) -> None:
        from boardops.model import printable, slug

        self._runs: dict[str, str] = {}  # lower-cased run -> variable name
        words: list[tuple[re.Pattern[str], str]] = []
        for name, value in sorted(read.items()):
            for variant in {
                value,
                value.strip(),
                slug(value),
                printable(value),
                json.dumps(value, ensure_ascii=False)[1:-1],
                repr(value)[1:-1],
            }:
                folded = _fold(variant)
                if len(folded) >= REDACT_RUN:
                    for start in range(len(folded) - REDACT_RUN + 1):
                        self._runs.setdefault(folded[start : start + REDACT_RUN], name)
                elif folded.strip():
                    words.append(
                        (
                            re.compile(
                                rf"(?<![^\W_]){re.escape(variant)}(?![^\W_])", re.IGNORECASE
                            ),
                            name,
                        )
                    )
        self._words = words

    def __bool__(self) -> bool:
        return bool(self._runs or self._words)

    def __call__(self, text: str) -> str:
        """``text`` with every stretch that could show a value replaced."""
        if not self or not text:
            return text
        hidden: list[str | None] = [None] * len(text)
        folded = _fold(text)
        if len(folded) == len(text):
            for start in range(len(text) - REDACT_RUN + 1):
                name = self._runs.get(folded[start : start + REDACT_RUN])
                if name is not None:
                    for index in range(start, start + REDACT_RUN):
                        hidden[index] = hidden[index] or name
        for pattern, name in self._words:
            for match in pattern.finditer(text):
                for index in range(match.start(), match.end()):
                    hidden[index] = hidden[index] or name
        out: list[str] = []
        index = 0
        while index < len(text):
            name = hidden[index]
            if name is None:
                out.append(text[index])
                index += 1
                continue
            while index < len(text) and hidden[index] is not None:
                index += 1
            out.append(f"(value from ${{env:{name}}})")
        return "".join(out)

    def error(self, error: ManifestError) -> ManifestError:
        return error.redacted(self) if self else error


def _fold(text: str) -> str:
    """``text`` lower-cased character by character (so positions stay where they were)."""
    return "".join(lower if len(lower := ch.lower()) == 1 else ch for ch in text)
