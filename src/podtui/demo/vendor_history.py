"""Give the demo's Printful sandbox and hot folder what the demo database says it sent them.

The demo seeds a history of Sent, In production and held orders at Printful and at the in-house
printer. The sandbox starts empty and the hot folder holds no tickets, so without this every
status poll of the demo would answer "the vendor does not know it". The orders still open at the
vendor (the ones a poll asks about) are put in, newest first, up to `limit`, with the status the
database shows, so the first poll finds nothing new. Done once per sandbox and per hot folder.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from podtui.adapters.vendors.hotfolder import safe_name
from podtui.db import Database
from podtui.domain.models import Order, OrderItem, Submission, SubmissionItem, Vendor
from podtui.domain.status import ItemStatus
from podtui.sandbox.printful import ORDER_STATUSES, SandboxPrintful

_done: set[tuple[str, str]] = set()
_lock = threading.Lock()
OPEN = (ItemStatus.SENT, ItemStatus.IN_PRODUCTION, ItemStatus.ON_HOLD)
LIMIT = 5_000  # a poll asks 60 per vendor per tick: this lasts a demo session


def _open_submissions(
    db: Database, vendor: Vendor, limit: int
) -> list[tuple[Submission, list[tuple[OrderItem, Order]]]]:
    with db.read() as session:
        subs = list(
            session.exec(
                select(Submission)
                .where(
                    col(Submission.vendor_id) == vendor.id,
                    col(Submission.state).in_(("sent", "sending")),
                )
                .order_by(col(Submission.id).desc())
                .limit(limit * 4)
            ).all()
        )
        ids = [s.id for s in subs] or [-1]
        links = session.exec(
            select(SubmissionItem.submission_id, OrderItem, Order)
            .join(OrderItem, col(OrderItem.id) == col(SubmissionItem.item_id))
            .join(Order, col(Order.id) == col(OrderItem.order_id))
            .where(col(SubmissionItem.submission_id).in_(ids))
        ).all()
    lines: dict[int, list[tuple[OrderItem, Order]]] = {}
    for sid, item, order in links:
        lines.setdefault(sid, []).append((item, order))
    found = []
    for sub in subs:
        rows = lines.get(sub.id or -1, [])
        if rows and any(item.status in OPEN for item, _ in rows):
            found.append((sub, rows))
        if len(found) >= limit:
            break
    return found


def seed_printful_history(
    db: Database, sandbox: SandboxPrintful, vendor: Vendor, *, limit: int = LIMIT
) -> int:
    """Put the demo's open Printful orders into `sandbox` (once); returns how many."""
    with _lock:
        if ("printful", str(id(sandbox))) in _done:
            return 0
        _done.add(("printful", str(id(sandbox))))
    made = 0
    for sub, rows in _open_submissions(db, vendor, limit):
        order = rows[0][1]
        recipient = {
            "name": order.ship_name or "Demo Customer",
            "address1": order.ship_address1 or "-",
            "city": order.ship_city or "-",
            "state_code": order.ship_state,
            "country_code": order.ship_country or "US",
            "zip": order.ship_postal_code,
        }
        items: list[dict[str, Any]] = [
            {
                "external_id": str(item.id),
                "external_variant_id": item.sku or "demo",
                "quantity": item.quantity,
                "name": item.title,
                "files": [
                    {"type": "default", "url": "https://files.atelier-lumen.test/pf/demo.png"}
                ],
            }
            for item, _ in rows
        ]
        status = sub.vendor_status if sub.vendor_status in ORDER_STATUSES else "pending"
        if any(i.status is ItemStatus.ON_HOLD for i, _ in rows):
            status = "onhold"
        vendor_id = sub.vendor_order_id
        sandbox.add_order(
            sub.idempotency_key,
            items,
            recipient,
            status=status or "pending",
            order_id=int(vendor_id) if vendor_id and vendor_id.isdigit() else None,
        )
        made += 1
    return made


def seed_hotfolder_history(db: Database, vendor: Vendor, *, limit: int = LIMIT) -> int:
    """Write a job ticket for each open demo order at the in-house printer (once per folder)."""
    root = Path(str(vendor.settings.get("path") or ""))
    if not root.is_dir():
        return 0
    with _lock:
        if ("hotfolder", str(root.resolve())) in _done:
            return 0
        _done.add(("hotfolder", str(root.resolve())))
    made = 0
    for sub, rows in _open_submissions(db, vendor, limit):
        folder = root / "dtg"  # the demo's one in-house product (hoodies) prints on the DTG queue
        stem = safe_name(sub.idempotency_key)
        folder.mkdir(exist_ok=True)
        if any(folder.rglob(f"{stem}.json")):
            continue
        ticket = {
            "ticket_version": 1,
            "external_id": sub.idempotency_key,
            "order": rows[0][1].name,
            "demo": True,
            "items": [
                {"item_id": i.id, "quantity": i.quantity, "sku": i.sku, "title": i.title}
                for i, _ in rows
            ],
        }
        # A plain write: these are the demo's past, not a job a RIP could catch half written.
        (folder / f"{stem}.json").write_text(json.dumps(ticket, indent=2), encoding="utf-8")
        made += 1
    return made


def seed_demo_history(db: Database, printful: SandboxPrintful | None) -> None:
    """Both of the above for the demo's own vendors (called once, when the sandbox is built)."""
    with db.read() as session:
        kinds = col(Vendor.kind).in_(("printful", "hotfolder"))
        rows = session.exec(select(Vendor).where(kinds)).all()
    vendors = [v for v in rows if v.settings.get("demo")]
    for vendor in vendors:
        if vendor.kind == "printful" and printful is not None:
            seed_printful_history(db, printful, vendor)
        elif vendor.kind == "hotfolder":
            seed_hotfolder_history(db, vendor)
