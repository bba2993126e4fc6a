"""`boardops doctor`: what the account behind the token is and supports, read-only.

Every test runs the command against the sandbox (in-process, so its counters are visible)
and reads the report as a person or a CI job would: the text lines, the JSON document and
the exit code (0 nothing blocks an apply, 1 something does).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from boardops import cli
from boardops.connect import Connection
from boardops.doctor import colour_form
from boardops.monday import ApiToken, MondayClient
from boardops.monday.operations import ALL_QUERY_DOCUMENTS
from boardops.sandbox import BASE_URL, Sandbox
from boardops.sandbox.profiles import ProfileName
from tests.conftest import FakeClock, GraphQL

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# Root fields of every query boardops knows: doctor may send nothing else.
QUERY_ROOTS = {
    "boards",
    "complexity",
    "me",
    "next_items_page",
    "platform_api",
    "tags",
    "users",
    "version",
    "workspaces",
}


def use(sandbox: Sandbox, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """Every CLI connection talks to ``sandbox`` (in-process, its counters visible)."""

    def connect(**_: Any) -> Connection:
        http = httpx.Client(transport=sandbox.transport(), base_url=BASE_URL)
        client = MondayClient(
            http, ApiToken("sandbox"), api_url=BASE_URL, clock=clock, sleep=clock.sleep
        )
        return Connection(client, http, sandbox, "test sandbox")

    monkeypatch.setattr("boardops.connect.connect", connect)
    return sandbox


@pytest.fixture
def backend(sandbox: Sandbox, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """The docs profile: monday as documented."""
    return use(sandbox, clock, monkeypatch)


@pytest.fixture
def recorded(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """The recorded profile: numeric colours, a main workspace with an id, tier standard."""
    return use(Sandbox(profile="recorded", clock=clock, sleep=clock.sleep), clock, monkeypatch)


def seed_status_board(sandbox: Sandbox) -> str:
    """A board in the main workspace with a status column, made over GraphQL."""
    with httpx.Client(
        transport=sandbox.transport(), base_url=BASE_URL, headers={"Authorization": "t"}
    ) as http:
        gql = GraphQL(http)
        board = gql.data(
            'mutation { create_board(board_name: "Seeded", board_kind: public) { id } }'
        )["create_board"]["id"]
        gql.data(
            'mutation($b: ID!) { create_status_column(board_id: $b, title: "State", '
            'defaults: {labels: [{label: "Done", color: done_green, index: 0}]}) { id } }',
            b=board,
        )
    sandbox.counters.reset()
    return str(board)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli.main, list(args), terminal_width=100)


def doctor_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = run("doctor", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def checks_by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["name"]: check for check in report["checks"]}


def write(tmp_path: Path, text: str, name: str = "boards.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def applied(backend: Sandbox) -> Sandbox:
    """The examples applied to the sandbox, counters zeroed afterwards."""
    result = run("apply", str(EXAMPLES), "--auto-approve")
    assert result.exit_code == 0, result.output
    backend.counters.reset()
    return backend


def test_doctor_on_an_empty_account_reports_every_check_and_exits_0(backend: Sandbox) -> None:
    result = run("doctor")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "boardops doctor: test sandbox"
    names = [line.split()[1] for line in lines[2:] if line.startswith("  ")]
    assert names[:2] == ["api", "token"]  # "api version"
    for name in ("budget/minute", "budget/day", "main", "status"):
        assert name in names
    assert lines[-1] == "Nothing blocks an apply."


@pytest.mark.parametrize("profile", ["docs", "recorded"])
def test_doctor_sends_only_queries(
    profile: ProfileName, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = use(Sandbox(profile=profile, clock=clock, sleep=clock.sleep), clock, monkeypatch)
    seed_status_board(sandbox)
    result = run("doctor", str(EXAMPLES))
    assert "api version" in result.stdout, result.output
    counters = sandbox.counters
    assert counters.requests > 0
    assert counters.mutation_requests == 0
    assert counters.mutations == 0
    assert set(counters.root_fields) <= QUERY_ROOTS


def test_every_document_doctor_sends_is_registered_for_schema_validation() -> None:
    from boardops.monday import operations

    doctor_documents = {
        name for name in vars(operations) if name.startswith("DOCTOR_") and name.isupper()
    }
    assert doctor_documents
    for name in doctor_documents:
        assert getattr(operations, name) in ALL_QUERY_DOCUMENTS.values(), name


def test_the_api_version_served_and_its_header_are_reported(backend: Sandbox) -> None:
    code, report = doctor_json()
    assert code == 0
    assert report["facts"]["api_version"] == {
        "requested": "2026-10",
        "served": "2026-10",
        "kind": "current",
        "header": "2026-10",
    }
    assert checks_by_name(report)["api version"]["severity"] == "ok"


def test_per_minute_budgets_come_from_the_complexity_piggyback_and_ratelimit_headers(
    backend: Sandbox,
) -> None:
    _, report = doctor_json()
    minute = report["facts"]["budget"]["minute"]
    limits = backend.limits
    assert minute["complexity_quota"] == limits.complexity_per_minute
    assert 0 < minute["complexity_left"] < limits.complexity_per_minute
    assert minute["requests_quota"] == limits.requests_per_minute
    assert 0 < minute["requests_left"] < limits.requests_per_minute
    assert "complexity points left" in checks_by_name(report)["budget/minute"]["message"]


def test_status_colours_are_read_from_a_status_column_the_token_can_see(applied: Sandbox) -> None:
    _, report = doctor_json()
    assert report["facts"]["status_colours"] == "names"
    check = checks_by_name(report)["status colours"]
    assert check["message"].startswith("names (read from status column ")


def test_without_any_status_column_the_colour_form_is_unknown(backend: Sandbox) -> None:
    _, report = doctor_json()
    assert report["facts"]["status_colours"] == "unknown"


@pytest.mark.parametrize(
    ("settings", "form"),
    [
        ({"labels": [{"id": 1, "color": "done_green", "label": "Done"}]}, "names"),
        ({"labels": [{"id": 7, "color": 1, "label": "Done", "hex": "#00c875"}]}, "numbers"),
        ('{"labels": [{"id": 8, "color": "158"}]}', "numbers"),
        ({"labels": [{"color": 1}, {"color": "done_green"}]}, "mixed"),
        ({"labels": []}, None),
        ("not json", None),
        (None, None),
    ],
)
def test_the_colour_form_of_one_status_column(settings: object, form: str | None) -> None:
    assert colour_form(settings) == form


def test_the_main_workspace_as_the_docs_describe_it(applied: Sandbox) -> None:
    _, report = doctor_json()
    assert report["facts"]["main_workspace"] == {"reported_as": "not listed", "id": None}
    message = checks_by_name(report)["main workspace"]["message"]
    assert "report workspace_id null" in message


def test_manifest_workspaces_that_exist_or_will_be_created_are_fine(applied: Sandbox) -> None:
    code, report = doctor_json(str(EXAMPLES / "teams.yaml"))
    assert code == 0
    checks = checks_by_name(report)
    assert checks["workspace.eng"]["message"].startswith("exists (id ")
    assert checks["manifests"]["severity"] == "ok"


def test_a_board_pinned_to_a_workspace_the_token_cannot_see_is_a_blocker(
    backend: Sandbox, tmp_path: Path
) -> None:
    manifest = write(
        tmp_path,
        "version: 1\nboards:\n  - name: Roadmap\n    workspace: {id: '4242'}\n",
    )
    result = run("doctor", str(manifest))
    assert result.exit_code == 1
    blocker = (
        "blocker: board.roadmap: workspace id 4242 is not visible to this token "
        "(closed workspaces are visible to their members only)"
    )
    assert blocker in result.stdout.splitlines()
    assert "1 blocker(s): an apply would fail:" in result.stdout


def test_a_pinned_workspace_id_that_is_not_visible_is_a_blocker(
    backend: Sandbox, tmp_path: Path
) -> None:
    manifest = write(tmp_path, "version: 1\nworkspaces:\n  - {name: Ops, key: ops, id: '777'}\n")
    code, report = doctor_json(str(manifest))
    assert code == 1
    assert [b["name"] for b in report["blockers"]] == ["workspace.ops"]


def test_a_broken_manifest_stops_before_any_request(backend: Sandbox, tmp_path: Path) -> None:
    manifest = write(tmp_path, "version: 1\nboards:\n  - name: X\n    columns: 3\n")
    result = run("doctor", str(manifest))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {manifest}:")
    assert backend.counters.requests == 0


def test_doctor_without_a_token_or_sandbox_says_how_to_get_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MONDAY_API_TOKEN", raising=False)
    result = run("doctor")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no monday API token")


def test_doctor_over_http_with_a_token_never_prints_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "doctor-sentinel-token-8c1f2e"
    server = Sandbox(tmp_path / "state.json").serve("127.0.0.1", 0)
    try:
        monkeypatch.setenv("MONDAY_API_TOKEN", token)
        result = CliRunner().invoke(
            cli.main, ["-vv", "doctor", "--api-url", server.url, "--api-version", "2024-02"]
        )
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    assert token[:8] not in result.output
    report_line = next(line for line in result.stdout.splitlines() if "api version" in line)
    # A well-formed version monday does not have is served as the current one.
    assert report_line.split()[0] == "warning"
    assert report_line.endswith(
        "2026-10 (current); the API-Version header says 2024-02; boardops asked for 2024-02"
    )


# --- the recorded profile: how real accounts answer ----------------------------------------


def test_on_a_recorded_account_status_colours_are_numbers(recorded: Sandbox) -> None:
    board = seed_status_board(recorded)
    code, report = doctor_json()
    assert code == 0
    assert report["facts"]["status_colours"] == "numbers"
    assert f"of board {board})" in checks_by_name(report)["status colours"]["message"]


def test_on_a_recorded_account_the_main_workspace_has_a_real_id(recorded: Sandbox) -> None:
    _, report = doctor_json()
    assert report["facts"]["main_workspace"] == {"reported_as": "real id", "id": "10136488"}
    assert checks_by_name(report)["main workspace"]["message"].startswith(
        "listed as 'Main workspace' with a real id (10136488)"
    )


def test_the_account_tier_and_the_token_user_are_reported(recorded: Sandbox) -> None:
    code, report = doctor_json()
    assert code == 0
    assert report["facts"]["account"] == {
        "tier": "standard",
        "plan_tier": "standard",
        "max_users": 50,
        "first_day_of_the_week": "sunday",
    }
    assert report["facts"]["token"] == {"user_id": "10000001", "user_kind": "member"}
    checks = checks_by_name(report)
    assert checks["account tier"]["message"] == (
        "standard (plan standard, up to 50 users); weeks start on sunday"
    )


CLOSED = "version: 1\nworkspaces:\n  - {name: Secret, key: secret, kind: closed}\n"


def test_a_closed_workspace_on_a_non_enterprise_account_is_a_blocker(
    recorded: Sandbox, tmp_path: Path
) -> None:
    result = run("doctor", str(write(tmp_path, CLOSED)))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        "1 blocker(s): an apply would fail:",
        "blocker: workspace.secret: kind: closed needs an Enterprise account; this one is standard",
    ]


def test_a_closed_workspace_on_an_enterprise_account_is_fine(
    recorded: Sandbox, tmp_path: Path
) -> None:
    recorded.set_account(tier="enterprise")
    code, report = doctor_json(str(write(tmp_path, CLOSED)))
    assert code == 0
    assert checks_by_name(report)["workspace.secret"] == {
        "name": "workspace.secret",
        "severity": "ok",
        "message": "will be created (closed)",
    }


def test_a_closed_workspace_that_already_exists_needs_no_enterprise_tier(
    backend: Sandbox, tmp_path: Path, gql: GraphQL
) -> None:
    gql.data('mutation { create_workspace(name: "Secret", kind: closed) { id } }')
    code, report = doctor_json(str(write(tmp_path, CLOSED)))
    assert code == 0
    assert checks_by_name(report)["workspace.secret"]["message"].startswith("exists (id ")


def test_a_view_only_token_cannot_create_what_the_manifests_need(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "sandbox.json"
    Sandbox(state, profile="recorded")  # creates the file
    data = json.loads(state.read_text(encoding="utf-8"))
    for user in data["users"]:
        if user["id"] == "10000001":
            user["kind"] = "view_only"
    state.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    manifest = write(tmp_path, "version: 1\nboards:\n  - name: Roadmap\n")
    result = run("doctor", str(manifest), f"--sandbox={state}")
    assert result.exit_code == 1, result.output
    assert (
        "blocker: board.roadmap: cannot create the board if it is missing: user 10000001 is "
        "view_only" in result.stdout.splitlines()
    )
    assert "  warning  token " in result.stdout


def test_the_sandbox_profile_option_reaches_doctor(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    result = run(
        "doctor", f"--sandbox={state}", "--sandbox-profile", "recorded", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["facts"]["main_workspace"]["id"] == "10136488"


@pytest.mark.parametrize(("tier", "limit"), [("standard", 1_000), ("enterprise", 25_000)])
def test_the_daily_budget_is_the_tiers_limit_less_todays_calls(
    backend: Sandbox, tier: str, limit: int
) -> None:
    backend.set_account(tier=tier)
    code, report = doctor_json()
    assert code == 0
    day = report["facts"]["budget"]["day"]
    assert day["limit"] == limit
    # The requests doctor sent before it asked (version, account, workspaces, boards).
    assert 0 < day["used_today"] < 10
    assert day["left"] == limit - day["used_today"]
