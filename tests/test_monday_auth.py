"""The token stays secret everywhere; settings come from flags, then the environment."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import respx

from boardops.errors import ApiError, UsageError
from boardops.monday import ApiToken, ClientSettings, MutationCall, RetryPolicy
from tests.support.clock import FakeClock
from tests.support.monday_fakes import API_URL, SENTINEL, error_entry, errors, make_client, ok


def test_token_repr_and_str_are_redacted():
    token = ApiToken(SENTINEL)
    assert SENTINEL not in repr(token)
    assert SENTINEL not in str(token)
    assert SENTINEL not in f"{token} {[token]} {token!r}"
    assert token.reveal() == SENTINEL


def test_token_refuses_to_be_pickled():
    with pytest.raises(TypeError, match="pickled"):
        pickle.dumps(ApiToken(SENTINEL))


def test_token_from_env_reads_monday_api_token():
    assert ApiToken.from_env({"MONDAY_API_TOKEN": f" {SENTINEL}\n"}).reveal() == SENTINEL


def test_missing_token_names_both_ways_to_give_one():
    with pytest.raises(UsageError, match=r"MONDAY_API_TOKEN.*--token-file"):
        ApiToken.from_env({})


def test_token_from_file_strips_the_trailing_newline(tmp_path: Path):
    path = tmp_path / "token"
    path.write_text(SENTINEL + "\n")
    assert ApiToken.from_file(path).reveal() == SENTINEL


def test_unreadable_or_empty_token_file_is_a_usage_error(tmp_path: Path):
    with pytest.raises(UsageError, match="cannot read"):
        ApiToken.from_file(tmp_path / "missing")
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(UsageError, match="empty"):
        ApiToken.from_file(empty)


def test_settings_flags_win_over_environment_which_wins_over_defaults():
    env = {"MONDAY_API_URL": "https://env.example/v2", "MONDAY_API_VERSION": "2026-07"}
    assert ClientSettings.from_env({}) == ClientSettings("https://api.monday.com/v2", "2026-10")
    assert ClientSettings.from_env(env) == ClientSettings("https://env.example/v2", "2026-07")
    flagged = ClientSettings.from_env(env, api_url="https://flag/v2", api_version="2027-01")
    assert flagged == ClientSettings("https://flag/v2", "2027-01")


def test_malformed_api_version_is_a_usage_error():
    with pytest.raises(UsageError, match="YYYY-MM"):
        ClientSettings.from_env({"MONDAY_API_VERSION": "2023"})


def test_sentinel_token_never_appears_in_logs_errors_reprs_or_stats(caplog):
    caplog.set_level(logging.DEBUG, logger="boardops.monday")
    clock = FakeClock()
    raised: list[BaseException] = []
    create = 'mutation c { create_item(board_id: "1", item_name: "x") { id } }'
    with respx.mock() as router:
        router.post(API_URL).mock(
            side_effect=[
                ok({"me": {"id": "1"}}),
                errors(error_entry("slow", "COMPLEXITY_BUDGET_EXHAUSTED", retry_in_seconds=1)),
                errors(error_entry("slow", "COMPLEXITY_BUDGET_EXHAUSTED", retry_in_seconds=1)),
                httpx.Response(401, json={"errors": [{"message": "Unauthorized"}]}),
                httpx.ReadTimeout("timed out"),
                httpx.Response(500, text="oops"),
                httpx.Response(200, text="garbage"),
                errors(error_entry("bad", "ColumnValueException", path=["m0"]), data={"m0": None}),
                httpx.ReadTimeout("timed out"),
                errors(error_entry("Daily limit", "DAILY_LIMIT_EXCEEDED")),
            ]
        )
        client = make_client(
            clock, retry=RetryPolicy(max_attempts=2, random=lambda: 0.0), log_data=True
        )
        client.me()
        attempts: list[Callable[[], object]] = [
            lambda: client.me(),
            lambda: client.me(),
            lambda: client.mutate(create),
            lambda: client.mutate(create),
            lambda: client.mutate(create),
            lambda: client.mutate_batch([MutationCall("delete_item", {"item_id": 1})]),
            lambda: client.mutate_batch([MutationCall("delete_item", {"item_id": 1})]),
            lambda: client.me(),
        ]
        for attempt in attempts:
            try:
                attempt()
            except ApiError as error:
                raised.append(error)
    assert len(raised) == 7  # the batch with a failed alias returns results, not an error
    seen = [record.getMessage() for record in caplog.records]
    seen += [f"{error} {error!r} {error.__cause__!r} {vars(error)}" for error in raised]
    seen += [repr(client), repr(client.stats), repr(client.stats.snapshot())]
    assert seen
    for text in seen:
        assert SENTINEL not in text


@pytest.mark.parametrize("bad", [f"{SENTINEL}\nX-Evil: 1", f"{SENTINEL} other", "tök"])
def test_a_token_that_cannot_be_a_header_is_refused_without_quoting_it(bad):
    with pytest.raises(UsageError) as caught:
        ApiToken(bad)
    assert SENTINEL not in str(caught.value)
    assert "tök" not in str(caught.value)
