"""monday's group colour palette: the 19 colours a group may have, by name and hex.

monday's own agent toolkit restricts ``create_group(group_color:)`` to these 19 hex values
(``monday-recorded-behaviour.md`` §4); ``update_group(group_attribute: color)`` takes a
colour *name* from monday's colour chart instead. The names are monday's colour names (the
``StatusColumnColors`` names of the same colours); third-party clients write them with
hyphens (``dark-blue``), so both spellings are accepted by ``group_color_hex``.

Leaf module (no boardops imports): the sandbox and the client both use it.
"""

from __future__ import annotations

from collections.abc import Mapping

# name -> hex, in the toolkit's order.
GROUP_COLORS: Mapping[str, str] = {
    "grass_green": "#037f4c",
    "done_green": "#00c875",
    "bright_green": "#9cd326",
    "saladish": "#cab641",
    "egg_yolk": "#ffcb00",
    "dark_purple": "#784bd1",
    "purple": "#9d50dd",
    "dark_blue": "#007eb5",
    "bright_blue": "#579bfc",
    "chili_blue": "#66ccff",
    "dark_red": "#bb3354",
    "stuck_red": "#df2f4a",
    "sofia_pink": "#ff007f",
    "lipstick": "#ff5ac4",
    "dark_orange": "#ff642e",
    "working_orange": "#fdab3d",
    "brown": "#7f5347",
    "explosive": "#c4c4c4",
    "american_gray": "#757575",
}
GROUP_COLOR_HEXES: tuple[str, ...] = tuple(GROUP_COLORS.values())
GROUP_COLOR_BY_HEX: Mapping[str, str] = {hex_: name for name, hex_ in GROUP_COLORS.items()}


def group_color_hex(name: str) -> str | None:
    """The hex of a palette colour name (``dark_blue`` or ``dark-blue``); None if unknown."""
    return GROUP_COLORS.get(name.strip().lower().replace("-", "_"))


def group_color_name(hex_value: str) -> str | None:
    """The palette name of a hex colour (any case); None when it is not in the palette."""
    return GROUP_COLOR_BY_HEX.get(hex_value.strip().lower())
