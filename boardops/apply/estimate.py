"""The budget of a plan: what its apply will send, counted with the apply's own rules.

The plan's actions are cut into steps by the executor's rule (``executor.steps``:
consecutive actions a batching handler takes together), and each step is counted the way
its handler sends it:

* item actions (``items.run_items``), and the second pass's link values
  (``links.run_links``): slices (``items.slice_size``), each split into
  requests by the client's chunking (``next_chunk`` at the size its ``BatchSizer`` reaches
  with no server time measured: the floor);
* new columns and tags (``create_columns``, ``create_tags``): one batch, chunked the same;
* label actions of one column (``change_labels``): a read of the board, one update call;
* every other action: one request per mutation it sends (a new board's default group is
  renamed, and recoloured, in place of its first CreateGroup).

Complexity is each call's price (``boardops.monday.costs``) plus each request's own
``complexity`` selection; a board read costs what the plan's read measured per request
(``read_cost``), when given. Minutes are the latency-free floor at the account's limits.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from boardops.apply import handlers, items, links, tags
from boardops.apply.executor import steps
from boardops.model import LiveState
from boardops.monday import MondayClient, costs
from boardops.monday.batching import DEFAULT_BATCH_SIZE, BatchSizer
from boardops.monday.mutations import ChunkLimits, MutationCall, next_chunk
from boardops.monday.operations import BOARD_STRUCTURE, COLUMN_FIELDS, CREATED_BOARD_FIELDS
from boardops.plan import (
    Action,
    AddBoardOwners,
    AddBoardSubscribers,
    AddWorkspaceMembers,
    AdoptBoard,
    AdoptItem,
    AdoptWorkspace,
    ArchiveGroup,
    ArchiveItem,
    CreateBoard,
    CreateColumn,
    CreateFolder,
    CreateGroup,
    CreateItem,
    CreateSubitem,
    CreateSubitemsBoard,
    CreateWorkspace,
    DeleteColumn,
    DeleteFolder,
    MoveBoard,
    MoveGroup,
    MoveItem,
    Plan,
    RemoveBoardMembers,
    RemoveWorkspaceMembers,
    ReplaceColumn,
    SetBoardRole,
    SetItemLinks,
    UpdateBoard,
    UpdateColumn,
    UpdateColumnSettings,
    UpdateFolder,
    UpdateGroup,
    UpdateItem,
    UpdateWorkspace,
    board_key_of,
)
from boardops.plan.actions import CreateTag
from boardops.plan.budget import Budget

# What reading one board's structure costs when the plan's read measured nothing.
READ_BOARD_COST = costs.selection_cost(BOARD_STRUCTURE.split("{", 1)[1])


@dataclass
class _Tally:
    requests: int = 0
    mutations: int = 0
    complexity: int = 0
    create_boards: int = 0

    def request(self, calls: Sequence[MutationCall]) -> None:
        self.requests += 1
        self.mutations += len(calls)
        self.complexity += costs.REQUEST_OVERHEAD + sum(
            costs.call_complexity(call.selection) for call in calls
        )
        self.create_boards += sum(1 for call in calls if call.field == "create_board")

    def read(self, cost: int) -> None:
        self.requests += 1
        self.complexity += cost


def estimate(
    actions: Sequence[Action],
    *,
    tier: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    read_cost: int | None = None,
    complexity_per_minute: int | None = None,
    requests_per_minute: int | None = None,
    daily_limit: int | None = None,
    daily_used: int | None = None,
) -> Budget:
    """The budget of applying ``actions`` on an account of plan ``tier``.

    ``read_cost``: the complexity of one read request as measured (None: priced from the
    document). ``complexity_per_minute`` and ``requests_per_minute``: the account's
    budgets as monday reported them (None: the documented ones for ``tier``).
    ``daily_limit`` (None: the tier's) and ``daily_used`` (None: not read) for the share
    of the daily cap."""
    if not actions:
        return Budget(daily_limit=daily_limit, daily_used=daily_used)
    tally = _Tally()
    # The client sizes batches by the server time it measures (batching.py); with none
    # known, the sizes it reaches with no server time: the floor.
    sizer = BatchSizer(batch_size)

    def send_batch(calls: Sequence[MutationCall]) -> None:
        pending = deque((f"m{index}", call) for index, call in enumerate(calls))
        while pending:
            chunk = next_chunk(pending, ChunkLimits(sizer.size))
            tally.request([call for _, call in chunk])
            sizer.observe_batch(len(chunk), 0.0)

    claimed = _claimed_groups(actions)
    for step in _board_steps(actions):
        run = step.handler.run
        if run is items.run_items or run is links.run_links:
            calls = [call for action in step.actions for call in _calls(action, claimed)]
            start = 0
            while start < len(calls):
                size = items.slice_size(sizer.size)
                send_batch(calls[start : start + size])
                start += size
        elif run is handlers.create_columns or run is tags.create_tags:
            send_batch([call for action in step.actions for call in _calls(action, claimed)])
        elif run is handlers.change_labels:
            tally.read(read_cost if read_cost is not None else READ_BOARD_COST)
            tally.request([MutationCall("update_status_column", {}, COLUMN_FIELDS)])
        elif isinstance(step.actions[0], UpdateColumnSettings):
            for _ in step.actions:  # read the column, then one update_column
                tally.read(read_cost if read_cost is not None else READ_BOARD_COST)
                tally.request([MutationCall("update_column", {}, COLUMN_FIELDS)])
        else:
            for action in step.actions:
                for call in _calls(action, claimed):
                    tally.request([call])
    per_minute = {
        "requests/min": tally.requests / (requests_per_minute or costs.requests_per_minute(tier)),
        "mutations/min": tally.mutations / costs.MUTATIONS_PER_MINUTE,
        "complexity/min": tally.complexity
        / (complexity_per_minute or costs.complexity_per_minute(tier)),
        "create_board/min": tally.create_boards / costs.CREATE_BOARD_PER_MINUTE,
    }
    bound = max(per_minute, key=lambda name: per_minute[name])
    return Budget(
        requests=tally.requests,
        mutations=tally.mutations,
        complexity=tally.complexity,
        minutes=math.ceil(per_minute[bound] * 100) / 100,
        bound=bound,
        daily_limit=daily_limit if daily_limit is not None else costs.daily_calls(tier),
        daily_used=daily_used,
    )


def _board_steps(actions: Sequence[Action]) -> list[Any]:
    """The steps as ``apply_plan`` runs them: the workspace actions, then each board's."""
    sequences: dict[str | None, list[Action]] = {None: []}
    for action in actions:
        sequences.setdefault(board_key_of(action.address), []).append(action)
    return [step for sequence in sequences.values() for step in steps(sequence)]


def _claimed_groups(actions: Sequence[Action]) -> set[str]:
    """The first declared group of each new board: its default group, renamed by the
    board's action (``handlers._claim_default_group``), so its CreateGroup sends nothing."""
    created = {a.address for a in actions if isinstance(a, CreateBoard)}
    claimed: dict[str, str] = {}
    for action in actions:
        if (
            isinstance(action, CreateGroup)
            and action.board.address in created
            and action.position is None
        ):
            claimed.setdefault(action.board.address, action.address)
    return set(claimed.values())


def _calls(action: Action, claimed: set[str]) -> list[MutationCall]:
    """Stand-ins for the calls an action sends: their field and selection (what they
    cost), not their arguments."""
    if isinstance(action, (AdoptBoard, AdoptWorkspace, AdoptItem)):
        return []
    if isinstance(action, CreateBoard):
        return [_call("create_board", CREATED_BOARD_FIELDS)]
    if isinstance(action, CreateGroup):
        if action.address in claimed:
            # Done by the board's action: a rename, and a colour when one is declared.
            return [_call("update_group")] * (1 + (action.color is not None))
        return [_call("create_group")]
    if isinstance(action, (CreateColumn, CreateSubitemsBoard)):
        return [_call("create_column", COLUMN_FIELDS)]
    if isinstance(action, ReplaceColumn):
        return [_call("delete_column"), _call("create_column", COLUMN_FIELDS)]
    if isinstance(action, UpdateColumn):
        # title/description: one change_column_metadata each; settings: one update_column
        metadata = [c for c in action.changes if c.field in ("title", "description")]
        settings = action.relation is not None or action.mirror is not None
        return [_call("change_column_metadata", COLUMN_FIELDS)] * len(metadata) + [
            _call("update_column", COLUMN_FIELDS)
        ] * settings
    if isinstance(action, (UpdateBoard, UpdateGroup)):
        field = "update_board" if isinstance(action, UpdateBoard) else "update_group"
        return [_call(field, "" if field == "update_board" else "id")] * len(action.changes)
    if isinstance(action, (AddBoardSubscribers, AddBoardOwners)):
        return [_call("add_users_to_board")] * bool(action.user_ids) + [
            _call("add_teams_to_board")
        ] * bool(action.team_ids)
    if isinstance(action, RemoveBoardMembers):
        return [_call("delete_subscribers_from_board")] * bool(action.user_ids) + [
            _call("delete_teams_from_board")
        ] * bool(action.team_ids)
    if isinstance(action, AddWorkspaceMembers):
        return [_call("add_users_to_workspace")] * bool(action.user_ids) + [
            _call("add_teams_to_workspace")
        ] * bool(action.team_ids)
    if isinstance(action, RemoveWorkspaceMembers):
        return [_call("delete_users_from_workspace")] * bool(action.user_ids) + [
            _call("delete_teams_from_workspace")
        ] * bool(action.team_ids)
    if isinstance(action, SetBoardRole):
        return [_call("set_board_permission", "edit_permissions")]
    fields = {
        CreateWorkspace: "create_workspace",
        UpdateWorkspace: "update_workspace",
        MoveBoard: "update_board_hierarchy",
        CreateFolder: "create_folder",
        UpdateFolder: "update_folder",
        DeleteFolder: "delete_folder",
        DeleteColumn: "delete_column",
        MoveGroup: "update_group",
        ArchiveGroup: "archive_group",
        CreateItem: "create_item",
        CreateSubitem: "create_subitem",
        UpdateItem: "change_multiple_column_values",
        SetItemLinks: "change_multiple_column_values",
        ArchiveItem: "archive_item",
        CreateTag: "create_or_get_tag",
    }
    if isinstance(action, MoveItem):
        return [_call("move_item_to_group" if action.position is None else "change_item_position")]
    # An action type not priced here counts as one call.
    return [_call(fields.get(type(action), "create_item"))]


def _call(field: str, selection: str = "id") -> MutationCall:
    return MutationCall(field, {}, selection)


def with_budget(
    plan: Plan,
    live: LiveState,
    client: MondayClient | None = None,
    *,
    daily_limit: int | None = None,
    daily_used: int | None = None,
) -> Plan:
    """``plan`` with its budget, for the account ``live`` was read from. With ``client``
    (the one that read it), refined by what its answers said: the per-minute budgets
    monday reported and the complexity its reads cost."""
    tier = live.account.tier if live.account is not None else None
    read_cost = complexity = requests = None
    if client is not None:
        stats = client.stats.snapshot()
        if stats.queries and stats.complexity_used:
            read_cost = round(stats.complexity_used / stats.queries)
        quotas = client.budget.quotas()
        complexity = quotas.get("complexityMinute")
        requests = quotas.get("minuteRate")
    budget = estimate(
        plan.actions,
        tier=tier,
        read_cost=read_cost,
        complexity_per_minute=complexity,
        requests_per_minute=requests,
        daily_limit=daily_limit,
        daily_used=daily_used,
    )
    return replace(plan, budget=budget)
