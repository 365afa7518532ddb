"""Demo orders in the stores' own JSON: WooCommerce REST v3 and Shopify Admin REST shapes.

The shapes copy the fixtures in shared/reference/fixtures (woocommerce/order.json,
shopify/order.json): the same keys, the same string-typed money, local and GMT dates, line-item
`meta_data` (WooCommerce) or `properties` (Shopify) carrying the personalization verbatim.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from podtui.demo.catalog import StoreSpec
from podtui.demo.generator import DemoItem, DemoOrder, money

WOO_PAYMENT_TITLES = {
    "stripe": "Credit Card (Stripe)",
    "ppcp-gateway": "PayPal",
    "bacs": "Direct bank transfer",
    "cod": "Cash on delivery",
}
SHOPIFY_GATEWAYS = {
    "shopify_payments": "shopify_payments",
    "paypal": "paypal",
    "gift_card": "gift_card",
    "manual": "manual",
    "amazon_marketplace": "Amazon Marketplace",
    "etsy_payments": "Etsy Payments",
}


def store_timezone(store: StoreSpec) -> tzinfo:
    """The site's time zone (WooCommerce `date_created` is local time; `_gmt` is UTC)."""
    name = store.settings.get("timezone")
    return _zone(str(name)) if name else UTC


def _local(ts: int, tz: tzinfo) -> str:
    return datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%dT%H:%M:%S")


def _gmt(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _order_key(order: DemoOrder) -> str:
    digest = hashlib.sha1(f"{order.store.key}:{order.store_order_id}".encode()).hexdigest()
    return f"wc_order_{digest[:13]}"


def _store_lines(order: DemoOrder) -> list[DemoItem]:
    """The lines as the store sees them: split children are podtui's, not the store's."""
    return [item for item in order.items if item.split_of is None]


def _store_quantity(order: DemoOrder, index: int) -> int:
    item = order.items[index]
    return item.quantity + sum(other.quantity for other in order.items if other.split_of == index)


def woo_order_payload(order: DemoOrder, *, base_url: str | None = None) -> dict[str, Any]:
    """`order` as GET /wp-json/wc/v3/orders/{id} returns it."""
    store = order.store
    tz = store_timezone(store)
    base = (base_url or store.base_url).rstrip("/")
    c = order.customer
    created = order.created
    modified = order.updated
    paid = order.payment_status in ("paid", "refunded")
    completed = order.store_status == "completed"
    address = {
        "first_name": c.first_name,
        "last_name": c.last_name,
        "company": c.company,
        "address_1": c.address1,
        "address_2": c.address2,
        "city": c.city,
        "state": c.state,
        "postcode": c.postcode,
        "country": c.country,
    }
    lines = []
    for index, item in enumerate(order.items):
        if item.split_of is not None:
            continue
        quantity = _store_quantity(order, index)
        total = money(item.variant.price_cents * quantity)
        name = item.product.spec.title
        if item.variant.attributes:
            name += " &ndash; " + ", ".join(f"{a}: {v}" for a, v in item.variant.attributes)
        lines.append(
            {
                "id": int(item.line_id),
                "name": name,
                "product_id": int(item.product.product_id),
                "variation_id": int(item.variant.variant_id),
                "quantity": quantity,
                "tax_class": "",
                "subtotal": total,
                "subtotal_tax": "0.00",
                "total": total,
                "total_tax": "0.00",
                "taxes": [],
                "meta_data": item.raw,
                "sku": item.variant.sku,
                "price": item.variant.price_cents / 100,
                "parent_name": item.product.spec.title if item.variant.attributes else None,
            }
        )
    order_id = int(order.store_order_id)
    return {
        "id": order_id,
        "parent_id": 0,
        "number": order.number,
        "order_key": _order_key(order),
        "created_via": "checkout",
        "version": "9.4.2",
        "status": order.store_status,
        "currency": store.currency,
        "date_created": _local(created, tz),
        "date_created_gmt": _gmt(created),
        "date_modified": _local(modified, tz),
        "date_modified_gmt": _gmt(modified),
        "discount_total": "0.00",
        "discount_tax": "0.00",
        "shipping_total": money(order.shipping_cents),
        "shipping_tax": "0.00",
        "cart_tax": money(order.tax_cents),
        "total": money(order.total_cents),
        "total_tax": money(order.tax_cents),
        "prices_include_tax": True,
        "customer_id": 0,
        "customer_ip_address": "",
        "customer_user_agent": "",
        "customer_note": order.customer_note,
        "billing": {**address, "email": c.email, "phone": c.phone},
        "shipping": {**address, "phone": c.phone},
        "payment_method": order.payment_method,
        "payment_method_title": WOO_PAYMENT_TITLES.get(order.payment_method, order.payment_method),
        "transaction_id": f"pi_{_order_key(order)[9:]}" if order.payment_method == "stripe" else "",
        "date_paid": _local(created + 8, tz) if paid else None,
        "date_paid_gmt": _gmt(created + 8) if paid else None,
        "date_completed": _local(modified, tz) if completed else None,
        "date_completed_gmt": _gmt(modified) if completed else None,
        "cart_hash": "",
        "meta_data": [
            {"id": 13000 + order_id, "key": "_wc_order_attribution_source_type", "value": "typein"}
        ],
        "line_items": lines,
        "tax_lines": [],
        "shipping_lines": [
            {
                "id": 900_000 + order_id,
                "method_title": order.shipping_method,
                "method_id": "flat_rate",
                "total": money(order.shipping_cents),
                "total_tax": "0.00",
                "taxes": [],
                "meta_data": [],
            }
        ],
        "fee_lines": [],
        "coupon_lines": [],
        "refunds": [],
        "_links": {
            "self": [{"href": f"{base}/wp-json/wc/v3/orders/{order_id}"}],
            "collection": [{"href": f"{base}/wp-json/wc/v3/orders"}],
        },
    }


def _shopify_time(ts: int) -> str:
    """Shopify writes times in the shop's zone with its offset ("2008-01-10T11:00:00-05:00")."""
    return datetime.fromtimestamp(ts, UTC).astimezone(_zone("America/New_York")).isoformat()


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except Exception:  # no tz database on this box
        return UTC


def shopify_order_payload(order: DemoOrder) -> dict[str, Any]:
    """`order` as the Shopify Admin REST API returns it under `"order"`."""
    c = order.customer
    address = {
        "first_name": c.first_name,
        "last_name": c.last_name,
        "name": c.name,
        "company": c.company or None,
        "address1": c.address1,
        "address2": c.address2,
        "city": c.city,
        "province_code": c.state or None,
        "zip": c.postcode,
        "country_code": c.country,
        "phone": c.phone,
    }
    lines = []
    for index, item in enumerate(order.items):
        if item.split_of is not None:
            continue
        title = item.product.spec.title
        variant_title = item.variant.title
        lines.append(
            {
                "id": int(item.line_id),
                "product_id": int(item.product.product_id),
                "variant_id": int(item.variant.variant_id),
                "title": title,
                "variant_title": variant_title,
                "name": f"{title} - {variant_title}" if item.variant.attributes else title,
                "sku": item.variant.sku,
                "quantity": _store_quantity(order, index),
                "price": money(item.variant.price_cents),
                "requires_shipping": item.product.spec.key != "giftcard",
                "fulfillment_status": None,
                "properties": item.raw,
            }
        )
    note_attributes = []
    if order.source == "amazon":
        note_attributes.append({"name": "Amazon Order Id", "value": order.marketplace_id})
    elif order.source == "etsy":
        note_attributes.append({"name": "Etsy Receipt", "value": order.marketplace_id})
    gateway = SHOPIFY_GATEWAYS.get(order.payment_method, order.payment_method)
    return {
        "id": int(order.store_order_id),
        "name": order.name,
        "order_number": int(order.number),
        "email": c.email,
        "created_at": _shopify_time(order.created),
        "updated_at": _shopify_time(order.updated),
        "currency": order.store.currency,
        "financial_status": order.payment_status,
        "fulfillment_status": None
        if order.fulfillment_status == "unfulfilled"
        else order.fulfillment_status,
        "cancelled_at": _shopify_time(order.updated) if order.store_status == "cancelled" else None,
        "closed_at": _shopify_time(order.updated) if order.store_status == "closed" else None,
        "subtotal_price": money(order.subtotal_cents),
        "total_tax": money(order.tax_cents),
        "total_price": money(order.total_cents),
        "gateway": gateway,
        "payment_gateway_names": [gateway],
        "source_name": {"store": "web", "amazon": "amazon", "etsy": "etsy"}.get(
            order.source, "pos"
        ),
        "note": order.customer_note or None,
        "note_attributes": note_attributes,
        "tags": "",
        "line_items": lines,
        "shipping_lines": [{"title": order.shipping_method, "price": money(order.shipping_cents)}],
        "shipping_address": address,
        "billing_address": address,
        "customer": {"email": c.email, "first_name": c.first_name, "last_name": c.last_name},
    }


def store_payload(order: DemoOrder) -> dict[str, Any]:
    """The order in its own store's JSON shape."""
    if order.store.kind == "woocommerce":
        return woo_order_payload(order)
    return shopify_order_payload(order)


def woo_local_offset(store: StoreSpec, at: datetime) -> timedelta:
    """The site's UTC offset at `at` (what separates `date_created` from `date_created_gmt`)."""
    return at.astimezone(store_timezone(store)).utcoffset() or timedelta()
