"""Read scope: which live workspaces and boards a command may read, written once.

A repository's ``boardops-project.yaml`` may declare a ``scope`` (``boardops.project``):
the workspaces it manages (by name or id), whether the account's main workspace is one of
them (``main_workspace: true``), and boards outside them (by name or id). With a scope,
a pull request's manifests (or ``--board`` / ``--workspace``) cannot make boardops read a
board the repository does not manage: the live reader (``boardops.live``) asks
:class:`ScopeCheck` about every workspace and board it is about to use, knowing only their
ids, names and workspaces from listings, and stops with :class:`OutOfScope` before it
reads a single item, column or group of a board outside it.

The rule:

* a workspace is in scope when ``scope.workspaces`` lists its id or its name; the main
  workspace only with ``main_workspace: true`` (listing it by name or id is not enough);
* a board is in scope when its workspace is, or ``scope.boards`` lists its id or name;
  the apply lease's board (``boardops lock`` in the main workspace) is boardops' own and
  always allowed;
* a workspace or board the manifests name is checked where it is on monday when it exists
  there, else where the manifests would create it.

Without a scope (no configuration, or one without ``scope:``) nothing is checked.
"""

from __future__ import annotations

from boardops.errors import OutOfScope
from boardops.model import LOCK_BOARD_NAME
from boardops.project import ProjectConfig, Scope


def _ids(entries: tuple[str | int, ...]) -> frozenset[str]:
    return frozenset(str(entry) for entry in entries if isinstance(entry, int))


def _names(entries: tuple[str | int, ...]) -> frozenset[str]:
    return frozenset(entry for entry in entries if isinstance(entry, str))


class ScopeCheck:
    """The read scope of one project configuration; ``source`` names its file."""

    def __init__(self, scope: Scope, source: str) -> None:
        self.scope = scope
        self.source = source
        self._workspace_ids = _ids(scope.workspaces)
        self._workspace_names = _names(scope.workspaces)
        self._board_ids = _ids(scope.boards)
        self._board_names = _names(scope.boards)

    @classmethod
    def of(cls, project: ProjectConfig | None) -> ScopeCheck | None:
        """The check for ``project``; None (nothing checked) without a declared scope."""
        if project is None or project.scope is None:
            return None
        return cls(project.scope, project.path)

    @property
    def names_workspaces(self) -> bool:
        """Whether workspaces are listed by name (so a board's workspace needs its name)."""
        return bool(self._workspace_names)

    # --- the rule ------------------------------------------------------------------------

    def workspace_in_scope(self, workspace_id: str | None, name: str | None, *, main: bool) -> bool:
        if main:
            return self.scope.main_workspace
        return (workspace_id is not None and workspace_id in self._workspace_ids) or (
            name is not None and name in self._workspace_names
        )

    def board_listed(self, board_id: str | None, name: str | None) -> bool:
        """Whether ``scope.boards`` names this board (by id or name)."""
        return (board_id is not None and board_id in self._board_ids) or (
            name is not None and name in self._board_names
        )

    def board_in_scope(
        self,
        board_id: str | None,
        name: str | None,
        *,
        workspace_id: str | None,
        workspace_name: str | None,
        main: bool,
    ) -> bool:
        if main and name == LOCK_BOARD_NAME:
            return True
        return self.board_listed(board_id, name) or self.workspace_in_scope(
            workspace_id, workspace_name, main=main
        )

    # --- refusals ------------------------------------------------------------------------

    def check_workspace(
        self, what: str, workspace_id: str | None, name: str | None, *, main: bool
    ) -> None:
        """Raise ``OutOfScope`` naming ``what`` (an address, or ``--workspace NAME``)."""
        if self.workspace_in_scope(workspace_id, name, main=main):
            return
        if main:
            raise self.refusal(what, "the main workspace needs scope.main_workspace: true")
        which = "the workspace" if workspace_id is None else f"workspace {workspace_id}"
        raise self.refusal(what, f"scope.workspaces does not list {which}")

    def check_board(
        self,
        what: str,
        board_id: str | None,
        name: str | None,
        *,
        workspace_id: str | None,
        workspace_name: str | None,
        main: bool,
    ) -> None:
        """Raise ``OutOfScope`` naming ``what`` (an address, or ``--board REF``)."""
        if self.board_in_scope(
            board_id, name, workspace_id=workspace_id, workspace_name=workspace_name, main=main
        ):
            return
        board = "the board" if board_id is None else f"board {board_id}"
        if main:
            where = "the main workspace, without scope.main_workspace: true,"
        elif workspace_id is None:
            where = "a workspace scope.workspaces does not list,"
        else:
            where = f"workspace {workspace_id}, which scope.workspaces does not list,"
        raise self.refusal(what, f"{board} is in {where} and scope.boards does not list it")

    def refusal(self, what: str, why: str) -> OutOfScope:
        return OutOfScope(
            f"{what}: outside the read scope of {self.source} ({why}); nothing of it was read"
        )
