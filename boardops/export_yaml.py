"""Writing manifest YAML line by line: flow-style scalars the manifest loader reads back
as written, and comments where the YAML library cannot put them (used by ``export``)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import yaml
from yaml.nodes import ScalarNode

from boardops.manifest.source import UNWRITABLE
from boardops.model import JSONValue

# The manifest loader reads ``$${`` as a literal ``${`` (and ``${env:...}`` as a variable).
_DOLLAR_BRACE = "${"
_ESCAPED_DOLLAR_BRACE = "$${"

# Text that is safe as a plain scalar anywhere, flow context included, as long as YAML does
# not resolve it to another type ("yes", "007", "2026-12-01"); those are single-quoted.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.@/+-]*(?<! )")
# What the YAML loader would make of a plain scalar (PyYAML's resolver is untyped).
_resolve_tag: Callable[[type[ScalarNode], str, tuple[bool, bool]], str] = (
    yaml.resolver.Resolver().resolve
)
_STR = "tag:yaml.org,2002:str"


@dataclass
class YamlText:
    """Lines of YAML being written, with comments where the YAML library cannot put them."""

    lines: list[str] = field(default_factory=list)

    def add(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + text)

    def comment(self, indent: int, text: str) -> None:
        for line in text.splitlines() or [""]:
            self.lines.append((" " * indent + "# " + line).rstrip())


def scalar(value: JSONValue) -> str:
    """One value on one line, in YAML flow style.

    Strings are quoted where a plain scalar would change meaning; the manifest loader reads
    a subset of what PyYAML's safe loader resolves, so PyYAML's quoting decisions are always
    enough. Strings with line breaks or other control characters are written as JSON
    strings, which are valid YAML double-quoted scalars and stay on one line. Every ``${``
    is written ``$${`` (the loader's escape), in keys and nested values too.
    """
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, str):
        value = value.replace(_DOLLAR_BRACE, _ESCAPED_DOLLAR_BRACE)
        if _PLAIN.fullmatch(value):  # the common case, without the cost of PyYAML's emitter
            plain = _resolve_tag(ScalarNode, value, (True, False)) == _STR
            return value if plain else f"'{value}'"
        if any(ch < " " for ch in value) or UNWRITABLE.search(value):
            # JSON escapes the C0 controls; the loader refuses the other characters it cannot
            # show as written (DEL, C1 controls, U+2028, a byte order mark, ...) raw.
            return UNWRITABLE.sub(
                lambda found: f"\\u{ord(found.group()):04x}", json.dumps(value, ensure_ascii=False)
            )
    elif isinstance(value, bool):
        return "true" if value else "false"
    elif isinstance(value, int):
        return str(value)
    text = yaml.safe_dump(
        [value], default_flow_style=True, allow_unicode=True, width=1 << 30
    ).strip()
    return text[1:-1]  # drop the brackets of the one-element list


def mapping_line(fields: Mapping[str, JSONValue]) -> str:
    return scalar(dict(fields))
