"""An order's status over every mix of its items' statuses (issue 17's rule, as a table)."""

from __future__ import annotations

from itertools import combinations_with_replacement

import pytest

from podtui.domain.order_status import OrderStatus, order_state
from podtui.domain.status import ItemStatus as S

OS = OrderStatus


@pytest.mark.parametrize(
    ("items", "archived", "status", "text"),
    [
        ([S.FAILED], True, OS.ARCHIVED, "Archived"),
        ([], False, OS.NEW, "New"),  # nothing of it is produced here (unmanaged lines only)
        ([S.CANCELED, S.IGNORED], False, OS.CANCELED, "Canceled"),
        ([S.FAILED, S.READY], False, OS.FAILED, "Failed to send"),
        ([S.FAILED, S.FULFILLED, S.ON_HOLD], False, OS.FAILED, "Failed to send"),
        ([S.FULFILLED, S.FULFILLED, S.IGNORED], False, OS.FULFILLED, "Fulfilled"),
        ([S.IN_PRODUCTION, S.FULFILLED], False, OS.SENT, "Sent"),
        ([S.SENT, S.SENDING], False, OS.SENT, "Sent"),
        ([S.READY, S.READY, S.CANCELED], False, OS.READY_TO_SEND, "Ready to send"),
        ([S.READY, S.SENT], False, OS.READY_TO_SEND, "Ready to send · partly sent"),
        ([S.READY, S.FULFILLED, S.IN_PRODUCTION], False, OS.READY_TO_SEND,
         "Ready to send · partly sent"),
        ([S.ON_HOLD, S.READY], False, OS.NEW, "New · on hold 1"),
        ([S.MISSING_ARTWORK, S.MISSING_ARTWORK, S.SENT], False, OS.NEW,
         "New · missing artwork 2"),
        ([S.WAITING_APPROVAL, S.ON_HOLD, S.MISSING_ARTWORK, S.MISSING_ARTWORK], False, OS.NEW,
         "New · on hold 1, missing artwork 2, approval 1"),
        ([S.RENDERING, S.READY], False, OS.NEW, "New · rendering 1"),
    ],
)  # fmt: skip
def test_the_rule(items: list[S], archived: bool, status: OrderStatus, text: str) -> None:
    state = order_state(items, archived=archived)
    assert state.status is status
    assert state.text() == text


EVERY_MIX = [
    list(mix) for size in range(0, 4) for mix in combinations_with_replacement(list(S), size)
]


@pytest.mark.parametrize("archived", [False, True])
def test_every_mix_of_up_to_three_items(archived: bool) -> None:
    at_vendor = {S.SENDING, S.SENT, S.IN_PRODUCTION, S.FULFILLED}
    for items in EVERY_MIX:
        state = order_state(items, archived=archived)
        live = [s for s in items if s not in (S.IGNORED, S.CANCELED)]
        if archived:
            expected = OS.ARCHIVED
        elif not items:
            expected = OS.NEW
        elif not live:
            expected = OS.CANCELED
        elif S.FAILED in live:
            expected = OS.FAILED
        elif all(s is S.FULFILLED for s in live):
            expected = OS.FULFILLED
        elif all(s in at_vendor for s in live):
            expected = OS.SENT
        elif all(s is S.READY for s in live if s not in at_vendor):
            expected = OS.READY_TO_SEND
        else:
            expected = OS.NEW
        assert state.status is expected, items
        # A New order always names what holds it; no other status carries a badge.
        assert bool(state.holding) == (expected is OS.NEW and bool(items)), items
        assert len(state.short()) <= 15, items  # fits the list's status column
