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
