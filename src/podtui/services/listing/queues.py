"""Vendor queues: how many items wait Ready to send at each vendor (the list's `Q` picker).

One GROUP BY over the Ready tab's default view (unmanaged items and archived orders hidden, as
the list hides them), the same count the Ready tab shows, split per vendor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from podtui.services.listing.filters import ListFilter
from podtui.services.listing.query import ListQuery, MarkSet, resolve
from podtui.services.listing.reader import ListReader


@dataclass(frozen=True)
class VendorQueue:
    """One vendor's ready queue."""

    vendor_id: int
    name: str
    ready: int


def ready_queues(reader: ListReader, now: datetime) -> list[VendorQueue]:
    """Vendors with items Ready to send, the fullest queue first (then by name)."""
    lookups = reader.lookups()
    everything = MarkSet()
    everything.mark_all(resolve(ListQuery(ListFilter(), tab="ready"), lookups, now))
    queues = [
        VendorQueue(row.vendor_id, lookups.vendor_name(row.vendor_id), row.count)
        for row in reader.marks_breakdown(everything)
        if row.vendor_id is not None and row.count
    ]
    return sorted(queues, key=lambda q: (-q.ready, q.name.lower()))
