"""Every action type is complete: a tier, a handler, a describer and a serial round trip.

Each is registered where it is written (the ``tier`` on the class, ``@handles`` on the
handler, ``@describes`` on the describer); these tests catch a new action type that
forgot one. The serial round trip of each type is
``test_plan_serial.test_every_action_type_survives_a_json_round_trip``.
"""

from __future__ import annotations

import pytest

from boardops import action_views
from boardops.apply import HANDLERS, handler_for
from boardops.errors import ApplyError
from boardops.plan import ACTION_KINDS, ACTION_TYPES, ACTION_TYPES_BY_NAME, Action
from boardops.plan import actions as action_module


def _concrete_action_classes() -> set[type[Action]]:
    return {
        value
        for value in vars(action_module).values()
        if isinstance(value, type) and issubclass(value, Action) and "kind" in vars(value)
    }


def test_every_action_class_is_an_action_type() -> None:
    assert set(ACTION_TYPES) == _concrete_action_classes()
    assert len(ACTION_TYPES_BY_NAME) == len(ACTION_TYPES)


@pytest.mark.parametrize("action_type", ACTION_TYPES, ids=lambda t: t.__name__)
def test_every_action_type_has_a_kind_verb_and_tier(action_type: type[Action]) -> None:
    assert action_type.kind in ACTION_KINDS
    assert action_type.verb
    assert isinstance(action_type.tier, int)


def test_every_action_type_has_a_handler() -> None:
    assert set(HANDLERS) == set(ACTION_TYPES)


def test_every_action_type_has_a_describer() -> None:
    assert set(action_views._DESCRIBERS) == {t.__name__ for t in ACTION_TYPES}


def test_an_action_type_without_a_handler_is_refused() -> None:
    class Unhandled(Action):
        kind = "update"
        verb = "updated"
        tier = 0

    try:
        with pytest.raises(ApplyError, match="no handler for action type Unhandled"):
            handler_for(Unhandled(address="board.x"))
    finally:
        action_module._ACTION_TYPES.remove(Unhandled)


def test_a_second_describer_for_one_type_is_refused() -> None:
    with pytest.raises(ValueError, match="two describers"):
        action_views.describes("CreateItem")(lambda a: ("", []))
