"""A new shop's outside world for the first-day tests: a WooCommerce store with orders of a shirt
in two variants and a simple product, a Printify account, and a print image on disk."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from podtui.sandbox.http import serve_loopback
from podtui.sandbox.printify import SandboxPrintify
from podtui.sandbox.woocommerce import SandboxWooStore
from tests.adapters.stores.woo_support import KEY, SECRET, woo_order

PRINTIFY_TOKEN, PRINTIFY_SHOP = "pfy-first-day", 4242


def _orders() -> list[dict[str, Any]]:
    """Three orders: each has the simple product 93 and one variant of the shirt (product 22)."""
    black = woo_order(1001)
    gray = woo_order(1002)
    line = gray["line_items"][1]
    line.update(
        variation_id=24,
        sku="Bar4",
        name="Ship Your Idea &ndash; Color: Sport Gray, Size: Extra Large",
        meta_data=[
            {"id": 2097, "key": "pa_color", "value": "sport-gray"},
            {"id": 2098, "key": "size", "value": "Extra Large"},
        ],
    )
    again = copy.deepcopy(woo_order(1003))
    return [black, gray, again]


@dataclass
class NewShop:
    woo_url: str
    printify_url: str  # the API root, with /v1
    artwork: Path
    woo: SandboxWooStore
    printify: SandboxPrintify


@pytest.fixture
def new_shop(tmp_path: Path) -> Iterator[NewShop]:
    woo = SandboxWooStore(_orders(), consumer_key=KEY, consumer_secret=SECRET)
    printify = SandboxPrintify(token=PRINTIFY_TOKEN, shop_id=PRINTIFY_SHOP)
    art = tmp_path / "art" / "Idea front.png"
    art.parent.mkdir()
    Image.new("RGBA", (450, 540), (30, 90, 160, 255)).save(art, dpi=(300, 300))
    with serve_loopback(woo.handler) as woo_url, serve_loopback(printify.handler) as pfy_url:
        yield NewShop(woo_url, f"{pfy_url}/v1", art, woo, printify)
