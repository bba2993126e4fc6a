"""Every command's ``--help`` is complete: a one-line summary, a description, a help text
for every option, every argument explained, and examples that run.

The commands are found by walking the click tree, so a command added later is held to the
same rule without being listed here. The examples come from one table
(``boardops.commands.examples``); each example line is parsed by the command it documents.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from boardops.cli import main

# `boardops --help` lists each command's first sentence; at 80 columns this much fits.
SUMMARY_WIDTH = 64


def commands(
    command: click.Command = main, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            if not sub.hidden:
                yield from commands(sub, (*path, name))


COMMANDS = list(commands())
IDS = [" ".join(("boardops", *path)) for path, _ in COMMANDS]
each_command = pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in click.unstyle(text).split("\n\n") if part.strip()]


def example_lines(command: click.Command) -> list[str]:
    """The command lines of a command's "Examples:" block (comments left out)."""
    lines = [line.strip() for line in (command.epilog or "").splitlines()]
    return [line for line in lines if line.startswith("boardops")]


def test_the_walk_finds_the_commands_and_their_subcommands() -> None:
    paths = {path for path, _ in COMMANDS}
    assert {(), ("plan",), ("apply",), ("sandbox",), ("sandbox", "serve")} <= paths


@each_command
def test_a_command_has_a_one_line_summary_and_a_description(
    path: tuple[str, ...], command: click.Command
) -> None:
    parts = paragraphs(command.help or "")
    assert len(parts) >= 2, f"summary and description: {parts}"
    summary = parts[0]
    assert "\n" not in summary, summary
    if path:  # listed by its group's --help
        first_sentence = summary.split(". ")[0]
        assert len(first_sentence) <= SUMMARY_WIDTH, first_sentence


@each_command
def test_every_option_has_a_help_text(path: tuple[str, ...], command: click.Command) -> None:
    context = click.Context(command, info_name="boardops")
    missing = [
        param.get_error_hint(context)
        for param in command.get_params(context)
        if isinstance(param, click.Option) and not param.hidden and not (param.help or "").strip()
    ]
    assert missing == []


@each_command
def test_every_argument_is_explained_in_the_description(
    path: tuple[str, ...], command: click.Command
) -> None:
    context = click.Context(command, info_name="boardops")
    for param in command.get_params(context):
        if isinstance(param, click.Argument):
            name = param.make_metavar(context).rstrip(".").strip("[]")
            assert name in (command.help or ""), f"{name} is not explained"


@each_command
def test_a_command_has_an_example_of_itself_shown_by_help(
    path: tuple[str, ...], command: click.Command
) -> None:
    itself = " ".join(("boardops", *path))
    assert any(line == itself or line.startswith(itself + " ") for line in example_lines(command))

    shown = CliRunner().invoke(main, [*path, "--help"], terminal_width=100)

    assert shown.exit_code == 0, shown.output
    assert "Examples:" in shown.output
    assert example_lines(command)[0] in shown.output


@each_command
def test_every_example_parses(
    path: tuple[str, ...], command: click.Command, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each example line is a valid command line (the files it names made empty first)."""
    monkeypatch.chdir(tmp_path)
    for line in example_lines(command):
        words = shlex.split(line)[1:]
        for shell in (">", "|", "&&"):
            if shell in words:
                words = words[: words.index(shell)]
        for word in words:
            if word.endswith("/"):
                Path(word).mkdir(parents=True, exist_ok=True)
            elif word.endswith((".json", ".yaml")) and not word.startswith("-"):
                Path(word).parent.mkdir(parents=True, exist_ok=True)
                Path(word).touch()
        parent = click.Context(main, info_name="boardops")
        target: click.Command = main
        while isinstance(target, click.Group) and words and words[0] in target.commands:
            name, words = words[0], words[1:]
            target = target.commands[name]
            parent = click.Context(target, info_name=name, parent=parent)
        try:
            target.make_context(parent.info_name, list(words), parent=parent.parent)
        except click.UsageError as error:
            pytest.fail(f"{line}: {error.format_message()}")
