"""The handler of ``UpdateColumnSettings``: one ``update_column`` call per column.

The column is read just before (its settings and current ``revision``), the declared keys
are laid over its settings (``column_settings.merged``: keys the manifest leaves out, and
keys boardops does not know, are sent back as they are), and the call is sent only when
something still differs. The update sets state, so a lost answer is settled by doing the
same again from a fresh read (``settle``), which also picks up a revision another writer
made meanwhile, as the label updates do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boardops import column_settings
from boardops.apply.context import ApplyRun, read_board
from boardops.apply.registry import handles
from boardops.apply.settle import settle
from boardops.errors import ApplyError
from boardops.from_wire import column_from_wire
from boardops.monday import MutationCall
from boardops.monday.operations import COLUMN_FIELDS as COLUMN_SELECTION
from boardops.plan import UpdateColumnSettings


def _read_column(run: ApplyRun, board_id: str, column_id: str, address: str) -> dict[str, Any]:
    for raw in read_board(run.client, board_id).get("columns") or ():
        if isinstance(raw, Mapping) and raw.get("id") == column_id and not raw.get("archived"):
            return dict(raw)
    raise ApplyError(address, f"board {board_id} has no column {column_id!r}")


def _live_settings(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The column's settings as read (a JSON object; anything else counts as none)."""
    return dict(column_from_wire(raw).settings or {})


@handles(UpdateColumnSettings)
def update_column_settings(run: ApplyRun, action: UpdateColumnSettings) -> None:
    board_id = run.refs.resolve(action.board)
    column_id = run.refs.resolve(action.column)

    def send() -> None:
        raw = _read_column(run, board_id, column_id, action.address)
        args: dict[str, object] = {
            "board_id": board_id,
            "id": column_id,
            "column_type": action.column_type,
            "revision": str(raw.get("revision") or ""),
        }
        if action.settings is not None:
            live = _live_settings(raw)
            wanted = column_settings.merged(live, action.settings)
            if wanted != live:
                args["settings"] = wanted
        if action.width is not None and raw.get("width") != action.width:
            args["width"] = action.width
        if "settings" not in args and "width" not in args:
            run.columns.remember(board_id, raw)
            return
        answer = run.sender.send(MutationCall("update_column", args, COLUMN_SELECTION))
        if isinstance(answer, Mapping):
            run.columns.remember(board_id, answer)

    settle(send)
    run.journal.completed(action, column_id)
