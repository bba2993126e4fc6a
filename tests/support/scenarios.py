"""Desired/live state pairs shared by the plan and view tests.

``rich_scenario()`` is one manifest and one live account that, between them, call for
every action type; the golden files render the plan it gives.
"""

from __future__ import annotations

from boardops.model import (
    STATUS_COLOR_IDS,
    Account,
    Board,
    BoardLink,
    Column,
    DesiredState,
    DropdownLabel,
    Folder,
    Group,
    Item,
    ItemNickname,
    ItemSet,
    JSONValue,
    LiveState,
    Member,
    Relation,
    StatusLabel,
    Subitems,
    Team,
    User,
    Workspace,
)
from boardops.plan import Action, build_plan


def live_label(
    label: str, color: str, index: int, *, done: bool = False, deactivated: bool = False
) -> StatusLabel:
    """A status label as the live reader returns it: its id is its colour's id."""
    return StatusLabel(
        label=label,
        color=color,
        done=done,
        id=STATUS_COLOR_IDS[color],
        index=index,
        deactivated=deactivated,
    )


NAME_COLUMN = Column(title="Name", type="name", id="name", revision="1")


def rich_scenario() -> tuple[DesiredState, LiveState]:
    desired = DesiredState(
        digest="sha256:manifest-rich",
        workspaces=(
            Workspace(key="eng", name="Engineering"),
            Workspace(key="ops", name="Ops Team"),
            Workspace(key="lab", name="Lab"),
            Workspace(key="vault", name="Vault"),
        ),
        boards=(
            Board(
                key="roadmap",
                name="Roadmap",
                workspace="eng",
                columns=(
                    Column(
                        title="Status",
                        type="status",
                        id="status",
                        status_labels=(
                            StatusLabel("Planned"),
                            StatusLabel("Shipped", color="done_green", done=True),
                        ),
                    ),
                    Column(title="Quarter", type="text"),
                ),
                groups=(Group(key="now", title="Now"), Group(key="later", title="Later")),
                items=ItemSet(
                    rows=(
                        Item(
                            name="Search v2",
                            group="now",
                            values={"status": "Planned", "Quarter": "Q1"},
                        ),
                    )
                ),
            ),
            Board(
                key="sprint",
                name="Sprint",
                previous_names=("Sprint 1",),
                workspace="ops",
                prune=True,
                columns=(
                    Column(
                        title="Status",
                        type="status",
                        id="status",
                        status_labels=(
                            StatusLabel("Done", color="done_green", done=True),
                            StatusLabel("In progress", previous_labels=("Working on it",)),
                            StatusLabel("Blocked", color="stuck_red"),
                            StatusLabel("Review"),
                        ),
                    ),
                    Column(
                        title="Estimate",
                        type="numbers",
                        id="estimate",
                        declared_settings={"unit": {"symbol": "€", "direction": "left"}},
                        width=120,
                    ),
                    Column(
                        title="Area",
                        type="dropdown",
                        id="area",
                        dropdown_labels=(
                            DropdownLabel("Backend"),
                            DropdownLabel("Frontend", previous_labels=("Web",)),
                            DropdownLabel("Infra"),
                            DropdownLabel("Ops"),
                        ),
                    ),
                    # Not pinned: a type change needs a new column id (monday never
                    # reuses one), so a pinned id would be refused.
                    Column(title="Due", type="date"),
                    Column(title="Notes", type="text", id="notes"),
                    Column(title="Owner", type="people", id="owner"),
                ),
                groups=(
                    Group(key="backlog", title="Backlog"),
                    Group(key="doing", title="In progress", previous_titles=("Doing",)),
                    Group(key="review", title="Review"),
                    Group(key="done", title="Done"),
                ),
                items=ItemSet(
                    prune=True,
                    rows=(
                        Item(name="ENG-1", group="doing", values={"status": "In progress"}),
                        Item(
                            name="ENG-2",
                            values={"estimate": 5, "Due": "2026-12-01", "owner": "bob@example.com"},
                        ),
                        Item(
                            name="ENG-3",
                            group="review",
                            values={"status": "Review", "area": ["Infra", "Backend"]},
                        ),
                    ),
                ),
            ),
            # In a workspace made by hand (none of its boards exists yet): adopted.
            Board(key="notes", name="Notes", workspace="vault"),
            # Made by hand (none of its declared columns exist): adopted, and moved from
            # Ops Team to Lab (also made by hand, adopted); its items switch match_by to
            # a new column, so the live item is adopted.
            Board(
                key="archive",
                name="Archive",
                workspace="lab",
                columns=(Column(title="Ref", type="text", id="ref"),),
                items=ItemSet(
                    match_by=("ref",), rows=(Item(name="Old plan", values={"ref": "A-1"}),)
                ),
            ),
        ),
    )
    live = LiveState(
        source="api",
        read_at="2026-11-23T04:00:00Z",
        users=(
            User("1", "Alice", "alice@example.com", status="ACTIVE", kind="admin"),
            User("2", "Bob", "bob@example.com", status="ACTIVE", kind="member"),
        ),
        workspaces={
            "eng": None,
            "ops": Workspace(key="ops", name="Operations", id="77"),
            "lab": Workspace(key="lab", name="Lab", id="88"),
            "vault": Workspace(key="vault", name="Vault", id="99"),
        },
        boards={
            "roadmap": None,
            "notes": None,
            "sprint": Board(
                key="sprint",
                id="1001",
                name="Sprint 1",
                workspace_id="77",
                updated_at="2026-11-22T10:00:00Z",
                columns=(
                    NAME_COLUMN,
                    Column(
                        title="Status",
                        type="status",
                        id="status",
                        revision="7",
                        status_labels=(
                            live_label("Working on it", "working_orange", 0),
                            live_label("Done", "done_green", 1),
                            live_label("Stuck", "stuck_red", 2),
                            live_label("Waiting", "dark_blue", 3),
                        ),
                    ),
                    Column(
                        title="Points",
                        type="numbers",
                        id="estimate",
                        revision="2",
                        width=100,
                        settings={"unit": {"symbol": "$", "direction": "left"}, "function": "sum"},
                    ),
                    Column(
                        title="Area",
                        type="dropdown",
                        id="area",
                        revision="4",
                        dropdown_labels=(
                            DropdownLabel("Backend", id=1),
                            DropdownLabel("Web", id=2),
                            DropdownLabel("Mobile", id=3),
                            DropdownLabel("Ops", id=4, deactivated=True),
                        ),
                    ),
                    Column(title="Due", type="text", id="due", revision="1"),
                    Column(title="Legacy", type="text", id="legacy", revision="1"),
                    Column(title="Total", type="formula", id="formula", revision="1"),
                    Column(title="Owner", type="people", id="owner", revision="1"),
                ),
                # Only Alice is a member: Bob must be subscribed before ENG-2 names him.
                subscriber_ids=frozenset({"1"}),
                team_subscriber_ids=frozenset(),
                groups=(
                    Group(key="g_done", id="g_done", title="Done"),
                    Group(key="g_backlog", id="g_backlog", title="Backlog"),
                    Group(key="g_doing", id="g_doing", title="Doing"),
                    Group(key="g_old", id="g_old", title="Old sprint"),
                ),
                items=ItemSet(
                    rows=(
                        Item(
                            name="ENG-1",
                            id="501",
                            group="g_backlog",
                            values={"status": "Working on it"},
                        ),
                        Item(
                            name="ENG-2",
                            id="502",
                            group="g_doing",
                            values={"estimate": "3", "due": "next week", "legacy": "x"},
                        ),
                        Item(name="ENG-9", id="509", group="g_old", values={}),
                    )
                ),
            ),
            "archive": Board(
                key="archive",
                id="1002",
                name="Archive",
                workspace_id="77",
                updated_at="2026-11-20T10:00:00Z",
                columns=(NAME_COLUMN, Column(title="Owner", type="people", id="person")),
                groups=(Group(key="topics", id="topics", title="Group Title"),),
                items=ItemSet(rows=(Item(name="Old plan", id="601", group="topics", values={}),)),
            ),
        },
    )
    return desired, live


def tagged_scenario() -> tuple[DesiredState, LiveState]:
    """Items naming tags: the account has ``billing``; a public board needs ``infra`` too,
    and a private board (whose tags are its own) needs ``secret``."""

    def board(key: str, kind: str, tags: list[JSONValue]) -> Board:
        return Board(
            key=key,
            name=key.title(),
            kind=kind,  # type: ignore[arg-type]
            columns=(Column(title="Topics", type="tags", id="topics"),),
            items=ItemSet(rows=(Item(name="One", values={"topics": tags}),)),
        )

    desired = DesiredState(
        digest="sha256:manifest-tagged",
        boards=(
            board("wiki", "public", ["billing", "infra"]),
            board("vault", "private", ["secret"]),
        ),
    )
    return desired, LiveState(boards={"wiki": None, "vault": None}, tags={"Billing": 5})


def placement_scenario() -> tuple[DesiredState, LiveState]:
    """Folders and placement: workspace ``ops`` (id 77, prune) declares "Clients" (was
    "Customers", recoloured) with "Active" (new) inside, and "Archive" (new); live it also
    has an empty "Old" and a "Misc" holding board 4002. Board ``crm`` moves from "Misc"
    into "Clients/Active" and is renamed "Task" -> "Deal"; board ``intake`` is new, in
    "Archive", calling items tickets."""
    desired = DesiredState(
        digest="sha256:manifest-placement",
        workspaces=(
            Workspace(
                key="ops",
                name="Ops",
                prune=True,
                folders=(
                    Folder(
                        name="Clients",
                        color="sunset",
                        previous_names=("Customers",),
                        folders=(Folder(name="Active"),),
                    ),
                    Folder(name="Archive", color="done_green"),
                ),
            ),
        ),
        boards=(
            Board(
                key="crm",
                name="CRM",
                workspace="ops",
                folder="Clients/Active",
                item_nickname=ItemNickname(singular="Deal", plural="Deals"),
            ),
            Board(
                key="intake",
                name="Intake",
                workspace="ops",
                folder="Archive",
                item_nickname=ItemNickname(singular="Ticket", plural="Tickets"),
            ),
        ),
    )
    live = LiveState(
        source="api",
        read_at="2026-11-23T04:00:00Z",
        workspaces={"ops": Workspace(key="ops", name="Ops", id="77")},
        boards={
            "crm": Board(
                key="crm",
                id="4001",
                name="CRM",
                workspace_id="77",
                folder_id="503",
                folder="Misc",
                item_nickname=ItemNickname(singular="Task"),
                columns=(NAME_COLUMN,),
                groups=(Group(key="topics", title="Topics", id="topics"),),
            ),
            "intake": None,
        },
        folders=(
            Folder(
                name="Customers", color="bright_blue", id="501", workspace_id="77", board_ids=()
            ),
            Folder(name="Old", id="502", workspace_id="77", board_ids=()),
            Folder(name="Misc", id="503", workspace_id="77", board_ids=("4001", "4002")),
        ),
    )
    return desired, live


def linked_scenario() -> tuple[DesiredState, LiveState]:
    """Two new boards whose items link each other both ways: deals link accounts (a
    connect-boards column) and accounts their deals, and tasks depend on tasks: every
    link names an item the plan creates, so all go in the second pass."""
    accounts = Board(
        key="accounts",
        name="Accounts",
        columns=(
            Column(title="Code", type="text", id="code"),
            Column(
                title="Deals",
                type="board_relation",
                id="deals",
                relation=Relation(boards=(BoardLink(key="deals"),)),
            ),
        ),
        items=ItemSet(
            match_by=("code",),
            rows=(Item(name="Acme", values={"code": "A-1", "deals": ["Big deal"]}),),
        ),
    )
    deals = Board(
        key="deals",
        name="Deals",
        columns=(
            Column(
                title="Account",
                type="board_relation",
                id="account",
                relation=Relation(boards=(BoardLink(key="accounts"),), allow_multiple=False),
            ),
            Column(title="After", type="dependency", id="after"),
        ),
        items=ItemSet(
            rows=(
                Item(name="Big deal", values={"account": "A-1"}),
                Item(name="Follow-up", values={"account": ["A-1"], "after": ["Big deal"]}),
            )
        ),
    )
    desired = DesiredState(digest="sha256:manifest-linked", boards=(accounts, deals))
    return desired, LiveState(boards={"accounts": None, "deals": None})


def subitems_scenario() -> tuple[DesiredState, LiveState]:
    """Subitems: ``deals`` has its subitems board (with a Stage column; Note is new), and
    deal D-1 a subitem to update (Call), one to archive (prune: Old) and one to create
    (Mail); new deal D-2 gets its subitems after it; ``tasks`` has no subitems board
    yet, so the plan makes one before its column and its subitem."""
    stage = Column(
        title="Stage",
        type="status",
        id="stage",
        status_labels=(StatusLabel("Open", color="working_orange"), StatusLabel("Won")),
    )
    note = Column(title="Note", type="text", id="note")
    live_stage = Column(
        title="Stage",
        type="status",
        id="stage",
        revision="3",
        status_labels=(live_label("Open", "working_orange", 0), live_label("Won", "done_green", 1)),
    )
    subtasks = Column(
        title="Subitems", type="subtasks", id="subitems", settings={"boardIds": [900]}
    )
    desired = DesiredState(
        digest="sha256:manifest-subitems",
        boards=(
            Board(
                key="deals",
                name="Deals",
                subitems=Subitems(columns=(stage, note), prune=True),
                items=ItemSet(
                    rows=(
                        Item(
                            name="D-1",
                            subitems=(
                                Item(name="Call", values={"stage": "Won"}),
                                Item(name="Mail", values={"note": "send the quote"}),
                            ),
                        ),
                        Item(name="D-2", subitems=(Item(name="Kickoff"),)),
                        Item(name="D-3"),
                    )
                ),
            ),
            Board(
                key="tasks",
                name="Tasks",
                subitems=Subitems(columns=(note,)),
                items=ItemSet(rows=(Item(name="T-1", subitems=(Item(name="Step 1"),)),)),
            ),
        ),
    )
    live = LiveState(
        boards={
            "deals": Board(
                key="deals",
                name="Deals",
                id="100",
                columns=(NAME_COLUMN, subtasks),
                groups=(Group(key="topics", title="Group Title", id="topics"),),
                items=ItemSet(
                    rows=(
                        Item(
                            name="D-1",
                            id="1",
                            group="topics",
                            subitems=(
                                Item(name="Call", id="11", values={"stage": "Open"}),
                                Item(name="Old", id="12"),
                            ),
                        ),
                        Item(name="D-3", id="3", group="topics", subitems=(Item("Kept", id="31"),)),
                    )
                ),
                subitems=Subitems(columns=(NAME_COLUMN, live_stage), id="900"),
            ),
            "tasks": Board(
                key="tasks",
                name="Tasks",
                id="200",
                columns=(NAME_COLUMN,),
                groups=(Group(key="topics", title="Group Title", id="topics"),),
                items=ItemSet(rows=(Item(name="T-1", id="5", group="topics"),)),
            ),
        }
    )
    return desired, live


ACCESS_USERS = (
    User("1", "Alice", "alice@example.com", status="ACTIVE", kind="admin"),
    User("2", "Bob", "bob@example.com", status="ACTIVE", kind="member"),
    User("3", "Carol", "carol@example.com", status="ACTIVE", kind="member"),
    User("4", "Dan", "dan@example.com", status="ACTIVE", kind="member"),
)
ACCESS_TEAMS = (Team("30", "Platform"), Team("31", "Design"))


def access_scenario() -> tuple[DesiredState, LiveState]:
    """Owners, subscribers, teams and roles (README, Access): a new board with owners, a
    subscriber and a role; an existing one whose owners, subscribers and role change under
    ``prune``; a workspace whose members change under ``prune``. The token's user is
    Alice (user 1)."""
    desired = DesiredState(
        digest="sha256:manifest-access",
        workspaces=(
            Workspace(
                key="eng",
                name="Engineering",
                owners=(Member("user", "alice@example.com"),),
                members=(Member("user", "bob@example.com"), Member("team", "Design")),
                prune=True,
            ),
        ),
        boards=(
            Board(
                key="roadmap",
                name="Roadmap",
                workspace="eng",
                owners=(Member("user", "alice@example.com"), Member("team", "Platform")),
                subscribers=(Member("user", "bob@example.com"),),
                role="viewer",
            ),
            Board(
                key="sprint",
                name="Sprint",
                workspace="eng",
                prune=True,
                groups=(Group(key="topics", title="Group Title"),),
                owners=(Member("user", "bob@example.com"),),
                subscribers=(Member("user", "carol@example.com"),),
                role="contributor",
            ),
        ),
    )
    live = LiveState(
        source="api",
        read_at="2026-11-23T04:00:00Z",
        users=ACCESS_USERS,
        teams=ACCESS_TEAMS,
        account=Account(user_id="1"),
        workspaces={
            "eng": Workspace(
                key="eng",
                name="Engineering",
                id="77",
                member_ids=frozenset({"1", "3"}),
                owner_ids=frozenset({"1"}),
                team_member_ids=frozenset(),
                team_owner_ids=frozenset(),
            ),
        },
        boards={
            "roadmap": None,
            "sprint": Board(
                key="sprint",
                id="1001",
                name="Sprint",
                workspace_id="77",
                updated_at="2026-11-22T10:00:00Z",
                columns=(NAME_COLUMN,),
                groups=(Group(key="topics", id="topics", title="Group Title"),),
                subscriber_ids=frozenset({"1", "2", "4"}),
                owner_ids=frozenset({"1", "4"}),
                team_subscriber_ids=frozenset({"30"}),
                team_owner_ids=frozenset(),
                permissions="everyone",
                role="editor",
            ),
        },
    )
    return desired, live


def every_action_type_plan_actions() -> list[Action]:
    """The actions of the rich, tagged, placement, subitems, linked and access plans:
    every action type is among them."""
    return [
        *build_plan(*rich_scenario()).actions,
        *build_plan(*tagged_scenario()).actions,
        *build_plan(*placement_scenario()).actions,
        *build_plan(*subitems_scenario()).actions,
        *build_plan(*linked_scenario()).actions,
        *build_plan(*access_scenario()).actions,
    ]
