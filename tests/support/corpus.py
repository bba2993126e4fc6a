"""The corpus of broken inputs, ``tests/bad_input/``: one file per case, each saying what
it expects.

A case file starts with a comment saying what is wrong, then one line per error the
problem causes, in the order ``boardops validate`` reports them::

    # expect: LINE: WORDS        the error is on LINE and its message contains WORDS
    # expect: LINE:COL: MESSAGE  the error is exactly ``FILE:LINE:COL: MESSAGE``

A file whose bytes cannot open with a comment (UTF-16, binary) carries its expectations
on its last lines instead. Whatever follows ``invalid YAML: `` is PyYAML's own wording (it
differs between its C and pure-Python parsers and between releases), never compared.
``tests/bad_input/project/`` holds broken project configurations, described the same way;
``tests/bad_input/good/`` the one good manifest the other bad-input tests start from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "bad_input"
PROJECTS = CORPUS / "project"

_EXPECT = re.compile(r"# expect: (\d+)(?::(\d+))?:(?: (.*))?")
_YAML_PROBLEM = "invalid YAML: "


@dataclass(frozen=True)
class Expected:
    """One error a case promises: its line, its column if exact, and its words."""

    line: int
    column: int | None
    words: str

    def check(self, path: Path, message: str) -> None:
        """``message`` (one printed line, ``error: `` stripped) is this error in ``path``."""
        if self.column is None:
            assert message.startswith(f"{path}:{self.line}:"), message
            assert self.words in message, (self.words, message)
        else:
            expected = f"{path}:{self.line}:{self.column}: {self.words}"
            assert _up_to_yaml_problem(message) == _up_to_yaml_problem(expected)


def _up_to_yaml_problem(line: str) -> str:
    at = line.find(_YAML_PROBLEM)
    return line if at < 0 else line[: at + len(_YAML_PROBLEM)]


def cases(folder: Path = CORPUS) -> list[Path]:
    """The case files of a corpus folder, by name."""
    return sorted(folder.glob("*.yaml"))


def expectations(case: Path) -> list[Expected]:
    """What ``case`` declares, in order (read from its bytes: some cases are not text)."""
    found = []
    for raw in case.read_bytes().split(b"\n"):
        match = _EXPECT.fullmatch(raw.decode("utf-8", "replace").rstrip("\r"))
        if match:
            line, column, words = match.groups()
            found.append(Expected(int(line), int(column) if column else None, words or ""))
    return found
