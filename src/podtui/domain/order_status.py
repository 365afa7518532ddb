"""An order's own status, derived from its items and its archive flag, never stored.

The rule, over the order's items that are neither ignored nor canceled: archived → Archived;
none left (all ignored or canceled) → Canceled; any Failed → Failed to send; all Fulfilled →
Fulfilled; all at the vendor (Sending, Sent, In production, Fulfilled) → Sent; every item not
yet at the vendor Ready → Ready to send ("partly sent" when some are at the vendor already);
else New, with a badge that names what holds it ("on hold 1, missing artwork 2").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from podtui.domain.status import ItemStatus


class OrderStatus(StrEnum):
    """What the order list shows per order."""

    NEW = "New"
    READY_TO_SEND = "Ready to send"
    SENT = "Sent"
    FULFILLED = "Fulfilled"
    FAILED = "Failed to send"
    ARCHIVED = "Archived"
    CANCELED = "Canceled"


_OUT_OF_PLAY = {ItemStatus.IGNORED, ItemStatus.CANCELED}
_AT_VENDOR = {ItemStatus.SENDING, ItemStatus.SENT, ItemStatus.IN_PRODUCTION, ItemStatus.FULFILLED}
# What holds a New order, in the order the badge names them: (status, long name, short name).
_HOLDS = (
    (ItemStatus.ON_HOLD, "on hold", "hold"),
    (ItemStatus.MISSING_ARTWORK, "missing artwork", "art"),
    (ItemStatus.WAITING_APPROVAL, "approval", "appr."),
    (ItemStatus.RENDERING, "rendering", "rend."),
)
_SHORT = {OrderStatus.READY_TO_SEND: "Ready"}


@dataclass(frozen=True)
class OrderState:
    """An order's status, and what a New order waits for or whether Ready is partly sent."""

    status: OrderStatus
    partly_sent: bool = False
    holding: tuple[tuple[ItemStatus, int], ...] = ()

    def text(self) -> str:
        """ "New · on hold 1, missing artwork 2", "Ready to send · partly sent", "Sent"."""
        names = {status: name for status, name, _ in _HOLDS}
        if self.holding:
            badge = ", ".join(f"{names[s]} {n}" for s, n in self.holding)
            return f"{self.status.value} · {badge}"
        if self.partly_sent:
            return f"{self.status.value} · partly sent"
        return self.status.value

    def short(self) -> str:
        """The same in at most 15 characters, for the list's status column."""
        if self.holding:
            shorts = {status: short for status, _, short in _HOLDS}
            first, n = self.holding[0]
            more = "+" if len(self.holding) > 1 else ""
            return f"New: {shorts[first]} {n}{more}"
        if self.partly_sent:
            return "Ready (partly)"
        return _SHORT.get(self.status, self.status.value)[:15]


def order_state(item_statuses: Iterable[ItemStatus], *, archived: bool) -> OrderState:
    """Fold the statuses of an order's managed items into the order's state."""
    if archived:
        return OrderState(OrderStatus.ARCHIVED)
    statuses = list(item_statuses)
    if not statuses:  # nothing of it is produced here (unmanaged lines only)
        return OrderState(OrderStatus.NEW)
    live = [s for s in statuses if s not in _OUT_OF_PLAY]
    if not live:
        return OrderState(OrderStatus.CANCELED)
    if ItemStatus.FAILED in live:
        return OrderState(OrderStatus.FAILED)
    if all(s is ItemStatus.FULFILLED for s in live):
        return OrderState(OrderStatus.FULFILLED)
    if all(s in _AT_VENDOR for s in live):
        return OrderState(OrderStatus.SENT)
    waiting = [s for s in live if s not in _AT_VENDOR]
    if all(s is ItemStatus.READY for s in waiting):
        return OrderState(OrderStatus.READY_TO_SEND, partly_sent=len(waiting) < len(live))
    counts = Counter(waiting)
    holding = tuple((status, counts[status]) for status, _, _ in _HOLDS if counts[status])
    return OrderState(OrderStatus.NEW, holding=holding)


def derive_order_status(item_statuses: Iterable[ItemStatus], *, archived: bool) -> OrderStatus:
    """The order's status alone (see `order_state` for its badge)."""
    return order_state(item_statuses, archived=archived).status
