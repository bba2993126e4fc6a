"""The apply lease: one ``boardops apply`` at a time per scope, across machines.

CI runners share nothing but monday, so the lease lives there: on a small board boardops
creates once and manages, ``boardops lock`` (public, in the main workspace), with four
text columns (holder, started, expires, run id) and one item per lease in force, named
after its scope (by default the manifests' workspaces, or ``--lock-scope``).

Taking it:

1. Read the scope's lease items. An unexpired one held by another run means "held":
   wait (polling) until ``timeout`` runs out, then ``LeaseHeld`` names the holder and age.
   Expired ones (a holder killed past its expiry) are taken over with a warning.
2. Create our item, then **read again**: if an unexpired item of the scope has a lower
   item id than ours (monday numbers items in creation order, whatever the runners'
   clocks say), another run got there first: delete ours and go back to 1.
3. While held, a background thread pushes ``expires`` forward (``renew_every``); the
   item is deleted on release, also after a failure or Ctrl-C. A SIGKILLed holder leaves
   an item that expires ``ttl`` after its last renewal.

The lock board itself is created race-safely: after creating it, boardops lists the
boards of that name again, and if several exist the lowest id wins and the later
creators archive their own. It is boardops' bookkeeping: never in a manifest's plan.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal, Protocol

from boardops.errors import BoardopsError, GraphQLError, LeaseHeld, OutcomeUnknown
from boardops.model import LOCK_BOARD_NAME as LOCK_BOARD_NAME
from boardops.model import DesiredState
from boardops.monday import MondayClient
from boardops.monday.mutations import MutationCall
from boardops.monday.operations import LEASE_ITEM_FIELDS
from boardops.monday.settle import settle

logger = logging.getLogger(__name__)

LOCK_BOARD_DESCRIPTION = (
    "boardops' apply lease (one item per apply in progress). Managed by boardops; "
    "do not edit. See the README, 'Concurrent applies'."
)
# (column id, title): text columns, written and read as plain strings.
LEASE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("holder", "Holder"),
    ("started", "Started"),
    ("expires", "Expires"),
    ("run_id", "Run id"),
)
# Adding the lease columns is tried twice: a second runner adding them at the same time
# makes our first try fail "already used" (or lose its answer); the second sees them.
# Not ``settle``: that retries a lost answer only, this retries a refused batch too.
COLUMN_TRIES = 2
DEFAULT_TTL = timedelta(minutes=5)
DEFAULT_RENEW_EVERY = timedelta(minutes=1)
DEFAULT_POLL = timedelta(seconds=1)
# monday item names are short; a longer scope is cut and made unique with a digest.
MAX_SCOPE_NAME = 200

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True)
class LeaseRecord:
    """One lease item as read from the lock board."""

    item_id: str
    scope: str
    holder: str
    started: datetime | None
    expires: datetime | None
    run_id: str

    def expired(self, now: datetime) -> bool:
        # An item without a readable expiry is one whose creator died between create and
        # write, or one edited by hand: treat it as stale rather than blocking forever.
        return self.expires is None or self.expires <= now

    def order(self) -> tuple[int, str]:
        return (int(self.item_id), "") if self.item_id.isdigit() else (0, self.item_id)

    def describe(self, now: datetime) -> str:
        age = "of unknown age" if self.started is None else f"{_duration(now - self.started)} old"
        return f"{self.holder or 'an unknown holder'} (run {self.run_id or '?'}, {age})"


@dataclass(frozen=True)
class LeaseEvent:
    """What a view shows: ``acquired`` (one line in the apply output), ``waiting`` and
    ``stale`` (warnings), ``released``."""

    kind: Literal["acquired", "waiting", "stale", "released"]
    message: str
    item_id: str | None = None


LeaseSink = Callable[[LeaseEvent], None]


def _ignore(event: LeaseEvent) -> None:
    pass


def _duration(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(_TIME_FORMAT)


def _parse_stamp(text: str) -> datetime | None:
    try:
        return datetime.strptime(text.strip(), _TIME_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def default_scope(desired: DesiredState) -> str:
    """The workspaces the manifests' boards and workspaces live in, by name."""
    names: set[str] = {workspace.name for workspace in desired.workspaces}
    for board in desired.boards:
        if board.workspace is not None:
            declared = desired.workspace(board.workspace)
            names.add(declared.name if declared is not None else board.workspace)
        elif board.workspace_id is not None:
            names.add(f"workspace id {board.workspace_id}")
        else:
            names.add("main workspace")
    return "workspaces: " + ", ".join(sorted(names))


def scope_item_name(scope: str) -> str:
    if len(scope) <= MAX_SCOPE_NAME:
        return scope
    digest = hashlib.sha256(scope.encode("utf-8")).hexdigest()[:12]
    return f"{scope[: MAX_SCOPE_NAME - 14]}… {digest}"


def machine_tag() -> str:
    """This host, kernel boot and pid namespace, hashed: two holders with the same tag
    see the same processes, so a dead pid there means the holder is gone. (Containers
    on different machines can share a hostname and pid numbers; they never share this.)"""
    parts = [socket.gethostname()]
    for path in ("/proc/sys/kernel/random/boot_id", "/proc/self/ns/pid"):
        try:
            parts.append(
                os.readlink(path) if path.endswith("/pid") else Path(path).read_text().strip()
            )
        except OSError:
            parts.append("?")
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:8]


_HOLDER = re.compile(r"^\S+ pid (\d+) \(machine ([0-9a-f]{8})\)")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def holder_gone(holder: str, machine: str, alive: Callable[[int], bool] = _pid_alive) -> bool:
    """True when ``holder`` ran on this machine (same tag) and its process has ended."""
    match = _HOLDER.match(holder)
    if match is None or match.group(2) != machine:
        return False
    pid = int(match.group(1))
    return pid != os.getpid() and not alive(pid)


def holder_description(environ: Mapping[str, str] | None = None) -> str:
    """Who takes the lease: host, pid and machine tag, and the CI job when the
    environment says."""
    env = os.environ if environ is None else environ
    parts = [f"{socket.gethostname()} pid {os.getpid()} (machine {machine_tag()})"]
    if env.get("GITHUB_RUN_ID") and env.get("GITHUB_REPOSITORY"):
        server = env.get("GITHUB_SERVER_URL", "https://github.com")
        parts.append(f"{server}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}")
    elif env.get("CI_JOB_URL"):
        parts.append(env["CI_JOB_URL"])
    return " ".join(parts)


def _column_text(item: Mapping[str, Any], column_id: str) -> str:
    for value in item.get("column_values") or ():
        if not isinstance(value, Mapping) or value.get("id") != column_id:
            continue
        text = value.get("text")
        if isinstance(text, str) and text:
            return text
        raw = value.get("value")
        if isinstance(raw, str) and raw:
            try:
                decoded = json.loads(raw)
            except ValueError:
                return raw
            if isinstance(decoded, str):
                return decoded
        return ""
    return ""


def _record(item: Mapping[str, Any]) -> LeaseRecord:
    return LeaseRecord(
        item_id=str(item.get("id")),
        scope=str(item.get("name") or ""),
        holder=_column_text(item, "holder"),
        started=_parse_stamp(_column_text(item, "started")),
        expires=_parse_stamp(_column_text(item, "expires")),
        run_id=_column_text(item, "run_id"),
    )


class ApplyLease:
    """The lease of one scope, taken by one run. Use ``hold()``, or acquire/release."""

    def __init__(
        self,
        client: MondayClient,
        scope: str,
        *,
        timeout: timedelta = timedelta(0),
        ttl: timedelta = DEFAULT_TTL,
        renew_every: timedelta = DEFAULT_RENEW_EVERY,
        poll: timedelta = DEFAULT_POLL,
        clock: Clock | None = None,
        on_event: LeaseSink = _ignore,
        holder: str | None = None,
        run_id: str | None = None,
        machine: str | None = None,
        alive: Callable[[int], bool] = _pid_alive,
    ) -> None:
        self.client = client
        self.scope = scope
        self.item_name = scope_item_name(scope)
        self.timeout = timeout
        self.ttl = ttl
        self.renew_every = renew_every
        self.poll = poll
        self.clock: Clock = clock or SystemClock()
        self.on_event = on_event
        self.holder = holder or holder_description()
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self.machine = machine or machine_tag()
        self.alive = alive
        self.board_id: str | None = None
        self.held: LeaseRecord | None = None
        # Our item while acquire() has created it and not yet decided (check after taking).
        self.pending: str | None = None
        # How long acquire() waited, and whether it had to (for reports and tests).
        self.waited = timedelta(0)

    # ------------------------------------------------------------------ the lock board

    def _lock_boards(self) -> list[str]:
        return sorted(
            (
                str(board["id"])
                for board in self.client.iter_boards()
                if board.get("name") == LOCK_BOARD_NAME and board.get("type") in (None, "board")
            ),
            key=lambda board_id: (len(board_id), board_id),
        )

    def lock_board(self) -> str:
        """The lock board's id: found, or created once (race-safe), with its columns."""
        if self.board_id is None:
            boards = self._lock_boards()
            mine: str | None = None
            if not boards:
                mine, boards = self._create_lock_board()
            winner = self._settle(boards, mine)
            self._ensure_columns(winner)
            self.board_id = winner
        return self.board_id

    def _create_lock_board(self) -> tuple[str | None, list[str]]:
        """Create the board; (its id, the boards of that name listed after creating)."""

        def create() -> tuple[str | None, list[str]]:
            data = self._mutate(
                MutationCall(
                    "create_board",
                    {
                        "board_name": LOCK_BOARD_NAME,
                        "board_kind": "public",
                        "description": LOCK_BOARD_DESCRIPTION,
                        "empty": True,
                    },
                )
            )
            mine = str(data["id"])
            boards = self._lock_boards()
            if mine not in boards:  # not listed yet
                boards = sorted([*boards, mine], key=lambda board_id: (len(board_id), board_id))
            return mine, boards

        def listed() -> tuple[str | None, list[str]] | None:
            boards = self._lock_boards()  # made or not: the listing says
            return (None, boards) if boards else None

        return settle(
            create,
            already_done=listed,
            give_up=lambda: BoardopsError(f"could not create the lock board {LOCK_BOARD_NAME!r}"),
        )

    def _settle(self, boards: list[str], mine: str | None) -> str:
        """The lowest id wins; a board this run created and lost with is archived."""
        winner = boards[0]
        if mine is not None and mine != winner:
            logger.info("another run created %r at the same time; archiving ours", LOCK_BOARD_NAME)
            try:
                self._mutate(MutationCall("archive_board", {"board_id": mine}))
            except (GraphQLError, OutcomeUnknown) as error:
                logger.warning("could not archive the duplicate lock board %s: %s", mine, error)
        elif mine is None and len(boards) > 1:
            logger.warning(
                "%d boards named %r (ids %s); boardops uses the lowest id",
                len(boards),
                LOCK_BOARD_NAME,
                ", ".join(boards),
            )
        return winner

    def _column_ids(self, board_id: str) -> set[str]:
        boards = self.client.read_boards([board_id], selection=LEASE_ITEM_FIELDS)
        if not boards:
            raise BoardopsError(f"the lock board {LOCK_BOARD_NAME!r} ({board_id}) cannot be read")
        return {str(column.get("id")) for column in boards[0].get("columns") or ()}

    def _ensure_columns(self, board_id: str) -> None:
        """Add the lease columns the board lacks. Another runner may be adding them at the
        same time (its create wins, ours fails "already used"): only a column still
        missing after a second try is an error."""
        problem = ""
        for _ in range(COLUMN_TRIES):
            present = self._column_ids(board_id)
            missing = [(cid, title) for cid, title in LEASE_COLUMNS if cid not in present]
            if not missing:
                return
            calls = [
                MutationCall(
                    "create_column",
                    {"board_id": board_id, "id": cid, "title": title, "column_type": "text"},
                )
                for cid, title in missing
            ]
            try:
                results = self.client.mutate_batch(calls)
            except OutcomeUnknown as error:
                problem = error.message
                continue
            errors = [result.error for result in results if result.error is not None]
            if not errors:
                return
            problem = errors[0].message
        still = {cid for cid, _ in LEASE_COLUMNS} - self._column_ids(board_id)
        if still:
            raise BoardopsError(
                f"cannot add the columns {', '.join(sorted(still))} to the lock board "
                f"{LOCK_BOARD_NAME!r} ({board_id}): {problem}"
            )

    def _mutate(self, call: MutationCall) -> Any:
        (result,) = self.client.mutate_batch([call])
        if result.error is not None:
            raise result.error
        return result.data

    # ------------------------------------------------------------------ lease items

    def records(self) -> list[LeaseRecord]:
        """The lease items of this scope on the lock board, lowest item id first."""
        board_id = self.lock_board()
        items = self.client.iter_items(board_id, LEASE_ITEM_FIELDS)
        found = [_record(item) for item in items if item.get("name") == self.item_name]
        return sorted(found, key=LeaseRecord.order)

    def _values(self, now: datetime) -> dict[str, str]:
        return {
            "holder": self.holder,
            "started": _stamp(now),
            "expires": _stamp(now + self.ttl),
            "run_id": self.run_id,
        }

    def _create_mine(self) -> str | None:
        board_id = self.lock_board()
        call = MutationCall(
            "create_item",
            {
                "board_id": board_id,
                "item_name": self.item_name,
                "column_values": self._values(self.clock.now()),
            },
        )
        try:
            created = str(self._mutate(call)["id"])
        except OutcomeUnknown:
            return None  # found by its run id on the next read, or not made
        self.pending = created  # deleted by release() if acquire() stops before deciding
        return created

    def _delete(self, item_id: str) -> None:
        try:
            self._mutate(MutationCall("delete_item", {"item_id": item_id}))
        except (GraphQLError, OutcomeUnknown) as error:
            # Already gone (another run took the stale lease over too): nothing to do.
            logger.info("lease item %s not deleted: %s", item_id, error.message)

    def acquire(self) -> LeaseRecord:
        """Take the lease, waiting up to ``timeout``; ``LeaseHeld`` if it stays held."""
        started = self.clock.now()
        deadline = started + self.timeout
        announced = False
        while True:
            now = self.clock.now()
            records = self.records()
            blocking = [r for r in records if not self._stale(r, now) and r.run_id != self.run_id]
            if not blocking:
                for stale in records:
                    if stale.run_id != self.run_id:
                        self.on_event(
                            LeaseEvent(
                                "stale",
                                f"taking over the stale apply lease of {stale.describe(now)}: "
                                + self._why_stale(stale, now),
                                stale.item_id,
                            )
                        )
                    self._delete(stale.item_id)
                mine = self._take()
                if mine is not None:
                    self.held, self.pending = mine, None
                    self.waited = self.clock.now() - started
                    self.on_event(
                        LeaseEvent(
                            "acquired",
                            f'Acquired the apply lease on board "{LOCK_BOARD_NAME}" '
                            f"(item {mine.item_id}, scope {self.scope!r})",
                            mine.item_id,
                        )
                    )
                    return mine
                continue
            holder = blocking[0]
            now = self.clock.now()
            if now >= deadline:
                waited = (
                    ""
                    if self.timeout <= timedelta(0)
                    else f" after waiting {_duration(now - started)}"
                )
                raise LeaseHeld(
                    f"another apply holds the lease for {self.scope!r}{waited}: "
                    f"{holder.describe(now)}, item {holder.item_id} on board "
                    f'"{LOCK_BOARD_NAME}"; retry later, or wait with --lock-timeout'
                )
            if not announced:
                announced = True
                self.on_event(
                    LeaseEvent(
                        "waiting",
                        f"waiting up to {_duration(deadline - now)} for the apply lease held "
                        f"by {holder.describe(now)}",
                        holder.item_id,
                    )
                )
            self.clock.sleep(min(self.poll, deadline - now).total_seconds())

    def _stale(self, record: LeaseRecord, now: datetime) -> bool:
        return record.expired(now) or holder_gone(record.holder, self.machine, self.alive)

    def _why_stale(self, record: LeaseRecord, now: datetime) -> str:
        if record.expires is None:
            return "it has no expiry"
        if record.expires <= now:
            return f"it expired {_duration(now - record.expires)} ago"
        return "its process on this machine has ended"

    def _take(self) -> LeaseRecord | None:
        """Create our item and check after taking; None if another run was first."""
        return self._check(self._create_mine())

    def _check(self, created: str | None) -> LeaseRecord | None:
        """Read the scope's items again after creating ours (``created``; None: answer
        lost): ours stands unless a live item of another run has a lower id."""
        now = self.clock.now()
        records = self.records()
        mine = next((r for r in records if r.item_id == created or (r.run_id == self.run_id)), None)
        if mine is None:
            return None  # a lost create that did not happen
        ahead = [
            r
            for r in records
            if r.order() < mine.order() and not self._stale(r, now) and r.run_id != self.run_id
        ]
        if not ahead:
            return mine
        logger.info(
            "lease item %s of run %s came first; backing off", ahead[0].item_id, ahead[0].run_id
        )
        self._delete(mine.item_id)
        self.pending = None
        return None

    def renew(self) -> None:
        """Push the held lease's expiry to now + ttl."""
        if self.held is None or self.board_id is None:
            return
        expires = _stamp(self.clock.now() + self.ttl)
        self._mutate(
            MutationCall(
                "change_multiple_column_values",
                {
                    "board_id": self.board_id,
                    "item_id": self.held.item_id,
                    "column_values": {"expires": expires},
                },
            )
        )

    def release(self) -> None:
        """Delete the held lease item (nothing if none is held)."""
        held, self.held = self.held, None
        pending, self.pending = self.pending, None
        item_id = held.item_id if held is not None else pending
        if item_id is None:
            return
        self._delete(item_id)
        if held is not None:
            self.on_event(
                LeaseEvent("released", f"Released the apply lease (item {item_id})", item_id)
            )

    @contextmanager
    def hold(self) -> Iterator[LeaseRecord]:
        """Acquire, renew in the background while the block runs, release at its end
        (also on an exception or Ctrl-C)."""
        stop = threading.Event()
        renewer = threading.Thread(
            target=self._renew_until, args=(stop,), name="boardops-lease", daemon=True
        )
        try:
            # Inside the try: an interruption while taking it still deletes our item.
            record = self.acquire()
            renewer.start()
            yield record
        finally:
            stop.set()
            if renewer.is_alive():
                renewer.join(timeout=10)
            try:
                self.release()
            except BoardopsError as error:
                logger.warning(
                    "could not release the apply lease (it expires by itself in %s): %s",
                    _duration(self.ttl),
                    error,
                )

    def _renew_until(self, stop: threading.Event) -> None:
        while not stop.wait(self.renew_every.total_seconds()):
            try:
                self.renew()
            except BoardopsError as error:
                logger.warning("could not renew the apply lease: %s", error)


def parse_duration(text: str) -> timedelta:
    """``0``, ``90``, ``90s``, ``5m``, ``1h`` (seconds without a unit)."""
    value = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600}
    factor = 1
    if value and value[-1] in units:
        factor = units[value[-1]]
        value = value[:-1]
    try:
        amount = float(value)
    except ValueError:
        raise ValueError(f"not a duration: {text!r} (write e.g. 0, 90s, 5m)") from None
    if amount < 0:
        raise ValueError(f"a duration cannot be negative: {text!r}")
    return timedelta(seconds=amount * factor)


def lease_for(
    client: MondayClient,
    desired: DesiredState,
    *,
    scope: str | None = None,
    timeout: timedelta = timedelta(0),
    on_event: LeaseSink = _ignore,
) -> ApplyLease:
    """The lease an apply of ``desired`` takes (``scope``: a project key instead of the
    manifests' workspaces)."""
    return ApplyLease(client, scope or default_scope(desired), timeout=timeout, on_event=on_event)
