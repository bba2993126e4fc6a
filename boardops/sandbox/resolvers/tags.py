"""Tags: root ``tags``, ``Board.tags`` and ``create_or_get_tag``.

A private or shareable board gets its own board-scoped tag (listed by ``Board.tags``),
anything else an account tag; root ``tags`` lists account tags only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLResolveInfo

from boardops.sandbox.executor import (
    ExecutionContext,
    mutation,
    query,
    type_field,
)
from boardops.sandbox.failures import invalid_argument
from boardops.sandbox.resolvers.lookups import (
    context_of,
    find_board,
)
from boardops.sandbox.state import next_id

SCOPED_TAG_BOARD_KINDS = ("private", "share")


@query
def q_tags(ctx: ExecutionContext, ids: list[str] | None = None) -> list[dict[str, Any]]:
    tags = [t for t in ctx.data["tags"].values() if t.get("board_id") is None]
    if ids is not None:
        wanted = {str(i) for i in ids}
        tags = [t for t in tags if t["id"] in wanted]
    return tags


@type_field("Board", "tags")
def board_tags(board: Mapping[str, Any], info: GraphQLResolveInfo) -> list[Any]:
    tags = context_of(info).data["tags"].values()
    return [t for t in tags if t.get("board_id") == board["id"]]


@mutation
def m_create_or_get_tag(
    ctx: ExecutionContext, tag_name: str | None = None, board_id: str | None = None
) -> dict[str, Any]:
    if not tag_name or not tag_name.strip():
        raise invalid_argument("tag_name must not be empty")
    scope: str | None = None
    if board_id is not None:
        board = find_board(ctx, board_id)
        if board["board_kind"] in SCOPED_TAG_BOARD_KINDS:
            scope = board["id"]
    for tag in ctx.data["tags"].values():
        if tag["name"] == tag_name and tag.get("board_id") == scope:
            return tag  # type: ignore[no-any-return]
    tag = {"id": next_id(ctx.data, "tag"), "name": tag_name, "color": "#579bfc", "board_id": scope}
    ctx.data["tags"][tag["id"]] = tag
    return tag
