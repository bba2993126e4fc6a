"""The label-bearing column types: status and dropdown (settings, values and text)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boardops.model import MAX_STATUS_LABEL_LENGTH, MAX_STATUS_LABELS, STATUS_COLOR_IDS
from boardops.sandbox.failures import column_value_error, invalid_argument
from boardops.sandbox.values.registry import (
    ColumnType,
    ValueContext,
    as_given,
    bad_value,
    register,
)

# --- status ----------------------------------------------------------------------------------

EMPTY_STATUS_LABEL_ID = 5


STATUS_HEX: Mapping[str, str] = {
    "working_orange": "#fdab3d",
    "done_green": "#00c875",
    "stuck_red": "#df2f4a",
    "dark_blue": "#007eb5",
    "purple": "#9d50dd",
    "explosive": "#c4c4c4",
    "grass_green": "#037f4c",
    "bright_blue": "#579bfc",
    "saladish": "#cab641",
    "egg_yolk": "#ffcb00",
    "blackish": "#333333",
    "dark_red": "#bb3354",
    "sofia_pink": "#ff158a",
    "lipstick": "#ff5ac4",
    "dark_purple": "#784bd1",
    "bright_green": "#9cd326",
    "chili_blue": "#66ccff",
    "american_gray": "#808080",
    "brown": "#7f5347",
    "dark_orange": "#ff642e",
}


_FALLBACK_HEX = "#a1a1a1"


DEFAULT_STATUS_LABELS: tuple[tuple[str, str, bool], ...] = (
    ("Working on it", "working_orange", False),
    ("Done", "done_green", True),
    ("Stuck", "stuck_red", False),
)


def status_label(
    label: str,
    color: str,
    index: int,
    *,
    is_done: bool = False,
    description: str | None = None,
    is_deactivated: bool = False,
    label_id: int | None = None,
) -> dict[str, Any]:
    if color not in STATUS_COLOR_IDS:
        raise invalid_argument(f"Unknown status colour {color!r}")
    if len(label) > MAX_STATUS_LABEL_LENGTH:
        raise invalid_argument(
            f"Status label {label!r} is longer than {MAX_STATUS_LABEL_LENGTH} characters"
        )
    return {
        "id": STATUS_COLOR_IDS[color] if label_id is None else label_id,
        "label": label,
        "color": color,
        "index": index,
        "is_done": is_done,
        "description": description,
        "is_deactivated": is_deactivated,
        "hex": STATUS_HEX.get(color, _FALLBACK_HEX),
    }


def check_status_labels(labels: list[dict[str, Any]]) -> None:
    if len(labels) > MAX_STATUS_LABELS:
        raise invalid_argument(f"A status column holds at most {MAX_STATUS_LABELS} labels")
    seen_ids: set[int] = set()
    seen_colors: set[str] = set()
    for label in labels:
        if label["id"] in seen_ids or label["color"] in seen_colors:
            raise invalid_argument(
                f"Colour {label['color']!r} is already used by another label of this column",
                color=label["color"],
            )
        seen_ids.add(label["id"])
        seen_colors.add(label["color"])


def default_status_settings() -> dict[str, Any]:
    labels = [
        status_label(text, color, index, is_done=done)
        for index, (text, color, done) in enumerate(DEFAULT_STATUS_LABELS)
    ]
    return {"type": "status", "labels": labels}


def status_settings_from_input(labels_in: list[Mapping[str, Any]]) -> dict[str, Any]:
    labels = [
        status_label(
            str(entry["label"]),
            str(entry["color"]),
            int(entry.get("index", position)),
            is_done=bool(entry.get("is_done") or False),
            description=entry.get("description"),
        )
        for position, entry in enumerate(labels_in)
    ]
    check_status_labels(labels)
    return {"type": "status", "labels": labels}


def status_settings_from_legacy(labels_in: Mapping[str, Any]) -> dict[str, Any]:
    """``{"labels": {"1": "Done", ...}}``, the 2023 ``create_column(defaults:)`` shape."""
    labels = []
    for position, (key, text) in enumerate(sorted(labels_in.items(), key=lambda kv: int(kv[0]))):
        color_id = int(key)
        color = next((c for c, i in STATUS_COLOR_IDS.items() if i == color_id), None)
        if color is None:
            raise invalid_argument(f"Unknown status label id {key!r}")
        labels.append(status_label(str(text), color, position, is_done=color_id == 1))
    check_status_labels(labels)
    return {"type": "status", "labels": labels}


def dropdown_settings_from_input(
    labels_in: list[Mapping[str, Any]],
    limit_select: bool | None = None,
    label_limit_count: int | None = None,
) -> dict[str, Any]:
    labels = []
    for number, entry in enumerate(labels_in, start=1):
        text = entry.get("label", entry.get("name"))
        if not isinstance(text, str) or not text:
            raise invalid_argument("Every dropdown label needs a non-empty label")
        labels.append({"id": number, "label": text, "is_deactivated": False})
    if len({label["label"] for label in labels}) != len(labels):
        raise invalid_argument("Dropdown labels must be unique")
    return {
        "labels": labels,
        "limit_select": bool(limit_select) if limit_select is not None else False,
        "label_limit_count": label_limit_count,
    }


def _status_settings(defaults: dict[str, Any] | None) -> dict[str, Any]:
    labels = (defaults or {}).get("labels")
    if labels is None:
        return default_status_settings()
    if isinstance(labels, dict):
        return status_settings_from_legacy(labels)
    if isinstance(labels, list) and all(isinstance(x, dict) for x in labels):
        return status_settings_from_input(labels)
    raise invalid_argument("status defaults.labels must be a list of labels")


def _status_legacy(settings: Mapping[str, Any]) -> dict[str, Any]:
    labels = settings["labels"]
    return {
        "labels": {str(lb["id"]): lb["label"] for lb in labels},
        "labels_colors": {
            str(lb["id"]): {"color": lb["hex"], "border": lb["hex"], "var_name": lb["color"]}
            for lb in labels
        },
        "labels_positions_v2": {str(lb["id"]): lb["index"] for lb in labels},
        "done_colors": [lb["id"] for lb in labels if lb["is_done"]],
        "hide_footer": False,
    }


def _status(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    labels: list[dict[str, Any]] = column["settings"]["labels"]
    if isinstance(raw, str):
        raw = {"index": int(raw)} if raw.strip().isdigit() else {"label": raw}
    if not isinstance(raw, dict) or len(raw) != 1:
        raise bad_value(column, raw)
    if "index" in raw:
        try:
            label_id = int(raw["index"])
        except (TypeError, ValueError):
            raise bad_value(column, raw) from None
        if any(lb["id"] == label_id for lb in labels):
            return {"index": label_id}
        if label_id == EMPTY_STATUS_LABEL_ID:
            return None
        raise column_value_error(
            f"This status label doesn't exist: index {label_id}", column_id=column["id"]
        )
    if "label" in raw and isinstance(raw["label"], str):
        text = raw["label"]
        for lb in labels:
            if lb["label"] == text:
                return {"index": lb["id"]}
        if not ctx.create_labels_if_missing:
            raise column_value_error(
                f"This status label doesn't exist: {text!r}",
                column_id=column["id"],
                label=text,
            )
        used = {lb["color"] for lb in labels} | {lb["id"] for lb in labels}
        used |= set(column.get("retired_label_ids", ()))  # see profiles: drifting label ids
        color = next(
            (
                c
                for c, i in STATUS_COLOR_IDS.items()
                if c not in used and i not in used and i != EMPTY_STATUS_LABEL_ID
            ),
            None,
        )
        if color is None or len(labels) >= MAX_STATUS_LABELS:
            raise column_value_error("No free colour left for a new status label")
        new = status_label(text, color, max((lb["index"] for lb in labels), default=-1) + 1)
        labels.append(new)
        if ctx.on_settings_changed is not None:
            ctx.on_settings_changed(column)
        return {"index": new["id"]}
    raise bad_value(column, raw)


def _status_text(column: Mapping[str, Any], stored: Any, _ctx: ValueContext) -> str:
    label = next((lb for lb in column["settings"]["labels"] if lb["id"] == stored["index"]), None)
    return "" if label is None else str(label["label"])


register(
    ColumnType(
        "status",
        "StatusValue",
        _status,
        _status_text,
        as_given,
        compare=lambda s, _x: s["index"],
        operand="id",
        empty_compares_as=EMPTY_STATUS_LABEL_ID,
        settings=_status_settings,
        legacy=_status_legacy,
    )
)


# --- dropdown ------------------------------------------------------------------------------


def _dropdown_settings(defaults: dict[str, Any] | None) -> dict[str, Any]:
    labels = (defaults or {}).get("labels")
    if labels is None:
        return dropdown_settings_from_input([])
    if isinstance(labels, list):
        entries: list[Mapping[str, Any]] = [
            x if isinstance(x, dict) else {"label": str(x)} for x in labels
        ]
        assert defaults is not None
        return dropdown_settings_from_input(
            entries, defaults.get("limit_select"), defaults.get("label_limit_count")
        )
    raise invalid_argument("dropdown defaults.labels must be a list of labels")


def _dropdown_legacy(settings: Mapping[str, Any]) -> dict[str, Any]:
    labels = settings["labels"]
    return {
        "labels": [{"id": lb["id"], "name": lb["label"]} for lb in labels],
        "deactivated_labels": [lb["id"] for lb in labels if lb["is_deactivated"]],
    }


def _dropdown(column: dict[str, Any], raw: Any, ctx: ValueContext) -> Any:
    labels: list[dict[str, Any]] = column["settings"]["labels"]
    if isinstance(raw, str):
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        if parts and all(p.isdigit() for p in parts):
            raw = {"ids": [int(p) for p in parts]}
        else:
            raw = {"labels": parts}
    if not isinstance(raw, dict) or len(raw) != 1:
        raise bad_value(column, raw)
    known = {lb["id"] for lb in labels}
    if isinstance(raw.get("ids"), list):
        try:
            ids = [int(x) for x in raw["ids"]]
        except (TypeError, ValueError):
            raise bad_value(column, raw) from None
        missing = [i for i in ids if i not in known]
        if missing:
            raise column_value_error(
                f"This dropdown label doesn't exist: id {missing[0]}", column_id=column["id"]
            )
        return {"ids": ids} if ids else None
    if isinstance(raw.get("labels"), list):
        ids = []
        for text in raw["labels"]:
            match = next((lb for lb in labels if lb["label"] == text), None)
            if match is None:
                if not ctx.create_labels_if_missing or not isinstance(text, str) or not text:
                    raise column_value_error(
                        f"This dropdown label doesn't exist: {text!r}",
                        column_id=column["id"],
                        label=text,
                    )
                match = {"id": next_dropdown_id(column), "label": text, "is_deactivated": False}
                labels.append(match)
                if ctx.on_settings_changed is not None:
                    ctx.on_settings_changed(column)
            ids.append(match["id"])
        return {"ids": ids} if ids else None
    raise bad_value(column, raw)


def next_dropdown_id(column: dict[str, Any]) -> int:
    used = max((lb["id"] for lb in column["settings"]["labels"]), default=0)
    highest = max(used, int(column.get("last_label_id", 0)))
    column["last_label_id"] = highest + 1
    return highest + 1


def _dropdown_text(column: Mapping[str, Any], stored: Any, _ctx: ValueContext) -> str:
    names = {lb["id"]: lb["label"] for lb in column["settings"]["labels"]}
    return ", ".join(names[i] for i in stored["ids"] if i in names)


register(
    ColumnType(
        "dropdown",
        "DropdownValue",
        _dropdown,
        _dropdown_text,
        as_given,
        compare=lambda s, _x: list(s["ids"]),
        operand="id",
        settings=_dropdown_settings,
        legacy=_dropdown_legacy,
    )
)
