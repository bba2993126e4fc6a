"""Item values in canonical form, and the match keys they make (see ``plan.diff``)."""

from __future__ import annotations

from boardops import codec
from boardops.errors import PlanError
from boardops.identity import match_key_parts
from boardops.model import Column, Item, JSONValue, join_match_key
from boardops.plan.diff_base import BoardState, ColumnMatch

_SCALAR_TYPES = (str, int, float, bool)
_UNSEEN = object()


class ItemValues(BoardState):
    def _column_match(self, key: str) -> ColumnMatch:
        if not self._columns_by_key:
            for match in self.columns:
                self._columns_by_key.setdefault(match.desired.key, match)
                if match.desired.id is not None:
                    self._columns_by_key.setdefault(match.desired.id, match)
        found = self._columns_by_key.get(key)
        if found is not None:
            return found
        raise PlanError(
            f"{self.address}: items use column {key!r}, which the board does not declare"
        )

    def _normalize(self, column: Column, value: JSONValue, address: str) -> JSONValue:
        """The canonical form of a desired value. Items repeat the same labels, numbers and
        dates, so scalar values are normalised once per column (and value type: ``True``
        and ``1`` are equal keys but different values) within this board's diff, where
        the desired columns live."""
        remembered = type(value) in _SCALAR_TYPES
        if remembered:
            key = (id(column), type(value), value)
            known = self._normalized.get(key, _UNSEEN)
            if known is not _UNSEEN:
                return known  # type: ignore[return-value]
        try:
            canonical = codec.normalize(column, value, self.directory)
        except codec.CodecError as error:
            raise PlanError(f"{address}: column {column.key!r}: {error}") from error
        if column.type == "people" and isinstance(canonical, list):
            self._check_users_known(column, canonical, address)
        if remembered and not isinstance(canonical, (list, dict)):
            self._normalized[key] = canonical
        return canonical

    def _check_users_known(self, column: Column, people: list[JSONValue], address: str) -> None:
        """Every user a people value names, by email or by id, is a user of the account
        (once the account's users were read): an unknown one would only fail at apply,
        after the board's other changes were made. Teams are not users and pass."""
        if not self.directory.users:
            return
        unknown = [
            str(token)
            for token in people
            if isinstance(token, str)
            and not token.startswith("team:")
            and self.directory.user(token) is None
        ]
        if unknown:
            named = ", ".join(f"the email {t}" if "@" in t else f"the id {t}" for t in unknown)
            raise PlanError(
                f"{address}: column {column.key!r}: no user of this monday account has {named}"
            )

    def _live_value(self, item: Item, match: ColumnMatch) -> JSONValue:
        """The live value as it will read after this plan's label renames."""
        kept = match.kept
        if kept is None or kept.id is None:
            return None
        value = item.values.get(kept.id)
        renames = self.label_renames.get(match.desired.key)
        if renames and value is not None:
            if isinstance(value, str):
                return renames.get(value, value)
            if isinstance(value, list):
                renamed: list[JSONValue] = [
                    renames.get(v, v) if isinstance(v, str) else v for v in value
                ]
                # Back to canonical form: a dropdown value is a sorted set of labels.
                return codec.normalize(match.desired, renamed, self.directory)
        return value

    def _desired_key(self, item: Item, address_hint: str) -> str:
        assert self.board.items is not None

        def value(key: str) -> tuple[Column, JSONValue]:
            column = self._column_match(key).desired
            return column, self._normalize(column, item.values.get(key), address_hint)

        return join_match_key(match_key_parts(self.board.items.match_by, item.name, value))

    def _live_key(self, item: Item) -> str:
        assert self.board.items is not None

        def value(key: str) -> tuple[Column, JSONValue]:
            match = self._column_match(key)
            return match.desired, self._live_value(item, match)

        return join_match_key(match_key_parts(self.board.items.match_by, item.name, value))
