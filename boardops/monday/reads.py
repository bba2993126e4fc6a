"""Reading boards, items, workspaces, users and tags: every paginated read of the client.

``MondayClient`` inherits these methods; they send through its ``query`` and
``run_concurrently``. Items come page by page (``items_page`` then ``next_items_page``, an
expired cursor restarting the board once); boards, workspaces and users by page number.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boardops.errors import CursorExpired, GraphQLError, MalformedResponse, QueryTooComplex
from boardops.monday import operations as ops

logger = logging.getLogger("boardops.monday")


@dataclass(frozen=True)
class BoardsRead:
    """What ``MondayClient.read_structure`` read: the boards and, if asked, the token's
    user with its account (``me { id account }``)."""

    boards: list[dict[str, Any]]
    account: dict[str, Any] | None = None


class BoardReads:
    """The read methods of ``MondayClient`` (which provides ``query``, ``run_concurrently``
    and ``boards_per_request``)."""

    boards_per_request: int
    query: Callable[..., dict[str, Any]]
    run_concurrently: Callable[[Sequence[Callable[[], Any]]], list[Any]]

    def iter_items(
        self,
        board_id: str | int,
        selection: str = ops.ITEM_FIELDS,
        limit: int = ops.ITEMS_PAGE_LIMIT,
    ) -> Iterator[dict[str, Any]]:
        """All active items of a board, page by page (``items_page`` then ``next_items_page``).

        An expired or rejected cursor restarts the board's read once from the first page;
        items already yielded are skipped, so each item id comes out once.
        """
        _check_page_limit(limit)
        return self._board_items(str(board_id), selection, limit, first_page=None)

    def _board_items(
        self,
        board_id: str,
        selection: str,
        limit: int,
        first_page: Mapping[str, Any] | None,
    ) -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        restarted = False
        page = first_page
        while True:
            try:
                if page is None:
                    page = self._first_items_page(board_id, selection, limit)
                while True:
                    for item in _page_items(page):
                        item_id = str(item.get("id"))
                        if item_id not in seen:
                            seen.add(item_id)
                            yield item
                    cursor = page.get("cursor")
                    if not cursor:
                        return
                    page = self._next_items_page(str(cursor), selection, limit)
            except CursorExpired:
                if restarted:
                    raise
                restarted = True
                page = None
                logger.info(
                    "items cursor of board %s expired; reading the board again from the "
                    "first page (%d item(s) already read are skipped)",
                    board_id,
                    len(seen),
                )

    def _first_items_page(self, board_id: str, selection: str, limit: int) -> Mapping[str, Any]:
        data = self.query(
            ops.with_selection(ops.ITEMS_FIRST_PAGE, selection),
            {"board_id": board_id, "limit": limit},
        )
        return _board_page(data, board_id)

    def _next_items_page(self, cursor: str, selection: str, limit: int) -> Mapping[str, Any]:
        data = self.query(
            ops.with_selection(ops.ITEMS_NEXT_PAGE, selection), {"cursor": cursor, "limit": limit}
        )
        page = data.get("next_items_page")
        if not isinstance(page, Mapping):
            raise MalformedResponse("next_items_page is missing", operation="items_next_page")
        return page

    def find_items(
        self,
        board_id: str | int,
        rules: Sequence[Mapping[str, object]],
        *,
        operator: str = "and",
        selection: str = ops.ITEM_FIELDS,
        limit: int = ops.ITEMS_PAGE_LIMIT,
    ) -> list[dict[str, Any]]:
        """Items matching ``items_page(query_params: {rules})`` (e.g. a match key).

        Each rule is ``{"column_id": ..., "compare_value": [...], "operator": "any_of"}``.
        """
        _check_page_limit(limit)
        data = self.query(
            ops.with_selection(ops.ITEMS_BY_COLUMN_VALUES, selection),
            {
                "board_id": str(board_id),
                "rules": [dict(rule) for rule in rules],
                "operator": operator,
                "limit": limit,
            },
        )
        page = _board_page(data, str(board_id))
        items: list[dict[str, Any]] = []
        while True:
            items.extend(_page_items(page))
            cursor = page.get("cursor")
            if not cursor:
                return items
            page = self._next_items_page(str(cursor), selection, limit)

    def read_boards(
        self,
        board_ids: Sequence[str | int],
        *,
        selection: str = ops.ITEM_FIELDS,
        state: str = "active",
    ) -> list[dict[str, Any]]:
        """Structure and all items of many boards in few requests.

        Each returned board is monday's board object (``id``, ``name``, ``columns``,
        ``groups``, ...) with ``items`` holding every active item instead of
        ``items_page``. Boards are read ``boards_per_request`` at a time, with their first
        500 items; boards with more items continue concurrently page by page.
        """
        return self.read_structure(board_ids, selection=selection, state=state).boards

    def read_structure(
        self,
        board_ids: Sequence[str | int],
        *,
        selection: str = ops.ITEM_FIELDS,
        state: str = "active",
        subscribers_of: Sequence[str | int] = (),
        account: bool = False,
    ) -> BoardsRead:
        """``read_boards``, plus what can ride along in the same requests at no extra call:
        the ``subscribers`` of the boards ``subscribers_of`` names (selected in every
        request holding one of them) and the ``account`` (in the first request)."""
        ids = [str(board_id) for board_id in board_ids]
        with_subscribers = {str(board_id) for board_id in subscribers_of}
        groups = [
            ids[start : start + self.boards_per_request]
            for start in range(0, len(ids), self.boards_per_request)
        ]
        accounts: list[dict[str, Any]] = []

        def read_group(group: list[str], with_account: bool) -> list[dict[str, Any]]:
            document = ops.with_selection(
                ops.boards_structure(
                    subscribers=not with_subscribers.isdisjoint(group), account=with_account
                ),
                selection,
            )
            try:
                data = self.query(
                    document,
                    {
                        "ids": group,
                        "limit": len(group),
                        "state": state,
                        "items_limit": ops.ITEMS_PAGE_LIMIT,
                    },
                )
            except QueryTooComplex:
                if len(group) == 1:
                    raise
                half = len(group) // 2
                logger.info(
                    "reading %d boards at once is over the per-query complexity cap; "
                    "splitting the request",
                    len(group),
                )
                return read_group(group[:half], with_account) + read_group(group[half:], False)
            if with_account and isinstance(data.get("me"), dict):
                accounts.append(data["me"])
            return _list_of_objects(data, "boards")

        boards = [
            board
            for part in self.run_concurrently(
                [
                    functools.partial(read_group, group, account and index == 0)
                    for index, group in enumerate(groups)
                ]
            )
            for board in part
        ]

        def complete(board: dict[str, Any]) -> dict[str, Any]:
            page = board.pop("items_page", None)
            if not isinstance(page, Mapping):
                raise MalformedResponse(
                    f"board {board.get('id')} came back without items_page",
                    operation="boards_structure",
                )
            board["items"] = list(
                self._board_items(
                    str(board.get("id")), selection, ops.ITEMS_PAGE_LIMIT, first_page=page
                )
            )
            return board

        completed = self.run_concurrently([functools.partial(complete, board) for board in boards])
        return BoardsRead(boards=completed, account=accounts[0] if accounts else None)

    def iter_boards(
        self,
        *,
        workspace_ids: Sequence[str | int] | None = None,
        state: str = "active",
        page_size: int = 100,
    ) -> Iterator[dict[str, Any]]:
        """Boards (``BOARD_FIELDS``: subitem boards too, see ``type``), page by page."""
        variables = _with_ids({"state": state}, "workspace_ids", workspace_ids)
        return self._pages(ops.BOARDS_PAGE, "boards", variables, page_size)

    def boards_by_id(
        self, board_ids: Sequence[str | int], *, state: str = "active", chunk: int = 100
    ) -> list[dict[str, Any]]:
        """Active boards among ``board_ids``, each with only its id, name, type and
        workspace (``BOARD_REF_FIELDS``): enough to place it, nothing of its contents."""
        ids = [str(board_id) for board_id in board_ids]
        found: list[dict[str, Any]] = []
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            data = self.query(ops.BOARDS_BY_ID, {"ids": part, "limit": len(part), "state": state})
            found.extend(_list_of_objects(data, "boards"))
        return found

    def find_boards_by_name(
        self,
        name: str,
        *,
        workspace_ids: Sequence[str | int] | None = None,
        page_size: int = 100,
    ) -> list[dict[str, Any]]:
        """Active boards whose name is exactly ``name`` (monday has no name filter)."""
        return [
            board
            for board in self.iter_boards(workspace_ids=workspace_ids, page_size=page_size)
            if board.get("name") == name
        ]

    def iter_workspaces(
        self,
        *,
        ids: Sequence[str | int] | None = None,
        state: str = "active",
        page_size: int = 100,
    ) -> Iterator[dict[str, Any]]:
        variables = _with_ids({"state": state}, "ids", ids)
        return self._pages(ops.WORKSPACES_PAGE, "workspaces", variables, page_size)

    def iter_folders(
        self,
        *,
        workspace_ids: Sequence[str | None] | None = None,
        ids: Sequence[str] | None = None,
        page_size: int = 100,
    ) -> Iterator[dict[str, Any]]:
        """Folders of ``workspace_ids`` (None in it: the main workspace's) or by ``ids``,
        every page."""
        variables: dict[str, object] = {}
        if workspace_ids is not None:
            variables["workspace_ids"] = list(workspace_ids)
        if ids is not None:
            variables["ids"] = list(ids)
        return self._pages(ops.FOLDERS_PAGE, "folders", variables, page_size)

    def users(self, *, page_size: int = 500) -> list[dict[str, Any]]:
        """Every user of the account (all pages)."""
        return list(self._pages(ops.USERS_PAGE, "users", {}, page_size))

    def teams(self) -> list[dict[str, Any]]:
        """Every team of the account: id and name."""
        return _list_of_objects(self.query(ops.TEAMS), "teams")

    def tags(self, ids: Sequence[str | int] | None = None) -> list[dict[str, Any]]:
        return _list_of_objects(self.query(ops.TAGS, _with_ids({}, "ids", ids)), "tags")

    def account(self) -> dict[str, Any] | None:
        """The token's user with its account (``ACCOUNT_FIELDS``: ``me { id account }``);
        None if monday answers null."""
        me = self.query(ops.ACCOUNT).get("me")
        if me is not None and not isinstance(me, dict):
            raise MalformedResponse("me is not an object", operation="account")
        return me

    def subitems_of(self, parent_ids: Sequence[str | int]) -> dict[str, list[dict[str, Any]]]:
        """Parent item id -> its subitems (``ITEM_FIELDS``), for the parents found."""
        ids = [str(i) for i in parent_ids]
        data = self.query(
            ops.with_selection(ops.SUBITEMS_OF), {"ids": ids, "limit": max(len(ids), 1)}
        )
        found: dict[str, list[dict[str, Any]]] = {}
        for item in _list_of_objects(data, "items"):
            subitems = item.get("subitems")
            rows = subitems if isinstance(subitems, list) else []
            found[str(item.get("id"))] = [row for row in rows if isinstance(row, dict)]
        return found

    def me(self) -> dict[str, Any]:
        data = self.query(ops.ME)
        user = data.get("me")
        if not isinstance(user, dict):
            raise MalformedResponse("me is missing from the response", operation="me")
        return user

    def _pages(
        self, document: str, root: str, variables: Mapping[str, object], page_size: int
    ) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            data = self.query(document, {**variables, "limit": page_size, "page": page})
            rows = _list_of_objects(data, root)
            yield from rows
            if len(rows) < page_size:
                return
            page += 1


def _with_ids(
    variables: dict[str, object], name: str, ids: Sequence[str | int] | None
) -> dict[str, object]:
    """``variables`` with ``name`` the ids as strings; without it when ``ids`` is None
    (read them all)."""
    if ids is not None:
        variables[name] = [str(value) for value in ids]
    return variables


def _check_page_limit(limit: int) -> None:
    if not 1 <= limit <= ops.ITEMS_PAGE_LIMIT:
        raise ValueError(f"an items page holds 1 to {ops.ITEMS_PAGE_LIMIT} items, not {limit}")


def _list_of_objects(data: Mapping[str, Any], root: str) -> list[dict[str, Any]]:
    rows = data.get(root)
    if rows is None:
        return []
    if not isinstance(rows, list):
        raise MalformedResponse(f"monday answered {root} with something that is not a list")
    return [row for row in rows if isinstance(row, dict)]


def _board_page(data: Mapping[str, Any], board_id: str) -> Mapping[str, Any]:
    boards = _list_of_objects(data, "boards")
    if not boards:
        raise GraphQLError(f"board {board_id} was not found or is not readable", path=("boards",))
    page = boards[0].get("items_page")
    if not isinstance(page, Mapping):
        raise MalformedResponse(f"board {board_id} came back without items_page")
    return page


def _page_items(page: Mapping[str, Any]) -> list[dict[str, Any]]:
    items = page.get("items")
    if not isinstance(items, list):
        raise MalformedResponse("an items page has no items list")
    return [item for item in items if isinstance(item, dict)]
