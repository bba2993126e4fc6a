"""GraphQL execution: the sandbox schema with resolvers over ``StateData``.

Documents are parsed and validated by graphql-core against ``schema.graphql`` (cached by
query text). Resolvers read and change the plain dicts of ``state.py``; a resolver that
fails raises ``ApiFailure``, which graphql-core turns into an ``errors[]`` entry whose
``path`` starts with the root field's alias while the other root fields still run
(mutations run one after another, in document order).

Behaviour decisions worth knowing (see also ``values.py``):

* ``create_board`` creates the mandatory ``name`` column and monday's default group
  ("Group Title", id ``topics``). ``empty: true`` makes no difference: the sandbox never
  adds sample items or extra columns, and a board cannot exist without a group.
* New items go to the bottom of their group; new groups go to the top of the board unless
  ``relative_to``/``position`` say otherwise. ``Group.position`` is a decimal string that
  sorts in board order.
* ``update_*_column`` with a stale ``revision`` fails with ``InvalidColumnRevisionException``
  (status_code 409, ``error_data.current_revision``); every column change makes a new
  revision.
* An expired or unknown ``items_page`` cursor fails with ``CursorExpiredError`` (400).
* ``update_board`` returns a JSON-encoded string (``{"success": true, ...}``).
* Column ``capabilities`` are accepted and ignored: the sandbox has no multi-level boards.
  Users, teams, board membership and tags live in ``members.py``; behaviour that depends
  on the profile (``profiles.py``) in ``behaviours.py``; this docstring describes the
  ``docs`` profile.
* ``create_board`` beyond its per-minute limit fails that field (HTTP 200) with
  ``FIELD_LIMIT_EXCEEDED``, status_code 429 and ``retry_in_seconds``.
* Codes used: ``InvalidBoardIdException``, ``InvalidColumnIdException``,
  ``InvalidGroupIdException``, ``ResourceNotFoundException`` (items, workspaces),
  ``InvalidArgumentException``, ``ColumnValueException``, ``ItemNameTooLongException``,
  ``ItemsLimitationException``, ``DeleteLastGroupException`` (409), ``CreateBoardException``,
  ``JsonParseException``; validation errors use ``undefinedField`` for unknown fields.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from inspect import isawaitable
from typing import Any

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

from boardops.model import STATUS_COLOR_IDS
from boardops.sandbox import behaviours
from boardops.sandbox.failures import ApiFailure, invalid_argument, not_found
from boardops.sandbox.limits import Limits, Window
from boardops.sandbox.profiles import DOCS, Profile
from boardops.sandbox.state import ALICE_ID, StateData, next_id, next_number, ordered_item_ids
from boardops.sandbox.values import (
    EMPTY_STATUS_LABEL_ID,
    ValueContext,
    check_status_labels,
    dropdown_settings_from_input,
    initial_settings,
    legacy_settings,
    next_dropdown_id,
    status_label,
    value_text,
)

CURRENT_VERSION = "2026-10"
KNOWN_VERSIONS: Mapping[str, str] = {
    "2026-04": "maintenance",
    "2026-07": "maintenance",
    "2026-10": "current",
    "2027-01": "release_candidate",
}
POSITION_STEP = 65536.0
_COLUMN_ID = re.compile(r"^[a-z_]{1,20}$")

VALUE_TYPENAMES: Mapping[str, str] = {
    "text": "TextValue",
    "long_text": "LongTextValue",
    "numbers": "NumbersValue",
    "status": "StatusValue",
    "dropdown": "DropdownValue",
    "date": "DateValue",
    "people": "PeopleValue",
    "email": "EmailValue",
    "link": "LinkValue",
    "phone": "PhoneValue",
    "checkbox": "CheckboxValue",
    "timeline": "TimelineValue",
    "rating": "RatingValue",
    "tags": "TagsValue",
    "country": "CountryValue",
    "hour": "HourValue",
    "week": "WeekValue",
    "world_clock": "WorldClockValue",
    "location": "LocationValue",
    "color_picker": "ColorPickerValue",
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
        column["revision"] = _revision(self.data)


def _revision(data: StateData) -> str:
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


def _attach_resolvers(schema: GraphQLSchema) -> None:
    from boardops.sandbox import members  # it builds on this module

    QUERY_RESOLVERS.update(members.QUERY_RESOLVERS)
    MUTATION_RESOLVERS.update(members.MUTATION_RESOLVERS)
    for table in (members.TYPE_RESOLVERS, behaviours.TYPE_RESOLVERS):
        for type_name, resolvers in table.items():
            TYPE_RESOLVERS.setdefault(type_name, {}).update(resolvers)
    query = schema.query_type
    mutation = schema.mutation_type
    assert query is not None
    assert mutation is not None
    for name, resolver in QUERY_RESOLVERS.items():
        query.fields[name].resolve = _counted(name, resolver, is_mutation=False)
    for name, resolver in MUTATION_RESOLVERS.items():
        mutation.fields[name].resolve = _counted(name, resolver, is_mutation=True)
    for type_name, resolvers in TYPE_RESOLVERS.items():
        object_type = schema.get_type(type_name)
        assert isinstance(object_type, GraphQLObjectType)
        for field_name, resolver in resolvers.items():
            object_type.fields[field_name].resolve = resolver
    column_value = schema.get_type("ColumnValue")
    assert isinstance(column_value, GraphQLInterfaceType)
    column_value.resolve_type = lambda value, _info, _type: value["__typename"]


Resolver = Callable[..., Any]


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


# --- lookups -------------------------------------------------------------------------------


def _board(ctx: ExecutionContext, board_id: Any, *, allow_inactive: bool = False) -> dict[str, Any]:
    board: dict[str, Any] | None = ctx.data["boards"].get(str(board_id))
    if board is None or (board["state"] == "deleted" and not allow_inactive):
        raise ApiFailure(
            "InvalidBoardIdException",
            f"Board {board_id} not found",
            status_code=404,
            error_data={"board_id": str(board_id)},
        )
    return board


def _column(board: Mapping[str, Any], column_id: Any) -> dict[str, Any]:
    for column in board["columns"]:
        if column["id"] == str(column_id) and not column.get("archived"):
            return column  # type: ignore[no-any-return]
    raise ApiFailure(
        "InvalidColumnIdException",
        f"This column ID doesn't exist for the board: {column_id}",
        error_data={"column_id": str(column_id), "board_id": board["id"]},
    )


def _visible_groups(board: Mapping[str, Any]) -> list[dict[str, Any]]:
    groups = [g for g in board["groups"] if not g["archived"] and not g["deleted"]]
    return sorted(groups, key=lambda g: g["position"])


def _group(board: Mapping[str, Any], group_id: Any) -> dict[str, Any]:
    for group in board["groups"]:
        if group["id"] == str(group_id) and not group["deleted"] and not group["archived"]:
            return group  # type: ignore[no-any-return]
    raise ApiFailure(
        "InvalidGroupIdException",
        f"Group {group_id} not found on board {board['id']}",
        status_code=404,
        error_data={"group_id": str(group_id), "board_id": board["id"]},
    )


def _item(ctx: ExecutionContext, item_id: Any, board_id: Any = None) -> dict[str, Any]:
    if item_id is None:
        raise invalid_argument("item_id is required")
    item: dict[str, Any] | None = ctx.data["items"].get(str(item_id))
    if item is None or item["state"] == "deleted":
        raise not_found(f"Item {item_id} not found", item_id=str(item_id))
    if board_id is not None and item["board_id"] != str(board_id):
        raise not_found(f"Item {item_id} is not on board {board_id}", item_id=str(item_id))
    return item


def _alice(ctx: ExecutionContext) -> dict[str, Any]:
    return _user_view(ctx, next(u for u in ctx.data["users"] if u["id"] == ALICE_ID))


def _user_view(ctx: ExecutionContext, user: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **user,
        "title": "",
        "url": f"https://sandbox.monday.com/users/{user['id']}",
        "is_deleted": False,
        "account_id": str(ctx.data["account_id"]),
    }


def _page(values: list[Any], limit: int | None, page: int | None) -> list[Any]:
    size = 25 if limit is None else max(limit, 0)
    number = max(page or 1, 1)
    return values[(number - 1) * size : number * size]


def _touch(board: dict[str, Any]) -> None:
    board["updated_at"] = now_iso()


# --- queries -------------------------------------------------------------------------------


def q_boards(
    ctx: ExecutionContext,
    ids: list[str] | None = None,
    limit: int = 25,
    page: int = 1,
    state: str = "active",
    workspace_ids: list[str | None] | None = None,
    board_kind: str | None = None,
    order_by: str | None = None,
) -> list[dict[str, Any]]:
    boards = list(ctx.data["boards"].values())
    if ids is not None:
        wanted = {str(i) for i in ids}
        boards = [b for b in boards if b["id"] in wanted]
    if state != "all":
        boards = [b for b in boards if b["state"] == state]
    if workspace_ids is not None:
        spaces = {None if w is None else str(w) for w in workspace_ids}
        boards = [b for b in boards if b["workspace_id"] in spaces]
    if board_kind is not None:
        boards = [b for b in boards if b["board_kind"] == board_kind]
    if order_by is not None:
        boards.reverse()
    return _page(boards, limit, page)


def q_workspaces(
    ctx: ExecutionContext,
    ids: list[str] | None = None,
    kind: str | None = None,
    limit: int = 25,
    page: int = 1,
    state: str = "active",
) -> list[dict[str, Any]]:
    spaces = list(ctx.data["workspaces"].values())
    if ids is not None:
        wanted = {str(i) for i in ids}
        spaces = [w for w in spaces if w["id"] in wanted]
    if kind is not None:
        spaces = [w for w in spaces if w["kind"] == kind]
    if state != "all":
        spaces = [w for w in spaces if w["state"] == state]
    return _page(spaces, limit, page)


def q_items(
    ctx: ExecutionContext,
    ids: list[str] | None = None,
    limit: int = 25,
    page: int = 1,
    exclude_nonactive: bool | None = None,
    newest_first: bool | None = None,
) -> list[dict[str, Any]]:
    maximum = ctx.limits.max_root_item_ids
    if ids is not None and len(ids) > maximum:
        raise invalid_argument(
            f"You cannot return more than {maximum} items per query when using items at the root",
            ids=len(ids),
        )
    items = ctx.data["items"]
    if ids is not None:
        found = [items[str(i)] for i in dict.fromkeys(ids) if str(i) in items]
    else:
        found = _page(list(items.values()), min(limit, maximum), page)
    if exclude_nonactive:
        found = [i for i in found if i["state"] == "active"]
    if newest_first:
        found.sort(key=lambda i: int(i["id"]), reverse=True)
    return found


def q_next_items_page(ctx: ExecutionContext, cursor: str, limit: int = 25) -> dict[str, Any]:
    _check_page_limit(ctx, limit)
    entry = ctx.cursors.get(cursor)
    if entry is None or entry.expires_at <= ctx.clock():
        ctx.cursors.pop(cursor, None)
        raise ApiFailure(
            "CursorExpiredError",
            "The cursor is invalid or has expired; start again with items_page",
            error_data={"cursor": cursor},
        )
    return _serve_page(ctx, cursor, entry, limit)


def q_me(ctx: ExecutionContext) -> dict[str, Any]:
    return _alice(ctx)


def q_complexity(ctx: ExecutionContext) -> dict[str, Any]:
    return {
        "before": ctx.complexity_before,
        "query": ctx.complexity_cost,
        "after": ctx.complexity_before - ctx.complexity_cost,
        "reset_in_x_seconds": ctx.complexity_reset_in,
    }


def q_version(ctx: ExecutionContext) -> dict[str, Any]:
    kind = KNOWN_VERSIONS.get(ctx.api_version, "current")
    value = ctx.api_version if ctx.api_version in KNOWN_VERSIONS else CURRENT_VERSION
    return {"display_name": value, "kind": kind, "value": value}


QUERY_RESOLVERS: dict[str, Resolver] = {
    "boards": q_boards,
    "workspaces": q_workspaces,
    "items": q_items,
    "next_items_page": q_next_items_page,
    "me": q_me,
    "complexity": q_complexity,
    "version": q_version,
}


# --- items_page ----------------------------------------------------------------------------


def _check_page_limit(ctx: ExecutionContext, limit: int) -> None:
    if limit < 1 or limit > ctx.limits.max_page_limit:
        raise invalid_argument(
            f"limit must be between 1 and {ctx.limits.max_page_limit}", limit=limit
        )


def _items_page(
    ctx: ExecutionContext,
    board: dict[str, Any],
    group_id: str | None,
    cursor: str | None,
    limit: int,
    query_params: Mapping[str, Any] | None,
) -> dict[str, Any]:
    _check_page_limit(ctx, limit)
    if cursor is not None:
        if query_params is not None:
            raise invalid_argument("You can't use query_params and cursor in the same request")
        return q_next_items_page(ctx, cursor, limit)
    items = ctx.data["items"]
    ids = [
        item_id
        for item_id in ordered_item_ids(board, items)
        if items[item_id]["state"] == "active"
        and (group_id is None or items[item_id]["group_id"] == group_id)
    ]
    if query_params is not None:
        ids = _filter_items(ctx, board, ids, query_params)
    token = secrets.token_urlsafe(24)
    entry = Cursor(ids, 0, ctx.clock() + ctx.limits.cursor_lifetime_seconds)
    _forget_stale_cursors(ctx)
    ctx.cursors[token] = entry
    return _serve_page(ctx, token, entry, limit)


def _forget_stale_cursors(ctx: ExecutionContext) -> None:
    now = ctx.clock()
    if len(ctx.cursors) > 256:
        for token in [t for t, c in ctx.cursors.items() if c.expires_at <= now]:
            del ctx.cursors[token]
        while len(ctx.cursors) > 2048:
            del ctx.cursors[next(iter(ctx.cursors))]


def _serve_page(ctx: ExecutionContext, token: str, entry: Cursor, limit: int) -> dict[str, Any]:
    items = ctx.data["items"]
    page: list[dict[str, Any]] = []
    position = entry.offset
    while position < len(entry.item_ids) and len(page) < limit:
        item = items.get(entry.item_ids[position])
        position += 1
        if item is not None and item["state"] == "active":
            page.append(item)
    entry.offset = position
    if position >= len(entry.item_ids):
        ctx.cursors.pop(token, None)
        return {"cursor": None, "items": page}
    return {"cursor": token, "items": page}


def _filter_items(
    ctx: ExecutionContext, board: Mapping[str, Any], ids: list[str], params: Mapping[str, Any]
) -> list[str]:
    items = ctx.data["items"]
    wanted_ids = params.get("ids")
    if wanted_ids is not None:
        if len(wanted_ids) > 100:
            raise invalid_argument("query_params.ids is limited to 100 ids")
        allowed = {str(i) for i in wanted_ids}
        ids = [i for i in ids if i in allowed]
    columns = {c["id"]: c for c in board["columns"] if not c.get("archived")}
    value_ctx = ctx.value_context()
    predicate = _rule_group(params, columns, value_ctx)
    selected = [i for i in ids if predicate(items[i])]
    for order in reversed(params.get("order_by") or []):
        column_id = order["column_id"]
        column = columns.get(column_id)
        if column is None:
            raise _unknown_rule_column(column_id)

        def key(item_id: str, column: dict[str, Any] = column) -> tuple[int, Any]:
            value = _comparable(items[item_id], column, value_ctx)
            return (0, value) if value is not None else (1, "")

        selected.sort(key=key, reverse=order.get("direction", "asc") == "desc")
    return selected


def _unknown_rule_column(column_id: str) -> ApiFailure:
    return ApiFailure(
        "InvalidColumnIdException",
        f"This column ID doesn't exist for the board: {column_id}",
        error_data={"column_id": column_id},
    )


Predicate = Callable[[Mapping[str, Any]], bool]


def _rule_group(
    params: Mapping[str, Any], columns: Mapping[str, dict[str, Any]], value_ctx: ValueContext
) -> Predicate:
    parts: list[Predicate] = [_rule(r, columns, value_ctx) for r in params.get("rules") or []]
    parts += [_rule_group(g, columns, value_ctx) for g in params.get("groups") or []]
    if not parts:
        return lambda _item: True
    if params.get("operator", "and") == "or":
        return lambda item: any(p(item) for p in parts)
    return lambda item: all(p(item) for p in parts)


def _comparable(item: Mapping[str, Any], column: Mapping[str, Any], value_ctx: ValueContext) -> Any:
    """The value rules compare: a number, label id(s), or text; None when empty."""
    if column["type"] == "name":
        return item["name"]
    stored = item["values"].get(column["id"])
    if stored is None:
        return None
    kind = column["type"]
    if kind == "numbers":
        return float(stored)
    if kind == "status":
        return stored["index"]
    if kind == "dropdown":
        return list(stored["ids"])
    if kind == "people":
        return [p["id"] for p in stored["personsAndTeams"]]
    if kind == "email":
        return behaviours.email_filter_value(stored, value_ctx)
    if kind == "date":
        return stored["date"]
    if kind == "checkbox":
        return True
    if kind == "rating":
        return stored["rating"]
    return value_text(column, stored, value_ctx)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _rule(
    rule: Mapping[str, Any], columns: Mapping[str, dict[str, Any]], value_ctx: ValueContext
) -> Predicate:
    column_id = str(rule["column_id"])
    column = columns.get(column_id)
    if column is None:
        raise _unknown_rule_column(column_id)
    operator = rule.get("operator") or "any_of"
    compare = _as_list(rule.get("compare_value"))
    kind = column["type"]

    def normalise(value: Any) -> Any:
        if kind in ("numbers", "rating"):
            try:
                return float(value)
            except (TypeError, ValueError):
                raise invalid_argument(f"compare_value {value!r} is not a number") from None
        if kind in ("status", "dropdown", "people"):
            text = str(value)
            if text.startswith("person-"):
                text = text[len("person-") :]
            try:
                return int(text)
            except ValueError:
                raise invalid_argument(f"compare_value {value!r} is not an id") from None
        return str(value)

    def current(item: Mapping[str, Any]) -> Any:
        value = _comparable(item, column, value_ctx)
        if kind == "rating" and value is not None:
            return float(value)
        return value

    if operator in ("is_empty", "is_not_empty"):
        empty_wanted = operator == "is_empty"
        return lambda item: (current(item) in (None, "", [])) == empty_wanted
    if operator in ("any_of", "not_any_of"):
        targets = [normalise(v) for v in compare]
        negate = operator == "not_any_of"

        def any_of(item: Mapping[str, Any]) -> bool:
            value = current(item)
            if kind == "status" and value is None:
                value = EMPTY_STATUS_LABEL_ID
            if isinstance(value, list):
                hit = any(v in targets for v in value) or (not value and "" in targets)
            elif value is None:
                hit = "" in targets
            elif kind in ("text", "long_text", "email", "link", "name", "phone"):
                hit = str(value).lower() in {str(t).lower() for t in targets}
            else:
                hit = value in targets
            return hit != negate

        return any_of
    if operator in ("contains_text", "not_contains_text", "starts_with", "ends_with"):
        needle = str(compare[0]).lower() if compare else ""

        def text_rule(item: Mapping[str, Any]) -> bool:
            value = current(item)
            haystack = "" if value is None else str(_text_of(item, column, value_ctx)).lower()
            if operator == "contains_text":
                return needle in haystack
            if operator == "not_contains_text":
                return needle not in haystack
            if operator == "starts_with":
                return haystack.startswith(needle)
            return haystack.endswith(needle)

        return text_rule
    if operator == "contains_terms":
        terms = [str(t).lower() for t in compare for t in str(t).split()]
        return lambda item: all(
            term in str(_text_of(item, column, value_ctx)).lower() for term in terms
        )
    comparisons: dict[str, Callable[[Any, Any], bool]] = {
        "greater_than": lambda a, b: a > b,
        "greater_than_or_equals": lambda a, b: a >= b,
        "lower_than": lambda a, b: a < b,
        "lower_than_or_equal": lambda a, b: a <= b,
    }
    if operator in comparisons:
        if not compare:
            raise invalid_argument(f"{operator} needs a compare_value")
        target = normalise(compare[0])
        compare_fn = comparisons[operator]

        def ordered(item: Mapping[str, Any]) -> bool:
            value = current(item)
            return value is not None and not isinstance(value, list) and compare_fn(value, target)

        return ordered
    if operator == "between":
        if len(compare) != 2:
            raise invalid_argument("between needs exactly two compare values")
        low, high = normalise(compare[0]), normalise(compare[1])

        def between(item: Mapping[str, Any]) -> bool:
            value = current(item)
            return value is not None and not isinstance(value, list) and low <= value <= high

        return between
    raise invalid_argument(f"The sandbox does not support the {operator} operator")


def _text_of(item: Mapping[str, Any], column: Mapping[str, Any], value_ctx: ValueContext) -> str:
    if column["type"] == "name":
        return str(item["name"])
    return value_text(column, item["values"].get(column["id"]), value_ctx)


# --- object fields -------------------------------------------------------------------------


def _ctx(info: GraphQLResolveInfo) -> ExecutionContext:
    context: ExecutionContext = info.context
    return context


def board_columns(
    board: Mapping[str, Any],
    info: GraphQLResolveInfo,
    ids: list[str | None] | None = None,
    types: list[str] | None = None,
) -> list[dict[str, Any]]:
    columns = [c for c in board["columns"] if not c.get("archived")]
    if ids is not None:
        wanted = {str(i) for i in ids if i is not None}
        columns = [c for c in columns if c["id"] in wanted]
    if types is not None:
        columns = [c for c in columns if c["type"] in types]
    return columns


def board_groups(
    board: Mapping[str, Any], info: GraphQLResolveInfo, ids: list[str | None] | None = None
) -> list[dict[str, Any]]:
    groups = _visible_groups(board)
    if ids is not None:
        wanted = {str(i) for i in ids if i is not None}
        groups = [g for g in groups if g["id"] in wanted]
    return [_group_view(board, g) for g in groups]


def _group_view(board: Mapping[str, Any], group: dict[str, Any]) -> dict[str, Any]:
    return {**group, "position": f"{group['position']:.3f}", "_board_id": board["id"]}


def board_items_page(
    board: dict[str, Any],
    info: GraphQLResolveInfo,
    limit: int = 25,
    cursor: str | None = None,
    query_params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return _items_page(_ctx(info), board, None, cursor, limit, query_params)


def group_items_page(
    group: Mapping[str, Any],
    info: GraphQLResolveInfo,
    limit: int = 25,
    cursor: str | None = None,
    query_params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    ctx = _ctx(info)
    board = ctx.data["boards"][group["_board_id"]]
    return _items_page(ctx, board, group["id"], cursor, limit, query_params)


def board_items_count(board: Mapping[str, Any], info: GraphQLResolveInfo) -> int:
    items = _ctx(info).data["items"]
    return sum(1 for i in board["item_ids"] if items[i]["state"] == "active")


def board_top_group(board: Mapping[str, Any], info: GraphQLResolveInfo) -> dict[str, Any] | None:
    groups = _visible_groups(board)
    return _group_view(board, groups[0]) if groups else None


def board_workspace(board: Mapping[str, Any], info: GraphQLResolveInfo) -> Any:
    workspace_id = board.get("workspace_id")
    return None if workspace_id is None else _ctx(info).data["workspaces"].get(workspace_id)


def item_board(item: Mapping[str, Any], info: GraphQLResolveInfo) -> Any:
    return _ctx(info).data["boards"].get(item["board_id"])


def item_group(item: Mapping[str, Any], info: GraphQLResolveInfo) -> Any:
    board = _ctx(info).data["boards"][item["board_id"]]
    for group in board["groups"]:
        if group["id"] == item["group_id"]:
            return _group_view(board, group)
    return None


def item_column_values(
    item: Mapping[str, Any],
    info: GraphQLResolveInfo,
    ids: list[str] | None = None,
    types: list[str] | None = None,
) -> list[dict[str, Any]]:
    ctx = _ctx(info)
    board = ctx.data["boards"][item["board_id"]]
    wanted = set(ids) if ids is not None else None
    values = item["values"]
    item_id = item["id"]
    out = []
    for column in board["columns"]:
        column_type = column["type"]
        if column_type == "name" or column.get("archived"):
            continue
        if wanted is not None and column["id"] not in wanted:
            continue
        if types is not None and column_type not in types:
            continue
        stored = values.get(column["id"])
        if stored is None:
            text = ""
            encoded = None
        else:
            text = value_text(column, stored, ctx.reading_context())
            encoded = ctx.encode_value(item_id, column["id"], stored)
        out.append(
            {
                "__typename": VALUE_TYPENAMES.get(column_type, "UnsupportedValue"),
                "id": column["id"],
                "column": column,
                "type": column_type,
                "text": text,
                "value": encoded,
            }
        )
    return out


def _constant(value: Any) -> Resolver:
    return lambda _obj, _info, **_args: value


def _creator(_obj: Any, info: GraphQLResolveInfo) -> dict[str, Any]:
    return _alice(_ctx(info))


TYPE_RESOLVERS: dict[str, dict[str, Resolver]] = {
    "Board": {
        "columns": board_columns,
        "groups": board_groups,
        "items_page": board_items_page,
        "items_count": board_items_count,
        "items_limit": lambda _b, info: _ctx(info).limits.items_per_board,
        "top_group": board_top_group,
        "workspace": board_workspace,
        "type": lambda b, _i: b.get("type", "board"),
        "hierarchy_type": _constant("classic"),
        "permissions": _constant("everyone"),
        "url": lambda b, _i: f"https://sandbox.monday.com/boards/{b['id']}",
        "creator": _creator,
        "board_folder_id": _constant(None),
    },
    "Column": {
        "settings_str": lambda c, _i: legacy_settings(c),
        "archived": lambda c, _i: bool(c.get("archived")),
    },
    "Group": {"items_page": group_items_page},
    "Item": {
        "board": item_board,
        "group": item_group,
        "column_values": item_column_values,
        "creator": _creator,
        "creator_id": _constant(ALICE_ID),
        "email": lambda i, _info: f"pulse-{i['id']}@sandbox.monday.com",
        "url": lambda i, _info: (
            f"https://sandbox.monday.com/boards/{i['board_id']}/pulses/{i['id']}"
        ),
        "relative_link": lambda i, _info: f"/boards/{i['board_id']}/pulses/{i['id']}",
        "subscribers": lambda _i, info: [_alice(_ctx(info))],
    },
    "Workspace": {"is_default_workspace": lambda w, _i: bool(w.get("is_default_workspace"))},
}


# --- mutations: workspaces and boards ------------------------------------------------------


def m_create_workspace(
    ctx: ExecutionContext,
    name: str,
    kind: str,
    description: str | None = None,
    account_product_id: str | None = None,
) -> dict[str, Any]:
    if not name.strip():
        raise invalid_argument("Workspace name must not be empty")
    if kind == "template":
        raise invalid_argument("The sandbox cannot create template workspaces")
    behaviours.check_workspace_kind(ctx, kind)
    workspace = {
        "id": next_id(ctx.data, "workspace"),
        "name": name,
        "kind": kind,
        "description": description,
        "state": "active",
        "created_at": now_iso(),
    }
    ctx.data["workspaces"][workspace["id"]] = workspace
    return workspace


def _workspace(ctx: ExecutionContext, workspace_id: Any) -> dict[str, Any]:
    workspace = ctx.data["workspaces"].get(str(workspace_id))
    if workspace is None or workspace["state"] == "deleted":
        raise not_found(f"Workspace {workspace_id} not found", workspace_id=str(workspace_id))
    return workspace  # type: ignore[no-any-return]


def m_update_workspace(
    ctx: ExecutionContext, attributes: Mapping[str, Any], id: str | None = None
) -> dict[str, Any]:
    workspace = _workspace(ctx, id)
    for key in ("name", "description", "kind"):
        if attributes.get(key) is not None:
            workspace[key] = attributes[key]
    return workspace


def m_delete_workspace(ctx: ExecutionContext, workspace_id: str) -> dict[str, Any]:
    workspace = _workspace(ctx, workspace_id)
    workspace["state"] = "deleted"
    return workspace


def m_create_board(
    ctx: ExecutionContext,
    board_name: str,
    board_kind: str,
    description: str | None = None,
    workspace_id: str | None = None,
    empty: bool = False,
    template_id: str | None = None,
    folder_id: str | None = None,
    item_nickname: Mapping[str, Any] | None = None,
    board_owner_ids: list[str] | None = None,
    board_subscriber_ids: list[str] | None = None,
    board_owner_team_ids: list[str] | None = None,
    board_subscriber_teams_ids: list[str] | None = None,
) -> dict[str, Any]:
    if not ctx.create_board_window.take():
        raise ApiFailure(
            "FIELD_LIMIT_EXCEEDED",
            f"create_board is limited to {ctx.create_board_window.quota} calls per minute",
            status_code=429,
            error_data={
                "retry_in_seconds": ctx.create_board_window.reset_in(),
                "entity": "create_board",
            },
            retry_in_seconds=ctx.create_board_window.reset_in(),
        )
    if not board_name.strip():
        raise ApiFailure("CreateBoardException", "Board name must not be empty")
    if template_id is not None:
        raise ApiFailure("CreateBoardException", "The sandbox has no board templates")
    from boardops.sandbox.members import initial_members

    if workspace_id is not None:
        _workspace(ctx, workspace_id)
    members = initial_members(
        ctx, board_owner_ids, board_subscriber_ids, board_owner_team_ids, board_subscriber_teams_ids
    )
    board_id = next_id(ctx.data, "board")
    stamp = now_iso()
    board = {
        "id": board_id,
        "name": board_name,
        "board_kind": board_kind,
        "description": description,
        "state": "active",
        "workspace_id": behaviours.board_workspace_id(ctx, workspace_id),
        "created_at": stamp,
        "updated_at": stamp,
        "item_terminology": (item_nickname or {}).get("singular") or "item",
        "columns": [_new_column(ctx, "name", "Name", "name", {})],
        "groups": [
            {
                "id": "topics",
                "title": "Group Title",
                "color": behaviours.create_group_color(ctx, None, 0),
                "position": POSITION_STEP,
                "archived": False,
                "deleted": False,
            }
        ],
        "item_ids": [],
        "item_count": 0,  # items not deleted, for the per-board limit
        "used_column_ids": ["name"],
        **members,
    }
    ctx.data["boards"][board_id] = board
    behaviours.after_create_board(ctx, board)
    return board


def m_update_board(
    ctx: ExecutionContext, board_id: str, board_attribute: str, new_value: str
) -> str:
    board = _board(ctx, board_id)
    if board_attribute == "name":
        if not new_value.strip():
            raise invalid_argument("Board name must not be empty")
        board["name"] = new_value
    elif board_attribute == "description":
        board["description"] = new_value
    elif board_attribute == "item_nickname":
        board["item_terminology"] = new_value
    elif board_attribute == "communication":
        board["communication"] = new_value
    _touch(board)
    return json.dumps(
        {
            "success": True,
            "undo_data": {
                "undo_record_id": None,
                "action_type": "modify_project",
                "entity_type": "Board",
                "entity_id": int(board["id"]),
                "count": 1,
            },
        }
    )


def m_update_board_hierarchy(
    ctx: ExecutionContext, board_id: str, attributes: dict[str, Any]
) -> dict[str, Any]:
    """Moves a board to another workspace (``workspace_id``); a folder is not modelled."""
    board = _board(ctx, board_id)
    workspace_id = attributes.get("workspace_id")
    if workspace_id is None:
        raise invalid_argument("workspace_id or folder_id is required")
    if str(workspace_id) != ctx.profile.main_workspace_id:
        _workspace(ctx, workspace_id)
    board["workspace_id"] = str(workspace_id)
    _touch(board)
    return {"board": board, "message": "Board hierarchy updated", "success": True}


def _set_board_state(ctx: ExecutionContext, board_id: str, state: str) -> dict[str, Any]:
    board = _board(ctx, board_id)
    board["state"] = state
    _touch(board)
    # A board's subitems board (recorded profile) goes with it.
    for companion in ctx.data["boards"].values():
        if companion.get("parent_board_id") == board["id"]:
            companion["state"] = state
            _touch(companion)
    return board


def m_archive_board(ctx: ExecutionContext, board_id: str) -> dict[str, Any]:
    return _set_board_state(ctx, board_id, "archived")


def m_delete_board(ctx: ExecutionContext, board_id: str) -> dict[str, Any]:
    return _set_board_state(ctx, board_id, "deleted")


# --- mutations: columns --------------------------------------------------------------------


def _new_column(
    ctx: ExecutionContext,
    column_id: str,
    title: str,
    column_type: str,
    settings: dict[str, Any],
    description: str | None = None,
) -> dict[str, Any]:
    return {
        "id": column_id,
        "title": title,
        "type": column_type,
        "description": description,
        "width": None,
        "archived": False,
        "settings": settings,
        "revision": _revision(ctx.data),
    }


def _add_column(
    ctx: ExecutionContext,
    board_id: str,
    column_id: str | None,
    title: str,
    column_type: str,
    settings: dict[str, Any],
    description: str | None,
    after_column_id: str | None,
) -> dict[str, Any]:
    board = _board(ctx, board_id)
    if not title.strip():
        raise invalid_argument("Column title must not be empty")
    if column_type in ("name", "unsupported", "subtasks", "group"):
        raise invalid_argument(f"Columns of type {column_type} cannot be created")
    if column_id is None:
        column_id = f"{column_type}_mk{next_number(ctx.data, 'column'):06d}"
    else:
        if not _COLUMN_ID.match(column_id):
            raise invalid_argument(
                "Column id must be 1-20 characters of lowercase letters and underscores",
                column_id=column_id,
            )
        if column_id in board["used_column_ids"]:
            raise invalid_argument(
                f"Column id {column_id!r} is already used on this board (or was used by a "
                "deleted column)",
                column_id=column_id,
            )
    position = len(board["columns"])
    if after_column_id is not None:
        anchor = _column(board, after_column_id)
        position = board["columns"].index(anchor) + 1
    column = _new_column(ctx, column_id, title, column_type, settings, description)
    if column_type == "dropdown":
        # Dropdown label ids are never reused, even after the highest one is deleted.
        column["last_label_id"] = max((lb["id"] for lb in settings["labels"]), default=0)
    board["columns"].insert(position, column)
    board["used_column_ids"].append(column_id)
    _touch(board)
    return column


def m_create_column(
    ctx: ExecutionContext,
    board_id: str,
    title: str,
    column_type: str,
    id: str | None = None,
    description: str | None = None,
    after_column_id: str | None = None,
    defaults: Any = None,
    capabilities: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    settings = initial_settings(column_type, defaults)
    return _add_column(
        ctx, board_id, id, title, column_type, settings, description, after_column_id
    )


def m_create_status_column(
    ctx: ExecutionContext,
    board_id: str,
    title: str,
    id: str | None = None,
    description: str | None = None,
    after_column_id: str | None = None,
    defaults: Mapping[str, Any] | None = None,
    capabilities: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    settings = initial_settings("status", None if defaults is None else dict(defaults))
    return _add_column(ctx, board_id, id, title, "status", settings, description, after_column_id)


def m_create_dropdown_column(
    ctx: ExecutionContext,
    board_id: str,
    title: str,
    id: str | None = None,
    description: str | None = None,
    after_column_id: str | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    settings = dropdown_settings_from_input(
        list((defaults or {}).get("labels") or []),
        (defaults or {}).get("limit_select"),
        (defaults or {}).get("label_limit_count"),
    )
    return _add_column(ctx, board_id, id, title, "dropdown", settings, description, after_column_id)


def _revised_column(
    ctx: ExecutionContext, board_id: str, column_id: str, revision: str, expected_type: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    board = _board(ctx, board_id)
    column = _column(board, column_id)
    if expected_type is not None and column["type"] != expected_type:
        raise invalid_argument(
            f"Column {column_id!r} is a {column['type']} column, not {expected_type}",
            column_id=column_id,
        )
    if revision != column["revision"]:
        raise behaviours.revision_mismatch(ctx, column_id, column["revision"])
    return board, column


def _finish_column_update(
    ctx: ExecutionContext,
    board: dict[str, Any],
    column: dict[str, Any],
    title: str | None,
    description: str | None,
    width: int | None,
) -> dict[str, Any]:
    """What every update_*_column ends with: common fields, a new revision, a touched board."""
    _apply_common(column, title, description, width)
    ctx.bump_revision(column)
    _touch(board)
    return column


def _apply_common(
    column: dict[str, Any], title: str | None, description: str | None, width: int | None
) -> None:
    if title is not None:
        if not title.strip():
            raise invalid_argument("Column title must not be empty")
        column["title"] = title
    if description is not None:
        column["description"] = description
    if width is not None:
        column["width"] = width


def m_update_column(
    ctx: ExecutionContext,
    board_id: str,
    id: str,
    revision: str,
    column_type: str,
    title: str | None = None,
    description: str | None = None,
    width: int | None = None,
    settings: Any = None,
    capabilities: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    board, column = _revised_column(ctx, board_id, id, revision, column_type)
    if settings is not None:
        if column_type in ("status", "dropdown"):
            raise invalid_argument(
                f"Use update_{column_type}_column to change {column_type} labels"
            )
        if isinstance(settings, str):
            settings = json.loads(settings)
        if not isinstance(settings, dict):
            raise invalid_argument("settings must be a JSON object")
        column["settings"] = settings
    return _finish_column_update(ctx, board, column, title, description, width)


def m_update_status_column(
    ctx: ExecutionContext,
    board_id: str,
    id: str,
    revision: str,
    title: str | None = None,
    description: str | None = None,
    width: int | None = None,
    settings: Mapping[str, Any] | None = None,
    capabilities: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    board, column = _revised_column(ctx, board_id, id, revision, "status")
    if settings is not None:
        behaviours.check_status_update(ctx, column, settings["labels"])
        current = {lb["id"]: lb for lb in column["settings"]["labels"]}
        labels = []
        for entry in settings["labels"]:
            if entry.get("id") is not None:
                if entry["id"] not in current:
                    raise invalid_argument(f"Status label id {entry['id']} does not exist")
                label_id = int(entry["id"])
            else:
                label_id = STATUS_COLOR_IDS[entry["color"]]
            labels.append(
                status_label(
                    entry["label"],
                    entry["color"],
                    entry["index"],
                    is_done=bool(entry.get("is_done")),
                    description=entry.get("description"),
                    is_deactivated=bool(entry.get("is_deactivated")),
                    label_id=label_id,
                )
            )
        check_status_labels(labels)
        behaviours.retire_removed_labels(ctx, column, labels)
        column["settings"] = {**column["settings"], "labels": labels}
    return _finish_column_update(ctx, board, column, title, description, width)


def m_update_dropdown_column(
    ctx: ExecutionContext,
    board_id: str,
    id: str,
    revision: str,
    title: str | None = None,
    description: str | None = None,
    width: int | None = None,
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    board, column = _revised_column(ctx, board_id, id, revision, "dropdown")
    if settings is not None:
        current = {lb["id"]: lb for lb in column["settings"]["labels"]}
        kept_ids = {int(e["id"]) for e in settings["labels"] if e.get("id") is not None}
        unknown = kept_ids - set(current)
        if unknown:
            raise invalid_argument(f"Dropdown label id {min(unknown)} does not exist")
        removed = set(current) - kept_ids
        added = [e for e in settings["labels"] if e.get("id") is None]
        if len(removed) > 1:
            raise invalid_argument(
                "update_dropdown_column can delete at most one label per call",
                removed=sorted(removed),
            )
        if removed and added:
            raise invalid_argument(
                "update_dropdown_column cannot add and delete labels in the same call"
            )
        labels = []
        for entry in settings["labels"]:
            label_id = int(entry["id"]) if entry.get("id") is not None else None
            if label_id is None:
                label_id = next_dropdown_id(column)
            labels.append(
                {
                    "id": label_id,
                    "label": entry["label"],
                    "is_deactivated": bool(entry.get("is_deactivated")),
                }
            )
        if len({lb["label"] for lb in labels}) != len(labels):
            raise invalid_argument("Dropdown labels must be unique")
        new_settings = {**column["settings"], "labels": labels}
        if settings.get("limit_select") is not None:
            new_settings["limit_select"] = settings["limit_select"]
        if settings.get("label_limit_count") is not None:
            new_settings["label_limit_count"] = settings["label_limit_count"]
        column["settings"] = new_settings
    return _finish_column_update(ctx, board, column, title, description, width)


def m_change_column_title(
    ctx: ExecutionContext, board_id: str, column_id: str, title: str
) -> dict[str, Any]:
    board = _board(ctx, board_id)
    column = _column(board, column_id)
    _apply_common(column, title, None, None)
    ctx.bump_revision(column)
    _touch(board)
    return column


def m_change_column_metadata(
    ctx: ExecutionContext,
    board_id: str,
    column_id: str,
    column_property: str | None = None,
    value: str | None = None,
) -> dict[str, Any]:
    board = _board(ctx, board_id)
    column = _column(board, column_id)
    if column_property == "title":
        _apply_common(column, value or "", None, None)
    elif column_property == "description":
        column["description"] = value
    else:
        raise invalid_argument("column_property must be title or description")
    ctx.bump_revision(column)
    _touch(board)
    return column


def m_delete_column(ctx: ExecutionContext, board_id: str, column_id: str) -> dict[str, Any]:
    board = _board(ctx, board_id)
    column = _column(board, column_id)
    if column["type"] == "name":
        raise invalid_argument("Cannot delete mandatory columns (the name column)")
    board["columns"].remove(column)
    for item_id in board["item_ids"]:
        ctx.data["items"][item_id]["values"].pop(column["id"], None)
    _touch(board)
    return column


# --- mutations: groups ---------------------------------------------------------------------


def _position_between(board: Mapping[str, Any], anchor: Mapping[str, Any], after: bool) -> float:
    ordered = sorted((g for g in board["groups"] if not g["deleted"]), key=lambda g: g["position"])
    index = ordered.index(anchor)
    neighbour_index = index + 1 if after else index - 1
    if 0 <= neighbour_index < len(ordered):
        return (float(anchor["position"]) + float(ordered[neighbour_index]["position"])) / 2
    return float(anchor["position"]) + (POSITION_STEP if after else -POSITION_STEP)


def m_create_group(
    ctx: ExecutionContext,
    board_id: str,
    group_name: str,
    group_color: str | None = None,
    position: str | None = None,
    position_relative_method: str | None = None,
    relative_to: str | None = None,
) -> dict[str, Any]:
    board = _board(ctx, board_id)
    if not group_name.strip():
        raise invalid_argument("Group name must not be empty")
    live = [g for g in board["groups"] if not g["deleted"]]
    if relative_to is not None:
        anchor = _group(board, relative_to)
        place = _position_between(board, anchor, position_relative_method != "before_at")
    elif position is not None:
        try:
            place = float(position)
        except ValueError:
            raise invalid_argument(f"position {position!r} is not a number") from None
    else:
        place = min((g["position"] for g in live), default=2 * POSITION_STEP) - POSITION_STEP
    color = behaviours.create_group_color(ctx, group_color, len(board["groups"]))
    group = {
        "id": f"group_mk{next_number(ctx.data, 'group'):06d}",
        "title": group_name,
        "color": color,
        "position": place,
        "archived": False,
        "deleted": False,
    }
    board["groups"].append(group)
    _touch(board)
    return _group_view(board, group)


def m_update_group(
    ctx: ExecutionContext, board_id: str, group_id: str, group_attribute: str, new_value: str
) -> dict[str, Any]:
    board = _board(ctx, board_id)
    group = _group(board, group_id)
    if group_attribute == "title":
        if not new_value.strip():
            raise invalid_argument("Group title must not be empty")
        group["title"] = new_value
    elif group_attribute == "color":
        group["color"] = behaviours.update_group_color(ctx, new_value)
    elif group_attribute == "position":
        try:
            group["position"] = float(new_value)
        except ValueError:
            raise invalid_argument(f"position {new_value!r} is not a number") from None
    else:
        anchor = _group(board, new_value)
        if anchor is not group:
            group["position"] = _position_between(
                board, anchor, group_attribute == "relative_position_after"
            )
    _touch(board)
    return _group_view(board, group)


def _retire_group(ctx: ExecutionContext, board_id: str, group_id: str, how: str) -> dict[str, Any]:
    board = _board(ctx, board_id)
    group = _group(board, group_id)
    if len(_visible_groups(board)) <= 1:
        raise ApiFailure(
            "DeleteLastGroupException",
            "Deleting the last group of a board is not allowed",
            status_code=409,
            error_data={"group_id": group_id, "board_id": board["id"]},
        )
    group[how] = True
    item_state = "archived" if how == "archived" else "deleted"
    items = ctx.data["items"]
    for item_id in board["item_ids"]:
        item = items[item_id]
        if item["group_id"] == group["id"] and item["state"] == "active":
            item["state"] = item_state
            if item_state == "deleted":
                board["item_count"] -= 1
    _touch(board)
    return _group_view(board, group)


def m_archive_group(ctx: ExecutionContext, board_id: str, group_id: str) -> dict[str, Any]:
    return _retire_group(ctx, board_id, group_id, "archived")


def m_delete_group(ctx: ExecutionContext, board_id: str, group_id: str) -> dict[str, Any]:
    return _retire_group(ctx, board_id, group_id, "deleted")


# --- mutations: items ----------------------------------------------------------------------


def _decode_column_values(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except ValueError:
            raise ApiFailure(
                "JsonParseException", "column_values is not valid JSON", status_code=400
            ) from None
    if not isinstance(raw, dict):
        raise invalid_argument("column_values must be a JSON object keyed by column id")
    return raw


def _check_item_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise ApiFailure(
            "ItemNameTooLongException",
            "Item name must be between 1 and 255 characters long",
            error_data={"length": len(name) if isinstance(name, str) else None},
        )
    return name


def _write_values(
    ctx: ExecutionContext,
    board: dict[str, Any],
    item: dict[str, Any],
    raw_values: Mapping[str, Any],
    create_labels: bool,
) -> None:
    """Validate every value first, then store them all: a bad value changes nothing."""
    value_ctx = ctx.value_context(create_labels)
    updates: dict[str, Any] = {}
    new_name: str | None = None
    for column_id, raw in raw_values.items():
        if column_id == "name":
            new_name = _check_item_name(raw)
            continue
        column = _column(board, column_id)
        updates[column["id"]] = behaviours.store(ctx, board, column, raw, value_ctx)
    if new_name is not None:
        item["name"] = new_name
    for column_id, stored in updates.items():
        if stored is None:
            item["values"].pop(column_id, None)
        else:
            item["values"][column_id] = stored
            ctx.encode_value(item["id"], column_id, stored)


def m_create_item(
    ctx: ExecutionContext,
    board_id: str,
    item_name: str,
    group_id: str | None = None,
    column_values: Any = None,
    create_labels_if_missing: bool | None = None,
    position_relative_method: str | None = None,
    relative_to: str | None = None,
) -> dict[str, Any]:
    board = _board(ctx, board_id)
    _check_item_name(item_name)
    items = ctx.data["items"]
    if board["item_count"] >= ctx.limits.items_per_board:
        raise ApiFailure(
            "ItemsLimitationException",
            f"A board can hold at most {ctx.limits.items_per_board} items",
            error_data={"board_id": board["id"], "limit": ctx.limits.items_per_board},
        )
    anchor: dict[str, Any] | None = None
    if relative_to is not None:
        anchor = _item(ctx, relative_to, board["id"])
        group = _group(board, anchor["group_id"])
    elif group_id is not None:
        group = _group(board, group_id)
    else:
        visible = _visible_groups(board)
        group = visible[0]
    stamp = now_iso()
    item: dict[str, Any] = {
        "id": next_id(ctx.data, "item"),
        "board_id": board["id"],
        "group_id": group["id"],
        "name": item_name,
        "state": "active",
        "values": {},
        "created_at": stamp,
        "updated_at": stamp,
    }
    values = _decode_column_values(column_values)
    values.pop("name", None)
    _write_values(ctx, board, item, values, bool(create_labels_if_missing))
    if anchor is not None:
        index = board["item_ids"].index(anchor["id"])
        board["item_ids"].insert(
            index if position_relative_method == "before_at" else index + 1, item["id"]
        )
    else:
        board["item_ids"].append(item["id"])
    items[item["id"]] = item
    board["item_count"] += 1
    _touch(board)
    return item


def m_change_multiple_column_values(
    ctx: ExecutionContext,
    board_id: str,
    column_values: Any,
    item_id: str | None = None,
    create_labels_if_missing: bool | None = None,
) -> dict[str, Any]:
    board = _board(ctx, board_id)
    item = _item(ctx, item_id, board["id"])
    _write_values(
        ctx, board, item, _decode_column_values(column_values), bool(create_labels_if_missing)
    )
    item["updated_at"] = now_iso()
    return item


def m_change_column_value(
    ctx: ExecutionContext,
    board_id: str,
    column_id: str,
    value: Any,
    item_id: str | None = None,
    create_labels_if_missing: bool | None = None,
) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else None
        except ValueError:
            raise ApiFailure(
                "JsonParseException", "value is not valid JSON", status_code=400
            ) from None
    return m_change_multiple_column_values(
        ctx, board_id, {column_id: value}, item_id, create_labels_if_missing
    )


def m_change_simple_column_value(
    ctx: ExecutionContext,
    board_id: str,
    column_id: str,
    item_id: str | None = None,
    value: str | None = None,
    create_labels_if_missing: bool | None = None,
) -> dict[str, Any]:
    board = _board(ctx, board_id)
    item = _item(ctx, item_id, board["id"])
    if column_id == "name":
        item["name"] = _check_item_name(value)
    else:
        column = _column(board, column_id)
        value_ctx = ctx.value_context(bool(create_labels_if_missing))
        stored = behaviours.store(ctx, board, column, value, value_ctx, simple=True)
        if stored is None:
            item["values"].pop(column["id"], None)
        else:
            item["values"][column["id"]] = stored
    item["updated_at"] = now_iso()
    return item


def m_move_item_to_group(
    ctx: ExecutionContext, group_id: str, item_id: str | None = None
) -> dict[str, Any]:
    item = _item(ctx, item_id)
    board = _board(ctx, item["board_id"])
    group = _group(board, group_id)
    item["group_id"] = group["id"]
    item["updated_at"] = now_iso()
    return item


def m_change_item_position(
    ctx: ExecutionContext,
    item_id: str,
    group_id: str | None = None,
    group_top: bool | None = None,
    position_relative_method: str | None = None,
    relative_to: str | None = None,
) -> dict[str, Any]:
    item = _item(ctx, item_id)
    board = _board(ctx, item["board_id"])
    if (group_id is None) == (relative_to is None):
        raise invalid_argument("Give exactly one of group_id and relative_to")
    order: list[str] = board["item_ids"]
    if group_id is not None:
        group = _group(board, group_id)
        item["group_id"] = group["id"]
        order.remove(item["id"])
        if group_top:
            order.insert(0, item["id"])
        else:
            order.append(item["id"])
    else:
        anchor = _item(ctx, relative_to, board["id"])
        if anchor is item:
            return item
        item["group_id"] = anchor["group_id"]
        order.remove(item["id"])
        index = order.index(anchor["id"])
        order.insert(index if position_relative_method == "before_at" else index + 1, item["id"])
    item["updated_at"] = now_iso()
    return item


def m_archive_item(ctx: ExecutionContext, item_id: str | None = None) -> dict[str, Any]:
    item = _item(ctx, item_id)
    item["state"] = "archived"
    return item


def m_delete_item(ctx: ExecutionContext, item_id: str | None = None) -> dict[str, Any]:
    item = _item(ctx, item_id)
    item["state"] = "deleted"
    ctx.data["boards"][item["board_id"]]["item_count"] -= 1
    return item


MUTATION_RESOLVERS: dict[str, Resolver] = {
    "create_workspace": m_create_workspace,
    "update_workspace": m_update_workspace,
    "delete_workspace": m_delete_workspace,
    "create_board": m_create_board,
    "update_board": m_update_board,
    "update_board_hierarchy": m_update_board_hierarchy,
    "archive_board": m_archive_board,
    "delete_board": m_delete_board,
    "create_column": m_create_column,
    "create_status_column": m_create_status_column,
    "create_dropdown_column": m_create_dropdown_column,
    "update_column": m_update_column,
    "update_status_column": m_update_status_column,
    "update_dropdown_column": m_update_dropdown_column,
    "change_column_title": m_change_column_title,
    "change_column_metadata": m_change_column_metadata,
    "delete_column": m_delete_column,
    "create_group": m_create_group,
    "update_group": m_update_group,
    "archive_group": m_archive_group,
    "delete_group": m_delete_group,
    "create_item": m_create_item,
    "change_multiple_column_values": m_change_multiple_column_values,
    "change_column_value": m_change_column_value,
    "change_simple_column_value": m_change_simple_column_value,
    "move_item_to_group": m_move_item_to_group,
    "change_item_position": m_change_item_position,
    "archive_item": m_archive_item,
    "delete_item": m_delete_item,
    "complexity": q_complexity,
}
