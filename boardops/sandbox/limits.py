"""Rate limits and the complexity cost model.

``Limits`` holds every limit the sandbox enforces; the defaults are generous so that tests
and benchmarks never trip them by accident, and ``Limits.monday()`` gives the numbers
monday documents for a Pro/Enterprise account with a personal token.

Cost model (``estimate_complexity``), computed from the document before it is validated
or runs (each fragment's cost is worked out once per parent type, never by expanding it):

* every selected field costs 1;
* a field returning a list of objects costs ``1 + n * cost(sub-selection)``, where ``n``
  is its ``limit`` argument (or its schema default), capped by the length of an ``ids``
  argument when one is given; ``items_page``/``next_items_page`` pass their ``limit`` on
  to ``items``; lists without a limit count ``LIST_SIZE_GUESS`` entries (``columns`` 50,
  ``column_values`` 50, ``groups`` 20, others 10);
* a mutation root field costs ``MUTATION_COST`` more.

A query above ``max_query_complexity`` fails with ``ComplexityException`` (HTTP 200);
when the per-minute budget cannot pay for it, the request fails with HTTP 429
``COMPLEXITY_BUDGET_EXHAUSTED`` and ``retry_in_seconds``. Besides complexity,
``mutations_per_minute`` counts each root mutation field of a request (``complexity``
aside): a request whose fields the window cannot hold fails whole with HTTP 429
``RATE_LIMIT_EXCEEDED`` and ``retry_in_seconds`` before it runs (nothing spent). Budgets
are fixed windows that start at the first call and reset 60 seconds later, as monday
describes them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.pyutils import Undefined

MUTATION_COST = 10
LIST_SIZE_GUESS: Mapping[str, int] = {"columns": 50, "column_values": 50, "groups": 20}
DEFAULT_LIST_SIZE = 10
WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class Limits:
    max_query_complexity: int = 5_000_000
    complexity_per_minute: int = 1_000_000_000
    requests_per_minute: int = 1_000_000
    # Root mutation fields per minute, account-wide (each alias of a batch counts;
    # ``complexity`` does not).
    mutations_per_minute: int = 1_000_000_000
    max_concurrency: int = 250
    create_board_per_minute: int = 40
    cursor_lifetime_seconds: float = 3600.0
    items_per_board: int = 10_000
    max_page_limit: int = 500
    max_root_item_ids: int = 100
    # The shape of a document, checked before it is parsed or validated (guard.py).
    max_query_length: int = 100_000
    max_query_tokens: int = 5_000
    max_query_depth: int = 30
    max_query_fields: int = 2_000
    max_query_fragments: int = 50
    max_repeated_selections: int = 10

    @classmethod
    def monday(cls) -> Limits:
        """monday's documented limits (personal token, Enterprise plan)."""
        return cls(
            complexity_per_minute=10_000_000, requests_per_minute=5_000, mutations_per_minute=2_000
        )


class Window:
    """A budget that refills ``WINDOW_SECONDS`` after the first spend of a window."""

    def __init__(self, quota: int, clock: Callable[[], float]) -> None:
        self.quota = quota
        self._clock = clock
        self._started: float | None = None
        self._used = 0

    def _roll(self) -> float:
        now = self._clock()
        if self._started is not None and now - self._started >= WINDOW_SECONDS:
            self._started = None
            self._used = 0
        return now

    def remaining(self) -> int:
        self._roll()
        return max(self.quota - self._used, 0)

    def reset_in(self) -> int:
        now = self._roll()
        if self._started is None:
            return int(WINDOW_SECONDS)
        return max(int(WINDOW_SECONDS - (now - self._started) + 0.999), 1)

    def take(self, amount: int = 1) -> bool:
        """Spend ``amount`` if the window still holds it; False (nothing spent) otherwise."""
        now = self._roll()
        if self._used + amount > self.quota:
            return False
        if self._started is None:
            self._started = now
        self._used += amount
        return True


def _unwrap(output: GraphQLOutputType) -> tuple[Any, bool]:
    is_list = False
    current: Any = output
    while isinstance(current, (GraphQLNonNull, GraphQLList)):
        if isinstance(current, GraphQLList):
            is_list = True
        current = current.of_type
    return current, is_list


def estimate_complexity(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> int:
    root = schema.mutation_type if operation.operation.value == "mutation" else schema.query_type
    assert root is not None
    is_mutation = operation.operation.value == "mutation"

    def argument(field: FieldNode, name: str) -> Any:
        for arg in field.arguments:
            if arg.name.value != name:
                continue
            node = arg.value
            if isinstance(node, VariableNode):
                return variables.get(node.name.value)
            if isinstance(node, IntValueNode):
                return int(node.value)
            if isinstance(node, ListValueNode):
                return list(node.values)
            return None
        return Undefined

    def list_size(parent: Any, field: FieldNode) -> int:
        name = field.name.value
        definition = parent.fields.get(name) if hasattr(parent, "fields") else None
        limit = argument(field, "limit")
        if limit is Undefined or limit is None:
            default = (
                definition.args["limit"].default_value
                if definition and "limit" in (definition.args)
                else Undefined
            )
            limit = default if isinstance(default, int) else None
        ids = argument(field, "ids")
        size = limit if isinstance(limit, int) else LIST_SIZE_GUESS.get(name, DEFAULT_LIST_SIZE)
        if isinstance(ids, list):
            size = min(size, len(ids)) if isinstance(limit, int) else len(ids)
        return max(int(size), 1)

    def selection_cost(parent: Any, selection_set: SelectionSetNode | None, page: int) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += field_cost(parent, selection, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = parent
                if selection.type_condition is not None:
                    condition = schema.get_type(selection.type_condition.name.value) or parent
                total += selection_cost(condition, selection.selection_set, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += fragment_cost(parent, selection.name.value, page)
        return total

    # A fragment's cost depends only on where it is spread (the parent type and the page
    # size), so it is worked out once per place: a fragment spread twice per level over 30
    # levels costs 30 steps, not 2**30. A spread closing a cycle costs nothing here (the
    # document is refused by validation).
    known: dict[tuple[str, str, int], int] = {}
    in_progress: set[str] = set()

    def fragment_cost(parent: Any, name: str, page: int) -> int:
        fragment = fragments.get(name)
        if fragment is None or name in in_progress:
            return 0
        condition = schema.get_type(fragment.type_condition.name.value) or parent
        key = (name, getattr(condition, "name", ""), page)
        if key not in known:
            in_progress.add(name)
            try:
                known[key] = selection_cost(condition, fragment.selection_set, page)
            finally:
                in_progress.discard(name)
        return known[key]

    def field_cost(parent: Any, field: FieldNode, page: int) -> int:
        name = field.name.value
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return 1
        definition = parent.fields.get(name)
        if definition is None:
            return 1
        inner, is_list = _unwrap(definition.type)
        if field.selection_set is None:
            return 1
        if name in ("items_page", "next_items_page"):
            limit = argument(field, "limit")
            size = limit if isinstance(limit, int) else 25
            return 1 + selection_cost(inner, field.selection_set, max(size, 1))
        if is_list:
            paged = name == "items" and inner.name == "Item" and page > 0
            count = page if paged else list_size(parent, field)
            return 1 + count * selection_cost(inner, field.selection_set, 0)
        return 1 + selection_cost(inner, field.selection_set, 0)

    total = 0
    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode):
            total += field_cost(root, selection, 0)
            if is_mutation:
                total += MUTATION_COST
        else:
            total += selection_cost(root, SelectionSetNode(selections=(selection,)), 0)
    return total
