"""Give the demo's sandbox Printify the orders the demo database says it sent there.

The demo seeds a history: submissions Sent to Printify (with vendor order ids), and one or two
left in Sending, as if the app had died between the vendor's acceptance and recording it. The
sandbox starts empty, so without this, recovery would find nothing and send those again, and a
status poll would get 404s. Sent ones are created with their recorded ids and the status the
database shows; Sending ones as created but not yet sent to production, which is what recovery
then finds and finishes. Done once per sandbox, when the demo's sandboxes are built.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.models import Order, OrderItem, Submission, SubmissionItem, Vendor
from podtui.sandbox.printify import SandboxPrintify

_seeded: set[int] = set()
_lock = threading.Lock()
# The database's vendor status -> the sandbox order's status.
_STATUS = {
    "sending-to-production": "sending-to-production",
    "in-production": "in-production",
    "fulfilled": "fulfilled",
    "canceled": "canceled",
    "on-hold": "on-hold",
}


def seed_sandbox_orders(db: Database, sandbox: SandboxPrintify) -> int:
    """Create the demo's Sent and Sending Printify submissions in `sandbox`; returns how many."""
    with _lock:
        if id(sandbox) in _seeded:
            return 0
        _seeded.add(id(sandbox))
        with db.read() as session:
            vendors = [
                v.id
                for v in session.exec(select(Vendor).where(Vendor.kind == "printify")).all()
                if v.settings.get("demo")
            ]
            subs = session.exec(
                select(Submission).where(
                    col(Submission.vendor_id).in_(vendors or [-1]),
                    col(Submission.state).in_(("sent", "sending")),
                )
            ).all()
            links = session.exec(
                select(SubmissionItem.submission_id, OrderItem, Order)
                .join(OrderItem, col(OrderItem.id) == col(SubmissionItem.item_id))
                .join(Order, col(Order.id) == col(OrderItem.order_id))
                .where(col(SubmissionItem.submission_id).in_([s.id for s in subs] or [-1]))
            ).all()
        lines: dict[int, list[tuple[OrderItem, Order]]] = {}
        for sid, item, order in links:
            lines.setdefault(sid, []).append((item, order))
        made = 0
        for sub in subs:
            rows = lines.get(sub.id or -1)
            if rows and _create(sandbox, sub, rows):
                made += 1
        return made


def _create(sandbox: SandboxPrintify, sub: Submission, rows: list[tuple[OrderItem, Order]]) -> bool:
    order = rows[0][1]
    first, _, last = (order.ship_name or "Demo Customer").partition(" ")
    body: dict[str, Any] = {
        "external_id": sub.idempotency_key,
        "label": order.name,
        "line_items": [
            {
                "blueprint_id": 68,
                "print_provider_id": 1,
                "variant_id": 17_000,
                "print_areas": {"front": "https://images.printify.invalid/demo.png"},
                "quantity": item.quantity,
                "sku": item.sku,
                "title": item.title,
            }
            for item, _ in rows
        ],
        "shipping_method": 1,
        "address_to": {
            "first_name": first,
            "last_name": last or first,
            "country": order.ship_country,
            "region": order.ship_state,
            "address1": order.ship_address1 or "-",
            "city": order.ship_city or "-",
            "zip": order.ship_postal_code,
        },
    }
    with sandbox._lock:
        # The sandbox's own create path: the same order shape the API returns.
        response = sandbox._create(body)
        if response.status_code != 200:
            return False  # an address the sandbox refuses: that order simply is not there
        made = sandbox.orders.pop(response.json()["id"])
        if sub.state == "sent" and sub.vendor_order_id:
            made["id"] = sub.vendor_order_id
        sandbox.orders[made["id"]] = made
        if sub.state == "sent":
            sandbox.set_status(made["id"], _STATUS.get(sub.vendor_status or "", "in-production"))
    return True
