"""Handlers for workspace folders: create, update (rename, colour) and delete.

``create_folder`` is lost-answer safe: before it is sent again, the folder is looked up by
name under its parent in its workspace (``find_folder``). Updates set state, so a lost
answer is sent again; a delete whose answer was lost is done when the folder is gone.
Board placement (``folder_id`` on ``create_board``, ``update_board_hierarchy``) is in the
board handlers (``boardops.apply.handlers``).
"""

from __future__ import annotations

from typing import Any

from boardops.apply.context import ApplyRun
from boardops.apply.registry import handles
from boardops.apply.settle import settle
from boardops.monday import MondayClient, MutationCall
from boardops.plan import CreateFolder, DeleteFolder, UpdateFolder


def folder_color(color: str) -> str:
    """A manifest's folder colour ("bright_blue") as monday's ``FolderColor`` value."""
    return color.upper()


def _parent_id(raw: dict[str, Any]) -> str | None:
    parent = raw.get("parent")
    if isinstance(parent, dict) and parent.get("id") is not None:
        return str(parent["id"])
    return None


def find_folder(
    client: MondayClient, workspace_id: str | None, parent_id: str | None, name: str
) -> dict[str, Any] | None:
    """The folder named ``name`` directly under ``parent_id`` (None: the workspace's top)
    in the workspace (None: the main workspace), if there is exactly one."""
    found = [
        raw
        for raw in client.iter_folders(workspace_ids=[workspace_id])
        if raw.get("name") == name and _parent_id(raw) == parent_id
    ]
    return dict(found[0]) if len(found) == 1 else None


def _folder_exists(client: MondayClient, folder_id: str) -> bool:
    return any(str(raw.get("id")) == folder_id for raw in client.iter_folders(ids=[folder_id]))


@handles(CreateFolder)
def create_folder(run: ApplyRun, action: CreateFolder) -> None:
    workspace_id = run.refs.resolve(action.workspace)
    parent_id = run.refs.resolve(action.parent) if action.parent is not None else None
    args: dict[str, object] = {"name": action.name, "workspace_id": workspace_id}
    if parent_id is not None:
        args["parent_folder_id"] = parent_id
    if action.color is not None:
        args["color"] = folder_color(action.color)
    created = run.sender.create(
        MutationCall("create_folder", args),
        lambda: find_folder(run.client, workspace_id, parent_id, action.name),
    )
    folder_id = str(created.data["id"])
    run.refs.record(action.address, folder_id)
    run.journal.completed(action, folder_id, recovered=created.recovered)


@handles(UpdateFolder)
def update_folder(run: ApplyRun, action: UpdateFolder) -> None:
    args: dict[str, object] = {"folder_id": action.folder_id}
    for change in action.changes:
        if change.field == "color":
            args["color"] = folder_color(str(change.after))
        else:
            args[change.field] = change.after
    run.sender.send_idempotent(MutationCall("update_folder", args))
    run.journal.completed(action, action.folder_id)


@handles(DeleteFolder)
def delete_folder(run: ApplyRun, action: DeleteFolder) -> None:
    call = MutationCall("delete_folder", {"folder_id": action.folder_id})
    settle(
        lambda: run.sender.send(call),
        already_done=lambda: not _folder_exists(run.client, action.folder_id),
    )
    run.journal.completed(action, action.folder_id)
