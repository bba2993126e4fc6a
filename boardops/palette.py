"""monday's group colour palette: the 19 hex colours a group can have.

monday's own agent toolkit restricts group colours to these values (recorded behaviour,
``shared/monday-recorded-behaviour.md`` section 4); ``create_group(group_color:)`` takes
one of them as a hex code. ``update_group(group_attribute: color)`` is sent the same hex
code: the SDL only says "one of the supported colors", the docs sandbox takes hex, and
whether real accounts want a colour name there is open (the live suite's probe 3). A leaf
module: manifests validate against it, apply sends it.
"""

from __future__ import annotations

GROUP_COLORS: tuple[str, ...] = (
    "#037f4c",
    "#00c875",
    "#9cd326",
    "#cab641",
    "#ffcb00",
    "#784bd1",
    "#9d50dd",
    "#007eb5",
    "#579bfc",
    "#66ccff",
    "#bb3354",
    "#df2f4a",
    "#ff007f",
    "#ff5ac4",
    "#ff642e",
    "#fdab3d",
    "#7f5347",
    "#c4c4c4",
    "#757575",
)


def _rgb(hex_color: str) -> tuple[int, int, int]:
    value = int(hex_color.lstrip("#"), 16)
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF


def is_group_color(color: str) -> bool:
    return color.lower() in GROUP_COLORS


def nearest_group_color(color: str) -> str:
    """The palette colour closest to ``color`` (a ``#rrggbb`` hex code) in RGB space."""
    red, green, blue = _rgb(color)
    return min(
        GROUP_COLORS,
        key=lambda c: sum((a - b) ** 2 for a, b in zip(_rgb(c), (red, green, blue), strict=True)),
    )
