"""Choosing the backend: monday's API with a token, or the local sandbox.

Never silently: without a token and without ``--sandbox``, commands that need monday stop
and say how to get one or the other, so a CI job missing its secret cannot "succeed"
against the sandbox.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from boardops.errors import UsageError
from boardops.monday import DEFAULT_MAX_CONCURRENCY, ApiToken, ClientSettings, MondayClient
from boardops.monday.auth import API_URL_ENV, TOKEN_ENV
from boardops.monday.pacing import PaceLimits
from boardops.sandbox import Sandbox, open_sandbox
from boardops.sandbox.profiles import profile_named

# The sandbox accepts any token; this one only fills the Authorization header.
SANDBOX_TOKEN = "sandbox"
# Where the in-process sandbox's requests "go": a name that can never resolve (RFC 2606),
# so that no log line, even httpx's own under --debug, shows monday's address for them.
SANDBOX_URL = "https://sandbox.invalid/v2"

NO_BACKEND = (
    f"no monday API token: set {TOKEN_ENV} or pass --token-file FILE "
    "(or use --sandbox to run against the local sandbox, no monday account needed)"
)


def check_sandbox_flags(sandbox_path: Path | None, api_url: str | None) -> None:
    """``--sandbox`` and ``--api-url`` name two different backends: refused, never one
    silently ignored."""
    if sandbox_path is not None and api_url is not None:
        raise UsageError(
            "--sandbox and --api-url name two different backends: drop one (a "
            "`boardops sandbox serve` server is reached with --api-url alone)"
        )


@dataclass
class Connection:
    """An open client, and the sandbox behind it when there is one."""

    client: MondayClient
    http: httpx.Client
    sandbox: Sandbox | None
    description: str

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def connect(
    *,
    sandbox_path: Path | None = None,
    token_file: Path | None = None,
    api_url: str | None = None,
    api_version: str | None = None,
    environ: Mapping[str, str] | None = None,
    max_concurrency: int | None = None,
    sandbox_profile: str | None = None,
    allow_insecure_http: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> Connection:
    """``sandbox_profile`` (with ``sandbox_path``): "docs" or "recorded"; None uses the state
    file's own profile (docs for a new file). ``allow_insecure_http`` lets a plain http API
    URL to a non-loopback host through (testing only); ``on_warning`` gets that warning and
    the token file's (default: the log)."""
    env = os.environ if environ is None else environ
    concurrency = DEFAULT_MAX_CONCURRENCY if max_concurrency is None else max_concurrency
    check_sandbox_flags(sandbox_path, api_url)
    warn = on_warning or logging.getLogger(__name__).warning
    if sandbox_path is not None:
        if env.get(API_URL_ENV):
            warn(f"{API_URL_ENV} is set but ignored: --sandbox uses the sandbox in {sandbox_path}")
        try:
            profile = None if sandbox_profile is None else profile_named(sandbox_profile).name
            sandbox = open_sandbox(sandbox_path, profile)
        except ValueError as error:  # not a state file, a bad fault spec, another profile
            raise UsageError(str(error)) from None
        except OSError as error:  # its folder cannot be made, or it cannot be read
            raise UsageError(f"{sandbox_path}: cannot open the sandbox state: {error}") from None
        http = httpx.Client(transport=sandbox.transport(), base_url=SANDBOX_URL)
        client = MondayClient(
            http,
            ApiToken(SANDBOX_TOKEN),
            api_url=SANDBOX_URL,
            max_concurrency=concurrency,
            sandbox_file=str(sandbox_path),
            pace_limits=_sandbox_pace_limits(sandbox),
        )
        return Connection(client, http, sandbox, f"sandbox {sandbox_path}")
    if token_file is None and not env.get(TOKEN_ENV):
        raise UsageError(NO_BACKEND)
    # The URL is checked before the token is even read: it never travels in clear.
    settings = ClientSettings.from_env(
        env, api_url=api_url, api_version=api_version, allow_insecure_http=allow_insecure_http
    )
    if token_file is not None:
        token = ApiToken.from_file(token_file, on_warning=warn)
    else:
        token = ApiToken.from_env(env)
    if settings.insecure_warning is not None:
        warn(settings.insecure_warning)
    http = httpx.Client()
    client = MondayClient.from_settings(http, token, settings, max_concurrency=concurrency)
    return Connection(
        client, http, None, f"monday API {settings.api_url} (version {settings.api_version})"
    )


def _sandbox_pace_limits(sandbox: Sandbox) -> PaceLimits:
    """The in-process sandbox's own per-minute caps: its account's limits are known."""
    limits = sandbox.limits
    return PaceLimits(
        mutations_per_minute=limits.mutations_per_minute,
        complexity_per_minute=limits.complexity_per_minute,
        board_creations_per_minute=limits.create_board_per_minute,
    )
