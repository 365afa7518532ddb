"""Bench: what reading the store's notes adds to an ordinary (incremental) sync.

A WooCommerce sandbox on loopback holds N orders, imported first (a full import reads no
notes); then C of them change at the store (a status change, which WooCommerce notes itself)
and an incremental sync brings them in, once reading their notes (the default, at most
NOTES_PER_SYNC orders) and once with the notes switched off, each on a fresh copy of the
database. It prints the seconds and the requests of both, and the notes that came in.

    uv run python bench/store_notes_sync.py [--orders 1000] [--changed 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _run(orders: int, changed: int, notes: bool, workdir: Path) -> dict[str, Any]:
    from podtui.adapters.credentials import set_secret
    from podtui.db import open_database
    from podtui.demo.sandboxes import woo_payloads
    from podtui.domain.models import Store
    from podtui.sandbox.http import serve_loopback
    from podtui.sandbox.woocommerce import SandboxWooStore
    from podtui.services.sync import pull

    now = [NOW]
    payloads = woo_payloads(now=NOW, seed=7, orders=int(orders * 3.2) + 50, limit=orders)
    woo = SandboxWooStore(
        payloads[:orders], consumer_key="ck_b", consumer_secret="cs_b", clock=lambda: now[0]
    )
    db = open_database(f"sqlite:///{workdir / ('notes.db' if notes else 'plain.db')}")
    with serve_loopback(woo.handler) as url:
        set_secret("woocommerce", "Bench Woo", "ck_b:cs_b")
        with db.write() as s:
            row = Store(name="Bench Woo", kind="woocommerce", base_url=url)
            s.add(row)
        report = asyncio.run(pull.sync_store_async(db, row, pull.SyncOptions(mode="all")))
        assert report.ok, report.error
        now[0] += timedelta(hours=1)
        for order_id in sorted(woo.orders)[:changed]:
            woo.update_order(order_id, status="on-hold")
        pull.NOTES_MODES = ("incremental",) if notes else ()
        asked = len(woo.requests)
        started = time.perf_counter()
        report = asyncio.run(pull.sync_store_async(db, row, pull.SyncOptions()))
        seconds = time.perf_counter() - started
        assert report.ok, report.error
    db.dispose()
    return {
        "seconds": round(seconds, 3),
        "requests": len(woo.requests) - asked,
        "orders_updated": report.orders_updated,
        "store_notes": report.store_notes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--changed", type=int, default=50)
    args = parser.parse_args()
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):  # the bench never touches the machine's keyring
        priority = 1  # type: ignore[assignment]
        store: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    keyring.set_keyring(Memory())
    workdir = Path(tempfile.mkdtemp(prefix="podtui-notes-bench-"))
    try:
        plain = _run(args.orders, args.changed, False, workdir)
        noted = _run(args.orders, args.changed, True, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps({"orders": args.orders, "changed": args.changed, "without_notes": plain,
                      "with_notes": noted}))  # fmt: skip


if __name__ == "__main__":
    main()
