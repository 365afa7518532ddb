"""The customer photos of the demo's personalized orders: which lines carry one, in each store's
shape, and the pictures themselves, drawn with Pillow into the data folder's uploads/demo/.

A real shop's upload app stores the photo on its CDN and puts the URL in the line: Shopify as a
line item property (`_image_url` from a product-personalizer app, "Upload your photo" from an
upload field), WooCommerce upload plugins as a meta entry whose value is `{"url", "name"}`.
The demo has no CDN and no internet, and the product fetches an http(s) photo only from public
addresses, so its photos are files in the uploads folder (the one place the product reads local
photos from), named by `file://` URLs. Which lines carry one is a hash of the line id, not a draw
of the generator's random stream: adding photos leaves every other value of the demo unchanged.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from podtui.config import data_dir

if TYPE_CHECKING:
    from PIL import ImageDraw

Painter = Callable[["ImageDraw.ImageDraw", int, int], None]
SIZE = (240, 300)  # a phone photo's portrait shape, small: the preview is a few dozen cells


def _gradient(
    draw: ImageDraw.ImageDraw, w: int, h: int, top: tuple[int, ...], low: tuple[int, ...]
) -> None:
    for y in range(h):
        t = y / max(1, h - 1)
        draw.line(
            [(0, y), (w, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, low, strict=True)),
        )


def _dog(
    fur: tuple[int, int, int], ear: tuple[int, int, int], back: tuple[int, int, int]
) -> Painter:
    def paint(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
        _gradient(draw, w, h, back, tuple(c // 2 for c in back))
        draw.ellipse((30, 60, 90, 190), fill=ear)  # floppy ears
        draw.ellipse((150, 60, 210, 190), fill=ear)
        draw.ellipse((55, 50, 185, 210), fill=fur)  # head
        draw.ellipse((85, 140, 155, 215), fill=(235, 225, 210))  # muzzle
        draw.ellipse((90, 105, 108, 123), fill=(25, 20, 15))  # eyes
        draw.ellipse((132, 105, 150, 123), fill=(25, 20, 15))
        draw.ellipse((106, 150, 134, 172), fill=(30, 25, 25))  # nose
        draw.rectangle((70, 215, 170, 300), fill=fur)  # chest

    return paint


def _cat(fur: tuple[int, int, int], back: tuple[int, int, int]) -> Painter:
    def paint(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
        _gradient(draw, w, h, back, (60, 50, 70))
        draw.polygon([(55, 40), (70, 120), (110, 90)], fill=fur)  # pointed ears
        draw.polygon([(185, 40), (170, 120), (130, 90)], fill=fur)
        draw.ellipse((50, 70, 190, 220), fill=fur)  # head
        draw.ellipse((82, 118, 108, 140), fill=(120, 200, 90))  # green eyes
        draw.ellipse((132, 118, 158, 140), fill=(120, 200, 90))
        draw.polygon([(112, 160), (128, 160), (120, 170)], fill=(230, 140, 150))  # nose
        draw.rectangle((80, 220, 160, 300), fill=fur)

    return paint


def _beach(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    _gradient(draw, w, h, (250, 170, 90), (120, 70, 140))
    draw.ellipse((80, 110, 160, 190), fill=(255, 220, 120))  # setting sun
    draw.rectangle((0, 180, w, h), fill=(40, 80, 140))  # sea
    draw.rectangle((0, 250, w, h), fill=(230, 205, 150))  # sand
    draw.ellipse((150, 200, 176, 226), fill=(40, 30, 30))  # someone on the shore
    draw.rectangle((152, 224, 174, 275), fill=(40, 30, 30))


def _family(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    _gradient(draw, w, h, (150, 190, 230), (240, 240, 235))
    draw.rectangle((0, 230, w, h), fill=(90, 150, 80))  # lawn
    people = ((40, 130, (200, 60, 60)), (95, 110, (60, 90, 170)), (150, 150, (230, 180, 50)))
    for x, top, shirt in people:
        draw.ellipse((x, top, x + 44, top + 44), fill=(240, 200, 170))
        draw.rectangle((x - 4, top + 44, x + 48, 280), fill=shirt)


def _two(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    _gradient(draw, w, h, (245, 235, 220), (200, 180, 160))
    draw.ellipse((40, 90, 100, 150), fill=(235, 210, 190))  # grandma, grey hair
    draw.chord((36, 82, 104, 130), 180, 360, fill=(200, 200, 205))
    draw.rectangle((30, 150, 110, 300), fill=(140, 60, 90))
    draw.ellipse((140, 130, 190, 180), fill=(225, 185, 150))  # and me
    draw.chord((136, 122, 194, 165), 180, 360, fill=(90, 60, 30))
    draw.rectangle((130, 180, 200, 300), fill=(60, 130, 140))


def _mountains(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    _gradient(draw, w, h, (120, 170, 230), (220, 235, 250))
    draw.polygon([(0, 240), (80, 90), (160, 240)], fill=(90, 100, 120))
    draw.polygon([(80, 240), (170, 60), (240, 200), (240, 240)], fill=(110, 120, 140))
    draw.polygon([(150, 90), (170, 60), (190, 98)], fill=(250, 250, 250))  # snow cap
    draw.rectangle((0, 240, w, h), fill=(70, 120, 70))


# (file name as a phone or a customer names it, what it shows); the names are what the details
# show beside the picture, so they look like real uploads.
PET_PHOTOS: tuple[tuple[str, Painter], ...] = (
    ("IMG_2231.JPG", _dog((210, 160, 80), (150, 100, 45), (120, 170, 110))),
    ("biscuit.jpg", _dog((130, 85, 50), (80, 50, 30), (200, 190, 160))),
    ("luna-on-the-sofa.jpeg", _cat((140, 140, 150), (170, 90, 80))),
    ("PXL_20260114_181502.jpg", _cat((235, 150, 60), (90, 120, 160))),
)
PEOPLE_PHOTOS: tuple[tuple[str, Painter], ...] = (
    ("IMG_4821.JPG", _beach),
    ("20251224_191733.jpg", _family),
    ("grandma-and-me.png", _two),
    ("hike-2025.jpg", _mountains),
)
# Product key -> (photos to pick from, one line in how many carries one, Shopify property name,
# WooCommerce field label): the pet tee is made from the pet's photo; a mug takes one if asked.
KINDS: dict[str, tuple[tuple[tuple[str, Painter], ...], int, str, str]] = {
    "tee": (PET_PHOTOS, 1, "_image_url", "Your pet's photo"),
    "mug": (PEOPLE_PHOTOS, 3, "Upload your photo", "Upload your photo"),
}


def upload_url(folder: str | None, product: str, line_id: str) -> str | None:
    """The `file://` URL of the photo a line of `product` carries; None when it has none."""
    kind = KINDS.get(product)
    if folder is None or kind is None:
        return None
    photos, one_in, _, _ = kind
    mark = zlib.crc32(line_id.encode())
    if mark % one_in:
        return None
    return f"file://{folder.rstrip('/')}/{photos[(mark >> 8) % len(photos)][0]}"


def shopify_property(product: str, url: str) -> dict[str, Any]:
    """The line item property a Shopify upload app writes."""
    return {"name": KINDS[product][2], "value": url}


def woo_meta(product: str, url: str) -> tuple[str, str, dict[str, str], str]:
    """(key, display key, value, display value) of a WooCommerce upload plugin's meta entry."""
    label = KINDS[product][3]
    name = url.rsplit("/", 1)[-1]
    return label, label, {"url": url, "name": name}, name


def write_uploads(folder: Path) -> Path:
    """Draw every demo photo into `folder` (those already there are kept); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    missing = [(n, p) for n, p in (*PET_PHOTOS, *PEOPLE_PHOTOS) if not (folder / n).exists()]
    if not missing:
        return folder
    from PIL import Image, ImageDraw  # only when drawing: `podtui demo` starts without it

    for name, paint in missing:
        image = Image.new("RGB", SIZE)
        paint(ImageDraw.Draw(image), *SIZE)
        # Written aside and renamed: a demo opened meanwhile never reads half a photo.
        part = folder / f".{name}.part"
        image.save(part, "PNG" if name.endswith(".png") else "JPEG", quality=85)
        part.replace(folder / name)
    return folder


def demo_uploads() -> Path:
    """The demo's photos in the data folder's uploads/demo/, drawn if missing."""
    return write_uploads(data_dir() / "uploads" / "demo")
