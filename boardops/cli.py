"""The command line: a thin click layer over the library.

Each command parses options, calls one library function, picks a view and returns an exit
code. ``BoardopsError`` becomes a one-line message on stderr and exit 1; ``--debug``
re-raises it with its traceback instead.
"""

from __future__ import annotations

import json

import click

from boardops import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="boardops")
def main() -> None:
    """monday.com boards as code: validate, plan and apply YAML manifests."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one problem per line; json: a list of problems.",
)
def validate(paths: tuple[str, ...], output_format: str) -> None:
    """Check manifests offline: print every problem (exit 1) or a one-line summary."""
    from boardops.manifest import summarize, validate_paths

    state, errors = validate_paths(paths)
    if output_format == "json":
        click.echo(json.dumps([error.to_dict() for error in errors], indent=2))
    else:
        for error in errors:
            click.echo(error.render())
        if state is not None:
            click.echo(f"OK: {summarize(state)}")
    if errors:
        raise SystemExit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of manifest format v1 (for editors and CI checks)."""
    from boardops.manifest import render_schema

    click.echo(render_schema(), nl=False)
