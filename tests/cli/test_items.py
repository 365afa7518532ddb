"""`podtui items ACTION`: the list's bulk actions from a shell or a script, by ids or by a
filter, through the same plan and services as the app's marks (one compare-and-set and one
timeline event per item)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from podtui.cli import main
from podtui.db import Database
from podtui.domain.models import Event, OrderItem
from podtui.domain.status import ItemStatus
from tests.screens.orders.data import Shop, seed_shop
from tests.screens.orders.test_bulk_actions import ids_with


@pytest.fixture
def shop(db: Database) -> Shop:
    return seed_shop(db)


def _status(db: Database, item_id: int) -> ItemStatus:
    with db.read() as s:
        item = s.get(OrderItem, item_id)
        assert item is not None
        return ItemStatus(item.status)


def _events(db: Database, kind: str) -> list[Event]:
    with db.read() as s:
        return list(s.exec(select(Event).where(Event.type == kind)).all())


def test_approve_by_filter_says_the_plan_then_acts_with_yes(
    db: Database, database_url: str, shop: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    waiting = ids_with(db, ItemStatus.WAITING_APPROVAL)
    assert waiting
    argv = ["--db", database_url, "items", "approve", "--filter", "status:waiting_approval"]
    assert main(argv) == 1  # no terminal to ask: says what it would do, does nothing
    out = capsys.readouterr()
    assert f"Approve {len(waiting)} item" in out.out and "--yes" in out.err
    assert all(_status(db, i) is ItemStatus.WAITING_APPROVAL for i in waiting)
    before = len(_events(db, "approve"))
    assert main([*argv, "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"Approve: {len(waiting)} item" in out and "done" in out
    assert all(_status(db, i) is not ItemStatus.WAITING_APPROVAL for i in waiting)
    assert len(_events(db, "approve")) == before + len(waiting)


def test_ids_the_status_does_not_allow_are_skipped_with_why(
    db: Database, database_url: str, shop: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    sent = ids_with(db, ItemStatus.SENT)[0]
    ready = ids_with(db, ItemStatus.READY)[0]
    ids = f"{sent},{ready}"
    assert main(["--db", database_url, "items", "hold", "--ids", ids, "--reason", "ink", "-y"]) == 0
    out = capsys.readouterr().out
    assert "skipped" in out.lower()
    assert _status(db, sent) is ItemStatus.SENT
    assert _status(db, ready) is ItemStatus.ON_HOLD


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["items", "hold", "--ids", "1"], "--reason"),
        (["items", "approve", "--ids", "1,x"], "'x' is not an item id"),
        (["items", "approve", "--filter", "status:nonsense"], "nonsense"),
        (["items", "approve"], "--ids or --filter"),
    ],
)
def test_bad_arguments_are_named_and_change_nothing(
    db: Database,
    database_url: str,
    shop: Shop,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    said: str,
) -> None:
    before = len(_events(db, "approve")) + len(_events(db, "hold"))
    assert main(["--db", database_url, *argv]) == 2
    assert said in capsys.readouterr().err
    assert len(_events(db, "approve")) + len(_events(db, "hold")) == before
