"""The sandbox's resolvers, one module per object kind (like alembic's autogenerate/compare/).

Each module registers its resolvers next to their definitions with the decorators of
``executor.py`` (``@query``, ``@mutation``, ``mutations(...)``, ``@type_field``,
``type_fields(...)``); importing this package fills the engine's tables, which
``executor.sandbox_schema()`` attaches.
"""

from boardops.sandbox.resolvers import (
    account,
    boards,
    columns,
    filters,
    folders,
    groups,
    items,
    pages,
    subitems,
    tags,
    workspaces,
)

__all__ = [
    "account",
    "boards",
    "columns",
    "filters",
    "folders",
    "groups",
    "items",
    "pages",
    "subitems",
    "tags",
    "workspaces",
]
