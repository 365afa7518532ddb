"""What every store adapter speaks: the `StoreAdapter` protocol and the store-neutral order types.

The Shopify (Admin GraphQL) and WooCommerce (REST v3) adapters turn their payloads into
`StoreOrder`s; the sync service (services/sync/pull.py) upserts those on (store, store order id) and
never sees a store's own JSON shape except as `raw`, which is kept for the operator. A payload
an adapter cannot read becomes a `StoreOrderProblem` (with the raw text and the reason) instead of
failing the page it came in, so the rest of a sync goes on. Failures of the API itself are
`ApiError`s (adapters/http.py); a secret never appears in one.
What only some stores can do is a protocol of its own beside `StoreAdapter` (`RawReader`,
`OrderPlacer`): the services ask `isinstance`, never `getattr`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from podtui.domain.address import ShippingAddress


@dataclass(frozen=True)
class StoreLineItem:
    store_line_id: str
    product_id: str
    variant_id: str
    sku: str
    title: str
    variant_title: str
    quantity: int
    price: Decimal
    # Shopify `properties` / WooCommerce `meta_data` as name -> value, in the store's own names;
    # the personalization mapping (domain/personalization.py) turns them into template fields.
    properties: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    # Units still owed after refunds and removals (Shopify `currentQuantity`; WooCommerce:
    # `quantity` less the refunds' line quantities); None when the store did not say.
    current_quantity: int | None = None
    product_type: str = ""  # the store's type of the product (Shopify); "" where it gives none

    @property
    def owed(self) -> int:
        return self.quantity if self.current_quantity is None else self.current_quantity


@dataclass(frozen=True)
class StoreOrder:
    store_order_id: str
    name: str  # what operators and customers call it: "#1001", "4120"
    created_at: datetime  # aware UTC
    updated_at: datetime  # aware UTC
    currency: str
    total: Decimal
    payment_method: str
    payment_status: str  # paid | pending | refunded | partially_refunded | ...
    fulfillment_status: str  # the store's word: unfulfilled | partial | fulfilled | ...
    store_status: str  # open | cancelled | processing | completed | ...
    source: str  # order type/source: store, amazon, etsy, pos, ...
    customer_name: str
    customer_email: str
    customer_note: str
    shipping: ShippingAddress
    shipping_method: str
    lines: tuple[StoreLineItem, ...]
    canceled: bool = False
    refunded: bool = False
    raw: dict[str, Any] = field(default_factory=dict)
    test: bool = False  # a test order (Shopify `test`; a WooCommerce store's rule)
    shipping_from_billing: bool = False  # the order had no shipping address; billing's is used
    shipping_total: Decimal = Decimal("0")  # what the customer paid for shipping


@dataclass(frozen=True)
class StoreOrderProblem:
    """A payload that could not be read: kept whole, with why, for the sync-problems list."""

    store_order_id: str  # "" when even the id was unreadable
    reason: str
    raw: str


@dataclass(frozen=True)
class OrderPage:
    """One page of a listing: orders read, payloads that could not be, and where to go on."""

    orders: tuple[StoreOrder, ...]
    problems: tuple[StoreOrderProblem, ...] = ()
    cursor: str | None = None  # opaque: resume an incremental sync from here
    total_pages: int | None = None  # when the API says (WooCommerce X-WP-TotalPages)
    drafts_skipped: int = 0  # checkout drafts left out on purpose (carts, not orders)


@dataclass(frozen=True)
class TrackingPush:
    """Tracking carried back to the store for some lines of one order (one tracking number)."""

    store_order_id: str
    store_line_ids: tuple[str, ...]  # empty = the whole order
    carrier: str
    tracking_number: str
    tracking_url: str = ""
    notify_customer: bool = True
    # Units of each line in this parcel (a split item ships in parts); empty: all still open.
    line_quantities: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class WriteReceipt:
    """What a store said to a change podtui asked of it (or what podtui found of it later)."""

    store_ref: str = ""  # the store's id of what it made (a refund, a note); "" when none
    payment_status: str | None = None  # the order's payment status after it, when the store said
    store_status: str | None = None  # the order's status after it, when the store said
    found: bool = False  # found at the store after a lost answer, not answered directly
    order: StoreOrder | None = None  # the order as the store has it after the change, if read


@dataclass(frozen=True)
class RefundRequest:
    """A refund asked of the store: units of lines, shipping, and how the money goes back."""

    lines: tuple[tuple[str, int], ...]  # (store line id, units)
    shipping: Decimal = Decimal("0")
    reason: str = ""
    restock: bool = False
    notify: bool = False
    through_gateway: bool = True  # False: recorded only, the money returned by hand
    amount: Decimal | None = None  # the total the operator confirmed (the store's quote)
    # Money off the calculated figure: an adjustment either way (+ goodwill, - a deduction) and
    # a restocking fee kept back. Shopify keeps them as the refund's discrepancy.
    adjustment: Decimal = Decimal("0")
    fee: Decimal = Decimal("0")

    def settled(self, calculated: Decimal) -> Decimal:
        """The money of the refund: the calculated figure, adjusted, less the fee."""
        return calculated + self.adjustment - self.fee

    def words(self) -> str:
        """The reason, with the adjustment and the fee where there are: what the store keeps
        as the refund's reason or note ("scuffed; adjustment -2.00; restocking fee 1.00")."""
        parts = [self.reason.strip()] if self.reason.strip() else []
        if self.adjustment:
            parts.append(f"adjustment {self.adjustment:+.2f}")
        if self.fee:
            parts.append(f"restocking fee {self.fee:.2f}")
        return "; ".join(parts)


@dataclass(frozen=True)
class RefundQuote:
    """What the store would refund for a request (Shopify's suggestedRefund; else computed)."""

    amount: Decimal
    currency: str
    maximum: Decimal | None = None  # the most the order can still refund, when the store says
    by_store: bool = False  # the store's own calculation, not podtui's
    calculated: Decimal | None = None  # lines and shipping, before the adjustment and the fee


@dataclass(frozen=True)
class StoreNote:
    """A note the store keeps on an order (WooCommerce order notes, Shopify order events), as
    the store wrote it."""

    store_note_id: str
    author: str  # "system" for the store's own notes, else the user or app that wrote it
    at: datetime  # aware UTC
    body: str
    to_customer: bool = False


@dataclass(frozen=True)
class StoreCustomer:
    """A customer account at the store, as a search finds it."""

    customer_id: str
    name: str
    email: str
    billing: dict[str, str] = field(default_factory=dict)  # WooCommerce's billing address


def write_marker(key: str) -> str:
    """The short reference to podtui's key that goes into a note the store keeps."""
    return f"({key[:15]})"  # "(podtui-1a2b3c4d)": the key's start, unique enough per order


class StoreAdapter(Protocol):
    """List, fetch and write back orders of one store. One instance per Store row."""

    kind: str  # shopify | woocommerce

    def list_orders(
        self,
        *,
        updated_since: datetime | None = None,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
        cursor: str | None = None,
    ) -> AsyncIterator[OrderPage]:
        """Pages of orders changed since `updated_since` (or created in the range, or all)."""
        ...

    async def get_orders(self, store_order_ids: list[str]) -> OrderPage:
        """These orders, by the store's ids (missing ids become problems)."""
        ...

    async def get_order(self, store_order_id: str) -> StoreOrder:
        """One order; ApiError (404) when the store has no such order."""
        ...

    async def push_tracking(self, push: TrackingPush) -> str:
        """Create a fulfillment (Shopify) / note + completed (WooCommerce); returns the store's id.

        Must be safe to repeat: an adapter checks what the store already has first, since neither
        API offers an idempotency key.
        """
        ...

    async def add_note(self, store_order_id: str, body: str) -> str:
        """Add a private note to the order; returns the note's id."""
        ...

    async def set_status(self, store_order_id: str, status: str) -> None:
        """Set the store order status (WooCommerce status; Shopify: close/cancel where allowed)."""
        ...

    async def mark_paid(self, store_order_id: str, key: str) -> WriteReceipt:
        """Record the order's payment as received (a manual payment; nothing is captured).

        `key` is podtui's idempotency key for this change: kept by the store where it can be.
        """
        ...

    async def find_mark_paid(self, store_order_id: str, key: str) -> WriteReceipt | None:
        """After a lost answer: the receipt when the store has the order paid, else None."""
        ...

    async def post_note(
        self, store_order_id: str, body: str, key: str, *, to_customer: bool
    ) -> WriteReceipt:
        """Post a note to the order (WooCommerce: private or to the customer, who is e-mailed;
        Shopify: added to the order's note), carrying `write_marker(key)`."""
        ...

    async def find_note(self, store_order_id: str, key: str) -> WriteReceipt | None:
        """After a lost answer: the note carrying `write_marker(key)`, or None."""
        ...

    async def list_notes(self, store_order_id: str) -> list[StoreNote]:
        """The notes the store keeps on the order, oldest first ([] where it keeps none)."""
        ...

    async def change_status(
        self, store_order_id: str, status: str, key: str, options: dict[str, Any]
    ) -> WriteReceipt:
        """Move the order to `status` (WooCommerce: its status; Shopify: open, closed or
        cancelled, `options` holding the cancellation's reason, refund, restock, notify and
        staff note)."""
        ...

    async def find_status(self, store_order_id: str, status: str, key: str) -> WriteReceipt | None:
        """After a lost answer: the receipt when the order is in `status` by this change."""
        ...

    async def quote_refund(self, store_order_id: str, request: RefundRequest) -> RefundQuote:
        """What the store would refund for `request` (nothing is refunded)."""
        ...

    async def refund(self, store_order_id: str, request: RefundRequest, key: str) -> WriteReceipt:
        """Refund at the store, `write_marker(key)` in the refund's note; the receipt carries
        the refund's id and the order as it is after it."""
        ...

    async def find_refund(self, store_order_id: str, key: str) -> WriteReceipt | None:
        """After a lost answer: the refund carrying `write_marker(key)`, or None."""
        ...

    async def search_customers(self, query: str, limit: int = 10) -> list[StoreCustomer]:
        """The store's customers matching a name or an e-mail."""
        ...

    async def set_customer(
        self, store_order_id: str, customer: StoreCustomer, key: str
    ) -> WriteReceipt:
        """Make `customer` the order's customer (Shopify orderCustomerSet; WooCommerce
        customer_id and billing)."""
        ...

    async def find_customer_set(
        self, store_order_id: str, customer_id: str, key: str
    ) -> WriteReceipt | None:
        """After a lost answer: the receipt when the order has this customer, else None."""
        ...

    async def create_return(
        self, store_order_id: str, lines: tuple[tuple[str, int], ...], reason: str, key: str
    ) -> WriteReceipt:
        """Return fulfilled units (Shopify returnCreate; WooCommerce, which has no returns, a
        private order note saying what came back), `write_marker(key)` kept with it."""
        ...

    async def find_return(self, store_order_id: str, key: str) -> WriteReceipt | None:
        """After a lost answer: the return carrying `write_marker(key)`, or None."""
        ...

    async def check(self) -> str:
        """Test the credentials against the API; returns a line describing the shop."""
        ...

    async def aclose(self) -> None: ...


@runtime_checkable
class RawReader(Protocol):
    """A store whose kept `raw` payloads can be read again: the sync compares what the store
    said then with what it says now."""

    def parse_raw(self, payload: dict[str, Any]) -> StoreOrder:
        """The order in a payload kept earlier."""
        ...


@runtime_checkable
class OrderPlacer(Protocol):
    """A store podtui can place a test order in (WooCommerce); elsewhere the operator places
    one in the store's admin and syncs."""

    async def place_test_order(
        self, lines: list[tuple[str, str, int]], address: ShippingAddress, note: str
    ) -> str:
        """Create an order the store's test rule marks, from (product id, variant id or "",
        quantity) lines; its id."""
        ...
