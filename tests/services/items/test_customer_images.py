"""Customer-uploaded images in an item's store payload: found, fetched through the photo fetcher's
bounds (a URL on an allowed host, a file only inside the uploads folder), and a broken one said
plainly instead of raised."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from PIL import Image

from podtui import config
from podtui.sandbox.http import serve_loopback
from podtui.services.items.uploads import customer_images, load_customer_image
from podtui.services.render.photo_fetch import PhotoLimits


def _png(size: tuple[int, int] = (64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def _handler(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/cat.png":
        return httpx.Response(200, content=_png(), headers={"content-type": "image/png"})
    if request.url.path == "/broken.jpg":
        return httpx.Response(200, content=b"\xff\xd8\xff\xe0 not really a jpeg")
    return httpx.Response(404, content=b"gone")


@pytest.fixture
def photos() -> Iterator[str]:
    with serve_loopback(_handler) as url:
        yield url


ALLOW = PhotoLimits(timeout=10.0, allowed_hosts=("127.0.0.1",))


def test_image_fields_of_both_stores_are_found_and_text_is_not() -> None:
    raw = [
        {"name": "Name", "value": "Anna"},
        {"name": "_image_url", "value": "https://cdn.example.com/u/123/cat.png"},
        {"key": "Upload", "value": {"url": "https://shop.example.com/wp/uploads/dog.JPG?v=2",
                                     "name": "dog.JPG"}},
        {"key": "Your photo", "value": "https://files.example.com/get?id=77"},
        {"key": "note", "value": "see https://example.com/page"},
    ]  # fmt: skip
    found = customer_images(raw, {})
    assert [(i.label, i.source) for i in found] == [
        ("image url", "https://cdn.example.com/u/123/cat.png"),
        ("Upload", "https://shop.example.com/wp/uploads/dog.JPG?v=2"),
        ("Your photo", "https://files.example.com/get?id=77"),
    ]
    assert found[1].name == "dog.JPG"


def test_an_edited_field_holding_an_image_url_is_found_once() -> None:
    url = "https://cdn.example.com/u/9/face.webp"
    found = customer_images([{"name": "_image_url", "value": url}], {"photo": url})
    assert [i.source for i in found] == [url]


def test_a_photo_is_fetched_within_the_bounds(photos: str) -> None:
    shown = load_customer_image(f"{photos}/cat.png", "photo", limits=ALLOW)
    assert shown.image is not None and shown.image.size == (64, 48)
    assert shown.problem == "" and shown.summary() == "64x48 px"


@pytest.mark.parametrize(
    ("path", "says"),
    [("/broken.jpg", "not an image"), ("/missing.png", "HTTP 404")],
)
def test_a_broken_photo_says_why(photos: str, path: str, says: str) -> None:
    shown = load_customer_image(f"{photos}{path}", "photo", limits=ALLOW)
    assert shown.image is None and says in shown.problem
    assert shown.summary().startswith("cannot show it:")


def test_a_private_address_is_not_fetched(photos: str) -> None:
    shown = load_customer_image(f"{photos}/cat.png", "photo", limits=PhotoLimits(timeout=5.0))
    assert shown.image is None and "127.0.0.1" in shown.problem


def test_a_file_only_from_the_uploads_folder(tmp_path: object) -> None:
    uploads = config.data_dir() / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "cat.png").write_bytes(_png((10, 20)))
    inside = load_customer_image(str(uploads / "cat.png"), "photo", limits=ALLOW)
    assert inside.image is not None and inside.image.size == (10, 20)
    outside = load_customer_image("/etc/passwd", "photo", limits=ALLOW)
    assert outside.image is None and "uploads folder" in outside.problem
