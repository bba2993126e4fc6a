"""The monday.com API client: GraphQL over an injected ``httpx.Client``.

Knows nothing of manifests, models or plans. Start with :class:`MondayClient`.
"""

from __future__ import annotations

from boardops.monday.auth import ApiToken, ClientSettings
from boardops.monday.batching import DEFAULT_BATCH_SIZE, BatchSizer
from boardops.monday.budget import ClientStats, RetryPolicy, StatsSnapshot
from boardops.monday.client import DEFAULT_MAX_CONCURRENCY, MondayClient
from boardops.monday.decode import ComplexityReading, Response
from boardops.monday.mutations import (
    MUTATION_SIGNATURES,
    BatchOutcomeUnknown,
    MutationCall,
    MutationResult,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_MAX_CONCURRENCY",
    "MUTATION_SIGNATURES",
    "ApiToken",
    "BatchOutcomeUnknown",
    "BatchSizer",
    "ClientSettings",
    "ClientStats",
    "ComplexityReading",
    "MondayClient",
    "MutationCall",
    "MutationResult",
    "Response",
    "RetryPolicy",
    "StatsSnapshot",
]
