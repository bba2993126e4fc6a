"""Reading monday's answers tolerantly: strict where a value is needed, lenient elsewhere.

Real accounts do not always answer as the SDL says (see
``shared/monday-recorded-behaviour.md``): a status colour comes back as a number, a list
as null, a text as a number. A ``WireReader`` is what every ``*_from_wire`` conversion
reads through, so the rule lives in one place:

* a value boardops **needs** (an id, a board or column name, a column type, a list the
  plan compares such as a board's columns or an item's values) that is missing or
  unusable raises ``MalformedResponse`` in one line naming the field path
  (``monday's answer: boards[0].columns[3].id: null where an id is needed``): reading it
  as something else would make the plan write over what is there;
* anything else that departs from the documented type (a number where text was
  documented, an object where a list was, an unknown flag value) is read as the closest
  harmless value (the number's digits, an empty list, the field's default) with a
  ``WARNING`` on the ``boardops.monday.wire`` logger naming the field path;
* what the SDL allows is read silently: null in a nullable field, a missing optional
  field (read as null), extra keys (GraphQL only sends what was selected, and JSON
  ``settings`` are open-ended, so they are ignored).

Warnings are deduplicated per *field*, not per place: the first place is named in full
(``boards[0].items[17].column_values[2].text``), and the other places with the same field
(the other items, labels, boards: list indexes aside) are counted and summed up in one
line by ``finish()``, so a board of 10,000 odd cells logs two lines, not 10,000.

Paths are built lazily (``WirePath``): the hot path, item cells, pays nothing for them
until something is wrong.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from boardops.errors import MalformedResponse

logger = logging.getLogger("boardops.monday.wire")

T = TypeVar("T")


class WirePath:
    """Where a value sits in an answer, rendered only when needed: ``boards[0].columns[3]``."""

    __slots__ = ("parent", "step")

    def __init__(self, parent: WirePath | None, step: str | int) -> None:
        self.parent = parent
        self.step = step

    @classmethod
    def root(cls, name: str) -> WirePath:
        return cls(None, name)

    def __truediv__(self, step: str | int) -> WirePath:
        return WirePath(self, step)

    def _steps(self) -> list[str | int]:
        steps: list[str | int] = []
        node: WirePath | None = self
        while node is not None:
            steps.append(node.step)
            node = node.parent
        steps.reverse()
        return steps

    def render(self, *, indexes: bool = True) -> str:
        """The path as text; ``indexes=False`` writes ``[*]`` for every list index."""
        text = ""
        for step in self._steps():
            if isinstance(step, int):
                text += f"[{step}]" if indexes else "[*]"
            else:
                text += f".{step}" if text else step
        return text

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"WirePath({self.render()!r})"


_MISSING: Any = object()


def _kind(value: object) -> str:
    """How a JSON value is described in messages: "null", "a number", "an object"..."""
    if value is None or value is _MISSING:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "text" if len(value) > 40 else f"the text {value!r}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


class WireReader:
    """Typed, tolerant access to one read's answers (one ``read_live`` or ``describe``).

    Every accessor takes the object holding the field, the field's name and the object's
    ``WirePath``. See the module docstring for what is a warning and what fails.
    """

    def __init__(self, what: str = "monday's answer") -> None:
        self.what = what
        # field pattern (indexes as [*]) -> [first place, how many places]
        self._warned: dict[str, list[Any]] = {}

    # --- reporting --------------------------------------------------------------------

    def warn(self, at: WirePath, problem: str, outcome: str) -> None:
        """Log ``problem`` at ``at`` (once per field; other places are counted)."""
        pattern = at.render(indexes=False)
        seen = self._warned.get(pattern)
        if seen is not None:
            seen[1] += 1
            return
        place = at.render()
        self._warned[pattern] = [place, 1]
        logger.warning("%s: %s: %s; %s", self.what, place, problem, outcome)

    def fail(self, at: WirePath, problem: str) -> MalformedResponse:
        """The error for a needed value that is unusable (raise it)."""
        return MalformedResponse(f"{self.what}: {at}: {problem}")

    @property
    def warnings(self) -> Mapping[str, int]:
        """Places warned about so far, by first place (for tests and summaries)."""
        return {place: int(count) for place, count in self._warned.values()}

    def finish(self) -> None:
        """One line per field that was odd in more than one place."""
        for pattern, (place, count) in self._warned.items():
            if count > 1:
                logger.warning(
                    "%s: the same as at %s in %d more place(s) (%s)",
                    self.what,
                    place,
                    count - 1,
                    pattern,
                )

    # --- needed values ----------------------------------------------------------------

    def id(self, raw: Mapping[str, Any], key: str, at: WirePath) -> str:
        """A needed id: text or a whole number, as text."""
        value = raw.get(key)
        if value.__class__ is str and value:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise self.fail(at / key, f"{_kind(value)} where an id is needed")

    def name(self, raw: Mapping[str, Any], key: str, at: WirePath) -> str:
        """A needed text (a board name, a column title or type): a number is read as its
        digits, with a warning; null or anything else fails."""
        value = raw.get(key)
        if value.__class__ is str:
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.warn(at / key, f"{_kind(value)} where the API documents text", "read as text")
            return str(value)
        raise self.fail(at / key, f"{_kind(value)} where text is needed")

    # --- optional values --------------------------------------------------------------

    def optional_id(self, raw: Mapping[str, Any], key: str, at: WirePath) -> str | None:
        value = raw.get(key)
        if value is None:
            return None
        if value.__class__ is str:
            return value or None
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.warn(at / key, f"{_kind(value)} where the API documents an id", "read as null")
        return None

    def text(self, raw: Mapping[str, Any], key: str, at: WirePath) -> str | None:
        """Text or null; a number is read as its digits, anything else as null."""
        value = raw.get(key)
        if value is None or value.__class__ is str:
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.warn(at / key, f"{_kind(value)} where the API documents text", "read as text")
            return str(value)
        self.warn(at / key, f"{_kind(value)} where the API documents text", "read as null")
        return None

    def flag(self, raw: Mapping[str, Any], key: str, at: WirePath, default: bool = False) -> bool:
        """A boolean; null is ``default``; 0/1 and "true"/"false" are read as booleans."""
        value = raw.get(key)
        if value is None:
            return default
        if value is True or value is False:
            return value
        if value in (0, 1, "true", "false"):
            self.warn(at / key, f"{_kind(value)} where the API documents a boolean", "read as one")
            return value in (1, "true")
        self.warn(
            at / key,
            f"{_kind(value)} where the API documents a boolean",
            f"read as {str(default).lower()}",
        )
        return default

    def integer(self, raw: Mapping[str, Any], key: str, at: WirePath) -> int | None:
        """A whole number or null; digits in text are read as the number."""
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        self.warn(at / key, f"{_kind(value)} where a whole number is expected", "read as null")
        return None

    def choice(
        self, raw: Mapping[str, Any], key: str, at: WirePath, choices: tuple[T, ...], default: T
    ) -> T:
        """One of ``choices`` (an enum); null is ``default``; another value warns."""
        value = raw.get(key)
        if value is None:
            return default
        for choice in choices:
            if value == choice:
                return choice
        self.warn(
            at / key,
            f"{_kind(value)} is not one of {', '.join(map(str, choices))}",
            f"read as {default}",
        )
        return default

    def mapping(self, raw: Mapping[str, Any], key: str, at: WirePath) -> Mapping[str, Any] | None:
        """An object or null; anything else warns and reads as null."""
        value = raw.get(key)
        if value is None or isinstance(value, Mapping):
            return value
        self.warn(at / key, f"{_kind(value)} where the API documents an object", "ignored")
        return None

    def objects(
        self, raw: Mapping[str, Any], key: str, at: WirePath, *, needed: bool = False
    ) -> Iterator[tuple[Mapping[str, Any], WirePath]]:
        """The objects of a list field with their paths (see ``rows``)."""
        return self.rows(raw.get(key), at / key, needed=needed)

    def rows(
        self, rows: object, at: WirePath, *, needed: bool = False
    ) -> Iterator[tuple[Mapping[str, Any], WirePath]]:
        """The objects of the list ``rows`` found at ``at``, with their paths.

        Null is an empty list. A value that is not a list, or an entry that is not an
        object, warns and is skipped, unless the list is ``needed`` (the plan compares its
        content, so reading it short would plan writes): then it fails.
        """
        if rows is None:
            return iter(())
        if not isinstance(rows, list):
            if needed:
                raise self.fail(at, f"{_kind(rows)} where a list is needed")
            self.warn(at, f"{_kind(rows)} where the API documents a list", "read as empty")
            return iter(())
        return self._entries(rows, at, needed)

    def _entries(
        self, rows: list[Any], at: WirePath, needed: bool
    ) -> Iterator[tuple[Mapping[str, Any], WirePath]]:
        for index, entry in enumerate(rows):
            if isinstance(entry, Mapping):
                yield entry, at / index
            elif needed:
                raise self.fail(at / index, f"{_kind(entry)} where an object is needed")
            else:
                self.warn(
                    at / index, f"{_kind(entry)} where the API documents an object", "skipped"
                )


def settings_object(settings: object) -> Mapping[str, Any] | None:
    """A column's settings as an object (``settings``), also when sent as JSON text
    (``settings_str``); None when they are neither."""
    if isinstance(settings, str):
        try:
            settings = json.loads(settings)
        except ValueError:
            return None
    return settings if isinstance(settings, Mapping) else None
