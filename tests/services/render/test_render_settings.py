"""How many render processes the TUI runs: env var, then `[render] workers`, then cores - 1."""

from __future__ import annotations

import os

import pytest

from podtui.config import Config, ConfigError, parse_config, render_workers


def test_env_var_wins_over_the_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PODTUI_RENDER_WORKERS", "3")
    assert render_workers(Config(render_workers=1)) == 3
    monkeypatch.setenv("PODTUI_RENDER_WORKERS", "0")
    assert render_workers(Config(render_workers=1)) == 0


def test_config_then_default_of_one_fewer_than_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PODTUI_RENDER_WORKERS")
    assert render_workers(parse_config({"render": {"workers": 0}})) == 0
    assert render_workers(parse_config({"render": {"workers": 2}})) == 2
    assert render_workers(Config()) == max(1, (os.cpu_count() or 2) - 1)


def test_bad_values_are_refused_with_the_key_named(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match=r"\[render\] workers must be 0 \(off\) or more"):
        parse_config({"render": {"workers": -1}})
    with pytest.raises(ConfigError, match=r"\[render\] workers must be int"):
        parse_config({"render": {"workers": "two"}})
    monkeypatch.setenv("PODTUI_RENDER_WORKERS", "many")
    with pytest.raises(ConfigError, match="PODTUI_RENDER_WORKERS must be 0 or a whole number"):
        render_workers(Config())
