"""Applying connect-boards and mirror columns' settings (see ``boardops.relations``):
``create_column(defaults:)`` and ``update_column(settings:, revision:)`` with the ids of
the boards and columns their specs name (created earlier in the run, or existing), and
taking the reflection monday adds for the first column of a new two-way pair."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boardops.apply.context import ApplyRun, read_board
from boardops.monday.mutations import MutationCall
from boardops.monday.operations import COLUMN_FIELDS
from boardops.monday.settle import settle
from boardops.plan.actions import ColumnSpec, CreateColumn, MirrorSpec, RelationSpec, UpdateColumn
from boardops.relations import BOARD_RELATION, MIRROR, mirror_settings, relation_settings


def settings_of(
    run: ApplyRun, relation: RelationSpec | None, mirror: MirrorSpec | None
) -> dict[str, Any] | None:
    """monday's settings for a relation or mirror spec, with ids resolved (None: neither)."""
    if relation is not None:
        return relation_settings(
            [run.refs.resolve(ref) for ref in relation.boards],
            relation.allow_multiple,
            # the second of a two-way pair that monday did not reflect: no third column
            relation.two_way and relation.reflection_of is None,
        )
    if mirror is not None:
        shown: dict[str, list[str]] = {}
        for entry in mirror.shows:
            shown.setdefault(run.refs.resolve(entry.board), []).extend(
                run.refs.resolve(c) for c in entry.columns
            )
        return mirror_settings(run.refs.resolve(mirror.relation), shown)
    return None


def spec_defaults(run: ApplyRun, spec: ColumnSpec) -> dict[str, Any] | None:
    return settings_of(run, spec.relation, spec.mirror)


def take_reflection(run: ApplyRun, action: CreateColumn, board_id: str) -> str | None:
    """The id of the reflection monday added to this board for the pair's other column
    (renamed to the spec's title when monday named it otherwise); None: there is none."""
    relation = action.spec.relation
    assert relation is not None
    assert relation.reflection_of is not None
    partner_address = relation.reflection_of.address.split(".column.")[0]
    partner_board = run.refs.resolve(
        next(b for b in relation.boards if b.address == partner_address)
    )
    taken = set(relation.existing) | run.refs.ids_under(action.address.split(".column.")[0])
    for raw in read_board(run.client, board_id).get("columns") or ():
        if raw.get("archived") or raw.get("type") != BOARD_RELATION or raw["id"] in taken:
            continue
        column = run.columns.remember(board_id, raw)
        if column.relation is None or [b.id for b in column.relation.boards] != [partner_board]:
            continue
        if column.title != action.spec.title:
            args = {
                "board_id": board_id,
                "column_id": raw["id"],
                "column_property": "title",
                "value": action.spec.title,
            }
            data = run.sender.send_idempotent(
                MutationCall("change_column_metadata", args, COLUMN_FIELDS)
            )
            if isinstance(data, Mapping):
                run.columns.remember(board_id, data)
        run.refs.record(action.address, str(raw["id"]))
        wanted = relation_settings(
            [run.refs.resolve(ref) for ref in relation.boards],
            relation.allow_multiple,
            relation.two_way,
        )
        current = raw.get("settings") if isinstance(raw.get("settings"), Mapping) else {}
        if any(current.get(k) != v for k, v in wanted.items()):
            # the pair's column connects more boards (or one item only): as declared
            column = run.columns.get(board_id, str(raw["id"]))
            _send_settings(run, board_id, str(raw["id"]), column.revision, BOARD_RELATION, wanted)
        return str(raw["id"])
    return None


def update_settings(run: ApplyRun, action: UpdateColumn) -> None:
    """``update_column`` with the new settings and the revision the plan saw (monday
    refuses a stale one); the answer's revision is remembered for what follows."""
    settings = settings_of(run, action.relation, action.mirror)
    if settings is None:
        return
    column_type = BOARD_RELATION if action.relation is not None else MIRROR
    _send_settings(run, action.board_id, action.column_id, action.revision, column_type, settings)


def _send_settings(
    run: ApplyRun,
    board_id: str,
    column_id: str,
    revision: str | None,
    column_type: str,
    settings: Mapping[str, Any],
) -> None:
    args = {
        "board_id": board_id,
        "id": column_id,
        "column_type": column_type,
        "revision": revision,
        "settings": dict(settings),
    }
    call = MutationCall("update_column", args, COLUMN_FIELDS)

    def already_done() -> Mapping[str, Any] | None:
        # A lost answer: the column's settings as monday has them now; resending with the
        # plan's revision would be refused once the first send went through.
        for raw in read_board(run.client, board_id).get("columns") or ():
            current = raw.get("settings")
            if (
                raw.get("id") == column_id
                and isinstance(current, Mapping)
                and all(current.get(k) == v for k, v in settings.items())
            ):
                return dict(raw)
        return None

    data = settle(lambda: run.sender.send(call), already_done=already_done)
    if isinstance(data, Mapping):
        run.columns.remember(board_id, data)
