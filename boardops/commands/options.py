"""The options several commands share, each written once as a decorator: the backend
(token, API URL or ``--sandbox``), ``--project``, ``--format``, ``-target``/``-exclude``,
``--board``/``--workspace``, ``-o``/``--force`` and durations."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from boardops.commands import errors as _errors

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_SANDBOX_FILE = ".boardops/sandbox.json"


def sandbox_file_not_manifest(
    ctx: click.Context, param: click.Parameter, value: Path | None
) -> Path | None:
    # `--sandbox examples/` would swallow the manifest path as the state file.
    if value is not None and (value.suffix in (".yaml", ".yml") or value.is_dir()):
        raise click.BadParameter(
            f"--sandbox takes a state file, not the manifest {value}: "
            "write --sandbox=FILE, or put --sandbox after the manifest paths",
            ctx=ctx,
            param=param,
        )
    return value


# boardops.sandbox.PROFILE_NAMES (spelled out so the CLI starts without loading the sandbox).
SANDBOX_PROFILES = ("docs", "recorded")


def sandbox_profile_option(command: F) -> F:
    option = click.option(
        "--sandbox-profile",
        "sandbox_profile",
        type=click.Choice(SANDBOX_PROFILES),
        envvar="BOARDOPS_SANDBOX_PROFILE",
        default=None,
        help="How the sandbox answers: as monday's docs say (docs) or as recorded real "
        "accounts do (recorded). Default: the state file's profile, docs for a new file "
        "(env BOARDOPS_SANDBOX_PROFILE).",
    )
    return option(command)


FORMAT_HELP = "text: for people; markdown: for a pull request comment; json: for programs."


def format_option(
    *choices: str, help: str | None = None, json_errors: str = "document"
) -> Callable[[F], F]:
    """``--format`` with ``choices`` (text first, the default): the view a command prints.
    ``json_errors``: how errors show with ``--format json`` (``boardops.commands.errors``)."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help or FORMAT_HELP,
        callback=_json_errors_for(json_errors),
    )


def _json_errors_for(json_errors: str) -> Callable[[click.Context, click.Parameter, str], str]:
    def remember(ctx: click.Context, param: click.Parameter, value: str) -> str:
        if value == "json":
            ctx.meta[_errors.JSON_ERRORS] = json_errors
        return value

    return remember


def backend_options(command: F) -> F:
    """Where to find monday: a token (env or file) and API settings, or ``--sandbox``; and
    ``--project``, which every command that reads monday takes."""
    options = [
        click.option(
            "--sandbox",
            "sandbox_path",
            is_flag=False,
            flag_value=DEFAULT_SANDBOX_FILE,
            default=None,
            type=click.Path(path_type=Path),
            metavar="[FILE]",
            callback=sandbox_file_not_manifest,
            help=f"Use the local monday sandbox (state in FILE, default {DEFAULT_SANDBOX_FILE}).",
        ),
        click.option(
            "--token-file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Read the API token from this file instead of MONDAY_API_TOKEN "
            "(a regular file, mode 600).",
        ),
        click.option(
            "--api-url",
            help="monday API URL (env MONDAY_API_URL); https://, or http:// to loopback only.",
        ),
        click.option(
            "--allow-insecure-http",
            is_flag=True,
            help="For testing only: let a plain http:// --api-url to a non-loopback host "
            "through (the token then travels in clear).",
        ),
        click.option("--api-version", help="monday API version, YYYY-MM (env MONDAY_API_VERSION)."),
        sandbox_profile_option,
        project_option,
    ]
    for option in reversed(options):
        command = option(command)
    return _checks_backend_flags(command)


def _checks_backend_flags(command: F) -> F:
    """Conflicting backend flags stop the command before it reads anything."""

    @functools.wraps(command)
    def checked(*args: Any, **kwargs: Any) -> Any:
        from boardops.connect import check_sandbox_flags

        check_sandbox_flags(kwargs.get("sandbox_path"), kwargs.get("api_url"))
        return command(*args, **kwargs)

    return checked  # type: ignore[return-value]


# PATH...: manifest files and directories (searched for *.yaml, *.yml), `-` for one on
# stdin; `.` when none is given (boardops.manifest.find_manifest_files).
paths_or_here = click.argument("paths", nargs=-1, default=(".",), metavar="[PATH]...")


def targeting_options(command: F) -> F:
    """``-target ADDRESS`` and ``-exclude ADDRESS`` (repeatable; also ``--target`` and
    ``--exclude``, and ``-target=ADDRESS``): the command gets them, checked, as
    ``targeting`` (a ``boardops.plan.target.Targeting``)."""

    @functools.wraps(command)
    def with_targeting(
        *args: Any, targets: tuple[str, ...], excludes: tuple[str, ...], **kwargs: Any
    ) -> Any:
        from boardops.plan.target import targeting_of

        return command(*args, targeting=targeting_of(targets, excludes), **kwargs)

    options = [
        click.option(
            "-target",
            "--target",
            "targets",
            multiple=True,
            metavar="ADDRESS",
            help="Plan only the changes to ADDRESS (a plan address or a prefix of one: "
            "board.KEY, board.KEY.item[*], workspace.KEY; * matches within a segment or "
            "brackets) and what they depend on. Repeatable.",
        ),
        click.option(
            "-exclude",
            "--exclude",
            "excludes",
            multiple=True,
            metavar="ADDRESS",
            help="Leave out the changes to ADDRESS and every change that depends on them. "
            "Repeatable.",
        ),
    ]
    wrapped: Any = with_targeting
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped  # type: ignore[no-any-return]


def board_options(command: F) -> F:
    """``--board`` and ``--workspace``: the boards a command reads without manifests."""
    command = click.option(
        "--workspace",
        "workspaces",
        multiple=True,
        metavar="NAME",
        help="Every board in a workspace.",
    )(command)
    return click.option(
        "--board", "boards", multiple=True, metavar="ID|NAME", help="A board (repeatable)."
    )(command)


def project_option(command: F) -> F:
    """``--project FILE``: the project configuration (``boardops.project``)."""
    option = click.option(
        "--project",
        "project_file",
        type=click.Path(path_type=Path),
        default=None,
        metavar="FILE",
        help="The project configuration: read scope and the variables manifests may read "
        "(env BOARDOPS_PROJECT; default ./boardops-project.yaml when it exists).",
    )
    return option(command)


def out_file_options(what: str) -> Callable[[F], F]:
    """``-o FILE`` and ``--force``: a file the user names is never silently replaced."""

    def add(command: F) -> F:
        command = click.option(
            "--force",
            is_flag=True,
            help="With -o: replace FILE if it exists (atomically; without --force an "
            "existing FILE is refused before anything is read).",
        )(command)
        return click.option(
            "-o",
            "--out",
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="FILE",
            help=f"Write {what} to FILE (mode 600) instead of stdout.",
        )(command)

    return add


def duration_option(ctx: click.Context, param: click.Parameter, value: str) -> Any:
    from boardops.lease import parse_duration

    try:
        return parse_duration(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None
