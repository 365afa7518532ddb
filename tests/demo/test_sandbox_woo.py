"""The sandbox WooCommerce store, driven through real httpx clients."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from podtui.demo.sandboxes import WOO_KEY, WOO_SECRET, build_sandbox, woo_payloads
from podtui.sandbox.http import Fault, serve_loopback
from podtui.sandbox.router import sandbox_store_transport
from podtui.sandbox.woocommerce import SandboxWooStore
from tests.demo.conftest import NOW

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "woo_order.json").read_text())
AUTH = (WOO_KEY, WOO_SECRET)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def payloads() -> list[dict]:  # type: ignore[type-arg]
    return woo_payloads(now=NOW, seed=5, orders=400)


@pytest.fixture
def store(payloads: list[dict]) -> SandboxWooStore:  # type: ignore[type-arg]
    return SandboxWooStore(
        payloads, consumer_key=WOO_KEY, consumer_secret=WOO_SECRET,
        timezone=ZoneInfo("Europe/Paris"), clock=Clock(),
    )  # fmt: skip


@pytest.fixture
def client(store: SandboxWooStore) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=store.base_url + "/wp-json/wc/v3",
        transport=sandbox_store_transport(store),
        auth=AUTH,
    ) as c:
        yield c


def test_demo_orders_have_the_fixture_shape(payloads: list[dict]) -> None:  # type: ignore[type-arg]
    order = payloads[-1]
    assert set(FIXTURE) <= set(order)
    assert set(FIXTURE["billing"]) <= set(order["billing"])
    assert set(FIXTURE["shipping"]) <= set(order["shipping"])
    line_keys = set(FIXTURE["line_items"][1]) - {"taxes"}
    for line in order["line_items"]:
        assert line_keys <= set(line)
        assert all({"id", "key", "value"} <= set(m) for m in line["meta_data"])
    for p in payloads:  # local time is the site's (Paris), GMT is UTC
        created = datetime.fromisoformat(p["date_created"])
        gmt = datetime.fromisoformat(p["date_created_gmt"]).replace(tzinfo=UTC)
        assert created == gmt.astimezone(ZoneInfo("Europe/Paris")).replace(tzinfo=None)
    assert {p["status"] for p in payloads} >= {"processing", "completed"}
    assert any(
        m["display_key"] == "Size"
        for p in payloads
        for li in p["line_items"]
        for m in li["meta_data"]
    )


def test_pages_cover_every_order_once_with_wordpress_headers(
    client: httpx.Client, store: SandboxWooStore
) -> None:
    seen: list[int] = []
    page = 1
    while True:
        r = client.get("/orders", params={"per_page": 37, "page": page})
        assert r.status_code == 200
        assert int(r.headers["X-WP-Total"]) == len(store.orders)
        assert int(r.headers["X-WP-TotalPages"]) == -(-len(store.orders) // 37)
        seen += [o["id"] for o in r.json()]
        if 'rel="next"' not in r.headers.get("Link", ""):
            break
        assert "page=" in r.headers["Link"]
        page += 1
    assert sorted(seen) == sorted(store.orders) and len(seen) == len(set(seen))
    assert page == int(r.headers["X-WP-TotalPages"])
    assert 'rel="prev"' in r.headers["Link"]


def test_default_page_is_ten_newest_first(client: httpx.Client) -> None:
    orders = client.get("/orders").json()
    assert len(orders) == 10
    stamps = [o["date_created_gmt"] for o in orders]
    assert stamps == sorted(stamps, reverse=True)
    asc = client.get("/orders", params={"order": "asc", "orderby": "id"}).json()
    assert [o["id"] for o in asc] == sorted(o["id"] for o in asc)


@pytest.mark.parametrize("per_page", ["101", "0", "500"])
def test_per_page_over_100_is_refused_like_wordpress(client: httpx.Client, per_page: str) -> None:
    r = client.get("/orders", params={"per_page": per_page})
    assert r.status_code == 400
    assert r.json() == {
        "code": "rest_invalid_param",
        "message": "Invalid parameter(s): per_page",
        "data": {
            "status": 400,
            "params": {"per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"},
        },
    }


def test_auth_is_checked(store: SandboxWooStore) -> None:
    transport = sandbox_store_transport(store)
    base = store.base_url + "/wp-json/wc/v3"
    for auth in (None, (WOO_KEY, "cs_wrong"), ("ck_wrong", WOO_SECRET)):
        with httpx.Client(base_url=base, transport=transport, auth=auth) as c:
            r = c.get("/orders")
            assert r.status_code == 401
            assert r.json()["code"] == "woocommerce_rest_cannot_view"
            assert (
                c.put(
                    f"/orders/{next(iter(store.orders))}", json={"status": "completed"}
                ).status_code
                == 401
            )
    with httpx.Client(base_url=base, transport=transport) as c:  # keys in the query string
        r = c.get("/orders", params={"consumer_key": WOO_KEY, "consumer_secret": WOO_SECRET})
        assert r.status_code == 200


def test_status_include_and_php_array_rules(client: httpx.Client, store: SandboxWooStore) -> None:
    done = client.get("/orders", params={"status": "completed", "per_page": 100}).json()
    assert done and all(o["status"] == "completed" for o in done)
    ids = sorted(store.orders)[:3]
    comma = client.get("/orders", params={"include": ",".join(map(str, ids))}).json()
    brackets = client.get("/orders", params=[("include[]", i) for i in ids]).json()
    assert sorted(o["id"] for o in comma) == sorted(o["id"] for o in brackets) == ids
    # `include=1&include=2` is PHP's last-one-wins: a client sending lists that way gets one order
    repeated = client.get("/orders", params=[("include", i) for i in ids]).json()
    assert [o["id"] for o in repeated] == [ids[-1]]
    bad = client.get("/orders", params={"status": "shipped"})
    assert bad.status_code == 400 and "status[0]" in bad.json()["data"]["params"]


def test_date_filters_local_and_gmt(client: httpx.Client, store: SandboxWooStore) -> None:
    cut = (NOW - timedelta(days=7)).replace(tzinfo=None)
    recent = client.get(
        "/orders", params={"after": cut.isoformat(), "dates_are_gmt": "true", "per_page": 100}
    )
    expected = {i for i, o in store.orders.items() if o["date_created_gmt"] > cut.isoformat()}
    assert int(recent.headers["X-WP-Total"]) == len(expected) > 0
    local = client.get("/orders", params={"before": "2000-01-01T00:00:00"})
    assert local.json() == [] and local.headers["X-WP-TotalPages"] == "0"
    assert client.get("/orders", params={"after": "yesterday"}).status_code == 400


def test_modified_after_sees_changes_made_in_the_store(
    client: httpx.Client, store: SandboxWooStore
) -> None:
    clock = store.clock
    assert isinstance(clock, Clock)
    clock.now = NOW + timedelta(hours=2)
    target = sorted(store.orders)[5]
    store.update_order(
        target, customer_note="Please gift wrap 🎁", shipping={"address_2": "Flat 9"}
    )
    since = (NOW + timedelta(hours=1)).isoformat()
    r = client.get("/orders", params={"modified_after": since})
    assert [o["id"] for o in r.json()] == [target]
    assert r.json()[0]["shipping"]["address_2"] == "Flat 9"


def test_get_update_and_notes(client: httpx.Client, store: SandboxWooStore) -> None:
    order_id = next(i for i, o in store.orders.items() if o["status"] == "processing")
    assert client.get(f"/orders/{order_id}").json()["id"] == order_id
    missing = client.get("/orders/999999")
    assert (
        missing.status_code == 404
        and missing.json()["code"] == "woocommerce_rest_shop_order_invalid_id"
    )
    r = client.put(f"/orders/{order_id}", json={"status": "completed"})
    assert (
        r.status_code == 200
        and r.json()["status"] == "completed"
        and r.json()["date_completed_gmt"]
    )
    note = client.post(
        f"/orders/{order_id}/notes", json={"note": "Sent to Printify #abc", "customer_note": False}
    )
    assert note.status_code == 201
    assert set(note.json()) >= {
        "id",
        "author",
        "date_created",
        "date_created_gmt",
        "note",
        "customer_note",
    }
    notes = client.get(f"/orders/{order_id}/notes").json()
    assert [n["note"] for n in notes] == [
        "Sent to Printify #abc",
        "Order status changed from Processing to Completed.",
    ]
    assert (
        client.get(f"/orders/{order_id}/notes/{notes[0]['id']}").json()["note"]
        == "Sent to Printify #abc"
    )
    assert (
        client.post(f"/orders/{order_id}/notes", json={}).json()["code"]
        == "rest_missing_callback_param"
    )
    assert client.put(f"/orders/{order_id}", json={"status": "shipped"}).status_code == 400
    assert (
        client.put(f"/orders/{order_id}", content=b"{not json").json()["code"]
        == "rest_invalid_json"
    )
    assert client.get("/products").json()["code"] == "rest_no_route"


def test_a_new_order_shows_up_in_the_next_sync(
    client: httpx.Client, store: SandboxWooStore
) -> None:
    order = store.add_order({**FIXTURE, "id": 99001, "number": "99001"})
    assert (
        client.get("/orders", params={"include": "99001"}).json()[0]["line_items"]
        == order["line_items"]
    )


def test_faults_429_retry_after_and_drops(client: httpx.Client, store: SandboxWooStore) -> None:
    store.inject(Fault("status", status=429, retry_after=3, path="/orders"))
    r = client.get("/orders")
    assert r.status_code == 429 and r.headers["Retry-After"] == "3"
    assert client.get("/orders").status_code == 200
    store.inject(Fault("drop"))
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/orders")
    store.inject(Fault("malformed"))
    with pytest.raises(json.JSONDecodeError):
        client.get("/orders").json()


async def test_async_clients_are_served_too(store: SandboxWooStore) -> None:
    async with httpx.AsyncClient(
        base_url=store.base_url + "/wp-json/wc/v3", transport=store.transport(), auth=AUTH
    ) as c:
        r = await c.get("/orders", params={"per_page": 100})
        assert r.status_code == 200 and len(r.json()) == 100


def test_loopback_server_speaks_real_http(store: SandboxWooStore) -> None:
    store.inject(Fault("drop", path="/orders/"))
    with (
        serve_loopback(store.handler) as base,
        httpx.Client(base_url=base + "/wp-json/wc/v3", auth=AUTH) as c,
    ):
        r = c.get("/orders", params={"per_page": 5})
        assert r.status_code == 200 and len(r.json()) == 5 and r.headers["X-WP-Total"]
        with pytest.raises(httpx.RemoteProtocolError):  # the server really hangs up
            c.get(f"/orders/{next(iter(store.orders))}")
        store.inject(Fault("timeout", delay=1.0))
        with pytest.raises(httpx.ReadTimeout):
            c.get("/orders", timeout=0.2)


def test_demo_sandbox_serves_the_demo_woocommerce_orders_by_host() -> None:
    sandbox = build_sandbox(now=NOW, seed=5, orders=60)
    with httpx.Client(transport=sandbox.transport, auth=AUTH) as c:
        r = c.get(sandbox.woo.base_url + "/wp-json/wc/v3/orders", params={"per_page": 100})
        assert r.status_code == 200 and {o["id"] for o in r.json()} == set(sandbox.woo.orders)
        with pytest.raises(httpx.ConnectError):
            c.get("https://unknown.example/wp-json/wc/v3/orders")
