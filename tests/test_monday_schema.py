"""Every GraphQL document the client can produce is valid against monday's official SDL,
and its variables coerce to the declared types (no Int where monday wants ID!)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import graphql
import httpx
import pytest
import respx
from graphql.execution.values import get_variable_values

import boardops
from boardops.monday import MUTATION_SIGNATURES, MutationCall
from boardops.monday.mutations import build_batch_document
from boardops.monday.operations import (
    ALL_QUERY_DOCUMENTS,
    COLUMN_FIELDS,
    CREATED_BOARD_FIELDS,
)
from tests.support.clock import FakeClock
from tests.support.monday_fakes import API_URL, make_client, ok

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "shared" / "monday-schema" / "2026-10.graphql"

pytestmark = pytest.mark.skipif(
    not SCHEMA_FILE.exists(),
    reason=f"monday's official SDL is not at {SCHEMA_FILE} (fresh clone outside CI)",
)


@pytest.fixture(scope="module")
def schema() -> graphql.GraphQLSchema:
    return graphql.build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))


def check(schema: graphql.GraphQLSchema, document: str, variables: dict[str, Any]) -> None:
    """Validate the document and coerce the variables exactly as a server would."""
    parsed = graphql.parse(document)
    problems = graphql.validate(schema, parsed)
    assert not problems, [p.message for p in problems]
    operations = [d for d in parsed.definitions if isinstance(d, graphql.OperationDefinitionNode)]
    assert len(operations) == 1
    coerced = get_variable_values(schema, operations[0].variable_definitions or (), variables)
    assert isinstance(coerced, dict), [e.message for e in coerced]


def sample_value(kind: graphql.GraphQLInputType) -> Any:
    """A value of the given input type, with ids as Python ints (the encoder must fix them)."""
    if isinstance(kind, graphql.GraphQLNonNull):
        return sample_value(kind.of_type)
    if isinstance(kind, graphql.GraphQLList):
        return [sample_value(kind.of_type)]
    if isinstance(kind, graphql.GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, graphql.GraphQLInputObjectType):
        return {
            name: sample_value(field.type)
            for name, field in kind.fields.items()
            if isinstance(field.type, graphql.GraphQLNonNull)
        }
    assert isinstance(kind, graphql.GraphQLScalarType)
    return {"ID": 12345, "String": "text", "Int": 1, "Float": 1.5, "Boolean": True}.get(
        kind.name, {"status": {"index": 1}}
    )


@pytest.mark.parametrize("name", sorted(ALL_QUERY_DOCUMENTS))
def test_query_document_is_valid(schema, name):
    problems = graphql.validate(schema, graphql.parse(ALL_QUERY_DOCUMENTS[name]))
    assert not problems, [p.message for p in problems]


@pytest.mark.parametrize("field", sorted(MUTATION_SIGNATURES))
def test_mutation_signature_matches_the_official_argument_types(schema, field):
    mutation_type = schema.mutation_type
    assert mutation_type is not None
    official = mutation_type.fields[field]
    ours = MUTATION_SIGNATURES[field]
    for name, declared in ours.arguments.items():
        assert name in official.args, f"{field} has no argument {name}"
        assert str(official.args[name].type) == declared, f"{field}.{name}"
    required = {n for n, a in official.args.items() if isinstance(a.type, graphql.GraphQLNonNull)}
    assert required <= set(ours.arguments), f"{field} misses required arguments"
    returns_object = not isinstance(
        graphql.get_named_type(official.type), graphql.GraphQLScalarType
    )
    assert ours.returns_object == returns_object


def test_a_batch_of_every_mutation_with_every_argument_is_valid(schema):
    mutation_type = schema.mutation_type
    assert mutation_type is not None
    calls = []
    for field, signature in sorted(MUTATION_SIGNATURES.items()):
        official = mutation_type.fields[field]
        args = {name: sample_value(official.args[name].type) for name in signature.arguments}
        calls.append(
            MutationCall(field, args, signature.selection if signature.returns_object else "")
        )
    batch = build_batch_document([(f"m{i}", call) for i, call in enumerate(calls)])
    check(schema, batch.document, batch.variables)


# The selections apply asks of mutations that answer with an object (the rest take "id" or
# their signature's own selection, which the batch above covers).
APPLY_SELECTIONS = {
    "create_board": CREATED_BOARD_FIELDS,
    "create_column": COLUMN_FIELDS,
    "create_status_column": COLUMN_FIELDS,
    "create_dropdown_column": COLUMN_FIELDS,
    "change_column_metadata": COLUMN_FIELDS,
    "update_status_column": COLUMN_FIELDS,
    "update_dropdown_column": COLUMN_FIELDS,
}


@pytest.mark.parametrize("field", sorted(APPLY_SELECTIONS))
def test_the_selections_apply_asks_of_mutations_are_valid(schema, field):
    mutation_type = schema.mutation_type
    assert mutation_type is not None
    official = mutation_type.fields[field]
    args = {
        name: sample_value(official.args[name].type)
        for name in MUTATION_SIGNATURES[field].arguments
    }
    batch = build_batch_document([("m0", MutationCall(field, args, APPLY_SELECTIONS[field]))])
    check(schema, batch.document, batch.variables)


def test_no_graphql_document_or_selection_is_written_outside_boardops_monday():
    """Documents live in ``boardops.monday`` (operations, mutations), where the tests above
    validate them; the sandbox, a backend, parses what it is sent."""
    package = Path(boardops.__file__).resolve().parent
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative.startswith(("monday/", "sandbox/")):
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in GRAPHQL_SHAPES:
            found += [f"{relative}: {m.group(0)!r}" for m in pattern.finditer(text)]
    assert not found


GRAPHQL_SHAPES = (
    # a document: ``query name(...) {`` or ``mutation name {`` at the start of a line
    re.compile(r"^\s*(query|mutation)\s+\w+\s*[({]", re.MULTILINE),
    # a selection: a string of field names and braces only, such as "id groups { id }"
    re.compile(r"[\"'][a-z_]+( [a-z_]+)* \{ [a-z_ {}]+ \}[a-z_ {}]*[\"']"),
    re.compile(r"[\"']id( [a-z_]+)+[\"']"),
)


def test_an_integer_board_id_is_sent_as_the_string_id_monday_declares(schema):
    batch = build_batch_document(
        [("m0", MutationCall("delete_group", {"board_id": 7, "group_id": "topics"}))]
    )
    check(schema, batch.document, batch.variables)
    assert batch.variables["m0_board_id"] == "7"


def test_the_check_catches_an_int_declared_where_monday_wants_id(schema):
    wrong = "mutation m($b: Int!) { delete_board(board_id: $b) { id } }"
    with pytest.raises(AssertionError):
        check(schema, wrong, {"b": 1})


def fake_monday(request: httpx.Request) -> httpx.Response:
    """Just enough answers for each operation the client sends."""
    query = json.loads(request.content)["query"]
    page = {"cursor": None, "items": [{"id": "1", "name": "x"}]}
    if "next_items_page" in query:
        return ok({"next_items_page": page})
    if "boards_structure" in query:
        return ok({"boards": [{"id": "1", "items_page": {"cursor": "c", "items": []}}]})
    if "items_first_page" in query or "items_by_column_values" in query:
        return ok({"boards": [{"items_page": {"cursor": "c", "items": []}}]})
    if query.startswith("mutation"):
        return ok({})
    for root in ("boards", "workspaces", "users", "tags"):
        if f" {root}(" in query:
            return ok({root: []})
    return ok({"me": {"id": "1"}})


def test_every_request_the_client_sends_is_valid_with_its_variables(schema):
    clock = FakeClock()
    with respx.mock(assert_all_called=True) as router:
        route = router.post(API_URL).mock(side_effect=fake_monday)
        client = make_client(clock)
        list(client.iter_items(5))
        client.read_boards([1, 2], state="all")
        client.find_items(5, [{"column_id": "key", "compare_value": ["a"], "operator": "any_of"}])
        list(client.iter_boards(workspace_ids=[3]))
        list(client.iter_workspaces(ids=[3]))
        client.users()
        client.tags([4])
        client.me()
        client.mutate_batch(
            [
                MutationCall("create_item", {"board_id": 5, "item_name": "n"}),
                MutationCall(
                    "update_board",
                    {"board_id": 5, "board_attribute": "name", "new_value": "x"},
                    "",
                ),
            ]
        )
    assert route.call_count >= 10
    for call in route.calls:
        sent = json.loads(call.request.content)
        check(schema, sent["query"], sent["variables"])
