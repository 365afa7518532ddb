"""`podtui connect`: the secret tested against a loopback store, kept in the keyring, never shown."""

from __future__ import annotations

import io
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlmodel import select

from podtui.cli import main
from podtui.db import open_database
from podtui.domain.models import Store
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.woocommerce import SandboxWooStore
from tests.adapters.stores.shopify_support import TOKEN, shop
from tests.conftest import MemoryKeyring


def _stores(db_path: Path) -> list[Store]:
    db = open_database(f"sqlite:///{db_path}")
    try:
        with db.read() as session:
            return list(session.exec(select(Store)).all())
    finally:
        db.dispose()


def _run(db_path: Path, monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--db", str(db_path), "connect", *args])


def test_shopify_token_is_tested_and_kept(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keyring_backend: MemoryKeyring,
) -> None:
    sandbox = shop(2, shop_name="Northwind Prints")
    with serve_loopback(sandbox.handler) as url:
        code = _run(
            db_path, monkeypatch, TOKEN + "\n",
            "shopify", "--shop", url, "--name", "Northwind", "--secret-stdin",
        )  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "Connected Shopify store 'Northwind': Northwind Prints" in out.out
    assert TOKEN not in out.out + out.err
    [store] = _stores(db_path)
    assert (store.kind, store.base_url) == ("shopify", url)
    assert store.settings["api_version"] == "2026-04"
    assert keyring_backend.secrets == {("podtui", "shopify:Northwind:token"): TOKEN}
    [request] = sandbox.requests
    assert request.headers["x-shopify-access-token"] == TOKEN


def test_a_refused_token_changes_nothing(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keyring_backend: MemoryKeyring,
) -> None:
    sandbox = shop(1)
    with serve_loopback(sandbox.handler) as url:
        code = _run(
            db_path, monkeypatch, "shpat_not_the_right_one\n",
            "shopify", "--shop", url, "--name", "Northwind", "--secret-stdin",
        )  # fmt: skip
    out = capsys.readouterr()
    assert code == 1
    assert "Invalid API key or access token" in out.err and "Nothing was changed" in out.err
    assert "shpat_not_the_right_one" not in out.out + out.err
    assert _stores(db_path) == []
    assert keyring_backend.secrets == {}


def test_prompted_secret_and_reconnecting_updates_the_row(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keyring_backend: MemoryKeyring,
) -> None:
    sandbox = shop(1)
    prompts: list[str] = []

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return TOKEN

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    with serve_loopback(sandbox.handler) as url:
        assert _run(db_path, monkeypatch, "", "shopify", "--shop", url, "--name", "NW") == 0
        db = open_database(f"sqlite:///{db_path}")
        with db.write() as session:
            row = session.exec(select(Store)).one()
            row.sync_failures, row.last_sync_error = 4, "HTTP 401"
            session.add(row)
        db.dispose()
        assert _run(db_path, monkeypatch, "", "shopify", "--shop", url, "--name", "NW") == 0
    out = capsys.readouterr().out
    assert prompts == ["Admin API access token (shpat_...): "] * 2
    assert "Reconnected Shopify store 'NW'" in out
    [store] = _stores(db_path)
    assert store.sync_failures == 0 and store.last_sync_error is None


def test_no_keyring_names_the_variable_instead(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keyring.set_keyring(fail.Keyring())
    sandbox = shop(1)
    with serve_loopback(sandbox.handler) as url:
        code = _run(
            db_path, monkeypatch, TOKEN + "\n",
            "shopify", "--shop", url, "--name", "Hearth & Thread", "--secret-stdin",
        )  # fmt: skip
    out = capsys.readouterr()
    assert code == 3
    assert "no keyring" in out.out and "PODTUI_SHOPIFY_HEARTH_THREAD_TOKEN" in out.out
    assert TOKEN not in out.out + out.err
    assert [s.name for s in _stores(db_path)] == ["Hearth & Thread"]


def test_woocommerce_key_and_secret(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keyring_backend: MemoryKeyring,
) -> None:
    store = SandboxWooStore(consumer_key="ck_live_1", consumer_secret="cs_live_2")
    with serve_loopback(store.handler) as url:
        code = _run(
            db_path, monkeypatch, "ck_live_1\ncs_live_2\n",
            "woocommerce", "--url", url, "--name", "Lumen", "--secret-stdin",
        )  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "cs_live_2" not in out.out + out.err
    assert keyring_backend.secrets == {("podtui", "woocommerce:Lumen:token"): "ck_live_1:cs_live_2"}
    [row] = _stores(db_path)
    assert (row.kind, row.base_url) == ("woocommerce", url)


def test_empty_secret_is_refused(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(db_path, monkeypatch, "\n", "shopify", "--shop", "northwind", "--secret-stdin")
    assert code == 2
    assert "no secret given" in capsys.readouterr().err
    assert _stores(db_path) == []


def test_printful_token_is_tested_and_kept(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keyring_backend: MemoryKeyring,
) -> None:
    from podtui.domain.models import Vendor
    from podtui.sandbox.printful import SandboxPrintful

    printful = SandboxPrintful(token="pf_live_token")
    with serve_loopback(printful.handler) as url:
        refused = _run(
            db_path, monkeypatch, "pf_wrong\n",
            "printful", "--url", url, "--name", "Printful", "--secret-stdin",
        )  # fmt: skip
        code = _run(
            db_path, monkeypatch, "pf_live_token\n",
            "printful", "--url", url, "--name", "Printful", "--store-id", "77", "--secret-stdin",
        )  # fmt: skip
    out = capsys.readouterr()
    assert refused == 1 and code == 0, out.err
    assert "Connected Printful vendor 'Printful': the token was accepted." in out.out
    assert "pf_live_token" not in out.out + out.err and "pf_wrong" not in out.out + out.err
    assert keyring_backend.secrets == {("podtui", "printful:Printful:token"): "pf_live_token"}
    db = open_database(f"sqlite:///{db_path}")
    with db.read() as session:
        [vendor] = session.exec(select(Vendor)).all()
    db.dispose()
    assert (vendor.kind, vendor.base_url, vendor.settings) == ("printful", url, {"store_id": 77})


def test_printify_token_and_shop_are_tested_and_kept(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keyring_backend: MemoryKeyring,
) -> None:
    from podtui.domain.models import Vendor
    from podtui.sandbox.printify import SandboxPrintify

    printify = SandboxPrintify(token="pfy_token", shop_id=4242)
    with serve_loopback(printify.handler) as url:
        wrong_shop = _run(
            db_path, monkeypatch, "pfy_token\n",
            "printify", "--url", f"{url}/v1", "--name", "Printify", "--shop-id", "1",
            "--secret-stdin",
        )  # fmt: skip
        wrong_token = _run(
            db_path, monkeypatch, "pfy_nope\n",
            "printify", "--url", f"{url}/v1", "--name", "Printify", "--shop-id", "4242",
            "--secret-stdin",
        )  # fmt: skip
        code = _run(
            db_path, monkeypatch, "pfy_token\n",
            "printify", "--url", f"{url}/v1", "--name", "Printify", "--shop-id", "4242",
            "--secret-stdin",
        )  # fmt: skip
    out = capsys.readouterr()
    assert (wrong_shop, wrong_token, code) == (1, 1, 0), out.err
    assert "shop 1 is not one of its shops: 4242 (Atelier Lumen API)" in out.err
    assert "shop 4242 (Atelier Lumen API)" in out.out
    assert "pfy_token" not in out.out + out.err and "pfy_nope" not in out.out + out.err
    assert keyring_backend.secrets == {("podtui", "printify:Printify:token"): "pfy_token"}
    db = open_database(f"sqlite:///{db_path}")
    with db.read() as session:
        [vendor] = session.exec(select(Vendor)).all()
    db.dispose()
    assert (vendor.kind, vendor.settings) == ("printify", {"shop_id": 4242})
