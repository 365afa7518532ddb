"""The WooCommerce store adapter: REST API v3 (`/wp-json/wc/v3/`) over one shared `ApiClient`.

Listing asks for `per_page=100` ordered by id ascending, so orders created while a sync pages
through land on the last page instead of shifting earlier ones (nothing skipped). An order the
listing shows twice is yielded twice: the sync keeps the newest copy, not the first. The first
page's `X-WP-TotalPages` tells how many follow; those are fetched concurrently, a few at a time, and
handed on in page order. Auth is Basic with the consumer key and secret (stored together as
"ck_...:cs_..."), which WooCommerce accepts only over HTTPS; plain http is allowed for a store on
this machine (a loopback address), where a test or a local staging site runs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from podtui.adapters.http import ApiClient, ApiError, RetryPolicy
from podtui.adapters.stores.base import (
    OrderPage,
    OrderPlacer,
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
from podtui.adapters.stores.woocommerce_orders import (
    PAYMENT_BY_STATUS,
    UnreadableOrderError,
    parse_order,
    parse_orders,
    parse_time,
    raw_text,
)
from podtui.domain.address import ShippingAddress
from podtui.domain.errors import DomainError
from podtui.domain.wording import count, system_name

API_PREFIX = "/wp-json/wc/v3"
PER_PAGE = 100  # WordPress's maximum
CONCURRENT_PAGES = 4
# No documented limit for wc/v3; hosts and firewalls throttle, and answer 429 (honoured).
DEFAULT_PER_MINUTE = 1200
# An incremental sync asks again for a little before its cursor: the store's clock and the
# moment an order was saved may straddle the last listing.
CURSOR_OVERLAP = timedelta(minutes=5)
MALFORMED_RETRIES = 3
_FMT = "%Y-%m-%dT%H:%M:%S"
SKIPPED = frozenset({"checkout-draft", "trash"})
TEST_ORDER_META = (
    "_podtui_test_order"  # what `podtui test-order` writes (the default rule reads it)
)


# The order meta podtui's last change carries its idempotency key in (hidden: a leading _).
WRITE_KEY_META = "_podtui_write_key"


class StoreSetupError(DomainError):
    """The store row or its secret cannot make a working adapter; the message says what to fix."""


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def api_base(url: str) -> str:
    """The REST base for a shop URL; https required unless the shop is on loopback."""
    parsed = httpx.URL(url.strip().rstrip("/"))
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise StoreSetupError(f"{url!r} is not a web address (https://shop.example)")
    if parsed.scheme == "http" and not is_loopback(parsed.host):
        raise StoreSetupError(
            f"{url} is plain http: WooCommerce accepts the consumer key only over https "
            "(plain http is allowed for a store on this machine)"
        )
    base = str(parsed).rstrip("/")
    if base.endswith(API_PREFIX):
        return base
    return base + API_PREFIX


def split_secret(secret: str | None) -> tuple[str, str]:
    """("ck_...", "cs_...") from the stored "key:secret"."""
    key, sep, value = (secret or "").strip().partition(":")
    if not sep or not key or not value:
        raise StoreSetupError(
            "the WooCommerce secret must be the consumer key and secret as 'ck_...:cs_...'"
        )
    return key, value


def _gmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_FMT)


class WooCommerceAdapter(RawReader, OrderPlacer):
    """One WooCommerce store (a Store row of kind "woocommerce")."""

    kind = "woocommerce"

    def __init__(
        self,
        row: Any,
        secret: str | None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency: int = CONCURRENT_PAGES,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
    ) -> None:
        key, value = split_secret(secret)
        settings = getattr(row, "settings", None) or {}
        self.name: str = getattr(row, "name", "WooCommerce")
        self.concurrency = max(1, concurrency)
        rule = settings.get("test_orders")
        self.test_rule: dict[str, Any] | None = rule if isinstance(rule, dict) else None
        types = settings.get("order_types")
        self.type_rules: list[dict[str, Any]] | None = types if isinstance(types, list) else None
        self.api = ApiClient(
            system=system_name("WooCommerce", self.name),
            base_url=api_base(getattr(row, "base_url", "")),
            auth=(key, value),
            per_minute=float(settings.get("rate_limit_per_min") or DEFAULT_PER_MINUTE),
            burst=max(2, self.concurrency * 2),
            retry=retry or RetryPolicy(),
            timeout=timeout,
            transport=transport,
            secrets=(key, value),
        )

    # -- reading -------------------------------------------------------------------------------

    async def _page(self, params: dict[str, Any], page: int) -> tuple[OrderPage, int]:
        """One page of the listing and how many payloads it held."""
        attempt = 0
        while True:
            attempt += 1
            response = await self.api.request("GET", "/orders", params={**params, "page": page})
            try:
                body = response.json()
            except ValueError as exc:
                # A proxy's error page or a PHP notice in front of the JSON: ask again.
                if attempt < MALFORMED_RETRIES:
                    self.api.retries += 1
                    await self.api.sleep(self.api.retry.delay(attempt))
                    continue
                raise ApiError(
                    self.api.system,
                    f"page {page} of the orders was not valid JSON (a proxy or a PHP notice?)",
                    http_status=response.status_code,
                    raw=self.api.scrub(response.text[:20_000]),
                    retryable=True,
                ) from exc
            break
        if not isinstance(body, list):
            raise ApiError(
                self.api.system,
                f"page {page} of the orders is not a list",
                raw=self.api.scrub(response.text[:20_000]),
            )
        total = response.headers.get("x-wp-totalpages")
        pages = int(total) if total and total.strip().isdigit() else None
        # A block-checkout draft is a cart the customer has not paid for or even placed.
        placed = [p for p in body if not (isinstance(p, dict) and p.get("status") in SKIPPED)]
        drafts = sum(1 for p in body if isinstance(p, dict) and p.get("status") == "checkout-draft")
        orders, problems = parse_orders(placed, self.test_rule, self.type_rules)
        orders = await self._with_refunds(orders)
        return OrderPage(tuple(orders), tuple(problems), None, pages, drafts), len(body)

    def _list_params(
        self,
        updated_since: datetime | None,
        created_from: datetime | None,
        created_to: datetime | None,
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "per_page": PER_PAGE,
            "orderby": "id",
            "order": "asc",
            "dates_are_gmt": "true",
        }
        if updated_since is not None:
            params["modified_after"] = _gmt(updated_since)
        if created_from is not None:
            params["after"] = _gmt(created_from)
        if created_to is not None:
            params["before"] = _gmt(created_to)
        return params

    async def list_orders(
        self,
        *,
        updated_since: datetime | None = None,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
        cursor: str | None = None,
    ) -> AsyncIterator[OrderPage]:
        """Every page, in order; `cursor` (an ISO time from the last sync) means "changed since"."""
        if cursor:
            since = parse_time(cursor, "cursor")
            if since is not None:
                since -= CURSOR_OVERLAP
                updated_since = since if updated_since is None else max(since, updated_since)
        params = self._list_params(updated_since, created_from, created_to)
        newest: datetime | None = None

        def emit(page: OrderPage) -> OrderPage:
            # Every copy goes on, even of an order met before (a page boundary moved under us):
            # the sync keeps the newest, which need not be the first.
            nonlocal newest
            for order in page.orders:
                if newest is None or order.updated_at > newest:
                    newest = order.updated_at
            cursor_now = newest.isoformat() if newest is not None else cursor
            return dataclasses.replace(page, cursor=cursor_now)

        first, count = await self._page(params, 1)
        yield emit(first)
        total = first.total_pages
        if total is None:
            # No header (a caching proxy dropped it): walk until a short page.
            page_no = 1
            while count >= PER_PAGE:
                page_no += 1
                page, count = await self._page(params, page_no)
                yield emit(page)
            return
        # Later pages run a few at a time; they are handed on in order.
        queue = list(range(2, total + 1))
        running: dict[int, asyncio.Task[tuple[OrderPage, int]]] = {}
        try:
            for page_no in queue:
                running[page_no] = asyncio.create_task(self._page(params, page_no))
                if len(running) < self.concurrency:
                    continue
                first_no = min(running)
                page, _ = await running.pop(first_no)
                yield emit(page)
            for page_no in sorted(running):
                page, _ = await running.pop(page_no)
                yield emit(page)
        finally:
            for task in running.values():
                task.cancel()
            if running:
                await asyncio.gather(*running.values(), return_exceptions=True)

    async def _refunded(self, store_order_id: str) -> dict[str, int]:
        """Line id -> units refunded, from `GET orders/<id>/refunds` (the order's own `refunds`
        lists only id, reason and total; each refund's lines carry a negative quantity and the
        refunded line's id in the `_refunded_item_id` meta)."""
        body = await self.api.json(
            "GET", f"/orders/{int(store_order_id)}/refunds", params={"per_page": PER_PAGE}
        )
        out: dict[str, int] = {}
        for refund in body if isinstance(body, list) else []:
            lines = refund.get("line_items") if isinstance(refund, dict) else None
            for line in lines if isinstance(lines, list) else []:
                if not isinstance(line, dict):
                    continue
                meta = {
                    m.get("key"): m.get("value")
                    for m in line.get("meta_data") or []
                    if isinstance(m, dict)
                }
                target, quantity = meta.get("_refunded_item_id"), line.get("quantity")
                if target is None or isinstance(quantity, bool) or quantity is None:
                    continue
                try:
                    units = abs(int(float(quantity)))
                except (TypeError, ValueError):
                    continue
                out[str(target)] = out.get(str(target), 0) + units
        return out

    async def _with_refunds(self, orders: list[StoreOrder]) -> list[StoreOrder]:
        """Orders with refunds get each line's quantity still owed (`current_quantity`)."""
        refunded = [
            o for o in orders if isinstance(o.raw.get("refunds"), list) and o.raw["refunds"]
        ]
        if not refunded:
            return orders
        found = await asyncio.gather(*(self._refunded(o.store_order_id) for o in refunded))
        by_id = {o.store_order_id: units for o, units in zip(refunded, found, strict=True)}
        out = []
        for order in orders:
            units = by_id.get(order.store_order_id)
            if units is not None:
                lines = tuple(
                    dataclasses.replace(
                        line,
                        current_quantity=max(0, line.quantity - units.get(line.store_line_id, 0)),
                    )
                    for line in order.lines
                )
                order = dataclasses.replace(order, lines=lines)
            out.append(order)
        return out

    async def get_orders(self, store_order_ids: list[str]) -> OrderPage:
        """These orders by id (`include`, 100 a request); ids the store lacks become problems."""
        wanted = list(dict.fromkeys(i.strip() for i in store_order_ids if i.strip()))
        orders: list[StoreOrder] = []
        problems: list[StoreOrderProblem] = []
        for start in range(0, len(wanted), PER_PAGE):
            chunk = wanted[start : start + PER_PAGE]
            params = {
                "per_page": PER_PAGE,
                "include": ",".join(chunk),
                "orderby": "include",
                "status": "any",
            }
            page, _ = await self._page(params, 1)
            orders += page.orders
            problems += page.problems
        found = {o.store_order_id for o in orders} | {p.store_order_id for p in problems}
        for ident in wanted:
            if ident not in found:
                problems.append(
                    StoreOrderProblem(ident, "the store has no order with this id", raw="")
                )
        return OrderPage(tuple(orders), tuple(problems))

    async def get_order(self, store_order_id: str) -> StoreOrder:
        payload = await self.api.json("GET", f"/orders/{int(store_order_id)}")
        try:
            return (
                await self._with_refunds([parse_order(payload, self.test_rule, self.type_rules)])
            )[0]
        except UnreadableOrderError as exc:
            raise ApiError(
                self.api.system,
                f"order {store_order_id} is unreadable: {exc}",
                raw=raw_text(payload),
            ) from exc

    @staticmethod
    def parse_raw(payload: dict[str, Any]) -> StoreOrder:
        """An order from a payload kept earlier (the sync compares what the store said then)."""
        return parse_order(payload)

    # -- writing back --------------------------------------------------------------------------

    async def add_note(self, store_order_id: str, body: str) -> str:
        note = await self.api.json(
            "POST",
            f"/orders/{int(store_order_id)}/notes",
            json_body={"note": body, "customer_note": False},
        )
        return str(note.get("id", "")) if isinstance(note, dict) else ""

    async def set_status(self, store_order_id: str, status: str) -> None:
        await self.api.json("PUT", f"/orders/{int(store_order_id)}", json_body={"status": status})

    # -- store-side operations (services/store_ops) ------------------------------------------

    async def mark_paid(self, store_order_id: str, key: str) -> WriteReceipt:
        """`set_paid: true` (WooCommerce's payment_complete: processing, stock reduced), with
        podtui's key in the order's meta in the same request, so a lost answer can be looked up."""
        order = await self.api.json(
            "PUT",
            f"/orders/{int(store_order_id)}",
            json_body={"set_paid": True, "meta_data": [{"key": WRITE_KEY_META, "value": key}]},
            idempotent=False,
        )
        return _receipt(order)

    async def find_mark_paid(self, store_order_id: str, key: str) -> WriteReceipt | None:
        order = await self.api.json("GET", f"/orders/{int(store_order_id)}")
        if not isinstance(order, dict) or _meta(order).get(WRITE_KEY_META) != key:
            return None
        return dataclasses.replace(_receipt(order), found=True)

    async def change_status(
        self, store_order_id: str, status: str, key: str, options: dict[str, Any]
    ) -> WriteReceipt:
        """`PUT orders/<id>` with the status and podtui's key in the order's meta."""
        order = await self.api.json(
            "PUT",
            f"/orders/{int(store_order_id)}",
            json_body={"status": status, "meta_data": [{"key": WRITE_KEY_META, "value": key}]},
            idempotent=False,
        )
        return _receipt(order)

    async def find_status(self, store_order_id: str, status: str, key: str) -> WriteReceipt | None:
        order = await self.api.json("GET", f"/orders/{int(store_order_id)}")
        if not isinstance(order, dict) or _meta(order).get(WRITE_KEY_META) != key:
            return None
        return dataclasses.replace(_receipt(order), found=True)

    async def _refund_base(
        self, store_order_id: str, request: RefundRequest
    ) -> tuple[dict[str, Any], Decimal, Decimal]:
        """The order, the request's amount by the order's prices, and what is left to refund."""
        order = await self.api.json("GET", f"/orders/{int(store_order_id)}")
        if not isinstance(order, dict):
            raise ApiError(self.api.system, f"order {store_order_id} is not an object")
        prices = {
            str(li.get("id")): _decimal(li.get("price")) for li in order.get("line_items") or []
        }
        amount = sum(
            (prices.get(line, Decimal(0)) * units for line, units in request.lines), Decimal(0)
        )
        refunded = sum(
            (abs(_decimal(r.get("total"))) for r in order.get("refunds") or []), Decimal(0)
        )
        left = _decimal(order.get("total")) - refunded
        return order, amount + request.shipping, left

    async def quote_refund(self, store_order_id: str, request: RefundRequest) -> RefundQuote:
        """By the order's line prices (WooCommerce offers no calculation of its own)."""
        order, amount, left = await self._refund_base(store_order_id, request)
        return RefundQuote(
            amount=min(amount, left), currency=str(order.get("currency") or ""), maximum=left
        )

    async def refund(self, store_order_id: str, request: RefundRequest, key: str) -> WriteReceipt:
        """`POST orders/<id>/refunds` with the line quantities; `api_refund` true sends the
        money back through the gateway, false only records it; podtui's key in the reason."""
        order, amount, _ = await self._refund_base(store_order_id, request)
        prices = {
            str(li.get("id")): _decimal(li.get("price")) for li in order.get("line_items") or []
        }
        # WooCommerce takes `amount` over the lines' refund_total: the adjustment and the fee
        # are in it, and named in the reason (WooCommerce keeps no field for them).
        total = request.amount if request.amount is not None else request.settled(amount)
        body = {
            "amount": f"{total:.2f}",
            "reason": f"{request.words()} {write_marker(key)}".strip(),
            "api_refund": request.through_gateway,
            "api_restock": request.restock,
            "line_items": [
                {
                    "id": int(line),
                    "quantity": units,
                    "refund_total": f"{prices.get(line, Decimal(0)) * units:.2f}",
                }
                for line, units in request.lines
            ],
        }
        try:
            made = await self.api.json(
                "POST", f"/orders/{int(store_order_id)}/refunds", json_body=body
            )
        except ApiError as exc:
            if exc.code == "woocommerce_rest_cannot_create_order_refund":
                exc.retryable = False  # WooCommerce said no (a 500 that is a refusal)
            raise
        after = await self.get_order(store_order_id)
        return WriteReceipt(
            store_ref=str(made.get("id", "")) if isinstance(made, dict) else "",
            payment_status=after.payment_status,
            store_status=after.store_status,
            order=after,
        )

    async def find_refund(self, store_order_id: str, key: str) -> WriteReceipt | None:
        body = await self.api.json(
            "GET", f"/orders/{int(store_order_id)}/refunds", params={"per_page": PER_PAGE}
        )
        marker = write_marker(key)
        for refund in body if isinstance(body, list) else []:
            if isinstance(refund, dict) and marker in str(refund.get("reason") or ""):
                after = await self.get_order(store_order_id)
                return WriteReceipt(
                    store_ref=str(refund.get("id", "")),
                    payment_status=after.payment_status,
                    store_status=after.store_status,
                    order=after,
                    found=True,
                )
        return None

    async def search_customers(self, query: str, limit: int = 10) -> list[StoreCustomer]:
        """`GET customers?search=` over every role (a shop's staff buy too)."""
        found = await self.api.json(
            "GET", "/customers", params={"search": query, "per_page": limit, "role": "all"}
        )
        out = []
        for row in found if isinstance(found, list) else []:
            if not isinstance(row, dict) or row.get("id") is None:
                continue
            name = " ".join(
                str(p) for p in (row.get("first_name"), row.get("last_name")) if p
            ) or str(row.get("username") or "")
            billing = row.get("billing") if isinstance(row.get("billing"), dict) else {}
            out.append(
                StoreCustomer(
                    customer_id=str(row["id"]),
                    name=name,
                    email=str(row.get("email") or ""),
                    billing={k: str(v) for k, v in (billing or {}).items() if v is not None},
                )
            )
        return out

    async def set_customer(
        self, store_order_id: str, customer: StoreCustomer, key: str
    ) -> WriteReceipt:
        """`customer_id` and the customer's billing details, podtui's key in the meta."""
        first, _, last = customer.name.partition(" ")
        billing = {"first_name": first, "last_name": last, "email": customer.email}
        billing.update({k: v for k, v in customer.billing.items() if v})
        order = await self.api.json(
            "PUT",
            f"/orders/{int(store_order_id)}",
            json_body={
                "customer_id": int(customer.customer_id),
                "billing": billing,
                "meta_data": [{"key": WRITE_KEY_META, "value": key}],
            },
            idempotent=False,
        )
        return dataclasses.replace(_receipt(order), store_ref=customer.customer_id)

    async def find_customer_set(
        self, store_order_id: str, customer_id: str, key: str
    ) -> WriteReceipt | None:
        order = await self.api.json("GET", f"/orders/{int(store_order_id)}")
        if not isinstance(order, dict) or _meta(order).get(WRITE_KEY_META) != key:
            return None
        return dataclasses.replace(_receipt(order), store_ref=customer_id, found=True)

    async def create_return(
        self, store_order_id: str, lines: tuple[tuple[str, int], ...], reason: str, key: str
    ) -> WriteReceipt:
        """WooCommerce has no returns API: a private order note says what came back."""
        order = await self.api.json("GET", f"/orders/{int(store_order_id)}")
        names = {
            str(li.get("id")): str(li.get("name") or li.get("id"))
            for li in (order.get("line_items") or [] if isinstance(order, dict) else [])
        }
        what = "; ".join(f"{units} x {names.get(line, line)}" for line, units in lines)
        body = f"Returned: {what}" + (f" ({reason.strip()})" if reason.strip() else "")
        return await self.post_note(store_order_id, body, key, to_customer=False)

    async def find_return(self, store_order_id: str, key: str) -> WriteReceipt | None:
        return await self.find_note(store_order_id, key)

    async def post_note(
        self, store_order_id: str, body: str, key: str, *, to_customer: bool
    ) -> WriteReceipt:
        """`POST orders/<id>/notes`; `customer_note: true` makes WooCommerce e-mail the buyer."""
        note = await self.api.json(
            "POST",
            f"/orders/{int(store_order_id)}/notes",
            json_body={
                "note": f"{body.strip()}\n{write_marker(key)}",
                "customer_note": to_customer,
            },
        )
        return WriteReceipt(store_ref=str(note.get("id", "")) if isinstance(note, dict) else "")

    async def find_note(self, store_order_id: str, key: str) -> WriteReceipt | None:
        marker = write_marker(key)
        for note in await self._notes(store_order_id):
            if marker in str(note.get("note", "")):
                return WriteReceipt(store_ref=str(note.get("id", "")), found=True)
        return None

    async def list_notes(self, store_order_id: str) -> list[StoreNote]:
        out = []
        for note in await self._notes(store_order_id):
            at = parse_time(note.get("date_created_gmt"), "date_created_gmt")
            if at is None or note.get("id") is None:
                continue
            out.append(
                StoreNote(
                    store_note_id=str(note["id"]),
                    author=str(note.get("author") or "store"),
                    at=at,
                    body=str(note.get("note") or ""),
                    to_customer=bool(note.get("customer_note")),
                )
            )
        return sorted(out, key=lambda n: (n.at, n.store_note_id))

    async def _notes(self, store_order_id: str) -> list[dict[str, Any]]:
        notes = await self.api.json("GET", f"/orders/{int(store_order_id)}/notes")
        return [n for n in notes if isinstance(n, dict)] if isinstance(notes, list) else []

    async def push_tracking(self, push: TrackingPush) -> str:
        """A customer-visible note with the tracking, then `completed` for a whole order.

        WooCommerce has no idempotency key, so the notes are read first: a note already carrying
        this tracking number (an earlier try whose answer was lost) is not written again.
        """
        order_id = push.store_order_id
        note_id = ""
        for note in await self._notes(order_id):
            if push.tracking_number and push.tracking_number in str(note.get("note", "")):
                note_id = str(note.get("id", ""))
                break
        if not note_id:
            carrier = push.carrier or "the carrier"
            body = f"Shipped with {carrier}, tracking number {push.tracking_number}"
            if push.tracking_url:
                body += f": {push.tracking_url}"
            note = await self.api.json(
                "POST",
                f"/orders/{int(order_id)}/notes",
                json_body={"note": body, "customer_note": push.notify_customer},
            )
            note_id = str(note.get("id", "")) if isinstance(note, dict) else ""
        if not push.store_line_ids:
            order = await self.api.json("GET", f"/orders/{int(order_id)}")
            if isinstance(order, dict) and order.get("status") not in ("completed", "refunded"):
                await self.set_status(order_id, "completed")
        return note_id

    async def place_test_order(
        self, lines: list[tuple[str, str, int]], address: ShippingAddress, note: str
    ) -> str:
        """Create an order the store's test rule marks (podtui's own meta); its id.

        `lines` are (product id, variation id or "", quantity). It is marked paid so that it
        flows like a real order; the test mark keeps it from ever printing by itself.
        """
        who = {
            "first_name": address.name.split(" ")[0] if address.name else "",
            "last_name": " ".join(address.name.split(" ")[1:]),
            "company": address.company,
            "address_1": address.address1,
            "address_2": address.address2,
            "city": address.city,
            "state": address.state,
            "postcode": address.postal_code,
            "country": address.country,
        }
        body = {
            "status": "processing",
            "set_paid": True,
            "payment_method": "podtui_test",
            "payment_method_title": "podtui test order",
            "billing": {**who, "email": address.email, "phone": address.phone},
            "shipping": who,
            "line_items": [
                {"product_id": int(p), **({"variation_id": int(v)} if v else {}), "quantity": q}
                for p, v, q in lines
            ],
            "meta_data": [{"key": TEST_ORDER_META, "value": "yes"}],
            "customer_note": note,
        }
        created = await self.api.json("POST", "/orders", json_body=body)
        if not isinstance(created, dict) or "id" not in created:
            raise ApiError(self.api.system, "the store did not say which order it created")
        return str(created["id"])

    async def check(self) -> str:
        response = await self.api.request("GET", "/orders", params={"per_page": 1})
        total = response.headers.get("x-wp-total", "")
        orders = count(int(total), "order") if total.isdigit() else "? orders"
        return f"WooCommerce at {self.api.base_url}: {orders}"

    async def aclose(self) -> None:
        await self.api.aclose()


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _meta(order: dict[str, Any]) -> dict[str, Any]:
    return {
        str(m.get("key")): m.get("value")
        for m in order.get("meta_data") or []
        if isinstance(m, dict)
    }


def _receipt(order: Any) -> WriteReceipt:
    """A receipt from the order a write answered with (its status says the payment)."""
    if not isinstance(order, dict):
        return WriteReceipt()
    status = str(order.get("status") or "")
    payment = PAYMENT_BY_STATUS.get(status, "paid")
    if payment == "paid" and order.get("refunds"):
        payment = "partially_refunded"
    return WriteReceipt(payment_status=payment, store_status=status or None)
