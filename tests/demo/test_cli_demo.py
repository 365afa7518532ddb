"""`podtui demo` through the real command line entry point."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from podtui.cli import main
from podtui.clock import ManualClock
from podtui.config import data_dir
from podtui.db import open_database
from podtui.domain.models import Store


def _counts(path: Path) -> tuple[int, int, int, int]:
    con = sqlite3.connect(path)
    try:
        return tuple(  # type: ignore[return-value]
            con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in ("store", "order", "order_item", "event")
        )
    finally:
        con.close()


def test_seed_only_with_db_after_the_subcommand_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    assert main(["demo", "--seed-only", "--db", str(path), "--orders", "120"]) == 0
    first = _counts(path)
    assert first[0] == 3 and first[1] == 120 and first[2] > 120
    assert "items/s" in capsys.readouterr().out
    assert main(["demo", "--seed-only", "--db", str(path), "--orders", "120"]) == 0
    assert _counts(path) == first
    assert "already holds the demo" in capsys.readouterr().out


def test_global_db_option_before_the_subcommand(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    assert main(["--db", str(path), "demo", "--seed-only", "--items", "200"]) == 0
    assert _counts(path)[2] == 200


def test_without_db_the_demo_has_its_own_file(tmp_path: Path) -> None:
    assert main(["demo", "--seed-only", "--orders", "30"]) == 0
    own = data_dir() / "demo.db"
    assert _counts(own)[1] == 30
    assert not (data_dir() / "podtui.db").exists(), "the operator's database is never touched"


def test_reset_rebuilds(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    assert main(["demo", "--seed-only", "--db", str(path), "--orders", "40"]) == 0
    assert main(["demo", "--seed-only", "--db", str(path), "--orders", "25", "--reset"]) == 0
    assert _counts(path)[:2] == (3, 25)


def test_refuses_a_database_that_is_not_a_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "shop.db"
    db = open_database(f"sqlite:///{path}")
    with db.write() as s:
        s.add(Store(name="My Real Shop", kind="shopify"))
    db.dispose()
    assert main(["demo", "--seed-only", "--db", str(path), "--reset"]) == 2
    assert "not a demo database" in capsys.readouterr().err
    assert _counts(path)[:2] == (1, 0)


def test_without_seed_only_it_opens_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import podtui.app

    opened: list[int] = []

    def fake_run(self: podtui.app.PodTUI, *args: object, **kwargs: object) -> None:
        with self.db.read() as s:
            opened.append(len(s.exec(__import__("sqlmodel").select(Store)).all()))

    monkeypatch.setattr(podtui.app.PodTUI, "run", fake_run)
    assert main(["demo", "--db", str(tmp_path / "demo.db"), "--orders", "20"]) == 0
    assert opened == [3]


def test_bad_sizes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--orders", "0", "--db", str(tmp_path / "x.db")])
    with pytest.raises(SystemExit):
        main(["demo", "--orders", "5", "--items", "5", "--db", str(tmp_path / "x.db")])


async def test_the_app_opens_on_a_demo_database(tmp_path: Path) -> None:
    from podtui.app import PodTUI
    from podtui.demo.seed import seed_demo
    from tests.demo.conftest import NOW

    db = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    seed_demo(db, orders=40, now=NOW)
    app = PodTUI(db=db, clock=ManualClock(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.is_running
    db.dispose()


def test_db_given_as_a_url_is_that_database_not_a_file_named_after_it(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--db URL` (a PostgreSQL URL, or sqlite:///) seeds that database: it once made a SQLite
    file under the working directory at a path spelled like the URL."""
    workdir = tmp_path / "workdir"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    assert main(["demo", "--seed-only", "--db", database_url, "--orders", "12"]) == 0
    assert list(workdir.iterdir()) == []
    db = open_database(database_url)
    try:
        with db.read() as s:
            assert s.query(Store).count() > 0
    finally:
        db.dispose()


def test_the_demos_orders_name_photos_it_draws(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    assert main(["demo", "--seed-only", "--db", str(path), "--orders", "60"]) == 0
    folder = data_dir() / "uploads" / "demo"
    con = sqlite3.connect(path)
    try:
        raws = [r[0] for r in con.execute("SELECT personalization_raw FROM order_item")]
    finally:
        con.close()
    named = {f"file://{folder}/{p.name}" for p in folder.iterdir()}
    carried = {url for url in named if any(url in raw for raw in raws)}
    assert carried, "no order carries a photo"
    for photo in folder.iterdir():
        photo.unlink()
    # Opened again (the seeding kept), the photos its orders name are drawn again.
    assert main(["demo", "--seed-only", "--db", str(path)]) == 0
    assert {f"file://{folder}/{p.name}" for p in folder.iterdir()} == named


def test_a_data_folder_it_cannot_write_is_said_in_one_line_and_nothing_is_seeded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setenv("PODTUI_DATA_DIR", str(blocked))
    path = tmp_path / "demo.db"
    assert main(["demo", "--seed-only", "--db", str(path), "--orders", "10"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("podtui: ") and "Traceback" not in err
    assert str(blocked) in err and "PODTUI_DATA_DIR" in err
    assert not path.exists()  # nothing made, not even the database file
