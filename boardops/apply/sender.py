"""Sending apply's mutations: one call, a batch, and the lost-answer policy (``settle``)
for calls that set state and for creates."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from boardops.apply.settle import MAX_UNKNOWN_ROUNDS, BatchAnswer, answered, partition, settle
from boardops.errors import ApplyError
from boardops.monday import BatchOutcomeUnknown, MondayClient, MutationCall

E = TypeVar("E")


@dataclass(frozen=True)
class Created:
    """What a create handler got back: the object's data and whether it was re-found."""

    data: Mapping[str, Any]
    recovered: bool = False


class Sender:
    def __init__(self, client: MondayClient) -> None:
        self.client = client

    def send(self, call: MutationCall) -> Any:
        """One mutation; its data, or its GraphQLError raised. Lost answers raise."""
        (result,) = self.client.mutate_batch([call])
        if result.error is not None:
            raise result.error
        return result.data

    def send_idempotent(self, call: MutationCall) -> Any:
        """A mutation that sets state (rename, move, archive): sending it twice is harmless,
        so a lost answer is settled by sending it again."""
        return settle(lambda: self.send(call))

    def create(self, call: MutationCall, refind: Callable[[], Mapping[str, Any] | None]) -> Created:
        """Send a create; when its answer is lost, look for the object by its identity
        before deciding to send it again, so a lost answer never makes a duplicate."""

        def sent() -> Created:
            data = self.send(call)
            if not isinstance(data, Mapping):
                raise ApplyError(call.field, f"{call.field} returned no object")
            return Created(data)

        def found() -> Created | None:
            data = refind()
            return None if data is None else Created(data, recovered=True)

        return settle(
            sent,
            already_done=found,
            give_up=lambda: ApplyError(
                call.field, f"{call.field}: the answer was lost {MAX_UNKNOWN_ROUNDS} times"
            ),
        )

    def batch(self, entries: Sequence[E], call_of: Callable[[E], MutationCall]) -> BatchAnswer[E]:
        """Send the calls of ``entries`` as one batch; which were answered, which are in
        doubt (their answer was lost) and which were never sent."""
        try:
            results = self.client.mutate_batch([call_of(entry) for entry in entries])
        except BatchOutcomeUnknown as lost:
            return partition(entries, lost)
        return answered(entries, results)
