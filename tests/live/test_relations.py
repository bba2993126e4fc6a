"""Connect-boards, mirror and dependency columns against a real account: each is created,
read back as declared (a second plan has no changes), and changed in place."""

from __future__ import annotations

from pathlib import Path

from tests.live.support import (
    LIVE_MARKS,
    LiveAccount,
    failures,
    planned_types,
    skip_module_unless_live,
    write_manifest,
)

pytestmark = LIVE_MARKS
skip_module_unless_live()


def apply(account: LiveAccount, manifest: Path) -> list[str]:
    """Apply, insist nothing failed, then plan again: no changes. The types planned."""
    result = account.boardops("apply", str(manifest), "--auto-approve", "--format", "json")
    assert not failures(result.stdout), result.stdout
    again = account.boardops("plan", str(manifest), "--detailed-exitcode", expect=None)
    assert again.exit_code == 0, f"the second plan is not empty:\n{again.stdout}{again.stderr}"
    return planned_types(result.stdout)


def web(account: LiveAccount, suffix: str, deal_columns: str, account_columns: str = "") -> str:
    p, ws = account.prefix, account.workspace_id
    return f"""version: 1
boards:
  - name: "{p} accounts {suffix}"
    key: accounts
    workspace: {{id: "{ws}"}}
    columns:
      - {{id: tier, title: Tier, type: status, labels: [Gold, Silver]}}{account_columns}
  - name: "{p} deals {suffix}"
    key: deals
    workspace: {{id: "{ws}"}}
    columns:{deal_columns}
"""


def test_a_connect_boards_column_both_ways_is_created_then_changed_in_place(
    account: LiveAccount, manifests: Path
) -> None:
    pair = "\n      - {title: Deals, type: board_relation, boards: [deals], two_way: true}"
    deals = (
        "\n      - {id: account, title: Account, type: board_relation, boards: [accounts],"
        " two_way: true}"
    )
    manifest = write_manifest(manifests, "relation.yaml", web(account, "rel", deals, pair))
    assert apply(account, manifest).count("CreateColumn") == 3
    manifest.write_text(
        web(
            account,
            "rel",
            deals.replace("two_way: true", "two_way: true, allow_multiple: false"),
            pair,
        ),
        encoding="utf-8",
    )
    assert apply(account, manifest) == ["UpdateColumn"]


def test_a_mirror_column_shows_a_column_of_the_connected_board(
    account: LiveAccount, manifests: Path
) -> None:
    deals = (
        "\n      - {id: account, title: Account, type: board_relation, boards: [accounts]}"
        "\n      - {title: Account tier, type: mirror, relation: account, shows: [tier]}"
    )
    manifest = write_manifest(manifests, "mirror.yaml", web(account, "mirror", deals))
    assert apply(account, manifest).count("CreateColumn") == 3


def test_a_dependency_column_is_created_once(account: LiveAccount, manifests: Path) -> None:
    deals = "\n      - {title: Blocked by, type: dependency}"
    manifest = write_manifest(manifests, "dependency.yaml", web(account, "dep", deals))
    assert apply(account, manifest).count("CreateColumn") == 2
