"""The config file: every key podtui reads is documented in docs/configuration.md, and a key
podtui does not know, in any section, is an error naming it (a typo never passes silently)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from podtui.config import _SCHEMA, OWNED_SECTIONS, STORE_KEYS, ConfigError, parse_config

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_every_section_and_key_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [
        f"[{section}] {key}"
        for section, keys in _SCHEMA.items()
        for key in keys
        if not re.search(rf"^{re.escape(key)}\s*=", text, re.MULTILINE)
    ]
    missing += [f"[{s}]" for s in [*_SCHEMA, *OWNED_SECTIONS] if f"[{s}" not in text]
    missing += [f"[stores.NAME] {k}" for k in STORE_KEYS if not re.search(rf"^{k}\s*=", text, re.M)]
    assert missing == []


def test_a_store_section_key_podtui_does_not_know_is_named() -> None:
    with pytest.raises(ConfigError, match="turnaround_day"):
        parse_config({"stores": {"Northwind": {"turnaround_day": 3}}})
    parsed = parse_config({"stores": {"Northwind": {"turnaround_days": 3, "auto_submit_hours": 2}}})
    assert parsed.turnaround_days == {"Northwind": 3.0}


def test_a_section_nothing_reads_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"unknown section \[vendors\]"):
        parse_config({"vendors": {"Printify": {"anything": 1}}})
