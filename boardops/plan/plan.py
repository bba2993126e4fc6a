"""The ``Plan``: ordered actions plus what they were computed from, and its JSON form.

``Plan.to_dict()`` (``format_version`` 2), what ``plan --format json`` prints::

    {
      "format_version": 2,
      "kind": "boardops-plan",
      "manifest_digest": "<sha256 of the manifest files>",
      "live_source": "api" | "sandbox" | "snapshot",
      "live_read_at": "2026-11-23T04:20:00Z" | null,
      "live_origin": ".boardops/sandbox.json",     # only for "sandbox": its state file
      "summary": {"create": n, "update": n, "replace": n, "move": n, "delete": n,
                  "destructive": n, "lost_items": n, "lost_values": n,
                  "losses_uncounted": n},
      "has_changes": bool,
      "is_destructive": bool,
      "actions": [{"type": "CreateColumn", "address": ..., "kind": ..., "verb": ...,
                   "destructive": bool, "board_key": "<key>" | null, <fields>}],
      "unmanaged": [{"address", "kind", "reason"}],
      "warnings": ["..."],
      "live_fingerprint": {"digest": "...", "entries": [{"address", "aspect", "value"}]},
      "targeting": {"targets": ["board.x"], "excludes": [...]}   (a partial plan only)
      "people": {"<user id>" | "team:<id>": "Ada Lovelace <ada@example.com>"},
      "budget": {"requests", "mutations", "complexity", "minutes", "bound",
                 "daily_limit", "daily_used"}   (``boardops.plan.budget``; zero: no changes)
    }

``live_fingerprint`` holds only the live facts the actions depend on
(``boardops.plan.facts``): a plan without actions has none. A saved plan (``plan --out``,
``boardops.plan.saved``) is this document plus ``desired_state`` (the desired state the
plan was computed from, in the ``serial`` codec: every field but source spans) and
``desired_digest`` (its sha256), so that ``boardops apply PLAN`` needs no manifests.

``type``, ``kind``, ``verb``, ``destructive``, ``board_key``, ``summary``, ``has_changes`` and
``is_destructive`` are derived: ``from_dict`` ignores them and recomputes them, so a plan
read back is equal to the plan written. Version 1 (every fact the diff saw, no desired
state) is refused: a new plan must be made.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from boardops.errors import PlanFormatError
from boardops.model import JSONValue
from boardops.plan.actions import ACTION_KINDS, ACTION_TYPES_BY_NAME, Action, Unmanaged
from boardops.plan.budget import Budget
from boardops.plan.serial import decode, encode

FORMAT_VERSION = 2
KIND = "boardops-plan"
_DERIVED_ACTION_KEYS = frozenset({"type", "kind", "verb", "destructive", "board_key"})


@dataclass(frozen=True)
class PlanOptions:
    """Knobs for ``build_plan``.

    ``compare_items``: False skips item sets even where the manifest declares them
    (a structure-only plan).
    """

    compare_items: bool = True


@dataclass(frozen=True)
class FingerprintEntry:
    """One fact the plan depended on: ``aspect`` of the object at ``address`` was ``value``.

    Aspects: ``exists`` (``yes``/``no``), ``id``, ``updated_at``, ``name``, ``kind``,
    ``description``, ``workspace`` (a board's), ``type``, ``title``, ``revision``,
    ``color``, ``position``, ``values`` (a digest of an item's compared values, its name
    and group included), ``filled`` (how many items have a value in a column), ``items``
    (how many items a group holds), ``matches`` (the monday id of the live column or
    group a declared one matched, empty for none), ``users`` and ``teams`` (a board's
    subscribers, when read). Which of them a plan keeps: ``boardops.plan.facts``.
    """

    address: str
    aspect: str
    value: str


@dataclass(frozen=True)
class LiveFingerprint:
    entries: tuple[FingerprintEntry, ...] = ()

    @property
    def digest(self) -> str:
        text = json.dumps([[e.address, e.aspect, e.value] for e in self.entries])
        return hashlib.sha256(text.encode()).hexdigest()

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "digest": self.digest,
            "entries": [encode(e) for e in self.entries],
        }

    @classmethod
    def from_dict(cls, data: object) -> LiveFingerprint:
        if not isinstance(data, Mapping) or not isinstance(data.get("entries"), list):
            raise PlanFormatError("live_fingerprint: expected an object with entries")
        entries = tuple(
            decode(FingerprintEntry, e, where=f"live_fingerprint.entries[{i}]")
            for i, e in enumerate(data["entries"])
        )
        fingerprint = cls(entries)
        if data.get("digest") not in (None, fingerprint.digest):
            raise PlanFormatError("live_fingerprint: digest does not match its entries")
        return fingerprint


@dataclass(frozen=True)
class Targeting:
    """The ``-target`` and ``-exclude`` address patterns a partial plan was made with
    (``boardops.plan.target``); both empty: the whole plan."""

    targets: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()

    @property
    def partial(self) -> bool:
        return bool(self.targets or self.excludes)


# ``board.<key>.subscribers``: the address of a board's membership.
SUBSCRIBERS_SUFFIX = ".subscribers"


def board_key_of(address: str) -> str | None:
    """``board.x.column.y`` -> ``x``; None for workspace addresses."""
    if not address.startswith("board."):
        return None
    rest = address[len("board.") :]
    if rest.endswith(SUBSCRIBERS_SUFFIX):
        return rest[: -len(SUBSCRIBERS_SUFFIX)]
    # A board's subitems board runs with it (``board.x.subitems...`` -> ``x``).
    for marker in (".subitems", ".column.", ".group.", ".item[", ".tag["):
        cut = rest.find(marker)
        if cut != -1:
            rest = rest[:cut]
    return rest


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...]
    unmanaged: tuple[Unmanaged, ...] = ()
    warnings: tuple[str, ...] = ()
    manifest_digest: str = ""
    live_fingerprint: LiveFingerprint = LiveFingerprint()
    live_source: str = "api"
    live_read_at: str | None = None
    targeting: Targeting = Targeting()
    live_origin: str | None = None
    # The display form of each user id (and ``team:<id>``) the actions name, by id
    # (``boardops.plan.people``): saved with the plan, so its views show names too.
    people: Mapping[str, str] = field(default_factory=dict)
    # What applying it will cost (``boardops.apply.estimate``); zero until estimated.
    budget: Budget = field(default_factory=Budget)

    @property
    def has_changes(self) -> bool:
        return bool(self.actions)

    @property
    def is_destructive(self) -> bool:
        return any(a.destructive for a in self.actions)

    @property
    def summary(self) -> dict[str, int]:
        """Action counts per kind (every kind present, zeros included) and ``destructive``."""
        counts = Counter(a.kind for a in self.actions)
        result: dict[str, int] = {kind: counts.get(kind, 0) for kind in ACTION_KINDS}
        result["destructive"] = sum(1 for a in self.actions if a.destructive)
        result.update(_losses(self.actions))
        return result

    def to_dict(self) -> dict[str, JSONValue]:
        summary: dict[str, JSONValue] = dict(self.summary)
        data: dict[str, JSONValue] = {
            "format_version": FORMAT_VERSION,
            "kind": KIND,
            "manifest_digest": self.manifest_digest,
            "live_source": self.live_source,
            "live_read_at": self.live_read_at,
            **({} if self.live_origin is None else {"live_origin": self.live_origin}),
            "summary": summary,
            "has_changes": self.has_changes,
            "is_destructive": self.is_destructive,
            "actions": [_action_to_dict(a) for a in self.actions],
            "unmanaged": [encode(u) for u in self.unmanaged],
            "warnings": list(self.warnings),
            "live_fingerprint": self.live_fingerprint.to_dict(),
            "people": dict(sorted(self.people.items())),
            "budget": self.budget.to_dict(),
        }
        if self.targeting.partial:
            data["targeting"] = encode(self.targeting)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        if data.get("kind") != KIND:
            raise PlanFormatError("not a boardops plan (kind is not 'boardops-plan')")
        version = data.get("format_version")
        if version == 1:
            raise PlanFormatError(
                "this plan was made by an older boardops (plan format_version 1); make a "
                "new plan with this one: boardops plan PATHS --out PLAN.json"
            )
        if version != FORMAT_VERSION:
            raise PlanFormatError(
                f"plan format_version {version!r} is not supported (this boardops reads "
                f"{FORMAT_VERSION})"
            )
        actions = data.get("actions")
        unmanaged = data.get("unmanaged", [])
        warnings = data.get("warnings", [])
        if not isinstance(actions, list) or not isinstance(unmanaged, list):
            raise PlanFormatError("plan: actions and unmanaged must be lists")
        if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
            raise PlanFormatError("plan: warnings must be a list of strings")
        read_at = data.get("live_read_at")
        people = data.get("people", {})
        if not isinstance(people, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in people.items()
        ):
            raise PlanFormatError("plan: people must map ids to names")
        return cls(
            actions=tuple(_action_from_dict(a, i) for i, a in enumerate(actions)),
            unmanaged=tuple(
                decode(Unmanaged, u, where=f"unmanaged[{i}]") for i, u in enumerate(unmanaged)
            ),
            warnings=tuple(warnings),
            manifest_digest=str(data.get("manifest_digest", "")),
            live_fingerprint=LiveFingerprint.from_dict(data.get("live_fingerprint")),
            live_source=str(data.get("live_source", "api")),
            live_read_at=None if read_at is None else str(read_at),
            targeting=decode(Targeting, data.get("targeting", {}), where="targeting"),
            live_origin=None if data.get("live_origin") is None else str(data["live_origin"]),
            people=dict(people),
            budget=Budget.from_dict(data.get("budget")),
        )


def _losses(actions: tuple[Action, ...]) -> dict[str, int]:
    """Items archived and values cleared by the plan's destructive actions;
    ``losses_uncounted`` is how many of those actions could not count theirs (a plan
    from a snapshot)."""
    items = values = uncounted = 0
    for action in actions:
        if not action.destructive:
            continue
        lost = action.losses()
        if lost.items is None or lost.values is None:
            uncounted += 1
        items += lost.items or 0
        values += lost.values or 0
    return {"lost_items": items, "lost_values": values, "losses_uncounted": uncounted}


def _action_to_dict(action: Action) -> dict[str, JSONValue]:
    fields = encode(action)
    assert isinstance(fields, dict)
    head: dict[str, JSONValue] = {
        "type": type(action).__name__,
        "address": action.address,
        "kind": action.kind,
        "verb": action.verb,
        "destructive": action.destructive,
        "board_key": board_key_of(action.address),
    }
    head.update((k, v) for k, v in fields.items() if k != "address")
    return head


def _action_from_dict(data: object, index: int) -> Action:
    where = f"actions[{index}]"
    if not isinstance(data, Mapping):
        raise PlanFormatError(f"{where}: expected an object")
    type_name = data.get("type")
    cls = ACTION_TYPES_BY_NAME.get(str(type_name))
    if cls is None:
        raise PlanFormatError(f"{where}: unknown action type {type_name!r}")
    fields = {k: v for k, v in data.items() if k not in _DERIVED_ACTION_KEYS}
    return decode(cls, fields, where=f"{where} ({type_name})")
