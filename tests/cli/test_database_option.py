"""`--db` before or after the sub-command, and what the command line says about the database file:
one plain line (never a traceback) when it cannot be used, and a word when it was just created."""

from __future__ import annotations

import argparse
import ctypes
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from podtui import cli

# Sub-commands that open the database, with the arguments each needs ({tmp}: the test's folder).
COMMANDS = [
    ["sync"],
    ["poll"],
    ["recover"],
    ["submit", "--ids", "1", "--yes"],
    ["worker", "--status"],
    ["export", "zip", "--ids", "1", "-o", "{tmp}/out.zip"],
    ["webhook-apply", "{tmp}/hooks.json"],
]


def _argv(command: list[str], tmp: Path) -> list[str]:
    return [part.replace("{tmp}", str(tmp)) for part in command]


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_db_is_taken_before_or_after_the_sub_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], where: str
) -> None:
    (tmp_path / "hooks.json").write_text("[]", encoding="utf-8")
    db = tmp_path / "shop.db"
    args = _argv(command, tmp_path)
    argv = ["--db", str(db), *args] if where == "before" else [*args, "--db", str(db)]
    cli.main(argv)  # today, after the sub-command: SystemExit(2), "unrecognized arguments"
    assert "unrecognized arguments" not in capsys.readouterr().err
    assert db.exists()
    assert not (tmp_path / "data" / "podtui.db").exists()  # the default database is untouched


def test_config_path_shows_the_db_given_after_the_sub_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "elsewhere.db"
    assert cli.main(["config", "path", "--db", str(db)]) == 0
    assert str(db) in capsys.readouterr().out


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [path] if "--db" in parser._option_string_actions else [(*path, "NO --db")]
    found = []
    for name, child in subs[0].choices.items():
        found.extend(_leaves(child, (*path, name)))
    return found


def test_every_sub_command_takes_db() -> None:
    leaves = _leaves(cli.build_parser())
    assert len(leaves) > 10
    assert [leaf for leaf in leaves if leaf[-1] == "NO --db"] == []


def test_a_new_database_is_announced_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new" / "folder" / "shop.db"
    assert cli.main(["sync", "--db", str(db)]) == 0
    err = capsys.readouterr().err
    assert f"created a new database at {db}" in err
    assert db.exists()
    assert cli.main(["sync", "--db", str(db)]) == 0
    assert "created" not in capsys.readouterr().err  # the second time there is nothing to say


def test_the_demo_announces_a_new_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo" / "shop.db"
    assert cli.main(["demo", "--db", str(db), "--seed-only", "--orders", "2"]) == 0
    assert f"created a new database at {db}" in capsys.readouterr().err


# -- a database that cannot be used -------------------------------------------------------------

# podtui, with the app's start replaced by an exit: a test can see that the app would have started.
APP_STUB = (
    "import sys\n"
    "from podtui.app import PodTUI\n"
    "PodTUI.run = lambda self, *a, **k: sys.exit('the app started')\n"
    "from podtui.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER: what lets root write anyway


def _without_root_powers() -> None:
    """In the child, before exec: drop the capabilities that let root ignore file permissions."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _CAPS:
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def podtui(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run podtui as a user whom file permissions bind (root without its override powers)."""
    return subprocess.run(
        [sys.executable, "-c", APP_STUB, *argv],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        preexec_fn=_without_root_powers if os.geteuid() == 0 else None,
        check=False,
    )


def assert_one_plain_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode not in (0, 1), (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "sqlalche" not in result.stderr, result.stderr
    assert "the app started" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("podtui: ")
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize(
    "argv",
    [["sync"], ["submit", "--ids", "1", "--yes"], ["demo", "--seed-only"], []],
    ids=["sync", "submit", "demo", "app"],
)
def test_db_naming_a_folder_is_one_plain_line(tmp_path: Path, argv: list[str]) -> None:
    folder = tmp_path / "shop"
    folder.mkdir()
    result = podtui("--db", str(folder), *argv)
    assert_one_plain_line(result, str(folder), "is a folder")


def test_db_inside_a_file_is_one_plain_line(tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("not a folder", encoding="utf-8")
    assert_one_plain_line(
        podtui("--db", str(afile / "shop.db"), "sync"), str(afile), "not a folder"
    )


@pytest.mark.parametrize(
    "argv",
    [["sync"], ["recover"], ["demo", "--seed-only"], []],
    ids=["sync", "recover", "demo", "app"],
)
def test_a_read_only_database_is_one_plain_line(tmp_path: Path, argv: list[str]) -> None:
    db = tmp_path / "shop.db"
    db.touch()  # an empty file the operator may read but not write: it must be migrated
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    result = podtui("--db", str(db), *argv)
    assert_one_plain_line(result, str(db), "read-only")


def test_a_database_in_a_read_only_folder_is_one_plain_line(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert_one_plain_line(podtui("--db", str(folder / "shop.db"), "sync"), "read-only")
    finally:
        folder.chmod(stat.S_IRWXU)


def test_a_database_error_met_later_is_one_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from podtui.cli import sync

    def locked(_args: object) -> int:
        raise OperationalError("UPDATE store", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(sync, "run", locked)
    db = tmp_path / "shop.db"
    assert cli.main(["sync", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err == f"podtui: cannot use the database {db}: database is locked\n"
