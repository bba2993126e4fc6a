#!/usr/bin/env python3
"""Keep ONE sticky boardops plan comment on a pull request (GitHub) or merge request (GitLab).

Usage, after ``boardops plan boards/ --out plan.json --markdown-dir plan-md``::

    python plan_comment.py --plan plan.json --markdown-dir plan-md            # in CI
    python plan_comment.py --plan plan.json --markdown-dir plan-md --dry-run  # print only

What it does on each run:

* the plan has changes: the Markdown parts (``plan-1.md``, ``plan-2.md``, ...) become one
  comment each, numbered by boardops when there are several; existing plan comments are
  updated in place (never duplicated), missing ones created, left-over ones deleted;
* the plan has no changes: nothing is posted and earlier plan comments are deleted, so a
  pull request never shows a plan that no longer applies.

Comments are recognised by a hidden marker at their very start,
``<!-- boardops-plan:KEY part N -->``; ``--key`` tells several plans on one pull request
apart (one per manifest directory, say). Other comments are never touched, and neither is
a comment that carries the marker but was written by someone else (anyone can paste the
marker): only comments authored by the identity the script posts as are updated or
deleted. That identity is the token's user (``GET /user``); GitHub's workflow token
(``GITHUB_TOKEN``) cannot read ``/user`` (403), and posts as ``github-actions[bot]``,
which is then assumed; ``--author LOGIN`` names it for another app's token.

Only the standard library is used, so the script runs on any CI image with Python 3.10+.
Environment: GitHub: ``GITHUB_TOKEN`` (``pull-requests: write``), ``GITHUB_REPOSITORY``,
``GITHUB_EVENT_PATH`` (for the pull request number; or ``--number``), ``GITHUB_API_URL``.
GitLab: ``GITLAB_TOKEN`` (a project access token with the ``api`` scope: the job token
cannot write notes), ``CI_API_V4_URL``, ``CI_PROJECT_ID``, ``CI_MERGE_REQUEST_IID``.
Tokens are sent as headers and never printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeAlias

# GitHub refuses comment bodies over 65,536 characters; boardops' parts stay under 65,000.
GITHUB_LIMIT = 65536
GITLAB_LIMIT = 1_000_000
# The author of what GitHub Actions' workflow token (GITHUB_TOKEN) posts.
GITHUB_ACTIONS_BOT = "github-actions[bot]"
_MARKER = re.compile(r"<!-- boardops-plan:(?P<key>[^ ]+) part (?P<part>\d+) -->")
_PART_FILE = re.compile(r"plan-(\d+)\.md")
# Where boardops lists the parts it wrote (boardops.outputs.MARKDOWN_MANIFEST).
PARTS_LISTING = ".boardops-markdown.json"


# --- the decisions (pure) --------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    id: str
    body: str
    author: str = ""  # GitHub: the login; GitLab: the user id


@dataclass(frozen=True)
class Create:
    body: str


@dataclass(frozen=True)
class Update:
    id: str
    body: str


@dataclass(frozen=True)
class Delete:
    id: str


Operation: TypeAlias = Create | Update | Delete


def marker(key: str, part: int) -> str:
    return f"<!-- boardops-plan:{key} part {part} -->"


def sticky_part(body: str, key: str) -> int | None:
    """The part number of a plan comment for ``key`` (None: not one of ours)."""
    found = _MARKER.match(body)
    if found is None or found.group("key") != key:
        return None
    return int(found.group("part"))


def split_markdown(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut between lines. A piece that
    ends inside a code fence closes it, and the next piece reopens it."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    fence: str | None = None  # the opening line of the fence we are in
    closing = 4  # room for "```\n" when a piece must close a fence
    for line in text.splitlines(keepends=True):
        if len(line) + closing + 8 > limit:
            line = line[: limit - closing - 12] + "...\n"
        if current and size + len(line) + closing > limit:
            if fence is not None:
                current.append("```\n")
            pieces.append("".join(current))
            current = [fence] if fence is not None else []
            size = sum(len(part) for part in current)
        current.append(line)
        size += len(line)
        if line.startswith("```"):
            fence = None if fence is not None else line
    if current or not pieces:
        pieces.append("".join(current))
    return pieces


def comment_bodies(parts: Sequence[str], key: str, limit: int = GITHUB_LIMIT) -> list[str]:
    """The comments to show: each part behind its marker, split further if still too long."""
    bodies: list[str] = []
    for part in parts:
        room = limit - len(marker(key, 999_999)) - 1
        for piece in split_markdown(part, room) if len(part) > room else [part]:
            bodies.append(piece)
    return [f"{marker(key, number)}\n{body}" for number, body in enumerate(bodies, start=1)]


def decide(
    existing: Sequence[Comment], bodies: Sequence[str], key: str, me: str
) -> list[Operation]:
    """What to do so that exactly ``bodies`` are shown, in order, as ``key``'s comments.

    Only comments authored by ``me`` count: a marked comment by anyone else is left as it
    is. The first comment found for a part is updated (only if its text differs); copies of
    a part, which a race between two runs can leave, are deleted, and so are parts the new
    plan no longer has. An empty ``bodies`` (no changes) deletes every plan comment.
    """
    by_part: dict[int, list[Comment]] = {}
    for comment in existing:
        part = sticky_part(comment.body, key)
        if part is not None and comment.author == me:
            by_part.setdefault(part, []).append(comment)
    operations: list[Operation] = []
    for number, body in enumerate(bodies, start=1):
        found = by_part.pop(number, [])
        if not found:
            operations.append(Create(body))
            continue
        keep, *copies = found
        if keep.body != body:
            operations.append(Update(keep.id, body))
        operations.extend(Delete(copy.id) for copy in copies)
    for number in sorted(by_part):
        operations.extend(Delete(comment.id) for comment in by_part[number])
    return operations


def read_parts(directory: Path) -> list[str]:
    """The Markdown parts ``boardops plan --markdown-dir`` wrote, in part order: those its
    ``.boardops-markdown.json`` lists, never another ``plan-*.md`` found in the folder."""
    listing = directory / PARTS_LISTING
    try:
        data = json.loads(listing.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SystemExit(
            f"{listing}: cannot read the list of parts boardops wrote ({error.__class__.__name__})"
        ) from None
    names = data.get("parts") if isinstance(data, dict) else None
    if not isinstance(names, list):
        names = [None]  # refused below
    matches = [_PART_FILE.fullmatch(name) if isinstance(name, str) else None for name in names]
    if None in matches or data.get("kind") != "boardops-markdown-parts":
        raise SystemExit(f"{listing}: not a list of parts written by boardops plan --markdown-dir")
    numbered = sorted((int(match.group(1)), match.group(0)) for match in matches if match)
    return [(directory / name).read_text(encoding="utf-8") for _, name in numbered]


def plan_has_changes(plan_file: Path) -> bool:
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("kind") != "boardops-plan":
        raise SystemExit(f"{plan_file} is not a saved boardops plan (boardops plan --out)")
    return bool(data.get("actions"))


# --- the platforms ---------------------------------------------------------------------------


class CommentApi(Protocol):
    limit: int

    def whoami(self) -> str: ...
    def list(self) -> list[Comment]: ...
    def create(self, body: str) -> None: ...
    def update(self, comment_id: str, body: str) -> None: ...
    def delete(self, comment_id: str) -> None: ...


# (method, url, json body or None) -> (decoded JSON answer or None, response headers)
Request: TypeAlias = Callable[[str, str, Mapping[str, Any] | None], tuple[Any, Mapping[str, str]]]


class HttpError(Exception):
    """An API call answered with an HTTP error status."""

    def __init__(self, method: str, url: str, status: int, reason: str) -> None:
        # The URL names the repository and the comment, never the token.
        super().__init__(f"{method} {url}: HTTP {status} {reason}")
        self.status = status


def http_request(headers: Mapping[str, str]) -> Request:
    """A ``Request`` over urllib that sends ``headers`` (the token among them) with each call."""

    def send(
        method: str, url: str, body: Mapping[str, Any] | None
    ) -> tuple[Any, Mapping[str, str]]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers))
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                answer = json.loads(raw) if raw.strip() else None
                return answer, dict(response.headers.items())
        except urllib.error.HTTPError as error:
            raise HttpError(method, url, error.code, str(error.reason)) from None

    return send


def _next_link(headers: Mapping[str, str]) -> str | None:
    link = next((v for k, v in headers.items() if k.lower() == "link"), "")
    found = re.search(r'<([^>]+)>;\s*rel="next"', link)
    return found.group(1) if found else None


class GitHubComments:
    """Issue comments of one pull request (REST API v3)."""

    limit = GITHUB_LIMIT

    def __init__(
        self,
        api_url: str,
        repository: str,
        number: int,
        request: Request,
        author: str | None = None,
    ) -> None:
        self.api = api_url.rstrip("/")
        self.base = f"{self.api}/repos/{repository}/issues"
        self.number = number
        self.request = request
        self.author = author

    def whoami(self) -> str:
        """The login comments posted with this token carry."""
        if self.author:
            return self.author
        try:
            user, _ = self.request("GET", f"{self.api}/user", None)
        except HttpError as error:
            if error.status != 403:
                raise
            # GITHUB_TOKEN, an app installation's token, may not read /user; what it
            # posts is authored by the Actions app's bot.
            return GITHUB_ACTIONS_BOT
        return str(user["login"])

    def list(self) -> list[Comment]:
        comments: list[Comment] = []
        url: str | None = f"{self.base}/{self.number}/comments?per_page=100"
        while url is not None:
            page, headers = self.request("GET", url, None)
            comments.extend(
                Comment(
                    str(c["id"]), str(c.get("body") or ""), str((c.get("user") or {}).get("login"))
                )
                for c in page
            )
            url = _next_link(headers)
        return comments

    def create(self, body: str) -> None:
        self.request("POST", f"{self.base}/{self.number}/comments", {"body": body})

    def update(self, comment_id: str, body: str) -> None:
        self.request("PATCH", f"{self.base}/comments/{comment_id}", {"body": body})

    def delete(self, comment_id: str) -> None:
        self.request("DELETE", f"{self.base}/comments/{comment_id}", None)


class GitLabNotes:
    """Notes of one merge request (REST API v4)."""

    limit = GITLAB_LIMIT

    def __init__(self, api_url: str, project: str, iid: int, request: Request) -> None:
        quoted = urllib.parse.quote(project, safe="")
        self.api = api_url.rstrip("/")
        self.base = f"{self.api}/projects/{quoted}/merge_requests/{iid}/notes"
        self.request = request

    def whoami(self) -> str:
        """The id of the token's user (a project access token has a bot user of its own)."""
        user, _ = self.request("GET", f"{self.api}/user", None)
        return str(user["id"])

    def list(self) -> list[Comment]:
        notes: list[Comment] = []
        page_number = 1
        while True:
            page, headers = self.request(
                "GET", f"{self.base}?per_page=100&page={page_number}&sort=asc", None
            )
            notes.extend(
                Comment(
                    str(n["id"]), str(n.get("body") or ""), str((n.get("author") or {}).get("id"))
                )
                for n in page
                if not n.get("system")
            )
            following = next((v for k, v in headers.items() if k.lower() == "x-next-page"), "")
            if not following:
                return notes
            page_number = int(following)

    def create(self, body: str) -> None:
        self.request("POST", self.base, {"body": body})

    def update(self, comment_id: str, body: str) -> None:
        self.request("PUT", f"{self.base}/{comment_id}", {"body": body})

    def delete(self, comment_id: str) -> None:
        self.request("DELETE", f"{self.base}/{comment_id}", None)


def sync(api: CommentApi, parts: Sequence[str], has_changes: bool, key: str) -> list[Operation]:
    """Make the sticky comments show ``parts`` (or nothing); returns what was done."""
    bodies = comment_bodies(parts, key, api.limit) if has_changes else []
    me = api.whoami()
    operations = decide(api.list(), bodies, key, me)
    for operation in operations:
        if isinstance(operation, Create):
            api.create(operation.body)
        elif isinstance(operation, Update):
            api.update(operation.id, operation.body)
        else:
            api.delete(operation.id)
    return operations


# --- command line ----------------------------------------------------------------------------


def _platform_api(
    platform: str, number: int | None, env: Mapping[str, str], author: str | None = None
) -> CommentApi:
    def need(name: str) -> str:
        value = env.get(name)
        if not value:
            raise SystemExit(f"{name} is not set")
        return value

    if platform == "github":
        if number is None:
            event = json.loads(Path(need("GITHUB_EVENT_PATH")).read_text(encoding="utf-8"))
            number = int(event["pull_request"]["number"])
        request = http_request(
            {
                "Authorization": f"Bearer {need('GITHUB_TOKEN')}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
            }
        )
        api_url = env.get("GITHUB_API_URL", "https://api.github.com")
        return GitHubComments(api_url, need("GITHUB_REPOSITORY"), number, request, author)
    request = http_request({"PRIVATE-TOKEN": need("GITLAB_TOKEN")})
    iid = number if number is not None else int(need("CI_MERGE_REQUEST_IID"))
    return GitLabNotes(need("CI_API_V4_URL"), need("CI_PROJECT_ID"), iid, request)


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", type=Path, required=True, help="plan.json (plan --out)")
    parser.add_argument("--markdown-dir", type=Path, required=True, help="plan --markdown-dir")
    parser.add_argument("--key", default="boards", help="tells several plans apart")
    parser.add_argument("--platform", choices=["github", "gitlab"])
    parser.add_argument("--number", type=int, help="pull/merge request number")
    parser.add_argument("--dry-run", action="store_true", help="print, post nothing")
    parser.add_argument(
        "--author",
        help="GitHub: the login the token posts as, when it can read neither /user nor is "
        "GITHUB_TOKEN (another app's token: 'APP-SLUG[bot]')",
    )
    args = parser.parse_args(argv)
    environ = os.environ if env is None else env
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", args.key):
        parser.error("--key: letters, digits, '.', '_' and '-' only")

    has_changes = plan_has_changes(args.plan)
    parts = read_parts(args.markdown_dir)
    if has_changes and not parts:
        raise SystemExit(f"{args.markdown_dir} holds no plan-N.md parts")
    if args.dry_run:
        for body in comment_bodies(parts, args.key) if has_changes else []:
            print(body)
        if not has_changes:
            print("No changes: no plan comment; earlier ones would be deleted.")
        return 0
    platform = args.platform or ("gitlab" if environ.get("GITLAB_CI") else "github")
    api = _platform_api(platform, args.number, environ, args.author)
    try:
        operations = sync(api, parts, has_changes, args.key)
    except HttpError as error:
        raise SystemExit(str(error)) from None
    done = [type(operation).__name__.lower() for operation in operations]
    print(
        "plan comment: "
        + (
            ", ".join(f"{done.count(v)} {v}d" for v in ("create", "update", "delete") if v in done)
            or "already up to date"
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
