"""A sandbox Printify vendor speaking API v1 (`https://api.printify.com/v1/`), in memory.

Served: `GET /v1/shops.json`, `POST /v1/uploads/images.json` (`url` or base64 `contents`), and
under `/v1/shops/{shop_id}`: `GET|POST /orders.json` (list: `limit` at most 10, `page`, `status`,
`sku`), `GET /orders/{id}.json`, `POST /orders/{id}/send_to_production.json`,
`POST /orders/{id}/cancel.json` (only from `on-hold` or `payment-not-received`) and
`POST /orders/shipping.json` (the quote: only the methods the address can have, priced per
unit; a create with a method the address cannot have is refused); the catalogue is under
`/v1/catalog/` (printify_catalog.py).
Every request needs `Authorization: Bearer <token>` and a `User-Agent`. A new order is
`on-hold` until sent to production. Refusals are Printify's body
`{"status":"error","code":8103,"message":"Validation failed.",
"errors":{"reason":"<field errors as JSON text>","code":8103}}`.

Printify has no idempotency key and no lookup by external id (apis.md): the sandbox accepts a
repeated `external_id` like the real API probably does, and records every created order so a test
can count orders per external id (`orders_by_external_id()`): more than one means sent twice.
UNSURE, because no source settles them: the 401 body and the status code of a validation failure
(400 here; `validation_status=422` switches it).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pycountry

from podtui.sandbox.http import SandboxServer, json_response, read_json, split_path
from podtui.sandbox.printify_catalog import PrintifyCatalog

DEFAULT_BASE_URL = "https://api.printify.com"
ORDER_STATUSES = (
    "pending",
    "on-hold",
    "sending-to-production",
    "in-production",
    "canceled",
    "fulfilled",
    "partially-fulfilled",
    "payment-not-received",
    "had-issues",
)
# Order status -> line item status (Printify says "had-issues" for orders, "has-issues" for items).
_ITEM_STATUS = {
    "had-issues": "has-issues",
    "partially-fulfilled": "in-production",
    "pending": "on-hold",
    "payment-not-received": "on-hold",
}
_ZIP = {
    "US": r"\d{5}(-\d{4})?",
    "CA": r"[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d",
    "GB": r"[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}",
    "DE": r"\d{5}",
    "FR": r"\d{5}",
    "IT": r"\d{5}",
    "ES": r"\d{5}",
    "MX": r"\d{5}",
    "AU": r"\d{4}",
    "NL": r"\d{4} ?[A-Za-z]{2}",
    "SE": r"\d{3} ?\d{2}",
    "JP": r"\d{3}-?\d{4}",
    "BR": r"\d{5}-?\d{3}",
    "IN": r"\d{6}",
}
_REGION_REQUIRED = frozenset({"US", "CA", "AU"})
_NO_POSTCODE = frozenset({"HK", "AE", "IE", "QA", "PA", "BS"})
_ROUTES = [
    ("GET", r"/v1/shops\.json", "shops"),
    ("POST", r"/v1/uploads/images\.json", "upload"),
    ("GET", r"/v1/shops/(?P<shop>\d+)/orders\.json", "list"),
    ("POST", r"/v1/shops/(?P<shop>\d+)/orders\.json", "create"),
    ("POST", r"/v1/shops/(?P<shop>\d+)/orders/shipping\.json", "shipping"),
    ("GET", r"/v1/shops/(?P<shop>\d+)/orders/(?P<id>[0-9a-f]{24})\.json", "get"),
    (
        "POST",
        r"/v1/shops/(?P<shop>\d+)/orders/(?P<id>[0-9a-f]{24})/send_to_production\.json",
        "produce",
    ),
    ("POST", r"/v1/shops/(?P<shop>\d+)/orders/(?P<id>[0-9a-f]{24})/cancel\.json", "cancel"),
]


def printify_error(status: int, code: int, message: str, reason: Any = None) -> httpx.Response:
    """Printify's error body; `reason` (field -> messages, or text) goes in `errors.reason`."""
    body: dict[str, Any] = {"status": "error", "code": code, "message": message}
    if reason is not None:
        text = reason if isinstance(reason, str) else json.dumps(reason)
        body["errors"] = {"reason": text, "code": code}
    return json_response(status, body)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00:00")


class SandboxPrintify(SandboxServer):
    """A Printify account with one API shop, in memory."""

    def __init__(
        self,
        *,
        token: str = "sandbox-token",
        shop_id: int = 8675309,
        base_url: str = DEFAULT_BASE_URL,
        validation_status: int = 400,
        rate_limit_per_min: int = 0,
        catalog_rate_limit_per_min: int = 0,
        clock: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.shop_id = shop_id
        self.base_url = base_url.rstrip("/")
        self.validation_status = validation_status
        self.rate_limit_per_min = rate_limit_per_min  # 0 = unlimited; Printify's is 600
        self.clock = clock or (lambda: datetime.now(UTC))
        self.monotonic = monotonic
        self.orders: dict[str, dict[str, Any]] = {}
        self.created: list[dict[str, Any]] = []  # every accepted create body, in order
        self.uploads: dict[str, dict[str, Any]] = {}
        self.catalog = PrintifyCatalog(
            rate_limit_per_min=catalog_rate_limit_per_min, monotonic=monotonic
        )
        super().__init__()
        self.balance_cents: int | None = None  # set to refuse orders with 402 when it runs out
        self._serial = 0
        self._window: list[float] = []

    # -- state, for tests

    def orders_by_external_id(self) -> Counter[str]:
        """How many orders were created per external id: more than one means sent twice."""
        with self._lock:
            return Counter(str(body.get("external_id")) for body in self.created)

    def set_status(self, order_id: str, status: str) -> dict[str, Any]:
        """Move an order on as Printify would (in-production, fulfilled, had-issues ...)."""
        if status not in ORDER_STATUSES:
            raise ValueError(f"not a Printify order status: {status}")
        with self._lock:
            order = self.orders[order_id]
            order["status"] = status
            for item in order["line_items"]:
                item["status"] = _ITEM_STATUS.get(status, status)
            stamp = _stamp(self.clock())
            if status == "sending-to-production":
                order["sent_to_production_at"] = stamp
            if status == "fulfilled":
                order["fulfilled_at"] = stamp
                for item in order["line_items"]:
                    item["fulfilled_at"] = stamp
            return order

    def ship(self, order_id: str, carrier: str, number: str, url: str = "") -> dict[str, Any]:
        """Add a shipment with tracking and fulfil the order."""
        with self._lock:
            order = self.set_status(order_id, "fulfilled")
            order["shipments"].append(
                {"carrier": carrier, "number": number, "url": url, "delivered_at": None}
            )
            return order

    # -- HTTP

    def _before(self, request: httpx.Request) -> httpx.Response | None:
        limited = self._over_limit()
        if limited is None:
            return None
        return json_response(
            429,
            {"status": "error", "code": 429, "message": "Too Many Attempts."},
            headers={"Retry-After": str(limited)},
        )

    def _error_body(self, status: int) -> Any:
        return _server_error(status)

    def _over_limit(self) -> int | None:
        if not self.rate_limit_per_min:
            return None
        now = self.monotonic()
        self._window = [t for t in self._window if now - t < 60.0]
        if len(self._window) >= self.rate_limit_per_min:
            return max(1, int(60.0 - (now - self._window[0])) + 1)
        self._window.append(now)
        return None

    def _handle(self, request: httpx.Request) -> httpx.Response:
        if not request.headers.get("user-agent"):
            return json_response(
                400, {"status": "error", "message": "User-Agent header is required."}
            )
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return json_response(401, {"message": "Unauthenticated."})
        if request.url.path.startswith("/v1/catalog/"):
            with self._lock:
                return self.catalog.handle(request)
        route = split_path(_ROUTES, request.method, request.url.path)
        if route is None:
            return json_response(404, {"status": "error", "message": "Not Found"})
        if "shop" in route.params and int(route.params["shop"]) != self.shop_id:
            return json_response(
                403, {"status": "error", "message": "This action is unauthorized."}
            )
        with self._lock:
            if route.name == "shops":
                shop = {
                    "id": self.shop_id,
                    "title": "Atelier Lumen API",
                    "sales_channel": "custom_integration",
                }
                return json_response(200, [shop])
            if route.name == "list":
                return self._list(request)
            body, ok = read_json(request)
            if not ok or not isinstance(body, dict):
                return printify_error(
                    400,
                    8103,
                    "Validation failed.",
                    {"body": ["The request body must be valid JSON."]},
                )
            if route.name == "upload":
                return self._upload(body)
            if route.name == "create":
                return self._create(body)
            if route.name == "shipping":
                return self._quote(body)
            order = self.orders.get(route.params["id"])
            if order is None:
                return json_response(404, {"status": "error", "message": "Order not found."})
            if route.name == "get":
                return json_response(200, order)
            if route.name == "produce":
                if order["status"] != "on-hold":
                    return printify_error(
                        400, 10300, "Operation failed.", "Order can not be sent to production."
                    )
                return json_response(200, self.set_status(order["id"], "sending-to-production"))
            if order["status"] not in ("on-hold", "payment-not-received"):
                return printify_error(400, 10300, "Operation failed.", "Order can not be canceled.")
            return json_response(200, self.set_status(order["id"], "canceled"))

    def _quote(self, body: dict[str, Any]) -> httpx.Response:
        """The shipping quote: cents per method the address can have (apis.md's shape)."""
        errors: dict[str, list[str]] = {}
        lines = body.get("line_items")
        if not isinstance(lines, list) or not lines:
            errors["line_items"] = ["The line items field is required."]
            lines = []
        address = body.get("address_to")
        if not isinstance(address, dict) or not str(address.get("country") or "").strip():
            errors["address_to.country"] = ["The address to.country field is required."]
        if errors:
            return printify_error(self.validation_status, 8103, "Validation failed.", errors)
        units = sum(int(line.get("quantity") or 1) for line in lines if isinstance(line, dict))
        country = str(address.get("country") or "").upper()  # type: ignore[union-attr]
        return json_response(200, shipping_quote(country, max(1, units)))

    def _next_id(self) -> str:
        self._serial += 1
        return f"{0x5A96F649B2439217D0700000 + self._serial:024x}"

    # -- uploads

    def _upload(self, body: dict[str, Any]) -> httpx.Response:
        errors: dict[str, list[str]] = {}
        name = body.get("file_name")
        if not isinstance(name, str) or not name:
            errors["file_name"] = ["The file name field is required."]
        width = height = 0
        size = 0
        mime = "image/png"
        if isinstance(body.get("contents"), str):
            try:
                data = base64.b64decode(body["contents"], validate=True)
                width, height, mime = _image_size(data)
                size = len(data)
            except (binascii.Error, ValueError):
                errors["contents"] = [
                    "The contents must be a base64 encoded PNG, JPEG or SVG image."
                ]
        elif isinstance(body.get("url"), str) and body["url"].startswith(("http://", "https://")):
            width, height, size = 4500, 5400, 2_048_000  # not fetched: the sandbox has no network
        else:
            errors["url"] = ["The url field is required when contents is not present."]
        if errors:
            return printify_error(self.validation_status, 8103, "Validation failed.", errors)
        upload_id = self._next_id()
        upload = {
            "id": upload_id,
            "file_name": name,
            "height": height,
            "width": width,
            "size": size,
            "mime_type": mime,
            "preview_url": f"https://pfy-prod-image-storage.s3.us-east-2.amazonaws.com/{upload_id}",
            "upload_time": self.clock().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        }
        self.uploads[upload_id] = upload
        return json_response(200, upload)

    # -- orders

    def _create(self, body: dict[str, Any]) -> httpx.Response:
        errors = validate_order(body)
        if errors:
            return printify_error(self.validation_status, 8103, "Validation failed.", errors)
        if self.balance_cents is not None and self.balance_cents <= 0:
            body = {
                "status": "error",
                "message": "Payment required.",
                "errors": {
                    "reason": "Insufficient balance: top up the Printify wallet or add a card."
                },
            }
            return json_response(402, body)
        order_id = self._next_id()
        now = _stamp(self.clock())
        address = dict(body["address_to"])
        external = str(body["external_id"])
        items = []
        for line in body["line_items"]:
            item = {
                "product_id": line.get("product_id") or _product_id(line),
                "variant_id": line.get("variant_id", 17887),
                "quantity": line["quantity"],
                "print_provider_id": line.get("print_provider_id", 29),
                "cost": 1050,
                "shipping_cost": 400,
                "status": "on-hold",
                "metadata": {
                    "title": line.get("title", "Custom product"),
                    "price": 2200,
                    "variant_label": str(line.get("variant_id", "")),
                    "sku": line.get("sku", ""),
                    "country": _country_name(address["country"]),
                },
                "sent_to_production_at": None,
                "fulfilled_at": None,
            }
            items.append(item)
        order = {
            "id": order_id,
            "address_to": address,
            "line_items": items,
            "metadata": {
                "order_type": "api",
                "shop_order_id": external,
                "shop_order_label": body.get("label") or external,
                "shop_fulfilled_at": None,
            },
            "total_price": 2200 * sum(i["quantity"] for i in items),
            "total_shipping": 400,
            "total_tax": 0,
            "status": "on-hold",
            "shipping_method": body.get("shipping_method", 1),
            "is_printify_express": body.get("shipping_method") == 3,
            "is_economy_shipping": body.get("shipping_method") == 4,
            "shipments": [],
            "created_at": now,
            "sent_to_production_at": None,
            "fulfilled_at": None,
        }
        self.orders[order_id] = order
        self.created.append(json.loads(json.dumps(body)))
        return json_response(200, {"id": order_id})

    def _list(self, request: httpx.Request) -> httpx.Response:
        q = request.url.params
        errors: dict[str, list[str]] = {}
        limit = _int(q.get("limit", "10"), "limit", errors, high=10)
        page = _int(q.get("page", "1"), "page", errors)
        if errors:
            return printify_error(self.validation_status, 8103, "Validation failed.", errors)
        rows = list(reversed(self.orders.values()))
        if q.get("status"):
            rows = [o for o in rows if o["status"] == q["status"]]
        if q.get("sku"):
            rows = [
                o for o in rows if any(i["metadata"]["sku"] == q["sku"] for i in o["line_items"])
            ]
        total = len(rows)
        last = max(1, -(-total // limit))
        start = (page - 1) * limit
        data = rows[start : start + limit]
        path = f"/v1/shops/{self.shop_id}/orders.json"
        return json_response(
            200,
            {
                "current_page": page,
                "data": data,
                "first_page_url": f"{path}?page=1",
                "from": start + 1 if data else None,
                "last_page": last,
                "last_page_url": f"{path}?page={last}",
                "next_page_url": f"{path}?page={page + 1}" if page < last else None,
                "path": path,
                "per_page": limit,
                "prev_page_url": f"{path}?page={page - 1}" if page > 1 else None,
                "to": start + len(data) if data else None,
                "total": total,
            },
        )


# Where each method ships (the sandbox's own choice: Printify's lists differ per print provider).
PRIORITY_COUNTRIES = frozenset({"US", "CA", "GB", "DE", "FR", "NL", "AU"})
US_ONLY = frozenset({"US"})
# (first unit, each further unit) in cents: domestic US, and everywhere else.
_RATES = {
    "standard": ((450, 200), (1000, 400)),
    "priority": ((950, 300), (2000, 500)),
    "printify_express": ((799, 250), None),
    "economy": ((399, 150), None),
}


def method_ships_to(method: int, country: str) -> bool:
    """Whether the method (1 standard, 2 priority, 3 Printify Express, 4 economy) ships there."""
    if method == 2:
        return country in PRIORITY_COUNTRIES
    if method in (3, 4):
        return country in US_ONLY
    return True


def shipping_quote(country: str, units: int) -> dict[str, int]:
    """`POST orders/shipping.json`'s answer: methods the country cannot have are left out."""
    quote: dict[str, int] = {}
    for code, name in ((1, "standard"), (2, "priority"), (3, "printify_express"), (4, "economy")):
        if not method_ships_to(code, country):
            continue
        rates = _RATES[name][0 if country == "US" else 1]
        if rates is not None:
            quote[name] = rates[0] + rates[1] * (units - 1)
    if "priority" in quote:
        quote["express"] = quote["priority"]  # the documented example carries both keys
    return quote


def validate_order(body: dict[str, Any]) -> dict[str, list[str]]:
    """Printify's field errors for an order body ({} when it is acceptable)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(body.get("external_id"), str) or not body["external_id"]:
        errors["external_id"] = ["The external id field is required."]
    method = body.get("shipping_method", 1)
    if method not in (1, 2, 3, 4):
        errors["shipping_method"] = ["The selected shipping method is invalid."]
    lines = body.get("line_items")
    if not isinstance(lines, list) or not lines:
        errors["line_items"] = ["The line items field is required."]
        lines = []
    for i, line in enumerate(lines):
        key = f"line_items.{i}"
        if not isinstance(line, dict):
            errors[key] = [f"The {key} must be an object."]
            continue
        quantity = line.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            errors[f"{key}.quantity"] = [f"The {key}.quantity must be at least 1."]
        creates = "blueprint_id" in line or "print_areas" in line
        if creates:
            for field in ("blueprint_id", "print_provider_id", "variant_id", "print_areas"):
                if field not in line:
                    errors[f"{key}.{field}"] = [f"The {key}.{field} field is required."]
            if method == 4:
                errors["shipping_method"] = [
                    "Economy shipping is not available when creating products with the order."
                ]
        elif "sku" not in line and not ("product_id" in line and "variant_id" in line):
            errors[f"{key}.product_id"] = [
                f"The {key}.product_id field is required when sku is not present."
            ]
    address = body.get("address_to")
    if not isinstance(address, dict):
        errors["address_to"] = ["The address to field is required."]
        return errors
    for field in ("first_name", "last_name", "country", "address1", "city"):
        if not str(address.get(field) or "").strip():
            errors[field] = [f"The {field.replace('_', ' ')} field is required."]
    country = str(address.get("country") or "").upper()
    if country and pycountry.countries.get(alpha_2=country) is None:
        errors["country"] = ["The selected country is invalid."]
    if method in (1, 2, 3, 4) and country and not method_ships_to(method, country):
        errors["shipping_method"] = [
            "The selected shipping method is not available for the address."
        ]
    zip_code = str(address.get("zip") or "").strip()
    if country not in _NO_POSTCODE and not zip_code:
        errors["zip"] = ["The zip field is required."]
    elif zip_code and country in _ZIP and not re.fullmatch(_ZIP[country], zip_code):
        errors["zip"] = ["The zip format is invalid for the selected country."]
    if country in _REGION_REQUIRED and not str(address.get("region") or "").strip():
        errors["region"] = [f"The region field is required when country is {country}."]
    return errors


def _int(value: str, name: str, errors: dict[str, list[str]], high: int | None = None) -> int:
    if not value.isdigit() or int(value) < 1:
        errors[name] = [f"The {name} must be at least 1."]
        return 1
    if high is not None and int(value) > high:
        errors[name] = [f"The {name} may not be greater than {high}."]
    return int(value)


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country is not None else code


def _product_id(line: dict[str, Any]) -> str:
    """The id Printify gives the product it creates for a line that carries its own print areas."""
    return hashlib.sha1(json.dumps(line, sort_keys=True).encode()).hexdigest()[:24]


def _image_size(data: bytes) -> tuple[int, int, str]:
    """Width, height and type of an uploaded image (raises ValueError when it is not one)."""
    if data.lstrip()[:4] in (b"<svg", b"<?xm"):
        return 0, 0, "image/svg+xml"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.width, image.height, Image.MIME.get(image.format or "", "image/png")
    except UnidentifiedImageError as exc:
        raise ValueError("not an image") from exc


def _server_error(status: int) -> dict[str, Any]:
    if status == 429:
        return {"status": "error", "code": 429, "message": "Too Many Attempts."}
    return {
        "status": "error",
        "code": 10300,
        "message": "Operation failed.",
        "errors": {"reason": "Internal error", "code": 10300},
    }
