"""What a document may look like before the sandbox parses, validates or costs it.

graphql-core's parser and validator, and the executor, are linear in a document's size at
best: a request that is huge, nested very deep, or that repeats one field thousands of
times in a selection set (the overlapping-fields rule compares every pair) would hold a
server thread for seconds or minutes. ``check_shape`` refuses such documents up front, in
time linear in the text, without ever expanding a fragment:

* the text: at most ``Limits.max_query_length`` characters and ``max_query_tokens`` lexical
  tokens, brackets nested at most ``MAX_LEXICAL_NESTING`` deep (counted by the lexer, so
  before the recursive parser sees the document; a text shorter than ``max_query_tokens``
  characters is lexed only when the parser refuses it);
* the parsed document: at most ``max_query_fragments`` fragment definitions; each field
  name (or alias) and each fragment spread at most ``max_repeated_selections`` times in
  one selection set; once fragments are expanded (sizes memoised per fragment, so a
  fragment spread twice per level over 30 levels costs 30 steps, not 2**30), at most
  ``max_query_fields`` fields in the operations and nesting at most ``max_query_depth``.

The complexity cap itself (``limits.estimate_complexity``, memoised the same way) runs
next, still before validation. Every refusal is monday's ``ComplexityException`` answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
)
from graphql.language import Lexer

from boardops.sandbox.limits import Limits

MAX_LEXICAL_NESTING = 64
_OPENING = {TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L}
_CLOSING = {TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R}


class TooComplex(Exception):
    """The document is refused before it is parsed or validated; ``str`` says why."""


def check_text(query: str, limits: Limits, *, short_too: bool = False) -> None:
    """Refuse a document that is too long, has too many tokens or nests too deep.

    A text of at most ``max_query_tokens`` characters cannot hold too many tokens, so it
    is only lexed with ``short_too`` (done when the parser refused it, to tell nesting
    from other syntax errors). Lexing errors are left for the parser to report.
    """
    if len(query) > limits.max_query_length:
        raise TooComplex(
            f"Query is too long: {len(query)} characters, the maximum is {limits.max_query_length}"
        )
    if len(query) <= limits.max_query_tokens and not short_too:
        return
    lexer = Lexer(Source(query))
    tokens = nesting = 0
    try:
        token = lexer.advance()
        while token.kind != TokenKind.EOF:
            tokens += 1
            if tokens > limits.max_query_tokens:
                raise TooComplex(
                    f"Query is too complex: more than {limits.max_query_tokens} tokens"
                )
            if token.kind in _OPENING:
                nesting += 1
                if nesting > MAX_LEXICAL_NESTING:
                    raise TooComplex(
                        f"Query is too complex: nested more than {MAX_LEXICAL_NESTING} deep"
                    )
            elif token.kind in _CLOSING:
                nesting -= 1
            token = lexer.advance()
    except GraphQLError:
        return  # a syntax error: the parser reports it


def check_shape(document: DocumentNode, limits: Limits) -> None:
    """Refuse a parsed document whose selections repeat, expand or nest too much."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    if len(fragments) > limits.max_query_fragments:
        raise TooComplex(
            f"Query is too complex: {len(fragments)} fragments, the maximum is "
            f"{limits.max_query_fragments}"
        )
    for selection_set in _selection_sets(document):
        _check_repeats(selection_set, limits.max_repeated_selections)
    sizes = _FragmentSizes(fragments)
    fields = 0
    for definition in document.definitions:
        if isinstance(definition, (OperationDefinitionNode, FragmentDefinitionNode)):
            count, depth = sizes.of(definition.selection_set)
            if depth > limits.max_query_depth:
                raise TooComplex(
                    f"Query is too complex: nested {depth} deep, the maximum is "
                    f"{limits.max_query_depth}"
                )
            if isinstance(definition, OperationDefinitionNode):
                fields += count
    if fields > limits.max_query_fields:
        raise TooComplex(
            f"Query is too complex: {fields} fields once its fragments are expanded, "
            f"the maximum is {limits.max_query_fields}"
        )


def _selection_sets(document: DocumentNode) -> Iterator[SelectionSetNode]:
    """Every selection set in the document, without recursion."""
    stack: list[SelectionSetNode] = [
        d.selection_set
        for d in document.definitions
        if isinstance(d, (OperationDefinitionNode, FragmentDefinitionNode))
    ]
    while stack:
        selection_set = stack.pop()
        yield selection_set
        for selection in selection_set.selections:
            nested = getattr(selection, "selection_set", None)
            if nested is not None:
                stack.append(nested)


def _check_repeats(selection_set: SelectionSetNode, most: int) -> None:
    """A response name or a spread repeated more than ``most`` times in one selection set
    (inline fragments flattened, as the overlapping-fields rule sees it)."""
    seen: Counter[str] = Counter()
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
            elif isinstance(selection, FragmentSpreadNode):
                key = "..." + selection.name.value
            else:
                assert isinstance(selection, InlineFragmentNode)
                stack.append(selection.selection_set)
                continue
            seen[key] += 1
            if seen[key] > most:
                shown = key if key.startswith("...") else f"field {key!r}"
                raise TooComplex(
                    f"Query is too complex: {shown} is selected more than {most} times "
                    "in one selection set"
                )


class _FragmentSizes:
    """Fields and nesting depth of a selection set with its fragments expanded, memoised
    per fragment and computed without recursion; a spread closing a cycle adds nothing
    (validation reports the cycle)."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self._fragments = fragments
        self._known: dict[str, tuple[int, int]] = {}

    def of(self, selection_set: SelectionSetNode) -> tuple[int, int]:
        for name in self._spreads(selection_set):
            self._resolve(name)
        return self._measure(selection_set)

    def _resolve(self, root: str) -> None:
        if root in self._known or root not in self._fragments:
            return
        path = [(root, iter(self._spreads(self._fragments[root].selection_set)))]
        on_path = {root}
        while path:
            name, pending = path[-1]
            for spread in pending:
                fresh = spread in self._fragments and spread not in self._known
                if fresh and spread not in on_path:
                    selections = self._fragments[spread].selection_set
                    path.append((spread, iter(self._spreads(selections))))
                    on_path.add(spread)
                    break
            else:
                path.pop()
                on_path.discard(name)
                self._known[name] = self._measure(self._fragments[name].selection_set)

    def _measure(self, selection_set: SelectionSetNode) -> tuple[int, int]:
        """(fields, depth) of ``selection_set``, given its fragments' sizes (a spread
        counts one level, so a long chain of spreads is as deep as it is long)."""
        fields = depth = 0
        stack = [(selection_set, 1)]
        while stack:
            current, level = stack.pop()
            depth = max(depth, level)
            for selection in current.selections:
                if isinstance(selection, FieldNode):
                    fields += 1
                    if selection.selection_set is not None:
                        stack.append((selection.selection_set, level + 1))
                elif isinstance(selection, InlineFragmentNode):
                    stack.append((selection.selection_set, level))
                else:
                    assert isinstance(selection, FragmentSpreadNode)
                    inner_fields, inner_depth = self._known.get(selection.name.value, (0, 0))
                    fields += inner_fields
                    depth = max(depth, level + inner_depth)
        return fields, depth

    @staticmethod
    def _spreads(selection_set: SelectionSetNode) -> list[str]:
        names: list[str] = []
        stack = [selection_set]
        while stack:
            for selection in stack.pop().selections:
                if isinstance(selection, FragmentSpreadNode):
                    names.append(selection.name.value)
                else:
                    nested = getattr(selection, "selection_set", None)
                    if nested is not None:
                        stack.append(nested)
        return names
