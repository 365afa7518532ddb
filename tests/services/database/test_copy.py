"""`podtui db copy`: a seeded shop copied SQLite -> PostgreSQL -> SQLite arrives whole, verified
by row counts and checksums; a target that is not empty is refused with nothing written."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from podtui.cli import main
from podtui.db import Database, open_database
from podtui.demo.seed import seed_demo
from podtui.domain.models import Event
from podtui.services.database.checksum import canonical, row_line
from podtui.services.database.copy import CopyRefusedError, copy_database, tables
from tests import postgres_support

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A demo shop (every table has rows) in a SQLite file."""
    path = tmp_path_factory.mktemp("shop") / "shop.db"
    db = open_database(f"sqlite:///{path}")
    seed_demo(db, orders=120, seed=5, now=NOW, hotfolder_path="/srv/rip/dtg")
    yield db
    db.dispose()


@pytest.fixture
def pg_target(worker_id: str) -> Iterator[str]:
    server = postgres_support.server_url()
    if server is None:
        pytest.skip("no PostgreSQL server answers (set PODTUI_TEST_DATABASE_URL)")
    with postgres_support.scratch_database(server, f"podtui_copy_{worker_id}_{os.getpid()}") as url:
        yield url


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            t.name: conn.execute(select(text("count(*)")).select_from(t)).scalar_one()
            for t in tables()
        }


def test_a_shop_goes_to_postgresql_and_back_whole(
    shop: Database, pg_target: str, tmp_path: Path
) -> None:
    before = _counts(shop)
    assert all(before[name] > 0 for name in ("order", "order_item", "event", "submission", "note"))
    there = copy_database(shop, pg_target)
    assert {t.table: t.rows for t in there.tables} == before
    pg = Database(pg_target)
    try:
        # New rows on PostgreSQL take ids after the copied ones (the sequences were moved).
        with pg.write() as s:
            event = Event(item_id=1, type="note", user="tester")
            s.add(event)
            s.flush()
            assert event.id == before["event"] + 1
        with pg.write() as s:
            s.delete(s.get(Event, before["event"] + 1))
        back_path = tmp_path / "back.db"
        back = copy_database(pg, f"sqlite:///{back_path}")
    finally:
        pg.dispose()
    assert back.tables == there.tables  # same counts, same checksums, both ways
    returned = open_database(f"sqlite:///{back_path}")
    try:
        # The title search index of the SQLite copy was filled as the rows went in.
        with returned.engine.connect() as conn:
            title = conn.execute(text("SELECT title FROM order_item LIMIT 1")).scalar_one()
            word = title.split()[0].lower()
            hits = conn.execute(
                text("SELECT count(*) FROM order_item_title WHERE order_item_title MATCH :w"),
                {"w": f'"{word}"'},
            ).scalar_one()
            plain = conn.execute(
                text("SELECT count(*) FROM order_item WHERE lower(title) LIKE :w"),
                {"w": f"%{word}%"},
            ).scalar_one()
        assert hits == plain > 0
    finally:
        returned.dispose()


def test_a_target_that_is_not_empty_is_refused_and_nothing_is_written(
    shop: Database, tmp_path: Path
) -> None:
    target = tmp_path / "other.db"
    copy_database(shop, f"sqlite:///{target}")
    other = open_database(f"sqlite:///{target}")
    before = _counts(other)
    other.dispose()
    with pytest.raises(CopyRefusedError, match=r"not empty: artwork .* order \(120 rows\)"):
        copy_database(shop, f"sqlite:///{target}")
    other = open_database(f"sqlite:///{target}")
    assert _counts(other) == before
    other.dispose()


def test_the_cli_copies_and_prints_each_table_verified(
    shop: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = shop.url.removeprefix("sqlite:///")
    target = tmp_path / "moved.db"
    assert main(["--db", source, "db", "copy", "--to", str(target)]) == 0
    out = capsys.readouterr().out
    assert "order_item" in out and "every table verified" in out
    assert main(["db", "copy", "--db", source, "--to", str(target)]) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and "Traceback" not in err


def test_canonical_rows_tell_null_from_empty_and_naive_from_aware_alike() -> None:
    naive = datetime(2026, 1, 2, 3, 4, 5, 6)
    aware = naive.replace(tzinfo=UTC)
    assert canonical(naive) == canonical(aware) == "2026-01-02T03:04:05.000006Z"
    assert row_line({"a": None}) != row_line({"a": ""})
    assert row_line({"b": 1, "a": {"y": 1, "x": "é"}}) == '{"a":{"x":"é","y":1},"b":1}'.encode()
