"""The diff of a status or dropdown column's labels (see ``plan.diff``): renames,
updates, new and retired labels, and their order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from boardops.errors import PlanError
from boardops.identity import match_labels
from boardops.model import (
    STATUS_COLOR_IDS,
    Column,
    DropdownLabel,
    StatusLabel,
    column_address,
    label_address,
)
from boardops.plan.actions import (
    RESERVED_STATUS_LABEL_ID,
    Action,
    AddDropdownLabel,
    AddStatusLabel,
    DeactivateDropdownLabel,
    DeactivateStatusLabel,
    LabelPosition,
    ReactivateDropdownLabel,
    RenameDropdownLabel,
    RenameStatusLabel,
    ReorderLabels,
    StatusLabelSpec,
    UpdateStatusLabel,
)
from boardops.plan.diff_base import BoardState, _changes

LabelT = TypeVar("LabelT", StatusLabel, DropdownLabel)
# A column's label renames in this plan: live text -> declared text.
Renames = dict[str, str]


class LabelsDiff(BoardState):
    def _on_column(
        self, make: Callable[..., Action], address: str, found: Column, **fields: object
    ) -> None:
        """Emit ``make(**fields)`` (a label action, or ``UpdateColumn``) on the live column
        ``found``: its board, id and revision filled in."""
        assert found.id is not None
        self.emit(
            make(
                address=address,
                board_id=self._board_id(),
                column_id=found.id,
                revision=found.revision,
                **fields,
            )
        )

    def _diff_status_labels(self, wanted: Column, found: Column) -> None:
        colors = _StatusColors(found.status_labels, wanted.status_labels)

        def add(address: str, label: StatusLabel, position: LabelPosition | None) -> None:
            if label.color is not None:
                conflict = colors.conflict(label.color)
                if conflict is not None:
                    raise PlanError(
                        f"{address}: the new label cannot have colour {label.color}: "
                        f"{conflict}; choose another colour, or leave `color` out"
                    )
            color = label.color if label.color is not None else colors.free()
            spec = StatusLabelSpec(label.label, color, label.done, label.description)
            self._on_column(AddStatusLabel, address, found, label=spec, position=position)

        def keep(address: str, label: StatusLabel, hit: StatusLabel, renames: Renames) -> None:
            holder = colors.holder(label.color) if label.color is not None else None
            if holder is not None and holder is not hit:
                self.out.warnings.append(
                    f"{address}: colour {label.color} is held by the live label "
                    f"{holder.label!r}; a status colour can be used once per column, so "
                    "monday will refuse this until that label changes colour"
                )
            label_id = _label_id(hit, address)
            if label_id == RESERVED_STATUS_LABEL_ID:
                self._leave_reserved_label(address, hit, label)
                return
            self._rename_label(RenameStatusLabel, address, found, label_id, hit, label, renames)
            changes = _changes(
                ("color", hit.color, label.color, True),
                ("done", hit.done, label.done),
                ("description", hit.description, label.description, True),
                ("deactivated", hit.deactivated, False),
            )
            if changes:
                self._on_column(
                    UpdateStatusLabel,
                    address,
                    found,
                    label_id=label_id,
                    label=label.label,
                    changes=changes,
                )

        self._diff_labels(
            wanted,
            found,
            wanted.status_labels,
            found.status_labels,
            DeactivateStatusLabel,
            add,
            keep,
        )

    def _leave_reserved_label(self, address: str, hit: StatusLabel, label: StatusLabel) -> None:
        """monday's default label (id 5) matched by its text: changes to it are not made."""
        changes = _changes(
            ("color", hit.color, label.color, True),
            ("done", hit.done, label.done),
            ("description", hit.description, label.description, True),
        )
        if changes:
            self.out.warnings.append(
                f"{address}: this is monday's reserved default label (id "
                f"{RESERVED_STATUS_LABEL_ID}); boardops never changes it, so its "
                f"{', '.join(c.field for c in changes)} stay as they are on monday"
            )

    def _diff_dropdown_labels(self, wanted: Column, found: Column) -> None:
        def add(address: str, label: DropdownLabel, position: LabelPosition | None) -> None:
            self._on_column(AddDropdownLabel, address, found, label=label.label, position=position)

        def keep(address: str, label: DropdownLabel, hit: DropdownLabel, renames: Renames) -> None:
            label_id = _label_id(hit, address)
            self._rename_label(RenameDropdownLabel, address, found, label_id, hit, label, renames)
            if hit.deactivated:
                self._on_column(
                    ReactivateDropdownLabel, address, found, label_id=label_id, label=label.label
                )

        self._diff_labels(
            wanted,
            found,
            wanted.dropdown_labels,
            found.dropdown_labels,
            DeactivateDropdownLabel,
            add,
            keep,
        )

    def _diff_labels(
        self,
        wanted: Column,
        found: Column,
        wanted_labels: Sequence[LabelT],
        live_labels: Sequence[LabelT],
        deactivate: type[DeactivateStatusLabel] | type[DeactivateDropdownLabel],
        add: Callable[[str, LabelT, LabelPosition | None], None],
        keep: Callable[[str, LabelT, LabelT, Renames], None],
    ) -> None:
        """Each label the manifest lists, matched to a live one: ``add`` a new one at its
        place, ``keep`` a matched one up to date (noting its rename); then the live labels
        it does not list, their order, and the renames made (for the values that name
        labels)."""
        matches = match_labels(wanted_labels, live_labels, reserved_id=RESERVED_STATUS_LABEL_ID)
        renames: Renames = {}
        for i, (label, hit) in enumerate(zip(wanted_labels, matches, strict=True)):
            address = label_address(self.board.key, wanted.key, label.label)
            if hit is None:
                add(address, label, _label_position(wanted_labels, matches, i))
            else:
                keep(address, label, hit, renames)
        self._leftover_labels(wanted, found, live_labels, matches, deactivate)
        self._label_order(wanted, found, wanted_labels, live_labels, matches)
        self.label_renames[wanted.key] = renames

    def _rename_label(
        self,
        rename: type[RenameStatusLabel] | type[RenameDropdownLabel],
        address: str,
        found: Column,
        label_id: int,
        hit: StatusLabel | DropdownLabel,
        label: StatusLabel | DropdownLabel,
        renames: Renames,
    ) -> None:
        """A rename when the matched live label's text is not the manifest's."""
        if hit.label != label.label:
            renames[hit.label] = label.label
            self._on_column(
                rename, address, found, label_id=label_id, before=hit.label, after=label.label
            )

    def _label_order(
        self,
        wanted: Column,
        found: Column,
        wanted_labels: Sequence[StatusLabel | DropdownLabel],
        live_labels: Sequence[StatusLabel | DropdownLabel],
        matches: Sequence[StatusLabel | DropdownLabel | None],
    ) -> None:
        """A reorder when the live labels the manifest lists are not in its order (live
        order: status labels by ``index``, dropdown labels as listed). New labels carry
        their own position; deactivated, unmanaged and monday's default label do not
        count."""
        declared: dict[int, str] = {
            id(hit): label.label
            for label, hit in zip(wanted_labels, matches, strict=True)
            if hit is not None and not _reserved(hit)
        }
        after = tuple(declared.values())
        before = tuple(declared[id(hit)] for hit in live_labels if id(hit) in declared)
        if before == after:
            return
        address = column_address(self.board.key, wanted.key)
        self._on_column(
            ReorderLabels, address, found, column_type=found.type, before=before, after=after
        )

    def _leftover_labels(
        self,
        wanted: Column,
        found: Column,
        live_labels: Sequence[StatusLabel | DropdownLabel],
        matches: Sequence[StatusLabel | DropdownLabel | None],
        deactivate: type[DeactivateStatusLabel] | type[DeactivateDropdownLabel],
    ) -> None:
        """Active live labels the manifest does not list: deactivated under prune, else
        reported as unmanaged."""
        kind = f"{found.type}_label"
        matched = {id(hit) for hit in matches if hit is not None}
        for hit in live_labels:
            if id(hit) in matched or hit.deactivated:
                continue
            address = label_address(self.board.key, wanted.key, hit.label)
            if isinstance(hit, StatusLabel) and hit.id == RESERVED_STATUS_LABEL_ID:
                if not hit.label:
                    continue  # the blank default label every status column has
                self.unmanaged(address, kind, "monday's reserved default label (never changed)")
                continue
            if not self.board.prune:
                self.unmanaged(address, kind, "not in the manifest (board prune is off)")
                continue
            label_id = _label_id(hit, address)
            self._on_column(deactivate, address, found, label_id=label_id, label=hit.label)


def _reserved(label: StatusLabel | DropdownLabel) -> bool:
    return isinstance(label, StatusLabel) and label.id == RESERVED_STATUS_LABEL_ID


def _label_position(
    wanted: Sequence[StatusLabel | DropdownLabel],
    matches: Sequence[StatusLabel | DropdownLabel | None],
    index: int,
) -> LabelPosition | None:
    """Where the new label ``wanted[index]`` goes: after the label declared before it;
    the first one before the first declared label that exists (None: none does, and it
    goes last, the others following it)."""
    if index > 0:
        return LabelPosition("after", wanted[index - 1].label)
    first = next(
        (w.label for w, hit in zip(wanted, matches, strict=True) if hit is not None),
        None,
    )
    return None if first is None else LabelPosition("before", first)


def _label_id(label: StatusLabel | DropdownLabel, address: str) -> int:
    if label.id is None:
        raise PlanError(f"{address}: the live label has no id")
    return label.id


class _StatusColors:
    """The colours of one status column, for choosing and checking a new label's colour.

    monday refuses a new label whose colour another label of the column has, and (on
    long-lived boards, where label ids and colour ids drifted apart) one whose colour's
    numeric id is already a label's id, deactivated labels included. Label id 5 is always
    taken: it is monday's reserved default label. Label ids are never taken for colour ids.
    """

    def __init__(self, live: Sequence[StatusLabel], wanted: Sequence[StatusLabel]) -> None:
        self._holders = {lbl.color: lbl for lbl in live if lbl.color is not None}
        self._names = set(self._holders)
        self._names |= {lbl.color for lbl in wanted if lbl.color is not None}
        self._id_holders = {lbl.id: lbl for lbl in live if lbl.id is not None}
        # Removed labels keep their ids taken but are not listed. Where labels were
        # recoloured or retired (a label whose id is not its colour's, or a deactivated
        # one), ids at or below the highest listed one may hide removed labels, so free
        # colours above it are chosen first.
        drifted = any(
            lbl.deactivated or STATUS_COLOR_IDS.get(lbl.color or "") != lbl.id
            for lbl in live
            if lbl.id is not None and lbl.id != RESERVED_STATUS_LABEL_ID
        )
        self._floor = max(self._id_holders, default=-1) if drifted else -1

    def holder(self, color: str) -> StatusLabel | None:
        """The live label that has ``color``, if any."""
        return self._holders.get(color)

    def conflict(self, color: str) -> str | None:
        """Why a new label cannot take ``color`` on this column (None: it can)."""
        holder = self._holders.get(color)
        if holder is not None:
            state = "deactivated " if holder.deactivated else ""
            return f"the {state}live label {holder.label!r} has it"
        color_id = STATUS_COLOR_IDS.get(color)
        by_id = self._id_holders.get(color_id) if color_id is not None else None
        if by_id is not None:
            state = "deactivated " if by_id.deactivated else ""
            return (
                f"its id {color_id} is the id of the {state}live label {by_id.label!r}, and "
                "monday refuses a new label whose colour id is a label id"
            )
        return None

    def free(self) -> str:
        """A colour no label uses and whose id is no label's id; taken from now on."""
        free = [
            color
            for color, color_id in STATUS_COLOR_IDS.items()
            if color not in self._names
            and color_id not in self._id_holders
            and color_id != RESERVED_STATUS_LABEL_ID
        ]
        if not free:
            raise PlanError("no free status colour left (monday allows 40 labels per column)")
        above = [c for c in free if STATUS_COLOR_IDS[c] > self._floor]
        color = (above or free)[0]
        self._names.add(color)
        return color
