"""Fixtures for the render tests: items built straight from the models, and a loopback photo server."""

from __future__ import annotations

import io
import socket
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PIL import Image

from podtui import config
from podtui.db import Database
from podtui.domain.models import Artwork, Order, OrderItem, RenderJob, Store
from podtui.domain.status import ItemStatus

CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def png_bytes(size: tuple[int, int] = (64, 48), colour: tuple[int, ...] = (200, 40, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def bomb_png(width: int = 40_000, height: int = 40_000) -> bytes:
    """A PNG header claiming a gigantic canvas: Pillow refuses it at open, no memory spent."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


@dataclass
class PhotoServer:
    """A 127.0.0.1 HTTP server with a route per kind of customer photo.

    The shop's config allows 127.0.0.1 for photos (`[render] photo_allowed_hosts`), as a shop
    allows its own photo server; a test that wants no allow-list rewrites the config file.
    """

    base: str
    routes: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)  # path -> Location
    hits: list[str] = field(default_factory=list)  # paths asked for, in order
    hold: threading.Event = field(default_factory=threading.Event)
    requested: threading.Event = field(default_factory=threading.Event)
    dripped: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


BIG = 10_000  # bytes of /big.png and /big-unsized.png


def allow_photo_hosts(*hosts: str) -> None:
    """Write the shop's photo allow-list into the config file (nothing else is configured)."""
    path = config.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    listed = ", ".join(f'"{h}"' for h in hosts)
    path.write_text(f"[render]\nphoto_allowed_hosts = [{listed}]\n", encoding="utf-8")


@pytest.fixture
def photo_server() -> Iterator[PhotoServer]:
    state: dict[str, PhotoServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server = state["server"]
            server.hits.append(self.path)
            if self.path in server.redirects:
                self.send_response(302)
                self.send_header("Location", server.redirects[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path == "/drip.png":
                self._drip(server)
                return
            if self.path == "/big-unsized.png":  # no length: the body ends when we close
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(b"\0" * BIG)
                return
            if self.path == "/slow.png":
                server.requested.set()
                server.hold.wait(30)
            status, body = server.routes.get(self.path, (404, b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", "image/png" if status == 200 else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _drip(self, server: PhotoServer) -> None:
            """A byte at a time, never finishing, until the client hangs up (or 30 s pass)."""
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            for _ in range(1500):
                try:
                    self.wfile.write(b"\0")
                    self.wfile.flush()
                except OSError:
                    return
                server.dripped.set()
                if server.hold.wait(0.02):
                    return

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    server = PhotoServer(f"http://127.0.0.1:{httpd.server_address[1]}")
    server.routes.update(
        {
            "/ok.png": (200, png_bytes()),
            "/slow.png": (200, png_bytes((80, 80), (30, 120, 200))),
            "/corrupt.png": (200, b"\x89PNG\r\n\x1a\nthis is not really a png"),
            "/bomb.png": (200, bomb_png()),
            "/big.png": (200, b"\0" * BIG),
        }
    )
    state["server"] = server
    allow_photo_hosts("127.0.0.1")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.hold.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def refused_url() -> str:
    """A URL on a loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/photo.png"


@dataclass
class Shop:
    """Builds stores, orders and items in the rendering status, each with a queued job."""

    db: Database
    counter: int = 0

    def item(
        self,
        template: str = "shirt-front",
        values: dict[str, str] | None = None,
        *,
        variant: str = "White / L",
        status: ItemStatus = ItemStatus.RENDERING,
        raw: list[Any] | None = None,
        note: str = "",
        title: str = "Custom Tee",
        queue: bool = True,
    ) -> int:
        self.counter += 1
        with self.db.write() as session:
            store = session.get(Store, 1)
            if store is None:
                session.add(Store(id=1, name="Demo Shop", kind="sandbox"))
                session.flush()
            artwork = Artwork(name=template, template=template)
            order = Order(
                store_id=1,
                store_order_id=str(1000 + self.counter),
                name=f"#{1000 + self.counter}",
                created_at=CREATED,
                customer_note=note,
            )
            session.add_all([artwork, order])
            session.flush()
            assert order.id is not None
            item = OrderItem(
                order_id=order.id,
                store_id=1,
                order_created_at=CREATED,
                title=title,
                variant_title=variant,
                sku=f"TEE-{self.counter}",
                status=status,
                artwork_id=artwork.id,
                personalization=dict(values or {}),
                personalization_raw=list(raw or []),
            )
            session.add(item)
            session.flush()
            assert item.id is not None
            if queue:
                session.add(RenderJob(item_id=item.id))
            return item.id


@pytest.fixture
def shop(db: Database) -> Shop:
    return Shop(db)
