"""`podtui store-setting`: a store's shared settings from the command line."""

from __future__ import annotations

import pytest
from sqlmodel import select

from podtui.cli import main
from podtui.db import Database
from podtui.domain.models import Event, Store


def test_the_notify_default_from_the_command_line(
    db: Database, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.write() as s:
        s.add(Store(name="Main Shop", kind="shopify"))
    run = ["--db", database_url, "store-setting", "Main Shop"]
    assert main(run) == 0
    assert "notify-customer  off" in capsys.readouterr().out
    assert main([*run, "--notify-customer", "on"]) == 0
    assert "Main Shop: notify the customer is on by default" in capsys.readouterr().out
    with db.read() as s:
        assert s.exec(select(Store)).one().settings["notify_customer"] is True
        assert len(s.exec(select(Event).where(Event.type == "store_setting_changed")).all()) == 1
    assert main(["--db", database_url, "store-setting", "Nowhere", "--notify-customer", "on"]) == 2
    assert "No store 'Nowhere'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main([*run, "--notify-customer", "maybe"])
    assert exited.value.code == 2


def test_order_types_auto_submit_types_and_locale_from_the_command_line(
    db: Database, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a shop could set only with SQL: which order types go out by themselves, its own
    order-type rules, and the customers' language (for capitals in print files)."""
    from podtui.domain.order_types import auto_submit_types, classify

    with db.write() as s:
        s.add(Store(name="Lumen", kind="woocommerce"))
    run = ["--db", database_url, "store-setting", "Lumen"]
    assert main([*run, "--auto-submit-types", "in-app,Amazon"]) == 0
    assert main([*run, "--order-type-rule", "created_via=admin:in-app"]) == 0
    assert main([*run, "--order-type-rule", "meta=_etsy_id:others"]) == 0
    assert main([*run, "--locale", "el-GR"]) == 0
    capsys.readouterr()
    with db.read() as s:
        settings = s.exec(select(Store)).one().settings
    assert auto_submit_types(settings) == ("in-app", "amazon")
    assert classify("admin", {}, settings["order_types"]) == "in-app"
    assert classify("checkout", {"_etsy_id": "9"}, settings["order_types"]) == "others"
    assert settings["locale"] == "el-GR"
    assert main(run) == 0
    shown = capsys.readouterr().out
    assert "auto-submit-types  in-app, amazon" in shown and "created_via=admin -> in-app" in shown
    assert "locale  el-GR" in shown
    assert main([*run, "--clear-order-type-rules"]) == 0
    with db.read() as s:
        assert s.exec(select(Store)).one().settings["order_types"] == []


@pytest.mark.parametrize(
    ("flag", "value", "said"),
    [
        ("--auto-submit-types", "in-app,etsy", "etsy"),
        ("--order-type-rule", "created_via=admin", "FIELD=VALUE:TYPE"),
        ("--order-type-rule", "colour=red:in-app", "created_via or meta"),
        ("--locale", "greek please", "language tag"),
    ],
)
def test_bad_store_settings_are_named_and_change_nothing(
    db: Database,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    flag: str,
    value: str,
    said: str,
) -> None:
    with db.write() as s:
        s.add(Store(name="Lumen", kind="woocommerce"))
    assert main(["--db", database_url, "store-setting", "Lumen", flag, value]) == 2
    assert said in capsys.readouterr().err
    with db.read() as s:
        assert s.exec(select(Store)).one().settings in ({}, None)
