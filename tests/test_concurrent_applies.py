"""Two applies at once never duplicate anything.

Without the lease, two applies that plan before either writes both create everything
(reproduced deterministically in process). With it, two real ``boardops apply``
processes (separate HOME and TMPDIR, as on two CI runners) against one ``boardops
sandbox serve``, 20 times: exactly one applies, the other exits 1 naming the holder or
waits and then finds nothing to do, and nothing exists twice.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from boardops.apply import apply_plan
from boardops.errors import BoardopsError
from boardops.lease import LOCK_BOARD_NAME
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.monday import ApiToken, MondayClient
from boardops.plan import build_plan
from boardops.sandbox import BASE_URL, Sandbox

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "import sys; from boardops.cli import main; sys.exit(main())"]
TOKEN = "concurrent-applies-token-71c2"
ROUNDS = 20

HOLDER_LINE = re.compile(
    r"^error: another apply holds the lease for 'workspaces: Team \d+': \S+ pid \d+ "
    r"\(machine [0-9a-f]{8}\) \(run [0-9a-f]{12}, \d+ s old\), item \d+ on board "
    r'"boardops lock"; retry later, or wait with --lock-timeout$'
)


def manifest(directory: Path, round_number: int) -> Path:
    path = directory / f"team-{round_number:02d}.yaml"
    path.write_text(
        f"""version: 1
workspaces:
  - {{key: team{round_number}, name: Team {round_number}}}
boards:
  - name: Tasks
    key: tasks{round_number}
    workspace: team{round_number}
    kind: public
    columns:
      - {{id: code, title: Code, type: text}}
    groups:
      - {{key: todo, title: To do}}
    items:
      match_by: [code]
      rows:
        - {{name: First, group: todo, values: {{code: T-1}}}}
        - {{name: Second, group: todo, values: {{code: T-2}}}}
""",
        encoding="utf-8",
    )
    return path


def duplicates(sandbox: Sandbox) -> list[str]:
    """Every workspace, board (per workspace), group (per board) and item (per board)
    name that exists more than once, active."""
    view = sandbox.state
    names: Counter[str] = Counter(
        f"workspace {w.name}" for w in view.workspaces if getattr(w, "state", "active") == "active"
    )
    for board in view.boards:
        if board.state != "active":
            continue
        names[f"board {board.workspace_id}/{board.name}"] += 1
        for group in board.groups:
            if not group.archived and not group.deleted:
                names[f"group {board.id}/{group.title}"] += 1
        for item in board.active_items:
            names[f"item {board.id}/{item.name}"] += 1
    return sorted(name for name, count in names.items() if count > 1)


def test_without_the_lease_two_applies_planned_at_once_duplicate_everything(
    sandbox: Sandbox, sandbox_http: httpx.Client, tmp_path: Path
) -> None:
    client = MondayClient(sandbox_http, ApiToken("sandbox"), api_url=BASE_URL)
    desired = load_manifests([str(manifest(tmp_path, 1))])
    first = build_plan(desired, read_live(client, desired))
    second = build_plan(desired, read_live(client, desired))  # the other runner, same moment
    assert apply_plan(client, first).ok
    assert apply_plan(client, second).ok  # "both exit 0"
    assert duplicates(sandbox) == ["workspace Team 1"]
    assert [b.name for b in sandbox.state.boards].count("Tasks") == 2
    with pytest.raises(BoardopsError, match="2 workspaces named 'Team 1'"):
        read_live(client, desired)  # and every later plan refuses


@dataclass
class Served:
    url: str
    state: Path


@contextmanager
def serving(state: Path, latency_ms: int) -> Iterator[Served]:
    """``boardops sandbox serve`` in a child process, answering after ``latency_ms``."""
    serve = ["sandbox", "serve", "--port", "0", "--sandbox", str(state)]
    process = subprocess.Popen(
        [*CLI, *serve, "--latency-ms", str(latency_ms)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "serving" in line, line
        yield Served(line.split("serving ", 1)[1].split(" ", 1)[0], state)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serving(tmp_path / "sandbox.json", latency_ms=40) as server:
        yield server


def runner_env(tmp_path: Path, name: str) -> dict[str, str]:
    home, temp = tmp_path / name / "home", tmp_path / name / "tmp"
    home.mkdir(parents=True, exist_ok=True)
    temp.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MONDAY_", "BOARDOPS_"))}
    env.update(HOME=str(home), TMPDIR=str(temp), MONDAY_API_TOKEN=TOKEN, PYTHONPATH=str(ROOT))
    return env


def test_two_real_applies_at_once_never_duplicate_anything(served: Served, tmp_path: Path) -> None:
    started = time.monotonic()
    outcomes: Counter[str] = Counter()
    for number in range(1, ROUNDS + 1):
        path = manifest(tmp_path, number)
        # Odd rounds: the second apply refuses at once; even rounds: it waits its turn.
        timeout = "0" if number % 2 else "30s"
        processes = [
            subprocess.Popen(
                [
                    *CLI,
                    "apply",
                    str(path),
                    "--auto-approve",
                    "--lock-timeout",
                    timeout,
                    "--api-url",
                    served.url,
                ],
                env=runner_env(tmp_path, f"runner-{number}-{side}"),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            for side in "ab"
        ]
        results = [(p.wait(timeout=60), *p.communicate()) for p in processes]
        applied = [out for code, out, _ in results if code == 0 and "Apply complete" in out]
        assert len(applied) == 1, results
        assert applied[0].startswith('Acquired the apply lease on board "boardops lock"')
        [(code, out, err)] = [r for r in results if "Apply complete" not in r[1]]
        if code == 1:
            assert HOLDER_LINE.match(err.strip()), err
            assert out == ""
            outcomes["refused"] += 1
        else:
            assert code == 0, err
            assert "No changes." in out, out
            outcomes["waited" if "waiting up to" in err else "after"] += 1
    elapsed = time.monotonic() - started
    # Most rounds must really overlap (the second apply met a held lease), or this test
    # would prove nothing about concurrency.
    assert outcomes["refused"] + outcomes["waited"] >= ROUNDS // 4, outcomes
    plan = subprocess.run(
        [*CLI, "plan", str(tmp_path), "--detailed-exitcode", "--api-url", served.url],
        env=runner_env(tmp_path, "reviewer"),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert LOCK_BOARD_NAME not in plan.stdout
    served_state = Sandbox(served.state)
    assert duplicates(served_state) == []
    lock_boards = [b for b in served_state.state.boards if b.name == LOCK_BOARD_NAME]
    assert [b.state for b in lock_boards if b.state == "active"] == ["active"]
    assert all(not b.active_items for b in lock_boards)  # every lease was released
    print(f"\nconcurrent applies: {ROUNDS} rounds, 0 duplicates, {dict(outcomes)}, {elapsed:.1f} s")


def test_a_cancelled_apply_releases_the_lease(tmp_path: Path) -> None:
    """SIGTERM (a cancelled CI job) mid-apply: the apply stops and deletes its lease item,
    so the next apply need not wait for it to expire."""
    state = tmp_path / "sandbox.json"
    with serving(state, latency_ms=150) as server:
        url = server.url
        env = {**runner_env(tmp_path, "cancelled"), "PYTHONUNBUFFERED": "1"}
        apply = subprocess.Popen(
            [*CLI, "apply", str(manifest(tmp_path, 1)), "--auto-approve", "--api-url", url],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert apply.stdout is not None
        assert apply.stdout.readline().startswith("Acquired the apply lease")
        apply.send_signal(signal.SIGTERM)
        out, err = apply.communicate(timeout=60)
        assert apply.returncode != 0  # stopped before it finished
        assert "Apply complete" not in out, err
        [lock] = [b for b in Sandbox(state).state.boards if b.name == LOCK_BOARD_NAME]
        assert lock.active_items == (), err
