"""Shopify Admin GraphQL `Order` nodes read into store-neutral `StoreOrder`s.

Ids are the legacy numeric ids (`legacyResourceId`, the number in `gid://shopify/Order/N`), the
ones the Shopify admin shows and the REST API used. A line item's `customAttributes` (the
storefront's line-item properties) become its personalization, verbatim. Fields Shopify may leave
null (no shipping address for a digital order, no customer for a guest or a deleted one, a product
deleted since the sale) are read as empty; an enum value this code does not know is kept as it
came, lower-cased, so a newer API version never loses an order. A node that cannot be read at all
(no id, no readable time, a line without a quantity) raises `OrderReadError` with the reason.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from podtui.adapters.stores.base import StoreLineItem, StoreOrder, StoreOrderProblem
from podtui.domain.address import ShippingAddress

PAYMENT = {
    "PAID": "paid",
    "PENDING": "pending",
    "AUTHORIZED": "authorized",
    "PARTIALLY_PAID": "partially_paid",
    "PARTIALLY_REFUNDED": "partially_refunded",
    "REFUNDED": "refunded",
    "VOIDED": "voided",
    "EXPIRED": "expired",
}
FULFILLMENT = {
    "UNFULFILLED": "unfulfilled",
    "PARTIALLY_FULFILLED": "partial",
    "FULFILLED": "fulfilled",
    "RESTOCKED": "restocked",
    "PENDING_FULFILLMENT": "pending",
    "OPEN": "open",
    "IN_PROGRESS": "in_progress",
    "ON_HOLD": "on_hold",
    "SCHEDULED": "scheduled",
    "REQUEST_DECLINED": "request_declined",
}
SOURCES = {
    "web": "store",
    "shopify_draft_order": "draft",
    "pos": "pos",
    "iphone": "store",
    "android": "store",
}


class OrderReadError(ValueError):
    """This node cannot become a StoreOrder; the message says why."""


def legacy_id(global_id: Any) -> str:
    """`gid://shopify/Order/450789469` -> `450789469`; "" when it is not one."""
    found = re.fullmatch(r"gid://shopify/\w+/(\d+)(\?.*)?", str(global_id or ""))
    return found.group(1) if found else ""


def parse_time(value: Any, what: str) -> datetime:
    """An ISO-8601 time as aware UTC; OrderReadError naming `what` when it is not one."""
    if not isinstance(value, str) or not value:
        raise OrderReadError(f"{what} is missing")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise OrderReadError(f"{what} is not a time: {value!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _money(bag: Any, what: str) -> Decimal:
    if not isinstance(bag, dict):
        return Decimal("0")
    amount = (bag.get("shopMoney") or {}).get("amount")
    if amount in (None, ""):
        return Decimal("0")
    try:
        return Decimal(str(amount))
    except InvalidOperation as exc:
        raise OrderReadError(f"{what} is not an amount: {amount!r}") from exc


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _enum(value: Any, known: dict[str, str]) -> str:
    if not value:
        return ""
    return known.get(str(value), str(value).lower())


def order_id_of(node: Any) -> str:
    """The legacy id of a node, or "" when even that cannot be read."""
    if not isinstance(node, dict):
        return ""
    return _text(node.get("legacyResourceId")) or legacy_id(node.get("id"))


def parse_line(node: Any) -> StoreLineItem:
    """One `LineItem` node."""
    if not isinstance(node, dict):
        raise OrderReadError("a line item is not an object")
    line_id = legacy_id(node.get("id"))
    if not line_id:
        raise OrderReadError(f"a line item has no readable id: {node.get('id')!r}")
    quantity = node.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise OrderReadError(f"line item {line_id} has no quantity")
    current = node.get("currentQuantity")
    current_quantity = (
        current if isinstance(current, int) and not isinstance(current, bool) else None
    )
    product = node.get("product") or {}
    variant = node.get("variant") or {}
    properties: dict[str, str] = {}
    for attribute in node.get("customAttributes") or []:
        if isinstance(attribute, dict) and attribute.get("key") is not None:
            properties[str(attribute["key"])] = _text(attribute.get("value"))
    return StoreLineItem(
        store_line_id=line_id,
        product_id=_text(product.get("legacyResourceId")) or legacy_id(product.get("id")),
        variant_id=_text(variant.get("legacyResourceId")) or legacy_id(variant.get("id")),
        sku=_text(node.get("sku") or variant.get("sku")),
        title=_text(node.get("title") or node.get("name")),
        variant_title=_text(node.get("variantTitle")),
        quantity=quantity,
        price=_money(node.get("originalUnitPriceSet"), f"line item {line_id} price"),
        properties=properties,
        raw=node,
        current_quantity=current_quantity,
        product_type=_text(product.get("productType")),
    )


def _address(node: dict[str, Any], email: str) -> ShippingAddress:
    address = node.get("shippingAddress")
    if not isinstance(address, dict):
        return ShippingAddress(email=email)
    name = _text(address.get("name")) or " ".join(
        p for p in (_text(address.get("firstName")), _text(address.get("lastName"))) if p
    )
    return ShippingAddress(
        name=name,
        company=_text(address.get("company")),
        address1=_text(address.get("address1")),
        address2=_text(address.get("address2")),
        city=_text(address.get("city")),
        state=_text(address.get("provinceCode") or address.get("province")),
        postal_code=_text(address.get("zip")),
        country=_text(address.get("countryCodeV2") or address.get("country")),
        phone=_text(address.get("phone")),
        email=email,
    )


def _source(value: Any) -> str:
    text = _text(value)
    if not text:
        return "store"
    if text.isdigit():
        return "app"  # an app's channel id; what it was stays in raw
    return SOURCES.get(text, text)


def parse_order(node: Any, lines: list[Any] | None = None) -> StoreOrder:
    """One `Order` node (its line items from `lineItems.nodes` unless `lines` is given)."""
    if not isinstance(node, dict):
        raise OrderReadError("the order is not an object")
    order_id = order_id_of(node)
    if not order_id:
        raise OrderReadError(f"the order has no readable id: {node.get('id')!r}")
    created = parse_time(node.get("createdAt"), "createdAt")
    updated = parse_time(node.get("updatedAt"), "updatedAt") if node.get("updatedAt") else created
    if lines is None:
        connection = node.get("lineItems")
        if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
            raise OrderReadError("the order has no lineItems")
        lines = connection["nodes"]
    customer = node.get("customer") if isinstance(node.get("customer"), dict) else {}
    assert isinstance(customer, dict)
    email = _text(node.get("email") or customer.get("email"))
    shipping = _address(node, email)
    customer_name = (
        " ".join(
            p for p in (_text(customer.get("firstName")), _text(customer.get("lastName"))) if p
        )
        or _text(customer.get("displayName"))
        or shipping.name
    )
    total_bag = node.get("totalPriceSet")
    currency = _text(node.get("currencyCode")) or _text(
        ((total_bag or {}).get("shopMoney") or {}).get("currencyCode")
    )
    gateways = node.get("paymentGatewayNames") or []
    shipping_line = node.get("shippingLine") or {}
    financial = node.get("displayFinancialStatus")
    canceled = bool(node.get("cancelledAt"))
    return StoreOrder(
        store_order_id=order_id,
        name=_text(node.get("name")) or f"#{order_id}",
        created_at=created,
        updated_at=updated,
        currency=currency,
        total=_money(total_bag, "totalPriceSet"),
        shipping_total=_money(node.get("totalShippingPriceSet"), "totalShippingPriceSet"),
        payment_method=_text(gateways[0]) if gateways else "",
        payment_status=_enum(financial, PAYMENT),
        fulfillment_status=_enum(node.get("displayFulfillmentStatus"), FULFILLMENT),
        store_status="cancelled" if canceled else "closed" if node.get("closed") else "open",
        source=_source(node.get("sourceName")),
        customer_name=customer_name,
        customer_email=email,
        customer_note=_text(node.get("note")),
        shipping=shipping,
        shipping_method=_text(shipping_line.get("title")),
        lines=tuple(parse_line(line) for line in lines),
        canceled=canceled,
        refunded=financial == "REFUNDED",
        raw=node,
        test=node.get("test") is True,
    )


def problem(node: Any, reason: str) -> StoreOrderProblem:
    """A node kept whole with why it could not be read."""
    try:
        raw = json.dumps(node, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        raw = repr(node)
    return StoreOrderProblem(store_order_id=order_id_of(node), reason=reason, raw=raw)


def read_nodes(nodes: list[Any]) -> tuple[list[StoreOrder], list[StoreOrderProblem]]:
    """Every readable order of `nodes`, and a problem for each one that is not."""
    orders: list[StoreOrder] = []
    problems: list[StoreOrderProblem] = []
    for node in nodes:
        try:
            orders.append(parse_order(node))
        except OrderReadError as exc:
            problems.append(problem(node, str(exc)))
    return orders, problems
