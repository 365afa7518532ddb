"""How demo items got where they are: the steps through the status table, and the status mix
by order age (young orders await approval, old ones are fulfilled)."""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from typing import Generic, TypeVar

from podtui.domain.status import Action, ItemStatus

T = TypeVar("T")
S = ItemStatus
A = Action
DAY = 86_400


class Weighted(Generic[T]):
    """A weighted choice that costs one `random()` and one bisect per pick."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self._items = [item for item, _ in pairs]
        self._cum: list[float] = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self._cum.append(total)
        self._total = total

    def pick(self, rng: random.Random) -> T:
        return self._items[bisect.bisect_right(self._cum, rng.random() * self._total)]


Step = tuple[Action, ItemStatus, ItemStatus]  # (action, from, to)
_TO_READY: tuple[Step, ...] = (
    (A.APPROVE, S.WAITING_APPROVAL, S.RENDERING),
    (A.RENDER_DONE, S.RENDERING, S.READY),
)
_SEND: Step = (A.SEND, S.READY, S.SENDING)
_TO_SENT: tuple[Step, ...] = (*_TO_READY, _SEND, (A.SUBMIT_ACCEPTED, S.SENDING, S.SENT))
_TO_PRODUCTION: tuple[Step, ...] = (*_TO_SENT, (A.VENDOR_IN_PRODUCTION, S.SENT, S.IN_PRODUCTION))
# From waiting approval (where a mapped product's item is imported) to each status.
PATHS: dict[ItemStatus, tuple[Step, ...]] = {
    S.MISSING_ARTWORK: (),
    S.WAITING_APPROVAL: (),
    S.RENDERING: _TO_READY[:1],
    S.READY: _TO_READY,
    S.ON_HOLD: (*_TO_READY, (A.HOLD, S.READY, S.ON_HOLD)),
    S.SENDING: (*_TO_READY, _SEND),
    S.SENT: _TO_SENT,
    S.IN_PRODUCTION: _TO_PRODUCTION,
    S.FULFILLED: (*_TO_PRODUCTION, (A.VENDOR_FULFILLED, S.IN_PRODUCTION, S.FULFILLED)),
    S.FAILED: (*_TO_READY, _SEND, (A.SUBMIT_FAILED, S.SENDING, S.FAILED)),
    S.CANCELED: (*_TO_SENT, (A.CANCEL, S.SENT, S.CANCELED)),
    S.IGNORED: ((A.IGNORE, S.WAITING_APPROVAL, S.IGNORED),),
}
MANUAL_FULFILLED: tuple[Step, ...] = (*_TO_READY, (A.MARK_FULFILLED, S.READY, S.FULFILLED))
HOTFOLDER_FULFILLED: tuple[Step, ...] = (*_TO_SENT, (A.MARK_FULFILLED, S.SENT, S.FULFILLED))
FROM_MISSING: dict[ItemStatus, tuple[Step, ...]] = {
    S.ON_HOLD: ((A.HOLD, S.MISSING_ARTWORK, S.ON_HOLD),),
    S.IGNORED: ((A.IGNORE, S.MISSING_ARTWORK, S.IGNORED),),
}
# Steps the system takes (renderer, vendor); the operator takes the others.
SYSTEM_ACTIONS = frozenset(
    {A.RENDER_DONE, A.SUBMIT_ACCEPTED, A.SUBMIT_FAILED, A.VENDOR_IN_PRODUCTION, A.VENDOR_FULFILLED}
)
SAVES_PREVIOUS = frozenset({S.ON_HOLD, S.IGNORED, S.CANCELED})
MANUAL_STATUS = {
    S.SENDING: S.READY,
    S.SENT: S.READY,
    S.IN_PRODUCTION: S.READY,
    S.FAILED: S.READY,
    S.CANCELED: S.IGNORED,
}
# The longest an item takes to get where it is, so a two-year-old order was not fulfilled last week.
SPAN = {S.FULFILLED: 9 * DAY, S.IN_PRODUCTION: 4 * DAY, S.CANCELED: 6 * DAY}


def _mix(*pairs: tuple[ItemStatus, int]) -> Weighted[ItemStatus]:
    return Weighted(list(pairs))


# Status mix by order age in hours: young orders await approval, old ones are fulfilled.
BY_AGE: tuple[tuple[float, Weighted[ItemStatus]], ...] = (
    (
        8,
        _mix(
            (S.WAITING_APPROVAL, 62),
            (S.RENDERING, 6),
            (S.READY, 18),
            (S.ON_HOLD, 4),
            (S.IGNORED, 2),
            (S.SENDING, 1),
        ),
    ),
    (
        72,
        _mix(
            (S.WAITING_APPROVAL, 22),
            (S.RENDERING, 2),
            (S.READY, 22),
            (S.ON_HOLD, 6),
            (S.SENDING, 2),
            (S.SENT, 20),
            (S.IN_PRODUCTION, 8),
            (S.FAILED, 12),
            (S.IGNORED, 3),
            (S.CANCELED, 1),
        ),
    ),
    (
        240,
        _mix(
            (S.WAITING_APPROVAL, 4),
            (S.READY, 5),
            (S.ON_HOLD, 4),
            (S.SENT, 10),
            (S.IN_PRODUCTION, 24),
            (S.FULFILLED, 42),
            (S.FAILED, 6),
            (S.IGNORED, 2),
            (S.CANCELED, 3),
        ),
    ),
    (
        float("inf"),
        _mix(
            (S.FULFILLED, 90),
            (S.IN_PRODUCTION, 1),
            (S.FAILED, 1),
            (S.ON_HOLD, 1),
            (S.IGNORED, 3),
            (S.CANCELED, 4),
        ),
    ),
)
