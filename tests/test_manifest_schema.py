"""The JSON Schema of manifest format v1: shipped, valid, in step with monday's SDL, and
agreeing with the examples and the schema-level broken manifests."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from graphql import EnumTypeDefinitionNode, parse
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from boardops.cli import main
from boardops.manifest import manifest_schema, render_schema
from boardops.manifest.schema import (
    COLUMN_TYPES,
    MONDAY_COLUMN_TYPES,
    STATUS_COLORS,
    UNDECLARABLE_COLUMN_TYPES,
)
from boardops.manifest.source import parse_documents

ROOT = Path(__file__).resolve().parent.parent
SDL = ROOT.parent / "shared" / "monday-schema" / "2026-10.graphql"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
BROKEN = ROOT / "tests" / "bad_input"

# Broken manifests whose problem is one the JSON Schema itself can see (editors flag them).
SCHEMA_LEVEL_CASES = (
    "bad-board-id",
    "bad-board-kind",
    "bad-column-id",
    "bad-group-color",
    "item-name-too-long",
    "missing-board-name",
    "missing-column-type",
    "missing-version",
    "template-unsound",
    "unknown-board-key",
    "unknown-column-key",
    "unknown-column-type",
    "unknown-status-color",
    "unknown-top-level-key",
    "wrong-value-type",
    "wrong-version",
)


def documents(path: Path) -> list[Any]:
    parsed, errors = parse_documents(path.name, path.read_text(encoding="utf-8"))
    assert errors == []
    return [document.data for document in parsed]


def test_the_repository_schema_file_is_exactly_what_boardops_schema_prints() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    shipped = (ROOT / "schemas" / "boardops.schema.json").read_text(encoding="utf-8")
    assert result.output == shipped == render_schema()


def test_the_schema_is_a_valid_json_schema_2020_12_with_titles_for_editors() -> None:
    schema = manifest_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for name, definition in schema["$defs"].items():
        assert definition.get("title"), name
        assert definition.get("description"), name


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_the_schema_accepts_every_example(example: Path) -> None:
    validator = Draft202012Validator(manifest_schema())
    for document in documents(example):
        assert [error.message for error in validator.iter_errors(document)] == []


def test_every_example_points_editors_at_the_schema() -> None:
    assert len(EXAMPLES) >= 4
    for example in EXAMPLES:
        first = example.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schemas/boardops.schema.json"


@pytest.mark.parametrize("case", SCHEMA_LEVEL_CASES)
def test_the_schema_rejects_the_schema_level_broken_manifests(case: str) -> None:
    validator = Draft202012Validator(manifest_schema())
    problems = [
        error
        for document in documents(BROKEN / f"{case}.yaml")
        for error in validator.iter_errors(document)
    ]
    assert problems


def test_the_schema_accepts_manifests_whose_problems_only_semantic_checks_see() -> None:
    validator = Draft202012Validator(manifest_schema())
    for case in ("duplicate-column-id", "duplicate-status-color", "unknown-group"):
        for document in documents(BROKEN / f"{case}.yaml"):
            assert list(validator.iter_errors(document)) == []


@cache
def sdl_enums() -> dict[str, list[str]]:
    document = parse(SDL.read_text(encoding="utf-8"), no_location=True)
    return {
        definition.name.value: [value.name.value for value in definition.values or ()]
        for definition in document.definitions
        if isinstance(definition, EnumTypeDefinitionNode)
    }


def sdl_enum(name: str) -> list[str]:
    if not SDL.exists():
        pytest.skip(f"monday SDL not found at {SDL}; cannot compare enums")
    enums = sdl_enums()
    assert name in enums, f"enum {name} is not in {SDL}"
    return enums[name]


def test_column_types_are_monday_column_types_less_the_undeclarable_ones() -> None:
    assert list(MONDAY_COLUMN_TYPES) == sdl_enum("ColumnType")
    assert set(UNDECLARABLE_COLUMN_TYPES) <= set(MONDAY_COLUMN_TYPES)
    assert manifest_schema()["$defs"]["column"]["properties"]["type"]["enum"] == list(COLUMN_TYPES)


def test_status_colours_are_monday_status_colours_in_order() -> None:
    assert list(STATUS_COLORS) == sdl_enum("StatusColumnColors")
    label = manifest_schema()["$defs"]["label"]["anyOf"][1]
    assert label["properties"]["color"]["enum"] == list(STATUS_COLORS)
