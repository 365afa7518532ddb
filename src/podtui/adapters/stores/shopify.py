"""The Shopify store adapter: orders in and tracking out through the Admin GraphQL API.

Listing asks `orders(query: "updated_at:>='...'", sortKey: UPDATED_AT)` page by page with cursors;
each page's `cursor` is the newest `updatedAt` read so far, so a sync resumed from it misses
nothing (an order seen twice is harmless: the sync service upserts). Tracking goes back as a
`fulfillmentCreate` against the order's open fulfillment orders, after looking at the fulfillments
the order already has: Shopify has no idempotency key, so a push whose tracking number is already
on the order returns that fulfillment instead of creating a second one.

Constructor convention: `ShopifyAdapter(store_row, secret, *, transport=None)`; the row's
`base_url` is the shop (`https://NAME.myshopify.com`, or a loopback sandbox) and
`settings["api_version"]` the Admin API version.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from podtui.adapters.http import ApiClient, ApiError
from podtui.adapters.stores import shopify_queries as q
from podtui.adapters.stores.base import (
    OrderPage,
    RawReader,
    RefundQuote,
    RefundRequest,
    StoreCustomer,
    StoreNote,
    StoreOrder,
    StoreOrderProblem,
    TrackingPush,
    WriteReceipt,
    write_marker,
)
from podtui.adapters.stores.shopify_gql import SYSTEM, ShopifyGraphQL, shopify_error_parser
from podtui.adapters.stores.shopify_orders import (
    PAYMENT,
    OrderReadError,
    legacy_id,
    order_id_of,
    parse_order,
    parse_time,
    problem,
)

# 2025-07 brought orderCustomerSet and orderCancel's refundMethod; 2026-04 is a stable version
# Shopify still supports, and the one the sandbox's schema copies.
API_VERSION = "2026-04"
OLDEST_VERSION = "2025-07"  # a store row saved with an older version is moved up to API_VERSION
CLOSE_WORDS = {"closed", "close", "completed", "archived"}
CANCEL_WORDS = {"cancelled", "canceled", "cancel"}
OPEN_WORDS = {"open", "reopen", "unarchived"}
PUSH_ATTEMPTS = 3


def shop_base_url(shop: str) -> str:
    """`northwind` / `northwind.myshopify.com` / a URL -> the shop's base URL."""
    text = shop.strip().rstrip("/")
    if "://" in text:
        return text
    if "." not in text:
        text = f"{text}.myshopify.com"
    return f"https://{text}"


def api_version(saved: Any) -> str:
    """The Admin API version to speak: the row's, unless it is older than OLDEST_VERSION."""
    text = str(saved or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}", text) and text >= OLDEST_VERSION:
        return text
    if text == "unstable":
        return text
    return API_VERSION


def order_gid(store_order_id: str) -> str:
    return f"gid://shopify/Order/{store_order_id}"


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ShopifyAdapter(RawReader):
    """One Shopify shop, spoken to through its Admin GraphQL API."""

    kind = "shopify"

    def __init__(
        self, row: Any, secret: str, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        settings = dict(getattr(row, "settings", None) or {})
        self.name = str(getattr(row, "name", "") or "")
        version = api_version(settings.get("api_version"))
        self.api = ApiClient(
            system=SYSTEM,
            base_url=str(getattr(row, "base_url", "") or "").rstrip("/"),
            headers={"X-Shopify-Access-Token": secret, "Content-Type": "application/json"},
            per_minute=float(
                settings.get("rate_limit_per_min") or settings.get("per_minute") or 1200
            ),
            burst=int(settings.get("burst") or 20),
            transport=transport,
            error_parser=shopify_error_parser,
            secrets=(secret,),
        )
        self.gql = ShopifyGraphQL(self.api, f"/admin/api/{version}/graphql.json")
        self.page_size = int(settings.get("page_size") or q.ORDERS_PAGE)
        self.line_count = int(settings.get("lines_first") or q.LINES_FIRST)

    async def aclose(self) -> None:
        await self.api.aclose()

    @staticmethod
    def parse_raw(payload: dict[str, Any]) -> StoreOrder:
        """A kept `raw` payload read again (the sync compares it with the store's new one)."""
        return parse_order(payload)

    # -- reading

    async def check(self) -> str:
        data = await self.gql.run("Shop", q.SHOP, estimate=3)
        shop = data["shop"]
        plan = (shop.get("plan") or {}).get("displayName") or "unknown plan"
        return f"{shop['name']} ({shop['myshopifyDomain']}, {plan}, {shop['currencyCode']})"

    async def list_orders(
        self,
        *,
        updated_since: datetime | None = None,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
        cursor: str | None = None,
    ) -> AsyncIterator[OrderPage]:
        terms = []
        since = cursor or (_iso(updated_since) if updated_since else None)
        if since:
            terms.append(f"updated_at:>='{since}'")
        if created_from:
            terms.append(f"created_at:>='{_iso(created_from)}'")
        if created_to:
            terms.append(f"created_at:<'{_iso(created_to)}'")
        query = " ".join(terms) or None
        after: str | None = None
        watermark = since
        while True:
            data = await self.gql.run(
                "Orders",
                q.ORDERS,
                {"first": self.page_size, "after": after, "query": query, "lines": self.line_count},
                estimate=2 + self.page_size * 40,
            )
            connection = data["orders"]
            orders, problems = await self._read(connection.get("nodes") or [])
            for node in connection.get("nodes") or []:
                stamp = node.get("updatedAt") if isinstance(node, dict) else None
                try:
                    moment = _iso(parse_time(stamp, "updatedAt"))
                except OrderReadError:
                    continue
                watermark = max(watermark or moment, moment)
            info = connection.get("pageInfo") or {}
            yield OrderPage(tuple(orders), tuple(problems), cursor=watermark)
            if not info.get("hasNextPage") or not info.get("endCursor"):
                return
            after = info["endCursor"]

    async def get_orders(self, store_order_ids: list[str]) -> OrderPage:
        orders: list[StoreOrder] = []
        problems: list[StoreOrderProblem] = []
        for start in range(0, len(store_order_ids), q.NODES_BATCH):
            batch = store_order_ids[start : start + q.NODES_BATCH]
            bad = [i for i in batch if not str(i).strip().isdigit()]
            problems.extend(
                StoreOrderProblem(str(i), "not a Shopify order id (digits expected)", "")
                for i in bad
            )
            wanted = [str(i).strip() for i in batch if i not in bad]
            if not wanted:
                continue
            data = await self.gql.run(
                "Nodes",
                q.NODES,
                {"ids": [order_gid(i) for i in wanted], "lines": self.line_count},
                estimate=len(wanted) * 40,
            )
            nodes = data.get("nodes") or []
            for wanted_id, node in zip(wanted, nodes, strict=False):
                if node is None:
                    problems.append(StoreOrderProblem(wanted_id, "no such order in the store", ""))
            found, unreadable = await self._read([n for n in nodes if n is not None])
            orders.extend(found)
            problems.extend(unreadable)
        return OrderPage(tuple(orders), tuple(problems))

    async def get_order(self, store_order_id: str) -> StoreOrder:
        node = await self._order("Order", q.ORDER, store_order_id, lines=self.line_count)
        orders, problems = await self._read([node])
        if problems:
            raise ApiError(
                SYSTEM, f"order {store_order_id}: {problems[0].reason}", raw=problems[0].raw
            )
        return orders[0]

    async def _read(self, nodes: list[Any]) -> tuple[list[StoreOrder], list[StoreOrderProblem]]:
        """Parse nodes, fetching the rest of the line items of orders that have more."""
        orders: list[StoreOrder] = []
        problems: list[StoreOrderProblem] = []
        for node in nodes:
            try:
                lines = await self._all_lines(node)
                if lines is not None and len(lines) > len(node["lineItems"].get("nodes") or []):
                    # keep every line in the raw payload, as if it had come in one piece
                    node = {**node, "lineItems": {**node["lineItems"], "nodes": lines}}
                orders.append(parse_order(node, lines))
            except OrderReadError as exc:
                problems.append(problem(node, str(exc)))
        return orders, problems

    async def _all_lines(self, node: Any) -> list[Any] | None:
        if not isinstance(node, dict) or not isinstance(node.get("lineItems"), dict):
            return None  # parse_order says what is missing
        connection = node["lineItems"]
        lines = list(connection.get("nodes") or [])
        info = connection.get("pageInfo") or {}
        order_id = order_id_of(node)
        while info.get("hasNextPage") and info.get("endCursor") and order_id:
            data = await self.gql.run(
                "OrderLines",
                q.ORDER_LINES,
                {"id": order_gid(order_id), "first": q.MORE_LINES, "after": info["endCursor"]},
                estimate=2 + q.MORE_LINES * 6,
            )
            more = (data.get("order") or {}).get("lineItems") or {}
            lines.extend(more.get("nodes") or [])
            info = more.get("pageInfo") or {}
        return lines

    # -- the two shapes of every call below

    async def _order(
        self,
        name: str,
        document: str,
        store_order_id: str,
        *,
        estimate: float = 50.0,
        **variables: Any,
    ) -> dict[str, Any]:
        """The `order` a query asks for by its id (and `variables`); ApiError NOT_FOUND when
        Shopify has no such order."""
        data = await self.gql.run(
            name, document, {"id": order_gid(store_order_id), **variables}, estimate=estimate
        )
        order = data.get("order")
        if order is None:
            raise ApiError(
                SYSTEM, f"order {store_order_id} not found", http_status=404, code="NOT_FOUND"
            )
        return dict(order)

    async def _mutate(
        self,
        name: str,
        document: str,
        variables: dict[str, Any],
        field: str,
        errors: str = "userErrors",
    ) -> dict[str, Any]:
        """Run a mutation; its payload (`field`), or the store's refusal raised as ApiError
        with Shopify's own message and code from the payload's `errors` list."""
        data = await self.gql.run(name, document, variables, mutation=True)
        payload = data.get(field) or {}
        _raise_user_errors(payload, errors)
        return dict(payload)

    # -- writing

    async def push_tracking(self, push: TrackingPush) -> str:
        last_error: ApiError | None = None
        for _ in range(PUSH_ATTEMPTS):
            state = await self._fulfillment_state(push.store_order_id)
            done = _fulfillment_with(state, push.tracking_number)
            if done:
                return done
            groups = _open_lines(state, push.store_line_ids, dict(push.line_quantities))
            if not groups:
                raise ApiError(
                    SYSTEM,
                    f"order {state.get('name') or push.store_order_id}: nothing left to fulfil "
                    "for these lines (fulfilled in Shopify already, or cancelled)",
                    code="NOTHING_TO_FULFILL",
                )
            fulfillment: dict[str, Any] = {
                "lineItemsByFulfillmentOrder": groups,
                "notifyCustomer": push.notify_customer,
                "trackingInfo": {
                    "company": push.carrier or None,
                    "number": push.tracking_number,
                    **({"url": push.tracking_url} if push.tracking_url else {}),
                },
            }
            try:
                data = await self.gql.run(
                    "FulfillmentCreate",
                    q.FULFILLMENT_CREATE,
                    {"fulfillment": fulfillment},
                    mutation=True,
                )
            except ApiError as exc:
                if not (exc.outcome_unknown or (exc.http_status or 0) >= 500):
                    raise
                # It may have been created (or a 5xx came after the work): look, then repeat.
                last_error = exc
                continue
            payload = data.get("fulfillmentCreate") or {}
            errors = payload.get("userErrors") or []
            created = payload.get("fulfillment") or {}
            if not errors and created.get("id"):
                return legacy_id(created["id"]) or str(created["id"])
            # Refused: perhaps an earlier attempt got through after all; look once more.
            again = _fulfillment_with(
                await self._fulfillment_state(push.store_order_id), push.tracking_number
            )
            if again:
                return again
            raise ApiError(
                SYSTEM,
                "; ".join(str(e.get("message")) for e in errors) or "fulfillment not created",
                code="USER_ERROR",
                raw=str(errors),
            )
        assert last_error is not None
        raise last_error

    async def _fulfillment_state(self, store_order_id: str) -> dict[str, Any]:
        return await self._order(
            "FulfillmentState", q.FULFILLMENT_STATE, store_order_id, estimate=400
        )

    async def add_note(self, store_order_id: str, body: str) -> str:
        order = await self._order("OrderNote", q.ORDER_NOTE, store_order_id)
        note = str(order.get("note") or "")
        if body.strip() and body.strip() in note:
            return str(order["id"])  # already there: a repeated push adds nothing
        joined = f"{note.rstrip()}\n\n{body.strip()}" if note.strip() else body.strip()
        await self._mutate(
            "OrderUpdate",
            q.ORDER_UPDATE,
            {"input": {"id": order_gid(store_order_id), "note": joined}},
            "orderUpdate",
        )
        return str(order["id"])

    # -- store-side operations (services/store_ops)

    async def mark_paid(self, store_order_id: str, key: str) -> WriteReceipt:
        """`orderMarkAsPaid`: a manual payment recorded, nothing captured. Shopify keeps no key
        for it; a lost answer is settled by the order's payment status (find_mark_paid)."""
        payload = await self._mutate(
            "OrderMarkAsPaid",
            q.ORDER_MARK_AS_PAID,
            {"input": {"id": order_gid(store_order_id)}},
            "orderMarkAsPaid",
        )
        return _receipt(payload.get("order"))

    async def find_mark_paid(self, store_order_id: str, key: str) -> WriteReceipt | None:
        order = await self._payment_state(store_order_id)
        if order.get("displayFinancialStatus") != "PAID":
            return None
        return dataclasses.replace(_receipt(order), found=True)

    async def post_note(
        self, store_order_id: str, body: str, key: str, *, to_customer: bool
    ) -> WriteReceipt:
        """Added to the order's note (staff only: Shopify has no note to the customer)."""
        if to_customer:
            raise ApiError(
                SYSTEM,
                "Shopify's order note is for staff only; it cannot be sent to the customer",
                code="UNSUPPORTED",
            )
        await self.add_note(store_order_id, f"{body.strip()} {write_marker(key)}")
        return WriteReceipt()

    async def find_note(self, store_order_id: str, key: str) -> WriteReceipt | None:
        order = await self._order("OrderNote", q.ORDER_NOTE, store_order_id)
        return (
            WriteReceipt(found=True) if write_marker(key) in str(order.get("note") or "") else None
        )

    async def list_notes(self, store_order_id: str) -> list[StoreNote]:
        """The order's events (its timeline in the Shopify admin: payments, edits, staff and
        other apps' changes), oldest first; the events of podtui's own app are left out. The
        order note itself is synced with the order."""
        data = await self.gql.run(
            "OrderEvents",
            q.ORDER_EVENTS,
            {"id": order_gid(store_order_id), "first": q.EVENTS_FIRST},
            estimate=2 + q.EVENTS_FIRST,
        )
        own = ((data.get("currentAppInstallation") or {}).get("app") or {}).get("title")
        order = data.get("order")
        if order is None:
            raise ApiError(
                SYSTEM, f"order {store_order_id} not found", http_status=404, code="NOT_FOUND"
            )
        out = []
        for event in (order.get("events") or {}).get("nodes") or []:
            if event.get("attributeToApp") and own and event.get("appTitle") == own:
                continue
            try:
                at = parse_time(event.get("createdAt"), "createdAt")
            except OrderReadError:
                continue
            body = _plain(str(event.get("message") or ""))
            if not body or not event.get("id"):
                continue
            out.append(
                StoreNote(
                    store_note_id=legacy_id(event["id"]) or str(event["id"]),
                    author=str(event.get("appTitle") or "Shopify"),
                    at=at,
                    body=body,
                    to_customer=False,
                )
            )
        return sorted(out, key=lambda n: (n.at, n.store_note_id))

    async def change_status(
        self, store_order_id: str, status: str, key: str, options: dict[str, Any]
    ) -> WriteReceipt:
        """orderClose / orderOpen, or orderCancel with its options (reason, refund to the
        original payment methods, restock, notify, staff note carrying podtui's key)."""
        order = order_gid(store_order_id)
        if status == "cancelled":
            note = str(options.get("staff_note") or "").strip()
            await self._mutate(
                "OrderCancelWith",
                q.ORDER_CANCEL_WITH,
                {
                    "orderId": order,
                    "reason": str(options.get("reason") or "OTHER"),
                    "restock": bool(options.get("restock")),
                    "notifyCustomer": bool(options.get("notify")),
                    "refundMethod": {"originalPaymentMethodsRefund": bool(options.get("refund"))},
                    "staffNote": f"{note} {write_marker(key)}".strip(),
                },
                "orderCancel",
                "orderCancelUserErrors",
            )
            # Cancelling runs as a job: the order says cancelled once it is done.
            return WriteReceipt(store_status="cancelled")
        await self._open_or_close(store_order_id, status)
        return WriteReceipt(store_status=status)

    async def _open_or_close(self, store_order_id: str, status: str) -> None:
        """orderClose or orderOpen; ApiError UNSUPPORTED_STATUS for any other status."""
        if status not in ("open", "closed"):
            raise ApiError(
                SYSTEM,
                f"Shopify orders cannot be set to {status!r}; use open, closed or cancelled",
                code="UNSUPPORTED_STATUS",
            )
        name = "OrderClose" if status == "closed" else "OrderOpen"
        document = q.ORDER_CLOSE if status == "closed" else q.ORDER_OPEN
        field = "orderClose" if status == "closed" else "orderOpen"
        await self._mutate(name, document, {"input": {"id": order_gid(store_order_id)}}, field)

    async def find_status(self, store_order_id: str, status: str, key: str) -> WriteReceipt | None:
        """Shopify keeps no key for these: the order's state says whether the change is made."""
        receipt = _receipt(await self._payment_state(store_order_id))
        if receipt.store_status != status:
            return None
        return dataclasses.replace(receipt, found=True)

    async def _suggest(self, store_order_id: str, request: RefundRequest) -> dict[str, Any]:
        return await self._order(
            "SuggestRefund",
            q.SUGGEST_REFUND,
            store_order_id,
            lines=[
                {"lineItemId": f"gid://shopify/LineItem/{line}", "quantity": units}
                for line, units in request.lines
            ],
            shipping=f"{request.shipping:.2f}",
        )

    async def quote_refund(self, store_order_id: str, request: RefundRequest) -> RefundQuote:
        """Shopify's own calculation (suggestedRefund) for these units and this shipping."""
        order = await self._suggest(store_order_id, request)
        suggested = order.get("suggestedRefund") or {}
        return RefundQuote(
            amount=_amount(suggested.get("amountSet")),
            currency=str(order.get("currencyCode") or ""),
            maximum=_amount(suggested.get("maximumRefundableSet")),
            by_store=True,
        )

    async def refund(self, store_order_id: str, request: RefundRequest, key: str) -> WriteReceipt:
        """refundCreate under `@idempotent(key:)` (required from 2026-04), podtui's key also in
        the refund's note; the money goes back through the gateway of the suggested
        transaction, or is only recorded."""
        order = await self._suggest(store_order_id, request)
        suggested = order.get("suggestedRefund") or {}
        amount = (
            request.amount
            if request.amount is not None
            else request.settled(_amount(suggested.get("amountSet")))
        )
        fulfilled = str(order.get("displayFulfillmentStatus") or "") != "UNFULFILLED"
        restock = ("RETURN" if fulfilled else "CANCEL") if request.restock else "NO_RESTOCK"
        gid = order_gid(store_order_id)
        transactions = []
        parent = _parent_transaction(order)
        if request.through_gateway and amount > 0 and parent is not None:
            transactions.append(
                {
                    "orderId": gid,
                    "parentId": parent.get("id"),
                    "gateway": parent.get("gateway") or "manual",
                    "kind": "REFUND",
                    "amount": f"{amount:.2f}",
                }
            )
        refund_input: dict[str, Any] = {
            "orderId": gid,
            "note": f"{request.words()} {write_marker(key)}".strip(),
            "notify": request.notify,
            "refundLineItems": [
                {
                    "lineItemId": f"gid://shopify/LineItem/{line}",
                    "quantity": units,
                    "restockType": restock,
                }
                for line, units in request.lines
            ],
            "transactions": transactions,
        }
        if request.shipping > 0:
            refund_input["shipping"] = {"amount": f"{request.shipping:.2f}"}
        if request.adjustment or request.fee:
            # Shopify keeps the difference from its calculation as an order adjustment; its
            # reason says restocking when a fee is kept back (2025-01 on).
            refund_input["discrepancyReason"] = "RESTOCK" if request.fee else "OTHER"
        payload = await self._mutate(
            "RefundCreate", q.REFUND_CREATE, {"input": refund_input, "key": key}, "refundCreate"
        )
        refund = payload.get("refund") or {}
        after = await self.get_order(store_order_id)
        return WriteReceipt(
            store_ref=str(refund.get("legacyResourceId") or legacy_id(refund.get("id"))),
            payment_status=after.payment_status,
            store_status=after.store_status,
            order=after,
        )

    async def find_refund(self, store_order_id: str, key: str) -> WriteReceipt | None:
        order = await self._order("OrderRefunds", q.ORDER_REFUNDS, store_order_id)
        marker = write_marker(key)
        for refund in order.get("refunds") or []:
            if marker in str(refund.get("note") or ""):
                after = await self.get_order(store_order_id)
                return WriteReceipt(
                    store_ref=str(refund.get("legacyResourceId") or ""),
                    payment_status=after.payment_status,
                    store_status=after.store_status,
                    order=after,
                    found=True,
                )
        return None

    async def search_customers(self, query: str, limit: int = 10) -> list[StoreCustomer]:
        """`customers(query:)`: a bare term searches names and e-mails."""
        data = await self.gql.run("Customers", q.CUSTOMERS, {"first": limit, "query": query})
        out = []
        for node in (data.get("customers") or {}).get("nodes") or []:
            email = (node.get("defaultEmailAddress") or {}).get("emailAddress") or node.get("email")
            out.append(
                StoreCustomer(
                    customer_id=str(node.get("legacyResourceId") or legacy_id(node.get("id"))),
                    name=str(node.get("displayName") or ""),
                    email=str(email or ""),
                )
            )
        return out

    async def set_customer(
        self, store_order_id: str, customer: StoreCustomer, key: str
    ) -> WriteReceipt:
        """orderCustomerSet (2025-07 on). Shopify keeps no key for it: a lost answer is settled
        by the order's customer."""
        await self._mutate(
            "OrderCustomerSet",
            q.ORDER_CUSTOMER_SET,
            {
                "orderId": order_gid(store_order_id),
                "customerId": f"gid://shopify/Customer/{customer.customer_id}",
            },
            "orderCustomerSet",
        )
        return WriteReceipt(store_ref=customer.customer_id)

    async def find_customer_set(
        self, store_order_id: str, customer_id: str, key: str
    ) -> WriteReceipt | None:
        order = await self._order("OrderCustomer", q.ORDER_CUSTOMER, store_order_id)
        if legacy_id((order.get("customer") or {}).get("id")) != customer_id:
            return None
        return WriteReceipt(store_ref=customer_id, found=True)

    async def create_return(
        self, store_order_id: str, lines: tuple[tuple[str, int], ...], reason: str, key: str
    ) -> WriteReceipt:
        """returnCreate (an open return) of the fulfilled units of these lines, spread over the
        fulfillments that carried them; podtui's key in each line's reason note."""
        order = await self._order("Returnable", q.RETURNABLE, store_order_id)
        returned: dict[str, int] = {}
        for ret in (order.get("returns") or {}).get("nodes") or []:
            for item in (ret.get("returnLineItems") or {}).get("nodes") or []:
                fli = str((item.get("fulfillmentLineItem") or {}).get("id"))
                returned[fli] = returned.get(fli, 0) + int(item.get("quantity") or 0)
        wanted = dict(lines)
        items = []
        for fulfillment in order.get("fulfillments") or []:
            for fli in (fulfillment.get("fulfillmentLineItems") or {}).get("nodes") or []:
                line = legacy_id((fli.get("lineItem") or {}).get("id"))
                left = int(fli.get("quantity") or 0) - returned.get(fli["id"], 0)
                take = min(wanted.get(line, 0), left)
                if take > 0:
                    wanted[line] -= take
                    items.append(
                        {
                            "fulfillmentLineItemId": fli["id"],
                            "quantity": take,
                            "returnReason": "OTHER",
                            "returnReasonNote": f"{reason.strip()} {write_marker(key)}".strip(),
                        }
                    )
        short = {line: units for line, units in wanted.items() if units > 0}
        if short:
            raise ApiError(
                SYSTEM,
                "Shopify has fewer fulfilled units to return for line(s) "
                + ", ".join(f"{line} ({units} more)" for line, units in short.items()),
                code="NOT_RETURNABLE",
            )
        payload = await self._mutate(
            "ReturnCreate",
            q.RETURN_CREATE,
            {"input": {"orderId": order_gid(store_order_id), "returnLineItems": items}},
            "returnCreate",
        )
        made = payload.get("return") or {}
        return WriteReceipt(store_ref=str(made.get("name") or legacy_id(made.get("id"))))

    async def find_return(self, store_order_id: str, key: str) -> WriteReceipt | None:
        order = await self._order("OrderReturns", q.ORDER_RETURNS, store_order_id)
        marker = write_marker(key)
        for ret in (order.get("returns") or {}).get("nodes") or []:
            notes = (ret.get("returnLineItems") or {}).get("nodes") or []
            if any(marker in str(n.get("returnReasonNote") or "") for n in notes):
                return WriteReceipt(store_ref=str(ret.get("name") or ""), found=True)
        return None

    async def _payment_state(self, store_order_id: str) -> dict[str, Any]:
        return await self._order("OrderPayment", q.ORDER_PAYMENT, store_order_id)

    async def set_status(self, store_order_id: str, status: str) -> None:
        word = status.strip().lower()
        if word in CLOSE_WORDS:
            await self._open_or_close(store_order_id, "closed")
        elif word in OPEN_WORDS:
            await self._open_or_close(store_order_id, "open")
        elif word in CANCEL_WORDS:
            await self._mutate(
                "OrderCancel",
                q.ORDER_CANCEL,
                {
                    "orderId": order_gid(store_order_id),
                    "reason": "OTHER",
                    "staffNote": "cancelled from podtui",
                },
                "orderCancel",
                "orderCancelUserErrors",
            )
        else:
            await self._open_or_close(store_order_id, status)  # says which statuses there are


def _fulfillment_with(state: dict[str, Any], tracking_number: str) -> str:
    """The id of the order's fulfillment carrying `tracking_number`, or ""."""
    for fulfillment in state.get("fulfillments") or []:
        if str(fulfillment.get("status") or "").upper() in ("CANCELLED", "ERROR", "FAILURE"):
            continue
        for info in fulfillment.get("trackingInfo") or []:
            if info.get("number") and info["number"] == tracking_number:
                return legacy_id(fulfillment.get("id")) or str(fulfillment.get("id"))
    return ""


def _open_lines(
    state: dict[str, Any], line_ids: tuple[str, ...], units: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """lineItemsByFulfillmentOrder for `line_ids` (all when empty): the parcel's `units` of a
    line when given (one part of a split item), else every unit still open."""
    groups = []
    wanted = set(line_ids)
    left = dict(units or {})
    for fo in (state.get("fulfillmentOrders") or {}).get("nodes") or []:
        if str(fo.get("status") or "").upper() not in ("OPEN", "IN_PROGRESS"):
            continue
        items = []
        for item in (fo.get("lineItems") or {}).get("nodes") or []:
            line = legacy_id((item.get("lineItem") or {}).get("id"))
            remaining = int(item.get("remainingQuantity") or 0)
            if remaining > 0 and (not wanted or line in wanted):
                quantity = min(remaining, left[line]) if line in left else remaining
                if line in left:
                    left[line] -= quantity
                if quantity > 0:
                    items.append({"id": item["id"], "quantity": quantity})
        if items:
            groups.append({"fulfillmentOrderId": fo["id"], "fulfillmentOrderLineItems": items})
    return groups


def _parent_transaction(order: dict[str, Any]) -> dict[str, Any] | None:
    """The payment a refund goes back through: the suggested one, else (money alone, by an
    adjustment, has no suggestion) the order's successful sale or capture."""
    for t in (order.get("suggestedRefund") or {}).get("suggestedTransactions") or []:
        parent = t.get("parentTransaction") or {}
        return {"id": parent.get("id"), "gateway": t.get("gateway") or parent.get("gateway")}
    for t in order.get("transactions") or []:
        if t.get("kind") in ("SALE", "CAPTURE") and t.get("status") == "SUCCESS":
            return {"id": t.get("id"), "gateway": t.get("gateway")}
    return None


def _plain(message: str) -> str:
    """An event's FormattedString as text: its links and emphasis dropped, the words kept."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", message)).strip()


def _amount(bag: Any) -> Decimal:
    amount = ((bag or {}).get("shopMoney") or {}).get("amount")
    try:
        return Decimal(str(amount)) if amount not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _receipt(order: Any) -> WriteReceipt:
    """A receipt from the `order { displayFinancialStatus closed cancelledAt }` of an answer."""
    if not isinstance(order, dict):
        return WriteReceipt()
    financial = order.get("displayFinancialStatus")
    status = (
        "cancelled" if order.get("cancelledAt") else "closed" if order.get("closed") else "open"
    )
    return WriteReceipt(
        payment_status=PAYMENT.get(str(financial), str(financial).lower()) if financial else None,
        store_status=status,
    )


def _raise_user_errors(payload: Any, key: str) -> None:
    errors = (payload or {}).get(key) or []
    if errors:
        raise ApiError(
            SYSTEM,
            "; ".join(str(e.get("message")) for e in errors),
            code=str(errors[0].get("code") or "USER_ERROR"),
            raw=str(errors),
        )
