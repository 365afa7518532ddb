"""The status table against the action lists of the products podtui replaces."""

from __future__ import annotations

import pytest

from podtui.domain.order_status import OrderStatus, derive_order_status
from podtui.domain.status import (
    OPERATOR_ACTIONS,
    TABLE,
    Action,
    ItemStatus,
    allowed_actions,
    is_allowed,
    statuses_allowing,
    target_status,
)

S, A = ItemStatus, Action

REQUIRED: dict[ItemStatus, set[Action]] = {
    S.MISSING_ARTWORK: {A.SPLIT, A.ADD_ARTWORK, A.IGNORE, A.EDIT_SHIPPING, A.HOLD},
    S.WAITING_APPROVAL: {A.SPLIT, A.EDIT_DESIGN, A.APPROVE, A.IGNORE, A.EDIT_SHIPPING, A.HOLD},
    S.RENDERING: {A.EDIT_SHIPPING},
    S.READY: {
        A.SPLIT,
        A.COPY_LINK,
        A.EDIT_DESIGN,
        A.REGENERATE,
        A.SEND,
        A.MARK_FULFILLED,
        A.IGNORE,
        A.EDIT_SHIPPING,
        A.HOLD,
    },
    S.ON_HOLD: {A.RELEASE, A.EDIT_DESIGN, A.EDIT_SHIPPING, A.IGNORE},
    S.SENDING: {A.COPY_LINK, A.EDIT_SHIPPING},
    S.SENT: {A.COPY_LINK, A.EDIT_DESIGN, A.REGENERATE, A.IGNORE, A.EDIT_SHIPPING, A.CANCEL},
    S.IN_PRODUCTION: {A.COPY_LINK},
    S.FULFILLED: {A.COPY_LINK, A.EDIT_DESIGN, A.REGENERATE, A.IGNORE, A.EDIT_SHIPPING},
    S.FAILED: {
        A.COPY_LINK,
        A.EDIT_DESIGN,
        A.REGENERATE,
        A.RETRY,
        A.SEE_REASON,
        A.IGNORE,
        A.EDIT_SHIPPING,
    },
    S.CANCELED: {A.RESTORE},
    S.IGNORED: {A.COPY_LINK, A.EDIT_DESIGN, A.REGENERATE, A.EDIT_SHIPPING, A.RESTORE},
}


def test_every_status_has_a_row() -> None:
    assert set(TABLE) == set(ItemStatus)


@pytest.mark.parametrize("status", list(ItemStatus))
def test_listed_actions_are_allowed(status: ItemStatus) -> None:
    allowed = set(allowed_actions(status))
    missing = REQUIRED[status] - allowed
    assert not missing, f"{status}: {missing} should be allowed"


def test_split_only_before_submission() -> None:
    assert set(statuses_allowing(A.SPLIT)) == {S.MISSING_ARTWORK, S.WAITING_APPROVAL, S.READY}


def test_send_needs_an_integrated_vendor_and_mark_fulfilled_a_manual_one() -> None:
    assert is_allowed(S.READY, A.SEND, vendor_integrated=True)
    assert not is_allowed(S.READY, A.SEND, vendor_integrated=False)
    assert is_allowed(S.READY, A.MARK_FULFILLED, vendor_integrated=False)
    assert not is_allowed(S.READY, A.MARK_FULFILLED, vendor_integrated=True)


def test_an_item_once_submitted_cannot_be_sent_again() -> None:
    # Only Ready sends; every status an item reaches after sending refuses SEND.
    assert statuses_allowing(A.SEND) == [S.READY]
    for status in (S.SENDING, S.SENT, S.IN_PRODUCTION, S.FULFILLED, S.FAILED):
        assert not is_allowed(status, A.SEND)


def test_ignore_and_restore_return_to_the_previous_status() -> None:
    assert target_status(S.READY, A.IGNORE, None) is S.IGNORED
    assert target_status(S.IGNORED, A.RESTORE, S.READY) is S.READY
    assert target_status(S.ON_HOLD, A.RELEASE, S.WAITING_APPROVAL) is S.WAITING_APPROVAL


def test_approve_leads_to_rendering_then_ready() -> None:
    assert target_status(S.WAITING_APPROVAL, A.APPROVE, None) is S.RENDERING
    assert target_status(S.RENDERING, A.RENDER_DONE, None) is S.READY


def test_illegal_transition_raises() -> None:
    with pytest.raises(KeyError):
        target_status(S.FULFILLED, A.APPROVE, None)


def test_system_actions_are_not_offered_to_operators() -> None:
    for status in ItemStatus:
        assert set(allowed_actions(status)) <= OPERATOR_ACTIONS


@pytest.mark.parametrize(
    ("statuses", "archived", "expected"),
    [
        ([], False, OrderStatus.NEW),
        ([S.WAITING_APPROVAL, S.READY], False, OrderStatus.NEW),
        ([S.READY, S.READY], False, OrderStatus.READY_TO_SEND),
        ([S.READY, S.SENT], False, OrderStatus.READY_TO_SEND),
        ([S.SENT, S.IN_PRODUCTION], False, OrderStatus.SENT),
        ([S.FULFILLED, S.IGNORED], False, OrderStatus.FULFILLED),
        ([S.FULFILLED, S.FAILED], False, OrderStatus.FAILED),
        ([S.FAILED], True, OrderStatus.ARCHIVED),
    ],
)
def test_order_status_is_derived(
    statuses: list[ItemStatus], archived: bool, expected: OrderStatus
) -> None:
    assert derive_order_status(statuses, archived=archived) is expected


def test_unarchive_returns_the_order_status_unchanged() -> None:
    items = [S.READY, S.SENT]
    before = derive_order_status(items, archived=False)
    assert derive_order_status(items, archived=True) is OrderStatus.ARCHIVED
    assert derive_order_status(items, archived=False) is before
