"""Change the order's customer: search the store's customers by name or e-mail through its API,
then set one on the order (Shopify `orderCustomerSet`, 2025-07 on; WooCommerce `customer_id` with
the customer's billing details). Once the store accepted, the order here shows that customer.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlmodel import Session

from podtui.adapters.stores.base import StoreAdapter, StoreCustomer, WriteReceipt
from podtui.db import Database
from podtui.domain.errors import DomainError, NotFoundError, ValidationError
from podtui.domain.models import Order
from podtui.services.connections.reach import REAL, Reach
from podtui.services.store_ops.writes import (
    Operation,
    WriteOutcome,
    read_target,
    register,
    store_write,
)

MIN_QUERY = 2


def search_customers(
    db: Database, order_id: int, query: str, *, reach: Reach = REAL
) -> list[StoreCustomer]:
    """The order's store's customers matching `query`; ValidationError for a query too short
    to search by, DomainError naming the query when none matches."""
    text = query.strip()
    if len(text) < MIN_QUERY:
        raise ValidationError(
            f"Type at least {MIN_QUERY} letters of a name or an e-mail.",
            fields={"query": "a name or an e-mail"},
        )
    target = read_target(db, order_id)
    found = target.ask(
        lambda adapter, _: adapter.search_customers(text),
        failed="search its customers",
        reach=reach,
    )
    if not found:
        raise DomainError(f"No customer at {target.store.name} matches {text!r}.")
    return found


def _customer(params: dict[str, Any]) -> StoreCustomer:
    return StoreCustomer(**params["customer"])


async def _perform(
    adapter: StoreAdapter, store_order_id: str, key: str, params: dict[str, Any]
) -> WriteReceipt:
    return await adapter.set_customer(store_order_id, _customer(params), key)


async def _find(
    adapter: StoreAdapter, store_order_id: str, key: str, params: dict[str, Any]
) -> WriteReceipt | None:
    return await adapter.find_customer_set(store_order_id, params["customer"]["customer_id"], key)


def _apply(
    session: Session, order: Order, receipt: WriteReceipt, params: dict[str, Any]
) -> dict[str, Any]:
    customer = _customer(params)
    before = order.customer_email or order.customer_name
    order.customer_name = customer.name or order.customer_name
    order.customer_email = customer.email or order.customer_email
    session.add(order)
    return {"from_status": before, "to_status": order.customer_email or order.customer_name}


CUSTOMER = register(
    Operation(
        name="customer",
        label="set the order's customer",
        event="store_customer_set",
        perform=_perform,
        find=_find,
        apply=_apply,
    )
)


def _email(db: Database, order_id: int) -> str:
    """The order's customer e-mail before the change (kept with the change)."""
    with db.read() as session:
        order = session.get(Order, order_id)
        if order is None:
            raise NotFoundError(f"Order {order_id} does not exist.")
        return order.customer_email


def set_customer(
    db: Database, order_id: int, customer: StoreCustomer, *, reach: Reach = REAL
) -> WriteOutcome:
    """Make `customer` (found by search_customers) the order's customer at its store."""
    if not customer.customer_id.strip().isdigit():
        raise ValidationError(
            f"{customer.customer_id!r} is not a customer of the store.",
            fields={"customer": "pick one the search found"},
        )
    return store_write(
        db,
        order_id,
        CUSTOMER,
        {"customer": asdict(customer), "from": _email(db, order_id)},
        notify=False,  # neither store tells the customer of this
        reach=reach,
    )
