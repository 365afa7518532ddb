"""A deterministic generator of realistic shop data for the demo, the sandbox and the benches.

Pure: no database, no clock (the caller passes `now`), no I/O. The same seed, `now` and size give
the same orders, so snapshot tests and benches see stable data. The shop itself (stores, vendors,
artwork, products) is in `demo_catalog`, customers in `demo_people`, the steps items took in
`demo_paths`, places, names and texts in `demo_pools`, vendor refusals in `demo_failures`; the
store JSON shapes are built by `demo_payloads`.

`DemoGenerator(...).orders()` yields `DemoOrder`s oldest first; `demo/seed.py` turns them into
rows. The first orders always carry every item status, an unmanaged item, a multi-quantity item
that needs splitting and an item already split, so even a ten-order demo shows all of them.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from podtui.demo import places, pools
from podtui.demo.catalog import (
    ARTWORK_BY_KEY,
    STORES,
    ArtworkSpec,
    StoreProduct,
    StoreSpec,
    Variant,
    store_products,
)
from podtui.demo.failures import FAILURES, Address, Failure, address_refusals
from podtui.demo.paths import (
    BY_AGE,
    DAY,
    FROM_MISSING,
    HOTFOLDER_FULFILLED,
    MANUAL_FULFILLED,
    MANUAL_STATUS,
    PATHS,
    SAVES_PREVIOUS,
    SPAN,
    SYSTEM_ACTIONS,
    Step,
    Weighted,
)
from podtui.demo.people import Customer, fill, make_customer, tracking_for
from podtui.demo.uploads import shopify_property, upload_url, woo_meta
from podtui.domain.status import Action, ItemStatus

T = TypeVar("T")
S = ItemStatus
A = Action
__all__ = [
    "PATHS",
    "SYSTEM_ACTIONS",
    "Customer",
    "DemoGenerator",
    "DemoItem",
    "DemoOrder",
    "Step",
    "Weighted",
    "default_now",
    "demo_settings",
    "fill",
    "make_customer",
    "money",
    "raw_entries",
    "raw_payload",
    "tracking_for",
]


# --- orders -------------------------------------------------------------------------------------


@dataclass(slots=True)
class DemoItem:
    """One order line as the shop works on it."""

    line_id: str
    product: StoreProduct
    variant: Variant
    quantity: int
    personalization: dict[str, str]
    meta_id: int  # WooCommerce: the id of the line's first meta_data entry
    status: ItemStatus
    import_status: ItemStatus
    steps: tuple[Step, ...] = ()
    step_times: tuple[int, ...] = ()  # unix seconds of each step
    status_before: ItemStatus | None = None
    hold_reason: str | None = None
    failure: Failure | None = None
    shipment: tuple[str, str, str] | None = None  # carrier, tracking number, tracking URL
    split_of: int | None = None  # index in the order's items of the item this was split from
    split_quantities: tuple[int, ...] = ()  # on a split's parent: the quantities it made
    original: dict[str, str] | None = None  # before a split gave each part its own values
    upload: str | None = None  # the customer's photo, as the `file://` URL the line carries

    @property
    def managed(self) -> bool:
        return self.product.spec.managed

    @property
    def store_values(self) -> dict[str, str]:
        """The personalization as the store sent it (a split child keeps its parent's)."""
        return self.original if self.original is not None else self.personalization

    @property
    def raw(self) -> list[dict[str, Any]]:
        """The line's personalization payload exactly as the store sends it."""
        return raw_payload(self)

    @property
    def vendor(self) -> str | None:
        return self.product.spec.vendor

    @property
    def artwork(self) -> str | None:
        return None if self.import_status is S.MISSING_ARTWORK else self.product.spec.artwork


@dataclass(slots=True)
class DemoOrder:
    """One order with its items, operator notes and the store's own statuses."""

    index: int
    store: StoreSpec
    store_order_id: str
    number: str
    name: str
    created: int  # unix seconds, UTC
    customer: Customer
    source: str
    payment_method: str
    shipping_method: str
    shipping_cents: int
    customer_note: str
    items: list[DemoItem] = field(default_factory=list)
    tax_cents: int = 0
    store_status: str = ""
    payment_status: str = ""
    fulfillment_status: str = ""
    archived: bool = False
    notes: list[tuple[int, str, str]] = field(default_factory=list)  # (unix time, author, body)
    marketplace_id: str = ""  # the Amazon/Etsy order number when the order came from one

    @property
    def created_at(self) -> datetime:
        return datetime.fromtimestamp(self.created, UTC)

    @property
    def subtotal_cents(self) -> int:
        # A split line's parts add up to the quantity the store sold.
        return sum(i.variant.price_cents * i.quantity for i in self.items)

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents + self.shipping_cents + self.tax_cents

    @property
    def updated(self) -> int:
        """When the order last changed: its newest step or note."""
        latest = self.created + 120
        for item in self.items:
            if item.step_times:
                latest = max(latest, item.step_times[-1])
        for at, _, _ in self.notes:
            latest = max(latest, at)
        return latest


def money(cents: int) -> str:
    """Cents as the decimal string stores send ("29.35")."""
    return f"{cents // 100}.{cents % 100:02d}"


_FIELD_POOLS: dict[str, tuple[str, ...]] = {
    "name": pools.NAMES,
    "date": pools.DATES,
    "pet_name": pools.PET_NAMES,
    "tagline": pools.TAGLINES,
    "names": pools.COUPLES,
    "vows": pools.VOWS,
    "family": pools.FAMILIES,
    "year": pools.YEARS,
    "initials": pools.INITIALS,
    "city": pools.CITIES,
    "coordinates": pools.COORDINATES,
}
_NAME_FIELDS = frozenset({"name", "pet_name", "names", "family", "initials"})
# Payment method -> (share of young orders still unpaid, hold reason, WooCommerce status).
_UNPAID = {
    "bacs": (0.7, "Awaiting BACS payment", "on-hold"),
    "ppcp-gateway": (0.1, "PayPal payment not completed yet", "pending"),
    "stripe": (0.04, "Card payment failed; waiting for the customer to pay again", "failed"),
    "manual": (0.6, "Manual payment (invoice) not received yet", ""),
}


class DemoGenerator:
    """Orders for the demo stores, oldest first: `orders` of them, or up to `items` items."""

    def __init__(
        self,
        *,
        now: datetime,
        seed: int = 7,
        orders: int = 500,
        items: int | None = None,
        span_days: float | None = None,
        hotfolder_path: str = "/srv/podtui/hotfolder",
        uploads: str | None = None,
    ) -> None:
        if now.utcoffset() is None:
            raise ValueError("now must be timezone-aware")
        self.now = int(now.timestamp())
        self.orders_wanted = max(0, orders)
        self.items_wanted = items
        expected = float(orders) if items is None else items / 1.6
        days = span_days if span_days is not None else max(45.0, min(1095.0, expected / 40))
        self.span = int(days * DAY)
        self.hotfolder_path = hotfolder_path
        self.uploads = uploads  # the folder of the customers' photos (None: no line has one)
        self.rng = random.Random(seed)
        self._random = self.rng.random
        self.products = {s.key: store_products(s) for s in STORES}
        self._store = Weighted([(s, s.weight) for s in STORES])
        self._country = {s.key: Weighted(list(s.countries)) for s in STORES}
        self._source = {s.key: Weighted(list(s.sources)) for s in STORES}
        self._payment = {s.key: Weighted(list(s.payments)) for s in STORES}
        self._product = {
            s.key: Weighted([(p, p.spec.weight) for p in self.products[s.key]]) for s in STORES
        }
        self._recent = {
            s.key: Weighted(
                [(p, p.spec.weight) for p in self.products[s.key] if not p.spec.recent_only]
            )
            for s in STORES
        }
        self._lines = Weighted([(1, 56), (2, 29), (3, 10), (4, 4), (5, 1)])
        self._customers: list[Customer] = []
        self._customer_cap = int(max(40, min(20_000, expected // 3)))
        self._number = {s.key: s.first_number for s in STORES}
        self._meta_id = 9000
        self._line_id = {
            "northwind": 13_500_000_000_000,
            "lumen": 700,
            "hearth": 14_900_000_000_000,
        }
        self._showcase = list(ItemStatus)  # the first items take every status once
        self._address_refused = False  # the first Printify refusal is an address one to fix

    def _pick(self, seq: Sequence[T]) -> T:
        """A uniform choice from `seq`, cheaper than `random.choice`."""
        return seq[int(self._random() * len(seq))]

    # -- the stream

    def orders(self) -> Iterator[DemoOrder]:
        """Every order, oldest first; the newest is a few minutes old."""
        start = self.now - self.span
        made = items = 0
        while True:
            if self.items_wanted is None:
                if made >= self.orders_wanted:
                    return
                share = (made + self.rng.random() * 0.9) / max(1, self.orders_wanted)
            else:
                if items >= self.items_wanted:
                    return
                share = min(0.9999, (items + self.rng.random()) / self.items_wanted)
            order = self._order(made, min(start + int(self.span * share), self.now - 300))
            if self.items_wanted is not None and items + len(order.items) > self.items_wanted:
                del order.items[self.items_wanted - items :]
                for item in order.items:
                    if item.split_of is not None and item.split_of >= len(order.items):
                        item.split_of = None
            items += len(order.items)
            made += 1
            yield order

    # -- one order

    def _customer(self, store: StoreSpec) -> Customer:
        rng = self.rng
        known = self._customers
        if len(known) >= 8 and (len(known) >= self._customer_cap or rng.random() < 0.12):
            return known[rng.randrange(len(known))]  # a returning customer
        customer = make_customer(rng, self._country[store.key].pick(rng), len(known))
        known.append(customer)
        return customer

    def _order(self, index: int, created: int) -> DemoOrder:
        rng = self.rng
        store = self._store.pick(rng)
        customer = self._customer(store)
        number = self._number[store.key]
        woo = store.kind == "woocommerce"
        # WordPress shares post ids between orders and everything else: they are not contiguous.
        self._number[store.key] = number + (rng.randrange(1, 4) if woo else 1)
        store_order_id = str(number) if woo else str(5_900_000_000_000 + number * 7919)
        source = self._source[store.key].pick(rng)
        pool = places.COUNTRIES[customer.country]
        order = DemoOrder(
            index=index,
            store=store,
            store_order_id=store_order_id,
            number=str(number),
            name=f"#{number}",
            created=created,
            customer=customer,
            source=source,
            payment_method=(
                "amazon_marketplace" if source == "amazon" else self._payment[store.key].pick(rng)
            ),
            shipping_method=self._pick(pool.shipping_methods),
            shipping_cents=self._pick((0, 495, 595, 799, 1250)),
            customer_note=self._pick(pools.CUSTOMER_NOTES),
        )
        if source == "amazon":
            order.marketplace_id = fill("11#-#######-#######", rng)
        elif source == "etsy":
            order.marketplace_id = fill("3########@", rng)
        age_h = (self.now - created) / 3600
        for _ in range(self._lines.pick(rng)):
            self._add_line(order, age_h)
        if index == 0:
            self._add_line(order, age_h, key="giftwrap")  # unmanaged: no mapping
        elif index == 1:
            self._add_line(order, age_h, key="mug", quantity=3, multi=True)  # needs splitting
        elif index == 2:
            self._add_line(order, age_h, key="mug", quantity=3, multi=True, split=True)
        if store.currency != "USD":  # prices include VAT: 20 % of the gross is tax
            order.tax_cents = order.subtotal_cents // 6
        self._store_side(order, age_h)
        if rng.random() < 0.08 or index < 3:
            for _ in range(1 + (rng.random() < 0.3)):
                at = min(self.now - 60, created + rng.randrange(600, 3 * DAY))
                order.notes.append((at, self._pick(pools.OPERATORS), self._pick(pools.NOTES)))
        return order

    def _add_line(
        self,
        order: DemoOrder,
        age_h: float,
        *,
        key: str | None = None,
        quantity: int = 0,
        multi: bool | None = None,
        split: bool | None = None,
    ) -> None:
        rng = self.rng
        store = order.store
        showcase = self._showcase.pop(0) if self._showcase and key is None else None
        if showcase is not None:
            key = "sunset" if showcase is S.MISSING_ARTWORK else "mug"
        if key is not None:
            product = next(p for p in self.products[store.key] if p.spec.key == key)
        elif age_h < 21 * 24:
            product = self._product[store.key].pick(rng)
        else:
            product = self._recent[store.key].pick(rng)
        spec = product.spec
        variant = self._pick(product.variants)
        if not quantity:
            r = rng.random()
            quantity = self._pick((2, 2, 2, 3, 4)) if r < 0.12 else 2 if r > 0.97 else 1
        artwork = ARTWORK_BY_KEY[spec.artwork] if spec.artwork else None
        if multi is None:
            multi = quantity > 1 and artwork is not None and rng.random() < 0.6
        values = self._personalize(artwork, multi)
        steps: tuple[Step, ...]
        if key is not None and showcase is None:
            status, import_status, steps = S.WAITING_APPROVAL, S.WAITING_APPROVAL, ()
        else:
            status, import_status, steps = self._status(product, age_h, showcase)
        line_id = self._next_line(store)
        upload = upload_url(self.uploads, spec.key, line_id)
        item = DemoItem(
            line_id=line_id,
            product=product,
            variant=variant,
            quantity=quantity,
            personalization=values,
            meta_id=self._meta(store, artwork, variant, upload),
            status=status,
            import_status=import_status,
            steps=steps,
            step_times=self._times(order.created, age_h, status, len(steps)),
            upload=upload,
        )
        self._decorate(order, item)
        if split is None:
            split = multi and status in (S.WAITING_APPROVAL, S.READY) and rng.random() < 0.25
        order.items.append(item)
        if split:
            self._split(order, item)

    def _split(self, order: DemoOrder, parent: DemoItem) -> None:
        """The item as an operator split it: one per name, each with its own copy of the fields."""
        first_field = next(iter(parent.personalization), None)
        text = parent.personalization.get(first_field or "", "")
        for sep in ("\n", "/", "·", " and ", "&"):
            text = text.replace(sep, ",")
        names = [n.strip() for n in text.split(",") if n.strip()]
        parent_index = len(order.items) - 1
        parent.split_quantities = (1,) * parent.quantity
        for k in range(1, parent.quantity):
            values = dict(parent.personalization)
            if first_field is not None and names:
                values[first_field] = names[k % len(names)]
            child = DemoItem(
                line_id=parent.line_id,
                product=parent.product,
                variant=parent.variant,
                quantity=1,
                personalization=values,
                meta_id=parent.meta_id,
                original=parent.original or parent.personalization,
                status=parent.status,
                import_status=parent.import_status,
                steps=parent.steps,
                step_times=parent.step_times,
                status_before=parent.status_before,
                hold_reason=parent.hold_reason,
                split_of=parent_index,
                upload=parent.upload,
            )
            self._decorate(order, child)
            order.items.append(child)
        if first_field is not None and names:
            parent.original = parent.personalization
            parent.personalization = {**parent.personalization, first_field: names[0]}
        parent.quantity = 1

    def _next_line(self, store: StoreSpec) -> str:
        self._line_id[store.key] += 1 if store.kind == "woocommerce" else 7
        return str(self._line_id[store.key])

    def _personalize(self, artwork: ArtworkSpec | None, multi: bool) -> dict[str, str]:
        if artwork is None:
            return {}
        values = {}
        for name, _label in artwork.fields:
            pool = pools.MULTI_NAMES if multi and name in _NAME_FIELDS else _FIELD_POOLS[name]
            values[name] = self._pick(pool)
        return values

    def _meta(
        self, store: StoreSpec, artwork: ArtworkSpec | None, variant: Variant, upload: str | None
    ) -> int:
        """Reserve the WooCommerce meta_data ids of a new line; the first one is returned."""
        if store.kind != "woocommerce":
            return 0
        first = self._meta_id + 1
        fields = len(artwork.fields) if artwork else 0
        self._meta_id += len(variant.attributes) + fields + (upload is not None)
        return first

    def _status(
        self, product: StoreProduct, age_h: float, showcase: ItemStatus | None
    ) -> tuple[ItemStatus, ItemStatus, tuple[Step, ...]]:
        """(status now, status at import, steps between) for a new line of `product`."""
        spec = product.spec
        if not spec.managed:
            return S.MISSING_ARTWORK, S.MISSING_ARTWORK, ()
        rng = self.rng
        if spec.artwork is None:  # just launched, its artwork not uploaded yet
            status = showcase or (
                S.MISSING_ARTWORK if rng.random() < 0.85 else self._pick((S.ON_HOLD, S.IGNORED))
            )
            return status, S.MISSING_ARTWORK, FROM_MISSING.get(status, ())
        status = showcase or next(w for limit, w in BY_AGE if age_h < limit).pick(rng)
        if status is S.MISSING_ARTWORK:  # only the showcase asks; mapped products have artwork
            status = S.WAITING_APPROVAL
        if spec.vendor == "manual":  # never sent: ready until someone marks it fulfilled
            status = MANUAL_STATUS.get(status, status)
            if status is S.FULFILLED:
                return status, S.WAITING_APPROVAL, MANUAL_FULFILLED
        elif spec.vendor == "hotfolder":  # the in-house printer reports nothing back
            if status is S.IN_PRODUCTION:
                status = S.SENT
            if status is S.FULFILLED:
                return status, S.WAITING_APPROVAL, HOTFOLDER_FULFILLED
        return status, S.WAITING_APPROVAL, PATHS[status]

    def _times(self, created: int, age_h: float, status: ItemStatus, steps: int) -> tuple[int, ...]:
        if not steps:
            return ()
        span = max(60, min(int(age_h * 3600) - 600, SPAN.get(status, 3 * DAY)))
        start = created + 300
        return tuple(start + span * (k + 1) // (steps + 1) for k in range(steps))

    def _decorate(self, order: DemoOrder, item: DemoItem) -> None:
        """The status to go back to, the hold reason, the vendor's refusal, the tracking."""
        rng = self.rng
        status = item.status
        if status in SAVES_PREVIOUS and item.steps:
            item.status_before = item.steps[-1][1]
        if status is S.ON_HOLD and item.hold_reason is None:
            item.hold_reason = self._pick(pools.HOLD_REASONS)
        elif status is S.FAILED and item.vendor is not None:
            c = order.customer
            address = Address(c.country, c.state, c.postcode, c.phone)
            refusals = FAILURES[item.vendor] + address_refusals(item.vendor, address)
            item.failure = self._pick(refusals).for_path(self.hotfolder_path)
            if item.vendor == "printify" and not self._address_refused:
                # The oldest Printify refusal is one to fix: the postcode, as the operator's
                # first fix and retry (the rng is drawn all the same, so the rest is unchanged).
                item.failure = address_refusals(item.vendor, address)[0]
                self._address_refused = True
        elif status is S.FULFILLED:
            carrier = self._pick(places.COUNTRIES[order.customer.country].carriers)
            number, url = tracking_for(rng, carrier)
            item.shipment = (carrier, number, url)

    def _store_side(self, order: DemoOrder, age_h: float) -> None:
        """The store's order, payment and fulfillment status, consistent with the items."""
        rng = self.rng
        managed = [i.status for i in order.items if i.managed]
        fulfilled = sum(s is S.FULFILLED for s in managed)
        canceled = bool(managed) and all(s is S.CANCELED for s in managed)
        done = bool(managed) and all(s in (S.FULFILLED, S.CANCELED, S.IGNORED) for s in managed)
        order.fulfillment_status = (
            "fulfilled" if done and fulfilled else "partial" if fulfilled else "unfulfilled"
        )
        showcase = order.index < 8
        # A young order may not be paid yet: production waits for the money, every item on hold.
        hold = status = ""
        if age_h < 72 and not showcase and not done:
            chance, hold, status = _UNPAID.get(order.payment_method, (0.0, "", ""))
            if self._random() >= chance:
                hold = ""
        if order.store.kind == "woocommerce":
            if canceled:
                order.store_status = self._pick(("cancelled", "refunded"))
            elif done and fulfilled:
                order.store_status = "completed"
            elif hold:
                order.store_status = status
            else:
                order.store_status = "processing"
            order.payment_status = {
                "on-hold": "pending",
                "pending": "unpaid",
                "failed": "unpaid",
                "cancelled": "voided",
                "refunded": "refunded",
            }.get(order.store_status, "paid")
        else:
            order.store_status = "cancelled" if canceled else "closed" if done else "open"
            if canceled:
                order.payment_status = "refunded"
            elif hold:
                order.payment_status = "pending"
            elif any(s is S.CANCELED for s in managed):
                order.payment_status = "partially_refunded"
            else:
                order.payment_status = "paid"
        for item in order.items if hold else ():
            if item.managed and item.status is not S.ON_HOLD:
                start = item.import_status
                item.status, item.status_before, item.hold_reason = S.ON_HOLD, start, hold
                item.steps = ((A.HOLD, start, S.ON_HOLD),)
                item.step_times = (order.created + 900,)
                item.failure = item.shipment = None
        if hold:
            order.fulfillment_status = "unfulfilled"
        order.archived = done and not showcase and age_h > 30 * 24 and rng.random() < 0.7


def raw_entries(item: DemoItem) -> list[tuple[str, str, Any, str]]:
    """(key, display key, value, display value) of each meta_data entry of a WooCommerce line."""
    spec = item.product.spec
    labels = dict(ARTWORK_BY_KEY[spec.artwork].fields) if spec.artwork else {}
    out: list[tuple[str, str, Any, str]] = [
        (f"pa_{a.lower()}", a, v.lower().replace(" ", "-"), v) for a, v in item.variant.attributes
    ]
    out += [(labels[k], labels[k], v, v) for k, v in item.store_values.items()]
    if item.upload is not None:
        out.append(woo_meta(spec.key, item.upload))
    return out


def raw_payload(item: DemoItem) -> list[dict[str, Any]]:
    """The line's personalization as its store sends it: WooCommerce `meta_data` (variation
    attributes included) or Shopify `properties` (empty values dropped)."""
    if item.product.store.kind != "woocommerce":
        spec = item.product.spec
        labels = dict(ARTWORK_BY_KEY[spec.artwork].fields) if spec.artwork else {}
        props = [{"name": labels[k], "value": v} for k, v in item.store_values.items() if v]
        if item.upload is not None:
            props.append(shopify_property(spec.key, item.upload))
        return props
    return [
        {"id": item.meta_id + n, "key": k, "value": v, "display_key": dk, "display_value": dv}
        for n, (k, dk, v, dv) in enumerate(raw_entries(item))
    ]


def demo_settings(
    seed: int, orders: int, items: int | None, now: datetime, uploads: str | None = None
) -> dict[str, Any]:
    """What the sandbox store's settings keep so its orders can be generated again to match."""
    return {
        "demo_seed": seed,
        "demo_orders": orders,
        "demo_items": items,
        "demo_now": now.isoformat(),
        "demo_uploads": uploads,
        # Which seeding this is: a database emptied and seeded again at the same URL (the
        # PostgreSQL test databases are) must not be served the previous seeding's sandboxes.
        "demo_instance": uuid.uuid4().hex,
    }


def default_now() -> datetime:
    """The current time floored to the minute: the demo's reference point."""
    now = datetime.now(UTC)
    return now - timedelta(seconds=now.second, microseconds=now.microsecond)
