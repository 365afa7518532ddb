"""The store's payment statuses as data: what each is called and what it allows at the store.

Shopify names them (`displayFinancialStatus`); WooCommerce has none of its own and podtui reads
one from the order status (adapters/stores/woocommerce_orders.py). A status a newer store API
adds is kept as it came and shown as it is spelled; it allows nothing until it is listed here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PaymentStatus:
    key: str  # as stored on the order: "partially_paid"
    label: str  # as shown: "Partially paid"
    mark_paid: bool = False  # a manual payment can be recorded as received (Mark as paid)


PAYMENT_STATUSES: tuple[PaymentStatus, ...] = (
    PaymentStatus("unpaid", "Unpaid", mark_paid=True),
    PaymentStatus("partially_paid", "Partially paid", mark_paid=True),
    PaymentStatus("pending", "Pending", mark_paid=True),
    PaymentStatus("authorized", "Authorized"),  # captured at the gateway, not marked by hand
    PaymentStatus("paid", "Paid"),
    PaymentStatus("partially_refunded", "Partially refunded"),
    PaymentStatus("refunded", "Refunded"),
    PaymentStatus("voided", "Voided"),
    PaymentStatus("expired", "Expired"),
    PaymentStatus("failed", "Failed"),
)
BY_KEY: dict[str, PaymentStatus] = {p.key: p for p in PAYMENT_STATUSES}


def payment_label(key: str) -> str:
    """How a stored payment status reads: "Partially paid"; an unknown one as it came."""
    known = BY_KEY.get(key)
    if known is not None:
        return known.label
    return key.replace("_", " ").capitalize() if key else "—"


def can_mark_paid(key: str) -> bool:
    """Whether an order with this payment status may be marked as paid at its store."""
    known = BY_KEY.get(key)
    return known is not None and known.mark_paid
