"""No form of a secret reaches the database, the logs or the output, whatever path an error takes.

A store or vendor that echoes the request in an error page hands podtui its own login back:
the `Authorization: Basic` header (base64 of key:secret), a `Bearer` token, the secret
percent-encoded in a URL. Each form goes through each error path (a failed sync stored on the
store row, a sync problem, a failed send, a connection test, the CLI, the log), then the database
file's bytes, the captured logs and the output are searched for every form. (Each path is fed
the forms of the login it uses: podtui can only know the secrets it was given.)
"""

from __future__ import annotations

import asyncio
import base64
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from podtui.adapters.credentials import set_secret
from podtui.cli import main
from podtui.config import sqlite_file
from podtui.db import Database
from podtui.domain.models import (
    Artwork,
    Order,
    OrderItem,
    ProductMapping,
    Shipment,
    Store,
    Submission,
    SyncProblem,
)
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import Fault, serve_loopback
from podtui.sandbox.printify import SandboxPrintify
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.connections import connect as connections
from podtui.services.database.checksum import row_line, rows_in_key_order
from podtui.services.database.copy import tables
from podtui.services.items import shipping as item_shipping
from podtui.services.sending.vendor_status import after_shipments
from tests.adapters.stores.woo_support import Clock, woo_order
from tests.adapters.vendors.printify_support import SHOP_ID
from tests.services.sending.conftest import make_shop

# Secrets with characters that percent-encoding changes, so every form differs from the plain one.
KEY = "ck_4f2a+leak/key7"
SECRET = "cs_9b7c=leak&secret8"
TOKEN = "pfy_tok+en/leak=42x"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode().rstrip("=")


WOO_FORMS = {
    "plain key": KEY,
    "plain secret": SECRET,
    "login": f"{KEY}:{SECRET}",
    "basic": f"Basic {b64(f'{KEY}:{SECRET}')}",
    "base64 login": b64(f"{KEY}:{SECRET}"),
    "url key": quote(KEY, safe=""),
    "url secret": quote(SECRET, safe=""),
    "url secret lower": quote(SECRET, safe="").lower(),
    "query": f"consumer_key={quote(KEY, safe='')}&consumer_secret={quote(SECRET, safe='')}",
}
TOKEN_FORMS = {
    "plain token": TOKEN,
    "bearer": f"Bearer {TOKEN}",
    "url token": quote(TOKEN, safe=""),
    "base64 token": b64(TOKEN),
    "basic token": f"Basic {b64(TOKEN + ':')}",
}
# What must never be found: each form, and the unpadded base64 that sits inside a padded one.
NEEDLES = sorted({*WOO_FORMS.values(), *TOKEN_FORMS.values(), KEY, SECRET, TOKEN}, key=len)


def echo_page(form: str) -> str:
    """A debug error page that quotes what it was sent, and the request with its headers."""
    return (
        "<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1>"
        f"<p>Refused: {form}</p><pre>{{request}}</pre></body></html>"
    )


def leaks(text: str | bytes) -> list[str]:
    """The forms of a secret found in `text`."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return [n for n in NEEDLES if n.encode("utf-8") in raw]


def db_bytes(db: Database) -> bytes:
    """SQLite: the database file and its write-ahead log, byte for byte (deleted rows included).
    PostgreSQL: every row of every table, as text."""
    path = sqlite_file(db.url)
    if path is not None:
        parts = [path, path.with_name(path.name + "-wal")]
        return b"".join(p.read_bytes() for p in parts if p.exists())
    with db.engine.connect() as conn:
        return b"\n".join(
            row_line(dict(row)) for table in tables() for row in rows_in_key_order(conn, table)
        )


@pytest.fixture
def woo_sandbox() -> SandboxWooStore:
    return SandboxWooStore(consumer_key=KEY, consumer_secret=SECRET, clock=Clock())


@pytest.fixture
def woo_at(woo_sandbox: SandboxWooStore) -> Iterator[str]:
    with serve_loopback(woo_sandbox.handler) as url:
        yield url


@pytest.fixture
def leaky_store(db: Database, woo_at: str) -> int:
    """A WooCommerce store on loopback with the login above in the keyring; product 22 mapped."""
    set_secret("woocommerce", "Leaky Woo", f"{KEY}:{SECRET}")
    with db.write() as session:
        row = Store(name="Leaky Woo", kind="woocommerce", base_url=woo_at)
        artwork = Artwork(name="Idea tee", template="tee.toml", fields=["name"])
        session.add_all([row, artwork])
        session.flush()
        session.add(ProductMapping(store_id=row.id, product_id="22", artwork_id=artwork.id))
        assert row.id is not None
        return row.id


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def assert_nothing_leaked(
    db: Database,
    capsys: pytest.CaptureFixture[str],
    logs: pytest.LogCaptureFixture,
    also: str = "",
) -> None:
    db.dispose()
    out = capsys.readouterr()
    assert leaks(db_bytes(db)) == [], "in the database"
    assert leaks(logs.text) == [], "in the logs"
    assert leaks(out.out + out.err) == [], "in the output"
    assert leaks(also) == [], "in a message"


@pytest.mark.usefixtures("leaky_store")
def test_a_failed_sync_keeps_no_secret_on_the_store_row_or_in_the_output(
    db: Database,
    woo_sandbox: SandboxWooStore,
    capsys: pytest.CaptureFixture[str],
    logs: pytest.LogCaptureFixture,
) -> None:
    woo_sandbox.add_order(woo_order(1))
    errors = []
    for form in WOO_FORMS.values():
        woo_sandbox.inject(Fault("status", 403, page=echo_page(form)))
        assert main(["--db", db.url, "sync", "--all"]) == 1
        with db.read() as session:
            store = session.exec(select(Store)).one()
        assert store.last_sync_error and "HTTP 403" in store.last_sync_error
        errors.append(store.last_sync_error)
        assert leaks(db_bytes(db)) == [], f"in the database ({form})"  # the next overwrites
    assert_nothing_leaked(db, capsys, logs, "\n".join(errors))


@pytest.mark.usefixtures("leaky_store")
def test_a_sync_problem_keeps_no_secret(
    db: Database,
    woo_sandbox: SandboxWooStore,
    capsys: pytest.CaptureFixture[str],
    logs: pytest.LogCaptureFixture,
) -> None:
    forms = list(WOO_FORMS.values())
    for n, form in enumerate(forms, start=1):
        woo_sandbox.add_order(woo_order(n, total=form))
    assert main(["--db", db.url, "sync", "--all"]) == 0
    with db.read() as session:
        problems = session.exec(select(SyncProblem)).all()
    assert len(problems) == len(forms)
    assert all("total" in p.reason for p in problems)
    assert_nothing_leaked(db, capsys, logs)


def test_a_failed_send_keeps_no_secret(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    logs: pytest.LogCaptureFixture,
) -> None:
    sandbox = SandboxPrintify(token=TOKEN, shop_id=SHOP_ID, validation_status=422)
    monkeypatch.setenv("PODTUI_PRINTIFY_PRINTIFY_TEST_TOKEN", TOKEN)
    with serve_loopback(sandbox.handler) as url:
        shop = make_shop(db, url, tmp_path / "files")
        for form in TOKEN_FORMS.values():
            item = shop.item()
            sandbox.inject(
                Fault("status", 403, method="POST", path="/orders.json", page=echo_page(form))
            )
            code = main(["--db", db.url, "submit", "--ids", str(item), "--yes"])
            assert code == 1
            assert shop.status(item) is ItemStatus.FAILED
    with db.read() as session:
        failed = session.exec(select(Submission).where(col(Submission.state) == "failed")).all()
    assert failed and all(s.http_status == 403 and s.raw_response for s in failed)
    assert_nothing_leaked(db, capsys, logs)


@pytest.mark.usefixtures("leaky_store")
def test_a_connection_test_says_no_secret(
    db: Database,
    woo_sandbox: SandboxWooStore,
    woo_at: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    logs: pytest.LogCaptureFixture,
) -> None:
    said = []
    for form in WOO_FORMS.values():
        # The Connections screen's test of a saved store ...
        woo_sandbox.inject(Fault("status", 401, page=echo_page(form)))
        (state,) = [s for s in connections.connection_states(db) if s.side == "store"]
        ok, message = connections.test_connection(db, state)
        assert not ok and "HTTP 401" in message
        said.append(message)
        # ... and `podtui connect` trying a new login.
        woo_sandbox.inject(Fault("status", 401, page=echo_page(form)))
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{KEY}\n{SECRET}\n"))
        code = main(
            ["--db", db.url, "connect", "woocommerce", "--url", woo_at,
             "--name", "Another", "--secret-stdin"]
        )  # fmt: skip
        assert code == 1
    assert_nothing_leaked(db, capsys, logs, "\n".join(said))


@pytest.mark.usefixtures("leaky_store")
def test_a_failed_tracking_push_logs_and_keeps_no_secret(
    db: Database,
    woo_sandbox: SandboxWooStore,
    capsys: pytest.CaptureFixture[str],
    logs: pytest.LogCaptureFixture,
) -> None:
    forms = list(WOO_FORMS.values())
    for n in range(1, len(forms) + 1):
        woo_sandbox.add_order(woo_order(n))
    assert main(["--db", db.url, "sync", "--all"]) == 0
    with db.write() as session:
        items = session.exec(
            select(OrderItem).join(Order).where(col(OrderItem.managed)).order_by(col(Order.id))
        ).all()
        ids = [i.id for i in items if i.id is not None]
        session.execute(
            update(OrderItem).where(col(OrderItem.id).in_(ids)).values(status=ItemStatus.SENT)
        )
    assert len(ids) == len(forms)
    for n, (item_id, form) in enumerate(zip(ids, forms, strict=True), start=1):
        with db.write() as session:
            item_shipping.mark_fulfilled(session, item_id, "UPS", f"1Z{n:016d}", "")
        with db.read() as session:
            shipment = session.exec(select(Shipment).where(Shipment.item_id == item_id)).one()
        assert shipment.id is not None
        woo_sandbox.inject(Fault("status", 403, path=f"/orders/{n}", times=9, page=echo_page(form)))
        asyncio.run(after_shipments(db, [shipment.id]))
    assert "tracking push failed" in logs.text
    assert_nothing_leaked(db, capsys, logs)
