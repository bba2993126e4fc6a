"""The CI examples (examples/ci/): the sticky plan comment, the reviewed-plan lookup, the
workflows' contract, `plan --markdown-dir`, and the pre-commit hook.

The comment script runs against plans the sandbox produced, with its HTTP calls replaced
by an in-memory pull request.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import subprocess
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
from boardops.sandbox import Sandbox

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
    (parts / "notes.md").write_text("not ours")
    longer, _ = sandbox_plan(tmp_path, rows=900)
    assert len(longer) > 1

    written, has_changes = sandbox_plan(tmp_path, rows=3)

    saved = json.loads((tmp_path / "plan.json").read_text())
    assert has_changes
    assert written == views.render_markdown(saved)
    assert sorted(p.name for p in parts.iterdir()) == [
        ".boardops-markdown.json",
        "notes.md",
        "plan-1.md",
    ]


def test_only_the_parts_boardops_listed_are_posted(tmp_path: Path) -> None:
    sandbox_plan(tmp_path, rows=3)
    (tmp_path / "plan-md" / "plan-2.md").write_text("planted by a pull request")

    posted = comment.read_parts(tmp_path / "plan-md")

    assert len(posted) == 1
    assert "planted" not in posted[0]


@pytest.mark.parametrize(
    "listing", ["[]", '{"kind": "boardops-markdown-parts", "parts": ["../secret.md"]}', "{"]
)
def test_a_folder_without_boardops_list_of_parts_is_refused(tmp_path: Path, listing: str) -> None:
    (tmp_path / "plan-1.md").write_text("planted")
    (tmp_path / ".boardops-markdown.json").write_text(listing)

    with pytest.raises(SystemExit, match=r"\.boardops-markdown\.json"):
        comment.read_parts(tmp_path)


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


# --- the workflows, the action and the GitLab template ----------------------------------------

WORKFLOWS = CI / "github" / ".github" / "workflows"
ACTION = ROOT / "action.yml"
TEMPLATE = ROOT / "templates" / "boardops.yml"
GITLAB_EXAMPLE = CI / "gitlab" / ".gitlab-ci.yml"
GITHUB_FILES = [*sorted(WORKFLOWS.glob("*.yml")), ACTION]
GITLAB_FILES = [TEMPLATE, GITLAB_EXAMPLE, CI / "gitlab" / ".gitlab-ci-live.yml"]
BOARDOPS_ACTION = "OWNER/boardops"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def template() -> dict[str, Any]:
    """The GitLab template's jobs (its second document; the first is the spec)."""
    spec, jobs = yaml.safe_load_all(TEMPLATE.read_text(encoding="utf-8"))
    assert "inputs" in spec["spec"]
    return dict(jobs)


def workflow_jobs() -> dict[str, dict[str, Any]]:
    return {
        f"{path.name}:{name}": job
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for name, job in load(path)["jobs"].items()
    }


def boardops_steps(job: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [s for s in job["steps"] if str(s.get("uses", "")).startswith(BOARDOPS_ACTION + "@")]


def mode_of(job: Mapping[str, Any]) -> set[str]:
    return {str(step["with"]["mode"]) for step in boardops_steps(job)}


def test_the_github_workflow_plans_pull_requests_and_applies_the_reviewed_plan_on_merge() -> None:
    jobs = load(WORKFLOWS / "boardops.yml")["jobs"]

    plan_job = jobs["plan"]
    assert "pull_request" in plan_job["if"]
    (plan,) = boardops_steps(plan_job)
    assert plan["with"]["mode"] == "plan"
    assert plan["with"]["plan-file"] == "plan.json"
    assert plan["with"].get("comment", "true") == "true"  # the sticky comment
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
    (apply,) = boardops_steps(apply_job)
    assert apply["with"]["mode"] == "apply"
    assert apply["with"]["plan-file"] == "plan.json"


def test_the_action_applies_only_a_saved_plan_and_plans_with_a_sticky_comment() -> None:
    steps = load(ACTION)["runs"]["steps"]
    script = next(s["run"] for s in steps if s.get("name") == "boardops ${{ inputs.mode }}")
    apply_line = next(line for line in script.splitlines() if "boardops apply" in line)
    assert '--plan "$PLAN_FILE" --auto-approve' in apply_line
    assert '--out "$PLAN_FILE" --markdown-dir' in script
    comment_step = next(s for s in steps if "plan_comment.py" in str(s.get("run", "")))
    assert "$ACTION_PATH/examples/ci/plan_comment.py" in comment_step["run"]
    assert (ROOT / "examples" / "ci" / "plan_comment.py").is_file()


@pytest.mark.parametrize("path", GITHUB_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version_beside_it(
    path: Path,
) -> None:
    lines = [
        ln for ln in path.read_text(encoding="utf-8").splitlines() if re.match(r"\s*(- )?uses:", ln)
    ]
    assert lines
    for line in lines:
        assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d", line), line


@pytest.mark.parametrize("name", sorted(workflow_jobs()))
def test_every_job_has_minimal_permissions_and_checks_out_without_credentials(name: str) -> None:
    workflow = load(WORKFLOWS / name.split(":")[0])
    job = workflow_jobs()[name]

    assert workflow["permissions"] == {}  # nothing by default: each job asks for its own
    granted = job["permissions"]
    writes = {scope for scope, level in granted.items() if level == "write"}
    assert writes <= {"pull-requests"}, granted
    if writes:
        assert mode_of(job) == {"plan"}, "only the plan job writes, and only its comment"
    for step in job["steps"]:
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def ci_texts() -> list[tuple[str, str]]:
    files = [*GITHUB_FILES, *GITLAB_FILES, ROOT / ".ci" / "run", CI / "README.md"]
    return [(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")) for path in files]


@pytest.mark.parametrize(("name", "text"), ci_texts(), ids=[name for name, _ in ci_texts()])
def test_nothing_is_installed_from_a_package_index_without_hashes(name: str, text: str) -> None:
    assert "boardops==" not in text
    assert not re.search(r"pip install [^\n]*\bboardops\b", text)
    if name.endswith(".md"):
        return  # prose; its commands are checked where they are run
    installs = re.findall(r"pip\"? install[^\n]*", text)
    if name.endswith(("action.yml", "templates/boardops.yml", "run", "-live.yml")):
        assert installs, f"{name} installs boardops: the check must see how"
    for line in installs:
        hashed = "--require-hashes -r" in line
        local = "--no-deps --no-build-isolation" in line
        assert hashed or local, line
        if local:  # boardops itself: this checkout, the action's, or a pinned one
            assert re.search(r'(-e \.|"\$ACTION_PATH"|"\$BOARDOPS_SRC")$', line.strip()), line


def test_plan_and_drift_use_the_read_only_token_and_only_apply_the_writing_one() -> None:
    for name, job in workflow_jobs().items():
        text = json.dumps(job)
        modes = mode_of(job)
        if "apply" in modes:
            assert modes == {"apply"}
            assert "MONDAY_PLAN_TOKEN" not in text
            (step,) = boardops_steps(job)
            assert step["with"]["monday-token"] == "${{ secrets.MONDAY_APPLY_TOKEN }}"
            assert "pull_request" not in job.get("if", "")
        else:
            assert "MONDAY_APPLY_TOKEN" not in text, name
            for step in boardops_steps(job):
                assert step["with"]["monday-token"] == "${{ secrets.MONDAY_PLAN_TOKEN }}"
        assert "secrets.MONDAY_API_TOKEN" not in text

    jobs = template()
    assert (
        'MONDAY_API_TOKEN="$MONDAY_APPLY_TOKEN" boardops apply'
        in jobs["boardops-apply"]["script"][-1]
    )
    for name in ("boardops-plan", "boardops-drift"):
        assert "MONDAY_APPLY_TOKEN" not in json.dumps(jobs[name])
        assert any('MONDAY_API_TOKEN="$MONDAY_PLAN_TOKEN"' in line for line in jobs[name]["script"])
    assert jobs["boardops-apply"]["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'}
    ]


def test_tokens_reach_boardops_through_the_environment_only() -> None:
    action = load(ACTION)
    for step in action["runs"]["steps"]:
        assert "inputs.monday-token" not in str(step.get("run", ""))
        assert "inputs.github-token" not in str(step.get("run", ""))
        assert "${{" not in str(step.get("run", "")), "inputs reach scripts through env"
    for name, text in ci_texts():
        if name.endswith(".md"):
            continue
        assert "set -x" not in text
        assert not re.search(r"echo [^\n]*TOKEN", text)


def test_the_gitlab_template_mirrors_the_github_flow() -> None:
    jobs = template()

    plan_job = jobs["boardops-plan"]
    assert plan_job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert "--out plan.json --markdown-dir plan-md" in plan_job["script"][1]
    assert 'plan_comment.py" --platform gitlab' in plan_job["script"][2]
    assert plan_job["artifacts"]["paths"] == ["plan.json"]

    apply_job = jobs["boardops-apply"]
    assert 'fetch_reviewed_plan.py" --job boardops-plan --out plan.json' in apply_job["script"][0]
    assert "--plan plan.json --auto-approve" in apply_job["script"][1]
    assert jobs["boardops-drift"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]


def test_the_gitlab_template_installs_the_pinned_boardops_commit_and_checks_it() -> None:
    spec = next(yaml.safe_load_all(TEMPLATE.read_text(encoding="utf-8")))
    assert spec["spec"]["inputs"]["boardops-commit"]["regex"] == "^[0-9a-f]{40}$"
    before = "\n".join(template()[".boardops"]["before_script"])
    assert '"$BOARDOPS_REPOSITORY" "$BOARDOPS_COMMIT"' in before
    assert 'test "$(git -C "$BOARDOPS_SRC" rev-parse HEAD)" = "$BOARDOPS_COMMIT"' in before

    example = load(GITLAB_EXAMPLE)
    (included,) = example["include"]
    assert included["file"] == "/templates/boardops.yml"
    assert re.fullmatch(r"[0-9a-f]{40}", included["ref"])
    assert re.fullmatch(r"[0-9a-f]{40}", included["inputs"]["boardops-commit"])


def test_every_apply_is_queued_in_one_group_and_waits_for_the_lease() -> None:
    applying = {name: job for name, job in workflow_jobs().items() if "apply" in mode_of(job)}
    assert sorted(applying) == ["boardops.yml:apply", "boardops.yml:apply-fresh"]
    for job in applying.values():
        # Queued, never cancelled: a cancelled apply stops halfway.
        assert job["concurrency"] == {"group": "boardops-apply", "cancel-in-progress": False}
        (step,) = boardops_steps(job)
        assert step["with"]["lock-timeout"] == "10m"

    gitlab_applying = [job for job in template().values() if "boardops apply" in str(job)]
    assert len(gitlab_applying) == 1
    assert gitlab_applying[0]["resource_group"] == "monday"
    assert "--no-lock" not in str(gitlab_applying[0]) + ACTION.read_text(encoding="utf-8")


def action_step(name: str) -> str:
    (step,) = [s for s in load(ACTION)["runs"]["steps"] if s.get("name") == name]
    script: str = step["run"]
    return script


def run_action_mode(
    work: Path, mode: str, token: str, api_url: str
) -> subprocess.CompletedProcess[str]:
    """The action's mode step, run by bash as a runner would, with the test's boardops."""
    summary = work / "summary.md"
    summary.touch()
    return subprocess.run(
        ["bash", "-c", action_step("boardops ${{ inputs.mode }}")],
        cwd=work,
        env={
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            "MODE": mode,
            "PATHS": "boards/\n",
            "PLAN_FILE": "plan.json",
            "LOCK_TIMEOUT": "10m",
            "MONDAY_API_TOKEN": token,
            "MONDAY_API_URL": api_url,
            "RUNNER_TEMP": str(work / "runner-temp"),
            "GITHUB_STEP_SUMMARY": str(summary),
        },
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_actions_modes_plan_apply_the_saved_plan_and_find_no_drift(tmp_path: Path) -> None:
    token = "s3ntinel-" + secrets.token_hex(8)
    (tmp_path / "boards").mkdir()
    (tmp_path / "boards" / "launch.yaml").write_text(manifest_text(2))
    (tmp_path / "runner-temp").mkdir()

    with Sandbox().serve("127.0.0.1", 0) as server:
        plan = run_action_mode(tmp_path, "plan", token, server.url)
        apply = run_action_mode(tmp_path, "apply", token, server.url)
        drift = run_action_mode(tmp_path, "drift", token, server.url)
        bad = run_action_mode(tmp_path, "destroy", token, server.url)

    assert plan.returncode == 0, plan.stderr
    assert json.loads((tmp_path / "plan.json").read_text())["kind"] == "boardops-plan"
    assert apply.returncode == 0, apply.stderr
    assert drift.returncode == 0, drift.stdout + drift.stderr
    assert bad.returncode == 1
    assert "mode must be plan, apply or drift" in bad.stdout
    summary = (tmp_path / "summary.md").read_text()
    assert "L-0001" in summary  # the plan, then the drift report
    written = [p.read_text() for p in tmp_path.rglob("*") if p.is_file()]
    for text in [plan.stdout, plan.stderr, apply.stdout, apply.stderr, drift.stdout, *written]:
        assert token not in text


# --- the project configuration comes from the base branch on pull requests -------------------


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


BASE_SCOPE = "version: 1\nscope:\n  workspaces: [Engineering]\n"
WIDER_SCOPE = "version: 1\nscope:\n  workspaces: [Engineering, HR]\nenv: [GITHUB_TOKEN]\n"


def pull_request_checkout(tmp_path: Path, base: str | None) -> Path:
    """A clone whose origin/main has ``base`` as boardops-project.yaml (None: no file) and
    whose working tree, the pull request, widens it."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    if base is not None:
        (origin / "boardops-project.yaml").write_text(base)
    (origin / "README").write_text("boards\n")
    git(origin, "add", ".")
    git(origin, "commit", "-q", "-m", "base")
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    git(work, "checkout", "-q", "-b", "pr")
    (work / "boardops-project.yaml").write_text(WIDER_SCOPE)
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "widen the scope")
    return work


def run_action_project_step(work: Path, tmp_path: Path, base_ref: str) -> tuple[int, str]:
    """The action's "project configuration" step, run by bash as the runner would."""
    (step,) = [
        s for s in load(ACTION)["runs"]["steps"] if "project configuration" in s.get("name", "")
    ]
    env_file = tmp_path / "github-env"
    env_file.touch()
    done = subprocess.run(
        ["bash", "-c", step["run"]],
        cwd=work,
        env={
            "PATH": os.environ["PATH"],
            "PROJECT": "boardops-project.yaml",
            "BASE_REF": base_ref,
            "RUNNER_TEMP": str(tmp_path),
            "GITHUB_ENV": str(env_file),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return done.returncode, done.stdout + done.stderr
    (line,) = env_file.read_text().splitlines()
    name, value = line.split("=", 1)
    assert name == "BOARDOPS_PROJECT"
    return 0, Path(value).read_text()


@pytest.mark.parametrize(
    ("base", "expected"), [(BASE_SCOPE, BASE_SCOPE), (None, "version: 1\n")], ids=["base", "none"]
)
def test_on_a_pull_request_the_action_takes_the_base_branchs_project_configuration(
    tmp_path: Path, base: str | None, expected: str
) -> None:
    work = pull_request_checkout(tmp_path, base)

    assert run_action_project_step(work, tmp_path, "main") == (0, expected)


def test_on_a_push_the_action_takes_the_checked_out_project_configuration(tmp_path: Path) -> None:
    work = pull_request_checkout(tmp_path, BASE_SCOPE)

    assert run_action_project_step(work, tmp_path, "") == (0, WIDER_SCOPE)


def test_without_the_base_branch_fetched_the_action_stops(tmp_path: Path) -> None:
    work = pull_request_checkout(tmp_path, BASE_SCOPE)

    code, output = run_action_project_step(work, tmp_path, "release")

    assert code == 1
    assert "fetch-depth: 0" in output


def test_the_plan_job_fetches_the_base_branch_for_its_project_configuration() -> None:
    plan_job = load(WORKFLOWS / "boardops.yml")["jobs"]["plan"]
    checkout = next(s for s in plan_job["steps"] if "actions/checkout@" in s.get("uses", ""))
    assert checkout["with"]["fetch-depth"] == 0


def test_on_a_merge_request_the_gitlab_template_takes_the_target_branchs_configuration(
    tmp_path: Path,
) -> None:
    work = pull_request_checkout(tmp_path, BASE_SCOPE)
    (script,) = [
        line for line in template()[".boardops"]["before_script"] if "TARGET_BRANCH" in line
    ]
    resolved = tmp_path / "project.yaml"

    subprocess.run(
        ["bash", "-ec", script],
        cwd=work,
        env={
            "PATH": os.environ["PATH"],
            "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
            "BOARDOPS_PROJECT_FILE": "boardops-project.yaml",
            "BOARDOPS_PROJECT": str(resolved),
        },
        check=True,
    )

    assert resolved.read_text() == BASE_SCOPE
    exported = "\n".join(template()[".boardops"]["before_script"])
    assert "export BOARDOPS_PROJECT=" in exported


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
    bad = CliRunner().invoke(main, [command, str(ROOT / "tests" / "bad_input")])

    assert good.exit_code == 0, good.output
    assert bad.exit_code == 1
