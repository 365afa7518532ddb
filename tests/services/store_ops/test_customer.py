"""Change the order's customer: searched at the store through its API, set exactly once, a
customer that does not exist refused by the store with nothing changed here."""

from __future__ import annotations

import pytest

from podtui.adapters.stores.base import StoreCustomer
from podtui.db import Database
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Store
from podtui.sandbox.http import Fault
from podtui.sandbox.shopify import GraphQLFault, SandboxShopify
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.store_ops.customer import search_customers, set_customer
from podtui.services.store_ops.writes import StoreRefusedError
from tests.adapters.stores.shopify_support import rest_order
from tests.adapters.stores.woo_support import woo_order
from tests.services.store_ops.conftest import events_of, order_of, snapshot, synced, writes_of


async def test_shopify_search_by_name_or_email_and_set_on_the_order(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1))
    shopify.add_customer("Ada", "Lovelace", "ada@example.com")
    shopify.add_customer("Grace", "Hopper", "grace@navy.example")
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    (ada,) = search_customers(db, order.id, "lovel")
    assert (ada.name, ada.email) == ("Ada Lovelace", "ada@example.com")
    (grace,) = search_customers(db, order.id, "grace@navy")
    set_customer(db, order.id, grace)
    assert shopify.orders[1001]["customer"]["email"] == "grace@navy.example"
    after = order_of(db, order.id)
    assert (after.customer_name, after.customer_email) == ("Grace Hopper", "grace@navy.example")
    (event,) = events_of(db, order.id, "store_customer_set")
    assert (event.from_status, event.to_status) == ("bob.norman@hostmail.com", "grace@navy.example")


async def test_a_search_too_short_or_matching_nobody_says_so(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    asked = len(shopify.requests)
    with pytest.raises(ValidationError, match="at least 2 letters"):
        search_customers(db, order.id, " a ")
    assert len(shopify.requests) == asked  # nothing asked of the store
    with pytest.raises(DomainError, match="No customer at Loopback Shopify matches 'zed'"):
        search_customers(db, order.id, "zed")


async def test_a_customer_the_store_does_not_have_is_refused_and_nothing_changes(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    before = snapshot(order_of(db, order.id))
    ghost = StoreCustomer("7999999", "Nobody", "nobody@example.com")  # deleted since the search
    with pytest.raises(StoreRefusedError, match="Customer does not exist"):
        set_customer(db, order.id, ghost)
    assert snapshot(order_of(db, order.id)) == before
    with pytest.raises(ValidationError):
        set_customer(db, order.id, StoreCustomer("x", "Typed", "typed@example.com"))
    assert [w.state for w in writes_of(db, order.id)] == ["refused"]


async def test_shopify_dropped_answer_is_settled_by_the_orders_customer(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1))
    shopify.add_customer("Ada", "Lovelace", "ada@example.com")
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    (ada,) = search_customers(db, order.id, "ada")
    shopify.inject(GraphQLFault(kind="drop_after", operation="mutation OrderCustomerSet"))
    outcome = set_customer(db, order.id, ada)
    assert outcome.found_after_lost_answer
    assert len(events_of(db, order.id, "store_customer_set")) == 1


async def test_woocommerce_sets_customer_id_and_billing_once(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1))
    woo.add_customer("Ada", "Lovelace", "ada@example.com", city="London")
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    (ada,) = search_customers(db, order.id, "ada@")
    woo.inject(Fault(kind="drop_after", method="PUT", path="/orders/1"))
    outcome = set_customer(db, order.id, ada)
    assert outcome.found_after_lost_answer
    stored = woo.orders[1]
    assert stored["customer_id"] == int(ada.customer_id)
    assert (stored["billing"]["email"], stored["billing"]["city"]) == ("ada@example.com", "London")
    assert len([r for r in woo.requests if r.method == "PUT"]) == 1
    assert order_of(db, order.id).customer_email == "ada@example.com"


async def test_woocommerce_refuses_a_customer_id_it_does_not_have(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    with pytest.raises(StoreRefusedError, match="Customer ID is invalid"):
        set_customer(db, order.id, StoreCustomer("999", "Nobody", "nobody@example.com"))
    assert woo.orders[1]["customer_id"] == 0
