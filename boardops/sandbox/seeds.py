"""Ready-made situations for tests, built through the sandbox's own API.

``seed_drifted_board(sandbox)`` makes a "long-lived" board whose status label ids and
colours have drifted apart the way recorded real boards show (monday-recorded-behaviour.md
§2), by creating, removing, recolouring and deactivating labels with
``update_status_column``. Its status column ``status`` ends with:

=====  ===============  ==============  ====================================
id     label            colour (id)     how it got there
=====  ===============  ==============  ====================================
0      Working on it    working_orange  unchanged
7      Done             done_green (1)  created bright_blue (7), recoloured
11     Stuck            stuck_red (2)   created dark_red (11), recoloured
12     Review           sunset (101)    created sofia_pink (12), recoloured
4      Old              egg_yolk (9)    created purple (4), recoloured, deactivated
=====  ===============  ==============  ====================================

Ids 1, 2 (their colours are reused by 7 and 11) and 3 (``Dropped``, dark_blue) were
removed. Under the recorded profile removed ids stay taken, so adding a label coloured
bright_blue, dark_red, sofia_pink (ids of active labels), purple (a deactivated one),
dark_blue (a removed one) or explosive (5, the reserved default label) rejects the whole
update; grass_green (6), for one, is free. Under the docs profile the same calls work but
removed ids are forgotten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boardops.sandbox.core import Sandbox

DRIFTED_LABELS: tuple[tuple[int, str, str, bool], ...] = (
    (0, "Working on it", "working_orange", False),
    (7, "Done", "done_green", False),
    (11, "Stuck", "stuck_red", False),
    (12, "Review", "sunset", False),
    (4, "Old", "egg_yolk", True),
)
DRIFTED_REMOVED_IDS: tuple[int, ...] = (1, 2, 3)


@dataclass(frozen=True)
class DriftedBoard:
    board_id: str
    column_id: str
    revision: str  # the status column's current revision


_UPDATE = """
mutation($b: ID!, $r: String!, $s: UpdateStatusColumnSettingsInput!) {
  update_status_column(board_id: $b, id: "status", revision: $r, settings: $s) { revision }
}"""


def _run(sandbox: Sandbox, query: str, **variables: Any) -> dict[str, Any]:
    answer = sandbox.execute(query, variables)
    if answer.get("errors"):
        raise RuntimeError(f"seeding failed: {json.dumps(answer['errors'])}")
    data: dict[str, Any] = answer["data"]
    return data


def _labels(*entries: tuple[int | None, str, str, int, bool]) -> dict[str, Any]:
    labels = []
    for label_id, text, color, index, deactivated in entries:
        entry: dict[str, Any] = {"label": text, "color": color, "index": index}
        if label_id is not None:
            entry["id"] = label_id
        if deactivated:
            entry["is_deactivated"] = True
        labels.append(entry)
    return {"labels": labels}


def seed_drifted_board(
    sandbox: Sandbox,
    name: str = "Long-lived board",
    *,
    board_kind: str = "public",
    workspace_id: str | None = None,
) -> DriftedBoard:
    """A board whose status column ``status`` has the drifted labels of the module table."""
    board_id: str = _run(
        sandbox,
        "mutation($n: String!, $k: BoardKind!, $w: ID) {"
        " create_board(board_name: $n, board_kind: $k, workspace_id: $w) { id } }",
        n=name,
        k=board_kind,
        w=workspace_id,
    )["create_board"]["id"]
    created = _run(
        sandbox,
        "mutation($b: ID!, $d: CreateStatusColumnSettingsInput) { create_status_column("
        'board_id: $b, id: "status", title: "Status", defaults: $d) { revision } }',
        b=board_id,
        d={
            "labels": [
                {"label": "Working on it", "color": "working_orange", "index": 0},
                {"label": "Done", "color": "done_green", "index": 1},
                {"label": "Stuck", "color": "stuck_red", "index": 2},
                {"label": "Old", "color": "purple", "index": 3},
                {"label": "Dropped", "color": "dark_blue", "index": 4},
            ]
        },
    )
    revision: str = created["create_status_column"]["revision"]
    steps = (
        # remove Done (1), Stuck (2) and Dropped (3); add three labels whose ids are 7, 11, 12
        _labels(
            (0, "Working on it", "working_orange", 0, False),
            (None, "Done", "bright_blue", 1, False),
            (None, "Stuck", "dark_red", 2, False),
            (None, "Review", "sofia_pink", 3, False),
            (4, "Old", "purple", 4, False),
        ),
        # recolour them onto the freed colours, and retire Old
        _labels(
            (0, "Working on it", "working_orange", 0, False),
            (7, "Done", "done_green", 1, False),
            (11, "Stuck", "stuck_red", 2, False),
            (12, "Review", "sunset", 3, False),
            (4, "Old", "egg_yolk", 4, True),
        ),
    )
    for settings in steps:
        revision = _run(sandbox, _UPDATE, b=board_id, r=revision, s=settings)[
            "update_status_column"
        ]["revision"]
    return DriftedBoard(board_id, "status", revision)
