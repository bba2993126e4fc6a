"""Plan benchmark: what a plan costs in requests, time and memory as boards grow.

Scenarios (issue 5): one board of 1,000 items, one of 10,000 items (monday's usual
per-board cap) and 20 boards of 2,500 items each. The sandbox runs as a real HTTP server
in a separate process, so the figures are boardops' own (CPU time and peak memory of the
planning process, not the emulator's). Each scenario is seeded through the API, then
planned against a manifest that matches it, so the plan compares every item and finds
nothing to change.

    python benchmarks/plan.py            # all scenarios
    python benchmarks/plan.py --quick    # 1,000 items only
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from boardops.monday import ApiToken, MondayClient, MutationCall
from boardops.monday.pacing import PaceLimits
from boardops.sandbox.server import ADMIN_TOKEN_HEADER

SCENARIOS: dict[str, tuple[int, int]] = {
    "1 board x 1,000 items": (1, 1_000),
    "1 board x 10,000 items": (1, 10_000),
    "20 boards x 2,500 items": (20, 2_500),
}
STATUS_LABELS = ("Working on it", "Done", "Stuck")
SEED_BATCH = 100


@contextmanager
def sandbox_server() -> Iterator[tuple[str, str]]:
    """A sandbox HTTP server (with its admin endpoints) in a child process; yields its URL
    and its admin token."""
    code = (
        "import sys; from boardops.sandbox import Sandbox; "
        "server = Sandbox().serve('127.0.0.1', 0, admin=True); "
        "print(server.url, server.admin_token, flush=True); "
        "sys.stdin.read(); server.close()"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().split()
        if len(line) != 2:
            raise RuntimeError("the sandbox server did not start")
        url, token = line
        yield url, token
    finally:
        if process.stdin is not None:
            process.stdin.close()
        process.wait(timeout=30)


def admin_headers(token: str) -> dict[str, str]:
    return {ADMIN_TOKEN_HEADER: token, "Content-Type": "application/json"}


def _client(http: httpx.Client, url: str) -> MondayClient:
    # The served sandbox does not cap mutations per minute: seeding need not pace at
    # monday's 2,000 (the plan measured here only reads).
    unpaced = PaceLimits(mutations_per_minute=10**9, complexity_per_minute=10**12)
    return MondayClient(http, ApiToken("benchmark"), api_url=url, pace_limits=unpaced)


def _item_values(board: int, n: int) -> dict[str, object]:
    return {
        "ext_id": f"B{board}-{n:05d}",
        "status": STATUS_LABELS[n % 3],
        "estimate": str(n % 13),
        "due": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}",
    }


def seed(url: str, boards: int, items: int) -> None:
    with httpx.Client(timeout=120) as http:
        client = _client(http, url)
        for b in range(boards):
            created = client.mutate(
                "mutation ($name: String!) { create_board(board_name: $name, "
                "board_kind: public) { id } }",
                {"name": f"Bench {b}"},
            )
            board_id = str(created["create_board"]["id"])
            client.mutate(
                "mutation ($b: ID!) { "
                'a: create_column(board_id: $b, id: "ext_id", title: "External ID", '
                "column_type: text) { id } "
                'b: create_status_column(board_id: $b, id: "status", title: "Status", '
                'defaults: {labels: [{label: "Working on it", color: working_orange, index: 0}, '
                '{label: "Done", color: done_green, index: 1, is_done: true}, '
                '{label: "Stuck", color: stuck_red, index: 2}]}) { id } '
                'c: create_column(board_id: $b, id: "estimate", title: "Estimate", '
                "column_type: numbers) { id } "
                'd: create_column(board_id: $b, id: "due", title: "Due", column_type: date) '
                "{ id } }",
                {"b": board_id},
            )
            for start in range(0, items, SEED_BATCH):
                calls = []
                for n in range(start, min(items, start + SEED_BATCH)):
                    values = _item_values(b, n)
                    wire = {
                        "ext_id": values["ext_id"],
                        "status": {"label": values["status"]},
                        "estimate": values["estimate"],
                        "due": {"date": values["due"]},
                    }
                    calls.append(
                        MutationCall(
                            "create_item",
                            {
                                "board_id": board_id,
                                "item_name": f"Task {n}",
                                "group_id": "topics",
                                "column_values": json.dumps(wire),
                            },
                            "id",
                        )
                    )
                for result in client.mutate_batch(calls):
                    if result.error is not None:
                        raise result.error


def write_manifest(directory: Path, boards: int, items: int) -> None:
    columns = [
        {"id": "ext_id", "title": "External ID", "type": "text"},
        {
            "id": "status",
            "title": "Status",
            "type": "status",
            "labels": [
                {"label": "Working on it", "color": "working_orange"},
                {"label": "Done", "color": "done_green", "done": True},
                {"label": "Stuck", "color": "stuck_red"},
            ],
        },
        {"id": "estimate", "title": "Estimate", "type": "numbers"},
        {"id": "due", "title": "Due", "type": "date"},
    ]
    manifest = {
        "version": 1,
        "boards": [
            {
                "name": f"Bench {b}",
                "key": f"bench-{b}",
                "columns": columns,
                "groups": [{"key": "topics", "title": "Group Title"}],
                "items": {
                    "match_by": ["ext_id"],
                    "rows": [
                        {"name": f"Task {n}", "values": _item_values(b, n)} for n in range(items)
                    ],
                },
            }
            for b in range(boards)
        ],
    }
    (directory / "bench.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))


@dataclass(frozen=True)
class Measurement:
    load_s: float
    read_s: float
    diff_s: float
    cpu_s: float
    peak_mib: float
    requests: int
    actions: int


def measure(url: str, manifest_dir: str, admin_token: str) -> Measurement:
    """One plan, in this (fresh) process: load, read live, diff."""
    from boardops.live import read_live
    from boardops.manifest import load_manifests
    from boardops.plan import build_plan

    with httpx.Client(timeout=120) as http:
        admin = admin_headers(admin_token)
        http.post(url.replace("/v2", "/sandbox/counters/reset"), json={}, headers=admin)
        cpu0, t0 = time.process_time(), time.perf_counter()
        desired = load_manifests([manifest_dir])
        t1 = time.perf_counter()
        live = read_live(_client(http, url), desired)
        t2 = time.perf_counter()
        plan = build_plan(desired, live)
        t3 = time.perf_counter()
        cpu = time.process_time() - cpu0
        counters = http.post(url.replace("/v2", "/sandbox/counters"), json={}, headers=admin).json()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return Measurement(
        load_s=t1 - t0,
        read_s=t2 - t1,
        diff_s=t3 - t2,
        cpu_s=cpu,
        peak_mib=peak_kib / 1024,
        requests=int(counters["requests"]),
        actions=len(plan.actions),
    )


def run_scenario(name: str, boards: int, items: int) -> None:
    with sandbox_server() as (url, token), tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        seed(url, boards, items)
        write_manifest(Path(tmp), boards, items)
        seeded = time.perf_counter() - started
        child = subprocess.run(
            [sys.executable, __file__, "--measure", url, tmp, token],
            capture_output=True,
            text=True,
            check=True,
        )
        m = Measurement(**json.loads(child.stdout))
    per_board = math.ceil(items / 500) + 2
    print(
        f"{name:<26} requests {m.requests:>4} (bound {boards * per_board:>4})  "
        f"wall {m.load_s + m.read_s + m.diff_s:6.2f} s "
        f"[load {m.load_s:5.2f} read {m.read_s:5.2f} diff {m.diff_s:5.2f}]  "
        f"cpu {m.cpu_s:6.2f} s  peak {m.peak_mib:6.1f} MiB  "
        f"actions {m.actions}  (seeded in {seeded:.0f} s)",
        flush=True,
    )


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the 1,000-item board")
    parser.add_argument(
        "--measure", nargs=3, metavar=("URL", "DIR", "TOKEN"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(*args.measure).__dict__))
        return
    print(f"boardops plan benchmark (python {sys.version.split()[0]})")
    for name, (boards, items) in SCENARIOS.items():
        run_scenario(name, boards, items)
        if args.quick:
            break


if __name__ == "__main__":
    main(sys.argv[1:])
