"""Shared pieces of the apply tests (no tests here): a client on the in-memory sandbox,
manifests written to a temporary directory, plan and apply in one call each, and a census
of what the sandbox holds, to compare two accounts for duplicates and convergence."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from boardops.apply import ApplyFinished, EventSink, apply_plan
from boardops.apply.events import ignore
from boardops.live import read_live
from boardops.manifest import load_manifests
from boardops.monday import ApiToken, MondayClient
from boardops.plan import Plan, build_plan
from boardops.sandbox import BASE_URL, Sandbox
from boardops.sandbox.profiles import ProfileName
from tests.support.clock import FakeClock

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class World:
    """One monday account (an in-memory sandbox) and a boardops client talking to it."""

    def __init__(self, sandbox: Sandbox, clock: FakeClock, folder: Path) -> None:
        self.sandbox = sandbox
        self.folder = folder
        self.http = httpx.Client(transport=sandbox.transport(), base_url=BASE_URL)
        self.client = MondayClient(
            self.http, ApiToken("sandbox"), api_url=BASE_URL, clock=clock, sleep=clock.sleep
        )

    def write(self, text: str, name: str = "manifest.yaml") -> Path:
        path = self.folder / name
        path.write_text(text)
        return path

    def plan(self, *paths: Path) -> Plan:
        desired = load_manifests(paths)
        return build_plan(desired, read_live(self.client, desired))

    def apply(
        self, *paths: Path, allow_destroy: bool = False, on_event: EventSink = ignore
    ) -> ApplyFinished:
        desired = load_manifests(paths)
        live = read_live(self.client, desired)
        plan = build_plan(desired, live)
        return apply_plan(
            self.client,
            plan,
            live=live,
            allow_destroy=allow_destroy,
            on_event=on_event,
            week_start=desired.week_start,
        )

    def record_mutations(self) -> list[str]:
        """The mutation documents this world's client sends from now on, in order (the list
        fills as requests go out)."""
        documents: list[str] = []

        def capture(request: httpx.Request) -> None:
            document = json.loads(request.content)["query"]
            if document.lstrip().startswith("mutation"):
                documents.append(document)

        self.http.event_hooks["request"].append(capture)
        return documents

    @property
    def mutations(self) -> int:
        return self.sandbox.counters.mutation_requests

    def census(self) -> dict[str, Any]:
        return census(self.sandbox)

    def board(self, name: str) -> Any:
        return self.sandbox.state.board_named(name)

    def mutate(self, document: str, **variables: Any) -> dict[str, Any]:
        return self.client.mutate(document, variables)


def census(sandbox: Sandbox) -> dict[str, Any]:
    """Everything active in the account, by name and title (``StateView.census``)."""
    return sandbox.state.census()


@dataclass
class Interrupt:
    """An event sink that raises after ``after`` completed actions, as a kill would."""

    after: int
    seen: int = 0

    def __call__(self, event: object) -> None:
        from boardops.apply import ActionCompleted

        if isinstance(event, ActionCompleted):
            self.seen += 1
            if self.seen >= self.after:
                raise Interrupted(self.seen)


class Interrupted(Exception):
    pass


def world_fixture(sandbox: Sandbox, clock: FakeClock, tmp_path: Path) -> Iterator[World]:
    """Use as ``world = pytest.fixture(world_fixture)`` in a test module."""
    made = World(sandbox, clock, tmp_path)
    yield made
    made.http.close()


def fresh_world(tmp_path: Path, name: str, profile: ProfileName | None = None) -> World:
    """Another, empty account (under ``profile``: the docs one by default)."""
    clock = FakeClock()
    folder = tmp_path / name
    folder.mkdir()
    return World(Sandbox(clock=clock, sleep=clock.sleep, profile=profile), clock, folder)


def example_paths(names: Sequence[str]) -> list[Path]:
    return [EXAMPLES / name for name in names]


def route_cli_to(world: World, clock: FakeClock, monkeypatch: Any) -> World:
    """Every CLI connection of the test talks to ``world``'s in-memory sandbox (its
    counters count), on ``clock``."""
    from boardops.connect import Connection

    def connect(**_: Any) -> Connection:
        http = httpx.Client(transport=world.sandbox.transport(), base_url=BASE_URL)
        client = MondayClient(
            http, ApiToken("sandbox"), api_url=BASE_URL, clock=clock, sleep=clock.sleep
        )
        return Connection(client, http, world.sandbox, "test sandbox")

    monkeypatch.setattr("boardops.connect.connect", connect)
    return world
