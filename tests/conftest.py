"""Shared fixtures: a fresh sandbox and an httpx client wired to it, a fake clock, a mocked
monday API and a record of the network.

``sandbox`` is an in-memory ``Sandbox`` with a fake clock and a recording fake sleep (no
test ever waits); ``sandbox_http`` is an ``httpx.Client`` whose transport is that sandbox,
with base url ``https://api.monday.com/v2`` and an ``Authorization`` header.
``sandbox_file`` is a sandbox whose state lives in a temporary file. ``clock`` is a
``FakeClock``; ``router`` a respx mock every route of which must be called; ``network``
records every request any ``httpx.Client`` sends (the bad-input tests).
The helpers themselves live in ``tests/support/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from boardops.sandbox import BASE_URL, Sandbox
from boardops.sandbox.profiles import PROFILE_NAMES, ProfileName
from tests.support.cli import Network, record_network
from tests.support.clock import FakeClock as FakeClock  # test modules import it from here


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=True) as mock:
        yield mock


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    return record_network(monkeypatch)


@pytest.fixture
def profile() -> ProfileName:
    """The sandbox's profile: docs, unless a test module runs under both profiles with
    ``profile = BOTH_PROFILES``."""
    return "docs"


def _each_profile(request: pytest.FixtureRequest) -> ProfileName:
    name: ProfileName = request.param
    return name


# In a test module, ``profile = BOTH_PROFILES`` runs its sandbox tests under the docs and
# the recorded profile (monday as documented, and as real accounts answer).
BOTH_PROFILES = pytest.fixture(params=PROFILE_NAMES, name="profile")(_each_profile)


@pytest.fixture
def sandbox(clock: FakeClock, profile: ProfileName) -> Sandbox:
    return Sandbox(clock=clock, sleep=clock.sleep, profile=profile)


@pytest.fixture
def sandbox_file(tmp_path: Path, clock: FakeClock) -> Sandbox:
    return Sandbox(tmp_path / "sandbox.json", clock=clock, sleep=clock.sleep)


@pytest.fixture
def sandbox_http(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(
        transport=sandbox.transport(),
        base_url=BASE_URL,
        headers={"Authorization": "sandbox-token", "API-Version": "2026-10"},
    ) as client:
        yield client


class GraphQL:
    """Posts documents through ``sandbox_http``; ``data()`` insists on an error-free answer."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        response = self.client.post("", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, **variables: Any) -> dict[str, Any]:
        body = self(query, **variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def error(self, query: str, **variables: Any) -> dict[str, Any]:
        """The single error of a failing document."""
        body = self(query, **variables)
        assert len(body.get("errors", ())) == 1, body
        error: dict[str, Any] = body["errors"][0]
        return error


@pytest.fixture
def gql(sandbox_http: httpx.Client) -> GraphQL:
    return GraphQL(sandbox_http)
