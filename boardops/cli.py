"""The command line: a thin click layer over the library.

Each command parses options, calls one library function, picks a view and returns an exit
code. ``BoardopsError`` becomes a one-line message on stderr and exit 1; ``--debug``
re-raises it with its traceback instead.
"""

from __future__ import annotations

import click

from boardops import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="boardops")
def main() -> None:
    """monday.com boards as code: validate, plan and apply YAML manifests."""
