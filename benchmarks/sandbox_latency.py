"""Sandbox latency benchmark: a small query on loopback, over real HTTP.

The sandbox serves the tests, the benchmarks and ``--sandbox``; a slow emulator would
make every figure measured against it a measure of the emulator. Target: a median under
5 ms for ``{ me { id } }`` on loopback.

    python -m benchmarks.sandbox_latency              # 200 requests
    python -m benchmarks.sandbox_latency --requests 1000
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence

import httpx

from boardops.sandbox import Sandbox

TARGET_MEDIAN_MS = 5.0


def measure(requests: int) -> list[float]:
    """Seconds per request for ``requests`` small queries to a served sandbox."""
    timings: list[float] = []
    with (
        Sandbox().serve("127.0.0.1", 0) as server,
        httpx.Client(headers={"Authorization": "benchmark"}) as client,
    ):
        for _ in range(requests):
            started = time.perf_counter()
            response = client.post(server.url, json={"query": "{ me { id } }"})
            timings.append(time.perf_counter() - started)
            response.raise_for_status()
    return timings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    timings = sorted(measure(args.requests))
    median_ms = statistics.median(timings) * 1000
    p95_ms = timings[int(len(timings) * 0.95) - 1] * 1000
    verdict = "ok" if median_ms < TARGET_MEDIAN_MS else "OVER TARGET"
    print(
        f"sandbox on loopback, {args.requests} x {{ me {{ id }} }}: median {median_ms:.2f} ms, "
        f"p95 {p95_ms:.2f} ms (target: median under {TARGET_MEDIAN_MS:.0f} ms): {verdict}"
    )
    return 0 if median_ms < TARGET_MEDIAN_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
