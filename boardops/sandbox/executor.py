"""GraphQL execution: the sandbox schema, its caches and the resolver tables.

Documents are parsed and validated by graphql-core against ``schema.graphql`` (cached by
query text). Resolvers live in ``resolvers/``, one module per object kind (workspaces,
boards, folders, columns, groups, items, pages, filters, account, tags); each registers itself with
``@query``, ``@mutation`` or ``@type_field`` next to its definition, and ``sandbox_schema()``
imports the package and attaches the tables. Resolvers read and change the plain dicts of
``state.py``; a resolver that fails raises ``ApiFailure``, which graphql-core turns into an
``errors[]`` entry whose ``path`` starts with the root field's alias while the other root
fields still run (mutations run one after another, in document order).

Behaviour decisions are described where they are made: each resolver module's docstring,
``values/`` (one record per column type), ``behaviours.py`` (what depends on the
profile, ``profiles.py``); they describe the ``docs`` profile. Codes used:
``InvalidBoardIdException``, ``InvalidColumnIdException``, ``InvalidGroupIdException``,
``ResourceNotFoundException`` (items, workspaces), ``InvalidArgumentException``,
``ColumnValueException``, ``ItemNameTooLongException``, ``ItemsLimitationException``,
``DeleteLastGroupException`` (409), ``CreateBoardException``, ``CursorExpiredError``,
``InvalidColumnRevisionException``, ``JsonParseException``; validation errors use
``undefinedField`` for unknown fields.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from inspect import isawaitable
from typing import Any, TypeVar

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    build_schema,
    execute,
    parse,
    validate,
)
from graphql.execution import ExecutionContext as GraphQLExecutionContext
from graphql.pyutils import Path, Undefined

from boardops.sandbox.limits import Limits, Window
from boardops.sandbox.profiles import DOCS, Profile
from boardops.sandbox.state import StateData, next_number
from boardops.sandbox.values.registry import ValueContext

CURRENT_VERSION = "2026-10"


KNOWN_VERSIONS: Mapping[str, str] = {
    "2026-04": "maintenance",
    "2026-07": "maintenance",
    "2026-10": "current",
    "2027-01": "release_candidate",
}


_stamp: list[Any] = [None, ""]


def now_iso() -> str:
    """The current UTC time to the second (formatted once per second: seeding is hot)."""
    second = int(time.time())
    if _stamp[0] != second:
        _stamp[0] = second
        _stamp[1] = datetime.fromtimestamp(second, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    stamp: str = _stamp[1]
    return stamp


@dataclass
class Cursor:
    item_ids: list[str]
    offset: int
    expires_at: float


@dataclass
class Counters:
    """What the sandbox has served; ``reset()`` zeroes everything."""

    requests: int = 0
    mutation_requests: int = 0
    mutations: int = 0
    root_fields: dict[str, int] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)
    complexity: int = 0

    def reset(self) -> None:
        self.requests = self.mutation_requests = self.mutations = self.complexity = 0
        self.root_fields.clear()
        self.faults.clear()

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "mutation_requests": self.mutation_requests,
            "mutations": self.mutations,
            "root_fields": dict(sorted(self.root_fields.items())),
            "faults": dict(sorted(self.faults.items())),
            "complexity": self.complexity,
        }


@dataclass
class ExecutionContext:
    """Per-request context handed to every resolver."""

    data: StateData
    limits: Limits
    clock: Callable[[], float]
    cursors: dict[str, Cursor]
    counters: Counters
    create_board_window: Window
    complexity_before: int
    complexity_cost: int
    complexity_reset_in: int
    api_version: str
    profile: Profile = DOCS
    # (item id, column id) -> (stored value, its JSON text); kept by the sandbox across
    # requests. Stored values are replaced, never changed in place, so identity is enough.
    encoded_values: dict[tuple[str, str], tuple[Any, str]] = field(default_factory=dict)
    dirty: bool = False
    _reading_context: ValueContext | None = None

    def reading_context(self) -> ValueContext:
        """A ValueContext for rendering text, built once per request."""
        if self._reading_context is None:
            self._reading_context = ValueContext(
                self.users_by_id(), self.tags_by_id(), profile=self.profile
            )
        return self._reading_context

    def encode_value(self, item_id: str, column_id: str, stored: Any) -> str:
        key = (item_id, column_id)
        hit = self.encoded_values.get(key)
        if hit is not None and hit[0] is stored:
            return hit[1]
        encoded = json.dumps(stored)
        if len(self.encoded_values) > 2_000_000:
            self.encoded_values.clear()
        self.encoded_values[key] = (stored, encoded)
        return encoded

    def users_by_id(self) -> dict[str, str]:
        return {u["id"]: u["name"] for u in self.data["users"]}

    def tags_by_id(self) -> dict[str, str]:
        return {t["id"]: t["name"] for t in self.data["tags"].values()}

    def value_context(self, create_labels: bool = False) -> ValueContext:
        return ValueContext(
            self.users_by_id(),
            self.tags_by_id(),
            create_labels_if_missing=create_labels,
            on_settings_changed=self.bump_revision,
            profile=self.profile,
        )

    def bump_revision(self, column: dict[str, Any]) -> None:
        column["revision"] = new_revision(self.data)


def new_revision(data: StateData) -> str:
    number = next_number(data, "revision")
    return hashlib.sha1(f"revision-{number}".encode()).hexdigest()[:16]


# --- schema -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def sandbox_schema() -> GraphQLSchema:
    sdl = resources.files("boardops.sandbox").joinpath("schema.graphql").read_text("utf-8")
    schema = build_schema(sdl)
    _attach_resolvers(schema)
    return schema


@functools.lru_cache(maxsize=512)
def _parsed(query: str) -> DocumentNode | GraphQLError:
    try:
        return parse(query)
    except GraphQLError as error:
        return error


@functools.lru_cache(maxsize=512)
def _validation_errors(query: str) -> tuple[GraphQLError, ...]:
    document = _parsed(query)
    assert isinstance(document, DocumentNode), "validated only once parsed"
    return tuple(validate(sandbox_schema(), document))


def parse_and_validate(
    query: str, before_validation: Callable[[DocumentNode], None] | None = None
) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    """The parsed document, or the syntax or validation errors; ``before_validation``
    sees the parsed document first, on every call (the sandbox's shape and cost caps raise
    there; the cost depends on the variables). Parsing and validating are cached by text."""
    document = _parsed(query)
    if isinstance(document, GraphQLError):
        return None, (document,)
    if before_validation is not None:
        before_validation(document)
    errors = _validation_errors(query)
    return (None, errors) if errors else (document, ())


class _LeanExecutionContext(GraphQLExecutionContext):
    """graphql-core execution with a shortcut for plain leaf fields of dict records.

    A field without a resolver whose type is a scalar or an enum is read straight from the
    record and serialised, instead of going through graphql-core's full per-field
    machinery; this makes reading 500-item pages several times cheaper. Anything else
    (resolvers, arguments' effects, nulls in non-null fields, errors) takes the normal path.
    """

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: dict[str, list[FieldNode]],
    ) -> Any:
        if not isinstance(source_value, dict):
            return super().execute_fields(parent_type, source_value, path, fields)
        return self._execute_record(parent_type, source_value, path, None, fields)

    def _execute_record(
        self,
        parent_type: GraphQLObjectType,
        record: dict[str, Any],
        parent_path: Path | None,
        index: int | None,
        fields: dict[str, list[FieldNode]],
    ) -> dict[str, Any]:
        """``execute_fields`` for a dict record; its path (``parent_path`` plus ``index``
        when it is a list element) is only built when a field needs the full machinery."""
        plan = _leaf_plan(parent_type)
        results: dict[str, Any] = {}
        path = parent_path
        path_pending = index is not None
        for response_name, field_nodes in fields.items():
            name = field_nodes[0].name.value
            leaf = plan.get(name)
            if leaf is not None:
                value = record.get(name)
                if value is not None:
                    try:
                        results[response_name] = leaf[0](value)
                        continue
                    except (GraphQLError, TypeError, ValueError):
                        pass
                elif not leaf[1]:
                    results[response_name] = None
                    continue
            elif name == "__typename":
                results[response_name] = parent_type.name
                continue
            if path_pending:
                assert parent_path is not None
                assert index is not None
                path = parent_path.add_key(index)
                path_pending = False
            result = self.execute_field(
                parent_type, record, field_nodes, Path(path, response_name, parent_type.name)
            )
            if result is not Undefined:
                results[response_name] = result
        return results

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_nodes: list[FieldNode],
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
    ) -> Any:
        """Lists of records (items, column values) skip graphql-core's per-element checks."""
        item_type = return_type.of_type
        inner = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if not isinstance(result, list) or not isinstance(
            inner, (GraphQLObjectType, GraphQLInterfaceType)
        ):
            return super().complete_list_value(return_type, field_nodes, info, path, result)
        if not all(isinstance(entry, dict) for entry in result):
            return super().complete_list_value(return_type, field_nodes, info, path, result)
        completed = []
        get_type = self.schema.get_type
        collect = self.collect_subfields
        for index, entry in enumerate(result):
            runtime = inner
            if isinstance(inner, GraphQLInterfaceType):
                found = get_type(entry["__typename"])
                assert isinstance(found, GraphQLObjectType)
                runtime = found
            assert isinstance(runtime, GraphQLObjectType)
            fields = collect(runtime, field_nodes)
            completed.append(self._execute_record(runtime, entry, path, index, fields))
        return completed


_LEAF_PLANS: dict[str, dict[str, tuple[Callable[[Any], Any], bool]]] = {}


def _leaf_plan(parent_type: GraphQLObjectType) -> dict[str, tuple[Callable[[Any], Any], bool]]:
    plan = _LEAF_PLANS.get(parent_type.name)
    if plan is None:
        plan = {}
        for name, definition in parent_type.fields.items():
            field_type = definition.type
            non_null = isinstance(field_type, GraphQLNonNull)
            inner = field_type.of_type if non_null else field_type
            if definition.resolve is None and isinstance(
                inner, (GraphQLScalarType, GraphQLEnumType)
            ):
                plan[name] = (inner.serialize, non_null)
        _LEAF_PLANS[parent_type.name] = plan
    return plan


def run(
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    context: ExecutionContext,
    *,
    lean: bool = True,
) -> ExecutionResult:
    """Execute a validated document; ``lean=False`` uses graphql-core's plain executor."""
    result = execute(
        sandbox_schema(),
        document,
        context_value=context,
        variable_values=dict(variables or {}),
        operation_name=operation_name,
        execution_context_class=_LeanExecutionContext if lean else None,
    )
    # graphql-core returns an awaitable only when a resolver is async; ours never are.
    assert not isawaitable(result)
    return result


# --- resolver tables -------------------------------------------------------------------------

Resolver = Callable[..., Any]
R = TypeVar("R", bound=Resolver)

# Filled by the decorators below as the modules of ``resolvers/`` are imported.
QUERY_RESOLVERS: dict[str, Resolver] = {}
MUTATION_RESOLVERS: dict[str, Resolver] = {}
TYPE_RESOLVERS: dict[str, dict[str, Resolver]] = {}


def _register(table: dict[str, Resolver], name: str, resolver: Resolver) -> None:
    if name in table:
        raise ValueError(f"{name} has two resolvers")
    table[name] = resolver


def query(resolver: R) -> R:
    """Registers ``q_NAME(ctx, **args)`` as the resolver of the root query field NAME."""
    _register(QUERY_RESOLVERS, resolver.__name__.removeprefix("q_"), resolver)
    return resolver


def mutation(resolver: R) -> R:
    """Registers ``m_NAME(ctx, **args)`` as the resolver of the root mutation field NAME."""
    _register(MUTATION_RESOLVERS, resolver.__name__.removeprefix("m_"), resolver)
    return resolver


def mutations(**resolvers: Resolver) -> None:
    """Registers resolvers made by a factory as the root mutation fields they are named by."""
    for name, resolver in resolvers.items():
        _register(MUTATION_RESOLVERS, name, resolver)


def type_field(type_name: str, field_name: str) -> Callable[[R], R]:
    """Registers ``resolver(record, info, **args)`` for ``type_name.field_name``."""

    def register(resolver: R) -> R:
        _register(TYPE_RESOLVERS.setdefault(type_name, {}), field_name, resolver)
        return resolver

    return register


def type_fields(type_name: str, **resolvers: Resolver) -> None:
    """Registers several small field resolvers of ``type_name`` at once."""
    for field_name, resolver in resolvers.items():
        type_field(type_name, field_name)(resolver)


def _attach_resolvers(schema: GraphQLSchema) -> None:
    importlib.import_module("boardops.sandbox.resolvers")  # its modules register themselves
    query_type = schema.query_type
    mutation_type = schema.mutation_type
    assert query_type is not None
    assert mutation_type is not None
    for name, resolver in QUERY_RESOLVERS.items():
        query_type.fields[name].resolve = _counted(name, resolver, is_mutation=False)
    for name, resolver in MUTATION_RESOLVERS.items():
        mutation_type.fields[name].resolve = _counted(name, resolver, is_mutation=True)
    for type_name, resolvers in TYPE_RESOLVERS.items():
        object_type = schema.get_type(type_name)
        assert isinstance(object_type, GraphQLObjectType)
        for field_name, resolver in resolvers.items():
            object_type.fields[field_name].resolve = resolver
    column_value = schema.get_type("ColumnValue")
    assert isinstance(column_value, GraphQLInterfaceType)
    column_value.resolve_type = lambda value, _info, _type: value["__typename"]


def _counted(name: str, resolver: Resolver, *, is_mutation: bool) -> Resolver:
    def counted(root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        ctx: ExecutionContext = info.context
        ctx.counters.root_fields[name] = ctx.counters.root_fields.get(name, 0) + 1
        if is_mutation:
            ctx.counters.mutations += 1
            if name != "complexity":
                ctx.dirty = True
        return resolver(ctx, **args)

    return counted
