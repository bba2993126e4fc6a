"""The live acceptance suite (tests/live) stays runnable: offline, CI runs it whole against
`boardops sandbox serve`, and checks its gate, its documents and its sanitiser."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import graphql
import pytest
import yaml

from boardops.sandbox import Sandbox
from boardops.sandbox.profiles import MAIN_WORKSPACE_ID
from tests.live import support
from tests.test_monday_schema import SCHEMA_FILE

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "offline-live-suite-token-5b7e0c"


def test_the_live_suite_runs_only_when_asked_and_given_a_token() -> None:
    assert not support.live_enabled({})
    assert not support.live_enabled({"MONDAY_API_TOKEN": TOKEN})
    assert not support.live_enabled({"BOARDOPS_LIVE": "1"})
    assert not support.live_enabled({"BOARDOPS_LIVE": "yes", "MONDAY_API_TOKEN": TOKEN})
    assert support.live_enabled({"BOARDOPS_LIVE": "1", "MONDAY_API_TOKEN": TOKEN})
    assert support.live_enabled({"BOARDOPS_LIVE": "1", "BOARDOPS_LIVE_TOKEN_FILE": "/t"})


def test_run_prefixes_are_unique_and_name_the_time() -> None:
    first, second = support.run_prefix(), support.run_prefix()
    assert first != second
    assert re.fullmatch(r"boardops-acc-\d{8}T\d{6}Z-[0-9a-f]{6}", first)


@pytest.fixture(scope="module")
def official_schema() -> graphql.GraphQLSchema:
    return graphql.build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.mark.skipif(not SCHEMA_FILE.exists(), reason=f"no official SDL at {SCHEMA_FILE}")
@pytest.mark.parametrize("name", sorted(support.DOCUMENTS))
def test_the_suites_own_documents_are_valid_against_the_official_sdl(
    name: str, official_schema: graphql.GraphQLSchema
) -> None:
    problems = graphql.validate(official_schema, graphql.parse(support.DOCUMENTS[name]))
    assert not problems, [p.message for p in problems]


def test_recordings_replace_people_and_the_token_but_keep_shapes() -> None:
    people = [{"id": "4012", "name": "Dana Smith", "email": "dana@corp.example"}]
    clean = support.Sanitiser(people, secret=TOKEN)
    answer = {
        "users": [{"id": "4012", "name": "Dana Smith", "email": "dana@corp.example"}],
        "value": '{"personsAndTeams": [{"id": 4012, "kind": "person"}]}',
        "ids": [4012, 17],
        "message": f"user 4012 (other@x.example) is not a member; token {TOKEN}",
    }
    assert clean(answer) == {
        "users": [{"id": "90000001", "name": "Person 1", "email": "person1@example.com"}],
        "value": '{"personsAndTeams": [{"id": 90000001, "kind": "person"}]}',
        "ids": [90000001, 17],
        "message": "user 90000001 (person@example.com) is not a member; token <token>",
    }


@pytest.mark.parametrize("profile", ["docs", "recorded"])
def test_the_live_suite_passes_against_the_sandbox_server(tmp_path: Path, profile: str) -> None:
    state = tmp_path / "sandbox.json"
    recordings = tmp_path / "recordings"
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from boardops.cli import main; main()",
            "sandbox",
            "serve",
            "--port",
            "0",
            "--sandbox",
            str(state),
            "--sandbox-profile",
            profile,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()
        match = re.search(r"serving (http://127\.0\.0\.1:\d+/v2)", banner)
        assert match, banner
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("MONDAY_", "BOARDOPS_"))
        }
        env.update(
            BOARDOPS_LIVE="1",
            MONDAY_API_TOKEN=TOKEN,
            MONDAY_API_URL=match.group(1),
            BOARDOPS_LIVE_RECORDINGS=str(recordings),
        )
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-m",
                "live",
                "tests/live",
                "-q",
                "-p",
                "no:cacheprovider",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert re.fullmatch(r"\d+ passed in [\d.]+s( \(.*\))?", summary), summary
    probes = sorted(path.name for path in recordings.glob("*.json"))
    assert [name[:3] for name in probes] == ["q1-", "q2-", "q3-", "q4-", "q5-", "q6-", "q7-", "q8-"]
    for path in recordings.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert TOKEN not in text
        data = json.loads(text)
        assert data["api_version"] == "2026-10"
        assert data["server"] == "other (127.0.0.1)"
    # The finaliser deleted everything the run made.
    view = Sandbox(state).state
    made = [w for w in view.workspaces if w.id != MAIN_WORKSPACE_ID]
    assert made
    assert {w.state for w in made} == {"deleted"}
    assert {b.state for b in view.boards} == {"deleted"}


# --- the scheduled jobs in examples/ci -----------------------------------------------------

CI = ROOT / "examples" / "ci"


def test_the_github_live_job_runs_weekly_or_by_hand_with_the_token_from_a_secret() -> None:
    text = (CI / "github" / ".github" / "workflows" / "boardops-live.yml").read_text()
    workflow = yaml.safe_load(text)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    (schedule,) = triggers["schedule"]
    assert schedule["cron"].split()[2:] == ["*", "*", "1"]  # weekly, on Mondays
    assert "workflow_dispatch" in triggers
    (step,) = [s for s in workflow["jobs"]["live"]["steps"] if "pytest" in s.get("run", "")]
    assert step["run"].startswith(".venv/bin/pytest -m live tests/live")
    assert step["env"]["BOARDOPS_LIVE"] == "1"
    # The test account's token, a secret of its own: never a boards pipeline's token.
    assert step["env"]["MONDAY_API_TOKEN"] == "${{ secrets.MONDAY_LIVE_TOKEN }}"
    assert text.count("MONDAY_API_TOKEN:") == text.count("secrets.MONDAY_LIVE_TOKEN") == 1
    upload = next(s for s in workflow["jobs"]["live"]["steps"] if "upload" in s.get("uses", ""))
    assert upload["if"] == "always()"
    assert upload["with"]["path"].rstrip("/") == step["env"]["BOARDOPS_LIVE_RECORDINGS"]


def test_the_gitlab_live_job_runs_on_a_schedule_with_a_masked_variable() -> None:
    job = yaml.safe_load((CI / "gitlab" / ".gitlab-ci-live.yml").read_text())["boardops-live"]
    assert job["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "schedule" && $BOARDOPS_LIVE_SCHEDULE == "1"'}
    ]
    assert job["variables"]["BOARDOPS_LIVE"] == "1"
    assert (
        'MONDAY_API_TOKEN="$MONDAY_LIVE_TOKEN" .venv/bin/pytest -m live tests/live -v'
        in (job["script"])
    )
    assert "MONDAY_API_TOKEN" not in json.dumps(job["variables"])  # a masked CI/CD variable
    assert job["artifacts"]["when"] == "always"
