"""Loading manifests into the desired-state model: positions, merging, interpolation,
templates and the model's contract (keys, defaults, resolved references)."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

from boardops.errors import ManifestErrors, SourceSpan
from boardops.manifest import load_manifests, summarize, validate_paths
from boardops.model import NAME_KEY, DesiredState, StatusLabel, slug


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str) -> DesiredState:
    return load_manifests([write(tmp_path, "board.yaml", text)])


ROADMAP = """
    version: 1
    boards:
      - name: Product Roadmap
        columns:
          - id: status
            title: Status
            type: status
            labels:
              - Planned
              - {label: Done, color: done_green, done: true}
          - {title: Owner, type: people}
          - {id: ext_id, title: External ID, type: text}
        groups:
          - {key: now, title: Now, color: "#579BFC"}
          - {title: Later On}
        items:
          match_by: [External ID]
          rows:
            - name: Launch
              values: {External ID: R-1, Status: Done, Owner: alice@example.com}
            - name: Pricing page
              group: Later On
              values: {ext_id: R-2, status: Planned}
"""


def test_every_object_carries_the_file_line_and_column_it_was_written_at(
    tmp_path: Path,
) -> None:
    state = load_text(tmp_path, ROADMAP)
    board = state.boards[0]
    file = str(tmp_path / "board.yaml")
    assert board.span == SourceSpan(file, 3, 5)
    assert board.columns[0].span == SourceSpan(file, 5, 9)
    assert board.columns[0].status_labels[1].span == SourceSpan(file, 10, 13)
    assert board.columns[1].span == SourceSpan(file, 11, 9)
    assert board.groups[1].span == SourceSpan(file, 15, 9)
    assert board.items is not None
    assert board.items.span == SourceSpan(file, 17, 7)
    assert board.items.rows[1].span == SourceSpan(file, 21, 11)


def test_item_values_are_keyed_by_column_key_whether_the_row_wrote_id_or_title(
    tmp_path: Path,
) -> None:
    board = load_text(tmp_path, ROADMAP).boards[0]
    assert board.items is not None
    first, second = board.items.rows
    assert first.values == {"ext_id": "R-1", "status": "Done", "Owner": "alice@example.com"}
    assert second.values == {"ext_id": "R-2", "status": "Planned"}


def test_match_by_names_resolve_to_column_keys(tmp_path: Path) -> None:
    board = load_text(tmp_path, ROADMAP).boards[0]
    assert board.items is not None
    assert board.items.match_by == ("ext_id",)
    assert board.items.mode == "upsert"
    assert board.items.prune is False


def test_items_match_by_name_when_match_by_is_not_given(tmp_path: Path) -> None:
    board = load_text(
        tmp_path,
        """
        version: 1
        boards:
          - name: Roadmap
            items:
              rows: [{name: Launch}]
        """,
    ).boards[0]
    assert board.items is not None
    assert board.items.match_by == (NAME_KEY,)


def test_item_group_is_a_group_key_given_by_key_or_title_defaulting_to_the_first_group(
    tmp_path: Path,
) -> None:
    board = load_text(tmp_path, ROADMAP).boards[0]
    assert board.items is not None
    assert [item.group for item in board.items.rows] == ["now", "later-on"]


def test_plain_status_labels_become_labels_without_a_colour(tmp_path: Path) -> None:
    status = load_text(tmp_path, ROADMAP).boards[0].columns[0]
    assert status.status_labels == (
        StatusLabel(label="Planned", color=None),
        StatusLabel(label="Done", color="done_green", done=True),
    )


def test_keys_default_to_the_slug_of_the_name_and_group_colours_are_lower_case(
    tmp_path: Path,
) -> None:
    board = load_text(tmp_path, ROADMAP).boards[0]
    assert board.key == "product-roadmap"
    assert [(g.key, g.color) for g in board.groups] == [("now", "#579bfc"), ("later-on", None)]
    assert slug("Sprint - Platform") == "sprint-platform"
    assert slug("Équipe Données") == "equipe-donnees"


def test_workspace_key_defaults_to_its_name_and_boards_refer_to_keys_or_ids(
    tmp_path: Path,
) -> None:
    state = load_text(
        tmp_path,
        """
        version: 1
        workspaces:
          - {name: Engineering, kind: closed}
        boards:
          - {name: A, workspace: Engineering}
          - {name: B, workspace: {id: 12345}}
          - {name: C, id: 987654321}
        """,
    )
    assert state.workspaces[0].key == "Engineering"
    assert state.workspaces[0].kind == "closed"
    a, b, c = state.boards
    assert (a.workspace, a.workspace_id) == ("Engineering", None)
    assert (b.workspace, b.workspace_id) == (None, "12345")
    assert (c.workspace, c.workspace_id, c.id) == (None, None, "987654321")


def test_a_board_without_items_leaves_items_alone(tmp_path: Path) -> None:
    board = load_text(tmp_path, "version: 1\nboards: [{name: Roadmap}]\n").boards[0]
    assert board.items is None
    assert board.kind == "public"
    assert board.prune is False


def test_directories_are_searched_recursively_and_documents_merged(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "version: 1\nworkspaces: [{key: eng, name: Engineering}]\n")
    write(tmp_path, "teams/b.yml", "version: 1\nboards: [{name: B, workspace: eng}]\n---\n")
    write(tmp_path, "teams/c.yaml", "version: 1\nboards: [{name: C}]\n---\nversion: 1\n")
    write(tmp_path, ".hidden/d.yaml", "not: [a manifest\n")
    write(tmp_path, "notes.txt", "not a manifest either\n")
    state = load_manifests([tmp_path])
    assert [board.name for board in state.boards] == ["B", "C"]
    assert state.boards[0].workspace == "eng"
    assert state.files == tuple(
        (tmp_path / name).as_posix() for name in ("a.yaml", "teams/b.yml", "teams/c.yaml")
    )


def test_digest_is_the_sha256_of_the_files_bytes_in_sorted_path_order(tmp_path: Path) -> None:
    second = write(tmp_path, "b.yaml", "version: 1\nboards: [{name: B}]\n")
    first = write(tmp_path, "a.yaml", "version: 1\nboards: [{name: A}]\n")
    state = load_manifests([second, first])
    expected = hashlib.sha256(first.read_bytes() + second.read_bytes()).hexdigest()
    assert state.digest == expected


def test_the_same_file_given_twice_is_read_once(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "version: 1\nboards: [{name: A}]\n")
    assert len(load_manifests([path, tmp_path]).boards) == 1


def test_yes_no_and_country_codes_stay_text_and_dates_stay_iso_strings(tmp_path: Path) -> None:
    board = load_text(
        tmp_path,
        """
        version: 1
        boards:
          - name: Offices
            columns:
              - {id: code, title: Code, type: text}
              - {id: country, title: Country, type: country}
              - {id: opened, title: Opened, type: date}
            items:
              rows:
                - {name: Oslo, values: {code: yes, country: NO, opened: 2026-01-05}}
        """,
    ).boards[0]
    assert board.items is not None
    assert board.items.rows[0].values == {"code": "yes", "country": "NO", "opened": "2026-01-05"}


def test_yaml_anchors_and_merge_keys_work_and_an_override_is_not_a_duplicate(
    tmp_path: Path,
) -> None:
    state = load_text(
        tmp_path,
        """
        version: 1
        boards:
          - &base {name: A, kind: private, description: shared}
          - <<: *base
            name: B
        """,
    )
    assert [(b.name, b.kind, b.description) for b in state.boards] == [
        ("A", "private", "shared"),
        ("B", "private", "shared"),
    ]


def test_env_references_are_replaced_and_defaults_apply_only_when_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDOPS_VAR_TEAM", "Platform")
    monkeypatch.delenv("BOARDOPS_VAR_REGION", raising=False)
    board = load_text(
        tmp_path,
        """
        version: 1
        boards:
          - name: Sprint - ${env:BOARDOPS_VAR_TEAM:-Nobody}
            description: Region ${env:BOARDOPS_VAR_REGION:-eu}, team ${env:BOARDOPS_VAR_TEAM}
        """,
    ).boards[0]
    assert board.name == "Sprint - Platform"
    assert board.description == "Region eu, team Platform"


def test_an_unset_env_reference_without_default_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOARDOPS_VAR_NOPE", raising=False)
    path = write(tmp_path, "a.yaml", "version: 1\nboards:\n  - name: ${env:BOARDOPS_VAR_NOPE}\n")
    with pytest.raises(ManifestErrors) as caught:
        load_manifests([path])
    assert caught.value.errors[0].render() == (
        f"{path.as_posix()}:3:11: boards[0].name: environment variable BOARDOPS_VAR_NOPE is not "
        "set (write ${env:BOARDOPS_VAR_NOPE:-default} to give a default)"
    )


TEMPLATE = """
    version: 1
    templates:
      team:
        description: Board of ${team}
        columns:
          - {id: status, title: Status, type: status, labels: [Todo, Done]}
          - {id: points, title: Points, type: numbers}
          - {id: ext_id, title: Key, type: text}
        groups:
          - {key: now, title: Now}
        items:
          match_by: ext_id
          rows:
            - {name: "${team} kick-off", values: {ext_id: "${prefix}-0", points: "${points}"}}
"""


def test_a_template_fills_its_placeholders_from_the_board_vars(tmp_path: Path) -> None:
    write(tmp_path, "templates.yaml", TEMPLATE)
    write(
        tmp_path,
        "boards.yaml",
        """
        version: 1
        boards:
          - name: Payments
            template: team
            vars: {team: Payments, prefix: PAY, points: 3}
        """,
    )
    board = load_manifests([tmp_path]).boards[0]
    assert board.template == "team"
    assert board.description == "Board of Payments"
    assert [c.key for c in board.columns] == ["status", "points", "ext_id"]
    assert board.items is not None
    assert board.items.match_by == ("ext_id",)
    (row,) = board.items.rows
    assert row.name == "Payments kick-off"
    # A placeholder that is the whole value keeps the variable's type.
    assert row.values == {"ext_id": "PAY-0", "points": 3}
    assert board.columns[0].span == SourceSpan((tmp_path / "templates.yaml").as_posix(), 6, 9)


def test_board_keys_override_the_template_and_columns_merge_by_identity(tmp_path: Path) -> None:
    write(tmp_path, "templates.yaml", TEMPLATE)
    write(
        tmp_path,
        "boards.yaml",
        """
        version: 1
        boards:
          - name: Payments
            template: team
            vars: {team: Payments, prefix: PAY, points: 3}
            description: Our own description
            columns:
              - {id: points, title: Story points, type: numbers}
              - {id: provider, title: Provider, type: dropdown, labels: [Stripe]}
            items:
              rows:
                - {name: Webhooks, values: {ext_id: PAY-1, provider: Stripe}}
        """,
    )
    board = load_manifests([tmp_path]).boards[0]
    assert board.description == "Our own description"
    assert [(c.key, c.title) for c in board.columns] == [
        ("status", "Status"),
        ("points", "Story points"),
        ("ext_id", "Key"),
        ("provider", "Provider"),
    ]
    assert board.items is not None
    assert [row.name for row in board.items.rows] == ["Payments kick-off", "Webhooks"]
    assert board.items.match_by == ("ext_id",)


def test_an_error_in_an_expanded_template_points_at_the_template_and_names_the_board(
    tmp_path: Path,
) -> None:
    write(tmp_path, "templates.yaml", TEMPLATE)
    write(
        tmp_path,
        "boards.yaml",
        "version: 1\nboards:\n  - {name: P, template: team, vars: {team: P, prefix: P, "
        "points: many}}\n",
    )
    _, errors = validate_paths([tmp_path])
    assert [error.render() for error in errors] == [
        f"{(tmp_path / 'templates.yaml').as_posix()}:14:78: board.p.item[P-0]: points: "
        '"many" is not a number; expected a number such as 42 or "42.5"'
    ]


def test_every_problem_is_reported_at_once_in_file_order(tmp_path: Path) -> None:
    write(tmp_path, "b.yaml", "version: 1\nboards: [{name: B, kind: secret}]\n")
    write(tmp_path, "a.yaml", "version: 1\nboards:\n  - {name: A, colour: red}\n  - {}\n")
    with pytest.raises(ManifestErrors) as caught:
        load_manifests([tmp_path])
    rendered = [error.render() for error in caught.value.errors]
    base = tmp_path.as_posix()
    assert rendered == [
        f"{base}/a.yaml:3:15: boards[0].colour: unknown key 'colour'; did you mean 'columns'?",
        f"{base}/a.yaml:4:5: boards[1]: missing required key 'name'",
        f"{base}/b.yaml:2:26: boards[0].kind: 'secret' is not a valid board kind; expected "
        "one of public, private, share",
    ]
    assert str(caught.value).endswith("(and 2 more problems)")


def test_duplicates_across_files_name_the_other_file(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "version: 1\nboards: [{name: Roadmap}]\n")
    write(tmp_path, "b.yaml", "version: 1\nboards: [{name: Roadmap, key: other}]\n")
    _, errors = validate_paths([tmp_path])
    base = tmp_path.as_posix()
    assert [error.render() for error in errors] == [
        f"{base}/b.yaml:2:10: board.other: duplicate board name 'Roadmap' in the main "
        f"workspace (also board 'roadmap' on {base}/a.yaml:2)",
    ]


def test_a_missing_path_and_an_empty_directory_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    _, errors = validate_paths([tmp_path / "nope.yaml", tmp_path / "empty"])
    assert [error.render() for error in errors] == [
        f"{(tmp_path / 'empty').as_posix()}: no *.yaml or *.yml files in this directory",
        f"{(tmp_path / 'nope.yaml').as_posix()}: no such file or directory",
    ]


def test_summary_counts_what_was_found(tmp_path: Path) -> None:
    state = load_text(tmp_path, ROADMAP)
    assert summarize(state) == "0 workspaces, 1 board, 3 columns, 2 groups, 2 items in 1 file"


def test_a_file_that_is_not_utf8_text_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("version: 1\nboards: [{name: Caf\u00e9}]\n".encode("latin-1"))
    _, errors = validate_paths([path])
    assert [error.render() for error in errors] == [f"{path.as_posix()}:2:20: not UTF-8 text"]


def test_a_recursive_yaml_alias_is_an_error_not_a_hang(tmp_path: Path) -> None:
    path = write(tmp_path, "loop.yaml", "version: 1\nboards: &loop\n  - *loop\n")
    _, errors = validate_paths([path])
    assert [error.message for error in errors] == ["recursive YAML alias"]


def test_week_start_is_the_manifests_and_none_when_no_file_states_it(tmp_path: Path) -> None:
    stated = write(tmp_path, "a.yaml", "version: 1\nweek_start: sunday\n")
    silent = write(tmp_path, "b.yaml", "version: 1\nboards: [{name: Roadmap}]\n")
    agreeing = write(tmp_path, "c.yaml", "version: 1\nweek_start: sunday\n")
    assert load_manifests([stated, silent, agreeing]).week_start == "sunday"
    assert load_manifests([silent]).week_start is None


def test_group_colours_are_checked_against_mondays_palette(tmp_path: Path) -> None:
    text = """
        version: 1
        boards:
          - name: Roadmap
            groups:
              - {title: Now, color: "#579BFC"}
              - {title: Lost, color: "#e2445c"}
    """
    state, errors = validate_paths([write(tmp_path, "board.yaml", text)])
    assert state is None
    assert [(e.span.line if e.span else None, e.address) for e in errors] == [
        (6, "board.roadmap.group.lost")
    ]
    assert "did you mean '#df2f4a'?" in str(errors[0])


def test_yaml_reads_as_json_would_for_the_odd_scalars_that_remain(tmp_path: Path) -> None:
    """``=`` and ``<<`` as values are text, numbers may key a mapping, a byte order mark
    may open the file, and a double-quoted escape still writes any character."""
    path = tmp_path / "odd.yaml"
    path.write_text(
        "\ufeffversion: 1\nboards:\n  - name: =\n    key: equals\n    description: <<\n"
        "    columns: [{title: '2026', type: text}]\n    items:\n      rows:\n"
        '        - {name: "Tab\\there\\x07", values: {2026: "x"}}\n',
        encoding="utf-8",
    )
    (board,) = load_manifests([path]).boards
    assert (board.name, board.description) == ("=", "<<")
    assert board.items is not None
    assert board.items.rows[0].name == "Tab\there\x07"
    assert board.items.rows[0].values == {"2026": "x"}
