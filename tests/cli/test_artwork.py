"""`podtui artwork add` / `list`: what the operator reads, and the exit status."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from podtui.cli import main
from podtui.db import Database


def _art(database_url: str, *args: str) -> int:
    return main(["--db", database_url, "artwork", *args])


def test_add_then_list(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _art(database_url, "list") == 0
    assert "The library is empty" in capsys.readouterr().out
    png = tmp_path / "Fox.png"
    Image.new("RGB", (20, 20), "orange").save(png)
    assert _art(database_url, "add", str(png)) == 0
    assert capsys.readouterr().out == "Added #1 'Fox' (print image)\n"
    assert _art(database_url, "add", str(png)) == 0
    assert "Already in the library: #1 'Fox'" in capsys.readouterr().out
    assert _art(database_url, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "name", "kind", "mappings", "items", "fields"]
    assert lines[1].split() == ["1", "Fox", "image", "0", "0", "-"]


def test_every_bad_path_is_named_and_nothing_is_added(
    db: Database, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.png"
    Image.new("RGB", (20, 20)).save(good)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert _art(database_url, "add", str(good), str(text), str(tmp_path / "gone.png")) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "podtui: No artwork was added (2 of the files cannot be used)."
    assert f"  {text}: not an image; podtui takes PNG or JPEG" in err
    assert f"  {tmp_path / 'gone.png'}: does not exist" in err
    assert _art(database_url, "list") == 0
    assert "The library is empty" in capsys.readouterr().out
