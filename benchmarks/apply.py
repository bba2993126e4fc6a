"""Apply benchmark: seeding a board with 1,000 items, boardops against a naive script.

Both contenders start from the same empty board (columns and groups already there) on
their own in-memory sandbox, which adds a fixed latency to every request (50 ms by
default, slept for real). boardops runs what ``boardops apply --auto-approve`` runs: load
the manifest, read the live board, plan, apply (item creates in aliased batches). The
baseline (``benchmarks/naive_baseline.py``) sends one ``create_item`` per item. Both
boards are then compared item by item, so the two did the same work.

    python -m benchmarks.apply                    # 1,000 items, 50 ms per request
    python -m benchmarks.apply --items 200 --latency-ms 20
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from benchmarks.naive_baseline import create_items
from boardops.apply import apply_plan
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.monday import ApiToken, MondayClient
from boardops.plan import build_plan
from boardops.sandbox import BASE_URL, Faults, Sandbox

BOARD = "Seeded board"
STATUS_LABELS: list[dict[str, Any]] = [
    {"label": "To do", "color": "american_gray"},
    {"label": "Working on it", "color": "working_orange"},
    {"label": "Done", "color": "done_green", "done": True},
]


def manifest(items: int) -> dict[str, Any]:
    board: dict[str, Any] = {
        "name": BOARD,
        "key": "seeded",
        "columns": [
            {"id": "ref", "title": "Ref", "type": "text"},
            {"id": "status", "title": "Status", "type": "status", "labels": STATUS_LABELS},
            {"id": "points", "title": "Points", "type": "numbers"},
            {"id": "due", "title": "Due", "type": "date"},
        ],
        "groups": [{"key": "backlog", "title": "Backlog"}],
    }
    if items:
        board["items"] = {
            "match_by": ["ref"],
            "rows": [
                {"name": name, "group": "backlog", "values": values} for name, values in rows(items)
            ],
        }
    return {"version": 1, "boards": [board]}


def rows(items: int) -> list[tuple[str, dict[str, Any]]]:
    labels = [label["label"] for label in STATUS_LABELS]
    return [
        (
            f"Task {n:04d}",
            {
                "ref": f"T-{n:04d}",
                "status": labels[n % len(labels)],
                "points": n % 13,
                "due": f"2026-12-{1 + n % 28:02d}",
            },
        )
        for n in range(items)
    ]


@dataclass(frozen=True)
class Measure:
    requests: int
    mutation_requests: int
    seconds: float


class Account:
    """A sandbox holding the empty board, and clients on it."""

    def __init__(self, folder: Path, latency_ms: float) -> None:
        self.sandbox = Sandbox()
        self.folder = folder
        self.http = httpx.Client(
            transport=self.sandbox.transport(),
            base_url=BASE_URL,
            headers={"Authorization": "benchmark"},
            timeout=120,
        )
        self.client = MondayClient(self.http, ApiToken("benchmark"), api_url=BASE_URL)
        self.apply_manifest(manifest(0), "structure.yaml")
        self.sandbox.faults = Faults(latency_ms=latency_ms)

    def apply_manifest(self, document: dict[str, Any], name: str) -> None:
        path = self.folder / name
        path.write_text(yaml.safe_dump(document, sort_keys=False))
        desired = load_manifests([path])
        live = read_live(self.client, desired)
        result = apply_plan(self.client, build_plan(desired, live), live=live)
        if not result.ok:
            raise SystemExit(f"apply failed: {result.failures[:3]}")

    def measure(self, work: Any) -> Measure:
        counters = self.sandbox.counters
        requests, mutations = counters.requests, counters.mutation_requests
        started = time.perf_counter()
        work()
        return Measure(
            counters.requests - requests,
            counters.mutation_requests - mutations,
            time.perf_counter() - started,
        )

    def items(self) -> list[tuple[str, str, Any]]:
        board = self.sandbox.state.board_named(BOARD)
        return sorted(
            (i.name, i.group_id, sorted(i.values.items()))
            for i in board.items
            if i.state == "active"
        )


def run(items: int, latency_ms: float) -> tuple[Measure, Measure]:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "a").mkdir()
        (folder / "b").mkdir()
        ours = Account(folder / "a", latency_ms)
        theirs = Account(folder / "b", latency_ms)

        boardops = ours.measure(lambda: ours.apply_manifest(manifest(items), "seeded.yaml"))

        board = theirs.sandbox.state.board_named(BOARD)
        group_id = board.groups[0].id
        wire_rows = [
            (
                name,
                {
                    "ref": values["ref"],
                    "status": {"label": values["status"]},
                    "points": str(values["points"]),
                    "due": {"date": values["due"]},
                },
            )
            for name, values in rows(items)
        ]
        naive = theirs.measure(lambda: create_items(theirs.http, board.id, group_id, wire_rows))
        if ours.items() != theirs.items():
            raise SystemExit("the two boards differ: the comparison is void")
        return boardops, naive


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_args(argv)
    boardops, naive = run(args.items, args.latency_ms)
    print(f"Seeding {args.items} items, {args.latency_ms:g} ms latency per request")
    print(f"{'':10} {'requests':>9} {'mutation req.':>14} {'wall time':>10}")
    for name, m in (("boardops", boardops), ("naive", naive)):
        print(f"{name:10} {m.requests:>9} {m.mutation_requests:>14} {m.seconds:>9.2f}s")
    print(
        f"ratio      {naive.requests / boardops.requests:>8.1f}x "
        f"{'':>14} {naive.seconds / boardops.seconds:>9.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
