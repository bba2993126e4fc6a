"""Which handler runs each action type: registered next to the handler itself.

A handler module says what it runs with a decorator on the function (alembic's
``implementation_for``)::

    @handles(CreateGroup)
    def create_group(run: ApplyRun, action: CreateGroup) -> None: ...

    @handles_batch(*LABEL_ACTIONS, key=label_column)
    def change_labels(run: ApplyRun, actions: Sequence[Action]) -> None: ...

``handles`` runs one action at a time; ``handles_batch`` gets the consecutive actions of
a board whose ``key`` is the same (one ``Handler`` shared by all the types it names).
The function itself is returned unchanged. ``handler_for`` raises for a type nobody
registered; a test checks that every action type has one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from boardops.apply.context import ApplyRun
from boardops.errors import ApplyError
from boardops.plan.actions import Action


@dataclass(frozen=True)
class Handler:
    """How one action type runs.

    ``run`` takes the run and a list of actions. Without ``batch_key`` the list holds one
    action; with it, consecutive actions of a board whose handler and key are the same
    are handed over together. ``announces``: the executor reports each action started
    before the handler runs (False: the handler reports its own, batch by batch).
    """

    run: Callable[[ApplyRun, Sequence[Action]], None]
    batch_key: Callable[[Action], Hashable] | None = None
    announces: bool = True


HANDLERS: dict[type[Action], Handler] = {}

SingleFn = TypeVar("SingleFn", bound=Callable[[ApplyRun, Any], None])
BatchFn = Callable[[ApplyRun, Sequence[Action]], None]


def _register(types: Sequence[type[Action]], handler: Handler) -> None:
    for action_type in types:
        if action_type in HANDLERS:
            raise ValueError(f"{action_type.__name__} has two handlers")
        HANDLERS[action_type] = handler


def handles(*types: type[Action]) -> Callable[[SingleFn], SingleFn]:
    """Register ``fn(run, action)`` as the handler of ``types``, one action at a time
    (the action is checked to be one of ``types`` before ``fn`` gets it)."""

    def register(fn: SingleFn) -> SingleFn:
        def run(apply_run: ApplyRun, actions: Sequence[Action]) -> None:
            (action,) = actions
            if not isinstance(action, types):
                raise ApplyError(action.address, f"expected a {types[0].__name__}")
            fn(apply_run, action)

        _register(types, Handler(run))
        return fn

    return register


def handles_batch(
    *types: type[Action], key: Callable[[Action], Hashable], announces: bool = True
) -> Callable[[BatchFn], BatchFn]:
    """Register ``fn(run, actions)`` as the handler of ``types``, batched by ``key``."""

    def register(fn: BatchFn) -> BatchFn:
        _register(types, Handler(fn, key, announces))
        return fn

    return register


def handler_for(action: Action) -> Handler:
    handler = HANDLERS.get(type(action))
    if handler is None:
        raise ApplyError(action.address, f"no handler for action type {type(action).__name__}")
    return handler
