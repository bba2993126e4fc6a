"""Fixtures of the live acceptance suite (see ``support.py``; off unless BOARDOPS_LIVE=1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live.support import LiveAccount, open_account


@pytest.fixture(scope="session")
def account() -> Iterator[LiveAccount]:
    """The account, with a scratch workspace named after the run; on the way out every
    board and workspace the run made is deleted, whatever happened in between."""
    live = open_account()
    try:
        created = live.mutate(
            "create_workspace",
            "id name",
            name=live.prefix,
            kind="open",
            description="boardops live acceptance run; deleted when the run ends",
        )
        assert created.ok, f"cannot create the scratch workspace: {created.error}"
        live.workspace_id = str(created.data["id"])
        yield live
    finally:
        left = live.clean_up()
        live.connection.close()
        assert not left, "the live suite could not delete: " + "; ".join(left)


@pytest.fixture
def manifests(tmp_path: Path) -> Path:
    return tmp_path / "manifests"
