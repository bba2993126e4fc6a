"""Renderings of a serialised plan (``Plan.to_dict()``), and apply's progress lines.

Every renderer reads the plan dict, never the ``Plan`` object, so the text, Markdown and
JSON views cannot disagree with each other or with a saved plan file. Colour is the
caller's decision (the CLI checks for a TTY and ``NO_COLOR``); views only take a flag.

JSON contract (``render_json``)
-------------------------------
The JSON view is the plan dict itself, pretty-printed: the document described in
``boardops.plan.plan`` under ``format_version`` 2. Consumers can rely on:

* ``format_version`` (int) and ``kind`` (``"boardops-plan"``); a change that removes or
  renames a field or changes its meaning bumps ``format_version``; new fields may appear
  within a version.
* ``summary``: counts per action kind (``create``, ``update``, ``replace``, ``move``,
  ``delete``, ``adopt``) plus ``destructive``; ``has_changes`` and ``is_destructive`` (booleans).
* ``actions``: in execution order; each has ``type`` (the action class, e.g.
  ``CreateColumn``), ``address``, ``kind``, ``verb`` (past tense, as in progress lines),
  ``destructive``, ``board_key`` (null for workspaces), then the action's own fields.
  Updates carry ``changes``: ``[{"field", "before", "after"}]``, only what changes.
* ``unmanaged``: ``[{"address", "kind", "reason"}]``, live objects left alone.
* ``warnings``: strings. ``manifest_digest``, ``live_source`` (``api``, ``sandbox`` or
  ``snapshot``), ``live_read_at``, ``live_origin`` (the sandbox's state file, with
  ``sandbox`` only) and ``live_fingerprint`` say what the plan was computed from.
* ``targeting`` (a partial plan only): ``{"targets": [...], "excludes": [...]}``, the
  ``-target``/``-exclude`` patterns it was narrowed with; its first warning says so.
* ``people``: ``{"<user id>" | "team:<id>": "Ada Lovelace <ada@example.com>"}``, the
  display form of the users the actions name (people values keep their ids; the text
  and Markdown views show these names, ``user 12345 (unknown)`` for an id not in it).
* ``budget``: what applying it costs (``boardops.plan.budget``): ``requests``,
  ``mutations``, ``complexity``, ``minutes``, ``bound``, ``daily_limit``, ``daily_used``;
  all zero for a plan without changes. The text and Markdown views show it as one line
  under the summary (none for a plan without changes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from boardops.action_views import _counted, _describe
from boardops.errors import ViewError
from boardops.model import printable
from boardops.plan.budget import budget_line
from boardops.plan.people import MEMBER_ACTIONS, TEAM_PREFIX, shown, shown_value

SUPPORTED_FORMAT_VERSIONS = (2,)
MARKDOWN_LIMIT = 65000

SYMBOLS: Mapping[str, str] = {
    "create": "+",
    "update": "~",
    "move": "~",
    "replace": "±",
    "delete": "-",
    "adopt": "=",
}
_COLORS: Mapping[str, str] = {
    "create": "32",  # green
    "update": "33",  # yellow
    "move": "33",
    "replace": "35",  # magenta
    "delete": "31",  # red
    "adopt": "36",  # cyan
    "warning": "33",
    "bold": "1",
    "dim": "2",
}
# Item actions beyond this many on one board are folded in the Markdown view.
FOLD_ITEMS_OVER = 10
# Unmanaged objects listed one by one in the text view before the rest are counted.
LIST_UNMANAGED_UP_TO = 20

PlanDict = Mapping[str, Any]


def _check(plan: PlanDict) -> None:
    if plan.get("kind") != "boardops-plan":
        raise ViewError("not a serialised boardops plan")
    if plan.get("format_version") not in SUPPORTED_FORMAT_VERSIONS:
        raise ViewError(f"plan format_version {plan.get('format_version')!r} is not supported")


def _paint(text: str, style: str, color: bool) -> str:
    if not color:
        return text
    return f"\x1b[{_COLORS[style]}m{text}\x1b[0m"


# --- shared pieces ------------------------------------------------------------------------


def summary_line(plan: PlanDict) -> str:
    """``Plan: 3 to create, 2 to update, 0 to remove.`` or the no-change sentence.

    Moves count as updates; replacements get their own count when there are any.
    """
    if not plan.get("actions"):
        if plan.get("targeting"):  # a partial plan (-target/-exclude) says so again
            return "No changes to the targeted objects (a partial plan)."
        return "No changes. The live boards match the manifest."
    s = plan["summary"]
    parts = [f"{s['create']} to create", f"{s['update'] + s['move']} to update"]
    if s["replace"]:
        parts.append(f"{s['replace']} to replace")
    removals = f"{s['delete']} to remove"
    lost = _summary_losses(s)
    parts.append(f"{removals} ({lost})" if lost else removals)
    if s.get("adopt"):
        parts.append(f"{s['adopt']} to adopt")
    return f"Plan: {', '.join(parts)}."


def _summary_losses(s: PlanDict) -> str:
    """``loses 12 items, 40 values`` for the summary line ('' when nothing is lost)."""
    counted = [
        _counted(n, noun)
        for n, noun in ((s.get("lost_items", 0), "item"), (s.get("lost_values", 0), "value"))
        if n
    ]
    text = f"loses {', '.join(counted)}" if counted else ""
    uncounted = s.get("losses_uncounted", 0)
    if uncounted:
        whose = "its" if uncounted == 1 else "their"
        text += (
            f"{'; ' if text else ''}{_counted(uncounted, 'action')} could not count {whose} losses"
        )
    return text


def _source_line(plan: PlanDict, *, quote: Callable[[str], str] = str) -> str:
    """What the plan was compared with; ``quote`` shows the time (Markdown: in code)."""
    when = quote(str(plan["live_read_at"])) if plan.get("live_read_at") else None
    source = plan.get("live_source", "api")
    if source == "snapshot":
        taken = f" taken at {when}" if when else ""
        return f"Compared with a describe snapshot{taken}, not with the live boards."
    if source == "sandbox":
        where = sandbox_name(str(plan.get("live_origin") or "?"), quote=quote)
        return f"Compared with {where}" + (f" as of {when}" if when else "") + ", not monday."
    return "Compared with monday's API" + (f" as of {when}." if when else ".")


def sandbox_name(state_file: str, *, quote: Callable[[str], str] = str) -> str:
    """How every header, prompt and summary names the local sandbox: with its state file."""
    return f"the sandbox {quote(printable(state_file))}"


def _scopes(actions: Sequence[PlanDict]) -> list[tuple[str, list[PlanDict]]]:
    """Actions grouped by board (workspaces, then account tags, first), each group in plan
    order."""
    scopes: dict[str, list[PlanDict]] = {}
    for action in actions:
        key = action.get("board_key")
        if key is not None:
            scope = f"board.{key}"
        else:
            scope = "tags" if str(action.get("address")).startswith("tag[") else "workspaces"
        scopes.setdefault(scope, []).append(action)
    ordered = sorted(scopes, key=lambda s: (s.startswith("board."), s != "workspaces", s))
    return [(scope, scopes[scope]) for scope in ordered]


def _readable_actions(plan: PlanDict) -> list[PlanDict]:
    """The plan's actions as people read them: people values and subscribers by name and
    email (``boardops.plan.people``, from the plan's ``people``); the JSON view keeps ids."""
    people: Mapping[str, str] = plan.get("people") or {}
    return [_with_names(action, people) for action in plan.get("actions", ())]


def _with_names(action: PlanDict, people: Mapping[str, str]) -> PlanDict:
    kind = action.get("type")
    if kind in MEMBER_ACTIONS:
        tokens = [
            *action.get("user_ids", ()),
            *(TEAM_PREFIX + t for t in action.get("team_ids", ())),
        ]
        return {**action, "people": [shown(str(token), people) for token in tokens]}
    keys = {c["key"] for c in action.get("columns", ()) if c.get("type") == "people"}
    if not keys:
        return action
    if kind == "CreateItem":
        values = action.get("values", {})
        named = {k: shown_value(v, people) if k in keys else v for k, v in values.items()}
        return {**action, "values": named}
    if kind == "UpdateItem":
        changes = [
            {
                **c,
                "before": shown_value(c["before"], people),
                "after": shown_value(c["after"], people),
            }
            if c["field"] in keys
            else c
            for c in action.get("changes", ())
        ]
        return {**action, "changes": changes}
    return action


def _destructive(plan: PlanDict) -> list[PlanDict]:
    return [a for a in plan.get("actions", ()) if a.get("destructive")]


# --- text -----------------------------------------------------------------------------------


def render_text(plan: PlanDict, *, color: bool) -> str:
    """The plan for a terminal: Terraform-style symbols, field-level changes, a summary."""
    _check(plan)
    out: list[str] = [_paint(_source_line(plan), "dim", color), ""]
    actions = _readable_actions(plan)
    if actions:
        legend = "  ".join(
            f"{_paint(sym, kind, color)} {kind}"
            for kind, sym in (
                ("create", "+"),
                ("update", "~"),
                ("replace", "±"),
                ("delete", "-"),
                # Shown only when the plan adopts something (older plans read as before).
                *((("adopt", "="),) if any(a["kind"] == "adopt" for a in actions) else ()),
            )
        )
        out += [f"Symbols: {legend}", ""]
    for scope, scoped in _scopes(actions):
        out.append(_paint(scope, "bold", color))
        for action in scoped:
            headline, details = _describe(action)
            kind = str(action["kind"])
            symbol = _paint(SYMBOLS.get(kind, "?"), kind, color)
            out.append(f"  {symbol} {action['address']}: {headline}")
            out.extend(f"      {line}" for line in details)
        out.append("")
    unmanaged = list(plan.get("unmanaged", ()))
    if unmanaged:
        out.append(f"Left alone: {len(unmanaged)} live object(s) not in the manifest")
        for entry in unmanaged[:LIST_UNMANAGED_UP_TO]:
            out.append(f"  . {entry['address']} ({entry['kind']}): {entry['reason']}")
        if len(unmanaged) > LIST_UNMANAGED_UP_TO:
            out.append(f"  ... and {len(unmanaged) - LIST_UNMANAGED_UP_TO} more")
        out.append("")
    for warning in plan.get("warnings", ()):
        out.append(_paint(f"Warning: {warning}", "warning", color))
    if plan.get("warnings"):
        out.append("")
    destructive = _destructive(plan)
    if destructive:
        out.append(
            _paint(
                f"This plan destroys data: {len(destructive)} action(s) archive, delete, "
                "deactivate or replace objects.",
                "delete",
                color,
            )
        )
    out.append(_paint(summary_line(plan), "bold", color))
    budget = _budget(plan)
    if budget:
        out.append(budget)
    return "\n".join(out) + "\n"


def _budget(plan: PlanDict) -> str:
    """The plan's budget line; '' for a plan without changes (or saved without one)."""
    budget = plan.get("budget")
    if not plan.get("has_changes") or not isinstance(budget, Mapping):
        return ""
    return budget_line(budget)


# --- markdown -------------------------------------------------------------------------------

_PART_HEADER_ROOM = 120

# Markdown escaping: the one rule of this view. A pull-request comment is read by people
# who trust what it shows, and every name, label, title, value and address in a plan can
# come from monday or from the pull request itself. So no live string ever reaches the
# Markdown as Markdown: it goes either into an inline code span (``md_code``) or on a line
# of a fenced code block (``_block_line``). Inside code, ``<img ...>``, ``[link](url)``,
# ``@mentions``, ``</details>`` and ``|`` are literal text; newlines and other control
# characters are spelt out (``printable``), so a string cannot end its line, its span or
# its block; a code span is delimited by more backticks than the text's longest run of
# them, and a line of a block never starts with a fence of its own.


def md_code(text: str, *, in_table: bool = False) -> str:
    """``text`` as one inline code span that shows it verbatim and cannot be broken out of.

    ``in_table``: the span sits in a table cell, where GitHub splits cells at ``|`` even
    inside code unless it is written ``\\|`` (which it then shows as ``|``)."""
    text = printable(text)
    if in_table:
        text = text.replace("|", "\\|")
    ticks = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    # A span that starts or ends with a backtick needs a space inside its delimiters (one
    # space on each side is stripped when rendered); so does one both starting and ending
    # with a space, which would lose them.
    pad = text.startswith("`") or text.endswith("`") or (text[:1] == text[-1:] == " ")
    inner = f" {text} " if pad else (text or " ")
    return f"{ticks}{inner}{ticks}"


def _block_line(text: str) -> str:
    """One line of a fenced code block: control characters spelt out (a newline cannot
    start a line of its own), and never a fence that would close the block."""
    line = printable(text)
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) < 4 and stripped.startswith(("```", "~~~")):
        return "    " + line
    return line


def _diff_entries(actions: Sequence[PlanDict]) -> list[str]:
    """One entry per action: its headline line and its indented detail lines."""
    entries = []
    for action in actions:
        headline, details = _describe(action)
        symbol = SYMBOLS.get(str(action["kind"]), "?")
        # GitHub colours a ```diff block by the first character: + green, - red.
        lines = [_block_line(f"{symbol} {action['address']}: {headline}")]
        lines.extend(_block_line(f"      {line}") for line in details)
        entries.append("\n".join(lines))
    return entries


def _fence_chunks(
    entries: Sequence[str], budget: int, wrap: Callable[[str, int], str]
) -> list[str]:
    """``entries`` wrapped by ``wrap(body, part_index)`` into blocks of at most ``budget``.

    A block is always complete (its fence and ``<details>`` closed) and an entry is never
    cut between blocks, so a long list becomes several whole blocks.
    """
    overhead = len(wrap("", 1)) + 16
    room = max(budget - overhead, 200)
    blocks: list[str] = []
    current: list[str] = []
    size = 0
    for entry in entries:
        if len(entry) + 1 > room:
            entry = entry[: room - 4] + "..."
        if current and size + len(entry) + 1 > room:
            blocks.append(wrap("\n".join(current), len(blocks)))
            current, size = [], 0
        current.append(entry)
        size += len(entry) + 1
    if current or not blocks:
        blocks.append(wrap("\n".join(current), len(blocks)))
    return blocks


def _diff_fence(body: str, _: int) -> str:
    return f"```diff\n{body}\n```"


def _board_blocks(scope: str, actions: Sequence[PlanDict], budget: int) -> list[str]:
    counts = _count(actions)
    blocks = [f"### {md_code(scope)}\n\n{counts}"]
    items = [a for a in actions if ".item[" in str(a["address"])]
    others = [a for a in actions if ".item[" not in str(a["address"])]
    fold = len(items) > FOLD_ITEMS_OVER
    shown = others if fold else list(actions)
    if shown:
        blocks += _fence_chunks(_diff_entries(shown), budget, _diff_fence)
    if fold:
        folded = _folded(f"{len(items)} item changes", "diff")
        blocks += _fence_chunks(_diff_entries(items), budget, folded)
    return blocks


def _folded(summary: str, fence: str) -> Callable[[str, int], str]:
    """A chunk in a ``<details>`` block titled ``summary`` (" (continued)" after the first
    chunk), in a fenced block of language ``fence``."""

    def fold(body: str, index: int) -> str:
        more = " (continued)" if index else ""
        return (
            f"<details><summary>{summary}{more}</summary>\n\n```{fence}\n{body}\n```\n\n</details>"
        )

    return fold


def _count(actions: Sequence[PlanDict]) -> str:
    kinds = [str(a["kind"]) for a in actions]
    create, delete = kinds.count("create"), kinds.count("delete")
    update = kinds.count("update") + kinds.count("move")
    replace = kinds.count("replace")
    text = f"{create} to create, {update} to update"
    if replace:
        text += f", {replace} to replace"
    adopt = kinds.count("adopt")
    return text + f", {delete} to remove" + (f", {adopt} to adopt." if adopt else ".")


def _table(plan: PlanDict) -> str:
    rows = ["| Scope | Create | Update | Replace | Remove |", "|---|---:|---:|---:|---:|"]
    for scope, actions in _scopes(plan.get("actions", ())):
        kinds = [str(a["kind"]) for a in actions]
        rows.append(
            f"| {md_code(scope, in_table=True)} | {kinds.count('create')} | "
            f"{kinds.count('update') + kinds.count('move')} | {kinds.count('replace')} | "
            f"{kinds.count('delete')} |"
        )
    return "\n".join(rows)


def _losing(a: PlanDict) -> str:
    """``, losing 12 items`` / ``, losing 40 values``: what a destructive action loses."""
    lost = [
        _counted(n, noun)
        for n, noun in ((a.get("items"), "item"), (a.get("values"), "value"))
        if isinstance(n, int) and not isinstance(n, bool) and n > 0
    ]
    return f", losing {' and '.join(lost)}" if lost else ""


def _warning_block(destructive: Sequence[PlanDict], budget: int) -> list[str]:
    """A GitHub warning alert listing every destructive action (several if very long)."""
    head = (
        f"> [!WARNING]\n> This plan destroys data: {len(destructive)} action(s) archive, "
        "delete, deactivate or replace objects."
    )
    lines = [f"> - {md_code(str(a['address']))} {a['verb']}{_losing(a)}" for a in destructive]
    blocks: list[str] = []
    current = [head]
    size = len(head)
    for line in lines:
        if size + len(line) + 1 > budget:
            blocks.append("\n".join(current))
            current, size = ["> [!WARNING]\n> (continued)"], 30
        current.append(line)
        size += len(line) + 1
    blocks.append("\n".join(current))
    return blocks


def render_markdown(plan: PlanDict, *, max_chars: int = MARKDOWN_LIMIT) -> list[str]:
    """The plan as pull-request comments: one string per comment, each under ``max_chars``.

    A summary table, a warning block when anything is destructive, one section per board
    with a ``diff`` block, item changes folded in ``<details>`` when there are many. Long
    plans are split into numbered parts between blocks, never inside a code fence or a
    ``<details>`` block.
    """
    _check(plan)
    if max_chars < 1000:
        raise ValueError("max_chars must leave room for at least one block (>= 1000)")
    budget = max_chars - _PART_HEADER_ROOM
    cost = _budget(plan)
    blocks: list[str] = [
        f"## boardops plan\n\n**{summary_line(plan)}**\n\n"
        + (f"{cost}\n\n" if cost else "")
        + _source_line(plan, quote=md_code)
    ]
    actions = _readable_actions(plan)
    destructive = _destructive(plan)
    if destructive:
        blocks += _warning_block(destructive, budget)
    if actions:
        blocks.append(_table(plan))
    for scope, scoped in _scopes(actions):
        blocks += _board_blocks(scope, scoped, budget)
    unmanaged = list(plan.get("unmanaged", ()))
    if unmanaged:
        lines = [_block_line(f"{u['address']} ({u['kind']}): {u['reason']}") for u in unmanaged]
        summary = f"Left alone: {len(unmanaged)} live object(s) not in the manifest"
        blocks += _fence_chunks(lines, budget, _folded(summary, ""))
    warnings = list(plan.get("warnings", ()))
    if warnings:
        blocks.append("\n".join(f"> **Warning:** {md_code(str(w))}" for w in warnings))
    return _pack(blocks, budget)


def _pack(blocks: Sequence[str], budget: int) -> list[str]:
    parts: list[list[str]] = [[]]
    size = 0
    for block in blocks:
        if parts[-1] and size + len(block) + 2 > budget:
            parts.append([])
            size = 0
        parts[-1].append(block)
        size += len(block) + 2
    if len(parts) == 1:
        return ["\n\n".join(parts[0]) + "\n"]
    total = len(parts)
    return [
        f"**boardops plan, part {i} of {total}**\n\n" + "\n\n".join(part) + "\n"
        for i, part in enumerate(parts, start=1)
    ]


# --- json -----------------------------------------------------------------------------------


def render_json(plan: PlanDict) -> str:
    """The versioned JSON contract described in this module's docstring."""
    _check(plan)
    return json.dumps(plan, indent=2, ensure_ascii=False) + "\n"


def plan_view(name: str, *, color: bool) -> Callable[[PlanDict], str]:
    """The rendering for ``--format NAME`` (text, markdown or json), picked once per
    command; Markdown's comment-sized parts are joined into one text."""
    views: Mapping[str, Callable[[PlanDict], str]] = {
        "text": lambda plan: render_text(plan, color=color),
        "markdown": lambda plan: "\n".join(render_markdown(plan)),
        "json": render_json,
    }
    if name not in views:
        raise ViewError(f"no plan view {name!r} (text, markdown or json)")
    return views[name]


# --- apply progress -------------------------------------------------------------------------


def progress_line(address: str, verb: str, *, kind: str | None = None, color: bool) -> str:
    """One completed action: ``board.platform-sprint.group.backlog created``."""
    text = f"{address} {verb}"
    return _paint(text, kind, color) if kind is not None and kind in SYMBOLS else text


def failure_line(address: str, message: str, *, color: bool) -> str:
    """One failed action: ``board.x.item[ENG-1] failed: <the API's message>`` (the
    message is the server's text: its control characters are spelt out)."""
    return _paint(f"{address} failed: {printable(message)}", "delete", color)


def apply_summary_line(
    verbs: Mapping[str, int],
    *,
    requests: int,
    elapsed_seconds: float,
    complexity: int | None = None,
    failed: int = 0,
    skipped: int = 0,
    color: bool,
    sandbox: str | None = None,
) -> str:
    """``Apply complete: 3 created, 1 archived. 5 requests, complexity 1200, 0.8 s.``, or,
    when any action failed or was not attempted, ``Apply failed: 1 of 6 actions failed, 1
    not attempted; 4 succeeded (3 created, 1 archived). ...``: never "complete" then.
    With ``sandbox`` (its state file): ``Apply complete on the sandbox FILE: ...``."""
    done = ", ".join(f"{n} {verb}" for verb, n in sorted(verbs.items()) if n)
    cost = f"{requests} request{'s' if requests != 1 else ''}"
    if complexity is not None:
        cost += f", complexity {complexity}"
    tail = f"{cost}, {elapsed_seconds:.1f} s."
    where = "" if sandbox is None else f" on {sandbox_name(sandbox)}"
    if not failed and not skipped:
        return _paint(f"Apply complete{where}: {done or 'nothing to do'}. {tail}", "bold", color)
    succeeded = sum(verbs.values())
    total = succeeded + failed + skipped
    what = f"{failed} of {_counted(total, 'action')} failed"
    if skipped:
        what += f", {skipped} not attempted"
    result = f"{succeeded} succeeded ({done})" if succeeded else "none succeeded"
    return _paint(f"Apply failed{where}: {what}; {result}. {tail}", "delete", color)
