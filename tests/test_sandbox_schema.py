"""The sandbox schema is a compatible subset of monday's official 2026-10 SDL."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
)
from graphql.pyutils import Undefined

from boardops.sandbox.executor import MUTATION_RESOLVERS, QUERY_RESOLVERS, sandbox_schema
from boardops.sandbox.values.registry import COLUMN_TYPES

OFFICIAL_SDL = Path(__file__).resolve().parents[2] / "shared" / "monday-schema" / "2026-10.graphql"


@pytest.fixture(scope="module")
def official() -> GraphQLSchema:
    if not OFFICIAL_SDL.exists():
        pytest.skip(f"official SDL not found at {OFFICIAL_SDL}; cannot compare the subset")
    return build_schema(OFFICIAL_SDL.read_text(encoding="utf-8"))


def own_types(schema: GraphQLSchema) -> list[str]:
    return sorted(name for name in schema.type_map if not name.startswith("__"))


def test_every_sandbox_type_exists_in_the_official_schema_with_the_same_kind(
    official: GraphQLSchema,
) -> None:
    ours = sandbox_schema()
    for name in own_types(ours):
        assert name in official.type_map, name
        assert type(ours.type_map[name]) is type(official.type_map[name]), name


def test_fields_and_arguments_have_the_official_names_and_types(official: GraphQLSchema) -> None:
    ours = sandbox_schema()
    for name in own_types(ours):
        mine, theirs = ours.type_map[name], official.type_map[name]
        if not isinstance(mine, (GraphQLObjectType, GraphQLInterfaceType)):
            continue
        assert isinstance(theirs, (GraphQLObjectType, GraphQLInterfaceType))
        for field_name, field in mine.fields.items():
            official_field = theirs.fields.get(field_name)
            assert official_field is not None, f"{name}.{field_name}"
            assert str(field.type) == str(official_field.type), f"{name}.{field_name}"
            for arg_name, arg in field.args.items():
                official_arg = official_field.args.get(arg_name)
                assert official_arg is not None, f"{name}.{field_name}({arg_name})"
                assert str(arg.type) == str(official_arg.type), f"{name}.{field_name}({arg_name})"
                assert arg.default_value == official_arg.default_value, arg_name
            for arg_name, official_arg in official_field.args.items():
                required = isinstance(official_arg.type, GraphQLNonNull)
                if required and official_arg.default_value is Undefined:
                    assert arg_name in field.args, f"{name}.{field_name} lacks {arg_name}"


def test_inputs_and_enums_match_the_official_ones_exactly(official: GraphQLSchema) -> None:
    ours = sandbox_schema()
    for name in own_types(ours):
        mine, theirs = ours.type_map[name], official.type_map[name]
        if isinstance(mine, GraphQLInputObjectType):
            assert isinstance(theirs, GraphQLInputObjectType)
            assert {k: str(v.type) for k, v in mine.fields.items()} == {
                k: str(v.type) for k, v in theirs.fields.items()
            }, name
        if isinstance(mine, GraphQLEnumType):
            assert isinstance(theirs, GraphQLEnumType)
            assert set(mine.values) == set(theirs.values), name


def test_every_root_field_has_a_resolver() -> None:
    schema = sandbox_schema()
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    assert set(schema.query_type.fields) == set(QUERY_RESOLVERS)
    assert set(schema.mutation_type.fields) == set(MUTATION_RESOLVERS)


def test_every_column_value_type_implements_column_value() -> None:
    schema = sandbox_schema()
    interface = schema.type_map["ColumnValue"]
    for type_name in [*(t.typename for t in COLUMN_TYPES.values()), "UnsupportedValue"]:
        value_type = schema.type_map[type_name]
        assert isinstance(value_type, GraphQLObjectType)
        assert interface in value_type.interfaces


def test_every_column_value_type_of_the_schema_has_exactly_one_column_type_record() -> None:
    schema = sandbox_schema()
    interface = schema.type_map["ColumnValue"]
    implementations = {
        name
        for name, value_type in schema.type_map.items()
        if isinstance(value_type, GraphQLObjectType) and interface in value_type.interfaces
    }
    typenames = [record.typename for record in COLUMN_TYPES.values()]
    assert len(typenames) == len(set(typenames))
    assert implementations == {*typenames, "UnsupportedValue"}
    assert all(name == record.name for name, record in COLUMN_TYPES.items())


def test_every_root_resolver_accepts_every_argument_the_schema_declares() -> None:
    schema = sandbox_schema()
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    for root, resolvers in (
        (schema.query_type, QUERY_RESOLVERS),
        (schema.mutation_type, MUTATION_RESOLVERS),
    ):
        for name, field in root.fields.items():
            parameters = inspect.signature(resolvers[name]).parameters
            missing = set(field.args) - set(parameters)
            assert not missing, f"{name} ignores {sorted(missing)}"
