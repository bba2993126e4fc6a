"""How many mutations go in one request: sized by the server time measured per mutation.

monday cuts every call at 60 s (``CALL_TIMEOUT_SECONDS``), and a call cut there puts every
mutation of it in doubt; yet each call counts against the daily call cap and pays a round
trip. ``BatchSizer`` starts at ``DEFAULT_BATCH_SIZE`` and, after each batch, sizes the next
so that its expected server time stays under ``target_seconds`` (a third of the cut),
with as many mutations as that allows:

* base latency: the shortest round trip of any read (a read costs the server next to
  nothing), or 0 before one is seen, which only overstates server time (smaller batches);
* server time per mutation of a batch: ``(round trip - base latency) / mutations``; the
  estimate is the largest of the last ``MEMORY`` batches, so one fast batch does not
  hide slow ones;
* next size: ``target_seconds / estimate``, at most ``GROWTH`` times the batch measured
  (a measurement is extrapolated a little at a time), never above ``max_size`` (monday's
  2,000 mutations per minute: a bigger batch could never be admitted), at least 1.

* complexity: the points the last batch of several mutations cost (its ``complexity {
  query }``) per mutation keep a batch within ``max_complexity`` (the client's chunk budget, 4M of
  monday's 5M per query), so a batch is not refused as too complex once a cost is known.

The client also bounds each chunk by its estimated complexity (``mutations.ChunkLimits``).
A batch refused as too complex (monday's ``ComplexityException``, sent before anything
runs) caps every later one at three quarters of it (``refused_as_too_complex``): the cap
is learnt once per client, not once per batch. Given the same round trips the
sizes are the same: tests drive it with a fake clock.
"""

from __future__ import annotations

import threading
from collections import deque

from boardops.monday.mutations import DEFAULT_CHUNK_COMPLEXITY

# The starting size. Why 25 to start:
# * every request counts against the daily call cap (1,000/day on small plans), so
#   batching is what makes applies of a few hundred changes affordable at all;
# * monday cuts every call at 60 s; at roughly 0.5-1 s of server time per mutation,
#   25 keeps a batch far from that wall, and a timeout is the expensive failure: it
#   puts the whole chunk in doubt (OutcomeUnknown) and forces a re-read of each call;
# * 25 x the pessimistic 30k-point estimate is 750k points, well under the 5M
#   per-query cap and a small share of the 10M/minute budget, so pacing stays smooth.
# From there the measured server time sizes the batches. A ``batch_size`` given to the
# client fixes the size instead.
DEFAULT_BATCH_SIZE = 25

# monday cuts a call at 60 s; aim well under it.
CALL_TIMEOUT_SECONDS = 60.0
DEFAULT_TARGET_SECONDS = 20.0

# monday's cap on mutations per minute per account: no batch can be larger.
MUTATIONS_PER_MINUTE = 2_000

GROWTH = 4
MEMORY = 3


class BatchSizer:
    """The size of the next batch of mutations, from the round trips measured so far.

    Thread-safe: the boards of an apply share one client, and so one sizer.
    """

    def __init__(
        self,
        start: int = DEFAULT_BATCH_SIZE,
        *,
        target_seconds: float = DEFAULT_TARGET_SECONDS,
        max_size: int = MUTATIONS_PER_MINUTE,
        max_complexity: int = DEFAULT_CHUNK_COMPLEXITY,
    ) -> None:
        if start < 1 or max_size < 1:
            raise ValueError("a batch holds at least one mutation")
        if not 0 < target_seconds < CALL_TIMEOUT_SECONDS:
            raise ValueError(f"target_seconds must be in (0, {CALL_TIMEOUT_SECONDS:g})")
        self.target_seconds = target_seconds
        self.max_size = max_size
        self.max_complexity = max_complexity
        self._points_per_mutation = 0.0
        self._refused: int | None = None  # the smallest batch refused as too complex
        self._size = min(start, max_size)
        self._base: float | None = None
        self._per_mutation: deque[float] = deque(maxlen=MEMORY)
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """How many mutations the next request may carry."""
        with self._lock:
            return self._size

    @property
    def base_latency(self) -> float:
        """The shortest round trip of a read seen so far (0 before any)."""
        with self._lock:
            return self._base or 0.0

    @property
    def seconds_per_mutation(self) -> float | None:
        """The server time per mutation the next size is based on (None: none measured)."""
        with self._lock:
            return max(self._per_mutation) if self._per_mutation else None

    def refused_as_too_complex(self, mutations: int) -> None:
        """A batch of ``mutations`` was refused as too complex: later ones stay smaller."""
        with self._lock:
            if self._refused is None or mutations < self._refused:
                self._refused = mutations
            self._size = min(self._size, self._refused_ceiling())

    def _refused_ceiling(self) -> int:
        return self.max_size if self._refused is None else max(1, self._refused * 3 // 4)

    def observe_read(self, round_trip: float) -> None:
        """A read's round trip: what a request costs with no server work."""
        with self._lock:
            if round_trip >= 0 and (self._base is None or round_trip < self._base):
                self._base = round_trip

    def observe_batch(
        self, mutations: int, round_trip: float, complexity: int | None = None
    ) -> None:
        """A batch of ``mutations`` that ran, answered after ``round_trip`` seconds, having
        cost ``complexity`` points (None: not read)."""
        if mutations < 1:
            return
        with self._lock:
            if complexity is not None and complexity > 0 and mutations > 1:
                # The last batch's kind of mutation is the next one's, most likely; a
                # single mutation (a board, a group) says nothing of the batches.
                self._points_per_mutation = complexity / mutations
            server = max(round_trip - (self._base or 0.0), 0.0)
            self._per_mutation.append(server / mutations)
            estimate = max(self._per_mutation)
            # Grow only from what was measured: a batch of n vouches for up to GROWTH * n
            # (a run of single mutations never makes the next batch huge); shrink at once.
            ceiling = min(max(self._size, mutations * GROWTH), self.max_size)
            if self._points_per_mutation > 0:
                ceiling = min(ceiling, int(self.max_complexity / self._points_per_mutation))
            ceiling = min(ceiling, self._refused_ceiling())
            wanted = ceiling if estimate <= 0 else int(self.target_seconds / estimate)
            self._size = max(1, min(wanted, ceiling))
