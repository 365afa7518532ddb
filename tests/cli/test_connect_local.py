"""`podtui connect hotfolder|manual`, and `--url`/`--rate-per-min` for the API kinds."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from podtui.cli import main
from podtui.db import open_database
from podtui.domain.models import Store, Vendor
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.woocommerce import SandboxWooStore
from tests.adapters.stores.shopify_support import TOKEN, shop


def _rows(db_path: Path, model: type[Store] | type[Vendor]) -> list[Any]:
    db = open_database(f"sqlite:///{db_path}")
    try:
        with db.read() as session:
            return list(session.exec(select(model)).all())
    finally:
        db.dispose()


def _connect(db_path: Path, *args: str) -> int:
    return main(["--db", str(db_path), "connect", *args])


def _unwritable(tmp_path: Path) -> Path:
    """A folder nobody may write in: read-only bits, or /sys when the tests run as root."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_a_hot_folder_vendor_with_queues(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rip = tmp_path / "rip"
    rip.mkdir()
    elsewhere = tmp_path / "mugs-share"
    elsewhere.mkdir()
    code = _connect(
        db_path, "hotfolder", "--name", "In-house DTG", "--path", str(rip),
        "--queue", "dtg", "--queue", f"mugs={elsewhere}",
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert f"Added hot-folder vendor 'In-house DTG': {rip}; queues: dtg, mugs." in out.out
    [vendor] = _rows(db_path, Vendor)
    assert vendor.kind == "hotfolder"
    assert vendor.settings == {"path": str(rip), "folders": {"dtg": "dtg", "mugs": str(elsewhere)}}
    assert (rip / "dtg").is_dir()  # ready for the RIP to watch
    assert not [p for p in rip.iterdir() if p.name.startswith(".podtui-probe")]
    # the same name again updates the row
    assert _connect(db_path, "hotfolder", "--name", "In-house DTG", "--path", str(rip)) == 0
    assert "Updated hot-folder vendor" in capsys.readouterr().out
    [vendor] = _rows(db_path, Vendor)
    assert vendor.settings == {"path": str(rip)}


def test_every_bad_hot_folder_is_refused_with_its_reason(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rip = tmp_path / "rip"
    rip.mkdir()
    assert _connect(db_path, "hotfolder", "--name", "DTG", "--path", str(rip)) == 0
    capsys.readouterr()
    (rip / "posters").mkdir()
    a_file = tmp_path / "ticket.json"
    a_file.write_text("{}")
    cases = {
        "missing": ([str(tmp_path / "nope")], "does not exist"),
        "file": ([str(a_file)], "is a file, not a folder"),
        "readonly": ([str(_unwritable(tmp_path))], "is not writable"),
        "inside": ([str(rip / "posters")], "lies inside"),
        "holds": ([str(tmp_path)], "holds"),
    }
    for label, ([path], reason) in cases.items():
        code = _connect(db_path, "hotfolder", "--name", f"Other {label}", "--path", path)
        err = capsys.readouterr().err
        assert code == 2, label
        assert reason in err and "nothing was changed" in err, (label, err)
    other = tmp_path / "other"
    other.mkdir()
    code = _connect(
        db_path, "hotfolder", "--name", "Other", "--path", str(other),
        "--queue", "done", "--queue", "Processing", "--queue", "error", "--queue", "a/b",
        "--queue", f"side={rip}",
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    for queue in ("'done'", "'Processing'", "'error'"):
        assert f"queue {queue}: {queue} is the folder a RIP moves tickets to" in err
    assert "queue 'a/b': a queue name is letters" in err
    assert f"queue 'side': {rip} lies inside {rip}, a folder of vendor 'DTG'" in err
    assert [v.name for v in _rows(db_path, Vendor)] == ["DTG"]
    assert not list(other.iterdir())


def test_a_manual_vendor_and_names_taken_by_another_kind(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _connect(db_path, "manual", "--name", "Stitch & Ink") == 0
    assert "Added manual vendor 'Stitch & Ink'" in capsys.readouterr().out
    assert _connect(db_path, "manual", "--name", "Stitch & Ink") == 0
    assert "Updated manual vendor" in capsys.readouterr().out
    code = _connect(db_path, "hotfolder", "--name", "Stitch & Ink", "--path", str(tmp_path))
    assert code == 2
    assert "exists already as a manual vendor" in capsys.readouterr().err
    assert _connect(db_path, "manual", "--name", "  ") == 2
    [vendor] = _rows(db_path, Vendor)
    assert (vendor.kind, vendor.settings) == ("manual", {})


def test_url_and_rate_for_stores_and_vendors(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shopify = shop(1, shop_name="Northwind Prints")
    woo = SandboxWooStore(consumer_key="ck_1", consumer_secret="cs_2")
    printful = SandboxPrintful(token="pf_token")
    with (
        serve_loopback(shopify.handler) as shop_url,
        serve_loopback(woo.handler) as woo_url,
        serve_loopback(printful.handler) as pf_url,
    ):
        for stdin, args in (
            (TOKEN, ["shopify", "--shop", "northwind", "--url", shop_url, "--rate-per-min", "90"]),
            ("ck_1:cs_2", ["woocommerce", "--url", woo_url, "--name", "Lumen", "--rate-per-min", "30"]),
            ("pf_token", ["printful", "--url", pf_url, "--rate-per-min", "60"]),
        ):  # fmt: skip
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin + "\n"))
            assert _connect(db_path, *args, "--secret-stdin") == 0, capsys.readouterr().err
    stores = {s.name: s for s in _rows(db_path, Store)}
    assert stores["northwind"].base_url == shop_url
    assert stores["northwind"].settings["rate_limit_per_min"] == 90
    assert stores["Lumen"].settings["rate_limit_per_min"] == 30
    [vendor] = _rows(db_path, Vendor)
    assert (vendor.base_url, vendor.rate_limit_per_min) == (pf_url, 60)
    with pytest.raises(SystemExit):
        _connect(db_path, "printful", "--rate-per-min", "0")
    assert "a rate is more than 0" in capsys.readouterr().err


def test_shopify_needs_a_shop_or_a_url(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _connect(db_path, "shopify", "--secret-stdin") == 2
    assert "needs --shop (or --url)" in capsys.readouterr().err
