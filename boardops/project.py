"""The project configuration: what one repository of manifests is allowed to touch.

One file, ``boardops-project.yaml``, taken from ``--project FILE`` (env
``BOARDOPS_PROJECT``) or else from the current directory, declares

* ``scope``: the workspaces (and boards outside them) this repository manages. When it is
  present, every command that reads boards refuses, before reading their items, any board
  outside it, so a pull request's manifests cannot print a private board into a comment;
* ``env``: the environment variables manifests may read with ``${env:NAME}`` besides
  ``BOARDOPS_VAR_*`` (Terraform's ``TF_VAR_`` convention).

CI takes this file from the base branch on pull requests: a pull request cannot widen
what it is allowed to read. ``schemas/boardops-project.schema.json`` is
:func:`project_schema` as text (a test keeps them equal).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from boardops.errors import ManifestError, ManifestErrors, SourceSpan
from boardops.manifest.schema import document_schema
from boardops.manifest.source import SECRET_ENV_NAMES, field_path, parse_documents

PROJECT_FILE_NAME = "boardops-project.yaml"
PROJECT_ENV = "BOARDOPS_PROJECT"
# Manifests may always read these: the names say they were meant for manifests.
MANIFEST_ENV_PREFIX = "BOARDOPS_VAR_"
# Largest configuration file read: a few dozen lines are typical.
MAX_PROJECT_BYTES = 1 << 20

_ENV_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"


@dataclass(frozen=True)
class Scope:
    """Workspaces and boards by name or id; ``main_workspace`` for the account's main one."""

    workspaces: tuple[str | int, ...] = ()
    main_workspace: bool = False
    boards: tuple[str | int, ...] = ()


@dataclass(frozen=True)
class ProjectConfig:
    """A loaded ``boardops-project.yaml``; ``scope`` is None when the file declares none."""

    path: str
    scope: Scope | None = None
    env: frozenset[str] = field(default_factory=frozenset)

    def allows_env(self, name: str) -> bool:
        return allows_env(name, self.env)


def allows_env(name: str, listed: frozenset[str] = frozenset()) -> bool:
    """Whether a manifest may read the environment variable ``name``."""
    if name in SECRET_ENV_NAMES:
        return False
    return name.startswith(MANIFEST_ENV_PREFIX) or name in listed


def _name_or_id(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "type": "array",
        "items": {
            "oneOf": [
                {"type": "string", "minLength": 1, "description": "The name."},
                {"type": "integer", "minimum": 1, "description": "The monday id."},
            ]
        },
        "uniqueItems": True,
    }


def project_schema() -> dict[str, Any]:
    """The JSON Schema of ``boardops-project.yaml`` (a fresh copy on every call)."""
    return document_schema(
        "boardops project configuration",
        "What one repository of boardops manifests may read and change",
        "Configuration",
        {
            "scope": {
                "title": "Scope",
                "description": "The workspaces and boards this repository manages. When "
                "present, plan, apply, drift, describe and export refuse any board outside "
                "it before reading its items.",
                "type": "object",
                "properties": {
                    "workspaces": {
                        **_name_or_id("Workspaces"),
                        "description": "Workspaces by name or id: every board in them is in scope.",
                    },
                    "main_workspace": {
                        "title": "Main workspace",
                        "description": "Whether the account's main workspace (where boards "
                        "without workspace: live) is in scope.",
                        "type": "boolean",
                    },
                    "boards": {
                        **_name_or_id("Boards"),
                        "description": "Boards outside those workspaces, by name or id.",
                    },
                },
                "additionalProperties": False,
            },
            "env": {
                "title": "Environment variables",
                "description": "Environment variables manifests may read with ${env:NAME}, "
                f"besides {MANIFEST_ENV_PREFIX}*.",
                "type": "array",
                "items": {
                    "type": "string",
                    "pattern": _ENV_NAME_PATTERN,
                    "not": {"enum": sorted(SECRET_ENV_NAMES)},
                },
                "uniqueItems": True,
            },
        },
    )


def render_project_schema() -> str:
    """The schema as the text of ``schemas/boardops-project.schema.json``."""
    return json.dumps(project_schema(), indent=2, ensure_ascii=False) + "\n"


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(project_schema())


def _unknown_keys(error: Any) -> list[str]:
    return sorted(set(error.instance) - set(error.schema.get("properties", {})))


def _schema_error(document: Any, error: Any) -> ManifestError:
    """One schema violation, at the line of the key or value it is about."""
    path = tuple(error.absolute_path)
    span = document.span(path)
    if error.validator == "additionalProperties" and _unknown_keys(error):
        span = document.key_marks.get((*path, _unknown_keys(error)[0]), span)
    return ManifestError(_schema_message(error), span=span, field=field_path(path) or None)


def _schema_message(error: Any) -> str:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        extra = _unknown_keys(error)
        return f"unknown key '{extra[0]}'" if extra else "unknown key"
    if error.validator == "not" and path[:1] == ("env",):
        return f"{error.instance} holds the monday API token and cannot be given to manifests"
    if error.validator == "pattern" and path[:1] == ("env",):
        return "not an environment variable name (letters, digits and _, not starting with a digit)"
    if error.validator == "const":
        return "must be 1 (the configuration format this boardops reads)"
    if error.validator == "required":
        return "missing 'version: 1'"
    if error.validator == "uniqueItems":
        return "listed twice"
    if error.validator in ("type", "oneOf"):
        return "must be " + {
            "scope": "a mapping",
            "env": "a list of variable names",
            "main_workspace": "true or false",
            "workspaces": "a list of names or ids",
            "boards": "a list of names or ids",
        }.get(str(path[-1]) if path else "", "a name or an id" if path else "a mapping")
    return "not allowed here"


def parse_project(file: str, text: str) -> ProjectConfig:
    """The configuration in ``text``; ManifestErrors (file and line) when it is not valid."""
    documents, errors = parse_documents(file, text, interpolate=False)
    if not errors and not documents:
        errors.append(ManifestError("empty: it needs 'version: 1'", span=SourceSpan(file, 1, 1)))
    elif not errors and len(documents) > 1:
        errors.append(
            ManifestError("must hold exactly one YAML document", span=documents[1].span(()))
        )
    if errors:
        raise ManifestErrors(errors)
    document = documents[0]
    found = [
        _schema_error(document, error)
        for error in sorted(
            _validator().iter_errors(document.data), key=lambda e: [str(p) for p in e.path]
        )
    ]
    if found:
        raise ManifestErrors(found)
    data: Mapping[str, Any] = document.data
    scope_data = data.get("scope")
    scope = None
    if scope_data is not None:
        scope = Scope(
            workspaces=tuple(scope_data.get("workspaces", ())),
            main_workspace=bool(scope_data.get("main_workspace", False)),
            boards=tuple(scope_data.get("boards", ())),
        )
    return ProjectConfig(path=file, scope=scope, env=frozenset(data.get("env", ())))


def load_project(path: str | os.PathLike[str]) -> ProjectConfig:
    """Read the configuration file at ``path`` (a regular file of sane size)."""
    name = Path(path).as_posix()
    try:
        if not Path(path).exists():
            raise ManifestError("no such project configuration file", span=SourceSpan(name))
        if not Path(path).is_file():
            raise ManifestError(
                "the project configuration is not a regular file", span=SourceSpan(name)
            )
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ManifestError(
            f"cannot read the project configuration: {error.strerror}", span=SourceSpan(name)
        ) from None
    if len(raw) > MAX_PROJECT_BYTES:
        raise ManifestError(
            f"the project configuration is larger than {MAX_PROJECT_BYTES:,} bytes",
            span=SourceSpan(name),
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ManifestError("not UTF-8 text", span=SourceSpan(name)) from None
    return parse_project(name, text)


def find_project(
    explicit: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> ProjectConfig | None:
    """The project configuration in effect: ``explicit`` (``--project``), else
    ``$BOARDOPS_PROJECT``, else ``boardops-project.yaml`` in ``cwd``; None when there is
    none. A file named explicitly must exist."""
    environ = os.environ if environ is None else environ
    given = explicit if explicit is not None else environ.get(PROJECT_ENV) or None
    if given is not None:
        return load_project(given)
    candidate = Path(cwd if cwd is not None else ".") / PROJECT_FILE_NAME
    if candidate.exists() or candidate.is_symlink():
        return load_project(candidate)
    return None
