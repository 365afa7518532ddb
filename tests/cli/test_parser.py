"""The command line builds only the command it is given: the table naming each command's module
must say what the modules really register, or a command would vanish from a fast parse."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from podtui import cli


def _commands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def test_the_table_names_every_command_with_the_module_that_adds_it() -> None:
    for module in cli.COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(module).register(sub)
        for command in _commands(parser):
            assert cli.COMMANDS.get(command) == module, command
    assert set(_commands(cli.build_parser())) == set(cli.COMMANDS)


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        ([], None),
        (["--db", "sync", "run"], "run"),  # a database file named like a command
        (["--db=x.db", "sync", "--store", "a"], "sync"),
        (["-h"], None),
        (["--", "items"], "items"),
    ],
)
def test_the_command_word_skips_options_and_the_database(argv: list[str], word: str) -> None:
    assert cli.command_named(argv) == word


def test_a_named_command_builds_that_command_alone() -> None:
    assert _commands(cli.build_parser(["--db", "x.db", "poll"])) == ["webhook-apply", "poll"]
    assert _commands(cli.build_parser([])) == ["run"]  # no command: the app


def test_help_and_unknown_words_list_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert set(_commands(cli.build_parser(["--help"]))) == set(cli.COMMANDS)
    assert set(_commands(cli.build_parser(["frobnicate"]))) == set(cli.COMMANDS)
    with pytest.raises(SystemExit):
        cli.main(["frobnicate"])
    err = capsys.readouterr().err
    assert "invalid choice: 'frobnicate'" in err and "store-order" in err


def test_starting_the_app_imports_no_other_command_module() -> None:
    code = (
        "import sys\n"
        "from podtui.cli import build_parser\n"
        "build_parser([])\n"
        "print(sorted(m for m in sys.modules if m.startswith('podtui.cli.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['podtui.cli.common', 'podtui.cli.run']"
