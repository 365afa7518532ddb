"""What every fulfillment vendor adapter speaks: the `VendorAdapter` protocol and its value types.

The submission service (services/sending/fulfil.py) builds a `VendorOrderRequest` from Ready
items, commits a Submission row with `external_id` as its idempotency key, and only then calls
`submit`. The adapters (Printify, Printful, the in-house hot folder; a manual vendor has none)
translate these types to and from their API. Every failure is an `ApiError` (adapters/http.py):
its `http_status`, `code`, `raw`, `retryable` and `outcome_unknown` tell the service whether to
wait for the operator, retry, or reconcile with `find(external_id)` before anything is sent again.
A vendor with several ways to ship is also a `ShippingQuoter`: the send confirm offers its methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from podtui.domain.address import ShippingAddress
from podtui.domain.shipping import ShippingOption


class VendorStage(StrEnum):
    """Where a vendor order stands, in podtui's words; each adapter maps its own statuses here."""

    ACCEPTED = "accepted"  # created (and sent to production where that is a separate step)
    IN_PRODUCTION = "in_production"
    ON_HOLD = "on_hold"  # the vendor stopped it; `VendorOrder.reason` says why
    FULFILLED = "fulfilled"  # shipped
    CANCELED = "canceled"
    FAILED = "failed"  # the vendor refused it after accepting


@dataclass(frozen=True)
class VendorLine:
    """One order item as the vendor needs it."""

    item_id: int
    quantity: int
    sku: str = ""
    # The vendor's product ids from ProductMapping.vendor_product (blueprint_id, print_provider_id,
    # variant_id for Printify; variant_id/product_id for Printful; printer/product type for a
    # hot folder).
    vendor_product: dict[str, Any] = field(default_factory=dict)
    print_file: Path | None = None  # the rendered PNG on this machine
    print_file_url: str = ""  # where the vendor can fetch it (Printful), when configured
    placement: str = "front"
    title: str = ""  # for job tickets and vendor dashboards
    variant: str = ""


@dataclass(frozen=True)
class VendorOrderRequest:
    """One vendor order: possibly several items of several store orders to one address."""

    external_id: str  # == Submission.idempotency_key; the vendor's own duplicate guard
    lines: tuple[VendorLine, ...]
    address: ShippingAddress
    label: str = ""  # the store order name(s), shown in the vendor's dashboard
    shipping_method: str = "standard"


@dataclass(frozen=True)
class VendorShipment:
    carrier: str
    tracking_number: str
    tracking_url: str = ""
    shipped_at: datetime | None = None
    item_ids: tuple[int, ...] = ()  # empty = every item of the order


@dataclass(frozen=True)
class VendorOrder:
    """The vendor's view of one order, from submit, find, status or a webhook payload."""

    vendor_order_id: str
    external_id: str
    stage: VendorStage
    vendor_status: str  # the vendor's own word, shown to the operator
    reason: str = ""  # why on hold / failed / canceled, in the vendor's words
    shipments: tuple[VendorShipment, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)


class VendorAdapter(Protocol):
    """Submit, look up, follow and cancel vendor orders. One instance per Vendor row."""

    kind: str  # printify | printful | hotfolder
    max_concurrency: int  # requests in flight a bulk send may use for this vendor

    async def submit(self, request: VendorOrderRequest) -> VendorOrder:
        """Create the order (and send it to production where the API separates the two)."""
        ...

    async def find(self, external_id: str) -> VendorOrder | None:
        """The order created with `external_id`, or None if the vendor never got it."""
        ...

    async def status(self, vendor_order_id: str) -> VendorOrder:
        """Current stage, vendor status and shipments."""
        ...

    async def cancel(self, vendor_order_id: str) -> VendorOrder:
        """Cancel where the vendor's status allows; ApiError (4xx) with its reason otherwise."""
        ...

    def parse_webhook(self, payload: dict[str, Any]) -> VendorOrder | None:
        """A relayed webhook body as a VendorOrder (None for events podtui does not follow)."""
        ...

    async def aclose(self) -> None: ...


@runtime_checkable
class ShippingQuoter(Protocol):
    """A vendor with several shipping methods: which it has, and what each costs for one order.

    Both members are methods so that the protocol answers `issubclass` too: the send confirm
    asks an adapter's class (no connection needed) whether there is anything to choose.
    """

    @classmethod
    def shipping_choices(cls) -> tuple[ShippingOption, ...]:
        """Every method the vendor has, without costs (offered when several orders go at once)."""
        ...

    async def shipping_options(self, request: VendorOrderRequest) -> list[ShippingOption]:
        """The methods that reach this order's address, each with its cost."""
        ...
