"""The JSON Schema (2020-12) of manifest format v1, built from Python so its enums have one
source: the value lists copied from monday's official SDL (``enum ColumnType``,
``enum StatusColumnColors``, API version 2026-10). ``schemas/boardops.schema.json`` is this
schema rendered by :func:`render_schema`; a test keeps the two identical.
"""

from __future__ import annotations

import json
from typing import Any

from boardops import column_settings
from boardops.model import (
    BOARD_KINDS,
    BOARD_ROLES,
    FOLDER_COLORS,
    ITEM_MODES,
    ITEM_ORDERS,
    MAX_ITEM_NAME_LENGTH,
    PINNABLE_COLUMN_ID,
    STATUS_COLOR_IDS,
    WEEK_STARTS,
    WORKSPACE_KINDS,
)
from boardops.palette import GROUP_COLOR_HEXES

# ``enum ColumnType`` of the official SDL, in its order.
MONDAY_COLUMN_TYPES: tuple[str, ...] = (
    "auto_number",
    "board_relation",
    "button",
    "checkbox",
    "color_picker",
    "country",
    "creation_log",
    "date",
    "dependency",
    "doc",
    "dropdown",
    "email",
    "file",
    "formula",
    "group",
    "hour",
    "integration",
    "item_assignees",
    "item_id",
    "last_updated",
    "link",
    "location",
    "long_text",
    "mirror",
    "numbers",
    "people",
    "phone",
    "progress",
    "rating",
    "status",
    "tags",
    "team",
    "text",
    "timeline",
    "time_tracking",
    "vote",
    "week",
    "world_clock",
    "unsupported",
    "name",
    "person",
    "direct_doc",
    "subtasks",
)

# SDL column types a manifest cannot declare: ``name`` is the item name every board has,
# ``group`` and ``unsupported`` are not creatable columns, ``person`` is deprecated in
# favour of ``people``, and ``subtasks`` appears when subitems are created.
UNDECLARABLE_COLUMN_TYPES: tuple[str, ...] = ("name", "group", "unsupported", "person", "subtasks")

COLUMN_TYPES: tuple[str, ...] = tuple(
    t for t in MONDAY_COLUMN_TYPES if t not in UNDECLARABLE_COLUMN_TYPES
)

# ``enum StatusColumnColors`` of the official SDL, in its order.
STATUS_COLORS: tuple[str, ...] = tuple(STATUS_COLOR_IDS)

COLUMN_ID_PATTERN = f"^{PINNABLE_COLUMN_ID.pattern}$"
KEY_PATTERN = "^[a-z0-9][a-z0-9_-]*$"
MONDAY_ID_PATTERN = "^[0-9]+$"
HEX_COLOR_PATTERN = "^#[0-9a-fA-F]{6}$"
EMAIL_PATTERN = "^[^@\\s]+@[^@\\s]+$"

# How a value that fails a pattern should have looked, for error messages.
PATTERN_HINTS: dict[str, str] = {
    COLUMN_ID_PATTERN: "lower-case letters, digits and _, starting with a letter or _ "
    "(a new column: 1-20 characters of a-z and _)",
    KEY_PATTERN: "lower-case letters, digits, '-' and '_', starting with a letter or digit",
    MONDAY_ID_PATTERN: "digits only",
    HEX_COLOR_PATTERN: "a hex colour such as '#579bfc'",
    EMAIL_PATTERN: "a user's email address such as ada@example.com, or {team: Name} for a team",
}


def _string(title: str, description: str, **extra: Any) -> dict[str, Any]:
    return {"title": title, "description": description, "type": "string", **extra}


def _flag(title: str, description: str) -> dict[str, Any]:
    return {"title": title, "description": description, "type": "boolean"}


def _enum(title: str, description: str, values: tuple[str, ...]) -> dict[str, Any]:
    return {"title": title, "description": description, "enum": list(values)}


def _clearable_string(title: str, description: str) -> dict[str, Any]:
    """Text that ``null`` clears on monday (absent: left as monday has it)."""
    return {
        "title": title,
        "description": f"{description} null clears it; leave it out to leave monday's alone.",
        "type": ["string", "null"],
    }


def _string_list(title: str, description: str) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "type": "array",
        "items": {"type": "string", "minLength": 1},
    }


def _monday_id(title: str, description: str) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "type": ["string", "integer"],
        "pattern": MONDAY_ID_PATTERN,
        "minimum": 1,
    }


def _object(
    title: str,
    description: str,
    properties: dict[str, Any],
    required: tuple[str, ...] = (),
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    return schema


def _member() -> dict[str, Any]:
    return {
        "title": "Member",
        "description": "A user of the account by email, or a team by name: {team: Design}.",
        "anyOf": [
            _string("User email", "A user of the account, by email.", pattern=EMAIL_PATTERN),
            _object(
                "Team",
                "A team of the account, by its name.",
                {"team": _string("Team name", "The team's name on monday.", minLength=1)},
                required=("team",),
            ),
        ],
    }


def _members(title: str, description: str) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "type": "array",
        "items": {"$ref": "#/$defs/member"},
    }


def _workspace() -> dict[str, Any]:
    return _object(
        "Workspace",
        "A monday workspace; its identity is a pinned id, else its name (or previous_names).",
        {
            "key": _string(
                "Workspace key",
                "Local handle that boards refer to. Default: the name.",
                minLength=1,
            ),
            "name": _string("Workspace name", "Name on monday: the identity.", minLength=1),
            "id": _monday_id("Workspace id", "Pin to an existing workspace by its monday id."),
            "previous_names": _string_list(
                "Previous names", "Earlier names: a rename is an update, never a copy."
            ),
            "kind": _enum("Workspace kind", "open (default) or closed.", WORKSPACE_KINDS),
            "description": _clearable_string("Workspace description", "Shown on monday."),
            "owners": _members(
                "Workspace owners",
                "Users (by email) and teams ({team: Name}) who own the workspace; those "
                "missing are added as owners. Omitted: owners are left alone.",
            ),
            "members": _members(
                "Workspace members",
                "Users and teams who are members of the workspace; those missing are added. "
                "Omitted: members are left alone.",
            ),
            "folders": {
                "title": "Folders",
                "description": "The workspace's folders, nested. Declared: folders are "
                "created and updated to match; left out: the workspace's folders are left "
                "alone.",
                "type": "array",
                "items": {"$ref": "#/$defs/folder"},
            },
            "prune": _flag(
                "Prune",
                "Delete empty folders of the workspace that `folders` does not declare (a "
                "folder holding boards is never deleted), and, where owners or members are "
                "declared, remove members (users and teams) neither names (never the last "
                "owner, never the token's own user). Needs --allow-destroy.",
            ),
        },
        required=("name",),
    )


def _folder() -> dict[str, Any]:
    return _object(
        "Folder",
        "A workspace folder; its identity is its name (or previous_names) under its parent.",
        {
            "name": _string("Folder name", "Name on monday: the identity.", minLength=1),
            "color": _enum(
                "Folder colour",
                "One of monday's folder colours (enum FolderColor, lower case). Left "
                "out: monday's is left alone.",
                FOLDER_COLORS,
            ),
            "previous_names": _string_list(
                "Previous names", "Earlier names: a rename is an update, never a new folder."
            ),
            "folders": {
                "title": "Sub-folders",
                "description": "Folders inside this one.",
                "type": "array",
                "items": {"$ref": "#/$defs/folder"},
            },
        },
        required=("name",),
    )


def _item_nickname() -> dict[str, Any]:
    text = {"type": "string", "minLength": 1}
    return {
        **_object(
            "Item nickname",
            "What an item is called on the board (monday's item terminology): "
            "{singular, plural} (custom) or {preset} (one of monday's). Left out: "
            "monday's is left alone.",
            {
                "singular": {**text, "title": "Singular", "description": "Task"},
                "plural": {**text, "title": "Plural", "description": "Tasks"},
                "preset": {
                    **text,
                    "title": "Preset",
                    "description": "One of monday's preset nicknames (preset_type).",
                },
            },
        ),
        "minProperties": 1,
    }


def _label() -> dict[str, Any]:
    label_object = _object(
        "Label",
        "A status label {label, color, done, description} or a dropdown label {label}.",
        {
            "label": _string(
                "Label text",
                "The label as people see it (status: at most 30 characters).",
                minLength=1,
            ),
            "color": _enum(
                "Status colour",
                "monday status colour; each colour at most once per column "
                "(monday uses the colour as the label id). Default: the first free one.",
                STATUS_COLORS,
            ),
            "done": _flag("Done flag", "Status only: items with this label count as done."),
            "description": _string("Label description", "Status only: shown on hover."),
            "previous_labels": _string_list(
                "Previous labels",
                "Earlier texts of this label: changing the text is a rename, values survive.",
            ),
        },
        required=("label",),
    )
    return {
        "title": "Label",
        "description": "A label: plain text, or an object with details.",
        "anyOf": [{"type": "string", "minLength": 1}, label_object],
    }


def _column() -> dict[str, Any]:
    column = _object(
        "Column",
        "A board column. Identity: its id when given, else its title (or previous_titles).",
        {
            "id": _string(
                "Column id",
                "Column id; pins the column's identity and is how item values can refer to "
                "it. An existing column's id as monday shows it, or a custom id for a new "
                "column (1-20 characters of a-z and _). Never reusable once deleted.",
                pattern=COLUMN_ID_PATTERN,
            ),
            "title": _string("Column title", "Title shown on the board.", minLength=1),
            "type": _enum(
                "Column type", "monday column type (enum ColumnType of the API).", COLUMN_TYPES
            ),
            "description": _clearable_string("Column description", "Shown under the column title."),
            "labels": {
                "title": "Labels",
                "description": "status: [{label, color, done}] or plain strings (at most 40); "
                "dropdown: plain strings. List order is the desired order.",
                "type": "array",
                "items": {"$ref": "#/$defs/label"},
            },
            "previous_titles": _string_list(
                "Previous titles",
                "Earlier titles: a title change is an update, never delete + create.",
            ),
            "settings": {
                "title": "Column settings",
                "description": "monday's settings of this column type (numbers: unit; rating: "
                "limit; people: max_people_allowed). Only the keys given are managed.",
                "type": "object",
            },
            "width": {
                "title": "Column width",
                "description": "Width in pixels. Leave it out to leave monday's alone.",
                "type": "integer",
                "minimum": 1,
            },
            **_relation_keys(),
        },
        required=("title", "type"),
    )
    # Which settings keys each column type takes (one registry: boardops.column_settings).
    column["allOf"] = column_settings.manifest_rules()
    return column


def _relation_keys() -> dict[str, Any]:
    """The keys of connect-boards (``board_relation``) and ``mirror`` columns."""
    board_link = {
        "title": "Connected board",
        "description": "A board key from the manifests, or {id: ...} / {name: ...} for a "
        "board outside them.",
        "anyOf": [
            {"type": "string", "pattern": KEY_PATTERN},
            {
                **_object(
                    "Board outside the manifests",
                    "{id: ...} (its monday id) or {name: ...} (its name).",
                    {
                        "id": _monday_id("Board id", "The connected board's monday id."),
                        "name": _string("Board name", "The connected board's name.", minLength=1),
                    },
                ),
                "minProperties": 1,
                "maxProperties": 1,
            },
        ],
    }
    return {
        "boards": {
            "title": "Connected boards",
            "description": "board_relation only (required there): the boards this "
            "connect-boards column links items of.",
            "type": "array",
            "minItems": 1,
            "items": board_link,
        },
        "allow_multiple": _flag(
            "Allow multiple items",
            "board_relation only: a cell may link several items (default true).",
        ),
        "two_way": _flag(
            "Two-way",
            "board_relation only: monday keeps a connect-boards column on each connected "
            "board that mirrors this one (default false).",
        ),
        "relation": _string(
            "Mirror relation",
            "mirror only (required there): the id or title of a board_relation column "
            "of the same board.",
            minLength=1,
        ),
        "shows": _string_list(
            "Mirrored columns",
            "mirror only: the columns shown, by id or title, on the boards the relation "
            "connects (each entry is looked up on every connected board).",
        ),
    }


def _group() -> dict[str, Any]:
    return _object(
        "Group",
        "A group of items. Identity: a pinned id, else its title (or previous_titles).",
        {
            "key": _string(
                "Group key",
                "Local handle for addresses and item rows. Default: slug of the title.",
                pattern=KEY_PATTERN,
            ),
            "title": _string("Group title", "Title shown on the board.", minLength=1),
            "id": _string("Group id", "Pin to an existing group by its monday id.", minLength=1),
            "color": _string(
                "Group colour",
                f"One of monday's {len(GROUP_COLOR_HEXES)} group colours, as hex: "
                + ", ".join(GROUP_COLOR_HEXES)
                + ".",
                pattern=HEX_COLOR_PATTERN,
            ),
            "previous_titles": _string_list(
                "Previous titles", "Earlier titles: renaming keeps the group and its items."
            ),
        },
        required=("title",),
    )


def _match_by() -> dict[str, Any]:
    return {
        "title": "Match by",
        "description": "Item identity: column ids/titles, or `name` (the default).",
        "anyOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "minItems": 1,
            },
        ],
    }


def _item_values() -> dict[str, Any]:
    return {
        "title": "Item values",
        "description": "Column id or title -> value, written the way a person would: "
        "label text, ISO dates, emails, numbers, true/false, {url, text} for links.",
        "type": "object",
    }


def _subitem_row() -> dict[str, Any]:
    return _object(
        "Subitem",
        "One subitem under its parent row; values are keyed by the ids or titles of the "
        "board's `subitems.columns`.",
        {
            "name": _string(
                "Subitem name",
                "The subitem's name (at most 255 characters).",
                minLength=1,
                maxLength=MAX_ITEM_NAME_LENGTH,
            ),
            "values": _item_values(),
        },
        required=("name",),
    )


def _subitems() -> dict[str, Any]:
    return _object(
        "Subitems",
        "The board's subitems: the columns of its subitems board and how the subitems "
        "rows declare (`items.rows[].subitems`) are matched under their parent item.",
        {
            "columns": {
                "title": "Subitem columns",
                "description": "Columns of the subitems board, like the board's own; "
                "list order is the desired order.",
                "type": "array",
                "items": {"$ref": "#/$defs/column"},
            },
            "match_by": _match_by(),
            "mode": _enum(
                "Subitem mode",
                "upsert (default): matched subitems are made equal to the manifest; "
                "create_only: create missing subitems, never overwrite.",
                ITEM_MODES,
            ),
            "prune": _flag(
                "Prune subitems",
                "Archive live subitems the manifest lacks, under each parent row that "
                "declares `subitems:` (needs --allow-destroy).",
            ),
        },
    )


def _items() -> dict[str, Any]:
    row = _object(
        "Item",
        "One seed item (row).",
        {
            "name": _string(
                "Item name",
                "The item's name (at most 255 characters).",
                minLength=1,
                maxLength=MAX_ITEM_NAME_LENGTH,
            ),
            "group": _string(
                "Item group", "Group key or title. Default: the board's first group.", minLength=1
            ),
            "values": _item_values(),
            "subitems": {
                "title": "Subitems",
                "description": "The row's subitems (the board's `subitems:` says how they "
                "are matched); an empty list under `subitems.prune` archives them all. "
                "Left out: the row's subitems are left alone.",
                "type": "array",
                "items": _subitem_row(),
            },
        },
        required=("name",),
    )
    return _object(
        "Items",
        "Seed items of the board and how they are matched to live items.",
        {
            "match_by": _match_by(),
            "mode": _enum(
                "Item mode",
                "upsert (default): matched items are made equal to the "
                "manifest; create_only: create missing items, never overwrite.",
                ITEM_MODES,
            ),
            "prune": _flag(
                "Prune items", "Archive live items the manifest lacks (needs --allow-destroy)."
            ),
            "order": _enum(
                "Item order",
                "unmanaged (default): new items are placed next to their "
                "neighbours in the rows, existing items stay where they are; managed: "
                "existing items are moved too, so each group shows the rows' order.",
                ITEM_ORDERS,
            ),
            "rows": {
                "title": "Rows",
                "description": "The items, in the desired order.",
                "type": "array",
                "items": row,
            },
        },
    )


def _board_body() -> dict[str, dict[str, Any]]:
    """The keys a board shares with a template."""
    return {
        "kind": _enum("Board kind", "public (default), private or share.", BOARD_KINDS),
        "description": _clearable_string("Board description", "Shown on monday."),
        "item_nickname": _item_nickname(),
        "columns": {
            "title": "Columns",
            "description": "List order is the desired order.",
            "type": "array",
            "items": {"$ref": "#/$defs/column"},
        },
        "groups": {
            "title": "Groups",
            "description": "List order is the desired order, top to bottom.",
            "type": "array",
            "items": {"$ref": "#/$defs/group"},
        },
        "prune": _flag(
            "Prune",
            "Remove live columns and groups the manifest lacks, and, where owners or "
            "subscribers are declared, members neither list names (needs --allow-destroy "
            "at apply).",
        ),
        "owners": _members(
            "Board owners",
            "Users (by email) and teams ({team: Name}) who own the board; those missing are "
            "added as owners (add_users_to_board / add_teams_to_board, kind owner). "
            "Omitted: owners are left alone.",
        ),
        "subscribers": _members(
            "Board subscribers",
            "Users and teams who are members of the board (owners count as members); "
            "those missing are subscribed. Omitted: subscribers are left alone.",
        ),
        "role": _enum(
            "Board role",
            "What the board's members may do by default (set_board_permission): editor "
            "(structure and content), contributor (content only) or viewer (read only). "
            "Omitted: left alone.",
            BOARD_ROLES,
        ),
        "subscribe_people": _flag(
            "Subscribe people",
            "true (default): people that item values assign (users or "
            "teams) who are not members of the board are subscribed to it first, as a "
            "plan action `+ board.<key>.subscribers` (this gives them access to the "
            "board); false: assigning a non-member is a plan error. Pending, deactivated "
            "and view-only users (and guests, except on shareable boards) are always a "
            "plan error.",
        ),
        "items": {"$ref": "#/$defs/items"},
        "subitems": {"$ref": "#/$defs/subitems"},
    }


def _board() -> dict[str, Any]:
    workspace_ref = {
        "title": "Workspace",
        "description": 'A workspace key from this manifest, or {id: "123"} for an existing '
        "workspace. Omitted: the account's main workspace.",
        "anyOf": [
            {"type": "string", "minLength": 1},
            _object(
                "Existing workspace",
                "An existing workspace, by its monday id.",
                {"id": _monday_id("Workspace id", "The workspace's monday id.")},
                required=("id",),
            ),
        ],
    }
    return _object(
        "Board",
        "A board. Identity: a pinned id, else its name (or previous_names) in its workspace.",
        {
            "name": _string("Board name", "Name on monday.", minLength=1),
            "key": _string(
                "Board key",
                "Local handle used in plan addresses. Default: slug of the name.",
                pattern=KEY_PATTERN,
            ),
            "workspace": workspace_ref,
            "folder": _string(
                "Folder",
                'The path of the folder the board sits in, in its workspace ("Clients/'
                'Active"): a folder the workspace declares, or one on monday. Left out: the '
                "board stays where it is.",
                minLength=1,
            ),
            "id": _monday_id("Board id", "Pin to an existing board by its monday id."),
            "previous_names": _string_list(
                "Previous names", "Earlier names: a rename is an update, never delete + create."
            ),
            "template": _string(
                "Template", "Name of a template whose body this board starts from.", minLength=1
            ),
            "vars": {
                "title": "Template variables",
                "description": "Values for the template's ${name} placeholders.",
                "type": "object",
                "additionalProperties": {"type": ["string", "number", "boolean"]},
            },
            **_board_body(),
        },
        required=("name",),
    )


def _template() -> dict[str, Any]:
    return _object(
        "Template",
        "A reusable board body; strings may hold ${name} placeholders filled by a board's vars.",
        _board_body(),
    )


def document_schema(
    title: str, description: str, kind: str, properties: dict[str, Any]
) -> dict[str, Any]:
    """The JSON Schema of a format version 1 YAML document of ``kind`` (manifest, project
    configuration): ``version: 1`` and ``properties``, nothing else."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": f"{description} (format version 1).",
        "type": "object",
        "properties": {
            "version": {
                "title": "Format version",
                "description": f"{kind} format version; this boardops reads 1.",
                "const": 1,
            },
            **properties,
        },
        "required": ["version"],
        "additionalProperties": False,
    }


def manifest_schema() -> dict[str, Any]:
    """The JSON Schema of one manifest document (a fresh copy on every call)."""
    properties = {
        "workspaces": {
            "title": "Workspaces",
            "description": "Workspaces this manifest manages.",
            "type": "array",
            "items": {"$ref": "#/$defs/workspace"},
        },
        "templates": {
            "title": "Templates",
            "description": "Reusable board bodies, by name.",
            "type": "object",
            "additionalProperties": {"$ref": "#/$defs/template"},
        },
        "boards": {
            "title": "Boards",
            "description": "Boards this manifest manages.",
            "type": "array",
            "items": {"$ref": "#/$defs/board"},
        },
        "week_start": _enum(
            "Week start",
            "The first day of the week that week values start on (monday "
            "or sunday); every manifest that states it must agree. Default: the "
            "account's first day of the week.",
            WEEK_STARTS,
        ),
    }
    return {
        **document_schema(
            "boardops manifest",
            "monday.com workspaces, boards, columns, groups and seed items as code",
            "Manifest",
            properties,
        ),
        "$defs": {
            "workspace": _workspace(),
            "member": _member(),
            "folder": _folder(),
            "template": _template(),
            "board": _board(),
            "column": _column(),
            "label": _label(),
            "group": _group(),
            "items": _items(),
            "subitems": _subitems(),
        },
    }


def render_schema() -> str:
    """The schema as the text of ``schemas/boardops.schema.json``."""
    return json.dumps(manifest_schema(), indent=2, ensure_ascii=False) + "\n"
