"""Running a plan: each action by the handler registered for its type, board by board.

* Nothing is sent before the whole plan is checked: destructive actions need
  ``allow_destroy`` (``UnsafePlan``), and every action type needs a handler.
* Workspace actions run first; then each board's actions run in plan order on one thread
  (monday warns that concurrent mutations on one board can corrupt it), while different
  boards run concurrently within the client's concurrency bound. Link values that name
  items the plan creates (``SetItemLinks``) run last, board by board, once all boards'
  items are made.
* Consecutive label actions on one column run together (one update call); consecutive
  item actions on a board run together (aliased batches).
* A failed action is reported and the board goes on; actions that need what it would
  have created fail in turn, naming it. A failure of the backend itself (no answer,
  refused credentials, throttling that outlasted the retries) stops that board and the
  rest of its actions are reported as skipped.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from boardops import codec
from boardops.apply import (  # noqa: F401  (they register their handlers)
    access,
    column_settings,
    folders,
    handlers,
    items,
    links,
    subitems,
    tags,
)
from boardops.apply.context import ApplyRun
from boardops.apply.events import ApplyFinished, EventSink, ignore
from boardops.apply.journal import Journal, Stopped, error_message
from boardops.apply.registry import Handler, handler_for
from boardops.errors import ApiError, BoardopsError, CallAllowanceSpent, GraphQLError
from boardops.model import LiveState, WeekStart, effective_week_start
from boardops.monday import MondayClient, StatsSnapshot
from boardops.plan import (
    Action,
    CreateBoard,
    CreateGroup,
    DeleteFolder,
    Plan,
    SetItemLinks,
    board_key_of,
    check_destroy,
)
from boardops.plan.order import dependencies


@dataclass(frozen=True)
class _Step:
    handler: Handler
    actions: tuple[Action, ...]


def steps(actions: Sequence[Action]) -> list[_Step]:
    """The actions cut into what one handler runs at a time (also what ``estimate``
    counts with)."""
    out: list[_Step] = []
    open_key: Hashable = None
    for action in actions:
        handler = handler_for(action)
        key = handler.batch_key(action) if handler.batch_key is not None else None
        last = out[-1] if out else None
        if key is not None and last is not None and last.handler is handler and open_key == key:
            out[-1] = _Step(handler, (*last.actions, action))
        else:
            out.append(_Step(handler, (action,)))
        open_key = key
    return out


# Failures that say the backend cannot be used right now, rather than "this action is wrong".
def _backend_down(error: BaseException) -> bool:
    return isinstance(error, ApiError) and not isinstance(error, GraphQLError)


def _run_sequence(run: ApplyRun, actions: Sequence[Action]) -> None:
    cut = steps(actions)
    for index, step in enumerate(cut):
        if run.journal.stopped:
            raise Stopped
        try:
            if step.handler.announces:
                for action in step.actions:
                    run.journal.started(action)
            step.handler.run(run, step.actions)
        except CallAllowanceSpent:
            raise  # the run stops here, as if interrupted: nothing more is sent
        except (BoardopsError, codec.CodecError) as error:
            for action in step.actions:
                if not run.journal.finished(action):
                    run.journal.failed(action, error)
            if _backend_down(error):
                reason = f"not attempted after: {error_message(error)}"
                for later in cut[index + 1 :]:
                    for action in later.actions:
                        run.journal.skip(action, reason)
                return


def _skip_boards(run: ApplyRun, boards: Iterable[Sequence[Action]]) -> bool:
    """A workspace that could not be made or changed stops the run before any board: the
    boards depend on the workspaces (a closed workspace on an account that cannot have one
    fails here), and nothing is left half-done. An account tag that could not be made
    stops nothing: the items that name it fail, each saying so."""
    first = next((f for f in run.journal.failures if not f.address.startswith("tag[")), None)
    if first is None:
        return False
    reason = f"not attempted after {first.address} failed"
    for actions in boards:
        for action in actions:
            run.journal.skip(action, reason)
    return True


def _first_groups(plan: Plan) -> dict[str, CreateGroup]:
    """For each board the plan creates, the CreateGroup of its first declared group."""
    created = {a.address for a in plan.actions if isinstance(a, CreateBoard)}
    first: dict[str, CreateGroup] = {}
    for action in plan.actions:
        if (
            isinstance(action, CreateGroup)
            and action.board.address in created
            and action.position is None
        ):
            first.setdefault(action.board.address, action)
    return first


def _linked_boards(actions: Sequence[Action]) -> dict[str, str]:
    """Boards whose actions need each other's (connect-boards columns naming a board or a
    column made in the same run: ``boardops.relations``) run as one sequence, in plan
    order: board key -> the key of its sequence."""
    leader: dict[str, str] = {}

    def find(key: str) -> str:
        while leader.get(key, key) != key:
            key = leader[key]
        return key

    for i, needs in enumerate(dependencies(actions)):
        if isinstance(actions[i], SetItemLinks):
            continue  # the second pass runs after every board's first: it needs no merge
        mine = board_key_of(actions[i].address)
        for j in needs:
            theirs = board_key_of(actions[j].address)
            if mine is not None and theirs is not None and find(mine) != find(theirs):
                leader[find(theirs)] = find(mine)
    return {key: find(key) for key in leader}


def apply_plan(
    client: MondayClient,
    plan: Plan,
    *,
    live: LiveState | None = None,
    allow_destroy: bool = False,
    on_event: EventSink = ignore,
    baseline: StatsSnapshot | None = None,
    week_start: WeekStart | None = None,
) -> ApplyFinished:
    """Run ``plan`` against monday and return the summary (also sent as the last event).

    ``live`` is the state the plan was checked against: its columns (label ids) and users
    save reads. ``week_start`` is the manifests' ``week_start`` (None: the account's, from
    ``live``). ``baseline`` is the client's stats at the start of the command, so that
    the summary counts its reads too. Raises ``UnsafePlan`` or ``ApplyError`` before
    sending anything when the plan cannot run; action failures are in the summary. A plan
    without changes sends nothing: its summary, with no time spent, is the only event.
    """
    check_destroy(plan, allow_destroy=allow_destroy)
    for action in plan.actions:
        handler_for(action)
    started = time.monotonic()
    before = baseline if baseline is not None else client.stats.snapshot()
    if not plan.has_changes:
        # Nothing to send: the summary counts the reads that showed it, and no time.
        return _finish(client, before, Journal(on_event), elapsed_seconds=0.0)
    run = ApplyRun(
        client,
        on_event,
        actions=plan.actions,
        live=live,
        week_start=effective_week_start(week_start, live.account if live is not None else None),
    )
    run.refs.first_groups = _first_groups(plan)
    workspace_actions = [a for a in plan.actions if board_key_of(a.address) is None]
    # Empty folders go last: a board the plan moves out of one must have left it.
    last = [a for a in workspace_actions if isinstance(a, DeleteFolder)]
    workspace_actions = [a for a in workspace_actions if not isinstance(a, DeleteFolder)]
    together = _linked_boards(plan.actions)
    by_board: dict[str, list[Action]] = {}
    # The second pass: link values naming items this plan creates, once every board's
    # items are made (boards run concurrently, and may link each other both ways).
    links_by_board: dict[str, list[Action]] = {}
    for action in plan.actions:
        key = board_key_of(action.address)
        if key is not None:
            if isinstance(action, SetItemLinks):
                links_by_board.setdefault(key, []).append(action)
            else:
                by_board.setdefault(together.get(key, key), []).append(action)
    try:
        _run_sequence(run, workspace_actions)
        if run.journal.failures and _skip_boards(
            run, [*by_board.values(), *links_by_board.values()]
        ):
            by_board, links_by_board = {}, {}
        for passing in (by_board, links_by_board):
            client.run_concurrently(
                [functools.partial(_run_sequence, run, board) for board in passing.values()],
                # Ctrl-C while boards run: each board stops before its next step.
                on_failure=run.journal.stop,
            )
        if last and not _skip_boards(run, [last]):
            _run_sequence(run, last)
    except Stopped:
        # Another board's thread met the interruption first; raise what interrupted it.
        if run.journal.interruption is not None:
            raise run.journal.interruption from None
        raise
    return _finish(client, before, run.journal, elapsed_seconds=time.monotonic() - started)


def _finish(
    client: MondayClient, before: StatsSnapshot, journal: Journal, *, elapsed_seconds: float
) -> ApplyFinished:
    """Emit and return the run's summary: what ``journal`` recorded, and the requests and
    complexity spent since ``before``."""
    after = client.stats.snapshot()
    finished = ApplyFinished(
        counts=dict(journal.counts),
        failures=tuple(journal.failures),
        skipped=journal.skipped,
        requests=after.requests - before.requests,
        complexity=after.complexity_used - before.complexity_used,
        elapsed_seconds=elapsed_seconds,
    )
    journal.emit(finished)
    return finished
