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

Profiles (``profiles.py``; ``Sandbox(profile="docs"|"recorded")``, ``open_sandbox(path,
profile=...)``, CLI ``--sandbox-profile``, env ``BOARDOPS_SANDBOX_PROFILE``). ``docs``, the
default, answers as monday's documentation says; ``recorded`` as recorded real accounts do
(``monday-recorded-behaviour.md``). A state file keeps the profile it was created with;
opening it with another one is an error (``ProfileMismatch``; ``boardops sandbox reset
--sandbox-profile NAME`` starts it again). Where they differ:

=======================  ===============================  ===============================
behaviour                docs                             recorded
=======================  ===============================  ===============================
account                  tier enterprise, week starts     tier standard, starts sunday
                         monday
users                    four active members              also a pending invitee, a
                                                          deactivated and a view-only user
status label ``color``   enum name, ``hex`` beside it     numeric colour id, ``hex`` beside
label ids (§2)           removed ids are forgotten        recolour keeps the id; removed
                                                          ids stay taken; a new label whose
                                                          colour id is taken (or 5) rejects
                                                          the whole update_status_column
main workspace (§3)      not listed; boards report null   "Main workspace" (10136488), open,
                                                          is_default_workspace; new boards
                                                          report its id
group colours (§4)       any hex; update_group takes hex  create_group: one of the 19
                                                          palette hexes; update_group: a
                                                          colour name (boardops.palette)
people values (§5)       any existing user or team        board subscribers only (directly
                                                          or via a subscribed team); never
                                                          pending/inactive/view-only users
                                                          (ColumnValueException, error_data
                                                          error_code invalidPersonAssignment)
week values              any dates                        start on the account's first day
                                                          of the week, seven days long
closed workspaces        created                          enterprise accounts only
colour picker            ``{"color": {"hex"}}`` only      RGB ``{"r", "g", "b"}`` too,
                                                          stored as RGB without ``hex``
email ``any_of``         matches the address              the displayed text when set
board listings           boards, and the subitems boards  each new board comes with a
                         their first subitem (or          "Subitems of <name>" board of type
                         subtasks column) made            ``sub_items_board``, which the
                                                          subtasks column then names
stale column revision    InvalidColumnRevisionException   REVISION_MISMATCH "Board revision
                         (409, current_revision)          mismatch" (409, no error_data)
phone values             any string                       valid for the country
                                                          (phonenumbers)
=======================  ===============================  ===============================

Both profiles: ``account``, ``users { status kind }`` (listing ACTIVE and PENDING users
unless ``status``/``non_active`` say otherwise), ``teams``, ``Board.subscribers``/
``team_subscribers``, ``add_users_to_board``/``add_teams_to_board`` and board-scoped tags
for private/shareable boards (``resolvers/tags.py``), workspace folders (``folders``,
``create_folder``/``update_folder``/``delete_folder``, a board's ``board_folder_id``,
``update_board_hierarchy(folder_id)``; ``resolvers/folders.py``; the main workspace's are
reported under its id as the profile reports it), item nicknames
(``create_board(item_nickname:)``, ``update_board`` item_nickname, read back as
``item_terminology``) and subitems (``resolvers/subitems.py``: ``create_subitem``,
``create_column(column_type: subtasks)``, ``Item.subitems``/``parent_item``, the read-only
subtasks column answered as ``SubtasksValue``). Tests: ``Sandbox.set_account(tier=...,
first_day_of_the_week=...)`` changes the account; ``seed_drifted_board(sandbox)``
(``seeds.py``) makes a board whose label ids and colours have drifted apart.
"""

from __future__ import annotations

from boardops.sandbox.core import Outcome, Response, Sandbox, open_sandbox
from boardops.sandbox.executor import Counters
from boardops.sandbox.faults import Faults, ScheduledFault
from boardops.sandbox.limits import Limits
from boardops.sandbox.profiles import PROFILE_NAMES, Profile, ProfileMismatch, ProfileName
from boardops.sandbox.seeds import DriftedBoard, seed_drifted_board
from boardops.sandbox.state import SEEDED_USERS, StateView
from boardops.sandbox.writes import BoardWrite

DEFAULT_STATE_FILE = ".boardops/sandbox.json"
BASE_URL = "https://api.monday.com/v2"

__all__ = [
    "BASE_URL",
    "DEFAULT_STATE_FILE",
    "PROFILE_NAMES",
    "SEEDED_USERS",
    "BoardWrite",
    "Counters",
    "DriftedBoard",
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
    "seed_drifted_board",
]
