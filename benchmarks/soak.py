"""Fault soak: randomized applies under injected faults, each followed by clean re-runs.

Every run starts a fresh in-memory sandbox, seeds objects boardops must never touch (an
unmanaged workspace and boards; on managed boards that already exist, extra columns,
groups and items), picks a starting point (empty account, a partial earlier apply, a full
apply that has since drifted, or an earlier version of the manifests, so the run renames,
moves, archives and deletes), then applies the examples plus a pruning board and a board
matched by item names, with random faults: 429 with ``retry_in_seconds``, 5xx, 423
locked, complexity throttling, timeouts before or after the request ran, lost
acknowledgements of committed mutations, scheduled faults on the Nth mutation (one run in
six a storm), and, in some runs, the process "killed" between two actions (an exception
raised from apply's event stream after k completed actions). Then it re-runs apply
without faults until the plan is empty, and checks after every run:

* converged: a fresh plan against the account has no changes;
* no duplicates: no workspace, board (per workspace), column, group or item (by its
  ``match_by`` key) is there twice;
* nothing outside the manifest touched: every unmanaged object is byte-identical to its
  record before the run;
* independently of boardops' diff: the account equals, object by object (``census``),
  one that started the same way and was applied once without faults.

``--kill N`` adds N runs that kill a real ``boardops apply`` process with SIGKILL
mid-run, alternately against ``boardops sandbox serve`` (faults over real HTTP) and with
``--sandbox FILE`` (the emulator and its state file in the killed process), then run
apply again and check the first three things.

The client and the emulator share a fake clock (a 429's ``retry_in_seconds`` is waited
on that clock, not slept), requests go one at a time (``--concurrency 1``) so a seed
always meets the same faults, and each run's randomness comes from ``--seed`` and its
index: ``--seed S`` with run index ``i`` reproduces run ``i`` alone (``--only i``).
The real-process runs use real time. ``--time-limit`` stops the soak between runs.

    python -m benchmarks.soak                         # 200 runs + 5 real kills, seed 1
    python -m benchmarks.soak --runs 500 --seed 7 --time-limit 600
    python -m benchmarks.soak --seed 1 --only 42 -v   # one run again, with its details
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx

from boardops.apply import ActionCompleted, apply_plan
from boardops.errors import BoardopsError
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.model import NAME_KEY, DesiredState
from boardops.monday import ApiToken, MondayClient
from boardops.monday.budget import RetryPolicy
from boardops.plan import build_plan
from boardops.sandbox import BASE_URL, Faults, Sandbox, ScheduledFault
from boardops.sandbox.faults import ENV_VAR as FAULTS_ENV
from boardops.sandbox.faults import FaultKind
from boardops.sandbox.profiles import PROFILE_NAMES, ProfileName
from boardops.sandbox.server import ADMIN_TOKEN_HEADER

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MANIFEST_FILES = ("teams.yaml", "sprint.yaml", "bug-tracker.yaml", "crm.yaml")
# A partial earlier apply: the Engineering workspace and its team boards only.
PARTIAL_FILES = ("teams.yaml",)
MAX_RERUNS = 4
STARTS = ("empty", "partial", "drifted", "changed")
# An earlier version of the examples: the "changed" start applies it first, so the faulty
# run renames a board, a column and a group (through previous_names and previous_titles),
# reorders groups, moves items between groups and changes values.
EARLIER_VERSION: tuple[tuple[str, str, str], ...] = (
    ("sprint.yaml", "name: Sprint 48 - Platform", "name: Platform Sprint"),
    (
        "sprint.yaml",
        "title: Status\n        type: status\n        previous_titles: [State]",
        "title: State\n        type: status",
    ),
    ("sprint.yaml", "title: In progress, previous_titles: [Doing]", "title: Doing"),
    ("sprint.yaml", "points: 3", "points: 13"),
    ("sprint.yaml", "status: In review", "status: Working on it"),
    ("bug-tracker.yaml", "group: inbox", "group: closed"),
    ("bug-tracker.yaml", "Customer-facing bugs, from report to fix.", "Bugs."),
    (
        "crm.yaml",
        '- {key: won, title: Won, color: "#00c875"}\n      - {key: lost, title: Lost, '
        'color: "#df2f4a"}',
        '- {key: lost, title: Lost, color: "#df2f4a"}\n      - {key: won, '
        'title: Won, color: "#00c875"}',
    ),
    ("teams.yaml", "status: Working on it, owner: bob@example.com", "status: Blocked"),
)


# A board that prunes (columns, groups, labels and items): the "changed" start applies
# the earlier version first, so the faulty run archives, deletes and renames labels too.
# And a board whose items are matched by name and whose columns have no ids.
PRUNED = """version: 1
workspaces:
  - {key: ops, name: Operations}
boards:
  - name: Ops - Incidents
    key: incidents
    workspace: ops
    prune: true
    columns:
      - {id: ref, title: Ref, type: text}
      - id: state
        title: State
        type: status
        labels:
          - {label: Open, color: stuck_red}
          - {label: Mitigated, color: working_orange, previous_labels: [Contained]}
          - {label: Closed, color: done_green, done: true}
      - {id: impact, title: Impact, type: dropdown, labels: [Checkout, Search, Login]}
    groups:
      - {key: open, title: Open}
      - {key: closed, title: Closed}
    items:
      match_by: [ref]
      prune: true
      rows:
        - {name: DNS outage, group: closed, values: {ref: INC-1, state: Closed}}
        - {name: Slow search, values: {ref: INC-2, state: Mitigated, impact: [Search]}}
        - {name: Login errors, values: {ref: INC-3, state: Open, impact: [Login]}}
  - name: Ops - Chores
    workspace: ops
    columns:
      - {title: When, type: date}
      - {title: Owner, type: people}
      - {title: Tags, type: dropdown, labels: [home, work]}
    groups:
      - {title: This week}
      - {title: Later}
    items:
      rows:
        - {name: Water plants, values: {When: 2026-11-24, Tags: [home]}}
        - {name: Take out bins, group: Later, values: {When: 2026-11-25}}
        - {name: Call plumber, values: {Owner: alice@example.com}}
"""
PRUNED_EARLIER: tuple[tuple[str, str], ...] = (
    (
        "label: Mitigated, color: working_orange, previous_labels: [Contained]",
        "label: Contained, color: working_orange",
    ),
    ("state: Mitigated", "state: Contained"),
    (
        "      - {key: closed, title: Closed}\n",
        "      - {key: closed, title: Closed}\n      - {key: old, title: Old}\n",
    ),
    (
        "      - {id: ref, title: Ref, type: text}\n",
        "      - {id: ref, title: Ref, type: text}\n"
        "      - {id: legacy, title: Legacy, type: text}\n",
    ),
    ("labels: [Checkout, Search, Login]", "labels: [Checkout, Search, Login, Billing]"),
    (
        "        - {name: Login errors,",
        "        - {name: Old alert, group: old, values: {ref: INC-0, legacy: x}}\n"
        "        - {name: Billing bug, values: {ref: INC-9, impact: [Billing]}}\n"
        "        - {name: Login errors,",
    ),
)


def write_pruned(folder: Path, earlier: bool = False) -> Path:
    text = PRUNED
    if earlier:
        for now, before in PRUNED_EARLIER:
            assert now in text, now
            text = text.replace(now, before)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "incidents.yaml"
    path.write_text(text)
    return path


def write_earlier_version(folder: Path) -> list[Path]:
    """The examples as they were before ``EARLIER_VERSION``'s changes, in ``folder``, and
    the earlier version of the pruning board."""
    texts = {name: (EXAMPLES / name).read_text() for name in MANIFEST_FILES}
    for name, now, before in EARLIER_VERSION:
        if now not in texts[name]:
            raise RuntimeError(f"examples/{name} no longer holds {now!r}: update EARLIER_VERSION")
        texts[name] = texts[name].replace(now, before)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in texts.items():
        (folder / name).write_text(text)
        paths.append(folder / name)
    return [*paths, write_pruned(folder, earlier=True)]


class SimClock:
    """A clock shared by the client and the emulator that only moves when slept on."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.slept = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        self.slept += max(0.0, seconds)


class Killed(Exception):
    """Raised from apply's event stream after k completed actions: the process dies there."""


@dataclass
class KillAfter:
    after: int
    seen: int = 0

    def __call__(self, event: object) -> None:
        if isinstance(event, ActionCompleted):
            self.seen += 1
            if self.seen >= self.after:
                raise Killed(f"killed after {self.seen} action(s)")


@dataclass
class RunResult:
    index: int
    start: str
    faults: Counter[str] = field(default_factory=Counter)
    killed_after: int | None = None
    killed_again: bool = False
    first_run_ok: bool = False
    reruns: int = 0
    duplicates: list[str] = field(default_factory=list)
    touched: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.problems or self.duplicates or self.touched)


@dataclass
class Totals:
    runs: int = 0
    killed_in_process: int = 0
    killed_for_real: int = 0
    killed_again: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    reruns: Counter[int] = field(default_factory=Counter)
    starts: Counter[str] = field(default_factory=Counter)
    first_runs_ok: int = 0
    duplicates: int = 0
    touched: int = 0
    failed: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0

    def add(self, result: RunResult) -> None:
        self.runs += 1
        self.faults.update(result.faults)
        self.reruns[result.reruns] += 1
        self.starts[result.start] += 1
        self.first_runs_ok += result.first_run_ok
        self.killed_again += result.killed_again
        self.duplicates += len(result.duplicates)
        self.touched += len(result.touched)
        if result.killed_after is not None:
            if result.start.startswith("sigkill"):
                self.killed_for_real += 1
            else:
                self.killed_in_process += 1
        if not result.ok:
            detail = "; ".join(result.problems + result.duplicates + result.touched)
            self.failed.append(f"run {result.index} ({result.start}): {detail}")

    def render(self) -> str:
        faults = ", ".join(f"{kind} {n}" for kind, n in sorted(self.faults.items())) or "none"
        reruns = ", ".join(f"{n}: {count}" for n, count in sorted(self.reruns.items()))
        starts = ", ".join(f"{name} {n}" for name, n in sorted(self.starts.items()))
        lines = [
            f"runs: {self.runs} ({starts})",
            f"faults injected: {sum(self.faults.values())} ({faults})",
            f"killed between two actions: {self.killed_in_process} in-process, "
            f"{self.killed_for_real} real SIGKILL; {self.killed_again} killed again on the re-run",
            f"converged on the faulty run itself: {self.first_runs_ok}",
            f"clean re-runs needed (re-runs: runs): {reruns}",
            f"duplicates found: {self.duplicates}",
            f"unmanaged objects changed: {self.touched}",
            f"failed runs: {len(self.failed)}",
            f"wall time: {self.wall_seconds:.1f} s",
        ]
        lines.extend(f"  {line}" for line in self.failed)
        return "\n".join(lines)


# --- the account: a client on a sandbox, seeding, checks -------------------------------------


class Account:
    """One in-memory sandbox and a boardops client on it, both on a simulated clock."""

    def __init__(
        self, rng: random.Random, concurrency: int = 1, profile: ProfileName = "docs"
    ) -> None:
        self.clock = SimClock()
        self.sandbox = Sandbox(
            clock=self.clock, sleep=self.clock.sleep, seed=rng.randrange(2**31), profile=profile
        )
        # The examples declare a closed workspace, which needs an Enterprise account.
        self.sandbox.set_account(tier="enterprise")
        self.http = httpx.Client(transport=self.sandbox.transport(), base_url=BASE_URL)
        self._retry_seed = rng.randrange(2**31)
        self.client = self.client_with(concurrency)

    def client_with(self, concurrency: int) -> MondayClient:
        """A client whose boards run on up to ``concurrency`` threads (1: one at a time,
        the same requests in the same order every time)."""
        return MondayClient(
            self.http,
            ApiToken("soak"),
            api_url=BASE_URL,
            clock=self.clock,
            sleep=self.clock.sleep,
            retry=RetryPolicy(random=random.Random(self._retry_seed).random),
            max_concurrency=concurrency,
        )

    def close(self) -> None:
        self.http.close()

    def apply(self, desired: DesiredState, on_event: Any = None) -> bool:
        live = read_live(self.client, desired)
        plan = build_plan(desired, live)
        if not plan.has_changes:
            return True
        kwargs: dict[str, Any] = {} if on_event is None else {"on_event": on_event}
        result = apply_plan(self.client, plan, live=live, allow_destroy=True, **kwargs)
        return result.ok

    def converged(self, desired: DesiredState) -> bool:
        return not build_plan(desired, read_live(self.client, desired)).has_changes

    def mutate(self, document: str, **variables: Any) -> dict[str, Any]:
        return self.client.mutate(document, variables)


CREATE_WORKSPACE = """
mutation ($name: String!) { create_workspace(name: $name, kind: open) { id } }"""
CREATE_BOARD = """
mutation ($name: String!, $ws: ID) {
  create_board(board_name: $name, board_kind: public, workspace_id: $ws) { id }
}"""
CREATE_COLUMN = """
mutation ($board: ID!, $title: String!, $type: ColumnType!) {
  create_column(board_id: $board, title: $title, column_type: $type) { id }
}"""
CREATE_GROUP = """
mutation ($board: ID!, $title: String!) {
  create_group(board_id: $board, group_name: $title) { id }
}"""
CREATE_ITEM = """
mutation ($board: ID!, $group: String, $name: String!, $values: JSON) {
  create_item(board_id: $board, group_id: $group, item_name: $name, column_values: $values) {
    id
  }
}"""
CHANGE_VALUES = """
mutation ($board: ID!, $item: ID!, $values: JSON!) {
  change_multiple_column_values(board_id: $board, item_id: $item, column_values: $values) {
    id
  }
}"""
RENAME_ITEM = """
mutation ($board: ID!, $item: ID!, $values: JSON!) {
  change_multiple_column_values(board_id: $board, item_id: $item, column_values: $values) {
    id
  }
}"""
DELETE_ITEM = """mutation ($item: ID!) { delete_item(item_id: $item) { id } }"""


class Mutator(Protocol):
    def mutate(self, document: str, **variables: Any) -> dict[str, Any]: ...


@dataclass
class Unmanaged:
    """What the run must leave alone, by sandbox id."""

    boards: set[str] = field(default_factory=set)
    workspaces: set[str] = field(default_factory=set)
    columns: set[tuple[str, str]] = field(default_factory=set)  # (board id, column id)
    groups: set[tuple[str, str]] = field(default_factory=set)  # (board id, group id)
    items: set[str] = field(default_factory=set)


def seed_unmanaged_board(account: Mutator, rng: random.Random, name: str, ws: str | None) -> str:
    board = account.mutate(CREATE_BOARD, name=name, ws=ws)["create_board"]["id"]
    column = account.mutate(CREATE_COLUMN, board=board, title="Amount", type="numbers")
    column_id = column["create_column"]["id"]
    group = account.mutate(CREATE_GROUP, board=board, title="Q1")["create_group"]["id"]
    for n in range(rng.randint(1, 4)):
        values = json.dumps({column_id: str(rng.randint(1, 9999))})
        account.mutate(CREATE_ITEM, board=board, group=group, name=f"Line {n}", values=values)
    return str(board)


def seed_unmanaged(
    account: Account, rng: random.Random, desired: DesiredState, unmanaged: Unmanaged
) -> None:
    """An unmanaged workspace with a board, an unmanaged board in the main workspace, and
    extra columns, groups and items on every managed board that already exists."""
    ws = account.mutate(CREATE_WORKSPACE, name="Finance (not managed)")["create_workspace"]["id"]
    unmanaged.workspaces.add(str(ws))
    unmanaged.boards.add(seed_unmanaged_board(account, rng, "Budget 2027", str(ws)))
    unmanaged.boards.add(seed_unmanaged_board(account, rng, "Scratchpad", None))
    managed_names = {board.name for board in desired.boards}
    pruning = {board.name for board in desired.boards if board.prune}
    for record in account.sandbox.state.boards:
        if record.name not in managed_names or record.state != "active":
            continue
        if record.name in pruning:
            continue  # everything on a pruning board is the manifest's to keep or remove
        column = account.mutate(CREATE_COLUMN, board=record.id, title="Private notes", type="text")
        column_id = str(column["create_column"]["id"])
        unmanaged.columns.add((record.id, column_id))
        group = account.mutate(CREATE_GROUP, board=record.id, title="Parking lot")
        group_id = str(group["create_group"]["id"])
        unmanaged.groups.add((record.id, group_id))
        for n in range(rng.randint(1, 3)):
            values = json.dumps({column_id: f"note {n}"})
            made = account.mutate(
                CREATE_ITEM, board=record.id, group=group_id, name=f"Side task {n}", values=values
            )
            unmanaged.items.add(str(made["create_item"]["id"]))


def drift(account: Account, rng: random.Random, desired: DesiredState) -> int:
    """Change managed items behind boardops' back: values, names, deletions."""
    changes = 0
    managed = {board.name: board for board in desired.boards}
    for record in account.sandbox.state.boards:
        board = managed.get(record.name)
        if board is None or board.items is None or record.state != "active":
            continue
        text_columns = [c.id for c in record.columns if c.type == "text" and not c.archived]
        match_ids = set(board.items.match_by)
        for item in record.items:
            if item.state != "active" or rng.random() > 0.4:
                continue
            choice = rng.choice(("name", "value", "delete"))
            if choice == "delete":
                account.mutate(DELETE_ITEM, item=item.id)
            elif choice == "name":
                values = json.dumps({"name": item.name + " (edited)"})
                account.mutate(RENAME_ITEM, board=record.id, item=item.id, values=values)
            else:
                editable = [c for c in text_columns if c not in match_ids]
                if not editable:
                    continue
                values = json.dumps({rng.choice(editable): "changed by hand"})
                account.mutate(CHANGE_VALUES, board=record.id, item=item.id, values=values)
            changes += 1
    return changes


def unmanaged_records(data: Mapping[str, Any], unmanaged: Unmanaged) -> dict[str, str]:
    """The JSON text of every unmanaged object's record, to compare byte for byte."""
    records: dict[str, str] = {}
    for ws in sorted(unmanaged.workspaces):
        records[f"workspace {ws}"] = json.dumps(data["workspaces"][ws], sort_keys=True)
    for board in sorted(unmanaged.boards):
        records[f"board {board}"] = json.dumps(data["boards"][board], sort_keys=True)
        for item_id in data["boards"][board]["item_ids"]:
            item = data["items"][item_id]
            records[f"item {item_id}"] = json.dumps(item, sort_keys=True)
    for board, column_id in sorted(unmanaged.columns):
        column = next(c for c in data["boards"][board]["columns"] if c["id"] == column_id)
        records[f"column {board}/{column_id}"] = json.dumps(column, sort_keys=True)
    for board, group_id in sorted(unmanaged.groups):
        group = next(g for g in data["boards"][board]["groups"] if g["id"] == group_id)
        records[f"group {board}/{group_id}"] = json.dumps(group, sort_keys=True)
    for item_id in sorted(unmanaged.items):
        records[f"item {item_id}"] = json.dumps(data["items"][item_id], sort_keys=True)
    return records


def find_duplicates(data: Mapping[str, Any], desired: DesiredState) -> list[str]:
    """Everything that exists twice: workspaces by name, boards by name within a
    workspace, columns and groups by title within a board, items by match key."""
    found: list[str] = []
    workspaces = Counter(w["name"] for w in data["workspaces"].values() if w["state"] == "active")
    found.extend(f"workspace {n!r} x{c}" for n, c in workspaces.items() if c > 1)
    boards = Counter(
        (b.get("workspace_id"), b["name"])
        for b in data["boards"].values()
        if b["state"] == "active"
    )
    found.extend(f"board {n!r} x{c}" for (_, n), c in boards.items() if c > 1)
    managed = {board.name: board for board in desired.boards}
    for board in data["boards"].values():
        if board["state"] != "active":
            continue
        name = board["name"]
        columns = Counter(c["title"] for c in board["columns"] if not c.get("archived"))
        found.extend(f"{name}: column {t!r} x{c}" for t, c in columns.items() if c > 1)
        groups = Counter(
            g["title"] for g in board["groups"] if not g["archived"] and not g["deleted"]
        )
        found.extend(f"{name}: group {t!r} x{c}" for t, c in groups.items() if c > 1)
        desired_board = managed.get(name)
        if desired_board is None or desired_board.items is None:
            continue
        match_ids: list[str] = []
        for key in desired_board.items.match_by:
            if key == NAME_KEY:
                match_ids.append(NAME_KEY)
                continue
            column = desired_board.column(key)
            title = column.title if column is not None else key
            live = next(
                (c["id"] for c in board["columns"] if c["id"] == key or c["title"] == title), key
            )
            match_ids.append(live)
        keys: Counter[str] = Counter()
        for item_id in board["item_ids"]:
            item = data["items"][item_id]
            if item["state"] != "active":
                continue
            parts = [item["name"] if m == NAME_KEY else item["values"].get(m) for m in match_ids]
            if all(part is None for part in parts):
                continue  # an item without a match value is not managed
            keys[json.dumps(parts, sort_keys=True)] += 1
        found.extend(f"{name}: item {k} x{c}" for k, c in keys.items() if c > 1)
    return found


# --- one run ---------------------------------------------------------------------------------


def random_faults(rng: random.Random) -> Faults:
    # One run in six is a storm: rates high enough that retries run out mid-apply.
    storm = 3.0 if rng.random() < 1 / 6 else 1.0

    def maybe(low: float, high: float, chance: float = 0.6) -> float:
        if rng.random() >= chance:
            return 0.0
        return round(min(0.6, rng.uniform(low, high) * storm), 3)

    kinds: tuple[FaultKind, ...] = ("lost_ack", "timeout", "5xx")
    schedule = tuple(
        ScheduledFault(rng.choice(kinds), rng.randint(1, 12), True)
        for _ in range(rng.randint(0, 3))
    )
    return Faults(
        rate_limit=maybe(0.02, 0.25),
        server_error=maybe(0.01, 0.12),
        complexity=maybe(0.01, 0.05, 0.3),
        timeout=maybe(0.01, 0.12),
        lost_ack=maybe(0.02, 0.2),
        locked=maybe(0.01, 0.08, 0.3),
        timeout_phase=rng.choice(("before", "after")),
        retry_in_seconds=rng.randint(1, 30),
        schedule=schedule,
        seed=rng.randrange(2**31),
    )


def soak_run(
    seed: int,
    index: int,
    paths: Sequence[Path],
    partial: Sequence[Path],
    concurrency: int = 1,
    earlier: Sequence[Path] = (),
    profile: ProfileName = "docs",
) -> RunResult:
    desired = load_manifests(paths)
    rng, start, account, unmanaged = _prepare(
        seed, index, desired, partial, earlier, concurrency, profile
    )
    result = RunResult(index, start)
    try:
        before = unmanaged_records(account.sandbox.state.raw, unmanaged)
        # How many actions there are to kill between (read before any fault is on).
        to_do = len(build_plan(desired, read_live(account.client, desired)).actions)
        faults_before = Counter(account.sandbox.counters.faults)
        account.sandbox.faults = random_faults(rng)
        killer = None
        if rng.random() < 0.35 and to_do > 1:
            killer = KillAfter(rng.randint(1, to_do - 1))
        try:
            result.first_run_ok = account.apply(desired, on_event=killer)
        except Killed:
            result.killed_after = killer.seen if killer else None
        except BoardopsError:
            pass  # the faulty run may fail; the re-runs must recover
        except Exception as error:  # a crash is a finding, not a fault
            result.problems.append(f"faulty run crashed: {type(error).__name__}: {error}")
        account.sandbox.faults = Faults()
        result.faults = Counter(account.sandbox.counters.faults) - faults_before
        if result.killed_after is not None and rng.random() < 0.2:
            # Killed again on the first re-run, before it finished.
            try:
                account.apply(desired, on_event=KillAfter(rng.randint(1, 10)))
            except Killed:
                result.reruns += 1
                result.killed_again = True
        result.first_run_ok = result.first_run_ok and result.killed_after is None
        while not account.converged(desired):
            if result.reruns >= MAX_RERUNS:
                result.problems.append(f"not converged after {MAX_RERUNS} clean re-runs")
                break
            result.reruns += 1
            try:
                if not account.apply(desired):
                    result.problems.append(f"clean re-run {result.reruns} reported failures")
            except BoardopsError as error:
                result.problems.append(f"clean re-run {result.reruns} failed: {error}")
        data = account.sandbox.state.raw
        result.duplicates = find_duplicates(data, desired)
        after = unmanaged_records(data, unmanaged)
        result.touched = [
            f"{key} changed" for key in sorted(before) if before[key] != after.get(key)
        ]
        # Independent of boardops' own diff: the account must look exactly like one that
        # started the same way and was applied once, with no fault at all.
        _, _, reference, _ = _prepare(seed, index, desired, partial, earlier, concurrency, profile)
        try:
            reference.apply(desired)
            expected = census(reference.sandbox.state.raw)
        finally:
            reference.close()
        got = census(data)
        result.problems.extend(
            f"differs from an undisturbed apply: {key}"
            for key in sorted(expected.keys() | got.keys())
            if expected.get(key) != got.get(key)
        )
    finally:
        account.close()
    return result


def _prepare(
    seed: int,
    index: int,
    desired: DesiredState,
    partial: Sequence[Path],
    earlier: Sequence[Path],
    concurrency: int,
    profile: ProfileName = "docs",
) -> tuple[random.Random, str, Account, Unmanaged]:
    """Run ``index``'s account as it is before the faulty apply: the same every time (set
    up one request at a time; ``concurrency`` is for the applies that follow)."""
    rng = random.Random(f"{seed}:{index}")
    start = rng.choice(STARTS if earlier else STARTS[:-1])
    account = Account(rng, profile=profile)
    if start == "partial":
        account.apply(load_manifests(partial))
    elif start == "drifted":
        account.apply(desired)
    elif start == "changed":
        account.apply(load_manifests(earlier))
    unmanaged = Unmanaged()
    seed_unmanaged(account, rng, desired, unmanaged)
    if start == "drifted":
        drift(account, rng, desired)
    account.client = account.client_with(concurrency)
    return rng, start, account, unmanaged


def census(data: Mapping[str, Any]) -> dict[str, str]:
    """Every active object by what a person sees (names, titles, order, settings, values),
    ids and timestamps left out, as JSON text per board and per workspace."""
    found: dict[str, str] = {}
    workspaces = {w["id"]: w for w in data["workspaces"].values()}
    for ws in workspaces.values():
        if ws["state"] == "active":
            found[f"workspace {ws['name']}"] = json.dumps(
                [ws["kind"], ws.get("description")], sort_keys=True
            )
    for board in data["boards"].values():
        if board["state"] != "active":
            continue
        ws_name = workspaces.get(board.get("workspace_id"), {}).get("name")
        groups = sorted(
            (g for g in board["groups"] if not g["archived"] and not g["deleted"]),
            key=lambda g: g["position"],
        )
        titles = {g["id"]: g["title"] for g in groups}
        items = sorted(
            json.dumps(
                [item["name"], titles.get(item["group_id"], "?"), item["values"]], sort_keys=True
            )
            for item in (data["items"][i] for i in board["item_ids"])
            if item["state"] == "active"
        )
        found[f"board {ws_name}/{board['name']}"] = json.dumps(
            {
                "kind": board["board_kind"],
                "description": board.get("description"),
                "columns": [
                    [c["title"], c["type"], c.get("description"), c["settings"]]
                    for c in board["columns"]
                    if not c.get("archived")
                ],
                "groups": [[g["title"], g["color"]] for g in groups],
                "items": items,
            },
            sort_keys=True,
        )
    return found


# --- real processes, really killed -----------------------------------------------------------


@contextmanager
def served_sandbox(state: Path, faults: str) -> Iterator[tuple[str, dict[str, str]]]:
    """``boardops sandbox serve --admin`` in a child process; yields its API URL and the
    headers its admin endpoints need (the token comes through ``--admin-token-file``)."""
    token_file = state.with_name(state.name + ".admin-token")
    command = [
        *CLI,
        "sandbox",
        "serve",
        "--port",
        "0",
        "--sandbox",
        str(state),
        "--faults",
        faults,
        "--admin",
        "--admin-token-file",
        str(token_file),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if "serving" not in line:
            raise RuntimeError(f"the sandbox server did not start: {line!r}")
        admin = {
            ADMIN_TOKEN_HEADER: token_file.read_text(encoding="utf-8").strip(),
            "Content-Type": "application/json",
        }
        yield line.split("serving ", 1)[1].split(" ", 1)[0], admin
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


CLI = [sys.executable, "-c", "import sys; from boardops.cli import main; sys.exit(main())"]


def _boardops(url: str, *args: str) -> list[str]:
    return [*CLI, *args, "--api-url", url]


KILL_FAULTS = "429=0.03,5xx=0.04,lost_ack=0.05,timeout=0.03,stall_s=0.3,retry_in=1,latency_ms=15"


def kill_run(
    seed: int,
    index: int,
    paths: Sequence[Path],
    workdir: Path,
    latency_ms: int = 15,
    faults: str = KILL_FAULTS,
    profile: ProfileName = "docs",
) -> RunResult:
    """Apply in a real process under ``faults`` (served over real HTTP: dropped
    connections, real waits), SIGKILL it after k completed actions, apply again."""
    rng = random.Random(f"{seed}:kill:{index}")
    result = RunResult(index, "sigkill")
    desired = load_manifests(paths)
    state = workdir / f"kill-{index}.json"
    new_account_file(state, profile)
    env = {
        **os.environ,
        "MONDAY_API_TOKEN": "soak-token",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    after = rng.randint(1, 30)
    served = served_sandbox(state, f"latency_ms={latency_ms},seed={rng.randrange(2**31)}")
    with served as (url, admin):
        sandbox_http = httpx.Client(base_url=url, headers={"Authorization": "soak"})
        seeder = MondayClient(sandbox_http, ApiToken("soak"), api_url=url)
        account = _RemoteAccount(seeder)
        unmanaged = Unmanaged()
        ws = seeder.mutate(CREATE_WORKSPACE, {"name": "Finance (not managed)"})
        unmanaged.workspaces.add(str(ws["create_workspace"]["id"]))
        unmanaged.boards.add(seed_unmanaged_board(account, rng, "Scratchpad", None))
        before = unmanaged_records(_remote_state(state), unmanaged)
        if faults:
            spec = f"{faults},seed={rng.randrange(2**31)}"
            sandbox_http.post(
                "/sandbox/faults", json={"faults": spec}, headers=admin
            ).raise_for_status()
        command = _boardops(url, "apply", *map(str, paths), "--auto-approve", "--format", "json")
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        assert process.stdout is not None
        completed = 0
        for line in process.stdout:
            if '"event": "action_completed"' in line or '"event":"action_completed"' in line:
                completed += 1
                if completed >= after:
                    process.send_signal(signal.SIGKILL)
                    break
        process.stdout.close()
        process.wait()
        result.killed_after = completed if process.returncode == -signal.SIGKILL else None
        sandbox_http.post("/sandbox/faults", json={"faults": ""}, headers=admin).raise_for_status()
        counters = sandbox_http.post("/sandbox/counters", json={}, headers=admin).json()
        result.faults = Counter(counters.get("faults", {}))
        while True:
            plan = subprocess.run(
                _boardops(url, "plan", *map(str, paths), "--detailed-exitcode"),
                env=env,
                capture_output=True,
                text=True,
            )
            if plan.returncode == 0:
                break
            if plan.returncode != 2 or result.reruns >= MAX_RERUNS:
                result.problems.append(f"plan exit {plan.returncode}: {plan.stderr.strip()}")
                break
            result.reruns += 1
            rerun = subprocess.run(
                _boardops(url, "apply", *map(str, paths), "--auto-approve"),
                env=env,
                capture_output=True,
                text=True,
            )
            if rerun.returncode != 0:
                result.problems.append(f"re-run exit {rerun.returncode}: {rerun.stderr.strip()}")
        sandbox_http.close()
    data = _remote_state(state)
    result.duplicates = find_duplicates(data, desired)
    after_records = unmanaged_records(data, unmanaged)
    result.touched = [f"{k} changed" for k in sorted(before) if before[k] != after_records.get(k)]
    return result


EMBEDDED_KILL_FAULTS = "429=0.03,5xx=0.04,lost_ack=0.05,timeout=0.03,retry_in=1,latency_ms=15"


def kill_embedded_run(
    seed: int,
    index: int,
    paths: Sequence[Path],
    workdir: Path,
    faults: str = EMBEDDED_KILL_FAULTS,
    profile: ProfileName = "docs",
) -> RunResult:
    """``boardops apply --sandbox FILE``: the emulator lives in the process that is killed
    and saves its state file as it goes. SIGKILL it after k completed actions (faults from
    ``BOARDOPS_SANDBOX_FAULTS``), then apply again without faults."""
    rng = random.Random(f"{seed}:kill-file:{index}")
    result = RunResult(index, "sigkill --sandbox FILE")
    desired = load_manifests(paths)
    state = workdir / f"kill-file-{index}.json"
    seeding = httpx.Client(
        transport=new_account_file(state, profile).transport(), base_url=BASE_URL
    )
    account = _RemoteAccount(MondayClient(seeding, ApiToken("soak"), api_url=BASE_URL))
    unmanaged = Unmanaged()
    ws = account.mutate(CREATE_WORKSPACE, name="Finance (not managed)")
    unmanaged.workspaces.add(str(ws["create_workspace"]["id"]))
    unmanaged.boards.add(seed_unmanaged_board(account, rng, "Scratchpad", None))
    seeding.close()
    before = unmanaged_records(_remote_state(state), unmanaged)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    env.pop("MONDAY_API_TOKEN", None)
    env.pop(FAULTS_ENV, None)
    faulty = {**env, FAULTS_ENV: f"{faults},seed={rng.randrange(2**31)}"} if faults else env
    backend = f"--sandbox={state}"
    after = rng.randint(1, 30)
    command = [*CLI, "apply", *map(str, paths), "--auto-approve", "--format", "json", backend]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=faulty
    )
    assert process.stdout is not None
    completed = 0
    for line in process.stdout:
        if '"event": "action_completed"' in line or '"event":"action_completed"' in line:
            completed += 1
            if completed >= after:
                process.send_signal(signal.SIGKILL)
                break
    process.stdout.close()
    process.wait()
    result.killed_after = completed if process.returncode == -signal.SIGKILL else None
    while True:
        plan = subprocess.run(
            [*CLI, "plan", *map(str, paths), "--detailed-exitcode", backend],
            env=env,
            capture_output=True,
            text=True,
        )
        if plan.returncode == 0:
            break
        if plan.returncode != 2 or result.reruns >= MAX_RERUNS:
            result.problems.append(f"plan exit {plan.returncode}: {plan.stderr.strip()}")
            break
        result.reruns += 1
        rerun = subprocess.run(
            [*CLI, "apply", *map(str, paths), "--auto-approve", backend],
            env=env,
            capture_output=True,
            text=True,
        )
        if rerun.returncode != 0:
            result.problems.append(f"re-run exit {rerun.returncode}: {rerun.stderr.strip()}")
    data = _remote_state(state)
    result.duplicates = find_duplicates(data, desired)
    after_records = unmanaged_records(data, unmanaged)
    result.touched = [f"{k} changed" for k in sorted(before) if before[k] != after_records.get(k)]
    return result


def new_account_file(state: Path, profile: ProfileName) -> Sandbox:
    """A sandbox state file for a killed run: its profile, and an Enterprise account (the
    examples declare a closed workspace). Later processes take both from the file."""
    sandbox = Sandbox(state, profile=profile)
    sandbox.set_account(tier="enterprise")
    return sandbox


class _RemoteAccount:
    """``seed_unmanaged_board``'s view of a client on a served sandbox."""

    def __init__(self, client: MondayClient) -> None:
        self.client = client

    def mutate(self, document: str, **variables: Any) -> dict[str, Any]:
        return self.client.mutate(document, variables)


def _remote_state(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


# --- the command -----------------------------------------------------------------------------


def soak(
    *,
    seed: int,
    runs: int,
    kills: int = 0,
    time_limit: float = 600.0,
    concurrency: int = 1,
    only: int | None = None,
    verbose: bool = False,
    out: Any = None,
    profile: ProfileName = "docs",
) -> Totals:
    scratch = tempfile.TemporaryDirectory(prefix="boardops-soak-")
    paths = [
        *(EXAMPLES / name for name in MANIFEST_FILES),
        write_pruned(Path(scratch.name) / "now"),
    ]
    partial = [EXAMPLES / name for name in PARTIAL_FILES]
    totals = Totals()
    began = time.monotonic()
    indexes = [only] if only is not None else list(range(runs))
    earlier = write_earlier_version(Path(scratch.name) / "earlier")
    for index in indexes:
        if time.monotonic() - began > time_limit:
            print(f"time limit reached after {totals.runs} runs", file=out or sys.stdout)
            break
        result = soak_run(seed, index, paths, partial, concurrency, earlier, profile)
        totals.add(result)
        if verbose:
            print(_describe(result), file=out or sys.stdout)
    if only is None and kills:
        with tempfile.TemporaryDirectory(prefix="boardops-soak-") as folder:
            for index in range(kills):
                if time.monotonic() - began > time_limit:
                    break
                # Alternately against `sandbox serve` and with the emulator in-process.
                run = kill_run if index % 2 == 0 else kill_embedded_run
                result = run(seed, index, paths, Path(folder), profile=profile)
                totals.add(result)
                if verbose:
                    print(_describe(result), file=out or sys.stdout)
    scratch.cleanup()
    totals.wall_seconds = time.monotonic() - began
    return totals


def _describe(result: RunResult) -> str:
    faults = dict(sorted(result.faults.items()))
    killed = "" if result.killed_after is None else f" killed after {result.killed_after}"
    status = "ok" if result.ok else "FAILED"
    return (
        f"run {result.index} [{result.start}] faults {faults}{killed} "
        f"re-runs {result.reruns}: {status}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--kill", type=int, default=5, help="runs killed with a real SIGKILL")
    parser.add_argument("--time-limit", type=float, default=900.0, help="seconds; then stop")
    parser.add_argument("--concurrency", type=int, default=1, help=">1 is not reproducible")
    parser.add_argument("--only", type=int, help="repeat one run by its index")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per run")
    parser.add_argument(
        "--sandbox-profile",
        choices=PROFILE_NAMES,
        default="docs",
        help="monday as documented, or as real accounts answer",
    )
    args = parser.parse_args(argv)
    # The client logs every retry and lost answer; the totals say what matters.
    logging.basicConfig(level=logging.ERROR)
    if args.verbose:
        logging.getLogger("boardops").setLevel(logging.WARNING)
    totals = soak(
        seed=args.seed,
        runs=args.runs,
        kills=args.kill,
        time_limit=args.time_limit,
        concurrency=args.concurrency,
        only=args.only,
        verbose=args.verbose,
        profile=args.sandbox_profile,
    )
    print(totals.render())
    return 0 if not totals.failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
