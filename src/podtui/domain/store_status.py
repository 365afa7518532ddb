"""The store's own order status, as data: where each store lets an order go from where it is.

WooCommerce: pending and failed wait for a payment; processing is paid and being made; on-hold
waits (a bank transfer, a question) and pauses the automatic submission of the order's items;
completed, cancelled and refunded are ends (a refund goes through the refund dialog, not here).
Shopify: an open order can be closed (archived) or cancelled; a closed one reopened; a cancelled
one is cancelled for good.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    "pending": "Pending payment",
    "failed": "Failed",
    "processing": "Processing",
    "on-hold": "On hold",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
    "open": "Open",
    "closed": "Closed",
}
# What the operator picks, per target: "Close (archive)" reads better than "Closed".
VERBS: dict[str, str] = {
    "processing": "Processing",
    "on-hold": "On hold (pauses the automatic send)",
    "completed": "Completed",
    "cancelled": "Cancel the order",
    "open": "Reopen",
    "closed": "Close (archive at the store)",
}
MOVES: dict[str, dict[str, tuple[str, ...]]] = {
    "woocommerce": {
        "pending": ("processing", "on-hold", "cancelled"),
        "failed": ("processing", "on-hold", "cancelled"),
        "processing": ("on-hold", "completed", "cancelled"),
        "on-hold": ("processing", "completed", "cancelled"),
        "completed": (),
        "cancelled": (),
        "refunded": (),
    },
    "shopify": {
        "open": ("closed", "cancelled"),
        "closed": ("open",),
        "cancelled": (),
    },
}
# Shopify's OrderCancelReason values, as the operator reads them.
CANCEL_REASONS: tuple[tuple[str, str], ...] = (
    ("CUSTOMER", "The customer changed or cancelled the order"),
    ("DECLINED", "The payment was declined"),
    ("FRAUD", "The order was fraudulent"),
    ("INVENTORY", "Items were unavailable"),
    ("STAFF", "A staff error"),
    ("OTHER", "Another reason"),
)
# What came back of a fulfilled order (returns made from podtui), as the order page says it.
RETURN_LABELS: dict[str, str] = {
    "partially_returned": "Partially returned",
    "returned": "Returned",
}
PAUSES_COUNTDOWN = frozenset({"on-hold"})  # a WooCommerce order status that holds its items


def store_label(status: str) -> str:
    return LABELS.get(status, status.replace("-", " ").capitalize() if status else "—")


def moves(kind: str, status: str) -> tuple[str, ...]:
    """The statuses an order of this store kind may be moved to from `status`."""
    return MOVES.get(kind, {}).get(status, ())
