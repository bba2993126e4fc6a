"""Saved plans (``boardops plan --out PLAN.json``): self-contained, like Terraform's.

A saved plan is the plan document (``Plan.to_dict()``, see ``boardops.plan.plan``) plus
the desired state it was computed from (``desired_state``, in the ``serial`` codec) and
that state's digest (``desired_digest``). ``boardops apply PLAN.json`` applies it with no
manifest; ``boardops apply PATHS --plan PLAN.json`` checks that the manifests at PATHS
still give that desired state; ``boardops show PLAN.json`` renders it.

``plan --format json`` prints the plan document without the desired state (it would
double the size of a large plan): such a document can be shown, or applied with its
manifests (``--plan``), not alone.

The desired-state digest covers what the manifests mean, not their bytes: it leaves out
the manifest files' names and bytes digest, so a comment or a reformatted manifest still
gives the same state.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boardops.errors import PlanFormatError
from boardops.model import DesiredState, JSONValue
from boardops.plan.plan import KIND, Plan
from boardops.plan.serial import decode, encode

DESIRED_STATE = "desired_state"
DESIRED_DIGEST = "desired_digest"
# Fields of the encoded desired state that say where it was read from, not what it is.
_PROVENANCE = ("digest", "files")


def desired_digest(desired: DesiredState) -> str:
    """The sha256 of what ``desired`` asks for (manifest file names and bytes left out)."""
    return _digest_of(encode(desired))


def _digest_of(encoded: JSONValue) -> str:
    assert isinstance(encoded, dict)
    meaning = {k: v for k, v in encoded.items() if k not in _PROVENANCE}
    text = json.dumps(meaning, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class SavedPlan:
    """A plan and the desired state it was computed from (None: a plan document printed
    by ``plan --format json``, which does not hold it)."""

    plan: Plan
    desired: DesiredState | None = None

    def to_dict(self) -> dict[str, JSONValue]:
        data = self.plan.to_dict()
        if self.desired is not None:
            encoded = encode(self.desired)
            data[DESIRED_STATE] = encoded
            data[DESIRED_DIGEST] = _digest_of(encoded)
        return data

    def to_json(self) -> str:
        """The file ``plan --out`` writes: keys in the plan document's order (as ``plan
        --format json`` prints it), so values read back show in the manifest's order."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SavedPlan:
        plan = Plan.from_dict(data)
        encoded = data.get(DESIRED_STATE)
        if encoded is None:
            return cls(plan)
        desired = decode(DesiredState, encoded, where=DESIRED_STATE)
        if data.get(DESIRED_DIGEST) != _digest_of(encode(desired)):
            raise PlanFormatError(f"{DESIRED_DIGEST} does not match {DESIRED_STATE}")
        return cls(plan, desired)


def read_saved_plan(path: Path) -> SavedPlan:
    """The plan saved at ``path``; ``PlanFormatError`` naming ``path`` if it is not one
    this boardops can read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise PlanFormatError(f"{path}: cannot read a saved plan: {error}") from None
    if not isinstance(data, dict):
        raise PlanFormatError(f"{path}: a saved plan is a JSON object")
    try:
        return SavedPlan.from_dict(data)
    except PlanFormatError as error:
        raise PlanFormatError(f"{path}: {error}") from None


def looks_like_a_plan(path: Path) -> bool:
    """Whether ``path`` is a file holding a plan document: a JSON object whose ``kind`` is
    ``boardops-plan``. Judged by content, not by name (a manifest may be JSON too); a file
    that cannot be read or parsed is not one (the manifest loader reports it)."""
    try:
        if not path.is_file():  # a folder, a FIFO or a device is never read here
            return False
        text = path.read_text(encoding="utf-8")
        if not text.lstrip().startswith("{"):
            return False
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("kind") == KIND
