"""Each broken manifest under tests/manifests/ triggers exactly the errors its header
announces.

A case file starts with a comment saying what is wrong, then one ``# expect: LINE`` per
error, in order, exactly as ``boardops validate`` prints it (paths relative to the case
directory).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from boardops.manifest import validate_paths

CASES = Path(__file__).parent / "manifests"
EXPECT = "# expect: "


def expected_lines(case: Path) -> list[str]:
    lines = case.read_text(encoding="utf-8").splitlines()
    return [line[len(EXPECT) :] for line in lines if line.startswith(EXPECT)]


@pytest.mark.parametrize("case", sorted(CASES.glob("*.yaml")), ids=lambda case: case.stem)
def test_broken_manifest_reports_exactly_its_expected_errors(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CASES)
    monkeypatch.delenv("BOARDOPS_VAR_TEST_SURELY_UNSET", raising=False)
    state, errors = validate_paths([case.name])
    assert state is None
    rendered = [error.render() for error in errors]
    expected = expected_lines(case)
    # What follows "invalid YAML: " is PyYAML's own wording (it differs between its C and
    # pure-Python parsers and between releases): only the file, line and column are ours.
    rendered = [_up_to_yaml_problem(line) for line in rendered]
    expected = [_up_to_yaml_problem(line) for line in expected]
    assert rendered == expected


def _up_to_yaml_problem(line: str) -> str:
    marker = "invalid YAML: "
    return line[: line.index(marker) + len(marker)] if marker in line else line


def test_there_is_a_broken_manifest_for_at_least_thirty_error_classes() -> None:
    cases = sorted(CASES.glob("*.yaml"))
    assert len(cases) >= 30
    assert all(expected_lines(case) for case in cases)
