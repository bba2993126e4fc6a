"""``items_page`` on boards and groups, and ``next_items_page``: cursor paging.

An expired or unknown cursor fails with ``CursorExpiredError`` (400).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLResolveInfo

from boardops.sandbox.executor import (
    Cursor,
    ExecutionContext,
    query,
    type_field,
)
from boardops.sandbox.failures import ApiFailure, invalid_argument
from boardops.sandbox.resolvers.filters import filter_items
from boardops.sandbox.resolvers.lookups import (
    context_of,
)
from boardops.sandbox.state import ordered_item_ids


@query
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


@type_field("Board", "items_page")
@type_field("Group", "items_page")
def items_page_field(
    record: dict[str, Any],
    info: GraphQLResolveInfo,
    limit: int = 25,
    cursor: str | None = None,
    query_params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``Board.items_page`` and ``Group.items_page`` (a group's view names its board)."""
    ctx = context_of(info)
    if "_board_id" not in record:
        return items_page(ctx, record, None, cursor, limit, query_params)
    board = ctx.data["boards"][record["_board_id"]]
    return items_page(ctx, board, record["id"], cursor, limit, query_params)


def _check_page_limit(ctx: ExecutionContext, limit: int) -> None:
    if limit < 1 or limit > ctx.limits.max_page_limit:
        raise invalid_argument(
            f"limit must be between 1 and {ctx.limits.max_page_limit}", limit=limit
        )


def items_page(
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
        ids = filter_items(ctx, board, ids, query_params)
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
