"""What several commands share: the project, the backend, colour and output checks."""

from __future__ import annotations

import logging
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

    log_backend(None if sandbox_path is None else f"sandbox {sandbox_path}")
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
    """Colour on a terminal, unless ``--no-color`` (before or after the command) or the
    ``NO_COLOR`` environment variable says no."""
    context = click.get_current_context(silent=True)
    refused = context is not None and context.meta.get("boardops.no_color", False)
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and not refused


# The one handler boardops logs through on stderr (replaced each time logging is set up).
_log_handler: logging.Handler | None = None
LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


def configure_logging(*, verbose: int, debug: bool) -> None:
    """``-v``: boardops' INFO lines (each request's operation and cost); ``-vv``: its DEBUG
    lines too (HTTP status and timing, root fields); ``--debug``: every logger at DEBUG,
    httpx's own included. Without ``--debug`` httpx's request lines stay off: boardops
    writes its own, which name the sandbox when there is one."""
    global _log_handler
    level = logging.DEBUG if debug or verbose > 1 else logging.INFO if verbose else logging.WARNING
    root = logging.getLogger()
    if _log_handler is not None:
        root.removeHandler(_log_handler)
        _log_handler = None
    if not root.handlers:  # as logging.basicConfig: a host's handlers (pytest's) stay alone
        _log_handler = logging.StreamHandler(sys.stderr)
        _log_handler.setFormatter(logging.Formatter(LOG_FORMAT))
        _log_handler.setLevel(logging.DEBUG if debug else level)
        root.addHandler(_log_handler)
        root.setLevel(logging.DEBUG if debug else logging.WARNING)  # --debug: every logger
    # NOTSET (the root's level, WARNING unless something else set it) when nothing is asked.
    logging.getLogger("boardops").setLevel(level if level < logging.WARNING else logging.NOTSET)
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.WARNING)


def log_backend(name: str | None) -> None:
    """Every log line names ``name`` (the sandbox and its state file) from now on; None:
    monday's API, named by nothing."""
    if _log_handler is not None:
        where = "" if name is None else f" [{name.replace('%', '%%')}]"
        _log_handler.setFormatter(
            logging.Formatter(LOG_FORMAT.replace("%(name)s:", f"%(name)s{where}:"))
        )


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
