"""`podtui config`: as the README writes it, it says where things live; `check` validates."""

from __future__ import annotations

import pytest

from podtui.cli import main


def test_podtui_config_alone_says_where_things_live(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("config file") and "data dir" in out and "database" in out


def test_podtui_config_check_names_the_bad_key(capsys: pytest.CaptureFixture[str]) -> None:
    from podtui.config import config_file

    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[sync]\nnot_a_setting = 1\n", encoding="utf-8")
    assert main(["config", "check"]) == 2
    assert "not_a_setting" in capsys.readouterr().err
