"""Printify webhook bodies and order statuses as VendorOrders (shapes from reference/apis.md).

A Printify webhook is `{"id", "type": "order:shipment:created", "created_at",
"resource": {"id": <order id>, "type": "order", "data": {...}}}`; it names the order by Printify's
id only, never by our external id. Topics followed: `order:created`, `order:updated`
(`data.status`), `order:sent-to-production`, `order:shipment:created` and
`order:shipment:delivered` (`data.carrier{code, tracking_number, tracking_url}`, `data.skus`: the
shipped lines). Product and shop topics are not about orders and give None.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from podtui.adapters.vendors.base import VendorOrder, VendorShipment, VendorStage

# Printify order status -> stage. An API order is "on-hold" until it is sent to production:
# that is Printify's normal first state, not a hold the operator must look at.
STAGES: dict[str, VendorStage] = {
    "pending": VendorStage.ACCEPTED,
    "on-hold": VendorStage.ACCEPTED,
    "sending-to-production": VendorStage.IN_PRODUCTION,
    "in-production": VendorStage.IN_PRODUCTION,
    "partially-fulfilled": VendorStage.IN_PRODUCTION,
    "fulfilled": VendorStage.FULFILLED,
    "canceled": VendorStage.CANCELED,
    "payment-not-received": VendorStage.ON_HOLD,
    "had-issues": VendorStage.ON_HOLD,
}
REASONS = {
    "payment-not-received": "payment not received: top up the Printify wallet or fix the card",
    "had-issues": "the order had issues at Printify; see its dashboard",
}
TOPICS = frozenset(
    {
        "order:created",
        "order:updated",
        "order:sent-to-production",
        "order:shipment:created",
        "order:shipment:delivered",
    }
)


def stage_of(status: str) -> VendorStage:
    return STAGES.get(status, VendorStage.ACCEPTED)


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return None


def is_printify_webhook(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("type"), str)
        and ":" in payload["type"]
        and isinstance(payload.get("resource"), dict)
    )


def parse_printify_webhook(payload: dict[str, Any]) -> VendorOrder | None:
    """The order news in a Printify webhook body; None for topics that are not about orders.

    Raises ValueError with the reason when the body is not a Printify webhook.
    """
    if not is_printify_webhook(payload):
        raise ValueError("not a Printify webhook: no 'type' topic and 'resource'")
    topic = payload["type"]
    resource = payload["resource"]
    if topic not in TOPICS or resource.get("type", "order") != "order":
        return None
    order_id = str(resource.get("id") or "")
    if not order_id:
        raise ValueError(f"Printify {topic} webhook names no order (resource.id)")
    data = resource.get("data") if isinstance(resource.get("data"), dict) else {}
    assert isinstance(data, dict)
    shipments: tuple[VendorShipment, ...] = ()
    raw: dict[str, Any] = dict(payload)
    if topic.startswith("order:shipment:"):
        carrier = data.get("carrier") if isinstance(data.get("carrier"), dict) else {}
        assert isinstance(carrier, dict)
        shipments = (
            VendorShipment(
                carrier=str(carrier.get("code") or ""),
                tracking_number=str(carrier.get("tracking_number") or ""),
                tracking_url=str(carrier.get("tracking_url") or ""),
                shipped_at=_time(data.get("shipped_at")),
            ),
        )
        if isinstance(data.get("skus"), list):
            raw["skus"] = [str(s) for s in data["skus"]]
        stage, status = VendorStage.FULFILLED, "fulfilled"
        if raw.get("skus"):
            # Only the named lines shipped; the service fulfils those items and leaves the rest.
            stage, status = VendorStage.IN_PRODUCTION, "partially-fulfilled"
        if topic == "order:shipment:delivered":
            status = "delivered" if not raw.get("skus") else status
    elif topic == "order:sent-to-production":
        stage, status = VendorStage.IN_PRODUCTION, "sending-to-production"
    else:
        status = str(data.get("status") or ("on-hold" if topic == "order:created" else ""))
        stage = stage_of(status)
    return VendorOrder(
        vendor_order_id=order_id,
        external_id=str(data.get("external_id") or ""),
        stage=stage,
        vendor_status=status,
        reason=REASONS.get(status, ""),
        shipments=shipments,
        raw=raw,
    )
