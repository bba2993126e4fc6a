"""Turning plan dataclasses into JSON-ready dicts and back, exactly.

Each dataclass field is converted by its declared annotation (they are strings under
``from __future__ import annotations``): nested plan dataclasses become dicts, tuples
become lists, frozensets sorted lists, mappings become dicts, and JSON values pass
through. Reading reverses this by the same annotations, so ``from_dict(to_dict(x)) == x``
for every action type without a hand-written converter per class. The same codec carries
the desired state (``boardops.model``'s dataclasses) in a saved plan: fields that take
no part in equality (source spans, raw settings, counted contents) are not written, and
a ``Literal`` alias (``BoardKind``, ``WeekStart``...) is read only as one of its values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

from boardops.errors import PlanFormatError
from boardops.model import (
    BOARD_KINDS,
    ITEM_MODES,
    ITEM_ORDERS,
    WEEK_STARTS,
    WORKSPACE_KINDS,
    Board,
    BoardLink,
    Column,
    DesiredState,
    DropdownLabel,
    Folder,
    Group,
    Item,
    ItemNickname,
    ItemSet,
    JSONValue,
    Mirror,
    Relation,
    StatusLabel,
    Subitems,
    Workspace,
)
from boardops.plan.actions import (
    ColumnSpec,
    FieldChange,
    GroupPosition,
    ItemColumn,
    ItemLink,
    ItemPosition,
    LabelPosition,
    MirrorSpec,
    ObjectRef,
    RelationSpec,
    ShownColumns,
    StatusLabelSpec,
)

T = TypeVar("T")

_NESTED: Mapping[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        FieldChange,
        ObjectRef,
        GroupPosition,
        StatusLabelSpec,
        ColumnSpec,
        RelationSpec,
        ShownColumns,
        MirrorSpec,
        ItemColumn,
        ItemLink,
        LabelPosition,
        ItemPosition,
        # the desired state of a saved plan
        DesiredState,
        Workspace,
        Board,
        Column,
        Relation,
        BoardLink,
        Mirror,
        StatusLabel,
        DropdownLabel,
        Group,
        Item,
        ItemSet,
        Folder,
        ItemNickname,
        Subitems,
    )
}
# The model's Literal aliases: the values each may take.
_LITERALS: Mapping[str, tuple[str, ...]] = {
    "BoardKind": BOARD_KINDS,
    "WorkspaceKind": WORKSPACE_KINDS,
    "ItemMode": ITEM_MODES,
    "ItemOrder": ITEM_ORDERS,
    "WeekStart": WEEK_STARTS,
}


_PLAIN = frozenset({str, int, float, bool, type(None)})
# The compared fields of each dataclass type met by ``encode``; None for other types.
_ENCODED_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _encoded_fields(kind: type) -> tuple[str, ...] | None:
    try:
        return _ENCODED_FIELDS[kind]
    except KeyError:
        pass
    names = (
        tuple(f.name for f in dataclasses.fields(kind) if f.compare)
        if dataclasses.is_dataclass(kind)
        else None
    )
    _ENCODED_FIELDS[kind] = names
    if names is not None:
        _OMITTED_WHEN_EMPTY[kind] = frozenset(
            f.name for f in dataclasses.fields(kind) if f.metadata.get("omit_empty")
        )
    return names


# Fields left out of ``encode``'s output when empty (``metadata={"omit_empty": True}``).
_OMITTED_WHEN_EMPTY: dict[type, frozenset[str]] = {}


def encode(value: object) -> JSONValue:
    """A dataclass (or value made of them) as plain JSON data."""
    kind = type(value)
    if kind in _PLAIN:  # most values of a plan: tested first, and without isinstance
        return value  # type: ignore[return-value]
    names = _encoded_fields(kind)
    if names is not None:
        omitted = _OMITTED_WHEN_EMPTY.get(kind)
        if omitted:
            return {
                name: encode(getattr(value, name))
                for name in names
                if name not in omitted or getattr(value, name)
            }
        return {name: encode(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, frozenset):
        return sorted(encode(v) for v in value)  # type: ignore[type-var]
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot serialise {type(value).__name__}")


def decode(cls: type[T], data: object, *, where: str) -> T:
    """Rebuild dataclass ``cls`` from ``encode``'s output; ``where`` names it in errors."""
    if not isinstance(data, Mapping):
        raise PlanFormatError(f"{where}: expected an object, got {type(data).__name__}")
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not f.init or not f.compare:
            continue
        if f.name not in data:
            if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
                continue
            raise PlanFormatError(f"{where}: missing field {f.name!r}")
        kwargs[f.name] = _decode_value(str(f.type), data[f.name], where=f"{where}.{f.name}")
    return cls(**kwargs)


def _decode_value(annotation: str, data: object, *, where: str) -> Any:
    annotation = annotation.strip()
    if annotation.endswith(" | None"):
        if data is None:
            return None
        annotation = annotation[: -len(" | None")]
    if annotation.startswith("tuple[") and annotation.endswith(", ...]"):
        if not isinstance(data, list):
            raise PlanFormatError(f"{where}: expected a list")
        inner = annotation[len("tuple[") : -len(", ...]")]
        return tuple(_decode_value(inner, v, where=f"{where}[{i}]") for i, v in enumerate(data))
    if annotation.startswith("frozenset[") and annotation.endswith("]"):
        if not isinstance(data, list):
            raise PlanFormatError(f"{where}: expected a list")
        inner = annotation[len("frozenset[") : -1]
        return frozenset(_decode_value(inner, v, where=f"{where}[{i}]") for i, v in enumerate(data))
    if annotation.startswith("Mapping["):
        if not isinstance(data, Mapping):
            raise PlanFormatError(f"{where}: expected an object")
        return dict(data)
    nested = _NESTED.get(annotation)
    if nested is not None:
        return decode(nested, data, where=where)
    choices = _LITERALS.get(annotation)
    if choices is not None and data not in choices:
        raise PlanFormatError(f"{where}: expected one of {', '.join(choices)}")
    if annotation == "str" and not isinstance(data, str):
        raise PlanFormatError(f"{where}: expected a string")
    if annotation == "int" and (isinstance(data, bool) or not isinstance(data, int)):
        raise PlanFormatError(f"{where}: expected an integer")
    if annotation == "bool" and not isinstance(data, bool):
        raise PlanFormatError(f"{where}: expected true or false")
    return data
