"""The demo shop: its stores, vendors, artwork and products, with ids in each store's own style."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from podtui.demo import places


@dataclass(frozen=True, slots=True)
class StoreSpec:
    """One demo store and how its orders look."""

    key: str
    name: str
    kind: str
    base_url: str
    currency: str
    code: str  # short prefix of the vendor external ids of its orders
    weight: int  # share of all orders
    countries: tuple[tuple[str, int], ...]
    sources: tuple[tuple[str, int], ...]
    payments: tuple[tuple[str, int], ...]  # (gateway id as the store names it, weight)
    first_number: int
    auto_submit_hours: float
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class VendorSpec:
    """One demo vendor (the seeder fills in the hot folder's `path`)."""

    key: str
    name: str
    kind: str
    base_url: str
    rate_limit_per_min: int
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ArtworkSpec:
    """A design and the personalization fields its template takes, as (field, store label)."""

    key: str
    name: str
    template: str
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ProductSpec:
    """A catalogue product; the product of its `options` values gives the variants."""

    key: str
    title: str
    sku: str
    prices: tuple[int, ...]  # cents, per value of the first option
    options: tuple[tuple[str, tuple[str, ...]], ...]
    artwork: str | None
    vendor: str | None
    weight: int
    managed: bool = True
    vendor_product: dict[str, Any] = field(default_factory=dict)
    recent_only: bool = False  # just launched: only in the last three weeks' orders


@dataclass(frozen=True, slots=True)
class Variant:
    """A concrete variant of a product in one store."""

    variant_id: str
    title: str  # "11oz / White"
    sku: str
    price_cents: int
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class StoreProduct:
    """A catalogue product as one store lists it."""

    store: StoreSpec
    spec: ProductSpec
    product_id: str
    variants: tuple[Variant, ...]


STORES: tuple[StoreSpec, ...] = (
    StoreSpec(
        key="northwind",
        name="Northwind Prints",
        kind="shopify",
        base_url="https://northwind-prints.myshopify.com",
        currency="USD",
        code="NW",
        weight=45,
        countries=places.US_HEAVY,
        sources=(("store", 80), ("amazon", 17), ("other", 3)),
        payments=(("shopify_payments", 70), ("paypal", 22), ("gift_card", 3), ("manual", 5)),
        first_number=1001,
        auto_submit_hours=0.0,
        settings={"demo": True, "api_version": "2026-04", "sandbox": "shopify"},
    ),
    StoreSpec(
        key="lumen",
        name="Atelier Lumen",
        kind="woocommerce",
        base_url="https://atelier-lumen.sandbox.podtui.invalid",
        currency="EUR",
        code="AL",
        weight=35,
        countries=places.EU_HEAVY,
        sources=(("store", 94), ("other", 6)),
        payments=(("stripe", 55), ("ppcp-gateway", 25), ("bacs", 15), ("cod", 5)),
        first_number=4120,
        auto_submit_hours=12.0,
        settings={"demo": True, "sandbox": "woocommerce", "timezone": "Europe/Paris"},
    ),
    StoreSpec(
        key="hearth",
        name="Hearth & Thread (Etsy)",
        kind="shopify",
        base_url="https://hearth-and-thread.myshopify.com",
        currency="GBP",
        code="HT",
        weight=20,
        countries=places.WORLDWIDE,
        sources=(("etsy", 92), ("store", 8)),
        payments=(("etsy_payments", 95), ("paypal", 5)),
        first_number=3104,
        auto_submit_hours=0.0,
        settings={"demo": True, "channel": "etsy", "sandbox": "shopify"},
    ),
)

VENDORS: tuple[VendorSpec, ...] = (
    VendorSpec(
        "printify",
        "Printify (sandbox)",
        "printify",
        "https://api.printify.com/v1",
        600,
        {"demo": True, "sandbox": "printify", "shop_id": 8675309},
    ),
    VendorSpec(
        "printful",
        "Printful (sandbox)",
        "printful",
        "https://api.printful.com",
        120,
        # Printful fetches print files by URL: the demo pretends they are served from here.
        {
            "demo": True,
            "store_id": 13579246,
            "file_base_url": "https://files.atelier-lumen.test/pf",
        },
    ),
    VendorSpec(
        "hotfolder",
        "In-house DTG (hot folder)",
        "hotfolder",
        "",
        0,
        {"demo": True, "printer": "Epson SureColor F2270"},
    ),
    VendorSpec("manual", "Stitch & Ink Co-op (manual)", "manual", "", 0, {"demo": True}),
)

ARTWORKS: tuple[ArtworkSpec, ...] = (
    ArtworkSpec("mug", "Name & Date Mug", "mug_name_date", (("name", "Name"), ("date", "Date"))),
    ArtworkSpec(
        "pet", "Pet Portrait Tee", "tee_pet", (("pet_name", "Pet's name"), ("tagline", "Tagline"))
    ),
    ArtworkSpec(
        "vows",
        "Wedding Vows Poster",
        "poster_vows",
        (("names", "Couple names"), ("date", "Wedding date"), ("vows", "Your vows")),
    ),
    ArtworkSpec(
        "family",
        "Family Reunion Hoodie",
        "hoodie_family",
        (("family", "Family name"), ("year", "Year")),
    ),
    ArtworkSpec("monogram", "Monogram Tote", "tote_monogram", (("initials", "Initials"),)),
    ArtworkSpec(
        "map",
        "Hometown Map Print",
        "poster_map",
        (("city", "City"), ("coordinates", "Coordinates")),
    ),
)
ARTWORK_BY_KEY = {a.key: a for a in ARTWORKS}

_SIZES = ("S", "M", "L", "XL", "2XL")
PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec(
        "mug",
        "Personalized Name Mug",
        "MUG",
        (1800, 2200),
        (("Size", ("11oz", "15oz")), ("Color", ("White", "Black"))),
        "mug",
        "printify",
        25,
        vendor_product={"blueprint_id": 68, "print_provider_id": 1, "print_area": "front"},
    ),
    ProductSpec(
        "tee",
        "Custom Pet Tee",
        "TEE",
        (2600,),
        (("Size", _SIZES), ("Color", ("Black", "White", "Heather Grey"))),
        "pet",
        "printful",
        18,
        vendor_product={"product_id": 71, "placement": "front"},
    ),
    ProductSpec(
        "vows",
        "Wedding Vows Poster",
        "PST-VOW",
        (3500, 4500, 6000),
        (("Size", ("12x18", "18x24", "24x36")),),
        "vows",
        "printify",
        10,
        vendor_product={"blueprint_id": 282, "print_provider_id": 2, "print_area": "front"},
    ),
    ProductSpec(
        "hoodie",
        "Family Reunion Hoodie",
        "HOOD",
        (4800,),
        (("Size", _SIZES), ("Color", ("Navy", "Forest Green"))),
        "family",
        "hotfolder",
        10,
        vendor_product={"queue": "dtg", "media": "Gildan 18500"},
    ),
    ProductSpec(
        "tote",
        "Monogram Tote Bag",
        "TOTE",
        (2200,),
        (("Color", ("Natural", "Black")),),
        "monogram",
        "manual",
        8,
        vendor_product={"method": "embroidery"},
    ),
    ProductSpec(
        "map",
        "Hometown Map Print",
        "MAP",
        (2900, 3900, 5500),
        (("Size", ("A4", "A3", "50x70")),),
        "map",
        "printful",
        8,
        vendor_product={"product_id": 1, "placement": "default"},
    ),
    ProductSpec(
        "sunset",
        "Retro Sunset Mug",
        "MUG-SUN",
        (1900,),
        (("Color", ("White",)),),
        None,
        "printify",
        30,
        vendor_product={"blueprint_id": 68, "print_provider_id": 1, "print_area": "front"},
        recent_only=True,
    ),
    ProductSpec("giftwrap", "Gift Wrapping", "GIFTWRAP", (400,), (), None, None, 5, managed=False),
    ProductSpec(
        "stickers", "Sticker Pack (3 pcs)", "STK-3", (600,), (), None, None, 5, managed=False
    ),
    ProductSpec("giftcard", "E-Gift Card", "", (2500,), (), None, None, 2, managed=False),
)
PRODUCT_BY_KEY = {p.key: p for p in PRODUCTS}


def _variants(spec: ProductSpec, base_id: int, step: int) -> tuple[Variant, ...]:
    combos: list[tuple[tuple[str, str], ...]] = [()]
    for attr, values in spec.options:
        combos = [(*combo, (attr, value)) for combo in combos for value in values]
    out = []
    for i, combo in enumerate(combos):
        first = spec.options[0][1].index(combo[0][1]) if combo else 0
        price = spec.prices[min(first, len(spec.prices) - 1)]
        title = " / ".join(value for _, value in combo)
        parts = [spec.sku, *(value.upper().replace(" ", "") for _, value in combo)]
        sku = "-".join(parts) if spec.sku else ""
        out.append(Variant(str(base_id + step * (i + 1)), title, sku, price, combo))
    return tuple(out)


def store_products(store: StoreSpec) -> tuple[StoreProduct, ...]:
    """The catalogue as `store` lists it: WordPress post ids, or Shopify's 13-digit ids."""
    out = []
    for k, spec in enumerate(PRODUCTS):
        if store.kind == "woocommerce":  # variations are posts numbered after their product
            pid = 120 + 40 * k
            if spec.options:
                variants = _variants(spec, pid, 1)
            else:
                variants = (Variant("0", "", spec.sku, spec.prices[0], ()),)
        else:
            pid = (7_400_000_000_000 if store.key == "northwind" else 8_100_000_000_000) + 1_117 * k
            if spec.options:
                base = 42_000_000_000_000 + 100_003 * k + (store.key == "hearth") * 500_000_000
                variants = _variants(spec, base, 11)
            else:
                variants = (
                    Variant(str(pid * 3 + 1), "Default Title", spec.sku, spec.prices[0], ()),
                )
        out.append(StoreProduct(store, spec, str(pid), variants))
    return tuple(out)


def product(store: StoreSpec, key: str) -> StoreProduct:
    """The catalogue product `key` as `store` lists it."""
    return next(p for p in store_products(store) if p.spec.key == key)
