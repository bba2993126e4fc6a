"""Workspaces: the root ``workspaces`` query and their mutations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boardops.sandbox import behaviours
from boardops.sandbox.executor import (
    ExecutionContext,
    mutation,
    now_iso,
    query,
    type_fields,
)
from boardops.sandbox.failures import invalid_argument
from boardops.sandbox.resolvers.lookups import (
    find_workspace,
    page_of,
)
from boardops.sandbox.state import next_id


@query
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
    return page_of(spaces, limit, page)


@mutation
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


@mutation
def m_update_workspace(
    ctx: ExecutionContext, attributes: Mapping[str, Any], id: str | None = None
) -> dict[str, Any]:
    workspace = find_workspace(ctx, id)
    for key in ("name", "description", "kind"):
        if attributes.get(key) is not None:
            workspace[key] = attributes[key]
    return workspace


@mutation
def m_delete_workspace(ctx: ExecutionContext, workspace_id: str) -> dict[str, Any]:
    workspace = find_workspace(ctx, workspace_id)
    workspace["state"] = "deleted"
    return workspace


type_fields("Workspace", is_default_workspace=lambda w, _i: bool(w.get("is_default_workspace")))
