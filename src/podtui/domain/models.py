"""SQLModel tables: the shop's stores, vendors, artwork, orders, items and their timeline.

Times are timezone-aware UTC (`utcnow()`); money is kept as decimal strings in the store's
currency so nothing is lost to float rounding. Columns the order list filters or sorts on are
copied onto `order_item` (store, created time, archived) and indexed, so the list never joins to
filter a million rows; the services that change an order keep those copies in step.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from podtui.domain.status import ItemStatus


def utcnow() -> datetime:
    """Now, as the aware UTC datetime every table stores."""
    return datetime.now(UTC)


def _json(**kw: Any) -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False, **kw))


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


def _status(nullable: bool) -> Any:
    # Stored as the lower-case value in a plain VARCHAR: readable in raw SQL, no native enum type
    # for PostgreSQL migrations to drag along.
    kind = SAEnum(
        ItemStatus,
        values_callable=lambda enum: [member.value for member in enum],
        native_enum=False,
        length=24,
        validate_strings=True,
    )
    default = None if nullable else ItemStatus.MISSING_ARTWORK
    return Field(default=default, sa_column=Column(kind, nullable=nullable))


def _text(nullable: bool = True) -> Any:
    return Field(default=None if nullable else "", sa_column=Column(Text, nullable=nullable))


class Store(SQLModel, table=True):
    """An online store podtui pulls orders from; its secret lives in the keyring, never here."""

    __tablename__ = "store"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    kind: str  # shopify | woocommerce | sandbox
    base_url: str = ""
    auto_submit_hours: float = 0.0  # 0 = no automatic submission
    sync_cursor: str | None = None  # opaque per adapter (an ISO time, a page cursor ...)
    last_sync_at: datetime | None = None
    last_sync_ok_at: datetime | None = None
    last_sync_error: str | None = None
    sync_failures: int = 0  # consecutive failed syncs, for the warning in the TUI
    settings: dict[str, Any] = _json()
    created_at: datetime = Field(default_factory=utcnow)


class Vendor(SQLModel, table=True):
    """Who prints: an API vendor (Printify, Printful), the in-house hot folder, or a manual one."""

    __tablename__ = "vendor"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    kind: str  # printify | printful | hotfolder | manual | sandbox
    base_url: str = ""
    rate_limit_per_min: int = 0  # 0 = the adapter's documented default
    settings: dict[str, Any] = _json()
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def integrated(self) -> bool:
        """Whether podtui sends to this vendor, or the operator only marks items fulfilled."""
        return self.kind != "manual"


class Artwork(SQLModel, table=True):
    """A design: a template (layers, fields) that renders print files for items linked to it.

    Artwork added to the library (services/catalogue) lives in the data directory under its
    content hash; `template` and `preview_path` are then relative to the data directory.
    """

    __tablename__ = "artwork"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    template: str = ""  # template file name or path (see services/render)
    fields: list[str] = _json_list()  # personalization field names the template takes
    preview_path: str | None = None
    kind: str = "template"  # template | image (a print image, wrapped in a one-layer template)
    content_hash: str | None = Field(default=None, unique=True)  # sha256 over file and assets
    source: str = ""  # where the operator added it from (for the record; never read again)
    created_at: datetime = Field(default_factory=utcnow)


class CatalogueCache(SQLModel, table=True):
    """A vendor catalogue answer kept with its time: the product list, a product's providers
    or variants (`key`: products | providers:<product> | variants:<product>:<provider>)."""

    __tablename__ = "catalogue_cache"
    __table_args__ = (UniqueConstraint("vendor_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    key: str
    fetched_at: datetime = Field(default_factory=utcnow)
    data: list[Any] = _json_list()


class ProductMapping(SQLModel, table=True):
    """A store product/variant -> the artwork it is printed from and the vendor product it is.

    Keyed on store + product id + variant id: SKUs are blank or repeated in real shops and a
    WooCommerce simple product has no variant, so `sku` is kept to show and search, never to
    match. A row with `variant_id` empty stands for every variant of the product (the listing)
    that has no row of its own.
    """

    __tablename__ = "product_mapping"
    __table_args__ = (
        UniqueConstraint("store_id", "product_id", "variant_id", name="uq_mapping_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True)
    product_id: str = Field(index=True)
    variant_id: str = ""
    sku: str = ""
    artwork_id: int | None = Field(default=None, foreign_key="artwork.id")
    vendor_id: int | None = Field(default=None, foreign_key="vendor.id")
    # The vendor's ids: blueprint_id, print_provider_id, variant_id (Printify); product_id,
    # variant_id (Printful); queue, product_type (hot folder); nothing for a manual vendor.
    vendor_product: dict[str, Any] = _json()
    weight_grams: int | None = None  # the product's shipping weight
    hs_code: str = ""  # customs tariff number for shipping abroad
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class RoutingRule(SQLModel, table=True):
    """An ordered rule routing the items no mapping covers: what it matches, where they go.

    Terms (domain/routing.py): SKU glob, title, product type, store, destination countries; an
    empty term matches anything. The first rule by `position` that matches takes an item.
    """

    __tablename__ = "routing_rule"

    id: int | None = Field(default=None, primary_key=True)
    position: int = Field(default=0, index=True)
    name: str = ""
    match_sku: str = ""
    match_title: str = ""
    match_product_type: str = ""  # the store's product type: a glob, or words it contains
    match_store_id: int | None = Field(default=None, foreign_key="store.id")
    match_countries: list[str] = _json_list()
    vendor_id: int = Field(foreign_key="vendor.id")
    vendor_product: dict[str, Any] = _json()  # as a mapping's: queue, product_type, ids
    artwork_id: int | None = Field(default=None, foreign_key="artwork.id")
    approve: str = "manual"  # manual | auto | no_fields (domain/routing.APPROVE_MODES)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Order(SQLModel, table=True):
    """What the customer bought, mirrored from the store, plus the shop's own edits."""

    __tablename__ = "order"
    __table_args__ = (
        UniqueConstraint("store_id", "store_order_id"),
        Index("ix_order_created", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True)
    store_order_id: str
    name: str = Field(index=True)  # "#1001"
    number: str = ""
    created_at: datetime
    store_updated_at: datetime | None = None
    customer_name: str = ""
    customer_email: str = Field(default="", index=True)
    # Shipping address, flat so the list can show "city, state, country" without parsing JSON.
    ship_name: str = ""
    ship_company: str = ""
    ship_address1: str = ""
    ship_address2: str = ""
    ship_city: str = ""
    ship_state: str = ""
    ship_postal_code: str = ""
    ship_country: str = ""  # ISO 3166-1 alpha-2
    ship_phone: str = ""
    ship_email: str = ""
    shipping_method: str = ""
    subtotal: str = "0.00"
    shipping_total: str = "0.00"  # what the customer paid for shipping
    total: str = "0.00"
    currency: str = "USD"
    payment_method: str = ""
    store_status: str = ""  # the store's order status, verbatim (WooCommerce: processing ...)
    # the store's payment status: a key of domain/payment.py (unpaid, pending, paid ...)
    payment_status: str = Field(default="", index=True)
    store_fulfillment_status: str = ""  # unfulfilled | partial | fulfilled
    # Returns made from podtui: "" | partially_returned | returned (of the units produced here).
    return_status: str = ""
    source: str = "store"  # store | amazon | etsy | other
    test: bool = Field(default=False, index=True)  # a test order at the store: never printed
    # What the sync had to read into the order, said on it (shipping taken from billing ...).
    notices: list[str] = _json_list()
    customer_note: str = _text(nullable=False)
    archived: bool = Field(default=False, index=True)
    # Fields the operator edited locally; a sync records the store's newer value in
    # `store_pending` instead of overwriting them.
    local_edits: list[str] = _json_list()
    store_pending: dict[str, Any] = _json()
    raw: dict[str, Any] = _json()  # the store payload as last synced, verbatim
    synced_at: datetime = Field(default_factory=utcnow)


class OrderItem(SQLModel, table=True):
    """One line of an order that this shop produces: the unit of work."""

    __tablename__ = "order_item"
    __table_args__ = (
        Index("ix_item_status_created", "status", "order_created_at", "id"),
        Index("ix_item_created", "order_created_at", "id"),
        Index("ix_item_vendor_status", "vendor_id", "status"),
        Index("ix_item_store_created", "store_id", "order_created_at"),
        Index("ix_item_archived_status", "archived", "managed", "status"),
        Index("ix_item_due", "status", "auto_submit_at"),
        Index("ix_item_product", "store_id", "product_id", "variant_id"),  # a size exchange
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="order_item.id", index=True)
    store_line_id: str = ""
    product_id: str = ""
    variant_id: str = ""
    sku: str = Field(default="", index=True)
    title: str = ""
    variant_title: str = ""
    product_type: str = ""  # the store's own (Shopify's product type; WooCommerce: none)
    quantity: int = 1
    unit_price: str = "0.00"
    personalization_raw: list[Any] = _json_list()  # the store's payload, verbatim
    personalization: dict[str, Any] = _json()  # parsed fields, as the operator edits them
    status: ItemStatus = _status(nullable=False)
    status_before: ItemStatus | None = _status(nullable=True)  # where restore/release lead back to
    hold_reason: str | None = None
    managed: bool = True  # False: no POD mapping for the product; hidden by default
    vendor_id: int | None = Field(default=None, foreign_key="vendor.id")
    artwork_id: int | None = Field(default=None, foreign_key="artwork.id")
    # The routing rule that gave it its vendor and artwork (None: a mapping or a person did).
    rule_id: int | None = None
    submitted_at: datetime | None = None  # set once, when first handed to a vendor
    auto_submit_at: datetime | None = None  # when the countdown sends it (Ready only)
    # What the store did to the line after the item was sent ("refunded at the store ...").
    store_flag: str | None = None
    # Copies of order columns the list filters and sorts on (kept in step by the services).
    store_id: int = Field(foreign_key="store.id")
    order_created_at: datetime
    archived: bool = False
    version: int = 0  # bumped by every change, so a screen can tell its row is stale
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PrintFile(SQLModel, table=True):
    """A rendered print file of an item; the newest `current` one is what gets sent."""

    __tablename__ = "print_file"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="order_item.id", index=True)
    path: str
    preview_path: str | None = None
    mockup_path: str | None = None
    sha256: str = ""
    width: int = 0
    height: int = 0
    dpi: int = 300
    size_bytes: int = 0
    current: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class RenderJob(SQLModel, table=True):
    """A queued render; the job table is what lets renders survive a restart."""

    __tablename__ = "render_job"
    __table_args__ = (Index("ix_render_job_state", "state", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="order_item.id", index=True)
    state: str = "queued"  # queued | running | done | failed
    attempts: int = 0
    worker: str | None = None  # host:pid that claimed it
    claimed_at: datetime | None = None
    error: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class Submission(SQLModel, table=True):
    """One vendor order: committed with its idempotency key before any HTTP call is made."""

    __tablename__ = "submission"

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True)  # the vendor's external_id
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    state: str = Field(default="pending", index=True)  # pending|sending|sent|failed|canceled
    # The vendor's word for the shipping chosen at the send confirm; None: the vendor's default.
    shipping_method: str | None = None
    vendor_order_id: str | None = None
    vendor_status: str | None = None
    attempts: int = 0
    error_code: str | None = None
    error_message: str | None = None
    http_status: int | None = None
    raw_response: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SubmissionItem(SQLModel, table=True):
    """Which items a submission carries (several when orders are consolidated)."""

    __tablename__ = "submission_item"

    submission_id: int = Field(foreign_key="submission.id", primary_key=True)
    item_id: int = Field(foreign_key="order_item.id", primary_key=True, index=True)


class Shipment(SQLModel, table=True):
    """A parcel: carrier and tracking, from the vendor or typed in by the operator."""

    __tablename__ = "shipment"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="order_item.id", index=True)
    submission_id: int | None = Field(default=None, foreign_key="submission.id")
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    status: str = "shipped"
    shipped_at: datetime | None = None
    pushed_to_store_at: datetime | None = None  # tracking carried back once
    created_at: datetime = Field(default_factory=utcnow)


class Note(SQLModel, table=True):
    """An operator's note on an order."""

    __tablename__ = "note"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    author: str
    body: str = _text(nullable=False)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Event(SQLModel, table=True):
    """The timeline: who did what, when, from which status to which."""

    __tablename__ = "event"
    # (item_id, at) serves per-item timelines and, as its prefix, every lookup by item.
    __table_args__ = (
        Index("ix_event_order_at", "order_id", "at"),
        Index("ix_event_item_at", "item_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    user: str
    type: str  # an Action value, or sync/note/... for events that are not item transitions
    order_id: int | None = Field(default=None, foreign_key="order.id")
    item_id: int | None = Field(default=None, foreign_key="order_item.id")
    from_status: str | None = None
    to_status: str | None = None
    params: dict[str, Any] = _json()


class SyncProblem(SQLModel, table=True):
    """A store payload that could not be read, kept with its reason so nothing is lost."""

    __tablename__ = "sync_problem"

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True)
    store_order_id: str | None = None
    reason: str
    raw: str = _text(nullable=False)
    resolved: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class RateLimit(SQLModel, table=True):
    """One rate limit shared by every process on the database (a vendor's API, by its name).

    `next_free` is when the bucket is next empty, in seconds since the epoch: the turn-taking is
    services/connections/rate_limits.py.
    """

    __tablename__ = "rate_limit"

    name: str = Field(primary_key=True)  # "vendor:<id>"
    next_free: float = 0.0


class StoreWrite(SQLModel, table=True):
    """One change asked of a store (mark paid, refund, note ...), committed before the call.

    `key` is podtui's idempotency key: written into what the store keeps (a refund's note, an
    order note or meta) so that after a lost answer podtui looks for it before asking again.
    `state`: sending (the call is out), accepted, refused (the store's reason in `error`),
    unknown (the answer was lost and the store could not be asked; settled before the next
    write on the order), not_applied (looked for later and not found: nothing happened).
    """

    __tablename__ = "store_write"
    __table_args__ = (Index("ix_store_write_order_state", "order_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    order_id: int = Field(foreign_key="order.id")
    store_id: int = Field(foreign_key="store.id")
    operation: str  # mark_paid | refund | note | status | customer | return
    params: dict[str, Any] = _json()
    notify: bool | None = None  # whether the customer was to be told (None: the store decides)
    state: str = "sending"
    store_ref: str = ""  # the store's id of what it made (refund, note), when it says
    error: str = _text(nullable=False)
    raw: str = _text(nullable=False)
    user: str = ""
    attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
