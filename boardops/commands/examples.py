"""The "Examples:" block of every command's ``--help``, in one table.

Keys are command paths without the program name ("plan", "sandbox serve"; "" is
``boardops`` itself). ``boardops.cli`` attaches them once, as each command's epilog, when
a command is added to its group (:func:`attach`); a command that brings its own epilog
keeps it. An entry whose command does not exist (yet) is simply unused.

Each example is a comment line saying what it does, then the command, as in Terraform's
and kubectl's help. ``tests/test_cli_help.py`` parses every example line against the
command it documents, so an example cannot name an option that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "": (
        ("Check the manifests, see what would change, then apply it", "boardops validate boards/"),
        ("", "boardops plan boards/"),
        ("", "boardops apply boards/"),
        (
            "Try it on the local sandbox: no monday account needed",
            "boardops plan examples/ --sandbox",
        ),
    ),
    "validate": (
        ("Check every manifest in a folder", "boardops validate boards/"),
        (
            "Every problem as JSON, for a CI annotation step",
            "boardops validate boards/ --format json",
        ),
    ),
    "schema": (
        (
            "Save the schema for an editor's YAML language server",
            "boardops schema > boardops.schema.json",
        ),
    ),
    "plan": (
        ("Show what apply would change", "boardops plan boards/"),
        (
            "Save the plan, and a Markdown view for a pull request comment",
            "boardops plan boards/ --out plan.json --markdown-dir plan-md/",
        ),
        (
            "In CI: exit 2 when there are changes, 0 when none",
            "boardops plan boards/ --detailed-exitcode",
        ),
        (
            "Only one board's changes, and what they depend on",
            "boardops plan boards/ -target board.roadmap",
        ),
        ("Against the local sandbox instead of monday", "boardops plan examples/ --sandbox"),
    ),
    "describe": (
        ("The live state of the boards a manifest names", "boardops describe boards/roadmap.yaml"),
        ("A board by name, with its items", 'boardops describe --board "Roadmap" --items'),
        (
            "Save a snapshot, then plan against it with no token and no network",
            "boardops describe boards/ -o live.json",
        ),
        ("", "boardops plan boards/ --live live.json"),
    ),
    "apply": (
        ("Plan, show, ask, apply", "boardops apply boards/"),
        ("In CI, once the plan was reviewed", "boardops apply boards/ --auto-approve"),
        ("Apply exactly the plan saved by `plan --out`, no prompt", "boardops apply plan.json"),
        ("Let the manifests' prune archive and delete", "boardops apply boards/ --allow-destroy"),
    ),
    "export": (
        (
            "A workspace's boards with their items, identified by a column",
            'boardops export --workspace "Engineering" --items --match-by "Ticket" '
            "-o boards/engineering.yaml",
        ),
        (
            "Two boards, each with its own match column",
            'boardops export --board Roadmap --board Bugs --items --match-by "Roadmap=Ticket" '
            '--match-by "Bugs=Bug ID" -o boards/product.yaml',
        ),
        (
            "Replace an earlier export",
            "boardops export --board Roadmap -o boards/roadmap.yaml --force",
        ),
        (
            "For another account: boards found by name, not id",
            "boardops export --board Roadmap --no-ids",
        ),
    ),
    "drift": (
        ("In a scheduled job: exit 2 when the boards drifted", "boardops drift boards/"),
        ("Markdown, for an issue or a chat message", "boardops drift boards/ --format markdown"),
    ),
    "doctor": (
        ("What the token's account is and supports", "boardops doctor"),
        ("And whether these manifests can be applied with it", "boardops doctor boards/"),
    ),
    "show": (
        ("Review a plan saved with `plan --out`", "boardops show plan.json"),
        ("As Markdown, for a pull request comment", "boardops show plan.json --format markdown"),
        ("As JSON, for a script", "boardops show plan.json --format json"),
    ),
    "sandbox": (
        ("Serve the sandbox as monday's API for other tools", "boardops sandbox serve"),
        ("What it holds", "boardops sandbox show"),
    ),
    "sandbox serve": (
        ("Serve http://127.0.0.1:8765/v2 (then MONDAY_API_URL=that URL)", "boardops sandbox serve"),
        (
            "Inject throttling, server errors and latency, to test retries",
            'boardops sandbox serve --faults "429=0.1,5xx=0.05" --latency-ms 50',
        ),
    ),
    "sandbox show": (
        ("The sandbox's workspaces, boards and item counts", "boardops sandbox show"),
    ),
    "sandbox reset": (
        ("Empty the sandbox without asking", "boardops sandbox reset --yes"),
        (
            "Start again, answering as recorded real accounts do",
            "boardops sandbox reset --yes --sandbox-profile recorded",
        ),
    ),
}


def epilog(path: Sequence[str]) -> str | None:
    """The "Examples:" block of the command at ``path`` (None: the table has none)."""
    examples = EXAMPLES.get(" ".join(path))
    if not examples:
        return None
    # "\b" keeps click from re-wrapping a paragraph: each example stays as written. An
    # example without a comment continues the one before it.
    paragraphs: list[list[str]] = []
    for comment, command in examples:
        if comment or not paragraphs:
            paragraphs.append(["\b"] + ([f"  # {comment}"] if comment else []))
        paragraphs[-1].append(f"  {command}")
    paragraphs[0].insert(1, "Examples:")
    return "\n\n".join("\n".join(lines) for lines in paragraphs)


# Set on a command whose epilog came from the table (so a later attach may replace it).
_FROM_TABLE = "boardops_examples_from_table"
# Set on a group: its path, for the commands added to it.
PATH = "boardops_path"


def attach(command: click.Command, path: Sequence[str]) -> None:
    """Give ``command`` (at ``path``) its examples, and a group's commands theirs."""
    if command.epilog is None or getattr(command, _FROM_TABLE, False):
        command.epilog = epilog(path)
        setattr(command, _FROM_TABLE, True)
    if isinstance(command, click.Group):
        setattr(command, PATH, tuple(path))
        for name, sub in command.commands.items():
            attach(sub, (*path, name))
