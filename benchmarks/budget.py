"""Budget benchmark: applies against monday's limits, each measured against its floor.

Two runs on the in-process sandbox, real time (the sandbox's windows, latency and server
time and the client's waits all run on the real clock):

* ``cap``: an apply of 2,500 new items on one board, the sandbox enforcing monday's
  limits (``Limits.monday()``: 2,000 mutations per minute per account). Floor: the round
  trips of the reads before the first mutation (as measured) plus the time the cap
  forces: the windows are fixed (a window opens at its first mutation and resets 60 s
  later, as monday describes them), so M mutations at C a minute cannot finish before
  ``(ceil(M / C) - 1) * 60 s`` after the first one; the last call's own round trip is
  left out (it is milliseconds). Loading the manifest and planning are boardops' own
  work: they count against it.
* ``server``: an apply of 500 new items with 50 ms of latency per request and 60 ms of
  server time per mutation. Floor: the server time (M x 60 ms: one board's writes run one
  after another) plus one latency per request nobody can avoid: the reads before the
  first mutation (as boardops makes them) and ``ceil(M / B)`` mutation requests, B being
  the largest batch the per-query complexity cap lets through (4M points at boardops'
  30k-point estimate per ``create_item``: 133).

Each run starts from the same empty board (columns and groups made beforehand, outside the
measure, so the cap's window opens with the first item) and runs what ``boardops apply
--auto-approve`` runs: read the live board, plan, apply. Printed: requests, 429 answers
met, wall time, the floor and the ratio (target: at most 1.10, and no 429 in ``cap``).

    python -m benchmarks.budget                   # both runs, about 100 s
    python -m benchmarks.budget --only cap        # about 65 s
    python -m benchmarks.budget --only server --items 200
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from benchmarks.apply import BOARD, manifest
from boardops.apply import apply_plan
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.monday import MUTATION_SIGNATURES, ApiToken, MondayClient
from boardops.monday.mutations import DEFAULT_CHUNK_COMPLEXITY
from boardops.plan import build_plan
from boardops.sandbox import BASE_URL, Faults, Limits, Sandbox

TARGET_RATIO = 1.10
WINDOW_SECONDS = 60.0


class CountingTransport(httpx.BaseTransport):
    """The sandbox's transport, counting the 429 answers the client meets, and the reads
    before the first mutation with the time they took."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.inner = sandbox.transport()
        self.throttled = 0
        self.writing = False
        self.reads = 0
        self.reads_seconds = 0.0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.writing:
            query = str(json.loads(request.read()).get("query", ""))
            self.writing = query.lstrip().startswith("mutation")
        started = time.perf_counter()
        response = self.inner.handle_request(request)
        if not self.writing:
            self.reads += 1
            self.reads_seconds += time.perf_counter() - started
        if response.status_code == 429:
            self.throttled += 1
        return response


@dataclass(frozen=True)
class Run:
    name: str
    items: int
    requests: int
    reads_before_first_write: int
    mutations: int
    throttled: int
    seconds: float
    floor: float
    how: str

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor


@dataclass
class Measured:
    requests: int
    reads: int  # requests before the first mutation request
    reads_seconds: float  # their round trips
    mutations: int
    throttled: int
    seconds: float


def _mutations(sandbox: Sandbox) -> int:
    fields = sandbox.counters.root_fields
    return sum(count for name, count in fields.items() if name != "complexity")


def measure(
    items: int, *, limits: Limits, latency_ms: float = 0.0, server_ms: float = 0.0
) -> Measured:
    """Seed ``items`` new items on a board made beforehand; what it took."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        state = folder / "sandbox.json"
        setup = Sandbox(state)
        _apply(_client(httpx.Client(transport=setup.transport())), _write(folder, manifest(0)))
        seeded = _write(folder, manifest(items))

        # The measured account: a fresh process-view of the same state, its limit windows
        # untouched by the setup.
        sandbox = Sandbox(state, limits=limits, server_ms_per_mutation=server_ms)
        sandbox.faults = Faults(latency_ms=latency_ms)
        transport = CountingTransport(sandbox)
        client = _client(httpx.Client(transport=transport))
        started = time.perf_counter()
        _apply(client, seeded)
        seconds = time.perf_counter() - started
        if len(sandbox.state.board_named(BOARD).active_items) != items:
            raise SystemExit("the board does not hold the items: the measure is void")
        return Measured(
            requests=sandbox.counters.requests,
            reads=transport.reads,
            reads_seconds=transport.reads_seconds,
            mutations=_mutations(sandbox),
            throttled=transport.throttled,
            seconds=seconds,
        )


def _client(http: httpx.Client) -> MondayClient:
    return MondayClient(http, ApiToken("benchmark"), api_url=BASE_URL)


def _write(folder: Path, document: dict[str, object]) -> Path:
    path = folder / f"board-{len(list(folder.glob('board-*')))}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def _apply(client: MondayClient, path: Path) -> None:
    """What ``boardops apply --auto-approve PATH`` runs: load, read, plan, apply."""
    desired = load_manifests([path])
    live = read_live(client, desired)
    result = apply_plan(client, build_plan(desired, live), live=live)
    if not result.ok:
        raise SystemExit(f"apply failed: {result.failures[:3]}")


def capped(items: int) -> Run:
    limits = Limits.monday()
    m = measure(items, limits=limits)
    windows = math.ceil(m.mutations / limits.mutations_per_minute)
    floor = m.reads_seconds + (windows - 1) * WINDOW_SECONDS
    how = (
        f"reads {m.reads_seconds:.2f}s + ({windows} windows - 1) x 60s "
        f"for {m.mutations} mutations at {limits.mutations_per_minute}/min"
    )
    return Run("cap", items, m.requests, m.reads, m.mutations, m.throttled, m.seconds, floor, how)


def server_time(items: int, latency_ms: float, server_ms: float) -> Run:
    m = measure(items, limits=Limits(), latency_ms=latency_ms, server_ms=server_ms)
    largest = DEFAULT_CHUNK_COMPLEXITY // MUTATION_SIGNATURES["create_item"].complexity
    calls = m.reads + math.ceil(m.mutations / largest)
    floor = m.mutations * server_ms / 1000 + calls * latency_ms / 1000
    how = (
        f"{m.mutations} x {server_ms:g} ms server time + "
        f"({m.reads} reads + {calls - m.reads} writes) x {latency_ms:g} ms"
    )
    return Run(
        "server", items, m.requests, m.reads, m.mutations, m.throttled, m.seconds, floor, how
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", choices=("cap", "server"))
    parser.add_argument("--items", type=int, help="items of each run (cap 2,500, server 500)")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--server-ms", type=float, default=60.0)
    args = parser.parse_args(argv)
    runs: list[Run] = []
    if args.only in (None, "cap"):
        runs.append(capped(args.items or 2500))
    if args.only in (None, "server"):
        runs.append(server_time(args.items or 500, args.latency_ms, args.server_ms))
    print(
        f"{'run':7} {'items':>6} {'requests':>9} {'mutations':>10} {'429s':>5} "
        f"{'wall':>8} {'floor':>8} {'ratio':>6}"
    )
    ok = True
    for run in runs:
        slow = run.ratio > TARGET_RATIO
        throttled = run.name == "cap" and run.throttled > 0
        ok = ok and not slow and not throttled
        verdict = ", ".join(["OVER TARGET"] * slow + ["429s met"] * throttled) or "ok"
        print(
            f"{run.name:7} {run.items:>6} {run.requests:>9} {run.mutations:>10} "
            f"{run.throttled:>5} {run.seconds:>7.2f}s {run.floor:>7.2f}s {run.ratio:>6.3f}"
            f"  {verdict}"
        )
    for run in runs:
        print(f"floor of {run.name}: {run.how}")
    print(f"target: ratio <= {TARGET_RATIO:.2f}, no 429 in cap")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
