"""Codecs for values named by labels: status, dropdown and tags."""

from __future__ import annotations

from collections.abc import Mapping

from boardops.codec._base import (
    Directory,
    TypeCodec,
    Unreadable,
    as_list,
    did_you_mean,
    is_digits,
    is_empty,
    list_field,
    memoized,
    shown,
    sorted_or_none,
)
from boardops.errors import CodecError
from boardops.model import Column, JSONValue

# --- status, dropdown -----------------------------------------------------------------


def _label_text(value: object, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise CodecError(f"{shown(value)} is not a {what}; expected the label's text")
    return str(value).strip()


@memoized
def _status_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    if isinstance(value, list):
        raise CodecError("a list is not a status label; expected one label's text")
    return _label_text(value, "status label")


def unknown_label(label: str, column: Column, choices: list[str], where: str = "") -> CodecError:
    listed = ", ".join(choices) if choices else "(none)"
    return CodecError(
        f'"{label}" is not a label of column {column.title}{where}; '
        f"expected one of: {listed}{did_you_mean(label, choices)}"
    )


def _status_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    # An active label wins over a deactivated one with the same text.
    for label in sorted(column.status_labels, key=lambda label: label.deactivated):
        if label.label == value and label.id is not None:
            return {"index": label.id}
    choices = [label.label for label in column.status_labels if not label.deactivated]
    raise unknown_label(str(value), column, choices, " on monday")


def _status_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    if isinstance(stored, dict) and "index" in stored:
        index = stored["index"]
        if index is None:
            return None
        for label in column.status_labels:
            if label.id is not None and str(label.id) == str(index):
                return label.label
        raise Unreadable("status index")
    if isinstance(stored, dict) and isinstance(stored.get("label"), str):
        return _status_canonical(column, stored["label"], directory) or None
    raise Unreadable("status")


def _dropdown_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    labels = {
        _label_text(entry, "dropdown label") for entry in as_list(value) if not is_empty(entry)
    }
    # Set semantics, sorted by text: see boardops.codec's docstring.
    return sorted_or_none(labels)


def _dropdown_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    ids_by_label: dict[str, int] = {}
    # Deactivated labels first, so that an active label with the same text overwrites them.
    for label in sorted(column.dropdown_labels, key=lambda label: not label.deactivated):
        if label.id is not None:
            ids_by_label[label.label] = label.id
    ids: list[JSONValue] = []
    for entry in as_list(value):
        label_id = ids_by_label.get(str(entry))
        if label_id is None:
            choices = [label.label for label in column.dropdown_labels if not label.deactivated]
            raise unknown_label(str(entry), column, choices, " on monday")
        ids.append(label_id)
    return {"ids": ids}


def _dropdown_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    ids = list_field(stored, "ids", "dropdown ids")
    labels_by_id = {
        str(label.id): label.label for label in column.dropdown_labels if label.id is not None
    }
    try:
        names = [labels_by_id[str(label_id)] for label_id in ids]
    except KeyError:
        raise Unreadable("dropdown id") from None
    return _dropdown_canonical(column, names, directory)


# --- tags -----------------------------------------------------------------------------


def _tags_canonical(column: Column, value: object, directory: Directory | None) -> JSONValue:
    names: set[str] = set()
    for entry in as_list(value):
        if isinstance(entry, bool) or not isinstance(entry, (str, int)):
            raise CodecError(f"{shown(entry)} is not a tag; expected a tag name or a list of them")
        name = str(entry).strip().removeprefix("#").strip()
        if name:
            # Compared ignoring case, so that the form does not depend on the directory.
            names.add(name.lower())
    return sorted_or_none(names)


def _tags_write(column: Column, value: JSONValue, directory: Directory) -> JSONValue:
    ids: list[JSONValue] = []
    for name in as_list(value):
        tag_id = directory.tag_id(str(name))
        if tag_id is None:
            raise CodecError(
                f'"{name}" is not a tag of this account; expected one of: '
                f"{', '.join(sorted(directory.tags)) or '(none)'}"
            )
        ids.append(tag_id)
    return {"tag_ids": ids}


def _tags_read(column: Column, stored: JSONValue, directory: Directory | None) -> JSONValue:
    if directory is None:
        raise Unreadable("tag_ids")
    ids = list_field(stored, "tag_ids")
    names: list[JSONValue] = []
    for tag_id in ids:
        name = directory.tag_name(int(str(tag_id))) if is_digits(str(tag_id)) else None
        if name is None:
            raise Unreadable("tag id")
        names.append(name)
    return _tags_canonical(column, names, directory)


CODECS: Mapping[str, TypeCodec] = {
    "status": TypeCodec(_status_canonical, _status_write, _status_read, matchable=True),
    "dropdown": TypeCodec(_dropdown_canonical, _dropdown_write, _dropdown_read),
    "tags": TypeCodec(_tags_canonical, _tags_write, _tags_read),
}
