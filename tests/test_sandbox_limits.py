"""Sandbox limits, authentication, HTTP-level errors and counters."""

from __future__ import annotations

import threading

import httpx
import pytest

from boardops.sandbox import BASE_URL, Faults, Limits, Sandbox
from tests.conftest import FakeClock, GraphQL

CREATE_BOARD = 'mutation { create_board(board_name: "B", board_kind: public) { id } }'


def client_for(sandbox: Sandbox) -> httpx.Client:
    return httpx.Client(
        transport=sandbox.transport(), base_url=BASE_URL, headers={"Authorization": "t"}
    )


def limited(clock: FakeClock, **limits: int) -> Sandbox:
    return Sandbox(limits=Limits(**limits), clock=clock, sleep=clock.sleep)


# --- authentication and HTTP shapes ---------------------------------------------------------


def test_missing_authorization_is_a_401_with_monday_error_shape(sandbox: Sandbox) -> None:
    with httpx.Client(transport=sandbox.transport(), base_url=BASE_URL) as client:
        response = client.post("", json={"query": "{ me { id } }"})
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "Unauthorized"
    assert error["extensions"]["status_code"] == 401


def test_any_token_acts_as_alice(gql: GraphQL) -> None:
    me = gql.data("{ me { id name email } }")["me"]
    assert me == {"id": "10000001", "name": "Alice Example", "email": "alice@example.com"}
    users = gql.data('{ users(emails: ["bob@example.com"]) { id name } }')["users"]
    assert users == [{"id": "10000002", "name": "Bob Example"}]


def test_api_version_header_is_echoed(sandbox_http: httpx.Client) -> None:
    response = sandbox_http.post(
        "", json={"query": "{ version { value kind } }"}, headers={"API-Version": "2026-07"}
    )
    assert response.headers["API-Version"] == "2026-07"
    assert response.json()["data"]["version"] == {"value": "2026-07", "kind": "maintenance"}


def test_malformed_api_version_is_an_invalid_version_error(sandbox_http: httpx.Client) -> None:
    response = sandbox_http.post("", json={"query": "{ me { id } }"}, headers={"API-Version": "26"})
    assert response.json()["errors"][0]["extensions"]["code"] == "InvalidVersionException"


def test_invalid_documents_fail_with_http_200_and_errors(sandbox_http: httpx.Client) -> None:
    response = sandbox_http.post("", json={"query": "{ boards { nope } }"})
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body
    assert "nope" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "undefinedField"
    assert body["errors"][0]["locations"] == [{"line": 1, "column": 12}]


def test_a_body_that_is_not_json_is_a_400(sandbox_http: httpx.Client) -> None:
    response = sandbox_http.post("", content=b"{nope", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "JsonParseException"


def test_the_root_path_answers_like_v2(sandbox: Sandbox) -> None:
    with httpx.Client(transport=sandbox.transport(), headers={"Authorization": "t"}) as client:
        response = client.post("https://api.monday.com/", json={"query": "{ me { id } }"})
    assert response.json()["data"] == {"me": {"id": "10000001"}}


def test_every_answer_carries_rate_limit_headers(sandbox_http: httpx.Client) -> None:
    first = sandbox_http.post("", json={"query": "{ me { id } }"})
    second = sandbox_http.post("", json={"query": "{ me { id } }"})
    assert '"minuteRate";q=' in first.headers["RateLimit-Policy"]
    remaining = [
        int(r.headers["RateLimit"].split('"minuteRate";r=')[1].split(",")[0])
        for r in (first, second)
    ]
    assert remaining[1] == remaining[0] - 1


# --- complexity ------------------------------------------------------------------------------


def test_complexity_field_reports_the_budget(gql: GraphQL) -> None:
    first = gql.data("{ complexity { before query after reset_in_x_seconds } me { id } }")
    second = gql.data("{ complexity { before query after reset_in_x_seconds } }")
    report = first["complexity"]
    assert report["after"] == report["before"] - report["query"]
    assert report["query"] > 0
    assert second["complexity"]["before"] == report["after"]
    assert 0 < report["reset_in_x_seconds"] <= 60


def test_nested_lists_multiply_by_their_limit(gql: GraphQL) -> None:
    small = gql.data(
        "{ complexity { query } boards(limit: 1) { items_page(limit: 10) { items { id } } } }"
    )
    large = gql.data(
        "{ complexity { query } boards(limit: 1) { items_page(limit: 100) { items { id } } } }"
    )
    assert large["complexity"]["query"] > 5 * small["complexity"]["query"]


def test_a_query_above_the_complexity_cap_is_refused(clock: FakeClock) -> None:
    sandbox = limited(clock, max_query_complexity=1000)
    body = sandbox.execute("{ boards(limit: 100) { items_page(limit: 500) { items { id } } } }")
    assert body["errors"][0]["extensions"]["code"] == "ComplexityException"
    assert "data" not in body


def test_an_exhausted_complexity_budget_is_a_429_until_the_minute_resets(
    clock: FakeClock,
) -> None:
    sandbox = limited(clock, complexity_per_minute=50)
    with client_for(sandbox) as client:
        query = {"query": "{ boards(limit: 20) { id name } }"}  # costs 41
        assert client.post("", json=query).status_code == 200
        clock.advance(10)
        refused = client.post("", json=query)
        assert refused.status_code == 429
        error = refused.json()["errors"][0]
        assert error["extensions"]["code"] == "COMPLEXITY_BUDGET_EXHAUSTED"
        assert error["extensions"]["retry_in_seconds"] == 50
        assert refused.headers["Retry-After"] == "50"
        clock.advance(50)
        assert client.post("", json=query).status_code == 200


def test_a_document_sent_again_is_charged_again_but_validated_once(gql: GraphQL) -> None:
    from boardops.sandbox.executor import _validation_errors

    query = "{ complexity { before query after } boards(limit: 3) { id } }"
    first = gql.data(query)["complexity"]
    validated = _validation_errors.cache_info().misses
    second = gql.data(query)["complexity"]

    assert second["query"] == first["query"] > 0
    assert second["before"] == first["after"]
    assert _validation_errors.cache_info().misses == validated


# --- request, board and concurrency limits ---------------------------------------------------


def test_requests_per_minute_are_limited(clock: FakeClock) -> None:
    sandbox = limited(clock, requests_per_minute=2)
    with client_for(sandbox) as client:
        statuses = [client.post("", json={"query": "{ me { id } }"}).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        clock.advance(60)
        assert client.post("", json={"query": "{ me { id } }"}).status_code == 200


def test_create_board_is_limited_per_minute(clock: FakeClock) -> None:
    sandbox = limited(clock, create_board_per_minute=2)
    assert "errors" not in sandbox.execute(CREATE_BOARD)
    assert "errors" not in sandbox.execute(CREATE_BOARD)
    error = sandbox.execute(CREATE_BOARD)["errors"][0]
    assert error["extensions"]["code"] == "FIELD_LIMIT_EXCEEDED"
    assert error["extensions"]["retry_in_seconds"] == 60
    clock.advance(60)
    assert "errors" not in sandbox.execute(CREATE_BOARD)


def test_mutations_per_minute_count_every_alias_and_refuse_before_running(
    clock: FakeClock,
) -> None:
    sandbox = limited(clock, mutations_per_minute=3)
    two = (
        "mutation { complexity { query } "
        'a: create_workspace(name: "A", kind: open) { id } '
        'b: create_workspace(name: "B", kind: open) { id } }'
    )
    with client_for(sandbox) as client:
        assert client.post("", json={"query": two}).status_code == 200
        refused = client.post("", json={"query": two})
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMIT_EXCEEDED"
        assert refused.headers["Retry-After"] == "60"
        # Refused before running: nothing was created, and reads still pass.
        names = [
            w["name"] for w in sandbox.execute("{ workspaces { name } }")["data"]["workspaces"]
        ]
        assert names.count("A") == 1
        assert names.count("B") == 1
        clock.advance(60)
        assert client.post("", json={"query": two}).status_code == 200


def test_concurrent_requests_above_the_limit_are_refused() -> None:
    blocked = threading.Event()
    release = threading.Event()

    def hold_first_request(_seconds: float) -> None:
        if not blocked.is_set():
            blocked.set()
            release.wait(timeout=5)

    sandbox = Sandbox(
        limits=Limits(max_concurrency=1), faults=Faults(latency_ms=1), sleep=hold_first_request
    )
    results: list[int] = []
    with client_for(sandbox) as client:
        worker = threading.Thread(
            target=lambda: results.append(
                client.post("", json={"query": "{ me { id } }"}).status_code
            )
        )
        worker.start()
        assert blocked.wait(timeout=5)
        refused = client.post("", json={"query": "{ me { id } }"})
        release.set()
        worker.join(timeout=5)
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["code"] == "maxConcurrencyExceeded"
    assert results == [200]


# --- counters --------------------------------------------------------------------------------


def test_counters_count_requests_mutations_and_root_fields(sandbox: Sandbox, gql: GraphQL) -> None:
    gql.data(CREATE_BOARD)
    gql.data(
        'mutation { a: create_workspace(name: "A", kind: open) { id } '
        'b: create_workspace(name: "B", kind: open) { id } }'
    )
    gql.data("{ boards { id } me { id } }")
    counts = sandbox.counters.to_dict()
    assert counts["requests"] == 3
    assert counts["mutation_requests"] == 2
    assert counts["mutations"] == 3
    assert counts["root_fields"] == {
        "boards": 1,
        "create_board": 1,
        "create_workspace": 2,
        "me": 1,
    }
    sandbox.counters.reset()
    assert sandbox.counters.to_dict()["requests"] == 0


def test_counters_are_readable_and_resettable_over_http(
    sandbox_http: httpx.Client, gql: GraphQL
) -> None:
    gql.data("{ me { id } }")
    assert sandbox_http.get("/sandbox/counters").json()["requests"] == 1
    assert sandbox_http.post("/sandbox/counters/reset").status_code == 200
    assert sandbox_http.get("/sandbox/counters").json()["root_fields"] == {}


@pytest.mark.parametrize("path", ["/v3", "/graphql"])
def test_unknown_paths_are_404(sandbox_http: httpx.Client, path: str) -> None:
    assert sandbox_http.post(path, json={"query": "{ me { id } }"}).status_code == 404


def test_a_sandbox_bug_is_answered_as_a_500_not_a_dropped_connection(
    sandbox_http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> int:
        raise RuntimeError("estimator exploded")

    monkeypatch.setattr("boardops.sandbox.core.estimate_complexity", broken)
    response = sandbox_http.post("", json={"query": "{ me { id } }"})
    assert response.status_code == 500
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
