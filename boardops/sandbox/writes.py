"""What the sandbox records of the mutation requests it serves: which boards each wrote
to and when it was in flight (``BoardWrite``), from the root fields of the operation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    IntValueNode,
    OperationDefinitionNode,
    StringValueNode,
    VariableNode,
)


@dataclass(frozen=True)
class BoardWrite:
    """One mutation request that wrote to ``board_id`` (``mutations``: its root mutation
    fields, all boards together). It was in flight from event ``opened`` to event
    ``closed`` (numbers from one counter of request starts and ends, so two intervals
    overlap exactly when the requests were in flight at once), and from ``started_at`` to
    ``finished_at`` on the sandbox's clock."""

    board_id: str
    request_id: str
    mutations: int
    opened: int
    closed: int
    started_at: float
    finished_at: float

    def overlaps(self, other: BoardWrite) -> bool:
        return self.opened < other.closed and other.opened < self.closed


def root_fields(operation: OperationDefinitionNode | None) -> list[FieldNode]:
    """The root fields of an operation that do work: ``complexity`` and ``__typename``
    only report."""
    if operation is None:
        return []
    return [
        node
        for node in operation.selection_set.selections
        if isinstance(node, FieldNode) and node.name.value not in ("complexity", "__typename")
    ]


def argument(node: FieldNode, name: str, variables: Mapping[str, Any]) -> str | None:
    """A scalar argument of a field, from a literal or a variable; None when absent."""
    for argument in node.arguments:
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, VariableNode):
            found = variables.get(value.name.value)
            return None if found is None or isinstance(found, (list, dict)) else str(found)
        if isinstance(value, (IntValueNode, StringValueNode)):
            return str(value.value)
    return None
