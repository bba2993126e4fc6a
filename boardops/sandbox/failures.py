"""monday's error shapes, as the sandbox raises and renders them.

Application errors are raised from resolvers as ``ApiFailure`` and end up in the response's
``errors[]`` (HTTP 200) with ``extensions.code``, ``extensions.status_code`` and
``extensions.error_data``. Transport-level refusals (401, 429, 5xx) are ``HttpFailure``:
the whole request answers with that HTTP status and an ``errors[]`` body.
"""

from __future__ import annotations

from typing import Any


class ApiFailure(Exception):
    """An application-level error for one root field (HTTP 200, ``errors[]`` entry)."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status_code: int = 400,
        error_data: dict[str, Any] | None = None,
        retry_in_seconds: int | None = None,
        with_error_data: bool = True,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status_code = status_code
        self.error_data = error_data or {}
        self.retry_in_seconds = retry_in_seconds
        self.with_error_data = with_error_data

    @property
    def extensions(self) -> dict[str, Any]:
        more = {"error_data": self.error_data} if self.with_error_data else {}
        return _extensions(self.code, self.status_code, more, self.retry_in_seconds)


class HttpFailure(Exception):
    """A whole-request refusal with a real HTTP status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        retry_in_seconds: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_in_seconds = retry_in_seconds

    def body(self, request_id: str) -> dict[str, Any]:
        extensions = _extensions(
            self.code, self.status, {"request_id": request_id}, self.retry_in_seconds
        )
        return {"errors": [{"message": self.message, "extensions": extensions}]}


def _extensions(
    code: str, status_code: int, more: dict[str, Any], retry_in_seconds: int | None
) -> dict[str, Any]:
    """An error's ``extensions``, keys in monday's order: code, status_code, ``more``, and
    ``retry_in_seconds`` when there is one."""
    extensions: dict[str, Any] = {"code": code, "status_code": status_code, **more}
    if retry_in_seconds is not None:
        extensions["retry_in_seconds"] = retry_in_seconds
    return extensions


def invalid_argument(message: str, **error_data: Any) -> ApiFailure:
    return ApiFailure("InvalidArgumentException", message, error_data=error_data)


def not_found(message: str, **error_data: Any) -> ApiFailure:
    return ApiFailure("ResourceNotFoundException", message, status_code=404, error_data=error_data)


def column_value_error(message: str, **error_data: Any) -> ApiFailure:
    return ApiFailure("ColumnValueException", message, error_data=error_data)
