"""Saved plans on the command line: what ``apply`` runs (``apply PLAN.json``, ``apply
PATHS --plan PLAN.json`` or ``apply PATHS``) and ``show PLAN.json``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from boardops.model import DesiredState
    from boardops.plan import Plan


@dataclass(frozen=True)
class ApplyInputs:
    """What an apply starts from: the desired state, the saved plan to run (None: plan
    now), and whether that plan was reviewed already (``apply PLAN.json``: no prompt)."""

    desired: DesiredState
    saved: Plan | None = None
    reviewed: bool = False


def apply_inputs(
    paths: tuple[str, ...], plan_file: Path | None, *, allowed_env: frozenset[str]
) -> ApplyInputs:
    """``apply PLAN.json``: the plan and the desired state saved in it. Otherwise the
    manifests at ``paths``, and with ``--plan`` the saved plan they must still give.
    A saved plan among other paths, or with ``--plan``, is a usage error."""
    from boardops.apply.prepare import read_plan_file
    from boardops.errors import PlanFormatError
    from boardops.manifest import load_manifests
    from boardops.plan.saved import looks_like_a_plan, read_saved_plan

    plans = [path for path in paths if looks_like_a_plan(Path(path))]
    if plans:
        if len(paths) > 1 or plan_file is not None:
            raise click.UsageError(
                f"{plans[0]} is a saved plan: apply it alone (boardops apply {plans[0]}), "
                "or give manifests and --plan PLAN"
            )
        path = Path(plans[0])
        saved = read_saved_plan(path)
        if saved.desired is None:
            raise PlanFormatError(
                f"{path}: this plan does not hold the desired state it was made from (it is "
                "`plan --format json` output); save plans with `boardops plan PATHS --out "
                f"{path}`, or give the manifests: boardops apply PATHS --plan {path}"
            )
        return ApplyInputs(saved.desired, saved.plan, reviewed=True)
    desired = load_manifests(paths, allowed_env=allowed_env)
    saved_plan = read_plan_file(plan_file, desired) if plan_file is not None else None
    return ApplyInputs(desired, saved_plan)


def show(path: Path, output_format: str, *, color: bool) -> None:
    """Print the plan saved at ``path`` in the view ``output_format`` (as ``plan`` does)."""
    from boardops import views
    from boardops.plan.saved import read_saved_plan

    render = views.plan_view(output_format, color=color)
    click.echo(render(read_saved_plan(path).plan.to_dict()), nl=False)
