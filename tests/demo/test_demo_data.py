"""The generator alone: deterministic, realistic, every status and the awkward cases present."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import asdict

import phonenumbers
import pycountry
import pytest

from podtui.demo.catalog import VENDORS
from podtui.demo.generator import DemoGenerator, DemoOrder, raw_payload
from podtui.demo.places import COUNTRIES
from podtui.domain.status import ItemStatus, is_allowed
from tests.demo.conftest import NOW

# Postal code shapes, per country (the formats the post offices publish).
POSTCODE = {
    "US": r"\d{5}(-\d{4})?",
    "CA": r"[A-Z]\d[A-Z] \d[A-Z]\d",
    "GB": r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}",
    "DE": r"\d{5}",
    "FR": r"\d{5}",
    "IT": r"\d{5}",
    "ES": r"\d{5}",
    "MX": r"\d{5}",
    "AU": r"\d{4}",
    "NL": r"\d{4} [A-Z]{2}",
    "SE": r"\d{3} \d{2}",
    "JP": r"\d{3}-\d{4}",
    "BR": r"\d{5}-\d{3}",
    "IN": r"\d{6}",
}
STATE_REQUIRED = {"US", "CA", "AU", "JP", "BR", "MX", "IN", "IT", "ES"}


def _orders(**kw: object) -> list[DemoOrder]:
    return list(DemoGenerator(now=NOW, **kw).orders())  # type: ignore[arg-type]


def _fingerprint(orders: list[DemoOrder]) -> list[object]:
    return [
        (
            o.store.key,
            o.store_order_id,
            o.created,
            asdict(o.customer),
            o.store_status,
            [
                (
                    i.product.spec.key,
                    i.variant.sku,
                    i.quantity,
                    i.status,
                    i.personalization,
                    i.step_times,
                )
                for i in o.items
            ],
            o.notes,
        )
        for o in orders
    ]


def test_same_seed_same_data_other_seed_other_data() -> None:
    first = _fingerprint(_orders(seed=3, orders=150))
    assert first == _fingerprint(_orders(seed=3, orders=150))
    assert first != _fingerprint(_orders(seed=4, orders=150))


def test_a_tiny_demo_still_has_every_status_and_the_awkward_cases() -> None:
    orders = _orders(seed=1, orders=12)
    items = [i for o in orders for i in o.items]
    assert {i.status for i in items if i.managed} == set(ItemStatus)
    assert any(not i.managed for i in items), "an unmanaged item (no mapping)"
    assert any(i.quantity > 1 and i.split_of is None and not i.split_quantities for i in items)
    parents = [i for i in items if i.split_quantities]
    assert parents, "an item already split"
    assert any(i.split_of is not None for i in items)
    assert any(i.failure is not None for i in items)
    assert any(o.notes for o in orders)


def test_default_size_is_about_500_orders_and_800_items() -> None:
    orders = _orders(seed=7, orders=500)
    assert len(orders) == 500
    assert 700 <= sum(len(o.items) for o in orders) <= 950


def test_items_mode_stops_at_exactly_that_many_items() -> None:
    orders = _orders(seed=5, items=1234)
    items = [i for o in orders for i in o.items]
    assert len(items) == 1234
    for order in orders:  # trimming the last order never leaves a dangling split parent
        assert all(i.split_of is None or i.split_of < len(order.items) for i in order.items)


def test_orders_are_oldest_first_and_in_the_past() -> None:
    created = [o.created for o in _orders(seed=2, orders=300)]
    assert created == sorted(created)
    assert created[-1] < NOW.timestamp()
    assert NOW.timestamp() - created[0] >= 40 * 86_400


def test_customers_live_in_at_least_ten_countries_with_valid_addresses() -> None:
    orders = _orders(seed=7, orders=500)
    countries = Counter(o.customer.country for o in orders)
    assert len(countries) >= 10
    for order in orders:
        c = order.customer
        where = f"{order.name} {c}"
        assert pycountry.countries.get(alpha_2=c.country) is not None, where
        assert re.fullmatch(POSTCODE[c.country], c.postcode), where
        if c.country in STATE_REQUIRED or c.state:
            assert pycountry.subdivisions.get(code=f"{c.country}-{c.state}") is not None, where
        assert c.first_name and c.last_name and c.address1 and c.city, where
        number = phonenumbers.parse(c.phone, c.country)
        assert phonenumbers.is_valid_number(number), where
        assert re.fullmatch(r"[a-z0-9.]+@[a-z.]+", c.email), where


def test_every_country_pool_makes_valid_phone_numbers() -> None:
    import random

    from podtui.demo.generator import make_customer

    rng = random.Random(0)
    for code in COUNTRIES:
        for serial in range(60):
            c = make_customer(rng, code, serial)
            assert phonenumbers.is_valid_number(phonenumbers.parse(c.phone, code)), c


def test_personalization_carries_every_script_a_renderer_must_survive() -> None:
    values = {
        v for o in _orders(seed=7, orders=500) for i in o.items for v in i.personalization.values()
    }
    text = "".join(values)
    scripts = {unicodedata.name(ch).split()[0] for ch in text if not ch.isascii() and ch.isalpha()}
    assert {"CYRILLIC", "ARABIC", "HIRAGANA", "CJK", "LATIN", "GREEK", "HANGUL"} <= scripts
    assert any(ord(ch) > 0xFFFF for ch in text), "emoji beyond the BMP"
    assert any(len(v) > 200 for v in values), "long text"
    assert "" in values, "an empty field"


def test_store_payloads_carry_the_personalization_verbatim() -> None:
    orders = _orders(seed=7, orders=120)
    woo = next(
        i for o in orders if o.store.kind == "woocommerce" for i in o.items if i.personalization
    )
    meta = raw_payload(woo)
    assert all({"id", "key", "value", "display_key", "display_value"} <= set(m) for m in meta)
    assert {m["value"] for m in meta} >= set(woo.personalization.values())
    shop = next(
        i
        for o in orders
        if o.store.kind == "shopify"
        for i in o.items
        if any(i.personalization.values())
    )
    assert all(set(p) == {"name", "value"} for p in raw_payload(shop))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_step_of_every_item_is_legal_in_the_status_table(seed: int) -> None:
    integrated = {v.key: v.kind != "manual" for v in VENDORS}
    for order in _orders(seed=seed, orders=200):
        for item in order.items:
            status = item.import_status
            for action, frm, to in item.steps:
                assert frm is status, (order.name, item.steps)
                assert is_allowed(
                    frm, action, vendor_integrated=integrated[item.vendor or "manual"]
                )
                status = to
            assert status is item.status
            assert list(item.step_times) == sorted(item.step_times)
            assert all(order.created < t < NOW.timestamp() for t in item.step_times)
