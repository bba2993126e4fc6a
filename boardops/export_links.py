"""Export's link values (connect-boards, dependency): named by the match key of the items
they link, as the exported manifest keys those items (see ``boardops.links``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from boardops.links import name_live_links
from boardops.model import NAME_KEY, Board, DesiredState, ItemSet, LiveState
from boardops.monday import MondayClient
from boardops.monday.wire import WireReader


def export_order(live: LiveState) -> list[Board]:
    """The boards in the order the manifest lists them (by id)."""
    return sorted(
        (b for b in live.boards.values() if b is not None),
        key=lambda b: (len(b.id or ""), b.id or "", b.name),
    )


def name_links(
    client: MondayClient,
    live: LiveState,
    keyed: Sequence[tuple[str, Board]],
    match_by: Mapping[str, tuple[str, ...]],
) -> LiveState:
    """``live`` with its link values (connect-boards, dependency) named by the match key
    of the items they link, each board's items keyed by its exported ``match_by`` and
    boards by their exported keys (``keyed``, in export order); items outside the
    exported boards by name, one request per 100 of them (``boardops.links``)."""
    desired = DesiredState(
        boards=tuple(
            Board(
                key=key,
                name=b.name,
                columns=b.columns,
                items=ItemSet(match_by=match_by.get(b.id or b.name, (NAME_KEY,))),
            )
            for key, b in keyed
        )
    )
    reader = WireReader()
    named, _ = name_live_links(client, desired, dict(keyed), reader)
    reader.finish()
    by_id = {b.id: named[key] for key, b in keyed}
    return replace(
        live,
        boards={
            key: by_id.get(board.id, board) if board is not None else None
            for key, board in live.boards.items()
        },
    )
