"""The rules every boardops command follows, written once: the click group class, the
global options (accepted before or after the command name), exit codes for bad usage,
and SIGTERM taken as Ctrl-C."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from boardops.commands import errors as _errors
from boardops.commands.common import configure_logging as _configure_logging
from boardops.commands.examples import PATH as _EXAMPLES_PATH
from boardops.commands.examples import attach as _attach_examples
from boardops.errors import BoardopsError


class BoardopsGroup(click.Group):
    """The rules every command follows, written once: a ``BoardopsError`` is one line on
    stderr per problem and exit 1, Ctrl-C or SIGTERM what was done and exit 130 (``--debug``:
    raise), with ``--format json`` also as JSON on stdout (``boardops.commands.errors``);
    bad usage exits 1 as Terraform's does, never 2, which ``plan --detailed-exitcode`` and
    ``drift`` keep for "there are changes"; the global options (``GLOBAL_OPTIONS``) are
    taken before or after the command name."""

    group_class = type  # `sandbox` and its commands follow the same rules

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _attach_examples(self, ())  # boardops' own; a subgroup's is replaced when it is added

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        add_global_options(cmd)
        super().add_command(cmd, name)
        _attach_examples(cmd, (*getattr(self, _EXAMPLES_PATH, ()), name or cmd.name or ""))

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _usage_exits_one():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _usage_exits_one(), terminate_as_interrupt():
                return super().invoke(ctx)
        except BoardopsError as error:
            if ctx.meta.get("boardops.debug"):
                raise
            _errors.report_error(error, ctx.meta.get(_errors.JSON_ERRORS))
            ctx.exit(1)
        except KeyboardInterrupt as interrupt:
            if ctx.meta.get("boardops.debug"):
                raise
            _errors.report_interrupt(interrupt, ctx.meta.get(_errors.JSON_ERRORS))
            ctx.exit(_errors.INTERRUPTED_EXIT)


@contextmanager
def _usage_exits_one() -> Iterator[None]:
    try:
        yield
    except click.UsageError as error:
        error.exit_code = 1  # type: ignore[misc]  # click: class-level 2
        raise


def _global_option(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """Given before and after the command, the options add up (``-v plan -v`` is -vv);
    logging is set up again each time one is seen."""
    key = f"boardops.{param.name}"
    if param.name == "verbose":
        ctx.meta[key] = ctx.meta.get(key, 0) + value
    else:
        ctx.meta[key] = bool(ctx.meta.get(key)) or bool(value)
    _configure_logging(
        verbose=ctx.meta.get("boardops.verbose", 0), debug=ctx.meta.get("boardops.debug", False)
    )


def _global_options() -> list[click.Option]:
    common: dict[str, Any] = {"expose_value": False, "callback": _global_option}
    return [
        click.Option(
            ["-v", "--verbose"],
            count=True,
            help="Log on stderr: -v each request's operation and cost, -vv also HTTP lines.",
            **common,
        ),
        click.Option(
            ["--debug"],
            is_flag=True,
            help="Debug logging; errors raise with a traceback.",
            **common,
        ),
        click.Option(
            ["--no-color"],
            is_flag=True,
            help="No colours in the output (also: env NO_COLOR).",
            **common,
        ),
    ]


GLOBAL_OPTIONS = ("-v", "--verbose", "--debug", "--no-color")


def add_global_options(command: click.Command) -> None:
    taken = {name for param in command.params for name in getattr(param, "opts", ())}
    if not taken & set(GLOBAL_OPTIONS):
        command.params.extend(_global_options())


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a cancelled CI job) stops apply like Ctrl-C, so the lease is released."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
