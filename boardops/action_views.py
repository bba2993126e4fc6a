"""What each plan action says in the text and Markdown views: one describer per action
type, registered with ``@describes`` (``boardops.views`` renders the rest of the plan).
A describer gets the action as the JSON plan holds it and returns its headline and its
detail lines."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from boardops.model import printable

PlanDict = Mapping[str, Any]


def _show(value: Any) -> str:
    """A value as a reader expects it: JSON, so strings are quoted and None is null
    (and no character in it can break the line or repaint the terminal)."""
    return printable(json.dumps(value, ensure_ascii=False, sort_keys=True))


# Column types whose values are links to items, shown by key: ``[A-1, A-2]``.
_LINK_TYPES = ("board_relation", "dependency")


def _links_shown(value: Any) -> str:
    """A link value by key (``[A-1, board: B-2]``), never by id; empty is ``[]``."""
    entries = value if isinstance(value, list) else [] if value is None else [value]
    shown = [
        f"{e.get('board')}: {e.get('item')}" if isinstance(e, Mapping) else str(e) for e in entries
    ]
    return printable("[" + ", ".join(shown) + "]")


def _value_shower(action: PlanDict) -> Callable[[str, Any], str]:
    """How each value of an item action is shown: links by key, the rest as JSON."""
    links = {c["key"] for c in action.get("columns", ()) if c.get("type") in _LINK_TYPES}
    return lambda key, value: _links_shown(value) if key in links else _show(value)


def _changes(action: PlanDict) -> list[str]:
    show = _value_shower(action)
    return [
        f"{printable(str(c['field']))}: {show(c['field'], c['before'])} -> "
        f"{show(c['field'], c['after'])}"
        for c in action.get("changes", ())
    ]


def _ref(ref: Mapping[str, Any] | None) -> str:
    if ref is None:
        return "(default)"
    return str(ref["address"]) if ref.get("id") is None else f"{ref['address']} ({ref['id']})"


def _position(position: Mapping[str, Any] | None) -> str:
    if position is None:
        return "at monday's default position"
    return f"{position['relation']} {position['anchor']['address']}"


def _column_spec(spec: Mapping[str, Any]) -> list[str]:
    lines = [f"title: {_show(spec['title'])}", f"type: {spec['type']}"]
    if spec.get("id") is not None:
        lines.append(f"id: {spec['id']}")
    if spec.get("description") is not None:
        lines.append(f"description: {_show(spec['description'])}")
    for label in spec.get("status_labels", ()):
        flags = ", done" if label.get("done") else ""
        lines.append(f"label: {_show(label['label'])} ({label['color']}{flags})")
    for label in spec.get("dropdown_labels", ()):
        lines.append(f"label: {_show(label)}")
    if spec.get("settings"):
        lines.append(f"settings: {_show(spec['settings'])}")
    return lines


Describer = Callable[[PlanDict], tuple[str, list[str]]]
# The describer of each action type, by type name: filled by ``@describes`` next to each.
_DESCRIBERS: dict[str, Describer] = {}


def describes(*type_names: str) -> Callable[[Describer], Describer]:
    """Register a function as what the views say for actions of ``type_names``."""

    def register(describer: Describer) -> Describer:
        for name in type_names:
            if name in _DESCRIBERS:
                raise ValueError(f"{name} has two describers")
            _DESCRIBERS[name] = describer
        return describer

    return register


def _describe(action: PlanDict) -> tuple[str, list[str]]:
    """A one-line headline and detail lines for an action dict."""
    describer = _DESCRIBERS.get(str(action.get("type")))
    if describer is None:
        return f"{action.get('verb', 'changed')} ({action.get('type')})", []
    return describer(action)


@describes("CreateWorkspace")
def _create_workspace(a: PlanDict) -> tuple[str, list[str]]:
    details = [f"name: {_show(a['name'])}", f"kind: {a['workspace_kind']}"]
    if a.get("description") is not None:
        details.append(f"description: {_show(a['description'])}")
    return "create workspace", details


@describes("CreateBoard")
def _create_board(a: PlanDict) -> tuple[str, list[str]]:
    where = _ref(a["workspace"]) if a.get("workspace") else "the main workspace"
    details = [f"name: {_show(a['name'])}", f"kind: {a['board_kind']}", f"workspace: {where}"]
    if a.get("description") is not None:
        details.append(f"description: {_show(a['description'])}")
    if a.get("folder") is not None:
        details.append(f"folder: {_ref(a['folder'])}")
    if a.get("item_nickname") is not None:
        details.append(f"item nickname: {_show(a['item_nickname'])}")
    return "create board", details


@describes("CreateFolder")
def _create_folder(a: PlanDict) -> tuple[str, list[str]]:
    details = [f"name: {_show(a['name'])}", f"workspace: {_ref(a['workspace'])}"]
    if a.get("parent") is not None:
        details.append(f"inside: {_ref(a['parent'])}")
    if a.get("color") is not None:
        details.append(f"color: {a['color']}")
    return "create folder", details


describes("UpdateFolder")(lambda a: (f"update folder ({a['folder_id']})", _changes(a)))


@describes("DeleteFolder")
def _delete_folder(a: PlanDict) -> tuple[str, list[str]]:
    return f"delete empty folder {_show(a['name'])} ({a['folder_id']})", []


@describes("CreateColumn")
def _create_column(a: PlanDict) -> tuple[str, list[str]]:
    after = f", after {a['after']['address']}" if a.get("after") else ""
    spec = a["spec"]
    relation = spec.get("relation")
    if relation and relation.get("reflection_of"):
        return (
            f"take the {spec['type']} column monday adds to this board with "
            f"{relation['reflection_of']['address']} (two-way){_connects(spec)}",
            _column_spec(spec),
        )
    return f"create {spec['type']} column{_connects(spec)}{after}", _column_spec(spec)


def _connects(spec: Mapping[str, Any]) -> str:
    """What a connect-boards or mirror column links, by address (never by id):
    `` -> board.accounts (one item, two-way)``, `` of board.x.column.account: ...``."""
    relation, mirror = spec.get("relation"), spec.get("mirror")
    if relation:
        notes = ["several items" if relation["allow_multiple"] else "one item"]
        if relation["two_way"]:
            notes.append("two-way")
        boards = ", ".join(str(b["address"]) for b in relation["boards"])
        return f" -> {boards} ({', '.join(notes)})"
    if mirror:
        shown = [str(c["address"]) for s in mirror["shows"] for c in s["columns"]]
        return f" of {mirror['relation']['address']}: {', '.join(shown) or 'nothing'}"
    return ""


@describes("ReplaceColumn")
def _replace_column(a: PlanDict) -> tuple[str, list[str]]:
    headline = (
        f"replace column {a['column_id']}: type {a['before_type']} -> {a['spec']['type']}"
        f" ({_values_lost(a.get('values'), 'its values are lost')})"
    )
    return headline, _column_spec(a["spec"])


@describes("DeleteColumn")
def _delete_column(a: PlanDict) -> tuple[str, list[str]]:
    headline = f"delete {a['column_type']} column {_show(a['title'])} ({a['column_id']})"
    return f"{headline} {_held(a.get('values'), 'value')}", []


def _held(count: object, noun: str) -> str:
    """What goes with a deleted or archived object: ``and the 12 items in it``."""
    if not isinstance(count, int):
        return f"and the {noun}s in it"
    if count == 0:
        return f"(no {noun}s left in it)"
    return f"and the {_counted(count, noun)} in it"


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _values_lost(values: object, unknown: str) -> str:
    """What a column replace or delete clears: ``clears 40 values``, ``clears no values``."""
    if not isinstance(values, int):
        return unknown
    return "clears no values" if values == 0 else f"clears {_counted(values, 'value')}"


def _update(what: str) -> Callable[[PlanDict], tuple[str, list[str]]]:
    return lambda a: (f"update {what}", _changes(a))


describes("UpdateWorkspace")(_update("workspace"))
describes("UpdateBoard")(_update("board"))
describes("UpdateColumn")(_update("column"))
describes("UpdateColumnSettings")(_update("column settings"))
describes("UpdateGroup")(_update("group"))


def _item_noun(a: PlanDict) -> str:
    """Item actions also act on subitems (``board.KEY.item[P].subitem[M]``)."""
    return "subitem" if ".subitem[" in str(a.get("address", "")) else "item"


@describes("UpdateItem")
def _update_item(a: PlanDict) -> tuple[str, list[str]]:
    return f"update {_item_noun(a)}", _changes(a)


describes("SetItemLinks")(lambda a: ("set links, once the items they link exist", _changes(a)))


def _place(a: PlanDict, anchor: Callable[[Any], str]) -> str:
    """Where a new label or item goes ("after ..." or "before ..."); "" at the default."""
    position = a.get("position")
    if not position:
        return ""
    return f"{position['relation']} {anchor(position['anchor'])}"


def _then(place: str) -> str:
    return f", {place}" if place else ""


def _label_place(a: PlanDict) -> str:
    return _then(_place(a, _show))


@describes("AddStatusLabel")
def _add_status_label(a: PlanDict) -> tuple[str, list[str]]:
    label = a["label"]
    flags = ", done" if label.get("done") else ""
    headline = f"add status label {_show(label['label'])} ({label['color']}{flags})"
    return headline + _label_place(a), []


@describes("AddDropdownLabel")
def _add_dropdown_label(a: PlanDict) -> tuple[str, list[str]]:
    return f"add dropdown label {_show(a['label'])}{_label_place(a)}", []


def _label_list(labels: Sequence[Any]) -> str:
    return "[" + ", ".join(printable(str(label)) for label in labels) + "]"


@describes("ReorderLabels")
def _reorder_labels(a: PlanDict) -> tuple[str, list[str]]:
    return f"reorder labels {_label_list(a['before'])} -> {_label_list(a['after'])}", []


def _rename(what: str) -> Callable[[PlanDict], tuple[str, list[str]]]:
    return lambda a: (f"rename {what} {_show(a['before'])} -> {_show(a['after'])}", [])


describes("RenameStatusLabel")(_rename("status label"))
describes("RenameDropdownLabel")(_rename("dropdown label"))


def _label_verb(verb: str, what: str) -> Callable[[PlanDict], tuple[str, list[str]]]:
    return lambda a: (f"{verb} {what} {_show(a['label'])}", [])


describes("DeactivateStatusLabel")(_label_verb("deactivate", "status label"))
describes("ReactivateDropdownLabel")(_label_verb("reactivate", "dropdown label"))
describes("DeactivateDropdownLabel")(_label_verb("deactivate", "dropdown label"))


@describes("UpdateStatusLabel")
def _update_status_label(a: PlanDict) -> tuple[str, list[str]]:
    return f"update status label {_show(a['label'])}", _changes(a)


@describes("CreateGroup")
def _create_group(a: PlanDict) -> tuple[str, list[str]]:
    details = [f"title: {_show(a['title'])}"]
    if a.get("color") is not None:
        details.append(f"color: {a['color']}")
    return f"create group, {_position(a.get('position'))}", details


@describes("MoveGroup")
def _move_group(a: PlanDict) -> tuple[str, list[str]]:
    return f"move group {_position(a['position'])}", []


@describes("ArchiveGroup")
def _archive_group(a: PlanDict) -> tuple[str, list[str]]:
    return (
        f"archive group {_show(a['title'])} ({a['group_id']}) {_held(a.get('items'), 'item')}",
        [],
    )


@describes("AddBoardSubscribers")
def _add_board_subscribers(a: PlanDict) -> tuple[str, list[str]]:
    counts = []
    for key, noun in (("user_ids", "user"), ("team_ids", "team")):
        n = len(a.get(key, ()))
        if n:
            counts.append(f"{n} {noun}{'' if n == 1 else 's'}")
    headline = f"add {' and '.join(counts)} to the board (this gives them access to it)"
    return headline, [printable(str(person)) for person in a.get("people", ())]


def _members_counted(a: PlanDict) -> str:
    counts = []
    for key, noun in (("user_ids", "user"), ("team_ids", "team")):
        n = len(a.get(key, ()))
        if n:
            counts.append(f"{n} {noun}{'' if n == 1 else 's'}")
    return " and ".join(counts)


def _people(a: PlanDict) -> list[str]:
    return [printable(str(person)) for person in a.get("people", ())]


@describes("AddBoardOwners")
def _add_board_owners(a: PlanDict) -> tuple[str, list[str]]:
    return f"add {_members_counted(a)} to the board as owners", _people(a)


@describes("RemoveBoardMembers")
def _remove_board_members(a: PlanDict) -> tuple[str, list[str]]:
    return f"remove {_members_counted(a)} from the board (they lose access to it)", _people(a)


@describes("SetBoardRole")
def _set_board_role(a: PlanDict) -> tuple[str, list[str]]:
    before = a.get("before")
    if before is None:
        return f"set the board's role to {a['role']}", []
    return f"change the board's role: {before} -> {a['role']}", []


@describes("AddWorkspaceMembers")
def _add_workspace_members(a: PlanDict) -> tuple[str, list[str]]:
    as_what = " as owners" if a.get("owners") else " (this gives them access to it)"
    return f"add {_members_counted(a)} to the workspace{as_what}", _people(a)


@describes("RemoveWorkspaceMembers")
def _remove_workspace_members(a: PlanDict) -> tuple[str, list[str]]:
    return f"remove {_members_counted(a)} from the workspace (they lose access to it)", _people(a)


@describes("CreateTag")
def _create_tag(a: PlanDict) -> tuple[str, list[str]]:
    # A private or shareable board's tags are its own; other boards use the account's.
    whose = "account" if a.get("board") is None else "board"
    return f"create {whose} tag {_show(a['name'])}", []


def _item_place(a: PlanDict) -> str:
    return _place(a, lambda anchor: str(anchor["address"]))


@describes("CreateItem")
def _create_item(a: PlanDict) -> tuple[str, list[str]]:
    group = a["group"]["address"] if a.get("group") else "the board's first group"
    details = [f"name: {_show(a['name'])}", f"group: {group}"]
    show = _value_shower(a)
    details.extend(
        f"{printable(str(key))}: {show(key, value)}" for key, value in a.get("values", {}).items()
    )
    place = _item_place(a)
    return "create item" + _then(place), details


@describes("MoveItem")
def _move_item(a: PlanDict) -> tuple[str, list[str]]:
    place = _item_place(a)
    if place and a["to_group"].get("id") == a.get("from_group_id"):
        return f"move item {place}", []
    return f"move item to {a['to_group']['address']}" + _then(place), []


@describes("MoveBoard")
def _move_board(a: PlanDict) -> tuple[str, list[str]]:
    if a.get("to_folder") is None:
        return f"move from {a['from_workspace']} to {a['to_name']}", []
    into = f"folder {_show(a.get('to_folder_path'))}"
    was = a.get("from_folder")
    left = "its workspace's top" if was == "" else f"folder {_show(was)}"
    if a.get("moves_workspace", True):
        return f"move from {a['from_workspace']} to {into} in {a['to_name']}", []
    return f"move from {left} to {into}" if was is not None else f"move to {into}", []


def _adopt(noun: str, id_field: str) -> Callable[[PlanDict], tuple[str, list[str]]]:
    def describe(a: PlanDict) -> tuple[str, list[str]]:
        return f"adopt existing {noun} {_show(a['name'])} (id {a[id_field]})", []

    return describe


describes("AdoptWorkspace")(_adopt("workspace", "workspace_id"))
describes("AdoptBoard")(_adopt("board", "board_id"))


@describes("AdoptItem")
def _adopt_item(a: PlanDict) -> tuple[str, list[str]]:
    return f"adopt existing item {_show(a['name'])} (id {a['item_id']})", []


@describes("ArchiveItem")
def _archive_item(a: PlanDict) -> tuple[str, list[str]]:
    return f"archive {_item_noun(a)} {_show(a['name'])} ({a['item_id']})", []


@describes("CreateSubitemsBoard")
def _create_subitems_board(a: PlanDict) -> tuple[str, list[str]]:
    return "create subitems board", [
        f"with the {_show(a['title'])} (subtasks) column of {_ref(a['board'])}"
    ]


@describes("CreateSubitem")
def _create_subitem(a: PlanDict) -> tuple[str, list[str]]:
    details = [f"name: {_show(a['name'])}", f"parent: {_ref(a['parent'])}"]
    details.extend(
        f"{printable(str(key))}: {_show(value)}" for key, value in a.get("values", {}).items()
    )
    return "create subitem", details
