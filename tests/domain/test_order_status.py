"""An order's status over every mix of its items' statuses (issue 17's rule, as a table)."""

from __future__ import annotations

from itertools import combinations_with_replacement

import pytest

from podtui.domain.order_status import OrderStatus, order_state
from podtui.domain.status import ItemStatus as S

O = OrderStatus


@pytest.mark.parametrize(
    ("items", "archived", "status", "text"),
    [
        ([S.FAILED], True, O.ARCHIVED, "Archived"),
        ([], False, O.CANCELED, "Canceled"),
        ([S.CANCELED, S.IGNORED], False, O.CANCELED, "Canceled"),
        ([S.FAILED, S.READY], False, O.FAILED, "Failed to send"),
        ([S.FAILED, S.FULFILLED, S.ON_HOLD], False, O.FAILED, "Failed to send"),
        ([S.FULFILLED, S.FULFILLED, S.IGNORED], False, O.FULFILLED, "Fulfilled"),
        ([S.IN_PRODUCTION, S.FULFILLED], False, O.SENT, "Sent"),
        ([S.SENT, S.SENDING], False, O.SENT, "Sent"),
        ([S.READY, S.READY, S.CANCELED], False, O.READY_TO_SEND, "Ready to send"),
        ([S.READY, S.SENT], False, O.READY_TO_SEND, "Ready to send · partly sent"),
        ([S.READY, S.FULFILLED, S.IN_PRODUCTION], False, O.READY_TO_SEND,
         "Ready to send · partly sent"),
        ([S.ON_HOLD, S.READY], False, O.NEW, "New · on hold 1"),
        ([S.MISSING_ARTWORK, S.MISSING_ARTWORK, S.SENT], False, O.NEW,
         "New · missing artwork 2"),
        ([S.WAITING_APPROVAL, S.ON_HOLD, S.MISSING_ARTWORK, S.MISSING_ARTWORK], False, O.NEW,
         "New · on hold 1, missing artwork 2, approval 1"),
        ([S.RENDERING, S.READY], False, O.NEW, "New · rendering 1"),
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
            expected = O.ARCHIVED
        elif not live:
            expected = O.CANCELED
        elif S.FAILED in live:
            expected = O.FAILED
        elif all(s is S.FULFILLED for s in live):
            expected = O.FULFILLED
        elif all(s in at_vendor for s in live):
            expected = O.SENT
        elif all(s is S.READY for s in live if s not in at_vendor):
            expected = O.READY_TO_SEND
        else:
            expected = O.NEW
        assert state.status is expected, items
        # A New order always names what holds it; no other status carries a badge.
        assert bool(state.holding) == (expected is O.NEW), items
        assert len(state.short()) <= 15, items  # fits the list's status column
