"""A sandbox WooCommerce store speaking REST API v3 (`/wp-json/wc/v3/`), in memory.

Served: `GET /orders` (page, per_page 1-100, offset, after/before, modified_after/modified_before,
dates_are_gmt, include, exclude, status, customer, product, search, order, orderby; headers
X-WP-Total, X-WP-TotalPages and Link), `GET|PUT|POST|PATCH /orders/{id}`, `GET|POST
/orders/{id}/notes` and `GET /orders/{id}/notes/{note_id}`. Auth is Basic (consumer key as user,
secret as password) or the `consumer_key`/`consumer_secret` query parameters; anything else is a
401 `woocommerce_rest_cannot_view`. Errors are WordPress's `{code, message, data: {status}}`.

Query arrays follow PHP: `status[]=a&status[]=b` or `status=a,b`; a plain `status` repeated keeps
only its last value, as PHP does, so a client that sends lists the wrong way sees it.
Dates: `date_created` is the site's local time (the store's `timezone`), `date_created_gmt` UTC;
`after`/`before` compare local time unless `dates_are_gmt=true`, like WooCommerce.
"""

from __future__ import annotations

import base64
import copy
import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

import httpx

from podtui.sandbox.http import SandboxServer, json_response, read_json, split_path

DEFAULT_BASE_URL = "https://atelier-lumen.sandbox.podtui.invalid"
STATUSES = (
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
    "trash",
)
STATUS_LABELS = {
    "pending": "Pending payment",
    "processing": "Processing",
    "on-hold": "On hold",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
    "failed": "Failed",
    "checkout-draft": "Draft",
    "trash": "Trash",
}
PAYABLE = ("on-hold", "pending", "failed", "cancelled")
# Gateways without automatic refunds: api_refund through them is refused, as WooCommerce does.
OFFLINE_GATEWAYS = ("bacs", "cheque", "cod", "")
ORDERBY = ("date", "id", "include", "title", "slug", "modified")
_PREFIX = "/wp-json/wc/v3"
_ROUTES = [
    ("GET", _PREFIX + r"/orders/?", "list"),
    ("POST", _PREFIX + r"/orders/?", "create"),
    ("GET", _PREFIX + r"/orders/(?P<id>\d+)/?", "get"),
    ("PUT", _PREFIX + r"/orders/(?P<id>\d+)/?", "update"),
    ("POST", _PREFIX + r"/orders/(?P<id>\d+)/?", "update"),
    ("PATCH", _PREFIX + r"/orders/(?P<id>\d+)/?", "update"),
    ("GET", _PREFIX + r"/orders/(?P<id>\d+)/notes/?", "notes"),
    ("POST", _PREFIX + r"/orders/(?P<id>\d+)/notes/?", "add_note"),
    ("GET", _PREFIX + r"/orders/(?P<id>\d+)/notes/(?P<note>\d+)/?", "note"),
    ("GET", _PREFIX + r"/orders/(?P<id>\d+)/refunds/?", "refunds"),
    ("POST", _PREFIX + r"/orders/(?P<id>\d+)/refunds/?", "add_refund"),
    ("GET", _PREFIX + r"/customers/?", "customers"),
]
_FMT = "%Y-%m-%dT%H:%M:%S"


def wp_error(status: int, code: str, message: str, **data: Any) -> httpx.Response:
    """WordPress's REST error body: `{code, message, data: {status, ...}}`."""
    return json_response(
        status, {"code": code, "message": message, "data": {"status": status, **data}}
    )


class _InvalidParamsError(Exception):
    """Bad query parameters: name -> WordPress's reason."""

    def __init__(self, params: dict[str, str]) -> None:
        super().__init__(", ".join(params))
        self.params = params


class SandboxWooStore(SandboxServer):
    """A WooCommerce store in memory; tests add and change orders and read what was asked."""

    def __init__(
        self,
        orders: Iterable[dict[str, Any]] = (),
        *,
        base_url: str = DEFAULT_BASE_URL,
        consumer_key: str = "ck_sandbox",
        consumer_secret: str = "cs_sandbox",
        timezone: tzinfo = UTC,
        clock: Callable[[], datetime] | None = None,
        read_only: bool = False,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # A key made with "Read" permission: every write is refused, as WooCommerce does.
        self.read_only = read_only
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.timezone = timezone
        self.clock = clock or (lambda: datetime.now(UTC))
        self.orders: dict[int, dict[str, Any]] = {}
        # Extra copies a listing shows besides the orders themselves: (listed after order id,
        # payload). A page that shifted while a client paged, or a plugin that lists copies.
        self.listed_copies: list[tuple[int, dict[str, Any]]] = []
        self.notes: dict[int, list[dict[str, Any]]] = {}
        self.refunds: dict[int, list[dict[str, Any]]] = {}  # order id -> refund objects
        self.customers: dict[int, dict[str, Any]] = {}  # WordPress users by id
        super().__init__()
        self._next_note = 1000
        for order in orders:
            self.add_order(order)

    # -- state, for tests and the demo

    def add_order(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Store a copy of `payload` (a WooCommerce order); returns the stored order."""
        with self._lock:
            order = copy.deepcopy(payload)
            if "id" not in order:
                order["id"] = max(self.orders, default=1000) + 1
            order.setdefault("number", str(order["id"]))
            order.setdefault("status", "processing")
            now = self.clock()
            for field in ("date_created", "date_modified"):
                if field + "_gmt" not in order:
                    order[field] = self._local(now)
                    order[field + "_gmt"] = now.astimezone(UTC).strftime(_FMT)
            order.setdefault("line_items", [])
            order.setdefault("billing", {})
            order.setdefault("shipping", {})
            order.setdefault("meta_data", [])
            order.setdefault("customer_id", 0)
            order.setdefault("customer_note", "")
            self.orders[int(order["id"])] = order
            self.notes.setdefault(int(order["id"]), [])
            return order

    def refund(
        self, order_id: int, lines: dict[int, int], *, reason: str = "", amount: str | None = None
    ) -> dict[str, Any]:
        """Refund these order line ids by these quantities, as wp-admin or the API would.

        The refund lists its lines with negative quantities and `_refunded_item_id`; the order's
        own `refunds` gets only `{id, reason, total}` (a negative string), as WooCommerce does.
        """
        with self._lock:
            order = self.orders[order_id]
            by_id = {int(li["id"]): li for li in order.get("line_items") or []}
            refund_lines = []
            money = 0.0
            for line_id, quantity in lines.items():
                line = by_id[line_id]
                price = float(line.get("price") or 0)
                money += price * quantity
                refund_lines.append(
                    {
                        "id": 90_000 + line_id,
                        "name": line.get("name", ""),
                        "product_id": line.get("product_id"),
                        "variation_id": line.get("variation_id", 0),
                        "quantity": -quantity,
                        "subtotal": f"{-price * quantity:.2f}",
                        "total": f"{-price * quantity:.2f}",
                        "price": -price,
                        "meta_data": [{"id": 1, "key": "_refunded_item_id", "value": str(line_id)}],
                    }
                )
            total = amount if amount is not None else f"{money:.2f}"
            refund_id = 5000 + sum(len(r) for r in self.refunds.values()) + 1
            now = self.clock()
            entry = {
                "id": refund_id,
                "date_created": self._local(now),
                "date_created_gmt": now.astimezone(UTC).strftime(_FMT),
                "amount": total,
                "reason": reason,
                "refunded_by": 1,
                "refunded_payment": False,
                "meta_data": [],
                "line_items": refund_lines,
            }
            self.refunds.setdefault(order_id, []).append(entry)
            order.setdefault("refunds", []).append(
                {"id": refund_id, "reason": reason, "total": f"-{total}"}
            )
            refunded = sum(float(r["amount"]) for r in self.refunds[order_id])
            if refunded >= float(order.get("total") or 0) > 0:
                old = str(order.get("status"))
                order["status"] = "refunded"
                self._status_changed(order, old, "refunded")
            self._touch(order)
            return entry

    def add_customer(self, first: str, last: str, email: str, **billing: str) -> dict[str, Any]:
        """A customer account (a WordPress user with the customer role)."""
        with self._lock:
            user_id = 100 + len(self.customers) + 1
            row = {
                "id": user_id,
                "email": email,
                "first_name": first,
                "last_name": last,
                "role": "customer",
                "username": email.split("@")[0],
                "billing": {"first_name": first, "last_name": last, "email": email, **billing},
                "shipping": {},
            }
            self.customers[user_id] = row
            return row

    def list_copy(self, payload: dict[str, Any], *, after: int) -> None:
        """Make the listing show `payload` (a copy of an order) right after order `after`."""
        with self._lock:
            self.listed_copies.append((after, copy.deepcopy(payload)))

    def update_order(self, order_id: int, **changes: Any) -> dict[str, Any]:
        """Change an order as the shop owner would in wp-admin; `date_modified` moves on."""
        with self._lock:
            order = self.orders[order_id]
            old = order.get("status")
            for key, value in changes.items():
                if isinstance(value, dict) and isinstance(order.get(key), dict):
                    order[key].update(value)
                else:
                    order[key] = value
            if "status" in changes and changes["status"] != old:
                self._status_changed(order, str(old), str(changes["status"]))
            self._touch(order)
            return order

    def add_note(
        self, order_id: int, note: str, *, customer_note: bool = False, author: str = "system"
    ) -> dict[str, Any]:
        """Add an order note as WooCommerce itself would."""
        with self._lock:
            self._next_note += 1
            now = self.clock()
            base = f"{self.base_url}{_PREFIX}/orders/{order_id}"
            entry = {
                "id": self._next_note,
                "author": author,
                "date_created": self._local(now),
                "date_created_gmt": now.astimezone(UTC).strftime(_FMT),
                "note": note,
                "customer_note": customer_note,
                "_links": {
                    "self": [{"href": f"{base}/notes/{self._next_note}"}],
                    "collection": [{"href": f"{base}/notes"}],
                    "up": [{"href": base}],
                },
            }
            self.notes.setdefault(order_id, []).append(entry)
            return entry

    # -- HTTP

    def _error_body(self, status: int) -> Any:
        return _server_error(status)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        route = split_path(_ROUTES, request.method, request.url.path)
        if route is None:
            return wp_error(
                404, "rest_no_route", "No route was found matching the URL and request method."
            )
        if not self._authorized(request):
            return _unauthorized(route.name)
        if self.read_only and request.method != "GET":
            return _unauthorized(route.name)
        with self._lock:
            try:
                if route.name == "list":
                    return self._list(request)
                if route.name == "create":
                    return self._create(request)
                if route.name == "customers":
                    return self._customers(request)
                order = self.orders.get(int(route.params["id"]))
                if order is None or (order.get("status") == "trash" and route.name != "get"):
                    return wp_error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
                if route.name == "get":
                    return json_response(200, order)
                if route.name == "update":
                    return self._update(request, order)
                if route.name == "notes":
                    return self._notes(request, order)
                if route.name == "add_note":
                    return self._post_note(request, order)
                if route.name == "refunds":
                    return json_response(200, list(reversed(self.refunds.get(order["id"], []))))
                if route.name == "add_refund":
                    return self._post_refund(request, order)
                return self._note(order, int(route.params["note"]))
            except _InvalidParamsError as exc:
                return wp_error(
                    400, "rest_invalid_param", f"Invalid parameter(s): {exc}", params=exc.params
                )

    def _authorized(self, request: httpx.Request) -> bool:
        header = request.headers.get("authorization", "")
        if header[:6].lower() == "basic ":
            try:
                user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            except ValueError:
                return False
            return user == self.consumer_key and password == self.consumer_secret
        params = request.url.params
        return bool(
            params.get("consumer_key") == self.consumer_key
            and params.get("consumer_secret") == self.consumer_secret
        )

    # -- GET /orders

    def _list(self, request: httpx.Request) -> httpx.Response:
        q = request.url.params
        bad: dict[str, str] = {}
        per_page = _int(q, "per_page", 10, bad, low=1, high=100)
        page = _int(q, "page", 1, bad, low=1)
        offset = _int(q, "offset", None, bad, low=0)
        include = _ints(q, "include", bad)
        exclude = _ints(q, "exclude", bad)
        statuses = _list_param(q, "status") or ["any"]
        allowed = ("any", *STATUSES)
        for i, status in enumerate(statuses):
            if status not in allowed:
                bad[f"status[{i}]"] = f"status[{i}] is not one of {', '.join(allowed)}."
        order_dir = q.get("order", "desc")
        if order_dir not in ("asc", "desc"):
            bad["order"] = "order is not one of asc and desc."
        orderby = q.get("orderby", "date")
        if orderby not in ORDERBY:
            bad["orderby"] = f"orderby is not one of {', '.join(ORDERBY)}."
        gmt = q.get("dates_are_gmt", "false").lower() in ("1", "true")
        bounds = {
            name: self._date(q, name, gmt, bad)
            for name in ("after", "before", "modified_after", "modified_before")
        }
        customer = _int(q, "customer", None, bad, low=0)
        product = _int(q, "product", None, bad, low=0)
        if bad:
            raise _InvalidParamsError(bad)
        suffix = "_gmt" if gmt else ""

        def listed(order: dict[str, Any]) -> bool:
            state = order.get("status")
            if ("any" in statuses and state == "trash") or (
                "any" not in statuses and state not in statuses
            ):
                return False
            if (include and order["id"] not in include) or (exclude and order["id"] in exclude):
                return False
            created = order.get("date_created" + suffix) or ""
            modified = order.get("date_modified" + suffix) or ""
            if bounds["after"] and not created > bounds["after"]:
                return False
            if bounds["before"] and not created < bounds["before"]:
                return False
            if bounds["modified_after"] and not modified > bounds["modified_after"]:
                return False
            if bounds["modified_before"] and not modified < bounds["modified_before"]:
                return False
            if customer is not None and order.get("customer_id") != customer:
                return False
            if product is not None and all(
                li.get("product_id") != product for li in order["line_items"]
            ):
                return False
            return not q.get("search") or _search(order, q["search"])

        rows = [order for order in self.orders.values() if listed(order)]
        key: Callable[[dict[str, Any]], Any]
        if orderby == "include" and include:
            key = lambda o: include.index(o["id"])  # noqa: E731
        elif orderby == "modified":
            key = lambda o: (o.get("date_modified_gmt") or "", o["id"])  # noqa: E731
        elif orderby == "id":
            key = lambda o: o["id"]  # noqa: E731
        else:
            key = lambda o: (o.get("date_created_gmt") or "", o["id"])  # noqa: E731
        rows.sort(key=key, reverse=order_dir == "desc" and orderby != "include")
        if self.listed_copies:
            extras: dict[int, list[dict[str, Any]]] = {}
            for after, extra in self.listed_copies:
                if listed(extra):
                    extras.setdefault(after, []).append(extra)
            rows = [o for order in rows for o in (order, *extras.get(order["id"], ()))]
        total = len(rows)
        pages = math.ceil(total / per_page)
        start = offset if offset is not None else (page - 1) * per_page
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        links = []
        if page > 1 and pages:
            links.append(
                f'<{request.url.copy_set_param("page", min(page - 1, pages))}>; rel="prev"'
            )
        if page < pages:
            links.append(f'<{request.url.copy_set_param("page", page + 1)}>; rel="next"')
        if links:
            headers["Link"] = ", ".join(links)
        return json_response(200, rows[start : start + per_page], headers=headers)

    def _date(self, q: httpx.QueryParams, name: str, gmt: bool, bad: dict[str, str]) -> str:
        value = q.get(name)
        if not value:
            return ""
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            bad[name] = "Invalid date."
            return ""
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC if gmt else self.timezone)
        return parsed.strftime(_FMT)

    # -- PUT /orders/{id}

    def _update(self, request: httpx.Request, order: dict[str, Any]) -> httpx.Response:
        body, ok = read_json(request)
        if not ok or not isinstance(body, dict):
            return wp_error(
                400,
                "rest_invalid_json",
                "Invalid JSON body passed.",
                json_error_code=4,
                json_error_message="Syntax error",
            )
        status = body.get("status")
        if status is not None and status not in STATUSES:
            raise _InvalidParamsError({"status": f"status is not one of {', '.join(STATUSES)}."})
        old = order.get("status")
        if "customer_id" in body:
            wanted = int(body.get("customer_id") or 0)
            if wanted and wanted not in self.customers:
                return wp_error(
                    400, "woocommerce_rest_invalid_customer_id", "Customer ID is invalid."
                )
            order["customer_id"] = wanted
        for key in ("customer_note", "transaction_id", "payment_method", "payment_method_title"):
            if key in body:
                order[key] = body[key]
        for key in ("billing", "shipping"):
            if isinstance(body.get(key), dict):
                order.setdefault(key, {}).update(body[key])
        if isinstance(body.get("meta_data"), list):
            self._merge_meta(order, body["meta_data"])
        # WooCommerce's payment_complete() acts only from these statuses, silently otherwise.
        if body.get("set_paid") and old in PAYABLE and not order.get("date_paid_gmt"):
            now = self.clock()
            order["date_paid"], order["date_paid_gmt"] = (
                self._local(now),
                now.astimezone(UTC).strftime(_FMT),
            )
            status = status or "processing"
        if status is not None and status != old:
            order["status"] = status
            self._status_changed(order, str(old), status)
        self._touch(order)
        return json_response(200, order)

    def _merge_meta(self, order: dict[str, Any], entries: list[Any]) -> None:
        meta = order.setdefault("meta_data", [])
        for entry in entries:
            if not isinstance(entry, dict) or "key" not in entry:
                continue
            found = next((m for m in meta if m.get("key") == entry["key"]), None)
            if found is not None:
                found["value"] = entry.get("value")
            else:
                meta.append(
                    {
                        "id": 20_000 + len(meta) + int(order["id"]),
                        "key": entry["key"],
                        "value": entry.get("value"),
                    }
                )

    def _status_changed(self, order: dict[str, Any], old: str, new: str) -> None:
        if new == "completed":
            now = self.clock()
            order["date_completed"] = self._local(now)
            order["date_completed_gmt"] = now.astimezone(UTC).strftime(_FMT)
        before, after = STATUS_LABELS.get(old, old), STATUS_LABELS.get(new, new)
        self.add_note(int(order["id"]), f"Order status changed from {before} to {after}.")

    def _touch(self, order: dict[str, Any]) -> None:
        now = self.clock()
        order["date_modified"] = self._local(now)
        order["date_modified_gmt"] = now.astimezone(UTC).strftime(_FMT)

    def _local(self, moment: datetime) -> str:
        return moment.astimezone(self.timezone).strftime(_FMT)

    # -- notes

    def _notes(self, request: httpx.Request, order: dict[str, Any]) -> httpx.Response:
        kind = request.url.params.get("type", "any")
        if kind not in ("any", "customer", "internal"):
            raise _InvalidParamsError({"type": "type is not one of any, customer and internal."})
        notes = [
            n
            for n in reversed(self.notes.get(int(order["id"]), []))
            if kind == "any" or n["customer_note"] == (kind == "customer")
        ]
        return json_response(200, notes)

    def _post_note(self, request: httpx.Request, order: dict[str, Any]) -> httpx.Response:
        body, ok = read_json(request)
        if not ok or not isinstance(body, dict):
            return wp_error(400, "rest_invalid_json", "Invalid JSON body passed.")
        if not body.get("note"):
            return wp_error(
                400, "rest_missing_callback_param", "Missing parameter(s): note", params=["note"]
            )
        author = "Atelier Lumen API" if body.get("added_by_user") else "system"
        note = self.add_note(
            int(order["id"]),
            str(body["note"]),
            customer_note=bool(body.get("customer_note")),
            author=author,
        )
        return json_response(201, note)

    def _create(self, request: httpx.Request) -> httpx.Response:
        """`POST /orders`: the lines name products; prices here are 0 (a sandbox has no catalog)."""
        body, ok = read_json(request)
        if not ok or not isinstance(body, dict):
            return wp_error(400, "rest_invalid_json", "Invalid JSON body passed.")
        status = body.get("status") or "pending"
        if status not in STATUSES:
            raise _InvalidParamsError({"status": f"status is not one of {', '.join(STATUSES)}."})
        next_id = max(self.orders, default=1000) + 1
        lines = []
        for n, line in enumerate(body.get("line_items") or []):
            if not isinstance(line, dict) or not line.get("product_id"):
                raise _InvalidParamsError({"line_items": "line_items needs product_id."})
            lines.append(
                {
                    "id": next_id * 10 + n,
                    "name": f"Product {line['product_id']}",
                    "product_id": int(line["product_id"]),
                    "variation_id": int(line.get("variation_id") or 0),
                    "quantity": int(line.get("quantity") or 1),
                    "price": 0,
                    "subtotal": "0.00",
                    "total": "0.00",
                    "sku": "",
                    "meta_data": [],
                }
            )
        order = {
            key: body[key]
            for key in ("billing", "shipping", "customer_note", "payment_method",
                        "payment_method_title", "meta_data", "currency")
            if key in body
        }  # fmt: skip
        order.update(
            id=next_id, status=status, line_items=lines, created_via="rest-api", total="0.00"
        )
        created = self.add_order(order)
        if body.get("set_paid"):
            now = self.clock()
            created["date_paid"] = self._local(now)
            created["date_paid_gmt"] = now.astimezone(UTC).strftime(_FMT)
        return json_response(201, created)

    def _post_refund(self, request: httpx.Request, order: dict[str, Any]) -> httpx.Response:
        """`POST orders/<id>/refunds` as WooCommerce takes it: the amount (or the lines'
        refund_total) at most what is left to refund, line quantities at most what is left of
        each line, `api_refund` (default true) only through a gateway that can refund."""
        body, ok = read_json(request)
        if not ok or not isinstance(body, dict):
            return wp_error(400, "rest_invalid_json", "Invalid JSON body passed.")
        by_id = {int(li["id"]): li for li in order.get("line_items") or []}
        refunded_units: dict[int, int] = {}
        for refund in self.refunds.get(int(order["id"]), []):
            for line in refund["line_items"]:
                target = int(line["meta_data"][0]["value"])
                refunded_units[target] = refunded_units.get(target, 0) - int(line["quantity"])
        lines: dict[int, int] = {}
        computed = 0.0
        for entry in body.get("line_items") or []:
            if not isinstance(entry, dict) or int(entry.get("id", 0)) not in by_id:
                continue
            line_id, units = int(entry["id"]), int(entry.get("quantity") or 0)
            left = int(by_id[line_id].get("quantity") or 0) - refunded_units.get(line_id, 0)
            if units > left:
                return wp_error(
                    500, "woocommerce_rest_cannot_create_order_refund", "Invalid refund quantity."
                )
            lines[line_id] = units
            computed += float(entry.get("refund_total") or 0)
        amount = body.get("amount")
        money = float(amount) if amount not in (None, "") else computed
        if money <= 0 and not lines:
            return wp_error(
                400,
                "woocommerce_rest_invalid_order_refund",
                "Refund amount must be greater than zero.",
            )
        already = sum(float(r["amount"]) for r in self.refunds.get(int(order["id"]), []))
        if money > float(order.get("total") or 0) - already + 1e-9:
            return wp_error(
                500, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount."
            )
        through_gateway = body.get("api_refund", True) is not False
        if through_gateway and money > 0 and order.get("payment_method") in OFFLINE_GATEWAYS:
            return wp_error(
                500,
                "woocommerce_rest_cannot_create_order_refund",
                "The payment gateway for this order does not support automatic refunds.",
            )
        entry = self.refund(
            int(order["id"]), lines, reason=str(body.get("reason") or ""), amount=f"{money:.2f}"
        )
        entry["refunded_payment"] = through_gateway and money > 0
        return json_response(201, entry)

    def _customers(self, request: httpx.Request) -> httpx.Response:
        """`GET customers`: `search` in names, e-mail and login; `email` exact; `role`."""
        q = request.url.params
        term = (q.get("search") or "").strip().lower()
        email = (q.get("email") or "").strip().lower()
        role = q.get("role") or "customer"
        rows = [
            c
            for c in self.customers.values()
            if (role == "all" or c["role"] == role)
            and (not email or c["email"].lower() == email)
            and (
                not term
                or any(
                    term in str(c[k]).lower()
                    for k in ("first_name", "last_name", "email", "username")
                )
            )
        ]
        per_page = int(q.get("per_page") or 10)
        return json_response(200, rows[:per_page])

    def _note(self, order: dict[str, Any], note_id: int) -> httpx.Response:
        for note in self.notes.get(int(order["id"]), []):
            if note["id"] == note_id:
                return json_response(200, note)
        return wp_error(404, "woocommerce_rest_invalid_id", "Invalid resource ID.")


def _unauthorized(route: str) -> httpx.Response:
    if route in ("update", "add_refund"):
        return wp_error(
            401, "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."
        )
    if route in ("add_note", "create"):
        return wp_error(
            401, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."
        )
    message = (
        "Sorry, you cannot list resources."
        if route in ("list", "notes")
        else "Sorry, you cannot view this resource."
    )
    return wp_error(401, "woocommerce_rest_cannot_view", message)


def _server_error(status: int) -> dict[str, Any]:
    if status == 429:  # from the host or its firewall, not WooCommerce: no documented body
        return {
            "code": "too_many_requests",
            "message": "Too Many Requests",
            "data": {"status": 429},
        }
    return {
        "code": "internal_server_error",
        "message": "<p>There has been a critical error on this website.</p>",
        "data": {"status": status},
    }


def _list_param(q: httpx.QueryParams, name: str) -> list[str]:
    """A PHP array parameter: `name[]` repeated, or `name` as a comma list (last one wins)."""
    if f"{name}[]" in q:
        return [v for v in q.get_list(f"{name}[]") if v != ""]
    values = q.get_list(name)
    if not values:
        return []
    return [part.strip() for part in values[-1].split(",") if part.strip()]


def _ints(q: httpx.QueryParams, name: str, bad: dict[str, str]) -> list[int]:
    out = []
    for i, value in enumerate(_list_param(q, name)):
        if not value.isdigit():
            bad[f"{name}[{i}]"] = f"{name}[{i}] is not of type integer."
            continue
        out.append(int(value))
    return out


def _int(
    q: httpx.QueryParams,
    name: str,
    default: int | None,
    bad: dict[str, str],
    *,
    low: int | None = None,
    high: int | None = None,
) -> Any:
    values = q.get_list(name)
    if not values:
        return default
    value = values[-1]
    if not value.lstrip("-").isdigit():
        bad[name] = f"{name} is not of type integer."
        return default
    number = int(value)
    if low is not None and high is not None and not low <= number <= high:
        bad[name] = f"{name} must be between {low} (inclusive) and {high} (inclusive)"
    elif low is not None and number < low:
        bad[name] = f"{name} must be greater than or equal to {low}"
    return number


def _search(order: dict[str, Any], term: str) -> bool:
    term = term.lower()
    billing = order.get("billing") or {}
    shipping = order.get("shipping") or {}
    haystack = [
        str(order.get("number", "")),
        *(str(v) for v in billing.values()),
        *(str(v) for v in shipping.values()),
        *(str(li.get("name", "")) for li in order.get("line_items", [])),
    ]
    return any(term in value.lower() for value in haystack)
