"""approve, regenerate, hold/release, ignore/restore, cancel: legal paths, refusals, events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from podtui.domain.errors import ConcurrentChangeError, DomainError, NotFoundError, ValidationError
from podtui.domain.models import Event, RenderJob
from podtui.domain.status import Action, ItemStatus, statuses_allowing
from podtui.services.items import actions
from tests.services.items.conftest import Shop

S = ItemStatus

SERVICES: dict[Action, Callable[[Session, int], Any]] = {
    Action.APPROVE: actions.approve,
    Action.REGENERATE: actions.regenerate,
    Action.HOLD: lambda s, i: actions.hold(s, i, "artwork looks blurry"),
    Action.RELEASE: actions.release,
    Action.IGNORE: actions.ignore,
    Action.RESTORE: actions.restore,
    Action.CANCEL: actions.cancel,
}


def _assert_one_event(shop: Shop, item_id: int, type_: str, frm: S, to: S) -> Event:
    events = shop.events(item_id=item_id)
    assert len(events) == 1, events
    ev = events[0]
    assert (ev.type, ev.from_status, ev.to_status, ev.user) == (
        type_,
        frm.value,
        to.value,
        "tester",
    )
    assert ev.order_id == shop.get(item_id).order_id
    return ev


@pytest.mark.parametrize("action", list(SERVICES), ids=str)
def test_refused_in_every_status_the_table_forbids(shop: Shop, action: Action) -> None:
    """Each refusal names the item and its status, and changes nothing."""
    forbidden = [s for s in S if s not in statuses_allowing(action)]
    assert forbidden
    for status in forbidden:
        item_id = shop.item(status)
        before = shop.get(item_id)
        with pytest.raises(DomainError) as err, shop.db.write() as s:
            SERVICES[action](s, item_id)
        message = str(err.value)
        assert f"item {item_id}" in message
        assert status.label in message
        assert "allowed" in message
        after = shop.get(item_id)
        assert (after.status, after.status_before, after.version, after.hold_reason) == (
            before.status,
            before.status_before,
            before.version,
            before.hold_reason,
        )
    assert shop.all_events() == []
    assert shop.count(RenderJob) == 0


@pytest.mark.parametrize("action", list(SERVICES), ids=str)
def test_unknown_item_is_not_found(shop: Shop, action: Action) -> None:
    with pytest.raises(NotFoundError, match="Item 999"), shop.db.write() as s:
        SERVICES[action](s, 999)


def test_approve_moves_to_rendering_and_queues_a_render(shop: Shop) -> None:
    item_id = shop.item(S.WAITING_APPROVAL)
    with shop.db.write() as s:
        item = actions.approve(s, item_id)
    assert item.status is S.RENDERING
    stored = shop.get(item_id)
    assert stored.status is S.RENDERING
    assert stored.version == 1
    _assert_one_event(shop, item_id, "approve", S.WAITING_APPROVAL, S.RENDERING)
    assert [j.state for j in shop.jobs(item_id)] == ["queued"]


def test_approve_with_a_stale_expected_status_changes_nothing(shop: Shop) -> None:
    item_id = shop.item(S.WAITING_APPROVAL)
    with pytest.raises(ConcurrentChangeError, match="someone else"), shop.db.write() as s:
        actions.approve(s, item_id, expected=S.MISSING_ARTWORK)
    assert shop.get(item_id).status is S.WAITING_APPROVAL
    assert shop.all_events() == []
    assert shop.jobs(item_id) == []


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (S.READY, S.RENDERING),
        (S.ON_HOLD, S.RENDERING),
        (S.FAILED, S.RENDERING),
        (S.SENT, S.SENT),
        (S.FULFILLED, S.FULFILLED),
        (S.IGNORED, S.IGNORED),
    ],
)
def test_regenerate_queues_a_render_in_every_allowed_status(shop: Shop, start: S, end: S) -> None:
    item_id = shop.item(start)
    with shop.db.write() as s:
        actions.regenerate(s, item_id)
    stored = shop.get(item_id)
    assert stored.status is end
    if start is S.ON_HOLD:
        # Leaving the hold uses up the saved status and the reason.
        assert (stored.status_before, stored.hold_reason) == (None, None)
    _assert_one_event(shop, item_id, "regenerate", start, end)
    assert [j.state for j in shop.jobs(item_id)] == ["queued"]


def test_regenerate_twice_keeps_one_queued_job_but_two_events(shop: Shop) -> None:
    item_id = shop.item(S.SENT)
    for _ in range(2):
        with shop.db.write() as s:
            actions.regenerate(s, item_id)
    assert len(shop.jobs(item_id)) == 1
    assert [e.type for e in shop.events(item_id=item_id)] == ["regenerate", "regenerate"]


@pytest.mark.parametrize("start", [S.MISSING_ARTWORK, S.WAITING_APPROVAL, S.READY, S.FAILED])
def test_hold_then_release_returns_to_the_status_before(shop: Shop, start: S) -> None:
    item_id = shop.item(start)
    with shop.db.write() as s:
        actions.hold(s, item_id, "  customer asked to wait  ")
    held = shop.get(item_id)
    assert (held.status, held.status_before, held.hold_reason) == (
        S.ON_HOLD,
        start,
        "customer asked to wait",
    )
    ev = _assert_one_event(shop, item_id, "hold", start, S.ON_HOLD)
    assert ev.params == {"reason": "customer asked to wait"}

    with shop.db.write() as s:
        actions.release(s, item_id)
    released = shop.get(item_id)
    assert (released.status, released.status_before, released.hold_reason) == (start, None, None)
    last = shop.events(item_id=item_id)[-1]
    assert (last.type, last.from_status, last.to_status) == ("release", "on_hold", start.value)
    assert last.params == {"hold_reason": "customer asked to wait"}


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_hold_without_a_reason_saves_nothing(shop: Shop, reason: str) -> None:
    item_id = shop.item(S.READY)
    with pytest.raises(ValidationError) as err, shop.db.write() as s:
        actions.hold(s, item_id, reason)
    assert "reason" in err.value.fields
    stored = shop.get(item_id)
    assert (stored.status, stored.hold_reason, stored.version) == (S.READY, None, 0)
    assert shop.all_events() == []


@pytest.mark.parametrize(
    "start",
    [S.MISSING_ARTWORK, S.WAITING_APPROVAL, S.READY, S.SENT, S.FULFILLED, S.FAILED],
)
def test_ignore_then_restore_returns_to_the_status_before(shop: Shop, start: S) -> None:
    item_id = shop.item(start)
    with shop.db.write() as s:
        actions.ignore(s, item_id)
    ignored = shop.get(item_id)
    assert (ignored.status, ignored.status_before) == (S.IGNORED, start)
    _assert_one_event(shop, item_id, "ignore", start, S.IGNORED)
    with shop.db.write() as s:
        actions.restore(s, item_id)
    restored = shop.get(item_id)
    assert (restored.status, restored.status_before) == (start, None)
    assert [(e.type, e.from_status, e.to_status) for e in shop.events(item_id=item_id)] == [
        ("ignore", start.value, "ignored"),
        ("restore", "ignored", start.value),
    ]


def test_ignoring_a_held_item_keeps_where_it_was_before_the_hold(shop: Shop) -> None:
    item_id = shop.item(S.READY)
    with shop.db.write() as s:
        actions.hold(s, item_id, "wrong size")
    with shop.db.write() as s:
        actions.ignore(s, item_id)
    with shop.db.write() as s:
        actions.restore(s, item_id)
    assert shop.get(item_id).status is S.READY
    assert [e.type for e in shop.events(item_id=item_id)] == ["hold", "ignore", "restore"]


def test_cancel_a_sent_item_keeps_the_reason_and_restores(shop: Shop) -> None:
    item_id = shop.item(S.SENT)
    with shop.db.write() as s:
        actions.cancel(s, item_id, "customer refunded")
    stored = shop.get(item_id)
    assert (stored.status, stored.status_before) == (S.CANCELED, S.SENT)
    ev = _assert_one_event(shop, item_id, "cancel", S.SENT, S.CANCELED)
    assert ev.params == {"reason": "customer refunded"}
    with shop.db.write() as s:
        actions.restore(s, item_id)
    assert shop.get(item_id).status is S.SENT


def test_cancel_without_reason_records_no_reason(shop: Shop) -> None:
    item_id = shop.item(S.SENT)
    with shop.db.write() as s:
        actions.cancel(s, item_id)
    assert shop.events(item_id=item_id)[0].params == {}


def test_approve_leaves_other_items_alone(shop: Shop) -> None:
    order_id = shop.order()
    first = shop.item(S.WAITING_APPROVAL, order_id=order_id)
    second = shop.item(S.WAITING_APPROVAL, order_id=order_id)
    with shop.db.write() as s:
        actions.approve(s, first)
    assert shop.get(second).status is S.WAITING_APPROVAL
    assert shop.events(item_id=second) == []
    assert shop.jobs(second) == []
