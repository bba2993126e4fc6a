"""Credentials and connection settings, read from the environment or a file.

The token is wrapped in :class:`ApiToken`, whose ``repr``/``str`` never show it; only the
transport calls :meth:`ApiToken.reveal`, when it builds the ``Authorization`` header.

The token never travels in clear: :func:`check_api_url` refuses a plain ``http://`` API URL
unless its host is loopback (the sandbox server), or ``--allow-insecure-http`` (testing
only) lets it through with a warning. A token file must be a regular file of at most
64 KiB; pipes, devices, folders and sockets are refused without being read.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from boardops.errors import UsageError

TOKEN_ENV = "MONDAY_API_TOKEN"
API_URL_ENV = "MONDAY_API_URL"
API_VERSION_ENV = "MONDAY_API_VERSION"

DEFAULT_API_URL = "https://api.monday.com/v2"
DEFAULT_API_VERSION = "2026-10"

_VERSION_FORMAT = re.compile(r"^\d{4}-\d{2}$")

# A token is some hundred bytes; a larger "token file" is the wrong file.
MAX_TOKEN_FILE_BYTES = 64 * 1024

_log = logging.getLogger(__name__)


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
    def from_file(
        cls,
        path: str | os.PathLike[str],
        *,
        on_warning: Callable[[str], None] | None = None,
    ) -> ApiToken:
        """The token in ``path``: a regular file of at most 64 KiB (a FIFO, a device, a folder
        or a socket is refused at once, never read or waited on). A file its group or others
        can read gives one warning through ``on_warning`` (default: the log)."""
        name = os.fspath(path)
        raw, mode = _read_token_file(name)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Its message quotes bytes of the file: say what is wrong, never what is there.
            raise UsageError(f"the token file {name} is not UTF-8 text") from None
        if not text.strip():
            raise UsageError(f"the token file {name} is empty")
        token = cls(text)
        if mode & 0o044:
            (on_warning or _log.warning)(
                f"the token file {name} can be read by other users (mode {mode:04o}); "
                f"restrict it with: chmod 600 {name}"
            )
        return token

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


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _read_token_file(name: str) -> tuple[bytes, int]:
    """At most ``MAX_TOKEN_FILE_BYTES`` of a regular file, and its permission bits, without
    ever blocking: the kind is checked before the file is opened (non-blocking) and again
    on the open file."""

    def refuse(reason: str) -> UsageError:
        return UsageError(f"the token file {name} is {reason}, not a regular file")

    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            raise refuse(_file_kind(info.st_mode))
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        try:
            opened = os.fstat(fd)
            if not stat.S_ISREG(opened.st_mode):
                raise refuse(_file_kind(opened.st_mode))
            if opened.st_size > MAX_TOKEN_FILE_BYTES:
                raise UsageError(_too_big(name))
            raw = os.read(fd, MAX_TOKEN_FILE_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as error:
        # The OSError names the path and the reason, never the content.
        raise UsageError(f"cannot read the token file {name}: {error.strerror}") from None
    if len(raw) > MAX_TOKEN_FILE_BYTES:
        raise UsageError(_too_big(name))
    return raw, stat.S_IMODE(opened.st_mode)


def _too_big(name: str) -> str:
    return (
        f"the token file {name} is larger than {MAX_TOKEN_FILE_BYTES // 1024} KiB: "
        "it should hold only the token"
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_api_url(url: str, *, allow_insecure_http: bool = False) -> str | None:
    """Refuse an API URL that is not http(s), then as :func:`refuse_cleartext` does.
    Returns the warning to show when an insecure URL is let through."""
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"API URL {url!r} must start with http:// or https://")
    return refuse_cleartext(url, allow_insecure_http=allow_insecure_http)


def refuse_cleartext(url: str, *, allow_insecure_http: bool = False) -> str | None:
    """Refuse a plain ``http://`` URL to a host other than loopback (127.0.0.0/8, ::1,
    localhost): the token would travel in clear. ``allow_insecure_http`` (for testing only)
    lets it through; the warning to show is returned then (None when nothing to say)."""
    if not url.lower().startswith("http://"):
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        raise UsageError(f"API URL {url!r} is not a valid URL") from None
    if _is_loopback(host):
        return None
    if not allow_insecure_http:
        raise UsageError(
            f"refusing to send the API token in clear text over http:// to {host or url!r}: "
            "use an https:// API URL (--allow-insecure-http lets it through, for testing only)"
        )
    return (
        f"--allow-insecure-http: the API token is sent in clear text over http:// to {host!r} "
        "(for testing only)"
    )


@dataclass(frozen=True)
class ClientSettings:
    """Where and in which API version to talk to monday (the token is kept apart)."""

    api_url: str = DEFAULT_API_URL
    api_version: str = DEFAULT_API_VERSION
    allow_insecure_http: bool = False

    def __post_init__(self) -> None:
        if not _VERSION_FORMAT.match(self.api_version):
            raise UsageError(
                f"API version {self.api_version!r} is not of the form YYYY-MM (e.g. 2026-10)"
            )
        check_api_url(self.api_url, allow_insecure_http=self.allow_insecure_http)

    @property
    def insecure_warning(self) -> str | None:
        """The warning to show when ``allow_insecure_http`` let a plain http URL through."""
        return check_api_url(self.api_url, allow_insecure_http=self.allow_insecure_http)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        api_url: str | None = None,
        api_version: str | None = None,
        allow_insecure_http: bool = False,
    ) -> ClientSettings:
        """Command-line values win over ``MONDAY_API_URL`` / ``MONDAY_API_VERSION``."""
        env = os.environ if environ is None else environ
        return cls(
            api_url=api_url or env.get(API_URL_ENV) or DEFAULT_API_URL,
            api_version=api_version or env.get(API_VERSION_ENV) or DEFAULT_API_VERSION,
            allow_insecure_http=allow_insecure_http,
        )
