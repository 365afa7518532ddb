"""An order's own status, derived from its items and its archive flag, never stored."""

from __future__ import annotations

from collections.abc import Iterable
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


_OUT_OF_PLAY = {ItemStatus.IGNORED, ItemStatus.CANCELED}
_AT_VENDOR = {ItemStatus.SENDING, ItemStatus.SENT, ItemStatus.IN_PRODUCTION, ItemStatus.FULFILLED}


def derive_order_status(item_statuses: Iterable[ItemStatus], *, archived: bool) -> OrderStatus:
    """Fold the statuses of an order's managed items into the order's status."""
    if archived:
        return OrderStatus.ARCHIVED
    live = [s for s in item_statuses if s not in _OUT_OF_PLAY]
    if not live:
        return OrderStatus.NEW
    if ItemStatus.FAILED in live:
        return OrderStatus.FAILED
    if all(s is ItemStatus.FULFILLED for s in live):
        return OrderStatus.FULFILLED
    if all(s in _AT_VENDOR for s in live):
        return OrderStatus.SENT
    if ItemStatus.READY in live and all(s in _AT_VENDOR or s is ItemStatus.READY for s in live):
        return OrderStatus.READY_TO_SEND
    return OrderStatus.NEW
