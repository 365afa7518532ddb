"""A sandbox Shopify shop speaking the Admin GraphQL API (`POST /admin/api/<version>/graphql.json`).

Queries are parsed, validated and executed by graphql-core against the subset of Shopify's schema
in `sandbox_shopify_schema.py`, so a field or argument Shopify would reject is rejected here too.
Served: `shop`, `orders(first|last, after|before, query, sortKey, reverse)` with cursors and
pageInfo, `order(id:)`, `node(id:)`, `nodes(ids:)`, `fulfillmentOrder(id:)`, an order's
`lineItems`, `fulfillmentOrders` and `fulfillments`; mutations `fulfillmentCreate` (a closed
fulfillment order refuses a second fulfillment with a userError, as Shopify does), `orderUpdate`
(note, tags, customAttributes, email), `orderClose`, `orderOpen`, `orderCancel` and
`orderMarkAsPaid` (refused with Shopify's userError for an order paid, refunded, voided or
cancelled already). The schema is the 2026-04 version's subset; a request naming a version
Shopify no longer serves is answered by the oldest one served (`X-Shopify-API-Version` says which).

Auth is the `X-Shopify-Access-Token` header; a wrong one is a 401 `{"errors": "[API] Invalid API
key or access token ..."}`. The cost-based throttle is Shopify's leaky bucket: every answer carries
`extensions.cost` (requestedQueryCost, actualQueryCost, throttleStatus{maximumAvailable,
currentlyAvailable, restoreRate}); a query costing more than is available gets
`{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}]}` and no data. Faults
(429 with Retry-After, 500, timeouts, drops, malformed JSON) come from the shared queue.

Orders go in as REST payloads (the fixtures' and the demo's shape) and are served as GraphQL nodes.
"""

from __future__ import annotations

import copy
import functools
import itertools
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    OperationDefinitionNode,
    execute,
    get_directive_values,
    parse,
    validate,
)

from podtui.sandbox.http import Fault, SandboxServer, json_response, read_json
from podtui.sandbox.shopify_data import (
    SearchQuery,
    gid,
    kind_of,
    legacy_of,
    line_node,
    money,
    now_z,
    order_node,
    page,
)
from podtui.sandbox.shopify_schema import (
    MAX_SINGLE_QUERY_COST,
    SCHEMA,
    SUPPORTED_VERSIONS,
    actual_cost,
    requested_cost,
)

DEFAULT_BASE_URL = "https://podtui-sandbox.myshopify.com"
_PATH = re.compile(r"/admin/api/(?P<version>[\w-]+)/graphql\.json")
MAX_PAGE = 250  # Shopify's largest `first`/`last`
_OPEN_ACTIONS = [
    {"action": a}
    for a in ("CREATE_FULFILLMENT", "REQUEST_FULFILLMENT", "HOLD", "MOVE", "MARK_AS_OPEN")
]
UNAUTHORIZED = "[API] Invalid API key or access token (unrecognized login or wrong password)"


class SandboxShopify(SandboxServer):
    """A Shopify shop in memory; tests add and change orders and read what was asked."""

    def __init__(
        self,
        orders: Iterable[dict[str, Any]] = (),
        *,
        base_url: str = DEFAULT_BASE_URL,
        token: str = "shpat_sandbox",
        shop_name: str = "Podtui Sandbox",
        currency: str = "USD",
        plan: str = "Basic",
        maximum_available: float = 2000.0,
        restore_rate: float = 100.0,
        clock: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.shop_name = shop_name
        self.currency = currency
        self.plan = plan
        self.clock = clock or (lambda: datetime.now(UTC))
        self.monotonic = monotonic
        self.maximum_available = float(maximum_available)
        self.restore_rate = float(restore_rate)
        self.currently_available = float(maximum_available)
        self._bucket_at = monotonic()
        self.orders: dict[int, dict[str, Any]] = {}
        self.lines: dict[int, list[dict[str, Any]]] = {}
        self.fulfillment_orders: dict[int, dict[str, Any]] = {}
        self.fulfillments: dict[int, list[dict[str, Any]]] = {}
        self._fo_index: dict[int, list[int]] = {}  # order id -> its fulfillment order ids
        self.notified: list[tuple[str, bool]] = []  # (fulfillment gid, notifyCustomer)
        self.throttled = 0  # how many queries the bucket refused
        self.versions: list[str] = []  # the API version each request named
        self.marked_paid: list[int] = []  # orders orderMarkAsPaid marked, in order
        self.cancelled: list[dict[str, Any]] = []  # each orderCancel taken, with its options
        self.refund_records: dict[int, list[dict[str, Any]]] = {}  # order id -> its refunds
        self.refunded_money: dict[int, Decimal] = {}  # order id -> money refunded so far
        self.refund_inputs: list[dict[str, Any]] = []  # each refundCreate taken, as sent
        self._idempotent: dict[str, tuple[Any, dict[str, Any]]] = {}  # key -> (input, result)
        self.customers: dict[int, dict[str, Any]] = {}  # the shop's customer accounts
        self.returns: dict[int, list[dict[str, Any]]] = {}  # order id -> its returns
        self.events: dict[int, list[dict[str, Any]]] = {}  # order id -> its events, oldest first
        self.app_title = "podtui"  # the custom app whose token podtui holds
        self._ids = itertools.count(5_000_000_000)
        for order in orders:
            self.add_order(order)

    # -- state, for tests and the demo

    def add_order(self, rest: dict[str, Any]) -> dict[str, Any]:
        """Store a REST-shaped order (fixture or demo payload); returns its GraphQL node."""
        with self._lock:
            rest = copy.deepcopy(rest)
            rest.setdefault("id", max(self.orders, default=450789000) + 1)
            now = now_z(self.clock)
            rest.setdefault("created_at", now)
            node = order_node(rest)
            legacy = int(rest["id"])
            currency = node["currencyCode"]
            lines = [line_node(li, currency) for li in rest.get("line_items") or []]
            for line in lines:
                line["refundableQuantity"] = line["currentQuantity"]
            self.orders[legacy] = node
            self.lines[legacy] = lines
            self.fulfillments[legacy] = []
            shippable = [li for li in lines if li["requiresShipping"]]
            if shippable:
                done = node["displayFulfillmentStatus"] == "FULFILLED"
                status = "CLOSED" if done or node["cancelledAt"] else "OPEN"
                self._new_fulfillment_order(legacy, shippable, status, fulfilled=done)
            return node

    def update_order(self, order_id: int, **changes: Any) -> dict[str, Any]:
        """Change GraphQL fields of an order as the merchant would; `updatedAt` moves on."""
        with self._lock:
            node = self.orders[order_id]
            node.update(changes)
            if "updatedAt" not in changes:
                node["updatedAt"] = now_z(self.clock)
            return node

    def add_event(
        self, order_id: int, message: str, *, action: str = "", app_title: str | None = None
    ) -> dict[str, Any]:
        """An event on the order's timeline in the Shopify admin: by staff, or by an app."""
        with self._lock:
            event = {
                "__typename": "BasicEvent",
                "id": gid("BasicEvent", next(self._ids)),
                "action": action or "update",
                "appTitle": app_title,
                "attributeToApp": app_title is not None,
                "attributeToUser": app_title is None,
                "createdAt": now_z(self.clock),
                "criticalAlert": False,
                "message": message,
            }
            self.events.setdefault(order_id, []).append(event)
            return event

    def refund_line(self, order_id: int, line_id: int, quantity: int) -> dict[str, Any]:
        """Refund (or remove in an order edit) `quantity` units of a line, as the merchant would.

        `currentQuantity` drops, the unfulfilled units leave the fulfillment order, and the
        financial status becomes PARTIALLY_REFUNDED (REFUNDED once nothing is left).
        """
        with self._lock:
            node = self.orders[order_id]
            target = gid("LineItem", line_id)
            for line in self.lines[order_id]:
                if line["id"] == target:
                    line["currentQuantity"] = max(0, int(line["currentQuantity"]) - quantity)
                    line["refundableQuantity"] = line["currentQuantity"]
            for fo in self._fos_of(order_id):
                for fo_line in fo["lines"]:
                    if fo_line["line"]["id"] == target:
                        taken = min(quantity, fo_line["remaining"])
                        fo_line["remaining"] -= taken
                        fo_line["total"] -= taken
            left = sum(int(li["currentQuantity"]) for li in self.lines[order_id])
            node["displayFinancialStatus"] = "REFUNDED" if left == 0 else "PARTIALLY_REFUNDED"
            node["updatedAt"] = now_z(self.clock)
            return node

    def fulfill(self, order_id: int) -> dict[str, Any]:
        """Fulfil every open unit of the order in one fulfillment, as the merchant would."""
        with self._lock:
            plan = [
                (fo, line, line["remaining"])
                for fo in self._fos_of(order_id)
                for line in fo["lines"]
                if line["remaining"] > 0
            ]
            now = now_z(self.clock)
            for fo, line, _ in plan:
                line["remaining"] = 0
                fo["status"], fo["updatedAt"] = "CLOSED", now
            legacy = next(self._ids)
            existing = self.fulfillments.setdefault(order_id, [])
            record: dict[str, Any] = {
                "__typename": "Fulfillment",
                "id": gid("Fulfillment", legacy),
                "legacyResourceId": str(legacy),
                "name": f"{self.orders[order_id]['name']}-F{len(existing) + 1}",
                "status": "SUCCESS",
                "createdAt": now,
                "updatedAt": now,
                "trackingInfo": [],
                "fulfillmentLineItems": [
                    {
                        "__typename": "FulfillmentLineItem",
                        "id": gid("FulfillmentLineItem", next(self._ids)),
                        "quantity": units,
                        "lineItem": line["line"],
                    }
                    for _, line, units in plan
                ],
            }
            existing.append(record)
            self.orders[order_id]["displayFulfillmentStatus"] = "FULFILLED"
            self.orders[order_id]["updatedAt"] = now
            return record

    def add_customer(self, first: str, last: str, email: str) -> dict[str, Any]:
        """A customer account, as the Shopify admin would make it."""
        with self._lock:
            legacy = 7_000_000 + len(self.customers) + 1
            node = {
                "__typename": "Customer",
                "id": gid("Customer", legacy),
                "legacyResourceId": str(legacy),
                "firstName": first,
                "lastName": last,
                "displayName": f"{first} {last}".strip(),
                "email": email,
                "defaultEmailAddress": {"emailAddress": email},
                "phone": None,
            }
            self.customers[legacy] = node
            return node

    def drain(self, points: float) -> None:
        """Spend `points` of the bucket, as another app on the same shop would."""
        with self._lock:
            self._restore()
            self.currently_available = max(0.0, self.currently_available - points)

    def fulfillments_of(self, order_id: int) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.fulfillments.get(order_id, []))

    def _fos_of(self, order_id: int) -> list[dict[str, Any]]:
        return [self.fulfillment_orders[i] for i in self._fo_index.get(order_id, [])]

    def _new_fulfillment_order(
        self, order_id: int, lines: list[dict[str, Any]], status: str, *, fulfilled: bool
    ) -> None:
        fo_id = next(self._ids)
        now = self.orders[order_id]["createdAt"]
        self._fo_index.setdefault(order_id, []).append(fo_id)
        self.fulfillment_orders[fo_id] = {
            "legacy": fo_id,
            "order": order_id,
            "status": status,
            "requestStatus": "UNSUBMITTED",
            "createdAt": now,
            "updatedAt": now,
            "lines": [
                {
                    "id": gid("FulfillmentOrderLineItem", next(self._ids)),
                    "total": int(li["quantity"] or 0),
                    "remaining": 0 if fulfilled else int(li["quantity"] or 0),
                    "line": li,
                }
                for li in lines
            ],
        }

    # -- HTTP

    def _error_body(self, status: int) -> Any:
        if status == 429:
            return {"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}]}
        if status == 404:
            return {"errors": "Not Found"}
        return {"errors": "Internal Server Error"}

    def _handle(self, request: httpx.Request) -> httpx.Response:
        path = _PATH.fullmatch(request.url.path)
        if request.method != "POST" or path is None:
            return json_response(404, {"errors": "Not Found"})
        asked = path.group("version")
        self.versions.append(asked)
        served = asked if asked in SUPPORTED_VERSIONS else SUPPORTED_VERSIONS[0]
        if request.headers.get("x-shopify-access-token") != self.token:
            return json_response(401, {"errors": UNAUTHORIZED})
        body, ok = read_json(request)
        if not ok or not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return json_response(
                400, {"errors": {"query": "Required parameter missing or invalid"}}
            )
        variables = body.get("variables") or {}
        with self._lock:
            answer = self._execute(body["query"], variables, body)
        return json_response(200, answer, headers={"X-Shopify-API-Version": served})

    def _execute(self, query: str, variables: Any, body: dict[str, Any]) -> dict[str, Any]:
        try:
            document, problems = _checked(query)
        except GraphQLError as exc:
            return {"errors": [_error(exc.message, "parseError", exc)]}
        if problems:
            return {"errors": [_error(p.message, "undefinedField", p) for p in problems]}
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        wanted = body.get("operationName")
        operation = next(
            (o for o in operations if wanted is None or (o.name and o.name.value == wanted)),
            operations[0],
        )
        is_mutation = operation.operation.value == "mutation"
        cost = requested_cost(document, operation, variables if isinstance(variables, dict) else {})
        if cost > MAX_SINGLE_QUERY_COST:
            message = (
                f"Query cost is {cost}, which exceeds the single query max cost limit "
                f"({MAX_SINGLE_QUERY_COST})."
            )
            return {
                "errors": [{"message": message, "extensions": {"code": "MAX_COST_EXCEEDED"}}],
                "extensions": self._cost(cost, None),
            }
        self._restore()
        if cost > self.currently_available:
            self.throttled += 1
            return {
                "errors": [
                    {
                        "message": "Throttled",
                        "extensions": {
                            "code": "THROTTLED",
                            "documentation": "https://shopify.dev/api/usage/rate-limits",
                        },
                    }
                ],
                "extensions": self._cost(cost, None),
            }
        self.currently_available -= cost
        context: dict[str, Any] = {"warnings": []}
        result = execute(
            SCHEMA,
            document,
            root_value=self._root(),
            context_value=context,
            variable_values=variables if isinstance(variables, dict) else None,
            operation_name=wanted,
        )
        assert isinstance(result, ExecutionResult)  # the resolvers are synchronous
        spent = min(cost, actual_cost(result.data, mutation=is_mutation))
        self.currently_available = min(
            self.maximum_available, self.currently_available + (cost - spent)
        )
        out: dict[str, Any] = {"data": result.data}
        if result.errors:
            out["errors"] = [e.formatted for e in result.errors]
        out["extensions"] = self._cost(cost, spent)
        if context["warnings"]:
            out["extensions"]["search"] = context["warnings"]
        return out

    def _restore(self) -> None:
        now = self.monotonic()
        self.currently_available = min(
            self.maximum_available,
            self.currently_available + (now - self._bucket_at) * self.restore_rate,
        )
        self._bucket_at = now

    def _cost(self, requested: int, actual: int | None) -> dict[str, Any]:
        return {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": actual,
                "throttleStatus": {
                    "maximumAvailable": self.maximum_available,
                    "currentlyAvailable": int(self.currently_available),
                    "restoreRate": self.restore_rate,
                },
            }
        }

    # -- the graph

    def _root(self) -> dict[str, Any]:
        host = httpx.URL(self.base_url).host
        return {
            "shop": {
                "__typename": "Shop",
                "id": gid("Shop", 548380009),
                "name": self.shop_name,
                "email": f"owner@{host}",
                "myshopifyDomain": host,
                "currencyCode": self.currency,
                "ianaTimezone": "America/New_York",
                "plan": {
                    "displayName": self.plan,
                    "partnerDevelopment": False,
                    "shopifyPlus": self.plan == "Shopify Plus",
                },
            },
            "orders": self._orders,
            "order": lambda info, id: self._node(id, "Order"),
            "node": lambda info, id: self._node(id, None),
            "nodes": lambda info, ids: [self._node(i, None) for i in ids],
            "fulfillmentOrder": lambda info, id: self._node(id, "FulfillmentOrder"),
            "fulfillmentCreate": self._fulfillment_create,
            "orderUpdate": self._order_update,
            "orderClose": lambda info, input: self._order_close(input, closed=True),
            "orderOpen": lambda info, input: self._order_close(input, closed=False),
            "orderCancel": self._order_cancel,
            "orderMarkAsPaid": self._order_mark_as_paid,
            "refundCreate": self._refund_create,
            "customers": self._customers,
            "currentAppInstallation": {
                "id": gid("AppInstallation", 1),
                "app": {"id": gid("App", 1), "title": self.app_title},
            },
            "orderCustomerSet": self._order_customer_set,
            "returnCreate": self._return_create,
        }

    def _node(self, global_id: str, want: str | None) -> dict[str, Any] | None:
        kind, legacy = kind_of(global_id), legacy_of(global_id)
        if not legacy:
            raise GraphQLError(f"Invalid global id '{global_id}'")
        if want is not None and kind != want:
            return None
        if kind == "Order" and int(legacy) in self.orders:
            return self._served_order(int(legacy))
        if kind == "FulfillmentOrder" and int(legacy) in self.fulfillment_orders:
            return self._served_fo(self.fulfillment_orders[int(legacy)])
        return None

    def _orders(self, info: Any, **args: Any) -> dict[str, Any]:
        first, last = args.get("first"), args.get("last")
        if first is None and last is None:
            raise GraphQLError("you must provide one of first or last")
        for name, value in (("first", first), ("last", last)):
            if value is not None and not 0 <= value <= MAX_PAGE:
                raise GraphQLError(f"The {name} argument must be between 0 and {MAX_PAGE}.")
        search = SearchQuery(args.get("query"))
        for field in search.unknown:
            info.context["warnings"].append(
                {
                    "path": ["orders"],
                    "query": search.text,
                    "warnings": [
                        {"field": field, "message": "Invalid search field for this query."}
                    ],
                }
            )
        sort = args.get("sortKey") or "ID"
        rows = [n for n in self.orders.values() if search.matches(n)]
        keys = [(_sort_value(n, sort), int(n["legacyResourceId"])) for n in rows]
        order = sorted(
            range(len(rows)), key=lambda i: _safe_key(keys[i]), reverse=bool(args.get("reverse"))
        )
        connection = page(
            [int(rows[i]["legacyResourceId"]) for i in order],
            [keys[i] for i in order],
            first=first,
            after=args.get("after"),
            last=last,
            before=args.get("before"),
            reverse=bool(args.get("reverse")),
        )
        # Only the page's orders are dressed with their connections: a big shop stays fast.
        for edge in connection["edges"]:
            edge["node"] = self._served_order(edge["node"])
        connection["nodes"] = [edge["node"] for edge in connection["edges"]]
        return connection

    def _served_order(self, legacy: int) -> dict[str, Any]:
        node = dict(self.orders[legacy])
        lines = self.lines[legacy]
        node["lineItems"] = lambda info, **a: _connection(lines, a)
        node["fulfillmentOrders"] = lambda info, **a: _connection(
            [self._served_fo(fo) for fo in self._fos_of(legacy)], a
        )
        fulfillments = self.fulfillments.get(legacy, [])
        node["fulfillments"] = lambda info, first=None: [
            self._served_fulfillment(f) for f in fulfillments[: first or None]
        ]
        refunds = self.refund_records.get(legacy, [])
        node["refunds"] = lambda info, first=None: refunds[: first or None]
        node["transactions"] = lambda info, first=None: self._transactions(legacy)[: first or None]
        node["events"] = lambda info, **a: _connection(
            sorted(self.events.get(legacy, []), key=lambda e: e["createdAt"], reverse=True)
            if a.get("reverse")
            else self.events.get(legacy, []),
            a,
        )
        node["totalRefundedSet"] = money(
            f"{self.refunded_money.get(legacy, Decimal(0)):.2f}", node["currencyCode"]
        )
        node["suggestedRefund"] = lambda info, **a: self._suggested_refund(legacy, a)
        returns = self.returns.get(legacy, [])
        node["returns"] = lambda info, **a: _connection(
            [self._served_return(r) for r in returns], a
        )
        node["returnStatus"] = "IN_PROGRESS" if returns else "NO_RETURN"
        return node

    def _served_return(self, record: dict[str, Any]) -> dict[str, Any]:
        served = dict(record)
        items = record["returnLineItems"]
        served["returnLineItems"] = lambda info, **a: _connection(items, a)
        return served

    # -- money of an order: what was received, what was refunded

    def _received(self, legacy: int) -> Decimal:
        node = self.orders[legacy]
        if node.get("displayFinancialStatus") not in _RECEIVED:
            return Decimal(0)
        return Decimal(str(node["totalPriceSet"]["shopMoney"]["amount"]))

    def _net(self, legacy: int) -> Decimal:
        return self._received(legacy) - self.refunded_money.get(legacy, Decimal(0))

    def _transactions(self, legacy: int) -> list[dict[str, Any]]:
        if self._received(legacy) <= 0:
            return []
        node = self.orders[legacy]
        gateways = node.get("paymentGatewayNames") or ["manual"]
        return [
            {
                "__typename": "OrderTransaction",
                "id": gid("OrderTransaction", legacy * 10 + 1),
                "kind": "SALE",
                "status": "SUCCESS",
                "gateway": gateways[0],
                "amountSet": money(str(self._received(legacy)), node["currencyCode"]),
                "parentTransaction": None,
            }
        ]

    def _suggested_refund(self, legacy: int, args: dict[str, Any]) -> dict[str, Any]:
        node = self.orders[legacy]
        currency = node["currencyCode"]
        by_id = {line["id"]: line for line in self.lines[legacy]}
        subtotal = Decimal(0)
        for item in args.get("refundLineItems") or []:
            line = by_id.get(item["lineItemId"])
            if line is None:
                continue
            units = min(int(item["quantity"]), int(line["refundableQuantity"]))
            price = Decimal(str(line["originalUnitPriceSet"]["shopMoney"]["amount"]))
            subtotal += price * units
        shipping = Decimal(str(args.get("shippingAmount") or 0))
        maximum = self._net(legacy)
        amount = min(subtotal + shipping, maximum)
        suggested = [
            {
                "gateway": t["gateway"],
                "kind": "SUGGESTED_REFUND",
                "amountSet": money(f"{amount:.2f}", currency),
                "parentTransaction": t,
            }
            for t in self._transactions(legacy)
            if amount > 0
        ]
        return {
            "amountSet": money(f"{amount:.2f}", currency),
            "maximumRefundableSet": money(f"{maximum:.2f}", currency),
            "subtotalSet": money(f"{subtotal:.2f}", currency),
            "totalTaxSet": money("0.00", currency),
            "shipping": {
                "amountSet": money(f"{shipping:.2f}", currency),
                "maximumRefundableSet": money(f"{maximum:.2f}", currency),
            },
            "suggestedTransactions": suggested,
        }

    def _served_fo(self, fo: dict[str, Any]) -> dict[str, Any]:
        open_ = fo["status"] in ("OPEN", "IN_PROGRESS")
        items = [
            {
                "__typename": "FulfillmentOrderLineItem",
                "id": line["id"],
                "totalQuantity": line["total"],
                "remainingQuantity": line["remaining"],
                "lineItem": line["line"],
            }
            for line in fo["lines"]
        ]
        return {
            "__typename": "FulfillmentOrder",
            "id": gid("FulfillmentOrder", fo["legacy"]),
            "status": fo["status"],
            "requestStatus": fo["requestStatus"],
            "createdAt": fo["createdAt"],
            "updatedAt": fo["updatedAt"],
            "orderId": gid("Order", fo["order"]),
            "supportedActions": _OPEN_ACTIONS if open_ else [],
            "lineItems": lambda info, **a: _connection(items, a),
        }

    def _served_fulfillment(self, f: dict[str, Any]) -> dict[str, Any]:
        served = dict(f)
        tracking = f["trackingInfo"]
        served["trackingInfo"] = lambda info, first=None: tracking[: first or None]
        items = f["fulfillmentLineItems"]
        served["fulfillmentLineItems"] = lambda info, **a: _connection(items, a)
        return served

    # -- mutations

    def _fulfillment_create(
        self, info: Any, fulfillment: dict[str, Any], message: str | None = None
    ) -> dict[str, Any]:
        errors: list[dict[str, Any]] = []
        plan: list[tuple[dict[str, Any], dict[str, Any], int]] = []
        orders: set[int] = set()
        groups = fulfillment.get("lineItemsByFulfillmentOrder") or []
        if not groups:
            errors.append(
                _user_error(["fulfillment"], "Line items by fulfillment order can't be blank.")
            )
        for g in groups:
            fo_gid = g["fulfillmentOrderId"]
            fo = self.fulfillment_orders.get(int(legacy_of(fo_gid) or 0))
            if fo is None:
                errors.append(_user_error(["fulfillment"], "Fulfillment order does not exist."))
                continue
            if fo["status"] not in ("OPEN", "IN_PROGRESS"):
                errors.append(
                    _user_error(
                        ["fulfillment"],
                        f"Fulfillment order {fo_gid} has an unfulfillable status= "
                        f"{fo['status'].lower()}.",
                    )
                )
                continue
            orders.add(fo["order"])
            wanted = g.get("fulfillmentOrderLineItems")
            if wanted is None:
                plan.extend(
                    (fo, line, line["remaining"]) for line in fo["lines"] if line["remaining"]
                )
                continue
            for item in wanted:
                line = next((x for x in fo["lines"] if x["id"] == item["id"]), None)
                if line is None or not 0 < item["quantity"] <= line["remaining"]:
                    errors.append(
                        _user_error(
                            ["fulfillment", "lineItemsByFulfillmentOrder"],
                            "Invalid fulfillment order line item quantity requested.",
                        )
                    )
                    continue
                plan.append((fo, line, item["quantity"]))
        if len(orders) > 1:
            errors.append(
                _user_error(
                    ["fulfillment"], "All fulfillment orders must belong to the same order."
                )
            )
        if not errors and not plan:
            errors.append(_user_error(["fulfillment"], "No line items to fulfill."))
        if errors:
            return {"fulfillment": None, "userErrors": errors}
        order_id = orders.pop()
        now = now_z(self.clock)
        for fo, line, quantity in plan:
            line["remaining"] -= quantity
            left = any(x["remaining"] for x in fo["lines"])
            fo["status"] = "IN_PROGRESS" if left else "CLOSED"
            fo["updatedAt"] = now
        tracking_in = fulfillment.get("trackingInfo") or {}
        numbers = tracking_in.get("numbers") or (
            [tracking_in["number"]] if tracking_in.get("number") else []
        )
        urls = tracking_in.get("urls") or ([tracking_in["url"]] if tracking_in.get("url") else [])
        legacy = next(self._ids)
        existing = self.fulfillments.setdefault(order_id, [])
        order = self.orders[order_id]
        record: dict[str, Any] = {
            "__typename": "Fulfillment",
            "id": gid("Fulfillment", legacy),
            "legacyResourceId": str(legacy),
            "name": f"{order['name']}-F{len(existing) + 1}",
            "status": "SUCCESS",
            "createdAt": now,
            "updatedAt": now,
            "trackingInfo": [
                {
                    "company": tracking_in.get("company"),
                    "number": number,
                    "url": urls[i] if i < len(urls) else None,
                }
                for i, number in enumerate(numbers)
            ],
            "fulfillmentLineItems": [
                {
                    "__typename": "FulfillmentLineItem",
                    "id": gid("FulfillmentLineItem", next(self._ids)),
                    "quantity": quantity,
                    "lineItem": line["line"],
                }
                for _, line, quantity in plan
            ],
        }
        existing.append(record)
        self.notified.append((str(record["id"]), bool(fulfillment.get("notifyCustomer", False))))
        still_open = any(x["remaining"] for fo in self._fos_of(order_id) for x in fo["lines"])
        order["displayFulfillmentStatus"] = "PARTIALLY_FULFILLED" if still_open else "FULFILLED"
        order["updatedAt"] = now
        return {"fulfillment": self._served_fulfillment(record), "userErrors": []}

    def _order_update(self, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        order = self.orders.get(int(legacy_of(input["id"]) or 0))
        if order is None:
            return {"order": None, "userErrors": [_user_error(["id"], "Order does not exist")]}
        for key in ("note", "email", "tags", "customAttributes"):
            if key in input:
                order[key] = copy.deepcopy(input[key])
        order["updatedAt"] = now_z(self.clock)
        return {"order": self._served_order(int(order["legacyResourceId"])), "userErrors": []}

    def _order_close(self, input: dict[str, Any], *, closed: bool) -> dict[str, Any]:
        order = self.orders.get(int(legacy_of(input["id"]) or 0))
        if order is None:
            return {"order": None, "userErrors": [_user_error(["id"], "Order does not exist")]}
        if not closed and order.get("cancelledAt"):
            return {
                "order": self._served_order(int(order["legacyResourceId"])),
                "userErrors": [_user_error(["id"], "A cancelled order cannot be reopened.")],
            }
        now = now_z(self.clock)
        order["closed"] = closed
        order["closedAt"] = now if closed else None
        order["updatedAt"] = now
        self._app_event(order, "Order was archived." if closed else "Order was unarchived.", "")
        return {"order": self._served_order(int(order["legacyResourceId"])), "userErrors": []}

    def _order_cancel(self, info: Any, orderId: str, reason: str, **rest: Any) -> dict[str, Any]:  # noqa: N803
        order = self.orders.get(int(legacy_of(orderId) or 0))
        if order is None:
            error = {"field": ["orderId"], "message": "Order does not exist", "code": "NOT_FOUND"}
            return {"job": None, "orderCancelUserErrors": [error], "userErrors": []}
        if order.get("cancelledAt"):
            error = {
                "field": ["orderId"],
                "message": "Cannot cancel an order that has already been cancelled",
                "code": "INVALID",
            }
            return {"job": None, "orderCancelUserErrors": [error], "userErrors": []}
        if order.get("displayFulfillmentStatus") in ("FULFILLED", "PARTIALLY_FULFILLED"):
            error = {
                "field": ["orderId"],
                "message": "Cannot cancel an order with fulfillments; cancel them first.",
                "code": "INVALID",
            }
            return {"job": None, "orderCancelUserErrors": [error], "userErrors": []}
        now = now_z(self.clock)
        method = rest.get("refundMethod") or {}
        refund = bool(method.get("originalPaymentMethodsRefund") or rest.get("refund"))
        financial = order.get("displayFinancialStatus")
        if refund and financial in ("PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED"):
            order["displayFinancialStatus"] = "REFUNDED"
        elif financial in ("PENDING", "AUTHORIZED"):
            order["displayFinancialStatus"] = "VOIDED"
        self.cancelled.append(
            {
                "order": int(order["legacyResourceId"]),
                "reason": reason,
                "refund": refund,
                "restock": bool(rest.get("restock")),
                "notify": bool(rest.get("notifyCustomer")),
                "staffNote": rest.get("staffNote"),
            }
        )
        order.update(cancelledAt=now, cancelReason=reason, closed=True, closedAt=now, updatedAt=now)
        self._app_event(order, "Order was canceled.", "cancel")
        for fo in self._fos_of(int(order["legacyResourceId"])):
            if fo["status"] != "CLOSED":
                fo["status"], fo["updatedAt"] = "CLOSED", now
        job = {"__typename": "Job", "id": gid("Job", next(self._ids)), "done": False}
        return {"job": job, "orderCancelUserErrors": [], "userErrors": []}

    def _return_create(self, info: Any, returnInput: dict[str, Any]) -> dict[str, Any]:  # noqa: N803
        """returnCreate: an OPEN return of fulfilled units not returned yet."""
        legacy = int(legacy_of(returnInput["orderId"]) or 0)
        if legacy not in self.orders:
            error = {"field": ["orderId"], "message": "Order does not exist", "code": "NOT_FOUND"}
            return {"return": None, "userErrors": [error]}
        fulfilled = {
            item["id"]: item
            for f in self.fulfillments.get(legacy, [])
            for item in f["fulfillmentLineItems"]
        }
        returned: dict[str, int] = {}
        for record in self.returns.get(legacy, []):
            for item in record["returnLineItems"]:
                key = item["fulfillmentLineItem"]["id"]
                returned[key] = returned.get(key, 0) + int(item["quantity"])
        errors = []
        for n, item in enumerate(returnInput["returnLineItems"]):
            target = fulfilled.get(item["fulfillmentLineItemId"])
            left = 0 if target is None else int(target["quantity"]) - returned.get(target["id"], 0)
            if not 0 < item["quantity"] <= left:
                errors.append(
                    {
                        "field": ["returnInput", "returnLineItems", str(n), "quantity"],
                        "message": "Quantity is not available for return.",
                        "code": "INVALID",
                    }
                )
        if errors:
            return {"return": None, "userErrors": errors}
        records = self.returns.setdefault(legacy, [])
        record = {
            "__typename": "Return",
            "id": gid("Return", next(self._ids)),
            "name": f"{self.orders[legacy]['name']}-R{len(records) + 1}",
            "status": "OPEN",
            "returnLineItems": [
                {
                    "__typename": "ReturnLineItem",
                    "id": gid("ReturnLineItem", next(self._ids)),
                    "quantity": item["quantity"],
                    "returnReason": item.get("returnReason"),
                    "returnReasonNote": item.get("returnReasonNote") or "",
                    "fulfillmentLineItem": fulfilled[item["fulfillmentLineItemId"]],
                }
                for item in returnInput["returnLineItems"]
            ],
        }
        records.append(record)
        self.orders[legacy]["updatedAt"] = now_z(self.clock)
        return {"return": self._served_return(record), "userErrors": []}

    def _customers(self, info: Any, **args: Any) -> dict[str, Any]:
        """A bare term matches names and e-mails (any part, any case); `email:` an e-mail."""
        text = str(args.get("query") or "").strip().lower()
        field, _, term = text.partition(":") if text.startswith("email:") else ("", "", text)
        rows = [
            c
            for c in self.customers.values()
            if not term
            or term in str(c["email"]).lower()
            or (field != "email" and term in str(c["displayName"]).lower())
        ]
        return _connection(rows, {"first": args.get("first"), "after": args.get("after")})

    def _order_customer_set(self, info: Any, orderId: str, customerId: str) -> dict[str, Any]:  # noqa: N803
        order = self.orders.get(int(legacy_of(orderId) or 0))
        if order is None:
            error = {"field": ["orderId"], "message": "Order does not exist", "code": "NOT_FOUND"}
            return {"order": None, "userErrors": [error]}
        customer = self.customers.get(int(legacy_of(customerId) or 0))
        if customer is None:
            error = {
                "field": ["customerId"],
                "message": "Customer does not exist",
                "code": "NOT_FOUND",
            }
            return {"order": None, "userErrors": [error]}
        order["customer"] = customer
        order["email"] = customer["email"]
        order["updatedAt"] = now_z(self.clock)
        return {"order": self._served_order(int(order["legacyResourceId"])), "userErrors": []}

    def _refund_create(self, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        """refundCreate under Shopify's idempotency: required from 2026-04; the same key again
        returns the first result, with other input it is an error."""
        directive = SCHEMA.get_directive("idempotent")
        assert directive is not None
        found = get_directive_values(directive, info.field_nodes[0], info.variable_values)
        key = (found or {}).get("key")
        if not key:
            raise GraphQLError(
                "The @idempotent directive is required for this mutation.",
                extensions={"code": "BAD_REQUEST"},
            )
        if key in self._idempotent:
            first_input, result = self._idempotent[key]
            if first_input != input:
                raise GraphQLError(
                    "The idempotency key was used with different parameters.",
                    extensions={"code": "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"},
                )
            return result
        result = self._refund(input)
        self._idempotent[key] = (copy.deepcopy(input), result)
        return result

    def _refund(self, input: dict[str, Any]) -> dict[str, Any]:
        legacy = int(legacy_of(input["orderId"]) or 0)
        order = self.orders.get(legacy)
        if order is None:
            return {
                "refund": None,
                "order": None,
                "userErrors": [_user_error(["orderId"], "Order does not exist")],
            }
        by_id = {line["id"]: line for line in self.lines[legacy]}
        errors = []
        taken: list[tuple[dict[str, Any], int]] = []
        for n, item in enumerate(input.get("refundLineItems") or []):
            line = by_id.get(item["lineItemId"])
            if line is None:
                errors.append(
                    _user_error(["refundLineItems", str(n), "lineItemId"], "Line item not found")
                )
            elif not 0 < item["quantity"] <= int(line["refundableQuantity"]):
                errors.append(
                    _user_error(
                        ["refundLineItems", str(n), "quantity"],
                        "Quantity cannot refund more items than were purchased",
                    )
                )
            else:
                taken.append((line, item["quantity"]))
        amount = sum(
            (Decimal(str(t["amount"])) for t in input.get("transactions") or []), Decimal(0)
        )
        net = self._net(legacy)
        if amount > net:
            errors.append(
                _user_error(
                    ["transactions"],
                    f"Refund amount ${amount:.2f} is greater than net payment received ${net:.2f}",
                )
            )
        if not taken and amount <= 0 and not errors:
            errors.append(_user_error(["refundLineItems"], "Refund must include items or money"))
        if errors:
            return {"refund": None, "order": None, "userErrors": errors}
        self.refund_inputs.append(copy.deepcopy(input))
        for line, units in taken:
            self.refund_line(legacy, int(legacy_of(line["id"])), units)
        self.refunded_money[legacy] = self.refunded_money.get(legacy, Decimal(0)) + amount
        # What Shopify would have calculated (lines and shipping) against what goes back: the
        # difference is kept as an order adjustment with the refund's discrepancy reason.
        calculated = sum(
            (
                Decimal(str(line["originalUnitPriceSet"]["shopMoney"]["amount"])) * units
                for line, units in taken
            ),
            Decimal(str((input.get("shipping") or {}).get("amount") or 0)),
        )
        adjustments = []
        if input.get("transactions") and amount != calculated:
            adjustments.append(
                {
                    "amountSet": money(f"{amount - calculated:.2f}", order["currencyCode"]),
                    "reason": input.get("discrepancyReason") or "REFUND_DISCREPANCY",
                }
            )
        received = self._received(legacy)
        left = sum(int(li["currentQuantity"]) for li in self.lines[legacy])
        full = (received > 0 and self._net(legacy) <= 0) or left == 0
        order["displayFinancialStatus"] = "REFUNDED" if full else "PARTIALLY_REFUNDED"
        order["updatedAt"] = now_z(self.clock)
        refund_id = next(self._ids)
        record = {
            "__typename": "Refund",
            "id": gid("Refund", refund_id),
            "legacyResourceId": str(refund_id),
            "note": input.get("note"),
            "createdAt": order["updatedAt"],
            "totalRefundedSet": money(f"{amount:.2f}", order["currencyCode"]),
            "orderAdjustments": adjustments,
        }
        self.refund_records.setdefault(legacy, []).append(record)
        money_back = f"${amount:.2f} {order['currencyCode']}"
        self._app_event(order, f"A {money_back} refund was made.", "refund")
        return {"refund": record, "order": self._served_order(legacy), "userErrors": []}

    def _app_event(self, order: dict[str, Any], message: str, action: str) -> None:
        """What Shopify writes on the order's timeline when podtui's app changes it."""
        self.add_event(
            int(order["legacyResourceId"]), message, action=action, app_title=self.app_title
        )

    def _order_mark_as_paid(self, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        order = self.orders.get(int(legacy_of(input["id"]) or 0))
        if order is None:
            return {"order": None, "userErrors": [_user_error(["id"], "Order does not exist")]}
        financial = order.get("displayFinancialStatus")
        if order.get("cancelledAt") or financial in _SETTLED_PAYMENT:
            return {
                "order": self._served_order(int(order["legacyResourceId"])),
                "userErrors": [_user_error(["id"], "Order cannot be marked as paid.")],
            }
        order["displayFinancialStatus"] = "PAID"
        order["updatedAt"] = now_z(self.clock)
        self.marked_paid.append(int(order["legacyResourceId"]))
        self._app_event(order, "A manual payment was marked as received.", "mark_as_paid")
        return {"order": self._served_order(int(order["legacyResourceId"])), "userErrors": []}


_RECEIVED = frozenset({"PAID", "PARTIALLY_REFUNDED", "REFUNDED"})
_SETTLED_PAYMENT = frozenset({"PAID", "REFUNDED", "PARTIALLY_REFUNDED", "VOIDED"})


def _sort_value(node: dict[str, Any], sort: str) -> Any:
    if sort == "CREATED_AT":
        return str(node.get("createdAt") or "")
    if sort == "UPDATED_AT":
        return str(node.get("updatedAt") or "")
    if sort == "PROCESSED_AT":
        return str(node.get("processedAt") or "")
    if sort == "ORDER_NUMBER":
        digits = re.sub(r"\D", "", str(node.get("name") or ""))
        return int(digits) if digits else 0
    if sort == "TOTAL_PRICE":
        return float(node["totalPriceSet"]["shopMoney"]["amount"])
    return int(node["legacyResourceId"])


def _safe_key(key: tuple[Any, int]) -> tuple[str, Any, int]:
    return (type(key[0]).__name__, key[0], key[1])


def _connection(rows: list[dict[str, Any]], args: dict[str, Any]) -> dict[str, Any]:
    keys = [(i, i) for i in range(len(rows))]
    return page(
        rows,
        keys,
        first=args.get("first"),
        after=args.get("after"),
        last=args.get("last"),
        before=args.get("before"),
    )


def _user_error(field: list[str], message: str) -> dict[str, Any]:
    return {"field": field, "message": message}


def _error(message: str, code: str, exc: GraphQLError) -> dict[str, Any]:
    locations = [{"line": loc.line, "column": loc.column} for loc in exc.locations or []]
    return {"message": message, "locations": locations, "extensions": {"code": code}}


@dataclass
class GraphQLFault(Fault):
    """A fault for requests whose GraphQL body names `operation` (e.g. "FulfillmentCreate")."""

    operation: str = ""

    def matches(self, request: httpx.Request) -> bool:
        if not super().matches(request):
            return False
        return not self.operation or self.operation in request.content.decode("utf-8", "replace")


@functools.lru_cache(maxsize=256)
def _checked(query: str) -> tuple[DocumentNode, tuple[GraphQLError, ...]]:
    """A query parsed and validated once: clients send the same few documents again and again,
    and validating against the schema is most of the sandbox's time on a busy machine."""
    document = parse(query)
    return document, tuple(validate(SCHEMA, document))
