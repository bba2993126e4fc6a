"""The command line: a thin click layer over the library.

Each command parses options, calls one library function, picks a view and returns an exit
code. ``BoardopsError`` becomes a one-line message on stderr and exit 1; ``--debug``
re-raises it with its traceback instead. Longer command bodies are in
``boardops.commands`` (what several share in ``boardops.commands.common``).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from boardops import __version__
from boardops.commands import errors as _errors
from boardops.commands.common import allowed_env as _allowed_env
from boardops.commands.common import check_outputs as _output_folder
from boardops.commands.common import connect as _connect
from boardops.commands.common import one_line as _one_line
from boardops.commands.common import project_of as _project
from boardops.commands.common import refuse_overwrite as _refuse_overwrite
from boardops.commands.common import scope_of as _scope
from boardops.commands.common import use_color as _use_color
from boardops.commands.common import write_or_echo as _write_or_echo
from boardops.commands.group import BoardopsGroup, add_global_options, terminate_as_interrupt
from boardops.commands.options import (
    DEFAULT_SANDBOX_FILE,
    F,
    backend_options,
    project_option,
    targeting_options,
)
from boardops.commands.options import board_options as _board_options
from boardops.commands.options import duration_option as _duration_option
from boardops.commands.options import format_option as _format_option
from boardops.commands.options import out_file_options as _out_file_options
from boardops.commands.options import paths_or_here as _paths_or_here
from boardops.commands.options import sandbox_file_not_manifest as _sandbox_file_not_manifest
from boardops.commands.options import sandbox_profile_option as _sandbox_profile_option


@click.group(
    cls=BoardopsGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="boardops")
def main() -> None:
    """monday.com boards as code: validate, plan and apply YAML manifests.

    Describe workspaces, boards, columns, groups and items in YAML; `plan` shows what
    would change on monday to match, `apply` makes it so, `drift` checks nothing moved
    since. The API token comes from MONDAY_API_TOKEN or --token-file; --sandbox runs
    everything against a local emulator instead. `boardops COMMAND --help` shows a
    command's options and examples."""


add_global_options(main)


@main.command()
@_paths_or_here
@_format_option("text", "json", help="text: one problem per line; json: a list of problems.")
@project_option
def validate(paths: tuple[str, ...], output_format: str, project_file: Path | None) -> None:
    """Check manifests offline, without a token or a network.

    Reads the manifests at PATHS (YAML files, or folders of them) as plan would, and
    prints every problem, one line each naming FILE:LINE:COL, then exits 1; or prints a
    one-line summary of what they declare and exits 0.

    PATH: manifest files or directories (default: the current directory, .); - reads
    one manifest from standard input."""
    from boardops.errors import ManifestError, ManifestErrors
    from boardops.manifest import summarize, validate_paths

    try:
        project = _project(project_file)
    except ManifestError as problem:
        state = None
        errors = list(problem.errors if isinstance(problem, ManifestErrors) else [problem])
    else:
        state, errors = validate_paths(paths, allowed_env=_allowed_env(project))
    if output_format == "json":
        click.echo(json.dumps([error.to_dict() for error in errors], indent=2))
    else:
        for error in errors:
            click.echo(_one_line(error.render()))
        if state is not None:
            click.echo(f"OK: {summarize(state)}")
    if errors:
        raise SystemExit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of manifest format v1.

    For editors (a YAML language server completes and checks manifests as you type) and
    for CI checks. `validate` checks everything the schema does and more: references
    between boards, and values against their column's type."""
    from boardops.manifest import render_schema

    click.echo(render_schema(), nl=False)


@main.command()
@_paths_or_here
@_format_option("text", "markdown", "json")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Save the plan for apply."
)
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes (0: none, 1: error)."
)
@click.option(
    "--live",
    "live_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Plan against a `boardops describe` snapshot: no token, no network.",
)
@click.option(
    "--markdown-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the Markdown view to DIR/plan-1.md, plan-2.md, ... (one per PR comment).",
)
@targeting_options
@backend_options
def plan(
    paths: tuple[str, ...],
    output_format: str,
    out: Path | None,
    detailed_exitcode: bool,
    live_file: Path | None,
    markdown_dir: Path | None,
    project_file: Path | None,
    targeting: Any,
    **backend: Any,
) -> None:
    """Show what apply would change on monday to match the manifests.

    Reads the live boards the manifests at PATH name, compares them with the manifests
    and prints the ordered actions apply would take. Never writes to monday. --out saves
    the plan for `boardops apply PLAN.json` to apply exactly as reviewed;
    --detailed-exitcode tells CI whether there are changes.

    PATH: manifest files or directories (default: the current directory, .); - reads
    one manifest from standard input."""
    from boardops.commands.plan import show_plan

    has_changes = show_plan(
        paths,
        output_format=output_format,
        project_file=project_file,
        backend=backend,
        out=out,
        live_file=live_file,
        markdown_dir=markdown_dir,
        targeting=targeting,
    )
    if detailed_exitcode and has_changes:
        raise SystemExit(2)


@main.command()
@click.argument("paths", nargs=-1)
@_board_options
@click.option("--items", is_flag=True, help="Include items (always, for manifests with items).")
@_out_file_options("the snapshot")
@backend_options
def describe(
    paths: tuple[str, ...],
    boards: tuple[str, ...],
    workspaces: tuple[str, ...],
    items: bool,
    out: Path | None,
    force: bool,
    project_file: Path | None,
    **backend: Any,
) -> None:
    """Print the live state of boards as JSON.

    What the manifests at PATHS (or the boards named by --board and --workspace) look
    like on monday, exactly as plan compares it. Save it with -o for `plan --live`, to
    plan without a token or a network."""
    from boardops.live import describe as describe_boards
    from boardops.live import read_live
    from boardops.manifest import load_manifests
    from boardops.snapshot import live_to_dict

    if not paths and not boards and not workspaces:
        raise click.UsageError("name manifests (PATHS), --board or --workspace")
    project = _project(project_file)
    scope = _scope(project)
    desired = load_manifests(paths, allowed_env=_allowed_env(project)) if paths else None
    _output_folder(out)
    _refuse_overwrite(out, force=force)
    with _connect(**backend) as connection:
        if desired is not None:
            live = read_live(connection.client, desired, scope=scope)
        else:
            live = describe_boards(
                connection.client,
                boards=boards,
                workspaces=workspaces,
                with_items=items,
                scope=scope,
            )
    text = json.dumps(live_to_dict(live), indent=2, sort_keys=True) + "\n"
    _write_or_echo(out, text, overwrite=force)


def _stdin_is_tty() -> bool:
    return sys.stdin.isatty()


def _lease_view(json_lines: Any) -> Callable[[Any], None]:
    """The lease's events: taking it is a line of the apply output (a JSON event with
    --format json); waiting and stale take-overs are warnings on stderr."""

    def show(event: Any) -> None:
        if json_lines is not None and event.kind in ("acquired", "released"):
            json_lines.write({"event": f"lease_{event.kind}", "item_id": event.item_id})
        elif event.kind == "acquired":
            click.echo(event.message)
        elif event.kind in ("waiting", "stale"):
            click.echo(f"warning: {_one_line(event.message)}", err=True)

    return show


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--auto-approve", is_flag=True, help="Apply without asking for confirmation.")
@click.option(
    "--allow-destroy",
    is_flag=True,
    help="Permit the archives, deletions and deactivations the manifest's prune asks for.",
)
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Apply this saved plan (`plan --out`) exactly, if the manifests at PATHS still "
    "give it and nothing it depends on has moved.",
)
@_format_option("text", "json", help="json: one JSON event per line.", json_errors="lines")
@click.option(
    "--lock-timeout",
    default="0",
    show_default=True,
    metavar="DURATION",
    callback=_duration_option,
    help="How long to wait for the apply lease another apply holds (90s, 5m) before "
    "exiting 1 (env BOARDOPS_LOCK_TIMEOUT).",
    envvar="BOARDOPS_LOCK_TIMEOUT",
)
@click.option(
    "--lock-scope",
    metavar="KEY",
    envvar="BOARDOPS_LOCK_SCOPE",
    help="What the apply lease covers: applies with the same KEY run one at a time "
    "(default: the manifests' workspaces; env BOARDOPS_LOCK_SCOPE).",
)
@click.option(
    "--no-lock",
    is_flag=True,
    help="Do not take the apply lease (only where one runner ever applies).",
)
@click.option(
    "--allow-partial",
    is_flag=True,
    help="When the plan needs more API calls than are left today, apply what fits and "
    "stop before monday's daily cap (default: refuse up front).",
)
@targeting_options
@backend_options
def apply(
    paths: tuple[str, ...],
    auto_approve: bool,
    allow_destroy: bool,
    allow_partial: bool,
    plan_file: Path | None,
    output_format: str,
    lock_timeout: Any,
    lock_scope: str | None,
    no_lock: bool,
    project_file: Path | None,
    targeting: Any,
    **backend: Any,
) -> None:
    """Make monday match the manifests: plan, show, confirm, apply. Safe to run again.

    Plans the manifests at PATHS against the live boards, shows the plan, asks before
    changing anything (--auto-approve: don't) and applies it in dependency order.

    `boardops apply PLAN.json` applies a plan saved with `plan --out` as it was reviewed:
    no manifests, no prompt, refused if something its actions depend on moved since.

    Unless --no-lock, apply first takes the apply lease on monday (board "boardops lock"),
    so that two applies never run at once; see the README, "Concurrent applies"."""
    from boardops import views
    from boardops.apply import apply_plan
    from boardops.apply.estimate import with_budget
    from boardops.apply.events import ignore
    from boardops.apply.feedback import JsonLines, TextLines
    from boardops.apply.prepare import plan_for_apply
    from boardops.commands import budget as daily
    from boardops.commands.saved_plans import apply_inputs
    from boardops.errors import CallAllowanceSpent, UsageError
    from boardops.lease import lease_for
    from boardops.plan import check_destroy

    project = _project(project_file)
    scope = _scope(project)
    inputs = apply_inputs(paths, plan_file, allowed_env=_allowed_env(project))
    desired, saved = inputs.desired, inputs.saved
    if saved is not None and targeting.partial:
        raise UsageError(
            "-target/-exclude cannot narrow a saved plan: it applies as it was made "
            "(make it with `plan -target ... --out FILE`)"
        )
    json_lines = JsonLines(click.echo) if output_format == "json" else None
    with _connect(**backend) as connection, ExitStack() as held:
        client = connection.client
        baseline = client.stats.snapshot()
        # The in-process sandbox (--sandbox FILE) is one machine's emulator: no lease.
        # A saved plan without changes needs none either: it writes and reads nothing.
        if not no_lock and connection.sandbox is None and (saved is None or saved.has_changes):
            lease = lease_for(
                client,
                desired,
                scope=lock_scope,
                timeout=lock_timeout,
                on_event=_lease_view(json_lines),
            )
            held.enter_context(terminate_as_interrupt())
            held.enter_context(lease.hold())
        planned, live = plan_for_apply(client, desired, saved, scope=scope, targeting=targeting)
        if planned.has_changes:
            # What it will cost, and what is left of today's calls (read from monday).
            planned = daily.with_daily(client, with_budget(planned, live, client))
        data = planned.to_dict()
        if json_lines is not None:
            json_lines.write({"event": "plan", "plan": data})
        else:
            click.echo(views.render_text(data, color=_use_color()), nl=False)
        if not planned.has_changes:
            # The text view shows the plan's "no changes" and no summary.
            apply_plan(client, planned, on_event=json_lines or ignore, baseline=baseline)
            return
        check_destroy(planned, allow_destroy=allow_destroy)
        daily.check_daily(client, planned, allow_partial=allow_partial)
        sandbox_file = client.sandbox_file
        target = "monday" if sandbox_file is None else views.sandbox_name(sandbox_file)
        if not auto_approve and not inputs.reviewed:
            if not _stdin_is_tty():
                raise UsageError(
                    "refusing to apply without confirmation: no terminal to ask on; "
                    "review the plan and pass --auto-approve"
                )
            try:
                confirmed = click.confirm(f"Apply these changes to {target}?", default=False)
            except click.Abort:  # Ctrl-C or end of input at the prompt
                raise KeyboardInterrupt from None
            if not confirmed:
                raise UsageError("apply cancelled; nothing was changed")
        sink = json_lines or TextLines(
            click.echo, color=_use_color(), progress=sys.stderr.isatty(), sandbox=sandbox_file
        )
        progress = _errors.ApplyProgress(sink)
        try:
            result = apply_plan(
                client,
                planned,
                live=live,
                allow_destroy=allow_destroy,
                on_event=progress,
                baseline=baseline,
                week_start=desired.week_start,
            )
        except KeyboardInterrupt:
            # Ctrl-C or SIGTERM: say what was done and what was not (exit 130).
            raise progress.interrupted(planned.actions) from None
        except CallAllowanceSpent:
            # --allow-partial reached what was left today: stopped before the cap (exit 1).
            stopped = progress.interrupted(planned.actions)
            for line in daily.partial_report(planned.budget.daily_left, stopped):
                click.echo(line, err=True)
            raise SystemExit(1) from None
    if not result.ok:
        raise SystemExit(1)


@main.command("show")
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False, path_type=Path))
@_format_option("text", "markdown", "json")
def show_plan(plan_file: Path, output_format: str) -> None:
    """Print a saved plan as `plan` printed it. Reads nothing from monday.

    PLAN is a file written by `plan --out`. It is shown in any view: text, markdown (for
    a pull request comment) or json (the plan document, without the desired state saved
    with it)."""
    from boardops.commands.saved_plans import show

    show(plan_file, output_format, color=_use_color())


@main.command()
@_board_options
@click.option("--items", is_flag=True, help="Export the items too, with their values.")
@click.option(
    "--match-by",
    multiple=True,
    metavar="[BOARD=]COL",
    help="Column id or title identifying items (repeatable: a compound key; default: the "
    "item name). BOARD=COL (board id or name) applies to that board only; a plain COL to "
    "every board without its own.",
)
@click.option(
    "--no-ids",
    is_flag=True,
    help="Name boards, groups and workspaces instead of pinning their ids (another account).",
)
@_out_file_options("the manifest")
@backend_options
def export(
    boards: tuple[str, ...],
    workspaces: tuple[str, ...],
    items: bool,
    match_by: tuple[str, ...],
    no_ids: bool,
    out: Path | None,
    force: bool,
    project_file: Path | None,
    **backend: Any,
) -> None:
    """Write a manifest for boards that already exist.

    Plan against it reports no changes while the boards stay as they are: the way to
    bring boards built in monday's UI under boardops. Columns boardops cannot manage are
    left out, as comments saying why. With -o, an existing FILE is replaced only with
    --force."""
    from boardops.export import export as export_boards

    if not boards and not workspaces:
        raise click.UsageError("name the boards to export: --board or --workspace")
    if match_by and not items:
        raise click.UsageError("--match-by applies to items: add --items")
    project = _project(project_file)
    scope = _scope(project)
    _output_folder(out)
    _refuse_overwrite(out, force=force)
    with _connect(**backend) as connection:
        text = export_boards(
            connection.client,
            boards=boards,
            workspaces=workspaces,
            with_items=items,
            match_by=match_by,
            pin_ids=not no_ids,
            scope=scope,
        )
    _write_or_echo(out, text, overwrite=force)


@main.command()
@_paths_or_here
@_format_option("text", "markdown", "json")
@targeting_options
@backend_options
def drift(
    paths: tuple[str, ...],
    output_format: str,
    project_file: Path | None,
    targeting: Any,
    **backend: Any,
) -> None:
    """Check, read-only, that the boards still match the manifests.

    Plans the manifests at PATH against monday and exits 0 when there is nothing to
    change, 2 when the boards drifted (the plan, printed, has changes), 1 on any error.
    Meant for scheduled jobs.

    PATH: manifest files or directories (default: the current directory, .); - reads
    one manifest from standard input."""
    from boardops.commands.plan import show_plan

    if show_plan(
        paths,
        output_format=output_format,
        project_file=project_file,
        backend=backend,
        targeting=targeting,
    ):
        raise SystemExit(2)


@main.command()
@click.argument("paths", nargs=-1)
@_format_option("text", "json")
@backend_options
def doctor(
    paths: tuple[str, ...], output_format: str, project_file: Path | None, **backend: Any
) -> None:
    """Check, read-only, what the token's account is and supports.

    Reports the API version, tier, budgets, main workspace and status colours of the
    account behind the token, and whether the manifests at PATHS (optional) can be
    applied with it: exit 0 when nothing blocks an apply, 1 otherwise."""
    from boardops import doctor as checks
    from boardops.manifest import load_manifests

    project = _project(project_file)
    desired = load_manifests(paths, allowed_env=_allowed_env(project)) if paths else None
    with _connect(**backend) as connection:
        report = checks.diagnose(connection, desired, project=project)
    render = checks.render_json if output_format == "json" else checks.render_text
    click.echo(render(report.to_dict()), nl=False)
    if not report.ok:
        raise SystemExit(1)


# --- the local monday sandbox (boardops.sandbox) ---------------------------------------------


def _state_option(command: F) -> F:
    """The sandbox's state file, as every command names it: ``--sandbox [FILE]``. The old
    ``--state FILE`` is still taken (hidden), with a warning."""

    @functools.wraps(command)
    def resolved(
        *args: Any, sandbox_file: Path | None, state_file: Path | None, **kwargs: Any
    ) -> Any:
        if state_file is not None:
            if sandbox_file is not None:
                raise click.UsageError("--state is the old name of --sandbox: give only --sandbox")
            click.echo("warning: --state is deprecated; write --sandbox FILE", err=True)
        state_path = sandbox_file or state_file or Path(DEFAULT_SANDBOX_FILE)
        return command(*args, state_path=state_path, **kwargs)

    options = [
        click.option(
            "--sandbox",
            "sandbox_file",
            is_flag=False,
            flag_value=DEFAULT_SANDBOX_FILE,
            default=None,
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="[FILE]",
            callback=_sandbox_file_not_manifest,
            help=f"The sandbox's state file (default {DEFAULT_SANDBOX_FILE}).",
        ),
        click.option(
            "--state", "state_file", type=click.Path(dir_okay=False, path_type=Path), hidden=True
        ),
    ]
    for option in reversed(options):
        resolved = option(resolved)
    return resolved  # type: ignore[return-value]


@main.group()
def sandbox() -> None:
    """The local monday emulator: serve it, show or reset its state.

    The sandbox answers monday's GraphQL API from a state file (default
    .boardops/sandbox.json), as monday's docs say or as recorded accounts do. Every
    command that reads monday takes --sandbox to use it in-process; `serve` puts it on
    HTTP for other tools."""


@sandbox.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on (loopback unless --allow-non-loopback).",
)
@click.option(
    "--allow-non-loopback",
    is_flag=True,
    help="Allow a --host other machines can reach (the sandbox takes any token: testing only).",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Another name clients reach the server by (Host header); repeatable.",
)
@click.option(
    "--admin",
    is_flag=True,
    help="Serve the /sandbox/... admin endpoints (counters, faults, account, reset); they "
    "need the random admin token printed on stderr, in the X-Boardops-Admin-Token header.",
)
@click.option(
    "--admin-token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --admin: write the admin token to FILE (mode 0600) instead of printing it; "
    "removed when the server stops.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(1, 1024),
    default=64,
    show_default=True,
    help="Connections served at once; more are answered 503.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="0 picks a free port.",
)
@_state_option
@click.option(
    "--faults",
    "fault_spec",
    metavar="SPEC",
    help='Fault injection, e.g. "429=0.1,5xx=0.05,lost_ack@m3" (env BOARDOPS_SANDBOX_FAULTS).',
)
@click.option("--latency-ms", type=float, help="Latency added to every request.")
@click.option("--jitter-ms", type=float, help="Up to this much more latency, at random.")
@click.option(
    "--server-ms-per-mutation",
    type=click.FloatRange(min=0),
    default=0.0,
    help="Server time each mutation of a request takes (a call past 60 s times out).",
)
@click.option("--rate-429", type=float, help="Probability of an injected 429.")
@click.option("--rate-5xx", type=float, help="Probability of an injected 500.")
@click.option("--rate-timeout", type=float, help="Probability of a timeout (connection dropped).")
@click.option("--rate-lost-ack", type=float, help="Probability a mutation commits, answer lost.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for random faults.")
@click.option("--log-requests", is_flag=True, help="Log every request on stderr.")
@_sandbox_profile_option
def serve(**options: Any) -> None:
    """Serve the sandbox as monday's API over HTTP until interrupted.

    The API is at http://HOST:PORT/v2: point MONDAY_API_URL at it. Any token is
    accepted, so it listens on loopback only unless told otherwise. Faults (throttling,
    server errors, timeouts, lost answers) and latency can be injected to test how a
    client copes."""
    from boardops.commands import sandbox as commands

    commands.serve(**options)


@sandbox.command()
@_state_option
def show(state_path: Path) -> None:
    """Print what the sandbox holds: boards, groups and item counts.

    Its workspaces, and each board with its columns. Reads the state file only: no
    server needs to run."""
    from boardops.commands import sandbox as commands

    commands.show(state_path)


@sandbox.command()
@_state_option
@click.confirmation_option(prompt="Delete every board, workspace and item in the sandbox?")
@_sandbox_profile_option
def reset(state_path: Path, sandbox_profile: Any) -> None:
    """Empty the sandbox: every board, workspace and item goes.

    The seeded users stay. Asks first unless --yes; --sandbox-profile starts the sandbox
    again with that profile."""
    from boardops.commands import sandbox as commands

    commands.reset(state_path, sandbox_profile)
