"""What several commands share: the project, the backend, colour and output checks."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click


def one_line(message: str) -> str:
    """An error for one line: names quoted in it may hold newlines or escape sequences."""
    from boardops.model import printable

    return printable(message)


def project_of(project_file: Path | None) -> Any:
    """The project configuration in effect (None: there is none); a bad file raises its
    ``FILE:LINE:COL: message``."""
    from boardops.project import find_project

    return find_project(project_file)


def allowed_env(project: Any) -> frozenset[str]:
    """The variables the project lists for manifests (``BOARDOPS_VAR_*`` are always read)."""
    return frozenset(project.env) if project is not None else frozenset()


def scope_of(project: Any) -> Any:
    """The read scope of a project configuration (None: nothing is checked)."""
    from boardops.scope import ScopeCheck

    return ScopeCheck.of(project)


def connect(
    sandbox_path: Path | None,
    token_file: Path | None,
    api_url: str | None,
    api_version: str | None,
    sandbox_profile: str | None = None,
    allow_insecure_http: bool = False,
) -> Any:
    from boardops.connect import connect

    return connect(
        sandbox_path=sandbox_path,
        token_file=token_file,
        api_url=api_url,
        api_version=api_version,
        sandbox_profile=sandbox_profile,
        allow_insecure_http=allow_insecure_http,
        on_warning=lambda message: click.echo(f"warning: {one_line(message)}", err=True),
    )


def use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def check_outputs(*paths: Path | None, markdown_dir: Path | None = None) -> None:
    """Check the output files (no symlink, see boardops.outputs) and create their folders
    before anything is read from monday, so that a path that cannot be written is one line
    and no request."""
    from boardops.outputs import check_markdown_dir, check_target

    for path in paths:
        if path is not None:
            check_target(path)
    if markdown_dir is not None:
        check_markdown_dir(markdown_dir)


def refuse_overwrite(out: Path | None, *, force: bool) -> None:
    """For a file the user names with ``-o``: without ``force``, a file already there is
    refused (one line, before anything is read from monday)."""
    from boardops.outputs import refuse_existing

    if out is not None and not force:
        refuse_existing(out)


def write_or_echo(out: Path | None, text: str, *, overwrite: bool = True) -> None:
    """``text`` into ``out`` (checked by ``check_outputs``), or on stdout. ``overwrite``
    False: a file that appeared at ``out`` meanwhile is refused, never replaced."""
    from boardops.outputs import write_output

    if out is None:
        click.echo(text, nl=False)
    else:
        write_output(out, text, overwrite=overwrite)
