"""WooCommerce REST v3 order payloads -> `StoreOrder`s; what cannot be read -> `StoreOrderProblem`.

Real payloads carry more fields than podtui needs and leave many out or null (a virtual order has
no shipping address, a guest has no customer, a plugin adds its own statuses); a parser must take
all of them. Only what podtui cannot do without makes an order unreadable: its id, its creation
time, money that is not a number, line items that are not a list.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from podtui.adapters.stores.base import StoreLineItem, StoreOrder, StoreOrderProblem
from podtui.domain.address import ShippingAddress
from podtui.domain.order_types import classify

# The store's order status -> its payment status (WooCommerce has no separate field): "Pending
# payment" and "Failed" are unpaid in WooCommerce's own words; "On hold" awaits a payment.
PAYMENT_BY_STATUS = {
    "pending": "unpaid",
    "on-hold": "pending",
    "failed": "unpaid",
    "cancelled": "voided",
    "refunded": "refunded",
    "checkout-draft": "pending",
}
# A variation line is named "Product &ndash; Color: Black" (an en dash, or a hyphen).
_DASHES = (" \u2013 ", " - ")


# What marks a test order at a WooCommerce store, which has no flag of its own: a store's
# `settings.test_orders` replaces this. Payment methods by id, order meta by key (a value, or
# "" for any value), coupons by code. WooPayments writes `_wcpay_mode: test`; `podtui
# test-order` writes `_podtui_test_order: yes`.
DEFAULT_TEST_RULE: dict[str, Any] = {
    "payment_methods": [],
    "meta": {"_wcpay_mode": "test", "_podtui_test_order": "yes"},
    "coupons": [],
}


def is_test_order(payload: dict[str, Any], rule: dict[str, Any] | None = None) -> bool:
    """Whether the store's rule (or the default) marks this order as a test."""
    rule = DEFAULT_TEST_RULE if rule is None else rule
    methods = {str(m).casefold() for m in rule.get("payment_methods") or []}
    if methods and _text(payload.get("payment_method")).casefold() in methods:
        return True
    wanted = rule.get("meta") or {}
    for entry in payload.get("meta_data") or []:
        if isinstance(entry, dict) and entry.get("key") in wanted:
            value = wanted[entry["key"]]
            if value in ("", None) or _text(entry.get("value")).casefold() == str(value).casefold():
                return True
    codes = {str(c).casefold() for c in rule.get("coupons") or []}
    for coupon in payload.get("coupon_lines") or [] if codes else []:
        if isinstance(coupon, dict) and _text(coupon.get("code")).casefold() in codes:
            return True
    return False


class UnreadableOrderError(ValueError):
    """A payload podtui cannot turn into an order; the message says which field and why."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _id(value: Any, what: str) -> str:
    if isinstance(value, bool) or value is None:
        raise UnreadableOrderError(f"{what} is missing")
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return str(int(value))
    raise UnreadableOrderError(f"{what} is not a number: {value!r}")


def _money(value: Any, what: str, default: str = "0") -> Decimal:
    if value is None or value == "":
        return Decimal(default)
    if isinstance(value, bool):
        raise UnreadableOrderError(f"{what} is not an amount: {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise UnreadableOrderError(f"{what} is not an amount: {value!r}") from exc


def parse_time(value: Any, what: str) -> datetime | None:
    """A WooCommerce `*_gmt` time ("2017-03-22T19:28:02", UTC without offset) as aware UTC."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise UnreadableOrderError(f"{what} is not a time: {value!r}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UnreadableOrderError(f"{what} is not a time: {value!r}") from exc
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _dict(payload: dict[str, Any], key: str) -> dict[str, Any]:
    value = payload.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UnreadableOrderError(f"{key} is not an object: {value!r}")
    return value


def _name(part: dict[str, Any]) -> str:
    return " ".join(x for x in (_text(part.get("first_name")), _text(part.get("last_name"))) if x)


def _has_street(part: dict[str, Any]) -> bool:
    return bool(_text(part.get("address_1")) or _text(part.get("city")))


def _from_billing(shipping: dict[str, Any], billing: dict[str, Any]) -> bool:
    """Whether the order has no shipping address of any kind and billing's stands in for it."""
    shipping_says = any(_text(shipping.get(k)) for k in ("address_1", "city", "country"))
    return not shipping_says and _has_street(billing)


def _address(shipping: dict[str, Any], billing: dict[str, Any]) -> ShippingAddress:
    """The shipping address; the billing one when the order has none (said on the order)."""
    source = billing if _from_billing(shipping, billing) else shipping
    return ShippingAddress(
        name=_name(source) or _name(billing),
        company=_text(source.get("company")),
        address1=_text(source.get("address_1")),
        address2=_text(source.get("address_2")),
        city=_text(source.get("city")),
        state=_text(source.get("state")),
        postal_code=_text(source.get("postcode")),
        country=_text(source.get("country")),
        phone=_text(shipping.get("phone")) or _text(billing.get("phone")),
        email=_text(billing.get("email")),
    )


def _properties(meta: list[Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in meta:
        if isinstance(entry, dict) and isinstance(entry.get("key"), str):
            value = entry.get("value")
            out.setdefault(entry["key"], value if isinstance(value, str) else _text(value))
    return out


def _titles(line: dict[str, Any]) -> tuple[str, str]:
    """(product title, variant title) from a line's `name` ("Tee &ndash; Color: Black")."""
    name = html.unescape(_text(line.get("name")))
    parent = _text(line.get("parent_name"))
    if parent:
        parent = html.unescape(parent)
        rest = name[len(parent) :] if name.startswith(parent) else ""
        return parent, rest.lstrip(" -\u2013").strip()
    for dash in _DASHES:
        if dash in name and line.get("variation_id"):
            head, _, tail = name.partition(dash)
            return head.strip(), tail.strip()
    return name, ""


def _order_meta(payload: dict[str, Any]) -> dict[str, str]:
    meta = payload.get("meta_data")
    return _properties(meta) if isinstance(meta, list) else {}


def parse_line(line: Any, index: int) -> StoreLineItem:
    """One `line_items` entry."""
    where = f"line_items[{index}]"
    if not isinstance(line, dict):
        raise UnreadableOrderError(f"{where} is not an object")
    quantity = line.get("quantity", 1)
    if isinstance(quantity, bool) or not isinstance(quantity, int | float | str):
        raise UnreadableOrderError(f"{where}.quantity is not a number: {quantity!r}")
    try:
        qty = int(Decimal(str(quantity)))
    except InvalidOperation as exc:
        raise UnreadableOrderError(f"{where}.quantity is not a number: {quantity!r}") from exc
    if qty < 0:
        raise UnreadableOrderError(f"{where}.quantity is negative: {qty}")
    total = _money(line.get("total"), f"{where}.total")
    price = (
        _money(line.get("price"), f"{where}.price")
        if line.get("price") not in (None, "")
        else (total / qty if qty else Decimal("0"))
    )
    meta = line.get("meta_data") or []
    if not isinstance(meta, list):
        raise UnreadableOrderError(f"{where}.meta_data is not a list")
    title, variant_title = _titles(line)
    variation = line.get("variation_id")
    return StoreLineItem(
        store_line_id=_id(line.get("id"), f"{where}.id"),
        product_id=_text(line.get("product_id")) if line.get("product_id") else "",
        variant_id=_text(variation) if variation else "",
        sku=_text(line.get("sku")),
        title=title,
        variant_title=variant_title,
        quantity=qty,
        price=price,
        properties=_properties(meta),
        raw=line,
    )


def parse_order(
    payload: Any,
    test_rule: dict[str, Any] | None = None,
    type_rules: list[dict[str, Any]] | None = None,
) -> StoreOrder:
    """One order as `GET /orders/{id}` returns it; raises UnreadableOrderError."""
    if not isinstance(payload, dict):
        raise UnreadableOrderError(f"the order is not an object but {type(payload).__name__}")
    order_id = _id(payload.get("id"), "id")
    created = parse_time(payload.get("date_created_gmt"), "date_created_gmt") or parse_time(
        payload.get("date_created"), "date_created"
    )
    if created is None:
        raise UnreadableOrderError("date_created_gmt is missing")
    updated = (
        parse_time(payload.get("date_modified_gmt"), "date_modified_gmt")
        or parse_time(payload.get("date_modified"), "date_modified")
        or created
    )
    billing, shipping = _dict(payload, "billing"), _dict(payload, "shipping")
    lines_raw = payload.get("line_items") or []
    if not isinstance(lines_raw, list):
        raise UnreadableOrderError("line_items is not a list")
    status = _text(payload.get("status")) or "pending"
    refunds = payload.get("refunds") or []
    payment = PAYMENT_BY_STATUS.get(status, "paid")
    if payment == "paid" and isinstance(refunds, list) and refunds:
        payment = "partially_refunded"
    shipping_lines = payload.get("shipping_lines") or []
    method = ""
    if isinstance(shipping_lines, list) and shipping_lines and isinstance(shipping_lines[0], dict):
        method = _text(shipping_lines[0].get("method_title"))
    number = _text(payload.get("number")) or order_id
    return StoreOrder(
        store_order_id=order_id,
        name=number,
        created_at=created,
        updated_at=updated,
        currency=_text(payload.get("currency")) or "USD",
        total=_money(payload.get("total"), "total"),
        payment_method=_text(payload.get("payment_method")),
        payment_status=payment,
        fulfillment_status="fulfilled" if status == "completed" else "unfulfilled",
        store_status=status,
        source=classify(_text(payload.get("created_via")), _order_meta(payload), type_rules),
        customer_name=_name(billing) or _name(shipping),
        customer_email=_text(billing.get("email")),
        customer_note=_text(payload.get("customer_note")),
        shipping=_address(shipping, billing),
        shipping_method=method,
        lines=tuple(parse_line(line, i) for i, line in enumerate(lines_raw)),
        canceled=status == "cancelled",
        refunded=status == "refunded",
        raw=payload,
        shipping_from_billing=_from_billing(shipping, billing),
        test=is_test_order(payload, test_rule),
    )


def raw_text(payload: Any) -> str:
    """The payload as text to keep beside a problem (what the operator will read)."""
    try:
        return json.dumps(payload, ensure_ascii=False, indent=1, default=str)
    except (TypeError, ValueError):
        return repr(payload)


def parse_orders(
    payloads: Iterable[Any],
    test_rule: dict[str, Any] | None = None,
    type_rules: list[dict[str, Any]] | None = None,
) -> tuple[list[StoreOrder], list[StoreOrderProblem]]:
    """Every payload of a page: the orders read, and each one that could not be, with why."""
    orders: list[StoreOrder] = []
    problems: list[StoreOrderProblem] = []
    for payload in payloads:
        try:
            orders.append(parse_order(payload, test_rule, type_rules))
        except UnreadableOrderError as exc:
            ident = payload.get("id") if isinstance(payload, dict) else None
            problems.append(
                StoreOrderProblem(
                    store_order_id="" if ident is None else str(ident),
                    reason=f"unreadable WooCommerce order: {exc}",
                    raw=raw_text(payload),
                )
            )
    return orders, problems
