"""Refunds from the order page: units per line, shipping, reason, restock, notify, and whether the
money goes back through the payment gateway or the refund is only recorded.

The request is checked here first (units within each line, an amount, shipping as money), then
quoted by the store (Shopify's `suggestedRefund`; WooCommerce by the order's prices), which also
says the most the order can still refund: asking for more is refused before anything is sent.
The refund itself goes through `store_write` (Shopify `refundCreate` under its own idempotency key
and podtui's key in the note; WooCommerce `POST orders/<id>/refunds` with podtui's key in the
reason). Once the store accepted, the order as the store now has it comes in through the
store-truth rules (services/sync/refunds.py): the refunded units leave the items.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlmodel import Session

from podtui.adapters.stores.base import RefundQuote, RefundRequest, StoreAdapter, WriteReceipt
from podtui.db import Database
from podtui.domain.errors import ValidationError
from podtui.domain.models import Order, OrderItem
from podtui.domain.status import ItemStatus
from podtui.services.connections.reach import REAL, Reach
from podtui.services.store_ops.writes import (
    Operation,
    WriteOutcome,
    read_target,
    register,
    store_write,
)
from podtui.services.sync.refunds import reconcile_lines

MAX_REASON = 500
CENT = Decimal("0.01")
# The stores that tell the customer of a refund as podtui asks (Shopify's `notify`). WooCommerce
# has no such field: it e-mails by its own settings (its Refunded order e-mail), whatever podtui
# asks, so its dialog and command say so instead of offering a choice they cannot keep.
NOTIFY_AS_ASKED = frozenset({"shopify"})
OWN_E_MAILS = {  # kind: (in a line of a dialog, in full)
    "woocommerce": (
        "WooCommerce e-mails the customer itself",
        "WooCommerce e-mails the customer about a refund by its own settings (WooCommerce > "
        "Settings > Emails > Refunded order), not as podtui asks",
    ),
}
OTHER_STORE = ("The store tells the customer itself", "The store tells the customer by its own "
               "settings, not as podtui asks")  # fmt: skip


def notify_note(kind: str, *, short: bool = False) -> str:
    """What the operator should know of notifying at a store of `kind` ('' where it obeys)."""
    if kind in NOTIFY_AS_ASKED:
        return ""
    brief, full = OWN_E_MAILS.get(kind, OTHER_STORE)
    return brief if short else full


def order_notify_note(db: Database, order_id: int) -> str:
    """`notify_note` for the order's store."""
    return notify_note(read_target(db, order_id).store.kind)


@dataclass(frozen=True)
class RefundLine:
    """One line of the order as the refund dialog offers it."""

    store_line_id: str
    title: str
    units: int  # what podtui still holds of the line: at most this many can be refunded
    price: Decimal


def refund_lines(items: list[OrderItem]) -> list[RefundLine]:
    """The order's store lines (split items together), in the order they came."""
    lines: dict[str, RefundLine] = {}
    for item in items:
        if not item.store_line_id or item.status is ItemStatus.CANCELED:
            continue
        title = " · ".join(p for p in (item.title, item.variant_title) if p) or "(untitled)"
        try:
            price = Decimal(str(item.unit_price or "0"))
        except InvalidOperation:
            price = Decimal(0)
        known = lines.get(item.store_line_id)
        units = item.quantity + (known.units if known else 0)
        lines[item.store_line_id] = RefundLine(item.store_line_id, title, units, price)
    return list(lines.values())


def lines_of_order(db: Database, order_id: int) -> list[RefundLine]:
    """The order's store lines, read from its items (for the CLI; the screen has them)."""
    from sqlmodel import select

    with db.read() as session:
        items = list(session.exec(select(OrderItem).where(OrderItem.order_id == order_id)).all())
    return refund_lines(items)


def _money(text: str, field: str, *, signed: bool = False) -> Decimal:
    """An amount typed in a field: 2 decimals at most, not below 0 unless `signed`."""
    raw = text.strip().replace("\u2212", "-") or "0"  # a typographic minus too
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ValidationError(
            f"{field.capitalize()} {raw!r} is not an amount.", fields={field: "e.g. 5.00"}
        ) from exc
    if not value.is_finite() or (value < 0 and not signed) or value != value.quantize(CENT):
        raise ValidationError(
            f"{field.capitalize()} {raw} is not an amount of money.",
            fields={field: "+ or -, at most 2 decimals" if signed else "0 or more, 2 decimals"},
        )
    return value


def read_units(
    lines: list[RefundLine], units: dict[str, str], left: dict[str, int], verb: str, why: str
) -> list[tuple[str, int]]:
    """The units typed per line (`units`, by store line id), each at most what is `left` of its
    line; ValidationError naming each bad row (`qty-<n>`: "at most 2 (`why`)")."""
    bad: dict[str, str] = {}
    taken: list[tuple[str, int]] = []
    for n, line in enumerate(lines):
        text = units.get(line.store_line_id, "").strip() or "0"
        most = left.get(line.store_line_id, 0)
        if not text.isdigit():
            bad[f"qty-{n}"] = "a whole number of units"
        elif int(text) > most:
            bad[f"qty-{n}"] = f"at most {most} ({why})"
        elif int(text):
            taken.append((line.store_line_id, int(text)))
    if bad:
        raise ValidationError(f"Some quantities cannot be {verb}.", fields=bad)
    return taken


def check_reason(reason: str) -> None:
    """ValidationError when the reason is longer than a store keeps."""
    if len(reason.strip()) > MAX_REASON:
        raise ValidationError(
            f"The reason is {len(reason.strip())} characters; keep it under {MAX_REASON}.",
            fields={"reason": "too long"},
        )


def check_refund(
    lines: list[RefundLine],
    units: dict[str, str],
    *,
    shipping: str = "",
    reason: str = "",
    restock: bool = False,
    notify: bool = False,
    through_gateway: bool = True,
    adjustment: str = "",
    fee: str = "",
) -> RefundRequest:
    """The request from what the operator typed; ValidationError naming each bad field. The
    adjustment (+ or -) and the restocking fee move the money off the lines and shipping; they
    may not take it below nothing."""
    taken = read_units(
        lines, units, {ln.store_line_id: ln.units for ln in lines}, "refunded", "the line's units"
    )
    money = _money(shipping, "shipping")
    adjusted = _money(adjustment, "adjustment", signed=True)
    kept = _money(fee, "fee")
    check_reason(reason)
    if not taken and money == 0 and adjusted <= 0:
        raise ValidationError(
            "Nothing to refund: give units of a line, a shipping amount or an adjustment.",
            fields={"qty-0": "units to refund"},
        )
    request = RefundRequest(
        lines=tuple(taken),
        shipping=money,
        reason=reason.strip(),
        restock=restock,
        notify=notify,
        through_gateway=through_gateway,
        adjustment=adjusted,
        fee=kept,
    )
    total = local_total(lines, request)
    if total < 0:
        field = "fee" if kept else "adjustment"
        who = "The fee and the adjustment take" if kept and adjusted < 0 else f"The {field} takes"
        raise ValidationError(
            f"{who} more than the refund: it would come to {total:.2f}.",
            fields={field: "more than the refund"},
        )
    return request


def local_total(lines: list[RefundLine], request: RefundRequest) -> Decimal:
    """The request's money by podtui's prices (what the dialog shows while it is typed)."""
    prices = {line.store_line_id: line.price for line in lines}
    units = sum((prices.get(i, Decimal(0)) * n for i, n in request.lines), Decimal(0))
    return request.settled(units + request.shipping)


def quote_refund(
    db: Database,
    order_id: int,
    request: RefundRequest,
    *,
    expected: Decimal | None = None,
    reach: Reach = REAL,
) -> RefundQuote:
    """The store's figure for the request; ValidationError when it (or `expected`, podtui's
    figure) is more than the order can still refund. Nothing is refunded either way."""
    target = read_target(db, order_id)
    store = target.ask(
        lambda adapter, store_order_id: adapter.quote_refund(store_order_id, request),
        failed="quote the refund",
        reach=reach,
    )
    # The store figures the lines and shipping; the adjustment and the fee are the operator's.
    quote = replace(store, amount=request.settled(store.amount), calculated=store.amount)
    # The store's own figure may be capped at what is left: podtui's (`expected`) says what
    # the operator asked for.
    wanted = max(quote.amount, expected if expected is not None else Decimal(0))
    if quote.maximum is not None and wanted > quote.maximum:
        raise ValidationError(
            f"That is more than {target.order_name} can still refund: at most "
            f"{quote.maximum:.2f} {quote.currency or target.currency} was paid and not refunded "
            "yet.",
            fields={"amount": f"at most {quote.maximum:.2f}"},
        )
    return quote


def _request(params: dict[str, Any]) -> RefundRequest:
    return RefundRequest(
        lines=tuple((str(i), int(n)) for i, n in params["lines"]),
        shipping=Decimal(params["shipping"]),
        reason=params["reason"],
        restock=bool(params["restock"]),
        notify=bool(params["notify"]),
        through_gateway=bool(params["through_gateway"]),
        amount=Decimal(params["amount"]) if params.get("amount") is not None else None,
        adjustment=Decimal(params.get("adjustment") or 0),
        fee=Decimal(params.get("fee") or 0),
    )


async def _perform(
    adapter: StoreAdapter, store_order_id: str, key: str, params: dict[str, Any]
) -> WriteReceipt:
    return await adapter.refund(store_order_id, _request(params), key)


async def _find(
    adapter: StoreAdapter, store_order_id: str, key: str, params: dict[str, Any]
) -> WriteReceipt | None:
    return await adapter.find_refund(store_order_id, key)


def _apply(
    session: Session, order: Order, receipt: WriteReceipt, params: dict[str, Any]
) -> dict[str, Any]:
    before = order.payment_status
    so = receipt.order
    if so is not None:
        order.payment_status = so.payment_status
        order.store_status = so.store_status
        session.add(order)
        session.flush()
        reconcile_lines(session, order, so)
    elif receipt.payment_status:
        order.payment_status = receipt.payment_status
        session.add(order)
    return {"from_status": before, "to_status": order.payment_status}


REFUND = register(
    Operation(
        name="refund",
        label="refund",
        event="store_refunded",
        perform=_perform,
        find=_find,
        apply=_apply,
    )
)


def refund(
    db: Database, order_id: int, request: RefundRequest, *, reach: Reach = REAL
) -> WriteOutcome:
    """Refund at the order's store (see the module); `request.amount` is the confirmed total."""
    store = read_target(db, order_id).store
    params = {
        "lines": [[i, n] for i, n in request.lines],
        "shipping": str(request.shipping),
        "reason": request.reason,
        "restock": request.restock,
        "notify": request.notify,
        "through_gateway": request.through_gateway,
        "amount": None if request.amount is None else str(request.amount),
        "adjustment": f"{request.adjustment:.2f}",
        "fee": f"{request.fee:.2f}",
    }
    notify = request.notify if store.kind in NOTIFY_AS_ASKED else None
    return store_write(db, order_id, REFUND, params, notify=notify, reach=reach)
