"""Shared fakes for the monday client tests: a client on a fake clock and response
builders."""

from __future__ import annotations

import json
from typing import Any

import httpx

from boardops.monday import ApiToken, MondayClient, RetryPolicy
from tests.support.clock import FakeClock

API_URL = "https://api.monday.com/v2"
SENTINEL = "tok-SENTINEL-7f3a9c-do-not-leak"


def make_client(
    clock: FakeClock,
    *,
    retry: RetryPolicy | None = None,
    http: httpx.Client | None = None,
    **options: Any,
) -> MondayClient:
    return MondayClient(
        http or httpx.Client(),
        ApiToken(SENTINEL),
        retry=retry or RetryPolicy(random=lambda: 0.0),
        clock=clock,
        sleep=clock.sleep,
        **options,
    )


def ok(data: dict[str, Any], **headers: str) -> httpx.Response:
    return httpx.Response(200, json={"data": data, "account_id": 1}, headers=headers)


def errors(
    *entries: dict[str, Any], data: dict[str, Any] | None = None, status: int = 200, **headers: str
) -> httpx.Response:
    body: dict[str, Any] = {"errors": list(entries), "account_id": 1}
    if data is not None:
        body["data"] = data
    return httpx.Response(status, json=body, headers=headers)


def error_entry(
    message: str, code: str | None = None, path: list[str] | None = None, **extensions: Any
) -> dict[str, Any]:
    entry: dict[str, Any] = {"message": message, "extensions": dict(extensions)}
    if code is not None:
        entry["extensions"]["code"] = code
    if path is not None:
        entry["path"] = path
    return entry


def sent_json(request: httpx.Request) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(request.content)
    return body
