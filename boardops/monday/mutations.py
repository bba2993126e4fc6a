"""The mutations boardops sends, their official argument types, and batching.

Several mutations travel in one request as aliased root fields (``m0: create_item(...)``),
each argument passed as a typed ``$variable`` whose type is copied from monday's SDL
(``board_id: ID!``, ``item_id: ID``, ``column_values: JSON``, ``group_id: String`` ...).
Sending a value under the wrong declared type (an ``Int`` where monday wants ``ID!``) is
the classic failure; the table below is checked against the official schema by the tests.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boardops.errors import GraphQLError, OutcomeUnknown

# Per-request complexity cap is 5,000,000 points; keep a margin for estimation error.
MAX_QUERY_COMPLEXITY = 5_000_000
DEFAULT_CHUNK_COMPLEXITY = 4_000_000

# monday does not publish per-mutation costs; these are deliberately pessimistic so
# chunks stay under the per-query cap. The measured cost (``complexity.query``) of every
# batch is logged and counted in the client's stats.
DEFAULT_MUTATION_COMPLEXITY = 30_000

# Lexical tokens per request document, at most: monday publishes no such cap, but a
# server's guards (the sandbox's refuses 5,000) stop huge documents before they cost
# anything, and a document this size is already 60-100 mutations.
DEFAULT_CHUNK_TOKENS = 4_500
_TOKEN = re.compile(r"[_A-Za-z][_0-9A-Za-z]*|[^\s,\w]")

COMPLEXITY_SELECTION = "complexity { before after query reset_in_x_seconds }"


@dataclass(frozen=True)
class MutationSignature:
    """A mutation's name, its arguments with their SDL types, and what it returns."""

    field: str
    arguments: Mapping[str, str]
    returns_object: bool = True
    complexity: int = DEFAULT_MUTATION_COMPLEXITY
    # What to read back from the returned object when it has no ``id``.
    selection: str = "id"

    def required_arguments(self) -> frozenset[str]:
        return frozenset(name for name, kind in self.arguments.items() if kind.endswith("!"))


def _sig(
    field_name: str,
    arguments: str,
    *,
    returns_object: bool = True,
    complexity: int = DEFAULT_MUTATION_COMPLEXITY,
    selection: str = "id",
) -> MutationSignature:
    """A signature with its arguments written as in the SDL: "board_id: ID!, title: String"."""
    parsed = (argument.partition(": ") for argument in arguments.split(", "))
    declared = {name: kind for name, _, kind in parsed}
    return MutationSignature(field_name, declared, returns_object, complexity, selection)


# The arguments every create_*column / update_*column mutation shares.
_COLUMN_CREATE = (
    "board_id: ID!, id: String, title: String!, description: String, after_column_id: ID"
)
_COLUMN_UPDATE = (
    "board_id: ID!, id: String!, title: String, description: String, width: Int, revision: String!"
)

MUTATION_SIGNATURES: Mapping[str, MutationSignature] = {
    sig.field: sig
    for sig in (
        _sig(
            "create_workspace",
            "account_product_id: ID, description: String, kind: WorkspaceKind!, name: String!",
        ),
        _sig(
            "create_board",
            "board_kind: BoardKind!, board_name: String!, board_owner_ids: [ID!], "
            "board_owner_team_ids: [ID!], board_subscriber_ids: [ID!], "
            "board_subscriber_teams_ids: [ID!], description: String, empty: Boolean, "
            "folder_id: ID, item_nickname: ItemNicknameInput, template_id: ID, workspace_id: ID",
            complexity=100_000,
        ),
        # update_board returns the JSON scalar, so it takes no selection.
        _sig(
            "update_board",
            "board_attribute: BoardAttributes!, board_id: ID!, new_value: String!",
            returns_object=False,
        ),
        # Answers an UpdateBoardHierarchyResult, which has no id.
        _sig(
            "update_board_hierarchy",
            "attributes: UpdateBoardHierarchyAttributesInput!, board_id: ID!",
            selection="success message",
        ),
        _sig(
            "create_folder",
            "color: FolderColor, name: String!, parent_folder_id: ID, workspace_id: ID",
        ),
        _sig(
            "update_folder",
            "color: FolderColor, folder_id: ID!, name: String, parent_folder_id: ID",
        ),
        _sig("delete_folder", "folder_id: ID!"),
        _sig("archive_board", "board_id: ID!"),
        _sig("delete_board", "board_id: ID!"),
        _sig(
            "create_column",
            f"{_COLUMN_CREATE}, capabilities: ColumnCapabilitiesInput, defaults: JSON, "
            "column_type: ColumnType!",
        ),
        _sig(
            "create_status_column",
            f"{_COLUMN_CREATE}, capabilities: StatusColumnCapabilitiesInput, "
            "defaults: CreateStatusColumnSettingsInput",
        ),
        _sig(
            "create_dropdown_column",
            f"{_COLUMN_CREATE}, defaults: CreateDropdownColumnSettingsInput",
        ),
        _sig(
            "update_column",
            f"{_COLUMN_UPDATE}, capabilities: ColumnCapabilitiesInput, settings: JSON, "
            "column_type: ColumnType!",
        ),
        _sig(
            "update_status_column",
            f"{_COLUMN_UPDATE}, capabilities: StatusColumnCapabilitiesInput, "
            "settings: UpdateStatusColumnSettingsInput",
        ),
        _sig(
            "update_dropdown_column",
            f"{_COLUMN_UPDATE}, settings: UpdateDropdownColumnSettingsInput",
        ),
        _sig("change_column_title", "board_id: ID!, column_id: String!, title: String!"),
        _sig(
            "change_column_metadata",
            "board_id: ID!, column_id: String!, column_property: ColumnProperty, value: String",
        ),
        _sig("delete_column", "board_id: ID!, column_id: String!"),
        _sig(
            "create_group",
            "board_id: ID!, group_color: String, group_name: String!, position: String, "
            "position_relative_method: PositionRelative, relative_to: String",
        ),
        _sig(
            "update_group",
            "board_id: ID!, group_attribute: GroupAttributes!, group_id: String!, "
            "new_value: String!",
        ),
        _sig("archive_group", "board_id: ID!, group_id: String!"),
        _sig("delete_group", "board_id: ID!, group_id: String!"),
        _sig(
            "create_item",
            "board_id: ID!, column_values: JSON, create_labels_if_missing: Boolean, "
            "group_id: String, item_name: String!, position_relative_method: PositionRelative, "
            "relative_to: ID",
        ),
        _sig(
            "create_subitem",
            "column_values: JSON, create_labels_if_missing: Boolean, item_name: String!, "
            "parent_item_id: ID!",
        ),
        _sig(
            "change_multiple_column_values",
            "board_id: ID!, column_values: JSON!, create_labels_if_missing: Boolean, item_id: ID",
        ),
        _sig(
            "change_simple_column_value",
            "board_id: ID!, column_id: String!, create_labels_if_missing: Boolean, item_id: ID, "
            "value: String",
        ),
        _sig(
            "change_column_value",
            "board_id: ID!, column_id: String!, create_labels_if_missing: Boolean, item_id: ID, "
            "value: JSON!",
        ),
        _sig("move_item_to_group", "group_id: String!, item_id: ID"),
        _sig(
            "change_item_position",
            "group_id: ID, group_top: Boolean, item_id: ID!, "
            "position_relative_method: PositionRelative, relative_to: ID",
        ),
        _sig("archive_item", "item_id: ID"),
        _sig("delete_item", "item_id: ID"),
        _sig("create_or_get_tag", "board_id: ID, tag_name: String"),
        _sig("add_users_to_board", "board_id: ID!, kind: BoardSubscriberKind, user_ids: [ID!]!"),
        _sig("add_teams_to_board", "board_id: ID!, kind: BoardSubscriberKind, team_ids: [ID!]!"),
    )
}


@dataclass(frozen=True)
class MutationCall:
    """One mutation to send: the root field, its arguments, and the fields to read back.

    ``selection`` is what to select on the returned object (``"id"``, ``"id revision"``);
    it must be empty for a mutation that returns a scalar (``update_board``).
    """

    field: str
    args: Mapping[str, object]
    selection: str = "id"

    @property
    def signature(self) -> MutationSignature:
        try:
            return MUTATION_SIGNATURES[self.field]
        except KeyError:
            raise ValueError(f"unknown mutation {self.field!r}") from None


@dataclass(frozen=True)
class MutationResult:
    """What one aliased mutation gave back: its data, or the error monday reported for it."""

    alias: str
    call: MutationCall
    data: Any
    error: GraphQLError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class BatchOutcomeUnknown(OutcomeUnknown):
    """A batch's request was sent and its answer lost.

    ``in_doubt`` (inherited) holds the aliases; ``in_doubt_calls`` the calls of the chunk
    that may or may not have run; ``completed`` the results of earlier chunks, which are
    known; ``not_sent`` the calls of later chunks, which never left the client.
    """

    def __init__(
        self,
        message: str,
        *,
        in_doubt_calls: Sequence[tuple[str, MutationCall]],
        completed: Sequence[MutationResult],
        not_sent: Sequence[MutationCall],
        operation: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.in_doubt_calls = tuple(call for _, call in in_doubt_calls)
        self.completed = tuple(completed)
        self.not_sent = tuple(not_sent)
        super().__init__(
            message,
            in_doubt=[alias for alias, _ in in_doubt_calls],
            operation=operation,
            request_id=request_id,
        )


@dataclass(frozen=True)
class BatchDocument:
    """One request's worth of aliased mutations, ready to send."""

    document: str
    variables: dict[str, object]
    aliases: tuple[str, ...]
    calls: tuple[MutationCall, ...]
    estimated_complexity: int
    operation: str = "boardops_batch"


def _named_type(declared: str) -> str:
    return declared.replace("!", "").replace("[", "").replace("]", "")


def _encode_value(declared: str, value: object) -> object:
    """Shape a Python value for its declared GraphQL type."""
    if value is None:
        return None
    named = _named_type(declared)
    is_list = declared.startswith("[")
    if named == "ID":
        if is_list:
            if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
                raise TypeError(f"expected a list of ids for {declared}, got {value!r}")
            return [None if v is None else _id_string(v) for v in value]
        return _id_string(value)
    if named == "JSON" and not isinstance(value, str):
        # monday documents JSON arguments as JSON-encoded strings; objects are accepted
        # too, but a string is the one form every API version and client agrees on.
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return value


def _id_string(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"an id must be a string or an integer, got {type(value).__name__}")
    return str(value)


def render_call(alias: str, call: MutationCall) -> tuple[str, list[str], dict[str, object]]:
    """The aliased field text, its variable declarations and its variable values."""
    signature = call.signature
    unknown = sorted(set(call.args) - set(signature.arguments))
    if unknown:
        raise ValueError(f"{call.field} has no argument(s) {', '.join(unknown)}")
    for name in sorted(signature.required_arguments()):
        if call.args.get(name) is None:
            raise ValueError(f"{call.field} needs argument {name}")
    selection = call.selection.strip()
    if signature.returns_object and not selection:
        raise ValueError(f"{call.field} returns an object: give it a selection such as 'id'")
    if not signature.returns_object and selection:
        raise ValueError(f"{call.field} returns a scalar and takes no selection")

    declarations: list[str] = []
    arguments: list[str] = []
    values: dict[str, object] = {}
    for name in signature.arguments:  # SDL order keeps documents stable
        if name not in call.args:
            continue
        declared = signature.arguments[name]
        variable = f"{alias}_{name}"
        declarations.append(f"${variable}: {declared}")
        arguments.append(f"{name}: ${variable}")
        values[variable] = _encode_value(declared, call.args[name])
    text = f"{alias}: {call.field}({', '.join(arguments)})"
    if selection:
        text += f" {{ {selection} }}"
    return text, declarations, values


def build_batch_document(
    calls: Sequence[tuple[str, MutationCall]], *, with_complexity: bool = True
) -> BatchDocument:
    """One ``mutation`` document with the given (alias, call) pairs, in order."""
    if not calls:
        raise ValueError("a batch needs at least one mutation")
    fields: list[str] = [COMPLEXITY_SELECTION] if with_complexity else []
    declarations: list[str] = []
    variables: dict[str, object] = {}
    for alias, call in calls:
        text, declared, values = render_call(alias, call)
        fields.append(text)
        declarations.extend(declared)
        variables.update(values)
    head = "mutation boardops_batch"
    if declarations:
        head += f"({', '.join(declarations)})"
    document = head + " {\n  " + "\n  ".join(fields) + "\n}"
    return BatchDocument(
        document=document,
        variables=variables,
        aliases=tuple(alias for alias, _ in calls),
        calls=tuple(call for _, call in calls),
        estimated_complexity=sum(call.signature.complexity for _, call in calls),
    )


@dataclass(frozen=True)
class ChunkLimits:
    max_calls: int
    max_complexity: int = DEFAULT_CHUNK_COMPLEXITY
    max_tokens: int = DEFAULT_CHUNK_TOKENS

    def __post_init__(self) -> None:
        if self.max_calls < 1:
            raise ValueError("a chunk holds at least one mutation")
        if not 0 < self.max_complexity <= MAX_QUERY_COMPLEXITY:
            raise ValueError(f"max_complexity must be in (0, {MAX_QUERY_COMPLEXITY}]")


def chunk_calls(
    calls: Sequence[MutationCall], limits: ChunkLimits
) -> list[list[tuple[str, MutationCall]]]:
    """Split calls, in order, into chunks bounded by count, estimated complexity and
    document tokens (``next_chunk``).

    Aliases (``m0``, ``m1``, ...) number the calls across the whole batch, so an alias
    names one call even when results from several chunks are put together.
    """
    pending = deque((f"m{index}", call) for index, call in enumerate(calls))
    chunks: list[list[tuple[str, MutationCall]]] = []
    while pending:
        chunks.append(next_chunk(pending, limits))
    return chunks


def call_tokens(call: MutationCall) -> int:
    """About how many lexical tokens ``call`` adds to a batch document (its field and its
    variable declarations). A call without arguments (an estimate's stand-in for the
    calls apply will send) counts all its signature's: the most it can take."""
    tokens = 5 + len(_TOKEN.findall(call.selection)) + 2  # alias: field(...) { ... }
    for name, declared in call.signature.arguments.items():
        if name in call.args or not call.args:
            # name: $var in the field; $var: TYPE in the declarations
            tokens += 4 + 3 + len(_TOKEN.findall(declared))
    return tokens


def next_chunk(
    pending: deque[tuple[str, MutationCall]], limits: ChunkLimits
) -> list[tuple[str, MutationCall]]:
    """Take the first chunk off ``pending`` (aliased calls, in order), bounded as
    ``chunk_calls`` bounds them; at least one call when any is pending."""
    chunk: list[tuple[str, MutationCall]] = []
    cost = tokens = 0
    while pending:
        call_cost = pending[0][1].signature.complexity
        more = call_tokens(pending[0][1])
        if chunk and (
            len(chunk) >= limits.max_calls
            or cost + call_cost > limits.max_complexity
            or tokens + more > limits.max_tokens
        ):
            break
        chunk.append(pending.popleft())
        cost += call_cost
        tokens += more
    return chunk


def field_list(calls: Sequence[MutationCall]) -> list[str]:
    """Root fields with counts, for log lines: ``['create_item x3', 'delete_group']``."""
    counts: dict[str, int] = {}
    for call in calls:
        counts[call.field] = counts.get(call.field, 0) + 1
    return [f"{name} x{count}" if count > 1 else name for name, count in counts.items()]


__all__ = [
    "MUTATION_SIGNATURES",
    "BatchDocument",
    "BatchOutcomeUnknown",
    "ChunkLimits",
    "MutationCall",
    "MutationResult",
    "MutationSignature",
    "build_batch_document",
    "chunk_calls",
    "next_chunk",
]
