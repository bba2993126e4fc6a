"""The client's transport contract: headers, error classes, retries and OutcomeUnknown."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import httpx
import pytest

from boardops.errors import (
    AuthenticationFailed,
    DailyLimitExceeded,
    GraphQLError,
    HttpStatusError,
    MalformedResponse,
    OutcomeUnknown,
    RateLimited,
    RequestTimeout,
    TransportError,
)
from boardops.monday import RetryPolicy
from boardops.monday.decode import parse_retry_after
from tests.support.monday_fakes import (
    API_URL,
    SENTINEL,
    error_entry,
    errors,
    make_client,
    ok,
    sent_json,
)

ME = "query me { me { id } }"
CREATE = 'mutation create { create_item(board_id: "1", item_name: "x") { id } }'


def test_request_carries_raw_token_pinned_version_and_json_body(router, clock):
    route = router.post(API_URL).mock(return_value=ok({"me": {"id": "7"}}))
    client = make_client(clock)

    assert client.query(ME, {"a": 1}) == {"me": {"id": "7"}}

    request = route.calls.last.request
    assert request.headers["Authorization"] == SENTINEL
    assert request.headers["API-Version"] == "2026-10"
    assert sent_json(request) == {"query": ME, "variables": {"a": 1}}


def test_api_url_and_version_are_configurable(router, clock):
    route = router.post("http://localhost:9999/v2").mock(return_value=ok({"me": None}))
    client = make_client(clock, api_url="http://localhost:9999/v2", api_version="2026-07")
    client.query(ME)
    assert route.calls.last.request.headers["API-Version"] == "2026-07"


def test_query_429_waits_retry_in_seconds_then_succeeds(router, clock):
    router.post(API_URL).mock(
        side_effect=[
            errors(
                error_entry("Rate Limit Exceeded", "Rate Limit Exceeded", retry_in_seconds=17),
                status=429,
            ),
            ok({"me": {"id": "7"}}),
        ]
    )
    client = make_client(clock)
    assert client.query(ME) == {"me": {"id": "7"}}
    assert clock.sleeps == [17.0]
    stats = client.stats.snapshot()
    assert (stats.requests, stats.retries, stats.rate_limited) == (2, 1, 1)


def test_retry_after_header_is_honoured(router, clock):
    router.post(API_URL).mock(
        side_effect=[
            httpx.Response(429, text="slow down", headers={"Retry-After": "9"}),
            ok({"me": None}),
        ]
    )
    make_client(clock).query(ME)
    assert clock.sleeps == [9.0]


def test_ratelimit_header_reset_is_honoured_without_retry_after(router, clock):
    header = '"minuteRate";r=0;t=23, "complexityMinute";r=10;t=5'
    router.post(API_URL).mock(
        side_effect=[httpx.Response(429, json={}, headers={"RateLimit": header}), ok({"me": None})]
    )
    make_client(clock).query(ME)
    assert clock.sleeps[0] == 23.0


def test_retry_in_seconds_inside_error_data_is_read(router, clock):
    router.post(API_URL).mock(
        side_effect=[
            errors(
                error_entry(
                    "Concurrency limit exceeded for the field",
                    "FIELD_LIMIT_EXCEEDED",
                    error_data={"retry_in_seconds": 4, "entity": "boards"},
                )
            ),
            ok({"me": None}),
        ]
    )
    make_client(clock).query(ME)
    assert clock.sleeps == [4.0]


def test_legacy_top_level_error_format_is_classified(router, clock):
    legacy = {
        "error_code": "FIELD_LIMIT_EXCEEDED",
        "error_message": "Concurrency limit exceeded for the field",
        "status_code": 429,
        "error_data": {"retry_in_seconds": 3},
    }
    router.post(API_URL).mock(side_effect=[httpx.Response(200, json=legacy), ok({"me": None})])
    make_client(clock).query(ME)
    assert clock.sleeps == [3.0]


@pytest.mark.parametrize(
    "code", ["COMPLEXITY_BUDGET_EXHAUSTED", "maxConcurrencyExceeded", "IP_RATE_LIMIT_EXCEEDED"]
)
def test_throttling_codes_on_http_200_are_retried(router, clock, code):
    router.post(API_URL).mock(
        side_effect=[errors(error_entry("throttled", code, retry_in_seconds=2)), ok({"me": None})]
    )
    make_client(clock).query(ME)
    assert clock.sleeps == [2.0]


def test_throttling_without_a_wait_backs_off_exponentially(router, clock):
    router.post(API_URL).mock(
        side_effect=[
            errors(error_entry("busy", "maxConcurrencyExceeded")),
            errors(error_entry("busy", "maxConcurrencyExceeded")),
            errors(error_entry("busy", "maxConcurrencyExceeded")),
            ok({"me": None}),
        ]
    )
    make_client(clock, retry=RetryPolicy(base_delay=1.0, random=lambda: 0.0)).query(ME)
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_jitter_shortens_backoff_within_its_fraction():
    policy = RetryPolicy(base_delay=2.0, jitter=0.5, random=lambda: 1.0)
    assert policy.backoff(1) == 1.0
    assert policy.backoff(3) == 4.0
    assert RetryPolicy(max_delay=5.0, random=lambda: 0.0).backoff(10) == 5.0


def test_rate_limited_after_max_attempts_carries_the_wait(router, clock):
    throttled = errors(
        error_entry(
            "Complexity budget exhausted", "COMPLEXITY_BUDGET_EXHAUSTED", retry_in_seconds=30
        )
    )
    router.post(API_URL).mock(side_effect=[throttled] * 3)
    client = make_client(clock, retry=RetryPolicy(max_attempts=3, random=lambda: 0.0))
    with pytest.raises(RateLimited) as caught:
        client.query(ME)
    assert caught.value.retry_in_seconds == 30.0
    assert caught.value.code == "COMPLEXITY_BUDGET_EXHAUSTED"
    assert clock.sleeps == [30.0, 30.0]


def test_retries_stop_when_the_total_time_cap_would_be_passed(router, clock):
    throttled = errors(error_entry("x", "COMPLEXITY_BUDGET_EXHAUSTED", retry_in_seconds=60))
    router.post(API_URL).mock(side_effect=[throttled] * 2)
    client = make_client(clock, retry=RetryPolicy(max_total_seconds=90, random=lambda: 0.0))
    with pytest.raises(RateLimited):
        client.query(ME)
    assert clock.sleeps == [60.0]


def test_daily_limit_is_raised_at_once_with_a_clear_message(router, clock):
    router.post(API_URL).mock(
        return_value=errors(
            error_entry("Daily limit exceeded", "DAILY_LIMIT_EXCEEDED", retry_in_seconds=3600),
            status=429,
        )
    )
    client = make_client(clock)
    with pytest.raises(DailyLimitExceeded, match="daily API call limit") as caught:
        client.query(ME)
    assert isinstance(caught.value, RateLimited)
    assert clock.sleeps == []
    assert client.stats.snapshot().requests == 1


def test_query_5xx_is_retried(router, clock):
    router.post(API_URL).mock(
        side_effect=[httpx.Response(502, text="bad gateway"), ok({"me": {"id": "1"}})]
    )
    assert make_client(clock).query(ME) == {"me": {"id": "1"}}


def test_query_5xx_every_time_raises_http_status_error(router, clock):
    router.post(API_URL).mock(return_value=httpx.Response(500, text="oops"))
    client = make_client(clock, retry=RetryPolicy(max_attempts=2, random=lambda: 0.0))
    with pytest.raises(HttpStatusError) as caught:
        client.query(ME)
    assert caught.value.status_code == 500


def test_mutation_5xx_raises_outcome_unknown_and_is_not_resent(router, clock):
    route = router.post(API_URL).mock(return_value=httpx.Response(500, text="oops"))
    with pytest.raises(OutcomeUnknown) as caught:
        make_client(clock).mutate(CREATE)
    assert route.call_count == 1
    assert caught.value.in_doubt == ("create_item",)
    assert caught.value.operation == "create"


def test_query_timeout_is_retried(router, clock):
    router.post(API_URL).mock(side_effect=[httpx.ReadTimeout("timed out"), ok({"me": None})])
    make_client(clock).query(ME)
    assert clock.sleeps == [1.0]


def test_query_timeouts_exhausted_raise_request_timeout(router, clock):
    router.post(API_URL).mock(side_effect=httpx.ReadTimeout("timed out"))
    client = make_client(clock, retry=RetryPolicy(max_attempts=2, random=lambda: 0.0))
    with pytest.raises(RequestTimeout):
        client.query(ME)


def test_mutation_timeout_raises_outcome_unknown(router, clock):
    route = router.post(API_URL).mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(OutcomeUnknown, match="may or may not"):
        make_client(clock).mutate(CREATE)
    assert route.call_count == 1


def test_mutation_lost_connection_raises_outcome_unknown(router, clock):
    route = router.post(API_URL).mock(
        side_effect=httpx.RemoteProtocolError("Server disconnected without sending a response.")
    )
    with pytest.raises(OutcomeUnknown):
        make_client(clock).mutate(CREATE)
    assert route.call_count == 1


def test_query_lost_connection_is_retried(router, clock):
    router.post(API_URL).mock(side_effect=[httpx.ReadError("reset"), ok({"me": None})])
    make_client(clock).query(ME)


def test_mutation_that_never_connected_is_retried(router, clock):
    router.post(API_URL).mock(
        side_effect=[httpx.ConnectError("refused"), ok({"create_item": {"id": "5"}})]
    )
    assert make_client(clock).mutate(CREATE) == {"create_item": {"id": "5"}}


def test_connection_refused_every_time_raises_transport_error(router, clock):
    router.post(API_URL).mock(side_effect=httpx.ConnectError("refused"))
    client = make_client(clock, retry=RetryPolicy(max_attempts=2, random=lambda: 0.0))
    with pytest.raises(TransportError, match="cannot reach api"):
        client.query(ME)


def test_mutation_refused_by_429_is_retried(router, clock):
    route = router.post(API_URL).mock(
        side_effect=[
            errors(
                error_entry("budget", "COMPLEXITY_BUDGET_EXHAUSTED", retry_in_seconds=5), status=429
            ),
            ok({"create_item": {"id": "5"}}),
        ]
    )
    assert make_client(clock).mutate(CREATE) == {"create_item": {"id": "5"}}
    assert route.call_count == 2


def test_mutation_throttled_on_200_without_data_is_retried(router, clock):
    route = router.post(API_URL).mock(
        side_effect=[
            errors(
                error_entry("budget", "COMPLEXITY_BUDGET_EXHAUSTED", retry_in_seconds=5),
                data={"create_item": None},
            ),
            ok({"create_item": {"id": "5"}}),
        ]
    )
    make_client(clock).mutate(CREATE)
    assert route.call_count == 2


def test_mutation_answered_with_a_garbled_body_is_outcome_unknown(router, clock):
    router.post(API_URL).mock(return_value=httpx.Response(200, text="<html>proxy</html>"))
    with pytest.raises(OutcomeUnknown):
        make_client(clock).mutate(CREATE)


def test_locked_board_423_is_retried(router, clock):
    router.post(API_URL).mock(
        side_effect=[
            errors(error_entry("Resource is currently locked, please try again later"), status=423),
            ok({"create_item": {"id": "5"}}),
        ]
    )
    make_client(clock).mutate(CREATE)
    assert len(clock.sleeps) == 1


def test_non_json_answer_is_malformed_response(router, clock):
    router.post(API_URL).mock(return_value=httpx.Response(200, text="not json"))
    with pytest.raises(MalformedResponse, match="not JSON"):
        make_client(clock).query(ME)


def test_answer_without_data_or_errors_is_malformed_response(router, clock):
    router.post(API_URL).mock(return_value=httpx.Response(200, json={"account_id": 1}))
    with pytest.raises(MalformedResponse):
        make_client(clock).query(ME)


def test_401_raises_authentication_failed_without_retry(router, clock):
    route = router.post(API_URL).mock(
        return_value=httpx.Response(401, json={"errors": [{"message": "Unauthorized"}]})
    )
    with pytest.raises(AuthenticationFailed) as caught:
        make_client(clock).query(ME)
    assert caught.value.status_code == 401
    assert route.call_count == 1


def test_application_error_carries_code_status_request_id_and_path(router, clock):
    router.post(API_URL).mock(
        return_value=errors(
            error_entry(
                "User unauthorized to perform action",
                "UserUnauthorizedException",
                path=["me"],
                status_code=403,
                request_id="req-42",
            ),
            data={"me": None},
        )
    )
    with pytest.raises(GraphQLError) as caught:
        make_client(clock).query(ME)
    error = caught.value
    assert (error.code, error.status_code, error.request_id, error.path) == (
        "UserUnauthorizedException",
        403,
        "req-42",
        ("me",),
    )
    assert error.operation == "me"
    assert str(error) == (
        "UserUnauthorizedException: User unauthorized to perform action "
        "(at me, operation me, request id req-42)"
    )


def test_http_400_with_errors_raises_graphql_error_with_status(router, clock):
    router.post(API_URL).mock(
        return_value=errors(error_entry("Bad JSON", "JsonParseException"), status=400)
    )
    with pytest.raises(GraphQLError) as caught:
        make_client(clock).query(ME)
    assert caught.value.status_code == 400


def test_partial_data_keeps_data_and_per_path_errors(router, clock):
    router.post(API_URL).mock(
        return_value=errors(
            error_entry("nope", "InvalidBoardIdException", path=["b"]),
            data={"a": [{"id": "1"}], "b": None},
        )
    )
    response = make_client(clock).execute("query q { a: boards { id } b: boards { id } }")
    assert response.data == {"a": [{"id": "1"}], "b": None}
    assert response.errors_at("a") == ()
    assert [e.code for e in response.errors_at("b")] == ["InvalidBoardIdException"]


def test_complexity_readings_are_counted_and_pace_the_next_request(router, clock):
    low = {"before": 200_000, "after": 50_000, "query": 150_000, "reset_in_x_seconds": 12}
    router.post(API_URL).mock(side_effect=[ok({"complexity": low, "me": None}), ok({"me": None})])
    client = make_client(clock)
    client.query(ME)
    client.query(ME)
    assert clock.sleeps == [12.0]
    stats = client.stats.snapshot()
    assert stats.complexity_used == 150_000
    assert stats.waits == 1


def test_ratelimit_header_with_requests_nearly_spent_paces_the_next_request(router, clock):
    header = '"minuteRate";r=2;t=7, "concurrency";r=39'
    router.post(API_URL).mock(side_effect=[ok({"me": None}, RateLimit=header), ok({"me": None})])
    client = make_client(clock)
    client.query(ME)
    client.query(ME)
    assert clock.sleeps == [7.0]


def test_plenty_of_budget_means_no_pause(router, clock):
    plenty = {"before": 9_000_000, "after": 8_990_000, "query": 10_000, "reset_in_x_seconds": 40}
    router.post(API_URL).mock(side_effect=[ok({"complexity": plenty}), ok({"me": None})])
    client = make_client(clock)
    client.query(ME)
    client.query(ME)
    assert clock.sleeps == []


def test_budget_reserve_scales_with_the_policy_quota(router, clock):
    # 2% of a 10M budget is 200k: 150k left must pause, though above the 100k floor.
    policy = '"complexityMinute";q=10000000;w=60, "minuteRate";q=5000;w=60'
    left = {"before": 400_000, "after": 150_000, "query": 250_000, "reset_in_x_seconds": 8}
    router.post(API_URL).mock(
        side_effect=[ok({"complexity": left}, **{"RateLimit-Policy": policy}), ok({"me": None})]
    )
    client = make_client(clock)
    client.query(ME)
    client.query(ME)
    assert clock.sleeps == [8.0]
    assert client.budget.quotas() == {"complexityMinute": 10_000_000, "minuteRate": 5000}


def test_retry_after_as_an_http_date_is_understood():
    reference = datetime(2026, 11, 23, 5, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("Mon, 23 Nov 2026 05:00:30 GMT", now=reference) == 30.0
    assert parse_retry_after("soon") is None


def test_a_lost_mutation_error_does_not_chain_to_the_httpx_request(router, clock):
    router.post(API_URL).mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(OutcomeUnknown) as caught:
        make_client(clock).mutate(CREATE)
    chain: list[BaseException] = []
    error: BaseException | None = caught.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert not any(isinstance(link, httpx.HTTPError) for link in chain)


def test_debug_log_names_operation_fields_complexity_and_retries(router, clock, caplog):
    caplog.set_level(logging.DEBUG, logger="boardops.monday")
    spent = {"before": 9_000_000, "after": 8_999_000, "query": 1000, "reset_in_x_seconds": 30}
    router.post(API_URL).mock(
        side_effect=[
            httpx.Response(502),
            ok({"complexity": spent, "me": {"id": "1", "name": "Secret Person"}}),
        ]
    )
    make_client(clock).query("query me { complexity { query } me { id name } }")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "query me: me" in text
    assert "complexity 1000" in text
    assert "retrying in 1.0s" in text
    assert "Secret Person" not in text


def test_item_data_is_logged_only_when_asked(router, clock, caplog):
    caplog.set_level(logging.DEBUG, logger="boardops.monday")
    router.post(API_URL).mock(return_value=ok({"me": {"name": "Secret Person"}}))
    make_client(clock, log_data=True).query(ME)
    assert "Secret Person" in "\n".join(record.getMessage() for record in caplog.records)


def test_an_unusable_api_url_fails_at_once_without_retrying(clock):
    client = make_client(clock, api_url="ftp://example.invalid/v2")
    with pytest.raises(TransportError, match="cannot send"):
        client.query(ME)
    assert clock.sleeps == []


def test_an_anonymous_document_is_named_after_its_root_fields(router, clock):
    router.post(API_URL).mock(return_value=errors(error_entry("nope", "X", path=["me"])))
    with pytest.raises(GraphQLError) as caught:
        make_client(clock).query("{ me { id } }")
    assert caught.value.operation == "anonymous(me)"


def test_a_mutation_sent_through_query_is_still_never_resent(router, clock):
    route = router.post(API_URL).mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(OutcomeUnknown):
        make_client(clock).query(CREATE)
    assert route.call_count == 1
