"""The diff of connect-boards (``board_relation``) and mirror columns' settings (see
``plan.diff`` and ``boardops.relations``).

Identities are compared, never raw ids against keys: a connected board is its manifest key
(live links carry it when the board is a manifest's, ``live_relations``) or, outside the
manifests, its monday id (a desired ``{name:}`` is found on monday first; a missing one is
a plan error). A mirror's relation and shown columns are compared as the live column ids
the desired columns match. Specs carry ``ObjectRef``s, so a board or column created in the
same run is resolved at apply, and the order puts those creates first. Plan lines name
boards and columns by address, outside boards by name, never by id.

Two-way pairs: a two-way connect-boards column on board A linking board B, and one on B
linking A, both new, are one pair: the first (the one with a pinned id, else by
address) is created two-way, and
monday adds its reflection to the other board; the second takes that reflection (see
``RelationSpec.reflection_of``) rather than making a third column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from boardops.errors import PlanError
from boardops.identity import match_titled
from boardops.model import Board, BoardLink, Column, JSONValue, board_address, column_address
from boardops.plan.actions import (
    ColumnSpec,
    FieldChange,
    MirrorSpec,
    ObjectRef,
    RelationSpec,
    ShownColumns,
)
from boardops.plan.diff_base import BoardState
from boardops.relations import BOARD_RELATION, DEPENDENCY

NAME_COLUMN_TYPE = "name"


def outside_address(link: BoardLink) -> str:
    """How a plan names a board outside the manifests (never by its id alone)."""
    return f'board[name="{link.name}"]' if link.name else f"board[id={link.id}]"


def column_named(columns: Sequence[Column], name: str) -> Column | None:
    """The column whose id, else title, is ``name`` (as manifests name columns)."""
    return next((c for c in columns if c.id == name), None) or next(
        (c for c in columns if c.title == name), None
    )


class RelationsDiff(BoardState):
    _matched_elsewhere: dict[str, dict[str, Column | None]]

    # --- what desired links and columns stand for on monday ------------------------------

    def _matches_of(self, board: Board) -> dict[str, Column | None]:
        """Desired column key -> the live column it matches (same type), for any board."""
        if not hasattr(self, "_matched_elsewhere"):
            self._matched_elsewhere = {}
        known = self._matched_elsewhere.get(board.key)
        if known is not None:
            return known
        live = self.live.boards.get(board.key)
        hits = match_titled(
            board.columns,
            live.columns if live is not None else (),
            lambda wanted: column_address(board.key, wanted.key),
            eligible=lambda c: c.type != NAME_COLUMN_TYPE,
        )
        matched = {
            wanted.key: hit if hit is not None and hit.type == wanted.type else None
            for wanted, hit in zip(board.columns, hits, strict=True)
        }
        self._matched_elsewhere[board.key] = matched
        return matched

    def _board_link(self, link: BoardLink, address: str) -> tuple[ObjectRef, str]:
        """A desired link as a ref and its identity (``key:K`` or ``id:N``)."""
        if link.key is not None:
            live = self.live.boards.get(link.key)
            return ObjectRef(board_address(link.key), live.id if live else None), f"key:{link.key}"
        for found in self.live.outside_boards:
            if (link.id is not None and found.id == link.id) or (
                link.id is None and link.name is not None and found.name == link.name
            ):
                assert found.id is not None
                named = BoardLink(id=found.id, name=found.name)
                return ObjectRef(outside_address(named), found.id), f"id:{found.id}"
        what = f"id {link.id}" if link.id is not None else f"named {link.name!r}"
        raise PlanError(
            f"{address}: connects a board {what} that is not on monday (or not visible to "
            "this token, or its name is shared by two boards: pin its id)"
        )

    def _relation_spec(self, wanted: Column, address: str) -> RelationSpec:
        assert wanted.relation is not None
        refs = tuple(self._board_link(link, address)[0] for link in wanted.relation.boards)
        return RelationSpec(
            boards=refs,
            allow_multiple=wanted.relation.allow_multiple,
            two_way=wanted.relation.two_way,
            **self._reflection(wanted, address),  # type: ignore[arg-type]
        )

    def _reflection(self, wanted: Column, address: str) -> dict[str, object]:
        """``reflection_of``/``existing`` when ``wanted`` is the second of a new two-way pair:
        a two-way column on a board it connects that connects this board back."""
        relation = wanted.relation
        if relation is None or not relation.two_way:
            return {}
        mine = BoardLink(key=self.board.key)
        for link in relation.boards:
            other = self.desired.board(link.key) if link.key is not None else None
            if other is None or other.key == self.board.key:
                continue
            matched = self._matches_of(other)
            for column in other.columns:
                theirs = column.relation
                if (
                    theirs is None
                    or not theirs.two_way
                    or mine not in theirs.boards
                    or matched.get(column.key) is not None
                ):
                    continue
                partner = column_address(other.key, column.key)
                if wanted.id is not None and column.id is not None:
                    raise PlanError(
                        f"{address}: with {partner} it makes a new two-way pair, and monday "
                        "gives the reflection of the first an id of its own: pin the id of "
                        "one of them only (remove `id:` from the other)"
                    )
                if wanted.id is not None or (column.id is None and partner > address):
                    return {}  # this column is the pair's first: created two-way
                live = self.found.columns if self.found is not None else ()
                return {
                    "reflection_of": ObjectRef(partner),
                    "existing": tuple(str(c.id) for c in live if c.type == BOARD_RELATION),
                }
        return {}

    def _ref_on(self, board: Board, name: str) -> ObjectRef | None:
        column = column_named(board.columns, name)
        if column is None:
            return None
        live = self._matches_of(board).get(column.key)
        return ObjectRef(column_address(board.key, column.key), live.id if live else None)

    def _mirror_spec(self, wanted: Column, address: str) -> MirrorSpec:
        assert wanted.mirror is not None
        relation = column_named(self.board.columns, wanted.mirror.relation)
        if relation is None or relation.relation is None:
            raise PlanError(f"{address}: mirror relation {wanted.mirror.relation!r} is unknown")
        relation_ref = self._ref_on(self.board, relation.key)
        assert relation_ref is not None
        shows: list[ShownColumns] = []
        targets = [self.desired.board(link.key) for link in relation.relation.boards if link.key]
        # A name no manifest board of the relation holds is a column id of the boards
        # outside the manifests (whose columns boardops does not read).
        outside_names = [
            name
            for name in wanted.mirror.shows
            if not any(t is not None and column_named(t.columns, name) for t in targets)
        ]
        for link in relation.relation.boards:
            board_ref, _ = self._board_link(link, address)
            target = self.desired.board(link.key) if link.key is not None else None
            columns: list[ObjectRef] = []
            for name in wanted.mirror.shows if target is not None else outside_names:
                if target is None:
                    columns.append(ObjectRef(f"{board_ref.address}.column.{name}", name))
                    continue
                ref = self._ref_on(target, name)
                if ref is not None:
                    columns.append(ref)
            if columns:
                shows.append(ShownColumns(board_ref, tuple(columns)))
        return MirrorSpec(relation=relation_ref, shows=tuple(shows))

    def _check_new_relation_column(self, wanted: Column, spec: ColumnSpec, address: str) -> None:
        """Before a new dependency column: the board has none on monday (monday keeps one
        per board). Before a new two-way column that is the first of no pair: a warning
        naming the boards monday adds its reflection to."""
        if wanted.type == DEPENDENCY and self.found is not None:
            declared = {m.live.id for m in self.columns if m.live is not None}
            for column in self.found.columns:
                if column.type == DEPENDENCY and column.id not in declared:
                    raise PlanError(
                        f"{address}: the board already has a dependency column "
                        f"{column.title!r} (id {column.id}) and monday keeps one per board: "
                        "declare that one (its id or title) instead"
                    )
        relation = spec.relation
        if relation is None or not relation.two_way or relation.reflection_of is not None:
            return
        assert wanted.relation is not None
        mine = BoardLink(key=self.board.key)
        lonely: list[str] = []
        for link, ref in zip(wanted.relation.boards, relation.boards, strict=True):
            other = self.desired.board(link.key) if link.key is not None else None
            if other is not None and other.key == self.board.key:
                continue
            matched = self._matches_of(other) if other is not None else {}
            paired = other is not None and any(
                c.relation is not None
                and c.relation.two_way
                and mine in c.relation.boards
                and matched.get(c.key) is None
                for c in other.columns
            )
            if not paired:
                lonely.append(ref.address)
        if lonely:
            self.out.warnings.append(
                f"{address}: two-way: monday adds a connect-boards column titled "
                f"{self.board.name!r} to {', '.join(lonely)}; declare it there (two_way: true) "
                "to manage it"
            )

    # --- comparing an existing column --------------------------------------------------------

    def _relation_changes(
        self, wanted: Column, found: Column, address: str
    ) -> tuple[tuple[FieldChange, ...], RelationSpec | None, MirrorSpec | None]:
        """What differs in a connect-boards or mirror column's settings, and the settings to
        send (None: unchanged)."""
        if wanted.relation is not None:
            return self._compare_relation(wanted, found, address)
        if wanted.mirror is not None:
            return self._compare_mirror(wanted, found, address)
        return (), None, None

    def _compare_relation(
        self, wanted: Column, found: Column, address: str
    ) -> tuple[tuple[FieldChange, ...], RelationSpec | None, MirrorSpec | None]:
        assert wanted.relation is not None
        live = found.relation
        desired_ids = {self._board_link(link, address)[1] for link in wanted.relation.boards}
        live_links = live.boards if live is not None else ()
        live_ids = {f"key:{lk.key}" if lk.key else f"id:{lk.id}" for lk in live_links}
        changes: list[FieldChange] = []
        if desired_ids != live_ids:
            changes.append(
                FieldChange(
                    "boards",
                    _texts(_shown_link(lk) for lk in live_links),
                    _texts(_shown_link(lk) for lk in wanted.relation.boards),
                )
            )
        live_multiple = live.allow_multiple if live is not None else True
        if live_multiple != wanted.relation.allow_multiple:
            changes.append(
                FieldChange("allow_multiple", live_multiple, wanted.relation.allow_multiple)
            )
        live_two_way = live.two_way if live is not None else False
        if live_two_way != wanted.relation.two_way:
            changes.append(FieldChange("two_way", live_two_way, wanted.relation.two_way))
        if not changes:
            return (), None, None
        spec = self._relation_spec(wanted, address)
        return tuple(changes), RelationSpec(spec.boards, spec.allow_multiple, spec.two_way), None

    def _compare_mirror(
        self, wanted: Column, found: Column, address: str
    ) -> tuple[tuple[FieldChange, ...], RelationSpec | None, MirrorSpec | None]:
        spec = self._mirror_spec(wanted, address)
        live = found.mirror
        changes: list[FieldChange] = []
        if live is None or spec.relation.id != live.relation:
            before = self._live_column_name(live.relation) if live is not None else None
            changes.append(FieldChange("relation", before, spec.relation.address))
        wanted_ids = {c.id for shown in spec.shows for c in shown.columns}
        live_ids = set(live.shows) if live is not None else set()
        if None in wanted_ids or wanted_ids != live_ids:
            named = {c.id: c.address for shown in spec.shows for c in shown.columns if c.id}
            changes.append(
                FieldChange(
                    "shows",
                    _texts(sorted(named.get(i, f"column {i}") for i in live_ids)),
                    _texts(c.address for shown in spec.shows for c in shown.columns),
                )
            )
        if not changes:
            return (), None, None
        return tuple(changes), None, spec

    def _live_column_name(self, column_id: str) -> str:
        """A live column of this board by its address (its desired key when declared)."""
        for match in self.columns:
            if match.live is not None and match.live.id == column_id:
                return column_address(self.board.key, match.desired.key)
        return column_address(self.board.key, column_id)


def _texts(values: Iterable[str]) -> JSONValue:
    return list(values)


def _shown_link(link: BoardLink) -> str:
    return board_address(link.key) if link.key is not None else outside_address(link)
