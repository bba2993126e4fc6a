#!/usr/bin/env python3
"""Download the plan reviewed in the merge request that the current commit came from.

Runs in the apply job on the default branch::

    python ci/fetch_reviewed_plan.py --job boardops-plan --out plan.json

It finds the merged merge request of ``CI_COMMIT_SHA``, takes the newest pipeline that ran
on that request's last head commit (or its newest merged-results pipeline), and saves the
``plan.json`` artifact of its successful ``--job``. Anything missing (a push that did not
come from a merge request, a plan job that failed) stops the job: applying something nobody
reviewed is never the fallback.

Standard library only. Environment: ``GITLAB_TOKEN`` (``read_api`` at least),
``CI_API_V4_URL``, ``CI_PROJECT_ID``, ``CI_COMMIT_SHA``. The token is never printed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

# url -> the response body
Get = Callable[[str], bytes]


class NoReviewedPlan(Exception):
    """There is no reviewed plan for this commit; the message says why."""


def find_plan_job(get: Get, api: str, project: str, sha: str, job_name: str) -> str:
    """The id of the successful ``job_name`` job that planned the merge request of ``sha``."""

    def get_json(path: str) -> Any:
        return json.loads(get(f"{api}/projects/{project}{path}"))

    requests = [
        mr for mr in get_json(f"/repository/commits/{sha}/merge_requests") if mr.get("merged_at")
    ]
    if not requests:
        raise NoReviewedPlan(f"commit {sha} was not merged from a merge request")
    request = requests[0]
    head = request.get("sha")
    pipelines = get_json(f"/merge_requests/{request['iid']}/pipelines")  # newest first
    # A merged-results pipeline runs on a temporary merge commit rather than on the head;
    # either way the newest one planned what was merged (and boardops refuses a plan whose
    # manifests differ from the ones being applied).
    on_head = [p for p in pipelines if p.get("sha") == head] or pipelines
    if not on_head:
        raise NoReviewedPlan(f"no pipeline ran for !{request['iid']}")
    pipeline = on_head[0]
    jobs = get_json(f"/pipelines/{pipeline['id']}/jobs?scope[]=success&per_page=100")
    for job in jobs:
        if job.get("name") == job_name:
            return str(job["id"])
    raise NoReviewedPlan(
        f"the last pipeline of !{request['iid']} ({pipeline['id']}) has no successful "
        f"{job_name} job"
    )


def http_get(token: str) -> Get:
    def get(url: str) -> bytes:
        request = urllib.request.Request(url, headers={"PRIVATE-TOKEN": token})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body: bytes = response.read()
                return body
        except urllib.error.HTTPError as error:
            raise SystemExit(f"GET {url}: HTTP {error.code} {error.reason}") from None

    return get


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--job", default="boardops-plan", help="the plan job's name")
    parser.add_argument("--artifact", default="plan.json", help="its artifact path")
    parser.add_argument("--out", type=Path, default=Path("plan.json"))
    args = parser.parse_args(argv)
    environ = os.environ if env is None else env
    missing = [
        name
        for name in ("GITLAB_TOKEN", "CI_API_V4_URL", "CI_PROJECT_ID", "CI_COMMIT_SHA")
        if not environ.get(name)
    ]
    if missing:
        raise SystemExit(f"not set: {', '.join(missing)}")
    get = http_get(environ["GITLAB_TOKEN"])
    api = environ["CI_API_V4_URL"].rstrip("/")
    project = urllib.parse.quote(environ["CI_PROJECT_ID"], safe="")
    try:
        job = find_plan_job(get, api, project, environ["CI_COMMIT_SHA"], args.job)
    except NoReviewedPlan as error:
        raise SystemExit(f"no reviewed plan to apply: {error}") from None
    args.out.write_bytes(get(f"{api}/projects/{project}/jobs/{job}/artifacts/{args.artifact}"))
    print(f"reviewed plan: {args.artifact} of job {job}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
