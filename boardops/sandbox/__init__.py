"""The sandbox: a local emulator of monday.com's GraphQL API (version 2026-10).

It is the embedded backend of ``--sandbox``, the backend of the behaviour tests and the
target of the benchmarks. Three ways in::

    sandbox = Sandbox()                          # in memory; Sandbox(path) keeps a file
    client = httpx.Client(transport=sandbox.transport(), base_url="https://api.monday.com/v2")
    server = sandbox.serve("127.0.0.1", 0)       # real HTTP; server.url, server.close()
    sandbox = open_sandbox(Path(".boardops/sandbox.json"))   # the CLI's --sandbox FILE

Any non-empty ``Authorization`` header acts as the seeded user Alice (10000001); without
one the answer is HTTP 401. ``API-Version`` is echoed back. ``sandbox.counters`` counts
requests, mutations and root fields (also ``GET /sandbox/counters`` and
``POST /sandbox/counters/reset``); ``sandbox.state`` is a read-only view of the data;
``sandbox.faults = Faults(...)`` switches fault injection (syntax in ``faults.py``; over
HTTP: ``POST /sandbox/faults`` with a spec). ``Limits`` (``limits.py``) sets every limit
and documents the complexity cost model.

Column values: clients write the "write" form (in ``column_values``, a JSON object keyed
by column id, as a string or a variable); the sandbox stores and returns the "stored" form
as ``ColumnValue.value`` (a JSON-encoded string, null when empty) and derives
``ColumnValue.text``:

===========  ============================================  ==================
type         write form                                    ``text``
===========  ============================================  ==================
text         ``"hello"`` (stored the same)                 hello
long_text    ``{"text": "a\\nb"}`` or a plain string        the text
numbers      ``"42.5"`` or a number (stored as a string)   42.5
status       ``{"index": 1}`` or ``{"label": "Done"}``     the label or ""
dropdown     ``{"ids": [1, 2]}`` or ``{"labels": [..]}``   A, B
date         ``{"date": "2026-12-01", "time": "09:30:00"}``  2026-12-01 09:30
people       ``{"personsAndTeams": [{"id", "kind"}]}``     names, ", "
email        ``{"email", "text"}``                         the email
link         ``{"url", "text"}`` (text defaults to url)    text - url
phone        ``{"phone", "countryShortName"}``             the phone
checkbox     ``{"checked": "true"}``                       v
timeline     ``{"from", "to"}``                            from - to
rating       ``{"rating": 4}``                             4
tags         ``{"tag_ids": [3, 7]}``                       tag names, ", "
country      ``{"countryCode", "countryName"}``            the country name
hour         ``{"hour": 9, "minute": 5}``                  09:05
week         ``{"week": {"startDate", "endDate"}}``        start - end
world_clock  ``{"timezone": "Europe/London"}``             the zone
location     ``{"lat", "lng", "address"}``                 the address
color_picker ``{"color": {"hex": "#ff0000"}}``             the hex
===========  ============================================  ==================

Stored forms equal the write forms except: status stores ``{"index": id}``, dropdown
``{"ids": [...]}``, long_text ``{"text": ...}``, numbers a string.

``null``, ``""`` or ``{}`` clears a value. An unknown status/dropdown label is a
``ColumnValueException`` unless ``create_labels_if_missing: true`` (a new status label
takes the first unused colour); so is a value of the wrong shape.
"""

from __future__ import annotations

from boardops.sandbox.core import Outcome, Response, Sandbox, open_sandbox
from boardops.sandbox.executor import Counters
from boardops.sandbox.faults import Faults, ScheduledFault
from boardops.sandbox.limits import Limits
from boardops.sandbox.profiles import PROFILE_NAMES, Profile, ProfileMismatch, ProfileName
from boardops.sandbox.state import SEEDED_USERS, StateView

DEFAULT_STATE_FILE = ".boardops/sandbox.json"
BASE_URL = "https://api.monday.com/v2"

__all__ = [
    "BASE_URL",
    "DEFAULT_STATE_FILE",
    "PROFILE_NAMES",
    "SEEDED_USERS",
    "Counters",
    "Faults",
    "Limits",
    "Outcome",
    "Profile",
    "ProfileMismatch",
    "ProfileName",
    "Response",
    "Sandbox",
    "ScheduledFault",
    "StateView",
    "open_sandbox",
]
