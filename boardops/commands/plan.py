"""``plan`` and ``drift``: one code path (read, diff, render with the view picked once)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from boardops.commands.common import (
    allowed_env,
    check_outputs,
    connect,
    project_of,
    scope_of,
    use_color,
)


def show_plan(
    paths: tuple[str, ...],
    *,
    output_format: str,
    project_file: Path | None,
    backend: dict[str, Any],
    out: Path | None = None,
    live_file: Path | None = None,
    markdown_dir: Path | None = None,
    targeting: Any = None,
) -> bool:
    """Plan the manifests at ``paths`` against monday (or the ``live_file`` snapshot),
    narrow it to ``targeting`` (``boardops.plan.target``; None: the whole plan), save it
    (``out``, ``markdown_dir``) and print it in ``output_format``; whether the plan has
    changes."""
    from boardops import views
    from boardops.apply.estimate import with_budget
    from boardops.live import read_live, rekey_snapshot
    from boardops.manifest import load_manifests
    from boardops.outputs import write_markdown_parts, write_output
    from boardops.plan import build_plan
    from boardops.plan.saved import SavedPlan
    from boardops.plan.target import narrow
    from boardops.snapshot import read_snapshot

    show = views.plan_view(output_format, color=use_color())
    project = project_of(project_file)
    scope = scope_of(project)
    desired = load_manifests(paths, allowed_env=allowed_env(project))
    check_outputs(out, markdown_dir=markdown_dir)
    client = None
    if live_file is not None:
        live = rekey_snapshot(read_snapshot(live_file), desired)
    else:
        with connect(**backend) as connection:
            client = connection.client
            live = read_live(client, desired, scope=scope)
    # Its budget, refined by what the read's answers said of the account's limits.
    computed = with_budget(narrow(build_plan(desired, live), targeting, desired), live, client)
    data = computed.to_dict()
    if out is not None:
        # The saved file also holds the desired state, so that `apply PLAN` needs no manifest.
        write_output(out, SavedPlan(computed, desired).to_json())
    if markdown_dir is not None:
        write_markdown_parts(markdown_dir, views.render_markdown(data))
    if live_file is not None:
        click.echo(f"note: {snapshot_age(live.read_at)}", err=True)
    click.echo(show(data), nl=False)
    return computed.has_changes


def snapshot_age(read_at: str | None) -> str:
    """How old a describe snapshot is, for the reviewer of a plan made from it."""
    if read_at is None:
        return "planned from a snapshot of unknown age"
    try:
        taken = datetime.strptime(read_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return f"planned from a snapshot taken at {read_at}"
    minutes = max(0, int((datetime.now(timezone.utc) - taken).total_seconds() // 60))
    age = f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60} min"
    return f"planned from a snapshot taken at {read_at} ({age} old), not from the live boards"
