"""Printify API v1 as a `VendorAdapter`: upload, create with `external_id`, send to production.

A submit uploads each print file (`POST /v1/uploads/images.json`, base64 `contents`; or by URL
when the line has a public `print_file_url`), creates the order under `/v1/shops/{shop_id}` with
`external_id`, one line per item that creates its product with the order (`blueprint_id`,
`print_provider_id`, `variant_id`, `print_areas`), `address_to` and the shipping method, then
sends it to production. Printify has no lookup by external id (apis.md): `find` pages the order
list (10 a page, newest first) for `metadata.shop_order_id`, looking back a bounded number of
pages. An order found still `on-hold` and never sent to production is one whose submit broke
between the two calls; `resume` finishes it. `shipping_options` asks the shipping quote
(`POST orders/shipping.json`) for the send confirm; a shipping method Printify does not have is
refused before anything is uploaded.

600 requests a minute per account, kept a little under (the limiter allows a burst of two) so a
bulk send never trips Printify's counter. Vendor settings: `shop_id` (required), `max_concurrency`
(default 4), `lookback_pages` (default 30), `shipping_method` (default standard), `timeout`
(seconds, default 30).
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from podtui.adapters.http import ApiClient, ApiError, MakeLimiter
from podtui.adapters.vendors.base import (
    VendorLine,
    VendorOrder,
    VendorOrderRequest,
    VendorShipment,
    VendorStage,
)
from podtui.domain.shipping import ShippingOption
from podtui.domain.wording import count, system_name

DEFAULT_BASE_URL = "https://api.printify.com/v1"
RATE_PER_MINUTE = 600
# The limiter runs this much under the documented rate: a token bucket and Printify's sliding
# minute can disagree by a request or two at the edges, and a 429 costs far more than 0.5 %.
RATE_MARGIN = 0.995
PAGE_SIZE = 10  # Printify's maximum for the order list
# Reconciling a claim pages back to its time, plus this much for clock skew with the vendor.
SINCE_MARGIN = timedelta(hours=1)
MAX_SINCE_PAGES = 2000  # 20,000 orders: past that an operator should look before a resend
SHIPPING_METHODS = {
    "standard": 1,
    "priority": 2,
    "express": 3,
    "printify_express": 3,
    "economy": 4,
}
# The methods podtui offers, in this order. Economy is left out: Printify refuses it for lines that
# create their product with the order, which is how podtui sends. The quote's `express` key is
# not offered either: no source says which `shipping_method` it stands for (UNSURE, apis.md).
OFFERED = ("standard", "priority", "printify_express")
LABELS = {"standard": "Standard", "priority": "Priority", "printify_express": "Printify Express"}
SHIPPING_CHOICES = tuple(ShippingOption(m, LABELS[m]) for m in OFFERED)
STAGES: dict[str, VendorStage] = {
    "pending": VendorStage.ACCEPTED,
    "on-hold": VendorStage.ON_HOLD,
    "sending-to-production": VendorStage.ACCEPTED,
    "in-production": VendorStage.IN_PRODUCTION,
    "partially-fulfilled": VendorStage.IN_PRODUCTION,
    "fulfilled": VendorStage.FULFILLED,
    "canceled": VendorStage.CANCELED,
    "payment-not-received": VendorStage.ON_HOLD,
    "had-issues": VendorStage.ON_HOLD,
}
REASONS = {
    "payment-not-received": "Printify has not received the payment for this order",
    "had-issues": "Printify reports issues with this order",
}
WEBHOOK_STATUSES = {
    "order:sent-to-production": "sending-to-production",
    "order:shipment:created": "fulfilled",
    "order:shipment:delivered": "fulfilled",
}


def printify_error_parser(response: httpx.Response) -> tuple[str | None, str]:
    """(code, message) out of Printify's `{"status":"error","code":..,"message":..,"errors":..}`.

    The field errors arrive as JSON text in `errors.reason`; they are spelled out ("zip: The zip
    field is required.") because that is what the operator has to fix.
    """
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return None, (text[:200] or response.reason_phrase or "no message")
    if not isinstance(body, dict):
        return None, response.reason_phrase or "no message"
    code = body.get("code")
    message = str(body.get("message") or response.reason_phrase or "no message")
    errors = body.get("errors")
    detail = ""
    if isinstance(errors, dict):
        if code is None and errors.get("code") is not None:
            code = errors.get("code")
        detail = field_errors(errors.get("reason"))
    elif errors:
        detail = field_errors(errors)
    if detail and detail != message:
        message = f"{message} {detail}"
    return (None if code is None else str(code)), message


def field_errors(reason: Any) -> str:
    """Printify's `errors.reason` (JSON text of field -> messages, or plain text) as one line."""
    if isinstance(reason, str):
        try:
            reason = json.loads(reason)
        except ValueError:
            return str(reason)
    if isinstance(reason, dict):
        parts = []
        for name, messages in reason.items():
            text = "; ".join(messages) if isinstance(messages, list) else str(messages)
            parts.append(f"{name}: {text}")
        return " ".join(parts)
    return "" if reason is None else str(reason)


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_order(raw: dict[str, Any]) -> VendorOrder:
    """A Printify order object as a VendorOrder."""
    status = str(raw.get("status") or "")
    metadata: dict[str, Any] = raw["metadata"] if isinstance(raw.get("metadata"), dict) else {}
    shipments = tuple(
        VendorShipment(
            carrier=str(s.get("carrier") or ""),
            tracking_number=str(s.get("number") or ""),
            tracking_url=str(s.get("url") or ""),
            shipped_at=_time(s.get("shipped_at") or s.get("delivered_at")),
        )
        for s in raw.get("shipments") or []
        if isinstance(s, dict)
    )
    return VendorOrder(
        vendor_order_id=str(raw.get("id") or ""),
        external_id=str(raw.get("external_id") or metadata.get("shop_order_id") or ""),
        stage=STAGES.get(status, VendorStage.ACCEPTED),
        vendor_status=status,
        reason=REASONS.get(status, ""),
        shipments=shipments,
        raw=raw,
    )


class PrintifyAdapter:
    """One Printify shop (a Vendor row of kind `printify`)."""

    kind = "printify"

    def __init__(
        self,
        vendor: Any,
        secret: str | None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        limiter: MakeLimiter | None = None,
    ) -> None:
        settings: dict[str, Any] = dict(vendor.settings or {})
        system = system_name("Printify", vendor.name)
        if not secret:
            raise ApiError(
                system,
                "no API token: store it in the keyring (podtui config) or set "
                "PODTUI_PRINTIFY_<ACCOUNT>_TOKEN",
            )
        if not settings.get("shop_id"):
            raise ApiError(system, "no shop_id in the vendor's settings (GET /v1/shops.json)")
        self.name = vendor.name
        self.shop_id = str(settings["shop_id"])
        self.max_concurrency = max(1, int(settings.get("max_concurrency", 4)))
        self.lookback_pages = max(1, int(settings.get("lookback_pages", 30)))
        self.shipping_method = str(settings.get("shipping_method") or "standard")
        base = (vendor.base_url or DEFAULT_BASE_URL).rstrip("/")
        if not base.endswith("/v1"):
            base += "/v1"
        per_minute = float(vendor.rate_limit_per_min or RATE_PER_MINUTE) * RATE_MARGIN
        self.api = ApiClient(
            system=system,
            base_url=base + "/",
            headers={"Authorization": f"Bearer {secret}"},
            per_minute=per_minute,
            # A burst of two: never more than 2 + 597 in any minute, yet a token that comes
            # while every worker is busy writing to the database is not lost.
            burst=2,
            transport=transport,
            make_limiter=limiter,
            error_parser=printify_error_parser,
            secrets=(secret,),
            timeout=float(settings.get("timeout", 30.0)),
        )

    @property
    def _shop(self) -> str:
        return f"shops/{self.shop_id}"

    async def check(self) -> str:
        """Whether the token works and the configured shop is one of its shops (one request).

        `podtui connect printify` and the Connections screen call it; an order lookup would page
        through the order list, this asks `GET /v1/shops.json` once.
        """
        data = await self.api.json("GET", "shops.json")
        shops = data if isinstance(data, list) else []
        titles = {str(s.get("id")): str(s.get("title", "")) for s in shops if isinstance(s, dict)}
        if self.shop_id not in titles:
            listed = ", ".join(f"{k} ({v})" for k, v in titles.items()) or "none"
            raise ApiError(
                self.api.system,
                f"the token works, but shop {self.shop_id} is not one of its shops: {listed}; "
                "connect again with --shop-id set to one of them",
            )
        return f"the token was accepted; shop {self.shop_id} ({titles[self.shop_id]})"

    # -- VendorAdapter

    async def submit(self, request: VendorOrderRequest) -> VendorOrder:
        """Upload, create, send to production. A break after the create is `outcome_unknown`."""
        body = await self.order_body(request)
        created = await self.api.json("POST", f"{self._shop}/orders.json", json_body=body)
        order_id = str(created.get("id") or "") if isinstance(created, dict) else ""
        if not order_id:
            raise ApiError(
                self.api.system,
                "the create answer carried no order id",
                raw=json.dumps(created)[:2000],
                retryable=True,
                outcome_unknown=True,
            )
        try:
            return await self._produce(order_id)
        except ApiError as exc:
            # The order exists at Printify: whoever looks next must find it, not send it again.
            exc.outcome_unknown = True
            exc.retryable = True
            exc.message = f"order {order_id} was created but not sent to production: {exc.message}"
            raise

    async def find(self, external_id: str) -> VendorOrder | None:
        return (await self.find_many([external_id])).get(external_id)

    async def find_many(
        self,
        external_ids: Iterable[str],
        *,
        pages: int | None = None,
        since: datetime | None = None,
    ) -> dict[str, VendorOrder]:
        """The orders created with these external ids, newest first.

        Printify cannot be asked by external id, so this pages back through the order list. With
        `since` (the oldest claim being reconciled) it pages until the list is older than that:
        only then is "not found" an answer, and recovery may send again. Running out of pages
        before that raises instead (retryable): an unproven absence must never become a resend.
        Without `since` it looks back `lookback_pages` pages (a retry seconds after the claim).
        """
        wanted = set(external_ids)
        found: dict[str, VendorOrder] = {}
        limit = pages or (MAX_SINCE_PAGES if since is not None else self.lookback_pages)
        horizon = None if since is None else _aware(since) - SINCE_MARGIN
        for page in range(1, limit + 1):
            data = await self.api.json(
                "GET",
                f"{self._shop}/orders.json",
                params={"limit": PAGE_SIZE, "page": page},
            )
            rows = data.get("data") if isinstance(data, dict) else None
            if not isinstance(rows, list):
                raise ApiError(
                    self.api.system,
                    "the order list answer had no data list",
                    raw=json.dumps(data)[:2000],
                    retryable=True,
                )
            oldest: datetime | None = None
            for row in rows:
                if not isinstance(row, dict):
                    continue
                order = parse_order(row)
                key = order.external_id
                if key in wanted and key not in found:
                    found[key] = order
                made = _created(row)
                if made is not None and (oldest is None or made < oldest):
                    oldest = made
            if wanted <= found.keys() or len(rows) < PAGE_SIZE:
                return found
            if isinstance(data, dict) and data.get("last_page") == page:
                return found
            if horizon is not None and oldest is not None and oldest < horizon:
                return found
        if horizon is not None:
            raise ApiError(
                self.api.system,
                f"looked back {count(limit * PAGE_SIZE, 'order')} "
                f"without reaching {since:%Y-%m-%d %H:%M}; "
                "not sending again until the vendor's list proves the order is not there",
                retryable=True,
            )
        return found

    async def resume(self, order: VendorOrder) -> VendorOrder:
        """Finish a submit that broke after the create: send the order to production."""
        if order.vendor_status != "on-hold" or order.raw.get("sent_to_production_at"):
            return order
        return await self._produce(order.vendor_order_id)

    async def status(self, vendor_order_id: str) -> VendorOrder:
        path = f"{self._shop}/orders/{vendor_order_id}.json"
        return parse_order(await self.api.json("GET", path))

    async def cancel(self, vendor_order_id: str) -> VendorOrder:
        path = f"{self._shop}/orders/{vendor_order_id}/cancel.json"
        return parse_order(await self.api.json("POST", path, json_body={}, idempotent=True))

    def parse_webhook(self, payload: dict[str, Any]) -> VendorOrder | None:
        """`order:*` events as a VendorOrder; other topics are not followed."""
        topic = str(payload.get("type") or "")
        resource = payload.get("resource")
        if not topic.startswith("order:") or not isinstance(resource, dict):
            return None
        data: dict[str, Any] = resource["data"] if isinstance(resource.get("data"), dict) else {}
        status = str(data.get("status") or WEBHOOK_STATUSES.get(topic, ""))
        if not status:
            return None
        raw: dict[str, Any] = {"id": resource.get("id"), "status": status}
        carrier = data.get("carrier")
        if isinstance(carrier, dict):
            raw["shipments"] = [
                {
                    "carrier": carrier.get("code"),
                    "number": carrier.get("tracking_number"),
                    "url": carrier.get("tracking_url"),
                    "shipped_at": data.get("shipped_at"),
                }
            ]
        order = parse_order(raw)
        return VendorOrder(
            order.vendor_order_id,
            order.external_id,
            order.stage,
            order.vendor_status,
            order.reason,
            order.shipments,
            payload,
        )

    async def aclose(self) -> None:
        await self.api.aclose()

    # -- request building

    @classmethod
    def shipping_choices(cls) -> tuple[ShippingOption, ...]:
        """Every method offered, without costs (the `ShippingQuoter` protocol)."""
        return SHIPPING_CHOICES

    async def shipping_options(self, request: VendorOrderRequest) -> list[ShippingOption]:
        """What each offered method costs for this order (`POST orders/shipping.json`).

        Methods the quote leaves out (Printify Express outside its countries) are not offered.
        Nothing is uploaded: a quote names the products, not the print files.
        """
        body = {
            "line_items": [self._quote_line(line) for line in request.lines],
            "address_to": self._address_to(request),
        }
        path = f"{self._shop}/orders/shipping.json"
        quote = await self.api.json("POST", path, json_body=body, idempotent=True)
        if not isinstance(quote, dict):
            raise ApiError(
                self.api.system, "the shipping quote is not an object", raw=str(quote)[:2000]
            )
        options: list[ShippingOption] = []
        for method in OFFERED:
            cost = quote.get(method)
            if isinstance(cost, int) and not isinstance(cost, bool) and cost > 0:
                options.append(ShippingOption(method, LABELS[method], cost_cents=cost))
        return options

    def _quote_line(self, line: VendorLine) -> dict[str, Any]:
        product = line.vendor_product
        return {
            "blueprint_id": int(product.get("blueprint_id") or 0),
            "print_provider_id": int(product.get("print_provider_id") or 0),
            "variant_id": int(product.get("variant_id") or 0),
            "quantity": line.quantity,
        }

    def _method_code(self, request: VendorOrderRequest) -> int:
        method = (request.shipping_method or self.shipping_method).strip().lower()
        if method not in SHIPPING_METHODS:
            raise ApiError(
                self.api.system,
                f'Printify has no shipping method "{method}" (it has {", ".join(OFFERED)}); '
                "choose one of them and send again",
                code="shipping_method",
            )
        return SHIPPING_METHODS[method]

    def _address_to(self, request: VendorOrderRequest) -> dict[str, str]:
        a = request.address
        first, _, last = a.name.strip().partition(" ")
        address = {
            "first_name": first,
            "last_name": last or first,
            "email": a.email,
            "phone": a.phone,
            "country": a.country,
            "region": a.state,
            "address1": a.address1,
            "address2": a.address2,
            "city": a.city,
            "zip": a.postal_code,
            "company": a.company,
        }
        return {k: v for k, v in address.items() if v}

    async def order_body(self, request: VendorOrderRequest) -> dict[str, Any]:
        """The create body; uploads the print files first (in parallel, within the rate)."""
        method = self._method_code(request)  # an unknown method is refused before any upload
        lines = await asyncio.gather(*(self._line(line) for line in request.lines))
        return {
            "external_id": request.external_id,
            "label": request.label[:100],
            "line_items": list(lines),
            "shipping_method": method,
            "send_shipping_notification": False,
            "address_to": self._address_to(request),
        }

    async def _line(self, line: VendorLine) -> dict[str, Any]:
        product = line.vendor_product
        needed = ("blueprint_id", "print_provider_id", "variant_id")
        missing = [k for k in needed if not product.get(k)]
        if missing:
            raise ApiError(
                self.api.system,
                f"item {line.item_id}: the product mapping has no Printify {', '.join(missing)} "
                "(set them in the mapping's vendor product)",
                code="mapping",
            )
        area = str(product.get("print_area") or line.placement or "front")
        return {
            "blueprint_id": int(product["blueprint_id"]),
            "print_provider_id": int(product["print_provider_id"]),
            "variant_id": int(product["variant_id"]),
            "print_areas": {area: await self.image_url(line)},
            "quantity": line.quantity,
            "sku": line.sku,
        }

    async def image_url(self, line: VendorLine) -> str:
        """Where Printify reads the line's print file: uploaded now, or the public URL as given."""
        if line.print_file_url:
            return line.print_file_url
        if line.print_file is None:
            raise ApiError(
                self.api.system,
                f"item {line.item_id} has no print file to upload; regenerate it, then send",
                code="print_file",
            )
        try:
            data = await asyncio.to_thread(line.print_file.read_bytes)
        except OSError as exc:
            raise ApiError(
                self.api.system,
                f"item {line.item_id}: cannot read the print file {line.print_file}: {exc}",
                code="print_file",
            ) from exc
        body = {
            "file_name": line.print_file.name,
            "contents": base64.b64encode(data).decode("ascii"),
        }
        # Uploading twice only costs storage: safe to repeat after a lost reply.
        upload = await self.api.json("POST", "uploads/images.json", json_body=body, idempotent=True)
        url = upload.get("preview_url") if isinstance(upload, dict) else None
        if not isinstance(url, str) or not url:
            raise ApiError(
                self.api.system,
                "the upload answer carried no preview_url",
                raw=json.dumps(upload)[:2000],
                retryable=True,
            )
        return url

    async def _produce(self, order_id: str) -> VendorOrder:
        path = f"{self._shop}/orders/{order_id}/send_to_production.json"
        try:
            raw = await self.api.json("POST", path, json_body={}, idempotent=True)
        except ApiError as exc:
            if exc.http_status != 400:
                raise
            # Already sent (a repeat after a lost reply): the order says where it stands.
            order = await self.status(order_id)
            if order.vendor_status == "on-hold":
                raise
            return order
        if not isinstance(raw, dict) or not raw.get("id"):
            return await self.status(order_id)
        return parse_order(raw)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _created(row: dict[str, Any]) -> datetime | None:
    """An order's `created_at` ("2026-12-05 23:00:00+00:00"); None when absent or unreadable."""
    value = row.get("created_at")
    if not isinstance(value, str):
        return None
    try:
        return _aware(datetime.fromisoformat(value))
    except ValueError:
        return None
