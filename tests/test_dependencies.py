"""Every runtime dependency pyproject declares is imported somewhere in boardops/: an
unused one only costs installs, lock entries and supply-chain surface."""

from __future__ import annotations

import ast
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    from pip._vendor import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def top_level_imports() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "boardops").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def normalized(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_every_declared_runtime_dependency_is_imported_by_boardops():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {normalized(Requirement(line).name) for line in project["dependencies"]}
    imported = {
        normalized(distribution)
        for module in top_level_imports()
        for distribution in packages_distributions().get(module, ())
    }
    assert declared - imported == set()
