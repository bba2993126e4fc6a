"""Checking data against the manifest JSON Schema, with errors a person can act on: each
jsonschema error becomes one ``ManifestError`` at the offending node's line, with a
did-you-mean for unknown keys and enum values."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

from boardops.errors import ManifestError, SourceSpan
from boardops.manifest.schema import PATTERN_HINTS, manifest_schema
from boardops.manifest.source import NodePath, field_path

_JSON_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """``; did you mean 'x'?`` when a choice is close to ``value``, else ``""``."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


# bool before int: a bool is an int to isinstance.
_JSON_TYPE_WORDS: tuple[tuple[type, str], ...] = (
    (bool, "true or false"),
    (int, "a whole number"),
    (float, "a number"),
    (str, "text"),
    (list, "a list"),
    (dict, "a mapping"),
)


def json_type_of(value: Any) -> str:
    return next((words for kind, words in _JSON_TYPE_WORDS if isinstance(value, kind)), "nothing")


_ANNOTATIONS = frozenset({"title", "description"})


def compile_plain_check(schema: Mapping[str, Any]) -> Callable[[Any], bool] | None:
    """A fast test that ``schema`` accepts a value, for schemas made only of ``type``
    (``object``, ``string``, or ``array`` with such ``items``), ``properties``,
    ``additionalProperties`` (true or false), ``required``, ``minLength`` and
    ``maxLength``; None for any other schema.

    The test answers True only for values the schema accepts (it applies every keyword
    with jsonschema's own reading: ``dict`` is an object, ``str`` a string, lengths in
    code points), so a True spares a full validation and a False means "validate".
    """
    keywords = set(schema) - _ANNOTATIONS
    kind = schema.get("type")
    if kind == "array" and keywords == {"type", "items"}:  # a row's ``subitems``
        element = compile_plain_check(schema["items"])
        if element is None:
            return None
        return lambda value: isinstance(value, list) and all(element(v) for v in value)
    if kind == "string" and keywords <= {"type", "minLength", "maxLength"}:
        shortest = int(schema.get("minLength", 0))
        longest = schema.get("maxLength")
        if longest is None:
            return lambda value: isinstance(value, str) and len(value) >= shortest
        limit = int(longest)
        return lambda value: isinstance(value, str) and shortest <= len(value) <= limit
    if kind != "object" or not keywords <= {
        "type",
        "properties",
        "additionalProperties",
        "required",
    }:
        return None
    others_allowed = schema.get("additionalProperties", True)
    if not isinstance(others_allowed, bool):
        return None  # a schema for the other keys
    checks: dict[str, Callable[[Any], bool]] = {}
    for name, child in schema.get("properties", {}).items():
        check = compile_plain_check(child)
        if check is None:
            return None
        checks[name] = check
    required = tuple(schema.get("required", ()))

    def accepts(value: Any) -> bool:
        if not isinstance(value, dict):
            return False
        for key in required:
            if key not in value:
                return False
        for key, child in value.items():
            check = checks.get(key)
            if check is None:
                if not others_allowed:
                    return False
            elif not check(child):
                return False
        return True

    return accepts


@cache
def _row_check() -> Callable[[Any], bool] | None:
    """The fast test for an item row (see ``_without_plain_rows``)."""
    schema = manifest_schema()["$defs"]
    for holder in ("board", "template"):
        if schema[holder]["properties"].get("items") != {"$ref": "#/$defs/items"}:
            return None
    rows = schema["items"]["properties"].get("rows", {})
    if rows.get("type") != "array" or set(rows) - _ANNOTATIONS != {"type", "items"}:
        return None
    return compile_plain_check(rows["items"])


def _without_plain_rows(data: Any, definition: str | None) -> Any:
    """``data`` with each list of item rows emptied when the fast row test accepts every
    row in it (copying only the mappings on the way; ``data`` is left as it is).

    Item rows are most of a large manifest, and jsonschema's walk over them costs about
    as much as reading the YAML. A list whose rows all pass yields no error, and an empty
    list is still an array, so validating the rest gives the same errors; a list with any
    row the fast test does not accept is validated in full, as before.
    """
    check = _row_check()
    if check is None or not isinstance(data, dict):
        return data

    def board(body: Any) -> Any:
        if not isinstance(body, dict):
            return body
        items = body.get("items")
        if not isinstance(items, dict):
            return body
        rows = items.get("rows")
        if not isinstance(rows, list) or not rows or not all(check(row) for row in rows):
            return body
        return {**body, "items": {**items, "rows": []}}

    if definition in ("board", "template"):
        return board(data)
    if definition is not None:
        return data
    pruned = dict(data)
    boards = data.get("boards")
    if isinstance(boards, list):
        pruned["boards"] = [board(entry) for entry in boards]
    templates = data.get("templates")
    if isinstance(templates, dict):
        pruned["templates"] = {name: board(body) for name, body in templates.items()}
    return pruned


@cache
def _validator(definition: str | None) -> Draft202012Validator:
    schema = manifest_schema()
    if definition is not None:
        # Validate against one $defs entry, keeping the $defs for its $refs.
        schema = {**schema["$defs"][definition], "$defs": schema["$defs"]}
    return Draft202012Validator(schema)


@dataclass(frozen=True, kw_only=True)
class SchemaChecker:
    """Validates a value (a whole document, or one ``$defs`` entry such as an expanded
    board) and turns the errors into ``ManifestError``s located through ``span`` (a value)
    and ``key_span`` (a key)."""

    span: Callable[[NodePath], SourceSpan]
    key_span: Callable[[NodePath], SourceSpan]
    prefix: NodePath = ()
    address: str | None = None

    def check(
        self, data: Any, definition: str | None = None
    ) -> list[tuple[NodePath, ManifestError]]:
        """Each problem with the path (inside ``data``) of the node jsonschema rejected."""
        errors = _validator(definition).iter_errors(_without_plain_rows(data, definition))
        found: list[tuple[NodePath, ManifestError]] = []
        for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
            path: NodePath = tuple(error.absolute_path)
            found.extend((path, translated) for translated in self._translate(error))
        return found

    def _make(self, path: NodePath, message: str, *, key: bool = False) -> ManifestError:
        full = (*self.prefix, *path)
        span: SourceSpan = self.key_span(path) if key else self.span(path)
        return ManifestError(message, span=span, address=self.address, field=field_path(full))

    def _translate(self, error: ValidationError) -> list[ManifestError]:
        path: NodePath = tuple(error.absolute_path)
        value = error.instance
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        noun = str(schema.get("title", path[-1] if path else "value")).lower()
        validator = str(error.validator)

        if validator == "additionalProperties" and isinstance(value, dict):
            known = list(schema.get("properties", {}))
            extras = [k for k in value if k not in known]
            if not known:
                return [self._make(path, f"unexpected key '{k}'") for k in extras]
            return [
                self._make((*path, k), f"unknown key '{k}'{did_you_mean(k, known)}", key=True)
                for k in extras
            ]
        if validator == "required" and isinstance(value, dict):
            missing = [k for k in error.validator_value if k not in value]
            return [self._make(path, f"missing required key '{k}'") for k in missing]
        if validator == "const" and path and path[-1] == "version":
            return [self._make(path, f"unsupported manifest version {value!r}; expected 1")]
        if validator == "enum":
            choices = [str(c) for c in error.validator_value]
            if len(choices) <= 6:
                hint = "; expected one of " + ", ".join(choices)
            else:
                hint = did_you_mean(str(value), choices)
            return [self._make(path, f"{value!r} is not a valid {noun}{hint}")]
        if validator == "type":
            expected = error.validator_value
            names = [expected] if isinstance(expected, str) else list(expected)
            wanted = " or ".join(_JSON_TYPE_NAMES.get(n, n) for n in names)
            return [self._make(path, f"{noun} must be {wanted}, not {json_type_of(value)}")]
        if validator == "pattern":
            hint = PATTERN_HINTS.get(str(error.validator_value), error.validator_value)
            return [self._make(path, f"{value!r} is not a valid {noun}: use {hint}")]
        if validator == "maxLength" and isinstance(value, str):
            return [
                self._make(
                    path,
                    f"{noun} is {len(value)} characters long; monday allows at most "
                    f"{error.validator_value}",
                )
            ]
        if validator == "minLength":
            return [self._make(path, f"{noun} must not be empty")]
        if validator == "minItems":
            return [self._make(path, f"{noun} must not be empty")]
        if validator == "minimum" and schema.get("type") == "integer":
            return [
                self._make(
                    path,
                    f"{value!r} is not a valid {noun}: use a whole number of at least "
                    f"{error.validator_value}",
                )
            ]
        if validator == "minimum":
            return [self._make(path, f"{value!r} is not a valid {noun}: use digits only")]
        if validator in ("anyOf", "oneOf"):
            return self._alternatives(error, path, noun)
        return [self._make(path, error.message)]

    def _alternatives(
        self, error: ValidationError, path: NodePath, noun: str
    ) -> list[ManifestError]:
        """Explain an anyOf failure through the branch that has the value's JSON type."""
        value = error.instance
        matching: Sequence[ValidationError] = [
            sub for sub in error.context or () if sub.validator != "type" and not sub.path
        ] + [sub for sub in error.context or () if sub.path]
        if matching:
            translated: list[ManifestError] = []
            for sub in matching:
                translated.extend(self._translate(sub))
            return translated
        wanted = sorted(
            {
                _JSON_TYPE_NAMES.get(t, t)
                for branch in error.validator_value
                for t in ([branch["type"]] if isinstance(branch["type"], str) else branch["type"])
            }
        )
        return [
            self._make(path, f"{noun} must be {' or '.join(wanted)}, not {json_type_of(value)}")
        ]
