"""The diff of a column's ``settings:`` and ``width`` (see ``plan.diff_columns``).

Only what the manifest declares is compared: a settings key it leaves out, and a key
monday reports that boardops does not manage (``column_settings``), are left alone; the
latter are reported as a warning when the column declares settings. Desired settings are
compared with the live ``Column.settings`` structurally: a mapping is walked key by key
(only the declared keys), anything else is compared whole, and each differing leaf becomes
one ``FieldChange`` named by its path (``settings.unit.symbol``), so the plan shows nested
differences path by path.

(deepdiff was considered: it is not a dependency of boardops, and locking it brings
deepdiff, orderly-set and the compiled cachebox for what is a walk over the declared keys
here. This module is the only place the comparison lives, so swapping it in later changes
nothing outside it: its output would become these ``FieldChange`` records.)
"""

from __future__ import annotations

from collections.abc import Mapping

from boardops import column_settings
from boardops.model import Column, JSONValue
from boardops.plan.actions import FieldChange, ObjectRef, UpdateColumnSettings


def _same(before: JSONValue, after: JSONValue) -> bool:
    """JSON equality: ``true`` is not ``1``."""
    return before == after and isinstance(before, bool) == isinstance(after, bool)


def _leaves(path: str, before: JSONValue, after: JSONValue, out: list[FieldChange]) -> None:
    if isinstance(after, Mapping) and (before is None or isinstance(before, Mapping)):
        held: Mapping[str, JSONValue] = before if isinstance(before, Mapping) else {}
        for key in sorted(after):
            _leaves(f"{path}.{key}", held.get(key), after[key], out)
    elif not _same(before, after):
        out.append(FieldChange(path, before, after))


def settings_changes(
    wanted: Mapping[str, JSONValue] | None, live: Mapping[str, JSONValue] | None
) -> tuple[FieldChange, ...]:
    """Each declared settings leaf that differs from the live settings, by its path."""
    if not wanted:
        return ()
    changes: list[FieldChange] = []
    _leaves("settings", dict(live or {}), dict(wanted), changes)
    return tuple(changes)


def column_settings_action(
    address: str, board: ObjectRef, column: ObjectRef, wanted: Column, found: Column | None
) -> UpdateColumnSettings | None:
    """The update that brings the column's declared settings and width to the manifest's
    (None: nothing differs). A column still to be created (``found`` None) gets its
    settings in ``create_column(defaults:)``: only its width is left to set here."""
    changes: list[FieldChange] = []
    width_before = None
    if found is not None:
        live = column_settings.live_view(found.type, found.settings)
        changes.extend(settings_changes(wanted.declared_settings, live))
        width_before = found.width
    if wanted.width is not None and wanted.width != width_before:
        changes.append(FieldChange("width", width_before, wanted.width))
    if not changes:
        return None
    settings_changed = any(change.field.startswith("settings.") for change in changes)
    return UpdateColumnSettings(
        address=address,
        board=board,
        column=column,
        column_type=wanted.type,
        changes=tuple(changes),
        settings=dict(wanted.declared_settings or {}) if settings_changed else None,
        width=wanted.width if any(c.field == "width" for c in changes) else None,
    )


def unknown_settings_warning(address: str, wanted: Column, found: Column) -> str | None:
    """Live settings keys boardops does not manage, on a column that declares settings."""
    if wanted.declared_settings is None:
        return None
    unknown = column_settings.unknown_keys(found.type, found.settings)
    if not unknown:
        return None
    return (
        f"{address}: monday's settings of this column also hold {', '.join(unknown)}, "
        "which boardops does not manage: left as they are"
    )
