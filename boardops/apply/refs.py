"""monday ids by address for one apply run.

Seeded from the plan's refs and filled as objects are created, so that
``ObjectRef(address, id=None)`` resolves for later actions. A new board's default group
is claimed here for the board's first declared group (``first_groups``), so that group's
CreateGroup has nothing left to send.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from boardops.errors import ApplyError, BoardopsError
from boardops.plan import Action, CreateGroup, GroupPosition, ItemColumn, ItemLink, ObjectRef
from boardops.plan.actions import spec_refs


class Refs:
    def __init__(self, actions: Iterable[Action]) -> None:
        self._lock = threading.Lock()
        self._ids: dict[str, str] = {}
        # Group addresses already satisfied by reusing a new board's default group.
        self._claimed_groups: set[str] = set()
        self._claim_failures: dict[str, BoardopsError] = {}
        # For each board the plan creates: the CreateGroup of its first declared group.
        self.first_groups: dict[str, CreateGroup] = {}
        for action in actions:
            for ref in _refs_of(action):
                if ref.id is not None:
                    self._ids.setdefault(ref.address, ref.id)

    def record(self, address: str, object_id: str) -> None:
        with self._lock:
            self._ids[address] = object_id

    def resolve(self, ref: ObjectRef) -> str:
        if ref.id is not None:
            return ref.id
        with self._lock:
            found = self._ids.get(ref.address)
        if found is None:
            raise ApplyError(ref.address, f"{ref.address} does not exist (its create did not run)")
        return found

    def recorded(self, address: str) -> str | None:
        """The id recorded for ``address`` by an earlier action of this run, if any."""
        with self._lock:
            return self._ids.get(address)

    def ids_under(self, prefix: str) -> set[str]:
        """The ids recorded for addresses that start with ``prefix``."""
        with self._lock:
            return {
                object_id for address, object_id in self._ids.items() if address.startswith(prefix)
            }

    def claim_group(self, address: str, failure: BoardopsError | None = None) -> None:
        """The group at ``address`` is a new board's default group, set up; ``failure`` is
        why its title or colour could not be set (reported by its CreateGroup)."""
        with self._lock:
            self._claimed_groups.add(address)
            if failure is not None:
                self._claim_failures[address] = failure

    def claim_failure(self, address: str) -> BoardopsError | None:
        with self._lock:
            return self._claim_failures.get(address)

    def is_claimed(self, address: str) -> bool:
        with self._lock:
            return address in self._claimed_groups


def _refs_of(action: Action) -> Iterable[ObjectRef]:
    for value in vars(action).values():
        if isinstance(value, ObjectRef):
            yield value
        elif isinstance(value, GroupPosition):
            yield value.anchor
        elif isinstance(value, tuple):
            for element in value:
                if isinstance(element, ItemColumn):
                    yield element.column
                elif isinstance(element, ItemLink):
                    yield element.item
        else:
            yield from spec_refs(value)  # connect-boards / mirror settings
