"""The diff of a board's columns (see ``plan.diff``): creates, updates, replacements
and prunes."""

from __future__ import annotations

from collections.abc import Sequence

from boardops import codec
from boardops.errors import PlanError
from boardops.identity import match_titled
from boardops.model import CREATABLE_COLUMN_ID, SUBTASKS_TYPE, Column, column_address
from boardops.plan.actions import (
    ColumnSpec,
    CreateColumn,
    DeleteColumn,
    ObjectRef,
    ReplaceColumn,
    StatusLabelSpec,
    UpdateColumn,
)
from boardops.plan.diff_base import ColumnMatch, _changes, _description
from boardops.plan.diff_labels import LabelsDiff, _StatusColors
from boardops.plan.diff_relations import RelationsDiff
from boardops.plan.diff_settings import column_settings_action, unknown_settings_warning
from boardops.relations import RELATION_COLUMN_TYPES

NAME_COLUMN_TYPE = "name"


class ColumnsDiff(RelationsDiff, LabelsDiff):
    def _match_columns(self, live_columns: Sequence[Column]) -> list[ColumnMatch]:
        hits = match_titled(
            self.board.columns,
            live_columns,
            lambda wanted: column_address(self.board.key, wanted.key),
            eligible=lambda c: c.type != NAME_COLUMN_TYPE,
        )
        return [ColumnMatch(c, hit) for c, hit in zip(self.board.columns, hits, strict=True)]

    def _column_ref(self, match: ColumnMatch) -> ObjectRef:
        kept = match.kept
        return ObjectRef(
            column_address(self.board.key, match.desired.key), kept.id if kept else None
        )

    def _diff_columns(self) -> None:
        live_columns = self.found.columns if self.found else ()
        self.columns = self._match_columns(live_columns)
        matched_ids = {m.live.id for m in self.columns if m.live is not None}
        previous: ColumnMatch | None = None
        for match in self.columns:
            after = self._column_ref(previous) if previous is not None else None
            self._diff_column(match, after)
            previous = match
        for column in live_columns:
            if column.id in matched_ids or column.type == NAME_COLUMN_TYPE:
                continue
            if column.type == SUBTASKS_TYPE and self.board.subitems is not None:
                continue  # the board's subitems column: its ``subitems:`` block manages it
            address = column_address(self.board.key, str(column.id))
            if (
                column.type not in codec.MANAGED_COLUMN_TYPES
                and column.type not in RELATION_COLUMN_TYPES
            ):
                self.unmanaged(
                    address,
                    "column",
                    f"column type {column.type!r} is not managed by boardops (never pruned)",
                )
            elif self.board.prune:
                self.emit(
                    DeleteColumn(
                        address=address,
                        board_id=self._board_id(),
                        column_id=str(column.id),
                        title=column.title,
                        column_type=column.type,
                        values=self._values_in_column(str(column.id)),
                    )
                )
            else:
                self.unmanaged(address, "column", "not in the manifest (board prune is off)")
        self._warn_column_order()

    def _spec(self, column: Column) -> ColumnSpec:
        address = column_address(self.board.key, column.key)
        colors = _StatusColors((), column.status_labels)
        labels = []
        for lbl in column.status_labels:
            color = lbl.color if lbl.color is not None else colors.free()
            labels.append(StatusLabelSpec(lbl.label, color, lbl.done, lbl.description))
        return ColumnSpec(
            key=column.key,
            title=column.title,
            type=column.type,
            id=column.id,
            description=column.description or None,
            status_labels=tuple(labels),
            dropdown_labels=tuple(lbl.label for lbl in column.dropdown_labels),
            settings=None if not column.declared_settings else dict(column.declared_settings),
            relation=self._relation_spec(column, address) if column.relation else None,
            mirror=self._mirror_spec(column, address) if column.mirror else None,
        )

    def _diff_column(self, match: ColumnMatch, after: ObjectRef | None) -> None:
        wanted, found = match.desired, match.live
        address = column_address(self.board.key, wanted.key)
        if found is None:
            if wanted.id is not None and not CREATABLE_COLUMN_ID.fullmatch(wanted.id):
                raise PlanError(
                    f"{address}: the board has no column with id '{wanted.id}', and monday "
                    "creates custom column ids only of 1-20 characters of a-z and _ (fix the "
                    "id, or drop `id:` to let monday choose one)"
                )
            spec = self._spec(wanted)
            self._check_new_relation_column(wanted, spec, address)
            self.emit(CreateColumn(address=address, board=self.ref, spec=spec, after=after))
            self._diff_settings(match)
            return
        assert found.id is not None, "live columns carry their id"
        if match.replaced:
            _refuse_pinned_type_change(address, wanted, found)
            self.emit(
                ReplaceColumn(
                    address=address,
                    board_id=self._board_id(),
                    column_id=found.id,
                    before_type=found.type,
                    spec=self._spec(wanted),
                    after=after,
                    values=self._values_in_column(found.id),
                )
            )
            self._diff_settings(match)
            return
        changes = _changes(
            ("title", found.title, wanted.title),
            _description(found.description, wanted.description),
        )
        settings_changes, relation, mirror = self._relation_changes(wanted, found, address)
        if changes or settings_changes:
            self._on_column(
                UpdateColumn,
                address,
                found,
                changes=changes + settings_changes,
                relation=relation,
                mirror=mirror,
            )
        if wanted.type == "status":
            self._diff_status_labels(wanted, found)
        elif wanted.type == "dropdown":
            self._diff_dropdown_labels(wanted, found)
        self._diff_settings(match)

    def _diff_settings(self, match: ColumnMatch) -> None:
        """The column's declared ``settings:`` and ``width`` (see ``plan.diff_settings``)."""
        address = column_address(self.board.key, match.desired.key)
        kept = match.kept
        action = column_settings_action(
            address, self.ref, self._column_ref(match), match.desired, kept
        )
        if action is not None:
            self.emit(action)
        warning = None if kept is None else unknown_settings_warning(address, match.desired, kept)
        if warning is not None:
            self.out.warnings.append(warning)

    def _warn_column_order(self) -> None:
        if self.found is None:
            return
        position = {c.id: i for i, c in enumerate(self.found.columns)}
        kept = [m for m in self.columns if m.kept is not None]
        live_order = sorted(kept, key=lambda m: position[m.kept.id if m.kept else None])
        if [m.desired.key for m in live_order] != [m.desired.key for m in kept]:
            self.out.warnings.append(
                f"{self.address}: existing columns are in a different order on monday "
                f"({', '.join(m.desired.key for m in live_order)}); monday cannot reorder "
                "existing columns, so boardops leaves the order alone"
            )


# monday's ``User.status`` values of users who cannot be assigned, and why.
_REFUSED_STATUSES = {
    "PENDING": "has not accepted the invitation to the account yet",
    "INACTIVE": "is deactivated",
}


def _refuse_pinned_type_change(address: str, wanted: Column, found: Column) -> None:
    """A type change replaces the column, and monday never reuses a column id (not even a
    deleted column's): a pinned id could never match the replacement, so every later plan
    would try to create it again and fail. The manifest must say which id to use."""
    if wanted.id is not None:
        raise PlanError(
            f"{address}: type {found.type} -> {wanted.type} needs a new column, and monday "
            f"never reuses a column id: remove `id: {wanted.id}` or give a new one"
        )
