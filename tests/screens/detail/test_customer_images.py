"""The details show a customer's uploaded image (a photo URL or upload in the store payload) as a
half-block preview beside the print file's; a broken one is said in the item card, no crash."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from PIL import Image
from textual.pilot import Pilot
from textual.widgets import Static

from podtui import config
from podtui.config import Config
from podtui.db import Database
from podtui.domain.models import OrderItem
from podtui.sandbox.http import serve_loopback
from podtui.widgets.preview import ImagePreview
from tests.screens.conftest import steady_cursors
from tests.screens.detail.conftest import DetailShop, cursor_to, open_from_list
from tests.screens.orders.conftest import make_app, settle


def _png(size: tuple[int, int] = (64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def _handler(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/cat.png":
        return httpx.Response(200, content=_png(), headers={"content-type": "image/png"})
    return httpx.Response(200, content=b"GIF89a but then nothing")


@pytest.fixture
def photos() -> Iterator[str]:
    with serve_loopback(_handler) as url:
        yield url


def _with_upload(db: Database, dshop: DetailShop, value: str) -> int:
    item = dshop.items["waiting"]
    with db.write() as s:
        row = s.get(OrderItem, item)
        assert row is not None
        row.personalization_raw = [*row.personalization_raw, {"name": "_image_url", "value": value}]
        s.add(row)
    return item


def _card(app: Any) -> str:
    """The item card's text, unwrapped."""
    return str(app.screen.query_one("#detail-item", Static).content)


def _app(db: Database) -> Any:
    return make_app(db, Config(photo_allowed_hosts=["127.0.0.1"]))


async def _show(pilot: Pilot[Any], item: int) -> None:
    await open_from_list(pilot)
    await cursor_to(pilot, item)
    await settle(pilot)
    await settle(pilot)


async def test_an_uploaded_photo_is_previewed(db: Database, dshop: DetailShop, photos: str) -> None:
    item = _with_upload(db, dshop, f"{photos}/cat.png")
    app = _app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await _show(pilot, item)
        upload = app.screen.query_one("#detail-upload", ImagePreview)
        shown = upload.image
        assert shown is not None and shown.size == (64, 48)
        assert "customer image  image url (cat.png): 64x48 px" in _card(app)
        # Setting the image drops the preview's painted lines: moving the cursor over items
        # without an upload, and back, sets it only when what it shows changes.
        calls: list[object] = []
        real = upload.set_image

        def counted(image: Any) -> None:
            calls.append(image)
            real(image)

        upload.set_image = counted  # type: ignore[method-assign]
        others = [d.id for d in app.screen.detail.items if d.id != item]  # type: ignore[attr-defined]
        assert len(others) >= 3
        for other in others[:3]:
            await cursor_to(pilot, other)
        await cursor_to(pilot, item)
        await settle(pilot)
        assert calls == [None, shown] and upload.image is shown


async def test_a_broken_upload_is_said_not_raised(
    db: Database, dshop: DetailShop, photos: str
) -> None:
    item = _with_upload(db, dshop, f"{photos}/broken.gif")
    app = _app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await _show(pilot, item)
        upload = app.screen.query_one("#detail-upload", ImagePreview)
        assert upload.image is None
        text = _card(app)
        assert "image url (broken.gif): cannot show it:" in text and "not an image" in text


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_customer_image_snapshot(
    snap_compare: Callable[..., bool], db: Database, dshop: DetailShop, size: tuple[int, int]
) -> None:
    uploads = config.data_dir() / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "cat.png").write_bytes(_png())
    item = _with_upload(db, dshop, str(uploads / "cat.png"))

    async def before(pilot: Pilot[Any]) -> None:
        await _show(pilot, item)
        await steady_cursors(pilot)

    assert snap_compare(_app(db), terminal_size=size, run_before=before)
