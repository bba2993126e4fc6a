"""`-target ADDRESS` and `-exclude ADDRESS` on plan, apply and drift, as in Terraform.

The plan holds the targeted changes and every change they depend on, minus the excluded
ones and every change that depends on them; it says it is partial in every view, and a
pattern that matches nothing is an error, never a silent "No changes"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import Result

from boardops.plan import build_plan
from boardops.plan.plan import Targeting
from boardops.plan.target import AddressPattern, narrow
from boardops.sandbox import BASE_URL, open_sandbox
from tests.support.cli import invoke, one_error_line
from tests.support.scenarios import tagged_scenario
from tests.support.world import census

MANIFEST = """\
version: 1
boards:
  - name: Roadmap
    key: roadmap
    columns:
      - {id: ref, title: Ref, type: text}
      - id: status
        title: Status
        type: status
        labels:
          - {label: Planned, color: american_gray}
          - {label: Shipped, color: done_green, done: true}
    groups:
      - {key: now, title: Now}
      - {key: later, title: Later}
    items:
      match_by: [ref]
      rows:
        - {name: Search, group: now, values: {ref: R-1, status: Planned}}
        - {name: Export, group: later, values: {ref: R-2}}
  - name: Ops
    key: ops
    columns:
      - {id: ref, title: Ref, type: text}
    groups:
      - {key: queue, title: Queue}
"""

ROADMAP = [
    "board.roadmap",
    "board.roadmap.column.ref",
    "board.roadmap.column.status",
    "board.roadmap.group.now",
    "board.roadmap.group.later",
    "board.roadmap.item[R-1]",
    "board.roadmap.item[R-2]",
]
OPS = ["board.ops", "board.ops.column.ref", "board.ops.group.queue"]


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "boards.yaml"
    path.write_text(MANIFEST)
    return path


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "sandbox.json"


def run(command: str, manifest: Path, state: Path, *args: str) -> Result:
    return invoke(command, str(manifest), f"--sandbox={state}", *args)


def planned(manifest: Path, state: Path, *args: str) -> list[str]:
    """The addresses `plan ARGS --format json` lists, in plan order."""
    result = run("plan", manifest, state, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [action["address"] for action in json.loads(result.stdout)["actions"]]


# --- what a pattern matches ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "address", "matches"),
    [
        ("board.roadmap", "board.roadmap", True),
        ("board.roadmap", "board.roadmap.item[R-1]", True),
        ("board.roadmap", "board.roadmap.subscribers", True),
        ("board.roadmap", "board.roadmap.column.status.label[Done]", True),
        ("board.road", "board.roadmap", False),  # a prefix ends at a segment boundary
        ("board.roadmap", "board.roadmap-2", False),
        ("board.roadmap.item", "board.roadmap.item[R-1]", True),
        ("board.roadmap.item[*]", "board.roadmap.item[R-1]", True),
        ("board.roadmap.item[*]", "board.roadmap.group.now", False),
        ("board.roadmap.item[R-*]", "board.roadmap.item[R-12]", True),
        ("board.roadmap.item[R-*]", "board.roadmap.item[X-1]", False),
        ("board.roadmap.item[R-1]", "board.roadmap.item[R-12]", False),
        ("board.roadmap.item[v1.*]", "board.roadmap.item[v1.2 / beta]", True),  # dots in []
        ("board.roadmap.item[a[b]]", "board.roadmap.item[a[b]]", True),
        ("board.roadmap.item[a*]", "board.roadmap.item[a[b]]", True),
        ("board.*", "board.ops.group.queue", True),
        ("board.*.ref", "board.ops.column.ref", False),  # * stays within one segment
        ("board.*.column.ref", "board.ops.column.ref", True),
        ("board.r*", "board.roadmap", True),
        ("board.r*", "board.ops", False),
        ("workspace.eng", "workspace.eng", True),
        ("workspace.eng", "board.eng", False),
        ("*", "tag[billing]", True),
        ("Board.roadmap", "board.roadmap", False),  # case matters
    ],
)
def test_a_pattern_is_an_address_or_a_prefix_of_one_with_star_in_one_segment(
    pattern: str, address: str, matches: bool
) -> None:
    assert AddressPattern.parse("-target", pattern).matches(address) is matches


# --- plan ---------------------------------------------------------------------------------


def test_targeting_a_board_plans_the_board_and_everything_on_it(
    manifest: Path, state: Path
) -> None:
    assert planned(manifest, state) == OPS + ROADMAP  # boards in key order
    assert planned(manifest, state, "-target", "board.roadmap") == ROADMAP
    assert planned(manifest, state, "-target", "board.ops") == OPS


def test_targeting_an_item_pulls_in_the_creations_it_depends_on(
    manifest: Path, state: Path
) -> None:
    # R-2 writes only `ref`, into group `later`, which is placed after `now`.
    assert planned(manifest, state, "-target", "board.roadmap.item[R-2]") == [
        "board.roadmap",
        "board.roadmap.column.ref",
        "board.roadmap.group.now",
        "board.roadmap.group.later",
        "board.roadmap.item[R-2]",
    ]
    # R-1 writes the status column as well.
    assert "board.roadmap.column.status" in planned(
        manifest, state, "-target", "board.roadmap.item[R-1]"
    )


def test_excluding_a_creation_removes_what_depends_on_it(manifest: Path, state: Path) -> None:
    addresses = planned(manifest, state, "-exclude", "board.roadmap.column.status")
    assert "board.roadmap.column.status" not in addresses
    assert "board.roadmap.item[R-1]" not in addresses  # it writes a status
    assert "board.roadmap.item[R-2]" in addresses
    assert set(OPS) <= set(addresses)
    # Excluding the board leaves the other one only.
    assert planned(manifest, state, "-exclude", "board.roadmap") == OPS


def test_target_and_exclude_together(manifest: Path, state: Path) -> None:
    addresses = planned(
        manifest, state, "-target", "board.roadmap", "-exclude", "board.roadmap.item[R-1]"
    )
    assert addresses == [a for a in ROADMAP if a != "board.roadmap.item[R-1]"]
    # What only an excluded item needed is not pulled in.
    assert planned(
        manifest,
        state,
        "-target",
        "board.roadmap.item[*]",
        "-exclude",
        "board.roadmap.item[R-1]",
    ) == [a for a in ROADMAP if a not in ("board.roadmap.column.status", "board.roadmap.item[R-1]")]


def test_wildcards_and_repeated_targets(manifest: Path, state: Path) -> None:
    assert planned(manifest, state, "-target", "board.*.group.*") == [
        "board.ops",
        "board.ops.group.queue",
        "board.roadmap",
        "board.roadmap.group.now",
        "board.roadmap.group.later",
    ]
    assert planned(
        manifest, state, "-target", "board.roadmap.item[R-*]", "-target", "board.ops"
    ) == (OPS + ROADMAP)


@pytest.mark.parametrize(
    "spelling",
    [
        ["-target", "board.ops"],
        ["-target=board.ops"],
        ["--target", "board.ops"],
        ["--target=board.ops"],
    ],
)
def test_the_options_are_spelt_as_in_terraform_or_with_two_dashes(
    manifest: Path, state: Path, spelling: list[str]
) -> None:
    assert planned(manifest, state, *spelling) == OPS


def test_exclude_has_the_same_spellings(manifest: Path, state: Path) -> None:
    for spelling in (["-exclude=board.roadmap"], ["--exclude", "board.roadmap"]):
        assert planned(manifest, state, *spelling) == OPS


def test_every_view_warns_that_the_plan_is_partial_and_names_the_patterns(
    manifest: Path, state: Path
) -> None:
    args = ("-target", "board.roadmap", "-exclude", "board.roadmap.item[R-1]")
    for view in ("text", "markdown", "json"):
        result = run("plan", manifest, state, "--format", view, *args)
        assert result.exit_code == 0, result.output
        assert "partial plan (-target board.roadmap -exclude board.roadmap.item[R-1])" in (
            result.stdout
        ), view
    data = json.loads(run("plan", manifest, state, "--format", "json", *args).stdout)
    assert data["targeting"] == {
        "targets": ["board.roadmap"],
        "excludes": ["board.roadmap.item[R-1]"],
    }
    whole = json.loads(run("plan", manifest, state, "--format", "json").stdout)
    assert "targeting" not in whole
    assert not any("partial plan" in warning for warning in whole["warnings"])


def test_a_target_with_nothing_to_change_says_so_without_claiming_the_boards_match(
    manifest: Path, state: Path
) -> None:
    assert run("apply", manifest, state, "--auto-approve", "-target", "board.ops").exit_code == 0
    result = run("plan", manifest, state, "-target", "board.ops", "--detailed-exitcode")
    assert result.exit_code == 0, result.output
    assert "No changes to the targeted objects (a partial plan)." in result.stdout
    assert "The live boards match the manifest" not in result.stdout


@pytest.mark.parametrize("command", ["plan", "apply", "drift"])
@pytest.mark.parametrize(
    "option", [["-target", "board.roadmapp"], ["-exclude", "board.roadmap.item[R-9]"]]
)
def test_a_pattern_matching_nothing_is_an_error_naming_it(
    manifest: Path, state: Path, command: str, option: list[str]
) -> None:
    extra = ["--auto-approve"] if command == "apply" else []
    line = one_error_line(run(command, manifest, state, *option, *extra))
    assert line.startswith(f"{option[0]} '{option[1]}': matches nothing")
    assert census(open_sandbox(state))["boards"] == {}


def test_a_pattern_naming_an_object_without_changes_is_not_an_error(
    manifest: Path, state: Path
) -> None:
    assert run("apply", manifest, state, "--auto-approve").exit_code == 0
    for pattern in ("board.roadmap.item[R-2]", "board.roadmap.column.status.label[Shipped]"):
        result = run("plan", manifest, state, "-target", pattern)
        assert result.exit_code == 0, result.output
        assert "No changes to the targeted objects" in result.stdout


# --- apply and drift ----------------------------------------------------------------------


def test_apply_with_a_target_changes_only_those_objects(manifest: Path, state: Path) -> None:
    result = run("apply", manifest, state, "--auto-approve", "-target", "board.roadmap.item[R-2]")
    assert result.exit_code == 0, result.output
    assert "partial plan (-target board.roadmap.item[R-2])" in result.stdout
    assert census(open_sandbox(state))["boards"] == {
        "Roadmap": [
            {
                "columns": [("Name", "name"), ("Ref", "text")],
                "groups": ["Now", "Later"],
                "items": [("Export", "Later", ["ref"])],
            }
        ]
    }
    # The rest is still to do.
    assert planned(manifest, state) == [
        *OPS,
        "board.roadmap.column.status",
        "board.roadmap.item[R-1]",
    ]


def test_apply_with_an_exclude_leaves_the_excluded_and_their_dependents(
    manifest: Path, state: Path
) -> None:
    result = run(
        "apply", manifest, state, "--auto-approve", "-exclude", "board.roadmap.column.status"
    )
    assert result.exit_code == 0, result.output
    boards = census(open_sandbox(state))["boards"]
    assert sorted(boards) == ["Ops", "Roadmap"]
    assert boards["Roadmap"][0]["items"] == [("Export", "Later", ["ref"])]
    assert planned(manifest, state) == ["board.roadmap.column.status", "board.roadmap.item[R-1]"]


def test_drift_checks_only_the_targets(manifest: Path, state: Path) -> None:
    assert run("apply", manifest, state, "--auto-approve", "-target", "board.ops").exit_code == 0
    assert run("drift", manifest, state).exit_code == 2
    assert run("drift", manifest, state, "-target", "board.ops").exit_code == 0
    assert run("drift", manifest, state, "-exclude", "board.roadmap").exit_code == 0
    drifted = run("drift", manifest, state, "-target", "board.roadmap.group.*")
    assert drifted.exit_code == 2
    assert "board.roadmap.group.later" in drifted.stdout
    assert "board.roadmap.item" not in drifted.stdout


# --- saved plans --------------------------------------------------------------------------


def live_edit(state: Path, document: str, **variables: object) -> None:
    """A change made on the sandbox's API by someone else, between plan and apply."""
    sandbox = open_sandbox(state)
    headers = {"Authorization": "someone-else"}
    with httpx.Client(transport=sandbox.transport(), base_url=BASE_URL, headers=headers) as http:
        body = http.post("", json={"query": document, "variables": variables}).json()
    assert "errors" not in body, body


SET_STATUS = (
    "mutation($b: ID!, $i: ID!, $v: String!) { change_simple_column_value(board_id: $b, "
    'item_id: $i, column_id: "status", value: $v) { id } }'
)


def test_a_saved_partial_plan_keeps_its_targets_and_applies_only_them(
    manifest: Path, state: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "plan.json"
    made = run("plan", manifest, state, "-target", "board.ops", "--out", str(saved))
    assert made.exit_code == 0, made.output
    assert json.loads(saved.read_text())["targeting"] == {"targets": ["board.ops"], "excludes": []}
    shown = invoke("show", str(saved))
    assert shown.exit_code == 0, shown.output
    assert "partial plan (-target board.ops)" in shown.stdout
    applied = invoke("apply", str(saved), f"--sandbox={state}")
    assert applied.exit_code == 0, applied.output
    assert "partial plan (-target board.ops)" in applied.stdout
    assert sorted(census(open_sandbox(state))["boards"]) == ["Ops"]


def test_a_saved_partial_plan_is_not_stale_when_only_what_it_leaves_out_moved(
    manifest: Path, state: Path, tmp_path: Path
) -> None:
    assert (
        run("apply", manifest, state, "-target", "board.roadmap", "--auto-approve").exit_code == 0
    )
    roadmap = open_sandbox(state).state.board_named("Roadmap")
    search = next(item for item in roadmap.items if item.name == "Search")
    live_edit(state, SET_STATUS, b=roadmap.id, i=search.id, v="Shipped")
    saved = tmp_path / "plan.json"
    assert run("plan", manifest, state, "-target", "board.ops", "--out", str(saved)).exit_code == 0
    # Someone edits the item the partial plan leaves alone (the full plan would update it).
    live_edit(state, SET_STATUS, b=roadmap.id, i=search.id, v="Planned")
    applied = invoke("apply", str(saved), f"--sandbox={state}")
    assert applied.exit_code == 0, applied.output
    assert sorted(census(open_sandbox(state))["boards"]) == ["Ops", "Roadmap"]


@pytest.mark.parametrize("with_manifests", [True, False], ids=["--plan", "apply PLAN"])
def test_a_saved_plan_cannot_be_narrowed_again(
    manifest: Path, state: Path, tmp_path: Path, with_manifests: bool
) -> None:
    saved = tmp_path / "plan.json"
    assert run("plan", manifest, state, "--out", str(saved)).exit_code == 0
    given = [str(manifest), "--plan", str(saved)] if with_manifests else [str(saved)]
    line = one_error_line(
        invoke("apply", *given, f"--sandbox={state}", "--auto-approve", "-exclude", "board.ops")
    )
    assert "-target/-exclude" in line
    assert "saved plan" in line
    assert census(open_sandbox(state))["boards"] == {}


# --- the dependency rule behind it --------------------------------------------------------


def test_targeting_an_item_that_names_a_new_tag_pulls_in_the_tag() -> None:
    desired, live = tagged_scenario()
    narrowed = narrow(build_plan(desired, live), Targeting(("board.wiki.item[One]",)), desired)
    assert [a.address for a in narrowed.actions] == [
        "tag[infra]",
        "board.wiki",
        "board.wiki.column.topics",
        "board.wiki.item[One]",
    ]
    vault = narrow(build_plan(desired, live), Targeting(("board.vault.item[*]",)), desired)
    assert "board.vault.tag[secret]" in [a.address for a in vault.actions]


# --- one real process ---------------------------------------------------------------------


def test_a_real_process_exits_1_with_one_line_on_a_typo_and_2_on_targeted_changes(
    manifest: Path, state: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("MONDAY_API_TOKEN", "NO_COLOR")}

    def boardops(*args: str) -> subprocess.CompletedProcess[str]:
        cli = [sys.executable, "-c", "from boardops.cli import main; main()"]
        command = [*cli, "plan", str(manifest), f"--sandbox={state}", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    typo = boardops("-target=board.opps", "--detailed-exitcode")
    assert typo.returncode == 1
    assert typo.stdout == ""
    assert typo.stderr.splitlines() == [
        "error: -target 'board.opps': matches nothing the manifests describe and no planned "
        "change (addresses are as plan shows them, e.g. board.KEY, board.KEY.item[*], "
        "workspace.KEY)"
    ]
    targeted = boardops("-target=board.ops", "--detailed-exitcode")
    assert targeted.returncode == 2, targeted.stderr
    assert "Plan: 3 to create" in targeted.stdout
