"""A sandbox Printful vendor speaking API v1 (`https://api.printful.com/`), in memory.

Served: `GET /orders` (`status`, `offset`, `limit` at most 100), `POST /orders` (`confirm=true`
makes a `pending` order, else a `draft`), `GET /orders/{id}` and `GET /orders/@{external_id}`,
`POST /orders/{id}/confirm`, `DELETE /orders/{id}` (cancel: only `draft`, `pending`, `failed`,
`onhold`), `GET /orders/{id}/shipments` (the order's `shipments[]`, which v1 also embeds in the
order) and `POST /shipping/rates` (the rates the recipient can have; a create naming any other
`shipping` is refused, message UNSURE); the v2 catalogue is under `/v2/catalog-...`
(printful_catalog.py). Every request needs
`Authorization: Bearer <token>`; a sandbox built with `store_id` also wants `X-PF-Store-Id` (what
an account-level token needs) except for the catalogue. Replies use Printful's envelope
`{"code":200,"result":...}` and errors
`{"code":N,"result":"msg","error":{"reason":..,"message":..}}`.

A counter of `rate_limit_per_min` requests per 60 s (Printful's is 120) answers 429 with
Printful's text and a `Retry-After`. UNSURE (apis.md): whether Printful rejects a repeated
`external_id`; the sandbox does by default (400, as the real API reportedly does) and
`duplicate_external_id="accept"` makes it create a second order instead, so tests can prove the
adapter never asks twice. `orders_by_external_id()` counts created orders per external id.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import unquote

import httpx
import pycountry

from podtui.sandbox.http import SandboxServer, json_response, read_json, split_path
from podtui.sandbox.printful_catalog import PrintfulCatalog

DEFAULT_BASE_URL = "https://api.printful.com"
ORDER_STATUSES = (
    "draft",
    "pending",
    "failed",
    "canceled",
    "inprocess",
    "onhold",
    "partial",
    "fulfilled",
)
CANCELLABLE = frozenset({"draft", "pending", "failed", "onhold"})
FILE_TYPES = frozenset(
    {"default", "preview", "back", "left", "right", "label", "label_inside", "label_outside",
     "front", "sleeve_left", "sleeve_right"}
)  # fmt: skip
PRODUCT_KEYS = (
    "variant_id",
    "sync_variant_id",
    "external_variant_id",
    "warehouse_product_variant_id",
    "product_template_id",
)
TOO_MANY = "You've recently sent too many requests. Please try again after 60 seconds."
_REASONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    422: "UnprocessableEntity",
    429: "TooManyRequests",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
}
_STATE_REQUIRED = frozenset({"US", "CA", "AU"})
_US_ZIP = re.compile(r"\d{5}(-\d{4})?")
_ID = r"(?P<id>\d+|@[^/]+)"
_ROUTES = [
    ("GET", r"/orders", "list"),
    ("POST", r"/orders", "create"),
    ("GET", rf"/orders/{_ID}", "get"),
    ("DELETE", rf"/orders/{_ID}", "cancel"),
    ("POST", rf"/orders/{_ID}/confirm", "confirm"),
    ("GET", rf"/orders/{_ID}/shipments", "shipments"),
    ("POST", r"/shipping/rates", "rates"),
]
EXPRESS_COUNTRIES = frozenset({"US", "CA", "GB", "DE", "FR", "NL", "IT", "ES", "AU"})
# id, name, (first item, each further item) in dollars (US, elsewhere), delivery days, countries
# (None: everywhere). The sandbox's own figures; the shape is Printful's v1 `/shipping/rates`.
RATES: tuple[
    tuple[
        str, str, tuple[float, float], tuple[float, float], tuple[int, int], frozenset[str] | None
    ],
    ...,
] = (
    (
        "STANDARD",
        "Flat Rate (Estimated delivery: 3-5 business days)",
        (4.75, 2.00),
        (8.95, 3.00),
        (3, 5),
        None,
    ),
    (
        "PRINTFUL_FAST",
        "Printful Fast (Estimated delivery: 2-3 business days)",
        (9.50, 2.50),
        (0.0, 0.0),
        (2, 3),
        frozenset({"US"}),
    ),
    (
        "EXPRESS",
        "Express (Estimated delivery: 1-3 business days)",
        (17.50, 3.00),
        (29.00, 4.00),
        (1, 3),
        EXPRESS_COUNTRIES,
    ),
)


def printful_error(status: int, message: str) -> httpx.Response:
    """Printful v1's error envelope."""
    return json_response(status, error_body(status, message))


def error_body(status: int, message: str) -> dict[str, Any]:
    reason = _REASONS.get(status, "Error")
    return {"code": status, "result": message, "error": {"reason": reason, "message": message}}


def ok(result: Any, **extra: Any) -> httpx.Response:
    return json_response(200, {"code": 200, "result": result, **extra})


class SandboxPrintful(SandboxServer):
    """A Printful store reached with a private token, in memory."""

    def __init__(
        self,
        *,
        token: str = "sandbox-token",
        store_id: int | None = None,
        base_url: str = DEFAULT_BASE_URL,
        rate_limit_per_min: int = 0,
        duplicate_external_id: Literal["reject", "accept"] = "reject",
        validation_status: int = 400,
        clock: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.store_id = store_id
        self.base_url = base_url.rstrip("/")
        self.rate_limit_per_min = rate_limit_per_min  # 0 = unlimited; Printful's is 120
        self.duplicate_external_id = duplicate_external_id
        self.validation_status = validation_status
        self.clock = clock or (lambda: datetime.now(UTC))
        self.monotonic = monotonic
        self.orders: dict[int, dict[str, Any]] = {}
        self.created: list[dict[str, Any]] = []  # every accepted create body, in order
        self.catalog = PrintfulCatalog(printful_error)
        super().__init__()
        self._ids = itertools.count(61_000_001)
        self._item_ids = itertools.count(40_000_001)
        self._shipment_ids = itertools.count(9_000_001)
        self._window: list[float] = []

    # -- state, for tests and the demo

    def orders_by_external_id(self) -> Counter[str]:
        """How many orders were created per external id: more than one means sent twice."""
        with self._lock:
            return Counter(str(body.get("external_id")) for body in self.created)

    def by_external_id(self, external_id: str) -> dict[str, Any] | None:
        with self._lock:
            for order in self.orders.values():
                if order["external_id"] == external_id:
                    return order
        return None

    def set_status(self, order_id: int, status: str) -> dict[str, Any]:
        """Move an order on as Printful would (inprocess, onhold, failed, fulfilled ...)."""
        if status not in ORDER_STATUSES:
            raise ValueError(f"not a Printful order status: {status}")
        with self._lock:
            order = self.orders[order_id]
            order["status"] = status
            order["updated"] = self._now()
            return order

    def ship(
        self,
        order_id: int,
        carrier: str = "USPS",
        tracking_number: str = "9400111899223856928499",
        tracking_url: str = "",
        *,
        item_ids: list[int] | None = None,
        service: str = "USPS First Class Mail",
    ) -> dict[str, Any]:
        """Ship some (Printful's item ids) or all items; the order becomes partial or fulfilled."""
        with self._lock:
            order = self.orders[order_id]
            chosen = [i for i in order["items"] if item_ids is None or i["id"] in item_ids]
            shipment = {
                "id": next(self._shipment_ids),
                "carrier": carrier,
                "service": service,
                "tracking_number": tracking_number,
                "tracking_url": tracking_url
                or f"https://www.printful.com/track?tracking={tracking_number}",
                "created": self._now(),
                "ship_date": self.clock().date().isoformat(),
                "shipped_at": self._now(),
                "reshipment": False,
                "items": [{"item_id": i["id"], "quantity": i["quantity"]} for i in chosen],
            }
            order["shipments"].append(shipment)
            shipped = {s["item_id"] for sh in order["shipments"] for s in sh["items"]}
            done = all(i["id"] in shipped for i in order["items"])
            self.set_status(order_id, "fulfilled" if done else "partial")
            return shipment

    def add_order(
        self,
        external_id: str,
        items: list[dict[str, Any]],
        recipient: dict[str, Any],
        *,
        status: str = "pending",
        order_id: int | None = None,
    ) -> dict[str, Any]:
        """Put an order in as if created earlier (the demo's history); items as in a create body."""
        body = {"external_id": external_id, "recipient": recipient, "items": items}
        with self._lock:
            order = self._order(body, confirm=True)
            if order_id is not None:
                order["id"] = order_id
            self.orders[order["id"]] = order
            self.created.append(json.loads(json.dumps(body)))
            if status != order["status"]:
                self.set_status(order["id"], status)
            return order

    def webhook(
        self, event: str, order_id: int, *, reason: str = "", shipment: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The body Printful would POST for `event` about the order (v1 webhook shape)."""
        with self._lock:
            order = json.loads(json.dumps(self.orders[order_id]))
        data: dict[str, Any] = {"order": order}
        if event.startswith("package_"):
            data["shipment"] = shipment or (order["shipments"][-1] if order["shipments"] else {})
        if reason:
            data["reason"] = reason
        return {
            "type": event,
            "created": self._now(),
            "retries": 0,
            "store": self.store_id or 13579246,
            "data": data,
        }

    def _now(self) -> int:
        return int(self.clock().timestamp())

    # -- HTTP

    def _before(self, request: httpx.Request) -> httpx.Response | None:
        if not self.rate_limit_per_min:
            return None
        now = self.monotonic()
        with self._lock:
            self._window = [t for t in self._window if now - t < 60.0]
            if len(self._window) >= self.rate_limit_per_min:
                wait = max(1, int(60.0 - (now - self._window[0])) + 1)
                response = printful_error(429, TOO_MANY)
                response.headers["Retry-After"] = str(wait)
                return response
            self._window.append(now)
        return None

    def _error_body(self, status: int) -> Any:
        if status == 429:
            return error_body(429, TOO_MANY)
        return error_body(status, "Internal server error, please try again later")

    def _handle(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return printful_error(401, "Malformed Authorization header.")
        if request.url.path.startswith("/v2/catalog-"):  # the catalogue needs no store
            return self.catalog.handle(request)
        if self.store_id is not None and request.headers.get("x-pf-store-id") != str(self.store_id):
            return printful_error(
                400, "This API endpoint requires store_id (send the X-PF-Store-Id header)."
            )
        route = split_path(_ROUTES, request.method, request.url.path)
        if route is None:
            return printful_error(404, "Not found")
        with self._lock:
            if route.name == "list":
                return self._list(request)
            if route.name == "create":
                return self._create(request)
            if route.name == "rates":
                return self._rates(request)
            order = self._find(route.params["id"])
            if order is None:
                return printful_error(404, "Not found")
            if route.name == "get":
                return ok(order)
            if route.name == "shipments":
                return ok(order["shipments"])
            if route.name == "confirm":
                if order["status"] != "draft":
                    return printful_error(400, "Only draft orders can be confirmed")
                return ok(self.set_status(order["id"], "pending"))
            if order["status"] not in CANCELLABLE:
                return printful_error(
                    400, f"Order with status {order['status']} can not be canceled"
                )
            return ok(self.set_status(order["id"], "canceled"))

    def _find(self, key: str) -> dict[str, Any] | None:
        if key.startswith("@"):
            return self.by_external_id(unquote(key[1:]))
        return self.orders.get(int(key))

    def _list(self, request: httpx.Request) -> httpx.Response:
        q = request.url.params
        try:
            offset = int(q.get("offset", "0"))
            limit = int(q.get("limit", "20"))
        except ValueError:
            return printful_error(400, "Invalid offset or limit")
        if not 1 <= limit <= 100 or offset < 0:
            return printful_error(400, "Limit must be between 1 and 100")
        rows = list(reversed(self.orders.values()))
        if q.get("status"):
            rows = [o for o in rows if o["status"] == q["status"]]
        paging = {"total": len(rows), "offset": offset, "limit": limit}
        return ok(rows[offset : offset + limit], paging=paging)

    def _rates(self, request: httpx.Request) -> httpx.Response:
        body, parsed = read_json(request)
        if not parsed or not isinstance(body, dict):
            return printful_error(400, "Invalid JSON body")
        recipient = body.get("recipient")
        if not isinstance(recipient, dict) or not str(recipient.get("country_code") or ""):
            return printful_error(400, "Recipient: Country code is missing")
        items = body.get("items")
        if not isinstance(items, list) or not items:
            return printful_error(400, "Items are missing")
        units = sum(int(i.get("quantity") or 1) for i in items if isinstance(i, dict))
        country = str(recipient["country_code"]).upper()
        today = self.clock().date()
        result = []
        for rate_id, name, home, abroad, (low, high), where in RATES:
            if where is not None and country not in where:
                continue
            first, more = home if country == "US" else abroad
            result.append(
                {
                    "id": rate_id,
                    "name": name,
                    "rate": f"{first + more * (max(1, units) - 1):.2f}",
                    "currency": "USD",
                    "minDeliveryDays": low,
                    "maxDeliveryDays": high,
                    "minDeliveryDate": (today + timedelta(days=low)).isoformat(),
                    "maxDeliveryDate": (today + timedelta(days=high)).isoformat(),
                }
            )
        return ok(result)

    def _create(self, request: httpx.Request) -> httpx.Response:
        body, parsed = read_json(request)
        if not parsed or not isinstance(body, dict):
            return printful_error(400, "Invalid JSON body")
        problem = validate_order(body)
        if problem:
            return printful_error(self.validation_status, problem)
        external = body.get("external_id")
        taken = bool(external) and self.by_external_id(str(external)) is not None
        if taken and self.duplicate_external_id == "reject":
            return printful_error(400, f"Order with external ID {external} already exists")
        confirm = request.url.params.get("confirm", "").lower() in ("1", "true")
        order = self._order(body, confirm=confirm)
        self.orders[order["id"]] = order
        self.created.append(json.loads(json.dumps(body)))
        return ok(order)

    def _order(self, body: dict[str, Any], *, confirm: bool) -> dict[str, Any]:
        """A new order object from a valid create body."""
        external = body.get("external_id")
        order_id = next(self._ids)
        now = self._now()
        items = []
        for line in body["items"]:
            item = {
                "id": next(self._item_ids),
                "external_id": line.get("external_id"),
                "quantity": line["quantity"],
                "price": "13.25",
                "retail_price": line.get("retail_price"),
                "name": line.get("name") or "Custom product",
                "files": [
                    {"type": f.get("type", "default"), "url": f["url"], "status": "waiting"}
                    for f in line["files"]
                ],
                "options": line.get("options") or [],
                "sku": None,
            }
            for key in PRODUCT_KEYS:
                item[key] = line.get(key)
            items.append(item)
        return {
            "id": order_id,
            "external_id": None if external is None else str(external),
            "store": self.store_id or 13579246,
            "status": "pending" if confirm else "draft",
            "shipping": body.get("shipping") or "STANDARD",
            "shipping_service_name": "Flat Rate (3-4 business days after fulfillment)",
            "created": now,
            "updated": now,
            "recipient": dict(body["recipient"]),
            "items": items,
            "costs": _costs(len(items)),
            "retail_costs": body.get("retail_costs") or {},
            "shipments": [],
        }


def _costs(items: int) -> dict[str, str]:
    subtotal = 13.25 * items
    return {
        "currency": "USD",
        "subtotal": f"{subtotal:.2f}",
        "shipping": "4.75",
        "tax": "0.00",
        "total": f"{subtotal + 4.75:.2f}",
    }


def validate_order(body: dict[str, Any]) -> str:
    """Printful's first complaint about an order body ("" when it is acceptable)."""
    recipient = body.get("recipient")
    if not isinstance(recipient, dict):
        return "Recipient is missing"
    for field, label in (
        ("name", "Name"),
        ("address1", "Address"),
        ("city", "City"),
        ("country_code", "Country code"),
    ):
        if not str(recipient.get(field) or "").strip():
            return f"Recipient: {label} is missing"
    country = str(recipient["country_code"]).upper()
    if pycountry.countries.get(alpha_2=country) is None:
        return f"Recipient: Country {country} is not supported"
    if country in _STATE_REQUIRED and not str(recipient.get("state_code") or "").strip():
        return "Recipient: State code is missing"
    zip_code = str(recipient.get("zip") or "").strip()
    if country == "US" and not _US_ZIP.fullmatch(zip_code):
        return "Recipient: Invalid ZIP code"
    shipping = str(body.get("shipping") or "STANDARD")
    offered = [r[0] for r in RATES if r[5] is None or country in r[5]]
    if shipping not in offered:
        return (
            f"Shipping method {shipping} is not available for this recipient "
            f"(available: {', '.join(offered)})"
        )
    items = body.get("items")
    if not isinstance(items, list) or not items:
        return "Items are missing"
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            return f"Item {n}: must be an object"
        if not any(item.get(key) for key in PRODUCT_KEYS):
            return f"Item {n}: Variant ID is missing"
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 1000:
            return f"Item {n}: Quantity must be between 1 and 1000"
        files = item.get("files")
        if not isinstance(files, list) or not files:
            return f"Item {n}: Print files are missing"
        for f in files:
            url = str(f.get("url") or "") if isinstance(f, dict) else ""
            if not url.startswith(("http://", "https://")):
                return f"Item {n}: File URL is invalid"
            if f.get("type", "default") not in FILE_TYPES:
                return f"Item {n}: File type {f.get('type')} is not valid for this product"
    return ""
