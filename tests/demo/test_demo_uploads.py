"""The demo's personalized orders carry customer photos the way the real stores do, and the
photos really load: files in the data folder's uploads/, fetched by the product's own loader."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select

from podtui import config
from podtui.db import Database
from podtui.demo.generator import DemoGenerator, DemoItem
from podtui.demo.sandboxes import sandbox_for
from podtui.demo.seed import seed_demo
from podtui.demo.uploads import demo_uploads
from podtui.domain.models import OrderItem
from podtui.services.items.uploads import customer_images, load_customer_image
from tests.demo.conftest import NOW


def _items(uploads: str | None, orders: int = 120) -> list[DemoItem]:
    gen = DemoGenerator(now=NOW, seed=5, orders=orders, uploads=uploads)
    return [item for order in gen.orders() for item in order.items]


def test_photo_products_carry_uploads_in_each_stores_shape() -> None:
    folder = demo_uploads()
    assert folder == config.data_dir() / "uploads" / "demo"
    items = _items(str(folder))
    with_upload = [i for i in items if i.upload is not None]
    kinds = {(i.product.store.kind, i.product.spec.key) for i in with_upload}
    # A pet portrait from the pet's photo and a photo mug, in both kinds of store.
    assert kinds == {
        ("shopify", "tee"),
        ("shopify", "mug"),
        ("woocommerce", "tee"),
        ("woocommerce", "mug"),
    }
    # Some, not all: a mug without a photo is still the usual name mug.
    mugs = [i for i in items if i.product.spec.key == "mug"]
    assert 0 < sum(i.upload is not None for i in mugs) < len(mugs)
    for item in with_upload:
        raw = item.raw
        if item.product.store.kind == "shopify":
            props = {p["name"]: p["value"] for p in raw}
            url = props.get("_image_url") or props.get("Upload your photo")
            assert url == item.upload
        else:
            uploads = [m for m in raw if isinstance(m["value"], dict)]
            assert len(uploads) == 1
            value = uploads[0]["value"]
            assert value["url"] == item.upload and value["name"] == Path(value["url"]).name
            # Every meta_data entry keeps its own id.
            assert len({m["id"] for m in raw}) == len(raw)
        found = customer_images(raw, item.personalization)
        assert [f.source for f in found] == [item.upload]
        shown = load_customer_image(found[0].source, found[0].label)
        assert shown.image is not None, shown.problem


def test_without_an_uploads_folder_no_order_carries_one() -> None:
    # What the benches and the older tests seed: the same orders, no photos.
    assert all(i.upload is None for i in _items(None))


def test_uploads_are_deterministic_and_leave_the_rest_unchanged() -> None:
    folder = demo_uploads()
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(before) >= 6
    for path in folder.iterdir():
        path.unlink()
    demo_uploads()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    plain, photos = _items(None, 60), _items(str(folder), 60)
    assert [i.upload for i in photos] == [i.upload for i in _items(str(folder), 60)]
    # The photos draw nothing from the random stream: every order is otherwise the same.
    assert [(i.line_id, i.personalization, i.status) for i in plain] == [
        (i.line_id, i.personalization, i.status) for i in photos
    ]


def test_the_sandboxes_serve_the_same_uploads_as_the_seeded_rows(db: Database) -> None:
    folder = demo_uploads()
    seed_demo(db, orders=60, seed=3, now=NOW, hotfolder_path="/tmp/rip", uploads_path=str(folder))
    with db.read() as s:
        rows = s.exec(select(OrderItem).where(col(OrderItem.parent_id).is_(None))).all()
    seeded = {r.store_line_id: r.personalization_raw for r in rows}
    with_photo = [k for k, raw in seeded.items() if customer_images(raw, {})]
    assert with_photo
    sandbox = sandbox_for(db)
    assert sandbox is not None
    served: dict[str, object] = {}
    for order in sandbox.woo.orders.values():
        for line in order["line_items"]:
            served[str(line["id"])] = line["meta_data"]
    for shop in sandbox.shopify.values():
        for lines in shop.lines.values():
            for line in lines:  # GraphQL customAttributes: Shopify's properties, renamed
                attributes = line["customAttributes"]
                served[line["id"].rsplit("/", 1)[-1]] = [
                    {"name": a["key"], "value": a["value"]} for a in attributes
                ]
    for key in with_photo:
        assert served[key] == seeded[key]
