"""Every query document boardops sends, in one place, so tests validate them all.

Read documents piggyback ``complexity { ... }``: it costs nothing extra and tells the
client how much of the per-minute budget is left. Documents that take a caller's
selection are templates (``{selection}``); their ``DEFAULT_*`` selection is what the
validation tests use.
"""

from __future__ import annotations

from boardops.monday.mutations import COMPLEXITY_SELECTION

# Maximum page size monday accepts for items_page / next_items_page.
ITEMS_PAGE_LIMIT = 500

# Connect-boards and dependency values are read from ``linked_item_ids``: their ``text``
# and ``value`` are null since 2025-04 (monday changelog; see boardops.codec._links).
LINKED_ITEM_IDS = (
    "... on BoardRelationValue { linked_item_ids } ... on DependencyValue { linked_item_ids }"
)
ITEM_FIELDS = (
    "id name group { id } state updated_at "
    f"column_values {{ id type value text {LINKED_ITEM_IDS} }}"
)

COLUMN_FIELDS = "id title type description settings revision archived width"
GROUP_FIELDS = "id title color position archived deleted"
# ``type`` tells subitem boards (and documents) from boards; ``workspace`` reveals the main
# workspace's id on accounts that report it instead of null (recorded behaviour, sec. 3).
BOARD_FIELDS = (
    "id workspace_id workspace { id is_default_workspace } name board_kind description "
    "state updated_at type board_folder_id item_terminology"
)
# Who may be named in people values (read only for boards whose items use people). Teams
# come in pages (25 by default): a full page of TEAM_SUBSCRIBERS_LIMIT teams is followed by
# BOARD_TEAMS_PAGE reads (``BoardReads.complete_board_teams``).
TEAM_SUBSCRIBERS_LIMIT = 100
# The owners and the ``permissions`` (the board's basic role, see README "Access") ride
# along: the access lists and role a manifest declares are compared against them.
SUBSCRIBER_FIELDS = (
    f"subscribers {{ id }} team_subscribers(limit: {TEAM_SUBSCRIBERS_LIMIT}) {{ id }} "
    f"owners {{ id }} team_owners(limit: {TEAM_SUBSCRIBERS_LIMIT}) {{ id }} permissions"
)
# The account behind the token: its first day of the week (week values) and tier.
# The user the token acts for, with its account: who creates new boards (and so is
# their first member), the first day of the week, the tier.
ACCOUNT_FIELDS = "me { id account { id tier first_day_of_the_week plan { tier } } }"

# Structure of several boards in one request, with each board's first page of items and
# its cursor: a board with N items costs about ceil(N/500) + 1 requests in all.
# ``{board_extra}`` takes SUBSCRIBER_FIELDS and ``{root_extra}`` ACCOUNT_FIELDS when the
# read needs them (see ``boards_structure``), so neither costs a request of its own.
BOARDS_STRUCTURE = f"""
query boards_structure($ids: [ID!], $limit: Int, $state: State, $items_limit: Int!) {{
  {COMPLEXITY_SELECTION}
  {{root_extra}}
  boards(ids: $ids, limit: $limit, state: $state) {{
    {BOARD_FIELDS}
    {{board_extra}}
    columns {{ {COLUMN_FIELDS} }}
    groups {{ {GROUP_FIELDS} }}
    items_page(limit: $items_limit) {{
      cursor
      items {{ {{selection}} }}
    }}
  }}
}}
""".strip()


def boards_structure(*, subscribers: bool = False, account: bool = False) -> str:
    """BOARDS_STRUCTURE with board subscribers and the account folded in, or not."""
    return BOARDS_STRUCTURE.replace(
        "{board_extra}", SUBSCRIBER_FIELDS if subscribers else ""
    ).replace("{root_extra}", ACCOUNT_FIELDS if account else "")


ITEMS_FIRST_PAGE = f"""
query items_first_page($board_id: ID!, $limit: Int!) {{
  {COMPLEXITY_SELECTION}
  boards(ids: [$board_id]) {{
    items_page(limit: $limit) {{
      cursor
      items {{ {{selection}} }}
    }}
  }}
}}
""".strip()

ITEMS_NEXT_PAGE = f"""
query items_next_page($cursor: String!, $limit: Int!) {{
  {COMPLEXITY_SELECTION}
  next_items_page(cursor: $cursor, limit: $limit) {{
    cursor
    items {{ {{selection}} }}
  }}
}}
""".strip()

# Re-finding items by a match key (after OutcomeUnknown, before a create). ``query_params``
# cannot be combined with a cursor, so later pages go through ITEMS_NEXT_PAGE.
ITEMS_BY_COLUMN_VALUES = f"""
query items_by_column_values(
  $board_id: ID!, $rules: [ItemsQueryRule!], $operator: ItemsQueryOperator, $limit: Int!
) {{
  {COMPLEXITY_SELECTION}
  boards(ids: [$board_id]) {{
    items_page(limit: $limit, query_params: {{rules: $rules, operator: $operator}}) {{
      cursor
      items {{ {{selection}} }}
    }}
  }}
}}
""".strip()

BOARDS_PAGE = f"""
query boards_page($workspace_ids: [ID], $limit: Int, $page: Int, $state: State) {{
  {COMPLEXITY_SELECTION}
  boards(workspace_ids: $workspace_ids, limit: $limit, page: $page, state: $state) {{
    {BOARD_FIELDS}
  }}
}}
""".strip()

# Boards by id with no more than the read scope needs to place them (``boardops.scope``):
# id, name, type and workspace; nothing of their contents.
BOARD_REF_FIELDS = "id name type workspace_id workspace { id is_default_workspace }"

BOARDS_BY_ID = f"""
query boards_by_id($ids: [ID!], $limit: Int, $state: State) {{
  {COMPLEXITY_SELECTION}
  boards(ids: $ids, limit: $limit, state: $state) {{
    {BOARD_REF_FIELDS}
  }}
}}
""".strip()

WORKSPACES_PAGE = f"""
query workspaces_page($ids: [ID!], $limit: Int, $page: Int, $state: State) {{
  {COMPLEXITY_SELECTION}
  workspaces(ids: $ids, limit: $limit, page: $page, state: $state) {{
    id name kind description state is_default_workspace
  }}
}}
""".strip()

# A workspace's folders, flat, a page at a time (monday: at most 100 a page); the main
# workspace's by ``workspace_ids: [null]``. ``parent`` and ``workspace`` place each one;
# ``children`` are the boards it holds (its sub-folders' are theirs).
FOLDER_FIELDS = "id name color parent { id } workspace { id } children { id }"
FOLDERS_PAGE = f"""
query folders_page($workspace_ids: [ID], $ids: [ID!], $limit: Int, $page: Int) {{
  {COMPLEXITY_SELECTION}
  folders(workspace_ids: $workspace_ids, ids: $ids, limit: $limit, page: $page) {{
    {FOLDER_FIELDS}
  }}
}}
""".strip()

# Every user, whatever their status (monday lists ACTIVE and PENDING ones by default): a
# plan naming a deactivated user can then say so instead of "no such user".
USERS_PAGE = f"""
query users_page($limit: Int, $page: Int) {{
  {COMPLEXITY_SELECTION}
  users(limit: $limit, page: $page, status: [ACTIVE, INACTIVE, PENDING]) {{
    id name email status kind
  }}
}}
""".strip()

TAGS = f"""
query tags($ids: [ID!]) {{
  {COMPLEXITY_SELECTION}
  tags(ids: $ids) {{ id name color }}
}}
""".strip()

# Team names, for plans to show people values and subscribers that name teams.
TEAMS = f"""
query teams {{
  {COMPLEXITY_SELECTION}
  teams {{ id name }}
}}
""".strip()

# The further pages of a board's team lists, when the structure read's page was full.
BOARD_TEAMS_PAGE = f"""
query board_teams_page($ids: [ID!], $page: Int) {{
  {COMPLEXITY_SELECTION}
  boards(ids: $ids) {{
    id
    team_subscribers(limit: {TEAM_SUBSCRIBERS_LIMIT}, page: $page) {{ id }}
    team_owners(limit: {TEAM_SUBSCRIBERS_LIMIT}, page: $page) {{ id }}
  }}
}}
""".strip()

# The members of the workspaces a manifest declares ``owners:``/``members:`` for (users and
# teams, owners among them). monday pages each list; ``BoardReads.workspace_members`` asks
# for the next page while any list came back full.
WORKSPACE_MEMBERS_LIMIT = 100
WORKSPACE_MEMBER_LISTS = (
    "users_subscribers",
    "owners_subscribers",
    "teams_subscribers",
    "team_owners_subscribers",
)
WORKSPACE_MEMBERS = f"""
query workspace_members($ids: [ID!], $page: Int) {{
  {COMPLEXITY_SELECTION}
  workspaces(ids: $ids) {{
    id
    users_subscribers(limit: {WORKSPACE_MEMBERS_LIMIT}, page: $page) {{ id }}
    owners_subscribers(limit: {WORKSPACE_MEMBERS_LIMIT}, page: $page) {{ id }}
    teams_subscribers(limit: {WORKSPACE_MEMBERS_LIMIT}, page: $page) {{ id }}
    team_owners_subscribers(limit: {WORKSPACE_MEMBERS_LIMIT}, page: $page) {{ id }}
  }}
}}
""".strip()

ACCOUNT = f"""
query account {{
  {COMPLEXITY_SELECTION}
  {ACCOUNT_FIELDS}
}}
""".strip()

ME = f"""
query me {{
  {COMPLEXITY_SELECTION}
  me {{ id name email account_id }}
}}
""".strip()

VERSION = """
query version {
  version { value kind }
}
""".strip()


def with_selection(template: str, selection: str = ITEM_FIELDS) -> str:
    """Fill a template's ``{selection}`` with the fields to read on each item."""
    if not selection.strip():
        raise ValueError("an item selection cannot be empty")
    return template.replace("{selection}", selection.strip())


# What apply reads back of one board before changing its columns and groups (no items).
BOARD_STRUCTURE = f"""
query boardops_board_structure($ids: [ID!]) {{
  boards(ids: $ids) {{
    id name workspace_id state
    columns {{ {COLUMN_FIELDS} }}
    groups {{ {GROUP_FIELDS} }}
  }}
}}
""".strip()

# ``update_workspace`` is sent as a document of its own (not a batched ``MutationCall``).
UPDATE_WORKSPACE = """
mutation boardops_update_workspace($id: ID, $attributes: UpdateWorkspaceAttributesInput!) {
  update_workspace(id: $id, attributes: $attributes) { id }
}
""".strip()

# What a created board answers with: enough to record its id and its default groups.
CREATED_BOARD_FIELDS = f"id name workspace_id groups {{ {GROUP_FIELDS} }}"

# A subitem's parent, read with the items of a subitems board (``live``).
SUBITEM_FIELDS = f"{ITEM_FIELDS} parent_item {{ id }}"

# The subitems of some items, by parent: what a lost create_subitem is looked for in.
SUBITEMS_OF = f"""
query subitems_of($ids: [ID!], $limit: Int) {{
  {COMPLEXITY_SELECTION}
  items(ids: $ids, limit: $limit) {{
    id
    subitems {{ {{selection}} }}
  }}
}}
""".strip()

# The lease's items (``boardops.lease``): the text and value of its few text columns.
LEASE_ITEM_FIELDS = "id name column_values { id text value }"

# Items that link values name on boards whose items were not read (``boardops.links``):
# their board and name, up to 100 ids a request.
LINKED_ITEMS = f"""
query linked_items($ids: [ID!], $limit: Int) {{
  {COMPLEXITY_SELECTION}
  items(ids: $ids, limit: $limit) {{ id name state board {{ id name }} }}
}}
"""

# Every document (templates filled with their default selection), for validation tests.
ALL_QUERY_DOCUMENTS: dict[str, str] = {
    "boards_structure": with_selection(boards_structure()),
    "boards_structure_full": with_selection(boards_structure(subscribers=True, account=True)),
    "items_first_page": with_selection(ITEMS_FIRST_PAGE),
    "items_next_page": with_selection(ITEMS_NEXT_PAGE),
    "items_by_column_values": with_selection(ITEMS_BY_COLUMN_VALUES),
    "boards_page": BOARDS_PAGE,
    "linked_items": LINKED_ITEMS,
    "boards_by_id": BOARDS_BY_ID,
    "workspaces_page": WORKSPACES_PAGE,
    "folders_page": FOLDERS_PAGE,
    "users_page": USERS_PAGE,
    "tags": TAGS,
    "teams": TEAMS,
    "workspace_members": WORKSPACE_MEMBERS,
    "board_teams_page": BOARD_TEAMS_PAGE,
    "account": ACCOUNT,
    "me": ME,
    "version": VERSION,
    "boardops_board_structure": BOARD_STRUCTURE,
    "boardops_update_workspace": UPDATE_WORKSPACE,
    "lease_items": with_selection(boards_structure(), LEASE_ITEM_FIELDS),
    "subitems_structure": with_selection(boards_structure(), SUBITEM_FIELDS),
    "subitems_of": with_selection(SUBITEMS_OF),
}

# --- boardops doctor: what the account behind the token can do (read-only) ---------------
# Separate requests, so that a field one account or version refuses (platform_api for a
# non-admin, say) costs only its own line of the report.

DOCTOR_ACCOUNT = f"""
query doctor_account {{
  {COMPLEXITY_SELECTION}
  me {{
    id kind
    account {{ id tier first_day_of_the_week plan {{ tier max_users }} }}
  }}
}}
""".strip()

DOCTOR_DAILY_LIMIT = f"""
query doctor_daily_limit {{
  {COMPLEXITY_SELECTION}
  platform_api {{
    daily_limit {{ base total }}
    daily_analytics {{ last_updated by_day {{ day usage }} }}
  }}
}}
""".strip()

DOCTOR_WORKSPACES = f"""
query doctor_workspaces($limit: Int, $page: Int) {{
  {COMPLEXITY_SELECTION}
  workspaces(limit: $limit, page: $page, state: active) {{ id name kind is_default_workspace }}
}}
""".strip()

# A few boards the token can see, with their status columns' settings: how this account
# spells label colours (names or numbers) and whether main-workspace boards report a null
# workspace_id.
DOCTOR_STATUS_SETTINGS = f"""
query doctor_status_settings($limit: Int) {{
  {COMPLEXITY_SELECTION}
  boards(limit: $limit, state: active) {{
    id workspace_id type
    columns(types: [status]) {{ id settings }}
  }}
}}
""".strip()

ALL_QUERY_DOCUMENTS.update(
    {
        "doctor_account": DOCTOR_ACCOUNT,
        "doctor_daily_limit": DOCTOR_DAILY_LIMIT,
        "doctor_workspaces": DOCTOR_WORKSPACES,
        "doctor_status_settings": DOCTOR_STATUS_SETTINGS,
    }
)
