"""Customer-uploaded images of an item: which payload fields hold one, and the image, fetched.

A store payload carries an upload as a URL (Shopify `_image_url` properties, WooCommerce upload
plugins' `{"url": ..., "name": ...}` values) or, for an operator's upload, a file in the data
folder's `uploads/`. A field counts as an image when its value is such a URL or path and either
the path ends like an image file or the field's name says photo, image, picture or upload.

Fetching goes through the shop's `PhotoSources` (services/render/photo_fetch.py):
the same time, size and address bounds as a render, a local file only inside the uploads folder.
Whatever goes wrong (refused, not found, not an image, too large in pixels) comes back as the
reason, never raised: the details say it beside the item.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from PIL import Image, UnidentifiedImageError

from podtui import config
from podtui.services.render.photo_fetch import PhotoLimits, PhotoSources
from podtui.services.render.renderer import RenderError

IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic", ".avif"}
)
_IMAGE_WORDS = re.compile(r"photo|image|picture|upload|img|pic\b|file", re.IGNORECASE)
PREVIEW_MAX = 800  # pixels on the long side kept for a half-block preview


@dataclass(frozen=True)
class CustomerImage:
    """One uploaded image: the field it came in, where it is, and its file name."""

    label: str
    source: str
    name: str


@dataclass(frozen=True)
class ShownImage:
    """An image ready to preview, or the reason it cannot be shown."""

    image: Image.Image | None
    problem: str = ""

    def summary(self) -> str:
        if self.image is None:
            return f"cannot show it: {self.problem}"
        return f"{self.image.width}x{self.image.height} px"


def _label(name: str) -> str:
    return name.strip().lstrip("_").replace("_", " ").strip() or name


def _is_location(value: str) -> bool:
    return value.startswith(("http://", "https://", "file://", "/"))


def _file_name(source: str) -> str:
    path = urlsplit(source).path if "://" in source else source
    return PurePosixPath(path).name or source


def _looks_like_image(name: str, source: str) -> bool:
    if not _is_location(source):
        return False
    return PurePosixPath(_file_name(source)).suffix.lower() in IMAGE_SUFFIXES or bool(
        _IMAGE_WORDS.search(name)
    )


def _entry(entry: Any) -> tuple[str, str, str] | None:
    """(name, location, file name) of a Shopify property or WooCommerce meta entry."""
    if not isinstance(entry, dict):
        return None
    name = entry.get("name") if "key" not in entry else entry.get("display_key") or entry["key"]
    value = entry.get("value")
    file_name = ""
    if isinstance(value, dict):
        file_name = str(value.get("name") or "")
        value = value.get("url") or value.get("src") or ""
    if not isinstance(name, str) or not isinstance(value, str):
        return None
    value = value.strip()
    return name, value, file_name or _file_name(value)


def customer_images(raw: Iterable[Any], fields: Mapping[str, Any]) -> list[CustomerImage]:
    """The uploaded images in a store payload (`raw`) and in the item's edited fields."""
    found: dict[str, CustomerImage] = {}
    for entry in raw:
        parsed = _entry(entry)
        if parsed is None:
            continue
        name, source, file_name = parsed
        if source not in found and _looks_like_image(name, source):
            found[source] = CustomerImage(_label(name), source, file_name)
    for name, value in fields.items():
        if isinstance(value, str) and value.strip() not in found:
            source = value.strip()
            if _looks_like_image(name, source):
                found[source] = CustomerImage(_label(name), source, _file_name(source))
    return list(found.values())


def load_customer_image(
    source: str,
    label: str,
    *,
    limits: PhotoLimits | None = None,
) -> ShownImage:
    """The image at `source`, shrunk for a preview; or why it cannot be shown."""
    try:
        sources = PhotoSources.of_shop(limits)
    except config.ConfigError as exc:
        return ShownImage(None, f"the config file: {exc}")
    try:
        data = sources.loader()(source, label)
    except RenderError as exc:
        # The card names the field already: the reason without it.
        return ShownImage(None, str(exc).removeprefix(f"{label}: "))
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.draft("RGB", (PREVIEW_MAX, PREVIEW_MAX))
            image = opened.copy()
        image.thumbnail((PREVIEW_MAX, PREVIEW_MAX))
    except Image.DecompressionBombError:
        return ShownImage(None, "the image has too many pixels to show")
    except UnidentifiedImageError:
        return ShownImage(
            None, f"not an image podtui can read ({len(data):,} bytes that are no PNG, JPEG, "
            "GIF, WebP, TIFF or BMP)"
        )  # fmt: skip
    except (OSError, ValueError, SyntaxError) as exc:
        return ShownImage(None, f"not an image podtui can read: a broken file ({exc})")
    return ShownImage(image)
