"""Folders: the root ``folders`` query, folder fields and the folder mutations.

A folder lives in a workspace (``workspace_id``; None: the main workspace, which
``folders(workspace_ids: [null])`` lists), under a parent folder or at the top. Boards
name theirs by ``board_folder_id`` (``create_board(folder_id:)``,
``update_board_hierarchy(attributes: {folder_id})``); ``children`` are the active
boards directly in it. ``folders`` pages at most 100 a page (monday docs, "folders").
Beyond the docs (which do not say): a parent in another workspace, or a folder moved
under itself, is an ``InvalidArgumentException``; ``delete_folder`` of a folder that
still holds a board (or a sub-folder holding one) is refused the same way, and deleting
an empty folder deletes its empty sub-folders with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLResolveInfo

from boardops.sandbox.executor import (
    ExecutionContext,
    mutation,
    now_iso,
    query,
    type_fields,
)
from boardops.sandbox.failures import invalid_argument, not_found
from boardops.sandbox.resolvers.lookups import context_of, current_user, find_workspace, page_of

MAX_FOLDERS_PAGE = 100
_FIRST_FOLDER_ID = 5000001


def folders_of(ctx: ExecutionContext) -> dict[str, dict[str, Any]]:
    """The folder records by id (state files from before folders have none)."""
    folders: dict[str, dict[str, Any]] = ctx.data.setdefault("folders", {})
    return folders


def _workspace_of(ctx: ExecutionContext, workspace_id: Any) -> str | None:
    """A folder's workspace id: None (or the main workspace's real id) is the main one."""
    main = ctx.profile.main_workspace_id
    if workspace_id is None or str(workspace_id) == main:
        return None
    find_workspace(ctx, workspace_id)
    return str(workspace_id)


def find_folder(ctx: ExecutionContext, folder_id: Any) -> dict[str, Any]:
    folder = folders_of(ctx).get(str(folder_id))
    if folder is None:
        raise not_found(f"Folder {folder_id} not found", folder_id=str(folder_id))
    return folder


def _descendants(ctx: ExecutionContext, folder_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for child in folders_of(ctx).values():
        if child.get("parent_id") == folder_id:
            found.append(child)
            found.extend(_descendants(ctx, child["id"]))
    return found


def _boards_in(ctx: ExecutionContext, folder_id: str) -> list[dict[str, Any]]:
    return [
        b
        for b in ctx.data["boards"].values()
        if b.get("board_folder_id") == folder_id
        and b["state"] == "active"
        and b.get("type", "board") == "board"
    ]


@query
def q_folders(
    ctx: ExecutionContext,
    ids: list[str] | None = None,
    limit: int = 25,
    page: int = 1,
    workspace_ids: list[str | None] | None = None,
) -> list[dict[str, Any]]:
    if limit > MAX_FOLDERS_PAGE:
        raise invalid_argument(f"limit must be at most {MAX_FOLDERS_PAGE}")
    folders = list(folders_of(ctx).values())
    if ids is not None:
        wanted = {str(i) for i in ids}
        folders = [f for f in folders if f["id"] in wanted]
    if workspace_ids is not None:
        main = ctx.profile.main_workspace_id
        spaces = {None if w is None or str(w) == main else str(w) for w in workspace_ids}
        folders = [f for f in folders if f["workspace_id"] in spaces]
    return page_of(folders, limit, page)


def _check_parent(
    ctx: ExecutionContext, parent_id: Any, workspace_id: str | None, moving: str | None = None
) -> str | None:
    if parent_id is None:
        return None
    parent = find_folder(ctx, parent_id)
    if parent["workspace_id"] != workspace_id:
        raise invalid_argument("The parent folder is in another workspace")
    if moving is not None and (parent["id"] == moving or parent in _descendants(ctx, moving)):
        raise invalid_argument("A folder cannot be moved into itself")
    return str(parent["id"])


@mutation
def m_create_folder(
    ctx: ExecutionContext,
    name: str,
    workspace_id: str | None = None,
    parent_folder_id: str | None = None,
    color: str | None = None,
    custom_icon: str | None = None,
    font_weight: str | None = None,
) -> dict[str, Any]:
    if not name.strip():
        raise invalid_argument("Folder name must not be empty")
    space = _workspace_of(ctx, workspace_id)
    sequences: dict[str, int] = ctx.data["sequences"]
    number = sequences.setdefault("folder", _FIRST_FOLDER_ID)
    sequences["folder"] = number + 1
    folder = {
        "id": str(number),
        "name": name,
        "color": None if color in (None, "NULL") else color,
        "custom_icon": custom_icon,
        "font_weight": font_weight,
        "parent_id": _check_parent(ctx, parent_folder_id, space),
        "workspace_id": space,
        "owner_id": current_user(ctx)["id"],
        "created_at": now_iso(),
    }
    folders_of(ctx)[folder["id"]] = folder
    return folder


@mutation
def m_update_folder(
    ctx: ExecutionContext,
    folder_id: str,
    name: str | None = None,
    color: str | None = None,
    parent_folder_id: str | None = None,
    workspace_id: str | None = None,
    custom_icon: str | None = None,
    font_weight: str | None = None,
    position: Mapping[str, Any] | None = None,
    account_product_id: str | None = None,
) -> dict[str, Any]:
    folder = find_folder(ctx, folder_id)
    if name is not None:
        if not name.strip():
            raise invalid_argument("Folder name must not be empty")
        folder["name"] = name
    if color is not None:
        folder["color"] = None if color == "NULL" else color
    if workspace_id is not None:
        folder["workspace_id"] = _workspace_of(ctx, workspace_id)
        for moved in [*_descendants(ctx, folder["id"])]:
            moved["workspace_id"] = folder["workspace_id"]
        if parent_folder_id is None:
            folder["parent_id"] = None
    if parent_folder_id is not None:
        folder["parent_id"] = _check_parent(
            ctx, parent_folder_id, folder["workspace_id"], moving=folder["id"]
        )
    return folder


@mutation
def m_delete_folder(ctx: ExecutionContext, folder_id: str) -> dict[str, Any]:
    folder = find_folder(ctx, folder_id)
    gone = [folder, *_descendants(ctx, folder["id"])]
    if any(_boards_in(ctx, f["id"]) for f in gone):
        raise invalid_argument(
            "The folder holds boards; move them out first", folder_id=str(folder["id"])
        )
    for record in gone:
        folders_of(ctx).pop(record["id"], None)
    return folder


def _workspace_field(folder: Mapping[str, Any], info: GraphQLResolveInfo) -> dict[str, Any]:
    """The folder's workspace; the main one as monday documents it (a null id)."""
    ctx = context_of(info)
    workspace_id = folder.get("workspace_id")
    if workspace_id is not None and workspace_id in ctx.data["workspaces"]:
        return dict(ctx.data["workspaces"][workspace_id])
    main = ctx.profile.main_workspace_id
    if main is not None and main in ctx.data["workspaces"]:
        return dict(ctx.data["workspaces"][main])
    return {"id": None, "name": "Main workspace", "kind": "open", "state": "active"}


type_fields(
    "Folder",
    children=lambda f, info: _boards_in(context_of(info), f["id"]),
    sub_folders=lambda f, info: [
        c for c in folders_of(context_of(info)).values() if c.get("parent_id") == f["id"]
    ],
    parent=lambda f, info: folders_of(context_of(info)).get(f.get("parent_id") or ""),
    workspace=_workspace_field,
)
