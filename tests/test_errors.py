"""The exception tree drawn in ``boardops.errors`` is the whole tree: every exception class
boardops defines is a ``BoardopsError``, or is listed there as internal control flow, and
each one appears in the drawing."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import click

import boardops
from boardops import errors
from boardops.errors import BoardopsError

# Raised and caught inside one module (or, for the sandbox, turned into monday's answers):
# never seen by a caller of boardops.
INTERNAL = frozenset(
    {
        "Stopped",
        "Unreadable",
        "_RetrySignal",
        "_AliasBudgetExceeded",
        "TooComplex",
        "ApiFailure",
        "HttpFailure",
        "ProfileMismatch",
        "ApplyInterrupted",
        "_CallTimedOut",
    }
)


def exception_classes() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for module_info in pkgutil.walk_packages(boardops.__path__, "boardops."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
                and not issubclass(value, click.ClickException)  # the CLI's, click's kind
            ):
                found[name] = value
    return found


def drawn_names() -> set[str]:
    assert errors.__doc__ is not None
    return set(re.findall(r"\b_?[A-Z]\w+\b", errors.__doc__))


def test_every_exception_boardops_defines_is_a_boardops_error_or_internal_control_flow():
    outside = sorted(
        name
        for name, kind in exception_classes().items()
        if not issubclass(kind, BoardopsError) and name not in INTERNAL
    )
    assert not outside


def test_every_exception_boardops_defines_is_drawn_in_the_tree():
    classes = exception_classes()
    assert len(classes) > 30
    assert not sorted(set(classes) - drawn_names())


def test_every_public_error_is_defined_in_errors_module_but_the_batch_outcome():
    elsewhere = sorted(
        f"{kind.__module__}.{name}"
        for name, kind in exception_classes().items()
        if issubclass(kind, BoardopsError) and kind.__module__ != "boardops.errors"
    )
    assert elsewhere == ["boardops.monday.mutations.BatchOutcomeUnknown"]


def test_internal_control_flow_is_listed_in_the_drawing_too():
    assert not sorted(INTERNAL - drawn_names())
