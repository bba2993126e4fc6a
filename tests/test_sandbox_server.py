"""The sandbox over real HTTP, driven by ordinary HTTP clients."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from benchmarks.sandbox_latency import measure
from boardops.sandbox import Faults, Sandbox
from boardops.sandbox.server import SandboxServer
from tests.support.cli import invoke


@pytest.fixture
def served() -> Iterator[tuple[Sandbox, SandboxServer]]:
    sandbox = Sandbox()
    with sandbox.serve("127.0.0.1", 0, admin=True) as server:
        yield sandbox, server


def test_server_answers_graphql_over_http(served: tuple[Sandbox, SandboxServer]) -> None:
    _, server = served
    with httpx.Client(headers={"Authorization": "token"}) as client:
        created = client.post(
            server.url,
            json={
                "query": "mutation($n: String!) { create_board(board_name: $n, "
                "board_kind: public) { id name } }",
                "variables": {"n": "Over HTTP"},
            },
        )
        listed = client.post(server.url, json={"query": "{ boards { name } }"})
    assert created.status_code == 200
    assert created.json()["data"]["create_board"]["name"] == "Over HTTP"
    assert listed.json()["data"] == {"boards": [{"name": "Over HTTP"}]}
    assert int(listed.headers["Content-Length"]) == len(listed.content)


def test_a_plain_urllib_client_works_unchanged(served: tuple[Sandbox, SandboxServer]) -> None:
    _, server = served
    root = server.url.removesuffix("v2")
    request = urllib.request.Request(
        root,
        data=json.dumps({"query": "{ me { name } }"}).encode(),
        headers={"Authorization": "abc", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read())["data"] == {"me": {"name": "Alice Example"}}


def test_server_refuses_requests_without_a_token(served: tuple[Sandbox, SandboxServer]) -> None:
    _, server = served
    response = httpx.post(server.url, json={"query": "{ me { id } }"})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "Unauthorized"


def test_server_exposes_counters(served: tuple[Sandbox, SandboxServer]) -> None:
    _, server = served
    base = server.url.removesuffix("/v2")
    admin = server.admin_headers()
    httpx.post(server.url, json={"query": "{ me { id } }"}, headers={"Authorization": "t"})
    counters = httpx.post(f"{base}/sandbox/counters", json={}, headers=admin)
    assert counters.json()["root_fields"] == {"me": 1}
    assert httpx.post(f"{base}/sandbox/counters/reset", json={}, headers=admin).status_code == 200
    assert httpx.post(f"{base}/sandbox/counters", json={}, headers=admin).json()["requests"] == 0


def test_a_lost_acknowledgement_over_http_drops_the_connection_after_committing(
    served: tuple[Sandbox, SandboxServer],
) -> None:
    sandbox, server = served
    sandbox.faults = Faults(lost_ack=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.post(
            server.url,
            json={"query": 'mutation { create_board(board_name: "B", board_kind: public) { id } }'},
            headers={"Authorization": "t"},
        )
    assert [b.name for b in sandbox.state.boards] == ["B"]


def test_the_latency_benchmark_measures_real_requests_to_a_served_sandbox() -> None:
    # The speed target itself is checked by `python -m benchmarks.sandbox_latency`.
    timings = measure(5)
    assert len(timings) == 5
    assert all(t > 0 for t in timings)


def test_faults_and_data_can_be_switched_over_http(served: tuple[Sandbox, SandboxServer]) -> None:
    sandbox, server = served
    base = server.url.removesuffix("/v2")
    auth = {"Authorization": "t"}
    create = {"query": 'mutation { create_board(board_name: "B", board_kind: public) { id } }'}

    def admin(path: str, settings: dict[str, str]) -> httpx.Response:
        return httpx.post(f"{base}/sandbox/{path}", json=settings, headers=server.admin_headers())

    assert admin("faults", {"faults": "5xx=1"}).json()["active"] is True
    assert admin("faults", {}).json()["active"] is True  # {} only shows them
    assert httpx.post(server.url, json=create, headers=auth).status_code == 500
    assert admin("faults", {"faults": ""}).json()["active"] is False
    assert httpx.post(server.url, json=create, headers=auth).status_code == 200
    assert admin("faults", {"faults": "teapot=1"}).status_code == 400
    assert admin("reset", {}).status_code == 200
    assert sandbox.state.boards == ()


def test_a_client_reaching_the_served_sandbox_by_api_url_says_it_is_the_sandbox(
    tmp_path: Path,
) -> None:
    state = tmp_path / "served.json"
    manifest = tmp_path / "board.yaml"
    manifest.write_text(
        "version: 1\nboards:\n  - key: b\n    name: Served board\n"
        "    columns:\n      - {id: notes, title: Notes, type: text}\n",
        encoding="utf-8",
    )
    sandbox = Sandbox(state)
    with sandbox.serve("127.0.0.1", 0) as server:
        env = {"MONDAY_API_TOKEN": "any-token"}
        planned = invoke("plan", str(manifest), "--api-url", server.url, env=env)
        applied = invoke(
            "apply", str(manifest), "--api-url", server.url, "--auto-approve", "--no-lock", env=env
        )
    assert planned.exit_code == 0, planned.output
    assert planned.stdout.splitlines()[0].startswith(f"Compared with the sandbox {state}")
    assert "monday's API" not in planned.stdout
    assert applied.exit_code == 0, applied.output
    assert f"Apply complete on the sandbox {state}" in applied.stdout
