"""Round-trip figures: a web of boards made, exported, and recreated on an empty account.

The web (``WEB``) is what a CRM kept as code looks like: accounts and deals linking each
other, deals mirroring their account's tier and depending on each other, and deals broken
down into subitems with values of their own. Each step runs against the in-process
sandbox and prints what it cost (requests, mutation requests, mutations, complexity) and
what it found:

1. apply the web to an empty account;
2. export it (ids pinned) and plan the export: no changes;
3. export it without ids, apply that to another empty account, whose people have other
   ids: the same objects (the census of both accounts compared by name);
4. apply that again: no mutation.

    python -m benchmarks.round_trip
    python -m benchmarks.round_trip --profile recorded
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from boardops.apply import apply_plan
from boardops.export import export
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.monday import ApiToken, MondayClient
from boardops.plan import Plan, build_plan
from boardops.sandbox import BASE_URL, Sandbox
from boardops.sandbox.profiles import PROFILE_NAMES, ProfileName
from boardops.sandbox.state import ALICE_ID

WEB = """
version: 1
workspaces:
  - name: Sales
    key: sales
    owners: [alice@example.com]
    members: [bob@example.com, {team: Design}]
    folders:
      - {name: Clients, color: bright_blue, folders: [{name: Active}]}
boards:
  - name: Accounts
    key: accounts
    workspace: sales
    folder: Clients
    owners: [alice@example.com]
    subscribers: [carol@example.com]
    role: contributor
    item_nickname: {singular: Account, plural: Accounts}
    columns:
      - {id: code, title: Code, type: text}
      - {id: tier, title: Tier, type: status, labels: [Gold, Silver, Bronze]}
      - {id: revenue, title: Revenue, type: numbers, width: 160,
         settings: {unit: {symbol: "€", direction: left}}}
      - {id: deals, title: Deals, type: board_relation, boards: [deals]}
    items:
      match_by: [code]
      rows:
        - {name: Acme, values: {code: A-1, tier: Gold, revenue: 1200, deals: [D-1, D-2]}}
        - {name: Beta, values: {code: A-2, tier: Silver}}
  - name: Deals
    key: deals
    workspace: sales
    folder: Clients/Active
    owners: [alice@example.com, {team: Platform}]
    subscribers: [dan@example.com]
    columns:
      - {id: ref, title: Ref, type: text}
      - {id: account, title: Account, type: board_relation, boards: [accounts],
         allow_multiple: false}
      - {id: account_tier, title: Account tier, type: mirror, relation: account,
         shows: [tier]}
      - {id: after, title: After, type: dependency}
      - {id: rating, title: Confidence, type: rating, settings: {limit: 3}}
    subitems:
      columns:
        - {id: step, title: Step, type: status, labels: [Todo, Done]}
        - {id: due, title: Due, type: date}
    items:
      match_by: [ref]
      rows:
        - name: Big deal
          values: {ref: D-1, account: A-1, rating: 3}
          subitems:
            - {name: Call, values: {step: Done, due: 2026-12-01}}
            - {name: Proposal, values: {step: Todo}}
        - name: Follow-up
          values: {ref: D-2, account: A-2, after: [D-1]}
          subitems:
            - {name: Kickoff}
"""


class Account:
    """One empty sandbox account and a client talking to it. ``state``: a state file to
    start from (an account whose people have other ids, see ``renumbered``)."""

    def __init__(self, profile: ProfileName, state: Path | None = None) -> None:
        self.sandbox = Sandbox(state, profile=profile)
        self.http = httpx.Client(transport=self.sandbox.transport(), base_url=BASE_URL)
        self.client = MondayClient(self.http, ApiToken("sandbox"), api_url=BASE_URL)

    def plan(self, path: Path) -> Plan:
        desired = load_manifests([path])
        return build_plan(desired, read_live(self.client, desired))

    def apply(self, path: Path) -> bool:
        desired = load_manifests([path])
        live = read_live(self.client, desired)
        plan = build_plan(desired, live)
        return apply_plan(self.client, plan, live=live, week_start=desired.week_start).ok

    def export(self, *, pin_ids: bool) -> str:
        boards = [self.sandbox.state.board_named(n).id for n in ("Accounts", "Deals")]
        return export(
            self.client,
            boards=boards,
            with_items=True,
            match_by=[f"{boards[0]}=code", f"{boards[1]}=ref"],
            pin_ids=pin_ids,
        )

    def spent(self) -> dict[str, Any]:
        counters = self.sandbox.counters.to_dict()
        self.sandbox.counters.reset()
        return {k: counters[k] for k in ("requests", "mutation_requests", "mutations")} | {
            "complexity": counters["complexity"]
        }


def renumbered(path: Path, profile: ProfileName) -> Path:
    """A state file for another account: the same people (emails, team names) under other
    ids, so a copy that named anyone but the token's user by id would not find them."""
    Sandbox(path, profile=profile).reset()
    state = json.loads(path.read_text(encoding="utf-8"))
    # The token's user (the sandbox's "me") keeps its id.
    ids = {u["id"]: f"7{u['id']}" for u in state["users"] if u["id"] != ALICE_ID}
    ids |= {t["id"]: f"7{t['id']}" for t in state["teams"]}
    for user in state["users"]:
        user["id"] = ids.get(user["id"], user["id"])
    for team in state["teams"]:
        team["id"] = ids[team["id"]]
        team["user_ids"] = [ids.get(u, u) for u in team["user_ids"]]
    path.write_text(json.dumps(state), encoding="utf-8")
    return path


def _line(step: str, figures: dict[str, Any], outcome: str) -> str:
    costs = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in figures.items())
    return f"{step:<44} {costs}; {outcome}"


def run(profile: ProfileName, folder: Path) -> list[str]:
    lines: list[str] = []
    web = folder / "web.yaml"
    web.write_text(WEB, encoding="utf-8")
    first = Account(profile)
    ok = first.apply(web)
    lines.append(_line("1. apply the web to an empty account", first.spent(), f"ok={ok}"))

    exported = folder / "exported.yaml"
    exported.write_text(first.export(pin_ids=True), encoding="utf-8")
    changes = first.plan(exported).has_changes
    lines.append(_line("2. export, plan the export", first.spent(), f"changes={changes}"))

    copied = folder / "copied.yaml"
    copied.write_text(first.export(pin_ids=False), encoding="utf-8")
    first.spent()
    second = Account(profile, renumbered(folder / "other-account.json", profile))
    ok = second.apply(copied)
    same = second.sandbox.state.census() == first.sandbox.state.census()
    lines.append(
        _line(
            "3. export --no-ids, apply to another account", second.spent(), f"ok={ok}, same={same}"
        )
    )
    ok = second.apply(copied)
    lines.append(_line("4. apply the copy again", second.spent(), f"ok={ok}"))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=PROFILE_NAMES, default="docs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        for line in run(args.profile, Path(folder)):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
