"""A Printify sandbox on loopback (`vendor_api`, a fixture imported by the conftests using it)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from podtui.sandbox.http import serve_loopback
from podtui.sandbox.printify import SandboxPrintify

TOKEN = "test-printify-token"


SHOP_ID = 424242


def tiny_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (4, 4), (200, 30, 30, 255)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def vendor_api() -> Iterator[tuple[SandboxPrintify, str]]:
    """A sandbox Printify (422 for validation failures, like the real API) on 127.0.0.1."""
    sandbox = SandboxPrintify(token=TOKEN, shop_id=SHOP_ID, validation_status=422)
    with serve_loopback(sandbox.handler) as url:
        yield sandbox, url
