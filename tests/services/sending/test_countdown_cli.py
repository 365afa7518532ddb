"""The automatic submission countdown, and `podtui submit` / `podtui recover`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import col

from podtui.cli import main
from podtui.domain.models import Order, OrderItem, Store, utcnow
from podtui.domain.status import Action
from podtui.domain.status import ItemStatus as S
from podtui.sandbox.printify import SandboxPrintify
from podtui.services.items import actions
from podtui.services.items.transitions import apply_action
from podtui.services.sending import countdown, submissions
from podtui.services.sending.fulfil import SendOptions
from tests.services.sending.conftest import Shop

VendorApi = tuple[SandboxPrintify, str]


def set_delay(shop: Shop, hours: float) -> None:
    with shop.db.write() as s:
        store = s.get(Store, shop.store_id)
        assert store is not None
        store.auto_submit_hours = hours
        s.add(store)


def became_ready(shop: Shop, item_id: int) -> None:
    """The item reaches Ready the way the renderer moves it (a timeline event into Ready)."""
    with shop.db.write() as s:
        s.execute(update(OrderItem).where(col(OrderItem.id) == item_id).values(status=S.RENDERING))
        apply_action(s, item_id, Action.RENDER_DONE)


def auto_at(shop: Shop, item_id: int):  # type: ignore[no-untyped-def]
    with shop.db.read() as s:
        item = s.get(OrderItem, item_id)
        assert item is not None
        return item.auto_submit_at


def test_a_ready_item_is_sent_when_its_time_is_up(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    set_delay(shop, 2)
    item = shop.item(S.RENDERING)
    became_ready(shop, item)
    start = utcnow()
    countdown.refresh(shop.db)
    at = auto_at(shop, item)
    assert at is not None and abs((at - start - timedelta(hours=2)).total_seconds()) < 60
    assert countdown.due_items(shop.db, now=start + timedelta(hours=1)) == []
    assert countdown.send_due(shop.db, now=start + timedelta(hours=1), options=fast).total == 0
    assert sandbox.created == []
    outcome = countdown.send_due(shop.db, now=start + timedelta(hours=2, minutes=1), options=fast)
    assert outcome.done == [item] and shop.status(item) is S.SENT
    assert auto_at(shop, item) is None


def test_hold_pauses_the_countdown_and_release_resumes_it(shop: Shop) -> None:
    set_delay(shop, 1)
    item = shop.item(S.RENDERING)
    became_ready(shop, item)
    countdown.refresh(shop.db)
    assert auto_at(shop, item) is not None
    # 20 minutes of the hour had run when the item was held.
    with shop.db.write() as s:
        s.execute(
            update(OrderItem)
            .where(col(OrderItem.id) == item)
            .values(auto_submit_at=utcnow() + timedelta(minutes=40))
        )
        actions.hold(s, item, "customer asked to wait")
    countdown.refresh(shop.db)
    assert auto_at(shop, item) is None
    paused = shop.events(item)[-1]
    assert paused.type == "countdown_paused" and 2390 < paused.params["left_s"] <= 2400
    assert countdown.due_items(shop.db, now=utcnow() + timedelta(days=3)) == []
    with shop.db.write() as s:
        actions.release(s, item)
    released = utcnow()
    countdown.refresh(shop.db)
    at = auto_at(shop, item)
    assert at is not None and abs((at - released - timedelta(minutes=40)).total_seconds()) < 30


def test_an_order_the_store_holds_pauses_its_countdown_until_it_leaves_on_hold(
    shop: Shop,
) -> None:
    set_delay(shop, 1)
    order = shop.order(store_status="processing")
    item = shop.item(S.RENDERING, order_id=order)
    became_ready(shop, item)
    countdown.refresh(shop.db)
    assert auto_at(shop, item) is not None
    with shop.db.write() as s:
        s.execute(
            update(OrderItem)
            .where(col(OrderItem.id) == item)
            .values(auto_submit_at=utcnow() + timedelta(minutes=40))
        )
        s.execute(update(Order).where(col(Order.id) == order).values(store_status="on-hold"))
    countdown.refresh(shop.db)
    assert auto_at(shop, item) is None
    paused = shop.events(item)[-1]
    assert paused.type == "countdown_paused" and paused.params["store_status"] == "on-hold"
    assert 2390 < paused.params["left_s"] <= 2400
    countdown.refresh(shop.db)  # still on hold: nothing starts again
    assert auto_at(shop, item) is None
    assert countdown.due_items(shop.db, now=utcnow() + timedelta(days=3)) == []
    with shop.db.write() as s:
        s.execute(update(Order).where(col(Order.id) == order).values(store_status="processing"))
    resumed = utcnow()
    countdown.refresh(shop.db, now=resumed)
    at = auto_at(shop, item)
    assert at is not None and abs((at - resumed - timedelta(minutes=40)).total_seconds()) < 30


def test_a_store_without_a_delay_has_no_countdown(shop: Shop) -> None:
    item = shop.item(S.RENDERING)
    became_ready(shop, item)
    with shop.db.write() as s:
        s.execute(update(OrderItem).values(auto_submit_at=utcnow()))
    countdown.refresh(shop.db)
    assert auto_at(shop, item) is None
    assert countdown.due_items(shop.db, now=utcnow() + timedelta(days=30)) == []


def db_args(shop: Shop) -> list[str]:
    return ["--db", shop.db.url.removeprefix("sqlite:///")]


def test_submit_ids_with_yes_sends_and_summarises(
    shop: Shop, vendor_api: VendorApi, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox, _ = vendor_api
    good = shop.item()
    held = shop.item(S.ON_HOLD, status_before=S.READY)
    code = main([*db_args(shop), "submit", "--ids", f"{good},{held}", "--yes"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Sent 1, skipped 1, failed 0" in out
    assert "skipped #20" in out and "Mug 11oz: it is On hold, not Ready" in out
    assert f"item {held}" not in out
    assert shop.status(good) is S.SENT and len(sandbox.created) == 1


def test_submit_without_a_terminal_asks_for_yes_and_sends_nothing(
    shop: Shop, vendor_api: VendorApi, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    assert main([*db_args(shop), "submit", "--ready"]) == 0
    captured = capsys.readouterr()
    assert "add --yes" in captured.err and "Nothing was sent." in captured.out
    assert shop.status(item) is S.READY and sandbox.requests == []


def test_submit_rejects_bad_ids(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*db_args(shop), "submit", "--ids", "1,x", "--yes"]) == 2
    assert "'x' is not an item id" in capsys.readouterr().err


def test_submit_due_and_failed_exit_status(
    shop: Shop, vendor_api: VendorApi, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = shop.item(order_id=shop.order(ship_postal_code=""))
    with shop.db.write() as s:
        s.execute(update(OrderItem).values(auto_submit_at=utcnow() - timedelta(minutes=1)))
    set_delay(shop, 1)
    code = main([*db_args(shop), "submit", "--due", "--yes"])
    out = capsys.readouterr().out
    assert code == 1 and "FAILED #20" in out and "zip" in out and f"item {bad}" not in out


def test_recover_reconciles_what_a_crash_left(
    shop: Shop, vendor_api: VendorApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    with shop.db.read() as s:
        [batch] = submissions.plan_batches(s, [item]).batches
    assert submissions.claim(shop.db, batch) is not None
    assert main([*db_args(shop), "recover"]) == 0  # too fresh: a live sender may own it
    assert "Recovered 0" in capsys.readouterr().out
    assert main([*db_args(shop), "recover", "--older-than", "0"]) == 0
    assert "1 sent now" in capsys.readouterr().out
    assert shop.status(item) is S.SENT and len(sandbox.created) == 1


def test_the_config_file_sets_a_stores_delay(shop: Shop) -> None:
    from podtui.config import config_file

    item = shop.item(S.RENDERING)
    became_ready(shop, item)
    countdown.refresh(shop.db)
    assert auto_at(shop, item) is None  # the store's own setting: off
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[stores."Test Woo"]\nauto_submit_hours = 3\n', encoding="utf-8")
    countdown.refresh(shop.db)
    at = auto_at(shop, item)
    assert at is not None and at > utcnow() + timedelta(hours=2, minutes=55)


def test_a_bad_delay_in_the_config_is_a_clear_error() -> None:
    from podtui.config import ConfigError

    with pytest.raises(ConfigError, match="auto_submit_hours must be a number of hours"):
        countdown.configured_delays({"Shop": {"auto_submit_hours": "soon"}})
    assert countdown.configured_delays({"Shop": {"auto_submit_hours": 0}}) == {"Shop": 0.0}


def test_a_due_item_that_cannot_go_waits_instead_of_retrying_every_tick(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    set_delay(shop, 1)
    item = shop.item(S.RENDERING, vendor="manual")  # a vendor podtui cannot send to
    became_ready(shop, item)
    countdown.refresh(shop.db)
    later = utcnow() + timedelta(hours=2)
    outcome = countdown.send_due(shop.db, now=later, options=fast)
    assert list(outcome.skipped) == [item] and outcome.done == []
    assert auto_at(shop, item) == later + countdown.RETRY_SKIPPED
    assert countdown.due_items(shop.db, now=later + timedelta(minutes=1)) == []
    assert shop.status(item) is S.READY and sandbox.created == []
