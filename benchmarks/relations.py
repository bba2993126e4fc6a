"""Relations benchmark: seeding 1,000 linked items into an empty sandbox account.

Two boards made by the manifest itself: ``Accounts`` (100 items by default, matched by
code) and ``Deals`` (1,000 items), each deal linking an account through a connect-boards
column and depending on the deal before it through a dependency column (a chain of 999
links on one board). Every link names an item the same plan creates, so every link goes
in the second pass (``SetItemLinks``), batched like other values. The first apply makes
it all; the second must send no mutation. Printed for each: requests, mutation requests,
mutations (root fields) and the complexity the sandbox charged.

    python -m benchmarks.relations                 # 100 accounts, 1,000 deals
    python -m benchmarks.relations --deals 200 --accounts 20
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import yaml

from boardops.apply import apply_plan
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.monday import ApiToken, MondayClient
from boardops.plan import SetItemLinks, build_plan
from boardops.sandbox import BASE_URL, Sandbox


def manifest(accounts: int, deals: int) -> dict[str, Any]:
    account_rows = [
        {"name": f"Account {n:04d}", "values": {"code": f"A-{n:04d}"}} for n in range(accounts)
    ]
    deal_rows: list[dict[str, Any]] = []
    for n in range(deals):
        values: dict[str, Any] = {"ref": f"D-{n:04d}", "account": f"A-{n % accounts:04d}"}
        if n:
            values["after"] = [f"D-{n - 1:04d}"]
        deal_rows.append({"name": f"Deal {n:04d}", "values": values})
    return {
        "version": 1,
        "boards": [
            {
                "name": "Accounts",
                "key": "accounts",
                "columns": [{"id": "code", "title": "Code", "type": "text"}],
                "items": {"match_by": ["code"], "rows": account_rows},
            },
            {
                "name": "Deals",
                "key": "deals",
                "columns": [
                    {"id": "ref", "title": "Ref", "type": "text"},
                    {
                        "id": "account",
                        "title": "Account",
                        "type": "board_relation",
                        "boards": ["accounts"],
                    },
                    {"id": "after", "title": "After", "type": "dependency"},
                ],
                "items": {"match_by": ["ref"], "rows": deal_rows},
            },
        ],
    }


def apply_once(
    sandbox: Sandbox, client: MondayClient, http: httpx.Client, path: Path
) -> dict[str, int]:
    """One ``apply --auto-approve`` (read, plan, apply): what the sandbox served for it,
    and how many requests carried the link writes (``change_multiple_column_values``)."""
    link_requests: list[int] = []

    def count(request: httpx.Request) -> None:
        if b"change_multiple_column_values" in request.content:
            link_requests.append(1)

    http.event_hooks["request"] = [count]
    before = sandbox.counters.to_dict()
    desired = load_manifests([path])
    live = read_live(client, desired)
    plan = build_plan(desired, live)
    finished = apply_plan(client, plan, live=live)
    assert not finished.failures, finished.failures
    after = sandbox.counters.to_dict()
    return {
        "requests": after["requests"] - before["requests"],
        "mutation requests": after["mutation_requests"] - before["mutation_requests"],
        "mutations": after["mutations"] - before["mutations"],
        "complexity": after["complexity"] - before["complexity"],
        "link actions": sum(isinstance(a, SetItemLinks) for a in plan.actions),
        "link requests": len(link_requests),
    }


def run(accounts: int, deals: int) -> tuple[dict[str, int], dict[str, int]]:
    sandbox = Sandbox()
    http = httpx.Client(transport=sandbox.transport(), base_url=BASE_URL)
    client = MondayClient(http, ApiToken("benchmark"), api_url=BASE_URL)
    with tempfile.TemporaryDirectory(prefix="boardops-relations-") as folder:
        path = Path(folder) / "web.yaml"
        path.write_text(yaml.safe_dump(manifest(accounts, deals), sort_keys=False))
        first = apply_once(sandbox, client, http, path)
        second = apply_once(sandbox, client, http, path)
    linked = sum(
        1 for item in sandbox.state.board_named("Deals").items if item.values.get("account")
    )
    chained = sum(
        1 for item in sandbox.state.board_named("Deals").items if item.values.get("after")
    )
    assert linked == deals, f"{linked} of {deals} deals link their account"
    assert chained == deals - 1, f"{chained} of {deals - 1} deals depend on the one before"
    return first, second


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--deals", type=int, default=1000)
    args = parser.parse_args(argv)
    first, second = run(args.accounts, args.deals)
    print(f"{args.accounts} accounts, {args.deals} deals linking them and each other")
    print(f"{'':14} " + " ".join(f"{k:>14}" for k in first))
    for name, row in (("first apply", first), ("second apply", second)):
        print(f"{name:14} " + " ".join(f"{v:>14,}" for v in row.values()))
    if second["mutations"]:
        print("the second apply sent mutations", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
