"""Credentials and connection settings, read from the environment or a file.

The token is wrapped in :class:`ApiToken`, whose ``repr``/``str`` never show it; only the
transport calls :meth:`ApiToken.reveal`, when it builds the ``Authorization`` header.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from boardops.errors import UsageError

TOKEN_ENV = "MONDAY_API_TOKEN"
API_URL_ENV = "MONDAY_API_URL"
API_VERSION_ENV = "MONDAY_API_VERSION"

DEFAULT_API_URL = "https://api.monday.com/v2"
DEFAULT_API_VERSION = "2026-10"

_VERSION_FORMAT = re.compile(r"^\d{4}-\d{2}$")


class ApiToken:
    """A monday API token. It prints as ``ApiToken(<redacted>)`` wherever it ends up."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str) -> None:
        secret = secret.strip()
        if not secret:
            raise UsageError("the monday API token is empty")
        if any(not " " < char <= "~" for char in secret):
            # An HTTP library would reject it and quote the header value in its error.
            raise UsageError(
                "the monday API token contains spaces, control or non-ASCII characters; "
                "check that the variable or file holds only the token"
            )
        self._secret = secret

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ApiToken:
        env = os.environ if environ is None else environ
        value = env.get(TOKEN_ENV, "")
        if not value.strip():
            raise UsageError(f"no monday API token: set {TOKEN_ENV} or pass --token-file")
        return cls(value)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ApiToken:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            # The OSError names the path and the reason, never the content.
            raise UsageError(
                f"cannot read the token file {os.fspath(path)}: {error.strerror}"
            ) from None
        except UnicodeDecodeError:
            # Its message quotes bytes of the file: say what is wrong, never what is there.
            raise UsageError(f"the token file {os.fspath(path)} is not UTF-8 text") from None
        if not text.strip():
            raise UsageError(f"the token file {os.fspath(path)} is empty")
        return cls(text)

    def reveal(self) -> str:
        """The secret itself: for the ``Authorization`` header and nothing else."""
        return self._secret

    def __repr__(self) -> str:
        return "ApiToken(<redacted>)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiToken) and other._secret == self._secret

    def __hash__(self) -> int:
        return hash(("ApiToken", self._secret))

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("ApiToken cannot be pickled: the token never goes to disk")


@dataclass(frozen=True)
class ClientSettings:
    """Where and in which API version to talk to monday (the token is kept apart)."""

    api_url: str = DEFAULT_API_URL
    api_version: str = DEFAULT_API_VERSION

    def __post_init__(self) -> None:
        if not _VERSION_FORMAT.match(self.api_version):
            raise UsageError(
                f"API version {self.api_version!r} is not of the form YYYY-MM (e.g. 2026-10)"
            )
        if not self.api_url.startswith(("http://", "https://")):
            raise UsageError(f"API URL {self.api_url!r} must start with http:// or https://")

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        api_url: str | None = None,
        api_version: str | None = None,
    ) -> ClientSettings:
        """Command-line values win over ``MONDAY_API_URL`` / ``MONDAY_API_VERSION``."""
        env = os.environ if environ is None else environ
        return cls(
            api_url=api_url or env.get(API_URL_ENV) or DEFAULT_API_URL,
            api_version=api_version or env.get(API_VERSION_ENV) or DEFAULT_API_VERSION,
        )
