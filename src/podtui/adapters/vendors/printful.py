"""Printful API v1 as a `VendorAdapter`: create with `external_id` and `confirm`, look up, follow.

Printful fetches print files itself, by URL: each file is published under the vendor's
`file_base_url` setting (or the line's own `print_file_url`), never uploaded. Orders are created
with `confirm=true` (a draft is never charged nor printed), found again with
`GET /orders/@{external_id}`, followed with `GET /orders/{id}` (status and `shipments[]`) and
canceled with `DELETE /orders/{id}`. 120 requests a minute (Printful's v1 counter), shared by every
caller of one vendor through its `ApiClient`.

Never twice: before anything is reported as failed after the request may have reached Printful
(a timeout, a dropped connection, a 5xx, a refusal of a repeated external id), the adapter asks
`/orders/@{external_id}` and returns the order Printful already has.

Vendor settings: `file_base_url`, `store_id` (sent as `X-PF-Store-Id`, for account-level tokens),
`confirm` (default true), `shipping` (default `STANDARD`), `max_concurrency` (default 4),
`timeout` (seconds, default 30).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from podtui import config
from podtui.adapters.credentials import env_var_name
from podtui.adapters.http import ApiClient, ApiError, MakeLimiter
from podtui.adapters.vendors.base import (
    VendorLine,
    VendorOrder,
    VendorOrderRequest,
    VendorShipment,
    VendorStage,
)
from podtui.domain.shipping import ShippingOption, days_text
from podtui.domain.wording import system_name

DEFAULT_BASE_URL = "https://api.printful.com"
RATE_PER_MINUTE = 120
LIST_PAGE = 100  # Printful's largest page
PRODUCT_KEYS = (
    "variant_id",
    "sync_variant_id",
    "external_variant_id",
    "warehouse_product_variant_id",
    "product_template_id",
)
FILE_TYPES = frozenset(
    {"default", "back", "left", "right", "label", "label_inside", "label_outside"}
)
# Printful's shipping rate ids, offered when several orders go at once (one quote each would
# cost Printful's rate limit); one order is quoted with `POST /shipping/rates`, which also says
# which of them reach the recipient.
SHIPPING_CHOICES = (
    ShippingOption("STANDARD", "Flat Rate (standard)"),
    ShippingOption("PRINTFUL_FAST", "Printful Fast"),
    ShippingOption("EXPRESS", "Express"),
)
STAGES: dict[str, VendorStage] = {
    "draft": VendorStage.ACCEPTED,
    "pending": VendorStage.ACCEPTED,
    "inprocess": VendorStage.IN_PRODUCTION,
    "partial": VendorStage.IN_PRODUCTION,  # shipped items are told apart by their shipments
    "onhold": VendorStage.ON_HOLD,
    "failed": VendorStage.FAILED,
    "canceled": VendorStage.CANCELED,
    "fulfilled": VendorStage.FULFILLED,
}
# Webhook events podtui follows, and the stage each one means (None: read the order's status).
WEBHOOK_STAGES: dict[str, VendorStage | None] = {
    "package_shipped": None,
    "order_created": None,
    "order_updated": None,
    "order_remove_hold": None,
    "order_failed": VendorStage.FAILED,
    "order_canceled": VendorStage.CANCELED,
    "order_put_hold": VendorStage.ON_HOLD,
}


def printful_error_parser(response: httpx.Response) -> tuple[str | None, str]:
    """(reason, message) out of `{"code":N,"result":"msg","error":{"reason":..,"message":..}}`."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return None, (text[:200] or response.reason_phrase or "no message")
    if not isinstance(body, dict):
        return None, response.reason_phrase or "no message"
    found = body.get("error")
    error: dict[str, Any] = found if isinstance(found, dict) else {}
    message = error.get("message") or body.get("result") or response.reason_phrase
    reason = error.get("reason") or (str(body["code"]) if "code" in body else None)
    return reason, message if isinstance(message, str) else str(message)


class PrintfulAdapter:
    """One Printful store (a Vendor row of kind `printful`)."""

    kind = "printful"

    def __init__(
        self,
        vendor: Any,
        secret: str | None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        limiter: MakeLimiter | None = None,
    ) -> None:
        settings: dict[str, Any] = dict(vendor.settings or {})
        self.name = vendor.name
        if not secret:
            account = settings.get("account") or vendor.name
            raise ApiError(
                f"Printful ({vendor.name})",
                "no API token: store it in the keyring or set "
                f"{env_var_name('printful', str(account))}",
            )
        headers = {"Authorization": f"Bearer {secret}"}
        if settings.get("store_id"):
            headers["X-PF-Store-Id"] = str(settings["store_id"])
        self.file_base_url = str(settings.get("file_base_url") or "")
        self.confirm = bool(settings.get("confirm", True))
        self.shipping = str(settings.get("shipping") or "STANDARD")
        self.max_concurrency = int(settings.get("max_concurrency", 4))
        self.api = ApiClient(
            system=system_name("Printful", vendor.name),
            base_url=(vendor.base_url or DEFAULT_BASE_URL).rstrip("/"),
            headers=headers,
            per_minute=float(vendor.rate_limit_per_min or RATE_PER_MINUTE),
            transport=transport,
            make_limiter=limiter,
            error_parser=printful_error_parser,
            secrets=(secret,),
            timeout=float(settings.get("timeout", 30.0)),
        )

    # -- VendorAdapter

    async def submit(self, request: VendorOrderRequest) -> VendorOrder:
        body = self.order_body(request)
        params = {"confirm": "true" if self.confirm else "false"}
        try:
            result = await self._result("POST", "/orders", params=params, json_body=body)
        except ApiError as exc:
            if not _maybe_created(exc):
                raise
            # The order may exist already (a lost reply, or an earlier attempt): ask before
            # anyone sends it again.
            try:
                existing = await self.find(request.external_id)
            except ApiError:
                raise exc from None
            if existing is None:
                raise
            return existing
        return parse_order(result)

    async def find(self, external_id: str) -> VendorOrder | None:
        try:
            result = await self._result("GET", f"/orders/@{quote(external_id, safe='')}")
        except ApiError as exc:
            if exc.http_status == 404:
                return None
            raise
        return parse_order(result)

    async def status(self, vendor_order_id: str) -> VendorOrder:
        return parse_order(await self._result("GET", f"/orders/{quote(vendor_order_id, safe='')}"))

    async def cancel(self, vendor_order_id: str) -> VendorOrder:
        path = f"/orders/{quote(vendor_order_id, safe='')}"
        return parse_order(await self._result("DELETE", path))

    def parse_webhook(self, payload: dict[str, Any]) -> VendorOrder | None:
        return parse_webhook(payload)

    async def recent_orders(
        self, wanted: set[str], *, max_pages: int = 10
    ) -> dict[str, VendorOrder]:
        """The newest orders, 100 a page, until every `wanted` id (order or external) is seen.

        A poll of hundreds of open orders costs a few requests instead of one each, which
        matters at 120 a minute. Keyed by vendor order id and by external id.
        """
        found: dict[str, VendorOrder] = {}
        left = set(wanted)
        for page in range(max_pages):
            params = {"offset": page * LIST_PAGE, "limit": LIST_PAGE}
            rows = await self._result("GET", "/orders", params=params)
            if not isinstance(rows, list):
                raise ApiError(self.api.system, "the order list is not a list", raw=str(rows))
            for row in rows:
                if not isinstance(row, dict) or "id" not in row:
                    continue
                order = parse_order(row)
                if {order.vendor_order_id, order.external_id} & left:
                    left -= {order.vendor_order_id, order.external_id}
                    found[order.vendor_order_id] = order
                    if order.external_id:
                        found[order.external_id] = order
            if not left or len(rows) < LIST_PAGE:
                break
        return found

    async def aclose(self) -> None:
        await self.api.aclose()

    @classmethod
    def shipping_choices(cls) -> tuple[ShippingOption, ...]:
        """Every method offered, without costs (the `ShippingQuoter` protocol)."""
        return SHIPPING_CHOICES

    async def shipping_options(self, request: VendorOrderRequest) -> list[ShippingOption]:
        """The rates Printful offers this recipient for these items (`POST /shipping/rates`)."""
        items = []
        for line in request.lines:
            item: dict[str, Any] = {"quantity": line.quantity}
            for key in ("variant_id", "external_variant_id"):
                if line.vendor_product.get(key):
                    item[key] = line.vendor_product[key]
                    break
            else:
                if line.sku:
                    item["external_variant_id"] = line.sku
            items.append(item)
        recipient = {
            k: v
            for k, v in self._recipient(request).items()
            if k in ("address1", "city", "country_code", "state_code", "zip", "phone") and v
        }
        body = {"recipient": recipient, "items": items}
        rates = await self._result("POST", "/shipping/rates", json_body=body, idempotent=True)
        options: list[ShippingOption] = []
        for rate in rates if isinstance(rates, list) else []:
            if not isinstance(rate, dict) or not rate.get("id"):
                continue
            try:
                cents = round(float(str(rate.get("rate"))) * 100)
            except ValueError:
                cents = None
            options.append(
                ShippingOption(
                    str(rate["id"]),
                    str(rate.get("name") or rate["id"]),
                    cost_cents=cents,
                    currency=str(rate.get("currency") or "USD"),
                    days=days_text(rate.get("minDeliveryDays"), rate.get("maxDeliveryDays")),
                )
            )
        return options

    # -- request building

    def _recipient(self, request: VendorOrderRequest) -> dict[str, str]:
        a = request.address
        return {
            "name": a.name,
            "company": a.company,
            "address1": a.address1,
            "address2": a.address2,
            "city": a.city,
            "state_code": a.state,
            "country_code": a.country,
            "zip": a.postal_code,
            "phone": a.phone,
            "email": a.email,
        }

    def order_body(self, request: VendorOrderRequest) -> dict[str, Any]:
        """The create body; raises ApiError (nothing sent) when a line cannot be expressed."""
        recipient = self._recipient(request)
        shipping = request.shipping_method.upper() if request.shipping_method else self.shipping
        return {
            "external_id": request.external_id,
            "shipping": shipping,
            "recipient": {k: v for k, v in recipient.items() if v},
            "items": [self._item(line) for line in request.lines],
        }

    def _item(self, line: VendorLine) -> dict[str, Any]:
        product = line.vendor_product
        item: dict[str, Any] = {
            "external_id": str(line.item_id),
            "quantity": line.quantity,
            "name": " / ".join(p for p in (line.title, line.variant) if p) or line.sku,
            "files": [{"type": _file_type(line.placement, product), "url": self.file_url(line)}],
        }
        for key in PRODUCT_KEYS:
            if product.get(key):
                item[key] = product[key]
                break
        else:
            if not line.sku:
                raise ApiError(
                    self.api.system,
                    f"item {line.item_id}: its product mapping names no Printful variant "
                    "(variant_id or sync_variant_id) and it has no SKU; fix the mapping",
                )
            item["external_variant_id"] = line.sku  # a product synced to Printful by SKU
        if line.sku:
            item["sku"] = line.sku
        return item

    def file_url(self, line: VendorLine) -> str:
        """Where Printful fetches the item's print file: its own URL, or under file_base_url."""
        if line.print_file_url:
            return line.print_file_url
        if line.print_file is None:
            raise ApiError(
                self.api.system, f"item {line.item_id} has no print file yet; render it first"
            )
        if not self.file_base_url:
            raise ApiError(
                self.api.system,
                f"item {line.item_id}: Printful fetches print files by URL, and vendor "
                f"{self.name!r} has no file_base_url setting (the public address where the "
                "print files folder is served)",
            )
        return public_url(self.file_base_url, line.print_file)

    async def _result(self, method: str, path: str, **kwargs: Any) -> Any:
        body = await self.api.json(method, path, **kwargs)
        if not isinstance(body, dict) or "result" not in body:
            raise ApiError(
                self.api.system,
                "the answer is not Printful's {code, result} envelope",
                raw=self.api.scrub(str(body)[:20_000]),
                retryable=True,
            )
        return body["result"]


def public_url(base_url: str, path: Path) -> str:
    """`path` (under the print files folder, else by name) as a URL under `base_url`."""
    try:
        relative = path.relative_to(config.print_files_dir())
    except ValueError:
        relative = Path(path.name)
    return base_url.rstrip("/") + "/" + quote(relative.as_posix())


def _file_type(placement: str, product: dict[str, Any]) -> str:
    wanted = str(product.get("placement") or placement or "default")
    return wanted if wanted in FILE_TYPES else "default"


def _maybe_created(exc: ApiError) -> bool:
    """Whether Printful may hold the order despite the error (so look it up before failing).

    A lost or unreadable reply, a 5xx or exhausted retries may hide a created order; a refusal of
    a repeated external id means an earlier attempt created it.
    """
    if exc.outcome_unknown or exc.retryable:
        return True
    text = exc.message.lower()
    return exc.http_status in (400, 409) and ("already" in text or "external" in text)


def _time(value: Any) -> datetime | None:
    if isinstance(value, int | float) and value > 0:
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _our_item_ids(order: dict[str, Any]) -> dict[int, int]:
    """Printful item id -> podtui item id (each item was created with external_id = our id)."""
    found: dict[int, int] = {}
    for item in order.get("items") or []:
        if not isinstance(item, dict):
            continue
        ours, theirs = str(item.get("external_id") or ""), item.get("id")
        if ours.isdigit() and isinstance(theirs, int):
            found[theirs] = int(ours)
    return found


def parse_shipment(shipment: dict[str, Any], id_map: dict[int, int]) -> VendorShipment:
    items = shipment.get("items") or []
    ids = tuple(
        id_map[i["item_id"]]
        for i in items
        if isinstance(i, dict) and isinstance(i.get("item_id"), int) and i["item_id"] in id_map
    )
    return VendorShipment(
        carrier=str(shipment.get("carrier") or shipment.get("service") or ""),
        tracking_number=str(shipment.get("tracking_number") or ""),
        tracking_url=str(shipment.get("tracking_url") or ""),
        shipped_at=_time(shipment.get("shipped_at") or shipment.get("created")),
        item_ids=ids,
    )


def parse_order(order: Any, *, reason: str = "") -> VendorOrder:
    """A Printful v1 order object as a VendorOrder; ApiError when it is not one."""
    if not isinstance(order, dict) or "id" not in order:
        raise ApiError("Printful", "the answer holds no order", raw=str(order)[:20_000])
    status = str(order.get("status") or "")
    id_map = _our_item_ids(order)
    shipments = tuple(
        parse_shipment(s, id_map) for s in order.get("shipments") or [] if isinstance(s, dict)
    )
    return VendorOrder(
        vendor_order_id=str(order["id"]),
        external_id=str(order.get("external_id") or ""),
        stage=STAGES.get(status, VendorStage.ACCEPTED),
        vendor_status=status,
        reason=reason,
        shipments=shipments,
        raw=order,
    )


def parse_webhook(payload: dict[str, Any]) -> VendorOrder | None:
    """A Printful webhook body (`{type, created, retries, store, data}`) as a VendorOrder.

    None for events podtui does not follow (product and stock events, returns). Raises
    ValueError with the reason when the body is not a Printful webhook at all.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        raise ValueError("not a Printful webhook: no 'type'")
    event = payload["type"]
    if event not in WEBHOOK_STAGES:
        return None
    data = payload.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("order"), dict):
        raise ValueError(f"Printful {event} webhook has no data.order")
    reason = str(data.get("reason") or "")
    parsed = parse_order(data["order"], reason=reason)
    stage = WEBHOOK_STAGES[event] or parsed.stage
    shipments = parsed.shipments
    shipment = data.get("shipment")
    if isinstance(shipment, dict) and shipment.get("tracking_number"):
        one = parse_shipment(shipment, _our_item_ids(data["order"]))
        if all(s.tracking_number != one.tracking_number for s in shipments):
            shipments = (*shipments, one)
        if event == "package_shipped" and not one.item_ids:
            stage = VendorStage.FULFILLED  # a parcel naming no items carries the whole order
    return VendorOrder(
        vendor_order_id=parsed.vendor_order_id,
        external_id=parsed.external_id,
        stage=stage,
        vendor_status=parsed.vendor_status,
        reason=reason,
        shipments=shipments,
        raw=payload,
    )
