"""Orders for the Shopify sandbox: REST payloads turned into GraphQL nodes, search, cursors.

The fixtures (shared/reference/fixtures/shopify) and the demo's payloads are in the REST shape;
`order_node` turns one into the Admin GraphQL `Order` the same data comes back as (camelCase,
global ids `gid://shopify/Order/N`, money as MoneyBag, UTC times ending in `Z`, enums upper-case,
`properties` as `customAttributes`). `matches` reads Shopify's search syntax as the `orders(query:)`
argument takes it (`updated_at:>='2024-01-01T00:00:00Z' id:>=1000 status:open`, `OR`); connections
page with opaque cursors that hold the sort value and the id of the last row.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

FINANCIAL: dict[Any, str] = {
    "pending": "PENDING",
    "authorized": "AUTHORIZED",
    "partially_paid": "PARTIALLY_PAID",
    "paid": "PAID",
    "partially_refunded": "PARTIALLY_REFUNDED",
    "refunded": "REFUNDED",
    "voided": "VOIDED",
    "expired": "EXPIRED",
}
FULFILLMENT: dict[Any, str] = {
    None: "UNFULFILLED",
    "": "UNFULFILLED",
    "unfulfilled": "UNFULFILLED",
    "partial": "PARTIALLY_FULFILLED",
    "fulfilled": "FULFILLED",
    "restocked": "RESTOCKED",
}


def gid(kind: str, legacy_id: Any) -> str:
    return f"gid://shopify/{kind}/{legacy_id}"


def legacy_of(global_id: str) -> str:
    """`gid://shopify/Order/450789469` -> `450789469` ("" when it is no Shopify global id)."""
    found = re.fullmatch(r"gid://shopify/(\w+)/(\d+)(\?.*)?", global_id or "")
    return found.group(2) if found else ""


def kind_of(global_id: str) -> str:
    found = re.fullmatch(r"gid://shopify/(\w+)/\d+(\?.*)?", global_id or "")
    return found.group(1) if found else ""


def utc_z(value: Any) -> Any:
    """A REST time ("2008-01-10T11:00:00-05:00") as GraphQL writes it ("2008-01-10T16:00:00Z")."""
    if not isinstance(value, str) or not value:
        return value
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value  # served as it is: a test of an unreadable payload wants exactly that
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_z(clock: Callable[[], datetime]) -> str:
    return clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(amount: Any, currency: str) -> dict[str, Any]:
    text = "0.00" if amount in (None, "") else str(amount)
    bag = {"amount": text, "currencyCode": currency}
    return {"shopMoney": bag, "presentmentMoney": dict(bag)}


def _attributes(pairs: Any) -> list[dict[str, Any]]:
    out = []
    for pair in pairs or []:
        if isinstance(pair, dict):
            out.append({"key": str(pair.get("name", "")), "value": pair.get("value")})
    return out


def _address(rest: Any, legacy_id: Any) -> dict[str, Any] | None:
    if not isinstance(rest, dict):
        return None
    name = rest.get("name") or " ".join(
        p for p in (rest.get("first_name"), rest.get("last_name")) if p
    )
    return {
        "__typename": "MailingAddress",
        "id": gid("MailingAddress", legacy_id) + "?model_name=Address",
        "firstName": rest.get("first_name"),
        "lastName": rest.get("last_name"),
        "name": name or None,
        "company": rest.get("company"),
        "address1": rest.get("address1"),
        "address2": rest.get("address2"),
        "city": rest.get("city"),
        "province": rest.get("province"),
        "provinceCode": rest.get("province_code"),
        "zip": rest.get("zip"),
        "country": rest.get("country"),
        "countryCodeV2": rest.get("country_code"),
        "phone": rest.get("phone"),
    }


def line_node(rest: dict[str, Any], currency: str) -> dict[str, Any]:
    """A REST line item as a GraphQL `LineItem`."""
    title = str(rest.get("title") or "")
    product_id, variant_id = rest.get("product_id"), rest.get("variant_id")
    return {
        "__typename": "LineItem",
        "id": gid("LineItem", rest["id"]),
        "name": rest.get("name") or title,
        "title": title,
        "variantTitle": rest.get("variant_title"),
        "sku": rest.get("sku"),
        "quantity": rest.get("quantity"),
        "currentQuantity": rest.get("current_quantity", rest.get("quantity")),
        "requiresShipping": bool(rest.get("requires_shipping", True)),
        "customAttributes": _attributes(rest.get("properties")),
        "originalUnitPriceSet": money(rest.get("price"), currency),
        "product": None
        if product_id is None
        else {
            "__typename": "Product",
            "id": gid("Product", product_id),
            "legacyResourceId": str(product_id),
            "title": title,
            "productType": str(rest.get("product_type") or ""),
        },
        "variant": None
        if variant_id is None
        else {
            "__typename": "ProductVariant",
            "id": gid("ProductVariant", variant_id),
            "legacyResourceId": str(variant_id),
            "title": rest.get("variant_title") or "Default Title",
            "sku": rest.get("sku"),
        },
    }


def order_node(rest: dict[str, Any]) -> dict[str, Any]:
    """A REST order (the fixtures' shape) as the GraphQL `Order` node, without its connections."""
    currency = str(rest.get("currency") or "USD")
    legacy = rest["id"]
    customer = rest.get("customer")
    gateways = rest.get("payment_gateway_names") or (
        [rest["gateway"]] if rest.get("gateway") else []
    )
    shipping_lines = rest.get("shipping_lines") or []
    first_ship = shipping_lines[0] if shipping_lines else None
    tags = rest.get("tags") or ""
    shipping_total = sum(float(s.get("price") or 0) for s in shipping_lines)
    financial = rest.get("financial_status")
    return {
        "__typename": "Order",
        "id": gid("Order", legacy),
        "legacyResourceId": str(legacy),
        "name": rest.get("name") or f"#{rest.get('order_number', legacy)}",
        "createdAt": utc_z(rest.get("created_at")),
        "updatedAt": utc_z(rest.get("updated_at") or rest.get("created_at")),
        "processedAt": utc_z(rest.get("processed_at") or rest.get("created_at")),
        "closed": rest.get("closed_at") is not None,
        "closedAt": utc_z(rest.get("closed_at")),
        "cancelledAt": utc_z(rest.get("cancelled_at")),
        "cancelReason": (rest.get("cancel_reason") or "").upper() or None,
        "email": rest.get("email"),
        "phone": rest.get("phone"),
        "note": rest.get("note"),
        "tags": [t.strip() for t in tags.split(",") if t.strip()]
        if isinstance(tags, str)
        else list(tags),
        "test": bool(rest.get("test", False)),
        "customAttributes": _attributes(rest.get("note_attributes")),
        "currencyCode": currency,
        "totalPriceSet": money(rest.get("total_price"), currency),
        "subtotalPriceSet": money(rest.get("subtotal_price"), currency),
        "totalShippingPriceSet": money(f"{shipping_total:.2f}", currency),
        "totalTaxSet": money(rest.get("total_tax"), currency),
        "displayFinancialStatus": FINANCIAL.get(financial)
        or (str(financial or "").upper() or None),
        "displayFulfillmentStatus": FULFILLMENT.get(
            rest.get("fulfillment_status"), str(rest.get("fulfillment_status")).upper()
        ),
        "paymentGatewayNames": list(gateways),
        "sourceName": rest.get("source_name"),
        "customer": None
        if not isinstance(customer, dict)
        else {
            "__typename": "Customer",
            "id": gid("Customer", customer.get("id") or legacy),
            "firstName": customer.get("first_name"),
            "lastName": customer.get("last_name"),
            "displayName": " ".join(
                p for p in (customer.get("first_name"), customer.get("last_name")) if p
            )
            or customer.get("email")
            or "",
            "email": customer.get("email"),
            "phone": customer.get("phone"),
        },
        "shippingAddress": _address(rest.get("shipping_address"), legacy),
        "billingAddress": _address(rest.get("billing_address"), int(legacy) + 1),
        "shippingLine": None
        if first_ship is None
        else {
            "id": gid("ShippingLine", first_ship.get("id") or legacy),
            "title": first_ship.get("title") or "",
            "code": first_ship.get("code") or first_ship.get("title"),
            "source": first_ship.get("source") or "shopify",
            "originalPriceSet": money(first_ship.get("price"), currency),
        },
    }


# --- search syntax ------------------------------------------------------------------------------

_TERM = re.compile(
    r"""(?P<neg>-)?(?P<field>\w+):(?P<op><=|>=|<|>)?(?P<value>'[^']*'|"[^"]*"|\S+)"""
)
KNOWN_FIELDS = frozenset(
    {
        "created_at",
        "updated_at",
        "processed_at",
        "id",
        "status",
        "financial_status",
        "fulfillment_status",
        "name",
        "tag",
        "email",
    }
)


class SearchQuery:
    """A parsed `query:` string: groups of terms (AND inside, OR between), and unknown fields."""

    def __init__(self, text: str | None) -> None:
        self.text = text or ""
        self.groups: list[list[tuple[bool, str, str, str]]] = [[]]
        self.unknown: list[str] = []
        for token in re.findall(r"""(?:[^\s'"]+|'[^']*'|"[^"]*")+""", self.text):
            if token == "OR":
                self.groups.append([])
                continue
            if token == "AND":
                continue
            found = _TERM.fullmatch(token)
            if found is None:
                continue  # free text: Shopify searches default fields; the sandbox ignores it
            field = found["field"].lower()
            if field not in KNOWN_FIELDS:
                self.unknown.append(field)
                continue
            value = found["value"].strip("'\"")
            self.groups[-1].append((bool(found["neg"]), field, found["op"] or "=", value))

    def matches(self, node: dict[str, Any]) -> bool:
        groups = [g for g in self.groups if g]
        if not groups:
            return True
        return any(all(_term(node, *term) for term in group) for group in groups)


def _when(value: str) -> datetime | None:
    text = value.replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _compare(left: Any, op: str, right: Any) -> bool:
    if left is None or right is None:
        return False
    return bool(
        {
            "=": left == right,
            "<": left < right,
            "<=": left <= right,
            ">": left > right,
            ">=": left >= right,
        }[op]
    )


def _term(node: dict[str, Any], negated: bool, field: str, op: str, value: str) -> bool:
    result: bool
    if field in ("created_at", "updated_at", "processed_at"):
        key = {"created_at": "createdAt", "updated_at": "updatedAt", "processed_at": "processedAt"}
        result = _compare(_when(str(node.get(key[field]) or "")), op, _when(value))
    elif field == "id":
        result = value.isdigit() and _compare(int(node["legacyResourceId"]), op, int(value))
    elif field == "status":
        state = "cancelled" if node.get("cancelledAt") else "closed" if node["closed"] else "open"
        result = value == "any" or value == state
    elif field == "financial_status":
        result = str(node.get("displayFinancialStatus") or "").lower() == value.lower()
    elif field == "fulfillment_status":
        shown = str(node.get("displayFulfillmentStatus") or "").lower()
        wanted = {
            "shipped": "fulfilled",
            "unshipped": "unfulfilled",
            "partial": "partially_fulfilled",
        }
        result = shown == wanted.get(value.lower(), value.lower())
    elif field == "name":
        result = str(node.get("name", "")).lstrip("#") == value.lstrip("#")
    elif field == "tag":
        result = value in node.get("tags", [])
    else:  # email
        result = str(node.get("email") or "").lower() == value.lower()
    return result != negated


# --- cursors ------------------------------------------------------------------------------------


def encode_cursor(sort_value: Any, legacy_id: int) -> str:
    raw = json.dumps({"last_id": legacy_id, "last_value": sort_value}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[Any, int] | None:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return raw["last_value"], int(raw["last_id"])
    except (ValueError, KeyError, TypeError):
        return None


def page(
    rows: list[Any],
    keys: list[tuple[Any, int]],
    *,
    first: int | None,
    after: str | None,
    last: int | None = None,
    before: str | None = None,
    reverse: bool = False,
) -> dict[str, Any]:
    """A connection over `rows` (already sorted; `keys[i]` = (sort value, id) of `rows[i]`)."""
    start, end = 0, len(rows)
    if after:
        found = decode_cursor(after)
        if found is not None:
            start = next((i + 1 for i, k in enumerate(keys) if k == found), start)
            if found not in keys:  # the row moved away: resume after its old place
                start = sum(
                    1 for k in keys if (_key_le(found, k) if reverse else _key_le(k, found))
                )
    if before:
        found = decode_cursor(before)
        if found is not None:
            end = next((i for i, k in enumerate(keys) if k == found), end)
    window = list(range(start, end))
    if first is not None:
        window = window[:first]
    elif last is not None:
        window = window[-last:] if last else []
    edges = [{"cursor": encode_cursor(*keys[i]), "node": rows[i]} for i in window]
    return {
        "edges": edges,
        "nodes": [e["node"] for e in edges],
        "pageInfo": {
            "hasNextPage": bool(window) and window[-1] + 1 < end,
            "hasPreviousPage": bool(window) and window[0] > 0,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def _key_le(a: tuple[Any, int], b: tuple[Any, int]) -> bool:
    try:
        return bool(a <= b)
    except TypeError:
        return a[1] <= b[1]
