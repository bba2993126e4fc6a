"""``items_page(query_params:)``: rules, rule groups and ``order_by`` over item values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from boardops.sandbox.executor import (
    ExecutionContext,
)
from boardops.sandbox.failures import ApiFailure, invalid_argument
from boardops.sandbox.values.registry import COLUMN_TYPES, ValueContext, compared_value, value_text


def filter_items(
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
    return compared_value(column, item["values"].get(column["id"]), value_ctx)


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
    # The name column is no value column; its rules compare text.
    record = COLUMN_TYPES.get(column["type"])
    operand = "text" if column["type"] == "name" else "exact" if record is None else record.operand
    empty = None if record is None else record.empty_compares_as

    def normalise(value: Any) -> Any:
        if operand == "number":
            try:
                return float(value)
            except (TypeError, ValueError):
                raise invalid_argument(f"compare_value {value!r} is not a number") from None
        if operand == "id":
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
        if operand == "number" and value is not None:
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
            if value is None:
                value = empty
            if isinstance(value, list):
                hit = any(v in targets for v in value) or (not value and "" in targets)
            elif value is None:
                hit = "" in targets
            elif operand == "text":
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
