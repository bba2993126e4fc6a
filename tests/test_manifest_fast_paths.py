"""The loader's shortcuts for large manifests give exactly what the general path gives:
tag resolution, positions kept as pairs, and item rows spared jsonschema's walk."""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from boardops.errors import SourceSpan
from boardops.manifest import schema_check, validate_paths
from boardops.manifest.schema import manifest_schema
from boardops.manifest.schema_check import SchemaChecker, compile_plain_check
from boardops.manifest.source import Positions, _ManifestLoader, parse_documents
from boardops.manifest.tree import tree_of

SCALARS = [
    "", "~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE", "false", "yes",
    "no", "on", "off", "NO", "y", "1", "-1", "+1", "0x1f", "0o7", "0b101", "1_000", "1:30",
    "1.5", ".5", "1.", "1e3", "1.0e+3", ".inf", "-.Inf", ".NaN", "2026-01-01",
    "2026-01-01T10:00:00Z", "12:30:00", "<<", "=", "!", "&", "*", "+", "-", ".", "abc",
    "B0-00001", "Task 1", "é", "٣", "nan",
]  # fmt: skip


def test_the_loader_resolves_every_node_as_pyyaml_would_with_its_resolvers() -> None:
    loader = _ManifestLoader("")
    try:
        for value, implicit in itertools.product(
            SCALARS, itertools.product((True, False), (True, False))
        ):
            assert loader.resolve(ScalarNode, value, implicit) == BaseResolver.resolve(  # type: ignore[no-untyped-call]
                loader, ScalarNode, value, implicit
            ), (value, implicit)
        for kind in (SequenceNode, MappingNode):
            assert loader.resolve(kind, None, (False, False)) == BaseResolver.resolve(  # type: ignore[no-untyped-call]
                loader, kind, None, (False, False)
            )
    finally:
        loader.dispose()


def test_scalars_read_as_before_tagged_quoted_plain_and_with_env_references(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOARDOPS_VAR_TEST_OWNER", "ana")
    text = textwrap.dedent(
        """
        plain: Task 1
        quoted: '0012'
        number: 12
        real: 1.5
        flag: true
        country: NO
        nothing: ~
        tagged: !!str 12
        counted: !!int "7"
        owner: ${env:BOARDOPS_VAR_TEST_OWNER}
        tagged_owner: !!str "by ${env:BOARDOPS_VAR_TEST_OWNER}"
        dollars: "$5 and ${not_env}"
        """
    )
    documents, errors = parse_documents("x.yaml", text)
    assert errors == []
    assert documents[0].data == {
        "plain": "Task 1",
        "quoted": "0012",
        "number": 12,
        "real": 1.5,
        "flag": True,
        "country": "NO",
        "nothing": None,
        "tagged": "12",
        "counted": 7,
        "owner": "ana",
        "tagged_owner": "by ana",
        "dollars": "$5 and ${not_env}",
    }


def test_positions_are_spans_made_on_request() -> None:
    documents, _ = parse_documents("x.yaml", "a:\n  - b: 1\n")
    marks = documents[0].marks
    assert isinstance(marks, Positions)
    assert marks[("a", 0, "b")] == SourceSpan("x.yaml", 2, 8)
    assert marks.get(("a", 0)) == SourceSpan("x.yaml", 2, 5)
    assert marks.get(("missing",)) is None
    assert ("a",) in marks
    assert ("missing",) not in marks
    assert set(marks) == {(), ("a",), ("a", 0), ("a", 0, "b")}
    assert len(marks) == 4
    assert documents[0].key_marks[("a", 0, "b")] == SourceSpan("x.yaml", 2, 5)
    with pytest.raises(KeyError):
        marks[("missing",)]


ROW_SCHEMA = manifest_schema()["$defs"]["items"]["properties"]["rows"]["items"]

ROWS: list[Any] = [
    {"name": "Task"},
    {"name": "Task", "subitems": [{"name": "Step", "values": {"Stage": "Open"}}]},
    {"name": "Task", "subitems": []},
    {"name": "Task", "subitems": [{"name": ""}]},
    {"name": "Task", "subitems": [{"values": {}}]},
    {"name": "Task", "subitems": [{"name": "Step", "group": "now"}]},
    {"name": "Task", "subitems": {"name": "Step"}},
    {"name": "Task", "group": "now", "values": {"Status": "Done", "n": 1}},
    {"name": "x" * 255},
    {"name": "x" * 256},
    {"name": ""},
    {"name": 5},
    {"name": None},
    {"name": "Task", "group": ""},
    {"name": "Task", "group": 3},
    {"name": "Task", "values": []},
    {"name": "Task", "values": "Done"},
    {"name": "Task", "valeus": {}},
    {"group": "now"},
    {},
    "Task",
    ["Task"],
    None,
    {"name": "Täsk ✓"},
]


def test_the_fast_row_check_accepts_only_rows_jsonschema_accepts() -> None:
    check = compile_plain_check(ROW_SCHEMA)
    assert check is not None, "the item row schema is no longer plain: rows lost their fast path"
    validator = Draft202012Validator(ROW_SCHEMA)
    for row in ROWS:
        assert check(row) == validator.is_valid(row), row


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "pattern": "^a$"},
        {"type": ["string", "integer"]},
        {"type": "object", "additionalProperties": {"type": "string"}},
        {"type": "object", "properties": {"a": {"enum": [1]}}},
        {"anyOf": [{"type": "string"}]},
        {"type": "array"},
    ],
)
def test_schemas_beyond_the_plain_keywords_get_no_fast_check(schema: dict[str, Any]) -> None:
    assert compile_plain_check(schema) is None


def _errors(data: Any, definition: str | None = None) -> list[tuple[Any, str]]:
    documents, _ = parse_documents("x.yaml", textwrap.dedent(data))
    root = tree_of(documents[0])
    checker = SchemaChecker(span=root.span, key_span=root.key_span)
    return [(path, str(error)) for path, error in checker.check(documents[0].data, definition)]


DOCUMENTS = [
    # every row plain, errors elsewhere
    """
    version: 1
    boards:
      - name: A
        colums: []
        items:
          match_by: [x]
          mode: sometimes
          rows:
            - {name: one}
            - {name: two, values: {x: 1}}
    templates:
      t:
        kind: secret
        items: {rows: [{name: "${n}"}]}
    """,
    # one row among plain ones is wrong: the whole list is checked as before
    """
    version: 1
    boards:
      - name: A
        items:
          rows:
            - {name: one}
            - {name: two, group: ""}
            - {nme: three}
            - {name: four, values: [1]}
      - name: B
        items: {rows: [{name: one}, {name: 5}]}
    """,
    # rows in odd places and shapes
    """
    version: 1
    boards:
      - name: A
        items: {rows: {name: one}}
      - name: B
        items: [{name: one}]
      - items: {rows: [{name: one}]}
      - 7
    templates: [1]
    """,
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_schema_errors_are_the_same_whether_plain_rows_are_skipped_or_not(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _errors(text)
    monkeypatch.setattr(schema_check, "_without_plain_rows", lambda data, definition: data)
    assert fast == _errors(text)
    assert fast  # each document has something to report


def test_an_expanded_board_is_checked_the_same_with_plain_rows_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = """
    name: A
    kind: secret
    items: {rows: [{name: one}, {name: two}], match_by: []}
    """
    fast = _errors(text, "board")
    monkeypatch.setattr(schema_check, "_without_plain_rows", lambda data, definition: data)
    assert fast == _errors(text, "board")
    assert len(fast) == 2


def test_a_value_checked_once_per_board_is_still_judged_by_its_type(tmp_path: Path) -> None:
    # 1 == 1.0 == True: a text column accepts the first and refuses the others.
    manifest = tmp_path / "board.yaml"
    manifest.write_text(
        textwrap.dedent(
            """
            version: 1
            boards:
              - name: A
                columns: [{id: ext, title: Ext, type: text}]
                items:
                  rows:
                    - {name: one, values: {ext: 1}}
                    - {name: two, values: {ext: 1}}
                    - {name: three, values: {ext: 1.0}}
                    - {name: four, values: {ext: true}}
            """
        ),
        encoding="utf-8",
    )
    state, errors = validate_paths([manifest])
    assert state is None
    assert [(error.span.line if error.span else None, error.field) for error in errors] == [
        (10, "boards[0].items.rows[2].values.ext"),
        (11, "boards[0].items.rows[3].values.ext"),
    ]
