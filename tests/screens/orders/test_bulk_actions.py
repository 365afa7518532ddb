"""Bulk actions by keyboard: the question (count, split, skips), yes or no, the summary, the DB."""

from __future__ import annotations

import csv
import re
import types
from pathlib import Path

import pytest
from sqlmodel import col, select

from podtui.config import Config
from podtui.db import Database
from podtui.domain.models import Event, Order, OrderItem, RenderJob
from podtui.domain.status import ItemStatus
from podtui.screens.approval import ApprovalModal
from podtui.screens.bulk_dialogs import BulkConfirmDialog, BulkSummaryModal
from podtui.screens.orders import OrdersScreen
from tests.screens.conftest import until
from tests.screens.orders.conftest import header, make_app, settle, statuses
from tests.screens.orders.data import Shop


async def show(pilot: object, text: str) -> OrdersScreen:
    app = pilot.app  # type: ignore[attr-defined]
    await pilot.press("slash")  # type: ignore[attr-defined]
    app.screen.query_one("#filter-input").value = text
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, OrdersScreen)
    return screen


def ids_with(db: Database, status: ItemStatus) -> list[int]:
    with db.read() as s:
        return list(
            s.exec(
                select(OrderItem.id).where(
                    OrderItem.status == status,
                    col(OrderItem.archived).is_(False),
                    col(OrderItem.managed).is_(True),
                )
            ).all()
        )  # type: ignore[arg-type]


CASES = [
    # key, filter, from, to, question start
    ("a", "s:waiting_approval", ItemStatus.WAITING_APPROVAL, ItemStatus.RENDERING, "Approve"),
    ("R", "s:failed", ItemStatus.FAILED, ItemStatus.RENDERING, "Regenerate"),
    ("F", "s:in_production", ItemStatus.IN_PRODUCTION, ItemStatus.FULFILLED, "Mark fulfilled"),
    ("H", "s:on_hold", ItemStatus.ON_HOLD, ItemStatus.READY, "Release"),
    ("i", "s:rendering", ItemStatus.RENDERING, None, "Ignore"),  # rendering cannot be ignored
    ("u", "s:ignored", ItemStatus.IGNORED, ItemStatus.READY, "Restore"),
    ("i", "s:sent", ItemStatus.SENT, ItemStatus.IGNORED, "Ignore"),
]


@pytest.mark.parametrize(("key", "text", "before", "after", "verb"), CASES)
async def test_bulk_action_asks_no_changes_nothing_yes_runs_and_reports(
    db: Database,
    shop: Shop,
    orders_service: types.ModuleType,
    key: str,
    text: str,
    before: ItemStatus,
    after: ItemStatus | None,
    verb: str,
) -> None:
    targets = ids_with(db, before)
    assert targets
    n = len(targets)
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await show(pilot, text)
        await pilot.press("asterisk", key)
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BulkConfirmDialog)
        question = str(dialog.query_one("#dialog-question").content)
        if after is None:
            assert question.startswith(f"Nothing to {verb.lower()}")
            assert f"{n} marked item{'s' if n > 1 else ''}" in question
            await pilot.press("enter")  # OK
            await settle(pilot)
            assert set(statuses(db, targets).values()) == {before.value}
            return
        assert question.startswith(f"{verb} {n} item{'s' if n > 1 else ''}")
        # No has the focus: enter answers no, nothing changes and the marks stay.
        assert app.focused is dialog.query_one("#no")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        assert f"{n} marked" in header(app)
        assert set(statuses(db, targets).values()) == {before.value}
        # Asked again and answered yes: it runs, and the summary says how it went.
        await pilot.press(key)
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        summary = app.screen
        assert isinstance(summary, BulkSummaryModal)
        assert summary.report.headline() == (
            f"{verb}: {n} item{'s' if n > 1 else ''} done, 0 skipped, 0 failed"
        )
        await pilot.press("escape")
        await settle(pilot)
        assert set(statuses(db, targets).values()) == {after.value}
        assert "marked" not in header(app)  # marks go once the action is done
    with db.read() as s:
        events = s.exec(select(Event).where(col(Event.item_id).in_(targets))).all()
        assert len(events) == n and {e.user for e in events} == {"tester"}
        if key == "a":
            jobs = s.exec(select(RenderJob).where(col(RenderJob.item_id).in_(targets))).all()
            assert len(jobs) == n


async def test_hold_asks_for_a_reason(
    db: Database, shop: Shop, orders_service: types.ModuleType
) -> None:
    targets = ids_with(db, ItemStatus.MISSING_ARTWORK)
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await show(pilot, "s:missing_artwork")
        await pilot.press("asterisk", "h")
        await settle(pilot)
        await pilot.press("enter")  # empty reason: refused
        await settle(pilot)
        assert isinstance(app.screen, BulkConfirmDialog)
        assert "needs a value" in str(app.screen.query_one("#dialog-error").content)
        await pilot.press(*"Customer asked to wait", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BulkSummaryModal)
    with db.read() as s:
        rows = s.exec(select(OrderItem).where(col(OrderItem.id).in_(targets))).all()
    assert {(r.status, r.hold_reason) for r in rows} == {
        (ItemStatus.ON_HOLD, "Customer asked to wait")
    }


async def test_mixed_marks_skip_what_the_status_forbids(
    db: Database, shop: Shop, orders_service: types.ModuleType
) -> None:
    waiting = ids_with(db, ItemStatus.WAITING_APPROVAL)
    sent = ids_with(db, ItemStatus.SENT)
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await show(pilot, "s:waiting_approval,sent")
        await pilot.press("asterisk", "a")
        await settle(pilot)
        question = str(app.screen.query_one("#dialog-question").content)
        n = len(sent)
        assert (
            f"{n} marked item{'s' if n > 1 else ''} {'are' if n > 1 else 'is'} sent and will be skipped"
            in question
        )
        await pilot.press("y")
        await settle(pilot)
        report = app.screen.report  # type: ignore[attr-defined]
        assert report.done == len(waiting)
        assert report.skipped == {"sent": len(sent)}
    assert set(statuses(db, sent).values()) == {"sent"}


async def test_without_marks_the_cursor_row_is_the_target_and_wrong_keys_are_disabled(
    db: Database, shop: Shop, orders_service: types.ModuleType
) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await show(pilot, "s:sent")
        await pilot.press("a")  # sent items cannot be approved: the key does nothing
        await settle(pilot)
        assert app.screen is screen
        await show(pilot, "s:waiting_approval")
        row = screen.table.current_row
        assert row is not None and row.item_id is not None
        await pilot.press("a")  # one item: its look, then y approves it (ApprovalModal)
        await until(pilot, lambda: isinstance(app.screen, ApprovalModal), "the approval")
        await until(pilot, lambda: app.screen.look is not None, "its look")  # type: ignore[attr-defined]
        await pilot.press("y")
        await until(pilot, lambda: app.screen.item_id != row.item_id, "the next one")  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(pilot)
    assert statuses(db, [row.item_id]) == {row.item_id: "rendering"}


async def test_a_rebound_key_runs_the_action(
    db: Database, shop: Shop, orders_service: types.ModuleType
) -> None:
    app = make_app(db, Config(keymap={"orders.approve": "A"}))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await show(pilot, "s:waiting_approval")
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, ApprovalModal)


async def test_send_asks_with_the_split_by_vendor(
    db: Database, shop: Shop, orders_service: types.ModuleType
) -> None:
    ready = ids_with(db, ItemStatus.READY)
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await show(pilot, "s:ready,on_hold")
        await pilot.press("asterisk", "S")
        await settle(pilot)
        question = str(app.screen.query_one("#dialog-question").content)
        # Ready items of API and hot-folder vendors go; the manual vendor's and held ones do not.
        assert question == (
            "Send 2 items: 1 to Printful, 1 to Printify? 4 marked items will be skipped "
            "(3 not ready, 1 for a manual vendor)."
        )
        await pilot.press("n")
        await settle(pilot)
    assert set(statuses(db, ready).values()) == {"ready"}


async def test_archive_and_unarchive_whole_orders(
    db: Database, shop: Shop, orders_service: types.ModuleType
) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await show(pilot, "o:#1010")
        await pilot.press("e")
        await settle(pilot)
        assert (
            str(app.screen.query_one("#dialog-question").content)
            == "Archive 1 order (1 marked item)?"
        )
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.table.total == 0  # archived orders leave the default view
        await pilot.press("left_square_bracket")  # the Archived tab
        await settle(pilot)
        assert {row.order_name for row in screen.table.loaded_rows} >= {"#1010"}
        await show(pilot, "o:#1010")
        await pilot.press("E", "y")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    with db.read() as s:
        order = s.exec(select(Order).where(Order.name == "#1010")).one()
        items = s.exec(select(OrderItem).where(OrderItem.order_id == order.id)).all()
    assert order.archived is False and {i.archived for i in items} == {False}


async def test_export_writes_the_marked_items_to_csv(
    db: Database, shop: Shop, tmp_path: Path
) -> None:
    ready = ids_with(db, ItemStatus.READY)
    target = tmp_path / "out" / "ready.csv"
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await show(pilot, "s:ready")
        await pilot.press("asterisk", "x")
        await settle(pilot)
        dialog = app.screen
        assert (
            str(dialog.query_one("#dialog-question").content)
            == f"Export {len(ready)} items to a CSV file?"
        )
        dialog.query_one("#dialog-path").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.report.detail == f"Written to {target}"  # type: ignore[attr-defined]
    with target.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(int(r["item_id"]) for r in rows) == sorted(ready)
    assert {r["status"] for r in rows} == {"ready"}


async def test_summary_lists_failures_and_keeps_them_marked(
    db: Database, shop: Shop, orders_service: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    waiting = ids_with(db, ItemStatus.WAITING_APPROVAL)
    real = orders_service.approve

    def flaky(session: object, item_id: int) -> object:
        if item_id == waiting[0]:
            raise OSError("disk full while queueing the render")
        return real(session, item_id)

    monkeypatch.setattr(orders_service, "approve", flaky)
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await show(pilot, "s:waiting_approval")
        await pilot.press("asterisk", "a", "y")
        await settle(pilot)
        summary = app.screen
        assert isinstance(summary, BulkSummaryModal)
        assert re.search(r"FAILED #\S+ .+: OSError: disk full", summary.text), summary.text
        assert f"item {waiting[0]}" not in summary.text
        await pilot.press("escape")
        await settle(pilot)
        assert "1 marked" in header(app)
    assert statuses(db, waiting)[waiting[0]] == "waiting_approval"
