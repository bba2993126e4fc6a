"""boardops against a real account: every action type through `plan` and `apply`, every
managed column type written and read back, and `doctor` finding nothing in the way.

The scenario runs in order (each test builds on the one before): create everything, then
change every kind of thing at once, then bring back a removed dropdown label. After each
apply, a fresh plan must say "No changes": what boardops wrote is what it reads back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from boardops.codec import MANAGED_COLUMN_TYPES
from boardops.plan.actions import ACTION_TYPES
from tests.live.support import (
    LIVE_MARKS,
    LiveAccount,
    failures,
    planned_types,
    skip_module_unless_live,
    write_manifest,
)

pytestmark = LIVE_MARKS
skip_module_unless_live()

EXERCISED: set[str] = set()


def apply(account: LiveAccount, manifest: Path, *extra: str) -> list[str]:
    """Apply, insist nothing failed, then plan again: no changes. The types planned."""
    result = account.boardops("apply", str(manifest), "--auto-approve", "--format", "json", *extra)
    assert not failures(result.stdout), result.stdout
    types = planned_types(result.stdout)
    EXERCISED.update(types)
    assert_no_changes(account, manifest)
    return types


def assert_no_changes(account: LiveAccount, manifest: Path) -> None:
    again = account.boardops("plan", str(manifest), "--detailed-exitcode", expect=None)
    assert again.exit_code == 0, f"the second plan is not empty:\n{again.stdout}{again.stderr}"
    assert "No changes" in again.stdout


def scenario(account: LiveAccount, step: int, other: str | None = None) -> str:
    """The scenario's manifest at each step (1: create, 2: change all, 3: reactivate).

    ``other``: the email of a member of the account other than the token's user, who the
    items assign from step 2 on (so the board subscribes them first)."""
    p = account.prefix
    ws_description = "boardops acceptance" if step == 1 else "boardops acceptance, changed"
    board_name = f"{p} tracker" if step == 1 else f"{p} tracker 2"
    status_labels = (
        "[{label: Todo, color: working_orange}, {label: Done, color: done_green}, "
        "{label: Stuck, color: stuck_red}, {label: Blocked, color: purple}]"
        if step == 1
        else "[{label: To do, color: working_orange, previous_labels: [Todo]}, "
        "{label: Stuck, color: dark_red}, {label: Done, color: done_green}, "
        "{label: Review, color: bright_blue}]"
    )
    dropdown_labels = {
        1: "[Backend, Frontend, Ops]",
        2: "[Backend, {label: Web, previous_labels: [Frontend]}, Data]",
        3: "[Backend, Web, Data, Ops]",
    }[step]
    notes = "{id: notes, title: Notes, type: text}"
    if step > 1:
        notes = "{id: notes, title: Remarks, type: text, previous_titles: [Notes]}"
    # No pinned id: monday never reuses a deleted column's id, so a replaced column is
    # found again by its title.
    score = "{title: Score, type: " + ("text}" if step == 1 else "numbers}")
    extra = "\n      - {id: extra, title: Extra, type: text}" if step == 1 else ""
    # Column settings and width: created with the column, then changed path by path.
    symbol, width = ("$", 140) if step == 1 else ("€", 160)
    amount = (
        "{id: amount, title: Amount, type: numbers, "
        f'settings: {{unit: {{symbol: "{symbol}", direction: left}}}}, width: {width}}}'
    )
    groups = (
        "[{key: todo, title: To do, color: '#579bfc'}, {key: doing, title: Doing}, "
        "{key: done, title: Done}, {key: old, title: Old}]"
        if step == 1
        else "[{key: todo, title: To do, color: '#579bfc'}, {key: done, title: Done}, "
        "{key: doing, title: In progress, previous_titles: [Doing], color: '#fdab3d'}]"
    )
    rows = (
        """
        - {name: One, group: todo, values: {ext_id: A-1, state: Todo, area: Backend}}
        - {name: Two, group: todo, values: {ext_id: A-2, state: Stuck}}
        - {name: Three, group: doing, values: {ext_id: A-3}}"""
        if step == 1
        else """
        - {name: One, group: todo, values: {ext_id: A-1, state: To do, area: Data%s}}
        - {name: Two, group: doing, values: {ext_id: A-2, state: Stuck}}"""
        % ("" if other is None else f", owner: {other}")
    )
    return f"""version: 1
workspaces:
  - {{key: acc, name: "{p} plan", description: "{ws_description}"}}
boards:
  - name: "{board_name}"
    key: tracker
    previous_names: ["{p} tracker"]
    workspace: acc
    description: "{"first" if step == 1 else "changed"}"
    prune: true
    columns:
      - {{id: ext_id, title: Ticket, type: text}}
      - {{id: state, title: State, type: status, labels: {status_labels}}}
      - {{id: area, title: Area, type: dropdown, labels: {dropdown_labels}}}
      - {{id: owner, title: Owner, type: people}}
      - {amount}
      - {notes}
      - {score}{extra}
    groups: {groups}
    items:
      match_by: ext_id
      prune: true
      rows:{rows}
"""


@pytest.fixture(scope="module")
def other(account: LiveAccount) -> str | None:
    """An active member of the account other than the token's user (None: there is none)."""
    me = str(account.client.me()["id"])
    users = account.query("query { users(kind: non_guests) { id email status } }")["users"]
    emails = [u["email"] for u in users if str(u["id"]) != me and u.get("status") == "ACTIVE"]
    return min(emails) if emails else None


def test_1_a_new_workspace_board_columns_groups_and_items_are_created(
    account: LiveAccount, manifests: Path
) -> None:
    manifest = write_manifest(manifests, "scenario.yaml", scenario(account, 1))
    types = apply(account, manifest, "--allow-destroy")
    for kind in ("CreateWorkspace", "CreateBoard", "CreateColumn", "CreateGroup", "CreateItem"):
        assert kind in types


def test_2_every_kind_of_change_applies_in_one_run(
    account: LiveAccount, manifests: Path, other: str | None
) -> None:
    manifest = write_manifest(manifests, "scenario.yaml", scenario(account, 2, other))
    refused = account.boardops("apply", str(manifest), "--auto-approve", expect=1)
    assert "--allow-destroy" in refused.stderr  # nothing destructive without consent
    types = apply(account, manifest, "--allow-destroy")
    for kind in (
        "UpdateWorkspace",
        "UpdateBoard",
        "UpdateColumn",
        "UpdateColumnSettings",
        "ReplaceColumn",
        "DeleteColumn",
        "AddStatusLabel",
        "RenameStatusLabel",
        "UpdateStatusLabel",
        "DeactivateStatusLabel",
        "AddDropdownLabel",
        "RenameDropdownLabel",
        "DeactivateDropdownLabel",
        "ReorderLabels",
        "UpdateGroup",
        "MoveGroup",
        "ArchiveGroup",
        "UpdateItem",
        "MoveItem",
        "ArchiveItem",
        *(() if other is None else ("AddBoardSubscribers",)),
    ):
        assert kind in types, f"{kind} not planned: {types}"


def test_3_a_removed_dropdown_label_comes_back(
    account: LiveAccount, manifests: Path, other: str | None
) -> None:
    manifest = write_manifest(manifests, "scenario.yaml", scenario(account, 3, other))
    assert apply(account, manifest) == ["ReactivateDropdownLabel"]


def access_manifest(account: LiveAccount, me: str, other: str | None, step: int) -> str:
    """A workspace and a board whose access the manifest declares (README, Access): step 1
    adds ``other`` as a board owner and a workspace member, with the role contributor;
    step 2 prunes them away again and makes the board read-only."""
    p = account.prefix
    people = [me] if other is None or step == 2 else [me, other]
    members = "[]" if other is None or step == 2 else f"[{other}]"
    role = "contributor" if step == 1 else "viewer"
    return f"""version: 1
workspaces:
  - name: "{p} access"
    key: access
    owners: [{me}]
    members: {members}
    prune: {"true" if step == 2 else "false"}
boards:
  - name: "{p} access board"
    key: access-board
    workspace: access
    owners: [{", ".join(people)}]
    subscribers: []
    role: {role}
    prune: {"true" if step == 2 else "false"}
    groups: [{{key: topics, title: Group Title}}]
"""


def test_3b_owners_members_and_role_are_added_changed_and_pruned(
    account: LiveAccount, manifests: Path, other: str | None
) -> None:
    me: str = account.client.me()["email"]
    manifest = write_manifest(manifests, "access.yaml", access_manifest(account, me, other, 1))
    types = apply(account, manifest)
    assert "SetBoardRole" in types
    if other is not None:
        assert {"AddBoardOwners", "AddWorkspaceMembers"} <= set(types)
    manifest.write_text(access_manifest(account, me, other, 2), encoding="utf-8")
    types = apply(account, manifest, "--allow-destroy")
    assert "SetBoardRole" in types
    if other is not None:
        assert {"RemoveBoardMembers", "RemoveWorkspaceMembers"} <= set(types)


def placement(account: LiveAccount, step: int) -> str:
    """Folders and a board placed in one (1: create; 2: rename, recolour, move the board,
    call items otherwise, prune the empty folder)."""
    p = account.prefix
    folders = (
        "[{name: Clients, color: bright_blue, folders: [{name: Active}]}, {name: Spare}]"
        if step == 1
        else "[{name: Customers, previous_names: [Clients], color: sunset, "
        "folders: [{name: Active}, {name: Lost}]}]"
    )
    word = "Deal" if step == 1 else "Lead"
    return f"""version: 1
workspaces:
  - {{key: places, name: "{p} places", prune: true, folders: {folders}}}
boards:
  - name: "{p} deals"
    key: deals
    workspace: places
    folder: {"Clients/Active" if step == 1 else "Customers/Lost"}
    item_nickname: {{singular: {word}, plural: {word}s}}
    columns:
      - {{id: stage, title: Stage, type: text}}
    items:
      rows:
        - {{name: Acme, values: {{stage: won}}}}
"""


def test_3b_folders_and_placement_are_created_then_changed_in_place(
    account: LiveAccount, manifests: Path
) -> None:
    manifest = write_manifest(manifests, "placement.yaml", placement(account, 1))
    types = apply(account, manifest)
    for kind in ("CreateWorkspace", "CreateFolder", "CreateBoard"):
        assert kind in types
    manifest = write_manifest(manifests, "placement.yaml", placement(account, 2))
    types = apply(account, manifest, "--allow-destroy")
    for kind in ("UpdateFolder", "CreateFolder", "DeleteFolder", "MoveBoard", "UpdateBoard"):
        assert kind in types, f"{kind} not planned: {types}"
    assert "CreateBoard" not in types  # a move, never a copy


def links_manifest(account: LiveAccount, follow_up: str) -> str:
    """Two boards linking each other both ways by key, and a dependency on one board."""
    p = account.prefix
    return f"""version: 1
boards:
  - name: "{p} linked accounts"
    key: accounts
    workspace: {{id: "{account.workspace_id}"}}
    columns:
      - {{id: code, title: Code, type: text}}
      - {{id: deals, title: Deals, type: board_relation, boards: [deals]}}
    items:
      match_by: [code]
      rows:
        - {{name: Acme, values: {{code: A-1, deals: [Big deal]}}}}
        - {{name: Beta, values: {{code: A-2}}}}
  - name: "{p} linked deals"
    key: deals
    workspace: {{id: "{account.workspace_id}"}}
    columns:
      - {{id: account, title: Account, type: board_relation, boards: [accounts]}}
      - {{id: after, title: After, type: dependency}}
    items:
      rows:
        - {{name: Big deal, values: {{account: A-1}}}}
        - {{name: Follow-up, values: {{account: [{follow_up}], after: [Big deal]}}}}
"""


def test_3c_boards_link_items_by_key_both_ways(account: LiveAccount, manifests: Path) -> None:
    manifest = write_manifest(manifests, "links.yaml", links_manifest(account, "A-1"))
    assert "SetItemLinks" in apply(account, manifest)
    manifest.write_text(links_manifest(account, "A-1, A-2"), encoding="utf-8")
    assert apply(account, manifest) == ["UpdateItem"]


def subitems_manifest(account: LiveAccount, step: int) -> str:
    """A board with subitems (step 1: made; step 2: one changed, one pruned)."""
    stage = "Won" if step == 2 else "Open"
    extra = "" if step == 2 else "\n            - {name: Contract}"
    return f"""version: 1
boards:
  - name: "{account.prefix} subitem deals"
    workspace: {{id: "{account.workspace_id}"}}
    columns:
      - {{id: ref, title: Ref, type: text}}
    subitems:
      prune: true
      columns:
        - {{id: stage, title: Stage, type: status, labels: [Open, Won]}}
        - {{id: note, title: Note, type: text}}
    items:
      match_by: ref
      rows:
        - name: Acme
          values: {{ref: D-1}}
          subitems:
            - {{name: Call, values: {{stage: {stage}, note: ask for the budget}}}}{extra}
        - {{name: Globex, values: {{ref: D-2}}, subitems: [{{name: Kickoff}}]}}
"""


def test_3d_subitems_are_created_changed_pruned_and_exported(
    account: LiveAccount, manifests: Path
) -> None:
    manifest = write_manifest(manifests, "deals.yaml", subitems_manifest(account, 1))
    types = apply(account, manifest)
    assert {"CreateSubitemsBoard", "CreateSubitem"} <= set(types)
    manifest = write_manifest(manifests, "deals.yaml", subitems_manifest(account, 2))
    assert sorted(apply(account, manifest, "--allow-destroy")) == ["ArchiveItem", "UpdateItem"]
    exported = manifests / "exported.yaml"
    board = f"{account.prefix} subitem deals"
    account.boardops("export", "--board", board, "--items", "-o", str(exported))
    assert "subitems:" in exported.read_text(encoding="utf-8")
    assert_no_changes(account, exported)


def test_4_every_action_type_was_exercised(other: str | None) -> None:
    # An account with a single member has nobody to subscribe to a board.
    untestable = {"AddBoardSubscribers"} if other is None else set()
    # Nor anyone to make an owner or member of a board or workspace, and remove again.
    if other is None:
        untestable |= {
            "AddBoardOwners",
            "RemoveBoardMembers",
            "AddWorkspaceMembers",
            "RemoveWorkspaceMembers",
        }
    # A move needs a second scratch workspace on the account, adopting a board or
    # workspace one made by hand, and adopting an item a switch of match_by between runs;
    # all run against both sandbox profiles in tests/test_identity.py and
    # tests/test_match_by_migration.py.
    untestable |= {"MoveBoard", "AdoptBoard", "AdoptWorkspace", "AdoptItem"}
    # The acceptance manifests name no new tag here (the values test below does, outside
    # this count); CreateTag runs against both sandbox profiles in tests/test_apply_tags.py.
    untestable |= {"CreateTag"}
    missing = {t.__name__ for t in ACTION_TYPES} - EXERCISED - untestable
    assert sorted(missing) == []


# --- values: every managed column type, written and read back -------------------------------

VALUES = {
    "text": "hello",
    "long_text": "first line",
    "numbers": "42.5",
    "status": "Done",
    "dropdown": "[Backend]",
    "date": "2026-12-01",
    "people": "{me}",
    "email": "{{email: ana@example.com, text: Ana}}",
    "link": '{{url: "https://example.com/1", text: "#1"}}',
    "phone": '"+493012345678"',
    "checkbox": "true",
    "timeline": "{{from: 2026-12-01, to: 2026-12-12}}",
    "rating": "4",
    "tags": "[boardops-acc]",
    "country": '"NO"',
    "hour": '"09:30"',
    "week": '"2026-W48"',
    "world_clock": "Europe/London",
    "location": "{{lat: 52.52, lng: 13.4, address: Berlin}}",
    "color_picker": '"#ff0000"',
}
CHANGED = {
    **VALUES,
    "text": "hello again",
    "numbers": "7",
    "status": "Todo",
    "dropdown": "[Backend, Ops]",
    "date": "2026-12-24",
    "checkbox": "false",
    "rating": "2",
    "country": "Germany",
    "hour": '"17:45"',
    "week": '"2026-W50"',
    "color_picker": '"#00ff00"',
}


# Links name items of connected boards: test_3c_boards_link_items_by_key_both_ways.
LINK_VALUES = ("board_relation", "dependency")


def values_manifest(account: LiveAccount, values: dict[str, str], me: str) -> str:
    columns = []
    for kind in MANAGED_COLUMN_TYPES:
        if kind in LINK_VALUES:
            continue
        labels = ""
        if kind == "status":
            labels = ", labels: [Todo, Done]"
        elif kind == "dropdown":
            labels = ", labels: [Backend, Ops]"
        columns.append(f"      - {{id: c_{kind}, title: {kind}, type: {kind}{labels}}}")
    row = ", ".join(
        f"c_{kind}: {values[kind].format(me=me)}"
        for kind in MANAGED_COLUMN_TYPES
        if kind not in LINK_VALUES and values[kind] is not None
    )
    return f"""version: 1
boards:
  - name: "{account.prefix} values"
    key: values
    workspace: {{id: "{account.workspace_id}"}}
    columns:
{chr(10).join(columns)}
    items:
      rows:
        - {{name: Every type, values: {{{row}}}}}
"""


@pytest.fixture
def me(account: LiveAccount) -> str:
    email: str = account.client.me()["email"]
    return email


def test_every_managed_column_type_is_written_and_read_back(
    account: LiveAccount, manifests: Path, me: str
) -> None:
    assert set(VALUES) | set(LINK_VALUES) == set(MANAGED_COLUMN_TYPES)
    manifest = write_manifest(manifests, "values.yaml", values_manifest(account, VALUES, me))
    assert apply(account, manifest).count("CreateColumn") == len(VALUES)
    manifest.write_text(values_manifest(account, CHANGED, me), encoding="utf-8")
    assert apply(account, manifest) == ["UpdateItem"]


def test_doctor_finds_nothing_blocking_the_suites_manifests(
    account: LiveAccount, manifests: Path
) -> None:
    manifest = write_manifest(manifests, "scenario.yaml", scenario(account, 1))
    result = account.boardops("doctor", str(manifest))
    assert result.stdout.splitlines()[-1] == "Nothing blocks an apply."
