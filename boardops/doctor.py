"""``boardops doctor``: what the account behind the token is and supports, read-only.

Real accounts differ from the documentation in ways only they can tell
(``shared/monday-recorded-behaviour.md``): the API version actually served, the account's
tier, how much of the per-minute and daily budgets is left, whether the main workspace
comes back with a null id or a real one, whether status label colours are names or
numbers. ``diagnose`` asks, with queries only, and checks that the manifests given (if any)
can be applied by this token: their target workspaces exist and are visible or can be
created, the user may create boards, and no feature is used that the tier lacks
(``kind: closed`` workspaces are Enterprise-only).

Every finding is a :class:`Check` with a severity. A ``blocker`` is something an apply
would fail on; anything else is information. The report serialises once
(:meth:`DoctorReport.to_dict`, ``format_version`` 1) and both views render that.

Nothing here writes: every document sent is a query from ``boardops.monday.operations``.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

import httpx

from boardops.errors import ApiError, AuthenticationFailed, DailyLimitExceeded, TransportError
from boardops.model import DesiredState, JSONValue, board_address, printable, workspace_address
from boardops.monday import MondayClient
from boardops.monday import operations as ops
from boardops.monday.costs import daily_usage
from boardops.monday.decode import (
    ComplexityReading,
    parse_rate_limit_header,
    parse_rate_limit_policy,
)
from boardops.monday.wire import settings_object
from boardops.project import PROJECT_FILE_NAME, ProjectConfig
from boardops.scope import ScopeCheck

if TYPE_CHECKING:
    from boardops.connect import Connection

logger = logging.getLogger("boardops.doctor")

FORMAT_VERSION = 1

Severity = Literal["ok", "info", "warning", "blocker"]

# User kinds (``User.kind``) that cannot create boards or workspaces.
READ_ONLY_USER_KINDS = frozenset({"guest", "view_only", "viewer"})

# Features a manifest can ask for that only some tiers have, with the tier word that
# grants them (matched against ``Account.tier`` and ``Plan.tier``). The SDL says closed
# workspaces are "available to enterprise only"; the facts file says nothing of private
# or shareable boards per tier, so they are not checked.
CLOSED_WORKSPACE_TIER = "enterprise"

WORKSPACE_PAGE_SIZE = 100
WORKSPACE_PAGE_LIMIT = 20  # 2,000 workspaces: more than any account doctor is run on
STATUS_BOARDS_LIMIT = 25


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, how it came out, and why."""

    name: str
    severity: Severity
    message: str

    def to_dict(self) -> dict[str, JSONValue]:
        return {"name": self.name, "severity": self.severity, "message": self.message}


@dataclass(frozen=True)
class DoctorReport:
    backend: str
    facts: Mapping[str, JSONValue]
    checks: tuple[Check, ...]

    @property
    def blockers(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.severity == "blocker")

    @property
    def ok(self) -> bool:
        return not self.blockers

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "format_version": FORMAT_VERSION,
            "backend": self.backend,
            "ok": self.ok,
            "facts": dict(self.facts),
            "checks": [check.to_dict() for check in self.checks],
            "blockers": [check.to_dict() for check in self.blockers],
        }


# --- reading answers tolerantly -----------------------------------------------------------


class _Headers:
    """The last response headers the client received (an httpx response hook)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.api_version: str | None = None
        self.rate_limit: str | None = None
        self.rate_limit_policy: str | None = None

    def __call__(self, response: httpx.Response) -> None:
        with self._lock:
            self.api_version = response.headers.get("api-version") or self.api_version
            self.rate_limit = response.headers.get("ratelimit") or self.rate_limit
            self.rate_limit_policy = (
                response.headers.get("ratelimit-policy") or self.rate_limit_policy
            )


@dataclass
class _Reader:
    client: MondayClient
    complexity: ComplexityReading | None = None
    refused: dict[str, str] = field(default_factory=dict)

    def read(
        self, name: str, document: str, variables: Mapping[str, object] | None = None
    ) -> Mapping[str, Any] | None:
        """The data of one query, or None with the reason kept in ``refused[name]``.

        Only a refused token and a broken connection stop the doctor: anything else
        monday refuses (a field this account or version lacks, a permission) becomes
        "unknown" on that check's line.
        """
        try:
            response = self.client.execute(document, variables)
        except (AuthenticationFailed, TransportError, DailyLimitExceeded):
            raise
        except ApiError as error:
            self.refused[name] = _short(str(error))
            return None
        if response.complexity is not None:
            self.complexity = response.complexity
        if response.errors:
            self.refused[name] = _short(response.errors[0].message)
        if response.data is None:
            self.refused.setdefault(name, "no data in the answer")
            return None
        return response.data


def _short(text: str, limit: int = 160) -> str:
    text = printable(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field(data: Mapping[str, Any] | None, path: str, kind: type | tuple[type, ...]) -> Any:
    """``data`` at the dotted ``path`` when it has the type wanted; otherwise None, with a
    warning naming the path when something of another type is there."""
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    if value is None:
        return None
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        logger.warning("doctor: %s is %r, not the type the API promises; ignored", path, value)
        return None
    if not isinstance(value, kind):
        logger.warning(
            "doctor: %s is a %s, not the type the API promises; ignored",
            path,
            type(value).__name__,
        )
        return None
    return value


def _text(data: Mapping[str, Any] | None, path: str) -> str | None:
    value = _field(data, path, (str, int))
    return None if value is None else str(value)


def _objects(data: Mapping[str, Any] | None, path: str) -> list[Mapping[str, Any]]:
    rows = _field(data, path, list)
    if rows is None:
        return []
    kept = [row for row in rows if isinstance(row, Mapping)]
    if len(kept) != len(rows):
        logger.warning("doctor: %s holds entries that are not objects; skipped", path)
    return kept


# --- the checks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Account:
    user_id: str | None
    user_kind: str | None
    tier: str | None
    plan_tier: str | None
    max_users: int | None
    week_start: str | None

    @property
    def tiers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.lower() for t in (self.tier, self.plan_tier) if t))

    @property
    def read_only_user(self) -> bool:
        return (self.user_kind or "").lower() in READ_ONLY_USER_KINDS


def diagnose(
    connection: Connection,
    desired: DesiredState | None = None,
    *,
    project: ProjectConfig | None = None,
) -> DoctorReport:
    """Ask monday what ``connection``'s token is and can do; check ``desired`` against it,
    and the workspaces and boards the token sees against ``project``'s read scope (None:
    there is no project configuration, so no scope is enforced: a warning).

    Sends only queries. Raises only when the token is refused or monday cannot be reached.
    """
    headers = _Headers()
    hooks = connection.http.event_hooks
    hooks.setdefault("response", []).append(headers)
    connection.http.event_hooks = hooks
    try:
        return _diagnose(connection.client, desired, headers, connection.description, project)
    finally:
        responses = connection.http.event_hooks.get("response", [])
        if headers in responses:
            responses.remove(headers)


def _diagnose(
    client: MondayClient,
    desired: DesiredState | None,
    headers: _Headers,
    backend: str,
    project: ProjectConfig | None = None,
) -> DoctorReport:
    reader = _Reader(client)
    facts: dict[str, JSONValue] = {}
    checks: list[Check] = []
    daily_spent = False
    try:
        checks.append(_version(reader, headers, client.api_version, facts))
        account = _account(reader, facts)
        checks.extend(_account_checks(reader, account))
        workspaces = _workspaces(reader)
        boards = _status_boards(reader)
        daily = _daily(reader)
    except DailyLimitExceeded as error:
        daily_spent = True
        facts["daily_limit_spent"] = True
        checks.append(Check("budget/day", "blocker", _short(str(error))))
        account = _Account(None, None, None, None, None, None)
        workspaces, boards, daily = None, None, None
    if not daily_spent:
        checks.extend(_budget_checks(reader, headers, daily, facts))
        checks.append(_main_workspace(reader, workspaces, boards, facts))
        checks.append(_status_colours(reader, boards, facts))
        checks.append(_read_scope(reader, project, workspaces))
    if desired is not None:
        checks.extend(_manifest_checks(desired, account, workspaces))
    elif account.read_only_user:
        checks.append(
            Check("token", "warning", "no manifest given; this user can create no boards")
        )
    return DoctorReport(backend=backend, facts=facts, checks=tuple(checks))


def _version(
    reader: _Reader, headers: _Headers, requested: str, facts: dict[str, JSONValue]
) -> Check:
    data = reader.read("version", ops.VERSION)
    value = _text(data, "version.value")
    kind = _text(data, "version.kind")
    facts["api_version"] = {
        "requested": requested,
        "served": value,
        "kind": kind,
        "header": headers.api_version,
    }
    if value is None:
        reason = reader.refused.get("version", "no version in the answer")
        return Check("api version", "warning", f"unknown ({reason}); asked for {requested}")
    header = (
        f"; the API-Version header says {headers.api_version}"
        if headers.api_version
        else "; no API-Version header"
    )
    message = f"{value} ({kind or 'kind unknown'}){header}"
    if value != requested:
        return Check("api version", "warning", f"{message}; boardops asked for {requested}")
    if kind not in (None, "current", "maintenance", "release_candidate"):
        return Check("api version", "warning", f"{message}; move to the current version")
    return Check("api version", "ok", message)


def _account(reader: _Reader, facts: dict[str, JSONValue]) -> _Account:
    data = reader.read("account", ops.DOCTOR_ACCOUNT)
    if data is None or _text(data, "me.id") is None:
        # An API without ``me.account`` (or ``me.kind``) still says who the token is.
        data = reader.read("me", ops.ME)
    max_users = _field(data, "me.account.plan.max_users", int)
    account = _Account(
        user_id=_text(data, "me.id"),
        user_kind=_text(data, "me.kind"),
        tier=_text(data, "me.account.tier"),
        plan_tier=_text(data, "me.account.plan.tier"),
        max_users=max_users,
        week_start=_text(data, "me.account.first_day_of_the_week"),
    )
    facts["token"] = {"user_id": account.user_id, "user_kind": account.user_kind}
    facts["account"] = {
        "tier": account.tier,
        "plan_tier": account.plan_tier,
        "max_users": account.max_users,
        "first_day_of_the_week": account.week_start,
    }
    return account


def _account_checks(reader: _Reader, account: _Account) -> list[Check]:
    refused = reader.refused.get("account")
    if account.user_id is None:
        why = reader.refused.get("me", refused)
        return [Check("token", "warning", f"who the token acts for is unknown ({why})")]
    kind = account.user_kind or "kind unknown"
    token = (
        Check("token", "warning", f"acts as user {account.user_id} ({kind}): it can create nothing")
        if account.read_only_user
        else Check("token", "ok", f"acts as user {account.user_id} ({kind})")
    )
    if account.tier is None and account.plan_tier is None:
        why = f" ({refused})" if refused else ""
        return [token, Check("account tier", "info", f"unknown{why}")]
    plan = f"plan {account.plan_tier or 'unknown'}"
    if account.max_users is not None:
        plan += f", up to {account.max_users} users"
    week = f"; weeks start on {account.week_start}" if account.week_start else ""
    return [token, Check("account tier", "info", f"{account.tier or 'unknown'} ({plan}){week}")]


@dataclass(frozen=True)
class _Daily:
    limit: int | None
    used_today: int | None


def _daily(reader: _Reader) -> _Daily:
    data = reader.read("daily", ops.DOCTOR_DAILY_LIMIT)
    limit, used = daily_usage(data or {}, datetime.now(timezone.utc).date())
    return _Daily(limit=limit, used_today=used)


def _budget_checks(
    reader: _Reader, headers: _Headers, daily: _Daily | None, facts: dict[str, JSONValue]
) -> list[Check]:
    remaining = parse_rate_limit_header(headers.rate_limit)
    quotas = parse_rate_limit_policy(headers.rate_limit_policy)
    complexity = reader.complexity
    minute: dict[str, JSONValue] = {
        "complexity_left": complexity.after if complexity else None,
        "complexity_reset_in_seconds": complexity.reset_in_seconds if complexity else None,
        "complexity_quota": quotas.get("complexityMinute"),
        "requests_left": remaining["minuteRate"].remaining if "minuteRate" in remaining else None,
        "requests_quota": quotas.get("minuteRate"),
    }
    day: dict[str, JSONValue] = {
        "limit": daily.limit if daily else None,
        "used_today": daily.used_today if daily else None,
        "left": (
            daily.limit - daily.used_today
            if daily and daily.limit is not None and daily.used_today is not None
            else None
        ),
    }
    facts["budget"] = {"minute": minute, "day": day}

    parts = []
    if complexity is not None:
        of = f" of {quotas['complexityMinute']:,}" if "complexityMinute" in quotas else ""
        parts.append(
            f"{complexity.after:,}{of} complexity points left "
            f"(resets in {complexity.reset_in_seconds:g} s)"
        )
    if minute["requests_left"] is not None:
        of = f" of {quotas['minuteRate']:,}" if "minuteRate" in quotas else ""
        parts.append(f"{minute['requests_left']:,}{of} requests left")
    checks = [
        Check("budget/minute", "info", "; ".join(parts) if parts else "unknown (not reported)")
    ]
    if day["left"] is not None and day["limit"] is not None:
        left = int(str(day["left"]))
        severity: Severity = "blocker" if left <= 0 else "ok"
        message = f"{left:,} of {int(str(day['limit'])):,} calls left today (UTC)"
        if left <= 0:
            message += "; the daily limit is spent until midnight UTC"
        checks.append(Check("budget/day", severity, message))
    elif day["limit"] is not None:
        checks.append(
            Check("budget/day", "info", f"limit {day['limit']:,} calls; today's use unknown")
        )
    else:
        reason = reader.refused.get("daily", "not reported")
        checks.append(Check("budget/day", "info", f"unknown ({reason})"))
    return checks


@dataclass(frozen=True)
class _LiveWorkspace:
    id: str | None
    name: str
    kind: str | None
    is_default: bool


def _workspaces(reader: _Reader) -> list[_LiveWorkspace] | None:
    found: list[_LiveWorkspace] = []
    for page in range(1, WORKSPACE_PAGE_LIMIT + 1):
        data = reader.read(
            "workspaces", ops.DOCTOR_WORKSPACES, {"limit": WORKSPACE_PAGE_SIZE, "page": page}
        )
        if data is None:
            return None
        rows = _objects(data, "workspaces")
        for row in rows:
            name = row.get("name")
            raw_id = row.get("id")
            found.append(
                _LiveWorkspace(
                    id=None if raw_id is None else str(raw_id),
                    name=str(name) if name is not None else "",
                    kind=None if row.get("kind") is None else str(row.get("kind")),
                    is_default=row.get("is_default_workspace") is True,
                )
            )
        if len(rows) < WORKSPACE_PAGE_SIZE:
            break
    return found


def _status_boards(reader: _Reader) -> list[Mapping[str, Any]] | None:
    data = reader.read("boards", ops.DOCTOR_STATUS_SETTINGS, {"limit": STATUS_BOARDS_LIMIT})
    if data is None:
        return None
    return [
        board
        for board in _objects(data, "boards")
        if board.get("type") in (None, "board")  # subitem boards and documents aside
    ]


def _main_workspace(
    reader: _Reader,
    workspaces: Sequence[_LiveWorkspace] | None,
    boards: Sequence[Mapping[str, Any]] | None,
    facts: dict[str, JSONValue],
) -> Check:
    if workspaces is None:
        reason = reader.refused.get("workspaces", "not read")
        facts["main_workspace"] = {"reported_as": "unknown"}
        return Check("main workspace", "info", f"unknown ({reason})")
    default = next((w for w in workspaces if w.is_default), None)
    null_boards = sum(1 for board in boards or () if board.get("workspace_id") is None)
    boards_note = (
        f"; {null_boards} visible board(s) report workspace_id null" if null_boards else ""
    )
    if default is None:
        facts["main_workspace"] = {"reported_as": "not listed", "id": None}
        return Check(
            "main workspace",
            "info",
            "not listed by `workspaces` (no is_default_workspace); boards in it report "
            f"workspace_id null, as documented{boards_note}",
        )
    if default.id is None:
        facts["main_workspace"] = {"reported_as": "null id", "id": None}
        return Check(
            "main workspace",
            "info",
            f"listed as {default.name!r} with a null id{boards_note}",
        )
    facts["main_workspace"] = {"reported_as": "real id", "id": default.id}
    return Check(
        "main workspace",
        "info",
        f"listed as {default.name!r} with a real id ({default.id}); boardops treats that id "
        f"and null alike{boards_note}",
    )


def colour_form(settings: object) -> str | None:
    """How one status column's settings spell label colours: "names", "numbers", "mixed",
    or None when they hold no colours at all."""
    found = settings_object(settings)
    if found is None:
        return None
    labels = found.get("labels")
    colours: list[object] = []
    if isinstance(labels, list):
        colours = [lb.get("color") for lb in labels if isinstance(lb, Mapping)]
    colours = [c for c in colours if c is not None]
    if not colours:
        return None
    numeric = [
        (isinstance(c, int) and not isinstance(c, bool)) or (isinstance(c, str) and c.isdigit())
        for c in colours
    ]
    if all(numeric):
        return "numbers"
    if not any(numeric):
        return "names"
    return "mixed"


def _status_colours(
    reader: _Reader, boards: Sequence[Mapping[str, Any]] | None, facts: dict[str, JSONValue]
) -> Check:
    if boards is None:
        facts["status_colours"] = "unknown"
        return Check(
            "status colours", "info", f"unknown ({reader.refused.get('boards', 'not read')})"
        )
    for board in boards:
        for column in board.get("columns") or ():
            if not isinstance(column, Mapping):
                continue
            form = colour_form(column.get("settings"))
            if form is None:
                continue
            facts["status_colours"] = form
            where = f"status column {column.get('id')} of board {board.get('id')}"
            return Check("status colours", "info", f"{form} (read from {where})")
    facts["status_colours"] = "unknown"
    return Check("status colours", "info", "unknown (no status column on a board the token sees)")


# --- read scope -----------------------------------------------------------------------------

SCOPE_BOARD_PAGE_LIMIT = 20  # 2,000 boards counted; more are reported as "at least"


def _read_scope(
    reader: _Reader, project: ProjectConfig | None, workspaces: Sequence[_LiveWorkspace] | None
) -> Check:
    """Whether the token sees more than the project's read scope (``boardops.scope``):
    the workspaces outside it by count and name, the boards outside it by count; never
    anything they hold."""
    scope = ScopeCheck.of(project)
    if scope is None:
        where = (
            f"no project configuration ({PROJECT_FILE_NAME})"
            if project is None
            else f"{project.path} declares no scope"
        )
        return Check(
            "read scope",
            "warning",
            f"not enforced: {where}; plan, drift, describe and export read any board this "
            "token sees",
        )
    if workspaces is None:
        why = reader.refused.get("workspaces", "not read")
        return Check("read scope", "info", f"workspaces could not be listed ({why})")
    outside = [
        w.name for w in workspaces if not scope.workspace_in_scope(w.id, w.name, main=w.is_default)
    ]
    boards, complete = _boards_outside(reader, scope, workspaces)
    parts = []
    if outside:
        names = ", ".join(repr(name) for name in sorted(outside))
        parts.append(f"{len(outside)} workspace(s) ({names})")
    if boards:
        parts.append(f"{'' if complete else 'at least '}{boards} board(s)")
    if not parts:
        return Check("read scope", "ok", f"the token sees nothing outside {scope.source}")
    return Check(
        "read scope",
        "warning",
        f"the token sees {' and '.join(parts)} outside the scope of {scope.source} (refused "
        "there, but readable with this token elsewhere): give boardops a monday user whose "
        "membership is limited to the managed workspaces",
    )


def _boards_outside(
    reader: _Reader, scope: ScopeCheck, workspaces: Sequence[_LiveWorkspace]
) -> tuple[int, bool]:
    """How many boards the token sees outside the scope (and whether all were counted)."""
    names = {w.id: w.name for w in workspaces if w.id is not None}
    main_ids = {w.id for w in workspaces if w.is_default}
    count = 0
    for page in range(1, SCOPE_BOARD_PAGE_LIMIT + 1):
        data = reader.read(
            "scope boards",
            ops.BOARDS_PAGE,
            {"limit": WORKSPACE_PAGE_SIZE, "page": page, "state": "active"},
        )
        rows = _objects(data, "boards")
        for row in rows:
            if row.get("type") not in (None, "board"):
                continue
            raw_id, raw_workspace = row.get("id"), row.get("workspace_id")
            workspace_id = None if raw_workspace is None else str(raw_workspace)
            main = workspace_id is None or workspace_id in main_ids
            if not scope.board_in_scope(
                None if raw_id is None else str(raw_id),
                _text(row, "name"),
                workspace_id=workspace_id,
                workspace_name=names.get(workspace_id or ""),
                main=main,
            ):
                count += 1
        if data is None or len(rows) < WORKSPACE_PAGE_SIZE:
            return count, data is not None
    return count, False


# --- manifests ----------------------------------------------------------------------------


def _manifest_checks(
    desired: DesiredState, account: _Account, workspaces: Sequence[_LiveWorkspace] | None
) -> list[Check]:
    checks: list[Check] = []
    user = f"user {account.user_id} is {account.user_kind}"
    enterprise = any(CLOSED_WORKSPACE_TIER in tier for tier in account.tiers)
    tier_known = bool(account.tiers)

    for workspace in desired.workspaces:
        address = workspace_address(workspace.key)
        live = _find_workspace(workspaces, workspace.id, workspace.name, workspace.previous_names)
        if workspaces is None:
            checks.append(Check(address, "warning", "workspaces could not be listed"))
            continue
        if live is None and workspace.id is not None:
            checks.append(
                Check(
                    address,
                    "blocker",
                    f"workspace id {workspace.id} is not visible to this token (closed "
                    "workspaces are visible to their members only)",
                )
            )
            continue
        wants_closed = workspace.kind == "closed" and (live is None or live.kind != "closed")
        if wants_closed and tier_known and not enterprise:
            checks.append(
                Check(
                    address,
                    "blocker",
                    "kind: closed needs an Enterprise account; this one is "
                    f"{', '.join(account.tiers)}",
                )
            )
            continue
        if live is None and account.read_only_user:
            checks.append(Check(address, "blocker", f"cannot create the workspace: {user}"))
            continue
        if wants_closed and not tier_known:
            checks.append(
                Check(
                    address,
                    "warning",
                    "kind: closed needs an Enterprise account; the tier is unknown",
                )
            )
            continue
        if live is None:
            checks.append(Check(address, "ok", f"will be created ({workspace.kind})"))
        else:
            checks.append(
                Check(address, "ok", f"exists (id {live.id}, {live.kind or 'kind unknown'})")
            )

    for board in desired.boards:
        address = board_address(board.key)
        if board.workspace_id is not None and board.workspace is None:
            live = _find_workspace(workspaces, board.workspace_id, None)
            if workspaces is not None and live is None:
                checks.append(
                    Check(
                        address,
                        "blocker",
                        f"workspace id {board.workspace_id} is not visible to this token "
                        "(closed workspaces are visible to their members only)",
                    )
                )
                continue
        if board.id is None and account.read_only_user:
            checks.append(
                Check(address, "blocker", f"cannot create the board if it is missing: {user}")
            )
    if not desired.workspaces and not desired.boards:
        checks.append(Check("manifests", "info", "no workspaces or boards declared"))
    elif not any(check.severity == "blocker" for check in checks):
        checks.append(
            Check(
                "manifests",
                "ok",
                f"nothing blocks {len(desired.workspaces)} workspace(s) and "
                f"{len(desired.boards)} board(s) for this token",
            )
        )
    return checks


def _find_workspace(
    workspaces: Sequence[_LiveWorkspace] | None,
    pinned_id: str | None,
    name: str | None,
    previous_names: Sequence[str] = (),
) -> _LiveWorkspace | None:
    if workspaces is None:
        return None
    if pinned_id is not None:
        return next((w for w in workspaces if w.id == pinned_id), None)
    for names in ((name,), previous_names):
        found = next((w for w in workspaces if w.name in names), None)
        if found is not None:
            return found
    return None


# --- views --------------------------------------------------------------------------------


def render_json(data: Mapping[str, JSONValue]) -> str:
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def render_text(data: Mapping[str, Any]) -> str:
    checks = data["checks"]
    width = max([len(check["name"]) for check in checks] + [10])
    lines = [f"boardops doctor: {data['backend']}", ""]
    for check in checks:
        lines.append(
            f"  {check['severity']:<8} {printable(check['name']):<{width}}  "
            f"{printable(check['message'])}"
        )
    lines.append("")
    blockers = data["blockers"]
    if not blockers:
        lines.append("Nothing blocks an apply.")
    else:
        lines.append(f"{len(blockers)} blocker(s): an apply would fail:")
        lines.extend(
            f"blocker: {printable(check['name'])}: {printable(check['message'])}"
            for check in blockers
        )
    return "\n".join(lines) + "\n"
