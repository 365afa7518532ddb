"""The shipping choice at the send confirm: per vendor, the methods it has and which is the default.

One vendor order (the details' send, one row of the list) is quoted: the vendor says what each
method costs for these items to this address and which methods reach it (Printify's shipping
quote, Printful's shipping rates); the cheapest is the default. Several orders at once get the
vendor's methods without costs (a quote per order would spend the vendor's rate limit before
anything is sent), standard by default. A vendor with one way to ship (a hot folder, a manual
vendor) offers no choice. Nothing here writes: the chosen method reaches the submission through
`SendOptions.shipping` and the claim (submissions.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import col, select

from podtui.adapters.vendors.base import ShippingQuoter, VendorOrderRequest
from podtui.adapters.vendors.kinds import NoAdapterError, adapter_class
from podtui.db import Database
from podtui.domain.models import OrderItem, Vendor
from podtui.domain.shipping import ShippingOption, default_method
from podtui.services.connections.vendors import Connect
from podtui.services.sending import submissions

QUOTE_MAX_ITEMS = 50  # more items than this are never one vendor order worth quoting
# The confirm waits for the quote: a vendor slower than this is offered unpriced instead.
QUOTE_TIMEOUT = 8.0


@dataclass(frozen=True)
class ShippingOffer:
    """One vendor's methods for this send, the default, and whether the costs are quoted."""

    vendor_id: int
    vendor_name: str
    options: tuple[ShippingOption, ...]
    default: str
    quoted: bool = False
    note: str = ""  # why no costs are shown, when a quote was asked for and failed

    def label(self) -> str:
        return f"{self.vendor_name} shipping"


def vendor_choices(kind: str) -> tuple[ShippingOption, ...]:
    """The methods a kind of vendor is known to have (empty: nothing to choose)."""
    try:
        cls = adapter_class(kind)
    except NoAdapterError:
        return ()
    return cls.shipping_choices() if issubclass(cls, ShippingQuoter) else ()


def shipping_offers(
    db: Database,
    item_ids: Sequence[int],
    *,
    connect: Connect,
    vendor_ids: Iterable[int] = (),
) -> list[ShippingOffer]:
    """An offer per vendor of these items that has several methods (by vendor name)."""
    ids = list(dict.fromkeys(item_ids))
    batches: dict[int, list[submissions.Batch]] = {}
    with db.read() as session:
        if len(ids) <= QUOTE_MAX_ITEMS:
            for batch in submissions.plan_batches(session, ids).batches:
                batches.setdefault(batch.vendor_id, []).append(batch)
        wanted = set(batches) | set(vendor_ids)
        vendors = session.exec(
            select(Vendor).where(col(Vendor.id).in_(wanted or {-1})).order_by(col(Vendor.name))
        ).all()
        requests: dict[int, VendorOrderRequest] = {}
        for vendor in vendors:
            assert vendor.id is not None
            found = batches.get(vendor.id, [])
            if len(found) == 1 and len(vendor_choices(vendor.kind)) > 1:
                requests[vendor.id] = _request(session, found[0].item_ids)
    offers: list[ShippingOffer] = []
    for vendor in vendors:
        assert vendor.id is not None
        choices = vendor_choices(vendor.kind)
        if len(choices) < 2:
            continue
        own = submissions.vendor_default_method(vendor)  # its setting, else standard
        default = own if own in {c.method for c in choices} else default_method(choices)
        offer = ShippingOffer(vendor.id, vendor.name, choices, default)
        if vendor.id in requests:
            offer = _quoted(offer, vendor, requests[vendor.id], connect)
        offers.append(offer)
    return offers


def _request(session: Any, item_ids: Sequence[int]) -> VendorOrderRequest:
    """The vendor order these items would make, for a quote (no key, no print-file links)."""
    items = session.exec(
        select(OrderItem).where(col(OrderItem.id).in_(list(item_ids))).order_by(col(OrderItem.id))
    ).all()
    return submissions.vendor_request(session, items, external_id="quote")


def _quoted(
    offer: ShippingOffer,
    vendor: Vendor,
    request: VendorOrderRequest,
    connect: Connect,
    timeout: float | None = None,
) -> ShippingOffer:
    """The offer with the vendor's costs; without them (and why) when it cannot be asked."""
    from podtui.services.sending.fulfil import run_async

    timeout = QUOTE_TIMEOUT if timeout is None else timeout

    found: list[ShippingOption] = []

    async def ask() -> None:
        adapter = connect(vendor)
        try:
            if isinstance(adapter, ShippingQuoter):
                found.extend(await asyncio.wait_for(adapter.shipping_options(request), timeout))
        finally:
            await adapter.aclose()

    try:
        run_async(ask)
    except TimeoutError:
        return replace(offer, note=f"no prices: {vendor.name} did not answer within {timeout:g} s")
    except Exception as exc:  # no token, vendor down, a refusal: offer the methods unpriced
        return replace(offer, note=f"no prices: {exc}")
    if not found:
        return offer
    options = tuple(found)
    return ShippingOffer(
        offer.vendor_id, offer.vendor_name, options, default_method(options), quoted=True
    )
