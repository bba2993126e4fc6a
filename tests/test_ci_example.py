"""The CI examples (examples/ci/): the sticky plan comment, the reviewed-plan lookup, the
workflows' contract, `plan --markdown-dir`, and the pre-commit hook.

The comment script runs against plans the sandbox produced, with its HTTP calls replaced
by an in-memory pull request.
"""

from __future__ import annotations

import importlib.util
import json
import secrets
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from boardops import views
from boardops.cli import main

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / "examples" / "ci"
GITHUB_LIMIT = 65536


def load_script(path: Path) -> ModuleType:
    """A CI script as a module (they are files to copy, not part of the package)."""
    name = f"ci_example_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


comment = load_script(CI / "plan_comment.py")
fetch = load_script(CI / "gitlab" / "fetch_reviewed_plan.py")


def manifest_text(rows: int, board: str = "Launch") -> str:
    lines = [
        "version: 1",
        "boards:",
        f"  - name: {board}",
        "    key: launch",
        "    columns:",
        "      - {id: ext_id, title: Ticket, type: text}",
        "    groups:",
        "      - {key: todo, title: To do}",
        "    items:",
        "      match_by: ext_id",
        "      rows:",
    ]
    lines += [
        f"        - {{name: 'Step {n} of the launch checklist', values: {{ext_id: L-{n:04d}}}}}"
        for n in range(rows)
    ]
    return "\n".join(lines) + "\n"


ME = "boardops-bot"  # who the script posts as, in the in-memory pull request


class PullRequest:
    """An in-memory pull request's comments behind the script's `CommentApi`; comments
    given at the start are a reviewer's, those the script creates are ``ME``'s."""

    limit = GITHUB_LIMIT

    def __init__(self, *bodies: str, author: str = "reviewer") -> None:
        self.comments: dict[str, str] = {}
        self.authors: dict[str, str] = {}
        self.calls: list[str] = []
        self._next = 100
        for body in bodies:
            self._add(body, author)

    def _add(self, body: str, author: str) -> None:
        self._next += 1
        self.comments[str(self._next)] = body
        self.authors[str(self._next)] = author

    def whoami(self) -> str:
        return ME

    def create(self, body: str) -> None:
        assert len(body) <= self.limit
        self.calls.append("create")
        self._add(body, ME)

    def update(self, comment_id: str, body: str) -> None:
        assert len(body) <= self.limit
        assert self.authors[comment_id] == ME, "edited someone else's comment"
        self.calls.append(f"update {comment_id}")
        self.comments[comment_id] = body

    def delete(self, comment_id: str) -> None:
        assert self.authors[comment_id] == ME, "deleted someone else's comment"
        self.calls.append(f"delete {comment_id}")
        del self.comments[comment_id]

    def plan_comments(self) -> list[str]:
        return [b for b in self.comments.values() if b.startswith("<!-- boardops-plan:")]

    def list(self) -> list[Any]:  # last: the name shadows the builtin in the class body
        return [comment.Comment(id, body, self.authors[id]) for id, body in self.comments.items()]


def sandbox_plan(tmp_path: Path, rows: int, *, name: str = "Launch") -> tuple[list[str], bool]:
    """Plan a manifest of ``rows`` items against a sandbox, through the CLI, as CI does;
    returns (Markdown parts, has_changes) read back the way the script reads them."""
    manifest = tmp_path / "boards" / "launch.yaml"
    manifest.parent.mkdir(exist_ok=True)
    manifest.write_text(manifest_text(rows, name))
    out, parts = tmp_path / "plan.json", tmp_path / "plan-md"
    result = CliRunner(env={"MONDAY_API_TOKEN": None}).invoke(
        main,
        [
            "plan",
            str(manifest),
            f"--sandbox={tmp_path / 'sandbox.json'}",
            "--out",
            str(out),
            "--markdown-dir",
            str(parts),
        ],
    )
    assert result.exit_code == 0, result.output
    return comment.read_parts(parts), comment.plan_has_changes(out)


def apply_manifest(tmp_path: Path) -> None:
    result = CliRunner(env={"MONDAY_API_TOKEN": None}).invoke(
        main,
        [
            "apply",
            str(tmp_path / "boards"),
            "--auto-approve",
            f"--sandbox={tmp_path / 'sandbox.json'}",
        ],
    )
    assert result.exit_code == 0, result.output


# --- plan --markdown-dir ----------------------------------------------------------------


def test_plan_writes_one_markdown_file_per_comment_and_drops_stale_parts(tmp_path: Path) -> None:
    parts = tmp_path / "plan-md"
    parts.mkdir()
    (parts / "plan-7.md").write_text("left by an older, longer plan")
    (parts / "notes.md").write_text("not ours")

    written, has_changes = sandbox_plan(tmp_path, rows=3)

    saved = json.loads((tmp_path / "plan.json").read_text())
    assert has_changes
    assert written == views.render_markdown(saved)
    assert sorted(p.name for p in parts.iterdir()) == ["notes.md", "plan-1.md"]


# --- the sticky comment ---------------------------------------------------------------------


def test_a_plan_with_changes_becomes_one_comment_behind_a_hidden_marker(tmp_path: Path) -> None:
    parts, has_changes = sandbox_plan(tmp_path, rows=3)
    pull = PullRequest("Looks good to me!")

    comment.sync(pull, parts, has_changes, "boards")

    (body,) = pull.plan_comments()
    assert body.startswith("<!-- boardops-plan:boards part 1 -->\n## boardops plan\n")
    assert "**Plan: 6 to create, 0 to update, 0 to remove.**" in body
    assert "+ board.launch.item[L-0002]: create item" in body
    assert "Looks good to me!" in pull.comments.values()


def test_a_new_plan_updates_the_comment_instead_of_adding_one(tmp_path: Path) -> None:
    pull = PullRequest()
    comment.sync(pull, *sandbox_plan(tmp_path, rows=3), "boards")
    comment.sync(pull, *sandbox_plan(tmp_path, rows=4), "boards")

    (body,) = pull.plan_comments()
    assert "L-0003" in body
    assert pull.calls == ["create", "update 101"]


def test_the_same_plan_again_changes_nothing(tmp_path: Path) -> None:
    pull = PullRequest()
    plan = sandbox_plan(tmp_path, rows=3)
    comment.sync(pull, *plan, "boards")

    assert comment.sync(pull, *plan, "boards") == []
    assert pull.calls == ["create"]


def test_a_long_plan_is_split_into_numbered_comments_each_within_githubs_limit(
    tmp_path: Path,
) -> None:
    parts, has_changes = sandbox_plan(tmp_path, rows=900)
    pull = PullRequest()

    comment.sync(pull, parts, has_changes, "boards")

    bodies = pull.plan_comments()
    assert len(bodies) == len(parts) >= 2
    for number, body in enumerate(bodies, start=1):
        assert body.startswith(f"<!-- boardops-plan:boards part {number} -->\n")
        assert f"**boardops plan, part {number} of {len(parts)}**" in body
        assert len(body) <= GITHUB_LIMIT
        assert body.count("```") % 2 == 0  # no code fence left open

    comment.sync(pull, *sandbox_plan(tmp_path, rows=3), "boards")
    assert len(pull.plan_comments()) == 1  # the parts a shorter plan no longer has are gone


def test_no_changes_posts_nothing(tmp_path: Path) -> None:
    parts, has_changes = sandbox_plan(tmp_path, rows=2)
    apply_manifest(tmp_path)
    parts, has_changes = sandbox_plan(tmp_path, rows=2)
    pull = PullRequest("unrelated")

    comment.sync(pull, parts, has_changes, "boards")

    assert not has_changes
    assert "No changes" in parts[0]  # boardops still renders it; the script holds it back
    assert pull.calls == []


def test_no_changes_removes_the_comment_of_an_earlier_plan(tmp_path: Path) -> None:
    pull = PullRequest()
    comment.sync(pull, *sandbox_plan(tmp_path, rows=2), "boards")
    apply_manifest(tmp_path)

    comment.sync(pull, *sandbox_plan(tmp_path, rows=2), "boards")

    assert pull.plan_comments() == []
    assert pull.calls == ["create", "delete 101"]


def test_comments_of_other_plans_and_people_are_never_touched() -> None:
    others = [
        "<!-- boardops-plan:staging part 1 -->\nthe staging plan",
        "I think <!-- boardops-plan:boards part 1 --> is a neat trick",
        "plain review comment",
    ]
    existing = [comment.Comment(str(i), body, ME) for i, body in enumerate(others)]

    assert comment.decide(existing, [], "boards", ME) == []
    assert comment.decide(existing, ["x"], "boards", ME) == [comment.Create("x")]


def test_copies_left_by_racing_runs_are_collapsed_into_one() -> None:
    body = "<!-- boardops-plan:boards part 1 -->\nplan"
    existing = [comment.Comment("1", body, ME), comment.Comment("2", body + " (older)", ME)]

    assert comment.decide(existing, [body], "boards", ME) == [comment.Delete("2")]


def test_an_oversized_part_is_split_between_lines_with_fences_closed_and_reopened() -> None:
    part = "## boardops plan\n\n```diff\n" + "".join(f"+ line {n:05d}\n" for n in range(3000))
    part += "```\n"

    bodies = comment.comment_bodies([part], "boards", limit=10_000)

    assert len(bodies) >= 4
    for number, body in enumerate(bodies, start=1):
        assert body.startswith(f"<!-- boardops-plan:boards part {number} -->")
        assert len(body) <= 10_000
        assert body.count("```") % 2 == 0
    lines = [ln for body in bodies for ln in body.splitlines() if ln.startswith("+ line")]
    assert lines == [f"+ line {n:05d}" for n in range(3000)]


def test_dry_run_prints_the_comments_from_the_saved_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox_plan(tmp_path, rows=2)

    code = comment.main(
        [
            "--plan",
            str(tmp_path / "plan.json"),
            "--markdown-dir",
            str(tmp_path / "plan-md"),
            "--dry-run",
        ],
        env={},
    )

    assert code == 0
    assert capsys.readouterr().out.startswith("<!-- boardops-plan:boards part 1 -->\n## boardops")


# --- the platforms' HTTP shapes ----------------------------------------------------------


class Recorder:
    """A `Request` that answers from a script of (method, url) -> (json, headers)."""

    def __init__(self, answers: Mapping[tuple[str, str], tuple[Any, dict[str, str]]]) -> None:
        self.answers = answers
        self.sent: list[tuple[str, str, Any]] = []

    def __call__(self, method: str, url: str, body: Any) -> tuple[Any, dict[str, str]]:
        self.sent.append((method, url, body))
        return self.answers.get((method, url), (None, {}))


def test_github_comments_follow_pagination_and_use_the_issue_comment_endpoints() -> None:
    base = "https://api.github.com/repos/acme/boards/issues"
    first, second = f"{base}/7/comments?per_page=100", f"{base}/7/comments?per_page=100&page=2"
    recorder = Recorder(
        {
            ("GET", first): (
                [{"id": 1, "body": "a", "user": {"login": "ana"}}],
                {"Link": f'<{second}>; rel="next"'},
            ),
            ("GET", second): ([{"id": 2, "body": "b", "user": {"login": "bo"}}], {}),
        }
    )
    api = comment.GitHubComments("https://api.github.com/", "acme/boards", 7, recorder)

    listed = api.list()
    api.create("new")
    api.update("2", "changed")
    api.delete("1")

    assert [(c.id, c.body, c.author) for c in listed] == [("1", "a", "ana"), ("2", "b", "bo")]
    assert recorder.sent[2:] == [
        ("POST", f"{base}/7/comments", {"body": "new"}),
        ("PATCH", f"{base}/comments/2", {"body": "changed"}),
        ("DELETE", f"{base}/comments/1", None),
    ]


def test_gitlab_notes_skip_system_notes_and_follow_pagination() -> None:
    base = "https://gitlab.example.com/api/v4/projects/acme%2Fboards/merge_requests/3/notes"
    recorder = Recorder(
        {
            ("GET", f"{base}?per_page=100&page=1&sort=asc"): (
                [
                    {"id": 5, "body": "merged", "system": True, "author": {"id": 1}},
                    {"id": 6, "body": "hi", "author": {"id": 2}},
                ],
                {"X-Next-Page": "2"},
            ),
            ("GET", f"{base}?per_page=100&page=2&sort=asc"): (
                [{"id": 9, "body": "yo", "author": {"id": 3}}],
                {},
            ),
        }
    )
    api = comment.GitLabNotes("https://gitlab.example.com/api/v4", "acme/boards", 3, recorder)

    assert [(c.id, c.body, c.author) for c in api.list()] == [("6", "hi", "2"), ("9", "yo", "3")]
    api.update("6", "x")
    assert recorder.sent[-1] == ("PUT", f"{base}/6", {"body": "x"})


# --- only our own comments are edited or deleted -----------------------------------------


MARKED = "<!-- boardops-plan:boards part 1 -->\n"


class FakeGitHub(ThreadingHTTPServer):
    """One pull request's comments (acme/boards#7) behind GitHub's REST shapes, on a local
    port. ``token_user`` is who the token belongs to; None stands for the workflow token
    (GITHUB_TOKEN), which may not read ``/user`` and posts as ``github-actions[bot]``."""

    def __init__(self, token_user: str | None, comments: list[dict[str, Any]]) -> None:
        super().__init__(("127.0.0.1", 0), _FakeGitHubHandler)
        self.token_user = token_user
        self.comments = {str(c["id"]): c for c in comments}
        self.sent: list[tuple[str, str, str]] = []  # method, path, body
        self.next_id = 100

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def bodies(self) -> dict[str, str]:
        return {id: str(c["body"]) for id, c in self.comments.items()}


class _FakeGitHubHandler(BaseHTTPRequestHandler):
    server: FakeGitHub

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _answer(self, status: int, data: Any) -> None:
        raw = b"" if data is None else json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _handle(self) -> None:
        fake = self.server
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        fake.sent.append((self.command, self.path, body))
        poster = fake.token_user or "github-actions[bot]"
        if self.command == "GET" and self.path == "/user":
            if fake.token_user is None:
                self._answer(403, {"message": "Resource not accessible by integration"})
            else:
                self._answer(200, {"login": fake.token_user, "id": 1})
            return
        if self.path.startswith("/repos/acme/boards/issues/7/comments"):
            if self.command == "GET":
                self._answer(200, list(fake.comments.values()))
                return
            fake.next_id += 1
            created = {
                "id": fake.next_id,
                "user": {"login": poster},
                "body": json.loads(body)["body"],
            }
            fake.comments[str(fake.next_id)] = created
            self._answer(201, created)
            return
        comment_id = self.path.removeprefix("/repos/acme/boards/issues/comments/")
        if comment_id not in fake.comments:
            self._answer(404, {"message": "Not Found"})
        elif self.command == "PATCH":
            fake.comments[comment_id]["body"] = json.loads(body)["body"]
            self._answer(200, fake.comments[comment_id])
        else:
            del fake.comments[comment_id]
            self._answer(204, None)

    do_GET = do_POST = do_PATCH = do_DELETE = _handle


@contextmanager
def fake_github(token_user: str | None, comments: list[dict[str, Any]]) -> Iterator[FakeGitHub]:
    server = FakeGitHub(token_user, comments)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def post_plan(tmp_path: Path, server: FakeGitHub, *extra: str) -> int:
    """plan_comment.py's command line, as CI runs it, against the fake GitHub."""
    code: int = comment.main(
        [
            "--plan",
            str(tmp_path / "plan.json"),
            "--markdown-dir",
            str(tmp_path / "plan-md"),
            "--platform",
            "github",
            "--number",
            "7",
            *extra,
        ],
        env={
            "GITHUB_TOKEN": "t0ken-of-the-job",
            "GITHUB_REPOSITORY": "acme/boards",
            "GITHUB_API_URL": server.url,
        },
    )
    return code


@pytest.mark.parametrize(
    ("token_user", "poster"),
    [(None, "github-actions[bot]"), ("ci-bot", "ci-bot")],
    ids=["workflow token", "personal token"],
)
def test_a_marked_comment_someone_else_wrote_is_never_edited_or_deleted(
    tmp_path: Path, token_user: str | None, poster: str
) -> None:
    sentinel = "s3ntinel-" + secrets.token_hex(8)
    planted = {"id": 1, "user": {"login": "mallory"}, "body": MARKED + sentinel}
    ours = {"id": 2, "user": {"login": poster}, "body": MARKED + "an older plan"}
    sandbox_plan(tmp_path, rows=2)

    with fake_github(token_user, [planted, ours]) as github:
        assert post_plan(tmp_path, github) == 0
        after_plan = github.bodies()
        apply_manifest(tmp_path)
        sandbox_plan(tmp_path, rows=2)  # now "No changes": the plan comment goes
        assert post_plan(tmp_path, github) == 0

    assert after_plan["1"] == MARKED + sentinel  # mallory's, untouched
    assert "L-0001" in after_plan["2"]  # ours, updated in place
    assert github.bodies() == {"1": MARKED + sentinel}  # ours deleted, mallory's kept
    touched = [path for method, path, _ in github.sent if method in ("PATCH", "DELETE")]
    assert touched == ["/repos/acme/boards/issues/comments/2"] * 2
    assert all(sentinel not in body for _, _, body in github.sent)


def test_a_plan_comment_forged_by_someone_else_gets_a_new_comment_beside_it(
    tmp_path: Path,
) -> None:
    forged = {"id": 1, "user": {"login": "mallory"}, "body": MARKED + "Plan: 0 to create"}
    sandbox_plan(tmp_path, rows=2)

    with fake_github(None, [forged]) as github:
        assert post_plan(tmp_path, github) == 0

    assert [method for method, _, _ in github.sent] == ["GET", "GET", "POST"]
    assert github.bodies()["1"] == forged["body"]
    assert github.comments["101"]["user"] == {"login": "github-actions[bot]"}


def test_another_apps_token_names_its_bot_with_author(tmp_path: Path) -> None:
    app_comment = {"id": 1, "user": {"login": "acme-boards[bot]"}, "body": MARKED + "old"}
    sandbox_plan(tmp_path, rows=2)

    with fake_github(None, [app_comment]) as github:
        assert post_plan(tmp_path, github, "--author", "acme-boards[bot]") == 0

    assert "L-0001" in github.bodies()["1"]
    assert ("GET", "/user", "") not in github.sent


def test_a_token_github_refuses_stops_before_any_comment_is_read() -> None:
    def refuse(method: str, url: str, body: Any) -> Any:
        raise comment.HttpError(method, url, 401, "Unauthorized")

    api = comment.GitHubComments("https://api.github.com", "acme/boards", 7, refuse)

    with pytest.raises(comment.HttpError, match=r"^GET https://api.github.com/user: HTTP 401"):
        comment.sync(api, ["plan"], True, "boards")


def test_gitlab_notes_are_edited_only_when_the_tokens_user_wrote_them() -> None:
    base = "https://gl/api/v4/projects/9/merge_requests/3/notes"
    recorder = Recorder(
        {
            ("GET", "https://gl/api/v4/user"): ({"id": 77, "username": "project_9_bot"}, {}),
            ("GET", f"{base}?per_page=100&page=1&sort=asc"): (
                [
                    {"id": 5, "body": MARKED + "forged", "author": {"id": 12}},
                    {"id": 6, "body": MARKED + "old", "author": {"id": 77}},
                ],
                {},
            ),
        }
    )
    api = comment.GitLabNotes("https://gl/api/v4", "9", 3, recorder)

    comment.sync(api, [], False, "boards")

    changed = [(method, url) for method, url, _ in recorder.sent if method != "GET"]
    assert changed == [("DELETE", f"{base}/6")]


# --- the reviewed plan on GitLab ---------------------------------------------------------


def gitlab(pages: Mapping[str, Any]) -> Any:
    def get(url: str) -> bytes:
        path = url.removeprefix("https://gl/api/v4/projects/9")
        if path not in pages:
            raise AssertionError(f"unexpected request {path}")
        return json.dumps(pages[path]).encode()

    return get


def test_the_reviewed_plan_is_the_plan_job_of_the_merge_requests_last_head() -> None:
    get = gitlab(
        {
            "/repository/commits/m1/merge_requests": [
                {"iid": 4, "sha": "h2", "merged_at": "2026-11-23T05:00:00Z"}
            ],
            "/merge_requests/4/pipelines": [{"id": 30, "sha": "h2"}, {"id": 20, "sha": "h1"}],
            "/pipelines/30/jobs?scope[]=success&per_page=100": [
                {"id": 301, "name": "boardops-validate"},
                {"id": 302, "name": "boardops-plan"},
            ],
        }
    )

    assert fetch.find_plan_job(get, "https://gl/api/v4", "9", "m1", "boardops-plan") == "302"


def test_a_merged_results_pipeline_counts_as_the_reviewed_one() -> None:
    get = gitlab(
        {
            "/repository/commits/m1/merge_requests": [
                {"iid": 4, "sha": "h2", "merged_at": "2026-11-23T05:00:00Z"}
            ],
            "/merge_requests/4/pipelines": [{"id": 31, "sha": "tmp-merge"}, {"id": 20, "sha": "x"}],
            "/pipelines/31/jobs?scope[]=success&per_page=100": [
                {"id": 311, "name": "boardops-plan"}
            ],
        }
    )

    assert fetch.find_plan_job(get, "https://gl/api/v4", "9", "m1", "boardops-plan") == "311"


@pytest.mark.parametrize(
    ("pages", "reason"),
    [
        ({"/repository/commits/m1/merge_requests": []}, "not merged from a merge request"),
        (
            {
                "/repository/commits/m1/merge_requests": [
                    {"iid": 4, "sha": "h2", "merged_at": "x"}
                ],
                "/merge_requests/4/pipelines": [{"id": 30, "sha": "h2"}],
                "/pipelines/30/jobs?scope[]=success&per_page=100": [],
            },
            "has no successful boardops-plan job",
        ),
        (
            {
                "/repository/commits/m1/merge_requests": [
                    {"iid": 4, "sha": "h2", "merged_at": "x"}
                ],
                "/merge_requests/4/pipelines": [],
            },
            "no pipeline ran for !4",
        ),
    ],
)
def test_without_a_reviewed_plan_the_apply_job_stops(pages: dict[str, Any], reason: str) -> None:
    with pytest.raises(fetch.NoReviewedPlan, match=reason):
        fetch.find_plan_job(gitlab(pages), "https://gl/api/v4", "9", "m1", "boardops-plan")


# --- the workflows -------------------------------------------------------------------------


def steps_running(workflow: Mapping[str, Any], text: str) -> list[Mapping[str, Any]]:
    return [
        step
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if text in str(step.get("run", ""))
    ]


def test_the_github_workflow_plans_pull_requests_and_applies_the_reviewed_plan_on_merge() -> None:
    workflow = yaml.safe_load(
        (CI / "github" / ".github" / "workflows" / "boardops.yml").read_text()
    )
    jobs = workflow["jobs"]

    plan_job = jobs["plan"]
    assert "pull_request" in plan_job["if"]
    runs = [str(step.get("run", "")) for step in plan_job["steps"]]
    assert any(r.startswith("boardops validate") for r in runs)
    assert any("--out plan.json --markdown-dir plan-md" in r for r in runs)
    assert any("plan_comment.py --plan plan.json --markdown-dir plan-md" in r for r in runs)
    assert next(s["with"] for s in plan_job["steps"] if "upload-artifact" in s.get("uses", "")) == {
        "name": "boardops-plan",
        "path": "plan.json",
        "retention-days": 30,
    }

    apply_job = jobs["apply"]
    assert "push" in apply_job["if"]
    download = next(s for s in apply_job["steps"] if "download-artifact" in s.get("uses", ""))
    assert download["with"]["name"] == "boardops-plan"
    assert "steps.reviewed.outputs.run_id" in download["with"]["run-id"]
    (apply_step,) = steps_running({"jobs": {"apply": apply_job}}, "boardops apply")
    assert "--plan plan.json --auto-approve" in apply_step["run"]


@pytest.mark.parametrize("name", ["boardops.yml", "boardops-drift.yml"])
def test_the_github_workflows_take_the_token_from_the_secret_only(name: str) -> None:
    text = (CI / "github" / ".github" / "workflows" / name).read_text()
    workflow = yaml.safe_load(text)

    for step in steps_running(workflow, "boardops "):
        if any(verb in step["run"] for verb in ("boardops plan", "boardops apply", "drift")):
            assert step["env"]["MONDAY_API_TOKEN"] == "${{ secrets.MONDAY_API_TOKEN }}"
    assert text.count("MONDAY_API_TOKEN:") == text.count("secrets.MONDAY_API_TOKEN")
    assert "echo $MONDAY_API_TOKEN" not in text
    assert "set -x" not in text


def test_the_gitlab_pipeline_mirrors_the_github_flow() -> None:
    pipeline = yaml.safe_load((CI / "gitlab" / ".gitlab-ci.yml").read_text())

    plan_job = pipeline["boardops-plan"]
    assert plan_job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert "--out plan.json --markdown-dir plan-md" in plan_job["script"][0]
    assert "plan_comment.py --platform gitlab" in plan_job["script"][1]
    assert plan_job["artifacts"]["paths"] == ["plan.json"]

    apply_job = pipeline["boardops-apply"]
    assert '$CI_PIPELINE_SOURCE == "push"' in apply_job["rules"][0]["if"]
    assert apply_job["script"] == [
        "python ci/fetch_reviewed_plan.py --job boardops-plan --out plan.json",
        'boardops apply "$MANIFESTS" --plan plan.json --auto-approve --lock-timeout 10m',
    ]
    assert "MONDAY_API_TOKEN" not in json.dumps(pipeline)  # a masked CI/CD variable, not YAML


def test_every_github_apply_job_is_queued_in_one_group_and_waits_for_the_lease() -> None:
    workflow = yaml.safe_load(
        (CI / "github" / ".github" / "workflows" / "boardops.yml").read_text()
    )
    applying = {
        name: job
        for name, job in workflow["jobs"].items()
        if any("boardops apply" in str(step.get("run", "")) for step in job["steps"])
    }
    assert sorted(applying) == ["apply", "apply-fresh"]
    for job in applying.values():
        # Queued, never cancelled: a cancelled apply stops halfway.
        assert job["concurrency"] == {"group": "boardops-apply", "cancel-in-progress": False}
        (step,) = steps_running({"jobs": {"job": job}}, "boardops apply")
        assert "--lock-timeout 10m" in step["run"]
        assert "--no-lock" not in step["run"]


def test_every_gitlab_apply_job_holds_one_resource_group_and_waits_for_the_lease() -> None:
    pipeline = yaml.safe_load((CI / "gitlab" / ".gitlab-ci.yml").read_text())
    applying = {
        name: job
        for name, job in pipeline.items()
        if isinstance(job, dict) and any("boardops apply" in line for line in job.get("script", []))
    }
    assert sorted(applying) == ["boardops-apply"]
    for job in applying.values():
        assert job["resource_group"] == "monday"
        (line,) = [line for line in job["script"] if "boardops apply" in line]
        assert "--lock-timeout 10m" in line
        assert "--no-lock" not in line


# --- pre-commit ------------------------------------------------------------------------------


def test_the_pre_commit_hook_runs_boardops_validate_on_the_manifests() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "boardops-validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False  # manifests refer to each other: check them all
    assert hook["args"] == ["boards/"]  # the manifest directory, which users override
    program, command = hook["entry"].split()
    assert program == "boardops"

    good = CliRunner().invoke(main, [command, str(ROOT / "examples")])
    bad = CliRunner().invoke(main, [command, str(ROOT / "tests" / "manifests")])

    assert good.exit_code == 0, good.output
    assert bad.exit_code == 1
